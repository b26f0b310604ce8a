//! Per-request options: what one call changes of the client's settings (timeout, deadline, retries, headers,
//! idempotency key, middleware extensions), given to a request builder's `with_options`.

use std::fmt;
use std::time::Duration;

use http::Extensions;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::error::ValidationError;
use super::redact::HeaderNames;
use super::retry::RetryPolicy;

/// The header an idempotency key travels in (IETF draft `draft-ietf-httpapi-idempotency-key-header`, as Stripe,
/// Adyen and PayPal-style APIs use it).
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Settings for one call, overriding the client's: `client.op().with_options(RequestOptions::new().timeout(…))`.
///
/// Every option applies to each attempt of the call (and to each page of a paginated listing), and to this call
/// only. `Debug` shows header names, not values.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(super) timeout: Option<Duration>,
    pub(super) deadline: Option<Duration>,
    pub(super) retry: Option<RetryPolicy>,
    pub(super) max_attempts: Option<u32>,
    pub(super) headers: HeaderMap,
    pub(super) header_error: Option<ValidationError>,
    pub(super) idempotency_key: Option<HeaderValue>,
    pub(super) extensions: Extensions,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("max_attempts", &self.max_attempts)
            .field("headers", &HeaderNames(&self.headers))
            .field("idempotency_key", &self.idempotency_key.is_some())
            .finish_non_exhaustive()
    }
}

impl RequestOptions {
    /// No overrides: the client's settings.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Time limit of each attempt, response body included (instead of the client's).
    pub fn timeout(mut self, per_attempt: Duration) -> Self {
        self.timeout = Some(per_attempt);
        self
    }

    /// Time limit of the whole call: every attempt and the backoff between them (instead of the client's).
    pub fn deadline(mut self, overall: Duration) -> Self {
        self.deadline = Some(overall);
        self
    }

    /// The retry policy for this call (instead of the client's).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Attempts in all, the first included (at least 1), with the policy otherwise as configured.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// One attempt, never retried.
    pub fn no_retries(self) -> Self {
        self.max_attempts(1)
    }

    /// A header sent with this call, replacing one of the same name that the operation or the client's defaults
    /// set (credentials still win). An invalid name or value fails the call with a [`ValidationError`] naming it.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let parsed = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| ValidationError::new(name, "not a valid HTTP header name"))
            .and_then(|header| {
                HeaderValue::from_str(value)
                    .map(|value| (header, value))
                    .map_err(|_| ValidationError::new(name, "contains characters not allowed in an HTTP header"))
            });
        match parsed {
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(error) => {
                self.header_error.get_or_insert(error);
            }
        }
        self
    }

    /// An idempotency key: sent as `Idempotency-Key` on every attempt, with the same value, so the server applies
    /// the call once however many attempts reach it. It makes a POST or PATCH retryable like an idempotent method.
    pub fn idempotency_key(mut self, key: &str) -> Self {
        match HeaderValue::from_str(key) {
            Ok(value) => self.idempotency_key = Some(value),
            Err(_) => {
                let error = ValidationError::new(IDEMPOTENCY_KEY, "contains characters not allowed in an HTTP header");
                self.header_error.get_or_insert(error);
            }
        }
        self
    }

    /// A value middleware finds in the extensions of each attempt of this call (for example a label for metrics),
    /// by its type.
    pub fn extension<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Self {
        self.extensions.insert(value);
        self
    }

    /// The attempts allowed for `method` under `policy` (the call's or the client's), with this call's attempt
    /// count and idempotency key.
    pub(super) fn attempts_for(&self, policy: &RetryPolicy, method: &reqwest::Method) -> u32 {
        let policy = match self.max_attempts {
            Some(attempts) => policy.clone().max_attempts(attempts),
            None => policy.clone(),
        };
        let policy = if self.idempotency_key.is_some() { policy.retry_non_idempotent(true) } else { policy };
        policy.attempts_for(method)
    }
}
