//! Each vendor's way of getting a token, as a token provider: the exchange is a closure that calls the vendor's
//! identity endpoint (here a loopback server standing in for it) and says when the token expires, as the
//! generated READMEs' "Credentials" sections describe.
//!
//! - Yandex Cloud: an OAuth token exchanged for an IAM token (`POST /iam/v1/tokens`, `iamToken` and `expiresAt`).
//! - Rackspace: username and API key exchanged at Cloud Identity (`POST /v2.0/tokens`, `access.token.id` and
//!   `access.token.expires`), sent as `X-Auth-Token`.
//! - GMI Cloud: a sign-in that returns a JWT access token, whose `exp` claim says when it expires.
//!
//! Each test makes several calls and checks that the exchange ran once, that every call carried the exchanged
//! token, and (Yandex) that a token about to expire is exchanged again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use client_runtime::{CredentialError, Token};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The `Authorization` or `X-Auth-Token` values the API server received, in order.
async fn received(server: &MockServer, api_path: &str, name: &str) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.url.path() == api_path)
        .map(|request| request.headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default())
        .collect()
}

/// What an identity endpoint answers a JSON `body` POSTed to `url`, as a token provider sees it.
async fn post_json(http: &reqwest::Client, url: &str, body: &Value) -> Result<Value, CredentialError> {
    let response = http.post(url).json(body).send().await.and_then(reqwest::Response::error_for_status);
    response.map_err(CredentialError::new)?.json().await.map_err(CredentialError::new)
}

/// The RFC 3339 time `value` holds, named `field` in the error when it holds none.
fn rfc3339_at(value: &Value, field: &str) -> Result<SystemTime, CredentialError> {
    let at = value.as_str().and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok());
    at.map(SystemTime::from).ok_or_else(|| CredentialError::new(format!("no {field}")))
}

fn rfc3339(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(at).to_rfc3339()
}

/// An identity response (`expires_in` from now), counting the exchanges and handing out `token-1`, `token-2`, ...
fn issuing(
    count: Arc<AtomicUsize>,
    respond: impl Fn(String) -> Value + Send + Sync + 'static,
) -> impl wiremock::Respond {
    move |_: &Request| {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(respond(format!("token-{n}")))
    }
}

#[tokio::test]
async fn yandex_iam_tokens_come_from_an_oauth_token_exchange_and_are_renewed_before_they_expire() {
    let server = MockServer::start().await;
    let exchanges = Arc::new(AtomicUsize::new(0));
    // The first IAM token has expired by the time it arrives (so the next call exchanges again); later ones live
    // 12 hours.
    let first_lifetime = Duration::ZERO;
    Mock::given(method("POST"))
        .and(path("/iam/v1/tokens"))
        .and(body_json(json!({"yandexPassportOauthToken": "oauth-secret"})))
        .respond_with(issuing(exchanges.clone(), move |token| {
            let lifetime = if token == "token-1" { first_lifetime } else { Duration::from_secs(12 * 3600) };
            json!({"iamToken": token, "expiresAt": rfc3339(SystemTime::now() + lifetime)})
        }))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/compute/v1/images"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"images": []})))
        .mount(&server)
        .await;

    let identity = format!("{}/iam/v1/tokens", server.uri());
    let http = reqwest::Client::new();
    let client = yandex_compute_client::Client::builder()
        .base_url(server.uri())
        .token_refresh_margin(Duration::from_secs(60))
        .token_provider(move || {
            let (http, identity) = (http.clone(), identity.clone());
            async move {
                let response =
                    post_json(&http, &identity, &json!({"yandexPassportOauthToken": "oauth-secret"})).await?;
                let token = response["iamToken"].as_str().ok_or_else(|| CredentialError::new("no iamToken"))?;
                Ok(Token::new(token).expires_at(rfc3339_at(&response["expiresAt"], "expiresAt")?))
            }
        })
        .build()
        .unwrap();

    client.list_images("folder-1").send().await.unwrap();
    client.list_images("folder-1").send().await.unwrap();
    client.list_images("folder-1").send().await.unwrap();
    assert_eq!(
        received(&server, "/compute/v1/images", "authorization").await,
        ["Bearer token-1", "Bearer token-2", "Bearer token-2"],
        "the short-lived first token is renewed once, the 12-hour one kept"
    );
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn rackspace_tokens_come_from_cloud_identity_with_a_username_and_api_key() {
    let server = MockServer::start().await;
    let exchanges = Arc::new(AtomicUsize::new(0));
    let credentials = json!({"auth": {"RAX-KSKEY:apiKeyCredentials": {"username": "ops", "apiKey": "key-1"}}});
    Mock::given(method("POST"))
        .and(path("/v2.0/tokens"))
        .and(body_json(credentials.clone()))
        .respond_with(issuing(exchanges.clone(), |token| {
            let expires = rfc3339(SystemTime::now() + Duration::from_secs(24 * 3600));
            json!({"access": {"token": {"id": token, "expires": expires, "tenant": {"id": "123"}}, "serviceCatalog": []}})
        }))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/images"))
        .and(header("x-auth-token", "token-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"images": [], "schema": "/v2/schemas/images", "first": "/v2/images"})),
        )
        .mount(&server)
        .await;

    let identity = format!("{}/v2.0/tokens", server.uri());
    let http = reqwest::Client::new();
    let client = rackspace_client::Client::builder()
        .base_url(server.uri())
        .token_provider(move || {
            let (http, identity, credentials) = (http.clone(), identity.clone(), credentials.clone());
            async move {
                let response = post_json(&http, &identity, &credentials).await?;
                let token = &response["access"]["token"];
                let id = token["id"].as_str().ok_or_else(|| CredentialError::new("no access.token.id"))?;
                Ok(Token::new(id).expires_at(rfc3339_at(&token["expires"], "access.token.expires")?))
            }
        })
        .build()
        .unwrap();

    let calls = (0..4).map(|_| client.list_images().send());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(received(&server, "/images", "x-auth-token").await, ["token-1"; 4]);
    assert_eq!(exchanges.load(Ordering::SeqCst), 1, "concurrent calls share one exchange");
}

/// A JWT whose payload is `claims` (unsigned: the client does not check signatures).
fn jwt(claims: &Value) -> String {
    use base64::Engine as _;
    let encode = |value: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string());
    format!("{}.{}.sig", encode(&json!({"alg": "HS256", "typ": "JWT"})), encode(claims))
}

#[tokio::test]
async fn gmi_cloud_access_tokens_are_jwts_that_say_when_they_expire() {
    let server = MockServer::start().await;
    let exchanges = Arc::new(AtomicUsize::new(0));
    let exp = |lifetime: u64| SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() + lifetime;
    Mock::given(method("POST"))
        .and(path("/sign-in"))
        .respond_with(issuing(exchanges.clone(), move |n| {
            // The first token's `exp` is already past, so the second call signs in again.
            let lifetime = if n == "token-1" { 0 } else { 3600 };
            json!({"accessToken": jwt(&json!({"sub": n, "exp": exp(lifetime)}))})
        }))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/images"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;

    let sign_in = format!("{}/sign-in", server.uri());
    let http = reqwest::Client::new();
    let client = gmicloud_client::Client::builder()
        .base_url(server.uri())
        .token_provider(move || {
            let (http, sign_in) = (http.clone(), sign_in.clone());
            async move {
                let response =
                    post_json(&http, &sign_in, &json!({"email": "ops@example.test", "password": "secret"})).await?;
                let token = response["accessToken"].as_str().ok_or_else(|| CredentialError::new("no accessToken"))?;
                Token::from_jwt(token)
            }
        })
        .build()
        .unwrap();

    for _ in 0..3 {
        client.list_images().send().await.unwrap();
    }
    let sent = received(&server, "/v1/images", "authorization").await;
    let subjects: Vec<String> = sent
        .iter()
        .map(|value| {
            use base64::Engine as _;
            let payload = value.trim_start_matches("Bearer ").split('.').nth(1).unwrap();
            let claims: Value =
                serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap())
                    .unwrap();
            claims["sub"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(subjects, ["token-1", "token-2", "token-2"], "an expired JWT is replaced, a valid one kept");
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);
}
