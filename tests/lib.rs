//! Helpers shared by the behaviour tests.

/// A strict `multipart/form-data` reader (RFC 7578 / RFC 2046), to check what clients send part by part.
pub mod multipart {
    /// One part of a `multipart/form-data` body.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Part {
        /// `name` of its Content-Disposition.
        pub name: String,
        /// `filename` of its Content-Disposition.
        pub filename: Option<String>,
        /// Its `Content-Type` header.
        pub content_type: Option<String>,
        /// The bytes between its headers and the next delimiter.
        pub data: Vec<u8>,
    }

    impl Part {
        /// A part with no filename and no `Content-Type`.
        pub fn text(name: &str, value: &str) -> Part {
            Part { name: name.into(), filename: None, content_type: None, data: value.as_bytes().to_vec() }
        }
    }

    /// The boundary of a `multipart/form-data; boundary=...` content type; panics on any other media type.
    pub fn multipart_boundary(content_type: &str) -> String {
        let (essence, params) = content_type.split_once(';').unwrap_or((content_type, ""));
        assert_eq!(essence.trim().to_ascii_lowercase(), "multipart/form-data", "{content_type}");
        let boundary = params
            .split(';')
            .find_map(|param| {
                let (name, value) = param.split_once('=')?;
                name.trim().eq_ignore_ascii_case("boundary").then(|| value.trim().trim_matches('"').to_owned())
            })
            .unwrap_or_else(|| panic!("no boundary parameter in {content_type:?}"));
        // RFC 2046: 1 to 70 characters from a restricted set.
        assert!((1..=70).contains(&boundary.len()), "boundary length: {boundary:?}");
        assert!(
            boundary.chars().all(|c| c.is_ascii_alphanumeric() || "'()+_,-./:=? ".contains(c)),
            "boundary characters: {boundary:?}"
        );
        boundary
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|window| window == needle)
    }

    /// Splits a `multipart/form-data` body (RFC 7578 / RFC 2046) into its parts, strictly: the body starts with the
    /// first delimiter, every part ends with CRLF + delimiter, and the close delimiter ends the body.
    pub fn parse_multipart(body: &[u8], boundary: &str) -> Vec<Part> {
        let delimiter = format!("--{boundary}").into_bytes();
        let next = [b"\r\n".as_slice(), &delimiter].concat();
        let mut rest = body
            .strip_prefix(delimiter.as_slice())
            .unwrap_or_else(|| panic!("body starts with the first delimiter: {:?}", String::from_utf8_lossy(body)));
        let mut parts = Vec::new();
        loop {
            if let Some(after) = rest.strip_prefix(b"--") {
                assert_eq!(after, b"\r\n", "only CRLF follows the close delimiter");
                return parts;
            }
            rest = rest.strip_prefix(b"\r\n").expect("CRLF after a delimiter");
            let end = find(rest, &next).expect("every part is followed by a delimiter");
            parts.push(parse_part(&rest[..end]));
            rest = &rest[end + next.len()..];
        }
    }

    fn parse_part(part: &[u8]) -> Part {
        let split = find(part, b"\r\n\r\n").expect("part headers end with an empty line");
        let head = std::str::from_utf8(&part[..split]).expect("part headers are text");
        let data = part[split + 4..].to_vec();
        let (mut name, mut filename, mut content_type) = (None, None, None);
        for line in head.split("\r\n") {
            let (header, value) = line.split_once(':').unwrap_or_else(|| panic!("malformed part header {line:?}"));
            match header.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    let (kind, params) = parse_disposition(value.trim());
                    assert_eq!(kind, "form-data", "{line}");
                    for (key, value) in params {
                        match key.as_str() {
                            "name" => assert!(name.replace(value).is_none(), "one name: {line}"),
                            "filename" => assert!(filename.replace(value).is_none(), "one filename: {line}"),
                            other => panic!("unexpected disposition parameter {other:?}"),
                        }
                    }
                }
                "content-type" => {
                    assert!(content_type.replace(value.trim().to_owned()).is_none(), "one Content-Type per part")
                }
                other => panic!("unexpected part header {other:?}"),
            }
        }
        Part { name: name.expect("every part has a name"), filename, content_type, data }
    }

    /// `form-data; name="a"; filename="b"` as the disposition type and its (unquoted) parameters.
    fn parse_disposition(value: &str) -> (String, Vec<(String, String)>) {
        let (kind, mut rest) = value.split_once(';').map_or((value, ""), |(kind, rest)| (kind, rest));
        let mut params = Vec::new();
        while !rest.trim().is_empty() {
            let (key, after) = rest.split_once('=').expect("parameter has a value");
            let after = after.trim_start();
            let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
                let close = quoted.find('"').expect("closing quote");
                (quoted[..close].to_owned(), &quoted[close + 1..])
            } else {
                let end = after.find(';').unwrap_or(after.len());
                (after[..end].trim().to_owned(), &after[end..])
            };
            params.push((key.trim().to_ascii_lowercase(), value));
            let remaining = remaining.trim_start();
            rest = remaining.strip_prefix(';').unwrap_or(remaining);
            assert!(remaining.is_empty() || remaining.starts_with(';'), "junk after a parameter: {remaining:?}");
        }
        (kind.trim().to_ascii_lowercase(), params)
    }
}
