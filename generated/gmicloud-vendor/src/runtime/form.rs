//! Form bodies beyond plain `application/x-www-form-urlencoded`: `multipart/form-data` and `deepObject` properties.

use std::fmt::Display;

use serde_json::{Map, Value};

use super::param::deep_object_leaves;

/// A `multipart/form-data` body under construction: one part per property, files as raw bytes.
///
/// Generated code adds a part per property set on the request body, then hands the form to
/// [`Request::multipart`](super::Request::multipart).
#[derive(Debug)]
pub struct Multipart {
    boundary: String,
    bytes: Vec<u8>,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl Multipart {
    /// An empty form with a fresh random boundary.
    pub fn new() -> Self {
        Multipart {
            boundary: format!("client-boundary-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)),
            bytes: Vec::new(),
        }
    }

    fn part(&mut self, name: &str, filename: Option<&str>, content_type: Option<&str>, data: &[u8]) {
        // Quotes and line breaks would end the header early: percent-encode them, as browsers do.
        let quoted = |text: &str| text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
        let mut head = format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, quoted(name));
        if let Some(filename) = filename {
            head.push_str(&format!("; filename=\"{}\"", quoted(filename)));
        }
        head.push_str("\r\n");
        if let Some(content_type) = content_type {
            // From the spec: a line break would start a header of its own.
            let content_type = content_type.replace(['\r', '\n'], "");
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        head.push_str("\r\n");
        self.bytes.extend_from_slice(head.as_bytes());
        self.bytes.extend_from_slice(data);
        self.bytes.extend_from_slice(b"\r\n");
    }

    /// A text part.
    pub fn text(&mut self, name: &str, value: impl Display) {
        self.part(name, None, None, value.to_string().as_bytes());
    }

    /// A file part (`application/octet-stream`, named after the property).
    pub fn file(&mut self, name: &str, data: &[u8]) {
        self.part(name, Some(name), Some("application/octet-stream"), data);
    }

    /// A text part sent with the media type the spec declares for it (`encoding.<name>.contentType`).
    pub fn text_as(&mut self, name: &str, value: impl Display, content_type: &str) {
        self.part(name, None, Some(content_type), value.to_string().as_bytes());
    }

    /// A file part with the media type the spec declares for it (`encoding.<name>.contentType`, e.g.
    /// `application/pdf`), named after the property.
    pub fn file_as(&mut self, name: &str, data: &[u8], content_type: &str) {
        self.part(name, Some(name), Some(content_type), data);
    }

    /// The whole value as one JSON part (arrays included), for a property whose declared `contentType` is JSON;
    /// `null` adds no part.
    pub fn json(&mut self, name: &str, value: &Value, content_type: &str) {
        if !value.is_null() {
            self.part(name, None, Some(content_type), value.to_string().as_bytes());
        }
    }

    /// A part from JSON: strings, numbers and booleans as text, arrays as repeated parts, objects as one JSON part,
    /// nulls not at all.
    pub fn value(&mut self, name: &str, value: &Value) {
        match value {
            Value::Null => {}
            Value::String(text) => self.text(name, text),
            Value::Array(items) => {
                for item in items {
                    self.value(name, item);
                }
            }
            Value::Object(_) => self.part(name, None, Some("application/json"), value.to_string().as_bytes()),
            scalar => self.text(name, scalar),
        }
    }

    /// A `deepObject` property: one text part per leaf, named `name[key]` (array items `name[0]`), as
    /// [`deep_object_leaves`] flattens it.
    pub fn deep(&mut self, name: &str, value: Value) {
        for (keys, leaf) in deep_object_leaves(&value) {
            let keys: String = keys.iter().map(|key| format!("[{key}]")).collect();
            self.value(&format!("{name}{keys}"), leaf);
        }
    }

    /// The `Content-Type` header value, boundary included.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The encoded body, closing delimiter included.
    pub fn finish(mut self) -> Vec<u8> {
        self.bytes.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        self.bytes
    }
}

/// A form body with the `deep` properties flattened to `name[key]=value` pairs (arrays as `name[0]`), for
/// `encoding: {name: {style: deepObject}}`. Other properties are left as they are.
pub fn deep_object(body: Value, deep: &[&str]) -> Value {
    flatten(body, |key| deep.contains(&key))
}

/// A form body with every object or array property flattened to `name[key]=value` pairs (arrays as `name[0]`): what
/// [`deep_object`] does when the encoding names every such property `deepObject`.
pub fn deep_object_all(body: Value) -> Value {
    flatten(body, |_| true)
}

fn flatten(body: Value, deep: impl Fn(&str) -> bool) -> Value {
    let Value::Object(map) = body else { return body };
    let mut out = Map::new();
    for (key, value) in map {
        if deep(&key) && (value.is_object() || value.is_array()) {
            for (keys, leaf) in deep_object_leaves(&value) {
                let keys: String = keys.iter().map(|key| format!("[{key}]")).collect();
                out.insert(format!("{key}{keys}"), leaf.clone());
            }
        } else {
            out.insert(key, value);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn deep_object_all_flattens_every_structured_property() {
        let body = json!({"a": 1, "meta": {"k": "v"}, "list": [1, 2], "s": "x"});
        assert_eq!(deep_object_all(body), json!({"a": 1, "meta[k]": "v", "list[0]": 1, "list[1]": 2, "s": "x"}));
    }

    #[test]
    fn deep_objects_flatten_nested_values() {
        let body = json!({"a": 1, "meta": {"k": "v", "n": {"x": [1, 2]}}, "list": [1]});
        assert_eq!(
            deep_object(body, &["meta"]),
            json!({"a": 1, "meta[k]": "v", "meta[n][x][0]": 1, "meta[n][x][1]": 2, "list": [1]})
        );
    }

    #[test]
    fn multipart_parts_are_framed_by_the_boundary() {
        let mut form = Multipart::new();
        let boundary = form.content_type().trim_start_matches("multipart/form-data; boundary=").to_owned();
        form.text("a\"b", 1);
        form.file("f", b"\r\n--x");
        form.value("o", &json!({"k": true}));
        form.value("skip", &Value::Null);
        let text = String::from_utf8(form.finish()).unwrap();
        assert_eq!(
            text,
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"a%22b\"\r\n\r\n1\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--x\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"o\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":true}}\r\n\
                 --{b}--\r\n",
                b = boundary
            )
        );
        assert_ne!(Multipart::new().content_type(), Multipart::new().content_type(), "boundaries are random");
    }
}
