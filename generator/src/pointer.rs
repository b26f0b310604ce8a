//! JSON Pointers (RFC 6901) and the `$ref`s that hold them: the one place where pointer segments are escaped
//! (`~` → `~0`, `/` → `~1`, RFC 6901 §3) and unescaped (§4), on the `jsonptr` crate's `Token`s.
//!
//! Pointers travel through the generator as the strings diagnostics carry (`Diagnostic::pointer`); these functions
//! build them from segments and take them apart again. A `$ref` fragment is a JSON Pointer inside a URI fragment
//! (OpenAPI 3.0.3 §4.7.23, RFC 3986 §3.5), so it may be percent-encoded: [`decode_fragment`] undoes that first.

use jsonptr::{PointerBuf, Token};

/// `pointer` with `segment` appended, escaped (`/paths` + `/a/{b}` → `/paths/~1a~1{b}`).
pub fn push(pointer: &str, segment: &str) -> String {
    let token = Token::new(segment);
    let encoded = token.encoded();
    let mut out = String::with_capacity(pointer.len() + 1 + encoded.len());
    out.push_str(pointer);
    out.push('/');
    out.push_str(encoded);
    out
}

/// The pointer made of `segments` (`""` for none: the whole document).
pub fn join<S: AsRef<str>>(segments: &[S]) -> String {
    PointerBuf::from_tokens(segments.iter().map(|s| Token::new(s.as_ref()))).to_string()
}

/// The unescaped segments of `pointer` (none for `""`, the whole document); `None` when it is not a pointer (it
/// does not start with `/`). A `~` followed by neither `0` nor `1` is read as itself, as `serde_json`'s
/// `Value::pointer` reads it, so that a document whose references resolved before still resolves.
pub fn segments(pointer: &str) -> Option<Vec<String>> {
    let parsed = if pointer.contains('~') {
        PointerBuf::parse(escape_lone_tildes(pointer)).ok()?
    } else {
        PointerBuf::parse(pointer).ok()?
    };
    Some(parsed.tokens().map(|token| token.decoded().into_owned()).collect())
}

/// The unescaped last segment of `pointer`, if it has one.
pub fn last(pointer: &str) -> Option<String> {
    segments(pointer)?.pop()
}

/// The pointer of the entry `name` of `components/<section>` (`schemas`, `parameters`, …).
pub fn component(section: &str, name: &str) -> String {
    push(&push("/components", section), name)
}

/// A local `$ref` to the entry `name` of `components/<section>`: `#/components/<section>/<escaped name>`.
pub fn component_ref(section: &str, name: &str) -> String {
    format!("#{}", component(section, name))
}

/// The name of the component of `section` that the local `$ref` `reference` points at, unescaped
/// (`#/components/schemas/a~1b` → `a/b`); `None` for a reference anywhere else.
pub fn component_name(reference: &str, section: &str) -> Option<String> {
    match segments(reference.strip_prefix('#')?)?.as_slice() {
        [components, found, name] if components == "components" && found == section => Some(name.clone()),
        _ => None,
    }
}

/// A `$ref`'s fragment (or file part) with its percent-encoding undone (`%7Bid%7D` → `{id}`); bytes that are not
/// UTF-8 once decoded become U+FFFD.
pub fn decode_fragment(fragment: &str) -> String {
    percent_encoding::percent_decode_str(fragment).decode_utf8_lossy().into_owned()
}

/// `~` that does not start `~0` or `~1` written as `~0`, so that it reads as itself.
fn escape_lone_tildes(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 2);
    let mut chars = pointer.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '~' && !matches!(chars.peek(), Some('0' | '1')) {
            out.push('0');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped_and_unescaped_as_rfc_6901_says() {
        assert_eq!(push("/paths", "/a/{b}"), "/paths/~1a~1{b}");
        assert_eq!(push("", "m~n"), "/m~0n");
        // `~01` is `~1` unescaped, not `/`: `~1` is replaced before `~0` would make a new one (RFC 6901 §4).
        assert_eq!(segments("/a~01b/c~10").unwrap(), ["a~1b", "c/0"]);
        assert_eq!(join(&["a/b", "~", "x"]), "/a~1b/~0/x");
        for segment in ["", "~", "/", "~0", "~1", "a~/b", "~~//"] {
            assert_eq!(segments(&push("/root", segment)).unwrap(), ["root", segment], "{segment:?}");
        }
    }

    #[test]
    fn empty_segments_and_the_whole_document() {
        assert_eq!(segments("").unwrap(), Vec::<String>::new());
        assert_eq!(segments("/").unwrap(), [""]);
        assert_eq!(segments("//a/").unwrap(), ["", "a", ""]);
        assert_eq!(join::<&str>(&[]), "");
        assert_eq!(join(&[""]), "/");
        assert_eq!(last(""), None);
        assert_eq!(last("/a/"), Some(String::new()));
    }

    #[test]
    fn text_that_is_not_a_pointer_and_lone_tildes() {
        assert_eq!(segments("components/schemas/A"), None);
        assert_eq!(segments("#/components"), None);
        // A lone `~` is read as itself, as serde_json reads it.
        assert_eq!(segments("/a~b/~").unwrap(), ["a~b", "~"]);
        let document = serde_json::json!({"a~b": {"~": 1}});
        assert_eq!(document.pointer("/a~b/~"), Some(&serde_json::json!(1)));
    }

    #[test]
    fn component_references() {
        assert_eq!(component_ref("schemas", "a/b~c"), "#/components/schemas/a~1b~0c");
        assert_eq!(component_name("#/components/schemas/a~1b~0c", "schemas").as_deref(), Some("a/b~c"));
        assert_eq!(component_name("#/components/schemas/A", "parameters"), None);
        assert_eq!(component_name("#/components/schemas/A/properties/x", "schemas"), None);
        assert_eq!(component_name("/components/schemas/A", "schemas"), None);
        assert_eq!(component_name("other.yaml#/components/schemas/A", "schemas"), None);
    }

    #[test]
    fn percent_encoded_fragments_decode_before_they_are_split() {
        let fragment = decode_fragment("/paths/~1companies~1%7BcompanyId%7D/get");
        assert_eq!(segments(&fragment).unwrap(), ["paths", "/companies/{companyId}", "get"]);
        // `%7E1` is a `~1` once decoded: still an escaped `/`.
        assert_eq!(segments(&decode_fragment("/a%7E1b")).unwrap(), ["a/b"]);
        assert_eq!(decode_fragment("/bad%FF"), "/bad\u{FFFD}");
    }
}
