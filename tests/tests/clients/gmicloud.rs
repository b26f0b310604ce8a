//! GMI Cloud: `GET {base}/v1/images` with bearer auth, optional `idc` and `product` filters, a JSON array of
//! images, and typed 401 / 500 / 503 bodies. Two crates are generated for it and both are tested with the same
//! suite: `gmicloud-client` from the hand-written `specs/gmicloud.yaml` (shared runtime), and
//! `gmicloud-vendor-client` from GMI's own document `specs/vendor/gmicloud.yaml` (runtime inlined).
//!
//! The list is not paginated (no `x-pagination`, no `pages()`), so there are no paging or repeated-cursor tests.

/// The success example: the vendor document has none, so both suites use the hand-written spec's.
const SUCCESS_SPEC: &str = "gmicloud.yaml";
const PATH: &str = "/api/v1/images";

macro_rules! gmi_suite {
    (
        mod $m:ident;
        krate: $krate:ident;
        spec: $spec:expr;
        image: $image:ident;
        image_type: $image_type:ident;
        examples: $names:expr;
    ) => {
        mod $m {
            use std::time::{Duration, Instant};

            use $krate::runtime::Error;
            use $krate::types::{ImageBootMode, $image, $image_type};
            use $krate::{Client, ListImagesError};
            use serde_json::{json, Value};
            use wiremock::matchers::{method, path};
            use wiremock::{Mock, MockServer, ResponseTemplate};

            use super::{PATH, SUCCESS_SPEC};
            use crate::common::*;

            const SPEC: &str = $spec;

            /// The base URL as the vendor has it (`https://console.gmicloud.ai/api`), on the mock server.
            fn base(server: &MockServer) -> String {
                format!("{}/api", server.uri())
            }

            async fn serve(server: &MockServer, response: ResponseTemplate) {
                Mock::given(method("GET")).and(path(PATH)).respond_with(response).mount(server).await;
            }

            /// The success example of the hand-written spec: one image.
            fn images_example() -> Value {
                let examples = response_examples(SUCCESS_SPEC, "/v1/images", "get");
                let example = examples.iter().find(|e| e.status == "200").expect("a 200 example");
                example.value.clone()
            }

            fn variant(error: &ListImagesError) -> (&'static str, Value) {
                match error {
                    ListImagesError::Unauthorized(b) => ("Unauthorized", serde_json::to_value(b).unwrap()),
                    ListImagesError::InternalServerError(b) => ("InternalServerError", serde_json::to_value(b).unwrap()),
                    ListImagesError::ServiceUnavailable(b) => ("ServiceUnavailable", serde_json::to_value(b).unwrap()),
                    other => panic!("unknown variant {other:?}"),
                }
            }

            fn expected_variant(status: u16) -> &'static str {
                match status {
                    401 => "Unauthorized",
                    500 => "InternalServerError",
                    503 => "ServiceUnavailable",
                    other => panic!("{other} is not documented"),
                }
            }

            #[tokio::test]
            async fn filters_and_bearer_auth_are_sent_exactly() {
                let server = MockServer::start().await;
                serve(&server, json(200, &images_example())).await;
                let client: Client = client!($krate, base(&server));
                client.list_images().send().await.unwrap();
                client.list_images().idc("us-west-1").product("baremetal").send().await.unwrap();
                client.list_images().product("gpu_cluster.v2").send().await.unwrap();
                let requests = received(&server).await;
                let expected = ["", "idc=us-west-1&product=baremetal", "product=gpu_cluster.v2"];
                assert_eq!(requests.len(), expected.len());
                for (request, query) in requests.iter().zip(expected) {
                    assert_get(request, PATH, query);
                    assert_bearer(request);
                }
            }

            #[tokio::test]
            async fn invalid_filters_are_rejected_before_sending() {
                let server = MockServer::start().await;
                let client: Client = client!($krate, base(&server));
                let cases = [
                    (client.list_images().idc(long_string(51)).send().await, "idc"),
                    (client.list_images().idc("us west").send().await, "idc"),
                    (client.list_images().product(long_string(257)).send().await, "product"),
                    (client.list_images().product("a/b").send().await, "product"),
                ];
                for (result, parameter) in cases {
                    assert!(
                        matches!(&result, Err(Error::Validation(v)) if v.parameter == parameter),
                        "{parameter}: {result:?}"
                    );
                }
                assert!(received(&server).await.is_empty(), "nothing was sent");
            }

            #[tokio::test]
            async fn every_spec_example_decodes() {
                let mut examples = response_examples(SPEC, "/v1/images", "get");
                let names: Vec<_> = examples.iter().map(|e| format!("{} {}", e.status, e.name)).collect();
                let expected: &[&str] = &$names;
                assert_eq!(names, expected);
                if !examples.iter().any(|e| e.status == "200") {
                    examples.extend(response_examples(SUCCESS_SPEC, "/v1/images", "get").into_iter().filter(|e| e.status == "200"));
                }
                let server = MockServer::start().await;
                let client: Client = single_attempt_client!($krate, base(&server));
                for example in &examples {
                    let status = example.http_status(400);
                    server.reset().await;
                    serve(&server, json(status, &example.value)).await;
                    let result = client.list_images().send().await;
                    if status == 200 {
                        let images: Vec<$image> = result.unwrap_or_else(|e| panic!("{}: {e:?}", example.name));
                        assert_eq!(images.len(), 1);
                        let image = &images[0];
                        assert_eq!(image.id.to_string(), "3f2c1a9e-8b7d-4c6e-9a5f-1e2d3c4b5a69");
                        assert_eq!(image.type_, $image_type::Public);
                        assert_eq!(image.boot_mode, ImageBootMode::Uefi);
                        assert_eq!(image.created_at.to_rfc3339(), "2025-03-18T09:30:00+00:00");
                        assert_eq!(image.default_partition_table[0].mount_point, "/");
                        assert_eq!(image.os_version, "22.04");
                        assert_eq!(serde_json::to_value(&images).unwrap(), example.value, "{} round trip", example.name);
                    } else {
                        match result {
                            Err(Error::Api(api)) => {
                                assert_eq!(api.response.status.as_u16(), status);
                                let (name, body) = variant(&api.body);
                                assert_eq!(name, expected_variant(status), "{}", example.name);
                                assert_eq!(body, example.value, "{}", example.name);
                            }
                            other => panic!("{}: expected Error::Api, got {other:?}", example.name),
                        }
                    }
                    assert_eq!(received(&server).await.len(), 1, "{}", example.name);
                }
            }

            #[tokio::test]
            async fn every_documented_error_status_decodes_into_its_variant() {
                let documented = documented_error_statuses(SPEC, "/v1/images", "get");
                assert_eq!(documented, [401, 500, 503]);
                let server = MockServer::start().await;
                let client: Client = single_attempt_client!($krate, base(&server));
                for status in documented {
                    server.reset().await;
                    let body = if status == 401 {
                        json!({"code": 3, "group": "request", "message": "bad", "traces": ["t"],
                               "validationDetail": [{"expression": "required", "field": "idc", "originalValue": "", "reason": "r"}]})
                    } else {
                        json!({"code": status, "reason": format!("reason {status}")})
                    };
                    serve(&server, json(status, &body)).await;
                    let error = client.list_images().send().await.expect_err("an error status");
                    assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
                    let (name, decoded) = variant(error.api_body().unwrap_or_else(|| panic!("{status}: {error:?}")));
                    assert_eq!(name, expected_variant(status));
                    assert_eq!(decoded, body);
                    assert_eq!(received(&server).await.len(), 1, "{status}: retries are disabled");
                }
                // Statuses the spec does not document (no `default` either) are not forced into a variant.
                for status in [400u16, 403, 404, 502] {
                    server.reset().await;
                    serve(&server, json(status, &json!({"reason": "other"}))).await;
                    match client.list_images().send().await {
                        Err(Error::UnexpectedStatus(response)) => assert_eq!(response.status.as_u16(), status),
                        other => panic!("{status}: expected Error::UnexpectedStatus, got {other:?}"),
                    }
                }
            }

            #[tokio::test]
            async fn too_many_requests_with_retry_after_then_success() {
                let server = MockServer::start().await;
                Mock::given(method("GET"))
                    .and(path(PATH))
                    .respond_with(json(429, &json!({"reason": "slow down"})).insert_header("Retry-After", "1"))
                    .up_to_n_times(1)
                    .mount(&server)
                    .await;
                serve(&server, json(200, &images_example())).await;
                let client: Client = client!($krate, base(&server));
                let started = Instant::now();
                let images = client.list_images().idc("us-west-1").send().await.expect("succeeds after the retry");
                let elapsed = started.elapsed();
                assert_eq!(images.len(), 1);
                assert!(elapsed >= Duration::from_millis(950), "Retry-After: 1 honoured, waited {elapsed:?}");
                let requests = received(&server).await;
                assert_eq!(requests.len(), 2);
                for request in &requests {
                    assert_get(request, PATH, "idc=us-west-1");
                    assert_bearer(request);
                }
            }

            #[tokio::test]
            async fn service_unavailable_forever_stops_after_max_attempts() {
                let server = MockServer::start().await;
                serve(&server, json(503, &json!({"reason": "database is unavailable"}))).await;
                let client: Client = client!($krate, base(&server));
                let error = client.list_images().send().await.expect_err("never recovers");
                match &error {
                    Error::Api(api) => {
                        let (name, body) = variant(&api.body);
                        assert_eq!(name, "ServiceUnavailable");
                        assert_eq!(body, json!({"reason": "database is unavailable"}));
                    }
                    other => panic!("expected Error::Api, got {other:?}"),
                }
                assert_eq!(received(&server).await.len(), MAX_ATTEMPTS as usize);
            }

            #[tokio::test]
            async fn unknown_enum_values_are_kept() {
                let server = MockServer::start().await;
                let mut body = images_example();
                body[0]["type"] = json!("Community");
                body[0]["BootMode"] = json!("BIOS");
                serve(&server, json(200, &body)).await;
                let client: Client = client!($krate, base(&server));
                let images = client.list_images().send().await.expect("unknown values decode");
                assert_eq!(images[0].type_, $image_type::Unknown("Community".into()));
                assert_eq!(images[0].boot_mode, ImageBootMode::Unknown("BIOS".into()));
                assert_eq!(serde_json::to_value(&images).unwrap(), body);
            }

            #[tokio::test]
            async fn malformed_json_names_the_field() {
                let server = MockServer::start().await;
                let client: Client = client!($krate, base(&server));
                let good = images_example()[0].to_string();
                let alter = |from: &str, to: &str| {
                    assert!(good.contains(from), "{from} is in the example");
                    good.replace(from, to)
                };
                let cases = [
                    (format!("[{}]", alter("2025-03-18T09:30:00Z", "last tuesday")), "[0].createdAt"),
                    (format!("[{good}, {}]", alter("\"0b9d2c4e-6f81-4a3b-9c5d-7e8f9a0b1c2d\"", "42")), "[1].orgId"),
                    // Broken syntax: an unquoted string.
                    (format!("[{}]", alter("\"100GB\",\"fileSystem\"", "100GB,\"fileSystem\"")), "[0].DefaultPartitionTable[0].size"),
                ];
                for (body, field) in cases {
                    server.reset().await;
                    serve(&server, raw_json(200, &body)).await;
                    match client.list_images().send().await {
                        Err(Error::Decode(decode)) => assert_eq!(decode.path, field, "{decode:?}"),
                        other => panic!("{field}: expected Error::Decode, got {other:?}"),
                    }
                    assert_eq!(received(&server).await.len(), 1);
                }
            }

            #[tokio::test]
            async fn slow_server_times_out() {
                let server = MockServer::start().await;
                serve(&server, json(200, &images_example()).set_delay(SLOW)).await;
                let client: Client = timeout_client!($krate, base(&server));
                let started = Instant::now();
                let result = client.list_images().send().await;
                let elapsed = started.elapsed();
                assert!(
                    matches!(result, Err(Error::Timeout { attempts: 1, deadline: false, .. })),
                    "expected a per-attempt timeout, got {result:?}"
                );
                assert!(elapsed >= TIMEOUT && elapsed < SLOW, "gave up after {elapsed:?}");
                assert_eq!(received(&server).await.len(), 1);
            }
        }
    };
}

gmi_suite! {
    mod handwritten_spec;
    krate: gmicloud_client;
    spec: "gmicloud.yaml";
    image: Image;
    image_type: ImageType;
    examples: [
        "200 images",
        "401 expired_access_token",
        "401 invalid_access_token",
        "500 kubernetes_error",
        "503 database_unavailable",
    ];
}

gmi_suite! {
    mod vendor_spec;
    krate: gmicloud_vendor_client;
    spec: "vendor/gmicloud.yaml";
    image: ImageResp;
    image_type: ImageRespType;
    // GMI's document has no success example (the hand-written spec's is used) and lone `example:`s for 500/503.
    examples: [
        "401 Expired access token.",
        "401 Invalid access token.",
        "500 example",
        "503 example",
    ];
}
