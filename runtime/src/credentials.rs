//! Credentials that change while the client lives: a [`TokenProvider`] fetches a [`Token`] (an OAuth access token, a
//! cloud IAM token, a JWT), the client caches it, refreshes it shortly before it expires, and once more when the
//! server answers 401.
//!
//! One fetch serves every request waiting for it: concurrent requests that find no valid token wait for a single
//! call of the provider rather than each making one.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use tokio::sync::RwLock;
use tokio::time::Instant;

use super::auth::Secret;
use super::error::CredentialError;

/// A credential with an optional lifetime, as a [`TokenProvider`] returns it.
#[derive(Clone, Debug)]
pub struct Token {
    value: Secret,
    expires_in: Option<Duration>,
}

impl Token {
    /// A token with no known expiry: kept until a request with it gets a 401.
    pub fn new(value: impl Into<String>) -> Self {
        Token { value: Secret::new(value), expires_in: None }
    }

    /// Valid for `lifetime` from now (an OAuth `expires_in`, in seconds there).
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// Valid until `at` (a JWT's `exp`, an IAM response's `expiresAt`); a time already past means "refresh now".
    pub fn expires_at(mut self, at: SystemTime) -> Self {
        self.expires_in = Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO));
        self
    }

    /// A JSON Web Token, valid until its `exp` claim (RFC 7519 §4.1.4, seconds since the Unix epoch), or with no
    /// known expiry when it has none. The signature is not checked: the server does that; the client only reads
    /// when to fetch the next token.
    ///
    /// Errors: a value that is not a JWT (three base64url segments, RFC 7515 §7.1) whose payload is a JSON object,
    /// or an `exp` that is not a number.
    pub fn from_jwt(value: impl Into<String>) -> Result<Self, CredentialError> {
        use base64::Engine as _;

        let value = value.into();
        let mut segments = value.trim().split('.');
        let payload = match (segments.next(), segments.next(), segments.next(), segments.next()) {
            (Some(_), Some(payload), Some(_), None) => payload,
            _ => return Err(CredentialError::new("not a JWT: expected three `.`-separated segments")),
        };
        // Encoders differ on padding; RFC 7515 leaves it out.
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|e| CredentialError::new(format!("not a JWT: the payload is not base64url ({e})")))?;
        let claims: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&json)
            .map_err(|e| CredentialError::new(format!("not a JWT: the payload is not a JSON object ({e})")))?;
        let token = Token::new(value);
        match claims.get("exp") {
            None => Ok(token),
            Some(exp) => {
                let seconds = exp
                    .as_f64()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .ok_or_else(|| CredentialError::new("the JWT's `exp` claim is not a number of seconds"))?;
                let at = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs_f64(seconds.min(u32::MAX as f64)));
                Ok(match at {
                    Some(at) => token.expires_at(at),
                    None => token,
                })
            }
        }
    }
}

/// Fetches a fresh token. Implemented by any `Fn() -> impl Future<Output = Result<Token, CredentialError>>`, so the
/// exchange (a call to an identity service, a signed JWT) is a closure:
///
/// ```text
/// let client = Client::builder()
///     .token_provider(|| async {
///         // Exchange long-lived credentials for a short-lived token here.
///         let token = std::env::var("API_TOKEN").map_err(CredentialError::new)?;
///         Ok(Token::new(token).expires_in(Duration::from_secs(3600)))
///     })
///     .build()?;
/// ```
///
/// (The example is not a doctest because this module is also copied into generated crates, under another path;
/// the runtime's tests build clients this way.)
pub trait TokenProvider: Send + Sync + 'static {
    /// A fresh token: called when the client has none, when its token is about to expire, and after a 401.
    fn fetch(&self) -> BoxFuture<'_, Result<Token, CredentialError>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, CredentialError>> + Send + 'static,
{
    fn fetch(&self) -> BoxFuture<'_, Result<Token, CredentialError>> {
        Box::pin(self())
    }
}

/// The cached token: its value, when to refresh it, and a generation number so that many requests failing with
/// the same stale token cause one refresh.
#[derive(Clone)]
pub(super) struct Current {
    pub(super) value: Secret,
    refresh_at: Option<Instant>,
    pub(super) generation: u64,
}

/// A provider and its cached token, shared by a client's clones.
pub(super) struct TokenCache {
    provider: Arc<dyn TokenProvider>,
    /// How long before expiry a token is refreshed.
    margin: Duration,
    current: RwLock<(Option<Current>, u64)>,
}

impl TokenCache {
    pub(super) fn new(provider: Arc<dyn TokenProvider>, margin: Duration) -> Self {
        TokenCache { provider, margin, current: RwLock::new((None, 0)) }
    }

    /// A valid token: the cached one, or one fetched now (a single fetch for all callers waiting).
    pub(super) async fn get(&self) -> Result<Current, CredentialError> {
        if let Some(current) = Self::valid(&self.current.read().await.0) {
            return Ok(current);
        }
        let mut state = self.current.write().await;
        // Another caller may have fetched while this one waited for the lock.
        if let Some(current) = Self::valid(&state.0) {
            return Ok(current);
        }
        let token = self.provider.fetch().await?;
        let refresh_at = token.expires_in.map(|lifetime| Instant::now() + refresh_after(lifetime, self.margin));
        state.1 += 1;
        let current = Current { value: token.value, refresh_at, generation: state.1 };
        state.0 = Some(current.clone());
        Ok(current)
    }

    /// Forgets the token of `generation` (the server refused it), unless a newer one replaced it already.
    pub(super) async fn invalidate(&self, generation: u64) {
        let mut state = self.current.write().await;
        if state.0.as_ref().is_some_and(|current| current.generation == generation) {
            state.0 = None;
        }
    }

    fn valid(current: &Option<Current>) -> Option<Current> {
        current
            .as_ref()
            .filter(|c| match c.refresh_at {
                Some(at) => Instant::now() < at,
                None => true,
            })
            .cloned()
    }
}

/// How long a token of `lifetime` is used before it is refreshed: until `margin` before expiry, or half its lifetime
/// when that is shorter than twice the margin (so a short-lived token is still reused).
fn refresh_after(lifetime: Duration, margin: Duration) -> Duration {
    if lifetime > margin.saturating_mul(2) {
        lifetime - margin
    } else {
        lifetime / 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_refreshed_a_margin_before_expiry_or_at_half_life() {
        let minute = Duration::from_secs(60);
        assert_eq!(refresh_after(Duration::from_secs(3600), minute), Duration::from_secs(3540));
        assert_eq!(refresh_after(Duration::from_secs(100), minute), Duration::from_secs(50));
        assert_eq!(refresh_after(Duration::ZERO, minute), Duration::ZERO);
    }

    fn jwt(claims: &str) -> String {
        use base64::Engine as _;
        let encode = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
        format!("{}.{}.signature", encode(r#"{"alg":"HS256","typ":"JWT"}"#), encode(claims))
    }

    #[test]
    fn a_jwt_expires_at_its_exp_claim() {
        let in_an_hour = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() + 3600;
        let token = Token::from_jwt(jwt(&format!(r#"{{"sub":"u1","exp":{in_an_hour}}}"#))).unwrap();
        let lifetime = token.expires_in.unwrap();
        assert!(lifetime > Duration::from_secs(3590) && lifetime <= Duration::from_secs(3600), "{lifetime:?}");
        assert_eq!(token.value.expose_secret(), jwt(&format!(r#"{{"sub":"u1","exp":{in_an_hour}}}"#)));

        // Past: refresh at once. No `exp`: no known expiry.
        assert_eq!(Token::from_jwt(jwt(r#"{"exp":1000}"#)).unwrap().expires_in, Some(Duration::ZERO));
        assert_eq!(Token::from_jwt(jwt(r#"{"sub":"u1"}"#)).unwrap().expires_in, None);
    }

    #[test]
    fn what_is_not_a_jwt_is_a_credential_error() {
        for (value, message) in [
            ("opaque-token", "three"),
            ("a.!!!.c", "base64url"),
            (&jwt("[1, 2]"), "JSON object"),
            (&jwt(r#"{"exp":"tomorrow"}"#), "`exp`"),
        ] {
            let error = Token::from_jwt(value).unwrap_err();
            assert!(error.to_string().contains(message), "{value}: {error}");
        }
    }
}
