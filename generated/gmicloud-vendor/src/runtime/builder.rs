//! [`ClientBuilder`]: base URL or server template, credentials (fixed or from a token provider), user agent, default
//! headers, timeouts, retries and middleware.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use super::auth::{Auth, AuthScheme, Secret};
use super::client::{Client, Inner};
use super::credentials::{TokenCache, TokenProvider};
use super::error::BuildError;
use super::middleware::Middleware;
use super::redact::HeaderNames;
use super::retry::RetryPolicy;
use super::server::{expand_server, parse_base, unknown_variable, ServerVariable};

impl Client {
    /// A builder with default settings.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }
}

/// Configures and builds a [`Client`] (or a generated client wrapping one, `C: From<Client>`).
///
/// `Debug` never shows credentials.
pub struct ClientBuilder<C = Client> {
    base_url: Option<String>,
    server: Option<(&'static str, &'static [ServerVariable])>,
    server_values: Vec<(String, String)>,
    scheme: Option<AuthScheme>,
    token: Option<Secret>,
    basic: Option<(String, Secret)>,
    user_agent: Option<String>,
    headers: HeaderMap,
    header_error: Option<BuildError>,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    middleware: Vec<Arc<dyn Middleware>>,
    token_provider: Option<Arc<dyn TokenProvider>>,
    token_refresh_margin: Duration,
    _out: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("server", &self.server.map(|(template, _)| template))
            .field("server_variables", &self.server_values)
            .field("auth_scheme", &self.scheme)
            .field("token", &self.token)
            .field("basic_auth", &self.basic)
            .field("user_agent", &self.user_agent)
            .field("default_headers", &HeaderNames(&self.headers))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http.is_some())
            .field("middleware", &self.middleware.len())
            .field("token_provider", &self.token_provider.is_some())
            .field("token_refresh_margin", &self.token_refresh_margin)
            .finish()
    }
}

impl<C: From<Client>> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// Defaults: 30s per attempt, no deadline, [`RetryPolicy::new`], no credentials.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: None,
            server: None,
            server_values: Vec::new(),
            scheme: None,
            token: None,
            basic: None,
            user_agent: None,
            headers: HeaderMap::new(),
            header_error: None,
            timeout: Duration::from_secs(30),
            connect_timeout: None,
            deadline: None,
            retry: RetryPolicy::new(),
            http: None,
            middleware: Vec::new(),
            token_provider: None,
            token_refresh_margin: Duration::from_secs(60),
            _out: PhantomData,
        }
    }

    /// The base URL; overrides the server template. Request paths are appended to its path.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = Some(url.as_ref().to_owned());
        self
    }

    /// The server template (e.g. `https://{region}.example.com/v2`) and its variables, from the spec.
    pub fn server(mut self, template: &'static str, variables: &'static [ServerVariable]) -> Self {
        self.server = Some((template, variables));
        self
    }

    /// A server variable value, checked against the variable's allowed values by [`ClientBuilder::build`].
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.server_values.retain(|(n, _)| *n != name);
        self.server_values.push((name, value.into()));
        self
    }

    /// How credentials are sent (set by generated code from the spec's security schemes).
    pub fn auth_scheme(mut self, scheme: AuthScheme) -> Self {
        self.scheme = Some(scheme);
        self
    }

    /// The token or API key, sent as the auth scheme says (bearer when none is set).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret::new(token));
        self
    }

    /// Tokens fetched by `provider` instead of a fixed one, sent as the auth scheme says: fetched on the first
    /// request, cached, fetched again [`ClientBuilder::token_refresh_margin`] before they expire and once more when
    /// a request gets a 401 (then that request is retried once with the new token). Concurrent requests share one
    /// fetch. Replaces [`ClientBuilder::token`]. See [`TokenProvider`] for an example.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token_provider = Some(Arc::new(provider));
        self
    }

    /// How long before a provided token expires it is fetched again (default 60s; a token living less than twice
    /// this is refreshed at half its lifetime).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// Adds `middleware` to the chain every attempt runs through, after the middleware added before it (see the
    /// `middleware` module for where the chain sits relative to retries and credentials).
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// [`ClientBuilder::middleware`] for a middleware already shared.
    pub fn middleware_arc(mut self, middleware: Arc<dyn Middleware>) -> Self {
        self.middleware.push(middleware);
        self
    }

    /// Basic credentials.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.basic = Some((user.into(), Secret::new(password)));
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// A header added to every request that does not set it; an invalid one fails [`ClientBuilder::build`].
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        let parsed = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| e.to_string())
            .and_then(|n| HeaderValue::from_str(value).map(|v| (n, v)).map_err(|_| "invalid header value".to_owned()));
        match parsed {
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(message) => {
                self.header_error.get_or_insert(BuildError::InvalidHeader { name: name.to_owned(), message });
            }
        }
        self
    }

    /// Time limit of one attempt, response body included (default 30s).
    pub fn timeout(mut self, per_attempt: Duration) -> Self {
        self.timeout = per_attempt;
        self
    }

    /// Time limit for connecting (ignored with [`ClientBuilder::http_client`]).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }

    /// Time limit for a whole call: all attempts and backoff (default none).
    pub fn deadline(mut self, overall: Duration) -> Self {
        self.deadline = Some(overall);
        self
    }

    /// The retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// No retries: one attempt per call.
    pub fn no_retries(mut self) -> Self {
        self.retry = RetryPolicy::disabled();
        self
    }

    /// Uses this reqwest client (its pool, TLS, proxy and redirect settings). Timeouts, deadline, retries,
    /// default headers and credentials are still applied per request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        if let Some(error) = self.header_error {
            return Err(error);
        }
        let base = match (&self.base_url, self.server) {
            (Some(url), _) => parse_base(url)?,
            (None, Some((template, variables))) => {
                parse_base(&expand_server(template, variables, &self.server_values)?)?
            }
            (None, None) => return Err(BuildError::MissingBaseUrl),
        };
        if self.base_url.is_some() {
            if let Some((name, _)) = self.server_values.first() {
                // Variables are only meaningful with the template; an unknown one is still a mistake.
                let known = self.server.map(|(_, v)| v).unwrap_or(&[]);
                if !known.iter().any(|v| v.name == name) {
                    return Err(unknown_variable(name, known));
                }
            }
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder();
                if let Some(d) = self.connect_timeout {
                    builder = builder.connect_timeout(d);
                }
                let credential = self.token.is_some() || self.token_provider.is_some();
                if matches!(self.scheme, Some(AuthScheme::ApiKeyHeader(_))) && credential {
                    // reqwest drops Authorization and Cookie on cross-host redirects, not custom headers.
                    builder = builder.redirect(reqwest::redirect::Policy::custom(|attempt| {
                        let same_host = match attempt.previous().first() {
                            Some(first) => {
                                first.host_str() == attempt.url().host_str()
                                    && first.port_or_known_default() == attempt.url().port_or_known_default()
                            }
                            None => true,
                        };
                        if attempt.previous().len() >= 10 {
                            attempt.error("too many redirects")
                        } else if same_host {
                            attempt.follow()
                        } else {
                            attempt.stop()
                        }
                    }));
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        let auth = match self.token_provider {
            Some(_) => None,
            None => Auth::resolve(self.scheme, self.token.as_ref(), self.basic.as_ref(), &http)?,
        };
        let tokens = self.token_provider.map(|provider| TokenCache::new(provider, self.token_refresh_margin));
        let middleware_count = self.middleware.len();
        let http = self
            .middleware
            .into_iter()
            .fold(reqwest_middleware::ClientBuilder::new(http), |chain, middleware| chain.with_arc(middleware))
            .build();
        let mut headers = self.headers;
        let ua = self.user_agent.as_deref().unwrap_or(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
        let ua = HeaderValue::from_str(ua).map_err(|_| BuildError::InvalidHeader {
            name: "user-agent".into(),
            message: "invalid header value".into(),
        })?;
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, ua);
        }
        let inner = Inner {
            http,
            middleware_count,
            tokens,
            base,
            scheme: self.scheme,
            auth,
            headers,
            timeout: self.timeout,
            deadline: self.deadline,
            retry: self.retry,
        };
        Ok(C::from(Client { inner: Arc::new(inner) }))
    }
}
