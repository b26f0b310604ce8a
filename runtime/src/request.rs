//! A request under construction: method, path, query, headers and body.

use std::borrow::Cow;
use std::fmt::{self, Display};
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, COOKIE};
use reqwest::Method;
use serde::Serialize;
use url::form_urlencoded;
use url::Url;

use super::body::Body;
use super::error::ValidationError;
use super::options::RequestOptions;
use super::param::{self, encode_query, Serialization};
use super::redact::HeaderNames;

/// A body and its content type.
#[derive(Clone)]
pub(super) struct Payload {
    pub(super) content_type: Cow<'static, str>,
    pub(super) body: Body,
}

/// One API request, relative to the client's base URL.
///
/// `Debug` output shows header names only (values may be credentials) and the body's size only.
#[derive(Clone)]
pub struct Request {
    method: Method,
    path: String,
    /// An absolute URL sent as-is instead of base URL + path + query (next links of paginated lists).
    url: Option<Url>,
    /// Encoded name, encoded value.
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Payload>,
    /// A public operation: the client's credentials are not sent.
    anonymous: bool,
    /// What this call changes of the client's settings.
    options: Option<Arc<RequestOptions>>,
}

impl Request {
    /// A request for `path`, relative to the base URL and already percent-encoded (e.g. `"/images"`).
    ///
    /// The path is appended to the base URL's path: base `https://host/v2` + `"/images"` is `https://host/v2/images`.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            url: None,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            anonymous: false,
            options: None,
        }
    }

    /// Applies `options` to this request (and, for a listing, to each of its pages), replacing earlier ones.
    pub fn set_request_options(&mut self, options: RequestOptions) {
        self.options = Some(Arc::new(options));
    }

    /// The per-request options, if any were set.
    pub fn request_options(&self) -> Option<&RequestOptions> {
        self.options.as_deref()
    }

    /// A `GET` request for `path` ([`Request::new`]).
    pub fn get(path: impl Into<String>) -> Self {
        Request::new(Method::GET, path)
    }

    /// A `PUT` request for `path` ([`Request::new`]).
    pub fn put(path: impl Into<String>) -> Self {
        Request::new(Method::PUT, path)
    }

    /// A `POST` request for `path` ([`Request::new`]).
    pub fn post(path: impl Into<String>) -> Self {
        Request::new(Method::POST, path)
    }

    /// A `DELETE` request for `path` ([`Request::new`]).
    pub fn delete(path: impl Into<String>) -> Self {
        Request::new(Method::DELETE, path)
    }

    /// A `OPTIONS` request for `path` ([`Request::new`]).
    pub fn options(path: impl Into<String>) -> Self {
        Request::new(Method::OPTIONS, path)
    }

    /// A `HEAD` request for `path` ([`Request::new`]).
    pub fn head(path: impl Into<String>) -> Self {
        Request::new(Method::HEAD, path)
    }

    /// A `PATCH` request for `path` ([`Request::new`]).
    pub fn patch(path: impl Into<String>) -> Self {
        Request::new(Method::PATCH, path)
    }

    /// A `TRACE` request for `path` ([`Request::new`]).
    pub fn trace(path: impl Into<String>) -> Self {
        Request::new(Method::TRACE, path)
    }

    /// Sends this request without the client's credentials (an operation with `security: []`).
    pub fn without_credentials(&mut self) {
        self.anonymous = true;
    }

    /// Whether the client's credentials are left off this request.
    pub fn is_anonymous(&self) -> bool {
        self.anonymous
    }

    /// Appends the query pair `name=value` (both URL-encoded).
    pub fn query(&mut self, name: &str, value: impl Display) {
        self.query.push((encode_query(name), encode_query(&value.to_string())));
    }

    /// Fills the `{name}` hole of the path template with the parameter in OpenAPI's default serialization for a path
    /// parameter (`simple`, not exploded: the Parameter Object's `style` default, OpenAPI 3.1 §4.8.12), as [`Request::path_param_with`] does.
    pub fn path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), ValidationError> {
        self.path_param_with(name, value, param::SIMPLE)
    }

    /// Appends a query parameter in OpenAPI's default serialization for the query (`form`, exploded: the Parameter Object's
    /// `style` default, OpenAPI 3.1 §4.8.12), as [`Request::query_param_with`] does. `None` (an optional parameter left unset) adds nothing.
    pub fn query_param<T: Serialize + ?Sized>(&mut self, name: &str, value: Option<&T>) -> Result<(), ValidationError> {
        self.query_param_with(name, value, param::FORM)
    }

    /// Adds a header parameter in OpenAPI's default serialization for a header (`simple`, not exploded: OpenAPI 3.1
    /// the Parameter Object's `style` default, OpenAPI 3.1 §4.8.12), as [`Request::header_param_with`] does. `None` adds nothing.
    pub fn header_param<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Result<(), ValidationError> {
        self.header_param_with(name, value, param::SIMPLE)
    }

    /// Adds a cookie parameter in OpenAPI's default serialization for a cookie (`form`, exploded: the Parameter Object's
    /// `style` default, OpenAPI 3.1 §4.8.12), as [`Request::cookie_param_with`] does. `None` adds nothing.
    pub fn cookie_param<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), ValidationError> {
        self.cookie_param_with(name, value, param::FORM)
    }

    /// Fills the `{name}` hole of the path template with the parameter serialized as `serialization` says (see
    /// [`param::path`]): `blue,black`, `.blue.black` (label), `;color=blue,black` (matrix). The value is
    /// percent-encoded, so it cannot add path segments.
    pub fn path_param_with<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        serialization: Serialization,
    ) -> Result<(), ValidationError> {
        let text = param::path(name, value, serialization.style, serialization.explode)?;
        self.path = self.path.replace(&format!("{{{name}}}"), &text);
        Ok(())
    }

    /// Appends a query parameter serialized as its OpenAPI `style`, `explode` and `allowReserved` say (see
    /// [`param::query`]): `color=blue,black,brown`, `color=blue&color=black`, `R=100&G=200`, `color[R]=100`.
    /// `None` (an optional parameter left unset) adds nothing.
    pub fn query_param_with<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
        serialization: Serialization,
    ) -> Result<(), ValidationError> {
        let Some(value) = value else { return Ok(()) };
        let Serialization { style, explode, allow_reserved } = serialization;
        self.query.extend(param::query(name, value, style, explode, allow_reserved)?);
        Ok(())
    }

    /// Adds a header parameter serialized in `simple` style (or as JSON), see [`param::header`]: `blue,black`,
    /// `R,100,G,200`, `R=100,G=200` exploded. An empty array or object, or `None`, adds no header.
    pub fn header_param_with<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
        serialization: Serialization,
    ) -> Result<(), ValidationError> {
        let Some(value) = value else { return Ok(()) };
        match param::header(name, value, serialization.style, serialization.explode)? {
            Some(text) => self.header(name, text),
            None => Ok(()),
        }
    }

    /// Adds a cookie parameter serialized in `form` style (or as JSON), see [`param::cookie`], to the request's one
    /// `Cookie` header (RFC 6265 §5.4: pairs joined with `; `). `None` adds nothing.
    pub fn cookie_param_with<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
        serialization: Serialization,
    ) -> Result<(), ValidationError> {
        let Some(value) = value else { return Ok(()) };
        let pairs = param::cookie(name, value, serialization.style, serialization.explode)?;
        if pairs.is_empty() {
            return Ok(());
        }
        let mut text = match self.headers.get(COOKIE) {
            Some(existing) => format!("{}; ", existing.to_str().unwrap_or_default()),
            None => String::new(),
        };
        let joined: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
        text.push_str(&joined.join("; "));
        let value = HeaderValue::from_str(&text)
            .map_err(|_| ValidationError::new(name, "contains characters not allowed in an HTTP header"))?;
        self.headers.insert(COOKIE, value);
        Ok(())
    }

    /// Replaces every value of the query parameter `name` with `value`.
    pub fn set_query(&mut self, name: &str, value: impl Display) {
        let name = encode_query(name);
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, encode_query(&value.to_string())));
    }

    /// The first value of the query parameter `name`, decoded.
    pub fn query_value(&self, name: &str) -> Option<String> {
        let name = encode_query(name);
        self.query.iter().find(|(n, _)| *n == name).map(|(_, v)| decode_query(v))
    }

    /// The query string as it will be sent (without credentials), e.g. `a=1&b=x+y`.
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for (name, value) in &self.query {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            out.push_str(value);
        }
        out
    }

    /// Adds a header. Fails, naming the header, when the name or value is not valid in HTTP.
    pub fn header(&mut self, name: &'static str, value: impl Display) -> Result<(), ValidationError> {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| ValidationError::new(name, "not a valid HTTP header name"))?;
        let value = HeaderValue::from_str(&value.to_string())
            .map_err(|_| ValidationError::new(name, "contains characters not allowed in an HTTP header"))?;
        self.headers.append(header, value);
        Ok(())
    }

    /// Sets `Accept` to `media_type`, replacing any other.
    #[cfg(feature = "sse")]
    pub(super) fn accept(&mut self, media_type: &'static str) {
        self.headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static(media_type));
    }

    /// Sets a JSON body (`application/json`).
    pub fn json<B: Serialize>(&mut self, body: &B) -> Result<(), ValidationError> {
        let bytes = serde_json::to_vec(body).map_err(|e| ValidationError::new("body", e.to_string()))?;
        self.body = Some(Payload { content_type: Cow::Borrowed("application/json"), body: Bytes::from(bytes).into() });
        Ok(())
    }

    /// Sets a `multipart/form-data` body (the content type carries the form's boundary).
    pub fn multipart(&mut self, form: super::form::Multipart) {
        let content_type = Cow::Owned(form.content_type());
        self.body = Some(Payload { content_type, body: Bytes::from(form.finish()).into() });
    }

    /// Sets an `application/x-www-form-urlencoded` body with every object or array property written `deepObject`
    /// (`name[key]=value`, arrays `name[0]=value`: [`form::deep_object_all`](super::form::deep_object_all)), as
    /// when the operation's `encoding` names each such property `style: deepObject`.
    pub fn form_deep_object<B: Serialize>(&mut self, body: &B) -> Result<(), ValidationError> {
        self.form(&super::form::deep_object_all(super::codec::to_json_value("body", body)?))
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object.
    ///
    /// Arrays repeat the key, nulls are skipped, nested objects are sent as JSON text.
    pub fn form<B: Serialize>(&mut self, body: &B) -> Result<(), ValidationError> {
        // Fields in the struct's order, as serde writes them, even when `serde_json` sorts maps.
        let Some(properties) = super::param::object_properties("body", body)? else {
            return Err(ValidationError::new("body", "a form body must be an object"));
        };
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &properties {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::Array(items) => {
                    for item in items.iter().filter(|item| !item.is_null()) {
                        form.append_pair(key, &scalar_text(item));
                    }
                }
                other => {
                    form.append_pair(key, &scalar_text(other));
                }
            }
        }
        self.body = Some(Payload {
            content_type: Cow::Borrowed("application/x-www-form-urlencoded"),
            body: Bytes::from(form.finish()).into(),
        });
        Ok(())
    }

    /// Sets a raw body with its content type: bytes, or a stream or file ([`Body`]) read as the request is sent.
    pub fn bytes(&mut self, content_type: &'static str, body: impl Into<Body>) {
        self.body = Some(Payload { content_type: Cow::Borrowed(content_type), body: body.into() });
    }

    /// Sets a text body with its content type.
    pub fn text(&mut self, content_type: &'static str, body: impl Into<String>) {
        self.body = Some(Payload { content_type: Cow::Borrowed(content_type), body: Bytes::from(body.into()).into() });
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The headers set on this request (defaults and credentials are added when it is sent).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, if one is set and held in memory (not streamed).
    pub fn body(&self) -> Option<&Bytes> {
        self.body.as_ref().and_then(|b| b.body.as_bytes())
    }

    /// Whether the body is read from a stream or file, and so can be sent once.
    pub fn has_streamed_body(&self) -> bool {
        self.body.as_ref().is_some_and(|b| b.body.is_streamed())
    }

    pub(super) fn body_parts(&self) -> Option<&Payload> {
        self.body.as_ref()
    }

    pub(super) fn absolute_url(&self) -> Option<&Url> {
        self.url.as_ref()
    }

    pub(super) fn encoded_query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The same request (method, headers, body) sent to `url` as-is.
    pub(super) fn with_url(&self, url: Url) -> Request {
        Request {
            method: self.method.clone(),
            path: url.path().to_owned(),
            url: Some(url),
            query: Vec::new(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            anonymous: self.anonymous,
            options: self.options.clone(),
        }
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Request");
        s.field("method", &self.method.as_str());
        match &self.url {
            Some(url) => s.field("url_path", &url.path()),
            None => s.field("path", &self.path),
        };
        s.field("query", &self.query_string())
            .field("headers", &HeaderNames(&self.headers))
            .field("body", &self.body.as_ref().map(|b| &b.body))
            .field("options", &self.options)
            .finish()
    }
}

/// Percent-encodes one path parameter value: every character but RFC 3986 unreserved ones, so `/` and every other
/// reserved character are encoded.
pub fn encode_path(value: impl Display) -> String {
    param::encode_unreserved(&value.to_string())
}

/// Decodes one form-encoded query name or value.
pub(super) fn decode_query(text: &str) -> String {
    form_urlencoded::parse(text.as_bytes())
        .next()
        .map(|(k, v)| if v.is_empty() { k.into_owned() } else { format!("{k}={v}") })
        .unwrap_or_default()
}

fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => value.to_string(),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => value.to_string(),
    }
}
