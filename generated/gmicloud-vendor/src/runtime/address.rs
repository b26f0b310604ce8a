//! URL assembly: a request's path appended to the base URL's path, then its encoded query.

use url::Url;

use super::error::ValidationError;
use super::request::Request;

/// The URL for `request` under `base`, without query credentials. A path with `.` or `..` segments is refused:
/// URL parsing would collapse them and send the request elsewhere.
pub(super) fn url_for(base: &Url, request: &Request) -> Result<Url, ValidationError> {
    let mut url = match request.absolute_url() {
        Some(url) => url.clone(),
        None => {
            let path = request.path();
            if has_dot_segment(path) {
                return Err(ValidationError::new("path", "must not contain `.` or `..` segments"));
            }
            let mut url = base.clone();
            let base_path = url.path().trim_end_matches('/');
            let joined = match path.strip_prefix('/') {
                Some(rest) => format!("{base_path}/{rest}"),
                None if path.is_empty() => format!("{base_path}/"),
                None => format!("{base_path}/{path}"),
            };
            url.set_path(&joined);
            url
        }
    };
    let pairs = request.encoded_query();
    if !pairs.is_empty() {
        let mut query = url.query().unwrap_or("").to_owned();
        for (name, value) in pairs {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(name);
            query.push('=');
            query.push_str(value);
        }
        url.set_query(Some(&query));
    }
    Ok(url)
}

/// Whether an encoded path has a `.` or `..` segment (which URL parsing would collapse).
fn has_dot_segment(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split('/').any(|segment| {
        let s = segment.to_ascii_lowercase();
        matches!(s.as_str(), "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e.")
    })
}

/// Replaces the query pair `name` (encoded) of `url` with `name=value` (encoded), keeping the rest as-is.
pub(super) fn set_query_pair(url: &mut Url, name: &str, value: &str) {
    let mut query = String::new();
    for pair in url.query().unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        if pair.split('=').next() != Some(name) {
            query.push_str(pair);
            query.push('&');
        }
    }
    query.push_str(name);
    query.push('=');
    query.push_str(value);
    url.set_query(Some(&query));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments() {
        assert!(has_dot_segment("/a/../b"));
        assert!(has_dot_segment("/a/%2E%2e"));
        assert!(has_dot_segment("/a/."));
        assert!(!has_dot_segment("/a/.b/c.d"));
        assert!(!has_dot_segment("/a/b?x=.."));
    }

    #[test]
    fn query_pair_replacement() {
        let mut url = Url::parse("http://h/p?a=1&key=old&b=2&keys=3").unwrap();
        set_query_pair(&mut url, "key", "new");
        assert_eq!(url.query(), Some("a=1&b=2&keys=3&key=new"));
        let mut url = Url::parse("http://h/p").unwrap();
        set_query_pair(&mut url, "key", "v");
        assert_eq!(url.query(), Some("key=v"));
    }
}
