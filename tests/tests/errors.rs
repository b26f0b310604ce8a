//! How a generated client reports what went wrong, against servers on 127.0.0.1 (the Rackspace client, whose
//! `GET /images` documents JSON error bodies for 400, 401, 403, 405, 413, 415, 500 and 503):
//!
//! - a documented error status whose body does not match its schema is still `Error::Api`, with no typed body (the
//!   error enum's `UndecodedBody` holds why) and the raw body kept, not `Error::Decode`;
//! - a malformed body's decode error names the JSON path, `.` for the root (never `?`);
//! - a transport error's message includes its cause ("connection refused").

use rackspace_client::runtime::{Error, RetryPolicy};
use rackspace_client::{Client, ListImagesError};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-errors";

fn client(base: &str) -> Client {
    Client::builder().base_url(base).token(TOKEN).retry_policy(RetryPolicy::disabled()).build().unwrap()
}

async fn serve(server: &MockServer, status: u16, body: &str) {
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"))
        .mount(server)
        .await;
}

#[tokio::test]
async fn documented_status_with_a_body_off_its_schema_is_still_an_api_error() {
    let server = MockServer::start().await;
    let client = client(&format!("{}/v2", server.uri()));
    let cases = [
        // The schema is a map of fault objects: a string where a fault should be.
        (400, r#"{"badRequest": "no such thing"}"#, "badRequest"),
        // Not even an object.
        (503, r#"["maintenance"]"#, "."),
        // Not JSON at all (a proxy's HTML page).
        (500, "<html>Bad gateway</html>", "."),
    ];
    for (status, body, at) in cases {
        serve(&server, status, body).await;
        match client.list_images().send().await {
            Err(Error::Api(api)) => {
                assert_eq!(api.response.status.as_u16(), status);
                assert_eq!(api.response.body_text(), body, "the raw body is kept");
                match &api.body {
                    ListImagesError::UndecodedBody(decode) => {
                        assert_eq!(decode.path, at, "{decode:?}");
                        assert_eq!(decode.status.as_u16(), status);
                    }
                    other => panic!("{status}: expected no typed body, got {other:?}"),
                }
            }
            other => panic!("{status}: expected Error::Api, got {other:?}"),
        }
    }
    // A body that matches is still typed.
    serve(&server, 400, r#"{"badRequest": {"code": 400, "message": "m"}}"#).await;
    match client.list_images().send().await {
        Err(Error::Api(api)) => {
            assert!(matches!(&api.body, ListImagesError::BadRequest(faults) if faults.contains_key("badRequest")))
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_bodies_name_the_path_with_a_dot_for_the_root() {
    let server = MockServer::start().await;
    let client = client(&format!("{}/v2", server.uri()));
    let cases = [
        ("{oops", "."),
        ("not json", "."),
        ("[]", "."),
        (r#"{"images": [{"id": "00000000-0000-4000-8000-000000000001", "name": oops"#, "images[0].name"),
        // A key that does not parse: the deepest place known.
        (r#"{"images": [{"id": "00000000-0000-4000-8000-000000000001", oops"#, "images[0]"),
        (r#"{"images": {"#, "images"),
    ];
    for (body, at) in cases {
        serve(&server, 200, body).await;
        match client.list_images().send().await {
            Err(Error::Decode(decode)) => {
                assert_eq!(decode.path, at, "{body}: {decode:?}");
                let message = decode.to_string();
                assert!(message.contains(&format!("at `{at}`")) && !message.contains('?'), "{message}");
            }
            other => panic!("{body}: expected Error::Decode, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn transport_errors_name_their_cause() {
    // A port nothing listens on: bound, then released.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = client(&format!("http://127.0.0.1:{port}/v2"));
    let error = client.list_images().send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with("transport error: "), "{message}");
    assert!(message.to_lowercase().contains("connection refused"), "the cause is in the message: {message}");
    assert!(!message.contains(TOKEN), "{message}");
}
