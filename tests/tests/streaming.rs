//! Bodies that do not fit in memory, on the wire: binary downloads read as a byte stream, uploads from a stream or
//! a file, and `text/event-stream` responses as typed events; and the errors of generated operations as standard
//! errors that convert into one untyped error.
//!
//! The streaming feature client (`specs/features/streaming.yaml`) serves every test. Where a test must show that a
//! body is read as it arrives rather than once complete, the server is a bare TCP listener that holds the rest of
//! the body back until the test has seen the first part.

use std::sync::Arc;
use std::time::Duration;

use client_runtime::{AnyError, Body, Error, RetryPolicy};
use feature_streaming::types::{CompletionChunk, CompletionRequest};
use feature_streaming::{Client, CreateCompletionError, DownloadFileError, UploadFileError};
use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .token("tok-stream")
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

/// A server for one connection: it reads the request head, sends `head` and `first`, waits for `release`, then
/// sends `rest` and closes (the body ends at the close: no `Content-Length`).
async fn held_back_server(head: &'static str, first: &'static str, rest: &'static str, release: Arc<Notify>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = socket.read(&mut buffer).await.unwrap();
            assert!(read > 0, "the client closed before sending its request");
            request.extend_from_slice(&buffer[..read]);
        }
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(first.as_bytes()).await.unwrap();
        socket.flush().await.unwrap();
        release.notified().await;
        socket.write_all(rest.as_bytes()).await.unwrap();
        socket.shutdown().await.unwrap();
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_download_is_a_byte_stream_with_the_response_headers() {
    let server = MockServer::start().await;
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/files/f1/content"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-dl")
                .set_body_raw(content.clone(), "application/octet-stream"),
        )
        .mount(&server)
        .await;
    let stream = client(&server.uri()).download_file("f1").send_streaming().await.unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.content_length(), Some(content.len() as u64));
    assert_eq!(stream.request_id(), Some("req-dl"));
    let chunks: Vec<_> = stream.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), content);

    // The buffered form still reads the same bytes.
    let whole = client(&server.uri()).download_file("f1").send().await.unwrap();
    assert_eq!(whole.as_ref(), content.as_slice());
}

#[tokio::test]
async fn a_download_yields_its_first_chunk_before_the_body_is_complete_and_past_the_timeout() {
    let release = Arc::new(Notify::new());
    let base = held_back_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\nconnection: close\r\n\r\n",
        "first part;",
        "second part",
        release.clone(),
    )
    .await;
    let client = Client::builder().base_url(&base).token("t").timeout(Duration::from_millis(300)).build().unwrap();
    let mut stream = client.download_file("f1").send_streaming().await.unwrap();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.as_ref(), b"first part;", "the first chunk arrives while the server holds back the rest");
    // The client's timeout covers the wait for the headers, not a body that takes longer.
    tokio::time::sleep(Duration::from_millis(500)).await;
    release.notify_one();
    let rest = stream.collect().await.unwrap();
    assert_eq!(rest.as_ref(), b"second part");
}

#[tokio::test]
async fn a_download_error_status_is_the_typed_error_and_displays_its_description() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no file f9"})))
        .mount(&server)
        .await;
    let error = client(&server.uri()).download_file("f9").send_streaming().await.unwrap_err();
    match error.api_body() {
        Some(DownloadFileError::NotFound(problem)) => assert_eq!(problem.message, "no file f9"),
        other => panic!("expected the documented 404, got {other:?}"),
    }
    let body = error.api_body().unwrap();
    assert_eq!(body.to_string(), "HTTP 404: No such file");
    let as_std: &dyn std::error::Error = body;
    assert!(as_std.source().is_none());
}

#[tokio::test]
async fn an_upload_streams_from_a_stream_and_from_a_file() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/files/f1/content"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "f1", "bytes": 11})))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let chunks = futures::stream::iter(["hello", " ", "world"].map(Ok::<_, std::io::Error>));
    let stored = client.upload_file("f1", Body::from_stream(chunks)).send().await.unwrap();
    assert_eq!((stored.id.as_str(), stored.bytes), ("f1", 11));

    let file_path = std::env::temp_dir().join(format!("streaming-upload-{}.bin", std::process::id()));
    std::fs::write(&file_path, b"from a file").unwrap();
    let file = tokio::fs::File::open(&file_path).await.unwrap();
    client.upload_file("f1", Body::from_file(file)).send().await.unwrap();
    std::fs::remove_file(&file_path).unwrap();

    // Bytes in memory still work as before.
    client.upload_file("f1", b"in memory".to_vec()).send().await.unwrap();

    let received: Vec<Vec<u8>> = server.received_requests().await.unwrap().into_iter().map(|r| r.body).collect();
    assert_eq!(received, [b"hello world".to_vec(), b"from a file".to_vec(), b"in memory".to_vec()]);
}

#[tokio::test]
async fn a_streamed_upload_is_sent_once_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client(&server.uri());
    let chunks = futures::stream::iter([Ok::<_, std::io::Error>("part")]);
    let builder = client.upload_file("f1", Body::from_stream(chunks));
    let error = builder.clone().send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a streamed body cannot be sent again");
    // A clone of the builder shares the stream, which is spent.
    match builder.send().await {
        Err(Error::Validation(e)) => assert_eq!(e.parameter, "body"),
        other => panic!("expected a validation error, got {other:?}"),
    }

    // An in-memory body is retried as usual (three attempts).
    client.upload_file("f1", b"again".to_vec()).send().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1 + 3);
}

const EVENTS: &str = ": keep-alive comment\n\n\
    data: {\"id\":\"c1\",\"delta\":\"Hel\"}\n\n\
    event: chunk\nid: 7\nretry: 1500\ndata: {\"id\":\"c1\",\n\
    data: \"delta\":\"lo\"}\n\n\
    data: not json\n\n\
    data: {\"id\":\"c1\",\"delta\":\"!\",\"finish_reason\":\"stop\"}\n\n\
    data: [DONE]\n\n\
    data: {\"id\":\"after\",\"delta\":\"never read\"}\n\n";

#[tokio::test]
async fn an_event_stream_yields_typed_events_until_done() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .and(header("accept", "text/event-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(EVENTS, "text/event-stream"))
        .mount(&server)
        .await;
    let request = CompletionRequest { prompt: "Hi".into(), stream: Some(true) };
    let events = client(&server.uri()).create_completion(request).send_events().await.unwrap();
    assert_eq!(events.status(), 200);
    let items: Vec<_> = events.collect().await;
    assert_eq!(items.len(), 4, "{items:?}");
    let first = items[0].as_ref().unwrap();
    assert_eq!((first.event.as_str(), first.data.delta.as_str()), ("message", "Hel"));
    let second = items[1].as_ref().unwrap();
    assert_eq!((second.event.as_str(), second.id.as_str()), ("chunk", "7"));
    assert_eq!(second.retry, Some(Duration::from_millis(1500)));
    assert_eq!(second.data, CompletionChunk { id: "c1".into(), delta: "lo".into(), finish_reason: None });
    match &items[2] {
        Err(Error::Decode(e)) => assert_eq!(e.status, 200),
        other => panic!("expected the undecodable event as a decode error, got {other:?}"),
    }
    let last = items[3].as_ref().unwrap();
    assert_eq!(last.data.finish_reason, Some(Some("stop".into())));
}

#[tokio::test]
async fn events_arrive_one_by_one_as_the_server_sends_them() {
    let release = Arc::new(Notify::new());
    let base = held_back_server(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
        "data: {\"id\":\"c1\",\"delta\":\"first\"}\n\n",
        "data: {\"id\":\"c1\",\"delta\":\"second\"}\n\n",
        release.clone(),
    )
    .await;
    let client = Client::builder().base_url(&base).token("t").build().unwrap();
    let request = CompletionRequest { prompt: "Hi".into(), stream: Some(true) };
    let mut events = client.create_completion(request).send_events().await.unwrap();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first.data.delta, "first");
    release.notify_one();
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(second.data.delta, "second");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_event_stream_error_status_is_the_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({"message": "slow down"})))
        .mount(&server)
        .await;
    let request = CompletionRequest { prompt: "Hi".into(), stream: Some(true) };
    let client = Client::builder()
        .base_url(server.uri())
        .token("t")
        .retry_policy(RetryPolicy::new().max_attempts(1))
        .build()
        .unwrap();
    let error = client.create_completion(request).send_events().await.unwrap_err();
    assert!(matches!(error.api_body(), Some(CreateCompletionError::TooManyRequests(p)) if p.message == "slow down"));
}

/// Calls two operations with different error types, both through `?` into one [`AnyError`].
async fn download_then_upload(client: &Client) -> Result<u64, AnyError> {
    let bytes = client.download_file("f1").send().await?;
    let stored = client.upload_file("f2", bytes).send().await?;
    Ok(stored.bytes as u64)
}

#[tokio::test]
async fn operation_errors_convert_into_one_untyped_error_keeping_the_typed_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"abc".to_vec(), "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(413)
                .insert_header("x-request-id", "req-413")
                .set_body_json(json!({"message": "over {limit}"})),
        )
        .mount(&server)
        .await;
    let error = download_then_upload(&client(&server.uri())).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(413));
    assert_eq!(error.request_id(), Some("req-413"));
    let body = error.api_body().unwrap();
    // The description's braces are text, not format arguments.
    assert_eq!(body.to_string(), "HTTP 413: The file is too large (over {limit} bytes)");
    match body.downcast_ref::<UploadFileError>() {
        Some(UploadFileError::PayloadTooLarge(problem)) => assert_eq!(problem.message, "over {limit}"),
        other => panic!("expected the typed 413 body, got {other:?}"),
    }
    assert!(body.downcast_ref::<DownloadFileError>().is_none());
    // And into a boxed standard error, as any `Error<E>` does.
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert!(boxed.to_string().contains("HTTP 413"), "{boxed}");
}
