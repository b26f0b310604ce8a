//! The error type of every request.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Everything that can go wrong with a request. `E` is the operation's documented error body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = NoErrorBody> {
    /// The request was rejected before sending; names the parameter.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// Connecting, sending or receiving failed (after any retries). The message includes every cause
    /// (`... tcp connect error: Connection refused ...`).
    #[error("transport error: {}", Causes(.0))]
    Transport(#[source] reqwest::Error),
    /// An attempt timed out (after any retries), or the overall deadline passed.
    #[error("{} after {elapsed:?} ({attempts} attempt{})", if *deadline { "deadline exceeded" } else { "request timed out" }, if *attempts == 1 { "" } else { "s" })]
    Timeout {
        /// Time since the first attempt started.
        elapsed: Duration,
        /// Attempts made.
        attempts: u32,
        /// `true` when the overall deadline ended the request, `false` for the per-attempt timeout.
        deadline: bool,
    },
    /// A documented error status, with its decoded body and the raw response. A body that does not match its
    /// documented schema is still this error: the operation's error enum then holds the decode error
    /// ([`ErrorBody::undecoded`]) and [`ApiError::response`] the raw body.
    #[error("{0}")]
    Api(Box<ApiError<E>>),
    /// A status the operation does not document.
    #[error("unexpected status: {0}")]
    UnexpectedStatus(Box<ErrorResponse>),
    /// A success body did not decode as documented (a documented error status's body that does not is
    /// [`Error::Api`]); the path names where, `.` for the root.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// A success status whose body reports a failure (`x-error-when`).
    #[error("HTTP {status} response reports a failure: {}", message.as_deref().unwrap_or("no message"))]
    Failure {
        /// The (success) status of the response.
        status: StatusCode,
        /// The failure message from the body, if any.
        message: Option<String>,
    },
    /// Pagination could not continue (a repeated cursor, a bad next link).
    #[error(transparent)]
    Pagination(#[from] PaginationError),
    /// A middleware ([`ClientBuilder::middleware`](super::ClientBuilder::middleware)) failed the attempt; not
    /// retried.
    #[error("middleware error: {0}")]
    Middleware(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The token provider ([`ClientBuilder::token_provider`](super::ClientBuilder::token_provider)) could not
    /// produce a token.
    #[error(transparent)]
    Credential(#[from] CredentialError),
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.response.status),
            Error::UnexpectedStatus(r) => Some(r.status),
            Error::Decode(d) => Some(d.status),
            Error::Failure { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// The server's request id (from well-known headers or a `request_id` body field), when known.
    pub fn request_id(&self) -> Option<&str> {
        self.response().and_then(|r| r.request_id.as_deref())
    }

    /// The decoded body of a documented error status.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }

    /// The raw error response, for documented and undocumented error statuses.
    pub fn response(&self) -> Option<&ErrorResponse> {
        match self {
            Error::Api(e) => Some(&e.response),
            Error::UnexpectedStatus(r) => Some(r),
            _ => None,
        }
    }

    /// Whether a timeout or the deadline ended the request.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Transport(e) => e.is_timeout(),
            _ => false,
        }
    }
}

/// An error and its chain of sources, joined with `: ` (reqwest's own message leaves the cause out).
struct Causes<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut written = self.0.to_string();
        let mut source = self.0.source();
        while let Some(cause) = source {
            let text = cause.to_string();
            // Some layers repeat their source's text in their own; print each text once.
            if !written.contains(&text) {
                write!(f, ": {text}")?;
                written.push_str(&text);
            }
            source = cause.source();
        }
        Ok(())
    }
}

/// Why a [`TokenProvider`](super::TokenProvider) could not produce a token; returned by the call as
/// [`Error::Credential`].
#[derive(Debug)]
pub struct CredentialError(Box<dyn std::error::Error + Send + Sync>);

impl CredentialError {
    /// Wraps the provider's error (an HTTP error of the token exchange, a missing environment variable, …).
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        CredentialError(error.into())
    }
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot get credentials: {}", self.0)
    }
}

impl std::error::Error for CredentialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// A request rejected before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid value for `{parameter}`: {message}")]
pub struct ValidationError {
    /// The parameter (wire name), or `body`.
    pub parameter: String,
    /// What is wrong with it.
    pub message: String,
}

impl ValidationError {
    /// A validation error for `parameter`.
    pub fn new(parameter: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError { parameter: parameter.into(), message: message.into() }
    }
}

/// A non-success response: status, headers, raw body and request id. `Debug` shows header names, not values, and
/// at most 200 characters of the body.
pub struct ErrorResponse {
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Bytes,
    /// The server's request id, when it sent one.
    pub request_id: Option<String>,
}

impl ErrorResponse {
    /// The server's request id, when it sent one (the `request_id` field; a method like
    /// [`Response::request_id`](super::Response::request_id)).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    pub(super) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let request_id = request_id(&headers, &body);
        ErrorResponse { status, headers, body, request_id }
    }
}

impl fmt::Debug for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("headers", &super::redact::HeaderNames(&self.headers))
            .field("body", &truncate(&self.body_text(), 200))
            .finish()
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        let text = self.body_text();
        let text = text.trim();
        if !text.is_empty() {
            write!(f, ": {}", truncate(text, 200))?;
        }
        Ok(())
    }
}

/// A documented error status with its decoded body.
#[derive(Debug)]
pub struct ApiError<E> {
    /// The decoded body.
    pub body: E,
    /// The raw response.
    pub response: ErrorResponse,
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error: {}", self.response)
    }
}

/// A body that did not decode.
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot decode the HTTP {status} body at `{path}`: {message} (near: {snippet:?})")]
pub struct DecodeError {
    /// The response status.
    pub status: StatusCode,
    /// JSON path of the failure, e.g. `images[3].created_at` (`.` for the root).
    pub path: String,
    /// What went wrong.
    pub message: String,
    /// Up to about 200 characters of the body around the failure.
    pub snippet: String,
}

/// Why pagination stopped with an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// The server handed back a cursor (page number, marker, token or link) already followed.
    #[error("pagination cursor `{cursor}` repeated at page {page}")]
    RepeatedCursor {
        /// The repeated cursor.
        cursor: String,
        /// The page (1-based) that would have been fetched with it.
        page: usize,
    },
    /// A page came back byte for byte the same as the one before it: the server ignores the page number or offset
    /// it was sent, so paging on would loop.
    #[error("page {page} is the same as the page before it")]
    RepeatedPage {
        /// The page (1-based) that repeated its predecessor.
        page: usize,
    },
    /// A next link that is not a URL, or that leaves the base URL's origin (credentials stay on the base origin).
    #[error("invalid next link `{link}`")]
    InvalidNextLink {
        /// The link as the server sent it.
        link: String,
    },
}

/// Why [`ClientBuilder::build`](super::ClientBuilder::build) failed.
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

/// At most `max` characters of `text`, with `…` when cut.
pub(super) fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

/// Decodes an operation's documented error responses; implemented by each generated error enum.
pub trait ErrorBody: Sized + fmt::Debug + Send + Sync + 'static {
    /// `None`: the status is not documented ([`Error::UnexpectedStatus`]). `Some(Err)`: the body does not match the
    /// documented schema, see [`ErrorBody::undecoded`].
    fn decode(status: StatusCode, body: &[u8]) -> Option<Result<Self, DecodeError>>;

    /// The value for a documented status whose body did not match its schema, so that the caller still gets
    /// [`Error::Api`] with the raw response. `Err` gives [`Error::Decode`] instead (the default).
    fn undecoded(error: DecodeError) -> Result<Self, DecodeError> {
        Err(error)
    }
}

/// The error body of operations with no documented error responses.
#[derive(Debug)]
pub enum NoErrorBody {}

impl ErrorBody for NoErrorBody {
    fn decode(_status: StatusCode, _body: &[u8]) -> Option<Result<Self, DecodeError>> {
        None
    }
}

impl fmt::Display for NoErrorBody {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl std::error::Error for NoErrorBody {}

/// An operation's error body with its type erased: what [`AnyError`] holds, so that one error type covers every
/// operation. [`AnyErrorBody::downcast_ref`] gets the operation's typed body back.
///
/// It does not implement `std::error::Error` itself, so that every `Error<E>` converts into [`AnyError`] with `?`
/// (the same reason `anyhow::Error` does not).
pub struct AnyErrorBody(Box<dyn std::error::Error + Send + Sync>);

impl AnyErrorBody {
    /// The typed error body, when it is an `E` (the operation's generated error enum).
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.0.downcast_ref()
    }

    /// The body as a standard error.
    pub fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Debug for AnyErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for AnyErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The error of any operation, its documented body type-erased ([`AnyErrorBody`]): for code that calls many
/// operations and handles their errors alike. Every `Error<E>` converts into it with `?` or
/// [`Error::into_any`]; status, headers, request id and the raw body stay available.
pub type AnyError = Error<AnyErrorBody>;

impl<E: std::error::Error + Send + Sync + 'static> From<Error<E>> for AnyError {
    fn from(error: Error<E>) -> Self {
        error.map_body(|body| AnyErrorBody(Box::new(body)))
    }
}

impl<E> Error<E> {
    /// The same error with its documented body converted by `f` (the other variants carry no body).
    pub fn map_body<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api(api) => {
                let ApiError { body, response } = *api;
                Error::Api(Box::new(ApiError { body: f(body), response }))
            }
            Error::Validation(e) => Error::Validation(e),
            Error::Transport(e) => Error::Transport(e),
            Error::Timeout { elapsed, attempts, deadline } => Error::Timeout { elapsed, attempts, deadline },
            Error::UnexpectedStatus(r) => Error::UnexpectedStatus(r),
            Error::Decode(d) => Error::Decode(d),
            Error::Failure { status, message } => Error::Failure { status, message },
            Error::Pagination(e) => Error::Pagination(e),
            Error::Middleware(e) => Error::Middleware(e),
            Error::Credential(e) => Error::Credential(e),
        }
    }

    /// The same error as an [`AnyError`], the documented body type-erased.
    pub fn into_any(self) -> AnyError
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        self.into()
    }
}

const REQUEST_ID_HEADERS: [&str; 7] = [
    "x-request-id",
    "x-openstack-request-id",
    "x-compute-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-trace-id",
    "x-correlation-id",
];

/// The request id from the first well-known header that has one.
pub(super) fn request_id_header(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .filter_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
        .map(str::trim)
        .find(|value| !value.is_empty())
}

/// The request id from well-known headers, else from a top-level `request_id`/`requestId` string in a JSON body.
pub(super) fn request_id(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    if let Some(id) = request_id_header(headers) {
        return Some(id.to_owned());
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return None;
    }
    #[derive(serde::Deserialize)]
    struct Ids {
        request_id: Option<serde_json::Value>,
        #[serde(rename = "requestId")]
        request_id_camel: Option<serde_json::Value>,
    }
    let ids: Ids = serde_json::from_slice(body).ok()?;
    [ids.request_id, ids.request_id_camel].into_iter().flatten().find_map(|v| match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s),
        _ => None,
    })
}
