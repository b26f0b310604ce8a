//! Yandex Cloud Compute (`specs/yandex-compute.yaml`): `GET /compute/v1/images?folderId=...`, bearer IAM token,
//! page-token pagination (`pageToken` / `nextPageToken`), int64 values as JSON strings, `google.rpc.Status` errors.

use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};
use yandex_compute_client::runtime::{Error, PaginationError};
use yandex_compute_client::types::{Image, ImageStatus, ListImagesResponse, OsType, PciTopology};
use yandex_compute_client::{Client, ListImagesError};

use crate::common::*;

const SPEC: &str = "yandex-compute.yaml";
const PATH: &str = "/compute/v1/images";
const FOLDER: &str = "b1g0ijbfaqsn12345678";

async fn serve(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET")).and(path(PATH)).respond_with(response).mount(server).await;
}

fn image(n: u32) -> Value {
    json!({
        "id": format!("fd8image{n:012}"), "folderId": FOLDER, "createdAt": "2024-05-14T10:21:37Z",
        "name": format!("image-{n}"), "storageSize": "3879731200", "minDiskSize": "8589934592",
        "status": "READY", "os": {"type": "LINUX"}
    })
}

fn page_body(ns: &[u32], next: Option<&str>) -> Value {
    let mut body = json!({"images": ns.iter().map(|n| image(*n)).collect::<Vec<_>>()});
    if let Some(next) = next {
        body["nextPageToken"] = json!(next);
    }
    body
}

fn status_body(code: i32, message: &str) -> Value {
    json!({"code": code, "message": message, "details": [
        {"@type": "type.googleapis.com/google.rpc.RequestInfo", "requestId": "e38e71c3-adc6-4584-98a4-b0f103d55f61"}
    ]})
}

fn variant(error: &ListImagesError) -> (&'static str, &yandex_compute_client::types::Error) {
    match error {
        ListImagesError::BadRequest(b) => ("BadRequest", b),
        ListImagesError::Unauthorized(b) => ("Unauthorized", b),
        ListImagesError::Forbidden(b) => ("Forbidden", b),
        ListImagesError::NotFound(b) => ("NotFound", b),
        ListImagesError::TooManyRequests(b) => ("TooManyRequests", b),
        ListImagesError::InternalServerError(b) => ("InternalServerError", b),
        ListImagesError::ServiceUnavailable(b) => ("ServiceUnavailable", b),
        ListImagesError::GatewayTimeout(b) => ("GatewayTimeout", b),
        ListImagesError::Other(b) => ("Other", b),
        other => panic!("unknown variant {other:?}"),
    }
}

#[tokio::test]
async fn folder_id_parameters_and_bearer_auth_are_sent_exactly() {
    let server = MockServer::start().await;
    serve(&server, json(200, &page_body(&[1], None))).await;
    let client: Client = client!(yandex_compute_client, server.uri());
    // folderId is required, so it is an argument of `list_images`.
    client.list_images(FOLDER).send().await.unwrap();
    client
        .list_images(FOLDER)
        .page_size(100)
        .page_token("tok/1+2")
        .filter(r#"name="ubuntu-2204""#)
        .order_by("createdAt desc")
        .send()
        .await
        .unwrap();
    let requests = received(&server).await;
    let expected = [
        format!("folderId={FOLDER}"),
        format!("folderId={FOLDER}&pageSize=100&pageToken=tok%2F1%2B2&filter=name%3D%22ubuntu-2204%22&orderBy=createdAt+desc"),
    ];
    assert_eq!(requests.len(), expected.len());
    for (request, query) in requests.iter().zip(&expected) {
        assert_get(request, PATH, query);
        assert_bearer(request);
    }
    let filter = requests[1].url.query_pairs().find(|(k, _)| k == "filter").unwrap().1.into_owned();
    assert_eq!(filter, r#"name="ubuntu-2204""#);
}

#[tokio::test]
async fn too_long_folder_id_is_rejected_before_sending() {
    let server = MockServer::start().await;
    serve(&server, json(200, &page_body(&[1], None))).await;
    let client: Client = client!(yandex_compute_client, server.uri());
    let too_long = long_string(51);
    match client.list_images(too_long.as_str()).send().await {
        Err(Error::Validation(v)) => {
            assert_eq!(v.parameter, "folderId", "names the parameter: {v:?}");
            assert!(v.to_string().contains("folderId"), "{v}");
        }
        other => panic!("expected Error::Validation, got {other:?}"),
    }
    let items: Vec<_> = client.list_images(too_long.as_str()).items().collect().await;
    assert!(matches!(items.as_slice(), [Err(Error::Validation(v))] if v.parameter == "folderId"), "{items:?}");
    // The other length and range limits too.
    for (result, parameter) in [
        (client.list_images(FOLDER).page_size(1001).send().await, "pageSize"),
        (client.list_images(FOLDER).page_size(-1).send().await, "pageSize"),
        (client.list_images(FOLDER).page_token(long_string(101)).send().await, "pageToken"),
        (client.list_images(FOLDER).filter(long_string(1001)).send().await, "filter"),
        (client.list_images(FOLDER).order_by(long_string(101)).send().await, "orderBy"),
    ] {
        assert!(matches!(&result, Err(Error::Validation(v)) if v.parameter == parameter), "{parameter}: {result:?}");
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");

    // Exactly 50 characters is allowed.
    let longest = long_string(50);
    client.list_images(longest.as_str()).send().await.expect("50 characters is the limit");
    assert_eq!(queries(&server).await, [format!("folderId={longest}")]);
}

#[tokio::test]
async fn int64_strings_are_read_as_i64() {
    let server = MockServer::start().await;
    let mut body = page_body(&[1, 2, 3], None);
    body["images"][0]["size"] = json!("9223372036854775807");
    body["images"][0]["storageSize"] = json!("9007199254740993");
    body["images"][1]["minDiskSize"] = json!("0");
    body["images"][2].as_object_mut().unwrap().remove("storageSize");
    serve(&server, json(200, &body)).await;
    let client: Client = client!(yandex_compute_client, server.uri());
    let page = client.list_images(FOLDER).send().await.unwrap();
    let images = page.images.as_ref().unwrap();
    assert_eq!(images[0].size, Some(i64::MAX));
    assert_eq!(images[0].storage_size, Some(9_007_199_254_740_993), "no precision lost through f64");
    assert_eq!(images[0].min_disk_size, Some(8_589_934_592));
    assert_eq!(images[1].min_disk_size, Some(0));
    assert_eq!(images[2].storage_size, None);
    // Written back as strings, as the protobuf JSON mapping wants.
    assert_eq!(serde_json::to_value(&page).unwrap(), body);

    // A value that is not an int64 is a decode error naming the field.
    server.reset().await;
    body["images"][1]["size"] = json!("9223372036854775808");
    serve(&server, json(200, &body)).await;
    match client.list_images(FOLDER).send().await {
        Err(Error::Decode(decode)) => assert_eq!(decode.path, "images[1].size", "{decode:?}"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn every_spec_example_decodes() {
    let examples = response_examples(SPEC, PATH, "get");
    let names: Vec<_> = examples.iter().map(|e| format!("{} {}", e.status, e.name)).collect();
    assert_eq!(names, ["200 image_list", "200 last_page", "401 token_invalid"]);
    let server = MockServer::start().await;
    let client: Client = single_attempt_client!(yandex_compute_client, server.uri());
    for example in &examples {
        let status = example.http_status(409);
        server.reset().await;
        serve(&server, json(status, &example.value)).await;
        let result = client.list_images(FOLDER).send().await;
        if status == 200 {
            let page: ListImagesResponse = result.unwrap_or_else(|e| panic!("{}: {e:?}", example.name));
            let images = page.images.as_ref().unwrap();
            if example.name == "image_list" {
                assert_eq!(page.next_page_token.as_deref(), Some("fd8qrstuvwxyz0123456"));
                assert_eq!(images.len(), 2);
                assert_eq!(images[0].storage_size, Some(3_879_731_200));
                assert_eq!(images[0].labels.as_ref().unwrap()["team"], "platform");
                assert_eq!(images[0].status, Some(ImageStatus::Ready));
                assert_eq!(images[1].size, Some(21_474_836_480));
                assert_eq!(images[1].status, Some(ImageStatus::Creating));
                assert_eq!(images[1].created_at.timestamp_subsec_nanos(), 123_456_789, "nanoseconds kept");
                assert_eq!(images[1].os.as_ref().unwrap().nvidia.as_ref().unwrap().driver.as_deref(), Some("535"));
                let legacy = images[1].hardware_generation.as_ref().unwrap().legacy_features.as_ref().unwrap();
                assert_eq!(legacy.pci_topology, Some(PciTopology::PciTopologyV2));
            } else {
                assert_eq!(page.next_page_token, None);
                assert_eq!(images[0].os.as_ref().unwrap().type_, Some(OsType::Windows));
                assert!(images[0].hardware_generation.as_ref().unwrap().generation2_features.is_some());
            }
            assert_eq!(serde_json::to_value(&page).unwrap(), example.value, "{} round trip", example.name);
        } else {
            match result {
                Err(Error::Api(api)) => {
                    let (name, body) = variant(&api.body);
                    assert_eq!(name, "Unauthorized", "{}", example.name);
                    assert_eq!(body.code, 16);
                    let details = body.details.as_ref().unwrap();
                    assert_eq!(details[0].type_, "type.googleapis.com/google.rpc.RequestInfo");
                    assert_eq!(details[0].additional_properties["requestId"], "e38e71c3-adc6-4584-98a4-b0f103d55f61");
                    assert_eq!(serde_json::to_value(body).unwrap(), example.value, "{}", example.name);
                }
                other => panic!("{}: expected Error::Api, got {other:?}", example.name),
            }
        }
        assert_eq!(received(&server).await.len(), 1, "{}", example.name);
    }
}

#[tokio::test]
async fn every_documented_error_status_decodes_into_its_variant() {
    let documented = documented_error_statuses(SPEC, PATH, "get");
    assert_eq!(documented, [400, 401, 403, 404, 429, 500, 503, 504]);
    assert!(documented_statuses(SPEC, PATH, "get").contains(&"default".to_owned()));
    let expected = [
        (400, 3, "BadRequest"),
        (401, 16, "Unauthorized"),
        (403, 7, "Forbidden"),
        (404, 5, "NotFound"),
        (429, 8, "TooManyRequests"),
        (500, 13, "InternalServerError"),
        (503, 14, "ServiceUnavailable"),
        (504, 4, "GatewayTimeout"),
        // Not documented: `default`.
        (409, 6, "Other"),
        (501, 12, "Other"),
    ];
    assert_eq!(expected[..8].iter().map(|e| e.0).collect::<Vec<_>>(), documented);
    let server = MockServer::start().await;
    let client: Client = single_attempt_client!(yandex_compute_client, server.uri());
    for (status, code, name) in expected {
        server.reset().await;
        serve(&server, json(status, &status_body(code, &format!("status {status}")))).await;
        let error = client.list_images(FOLDER).send().await.expect_err("an error status");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        let (variant_name, body) = variant(error.api_body().unwrap_or_else(|| panic!("{status}: {error:?}")));
        assert_eq!(variant_name, name, "{status}");
        assert_eq!(body.code, code);
        assert_eq!(body.message, format!("status {status}"));
        assert_eq!(received(&server).await.len(), 1, "{status}: retries are disabled");
    }
}

/// Mounts three pages of two images linked by tokens; page 2's `nextPageToken` is `next_of_2`.
async fn mount_three_pages(server: &MockServer, next_of_2: &str) {
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param_is_missing("pageToken"))
        .respond_with(json(200, &page_body(&[1, 2], Some("tok-2"))))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("pageToken", "tok-2"))
        .respond_with(json(200, &page_body(&[3, 4], Some(next_of_2))))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("pageToken", "tok=3/?"))
        .respond_with(json(200, &page_body(&[5, 6], None)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn pages_follow_next_page_token() {
    let server = MockServer::start().await;
    mount_three_pages(&server, "tok=3/?").await;
    let client: Client = client!(yandex_compute_client, server.uri());
    let images: Vec<Image> =
        client.list_images(FOLDER).page_size(2).filter("status=\"READY\"").items().try_collect().await.unwrap();
    let names: Vec<_> = images.iter().map(|i| i.name.clone().unwrap()).collect();
    assert_eq!(names, (1..=6).map(|n| format!("image-{n}")).collect::<Vec<_>>());
    let requests = received(&server).await;
    let first = format!("folderId={FOLDER}&pageSize=2&filter=status%3D%22READY%22");
    let expected = [first.clone(), format!("{first}&pageToken=tok-2"), format!("{first}&pageToken=tok%3D3%2F%3F")];
    assert_eq!(requests.len(), expected.len(), "exactly three requests");
    for (request, query) in requests.iter().zip(&expected) {
        assert_get(request, PATH, query);
        assert_bearer(request);
    }
}

#[tokio::test]
async fn an_empty_page_without_images_still_pages_on() {
    // Protobuf JSON leaves `images` out of an empty page; the token still leads on.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param_is_missing("pageToken"))
        .respond_with(json(200, &json!({"nextPageToken": "a"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("pageToken", "a"))
        .respond_with(json(200, &json!({"images": [image(1)], "nextPageToken": "b"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("pageToken", "b"))
        .respond_with(json(200, &json!({"images": [image(2)], "nextPageToken": ""})))
        .mount(&server)
        .await;
    let client: Client = client!(yandex_compute_client, server.uri());
    let pages: Vec<ListImagesResponse> = client.list_images(FOLDER).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 3, "an empty token ends the listing");
    assert_eq!(pages[0].images, None);
    assert_eq!(
        queries(&server).await,
        [
            format!("folderId={FOLDER}"),
            format!("folderId={FOLDER}&pageToken=a"),
            format!("folderId={FOLDER}&pageToken=b")
        ]
    );
}

#[tokio::test]
async fn repeated_page_token_is_a_pagination_error() {
    let server = MockServer::start().await;
    // Page 2 hands out its own token again.
    mount_three_pages(&server, "tok-2").await;
    let client: Client = client!(yandex_compute_client, server.uri());
    let results: Vec<_> = client.list_images(FOLDER).page_size(2).pages().collect().await;
    assert_eq!(results.len(), 3, "two pages, then the error: {results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    match &results[2] {
        Err(Error::Pagination(PaginationError::RepeatedCursor { cursor, page })) => {
            assert_eq!(cursor, "tok-2");
            assert_eq!(*page, 3);
        }
        other => panic!("expected a repeated cursor error, got {other:?}"),
    }
    assert_eq!(
        queries(&server).await,
        [format!("folderId={FOLDER}&pageSize=2"), format!("folderId={FOLDER}&pageSize=2&pageToken=tok-2")]
    );
}

#[tokio::test]
async fn too_many_requests_with_retry_after_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .respond_with(json(429, &status_body(8, "Quota limit exceeded")).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, json(200, &page_body(&[1], None))).await;
    let client: Client = client!(yandex_compute_client, server.uri());
    let started = Instant::now();
    let page = client.list_images(FOLDER).send().await.expect("succeeds after the retry");
    let elapsed = started.elapsed();
    assert_eq!(page.images.unwrap().len(), 1);
    assert!(elapsed >= Duration::from_millis(950), "Retry-After: 1 honoured, waited {elapsed:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_get(request, PATH, &format!("folderId={FOLDER}"));
        assert_bearer(request);
    }
}

#[tokio::test]
async fn service_unavailable_forever_stops_after_max_attempts() {
    let server = MockServer::start().await;
    serve(&server, json(503, &status_body(14, "unavailable"))).await;
    let client: Client = client!(yandex_compute_client, server.uri());
    let error = client.list_images(FOLDER).send().await.expect_err("never recovers");
    match &error {
        Error::Api(api) => assert_eq!(variant(&api.body).0, "ServiceUnavailable"),
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), MAX_ATTEMPTS as usize);
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let server = MockServer::start().await;
    let mut body = page_body(&[1], None);
    body["images"][0]["status"] = json!("MIGRATING");
    body["images"][0]["os"]["type"] = json!("FREEBSD");
    body["images"][0]["hardwareGeneration"] = json!({"legacyFeatures": {"pciTopology": "PCI_TOPOLOGY_V3"}});
    serve(&server, json(200, &body)).await;
    let client: Client = client!(yandex_compute_client, server.uri());
    let page = client.list_images(FOLDER).send().await.expect("unknown values decode");
    let image = &page.images.as_ref().unwrap()[0];
    assert_eq!(image.status, Some(ImageStatus::Unknown("MIGRATING".into())));
    assert_eq!(image.os.as_ref().unwrap().type_, Some(OsType::Unknown("FREEBSD".into())));
    let legacy = image.hardware_generation.as_ref().unwrap().legacy_features.as_ref().unwrap();
    assert_eq!(legacy.pci_topology, Some(PciTopology::Unknown("PCI_TOPOLOGY_V3".into())));
    assert_eq!(serde_json::to_value(&page).unwrap(), body);
}

#[tokio::test]
async fn malformed_json_names_the_field() {
    let server = MockServer::start().await;
    let client: Client = client!(yandex_compute_client, server.uri());
    let good = image(1).to_string();
    let cases = [
        (format!(r#"{{"images": [{}]}}"#, good.replace("\"3879731200\"", "\"3.8 GB\"")), "images[0].storageSize"),
        (
            format!(r#"{{"images": [{good}, {}]}}"#, good.replace("2024-05-14T10:21:37Z", "14/05/2024")),
            "images[1].createdAt",
        ),
        (format!(r#"{{"images": [{}]}}"#, good.replace("\"LINUX\"", "LINUX")), "images[0].os.type"),
        (format!(r#"{{"images": [{good}], "nextPageToken": 7}}"#), "nextPageToken"),
    ];
    for (body, field) in cases {
        server.reset().await;
        serve(&server, raw_json(200, &body)).await;
        match client.list_images(FOLDER).send().await {
            Err(Error::Decode(decode)) => assert_eq!(decode.path, field, "{decode:?}"),
            other => panic!("{field}: expected Error::Decode, got {other:?}"),
        }
        assert_eq!(received(&server).await.len(), 1);
    }
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    serve(&server, json(200, &page_body(&[1], None)).set_delay(SLOW)).await;
    let client: Client = timeout_client!(yandex_compute_client, server.uri());
    let started = Instant::now();
    let result = client.list_images(FOLDER).send().await;
    let elapsed = started.elapsed();
    assert!(
        matches!(result, Err(Error::Timeout { attempts: 1, deadline: false, .. })),
        "expected a per-attempt timeout, got {result:?}"
    );
    assert!(elapsed >= TIMEOUT && elapsed < SLOW, "gave up after {elapsed:?}");
    assert_eq!(received(&server).await.len(), 1);
}
