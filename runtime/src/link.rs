//! RFC 8288 `Link` headers: the parser and the `rel="next"` lookup used by [`PaginationStyle::LinkHeader`].
//!
//! [`PaginationStyle::LinkHeader`]: crate::PaginationStyle::LinkHeader

use reqwest::header::{HeaderMap, LINK};

/// One link of a `Link` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target, as written (possibly relative).
    pub uri: String,
    /// The relation types of the first `rel` parameter, lowercased.
    pub rel: Vec<String>,
}

/// Parses an RFC 8288 `Link` header value: `<uri>; rel="next last"; title="x", <uri2>; rel=prev`.
///
/// Quoted and unquoted parameters, several relation types and commas inside `<…>` are handled; malformed
/// links are skipped.
pub fn parse_link_header(value: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        if rest.is_empty() {
            break;
        }
        let Some(after_open) = rest.strip_prefix('<') else {
            rest = skip_link(rest);
            continue;
        };
        let Some(close) = after_open.find('>') else { break };
        let uri = after_open[..close].trim().to_owned();
        rest = &after_open[close + 1..];
        let mut rel: Option<Vec<String>> = None;
        loop {
            rest = rest.trim_start();
            let Some(after_semicolon) = rest.strip_prefix(';') else { break };
            rest = after_semicolon.trim_start();
            let name_end =
                rest.find(|c: char| c == '=' || c == ';' || c == ',' || c.is_whitespace()).unwrap_or(rest.len());
            let name = rest[..name_end].to_ascii_lowercase();
            rest = rest[name_end..].trim_start();
            let mut param = String::new();
            if let Some(after_equals) = rest.strip_prefix('=') {
                rest = after_equals.trim_start();
                if let Some(quoted) = rest.strip_prefix('"') {
                    let mut end = quoted.len();
                    let mut chars = quoted.char_indices();
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some((_, escaped)) = chars.next() {
                                    param.push(escaped);
                                }
                            }
                            '"' => {
                                end = i + 1;
                                break;
                            }
                            c => param.push(c),
                        }
                    }
                    rest = &quoted[end..];
                } else {
                    let end = rest.find([';', ',']).unwrap_or(rest.len());
                    param = rest[..end].trim().to_owned();
                    rest = &rest[end..];
                }
            }
            if name == "rel" && rel.is_none() {
                rel = Some(param.split_whitespace().map(str::to_ascii_lowercase).collect());
            }
        }
        links.push(Link { uri, rel: rel.unwrap_or_default() });
        if !rest.is_empty() && !rest.starts_with(',') {
            rest = skip_link(rest);
        }
    }
    links
}

/// Skips to the next `,` outside quotes and angle brackets.
fn skip_link(text: &str) -> &str {
    let mut quoted = false;
    let mut angle = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' if !angle => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => return &text[i + 1..],
            _ => {}
        }
    }
    ""
}

/// The target of the first `rel="next"` link among all `Link` headers.
pub(super) fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(parse_link_header)
        .find(|link| link.rel.iter().any(|r| r == "next"))
        .map(|link| link.uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rels(value: &str) -> Vec<(String, Vec<String>)> {
        parse_link_header(value).into_iter().map(|l| (l.uri, l.rel)).collect()
    }

    #[test]
    fn link_header_forms() {
        let v =
            r#"<https://api.example.com/items?page=2>; rel="next", <https://api.example.com/items?page=9>; rel="last""#;
        assert_eq!(
            rels(v),
            vec![
                ("https://api.example.com/items?page=2".to_owned(), vec!["next".to_owned()]),
                ("https://api.example.com/items?page=9".to_owned(), vec!["last".to_owned()]),
            ]
        );
        // Unquoted, several values, other parameters first, commas inside the URI, odd spacing and case.
        let v = r#"</a?x=1,2> ; title="a, \"b\"; c" ;REL = "Prev NEXT" , </b>;rel=last;rel=next"#;
        assert_eq!(
            rels(v),
            vec![
                ("/a?x=1,2".to_owned(), vec!["prev".to_owned(), "next".to_owned()]),
                ("/b".to_owned(), vec!["last".to_owned()]),
            ]
        );
        // Garbage is skipped without panicking.
        assert_eq!(rels("garbage, <ok>; rel=next"), vec![("ok".to_owned(), vec!["next".to_owned()])]);
        assert_eq!(rels("<unterminated; rel=next"), vec![]);
        assert_eq!(rels(r#"<a>; rel="next"#), vec![("a".to_owned(), vec!["next".to_owned()])]);
        assert_eq!(rels("<a>; rel, <b>; rel=next")[0].1, Vec::<String>::new());
        assert_eq!(rels(""), vec![]);
        assert_eq!(rels("<é>; rel=\"ñ next\""), vec![("é".to_owned(), vec!["ñ".to_owned(), "next".to_owned()])]);
    }

    #[test]
    fn next_link_across_headers() {
        let mut headers = HeaderMap::new();
        headers.append(LINK, "</first>; rel=first".parse().unwrap());
        headers.append(LINK, "</p3>; rel=\"prev\", </p5>; rel=\"next\"".parse().unwrap());
        assert_eq!(next_link(&headers).as_deref(), Some("/p5"));
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
