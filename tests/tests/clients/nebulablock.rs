//! NebulaBlock (`specs/nebulablock.yaml`): `GET /computing/images`, bearer auth, `{data, message, status}`
//! envelope with `status: failed` reporting errors inside a 200 (`x-error-when`).
//!
//! The list is not paginated (the spec has no `x-pagination` and the generated builder has no `pages()`), so
//! there are no paging or repeated-cursor tests here.

use std::time::Instant;

use nebulablock_client::runtime::Error;
use nebulablock_client::types::{ErrorResponse, ImageId, ListImagesResponse, Status};
use nebulablock_client::{Client, ListImagesError};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const SPEC: &str = "nebulablock.yaml";
const PATH: &str = "/api/v1/computing/images";

/// The base URL as the vendor has it (`https://api.nebulablock.com/api/v1`), on the mock server.
fn base(server: &MockServer) -> String {
    format!("{}/api/v1", server.uri())
}

async fn serve(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET")).and(path(PATH)).respond_with(response).mount(server).await;
}

fn ok_body() -> serde_json::Value {
    json!({
        "data": {"CANADA": [{"id": 1, "dc_id": 1, "os_name": "Ubuntu Server 22.04 LTS", "os_type": "Ubuntu", "region": "CANADA"}]},
        "message": "All OS retrieved successfully",
        "status": "success"
    })
}

#[tokio::test]
async fn request_is_a_bare_get_with_bearer_auth() {
    let server = MockServer::start().await;
    serve(&server, json(200, &ok_body())).await;
    let client: Client = client!(nebulablock_client, base(&server));
    let page = client.list_images().send().await.expect("list succeeds");
    assert_eq!(page.status, Status::Success);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_get(&requests[0], PATH, "");
    assert!(requests[0].url.query().is_none(), "no query at all: {}", requests[0].url);
    assert_bearer(&requests[0]);
    assert!(requests[0].body.is_empty(), "a GET has no body");
}

#[tokio::test]
async fn every_spec_example_decodes() {
    let examples = response_examples(SPEC, "/computing/images", "get");
    let names: Vec<_> = examples.iter().map(|e| format!("{} {}", e.status, e.name)).collect();
    assert_eq!(names, ["200 numeric_ids", "200 string_ids", "200 failed"], "the spec's examples");

    let server = MockServer::start().await;
    let client: Client = single_attempt_client!(nebulablock_client, base(&server));
    for example in &examples {
        server.reset().await;
        serve(&server, json(example.http_status(500), &example.value)).await;
        let result = client.list_images().send().await;
        if example.value["status"] == "failed" {
            // x-error-when: a 200 whose status is `failed` is an error carrying the message.
            match result {
                Err(Error::Failure { status, message }) => {
                    assert_eq!(status.as_u16(), 200, "{}", example.name);
                    assert_eq!(message.as_deref(), Some("Invalid token"), "{}", example.name);
                }
                other => panic!("{}: expected Error::Failure, got {other:?}", example.name),
            }
        } else {
            let page: ListImagesResponse = result.unwrap_or_else(|e| panic!("{}: {e:?}", example.name));
            assert_eq!(page.status, Status::Success);
            let data = page.data.clone().flatten().expect("data present");
            let total: usize = data.values().map(Vec::len).sum();
            let expected_total: usize =
                example.value["data"].as_object().unwrap().values().map(|v| v.as_array().unwrap().len()).sum();
            assert_eq!(total, expected_total, "{}", example.name);
            let numeric = example.name == "numeric_ids";
            for image in data.values().flatten() {
                assert_eq!(matches!(image.id, ImageId::Integer(_)), numeric, "{}: {:?}", example.name, image.id);
                assert_eq!(image.dc_region_id.is_some(), numeric, "{}", example.name);
            }
            // Nothing lost or invented: the typed value writes back as the example.
            assert_eq!(serde_json::to_value(&page).unwrap(), example.value, "{} round trip", example.name);
        }
        assert_eq!(received(&server).await.len(), 1, "{}", example.name);
    }
}

#[tokio::test]
async fn numeric_and_string_ids_keep_their_values() {
    let server = MockServer::start().await;
    serve(
        &server,
        json(
            200,
            &json!({"data": {"CANADA": [
                {"id": 42654, "dc_id": 2, "os_name": "a", "os_type": "Ubuntu", "region": "CANADA"},
                {"id": "exoscee6e762-1d11-4f65-a7d6-8c0670b603b2", "dc_id": 2, "os_name": "b", "os_type": "Ubuntu", "region": "CANADA"}
            ]}, "message": "ok", "status": "success"}),
        ),
    )
    .await;
    let client: Client = client!(nebulablock_client, base(&server));
    let page = client.list_images().send().await.unwrap();
    let images = &page.data.unwrap().unwrap()["CANADA"];
    assert_eq!(images[0].id, ImageId::Integer(42654));
    assert_eq!(images[1].id, ImageId::String("exoscee6e762-1d11-4f65-a7d6-8c0670b603b2".into()));
}

#[tokio::test]
async fn regions_come_back_in_a_stable_order() {
    // The same regions sent in two different key orders come back in one order (sorted by name), and the
    // images of each region keep the server's order.
    let image = |id: i64, region: &str| {
        format!(r#"{{"id": {id}, "dc_id": 2, "os_name": "os{id}", "os_type": "Ubuntu", "region": "{region}"}}"#)
    };
    let body = |order: &[&str]| {
        let regions: Vec<String> =
            order.iter().map(|r| format!(r#""{r}": [{}, {}, {}]"#, image(3, r), image(1, r), image(2, r))).collect();
        format!(r#"{{"data": {{{}}}, "message": "ok", "status": "success"}}"#, regions.join(", "))
    };
    let server = MockServer::start().await;
    let client: Client = client!(nebulablock_client, base(&server));
    let mut seen = Vec::new();
    for order in [["NORWAY", "CANADA", "USA", "ASIA"], ["USA", "ASIA", "NORWAY", "CANADA"]] {
        server.reset().await;
        serve(&server, raw_json(200, &body(&order))).await;
        let data = client.list_images().send().await.unwrap().data.unwrap().unwrap();
        let regions: Vec<&String> = data.keys().collect();
        assert_eq!(regions, ["ASIA", "CANADA", "NORWAY", "USA"]);
        for (region, images) in &data {
            let ids: Vec<_> = images.iter().map(|i| i.id.clone()).collect();
            assert_eq!(ids, [ImageId::Integer(3), ImageId::Integer(1), ImageId::Integer(2)], "{region}");
            assert!(images.iter().all(|i| &i.region == region));
        }
        seen.push(format!("{data:?}"));
    }
    assert_eq!(seen[0], seen[1], "both key orders give the same value");
}

#[tokio::test]
async fn failed_status_in_a_200_is_a_failure_with_the_message() {
    let server = MockServer::start().await;
    let client: Client = client!(nebulablock_client, base(&server));
    let bodies = [
        json!({"data": null, "message": "Insufficient balance", "status": "failed"}),
        json!({"message": "Insufficient balance", "status": "failed"}),
        json!({"data": {}, "message": "Insufficient balance", "status": "failed"}),
    ];
    for body in &bodies {
        server.reset().await;
        serve(&server, json(200, body)).await;
        match client.list_images().send().await {
            Err(Error::Failure { status, message }) => {
                assert_eq!(status.as_u16(), 200);
                assert_eq!(message.as_deref(), Some("Insufficient balance"), "{body}");
            }
            other => panic!("{body}: expected Error::Failure, got {other:?}"),
        }
        assert_eq!(received(&server).await.len(), 1, "a failure in a 200 is not retried");
    }
}

#[tokio::test]
async fn every_error_status_decodes_into_the_default_variant() {
    // The spec documents only `default`: every error status is `ListImagesError::Other(ErrorResponse)`.
    assert_eq!(documented_statuses(SPEC, "/computing/images", "get"), ["200", "default"]);
    let server = MockServer::start().await;
    let client: Client = single_attempt_client!(nebulablock_client, base(&server));
    for status in [400u16, 401, 403, 404, 409, 422, 429, 500, 502, 503] {
        server.reset().await;
        let message = format!("error {status}");
        serve(&server, json(status, &json!({"data": null, "message": message, "status": "failed"}))).await;
        let error = client.list_images().send().await.expect_err("an error status");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        match error {
            Error::Api(api) => {
                assert_eq!(api.response.status.as_u16(), status);
                match api.body {
                    ListImagesError::Other(ErrorResponse { message: m, status: s }) => {
                        assert_eq!(m.as_deref(), Some(message.as_str()));
                        assert_eq!(s, Some(Status::Failed));
                    }
                    other => panic!("{status}: {other:?}"),
                }
            }
            other => panic!("{status}: expected Error::Api, got {other:?}"),
        }
        assert_eq!(received(&server).await.len(), 1, "{status}: retries are disabled");
    }
}

#[tokio::test]
async fn too_many_requests_with_retry_after_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .respond_with(json(429, &json!({"message": "slow down", "status": "failed"})).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, json(200, &ok_body())).await;
    let client: Client = client!(nebulablock_client, base(&server));
    let started = Instant::now();
    let page = client.list_images().send().await.expect("succeeds after the retry");
    let elapsed = started.elapsed();
    assert_eq!(page.status, Status::Success);
    // Backoffs are at most 10ms, so a wait of about a second is the Retry-After.
    assert!(elapsed >= std::time::Duration::from_millis(950), "waited {elapsed:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    requests.iter().for_each(assert_bearer);
}

#[tokio::test]
async fn service_unavailable_forever_stops_after_max_attempts() {
    let server = MockServer::start().await;
    serve(&server, json(503, &json!({"message": "maintenance", "status": "failed"}))).await;
    let client: Client = client!(nebulablock_client, base(&server));
    let error = client.list_images().send().await.expect_err("never recovers");
    match &error {
        Error::Api(api) => {
            assert_eq!(api.response.status.as_u16(), 503);
            assert!(matches!(&api.body, ListImagesError::Other(e) if e.message.as_deref() == Some("maintenance")));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), MAX_ATTEMPTS as usize);
}

#[tokio::test]
async fn unknown_status_value_is_kept() {
    let server = MockServer::start().await;
    let mut body = ok_body();
    body["status"] = json!("partial");
    serve(&server, json(200, &body)).await;
    let client: Client = client!(nebulablock_client, base(&server));
    let page = client.list_images().send().await.expect("an unknown status is not a failure");
    assert_eq!(page.status, Status::Unknown("partial".into()));
    assert_eq!(page.status.as_str(), "partial");
}

#[tokio::test]
async fn malformed_json_names_the_field() {
    let server = MockServer::start().await;
    let client: Client = client!(nebulablock_client, base(&server));
    let cases = [
        // A value of the wrong type.
        (
            r#"{"data": {"CANADA": [{"id": 1, "dc_id": "two", "os_name": "a", "os_type": "b", "region": "CANADA"}]}, "message": "m", "status": "success"}"#,
            "data.CANADA[0].dc_id",
        ),
        // Broken JSON syntax inside a value.
        (
            r#"{"data": {"CANADA": [{"id": 1, "dc_id": 2, "os_name": "a", "os_type": b, "region": "CANADA"}]}, "message": "m", "status": "success"}"#,
            "data.CANADA[0].os_type",
        ),
        // A required field missing.
        (r#"{"data": null, "status": "success"}"#, "message"),
    ];
    for (body, field) in cases {
        server.reset().await;
        serve(&server, raw_json(200, body)).await;
        match client.list_images().send().await {
            Err(Error::Decode(decode)) => {
                assert_eq!(decode.status.as_u16(), 200);
                assert!(decode.path.contains(field) || decode.message.contains(field), "{field}: {decode:?}");
                if field.contains('.') {
                    assert_eq!(decode.path, field, "{decode:?}");
                }
            }
            other => panic!("{field}: expected Error::Decode, got {other:?}"),
        }
        assert_eq!(received(&server).await.len(), 1, "a decode error is not retried");
    }
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    serve(&server, json(200, &ok_body()).set_delay(SLOW)).await;
    let client: Client = timeout_client!(nebulablock_client, base(&server));
    let started = Instant::now();
    let result = client.list_images().send().await;
    let elapsed = started.elapsed();
    match result {
        Err(Error::Timeout { attempts, deadline, .. }) => {
            assert_eq!(attempts, 1);
            assert!(!deadline, "the per-attempt timeout, not a deadline");
        }
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert!(elapsed >= TIMEOUT && elapsed < SLOW, "gave up after {elapsed:?}");
    assert_eq!(received(&server).await.len(), 1);
}
