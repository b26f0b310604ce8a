//! `text/event-stream` responses (server-sent events, WHATWG HTML §9.2) as a typed stream of events.
//!
//! The event stream format is parsed by the `eventsource-stream` crate; this module decodes each event's `data` as
//! the operation's event schema.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource};
use futures::stream::{BoxStream, Stream, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::decode::decode_json;
use super::error::{DecodeError, Error};

/// The `data` that ends an event stream without being an event: OpenAI's convention, followed by the many APIs
/// compatible with it.
const DONE: &str = "[DONE]";

/// One server-sent event, its `data` decoded as `T`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event type (the `event:` field), `message` when the server sent none.
    pub event: String,
    /// The last event id the server set (the `id:` field), empty when none.
    pub id: String,
    /// The reconnection time the server asked for (the `retry:` field), in milliseconds on the wire.
    pub retry: Option<Duration>,
    /// The event's `data:` lines, joined with `\n` and decoded as JSON.
    pub data: T,
}

/// A `text/event-stream` response as a stream of typed events (`Result<Event<T>, Error>`): what `send_events()` of
/// an operation whose spec describes its event payload returns, with the response's status and headers.
///
/// An event whose `data` does not decode as `T` is an [`Error::Decode`] item, and the stream goes on; a `data` of
/// `[DONE]` ends it, as does the end of the body. A connection failure is an [`Error::Transport`] item that ends
/// it. Comments (`:` lines) are skipped. The client's timeout and deadline cover the wait for the response
/// headers, not the stream.
pub struct EventStream<T> {
    status: StatusCode,
    headers: HeaderMap,
    events: BoxStream<'static, Result<Event<T>, Error>>,
}

impl<T: DeserializeOwned + Send + 'static> EventStream<T> {
    pub(super) fn new(
        (status, headers, chunks): (StatusCode, HeaderMap, BoxStream<'static, reqwest::Result<Bytes>>),
    ) -> Self {
        let events = chunks
            .eventsource()
            .take_while(|item| std::future::ready(!matches!(item, Ok(event) if event.data.trim() == DONE)))
            .map(move |item| match item {
                Ok(event) => decode_json(status, event.data.as_bytes())
                    .map(|data| Event { event: event.event, id: event.id, retry: event.retry, data })
                    .map_err(|e| Error::Decode(Box::new(e))),
                Err(EventStreamError::Transport(e)) => Err(Error::Transport(e.without_url())),
                Err(EventStreamError::Utf8(e)) => Err(malformed(status, e.to_string())),
                Err(EventStreamError::Parser(e)) => Err(malformed(status, e.to_string())),
            })
            .boxed();
        EventStream { status, headers, events }
    }
}

impl<T> EventStream<T> {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's request id, from the well-known headers, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        super::error::request_id_header(&self.headers)
    }
}

/// A stream that is not valid `text/event-stream`.
fn malformed(status: StatusCode, message: String) -> Error {
    Error::Decode(Box::new(DecodeError {
        status,
        path: ".".to_owned(),
        message: format!("not a valid event stream: {message}"),
        snippet: String::new(),
    }))
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("headers", &super::redact::HeaderNames(&self.headers))
            .finish_non_exhaustive()
    }
}
