//! Authentication schemes and secret handling.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::error::BuildError;

/// How credentials are sent, as declared by the spec's `securitySchemes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// The token sent as the value of this request header.
    ApiKeyHeader(&'static str),
    /// The token sent as this query parameter.
    ApiKeyQuery(&'static str),
    /// The token sent as this cookie.
    ApiKeyCookie(&'static str),
}

/// A credential. `Debug` and `Display` print `[redacted]`, never the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself. Avoid logging it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// Credentials resolved at build time into what each request carries.
#[derive(Clone)]
pub(super) enum Auth {
    /// A sensitive header (bearer, basic, API key header).
    Header(HeaderName, HeaderValue),
    /// A sensitive `name=value` cookie.
    Cookie(HeaderValue),
    /// A query parameter: encoded name and encoded value.
    Query { name: String, value: Secret },
}

impl Auth {
    /// Resolves the scheme and the credentials given to the builder.
    ///
    /// Explicit basic credentials are sent as basic auth; a token is sent as the scheme says
    /// (bearer when no scheme is set; with [`AuthScheme::Basic`] a token is taken as already encoded).
    pub(super) fn resolve(
        scheme: Option<AuthScheme>,
        token: Option<&Secret>,
        basic: Option<&(String, Secret)>,
        http: &reqwest::Client,
    ) -> Result<Option<Auth>, BuildError> {
        let use_basic = matches!(scheme, Some(AuthScheme::Basic)) || token.is_none();
        if let (Some((user, password)), true) = (basic, use_basic) {
            // reqwest does the base64 encoding; borrow its request builder once, at build time.
            let request =
                http.get("http://localhost/").basic_auth(user, Some(password.expose_secret())).build().map_err(
                    |_| BuildError::InvalidCredentials { message: "basic credentials are not valid".into() },
                )?;
            return match request.headers().get(AUTHORIZATION) {
                Some(value) => Ok(Some(Auth::Header(AUTHORIZATION, sensitive(value.clone())))),
                None => Err(BuildError::InvalidCredentials { message: "basic credentials are not valid".into() }),
            };
        }
        let Some(token) = token else { return Ok(None) };
        Auth::from_token(scheme, token).map(Some)
    }

    /// How `token` is sent under `scheme` (bearer when none is set; with [`AuthScheme::Basic`] the token is taken as
    /// already encoded). Also used for each token a provider hands out.
    pub(super) fn from_token(scheme: Option<AuthScheme>, token: &Secret) -> Result<Auth, BuildError> {
        let secret = token.expose_secret();
        let auth = match scheme.unwrap_or(AuthScheme::Bearer) {
            AuthScheme::Bearer => Auth::Header(AUTHORIZATION, header_value(&format!("Bearer {secret}"))?),
            AuthScheme::Basic => Auth::Header(AUTHORIZATION, header_value(&format!("Basic {secret}"))?),
            AuthScheme::ApiKeyHeader(name) => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|e| BuildError::InvalidHeader { name: name.to_owned(), message: e.to_string() })?;
                Auth::Header(name, header_value(secret)?)
            }
            AuthScheme::ApiKeyCookie(name) => Auth::Cookie(header_value(&format!("{name}={secret}"))?),
            AuthScheme::ApiKeyQuery(name) => Auth::Query {
                name: super::param::encode_query(name),
                value: Secret(super::param::encode_query(secret)),
            },
        };
        Ok(auth)
    }

    /// Adds the credentials' header to `headers` (query credentials are added to the URL elsewhere).
    pub(super) fn apply_headers(&self, headers: &mut HeaderMap) {
        match self {
            Auth::Header(name, value) => {
                headers.insert(name.clone(), value.clone());
            }
            Auth::Cookie(value) => {
                let merged = headers.get(COOKIE).and_then(|existing| {
                    let joined = [existing.as_bytes(), b"; ", value.as_bytes()].concat();
                    HeaderValue::from_bytes(&joined).ok()
                });
                headers.insert(COOKIE, sensitive(merged.unwrap_or_else(|| value.clone())));
            }
            Auth::Query { .. } => {}
        }
    }
}

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

fn header_value(text: &str) -> Result<HeaderValue, BuildError> {
    HeaderValue::from_str(text).map(sensitive).map_err(|_| BuildError::InvalidCredentials {
        message: "the credential contains characters not allowed in an HTTP header".into(),
    })
}
