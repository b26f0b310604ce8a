//! Helpers shared by every client's tests: the examples of a spec, client construction against a wiremock
//! server, and assertions on the requests that server received.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use wiremock::MockServer;

/// The token every test client sends; unusual enough that finding it anywhere else is a leak.
pub const TOKEN: &str = "tok-3f9a.Zq_7";
/// Attempts allowed by [`fast_retries!`].
pub const MAX_ATTEMPTS: u32 = 3;
/// Per-attempt timeout of [`timeout_client!`].
pub const TIMEOUT: Duration = Duration::from_millis(200);
/// How long the slow server waits before answering: far longer than [`TIMEOUT`].
pub const SLOW: Duration = Duration::from_secs(3);

/// A retry policy of [`MAX_ATTEMPTS`] attempts with 1–10ms backoffs, of the given client crate's runtime
/// (the GMI vendor crate carries its own copy of the runtime, so the type is per crate).
macro_rules! fast_retries {
    ($krate:ident) => {
        $krate::runtime::RetryPolicy::new()
            .max_attempts($crate::common::MAX_ATTEMPTS)
            .initial_backoff(::std::time::Duration::from_millis(1))
            .max_backoff(::std::time::Duration::from_millis(10))
    };
}

/// A client of crate `$krate` for base URL `$base` with the test token and fast retries (or `$policy`).
macro_rules! client {
    ($krate:ident, $base:expr) => {
        client!($krate, $base, fast_retries!($krate))
    };
    ($krate:ident, $base:expr, $policy:expr) => {
        $krate::Client::builder()
            .base_url($base)
            .token($crate::common::TOKEN)
            .retry_policy($policy)
            .build()
            .expect("client builds")
    };
}

/// A client with no retries: one attempt per call.
macro_rules! single_attempt_client {
    ($krate:ident, $base:expr) => {
        client!($krate, $base, $krate::runtime::RetryPolicy::disabled())
    };
}

/// A client whose attempts time out after [`TIMEOUT`], without retries.
macro_rules! timeout_client {
    ($krate:ident, $base:expr) => {
        $krate::Client::builder()
            .base_url($base)
            .token($crate::common::TOKEN)
            .timeout($crate::common::TIMEOUT)
            .no_retries()
            .build()
            .expect("client builds")
    };
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// A spec under `specs/`, as JSON.
pub fn load_spec(name: &str) -> Value {
    let path = repo_root().join("specs").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// Follows a local `$ref` (`#/components/...`) until the value is not a reference.
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("non-local $ref {reference}"));
        value = doc.pointer(pointer).unwrap_or_else(|| panic!("dangling $ref {reference}"));
    }
    value
}

/// One example of one response of an operation.
#[derive(Debug, Clone)]
pub struct Example {
    /// The response key: `200`, `401`, `default`, ...
    pub status: String,
    /// The example's name (`example` for a lone `example:`).
    pub name: String,
    /// The example body.
    pub value: Value,
}

impl Example {
    /// The HTTP status to serve it with; `default` responses get `default_status`.
    pub fn http_status(&self, default_status: u16) -> u16 {
        if self.status == "default" {
            default_status
        } else {
            self.status.parse().unwrap_or_else(|_| panic!("response key {}", self.status))
        }
    }
}

/// The operation object `method path` of `spec`.
fn operation<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    doc.get("paths")
        .and_then(|p| p.get(path))
        .and_then(|p| p.get(method))
        .unwrap_or_else(|| panic!("no operation {method} {path}"))
}

/// Every example of every response of the operation `method path` (both `examples:` maps and lone
/// `example:` values of the `application/json` content, `$ref`s resolved), in spec order.
pub fn response_examples(spec: &str, path: &str, method: &str) -> Vec<Example> {
    let doc = load_spec(spec);
    let responses =
        operation(&doc, path, method).get("responses").and_then(Value::as_object).expect("operation has responses");
    let mut out = Vec::new();
    for (status, response) in responses {
        let response = resolve(&doc, response);
        let Some(media) = response.pointer("/content/application~1json") else { continue };
        if let Some(examples) = media.get("examples").and_then(Value::as_object) {
            for (name, example) in examples {
                let example = resolve(&doc, example);
                let value = example.get("value").unwrap_or_else(|| panic!("example {name} has no value")).clone();
                out.push(Example { status: status.clone(), name: name.clone(), value });
            }
        }
        if let Some(value) = media.get("example") {
            out.push(Example { status: status.clone(), name: "example".into(), value: value.clone() });
        }
    }
    out
}

/// The response keys (`200`, `401`, ..., `default`) of the operation `method path`, in spec order.
pub fn documented_statuses(spec: &str, path: &str, method: &str) -> Vec<String> {
    let doc = load_spec(spec);
    operation(&doc, path, method)
        .get("responses")
        .and_then(Value::as_object)
        .expect("operation has responses")
        .keys()
        .cloned()
        .collect()
}

/// The error statuses the spec documents explicitly (not `2xx`, not `default`), as numbers.
pub fn documented_error_statuses(spec: &str, path: &str, method: &str) -> Vec<u16> {
    documented_statuses(spec, path, method).iter().filter_map(|s| s.parse::<u16>().ok()).filter(|s| *s >= 400).collect()
}

/// Every request the server received.
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("request recording is on")
}

/// The raw (still encoded) query of each request the server received, `""` for none.
pub async fn queries(server: &MockServer) -> Vec<String> {
    received(server).await.iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect()
}

/// Asserts that `request` carries the token exactly once, as header `name` with value `value`, and nowhere
/// else (no other header, no query parameter, no cookie).
pub fn assert_only_auth(request: &wiremock::Request, name: &str, value: &str) {
    let values: Vec<_> = request.headers.get_all(name).iter().map(|v| v.to_str().unwrap_or("<binary>")).collect();
    assert_eq!(values, vec![value], "{name} header of {}", request.url);
    for (header, v) in request.headers.iter() {
        if header.as_str().eq_ignore_ascii_case(name) {
            continue;
        }
        let text = String::from_utf8_lossy(v.as_bytes());
        assert!(!text.contains(TOKEN), "token leaked in header {header}: {text}");
    }
    for other in ["authorization", "x-auth-token", "cookie", "proxy-authorization", "x-api-key", "api-key"] {
        if !other.eq_ignore_ascii_case(name) {
            assert!(request.headers.get(other).is_none(), "unexpected {other} header on {}", request.url);
        }
    }
    assert!(!request.url.as_str().contains(TOKEN), "token leaked in the URL {}", request.url);
}

/// Asserts bearer authentication with the test token and no other credentials.
pub fn assert_bearer(request: &wiremock::Request) {
    assert_only_auth(request, "authorization", &format!("Bearer {TOKEN}"));
}

/// Asserts `GET path` with the given raw query (`""` for none).
pub fn assert_get(request: &wiremock::Request, path: &str, query: &str) {
    assert_eq!(request.method.as_str(), "GET", "method of {}", request.url);
    assert_eq!(request.url.path(), path, "path of {}", request.url);
    assert_eq!(request.url.query().unwrap_or(""), query, "query of {}", request.url);
}

/// A JSON body response.
pub fn json(status: u16, body: &Value) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// A raw JSON text response (for bodies that must keep a key order or are malformed on purpose).
pub fn raw_json(status: u16, body: &str) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

/// A string that is `len` characters long.
pub fn long_string(len: usize) -> String {
    "b".repeat(len)
}
