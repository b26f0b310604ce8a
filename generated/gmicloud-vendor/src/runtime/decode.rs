//! JSON decoding with the path and a snippet of the failure.

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::DecodeError;

/// Decodes a JSON body as `T`; an empty body decodes as `null` (so `Option` and `()` accept it).
///
/// The happy path is a single `serde_json` pass over the bytes; only on failure is the body decoded again
/// with `serde_path_to_error` to find the JSON path of the failure and cut a snippet around it.
pub fn decode_json<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T, DecodeError> {
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let input: &[u8] = if empty { b"null" } else { body };
    match serde_json::from_slice(input) {
        Ok(value) => Ok(value),
        // Say so, rather than quote the `null` it was read as.
        Err(error) if empty => Err(DecodeError {
            status,
            path: ".".to_owned(),
            message: format!("the body is empty ({error})"),
            snippet: String::new(),
        }),
        Err(_) => decode_with_path(status, input),
    }
}

#[cold]
fn decode_with_path<T: DeserializeOwned>(status: StatusCode, input: &[u8]) -> Result<T, DecodeError> {
    let mut de = serde_json::Deserializer::from_slice(input);
    let (path, error) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => match de.end() {
            Ok(()) => return Ok(value),
            Err(error) => (".".to_owned(), error),
        },
        Err(error) => (json_path(error.path()), error.into_inner()),
    };
    let offset = byte_offset(input, error.line(), error.column());
    Err(DecodeError { status, path, message: error.to_string(), snippet: snippet(input, offset, 100) })
}

/// The path as `images[3].created_at`, `.` for the root. Segments serde could not name (a key that failed to
/// parse in a malformed body, shown as `?` by `serde_path_to_error`) are left out: the path names the deepest place
/// that is known.
fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    if out.is_empty() {
        ".".to_owned()
    } else {
        out
    }
}

/// The byte offset of a serde_json position (1-based line, byte column within the line).
fn byte_offset(input: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    if line > 1 {
        let mut newlines = 0;
        for (i, b) in input.iter().enumerate() {
            if *b == b'\n' {
                newlines += 1;
                if newlines == line - 1 {
                    start = i + 1;
                    break;
                }
            }
        }
    }
    start.saturating_add(column).min(input.len())
}

/// Up to `radius` bytes either side of `offset`, cut at UTF-8 character boundaries.
pub(super) fn snippet(input: &[u8], offset: usize, radius: usize) -> String {
    let offset = offset.min(input.len());
    let mut start = offset.saturating_sub(radius);
    let mut end = offset.saturating_add(radius).min(input.len());
    while start < end && is_continuation(input[start]) {
        start += 1;
    }
    while end > start && end < input.len() && is_continuation(input[end]) {
        end -= 1;
    }
    String::from_utf8_lossy(&input[start..end]).into_owned()
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_body_is_reported_as_empty() {
        #[derive(Debug, serde::Deserialize)]
        struct Problem {
            #[allow(dead_code)]
            message: String,
        }
        let error = decode_json::<Problem>(StatusCode::NOT_FOUND, b"  ").unwrap_err();
        assert!(error.message.starts_with("the body is empty"), "{error:?}");
        assert_eq!((error.path.as_str(), error.snippet.as_str()), (".", ""));
        assert!(decode_json::<Option<Problem>>(StatusCode::OK, b"").unwrap().is_none());
    }

    #[derive(Debug, serde::Deserialize)]
    struct Page {
        #[allow(dead_code)]
        images: Vec<Image>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Image {
        #[allow(dead_code)]
        id: String,
        #[allow(dead_code)]
        size: u64,
    }

    #[test]
    fn path_and_snippet_of_a_type_error() {
        let body = br#"{"images": [{"id": "a", "size": 1}, {"id": "b", "size": "big"}]}"#;
        let err = decode_json::<Page>(StatusCode::OK, body).unwrap_err();
        assert_eq!(err.path, "images[1].size");
        assert!(err.snippet.contains("\"big\""), "{}", err.snippet);
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }

    #[test]
    fn syntax_error_and_trailing_characters() {
        let err = decode_json::<Page>(StatusCode::OK, b"{\"images\": [").unwrap_err();
        assert!(err.message.contains("EOF"), "{}", err.message);
        let err = decode_json::<Vec<u8>>(StatusCode::OK, b"[1] x").unwrap_err();
        assert!(err.message.contains("trailing"), "{}", err.message);
    }

    #[test]
    fn malformed_bodies_name_the_known_path() {
        for (body, path) in [
            (&b"{oops"[..], "."),
            (b"not json", "."),
            (b"{\"images\": [{\"id\": \"a\", oops", "images[0]"),
            (b"{\"images\": [{\"id\": \"a\", \"size\": 1}, {", "images[1]"),
        ] {
            let err = decode_json::<Page>(StatusCode::OK, body).unwrap_err();
            assert_eq!(err.path, path, "{}", String::from_utf8_lossy(body));
            assert!(!err.to_string().contains('?'), "{err}");
        }
        let err = decode_json::<std::collections::BTreeMap<String, u8>>(StatusCode::OK, b"{\"a\": 1, x").unwrap_err();
        assert_eq!(err.path, ".");
    }

    #[test]
    fn empty_body_is_null() {
        assert_eq!(decode_json::<Option<u8>>(StatusCode::NO_CONTENT, b"").unwrap(), None);
        assert!(decode_json::<u8>(StatusCode::OK, b"  ").is_err());
    }

    #[test]
    fn snippet_is_bounded_and_respects_utf8() {
        let text = "é".repeat(300);
        let s = snippet(text.as_bytes(), 301, 100);
        assert!(s.len() <= 200 && !s.contains('\u{fffd}'), "{s}");
        let long = format!("[{}x]", "1,".repeat(1000));
        let err = decode_json::<Vec<u8>>(StatusCode::OK, long.as_bytes()).unwrap_err();
        assert!(err.snippet.len() <= 200 && err.snippet.contains('x'), "{}", err.snippet);
        assert_eq!(super::super::error::truncate("abcdef", 3), "abc…");
        assert_eq!(super::super::error::truncate("ab", 3), "ab");
    }

    #[test]
    fn offsets_on_later_lines() {
        let body = b"{\n  \"images\": [\n    {\"id\": 5, \"size\": 1}\n  ]\n}";
        let err = decode_json::<Page>(StatusCode::OK, body).unwrap_err();
        assert_eq!(err.path, "images[0].id");
        assert!(err.snippet.contains("\"id\": 5"), "{}", err.snippet);
    }
}
