//! The send loop: credentials and default headers on each attempt, per-attempt timeout, overall deadline, retries
//! with backoff and `Retry-After`, a `tracing` span per attempt, and the mapping of error statuses.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use super::address::{set_query_pair, url_for};
use super::auth::Auth;
use super::client::{Client, Response};
use super::decode::decode_json;
use super::error::{ApiError, Error, ErrorBody, ErrorResponse, ValidationError};
use super::request::Request;
use super::retry::{retry_after, retryable_status};

/// A received response, before its status is interpreted.
pub(super) struct Raw {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    /// The URL that answered (after redirects).
    pub(super) url: Url,
}

impl Client {
    /// Sends `request` (with retries, timeouts and the deadline) and decodes a 2xx JSON body as `T`;
    /// documented error statuses are decoded by `E`.
    pub async fn send<T: DeserializeOwned, E: ErrorBody>(&self, request: Request) -> Result<T, Error<E>> {
        let raw = self.execute_checked::<E>(&request).await?;
        decode_json(raw.status, &raw.body).map_err(|e| Error::Decode(Box::new(e)))
    }

    /// Like [`Client::send`], also returning the status and headers.
    pub async fn send_with_response<T: DeserializeOwned, E: ErrorBody>(
        &self,
        request: Request,
    ) -> Result<Response<T>, Error<E>> {
        let raw = self.execute_checked::<E>(&request).await?;
        let body = decode_json(raw.status, &raw.body).map_err(|e| Error::Decode(Box::new(e)))?;
        Ok(Response { status: raw.status, headers: raw.headers, body })
    }

    /// Sends `request` and returns a 2xx body as text (invalid UTF-8 replaced).
    pub async fn send_text<E: ErrorBody>(&self, request: Request) -> Result<String, Error<E>> {
        let raw = self.execute_checked::<E>(&request).await?;
        Ok(match String::from_utf8(Vec::from(raw.body)) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// Sends `request` and returns a 2xx body as bytes.
    pub async fn send_bytes<E: ErrorBody>(&self, request: Request) -> Result<Bytes, Error<E>> {
        Ok(self.execute_checked::<E>(&request).await?.body)
    }

    /// Sends `request`, ignoring a 2xx body.
    pub async fn send_empty<E: ErrorBody>(&self, request: Request) -> Result<(), Error<E>> {
        self.execute_checked::<E>(&request).await.map(drop)
    }

    /// Sends and turns a non-2xx status into the matching error.
    pub(super) async fn execute_checked<E: ErrorBody>(&self, request: &Request) -> Result<Raw, Error<E>> {
        let raw = self.execute::<E>(request).await?;
        if raw.status.is_success() {
            return Ok(raw);
        }
        let status = raw.status;
        Err(match E::decode(status, &raw.body) {
            None => Error::UnexpectedStatus(Box::new(ErrorResponse::new(status, raw.headers, raw.body))),
            Some(Ok(body)) => {
                Error::Api(Box::new(ApiError { body, response: ErrorResponse::new(status, raw.headers, raw.body) }))
            }
            // The status is documented: a body off its schema is still an API error, with the raw body kept.
            Some(Err(decode)) => match E::undecoded(decode) {
                Ok(body) => {
                    Error::Api(Box::new(ApiError { body, response: ErrorResponse::new(status, raw.headers, raw.body) }))
                }
                Err(decode) => Error::Decode(Box::new(decode)),
            },
        })
    }

    /// The URL for `request`, without query credentials.
    pub(super) fn url_for(&self, request: &Request) -> Result<Url, ValidationError> {
        url_for(&self.inner.base, request)
    }

    /// The HTTP request for one attempt: defaults, credentials, body.
    fn http_request(&self, request: &Request, url: &Url) -> Result<reqwest::Request, ValidationError> {
        let mut url = url.clone();
        let auth = self.inner.auth.as_ref().filter(|_| !request.is_anonymous());
        if let Some(Auth::Query { name, value }) = auth {
            set_query_pair(&mut url, name, value.expose_secret());
        }
        let mut http = reqwest::Request::new(request.method().clone(), url);
        let headers = http.headers_mut();
        headers.clone_from(request.headers());
        for name in self.inner.headers.keys() {
            if !headers.contains_key(name) {
                for value in self.inner.headers.get_all(name) {
                    headers.append(name.clone(), value.clone());
                }
            }
        }
        if let Some(auth) = auth {
            auth.apply_headers(headers);
        }
        if let Some(body) = request.body_parts() {
            if !headers.contains_key(CONTENT_TYPE) {
                let value = HeaderValue::from_str(&body.content_type)
                    .map_err(|_| ValidationError::new("content-type", "not a valid header value"))?;
                headers.insert(CONTENT_TYPE, value);
            }
            *http.body_mut() = Some(body.bytes.clone().into());
        }
        Ok(http)
    }

    /// Sends with retries, per-attempt timeout and the overall deadline; any status is returned as-is
    /// once retries are over.
    pub(super) async fn execute<E>(&self, request: &Request) -> Result<Raw, Error<E>> {
        let inner = &*self.inner;
        let url = self.url_for(request)?;
        let policy = &inner.retry;
        let max_attempts = policy.attempts_for(request.method());
        let start = Instant::now();
        // A deadline too far away to represent is no deadline.
        let deadline_at = inner.deadline.and_then(|d| start.checked_add(d));
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let (limit, by_deadline) = match deadline_at {
                Some(at) => {
                    let remaining = at.saturating_duration_since(Instant::now());
                    if remaining.is_zero() {
                        return Err(Error::Timeout { elapsed: start.elapsed(), attempts: attempt - 1, deadline: true });
                    }
                    if remaining < inner.timeout {
                        (remaining, true)
                    } else {
                        (inner.timeout, false)
                    }
                }
                None => (inner.timeout, false),
            };
            let http = self.http_request(request, &url)?;
            let span = tracing::info_span!(
                "http.request",
                method = %request.method(),
                path = %url.path(),
                attempt,
                status = tracing::field::Empty,
            );
            let outcome = tokio::time::timeout(limit, round_trip(&inner.http, http)).instrument(span.clone()).await;
            let (last, wait): (Result<Raw, Error<E>>, Option<Duration>) = match outcome {
                Err(_) if by_deadline => {
                    span.in_scope(|| tracing::debug!("deadline exceeded"));
                    return Err(Error::Timeout { elapsed: start.elapsed(), attempts: attempt, deadline: true });
                }
                Err(_) => {
                    span.in_scope(|| tracing::debug!(timeout = ?limit, "attempt timed out"));
                    (Err(Error::Timeout { elapsed: start.elapsed(), attempts: attempt, deadline: false }), None)
                }
                Ok(Err(error)) => {
                    let retryable = error.is_connect() || error.is_timeout() || error.is_request() || error.is_body();
                    let error = self.scrub(error);
                    span.in_scope(|| tracing::debug!(error = %error, "transport error"));
                    let error = Error::Transport(error);
                    if !retryable {
                        return Err(error);
                    }
                    (Err(error), None)
                }
                Ok(Ok(raw)) => {
                    span.record("status", raw.status.as_u16());
                    if !retryable_status(raw.status) {
                        return Ok(raw);
                    }
                    let wait = retry_after(&raw.headers, SystemTime::now());
                    (Ok(raw), wait)
                }
            };
            if attempt >= max_attempts {
                return last;
            }
            let delay = match wait {
                Some(wait) if wait > policy.retry_after_cap => {
                    span.in_scope(|| tracing::debug!(retry_after = ?wait, "Retry-After exceeds the cap, not retrying"));
                    return last;
                }
                Some(wait) => wait,
                None => policy.backoff(attempt),
            };
            let past_deadline = deadline_at.is_some_and(|at| match Instant::now().checked_add(delay) {
                Some(wake) => wake >= at,
                None => true,
            });
            if past_deadline {
                span.in_scope(|| tracing::debug!(delay = ?delay, "no time left before the deadline to retry"));
                return last;
            }
            span.in_scope(|| tracing::debug!(delay = ?delay, "retrying"));
            tokio::time::sleep(delay).await;
        }
    }

    /// Strips the URL from a transport error when it may carry a query credential.
    fn scrub(&self, error: reqwest::Error) -> reqwest::Error {
        match self.inner.auth {
            Some(Auth::Query { .. }) => error.without_url(),
            _ => error,
        }
    }
}

/// One attempt: send and read the whole body.
async fn round_trip(http: &reqwest::Client, request: reqwest::Request) -> Result<Raw, reqwest::Error> {
    let mut response = http.execute(request).await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let url = response.url().clone();
    let body = response.bytes().await?;
    Ok(Raw { status, headers, body, url })
}
