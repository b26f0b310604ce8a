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
use super::retry::RetryPolicy;

/// A successful response: status, headers and decoded body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
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
            .field("default_headers", &HeaderNames(&i.headers))
            .field("timeout", &i.timeout)
            .field("deadline", &i.deadline)
            .field("retry", &i.retry)
            .finish()
    }
}

pub(super) struct HeaderNames<'a>(pub(super) &'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys().map(|k| k.as_str())).finish()
    }
}

impl Client {
    /// The base URL requests are relative to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }
}
