//! Maps JSON pointers into the upgraded (OpenAPI 3.0-shaped) document back to the document as the user wrote it.
//!
//! Lowering and the typed parse see the upgraded document, but a diagnostic must name the place in the user's own
//! file: `/definitions/thing/properties/topic` in a Swagger 2.0 document, not `/components/schemas/thing/…`. The
//! upgrade leaves an [`ORIGIN`] mark on every object it builds from something elsewhere (a 2.0 parameter's schema,
//! a body parameter's request body, a response's media type schema); section moves (`definitions` →
//! `components/schemas`) are rules here. What the upgrade synthesized (an `anyOf` split from `type: [a, b]`) is named
//! by its nearest ancestor that exists in the original.

use serde_json::Value;

use super::SpecVersion;
use crate::error::pointer_push;
use crate::pointer;

/// The extension key on an upgraded object that holds the pointer of what it was made from, in the original.
pub(crate) const ORIGIN: &str = "x-generator-origin";

/// Beside [`ORIGIN`] on a component the bundler hoisted from another file: that file.
pub(crate) const ORIGIN_FILE: &str = "x-generator-origin-file";

/// The original document (after bundling), to map pointers back into.
pub(crate) struct Origin<'a> {
    original: &'a Value,
    dialect: SpecVersion,
}

impl<'a> Origin<'a> {
    pub(crate) fn new(original: &'a Value, dialect: SpecVersion) -> Self {
        Origin { original, dialect }
    }

    /// The pointer in the original document for `pointer` in `upgraded`.
    pub(crate) fn pointer(&self, upgraded: &Value, pointer: &str) -> String {
        self.place(upgraded, pointer).1
    }

    /// The file (when not the entry file: a component hoisted from another file) and the pointer in it for
    /// `pointer` in `upgraded`.
    pub(crate) fn place(&self, upgraded: &Value, pointer: &str) -> (Option<std::path::PathBuf>, String) {
        if pointer.is_empty() {
            return (None, String::new());
        }
        let mut file = None;
        let segments = pointer::segments(pointer).unwrap_or_default();
        let mut base = String::new();
        let mut rest: Vec<&str> = Vec::new();
        let mut value = Some(upgraded);
        for (index, segment) in segments.iter().enumerate() {
            value = value.and_then(|v| match v {
                Value::Object(object) => object.get(segment.as_str()),
                Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            });
            if let Some(origin) = value.and_then(|v| v.get(ORIGIN)).and_then(Value::as_str) {
                if let Some(from) = value.and_then(|v| v.get(ORIGIN_FILE)).and_then(Value::as_str) {
                    file = Some(std::path::PathBuf::from(from));
                }
                base = origin.to_owned();
                rest.clear();
                continue;
            }
            if index == 2 && file.is_none() && self.dialect == SpecVersion::Swagger2 && segments[0] == "components" {
                let moved = match segments[1].as_str() {
                    "schemas" => Some("/definitions"),
                    "responses" => Some("/responses"),
                    "parameters" => Some("/parameters"),
                    "securitySchemes" => Some("/securityDefinitions"),
                    _ => None,
                };
                if let Some(section) = moved {
                    base = pointer_push(section, segment);
                    rest.clear();
                    continue;
                }
            }
            rest.push(segment);
        }
        let mut mapped = base;
        for segment in rest {
            mapped = pointer_push(&mapped, segment);
        }
        match file {
            Some(file) => (Some(file), mapped),
            None => (None, self.existing_prefix(&mapped)),
        }
    }

    /// `pointer`, or its longest prefix that names a value in the original document. A pointer whose first steps
    /// are not in the original at all (a component hoisted from another file) is kept as it is.
    fn existing_prefix(&self, pointer: &str) -> String {
        let segments = pointer::segments(pointer).unwrap_or_default();
        let mut value = self.original;
        let mut kept = String::new();
        let mut skip = 0;
        for (index, segment) in segments.iter().enumerate() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let next = match value {
                Value::Object(object) => object.get(segment.as_str()),
                Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(next) => {
                    value = next;
                    kept = pointer_push(&kept, segment);
                }
                None if index < 3 => return pointer.to_owned(),
                // `anyOf: [..]` split from `type: [a, b]`, `allOf: [$ref]` made from a `$ref` with siblings: the
                // member's keywords sit on the schema itself in the original.
                None if matches!(segment.as_str(), "anyOf" | "allOf")
                    && segments.get(index + 1).is_some_and(|s| s.parse::<usize>().is_ok()) =>
                {
                    skip = 1;
                }
                None => return kept,
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn swagger2_pointers_map_back_to_definitions_and_parameters() {
        let original = json!({
            "swagger": "2.0",
            "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "type": ["string", "null"]}]}}},
            "definitions": {"thing": {"properties": {"topic": {"type": ["null", "string"]}}}}
        });
        let upgraded = json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", ORIGIN: "/paths/~1a/get/parameters/0",
                "schema": {"anyOf": [{"type": "string"}], ORIGIN: "/paths/~1a/get/parameters/0"}}]}}},
            "components": {"schemas": {"thing": {"properties": {"topic": {"type": "string", "nullable": true}}}}}
        });
        let origin = Origin::new(&original, SpecVersion::Swagger2);
        assert_eq!(
            origin.pointer(&upgraded, "/components/schemas/thing/properties/topic"),
            "/definitions/thing/properties/topic"
        );
        assert_eq!(
            origin.pointer(&upgraded, "/paths/~1a/get/parameters/0/schema/type"),
            "/paths/~1a/get/parameters/0/type"
        );
        // Synthesized by the upgrade: the nearest original ancestor.
        assert_eq!(
            origin.pointer(&upgraded, "/paths/~1a/get/parameters/0/schema/anyOf/0"),
            "/paths/~1a/get/parameters/0"
        );
    }
}
