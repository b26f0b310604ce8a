//! Server templates (OpenAPI `servers[].url` with `{variables}`) and base URL checks.

use url::Url;

use super::error::BuildError;

/// A server URL variable from the spec (`servers[].variables`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerVariable {
    /// Name as written in the template, without braces.
    pub name: &'static str,
    /// Value used when none is set.
    pub default: &'static str,
    /// Allowed values; empty means any.
    pub allowed: &'static [&'static str],
}

pub(super) fn unknown_variable(name: &str, known: &[ServerVariable]) -> BuildError {
    let known = known.iter().map(|v| v.name).collect::<Vec<_>>().join(", ");
    BuildError::UnknownServerVariable {
        name: name.to_owned(),
        known: if known.is_empty() { "none".into() } else { known },
    }
}

/// Substitutes the variables of a server template, checking values against the allowed ones.
pub(super) fn expand_server(
    template: &str,
    variables: &[ServerVariable],
    values: &[(String, String)],
) -> Result<String, BuildError> {
    if let Some((name, _)) = values.iter().find(|(n, _)| !variables.iter().any(|v| v.name == n)) {
        return Err(unknown_variable(name, variables));
    }
    let mut url = template.to_owned();
    for variable in variables {
        let value = values.iter().find(|(n, _)| n == variable.name).map_or(variable.default, |(_, v)| v.as_str());
        if !variable.allowed.is_empty() && !variable.allowed.contains(&value) {
            return Err(BuildError::InvalidServerVariable {
                name: variable.name.to_owned(),
                value: value.to_owned(),
                allowed: variable.allowed.join(", "),
            });
        }
        url = url.replace(&format!("{{{}}}", variable.name), value);
    }
    if url.contains('{') || url.contains('}') {
        return Err(BuildError::InvalidUrl { url, message: "the server template has a variable with no value".into() });
    }
    Ok(url)
}

pub(super) fn parse_base(text: &str) -> Result<Url, BuildError> {
    let invalid = |message: String| BuildError::InvalidUrl { url: text.to_owned(), message };
    let url = Url::parse(text.trim()).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https".into()));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(invalid("not a base URL".into()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials in the URL are not supported; use basic_auth".into()));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_expansion() {
        static VARS: [ServerVariable; 2] = [
            ServerVariable { name: "region", default: "dfw", allowed: &["dfw", "ord"] },
            ServerVariable { name: "version", default: "v2", allowed: &[] },
        ];
        let t = "https://{region}.example.com/{version}";
        assert_eq!(expand_server(t, &VARS, &[]).unwrap(), "https://dfw.example.com/v2");
        let values = vec![("region".to_owned(), "ord".to_owned()), ("version".to_owned(), "v3".to_owned())];
        assert_eq!(expand_server(t, &VARS, &values).unwrap(), "https://ord.example.com/v3");
        let bad = vec![("region".to_owned(), "lon".to_owned())];
        let err = expand_server(t, &VARS, &bad).unwrap_err().to_string();
        assert!(err.contains("region") && err.contains("lon") && err.contains("dfw, ord"), "{err}");
        let unknown = vec![("zone".to_owned(), "a".to_owned())];
        assert!(matches!(expand_server(t, &VARS, &unknown), Err(BuildError::UnknownServerVariable { .. })));
        assert!(matches!(expand_server("https://{x}.example.com", &[], &[]), Err(BuildError::InvalidUrl { .. })));
    }
}
