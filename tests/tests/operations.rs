//! What every generated operation gets from the runtime's `Operation` trait, against a server on 127.0.0.1 (the
//! `features/shared-errors.yaml` client):
//!
//! - a request builder is a future (`IntoFuture`): `client.op().await` sends it like `.send().await`;
//! - `send_with_response()` returns the status and headers with the typed body;
//! - operations whose documented error responses are the same share one error enum, named by an alias per operation;
//! - the trait is usable generically, so code can send any operation of any generated client.

use feature_shared_errors::runtime::{Error, Operation, RetryPolicy};
use feature_shared_errors::types::{Problem, Widget};
use feature_shared_errors::{Client, CreateWidgetError, DeleteWidgetError, ListWidgetsError};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::disabled()).build().unwrap()
}

fn widget(name: &str) -> Widget {
    serde_json::from_value(serde_json::json!({ "name": name })).unwrap()
}

#[tokio::test]
async fn a_request_builder_can_be_awaited_and_report_its_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/widgets"))
        .and(body_json(serde_json::json!({ "name": "gear" })))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "req-7")
                .set_body_json(serde_json::json!({ "name": "gear" })),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);

    let created: Widget = client.create_widget(widget("gear")).await.unwrap();
    assert_eq!(created.name, "gear");

    let response = client.create_widget(widget("gear")).send_with_response().await.unwrap();
    assert_eq!(response.status.as_u16(), 201);
    assert_eq!(response.headers.get("x-request-id").unwrap(), "req-7");
    assert_eq!(response.body.name, "gear");
}

#[tokio::test]
async fn operations_with_the_same_error_responses_share_one_enum() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/widgets"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({ "message": "no such shelf" })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/widgets"))
        .respond_with(ResponseTemplate::new(503).set_body_json(serde_json::json!({ "message": "down" })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/widgets/w%201"))
        .respond_with(ResponseTemplate::new(409).set_body_string("in use by 3 orders"))
        .mount(&server)
        .await;
    let client = client(&server);

    // `CreateWidgetError` is `ListWidgetsError`: one enum, two names.
    let error: Error<CreateWidgetError> = client.create_widget(widget("gear")).await.unwrap_err();
    match error.api_body() {
        Some(ListWidgetsError::NotFound(Problem { message: Some(message), .. })) => {
            assert_eq!(message, "no such shelf")
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    let error = client.list_widgets().send().await.unwrap_err();
    assert!(
        matches!(error.api_body(), Some(CreateWidgetError::ServerError(p)) if p.message.as_deref() == Some("down"))
    );

    let error = client.delete_widget("w 1").await.unwrap_err();
    assert!(
        matches!(error.api_body(), Some(DeleteWidgetError::Conflict(text)) if text == "in use by 3 orders"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_sent_request_holds_no_borrow_of_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widgets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{ "name": "a" }])))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    // `send()` is `'static`: it can be spawned while the client stays here.
    let spawned = tokio::spawn(client.list_widgets().send());
    let with_response = tokio::spawn(client.list_widgets().send_with_response());
    assert_eq!(spawned.await.unwrap().unwrap().len(), 1);
    assert_eq!(with_response.await.unwrap().unwrap().status.as_u16(), 200);
}

/// Sends any operation and returns its status code, or the error's.
async fn status_of<O: Operation>(operation: O) -> u16 {
    match operation.send_with_response().await {
        Ok(response) => response.status.as_u16(),
        Err(error) => error.status().map_or(0, |status| status.as_u16()),
    }
}

#[tokio::test]
async fn any_operation_can_be_sent_through_the_trait() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).and(path("/widgets/a")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/widgets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{ "name": "a" }])))
        .mount(&server)
        .await;
    let client = client(&server);
    assert_eq!(status_of(client.delete_widget("a")).await, 204);
    assert_eq!(status_of(client.list_widgets()).await, 200);
    assert_eq!(status_of(client.delete_widget("missing")).await, 404, "an undocumented status is still reported");
}
