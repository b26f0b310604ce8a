//! What every generated operation shares: sending, response formats, failure rules and paging.
//!
//! A generated operation is a request builder (its parameters), a request description ([`Operation::request`]) and
//! its types. Everything else is here, written once: [`Operation::send`] runs the send loop and decodes the body
//! in the operation's [`Format`]; [`Paginated`] adds page and item streams from two small functions that read a
//! page. [`operation!`](super::operation) gives a builder its inherent `send()` and `.await` (`IntoFuture`), so
//! users need no trait import.
//!
//! Where to add a pagination style: [`PaginationStyle`] and the page walk in the `pagination` module; generated code
//! only names the style and reads the page.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::body::ByteStream;
use super::client::{Client, Response};
use super::decode::decode_json;
use super::error::{DecodeError, Error, ErrorBody, ValidationError};
#[cfg(feature = "sse")]
use super::events::EventStream;
use super::options::RequestOptions;
use super::pagination::{PageNav, PaginationStyle, Paginator};
use super::request::Request;

/// How a 2xx body becomes the operation's output `T`.
pub trait Format<T>: Send + 'static {
    /// Decodes `body`, received with `status`.
    fn decode(status: StatusCode, body: Bytes) -> Result<T, DecodeError>;
}

/// A JSON body (`application/json` and `+json` media types), decoded with serde.
#[derive(Debug)]
pub enum Json {}

impl<T: DeserializeOwned> Format<T> for Json {
    fn decode(status: StatusCode, body: Bytes) -> Result<T, DecodeError> {
        decode_json(status, &body)
    }
}

/// A text body (`text/*`, event streams, XML), invalid UTF-8 replaced with U+FFFD.
#[derive(Debug)]
pub enum Text {}

impl Format<String> for Text {
    fn decode(_status: StatusCode, body: Bytes) -> Result<String, DecodeError> {
        Ok(match String::from_utf8(Vec::from(body)) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }
}

/// Any other body, as bytes.
#[derive(Debug)]
pub enum Binary {}

impl Format<Bytes> for Binary {
    fn decode(_status: StatusCode, body: Bytes) -> Result<Bytes, DecodeError> {
        Ok(body)
    }
}

/// No body of interest: whatever comes is ignored.
#[derive(Debug)]
pub enum NoContent {}

impl Format<()> for NoContent {
    fn decode(_status: StatusCode, _body: Bytes) -> Result<(), DecodeError> {
        Ok(())
    }
}

/// A 2xx JSON body that reports a failure (the `x-error-when` extension): when the top-level string `property` is
/// one of `equals`, the call returns [`Error::Failure`] with the text of the `message` property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureRule {
    /// The top-level property holding the outcome, as named on the wire.
    pub property: &'static str,
    /// Values of `property` that mean failure.
    pub equals: &'static [&'static str],
    /// The top-level property holding a human-readable message, if any.
    pub message: Option<&'static str>,
}

impl FailureRule {
    /// The failure message (`Some(None)` when the body fails without one), or `None` when `body` reports success.
    fn failure(&self, body: &[u8]) -> Option<Option<String>> {
        let value: serde_json::Value = serde_json::from_slice(body).ok()?;
        let outcome = value.get(self.property)?.as_str()?;
        if !self.equals.contains(&outcome) {
            return None;
        }
        let message = self.message.and_then(|name| value.get(name)).and_then(|m| m.as_str()).map(str::to_owned);
        Some(message)
    }
}

/// The result of sending operation `O`.
pub type OperationResult<O> = Result<<O as Operation>::Output, Error<<O as Operation>::Error>>;

/// One API operation, ready to send: implemented by every generated request builder.
///
/// The provided methods are the whole send path; a builder only says where its client is and which HTTP request its
/// parameters make.
pub trait Operation: Sized + Send {
    /// The decoded 2xx body.
    type Output: Send + 'static;
    /// The documented error responses ([`ErrorBody`]), [`NoErrorBody`](super::NoErrorBody) when none are.
    type Error: ErrorBody;
    /// How the 2xx body is read: [`Json`], [`Text`], [`Binary`] or [`NoContent`].
    type Format: Format<Self::Output>;

    /// A 2xx body that still means failure, when the spec says so.
    const FAILURE: Option<FailureRule> = None;

    /// The client the request goes through.
    fn client(&self) -> &Client;

    /// The HTTP request the parameters make. Fails, naming the parameter, when a value breaks its schema's
    /// constraints or cannot be serialized in its style.
    fn request(&self) -> Result<Request, ValidationError>;

    /// Sends the request (retries, timeouts and credentials as the client is configured) and decodes a 2xx body.
    ///
    /// Errors: documented error statuses as [`Error::Api`] with the typed body, undocumented ones as
    /// [`Error::UnexpectedStatus`], a 2xx body matching [`Operation::FAILURE`] as [`Error::Failure`], plus transport,
    /// timeout, decoding and validation errors.
    fn send(self) -> impl Future<Output = OperationResult<Self>> + Send + 'static {
        let response = self.send_with_response();
        async move { response.await.map(|response| response.body) }
    }

    /// Like [`Operation::send`], also returning the status and headers of the response.
    fn send_with_response(
        self,
    ) -> impl Future<Output = Result<Response<Self::Output>, Error<Self::Error>>> + Send + 'static {
        respond(self, None)
    }

    /// Sends the request and returns a 2xx body as a [`ByteStream`], read as it arrives instead of into memory
    /// (for downloads of any size). Errors as for [`Operation::send`]; an error status's body is read whole.
    fn send_streaming(self) -> impl Future<Output = Result<ByteStream, Error<Self::Error>>> + Send + 'static {
        stream_bytes(self, None)
    }

    /// Sends the request with `Accept: text/event-stream` and returns the response as a stream of server-sent
    /// events, each `data` decoded as `T` ([`EventStream`]; runtime feature `sse`). Errors as for
    /// [`Operation::send`]. The request itself must ask for a stream when the API wants that said in the body (for
    /// example OpenAI's `"stream": true`).
    #[cfg(feature = "sse")]
    fn send_events<T: DeserializeOwned + Send + 'static>(
        self,
    ) -> impl Future<Output = Result<EventStream<T>, Error<Self::Error>>> + Send + 'static {
        stream_events(self, None)
    }

    /// This call with `options` overriding the client's settings (timeout, deadline, retries, headers,
    /// idempotency key): send it, `.await` it or page through it as the operation itself.
    fn with_options(self, options: RequestOptions) -> WithOptions<Self> {
        WithOptions { operation: self, options }
    }
}

/// The client and request of `operation`, with `options` when given.
fn prepare<O: Operation>(operation: &O, options: Option<RequestOptions>) -> Result<(Client, Request), ValidationError> {
    let mut request = operation.request()?;
    if let Some(options) = options {
        request.set_request_options(options);
    }
    Ok((operation.client().clone(), request))
}

/// Sends `operation`, with `options` when given, and streams a 2xx body.
fn stream_bytes<O: Operation>(
    operation: O,
    options: Option<RequestOptions>,
) -> impl Future<Output = Result<ByteStream, Error<O::Error>>> + Send + 'static {
    let prepared = prepare(&operation, options);
    async move {
        let (client, request) = prepared?;
        Ok(ByteStream::new(client.execute_streamed::<O::Error>(&request).await?.into_chunks()))
    }
}

/// Sends `operation` asking for an event stream, with `options` when given, and decodes its events as `T`.
#[cfg(feature = "sse")]
fn stream_events<O: Operation, T: DeserializeOwned + Send + 'static>(
    operation: O,
    options: Option<RequestOptions>,
) -> impl Future<Output = Result<EventStream<T>, Error<O::Error>>> + Send + 'static {
    let prepared = prepare(&operation, options);
    async move {
        let (client, mut request) = prepared?;
        request.accept("text/event-stream");
        Ok(EventStream::new(client.execute_streamed::<O::Error>(&request).await?.into_chunks()))
    }
}

/// Sends `operation`, with `options` when given, and decodes the response.
fn respond<O: Operation>(
    operation: O,
    options: Option<RequestOptions>,
) -> impl Future<Output = Result<Response<O::Output>, Error<O::Error>>> + Send + 'static {
    let prepared = prepare(&operation, options);
    async move {
        let (client, request) = prepared?;
        let raw = client.execute_checked::<O::Error>(&request).await?;
        if let Some(rule) = O::FAILURE {
            if let Some(message) = rule.failure(&raw.body) {
                return Err(Error::Failure { status: raw.status, message });
            }
        }
        let body = O::Format::decode(raw.status, raw.body).map_err(|e| Error::Decode(Box::new(e)))?;
        Ok(Response { status: raw.status, headers: raw.headers, body })
    }
}

/// An operation with per-call [`RequestOptions`] ([`Operation::with_options`], or the `with_options` method of a
/// generated request builder): sent, awaited or paged like the operation itself, each attempt (and page) under the
/// options.
#[must_use = "a request builder does nothing until it is sent"]
pub struct WithOptions<O> {
    operation: O,
    options: RequestOptions,
}

impl<O: fmt::Debug> fmt::Debug for WithOptions<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithOptions").field("operation", &self.operation).field("options", &self.options).finish()
    }
}

impl<O: Operation> WithOptions<O> {
    /// Sends the request and decodes the response, as [`Operation::send`] does.
    pub fn send(self) -> SendingOf<O> {
        let response = respond(self.operation, Some(self.options));
        Sending { future: Box::pin(async move { response.await.map(|response| response.body) }) }
    }

    /// Like [`WithOptions::send`], also returning the status and headers of the response.
    pub fn send_with_response(self) -> SendingWithResponseOf<O> {
        Sending { future: Box::pin(respond(self.operation, Some(self.options))) }
    }

    /// Sends the request and streams a 2xx body, as [`Operation::send_streaming`] does.
    pub fn send_streaming(self) -> Sending<ByteStream, O::Error> {
        Sending { future: Box::pin(stream_bytes(self.operation, Some(self.options))) }
    }

    /// Sends the request and streams its events, as [`Operation::send_events`] does.
    #[cfg(feature = "sse")]
    pub fn send_events<T: DeserializeOwned + Send + 'static>(self) -> Sending<EventStream<T>, O::Error> {
        Sending { future: Box::pin(stream_events(self.operation, Some(self.options))) }
    }
}

impl<O: Operation> IntoFuture for WithOptions<O> {
    type Output = OperationResult<O>;
    type IntoFuture = SendingOf<O>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl<O: Paginated> WithOptions<O> {
    /// A paginator whose every page request carries the options ([`Paginated::paginate`]).
    pub fn paginate(self) -> Paginator<O::Output, O::Item, O::Error> {
        paginator(self.operation, Some(self.options))
    }

    /// Every page ([`Paginated::pages`]).
    pub fn pages(self) -> BoxStream<'static, OperationResult<O>> {
        self.paginate().pages()
    }

    /// Every item of every page ([`Paginated::items`]).
    pub fn items(self) -> BoxStream<'static, Result<O::Item, Error<O::Error>>> {
        self.paginate().items()
    }
}

/// The paginator of `operation`, its requests carrying `options` when given.
fn paginator<O: Paginated>(operation: O, options: Option<RequestOptions>) -> Paginator<O::Output, O::Item, O::Error> {
    match prepare(&operation, options) {
        Ok((client, request)) => Paginator::new(client, request, O::STYLE, O::next_page, O::page_items),
        Err(error) => Paginator::failed(error),
    }
}

/// A sent operation: the future [`Operation::send`] runs, as a named type (what `send()` and `.await` on a generated
/// request builder return). It holds no borrow of the client or the builder (`'static`), so it can be stored,
/// returned or handed to `tokio::spawn`. `T` is the decoded body, `E` the documented error body.
pub struct Sending<T, E> {
    future: BoxFuture<'static, Result<T, Error<E>>>,
}

impl<T, E> Sending<T, E> {
    /// Starts sending `operation` (nothing happens until the future is polled).
    pub fn new<O: Operation<Output = T, Error = E>>(operation: O) -> Self {
        Sending { future: Box::pin(operation.send()) }
    }
}

impl<E> Sending<ByteStream, E> {
    /// Starts sending `operation`, to stream its 2xx body ([`Operation::send_streaming`]).
    pub fn streaming<O: Operation<Error = E>>(operation: O) -> Self {
        Sending { future: Box::pin(operation.send_streaming()) }
    }
}

#[cfg(feature = "sse")]
impl<T: DeserializeOwned + Send + 'static, E> Sending<EventStream<T>, E> {
    /// Starts sending `operation`, to stream its events ([`Operation::send_events`]).
    pub fn events<O: Operation<Error = E>>(operation: O) -> Self {
        Sending { future: Box::pin(operation.send_events()) }
    }
}

impl<T, E> Sending<Response<T>, E> {
    /// Starts sending `operation`, to return the status and headers with the body
    /// ([`Operation::send_with_response`]).
    pub fn with_response<O: Operation<Output = T, Error = E>>(operation: O) -> Self {
        Sending { future: Box::pin(operation.send_with_response()) }
    }
}

impl<T, E> Future for Sending<T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.future.as_mut().poll(cx)
    }
}

impl<T, E> fmt::Debug for Sending<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sending").finish_non_exhaustive()
    }
}

/// What `send()` of the request builder `O` returns.
pub type SendingOf<O> = Sending<<O as Operation>::Output, <O as Operation>::Error>;

/// What `send_with_response()` of the request builder `O` returns.
pub type SendingWithResponseOf<O> = Sending<Response<<O as Operation>::Output>, <O as Operation>::Error>;

/// An operation whose response is one page of a listing: its pages and items as lazy streams.
pub trait Paginated: Operation<Output: DeserializeOwned> {
    /// One item of a page.
    type Item: Send + 'static;

    /// How the next page is requested.
    const STYLE: PaginationStyle;

    /// What `page` says about the next page.
    fn next_page(page: &Self::Output) -> PageNav;

    /// The items of `page`.
    fn page_items(page: Self::Output) -> Vec<Self::Item>;

    /// A paginator, to cap pages or items before streaming them. A request that fails validation gives streams
    /// that yield that error once.
    fn paginate(self) -> Paginator<Self::Output, Self::Item, Self::Error> {
        paginator(self, None)
    }

    /// Every page, each fetched when the stream is polled.
    fn pages(self) -> BoxStream<'static, OperationResult<Self>> {
        self.paginate().pages()
    }

    /// Every item of every page, fetched a page at a time.
    fn items(self) -> BoxStream<'static, Result<Self::Item, Error<Self::Error>>> {
        self.paginate().items()
    }
}

/// Declares a generated request builder `$builder<'_>` an [`Operation`], in one line:
///
/// ```text
/// rt::operation!(rt, ListImages -> types::ListImagesResponse, ListImagesError, Json; paginated);
/// ```
///
/// names its output, its documented error body and its [`Format`]. The error may be `Alias = Shared`: a public
/// alias, named after the operation, of an error enum that operations with the same responses share. Then, when the
/// spec says so, `, failure = Self::FAILURE_RULE` (a [`FailureRule`] constant of the builder) and any of
/// `; paginated` (the builder also implements [`Paginated`]), `; streaming` (a binary download: `send_streaming()`)
/// and `; events = types::Event` (an event stream: `send_events()`). The builder keeps its client in a field `client` (the generated
/// `Client`, whose runtime client is `inner`) and makes its request in an inherent `fn build_request(&self)`.
///
/// It also gives the builder inherent `send()` and `send_with_response()` methods and `IntoFuture`, so that
/// `client.op().send().await` and `client.op().await` work without importing a trait, and with `paginated`
/// `pages()`, `items()` and `paginate()`.
///
/// `$rt` is the name under which the calling module sees this crate (generated code uses `rt`): the runtime may be
/// a dependency or a module copied into the generated crate, so the macro cannot name it with `$crate`.
#[doc(hidden)]
#[macro_export]
macro_rules! __operation {
    ($rt:ident, $builder:ident -> $output:ty, $alias:ident = $shared:ident, $($rest:tt)*) => {
        #[doc = concat!(
            "The documented error responses of a [`", stringify!($builder), "`] request: [`", stringify!($shared),
            "`], which other operations with the same responses share."
        )]
        pub type $alias = $shared;

        $crate::__operation!($rt, $builder -> $output, $alias, $($rest)*);
    };
    ($rt:ident, $builder:ident -> $output:ty, $error:ty, $format:ident $(, failure = $failure:expr)? $(; $flag:ident $(= $arg:ty)?)*) => {
        impl $rt::Operation for $builder<'_> {
            type Output = $output;
            type Error = $error;
            type Format = $rt::$format;
            $(const FAILURE: ::core::option::Option<$rt::FailureRule> = ::core::option::Option::Some($failure);)?

            fn client(&self) -> &$rt::Client {
                &self.client.inner
            }

            fn request(&self) -> ::core::result::Result<$rt::Request, $rt::ValidationError> {
                self.build_request()
            }
        }

        impl $builder<'_> {
            /// Sends the request and decodes the response: documented error statuses come back as typed
            /// `Error::Api` values (see the runtime's `Operation::send`).
            pub fn send(self) -> $rt::SendingOf<Self> {
                $rt::Sending::new(self)
            }

            /// Like `send()`, also returning the status and headers of the response.
            pub fn send_with_response(self) -> $rt::SendingWithResponseOf<Self> {
                $rt::Sending::with_response(self)
            }

            /// This call with per-call options (timeout, deadline, retries, headers, idempotency key) overriding
            /// the client's: then `.send()`, `.await` or page through it as before.
            pub fn with_options(self, options: $rt::RequestOptions) -> $rt::WithOptions<Self> {
                <Self as $rt::Operation>::with_options(self, options)
            }
        }

        impl ::core::future::IntoFuture for $builder<'_> {
            type Output = $rt::OperationResult<Self>;
            type IntoFuture = $rt::SendingOf<Self>;

            fn into_future(self) -> Self::IntoFuture {
                $rt::Sending::new(self)
            }
        }

        $($crate::__operation!(@$flag $rt, $builder $(, $arg)?);)*
    };
    (@streaming $rt:ident, $builder:ident) => {
        impl $builder<'_> {
            /// Sends the request and returns a 2xx body as a byte stream, read as it arrives instead of into memory
            /// (see the runtime's `Operation::send_streaming`).
            pub fn send_streaming(self) -> $rt::Sending<$rt::ByteStream, <Self as $rt::Operation>::Error> {
                $rt::Sending::streaming(self)
            }
        }
    };
    (@events $rt:ident, $builder:ident, $event:ty) => {
        impl $builder<'_> {
            /// Sends the request asking for `text/event-stream` and returns the server-sent events, each `data`
            /// decoded (see the runtime's `Operation::send_events`).
            pub fn send_events(self) -> $rt::Sending<$rt::EventStream<$event>, <Self as $rt::Operation>::Error> {
                $rt::Sending::events(self)
            }
        }
    };
    (@paginated $rt:ident, $builder:ident) => {
        impl $builder<'_> {
            /// Every page, each fetched when the stream is polled.
            pub fn pages(self) -> $rt::futures::stream::BoxStream<'static, $rt::OperationResult<Self>> {
                <Self as $rt::Paginated>::pages(self)
            }

            /// Every item of every page, fetched a page at a time.
            pub fn items(
                self,
            ) -> $rt::futures::stream::BoxStream<
                'static,
                ::core::result::Result<<Self as $rt::Paginated>::Item, $rt::Error<<Self as $rt::Operation>::Error>>,
            > {
                <Self as $rt::Paginated>::items(self)
            }

            /// A paginator, to cap pages or items before streaming them.
            pub fn paginate(
                self,
            ) -> $rt::Paginator<
                <Self as $rt::Operation>::Output,
                <Self as $rt::Paginated>::Item,
                <Self as $rt::Operation>::Error,
            > {
                <Self as $rt::Paginated>::paginate(self)
            }
        }
    };
}

#[doc(inline)]
pub use crate::__operation as operation;

/// Declares a generated request builder [`Paginated`], in one statement:
///
/// ```text
/// rt::paginated!(
///     rt, ListImages -> types::Image, PageNumber { page_param: "page", first_page: 1 },
///     |page| page.images,
///     |page| { next: page.links.as_ref().and_then(|v| v.next.clone()), items: page.images.len() }
/// );
/// ```
///
/// names the item type, the [`PaginationStyle`] variant, the items of a page (`page` is the decoded page, owned) and
/// the [`PageNav`] fields read from a page (`page` borrowed; fields left out keep their default). `$rt` is the name
/// under which the calling module sees this crate, as in [`operation!`](crate::operation).
#[doc(hidden)]
#[macro_export]
macro_rules! __paginated {
    (
        $rt:ident, $builder:ident -> $item:ty, $style:ident $({ $($style_field:tt)* })?,
        |$items_page:ident| $items:expr, |$nav_page:ident| { $($nav_field:ident: $nav_value:expr),* $(,)? } $(,)?
    ) => {
        impl $rt::Paginated for $builder<'_> {
            type Item = $item;
            const STYLE: $rt::PaginationStyle = $rt::PaginationStyle::$style $({ $($style_field)* })?;

            fn next_page($nav_page: &Self::Output) -> $rt::PageNav {
                $rt::PageNav { $($nav_field: $nav_value,)* ..::core::default::Default::default() }
            }

            fn page_items($items_page: Self::Output) -> ::std::vec::Vec<Self::Item> {
                $items
            }
        }
    };
}

#[doc(inline)]
pub use crate::__paginated as paginated;
