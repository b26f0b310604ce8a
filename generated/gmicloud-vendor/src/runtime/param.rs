//! Parameter serialization: a path, query, header or cookie parameter's value written as its OpenAPI `style` and
//! `explode` say (OpenAPI 3.0.3 §4.7.12.4, "Style Values" and "Style Examples", which follow RFC 6570 expansion).
//!
//! Values are taken apart with serde (serialized to JSON, then read back one level deep): strings, numbers and
//! booleans are primitives, a sequence is an array of primitives, a struct or map is an object whose properties are
//! name/value pairs of primitives (in serialization order, a struct's field order; `null` properties and items are
//! left out). A value nested deeper
//! has no OpenAPI serialization outside `deepObject` and JSON content, and is rejected, naming the parameter.
//!
//! With `content: application/json` instead of a `schema`, the value is JSON text ([`Style::Json`]).
//!
//! Percent-encoding follows RFC 3986: path values keep only unreserved characters (`A-Z a-z 0-9 - . _ ~`), so a `/`,
//! `,` or `;` inside a value cannot change the path's structure; query names and values are form-encoded (a space
//! as `+`, every reserved character percent-encoded) unless `allowReserved` is set, when the reserved characters of
//! RFC 3986 §2.2 are sent as they are. The delimiters a style adds (`,`, `;`, `=`, `.`, `|`, `%20`) are never encoded.
//! Header values are not percent-encoded (characters HTTP does not allow in a header are rejected when the header is
//! added); cookie values are, as `form` style asks.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::ValidationError;

/// How a parameter is written: its `style`, `explode` and (query only) `allowReserved`, as the spec declares them
/// (OpenAPI 3.0.3 §4.7.12). [`FORM`] and [`SIMPLE`] are the defaults of query/cookie and path/header parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Serialization {
    /// The style.
    pub style: Style,
    /// Whether arrays and objects are exploded into several pairs or values.
    pub explode: bool,
    /// Whether RFC 3986 reserved characters of query values are sent unencoded.
    pub allow_reserved: bool,
}

impl Serialization {
    /// `style` with `explode`, reserved characters encoded.
    pub const fn new(style: Style, explode: bool) -> Self {
        Serialization { style, explode, allow_reserved: false }
    }

    /// The same, sending RFC 3986 reserved characters of query values as they are (`allowReserved: true`).
    pub const fn allow_reserved(self) -> Self {
        Serialization { allow_reserved: true, ..self }
    }
}

// Each style under its name with the `explode` OpenAPI gives it by default (true for `form` and `deepObject`, false
// for the others), and with the other value under `_EXPLODE` / `_NO_EXPLODE`: generated code names these rather than
// spelling out `Serialization::new`.

/// `style: form, explode: true`, the default of query and cookie parameters.
pub const FORM: Serialization = Serialization::new(Style::Form, true);
/// `style: form, explode: false`.
pub const FORM_NO_EXPLODE: Serialization = Serialization::new(Style::Form, false);
/// `style: simple, explode: false`, the default of path and header parameters.
pub const SIMPLE: Serialization = Serialization::new(Style::Simple, false);
/// `style: simple, explode: true`.
pub const SIMPLE_EXPLODE: Serialization = Serialization::new(Style::Simple, true);
/// `style: label, explode: false`.
pub const LABEL: Serialization = Serialization::new(Style::Label, false);
/// `style: label, explode: true`.
pub const LABEL_EXPLODE: Serialization = Serialization::new(Style::Label, true);
/// `style: matrix, explode: false`.
pub const MATRIX: Serialization = Serialization::new(Style::Matrix, false);
/// `style: matrix, explode: true`.
pub const MATRIX_EXPLODE: Serialization = Serialization::new(Style::Matrix, true);
/// `style: spaceDelimited, explode: false`.
pub const SPACE_DELIMITED: Serialization = Serialization::new(Style::SpaceDelimited, false);
/// `style: spaceDelimited, explode: true`.
pub const SPACE_DELIMITED_EXPLODE: Serialization = Serialization::new(Style::SpaceDelimited, true);
/// `style: pipeDelimited, explode: false`.
pub const PIPE_DELIMITED: Serialization = Serialization::new(Style::PipeDelimited, false);
/// `style: pipeDelimited, explode: true`.
pub const PIPE_DELIMITED_EXPLODE: Serialization = Serialization::new(Style::PipeDelimited, true);
/// `style: deepObject, explode: true` (the only `explode` OpenAPI defines it for).
pub const DEEP_OBJECT: Serialization = Serialization::new(Style::DeepObject, true);
/// `content: application/json`: the value as JSON text.
pub const JSON: Serialization = Serialization::new(Style::Json, false);

/// An OpenAPI parameter `style`, or JSON content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `simple`: `blue,black,brown` (the default for path and header parameters).
    Simple,
    /// `label`: `.blue.black.brown` (path only).
    Label,
    /// `matrix`: `;color=blue,black,brown` (path only).
    Matrix,
    /// `form`: `color=blue&color=black` (the default for query and cookie parameters).
    Form,
    /// `spaceDelimited`: `color=blue%20black%20brown` (query only).
    SpaceDelimited,
    /// `pipeDelimited`: `color=blue|black|brown` (query only).
    PipeDelimited,
    /// `deepObject`: `color[R]=100&color[G]=200` (query only).
    DeepObject,
    /// `content: application/json`: the whole value as JSON text, percent-encoded where it goes.
    Json,
}

/// A parameter value taken apart for serialization.
#[derive(Debug, Clone, PartialEq)]
enum Parts {
    /// No value: `null`.
    Undefined,
    /// A string, number or boolean, as text.
    Primitive(String),
    /// Items, as text.
    Array(Vec<String>),
    /// Properties in order, as name and text.
    Object(Vec<(String, String)>),
}

impl Parts {
    fn is_empty_list(&self) -> bool {
        match self {
            Parts::Undefined => true,
            Parts::Array(items) => items.is_empty(),
            Parts::Object(pairs) => pairs.is_empty(),
            Parts::Primitive(_) => false,
        }
    }
}

fn primitive_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) => Some(value.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn nested(name: &str) -> ValidationError {
    ValidationError::new(
        name,
        "holds a nested array or object: OpenAPI styles serialize primitives, arrays of primitives and objects \
         of primitives (use `deepObject` or JSON content for deeper values)",
    )
}

/// A value serialized: its JSON text, and its top level read back from that text, so that an object keeps its
/// properties in serialization order (a struct's field order) whether or not `serde_json` preserves map order.
struct Read {
    json: String,
    top: Shape,
}

/// The top level of a JSON value; what is inside stays a [`Value`].
enum Shape {
    Null,
    Scalar(Value),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ShapeVisitor;
        impl<'de> Visitor<'de> for ShapeVisitor {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
                Ok(Shape::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Shape, E> {
                Ok(Shape::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Shape, D::Error> {
                Shape::deserialize(deserializer)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Shape, E> {
                Ok(Shape::Scalar(Value::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Shape, E> {
                Ok(Shape::Scalar(Value::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Shape, E> {
                Ok(Shape::Scalar(Value::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Shape, E> {
                Ok(Shape::Scalar(Value::from(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Shape, E> {
                Ok(Shape::Scalar(Value::from(v)))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Shape::Array(items))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Shape::Object(pairs))
            }
        }
        deserializer.deserialize_any(ShapeVisitor)
    }
}

fn read<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Read, ValidationError> {
    let json = serde_json::to_string(value).map_err(|e| ValidationError::new(name, e.to_string()))?;
    let top = serde_json::from_str(&json).map_err(|e| ValidationError::new(name, e.to_string()))?;
    Ok(Read { json, top })
}

/// The properties of `value` when it serializes to an object, in serialization order (a struct's field order) whether
/// or not `serde_json` preserves map order; `None` for anything else.
pub(crate) fn object_properties<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<Option<Vec<(String, Value)>>, ValidationError> {
    Ok(match read(name, value)?.top {
        Shape::Object(properties) => Some(properties),
        Shape::Null | Shape::Scalar(_) | Shape::Array(_) => None,
    })
}

fn parts(name: &str, value: &Shape) -> Result<Parts, ValidationError> {
    Ok(match value {
        Shape::Null => Parts::Undefined,
        Shape::Array(items) => Parts::Array(
            items
                .iter()
                .filter(|item| !item.is_null())
                .map(|item| primitive_text(item).ok_or_else(|| nested(name)))
                .collect::<Result<_, _>>()?,
        ),
        Shape::Object(pairs) => Parts::Object(
            pairs
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| primitive_text(v).map(|t| (k.clone(), t)).ok_or_else(|| nested(name)))
                .collect::<Result<_, _>>()?,
        ),
        Shape::Scalar(scalar) => Parts::Primitive(primitive_text(scalar).unwrap_or_default()),
    })
}

/// The text of `{name}` in a path template, percent-encoded: `simple`, `label` or `matrix` style, or JSON.
///
/// `blue`, `blue,black,brown`, `R,100,G,200` (`R=100,G=200` exploded); label `.blue`, `.blue.black.brown`,
/// `.R.100.G.200` (`.R=100.G=200` exploded); matrix `;color=blue`, `;color=blue,black,brown`
/// (`;color=blue;color=black` exploded), `;color=R,100,G,200` (`;R=100;G=200` exploded). An empty value (an empty
/// string, array or object) is nothing in `simple`, `.` in `label` and `;color` in `matrix`. Fails, naming the
/// parameter, for a query-only style or a value nested too deep.
pub fn path<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, ValidationError> {
    let value = read(name, value)?;
    if style == Style::Json {
        return Ok(encode_unreserved(&value.json));
    }
    let parts = parts(name, &value.top)?;
    let enc = |text: &str| encode_unreserved(text);
    let encoded_name = enc(name);
    Ok(match style {
        Style::Simple => join_parts(&parts, ",", explode, "=", &enc),
        // 3.0.3 separates the items and properties of a non-exploded label with `.` too (`.R.100.G.200`).
        Style::Label => format!(".{}", join_parts(&parts, ".", explode, "=", &enc)),
        Style::Matrix => {
            let pair = |value: &str| {
                if value.is_empty() {
                    format!(";{encoded_name}")
                } else {
                    format!(";{encoded_name}={value}")
                }
            };
            match (&parts, explode) {
                (Parts::Array(items), true) if !items.is_empty() => items.iter().map(|item| pair(&enc(item))).collect(),
                (Parts::Object(pairs), true) if !pairs.is_empty() => pairs
                    .iter()
                    .map(|(k, v)| if v.is_empty() { format!(";{}", enc(k)) } else { format!(";{}={}", enc(k), enc(v)) })
                    .collect(),
                _ => pair(&join_parts(&parts, ",", false, ",", &enc)),
            }
        }
        Style::Form | Style::SpaceDelimited | Style::PipeDelimited | Style::DeepObject | Style::Json => {
            return Err(ValidationError::new(name, format!("style {style:?} is not allowed for a path parameter")));
        }
    })
}

/// Items joined with `separator`; object properties as `name{pair}value` joined with `separator` when `explode`,
/// else as `name{separator}value`.
fn join_parts(parts: &Parts, separator: &str, explode: bool, pair: &str, enc: &dyn Fn(&str) -> String) -> String {
    match parts {
        Parts::Undefined => String::new(),
        Parts::Primitive(text) => enc(text),
        Parts::Array(items) => items.iter().map(|i| enc(i)).collect::<Vec<_>>().join(separator),
        Parts::Object(pairs) => {
            let between = if explode { pair } else { separator };
            pairs.iter().map(|(k, v)| format!("{}{between}{}", enc(k), enc(v))).collect::<Vec<_>>().join(separator)
        }
    }
}

/// The `name=value` pairs a query parameter adds, both already encoded: `form` (exploded: one pair per item, one
/// pair per property named after it), `spaceDelimited`, `pipeDelimited` (exploded: like `form`), `deepObject`
/// (`name[key]=value`, nested objects as `name[a][b]`, arrays repeating the key) or JSON.
///
/// An empty array or object adds nothing (RFC 6570: an empty list is undefined); an empty string is `name=`.
/// `allow_reserved` sends RFC 3986 reserved characters of values unencoded (OpenAPI `allowReserved`). Fails, naming
/// the parameter, for a path-only style or a value nested too deep.
pub fn query<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
    allow_reserved: bool,
) -> Result<Vec<(String, String)>, ValidationError> {
    let value = read(name, value)?;
    let enc = |text: &str| if allow_reserved { encode_allow_reserved(text) } else { encode_query(text) };
    let encoded_name = encode_query(name);
    match style {
        Style::Json => return Ok(vec![(encoded_name, enc(&value.json))]),
        Style::DeepObject => {
            // The top level's properties in serialization order (a struct's field order) even when `serde_json`
            // sorts maps; deeper objects follow `serde_json`'s map order.
            let top: Vec<(Option<&str>, Value)> = match &value.top {
                Shape::Object(properties) => {
                    properties.iter().map(|(key, v)| (Some(key.as_str()), v.clone())).collect()
                }
                _ => vec![(
                    None,
                    serde_json::from_str(&value.json).map_err(|e| ValidationError::new(name, e.to_string()))?,
                )],
            };
            let mut pairs = Vec::new();
            for (first, json) in &top {
                for (keys, leaf) in deep_object_leaves(json) {
                    let keys: String = first
                        .iter()
                        .copied()
                        .chain(keys.iter().map(String::as_str))
                        .map(|key| format!("[{}]", encode_query(key)))
                        .collect();
                    pairs.push((format!("{encoded_name}{keys}"), enc(&primitive_text(leaf).unwrap_or_default())));
                }
            }
            return Ok(pairs);
        }
        Style::Simple | Style::Label | Style::Matrix => {
            return Err(ValidationError::new(name, format!("style {style:?} is not allowed for a query parameter")));
        }
        Style::Form | Style::SpaceDelimited | Style::PipeDelimited => {}
    }
    let separator = match style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    Ok(form(&encoded_name, parts(name, &value.top)?, explode, separator, &enc, &encode_query))
}

/// `form`-like pairs: exploded arrays repeat the name, exploded objects give one pair per property, anything else is
/// one pair of items (or names and values) joined with `separator`; nothing for an empty array or object.
fn form(
    encoded_name: &str,
    parts: Parts,
    explode: bool,
    separator: &str,
    enc: &dyn Fn(&str) -> String,
    enc_key: &dyn Fn(&str) -> String,
) -> Vec<(String, String)> {
    if parts.is_empty_list() {
        return Vec::new();
    }
    match (parts, explode) {
        (Parts::Array(items), true) => items.iter().map(|item| (encoded_name.to_owned(), enc(item))).collect(),
        (Parts::Object(pairs), true) => pairs.iter().map(|(k, v)| (enc_key(k), enc(v))).collect(),
        (parts, _) => vec![(encoded_name.to_owned(), join_parts(&parts, separator, false, separator, enc))],
    }
}

/// The leaves of a `deepObject` value, the one flattening every location and body uses: each scalar with the keys
/// leading to it (`{"a": {"b": 1}}` gives `(["a", "b"], 1)`), array items keyed by their index (`["tags", "0"]`, the
/// `name[tags][0]` convention of form bodies such as Stripe's), nulls left out. OpenAPI defines `deepObject` for
/// objects of primitives only (3.0.3 §4.7.12.4); nesting and arrays follow that common convention.
pub fn deep_object_leaves(value: &Value) -> Vec<(Vec<String>, &Value)> {
    fn walk<'v>(keys: &mut Vec<String>, value: &'v Value, out: &mut Vec<(Vec<String>, &'v Value)>) {
        match value {
            Value::Null => {}
            Value::Object(map) => {
                for (key, value) in map {
                    keys.push(key.clone());
                    walk(keys, value, out);
                    keys.pop();
                }
            }
            Value::Array(items) => {
                for (index, value) in items.iter().enumerate() {
                    keys.push(index.to_string());
                    walk(keys, value, out);
                    keys.pop();
                }
            }
            scalar => out.push((keys.clone(), scalar)),
        }
    }
    let mut out = Vec::new();
    walk(&mut Vec::new(), value, &mut out);
    out
}

/// A header value in `simple` style (the only style OpenAPI allows for headers), or JSON: `blue`,
/// `blue,black,brown`, `R,100,G,200` (`R=100,G=200` exploded). `None` for an empty array or object (no header).
///
/// Not percent-encoded: HTTP header values are not URLs. Fails, naming the parameter, for another style or a value
/// nested too deep.
pub fn header<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<Option<String>, ValidationError> {
    let value = read(name, value)?;
    match style {
        Style::Json => Ok(Some(value.json)),
        Style::Simple => {
            let parts = parts(name, &value.top)?;
            if parts.is_empty_list() {
                return Ok(None);
            }
            Ok(Some(join_parts(&parts, ",", explode, "=", &|t: &str| t.to_owned())))
        }
        _ => Err(ValidationError::new(name, format!("style {style:?} is not allowed for a header parameter"))),
    }
}

/// The `name=value` pairs a cookie parameter adds to the `Cookie` header, values percent-encoded: `form` style
/// (`color=blue,black,brown`, `color=R,100,G,200`; exploded, one cookie per item or property, as OpenAPI 3.2's
/// `cookie` style makes explicit), or JSON. Nothing for an empty array or object.
///
/// Fails, naming the parameter, for another style or a value nested too deep.
pub fn cookie<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<Vec<(String, String)>, ValidationError> {
    let value = read(name, value)?;
    let enc = |text: &str| encode_unreserved(text);
    match style {
        Style::Json => Ok(vec![(enc(name), enc(&value.json))]),
        Style::Form => Ok(form(&enc(name), parts(name, &value.top)?, explode, ",", &enc, &enc)),
        _ => Err(ValidationError::new(name, format!("style {style:?} is not allowed for a cookie parameter"))),
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn push_pct(out: &mut String, byte: u8) {
    out.push('%');
    out.push(HEX[usize::from(byte >> 4)] as char);
    out.push(HEX[usize::from(byte & 15)] as char);
}

/// RFC 3986 §2.3 unreserved characters.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 §2.2 reserved characters.
fn is_reserved(byte: u8) -> bool {
    matches!(
        byte,
        b':' | b'/'
            | b'?'
            | b'#'
            | b'['
            | b']'
            | b'@'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
    )
}

/// Percent-encodes every byte of `text` (UTF-8) except RFC 3986 unreserved characters: safe in any URL component.
pub fn encode_unreserved(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if is_unreserved(byte) {
            out.push(byte as char);
        } else {
            push_pct(&mut out, byte);
        }
    }
    out
}

/// Percent-encodes `text` keeping unreserved and reserved characters and existing `%XX` escapes (RFC 6570
/// reserved expansion; OpenAPI `allowReserved`).
fn encode_allow_reserved(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, &byte) in bytes.iter().enumerate() {
        let escape = byte == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if is_unreserved(byte) || is_reserved(byte) || escape {
            out.push(byte as char);
        } else {
            push_pct(&mut out, byte);
        }
    }
    out
}

/// Form-encodes one query name or value (`application/x-www-form-urlencoded`: a space is `+`).
pub(super) fn encode_query(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn nested_values_are_rejected_with_the_parameter_name() {
        let nested = serde_json::json!({"a": {"b": 1}});
        assert_eq!(path("p", &nested, Style::Simple, false).unwrap_err().parameter, "p");
        assert_eq!(query("q", &vec![vec![1]], Style::Form, true, false).unwrap_err().parameter, "q");
        // deepObject and JSON take any depth.
        assert_eq!(
            query("q", &nested, Style::DeepObject, true, false).unwrap(),
            vec![("q[a][b]".to_owned(), "1".to_owned())]
        );
        assert_eq!(
            query("q", &nested, Style::Json, false, false).unwrap(),
            vec![("q".to_owned(), "%7B%22a%22%3A%7B%22b%22%3A1%7D%7D".to_owned())]
        );
    }

    #[test]
    fn styles_outside_their_location_are_rejected() {
        assert!(path("p", "x", Style::Form, false).is_err());
        assert!(query("q", "x", Style::Matrix, false, false).is_err());
        assert!(header("h", "x", Style::Label, false).is_err());
        assert!(cookie("c", "x", Style::Simple, false).is_err());
    }

    #[test]
    fn reserved_characters() {
        assert_eq!(path("p", "a/b,c;d=e f%", Style::Simple, false).unwrap(), "a%2Fb%2Cc%3Bd%3De%20f%25");
        assert_eq!(path("p", &["a,b", "c"], Style::Simple, false).unwrap(), "a%2Cb,c");
        assert_eq!(query("q", "a/b c&d", Style::Form, true, false).unwrap()[0].1, "a%2Fb+c%26d");
        assert_eq!(query("q", "a/b c&d%2F%zz", Style::Form, true, true).unwrap()[0].1, "a/b%20c&d%2F%25zz");
        assert_eq!(path("p", "é", Style::Simple, false).unwrap(), "%C3%A9");
    }

    #[test]
    fn primitives_and_nulls() {
        assert_eq!(path("p", &3.5, Style::Simple, false).unwrap(), "3.5");
        assert_eq!(path("p", &true, Style::Label, false).unwrap(), ".true");
        assert_eq!(query("q", &None::<u8>, Style::Form, true, false).unwrap(), vec![]);
        assert_eq!(query("q", &vec![Some(1), None, Some(2)], Style::Form, false, false).unwrap()[0].1, "1,2");
        let mut map = BTreeMap::new();
        map.insert("a", None);
        map.insert("b", Some(2));
        assert_eq!(header("h", &map, Style::Simple, true).unwrap().as_deref(), Some("b=2"));
        assert_eq!(header("h", &Vec::<u8>::new(), Style::Simple, false).unwrap(), None);
        assert_eq!(header("h", "", Style::Simple, false).unwrap().as_deref(), Some(""));
        assert_eq!(header("h", &vec![1, 2], Style::Json, false).unwrap().as_deref(), Some("[1,2]"));
    }

    #[test]
    fn struct_fields_keep_their_order() {
        // Not alphabetical: the order the struct declares, as serde writes it.
        #[derive(Serialize)]
        struct Meta {
            role: &'static str,
            level: u8,
            after: Option<u8>,
        }
        let meta = Meta { role: "admin", level: 3, after: None };
        assert_eq!(header("h", &meta, Style::Simple, false).unwrap().as_deref(), Some("role,admin,level,3"));
        assert_eq!(header("h", &meta, Style::Simple, true).unwrap().as_deref(), Some("role=admin,level=3"));
        assert_eq!(
            header("h", &meta, Style::Json, false).unwrap().as_deref(),
            Some(r#"{"role":"admin","level":3,"after":null}"#)
        );
        assert_eq!(
            query("m", &meta, Style::DeepObject, true, false).unwrap(),
            vec![("m[role]".to_owned(), "admin".to_owned()), ("m[level]".to_owned(), "3".to_owned())]
        );
    }

    #[test]
    fn cookies() {
        assert_eq!(
            cookie("c", &["a b;", "c"], Style::Form, false).unwrap(),
            vec![("c".to_owned(), "a%20b%3B,c".to_owned())]
        );
        assert_eq!(
            cookie("c", &["a", "b"], Style::Form, true).unwrap(),
            vec![("c".to_owned(), "a".to_owned()), ("c".to_owned(), "b".to_owned())]
        );
    }
}
