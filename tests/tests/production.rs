//! What a service needs from a generated client, on the wire: middleware that sees every attempt, tokens fetched and
//! refreshed by a provider, per-call options, response metadata and errors that do not leak headers.
//!
//! DigitalOcean's client (`GET /v2/images`, bearer auth, paginated) serves most tests; the OpenAPI 3.1 feature
//! client's `POST /charges` serves the idempotency key.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_runtime::middleware::{Attempt, Extensions, Middleware, Next};
use client_runtime::{reqwest, reqwest_middleware};
use client_runtime::{CredentialError, Error, RequestOptions, RetryPolicy, Token};
use digitalocean_client::Client;
use futures::TryStreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "tok-production";

fn page(ids: &[i64], next: Option<&str>) -> Value {
    let images: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "name": format!("image {id}"), "type": "snapshot", "public": false}))
        .collect();
    let pages = match next {
        Some(next) => json!({"next": next}),
        None => json!({}),
    };
    json!({"images": images, "links": {"pages": pages}, "meta": {"total": ids.len()}})
}

fn ok_page() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(page(&[1], None))
}

/// Quick retries, so tests that retry do not wait.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::new().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(5))
}

fn builder(server: &MockServer) -> digitalocean_client::ClientBuilder {
    Client::builder().base_url(server.uri()).retry_policy(fast_retries())
}

/// `503` for the first `failures` requests to `route`, then `then`.
async fn fail_then(server: &MockServer, verb: &str, route: &str, failures: u64, then: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(verb)).and(path(route)).respond_with(then).mount(server).await;
}

fn header_of(request: &Request, name: &str) -> Option<String> {
    request.headers.get(name).map(|value| value.to_str().unwrap().to_owned())
}

// ---------------------------------------------------------------------------------------------------------------
// middleware

/// Signs each attempt: which attempt, and the credentials it carries (so it runs after they are set).
struct Signer;

#[client_runtime::middleware::async_trait]
impl Middleware for Signer {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let attempt = extensions.get::<Attempt>().expect("the client marks each attempt").number;
        let authorization = request.headers().get("authorization").map(|v| v.to_str().unwrap().to_owned());
        let signature = format!("attempt={attempt};auth={}", authorization.unwrap_or_default());
        request.headers_mut().insert("x-signature", signature.parse().unwrap());
        next.run(request, extensions).await
    }
}

#[tokio::test]
async fn a_signing_middleware_changes_every_attempt_including_retries() {
    let server = MockServer::start().await;
    fail_then(&server, "GET", "/v2/images", 1, ok_page()).await;
    let client = builder(&server).token(TOKEN).middleware(Signer).build().unwrap();
    client.list_images().send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let signatures: Vec<_> = requests.iter().map(|r| header_of(r, "x-signature")).collect();
    assert_eq!(
        signatures,
        [Some(format!("attempt=1;auth=Bearer {TOKEN}")), Some(format!("attempt=2;auth=Bearer {TOKEN}"))],
        "the retry went through the middleware too, after credentials were set"
    );
}

/// One attempt as a metrics middleware records it: its number, status, latency and the call's label.
type Sample = (u32, u16, Duration, Option<&'static str>);

/// A metrics middleware: a sample per attempt.
#[derive(Clone, Default)]
struct Metrics(Arc<Mutex<Vec<Sample>>>);

#[derive(Clone)]
struct Label(&'static str);

#[client_runtime::middleware::async_trait]
impl Middleware for Metrics {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let attempt = extensions.get::<Attempt>().map(|a| a.number).unwrap_or_default();
        let label = extensions.get::<Label>().map(|l| l.0);
        let started = std::time::Instant::now();
        let response = next.run(request, extensions).await;
        let status = response.as_ref().map(|r| r.status().as_u16()).unwrap_or_default();
        self.0.lock().unwrap().push((attempt, status, started.elapsed(), label));
        response
    }
}

#[tokio::test]
async fn a_metrics_middleware_sees_each_attempts_status_and_latency() {
    let server = MockServer::start().await;
    fail_then(&server, "GET", "/v2/images", 1, ok_page().set_delay(Duration::from_millis(30))).await;
    let metrics = Metrics::default();
    let client = builder(&server).token(TOKEN).middleware(metrics.clone()).build().unwrap();
    client.list_images().with_options(RequestOptions::new().extension(Label("images"))).send().await.unwrap();

    let seen = metrics.0.lock().unwrap().clone();
    let summary: Vec<_> = seen.iter().map(|(attempt, status, _, label)| (*attempt, *status, *label)).collect();
    assert_eq!(summary, [(1, 503, Some("images")), (2, 200, Some("images"))]);
    assert!(seen[1].2 >= Duration::from_millis(30), "the latency of the slow attempt: {:?}", seen[1].2);
}

struct Refuse;

#[client_runtime::middleware::async_trait]
impl Middleware for Refuse {
    async fn handle(
        &self,
        _request: reqwest::Request,
        _extensions: &mut Extensions,
        _next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        Err(reqwest_middleware::Error::middleware(std::io::Error::other("quota exhausted")))
    }
}

#[tokio::test]
async fn a_middleware_error_ends_the_call_without_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_page()).mount(&server).await;
    let client = builder(&server).token(TOKEN).middleware(Refuse).build().unwrap();
    let error = client.list_images().send().await.unwrap_err();
    assert!(matches!(error, Error::Middleware(_)), "{error:?}");
    assert_eq!(error.to_string(), "middleware error: quota exhausted");
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------------------------
// credentials from a provider

/// A provider handing out `t1`, `t2`, … (one per call), each living `lifetime`, after `delay`.
fn counting_provider(
    calls: Arc<AtomicUsize>,
    lifetime: Option<Duration>,
    delay: Duration,
) -> impl Fn() -> futures::future::BoxFuture<'static, Result<Token, CredentialError>> + Send + Sync + 'static {
    move || {
        let calls = calls.clone();
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
            let token = Token::new(format!("t{n}"));
            Ok(match lifetime {
                Some(lifetime) => token.expires_in(lifetime),
                None => token,
            })
        })
    }
}

#[tokio::test]
async fn one_token_fetch_serves_many_concurrent_requests() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_page()).mount(&server).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let provider = counting_provider(calls.clone(), None, Duration::from_millis(50));
    let client = builder(&server).token_provider(provider).build().unwrap();
    let sends = (0..20).map(|_| client.list_images().send());
    futures::future::try_join_all(sends).await.unwrap();

    assert_eq!(calls.load(Ordering::SeqCst), 1, "one fetch for 20 concurrent requests");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 20);
    assert!(requests.iter().all(|r| header_of(r, "authorization").as_deref() == Some("Bearer t1")));
}

#[tokio::test]
async fn tokens_are_fetched_again_when_they_expire() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_page()).mount(&server).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let provider = counting_provider(calls.clone(), Some(Duration::from_millis(200)), Duration::ZERO);
    let client = builder(&server).token_provider(provider).token_refresh_margin(Duration::ZERO).build().unwrap();
    client.list_images().send().await.unwrap();
    client.list_images().send().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1, "still valid: reused");
    tokio::time::sleep(Duration::from_millis(250)).await;
    client.list_images().send().await.unwrap();

    assert_eq!(calls.load(Ordering::SeqCst), 2, "expired: fetched again");
    let auth: Vec<_> =
        server.received_requests().await.unwrap().iter().map(|r| header_of(r, "authorization").unwrap()).collect();
    assert_eq!(auth, ["Bearer t1", "Bearer t1", "Bearer t2"]);
}

#[tokio::test]
async fn a_401_fetches_a_new_token_and_tries_once_more() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer t1")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    Mock::given(header("authorization", "Bearer t2")).respond_with(ok_page()).mount(&server).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = builder(&server)
        .token_provider(counting_provider(calls.clone(), None, Duration::ZERO))
        .no_retries()
        .build()
        .unwrap();
    client.list_images().send().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "the refused attempt, then one with the new token");
}

#[tokio::test]
async fn a_token_refused_twice_returns_the_401_after_one_refresh() {
    let server = MockServer::start().await;
    let body = json!({"id": "unauthorized", "message": "Unable to authenticate you."});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401).set_body_json(body)).mount(&server).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client =
        builder(&server).token_provider(counting_provider(calls.clone(), None, Duration::ZERO)).build().unwrap();
    let error = client.list_images().send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error:?}");
    assert!(matches!(error.api_body(), Some(digitalocean_client::ListImagesError::Unauthorized(_))), "{error:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 2, "one refresh, not a loop");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_provider_that_fails_fails_the_call_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_page()).mount(&server).await;
    let client = builder(&server)
        .token_provider(|| async { Err(CredentialError::new("the identity service said 503")) })
        .build()
        .unwrap();
    let error = client.list_images().send().await.unwrap_err();
    assert!(matches!(error, Error::Credential(_)), "{error:?}");
    assert_eq!(error.to_string(), "cannot get credentials: the identity service said 503");
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------------------------
// per-call options

#[tokio::test]
async fn a_per_call_timeout_applies_to_that_call_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_page().set_delay(Duration::from_millis(300))).mount(&server).await;
    let client = builder(&server).token(TOKEN).timeout(Duration::from_secs(10)).build().unwrap();
    let options = RequestOptions::new().timeout(Duration::from_millis(50)).no_retries();
    let error = client.list_images().with_options(options).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    client.list_images().await.expect("the next call has the client's 10s timeout");
}

#[tokio::test]
async fn per_call_headers_apply_to_that_call_only_and_replace_the_defaults() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_page()).mount(&server).await;
    let client = builder(&server).token(TOKEN).default_header("x-team", "default").build().unwrap();
    let options = RequestOptions::new().header("x-team", "billing").header("x-trace", "abc");
    client.list_images().with_options(options).send().await.unwrap();
    client.list_images().send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(header_of(&requests[0], "x-team").as_deref(), Some("billing"));
    assert_eq!(header_of(&requests[0], "x-trace").as_deref(), Some("abc"));
    assert_eq!(header_of(&requests[1], "x-team").as_deref(), Some("default"));
    assert_eq!(header_of(&requests[1], "x-trace"), None);
}

#[tokio::test]
async fn an_invalid_per_call_header_fails_before_sending() {
    let server = MockServer::start().await;
    let client = builder(&server).token(TOKEN).build().unwrap();
    let error = client.list_images().with_options(RequestOptions::new().header("x-bad", "a\nb")).await.unwrap_err();
    assert!(matches!(&error, Error::Validation(v) if v.parameter == "x-bad"), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn per_call_options_reach_every_page_of_a_listing() {
    let server = MockServer::start().await;
    let next = format!("{}/v2/images?page=2", server.uri());
    Mock::given(method("GET"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[1], Some(&next))))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(query_param("page", "2")).respond_with(ok_page()).mount(&server).await;
    let client = builder(&server).token(TOKEN).build().unwrap();
    let options = RequestOptions::new().header("x-trace", "listing");
    let pages: Vec<_> = client.list_images().with_options(options).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2);
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| header_of(r, "x-trace").as_deref() == Some("listing")));
}

#[tokio::test]
async fn an_idempotency_key_is_sent_on_every_retry_and_makes_a_post_retryable() {
    let server = MockServer::start().await;
    let charged = ResponseTemplate::new(200).set_body_json(json!({"id": "ch_1"}));
    fail_then(&server, "POST", "/charges", 2, charged).await;
    let client = feature_openapi31::Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let without = client.create_charge().send().await.unwrap_err();
    assert_eq!(without.status().map(|s| s.as_u16()), Some(503), "a POST is not retried by default");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let charge = client.create_charge().with_options(RequestOptions::new().idempotency_key("k-1")).await.unwrap();
    assert_eq!(charge.id.as_deref(), Some("ch_1"));
    let requests = server.received_requests().await.unwrap();
    let keys: Vec<_> = requests[1..].iter().map(|r| header_of(r, "idempotency-key")).collect();
    assert_eq!(keys, [Some("k-1".to_owned()), Some("k-1".to_owned())], "the second 503, then the success");
}

// ---------------------------------------------------------------------------------------------------------------
// response metadata and errors

#[tokio::test]
async fn a_successful_response_gives_its_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .respond_with(ok_page().insert_header("x-request-id", "req-42"))
        .mount(&server)
        .await;
    let client = builder(&server).token(TOKEN).build().unwrap();
    let response = client.list_images().send_with_response().await.unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id(), Some("req-42"));
    assert_eq!(response.into_inner().images.len(), 1);
}

#[tokio::test]
async fn debug_of_an_error_names_headers_without_their_values() {
    let server = MockServer::start().await;
    let response = ResponseTemplate::new(418)
        .insert_header("set-cookie", "session=very-secret")
        .insert_header("x-request-id", "req-9")
        .set_body_string("no");
    Mock::given(method("GET")).respond_with(response).mount(&server).await;
    let client = builder(&server).token(TOKEN).build().unwrap();
    let error = client.list_images().send().await.unwrap_err();
    let debug = format!("{error:?}");
    assert!(debug.contains("set-cookie"), "{debug}");
    assert!(!debug.contains("very-secret"), "{debug}");
    assert_eq!(error.response().and_then(|r| r.request_id()), Some("req-9"));
}
