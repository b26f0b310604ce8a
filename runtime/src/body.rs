//! Binary bodies that need not fit in memory: [`Body`] for uploads (bytes, a stream or a file) and [`ByteStream`]
//! for downloads (read as the bytes arrive).

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt, TryStream, TryStreamExt};
use reqwest::header::{HeaderMap, CONTENT_LENGTH};
use reqwest::StatusCode;

use super::error::{Error, ValidationError};

/// The body of a binary upload (`application/octet-stream` and other non-JSON, non-form media types): bytes in
/// memory, or a stream or file read while the request is sent, so that it need not fit in memory.
///
/// `Vec<u8>`, [`Bytes`], `String` and `&'static [u8]`/`&'static str` convert into it, so request builders take any of
/// them. A streamed body (from [`Body::from_stream`] or [`Body::from_file`]) can be sent once: the request is not
/// retried (retries and a repeat after a 401 need the body again), and sending a clone of its builder a second time
/// fails with [`Error::Validation`]. It goes out with `Transfer-Encoding: chunked` (RFC 9112 §7.1).
#[derive(Clone)]
pub struct Body(Content);

#[derive(Clone)]
enum Content {
    Bytes(Bytes),
    /// Taken by the first attempt that sends it; a `Mutex` so that request builders stay `Sync`.
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

impl Body {
    /// A body read from `stream` as the request is sent: any stream of byte chunks (`Bytes`, `Vec<u8>`, `String`
    /// or `&'static [u8]`), such as a `tokio_util::io::ReaderStream`. An `Err` item aborts the request with
    /// [`Error::Transport`].
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        Body::streamed(reqwest::Body::wrap_stream(stream))
    }

    /// A body read from `file` as the request is sent, from its current position to its end.
    pub fn from_file(file: tokio::fs::File) -> Self {
        Body::streamed(reqwest::Body::from(file))
    }

    fn streamed(body: reqwest::Body) -> Self {
        Body(Content::Stream(Arc::new(Mutex::new(Some(body)))))
    }

    /// The bytes of an in-memory body; `None` for a streamed one.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.0 {
            Content::Bytes(bytes) => Some(bytes),
            Content::Stream(_) => None,
        }
    }

    /// Whether the body is read from a stream or file (and so can be sent once).
    pub fn is_streamed(&self) -> bool {
        matches!(self.0, Content::Stream(_))
    }

    /// The body for one attempt: a copy of in-memory bytes, or the stream if no attempt has taken it yet.
    pub(super) fn for_attempt(&self) -> Result<reqwest::Body, ValidationError> {
        match &self.0 {
            Content::Bytes(bytes) => Ok(bytes.clone().into()),
            Content::Stream(slot) => slot
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take()
                .ok_or_else(|| ValidationError::new("body", "a streamed body can be sent only once, and was sent")),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Content::Bytes(bytes) => f.debug_struct("Body").field("len", &bytes.len()).finish(),
            Content::Stream(_) => f.debug_struct("Body").field("streamed", &true).finish(),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body(Content::Bytes(bytes))
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Body::from(Bytes::from_static(bytes))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body::from(Bytes::from(text))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Body::from(Bytes::from_static(text.as_bytes()))
    }
}

/// A 2xx body read as it arrives, chunk by chunk, never held whole in memory: what `send_streaming()` of a binary
/// download returns, with the response's status and headers.
///
/// A `Stream` of `Result<Bytes, Error>`: an `Err` (the connection failed mid-body) ends it. The client's timeout and
/// deadline cover the wait for the response headers, not the body: a large download takes as long as it takes; wrap
/// the loop in `tokio::time::timeout` to bound it.
pub struct ByteStream {
    status: StatusCode,
    headers: HeaderMap,
    chunks: BoxStream<'static, Result<Bytes, Error>>,
}

impl ByteStream {
    pub(super) fn new(
        (status, headers, chunks): (StatusCode, HeaderMap, BoxStream<'static, reqwest::Result<Bytes>>),
    ) -> Self {
        ByteStream { status, headers, chunks: chunks.map_err(|e| Error::Transport(e.without_url())).boxed() }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body's length in bytes, when the server sent `Content-Length`.
    pub fn content_length(&self) -> Option<u64> {
        self.headers.get(CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
    }

    /// The server's request id, from the well-known headers, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        super::error::request_id_header(&self.headers)
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let mut whole = Vec::new();
        while let Some(chunk) = self.chunks.next().await {
            whole.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(whole))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("headers", &super::redact::HeaderNames(&self.headers))
            .finish_non_exhaustive()
    }
}
