//! DigitalOcean (`specs/digitalocean.yaml`): `GET /v2/images`, bearer auth, filters `type`, `private`,
//! `tag_name`, page-number pagination (`page`/`per_page`, `links.pages.next`).

use std::time::{Duration, Instant};

use digitalocean_client::runtime::{Error, PaginationError};
use digitalocean_client::types::{
    Image, ImageDistribution, ImageRegion, ImageStatus, ImageType, ImageTypeFilter, ListImagesResponse,
};
use digitalocean_client::{Client, ListImagesError};
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const SPEC: &str = "digitalocean.yaml";
const PATH: &str = "/v2/images";

async fn serve(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET")).and(path(PATH)).respond_with(response).mount(server).await;
}

fn image(id: i64) -> Value {
    json!({
        "id": id, "name": format!("image {id}"), "distribution": "Ubuntu", "slug": null, "public": false,
        "regions": ["nyc3"], "created_at": "2014-11-04T22:23:02Z", "type": "snapshot", "min_disk_size": 20,
        "size_gigabytes": 2.34, "description": "", "tags": [], "status": "available", "error_message": ""
    })
}

fn page_body(ids: &[i64], pages: Value, total: i64) -> Value {
    json!({"images": ids.iter().map(|id| image(*id)).collect::<Vec<_>>(), "links": {"pages": pages}, "meta": {"total": total}})
}

fn single_page() -> Value {
    page_body(&[1, 2], json!({}), 2)
}

fn error_body(id: &str, message: &str) -> Value {
    json!({"id": id, "message": message, "request_id": "4d9d8375-3c56-4925-a3e7-eb137fed17e9"})
}

/// The variant name of a documented error, for comparing with the status it belongs to.
fn variant(error: &ListImagesError) -> (&'static str, &digitalocean_client::types::Error) {
    match error {
        ListImagesError::Unauthorized(b) => ("Unauthorized", b),
        ListImagesError::TooManyRequests(b) => ("TooManyRequests", b),
        ListImagesError::InternalServerError(b) => ("InternalServerError", b),
        ListImagesError::Other(b) => ("Other", b),
        other => panic!("unknown variant {other:?}"),
    }
}

fn expected_variant(status: u16) -> &'static str {
    match status {
        401 => "Unauthorized",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        _ => "Other",
    }
}

#[tokio::test]
async fn filters_and_bearer_auth_are_sent_exactly() {
    let server = MockServer::start().await;
    serve(&server, json(200, &single_page())).await;
    let client: Client = client!(digitalocean_client, server.uri());

    client.list_images().send().await.unwrap();
    client
        .list_images()
        .type_(ImageTypeFilter::Distribution)
        .private(true)
        .tag_name("base-image")
        .per_page(2)
        .page(3)
        .send()
        .await
        .unwrap();
    client.list_images().type_(ImageTypeFilter::Application).private(false).send().await.unwrap();
    // Characters that must be escaped in a query value.
    client.list_images().tag_name("web tier&db=1/ü+").send().await.unwrap();
    client.list_images().per_page(1).send().await.unwrap();
    client.list_images().per_page(200).send().await.unwrap();

    let requests = received(&server).await;
    let expected = [
        "",
        "type=distribution&private=true&tag_name=base-image&per_page=2&page=3",
        "type=application&private=false",
        "tag_name=web+tier%26db%3D1%2F%C3%BC%2B",
        "per_page=1",
        "per_page=200",
    ];
    assert_eq!(requests.len(), expected.len());
    for (request, query) in requests.iter().zip(expected) {
        assert_get(request, PATH, query);
        assert_bearer(request);
    }
    // The server decodes the escaped value back to what was set.
    let tag = requests[3].url.query_pairs().find(|(k, _)| k == "tag_name").unwrap().1.into_owned();
    assert_eq!(tag, "web tier&db=1/ü+");
}

#[tokio::test]
async fn every_spec_example_decodes() {
    let examples = response_examples(SPEC, PATH, "get");
    let names: Vec<_> = examples.iter().map(|e| format!("{} {}", e.status, e.name)).collect();
    assert_eq!(
        names,
        ["200 all_images", "401 unauthorized", "429 too_many_requests", "500 server_error", "default unexpected_error"]
    );
    let server = MockServer::start().await;
    let client: Client = single_attempt_client!(digitalocean_client, server.uri());
    for example in &examples {
        let status = example.http_status(404);
        server.reset().await;
        serve(&server, json(status, &example.value)).await;
        let result = client.list_images().send().await;
        if status == 200 {
            let page: ListImagesResponse = result.unwrap_or_else(|e| panic!("{}: {e:?}", example.name));
            assert_eq!(page.images.len(), 6);
            assert_eq!(page.meta.total, Some(6));
            assert_eq!(page.images[0].slug, Some(None), "slug: null is Some(None)");
            assert_eq!(page.images[2].slug, Some(Some("ubuntu-20-04-x64".into())));
            assert_eq!(page.images[3].distribution, Some(ImageDistribution::ArchLinux));
            assert_eq!(page.images[3].type_, Some(ImageType::Custom));
            assert_eq!(page.images[0].regions, Some(vec![ImageRegion::Nyc2, ImageRegion::Nyc3]));
            assert_eq!(page.images[0].status, Some(ImageStatus::Available));
            assert_eq!(page.images[0].created_at.unwrap().to_rfc3339(), "2014-11-04T22:23:02+00:00");
            assert_eq!(page.images[5].tags, Some(Some(vec!["simple-image".into()])));
            assert_eq!(serde_json::to_value(&page).unwrap(), example.value, "{} round trip", example.name);
        } else {
            let error = result.expect_err(&example.name);
            match error {
                Error::Api(api) => {
                    assert_eq!(api.response.status.as_u16(), status);
                    let (name, body) = variant(&api.body);
                    assert_eq!(name, expected_variant(status), "{}", example.name);
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
    assert_eq!(documented, [401, 429, 500]);
    assert!(documented_statuses(SPEC, PATH, "get").contains(&"default".to_owned()));
    let server = MockServer::start().await;
    let client: Client = single_attempt_client!(digitalocean_client, server.uri());
    // The documented statuses, then statuses that fall to `default`.
    for status in documented.iter().copied().chain([400, 403, 404, 422, 502, 503]) {
        server.reset().await;
        serve(&server, json(status, &error_body(&format!("e{status}"), "boom"))).await;
        let error = client.list_images().send().await.expect_err("an error status");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.request_id(), Some("4d9d8375-3c56-4925-a3e7-eb137fed17e9"), "{status}");
        let (name, body) = variant(error.api_body().unwrap_or_else(|| panic!("{status}: {error:?}")));
        assert_eq!(name, expected_variant(status), "{status}");
        assert_eq!(body.id, format!("e{status}"));
        assert_eq!(received(&server).await.len(), 1, "{status}: retries are disabled");
    }
}

/// Mounts three pages of two images; `next_of_2` is the `next` link of page 2.
async fn mount_three_pages(server: &MockServer, next_of_2: &str) {
    let link = |page: u32| format!("https://api.digitalocean.com/v2/images?page={page}&per_page=2&type=distribution");
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param_is_missing("page"))
        .respond_with(json(200, &page_body(&[1, 2], json!({"next": link(2), "last": link(3)}), 6)))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("page", "2"))
        .respond_with(json(
            200,
            &page_body(&[3, 4], json!({"first": link(1), "prev": link(1), "next": next_of_2, "last": link(3)}), 6),
        ))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .and(query_param("page", "3"))
        .respond_with(json(200, &page_body(&[5, 6], json!({"first": link(1), "prev": link(2)}), 6)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn pages_follow_links_pages_next() {
    let server = MockServer::start().await;
    mount_three_pages(&server, "https://api.digitalocean.com/v2/images?page=3&per_page=2&type=distribution").await;
    let client: Client = client!(digitalocean_client, server.uri());
    let images: Vec<Image> =
        client.list_images().type_(ImageTypeFilter::Distribution).per_page(2).items().try_collect().await.unwrap();
    let ids: Vec<_> = images.iter().map(|i| i.id.unwrap()).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);

    let requests = received(&server).await;
    let queries: Vec<_> = requests.iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect();
    assert_eq!(
        queries,
        ["type=distribution&per_page=2", "type=distribution&per_page=2&page=2", "type=distribution&per_page=2&page=3",]
    );
    for request in &requests {
        assert_eq!(request.url.path(), PATH, "the next link's host is not followed, only its page number");
        assert_bearer(request);
    }
}

#[tokio::test]
async fn pages_stream_and_max_pages() {
    let server = MockServer::start().await;
    mount_three_pages(&server, "https://api.digitalocean.com/v2/images?page=3&per_page=2").await;
    let client: Client = client!(digitalocean_client, server.uri());
    let pages: Vec<ListImagesResponse> = client.list_images().per_page(2).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    assert!(pages[2].links.as_ref().unwrap().pages.as_ref().unwrap().next.is_none());
    assert_eq!(queries(&server).await, ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]);

    server.reset().await;
    mount_three_pages(&server, "https://api.digitalocean.com/v2/images?page=3&per_page=2").await;
    let pages: Vec<_> = client.list_images().per_page(2).paginate().max_pages(2).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(queries(&server).await, ["per_page=2", "per_page=2&page=2"], "no page past max_pages is fetched");

    // Starting from an explicit page keeps it.
    server.reset().await;
    mount_three_pages(&server, "https://api.digitalocean.com/v2/images?page=3&per_page=2").await;
    let ids: Vec<_> = client
        .list_images()
        .per_page(2)
        .page(2)
        .items()
        .map_ok(|i| i.id.unwrap())
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert_eq!(ids, [3, 4, 5, 6]);
    assert_eq!(queries(&server).await, ["per_page=2&page=2", "per_page=2&page=3"]);
}

#[tokio::test]
async fn repeated_page_is_a_pagination_error() {
    let server = MockServer::start().await;
    // Page 2 says the next page is page 2 again.
    mount_three_pages(&server, "https://api.digitalocean.com/v2/images?page=2&per_page=2").await;
    let client: Client = client!(digitalocean_client, server.uri());
    let results: Vec<_> = client.list_images().per_page(2).pages().collect().await;
    assert_eq!(results.len(), 3, "two pages, then the error: {results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    match &results[2] {
        Err(Error::Pagination(PaginationError::RepeatedCursor { cursor, page })) => {
            assert_eq!(cursor, "2");
            assert_eq!(*page, 3);
        }
        other => panic!("expected a repeated cursor error, got {other:?}"),
    }
    assert_eq!(queries(&server).await, ["per_page=2", "per_page=2&page=2"], "the repeated page is not fetched");
}

#[tokio::test]
async fn per_page_out_of_range_is_rejected_before_sending() {
    let server = MockServer::start().await;
    serve(&server, json(200, &single_page())).await;
    let client: Client = client!(digitalocean_client, server.uri());
    for per_page in [0, 201, -1, i64::MAX] {
        match client.list_images().per_page(per_page).send().await {
            Err(Error::Validation(v)) => {
                assert_eq!(v.parameter, "per_page", "{v:?}");
                assert!(!v.message.is_empty());
            }
            other => panic!("per_page={per_page}: expected Error::Validation, got {other:?}"),
        }
        // The paginated forms fail the same way, without a request.
        let items: Vec<_> = client.list_images().per_page(per_page).items().collect().await;
        assert!(
            matches!(items.as_slice(), [Err(Error::Validation(v))] if v.parameter == "per_page"),
            "per_page={per_page}: {items:?}"
        );
    }
    match client.list_images().page(0).send().await {
        Err(Error::Validation(v)) => assert_eq!(v.parameter, "page"),
        other => panic!("page=0: expected Error::Validation, got {other:?}"),
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn too_many_requests_with_retry_after_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PATH))
        .respond_with(
            json(429, &error_body("too_many_requests", "API Rate limit exceeded.")).insert_header("Retry-After", "1"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, json(200, &single_page())).await;
    let client: Client = client!(digitalocean_client, server.uri());
    let started = Instant::now();
    let page = client.list_images().per_page(2).send().await.expect("succeeds after the retry");
    let elapsed = started.elapsed();
    assert_eq!(page.images.len(), 2);
    assert!(elapsed >= Duration::from_millis(950), "Retry-After: 1 honoured, waited {elapsed:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_get(request, PATH, "per_page=2");
        assert_bearer(request);
    }
}

#[tokio::test]
async fn service_unavailable_forever_stops_after_max_attempts() {
    let server = MockServer::start().await;
    serve(&server, json(503, &error_body("service_unavailable", "down"))).await;
    let client: Client = client!(digitalocean_client, server.uri());
    let error = client.list_images().send().await.expect_err("never recovers");
    match &error {
        Error::Api(api) => {
            assert_eq!(api.response.status.as_u16(), 503);
            assert_eq!(variant(&api.body).0, "Other", "503 falls to `default`");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), MAX_ATTEMPTS as usize);
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let server = MockServer::start().await;
    let mut body = single_page();
    body["images"][0]["type"] = json!("golden");
    body["images"][0]["distribution"] = json!("Plan 9");
    body["images"][0]["regions"] = json!(["nyc3", "mars1"]);
    body["images"][0]["status"] = json!("frozen");
    body["images"][1]["distribution"] = json!("Unknown");
    serve(&server, json(200, &body)).await;
    let client: Client = client!(digitalocean_client, server.uri());
    let page = client.list_images().send().await.expect("unknown values decode");
    let image = &page.images[0];
    assert_eq!(image.type_, Some(ImageType::Unknown("golden".into())));
    assert_eq!(image.distribution, Some(ImageDistribution::UnknownValue("Plan 9".into())));
    assert_eq!(image.regions, Some(vec![ImageRegion::Nyc3, ImageRegion::Unknown("mars1".into())]));
    assert_eq!(image.status, Some(ImageStatus::Unknown("frozen".into())));
    // `Unknown` is one of the spec's own values, distinct from the fallback.
    assert_eq!(page.images[1].distribution, Some(ImageDistribution::Unknown));
    // They are written back unchanged.
    assert_eq!(serde_json::to_value(&page).unwrap(), body);
}

#[tokio::test]
async fn malformed_json_names_the_field() {
    let server = MockServer::start().await;
    let client: Client = client!(digitalocean_client, server.uri());
    let cases = [
        (
            r#"{"images": [{"id": 1}, {"id": 2, "created_at": "yesterday"}], "meta": {"total": 2}}"#,
            "images[1].created_at",
        ),
        // Broken syntax inside the value.
        (r#"{"images": [{"id": 1, "min_disk_size": -GB}], "meta": {"total": 1}}"#, "images[0].min_disk_size"),
        (r#"{"images": [], "meta": {"total": "many"}}"#, "meta.total"),
    ];
    for (body, field) in cases {
        server.reset().await;
        serve(&server, raw_json(200, body)).await;
        match client.list_images().send().await {
            Err(Error::Decode(decode)) => {
                assert_eq!(decode.path, field, "{decode:?}");
                assert_eq!(decode.status.as_u16(), 200);
                assert!(!decode.snippet.is_empty() && decode.snippet.len() <= 220, "{decode:?}");
            }
            other => panic!("{field}: expected Error::Decode, got {other:?}"),
        }
        assert_eq!(received(&server).await.len(), 1);
    }
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = MockServer::start().await;
    serve(&server, json(200, &single_page()).set_delay(SLOW)).await;
    let client: Client = timeout_client!(digitalocean_client, server.uri());
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
