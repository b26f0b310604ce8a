//! Which parts of a document are OpenAPI or JSON Schema structure, and which are literal data.
//!
//! A `$ref` key means a reference only where the document has structure. Example values (`example`, the `value` of
//! an Example Object, a schema's `examples`), `default`, `enum`, `const` and `x-*` extension values are data
//! (OpenAPI 3.0.3 §4.7.13, §4.7.20, §4.8.24): a SCIM example may hold `{"$ref": "https://…"}` and mean it literally.
//! A key is read in the light of the object that holds it, so a property *named* `default`, `example` or `$ref`
//! (under `properties`) is still a schema.
//!
//! Every walk over the raw document (bundling, reference checks, upgrading, normalizing) asks [`Position::child`]
//! instead of keeping its own list of keys to skip.

use serde_json::Value;

/// What the value at some place in a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    /// An OpenAPI object whose keys are fixed field names (the document, a path item, an operation, a parameter, a
    /// response, a media type, `components`, …).
    Object,
    /// A map from names the spec chose to OpenAPI objects (`paths`, `responses`, `components/parameters`,
    /// `content`, `headers`, …).
    ObjectMap,
    /// A map from names to Example Objects (`examples` of a media type, parameter or header; `components/examples`);
    /// in Swagger 2.0, from media types to example values.
    ExampleMap,
    /// An Example Object: a `$ref` to one, or `summary`, `description`, `externalValue` and its `value`, which is
    /// data.
    Example,
    /// A schema object.
    Schema,
    /// A map from names to schemas (`properties`, `components/schemas`, `definitions`, `$defs`, …).
    SchemaMap,
    /// Literal data: never holds a reference.
    Data,
}

/// Keys of an OpenAPI object whose value maps names to OpenAPI objects.
const OBJECT_MAPS: &[&str] = &[
    "paths",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "securityDefinitions",
    "links",
    "callbacks",
    "content",
    "encoding",
    "variables",
    "pathItems",
    "webhooks",
];

/// Keys of a schema whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"];

/// Keys of a schema whose value is a schema, or a list of schemas.
const SUBSCHEMAS: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "allOf",
    "anyOf",
    "oneOf",
    "prefixItems",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Keys that hold literal values wherever they are a keyword.
fn is_data_keyword(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "const") || key.starts_with("x-")
}

impl Position {
    /// The position of the value under `key` of an object at this position (`value` is that child, which decides
    /// between the two meanings of `examples`). Array elements keep the position of their array.
    pub(crate) fn child(self, key: &str, value: &Value) -> Position {
        match self {
            Position::Data => Position::Data,
            Position::ObjectMap => Position::Object,
            // Swagger 2.0 keys a response's `examples` by media type, and its values are the examples themselves.
            Position::ExampleMap if key.contains('/') => Position::Data,
            Position::ExampleMap => Position::Example,
            Position::SchemaMap => Position::Schema,
            // An Example Object has nothing but data below it.
            Position::Example => Position::Data,
            Position::Object => match key {
                _ if is_data_keyword(key) => Position::Data,
                "examples" if value.is_object() => Position::ExampleMap,
                "examples" => Position::Data,
                "schema" | "itemSchema" => Position::Schema,
                // A Swagger 2.0 parameter or header keeps the schema of its array items beside it.
                "items" => Position::Schema,
                "schemas" | "definitions" => Position::SchemaMap,
                _ if OBJECT_MAPS.contains(&key) && value.is_object() => Position::ObjectMap,
                _ => Position::Object,
            },
            Position::Schema => match key {
                _ if is_data_keyword(key) => Position::Data,
                "examples" => Position::Data,
                _ if SCHEMA_MAPS.contains(&key) => Position::SchemaMap,
                _ if SUBSCHEMAS.contains(&key) => Position::Schema,
                "discriminator" | "xml" | "externalDocs" => Position::Object,
                // Any other keyword (`type`, `required`, an unknown one) holds plain values, not schemas.
                _ => Position::Data,
            },
        }
    }

    /// Whether anything below this position can be a reference.
    pub(crate) fn holds_references(self) -> bool {
        self != Position::Data
    }

    /// Whether a `$ref` key of an object at this position, with this value, is a reference. In a map it may be a
    /// name the spec chose (a property called `$ref`, SCIM-style): then its value is an object, not a string.
    pub(crate) fn is_reference(self, value: &Value) -> bool {
        self.holds_references() && value.is_string()
    }

    /// The positions along `pointer` (RFC 6901, already unescaped into `segments`), from the document root:
    /// one per segment, the last being the position of the value the pointer names. `None` when the pointer leaves
    /// the document.
    pub(crate) fn along(document: &Value, segments: &[String]) -> Option<Vec<Position>> {
        let mut out = Vec::with_capacity(segments.len());
        let mut position = Position::Object;
        let mut value = document;
        for segment in segments {
            match value {
                Value::Object(object) => {
                    value = object.get(segment)?;
                    position = position.child(segment, value);
                }
                Value::Array(items) => {
                    value = items.get(segment.parse::<usize>().ok()?)?;
                }
                _ => return None,
            }
            out.push(position);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::Position;
    use serde_json::json;

    fn along(document: &serde_json::Value, pointer: &str) -> Position {
        let segments = crate::pointer::segments(pointer).unwrap();
        *Position::along(document, &segments).unwrap().last().unwrap()
    }

    #[test]
    fn data_is_told_from_structure_by_the_holder() {
        let document = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "string", "default": {"$ref": "x"}}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {
                        "default": {"$ref": "#/components/schemas/A"},
                        "$ref": {"type": "string"},
                        "example": {"type": "string", "example": {"$ref": "y"}}
                    }},
                    "examples": {"one": {"value": {"$ref": "z"}}, "two": {"$ref": "#/components/examples/e"}}
                }}}}
            }}},
            "components": {
                "examples": {"e": {"value": {"$ref": "w"}}},
                "schemas": {"S": {"type": "array", "examples": [{"$ref": "v"}], "x-note": {"$ref": "u"}, "enum": [{"$ref": "t"}]}}
            }
        });
        let media = "/paths/~1a/get/responses/200/content/application~1json";
        assert_eq!(along(&document, &format!("{media}/schema/properties/default")), Position::Schema);
        assert_eq!(along(&document, &format!("{media}/schema/properties/$ref")), Position::Schema);
        assert_eq!(along(&document, &format!("{media}/schema/properties/example")), Position::Schema);
        assert_eq!(along(&document, &format!("{media}/schema/properties/example/example")), Position::Data);
        assert_eq!(along(&document, &format!("{media}/examples/one")), Position::Example);
        assert_eq!(along(&document, &format!("{media}/examples/one/value")), Position::Data);
        assert_eq!(along(&document, "/paths/~1a/get/parameters/0/schema/default"), Position::Data);
        assert_eq!(along(&document, "/components/examples/e/value"), Position::Data);
        assert_eq!(along(&document, "/components/schemas/S/examples"), Position::Data);
        assert_eq!(along(&document, "/components/schemas/S/x-note"), Position::Data);
        assert_eq!(along(&document, "/components/schemas/S/enum"), Position::Data);
        assert_eq!(along(&document, "/components/schemas/S"), Position::Schema);
    }
}
