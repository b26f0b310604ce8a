//! Integration tests against wiremock servers on 127.0.0.1.

use std::time::{Duration, Instant};

use client_runtime::reqwest::{Method, StatusCode};
use client_runtime::{
    decode_json, encode_path, param, validate, AuthScheme, BuildError, Client, DecodeError, Error, ErrorBody,
    NoErrorBody, PageNav, PaginationError, PaginationStyle, Paginator, Request, RetryPolicy, Secret, ServerVariable,
    ValidationError,
};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use wiremock::matchers::{body_string, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::new().initial_backoff(Duration::from_millis(1)).max_backoff(Duration::from_millis(5))
}

fn client_at(base: &str) -> Client {
    Client::builder().base_url(base).retry_policy(fast_retries()).build().expect("client builds")
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}

async fn queries(server: &MockServer) -> Vec<String> {
    requests(server).await.iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect()
}

fn get(path: &str) -> Request {
    Request::new(Method::GET, path)
}

// ---------------------------------------------------------------------------------------------- retries

#[tokio::test]
async fn retry_after_seconds_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/thing"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/thing"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ok": true}"#))
        .mount(&server)
        .await;
    let client = client_at(&server.uri());
    let started = Instant::now();
    let body: serde_json::Value = client.send::<_, NoErrorBody>(get("/thing")).await.unwrap();
    assert_eq!(body["ok"], true);
    // The backoff is at most 5ms, so waiting a second means Retry-After was honoured.
    assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_http_date() {
    let server = MockServer::start().await;
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", at.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("[1]")).mount(&server).await;
    let started = Instant::now();
    let body: Vec<u8> = client_at(&server.uri()).send::<_, NoErrorBody>(get("/x")).await.unwrap();
    assert_eq!(body, vec![1]);
    // The date has one-second resolution: the wait is between 1 and 2 seconds.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900) && waited < Duration::from_secs(5), "{waited:?}");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_cap_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "3"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(fast_retries().retry_after_cap(Duration::from_secs(1)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send_empty::<NoErrorBody>(get("/x")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn server_error_forever_ends_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503).set_body_string("down")).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).retry_policy(fast_retries().max_attempts(3)).build().unwrap();
    let err: Error = client.send_empty(get("/x")).await.unwrap_err();
    match &err {
        Error::UnexpectedStatus(response) => {
            assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(response.body_text(), "down");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 3);

    // The default policy makes 4 attempts.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let _ = client_at(&server.uri()).send_empty::<NoErrorBody>(get("/x")).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn post_is_not_retried_unless_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client_at(&server.uri());
    let err = client.send_empty::<NoErrorBody>(Request::new(Method::POST, "/x")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await.len(), 1);

    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(fast_retries().max_attempts(3).retry_non_idempotent(true))
        .build()
        .unwrap();
    let _ = client.send_empty::<NoErrorBody>(Request::new(Method::POST, "/x")).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn retries_disabled() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(429)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    let err = client.send_empty::<NoErrorBody>(get("/x")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(requests(&server).await.len(), 1);

    let client = Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::disabled()).build().unwrap();
    let _ = client.send_empty::<NoErrorBody>(get("/x")).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400)).mount(&server).await;
    let _ = client_at(&server.uri()).send_empty::<NoErrorBody>(get("/x")).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    // Durations too large to add to an instant mean "no limit", not a panic.
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::MAX)
        .deadline(Duration::MAX)
        .retry_policy(fast_retries().max_backoff(Duration::MAX).retry_after_cap(Duration::MAX))
        .build()
        .unwrap();
    let err = client.send_empty::<NoErrorBody>(get("/x")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
}

#[tokio::test]
async fn connection_errors_are_retried_then_reported() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .auth_scheme(AuthScheme::ApiKeyQuery("api_key"))
        .token("query-secret-123")
        .retry_policy(fast_retries().max_attempts(3))
        .build()
        .unwrap();
    let err = client.send_empty::<NoErrorBody>(get("/x")).await.unwrap_err();
    match &err {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("unexpected {other:?}"),
    }
    assert!(!format!("{err} {err:?}").contains("query-secret-123"), "{err:?}");
}

#[tokio::test]
async fn per_attempt_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}").set_delay(Duration::from_millis(600)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(100))
        .retry_policy(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send::<serde_json::Value, NoErrorBody>(get("/slow")).await.unwrap_err();
    assert!(err.is_timeout());
    match err {
        Error::Timeout { attempts, deadline, elapsed } => {
            assert_eq!((attempts, deadline), (2, false));
            // Without the timeout each attempt would take 600ms.
            assert!(elapsed >= Duration::from_millis(200) && elapsed < Duration::from_millis(1100), "{elapsed:?}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(1100));
    assert_eq!(requests(&server).await.len(), 2);

    // A client of your own still gets the per-attempt timeout.
    let client = Client::builder()
        .base_url(server.uri())
        .http_client(client_runtime::reqwest::Client::new())
        .timeout(Duration::from_millis(100))
        .no_retries()
        .build()
        .unwrap();
    let err = client.send_empty::<NoErrorBody>(get("/slow")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, deadline: false, .. }), "{err:?}");
}

#[tokio::test]
async fn overall_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}").set_delay(Duration::from_millis(800)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_secs(10))
        .deadline(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send_empty::<NoErrorBody>(get("/slow")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { deadline: true, attempts: 1, .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(700));

    // The deadline also bounds waiting: a Retry-After past it ends the call at once with the last error.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "2"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).deadline(Duration::from_millis(500)).build().unwrap();
    let started = Instant::now();
    let err = client.send_empty::<NoErrorBody>(get("/x")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(requests(&server).await.len(), 1);

    // Slow attempts that each fit the per-attempt timeout, retried until the deadline cuts one short.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_delay(Duration::from_millis(150)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry_policy(fast_retries().max_attempts(10))
        .deadline(Duration::from_millis(400))
        .build()
        .unwrap();
    let err = client.send_empty::<NoErrorBody>(get("/x")).await.unwrap_err();
    match err {
        Error::Timeout { deadline: true, attempts, elapsed } => {
            assert!((2..=3).contains(&attempts), "{attempts}");
            assert!(elapsed >= Duration::from_millis(390) && elapsed < Duration::from_millis(1000), "{elapsed:?}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------- errors

#[derive(Debug, PartialEq, Deserialize)]
struct Problem {
    code: u32,
    message: String,
}

#[derive(Debug, PartialEq)]
enum GetThingError {
    NotFound(Problem),
    Conflict,
}

impl ErrorBody for GetThingError {
    fn decode(status: StatusCode, body: &[u8]) -> Option<Result<Self, DecodeError>> {
        match status.as_u16() {
            404 => Some(decode_json(status, body).map(GetThingError::NotFound)),
            409 => Some(Ok(GetThingError::Conflict)),
            _ => None,
        }
    }
}

#[tokio::test]
async fn documented_error_with_typed_body_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(path("/things/1"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-openstack-request-id", "req-abc")
                .set_body_string(r#"{"code": 404, "message": "no such thing"}"#),
        )
        .mount(&server)
        .await;
    Mock::given(path("/things/2")).respond_with(ResponseTemplate::new(409)).mount(&server).await;
    let client = client_at(&server.uri());
    let err = client.send::<serde_json::Value, GetThingError>(get("/things/1")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.request_id(), Some("req-abc"));
    assert_eq!(err.api_body(), Some(&GetThingError::NotFound(Problem { code: 404, message: "no such thing".into() })));
    match &err {
        Error::Api(api) => {
            assert_eq!(api.response.body_text(), r#"{"code": 404, "message": "no such thing"}"#);
            assert_eq!(api.response.headers["x-openstack-request-id"], "req-abc");
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("404") && text.contains("req-abc"), "{text}");

    let err = client.send_empty::<GetThingError>(get("/things/2")).await.unwrap_err();
    assert_eq!(err.api_body(), Some(&GetThingError::Conflict));
    assert_eq!(err.request_id(), None);
}

#[tokio::test]
async fn undocumented_status_and_request_id_from_body() {
    let server = MockServer::start().await;
    Mock::given(path("/teapot"))
        .respond_with(ResponseTemplate::new(418).set_body_string(r#"{"requestId": "body-id-7", "error": "short"}"#))
        .mount(&server)
        .await;
    Mock::given(path("/header"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-request-id", "hdr-1")
                .set_body_string(r#"{"request_id": "body-id"}"#),
        )
        .mount(&server)
        .await;
    let client = client_at(&server.uri());
    let err = client.send_empty::<GetThingError>(get("/teapot")).await.unwrap_err();
    match &err {
        Error::UnexpectedStatus(response) => {
            assert_eq!(response.status.as_u16(), 418);
            assert!(response.body_text().contains("short"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(err.request_id(), Some("body-id-7"));
    assert!(err.api_body().is_none());
    // A header wins over the body.
    let err = client.send_empty::<NoErrorBody>(get("/header")).await.unwrap_err();
    assert_eq!(err.request_id(), Some("hdr-1"));
}

#[derive(Debug, Deserialize)]
struct ImageList {
    #[allow(dead_code)]
    images: Vec<Image>,
}

#[derive(Debug, Deserialize)]
struct Image {
    #[allow(dead_code)]
    id: String,
    #[allow(dead_code)]
    size: u64,
}

#[tokio::test]
async fn decode_error_has_path_and_snippet() {
    let server = MockServer::start().await;
    Mock::given(path("/images"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"images": [{"id": "a", "size": 1}, {"id": "b", "size": 2}, {"id": "c", "size": "huge"}]}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(path("/broken"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>not json</html>"))
        .mount(&server)
        .await;
    let client = client_at(&server.uri());
    let err = client.send::<ImageList, NoErrorBody>(get("/images")).await.unwrap_err();
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.status, StatusCode::OK);
            assert_eq!(d.path, "images[2].size");
            assert!(d.snippet.contains(r#""size": "huge""#), "{}", d.snippet);
            assert!(d.message.contains("invalid type"), "{}", d.message);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("images[2].size"));
    // A documented error status whose body does not decode.
    let err = client.send_empty::<GetThingError>(get("/broken")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if d.status == StatusCode::NOT_FOUND && d.snippet.contains("<html>")),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn body_flavours() {
    let server = MockServer::start().await;
    Mock::given(path("/text"))
        .respond_with(ResponseTemplate::new(200).insert_header("etag", "v1").set_body_string("héllo"))
        .mount(&server)
        .await;
    Mock::given(path("/empty")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = client_at(&server.uri());
    assert_eq!(client.send_text::<NoErrorBody>(get("/text")).await.unwrap(), "héllo");
    assert_eq!(&client.send_bytes::<NoErrorBody>(get("/text")).await.unwrap()[..], "héllo".as_bytes());
    client.send_empty::<NoErrorBody>(get("/empty")).await.unwrap();
    let none: Option<Problem> = client.send::<_, NoErrorBody>(get("/empty")).await.unwrap();
    assert_eq!(none, None);
    let response = client.send_with_response::<String, NoErrorBody>(get("/text")).await.unwrap_err();
    assert!(matches!(response, Error::Decode(_)));
    Mock::given(path("/json"))
        .respond_with(ResponseTemplate::new(201).insert_header("location", "/things/9").set_body_string(r#""x""#))
        .mount(&server)
        .await;
    let response = client.send_with_response::<String, NoErrorBody>(get("/json")).await.unwrap();
    assert_eq!((response.status.as_u16(), response.body.as_str()), (201, "x"));
    assert_eq!(response.headers["location"], "/things/9");
}

// ---------------------------------------------------------------------------------------------- validation

// `validate::pattern` is behind the runtime's `regex` feature, which the workspace's generated crates enable.
#[cfg(feature = "regex")]
#[test]
fn pattern_validation() {
    assert!(validate::pattern("id", Some("ab-12"), "^[a-z]+-[0-9]+$").is_ok());
    let e = validate::pattern("id", Some("AB-12"), "^[a-z]+-[0-9]+$").unwrap_err();
    assert_eq!(e.parameter, "id");
    assert!(validate::pattern("id", Some("AB-12"), "^[a-z]+-[0-9]+$").is_err(), "cached pattern still enforced");
    assert!(validate::pattern("id", Some("x9"), "[0-9]").is_ok(), "patterns are not anchored");
    assert!(
        validate::pattern("id", Some("anything"), "(?=lookahead)").is_ok(),
        "an uncompilable pattern is not enforced"
    );
}

#[test]
fn validation_helpers() {
    assert!(validate::minimum("n", Some(&1.0), 1.0, false).is_ok());
    let e = validate::minimum("n", Some(&1.0), 1.0, true).unwrap_err();
    assert_eq!(e.parameter, "n");
    assert!(e.to_string().contains("must be > 1"), "{e}");
    assert!(validate::minimum("n", Some(&f64::NAN), 0.0, false).is_err());
    assert!(validate::minimum("n", Some(&-3i64), 0.0, false).is_err());
    assert!(validate::minimum::<i64>("n", None, 0.0, false).is_ok(), "an unset parameter passes");
    assert!(validate::maximum("n", Some(&10.0), 10.0, false).is_ok());
    assert!(validate::maximum("n", Some(&10.0), 10.0, true).is_err());
    assert!(validate::maximum("n", Some(&11u8), 10.0, false).is_err());
    assert!(validate::min_length("s", Some("éé"), 2).is_ok());
    assert!(validate::min_length("s", Some("é"), 2).is_err());
    assert!(validate::min_length("s", Some(&String::from("é")), 2).is_err());
    assert!(validate::min_length::<str>("s", None, 2).is_ok());
    assert!(validate::max_length("s", Some("ééé"), 3).is_ok());
    assert!(validate::max_length("s", Some("abcd"), 3).is_err());
    assert!(validate::min_items("tags", Some(&[1, 2][..]), 2).is_ok());
    assert!(validate::min_items("tags", Some(&[1][..]), 2).is_err());
    assert!(validate::max_items("tags", Some(&[1, 2, 3][..]), 2).is_err());
    assert!(validate::max_items::<u8>("tags", None, 2).is_ok());

    #[derive(Debug)]
    enum Size {
        S,
        M,
        Other(String),
    }
    impl client_runtime::StringEnum for Size {
        const VALUES: &'static [&'static str] = &["s", "m"];
        fn as_str(&self) -> &str {
            match self {
                Size::S => "s",
                Size::M => "m",
                Size::Other(text) => text,
            }
        }
    }
    assert!(validate::known("size", Some(&Size::M)).is_ok());
    assert!(validate::known("size", Some(&Size::S)).is_ok());
    let e = validate::known("size", Some(&Size::Other("xl".into()))).unwrap_err();
    assert_eq!(e.to_string(), "invalid value for `size`: must be one of: s, m; got xl");
    assert!(
        validate::known_items("size", Some(&[Size::S, Size::Other("m".into()), Size::Other("l".into())][..])).is_err()
    );
    assert!(validate::known_items::<Size>("size", None).is_ok());
}

#[tokio::test]
async fn rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client_at(&server.uri());
    let mut request = get("/x");
    let e = request.header("x-trace", "bad\nvalue").unwrap_err();
    assert_eq!(e.parameter, "x-trace");
    let e = request.header("bad header", "v").unwrap_err();
    assert_eq!(e.parameter, "bad header");
    let err = client.send_empty::<NoErrorBody>(get("/images/../admin")).await.unwrap_err();
    assert!(matches!(&err, Error::Validation(v) if v.parameter == "path"), "{err:?}");
    let err: Error = ValidationError::new("limit", "must be <= 100").into();
    assert_eq!(err.to_string(), "invalid value for `limit`: must be <= 100");
    let items: Vec<Result<u32, Error>> =
        Paginator::<Page, u32, NoErrorBody>::failed(ValidationError::new("limit", "too big")).items().collect().await;
    assert!(matches!(items.as_slice(), [Err(Error::Validation(v))] if v.parameter == "limit"));
    assert!(requests(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------- requests

#[tokio::test]
async fn base_url_join_semantics() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/images")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    Mock::given(path("/images")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let uri = server.uri();
    for base in [format!("{uri}/v2"), format!("{uri}/v2/")] {
        let client = client_at(&base);
        client.send_empty::<NoErrorBody>(get("/images")).await.unwrap();
        client.send_empty::<NoErrorBody>(get("images")).await.unwrap();
    }
    client_at(&uri).send_empty::<NoErrorBody>(get("/images")).await.unwrap();
    let paths: Vec<String> = requests(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(paths, ["/v2/images", "/v2/images", "/v2/images", "/v2/images", "/images"]);
}

#[tokio::test]
async fn query_styles_path_encoding_and_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/form"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("name=a+b&tag=x&tag=y&n=3"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/json"))
        .and(header("content-type", "application/json"))
        .and(body_string(r#"{"name":"a"}"#))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/raw"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_string("\u{1}\u{2}"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_at(&server.uri());

    let mut request = get(&format!("/files/{}", encode_path("a b/c+d")));
    request.query("q", "x&y=z");
    let form_unexploded = param::Serialization::new(param::Style::Form, false);
    // OpenAPI's default for a query parameter is exploded `form`.
    request.query_param("f", Some(&[1, 2])).unwrap();
    request.query_param_with("c", Some(&["a", "b,c"]), form_unexploded).unwrap();
    request
        .query_param_with("s", Some(&[1, 2]), param::Serialization::new(param::Style::SpaceDelimited, false))
        .unwrap();
    request
        .query_param_with("p", Some(&[1, 2]), param::Serialization::new(param::Style::PipeDelimited, false))
        .unwrap();
    request.query_param_with("none", Some(&Vec::<u8>::new()), form_unexploded).unwrap();
    request.query_param::<u8>("unset", None).unwrap();
    let filter = serde_json::json!({"name": "x", "size": {"gt": 3}, "skip": null, "tags": ["a", "b"]});
    request
        .query_param_with("filter", Some(&filter), param::Serialization::new(param::Style::DeepObject, true))
        .unwrap();
    request.query("page", 1);
    request.set_query("page", 2);
    assert_eq!(request.query_value("q").as_deref(), Some("x&y=z"));
    client.send_empty::<NoErrorBody>(request).await.unwrap();
    let sent = &requests(&server).await[0];
    assert_eq!(sent.url.path(), "/files/a%20b%2Fc%2Bd");
    assert_eq!(
        sent.url.query(),
        Some("q=x%26y%3Dz&f=1&f=2&c=a,b%2Cc&s=1%202&p=1|2&filter[name]=x&filter[size][gt]=3&filter[tags][0]=a&filter[tags][1]=b&page=2")
    );

    #[derive(serde::Serialize)]
    struct Form {
        name: &'static str,
        tag: Vec<&'static str>,
        n: u8,
        missing: Option<u8>,
    }
    let mut request = Request::new(Method::POST, "/form");
    request.form(&Form { name: "a b", tag: vec!["x", "y"], n: 3, missing: None }).unwrap();
    client.send_empty::<NoErrorBody>(request).await.unwrap();
    let mut request = Request::new(Method::POST, "/json");
    request.json(&serde_json::json!({"name": "a"})).unwrap();
    client.send_empty::<NoErrorBody>(request).await.unwrap();
    let mut request = Request::new(Method::PUT, "/raw");
    request.bytes("application/octet-stream", vec![1u8, 2]);
    client.send_empty::<NoErrorBody>(request).await.unwrap();
    assert_eq!(Request::new(Method::POST, "/f").form(&[1, 2]).unwrap_err().parameter, "body");
}

#[tokio::test]
async fn user_agent_and_default_headers() {
    let server = MockServer::start().await;
    Mock::given(header("user-agent", "my-app/1.0"))
        .and(header("x-tenant", "t1"))
        .and(header("x-override", "request"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .user_agent("my-app/1.0")
        .default_header("X-Tenant", "t1")
        .default_header("x-override", "default")
        .build()
        .unwrap();
    let mut request = get("/x");
    request.header("x-override", "request").unwrap();
    client.send_empty::<NoErrorBody>(request).await.unwrap();
    let err = Client::builder().base_url(server.uri()).default_header("bad name", "v").build().unwrap_err();
    assert!(matches!(err, BuildError::InvalidHeader { .. }), "{err:?}");

    let default = MockServer::start().await;
    Mock::given(header("user-agent", concat!("client-runtime/", env!("CARGO_PKG_VERSION"))))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&default)
        .await;
    client_at(&default.uri()).send_empty::<NoErrorBody>(get("/x")).await.unwrap();
}

// ---------------------------------------------------------------------------------------------- auth

#[tokio::test]
async fn auth_schemes() {
    let server = MockServer::start().await;
    Mock::given(path("/bearer"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(path("/header"))
        .and(header("x-auth-token", "tok-2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/query"))
        .and(query_param("api_key", "tok 3"))
        .and(query_param("limit", "5"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/basic"))
        .and(header("authorization", "Basic dXNlcjpwYXNz"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/cookie"))
        .and(header("cookie", "theme=dark; session=tok-4"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let build = |scheme: Option<AuthScheme>, token: &str| {
        let mut b = Client::builder().base_url(server.uri()).no_retries().token(token);
        if let Some(scheme) = scheme {
            b = b.auth_scheme(scheme);
        }
        b.build().unwrap()
    };
    build(None, "tok-1").send_empty::<NoErrorBody>(get("/bearer")).await.unwrap();
    build(Some(AuthScheme::Bearer), "tok-1").send_empty::<NoErrorBody>(get("/bearer")).await.unwrap();
    build(Some(AuthScheme::ApiKeyHeader("X-Auth-Token")), "tok-2")
        .send_empty::<NoErrorBody>(get("/header"))
        .await
        .unwrap();
    let mut request = get("/query");
    request.query("limit", 5);
    build(Some(AuthScheme::ApiKeyQuery("api_key")), "tok 3").send_empty::<NoErrorBody>(request).await.unwrap();
    let mut request = get("/cookie");
    request.header("cookie", "theme=dark").unwrap();
    build(Some(AuthScheme::ApiKeyCookie("session")), "tok-4").send_empty::<NoErrorBody>(request).await.unwrap();
    let basic = Client::builder()
        .base_url(server.uri())
        .auth_scheme(AuthScheme::Basic)
        .basic_auth("user", "pass")
        .build()
        .unwrap();
    basic.send_empty::<NoErrorBody>(get("/basic")).await.unwrap();
    server.verify().await;
    assert_eq!(requests(&server).await.len(), 6, "every call matched its scheme's mock");
    let err = Client::builder().base_url(server.uri()).token("bad\ntoken").build().unwrap_err();
    assert!(matches!(&err, BuildError::InvalidCredentials { .. }) && !err.to_string().contains("bad"), "{err}");
}

#[tokio::test]
async fn public_requests_carry_no_credentials() {
    let server = MockServer::start().await;
    Mock::given(path("/public")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    for scheme in [AuthScheme::Bearer, AuthScheme::ApiKeyHeader("x-api-key"), AuthScheme::ApiKeyQuery("api_key")] {
        let client =
            Client::builder().base_url(server.uri()).no_retries().auth_scheme(scheme).token("sekrit").build().unwrap();
        let mut request = get("/public");
        request.without_credentials();
        client.send_empty::<NoErrorBody>(request).await.unwrap();
        // The same client still authenticates everything else.
        client.send_empty::<NoErrorBody>(get("/public")).await.unwrap();
    }
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 6);
    for (index, request) in seen.iter().enumerate() {
        let carries = request.headers.values().any(|v| v.to_str().unwrap_or("").contains("sekrit"))
            || request.url.as_str().contains("sekrit");
        assert_eq!(carries, index % 2 == 1, "request {index}: {:?} {:?}", request.url, request.headers);
    }
}

#[test]
fn credentials_are_redacted_in_debug() {
    let builder = Client::builder()
        .base_url("https://api.example.com")
        .auth_scheme(AuthScheme::ApiKeyHeader("x-api-key"))
        .token("sekrit-token")
        .basic_auth("user", "sekrit-password");
    let text = format!("{builder:?}");
    assert!(!text.contains("sekrit") && text.contains("[redacted]"), "{text}");
    let client = builder.build().unwrap();
    let text = format!("{client:?}");
    assert!(!text.contains("sekrit") && text.contains("[redacted]") && text.contains("api.example.com"), "{text}");
    let mut request = get("/x");
    request.header("authorization", "Bearer sekrit-manual").unwrap();
    request.json(&serde_json::json!({"password": "sekrit-body"})).unwrap();
    let text = format!("{request:?}");
    assert!(!text.contains("sekrit") && text.contains("authorization"), "{text}");
    let secret = Secret::new("sekrit");
    assert_eq!((format!("{secret}"), format!("{secret:?}")), ("[redacted]".to_owned(), "[redacted]".to_owned()));
    assert_eq!(secret.expose_secret(), "sekrit");
}

// ---------------------------------------------------------------------------------------------- servers

static RACKSPACE: [ServerVariable; 1] =
    [ServerVariable { name: "region", default: "dfw", allowed: &["dfw", "ord", "iad"] }];

#[tokio::test]
async fn server_template_and_variables() {
    let template = "https://{region}.images.api.rackspacecloud.com/v2";
    let client = Client::builder().server(template, &RACKSPACE).build().unwrap();
    assert_eq!(client.base_url().as_str(), "https://dfw.images.api.rackspacecloud.com/v2");
    let client = Client::builder().server(template, &RACKSPACE).server_variable("region", "ord").build().unwrap();
    assert_eq!(client.base_url().as_str(), "https://ord.images.api.rackspacecloud.com/v2");
    let err = Client::builder().server(template, &RACKSPACE).server_variable("region", "lon").build().unwrap_err();
    assert!(
        matches!(&err, BuildError::InvalidServerVariable { name, value, .. } if name == "region" && value == "lon")
    );
    assert_eq!(err.to_string(), "server variable `region` cannot be `lon` (allowed: dfw, ord, iad)");
    let err = Client::builder().server(template, &RACKSPACE).server_variable("zone", "a").build().unwrap_err();
    assert!(matches!(&err, BuildError::UnknownServerVariable { name, .. } if name == "zone"), "{err}");
    // base_url overrides the template.
    let client = Client::builder().server(template, &RACKSPACE).base_url("http://localhost:9/v9").build().unwrap();
    assert_eq!(client.base_url().as_str(), "http://localhost:9/v9");
    assert!(matches!(Client::builder().build(), Err(BuildError::MissingBaseUrl)));
    for bad in ["not a url", "ftp://host/x", "/relative", "https://user:pw@host/"] {
        let err = Client::builder().base_url(bad).build().unwrap_err();
        assert!(matches!(err, BuildError::InvalidUrl { .. }), "{bad}: {err:?}");
    }

    // A template whose expansion reaches a live server.
    let server = MockServer::start().await;
    Mock::given(path("/v2/images")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let port = server.address().port().to_string();
    let variables: &'static [ServerVariable] = Box::leak(Box::new([
        ServerVariable { name: "port", default: "1", allowed: &[] },
        ServerVariable { name: "version", default: "v2", allowed: &["v1", "v2"] },
    ]));
    let client = Client::builder()
        .server("http://127.0.0.1:{port}/{version}", variables)
        .server_variable("port", port)
        .build()
        .unwrap();
    client.send_empty::<NoErrorBody>(get("/images")).await.unwrap();
}

// ---------------------------------------------------------------------------------------------- pagination

#[derive(Debug, Deserialize)]
struct Page {
    items: Vec<String>,
    #[serde(default)]
    next: Option<String>,
}

fn page_body(items: &[&str], next: Option<&str>) -> serde_json::Value {
    serde_json::json!({ "items": items, "next": next })
}

fn next_nav(page: &Page) -> PageNav {
    PageNav { next: page.next.clone(), ..PageNav::default() }
}

fn last_id_nav(page: &Page) -> PageNav {
    PageNav { last_id: page.items.last().cloned(), ..PageNav::default() }
}

fn take_items(page: Page) -> Vec<String> {
    page.items
}

async fn collect_items(paginator: Paginator<Page, String, NoErrorBody>) -> Vec<Result<String, Error>> {
    tokio::time::timeout(Duration::from_secs(10), paginator.items().collect()).await.expect("the stream ends")
}

fn query_of(request: &wiremock::Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn page_number_pagination() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(path("/v2/droplets"))
        .respond_with(move |req: &wiremock::Request| {
            let page: u32 = query_of(req, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let next = (page < 3).then(|| format!("{uri}/v2/droplets?page={}&per_page=2", page + 1));
            let items = [format!("d{page}a"), format!("d{page}b")];
            ResponseTemplate::new(200).set_body_json(page_body(&[&items[0], &items[1]], next.as_deref()))
        })
        .mount(&server)
        .await;
    let client = client_at(&format!("{}/v2", server.uri()));
    let mut request = get("/droplets");
    request.query("per_page", 2);
    let style = PaginationStyle::PageNumber { page_param: "page", first_page: 1 };
    let items = collect_items(Paginator::new(client.clone(), request.clone(), style, next_nav, take_items)).await;
    let items: Vec<String> = items.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(items, ["d1a", "d1b", "d2a", "d2b", "d3a", "d3b"]);
    assert_eq!(queries(&server).await, ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]);

    // Pages as a stream, starting from the page already in the request.
    let server = MockServer::start().await;
    Mock::given(query_param("page", "5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["e"], Some("true"))))
        .mount(&server)
        .await;
    Mock::given(query_param("page", "6"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["f"], Some("/items?page=9"))))
        .mount(&server)
        .await;
    Mock::given(query_param("page", "9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["g"], None)))
        .mount(&server)
        .await;
    let mut request = get("/items");
    request.query("page", 5);
    let pages: Vec<Page> =
        Paginator::<_, _, NoErrorBody>::new(client_at(&server.uri()), request, style, next_nav, take_items)
            .pages()
            .try_collect()
            .await
            .unwrap();
    assert_eq!(pages.iter().map(|p| p.items[0].as_str()).collect::<Vec<_>>(), ["e", "f", "g"]);
    assert_eq!(queries(&server).await, ["page=5", "page=6", "page=9"]);
}

#[tokio::test]
async fn marker_pagination_with_next_links() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/images"))
        .respond_with(|req: &wiremock::Request| {
            let (items, next): (&[&str], _) = match query_of(req, "marker").as_deref() {
                None => (&["a", "b"], Some("/v2/images?limit=2&marker=b")),
                Some("b") => (&["c", "d"], Some("/v2/images?limit=2&marker=d")),
                Some("d") => (&["e"], None),
                Some(_) => return ResponseTemplate::new(400),
            };
            ResponseTemplate::new(200).set_body_json(page_body(items, next))
        })
        .mount(&server)
        .await;
    let client = client_at(&format!("{}/v2", server.uri()));
    let mut request = get("/images");
    request.query("limit", 2);
    let style = PaginationStyle::Marker { marker_param: "marker", limit_param: None };
    let items: Vec<String> = collect_items(Paginator::new(client.clone(), request, style, next_nav, take_items))
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    assert_eq!(queries(&server).await, ["limit=2", "limit=2&marker=b", "limit=2&marker=d"]);
    assert!(requests(&server).await.iter().all(|r| r.url.path() == "/v2/images"));
}

#[tokio::test]
async fn marker_pagination_with_last_id() {
    let server = MockServer::start().await;
    Mock::given(path("/images"))
        .respond_with(|req: &wiremock::Request| {
            let items: &[&str] = match query_of(req, "marker").as_deref() {
                None => &["a", "b"],
                Some("b") => &["c", "d"],
                Some("d") => &["e", "f"],
                Some(_) => &[],
            };
            ResponseTemplate::new(200).set_body_json(page_body(items, None))
        })
        .mount(&server)
        .await;
    let mut request = get("/images");
    request.query("limit", 2);
    let style = PaginationStyle::Marker { marker_param: "marker", limit_param: None };
    let items: Vec<String> =
        collect_items(Paginator::new(client_at(&server.uri()), request, style, last_id_nav, take_items))
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e", "f"]);
    assert_eq!(queries(&server).await, ["limit=2", "limit=2&marker=b", "limit=2&marker=d", "limit=2&marker=f"]);
}

#[tokio::test]
async fn page_token_pagination() {
    let server = MockServer::start().await;
    Mock::given(path("/instances"))
        .respond_with(|req: &wiremock::Request| {
            let (items, next): (&[&str], _) = match query_of(req, "pageToken").as_deref() {
                None => (&["i1", "i2"], "t+1/="),
                Some("t+1/=") => (&["i3", "i4"], "t2"),
                Some("t2") => (&["i5"], ""),
                Some(_) => return ResponseTemplate::new(400),
            };
            ResponseTemplate::new(200).set_body_json(page_body(items, Some(next)))
        })
        .mount(&server)
        .await;
    let mut request = get("/instances");
    request.query("pageSize", 2);
    let style = PaginationStyle::PageToken { token_param: "pageToken" };
    let items: Vec<String> =
        collect_items(Paginator::new(client_at(&server.uri()), request, style, next_nav, take_items))
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .unwrap();
    assert_eq!(items, ["i1", "i2", "i3", "i4", "i5"]);
    assert_eq!(queries(&server).await, ["pageSize=2", "pageSize=2&pageToken=t%2B1%2F%3D", "pageSize=2&pageToken=t2"]);
}

#[tokio::test]
async fn link_header_pagination() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(path("/v2/things"))
        .respond_with(move |req: &wiremock::Request| {
            let (items, link): (&[&str], _) = match query_of(req, "cursor").as_deref() {
                None => (
                    &["a", "b"],
                    Some(format!(
                        r#"<{uri}/v2/things?cursor=c2&limit=2>; rel="next", <{uri}/v2/things?cursor=c9>; rel="last""#
                    )),
                ),
                Some("c2") => (&["c", "d"], Some("</v2/things?cursor=c3&limit=2>; rel=\"prev next\"".to_owned())),
                Some("c3") => (&["e"], Some(format!("<{uri}/v2/things>; rel=first"))),
                Some(_) => return ResponseTemplate::new(400),
            };
            let mut response = ResponseTemplate::new(200).set_body_json(page_body(items, None));
            if let Some(link) = link {
                response = response.insert_header("link", link.as_str());
            }
            response
        })
        .mount(&server)
        .await;
    let mut request = get("/things");
    request.query("limit", 2);
    let client = client_at(&format!("{}/v2", server.uri()));
    let items: Vec<String> =
        collect_items(Paginator::new(client.clone(), request, PaginationStyle::LinkHeader, next_nav, take_items))
            .await
            .into_iter()
            .collect::<Result<_, _>>()
            .unwrap();
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    assert_eq!(queries(&server).await, ["limit=2", "cursor=c2&limit=2", "cursor=c3&limit=2"]);
}

fn assert_repeated(items: &[Result<String, Error>], expected_ok: usize, cursor: &str, page: usize) {
    assert_eq!(items.len(), expected_ok + 1, "{items:?}");
    assert!(items[..expected_ok].iter().all(|i| i.is_ok()), "{items:?}");
    match &items[expected_ok] {
        Err(Error::Pagination(PaginationError::RepeatedCursor { cursor: c, page: p })) => {
            assert_eq!((c.as_str(), *p), (cursor, page));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn repeated_cursors_are_errors() {
    // Page numbers: the next link always points at page 2.
    let server = MockServer::start().await;
    Mock::given(path("/p"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["x"], Some("/p?page=2"))))
        .mount(&server)
        .await;
    let client = client_at(&server.uri());
    let style = PaginationStyle::PageNumber { page_param: "page", first_page: 1 };
    assert_repeated(
        &collect_items(Paginator::new(client.clone(), get("/p"), style, next_nav, take_items)).await,
        2,
        "2",
        3,
    );
    assert_eq!(requests(&server).await.len(), 2);

    // Marker links: the same next link on every page.
    let server = MockServer::start().await;
    Mock::given(path("/m"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["x"], Some("/m?marker=x"))))
        .mount(&server)
        .await;
    let client = client_at(&server.uri());
    let style = PaginationStyle::Marker { marker_param: "marker", limit_param: None };
    assert_repeated(
        &collect_items(Paginator::new(client.clone(), get("/m"), style, next_nav, take_items)).await,
        2,
        "/m?marker=x",
        3,
    );

    // Markers from the last id: the server ignores the marker.
    assert_repeated(
        &collect_items(Paginator::new(client.clone(), get("/m"), style, last_id_nav, take_items)).await,
        2,
        "x",
        3,
    );

    // A next link back to the first page.
    let server = MockServer::start().await;
    Mock::given(path("/m"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["x"], Some("/m?limit=1"))))
        .mount(&server)
        .await;
    let mut request = get("/m");
    request.query("limit", 1);
    let pages: Vec<_> =
        Paginator::<_, _, NoErrorBody>::new(client_at(&server.uri()), request, style, next_nav, take_items)
            .pages()
            .collect()
            .await;
    assert!(matches!(
        pages.as_slice(),
        [Ok(_), Err(Error::Pagination(PaginationError::RepeatedCursor { page: 2, .. }))]
    ));

    // Page tokens.
    let server = MockServer::start().await;
    Mock::given(path("/t"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["x"], Some("same"))))
        .mount(&server)
        .await;
    let style = PaginationStyle::PageToken { token_param: "pageToken" };
    let items = collect_items(Paginator::new(client_at(&server.uri()), get("/t"), style, next_nav, take_items)).await;
    assert_repeated(&items, 2, "same", 3);

    // Link headers.
    let server = MockServer::start().await;
    Mock::given(path("/l"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page_body(&["x"], None))
                .insert_header("link", "</l?c=1>; rel=next"),
        )
        .mount(&server)
        .await;
    let items = collect_items(Paginator::new(
        client_at(&server.uri()),
        get("/l"),
        PaginationStyle::LinkHeader,
        next_nav,
        take_items,
    ))
    .await;
    assert_repeated(&items, 2, "/l?c=1", 3);
}

#[tokio::test]
async fn link_header_links_behind_a_path_prefix() {
    // The service answers `/v2/...` links, unaware of the `/api` prefix a proxy serves it under.
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/things"))
        .respond_with(move |req: &wiremock::Request| {
            let link = match query_of(req, "cursor").as_deref() {
                None => Some("</v2/things?cursor=c2>; rel=next"),
                Some("c2") => Some("</api/v2/things?cursor=c3>; rel=next"),
                Some("c3") => Some("<things?cursor=c4>; rel=next"),
                Some(_) => None,
            };
            let mut response = ResponseTemplate::new(200).set_body_json(page_body(&["x"], None));
            if let Some(link) = link {
                response = response.insert_header("link", link);
            }
            response
        })
        .mount(&server)
        .await;
    let client = client_at(&format!("{}/api/v2", server.uri()));
    let items = collect_items(Paginator::new(
        client.clone(),
        get("/things"),
        PaginationStyle::LinkHeader,
        next_nav,
        take_items,
    ))
    .await;
    assert_eq!(items.len(), 4, "{items:?}");
    let targets: Vec<String> =
        requests(&server).await.iter().map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or(""))).collect();
    assert_eq!(
        targets,
        ["/api/v2/things?", "/api/v2/things?cursor=c2", "/api/v2/things?cursor=c3", "/api/v2/things?cursor=c4"]
    );
}

#[tokio::test]
async fn next_links_stay_on_the_base_origin() {
    let server = MockServer::start().await;
    Mock::given(path("/m"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(page_body(&["x"], Some("https://elsewhere.example/m?p=2"))),
        )
        .mount(&server)
        .await;
    let style = PaginationStyle::Marker { marker_param: "marker", limit_param: None };
    let items = collect_items(Paginator::new(client_at(&server.uri()), get("/m"), style, next_nav, take_items)).await;
    assert!(matches!(items.as_slice(), [Ok(_), Err(Error::Pagination(PaginationError::InvalidNextLink { .. }))]));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn page_and_item_limits() {
    let server = MockServer::start().await;
    Mock::given(path("/endless"))
        .respond_with(|req: &wiremock::Request| {
            let page = query_of(req, "page").unwrap_or_else(|| "1".into());
            let items = [format!("{page}a"), format!("{page}b")];
            ResponseTemplate::new(200).set_body_json(page_body(&[&items[0], &items[1]], Some("more")))
        })
        .mount(&server)
        .await;
    let client = client_at(&server.uri());
    let style = PaginationStyle::PageNumber { page_param: "page", first_page: 1 };
    let pages: Vec<Page> =
        Paginator::<_, _, NoErrorBody>::new(client.clone(), get("/endless"), style, next_nav, take_items)
            .max_pages(3)
            .pages()
            .try_collect()
            .await
            .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(requests(&server).await.len(), 3);

    let items: Vec<String> =
        Paginator::<_, _, NoErrorBody>::new(client.clone(), get("/endless"), style, next_nav, take_items)
            .max_items(5)
            .items()
            .try_collect()
            .await
            .unwrap();
    assert_eq!(items, ["1a", "1b", "2a", "2b", "3a"]);
    assert_eq!(requests(&server).await.len(), 6, "no page past the one with the last item");

    let items: Vec<String> =
        Paginator::<_, _, NoErrorBody>::new(client.clone(), get("/endless"), style, next_nav, take_items)
            .max_pages(2)
            .max_items(10)
            .items()
            .try_collect()
            .await
            .unwrap();
    assert_eq!(items.len(), 4);
    let none: Vec<String> =
        Paginator::<_, _, NoErrorBody>::new(client.clone(), get("/endless"), style, next_nav, take_items)
            .max_items(0)
            .items()
            .try_collect()
            .await
            .unwrap();
    assert!(none.is_empty());
    assert_eq!(requests(&server).await.len(), 8);
}

#[tokio::test]
async fn pagination_errors_end_the_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["a"], Some("more"))))
        .mount(&server)
        .await;
    Mock::given(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(404).set_body_string(r#"{"code": 404, "message": "gone"}"#))
        .mount(&server)
        .await;
    let style = PaginationStyle::PageNumber { page_param: "page", first_page: 1 };
    let client = client_at(&server.uri());
    let items: Vec<Result<String, Error<GetThingError>>> =
        Paginator::new(client.clone(), get("/p"), style, next_nav, take_items).items().collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().ok().map(String::as_str), Some("a"));
    assert!(matches!(&items[1], Err(e) if e.status() == Some(StatusCode::NOT_FOUND) && e.api_body().is_some()));
}

/// A page carrying every signal a listing can end on.
#[derive(Debug, Deserialize)]
struct Counted {
    items: Vec<String>,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    has_more: Option<bool>,
    #[serde(default)]
    total_items: Option<u64>,
    #[serde(default)]
    total_pages: Option<u64>,
}

fn counted_nav(page: &Counted) -> PageNav {
    PageNav {
        next: page.next.clone(),
        last_id: page.items.last().cloned(),
        has_more: page.has_more,
        total_items: page.total_items,
        total_pages: page.total_pages,
        items: page.items.len(),
    }
}

fn counted_items(page: Counted) -> Vec<String> {
    page.items
}

/// Serves `/items` with the body `respond` makes from the request's query parameter `param` (absent: `None`).
async fn counted_server(param: &'static str, respond: fn(Option<&str>) -> serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(move |req: &wiremock::Request| {
            ResponseTemplate::new(200).set_body_json(respond(query_of(req, param).as_deref()))
        })
        .mount(&server)
        .await;
    server
}

async fn counted(server: &MockServer, request: Request, style: PaginationStyle) -> Vec<String> {
    let paginator: Paginator<Counted, String, NoErrorBody> =
        Paginator::new(client_at(&server.uri()), request, style, counted_nav, counted_items);
    tokio::time::timeout(Duration::from_secs(10), paginator.items().try_collect())
        .await
        .expect("the stream ends")
        .unwrap()
}

#[tokio::test]
async fn page_numbers_stop_at_the_total_pages_the_total_items_or_has_more() {
    let style = PaginationStyle::PageNumber { page_param: "page", first_page: 1 };
    // Total pages: page 3 of 3 is the last.
    let server = counted_server("page", |page| {
        let page = page.unwrap_or("1");
        serde_json::json!({"items": [format!("p{page}")], "total_pages": 3})
    })
    .await;
    assert_eq!(counted(&server, get("/items"), style).await, ["p1", "p2", "p3"]);
    assert_eq!(queries(&server).await, ["", "page=2", "page=3"]);
    // Total items: five items, two a page.
    let server = counted_server("page", |page| match page {
        None => serde_json::json!({"items": ["a", "b"], "total_items": 5}),
        Some("2") => serde_json::json!({"items": ["c", "d"], "total_items": 5}),
        _ => serde_json::json!({"items": ["e"], "total_items": 5}),
    })
    .await;
    assert_eq!(counted(&server, get("/items"), style).await, ["a", "b", "c", "d", "e"]);
    assert_eq!(queries(&server).await, ["", "page=2", "page=3"]);
    // A has-more flag.
    let server = counted_server(
        "page",
        |page| serde_json::json!({"items": [page.unwrap_or("1")], "has_more": page != Some("3")}),
    )
    .await;
    assert_eq!(counted(&server, get("/items"), style).await, ["1", "2", "3"]);
    // No signal at all: the first page is the last.
    let server = counted_server("page", |_| serde_json::json!({"items": ["only"]})).await;
    assert_eq!(counted(&server, get("/items"), style).await, ["only"]);
    assert_eq!(queries(&server).await, [""]);
}

#[tokio::test]
async fn offsets_advance_by_the_items_read() {
    let style = PaginationStyle::Offset { offset_param: "offset", limit_param: Some("limit") };
    // has-more decides before a short page would: the servers's page size may be smaller than the limit asked for.
    let server = counted_server("offset", |offset| match offset {
        None => serde_json::json!({"items": ["a", "b"], "has_more": true}),
        Some("2") => serde_json::json!({"items": ["c"], "has_more": true}),
        _ => serde_json::json!({"items": ["d"], "has_more": false}),
    })
    .await;
    let mut request = get("/items");
    request.query("limit", 10);
    assert_eq!(counted(&server, request, style).await, ["a", "b", "c", "d"]);
    assert_eq!(queries(&server).await, ["limit=10", "limit=10&offset=2", "limit=10&offset=3"]);
    // Starting from the request's own offset.
    let server = counted_server("offset", |offset| match offset {
        Some("5") => serde_json::json!({"items": ["f", "g"], "total_items": 8}),
        _ => serde_json::json!({"items": ["h"], "total_items": 8}),
    })
    .await;
    let mut request = get("/items");
    request.query("offset", 5);
    assert_eq!(counted(&server, request, style).await, ["f", "g", "h"]);
    assert_eq!(queries(&server).await, ["offset=5", "offset=7"]);
}

#[tokio::test]
async fn has_more_false_ends_a_listing_that_still_hands_out_a_cursor() {
    // OpenAI's `last_id` is set on the last page too; `has_more: false` says it leads nowhere.
    let style = PaginationStyle::PageToken { token_param: "after" };
    let server = counted_server("after", |after| match after {
        None => serde_json::json!({"items": ["a"], "next": "a", "has_more": true}),
        _ => serde_json::json!({"items": ["b"], "next": "b", "has_more": false}),
    })
    .await;
    assert_eq!(counted(&server, get("/items"), style).await, ["a", "b"]);
    assert_eq!(queries(&server).await, ["", "after=a"]);
    // A marker from the last item's id (Stripe's `starting_after`), short pages and all, while has_more says so.
    let style = PaginationStyle::Marker { marker_param: "starting_after", limit_param: Some("limit") };
    let server = counted_server("starting_after", |after| match after {
        None => serde_json::json!({"items": ["a"], "has_more": true}),
        Some("a") => serde_json::json!({"items": ["b"], "has_more": true}),
        _ => serde_json::json!({"items": ["c"], "has_more": false}),
    })
    .await;
    let mut request = get("/items");
    request.query("limit", 3);
    assert_eq!(counted(&server, request, style).await, ["a", "b", "c"]);
    assert_eq!(queries(&server).await, ["limit=3", "limit=3&starting_after=a", "limit=3&starting_after=b"]);
}

#[tokio::test]
async fn next_links_in_the_body_are_followed_on_the_same_origin_only() {
    let style = PaginationStyle::NextLink;
    let server = counted_server("p", |p| match p {
        None => serde_json::json!({"items": ["a"], "next": "/items?p=2"}),
        Some("2") => serde_json::json!({"items": ["b"], "next": "https://elsewhere.example/items?p=3"}),
        _ => serde_json::json!({"items": []}),
    })
    .await;
    let paginator: Paginator<Counted, String, NoErrorBody> =
        Paginator::new(client_at(&server.uri()), get("/items"), style, counted_nav, counted_items);
    let items: Vec<_> = paginator.items().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(matches!(&items[2], Err(Error::Pagination(PaginationError::InvalidNextLink { .. }))), "{items:?}");
    assert_eq!(queries(&server).await, ["", "p=2"]);
}

#[tokio::test]
async fn zero_based_page_numbers_and_pages_that_ignore_the_position() {
    // Pages 0, 1, 2 of a zero-based listing.
    let style = PaginationStyle::PageNumber { page_param: "page", first_page: 0 };
    let server = counted_server("page", |page| {
        let page = page.unwrap_or("0");
        serde_json::json!({"items": [format!("p{page}")], "total_pages": 3})
    })
    .await;
    assert_eq!(counted(&server, get("/items"), style).await, ["p0", "p1", "p2"]);
    assert_eq!(queries(&server).await, ["", "page=1", "page=2"]);
    // A server that ignores the offset sends the same page again: an error, not an endless listing.
    let style = PaginationStyle::Offset { offset_param: "offset", limit_param: None };
    let server = counted_server("offset", |_| serde_json::json!({"items": ["a", "b"]})).await;
    let paginator: Paginator<Counted, String, NoErrorBody> =
        Paginator::new(client_at(&server.uri()), get("/items"), style, counted_nav, counted_items);
    let pages: Vec<_> = paginator.pages().collect().await;
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(matches!(&pages[2], Err(Error::Pagination(PaginationError::RepeatedPage { page: 2 }))), "{pages:?}");
}

#[tokio::test]
async fn a_page_shorter_than_the_limit_but_as_long_as_the_server_serves_is_not_the_last() {
    // Asked for 10 a page, the server serves at most 2: a page of 2 is full, a page of 1 is the last.
    let style = PaginationStyle::Offset { offset_param: "offset", limit_param: Some("limit") };
    let server = counted_server("offset", |offset| match offset {
        None => serde_json::json!({"items": ["a", "b"]}),
        Some("2") => serde_json::json!({"items": ["c", "d"]}),
        _ => serde_json::json!({"items": ["e"]}),
    })
    .await;
    let mut request = get("/items");
    request.query("limit", 10);
    assert_eq!(counted(&server, request, style).await, ["a", "b", "c", "d", "e"]);
    assert_eq!(queries(&server).await, ["limit=10", "limit=10&offset=2", "limit=10&offset=4"]);
}
