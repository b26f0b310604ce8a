//! The send loop: credentials and default headers on each attempt, the middleware chain, per-attempt timeout, overall
//! deadline, retries with backoff and `Retry-After`, a `tracing` span per attempt, and the mapping of error statuses.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::stream::{BoxStream, StreamExt};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use super::address::{set_query_pair, url_for};
use super::auth::{Auth, AuthScheme};
use super::client::{Client, Response};
use super::decode::decode_json;
use super::error::{ApiError, CredentialError, Error, ErrorBody, ErrorResponse, ValidationError};
use super::middleware::{Attempt, Extensions};
use super::options::IDEMPOTENCY_KEY;
use super::request::Request;
use super::retry::{retry_after, retryable_status};

/// A received response, before its status is interpreted.
pub(super) struct Raw {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    /// The URL that answered (after redirects).
    pub(super) url: Url,
    /// A 2xx response of a streaming call, its body (then empty in `body`) not read yet.
    pub(super) unread: Option<reqwest::Response>,
}

impl Raw {
    /// Status, headers and the body's chunks as they arrive (the whole body at once when it was already read).
    pub(super) fn into_chunks(self) -> (StatusCode, HeaderMap, BoxStream<'static, reqwest::Result<Bytes>>) {
        let chunks = match self.unread {
            Some(response) => response.bytes_stream().boxed(),
            None => futures::stream::once(std::future::ready(Ok(self.body))).boxed(),
        };
        (self.status, self.headers, chunks)
    }
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
        checked(self.execute::<E>(request, false).await?)
    }

    /// Like [`Client::execute_checked`], leaving a 2xx body unread (in [`Raw::unread`]) for the caller to stream;
    /// error bodies are read whole as usual.
    pub(super) async fn execute_streamed<E: ErrorBody>(&self, request: &Request) -> Result<Raw, Error<E>> {
        checked(self.execute::<E>(request, true).await?)
    }

    /// The URL for `request`, without query credentials.
    pub(super) fn url_for(&self, request: &Request) -> Result<Url, ValidationError> {
        url_for(&self.inner.base, request)
    }

    /// The HTTP request for one attempt: the request's headers, then the client's defaults it does not set, then the
    /// call's own headers and idempotency key, then credentials (`auth`), then the body.
    fn http_request(
        &self,
        request: &Request,
        url: &Url,
        auth: Option<&Auth>,
    ) -> Result<reqwest::Request, ValidationError> {
        let mut url = url.clone();
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
        if let Some(options) = request.request_options() {
            if let Some(error) = &options.header_error {
                return Err(error.clone());
            }
            for name in options.headers.keys() {
                headers.remove(name);
                for value in options.headers.get_all(name) {
                    headers.append(name.clone(), value.clone());
                }
            }
            if let Some(key) = &options.idempotency_key {
                headers.insert(IDEMPOTENCY_KEY, key.clone());
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
            *http.body_mut() = Some(body.body.for_attempt()?);
        }
        Ok(http)
    }

    /// The credentials of one attempt: the fixed ones, or the provider's current token with its generation.
    async fn credentials<E>(&self, request: &Request) -> Result<(Option<Cow<'_, Auth>>, Option<u64>), Error<E>> {
        if request.is_anonymous() {
            return Ok((None, None));
        }
        let Some(tokens) = &self.inner.tokens else { return Ok((self.inner.auth.as_ref().map(Cow::Borrowed), None)) };
        let current = tokens.get().await?;
        let auth = Auth::from_token(self.inner.scheme, &current.value)
            .map_err(|e| Error::Credential(CredentialError::new(e.to_string())))?;
        Ok((Some(Cow::Owned(auth)), Some(current.generation)))
    }

    /// Sends with retries, per-attempt timeout and the overall deadline (the client's, or the call's
    /// [`RequestOptions`](super::RequestOptions)); any status is returned as-is once retries are over. A 401 to a
    /// provided token fetches a new one and repeats the attempt once.
    ///
    /// `streaming`: a 2xx body is left unread ([`Raw::unread`]), so the timeout and deadline cover the response
    /// headers only. A streamed request body is sent once: no retries, no repeat after a 401.
    pub(super) async fn execute<E>(&self, request: &Request, streaming: bool) -> Result<Raw, Error<E>> {
        let inner = &*self.inner;
        let url = self.url_for(request)?;
        let options = request.request_options();
        let policy = options.and_then(|o| o.retry.as_ref()).unwrap_or(&inner.retry);
        let once = request.has_streamed_body();
        let mut max_attempts = match options {
            _ if once => 1,
            Some(options) => options.attempts_for(policy, request.method()),
            None => policy.attempts_for(request.method()),
        };
        let timeout = options.and_then(|o| o.timeout).unwrap_or(inner.timeout);
        let start = Instant::now();
        // A deadline too far away to represent is no deadline.
        let deadline_at = options.and_then(|o| o.deadline).or(inner.deadline).and_then(|d| start.checked_add(d));
        let mut extensions = options.map(|o| o.extensions.clone()).unwrap_or_default();
        let mut refreshed_after_401 = once;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let (limit, by_deadline) = match deadline_at {
                Some(at) => {
                    let remaining = at.saturating_duration_since(Instant::now());
                    if remaining.is_zero() {
                        return Err(Error::Timeout { elapsed: start.elapsed(), attempts: attempt - 1, deadline: true });
                    }
                    if remaining < timeout {
                        (remaining, true)
                    } else {
                        (timeout, false)
                    }
                }
                None => (timeout, false),
            };
            let (auth, generation) = self.credentials(request).await?;
            let http = self.http_request(request, &url, auth.as_deref())?;
            extensions.insert(Attempt { number: attempt });
            let span = tracing::info_span!(
                "http.request",
                method = %request.method(),
                path = %url.path(),
                attempt,
                status = tracing::field::Empty,
            );
            let outcome = tokio::time::timeout(limit, round_trip(&inner.http, http, &mut extensions, streaming))
                .instrument(span.clone())
                .await;
            let (last, wait): (Result<Raw, Error<E>>, Option<Duration>) = match outcome {
                Err(_) if by_deadline => {
                    span.in_scope(|| tracing::debug!("deadline exceeded"));
                    return Err(Error::Timeout { elapsed: start.elapsed(), attempts: attempt, deadline: true });
                }
                Err(_) => {
                    span.in_scope(|| tracing::debug!(timeout = ?limit, "attempt timed out"));
                    (Err(Error::Timeout { elapsed: start.elapsed(), attempts: attempt, deadline: false }), None)
                }
                Ok(Err(reqwest_middleware::Error::Middleware(error))) => {
                    span.in_scope(|| tracing::debug!(error = %error, "middleware error"));
                    return Err(Error::Middleware(error.into()));
                }
                Ok(Err(reqwest_middleware::Error::Reqwest(error))) => {
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
                    if raw.status == StatusCode::UNAUTHORIZED && !refreshed_after_401 {
                        if let (Some(tokens), Some(generation)) = (&inner.tokens, generation) {
                            span.in_scope(|| tracing::debug!("401: fetching a new token and trying once more"));
                            tokens.invalidate(generation).await;
                            refreshed_after_401 = true;
                            max_attempts = max_attempts.saturating_add(1);
                            continue;
                        }
                    }
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
        let query_credential = matches!(self.inner.auth, Some(Auth::Query { .. }))
            || (self.inner.tokens.is_some() && matches!(self.inner.scheme, Some(AuthScheme::ApiKeyQuery(_))));
        if query_credential {
            error.without_url()
        } else {
            error
        }
    }
}

/// `raw` when its status is 2xx, else the documented or undocumented status error it makes.
fn checked<E: ErrorBody>(raw: Raw) -> Result<Raw, Error<E>> {
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

/// One attempt through the middleware chain: send and read the whole body, or with `streaming` only an error
/// status's body.
async fn round_trip(
    http: &reqwest_middleware::ClientWithMiddleware,
    request: reqwest::Request,
    extensions: &mut Extensions,
    streaming: bool,
) -> Result<Raw, reqwest_middleware::Error> {
    let mut response = http.execute_with_extensions(request, extensions).await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let url = response.url().clone();
    if streaming && status.is_success() {
        return Ok(Raw { status, headers, body: Bytes::new(), url, unread: Some(response) });
    }
    let body = response.bytes().await?;
    Ok(Raw { status, headers, body, url, unread: None })
}
