//! The client, its builder and the send loop (timeouts, deadline, retries, tracing).

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use super::auth::{Auth, AuthScheme, Secret};
use super::decode::decode_json;
use super::error::{ApiError, Error, ErrorBody, ErrorResponse, ValidationError};
use super::pagination::{PageNav, PaginationStyle, Paginator};
use super::request::Request;
use super::retry::{retry_after, retryable_status, RetryPolicy};

/// A server URL variable from the spec (`servers[].variables`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerVariable {
    /// Name as written in the template, without braces.
    pub name: &'static str,
    /// Value used when none is set.
    pub default: &'static str,
    /// Allowed values; empty means any.
    pub allowed: &'static [&'static str],
}

/// Why [`ClientBuilder::build`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL (or the expanded server template) is not an absolute http(s) URL.
    #[error("invalid base URL `{url}`: {message}")]
    InvalidUrl {
        /// The URL.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// Neither a base URL nor a server template was given.
    #[error("no base URL: the spec names no absolute server, set one with `base_url`")]
    MissingBaseUrl,
    /// A server variable the template does not have.
    #[error("unknown server variable `{name}` (known: {known})")]
    UnknownServerVariable {
        /// The variable set.
        name: String,
        /// The template's variables.
        known: String,
    },
    /// A server variable value outside its allowed values.
    #[error("server variable `{name}` cannot be `{value}` (allowed: {allowed})")]
    InvalidServerVariable {
        /// The variable.
        name: String,
        /// The rejected value.
        value: String,
        /// The allowed values.
        allowed: String,
    },
    /// A default header (or API key header name) that is not valid in HTTP.
    #[error("invalid header `{name}`: {message}")]
    InvalidHeader {
        /// The header name.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// Credentials that cannot be sent (the message never contains them).
    #[error("invalid credentials: {message}")]
    InvalidCredentials {
        /// What is wrong with them.
        message: String,
    },
    /// reqwest could not build its client.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

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

/// A received response, before its status is interpreted.
pub(super) struct Raw {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    /// The URL that answered (after redirects).
    pub(super) url: Url,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    scheme: Option<AuthScheme>,
    auth: Option<Auth>,
    /// Defaults (user agent included), added unless the request sets the same header.
    headers: HeaderMap,
    timeout: Duration,
    deadline: Option<Duration>,
    retry: RetryPolicy,
}

/// An API client: one connection pool, base URL, credentials, timeouts and retry policy.
///
/// Cloning is cheap and clones share everything. `Debug` never shows credentials.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
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

struct HeaderNames<'a>(&'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys().map(|k| k.as_str())).finish()
    }
}

impl Client {
    /// A builder with default settings.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    /// The base URL requests are relative to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

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

    /// A lazy paginated listing starting with `request`; `nav` reads the next cursor of a page, `items`
    /// takes its items. See [`Paginator`].
    pub fn paginate<T, I, E>(
        &self,
        request: Request,
        style: PaginationStyle,
        nav: fn(&T) -> PageNav,
        items: fn(T) -> Vec<I>,
    ) -> Paginator<T, I, E> {
        Paginator::new(self.clone(), request, style, nav, items)
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
                Ok(body) => Error::Api(Box::new(ApiError {
                    body,
                    response: ErrorResponse::new(status, raw.headers, raw.body),
                })),
                Err(decode) => Error::Decode(Box::new(decode)),
            },
        })
    }

    /// The URL for `request`, without query credentials.
    pub(super) fn url_for(&self, request: &Request) -> Result<Url, ValidationError> {
        let mut url = match request.absolute_url() {
            Some(url) => url.clone(),
            None => {
                let path = request.path();
                if has_dot_segment(path) {
                    return Err(ValidationError::new("path", "must not contain `.` or `..` segments"));
                }
                let mut url = self.inner.base.clone();
                let base_path = url.path().trim_end_matches('/');
                let joined = match path.strip_prefix('/') {
                    Some(rest) => format!("{base_path}/{rest}"),
                    None if path.is_empty() => format!("{base_path}/"),
                    None => format!("{base_path}/{path}"),
                };
                url.set_path(&joined);
                url
            }
        };
        let pairs = request.encoded_query();
        if !pairs.is_empty() {
            let mut query = url.query().unwrap_or("").to_owned();
            for (name, value) in pairs {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(name);
                query.push('=');
                query.push_str(value);
            }
            url.set_query(Some(&query));
        }
        Ok(url)
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

/// Whether an encoded path has a `.` or `..` segment (which URL parsing would collapse).
fn has_dot_segment(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split('/').any(|segment| {
        let s = segment.to_ascii_lowercase();
        matches!(s.as_str(), "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e.")
    })
}

/// Replaces the query pair `name` (encoded) of `url` with `name=value` (encoded), keeping the rest as-is.
fn set_query_pair(url: &mut Url, name: &str, value: &str) {
    let mut query = String::new();
    for pair in url.query().unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        if pair.split('=').next() != Some(name) {
            query.push_str(pair);
            query.push('&');
        }
    }
    query.push_str(name);
    query.push('=');
    query.push_str(value);
    url.set_query(Some(&query));
}

/// Configures and builds a [`Client`] (or a generated client wrapping one, `C: From<Client>`).
///
/// `Debug` never shows credentials.
pub struct ClientBuilder<C = Client> {
    base_url: Option<String>,
    server: Option<(&'static str, &'static [ServerVariable])>,
    server_values: Vec<(String, String)>,
    scheme: Option<AuthScheme>,
    token: Option<Secret>,
    basic: Option<(String, Secret)>,
    user_agent: Option<String>,
    headers: HeaderMap,
    header_error: Option<BuildError>,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    _out: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("server", &self.server.map(|(template, _)| template))
            .field("server_variables", &self.server_values)
            .field("auth_scheme", &self.scheme)
            .field("token", &self.token)
            .field("basic_auth", &self.basic)
            .field("user_agent", &self.user_agent)
            .field("default_headers", &HeaderNames(&self.headers))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .finish()
    }
}

impl<C: From<Client>> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// Defaults: 30s per attempt, no deadline, [`RetryPolicy::new`], no credentials.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: None,
            server: None,
            server_values: Vec::new(),
            scheme: None,
            token: None,
            basic: None,
            user_agent: None,
            headers: HeaderMap::new(),
            header_error: None,
            timeout: Duration::from_secs(30),
            connect_timeout: None,
            deadline: None,
            retry: RetryPolicy::new(),
            http: None,
            _out: PhantomData,
        }
    }

    /// The base URL; overrides the server template. Request paths are appended to its path.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = Some(url.as_ref().to_owned());
        self
    }

    /// The server template (e.g. `https://{region}.example.com/v2`) and its variables, from the spec.
    pub fn server(mut self, template: &'static str, variables: &'static [ServerVariable]) -> Self {
        self.server = Some((template, variables));
        self
    }

    /// A server variable value, checked against the variable's allowed values by [`ClientBuilder::build`].
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.server_values.retain(|(n, _)| *n != name);
        self.server_values.push((name, value.into()));
        self
    }

    /// How credentials are sent (set by generated code from the spec's security schemes).
    pub fn auth_scheme(mut self, scheme: AuthScheme) -> Self {
        self.scheme = Some(scheme);
        self
    }

    /// The token or API key, sent as the auth scheme says (bearer when none is set).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret::new(token));
        self
    }

    /// Basic credentials.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic = Some((user.into(), Secret::new(password)));
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// A header added to every request that does not set it; an invalid one fails [`ClientBuilder::build`].
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        let parsed = HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string()).and_then(|n| {
            HeaderValue::from_str(value).map(|v| (n, v)).map_err(|_| "invalid header value".to_owned())
        });
        match parsed {
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(message) => {
                self.header_error.get_or_insert(BuildError::InvalidHeader { name: name.to_owned(), message });
            }
        }
        self
    }

    /// Time limit of one attempt, response body included (default 30s).
    pub fn timeout(mut self, per_attempt: Duration) -> Self {
        self.timeout = per_attempt;
        self
    }

    /// Time limit for connecting (ignored with [`ClientBuilder::http_client`]).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }

    /// Time limit for a whole call: all attempts and backoff (default none).
    pub fn deadline(mut self, overall: Duration) -> Self {
        self.deadline = Some(overall);
        self
    }

    /// The retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// No retries: one attempt per call.
    pub fn no_retries(mut self) -> Self {
        self.retry = RetryPolicy::disabled();
        self
    }

    /// Uses this reqwest client (its pool, TLS, proxy and redirect settings). Timeouts, deadline, retries,
    /// default headers and credentials are still applied per request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        if let Some(error) = self.header_error {
            return Err(error);
        }
        let base = match (&self.base_url, self.server) {
            (Some(url), _) => parse_base(url)?,
            (None, Some((template, variables))) => parse_base(&expand_server(template, variables, &self.server_values)?)?,
            (None, None) => return Err(BuildError::MissingBaseUrl),
        };
        if self.base_url.is_some() {
            if let Some((name, _)) = self.server_values.first() {
                // Variables are only meaningful with the template; an unknown one is still a mistake.
                let known = self.server.map(|(_, v)| v).unwrap_or(&[]);
                if !known.iter().any(|v| v.name == name) {
                    return Err(unknown_variable(name, known));
                }
            }
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder();
                if let Some(d) = self.connect_timeout {
                    builder = builder.connect_timeout(d);
                }
                if matches!(self.scheme, Some(AuthScheme::ApiKeyHeader(_))) && self.token.is_some() {
                    // reqwest drops Authorization and Cookie on cross-host redirects, not custom headers.
                    builder = builder.redirect(reqwest::redirect::Policy::custom(|attempt| {
                        let same_host = match attempt.previous().first() {
                            Some(first) => {
                                first.host_str() == attempt.url().host_str()
                                    && first.port_or_known_default() == attempt.url().port_or_known_default()
                            }
                            None => true,
                        };
                        if attempt.previous().len() >= 10 {
                            attempt.error("too many redirects")
                        } else if same_host {
                            attempt.follow()
                        } else {
                            attempt.stop()
                        }
                    }));
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        let auth = Auth::resolve(self.scheme, self.token.as_ref(), self.basic.as_ref(), &http)?;
        let mut headers = self.headers;
        let ua = self.user_agent.as_deref().unwrap_or(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
        let ua = HeaderValue::from_str(ua)
            .map_err(|_| BuildError::InvalidHeader { name: "user-agent".into(), message: "invalid header value".into() })?;
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, ua);
        }
        let inner = Inner {
            http,
            base,
            scheme: self.scheme,
            auth,
            headers,
            timeout: self.timeout,
            deadline: self.deadline,
            retry: self.retry,
        };
        Ok(C::from(Client { inner: Arc::new(inner) }))
    }
}

fn unknown_variable(name: &str, known: &[ServerVariable]) -> BuildError {
    let known = known.iter().map(|v| v.name).collect::<Vec<_>>().join(", ");
    BuildError::UnknownServerVariable { name: name.to_owned(), known: if known.is_empty() { "none".into() } else { known } }
}

/// Substitutes the variables of a server template, checking values against the allowed ones.
fn expand_server(
    template: &str,
    variables: &[ServerVariable],
    values: &[(String, String)],
) -> Result<String, BuildError> {
    if let Some((name, _)) = values.iter().find(|(n, _)| !variables.iter().any(|v| v.name == n)) {
        return Err(unknown_variable(name, variables));
    }
    let mut url = template.to_owned();
    for variable in variables {
        let value = values.iter().find(|(n, _)| n == variable.name).map_or(variable.default, |(_, v)| v.as_str());
        if !variable.allowed.is_empty() && !variable.allowed.contains(&value) {
            return Err(BuildError::InvalidServerVariable {
                name: variable.name.to_owned(),
                value: value.to_owned(),
                allowed: variable.allowed.join(", "),
            });
        }
        url = url.replace(&format!("{{{}}}", variable.name), value);
    }
    if url.contains('{') || url.contains('}') {
        return Err(BuildError::InvalidUrl { url, message: "the server template has a variable with no value".into() });
    }
    Ok(url)
}

fn parse_base(text: &str) -> Result<Url, BuildError> {
    let invalid = |message: String| BuildError::InvalidUrl { url: text.to_owned(), message };
    let url = Url::parse(text.trim()).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https".into()));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(invalid("not a base URL".into()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials in the URL are not supported; use basic_auth".into()));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments() {
        assert!(has_dot_segment("/a/../b"));
        assert!(has_dot_segment("/a/%2E%2e"));
        assert!(has_dot_segment("/a/."));
        assert!(!has_dot_segment("/a/.b/c.d"));
        assert!(!has_dot_segment("/a/b?x=.."));
    }

    #[test]
    fn query_pair_replacement() {
        let mut url = Url::parse("http://h/p?a=1&key=old&b=2&keys=3").unwrap();
        set_query_pair(&mut url, "key", "new");
        assert_eq!(url.query(), Some("a=1&b=2&keys=3&key=new"));
        let mut url = Url::parse("http://h/p").unwrap();
        set_query_pair(&mut url, "key", "v");
        assert_eq!(url.query(), Some("key=v"));
    }

    #[test]
    fn server_expansion() {
        static VARS: [ServerVariable; 2] = [
            ServerVariable { name: "region", default: "dfw", allowed: &["dfw", "ord"] },
            ServerVariable { name: "version", default: "v2", allowed: &[] },
        ];
        let t = "https://{region}.example.com/{version}";
        assert_eq!(expand_server(t, &VARS, &[]).unwrap(), "https://dfw.example.com/v2");
        let values = vec![("region".to_owned(), "ord".to_owned()), ("version".to_owned(), "v3".to_owned())];
        assert_eq!(expand_server(t, &VARS, &values).unwrap(), "https://ord.example.com/v3");
        let bad = vec![("region".to_owned(), "lon".to_owned())];
        let err = expand_server(t, &VARS, &bad).unwrap_err().to_string();
        assert!(err.contains("region") && err.contains("lon") && err.contains("dfw, ord"), "{err}");
        let unknown = vec![("zone".to_owned(), "a".to_owned())];
        assert!(matches!(expand_server(t, &VARS, &unknown), Err(BuildError::UnknownServerVariable { .. })));
        assert!(matches!(expand_server("https://{x}.example.com", &[], &[]), Err(BuildError::InvalidUrl { .. })));
    }
}
