//! Rackspace Cloud Images (`specs/rackspace.yaml`): `GET {base}/images` on a regional `.../v2` endpoint,
//! `X-Auth-Token` auth, marker pagination by following the relative `next` link.

use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use rackspace_client::runtime::{BuildError, Error, PaginationError};
use rackspace_client::types::{Fault, Image, ListImagesResponse, SortDir, Visibility};
use rackspace_client::{Client, ListImagesError};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const SPEC: &str = "rackspace.yaml";
const PATH: &str = "/v2/images";
const MARKER: &str = "e6421c88-b1ed-4407-8824-b57298249091";

/// The base URL as the vendor has it (`https://dfw.images.api.rackspacecloud.com/v2`), on the mock server.
fn base(server: &MockServer) -> String {
    format!("{}/v2", server.uri())
}

async fn serve(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET")).and(path(PATH)).respond_with(response).mount(server).await;
}

/// A deterministic image id for `n`.
fn id(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn image(n: u32) -> Value {
    json!({
        "id": id(n), "name": format!("image-{n}"), "status": "active", "visibility": "public",
        "size": 2254249, "checksum": "2cec138d7dae2aa59038ef8c9aec2390",
        "self": format!("/v2/images/{}", id(n)), "file": format!("/v2/images/{}/file", id(n))
    })
}

fn page_body(ns: &[u32], next: Option<String>) -> Value {
    let mut body = json!({
        "images": ns.iter().map(|n| image(*n)).collect::<Vec<_>>(),
        "first": "/v2/images?limit=2",
        "schema": "/v2/schemas/images"
    });
    if let Some(next) = next {
        body["next"] = json!(next);
    }
    body
}

fn fault(name: &str, code: u16) -> Value {
    json!({name: {"code": code, "title": name, "message": format!("{name} happened"), "details": "d"}})
}

fn variant(error: &ListImagesError) -> (&'static str, &std::collections::BTreeMap<String, Fault>) {
    match error {
        ListImagesError::BadRequest(b) => ("BadRequest", b),
        ListImagesError::Unauthorized(b) => ("Unauthorized", b),
        ListImagesError::Forbidden(b) => ("Forbidden", b),
        ListImagesError::MethodNotAllowed(b) => ("MethodNotAllowed", b),
        ListImagesError::PayloadTooLarge(b) => ("PayloadTooLarge", b),
        ListImagesError::UnsupportedMediaType(b) => ("UnsupportedMediaType", b),
        ListImagesError::InternalServerError(b) => ("InternalServerError", b),
        ListImagesError::ServiceUnavailable(b) => ("ServiceUnavailable", b),
        other => panic!("unknown variant {other:?}"),
    }
}

#[tokio::test]
async fn every_parameter_and_the_auth_token_are_sent_exactly() {
    let server = MockServer::start().await;
    serve(&server, json(200, &page_body(&[1], None))).await;
    let client: Client = client!(rackspace_client, base(&server));
    client.list_images().send().await.unwrap();
    client
        .list_images()
        .limit(3)
        .marker(MARKER.parse().unwrap())
        .name("Ubuntu 22.04 (PVHVM)")
        .visibility(Visibility::Public)
        .owner("a&b")
        .size_min(1048576)
        .size_max(4194304)
        .sort_key("created_at")
        .sort_dir(SortDir::Desc)
        .send()
        .await
        .unwrap();
    client.list_images().visibility(Visibility::Shared).sort_dir(SortDir::Asc).send().await.unwrap();

    let requests = received(&server).await;
    let expected = [
        "",
        "limit=3&marker=e6421c88-b1ed-4407-8824-b57298249091&name=Ubuntu+22.04+%28PVHVM%29&visibility=public\
         &owner=a%26b&size_min=1048576&size_max=4194304&sort_key=created_at&sort_dir=desc",
        "visibility=shared&sort_dir=asc",
    ];
    assert_eq!(requests.len(), expected.len());
    for (request, query) in requests.iter().zip(expected) {
        assert_get(request, PATH, query);
        // The token goes in X-Auth-Token, never as a bearer token.
        assert_only_auth(request, "x-auth-token", TOKEN);
        assert!(request.headers.get("authorization").is_none());
    }
}

#[tokio::test]
async fn negative_numbers_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client: Client = client!(rackspace_client, base(&server));
    for (result, parameter) in [
        (client.list_images().limit(-1).send().await, "limit"),
        (client.list_images().size_min(-1).send().await, "size_min"),
        (client.list_images().size_max(-5).send().await, "size_max"),
    ] {
        assert!(matches!(&result, Err(Error::Validation(v)) if v.parameter == parameter), "{parameter}: {result:?}");
    }
    assert!(received(&server).await.is_empty());
}

#[test]
fn region_server_variable_picks_the_endpoint() {
    let client = Client::builder().token(TOKEN).build().unwrap();
    assert_eq!(client.runtime().base_url().as_str(), "https://dfw.images.api.rackspacecloud.com/v2");
    let client = Client::builder().server_variable("region", "lon").token(TOKEN).build().unwrap();
    assert_eq!(client.runtime().base_url().as_str(), "https://lon.images.api.rackspacecloud.com/v2");
    let error = Client::builder().server_variable("region", "mars").build().expect_err("not an allowed region");
    assert!(matches!(error, BuildError::InvalidServerVariable { ref name, .. } if name == "region"), "{error:?}");
}

#[tokio::test]
async fn every_spec_example_decodes() {
    let examples = response_examples(SPEC, "/images", "get");
    let names: Vec<_> = examples.iter().map(|e| format!("{} {}", e.status, e.name)).collect();
    // The vendor page shows no error bodies, so the only example is the list; error bodies are covered by
    // `every_documented_error_status_decodes_into_its_variant`.
    assert_eq!(names, ["200 image_list"]);
    let server = MockServer::start().await;
    let client: Client = single_attempt_client!(rackspace_client, base(&server));
    for example in &examples {
        server.reset().await;
        serve(&server, json(example.http_status(400), &example.value)).await;
        let page: ListImagesResponse = client.list_images().send().await.unwrap();
        assert_eq!(page.images.len(), 2);
        assert_eq!(page.images[0].id.to_string(), "da3b75d9-3f4a-40e7-8a2c-bfab23927dea");
        assert_eq!(page.images[0].visibility, Visibility::Public);
        assert_eq!(page.images[0].size, Some(Some(2254249)));
        assert_eq!(page.images[1].name, Some(Some("cirros-0.3.0-x86_64-uec".into())));
        assert_eq!(page.next.as_deref(), Some("/v2/images?limit=3&marker=e6421c88-b1ed-4407-8824-b57298249091"));
        assert_eq!(serde_json::to_value(&page).unwrap(), example.value, "{} round trip", example.name);
        assert_eq!(received(&server).await.len(), 1);
    }
}

#[tokio::test]
async fn every_documented_error_status_decodes_into_its_variant() {
    let documented = documented_error_statuses(SPEC, "/images", "get");
    assert_eq!(documented, [400, 401, 403, 405, 413, 415, 500, 503]);
    let expected = [
        (400, "BadRequest", "badRequest"),
        (401, "Unauthorized", "unauthorized"),
        (403, "Forbidden", "forbidden"),
        (405, "MethodNotAllowed", "badMethod"),
        (413, "PayloadTooLarge", "overLimit"),
        (415, "UnsupportedMediaType", "badMediaType"),
        (500, "InternalServerError", "error"),
        (503, "ServiceUnavailable", "serviceUnavailable"),
    ];
    assert_eq!(expected.map(|e| e.0).to_vec(), documented);
    let server = MockServer::start().await;
    let client: Client = single_attempt_client!(rackspace_client, base(&server));
    for (status, name, fault_name) in expected {
        server.reset().await;
        serve(&server, json(status, &fault(fault_name, status)).insert_header("x-openstack-request-id", "req-42"))
            .await;
        let error = client.list_images().send().await.expect_err("an error status");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.request_id(), Some("req-42"));
        let (variant_name, body) = variant(error.api_body().unwrap_or_else(|| panic!("{status}: {error:?}")));
        assert_eq!(variant_name, name);
        let fault = &body[fault_name];
        assert_eq!(fault.code, Some(i64::from(status)));
        assert_eq!(fault.message.as_deref(), Some(format!("{fault_name} happened").as_str()));
        assert_eq!(received(&server).await.len(), 1, "{status}: retries are disabled");
    }
    // A status the spec does not document is not forced into a variant.
    server.reset().await;
    serve(&server, json(404, &fault("itemNotFound", 404))).await;
    match client.list_images().send().await {
        Err(Error::UnexpectedStatus(response)) => {
            assert_eq!(response.status.as_u16(), 404);
            assert!(response.body_text().contains("itemNotFound"));
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
}

/// Mounts three pages of two images linked by `next`; page 2's `next` is `next_of_2`.
async fn mount_three_pages(server: &MockServer, next_of_2: String) {
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param_is_missing("marker"))
        .respond_with(json(200, &page_body(&[1, 2], Some(format!("/v2/images?limit=2&marker={}", id(2))))))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("marker", id(2)))
        .respond_with(json(200, &page_body(&[3, 4], Some(next_of_2))))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("marker", id(4)))
        .respond_with(json(200, &page_body(&[5, 6], None)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn pages_follow_the_next_link() {
    let server = MockServer::start().await;
    mount_three_pages(&server, format!("/v2/images?limit=2&marker={}", id(4))).await;
    let client: Client = client!(rackspace_client, base(&server));
    let items: Vec<Result<Image, _>> = client.list_images().limit(2).items().collect().await;
    let requests = received(&server).await;
    let queries: Vec<_> = requests.iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect();
    // The vendor contract: follow `next` until a page has none. Page 3 has no `next`, so it is the last.
    assert_eq!(
        queries,
        ["limit=2".to_owned(), format!("limit=2&marker={}", id(2)), format!("limit=2&marker={}", id(4))],
        "exactly three requests, following `next`"
    );
    let ids: Vec<String> = items.into_iter().map(|i| i.expect("every item decodes").id.to_string()).collect();
    assert_eq!(ids, (1..=6).map(id).collect::<Vec<_>>());
    for request in &requests {
        assert_eq!(request.url.path(), PATH, "the relative link is resolved without doubling /v2");
        assert_only_auth(request, "x-auth-token", TOKEN);
    }
}

#[tokio::test]
async fn next_link_is_followed_as_sent() {
    // The server's `next` link is followed as-is: its query (not the first request's) is what is sent.
    let server = MockServer::start().await;
    mount_three_pages(&server, format!("/v2/images?limit=2&visibility=public&marker={}", id(4))).await;
    let client: Client = client!(rackspace_client, base(&server));
    let pages: Vec<ListImagesResponse> = client
        .list_images()
        .limit(2)
        .visibility(Visibility::Public)
        .paginate()
        .max_pages(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        queries(&server).await,
        [
            "limit=2&visibility=public".to_owned(),
            format!("limit=2&marker={}", id(2)),
            format!("limit=2&visibility=public&marker={}", id(4)),
        ]
    );
}

/// Glance behind a path prefix (regression `glance-behind-path-prefix`; a server behaviour, so no spec file).
///
/// OpenStack deployments often serve the image service under a path prefix (devstack serves it at `/image`).
/// A server at `http://HOST/image/v2/images` answers page one with
///
/// ```text
/// {"images": [...], "first": "/v2/images?limit=2", "next": "/v2/images?limit=2&marker=<last id>"}
/// ```
///
/// `next` is relative to the service root, not to the client's base URL `http://HOST/image/v2`. The client used
/// to send its second request to `/image/v2/v2/images?limit=2&marker=...` (404). Right:
/// `/image/v2/images?limit=2&marker=...`, for any prefix, while links that already carry the prefix keep working.
///
/// Five pages under two different prefixes; the next links are, in turn: root-relative (`/v2/images?...`), already
/// prefixed (`/image/v2/images?...`), relative without a leading slash (`images?...`) and absolute.
#[tokio::test]
async fn glance_behind_path_prefix_pages_stay_under_the_prefix() {
    for prefix in ["/image", "/cloud/region-1/image"] {
        let server = MockServer::start().await;
        let service = format!("{prefix}/v2/images");
        let links = [
            Some(format!("/v2/images?limit=2&marker={}", id(2))),
            Some(format!("{prefix}/v2/images?limit=2&marker={}", id(4))),
            Some(format!("images?limit=2&marker={}", id(6))),
            Some(format!("{}{prefix}/v2/images?limit=2&marker={}", server.uri(), id(8))),
            None,
        ];
        for (page, next) in links.into_iter().enumerate() {
            let first = page as u32 * 2 + 1;
            let mock = Mock::given(method("GET")).and(path(service.as_str()));
            let mock = if page == 0 {
                mock.and(query_param_is_missing("marker"))
            } else {
                mock.and(query_param("marker", id(first - 1)))
            };
            mock.respond_with(json(200, &page_body(&[first, first + 1], next))).expect(1).mount(&server).await;
        }
        let client: Client = client!(rackspace_client, format!("{}{prefix}/v2", server.uri()));
        let items: Vec<Image> = client.list_images().limit(2).items().try_collect().await.unwrap();
        assert_eq!(
            items.into_iter().map(|i| i.id.to_string()).collect::<Vec<_>>(),
            (1..=10).map(id).collect::<Vec<_>>()
        );
        let requests = received(&server).await;
        let targets: Vec<String> =
            requests.iter().map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or(""))).collect();
        let mut expected = vec![format!("{service}?limit=2")];
        expected.extend([2, 4, 6, 8].map(|n| format!("{service}?limit=2&marker={}", id(n))));
        assert_eq!(targets, expected, "every page under {prefix}, none under {prefix}/v2/v2");
        for request in &requests {
            assert_only_auth(request, "x-auth-token", TOKEN);
        }
    }
}

#[tokio::test]
async fn repeated_next_link_is_a_pagination_error() {
    let server = MockServer::start().await;
    // Page 2 links to itself.
    mount_three_pages(&server, format!("/v2/images?limit=2&marker={}", id(2))).await;
    let client: Client = client!(rackspace_client, base(&server));
    let results: Vec<_> = client.list_images().limit(2).pages().collect().await;
    assert_eq!(results.len(), 3, "two pages, then the error: {results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    assert!(
        matches!(&results[2], Err(Error::Pagination(PaginationError::RepeatedCursor { cursor, .. })) if cursor.contains(&id(2))),
        "{:?}",
        results[2]
    );
    assert_eq!(queries(&server).await, ["limit=2".to_owned(), format!("limit=2&marker={}", id(2))]);
}

#[tokio::test]
async fn too_many_requests_with_retry_after_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .respond_with(json(429, &fault("overLimit", 429)).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, json(200, &page_body(&[1], None))).await;
    let client: Client = client!(rackspace_client, base(&server));
    let started = Instant::now();
    let page = client.list_images().limit(1).send().await.expect("succeeds after the retry");
    let elapsed = started.elapsed();
    assert_eq!(page.images.len(), 1);
    assert!(elapsed >= Duration::from_millis(950), "Retry-After: 1 honoured, waited {elapsed:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_get(request, PATH, "limit=1");
        assert_only_auth(request, "x-auth-token", TOKEN);
    }
}

#[tokio::test]
async fn service_unavailable_forever_stops_after_max_attempts() {
    let server = MockServer::start().await;
    serve(&server, json(503, &fault("serviceUnavailable", 503))).await;
    let client: Client = client!(rackspace_client, base(&server));
    let error = client.list_images().send().await.expect_err("never recovers");
    match &error {
        Error::Api(api) => assert_eq!(variant(&api.body).0, "ServiceUnavailable"),
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), MAX_ATTEMPTS as usize);
}

#[tokio::test]
async fn unknown_enum_value_is_kept() {
    let server = MockServer::start().await;
    let mut body = page_body(&[1, 2], None);
    body["images"][0]["visibility"] = json!("community");
    body["images"][1]["status"] = json!("importing");
    serve(&server, json(200, &body)).await;
    let client: Client = client!(rackspace_client, base(&server));
    let page = client.list_images().send().await.expect("unknown values decode");
    assert_eq!(page.images[0].visibility, Visibility::Unknown("community".into()));
    assert_eq!(page.images[1].status, "importing");
    assert_eq!(serde_json::to_value(&page).unwrap(), body);
}

#[tokio::test]
async fn malformed_json_names_the_field() {
    let server = MockServer::start().await;
    let client: Client = client!(rackspace_client, base(&server));
    let good = image(1).to_string();
    let cases = [
        (format!(r#"{{"images": [{good}, {{"id": "not-a-uuid"}}]}}"#), "images[1].id"),
        (format!(r#"{{"images": [{}]}}"#, good.replace("2254249", "\"big\"")), "images[0].size"),
        (format!(r#"{{"images": [{}]}}"#, good.replace("\"public\"", "public")), "images[0].visibility"),
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
    serve(&server, json(200, &page_body(&[1], None)).set_delay(SLOW)).await;
    let client: Client = timeout_client!(rackspace_client, base(&server));
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
