//! Pagination inferred from plain vendor specs: `specs/features/inferred-paging.yaml` gathers seven list operations
//! cut down from Stripe, DigitalOcean, OpenStack, Twilio, Box, OpenAI and GitHub documents, and OpenStack Compute's
//! server list, with no `x-pagination`; and Azure Compute's image list with the `x-ms-pageable` its vendor publishes.
//! Each test streams three pages from a loopback server through `items()` and checks every request the client made.

use feature_inferred_paging::runtime::{Error, PaginationError};
use feature_inferred_paging::Client;
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).no_retries().build().expect("client builds")
}

fn json_body(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

/// The query strings the server received, in order.
async fn queries(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.expect("recording is on");
    requests.iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect()
}

#[tokio::test]
async fn stripe_customers_page_by_the_last_id_until_has_more_is_false() {
    let server = MockServer::start().await;
    let customer = |id: &str| json!({"id": id, "object": "customer", "created": 1, "livemode": false});
    let page = |ids: &[&str], more: bool| {
        json_body(json!({
            "object": "list", "url": "/v1/customers", "has_more": more,
            "data": ids.iter().map(|id| customer(id)).collect::<Vec<_>>()
        }))
    };
    let list = || Mock::given(method("GET")).and(path("/v1/customers"));
    list()
        .and(query_param_is_missing("starting_after"))
        .respond_with(page(&["cus_1", "cus_2"], true))
        .mount(&server)
        .await;
    list()
        .and(query_param("starting_after", "cus_2"))
        .respond_with(page(&["cus_3", "cus_4"], true))
        .mount(&server)
        .await;
    list().and(query_param("starting_after", "cus_4")).respond_with(page(&["cus_5"], false)).mount(&server).await;
    let ids: Vec<String> =
        client(&server).stripe_list_customers().limit(2).items().map_ok(|c| c.id).try_collect().await.unwrap();
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);
    assert_eq!(queries(&server).await, ["limit=2", "limit=2&starting_after=cus_2", "limit=2&starting_after=cus_4"]);
}

#[tokio::test]
async fn digitalocean_droplets_page_by_number_until_the_total_is_read() {
    let server = MockServer::start().await;
    let droplet = |id: u64| {
        json!({"id": id, "name": format!("d{id}"), "memory": 1024, "status": "active",
               "created_at": "2020-07-21T18:37:44Z"})
    };
    let page = |ids: &[u64]| {
        // The real API's `links.pages` (an anyOf) carries links too; the total alone is enough to stop on.
        json_body(
            json!({"droplets": ids.iter().map(|id| droplet(*id)).collect::<Vec<_>>(), "links": {}, "meta": {"total": 5}}),
        )
    };
    let list = || Mock::given(method("GET")).and(path("/v2/droplets"));
    list().and(query_param_is_missing("page")).respond_with(page(&[1, 2])).mount(&server).await;
    list().and(query_param("page", "2")).respond_with(page(&[3, 4])).mount(&server).await;
    list().and(query_param("page", "3")).respond_with(page(&[5])).mount(&server).await;
    let ids: Vec<i64> =
        client(&server).do_list_droplets().per_page(2).items().map_ok(|d| d.id).try_collect().await.unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(queries(&server).await, ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]);
}

#[tokio::test]
async fn openstack_images_follow_the_next_link() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let mut body = json!({
            "images": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
            "first": "/v2/images?limit=2", "schema": "/v2/schemas/images"
        });
        if let Some(next) = next {
            body["next"] = json!(next);
        }
        json_body(body)
    };
    let list = || Mock::given(method("GET")).and(path("/v2/images"));
    list()
        .and(query_param_is_missing("marker"))
        .respond_with(page(&["a", "b"], Some("/v2/images?limit=2&marker=b")))
        .mount(&server)
        .await;
    list()
        .and(query_param("marker", "b"))
        .respond_with(page(&["c", "d"], Some("/v2/images?limit=2&marker=d")))
        .mount(&server)
        .await;
    list().and(query_param("marker", "d")).respond_with(page(&["e"], None)).mount(&server).await;
    let ids: Vec<String> = client(&server)
        .glance_list_images()
        .limit(2)
        .items()
        .map_ok(|image| image.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    // The last page has no `next` and fewer images than the limit: no fourth request.
    assert_eq!(queries(&server).await, ["limit=2", "limit=2&marker=b", "limit=2&marker=d"]);
}

#[tokio::test]
async fn twilio_services_follow_next_page_url() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let page = |sids: &[&str], next: Option<String>| {
        json_body(json!({
            "services": sids.iter().map(|sid| json!({"sid": sid})).collect::<Vec<_>>(),
            "meta": {"page_size": 2, "key": "services", "next_page_url": next}
        }))
    };
    let list = || Mock::given(method("GET")).and(path("/v2/Services"));
    let next = |page: u32, token: &str| Some(format!("{uri}/v2/Services?PageSize=2&Page={page}&PageToken={token}"));
    list()
        .and(query_param_is_missing("PageToken"))
        .respond_with(page(&["IS1", "IS2"], next(1, "PT2")))
        .mount(&server)
        .await;
    list()
        .and(query_param("PageToken", "PT2"))
        .respond_with(page(&["IS3", "IS4"], next(2, "PT4")))
        .mount(&server)
        .await;
    list().and(query_param("PageToken", "PT4")).respond_with(page(&["IS5"], None)).mount(&server).await;
    let sids: Vec<String> = client(&server)
        .twilio_list_services()
        .page_size(2)
        .items()
        .map_ok(|service| service.sid.flatten().unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sids, ["IS1", "IS2", "IS3", "IS4", "IS5"]);
    assert_eq!(
        queries(&server).await,
        ["PageSize=2", "PageSize=2&Page=1&PageToken=PT2", "PageSize=2&Page=2&PageToken=PT4"]
    );
}

#[tokio::test]
async fn box_folder_items_page_by_offset_until_the_total_count() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], offset: u64| {
        json_body(json!({
            "total_count": 5, "limit": 2, "offset": offset,
            "entries": ids.iter().map(|id| json!({"id": id, "type": "file", "name": format!("{id}.txt")})).collect::<Vec<_>>()
        }))
    };
    let list = || Mock::given(method("GET")).and(path("/folders/0/items"));
    list().and(query_param_is_missing("offset")).respond_with(page(&["1", "2"], 0)).mount(&server).await;
    list().and(query_param("offset", "2")).respond_with(page(&["3", "4"], 2)).mount(&server).await;
    list().and(query_param("offset", "4")).respond_with(page(&["5"], 4)).mount(&server).await;
    let ids: Vec<String> =
        client(&server).box_list_folder_items("0").limit(2).items().map_ok(|item| item.id).try_collect().await.unwrap();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    assert_eq!(queries(&server).await, ["limit=2", "limit=2&offset=2", "limit=2&offset=4"]);
}

#[tokio::test]
async fn openai_files_page_after_last_id_while_has_more() {
    let server = MockServer::start().await;
    let file = |id: &str| json!({"id": id, "object": "file", "bytes": 1, "created_at": 1, "filename": "f.jsonl"});
    let page = |ids: &[&str], more: bool| {
        json_body(json!({
            "object": "list", "first_id": ids[0], "last_id": ids[ids.len() - 1], "has_more": more,
            "data": ids.iter().map(|id| file(id)).collect::<Vec<_>>()
        }))
    };
    let list = || Mock::given(method("GET")).and(path("/files"));
    list().and(query_param_is_missing("after")).respond_with(page(&["file-1", "file-2"], true)).mount(&server).await;
    list().and(query_param("after", "file-2")).respond_with(page(&["file-3", "file-4"], true)).mount(&server).await;
    list().and(query_param("after", "file-4")).respond_with(page(&["file-5"], false)).mount(&server).await;
    let ids: Vec<String> =
        client(&server).openai_list_files().limit(2).items().map_ok(|f| f.id).try_collect().await.unwrap();
    assert_eq!(ids, ["file-1", "file-2", "file-3", "file-4", "file-5"]);
    assert_eq!(queries(&server).await, ["limit=2", "limit=2&after=file-2", "limit=2&after=file-4"]);
}

#[tokio::test]
async fn github_issues_follow_the_link_header() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let issue = |n: u64| json!({"id": n * 100, "number": n, "title": format!("issue {n}"), "state": "open"});
    let page = |numbers: &[u64], next: Option<u32>| {
        let body = json!(numbers.iter().map(|n| issue(*n)).collect::<Vec<_>>());
        let response = json_body(body);
        match next {
            Some(page) => response.insert_header(
                "Link",
                format!(
                    "<{uri}/repos/o/r/issues?per_page=2&page={page}>; rel=\"next\", <{uri}/repos/o/r/issues?per_page=2&page=3>; rel=\"last\""
                )
                .as_str(),
            ),
            None => response,
        }
    };
    let list = || Mock::given(method("GET")).and(path("/repos/o/r/issues"));
    list().and(query_param_is_missing("page")).respond_with(page(&[1, 2], Some(2))).mount(&server).await;
    list().and(query_param("page", "2")).respond_with(page(&[3, 4], Some(3))).mount(&server).await;
    list().and(query_param("page", "3")).respond_with(page(&[5], None)).mount(&server).await;
    let numbers: Vec<i64> = client(&server)
        .github_list_repo_issues("o", "r")
        .per_page(2)
        .items()
        .map_ok(|issue| issue.number)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    assert_eq!(queries(&server).await, ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]);
}

#[tokio::test]
async fn nova_servers_follow_the_rel_next_entry_of_servers_links() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let page = |ids: &[&str], next: Option<&str>| {
        let mut links = vec![json!({"rel": "self", "href": format!("{uri}/servers")})];
        if let Some(marker) = next {
            links.push(json!({"rel": "next", "href": format!("{uri}/servers?limit=2&marker={marker}")}));
        }
        json_body(json!({
            "servers": ids.iter().map(|id| json!({"id": id, "name": format!("vm-{id}")})).collect::<Vec<_>>(),
            "servers_links": links
        }))
    };
    let list = || Mock::given(method("GET")).and(path("/servers"));
    list().and(query_param_is_missing("marker")).respond_with(page(&["a", "b"], Some("b"))).mount(&server).await;
    list().and(query_param("marker", "b")).respond_with(page(&["c", "d"], Some("d"))).mount(&server).await;
    list().and(query_param("marker", "d")).respond_with(page(&["e"], None)).mount(&server).await;
    let ids: Vec<String> =
        client(&server).nova_list_servers().limit(2).items().map_ok(|s| s.id).try_collect().await.unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(queries(&server).await, ["limit=2", "limit=2&marker=b", "limit=2&marker=d"]);
}

#[tokio::test]
async fn azure_images_follow_the_next_link_x_ms_pageable_names() {
    let server = MockServer::start().await;
    let image =
        |n: u32| json!({"id": format!("/subscriptions/s1/images/i{n}"), "location": "westus", "name": format!("i{n}")});
    // Azure's next links are absolute and carry every query parameter, `api-version` included.
    let page = |names: &[u32], next: Option<&str>| {
        let mut body = json!({"value": names.iter().map(|n| image(*n)).collect::<Vec<_>>()});
        if let Some(next) = next {
            body["nextLink"] =
                json!(format!("{}/subscriptions/s1/providers/Microsoft.Compute/images?{next}", server.uri()));
        }
        json_body(body)
    };
    let list = || Mock::given(method("GET")).and(path("/subscriptions/s1/providers/Microsoft.Compute/images"));
    let first_next = "api-version=2019-03-01&%24skiptoken=t2";
    list().and(query_param_is_missing("$skiptoken")).respond_with(page(&[1, 2], Some(first_next))).mount(&server).await;
    let second_next = "api-version=2019-03-01&%24skiptoken=t3";
    list().and(query_param("$skiptoken", "t2")).respond_with(page(&[3, 4], Some(second_next))).mount(&server).await;
    list().and(query_param("$skiptoken", "t3")).respond_with(page(&[5], None)).mount(&server).await;
    let names: Vec<Option<String>> = client(&server)
        .azure_images_list("s1", "2019-03-01")
        .items()
        .map_ok(|image| image.name)
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<Option<String>> = (1..=5).map(|n| Some(format!("i{n}"))).collect();
    assert_eq!(names, expected);
    assert_eq!(queries(&server).await, ["api-version=2019-03-01", first_next, second_next]);
}

#[tokio::test]
async fn a_next_link_that_comes_back_is_a_pagination_error() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let body =
        json!({"services": [{"sid": "IS1"}], "meta": {"next_page_url": format!("{uri}/v2/Services?PageToken=same")}});
    Mock::given(method("GET")).and(path("/v2/Services")).respond_with(json_body(body)).mount(&server).await;
    let pages: Vec<_> = client(&server).twilio_list_services().pages().collect().await;
    assert_eq!(pages.len(), 3, "two pages, then the error: {pages:?}");
    assert!(pages[..2].iter().all(Result::is_ok));
    assert!(matches!(&pages[2], Err(Error::Pagination(PaginationError::RepeatedCursor { page: 3, .. }))), "{pages:?}");
}

#[tokio::test]
async fn offsets_stop_on_a_short_page_or_an_empty_one_without_a_total() {
    let server = MockServer::start().await;
    let page = |ids: &[&str]| {
        json_body(json!({"entries": ids.iter().map(|id| json!({"id": id, "type": "file"})).collect::<Vec<_>>()}))
    };
    let list = || Mock::given(method("GET")).and(path("/folders/0/items"));
    list().and(query_param_is_missing("offset")).respond_with(page(&["1", "2"])).mount(&server).await;
    list().and(query_param("offset", "2")).respond_with(page(&["3"])).mount(&server).await;
    list().and(query_param("offset", "3")).respond_with(page(&[])).mount(&server).await;
    // With a limit, the short second page is the last.
    let items: Vec<_> = client(&server).box_list_folder_items("0").limit(2).items().try_collect().await.unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(queries(&server).await, ["limit=2", "limit=2&offset=2"]);
    // Without one, the page size is unknown: paging goes on to the empty page.
    server.reset().await;
    list().and(query_param_is_missing("offset")).respond_with(page(&["1", "2"])).mount(&server).await;
    list().and(query_param("offset", "2")).respond_with(page(&["3"])).mount(&server).await;
    list().and(query_param("offset", "3")).respond_with(page(&[])).mount(&server).await;
    let items: Vec<_> = client(&server).box_list_folder_items("0").items().try_collect().await.unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(queries(&server).await, ["", "offset=2", "offset=3"]);
}

#[tokio::test]
async fn caps_stop_inferred_listings_too() {
    let server = MockServer::start().await;
    let customer = |id: u32| json!({"id": format!("cus_{id}"), "object": "customer", "created": 1, "livemode": false});
    // Every page says there is more: only the caps end the listing.
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(move |request: &wiremock::Request| {
            let after = request.url.query_pairs().find(|(k, _)| k == "starting_after").map(|(_, v)| v.into_owned());
            let start = after.map_or(0, |a| a.trim_start_matches("cus_").parse::<u32>().unwrap());
            json_body(json!({"object": "list", "url": "/v1/customers", "has_more": true,
                             "data": [customer(start + 1), customer(start + 2)]}))
        })
        .mount(&server)
        .await;
    let pages: Vec<_> =
        client(&server).stripe_list_customers().paginate().max_pages(3).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    let items: Vec<_> =
        client(&server).stripe_list_customers().paginate().max_items(5).items().try_collect().await.unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(queries(&server).await.len(), 6, "three pages, then three for five items");
}
