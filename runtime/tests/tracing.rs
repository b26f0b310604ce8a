//! Every request runs in an `http.request` span, retries are traced, and credentials never reach the trace.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_runtime::{AuthScheme, Client, NoErrorBody, Request, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Records every span name and every field and message, as text.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Text<'a>(&'a mut String);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Text(&mut line));
        self.lines.lock().unwrap().push(line);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = String::from("record");
        values.record(&mut Text(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = String::from("event");
        event.record(&mut Text(&mut line));
        self.lines.lock().unwrap().push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn requests_and_retries_are_traced_without_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&server).await;
    let client: Client = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .auth_scheme(AuthScheme::ApiKeyQuery("api_key"))
        .token("sup3r-s3cret-t0ken")
        .retry_policy(RetryPolicy::new().max_attempts(3).initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let recorder = Recorder::default();
    let dispatch = tracing::Dispatch::new(recorder.clone());
    let _guard = tracing::dispatcher::set_default(&dispatch);
    let body: serde_json::Value =
        client.send::<_, NoErrorBody>(Request::new(reqwest::Method::GET, "/images")).await.unwrap();
    assert_eq!(body, serde_json::json!({}));
    drop(_guard);

    let lines = recorder.lines.lock().unwrap().clone();
    let spans = lines.iter().filter(|l| l.starts_with("span http.request")).count();
    assert_eq!(spans, 2, "one span per attempt: {lines:#?}");
    assert!(lines.iter().any(|l| l.contains("/v2/images")), "the span names the path: {lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("event") && l.contains("retrying")), "{lines:#?}");
    assert!(lines.iter().all(|l| !l.contains("sup3r-s3cret-t0ken")), "credentials leaked into the trace: {lines:#?}");
}
