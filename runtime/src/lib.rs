//! Runtime support for generated OpenAPI clients.
//!
//! Generated clients call this crate for everything that is not specific to one API:
//!
//! - transport: [`reqwest`] on tokio over rustls (feature `rustls`, the default) or the platform's TLS library
//!   (feature `native-tls`), configured through [`ClientBuilder`] (base URL or server template with variables,
//!   credentials, user agent, timeouts, retries);
//! - bodies that need not fit in memory: uploads from a stream or file ([`Body`]), downloads as a stream of chunks
//!   ([`ByteStream`]) and `text/event-stream` responses as typed events (`EventStream`, feature `sse`);
//! - authentication ([`AuthScheme`]), with credentials held in [`Secret`] so they never show up in
//!   `Debug` output or logs, fixed or fetched and refreshed by a [`TokenProvider`];
//! - [`middleware`] on every attempt (the `reqwest-middleware` chain), and per-call [`RequestOptions`] (timeout,
//!   deadline, retries, headers, idempotency key);
//! - retries with exponential backoff, full jitter and `Retry-After` ([`RetryPolicy`]);
//! - one error type, [`Error`], separating transport failures, timeouts, documented and undocumented
//!   error statuses, undecodable bodies, validation failures and pagination failures;
//! - lazy pagination as `futures` streams of pages or items ([`Paginator`]);
//! - parameter serialization by OpenAPI `style` and `explode` ([`param`]), validation helpers ([`validate`]), serde
//!   helpers ([`codec`]), struct decoding ([`object`]) and form encoders ([`form`]) used by generated code.
//!
//! Every request runs inside a `tracing` span named `http.request`.

// The files of this crate are also copied into generated crates as a module (`--runtime inline`), so they refer to
// each other only through `super::` and `self::` paths.

mod address;
mod auth;
mod body;
mod builder;
mod client;
pub mod codec;
mod credentials;
mod decode;
mod error;
#[cfg(feature = "sse")]
mod events;
pub mod form;
mod link;
pub mod middleware;
pub mod object;
mod operation;
mod options;
mod pagination;
pub mod param;
mod redact;
mod request;
mod retry;
#[cfg(feature = "time")]
pub mod rfc3339;
mod send;
mod server;
mod string_enum;
pub mod validate;

pub use bytes;
pub use futures;
pub use reqwest;
pub use reqwest::Method;
pub use reqwest_middleware;
pub use serde_json;
pub use url;

pub use self::auth::{AuthScheme, Secret};
pub use self::body::{Body, ByteStream};
pub use self::builder::ClientBuilder;
pub use self::client::{Client, Response};
pub use self::credentials::{Token, TokenProvider};
pub use self::decode::decode_json;
pub use self::error::{
    AnyError, AnyErrorBody, ApiError, BuildError, CredentialError, DecodeError, Error, ErrorBody, ErrorResponse,
    NoErrorBody, PaginationError, ValidationError,
};
#[cfg(feature = "sse")]
pub use self::events::{Event, EventStream};
pub use self::link::{parse_link_header, Link};
pub use self::operation::{
    operation, paginated, Binary, FailureRule, Format, Json, NoContent, Operation, OperationResult, Paginated, Sending,
    SendingOf, SendingWithResponseOf, Text, WithOptions,
};
pub use self::options::{RequestOptions, IDEMPOTENCY_KEY};
pub use self::pagination::{PageNav, PaginationStyle, Paginator};
pub use self::request::{encode_path, Request};
pub use self::retry::RetryPolicy;
pub use self::server::ServerVariable;
pub use self::string_enum::{string_enum, StringEnum, UnknownValue};
