//! When and how long to wait before retrying.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// Retry policy: exponential backoff with full jitter, honouring `Retry-After`.
///
/// Requests are retried on 408, 429, 5xx, connection errors and per-attempt timeouts, only for idempotent
/// methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) unless [`RetryPolicy::retry_non_idempotent`] is set.
/// A `Retry-After` header (seconds or HTTP date) replaces the computed backoff; when it asks for more than
/// the cap, retrying stops and the error is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(super) max_attempts: u32,
    pub(super) initial_backoff: Duration,
    pub(super) max_backoff: Duration,
    pub(super) retry_after_cap: Duration,
    pub(super) retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new()
    }
}

impl RetryPolicy {
    /// 4 attempts in all, backoff from 200ms doubling up to 10s with full jitter, `Retry-After` up to 60s.
    pub fn new() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            retry_after_cap: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }

    /// A single attempt, never retried.
    pub fn disabled() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::new() }
    }

    /// Attempts in all, including the first (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Backoff ceiling before the first retry; it doubles for each further retry.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Largest backoff ceiling.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Longest `Retry-After` honoured; a longer one ends the retries.
    pub fn retry_after_cap(mut self, d: Duration) -> Self {
        self.retry_after_cap = d;
        self
    }

    /// Also retry POST and PATCH (default `false`).
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// Attempts allowed for a request with this method.
    pub(super) fn attempts_for(&self, method: &Method) -> u32 {
        let idempotent = matches!(
            *method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
        );
        if idempotent || self.retry_non_idempotent {
            self.max_attempts.max(1)
        } else {
            1
        }
    }

    /// The jittered backoff before retry number `retry` (1 for the first retry).
    pub(super) fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.saturating_sub(1).min(31)).unwrap_or(u32::MAX);
        let ceiling = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Whether a response status is worth retrying.
pub(super) fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// The delay a `Retry-After` header asks for (delta-seconds or HTTP date); `None` when absent or unreadable.
pub(super) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(retry_after(&headers("7"), now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers(" 0 "), now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(retry_after(&headers(&later), now), Some(Duration::from_secs(30)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(retry_after(&headers(&earlier), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&headers("-5"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
        assert_eq!(retry_after(&headers("99999999999999999999999"), now), Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p = RetryPolicy::new().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(p.backoff(1) <= Duration::from_millis(100));
            assert!(p.backoff(2) <= Duration::from_millis(200));
            assert!(p.backoff(3) <= Duration::from_millis(350));
            assert!(p.backoff(40) <= Duration::from_millis(350));
        }
        assert!((0..200).any(|_| p.backoff(3) > Duration::from_millis(200)));
    }

    #[test]
    fn idempotency_and_statuses() {
        let p = RetryPolicy::new();
        assert_eq!(p.attempts_for(&Method::GET), 4);
        assert_eq!(p.attempts_for(&Method::POST), 1);
        assert_eq!(p.clone().retry_non_idempotent(true).attempts_for(&Method::PATCH), 4);
        assert_eq!(RetryPolicy::disabled().attempts_for(&Method::GET), 1);
        assert_eq!(RetryPolicy::new().max_attempts(0).attempts_for(&Method::GET), 1);
        for code in [408, 429, 500, 502, 503, 504, 599] {
            assert!(retryable_status(StatusCode::from_u16(code).unwrap()), "{code}");
        }
        for code in [200, 400, 401, 404, 409] {
            assert!(!retryable_status(StatusCode::from_u16(code).unwrap()), "{code}");
        }
    }
}
