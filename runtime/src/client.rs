//! The client: one connection pool, base URL, credentials, timeouts and retry policy, shared by its clones.
//!
//! Built by [`ClientBuilder`](super::ClientBuilder) (`builder` module); requests go through the send loop (`send`
//! module).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use url::Url;

use super::auth::{Auth, AuthScheme};
use super::credentials::TokenCache;
use super::redact::HeaderNames;
use super::retry::RetryPolicy;

/// A successful response: status, headers and decoded body. `Debug` shows header names, not values.
#[derive(Clone)]
pub struct Response<T> {
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The decoded body, without status and headers.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The server's request id, from the well-known headers (`x-request-id`, `x-openstack-request-id`,
    /// `request-id`, `x-amzn-requestid`, …), when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        super::error::request_id_header(&self.headers)
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &HeaderNames(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

pub(super) struct Inner {
    /// The transport behind the middleware chain (`middleware` module).
    pub(super) http: reqwest_middleware::ClientWithMiddleware,
    pub(super) middleware_count: usize,
    /// A token provider's cache, replacing a static token.
    pub(super) tokens: Option<TokenCache>,
    pub(super) base: Url,
    pub(super) scheme: Option<AuthScheme>,
    pub(super) auth: Option<Auth>,
    /// Defaults (user agent included), added unless the request sets the same header.
    pub(super) headers: HeaderMap,
    pub(super) timeout: Duration,
    pub(super) deadline: Option<Duration>,
    pub(super) retry: RetryPolicy,
}

/// An API client: one connection pool, base URL, credentials, timeouts and retry policy.
///
/// Cloning is cheap and clones share everything. `Debug` never shows credentials.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base.as_str())
            .field("auth_scheme", &i.scheme)
            .field("credentials", &i.auth.as_ref().map(|_| "[redacted]"))
            .field("token_provider", &i.tokens.is_some())
            .field("middleware", &i.middleware_count)
            .field("default_headers", &HeaderNames(&i.headers))
            .field("timeout", &i.timeout)
            .field("deadline", &i.deadline)
            .field("retry", &i.retry)
            .finish()
    }
}

impl Client {
    /// The base URL requests are relative to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }
}
