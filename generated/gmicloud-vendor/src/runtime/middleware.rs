//! Extension points in the request path: middleware that sees, and may change, every attempt.
//!
//! The chain is [`reqwest-middleware`](https://docs.rs/reqwest-middleware)'s: its [`Middleware`] trait is what the
//! Rust ecosystem's HTTP middleware already implements (tracing, caching, request signing, OpenTelemetry, …), so
//! those plug in unchanged and middleware written for a generated client works with plain `reqwest` too. tower
//! layers were the other candidate; they would make every user write `Service` boilerplate for a request/response
//! hook, and reqwest itself is not a tower service.
//!
//! Where the chain sits, for each call:
//!
//! 1. the request is validated and built once ([`Request`](super::Request));
//! 2. for each attempt (the client's retry loop is outside the chain, so middleware sees every retry): default
//!    headers, per-request headers, the idempotency key and credentials (a refreshed token included) are set on
//!    the `reqwest::Request`, an [`Attempt`] goes into the call's [`Extensions`], and the chain runs in the order
//!    middleware was added, ending in the transport;
//! 3. the response (or error) comes back through the chain before the client reads its status, so a middleware's
//!    view of each attempt (status, latency) is the one the retry decision then uses.
//!
//! The attempt timeout covers the chain. A middleware error ends the call as
//! [`Error::Middleware`](super::Error::Middleware), without retries.
//!
//! A middleware with state is a struct implementing [`Middleware`] with the [`async_trait`](macro@async_trait) attribute re-exported
//! here (so no dependency of your own is needed):
//!
//! ```text
//! struct CountAttempts(Arc<AtomicUsize>);
//!
//! #[runtime::middleware::async_trait]
//! impl Middleware for CountAttempts {
//!     async fn handle(&self, request: reqwest::Request, extensions: &mut Extensions, next: Next<'_>)
//!         -> reqwest_middleware::Result<reqwest::Response> {
//!         self.0.fetch_add(1, Ordering::Relaxed);
//!         next.run(request, extensions).await
//!     }
//! }
//! ```
//!
//! A stateless one can also be a plain `fn` with the signature of [`Middleware::handle`] returning a boxed future,
//! as the generated READMEs show.

pub use async_trait::async_trait;
pub use http::Extensions;
pub use reqwest_middleware::{Middleware, Next};

/// Which attempt of a call this is (1 for the first), in the [`Extensions`] of every attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub number: u32,
}
