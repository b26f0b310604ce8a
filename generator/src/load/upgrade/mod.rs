//! Stage 1b: Swagger 2.0 and OpenAPI 3.1 (and 3.2) documents → OpenAPI 3.0-shaped JSON, so that lowering and
//! emission know one dialect only.
//!
//! Runs after bundling, on the whole document. Every lossy step leaves a warning that names the JSON pointer of the
//! construct in the document as written (after bundling). One module per idea:
//!
//! - [`swagger2`]: a Swagger 2.0 document's structure → OpenAPI 3.0 (sections, parameters, bodies, responses,
//!   security, servers);
//! - [`openapi31`]: what an OpenAPI 3.1 document has and 3.0 has not at the document level (`webhooks`,
//!   `components/pathItems`);
//! - [`json_schema`]: JSON Schema forms (`type: [a, null]`, `const`, tuples, numeric `exclusiveMinimum`, `$ref` with
//!   siblings) → OpenAPI 3.0 schema objects, in every dialect, since 2.0 and 3.0 documents use them too.
//!
//! A new input dialect is one more module here with an `Upgrader` method that turns its document into the 3.0
//! shape, and one arm in [`upgrade_from`] (plus its detection in `load::detect_version`); lowering and emission do
//! not change.

mod json_schema;
mod openapi31;
mod swagger2;

use std::path::Path;

use serde_json::{Map, Value};

use super::origin::ORIGIN;
use super::position::Position;
use super::SpecVersion;
use crate::error::{pointer_push, Diagnostic};

/// The document in OpenAPI 3.0 shape, and what was lost on the way (each warning at its pointer in `document`).
pub fn upgrade(file: &Path, version: SpecVersion, document: Value) -> (Value, Vec<Diagnostic>) {
    let original = document;
    upgrade_from(file, version, &original)
}

/// [`upgrade`] of a copy of `original`, which stays as written so that warnings can name places in it.
pub(crate) fn upgrade_from(file: &Path, version: SpecVersion, original: &Value) -> (Value, Vec<Diagnostic>) {
    let document = original.clone();
    let mut upgrader = Upgrader { file, dialect: version, warnings: Vec::new() };
    let mut document = match version {
        SpecVersion::OpenApi30 => document,
        SpecVersion::Swagger2 => upgrader.swagger2(document),
        SpecVersion::OpenApi31 => upgrader.openapi31(document),
    };
    // JSON Schema forms (`type: [X, "null"]`, tuple `items`, `const`, numeric `exclusiveMinimum`, `$ref` with
    // siblings) turn up in 2.0 and 3.0 documents too: every dialect's schemas get the same rewriting.
    let mut warnings = std::mem::take(&mut upgrader.warnings);
    if let Value::Object(root) = &mut document {
        upgrader.schemas_everywhere(root);
    }
    // Those warnings name places in the upgraded document; map them back.
    let origin = super::origin::Origin::new(original, version);
    for mut warning in upgrader.warnings {
        warning.pointer = origin.pointer(&document, &warning.pointer);
        warnings.push(warning);
    }
    (ensure_paths(document, version), warnings)
}

/// What 3.1 may leave out but the 3.0 model requires: `paths` (a 2.0 or 3.0 document without it is broken, and
/// told so), and `responses` on each operation (often left out in every dialect).
fn ensure_paths(mut document: Value, version: SpecVersion) -> Value {
    let Value::Object(root) = &mut document else { return document };
    if version == SpecVersion::OpenApi31 && !root.get("paths").is_some_and(Value::is_object) {
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for method in METHODS {
                if let Some(Value::Object(op)) = item.get_mut(*method) {
                    if !op.get("responses").is_some_and(Value::is_object) {
                        op.insert("responses".into(), Value::Object(Map::new()));
                    }
                }
            }
        }
    }
    document
}

struct Upgrader<'a> {
    file: &'a Path,
    /// The dialect as written: only 3.1 documents are told about keywords 3.0 does not know.
    dialect: SpecVersion,
    warnings: Vec<Diagnostic>,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

impl Upgrader<'_> {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic::warning(self.file, pointer, message));
    }
}

/// Marks an object the upgrade built with the pointer of what it was made from (see [`super::origin`]).
fn mark(value: &mut Value, pointer: &str) {
    if let Value::Object(object) = value {
        object.insert(ORIGIN.into(), Value::String(pointer.to_owned()));
    }
}

fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    let items = value?.as_array()?;
    Some(items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
}

fn take_object(map: &mut Map<String, Value>, key: &str) -> Map<String, Value> {
    match map.remove(key) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// Rewrites `$ref`s with `from` prefixes to `to` prefixes everywhere except in literal data.
fn rewrite_refs(value: &mut Value, rules: &[(&str, &str)]) {
    rewrite_refs_at(value, rules, Position::Object)
}

fn rewrite_refs_at(value: &mut Value, rules: &[(&str, &str)], position: Position) {
    if !position.holds_references() {
        return;
    }
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref").filter(|v| position.is_reference(v)) {
                for (from, to) in rules {
                    if let Some(rest) = reference.strip_prefix(from) {
                        *reference = format!("{to}{rest}");
                        break;
                    }
                }
            }
            for (key, child) in object.iter_mut() {
                let child_position = position.child(key, child);
                rewrite_refs_at(child, rules, child_position);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_refs_at(item, rules, position)),
        _ => {}
    }
}

/// Calls `f` on every direct subschema of a schema object.
fn for_each_subschema(object: &mut Map<String, Value>, pointer: &str, f: &mut dyn FnMut(&mut Value, &str)) {
    for (key, value) in object.iter_mut() {
        match (key.as_str(), value) {
            ("properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas", Value::Object(map)) => {
                let base = pointer_push(pointer, key);
                for (name, child) in map.iter_mut() {
                    f(child, &pointer_push(&base, name));
                }
            }
            ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(items)) => {
                let base = pointer_push(pointer, key);
                for (index, child) in items.iter_mut().enumerate() {
                    f(child, &pointer_push(&base, &index.to_string()));
                }
            }
            (
                "items"
                | "additionalProperties"
                | "not"
                | "if"
                | "then"
                | "else"
                | "contains"
                | "propertyNames"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema",
                child @ Value::Object(_),
            ) => f(child, &pointer_push(pointer, key)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(version: SpecVersion, document: Value) -> (Value, Vec<Diagnostic>) {
        upgrade(Path::new("spec.yaml"), version, document)
    }

    #[test]
    fn swagger2_becomes_openapi30() {
        let (doc, warnings) = run(
            SpecVersion::Swagger2,
            json!({
                "swagger": "2.0",
                "info": {"title": "T", "version": "1"},
                "host": "api.example.com",
                "basePath": "/v1/",
                "schemes": ["http", "https"],
                "consumes": ["application/json"],
                "produces": ["application/json"],
                "securityDefinitions": {"key": {"type": "apiKey", "name": "X-Key", "in": "header"},
                                        "oauth": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t"}},
                "parameters": {"limit": {"name": "limit", "in": "query", "type": "integer", "format": "int32"}},
                "responses": {"NotFound": {"description": "nope", "schema": {"$ref": "#/definitions/Error"}}},
                "paths": {
                    "/pets": {
                        "get": {
                            "parameters": [
                                {"$ref": "#/parameters/limit"},
                                {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                                {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "tsv"}
                            ],
                            "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}},
                                          "404": {"$ref": "#/responses/NotFound"}}
                        },
                        "post": {
                            "parameters": [{"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}],
                            "responses": {"201": {"description": "created"}}
                        }
                    },
                    "/pets/{id}/photo": {
                        "put": {
                            "consumes": ["multipart/form-data"],
                            "parameters": [
                                {"name": "id", "in": "path", "type": "string"},
                                {"name": "file", "in": "formData", "type": "file", "required": true},
                                {"name": "note", "in": "formData", "type": "string"}
                            ],
                            "responses": {"200": {"description": "ok", "schema": {"type": "file"}}}
                        }
                    }
                },
                "definitions": {
                    "Pet": {"type": "object", "discriminator": "kind", "properties": {"kind": {"type": "string"}, "nick": {"type": "string", "x-nullable": true}}},
                    "Error": {"type": "object", "properties": {"message": {"type": "string"}}}
                }
            }),
        );
        assert_eq!(doc["openapi"], "3.0.3");
        assert!(doc.get("swagger").is_none() && doc.get("definitions").is_none());
        assert_eq!(doc["servers"][0]["url"], "https://api.example.com/v1");
        assert_eq!(doc["servers"][1]["url"], "http://api.example.com/v1");
        assert_eq!(doc["components"]["securitySchemes"]["key"]["in"], "header");
        assert_eq!(
            doc["components"]["securitySchemes"]["oauth"]["flows"]["clientCredentials"]["tokenUrl"],
            "https://t"
        );
        assert_eq!(doc["components"]["schemas"]["Pet"]["discriminator"]["propertyName"], "kind");
        assert_eq!(doc["components"]["schemas"]["Pet"]["properties"]["nick"]["nullable"], true);
        assert_eq!(
            doc["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
        let get = &doc["paths"]["/pets"]["get"];
        assert_eq!(get["parameters"][0]["name"], "limit");
        assert_eq!(get["parameters"][0]["schema"]["format"], "int32");
        assert_eq!(get["parameters"][1]["style"], "form");
        assert_eq!(get["parameters"][1]["explode"], true);
        assert_eq!(get["parameters"][2]["explode"], false);
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(get["responses"]["404"]["$ref"], "#/components/responses/NotFound");
        let post = &doc["paths"]["/pets"]["post"];
        assert_eq!(post["requestBody"]["required"], true);
        assert_eq!(post["requestBody"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Pet");
        let put = &doc["paths"]["/pets/{id}/photo"]["put"];
        assert_eq!(put["parameters"][0]["required"], true);
        let form = &put["requestBody"]["content"]["multipart/form-data"]["schema"];
        assert_eq!(form["properties"]["file"]["format"], "binary");
        assert_eq!(form["required"], json!(["file"]));
        assert_eq!(put["responses"]["200"]["content"]["application/octet-stream"]["schema"]["format"], "binary");
        // The lossy step names where it happened.
        assert!(
            warnings.iter().any(|w| w.pointer == "/paths/~1pets/get/parameters/2" && w.message.contains("tsv")),
            "{warnings:?}"
        );
        // The result reads as OpenAPI 3.0.
        serde_json::from_value::<openapiv3::OpenAPI>(doc).unwrap();
    }

    #[test]
    fn openapi31_becomes_openapi30() {
        let (doc, warnings) = run(
            SpecVersion::OpenApi31,
            json!({
                "openapi": "3.1.0",
                "info": {"title": "T", "version": "1"},
                "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}},
                "components": {"schemas": {
                    "Pet": {
                        "type": "object",
                        "properties": {
                            "name": {"type": ["string", "null"], "examples": ["Rex"]},
                            "kind": {"const": "dog"},
                            "age": {"type": "integer", "exclusiveMinimum": 0},
                            "id": {"type": ["string", "integer"]},
                            "owner": {"$ref": "#/components/schemas/Owner", "description": "who"},
                            "vet": {"$ref": "#/components/schemas/Owner", "nullable": true},
                            "friend": {"anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]},
                            "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
                            "cond": {"if": {"type": "string"}, "then": {"minLength": 1}}
                        }
                    },
                    "Owner": {"type": "object", "properties": {"name": {"type": "string"}}}
                }}
            }),
        );
        assert_eq!(doc["openapi"], "3.0.3");
        assert!(doc.get("webhooks").is_none());
        assert!(doc["paths"].is_object());
        let props = &doc["components"]["schemas"]["Pet"]["properties"];
        assert_eq!(props["name"], json!({"type": "string", "nullable": true, "example": "Rex"}));
        assert_eq!(props["kind"]["enum"], json!(["dog"]));
        assert_eq!(props["age"]["minimum"], 0);
        assert_eq!(props["age"]["exclusiveMinimum"], true);
        assert_eq!(props["id"]["anyOf"], json!([{"type": "string"}, {"type": "integer"}]));
        assert_eq!(props["owner"], json!({"$ref": "#/components/schemas/Owner"}));
        assert_eq!(props["vet"]["allOf"][0]["$ref"], "#/components/schemas/Owner");
        assert_eq!(props["vet"]["nullable"], true);
        assert_eq!(props["friend"]["anyOf"], json!([{"$ref": "#/components/schemas/Owner"}]));
        assert_eq!(props["friend"]["nullable"], true);
        assert_eq!(props["pair"]["items"], json!({}));
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        for expected in [
            "/webhooks",
            "/components/schemas/Pet/properties/pair/prefixItems",
            "/components/schemas/Pet/properties/cond/if",
            "/components/schemas/Pet/properties/cond/then",
        ] {
            assert!(pointers.contains(&expected), "no warning at {expected}: {pointers:?}");
        }
        serde_json::from_value::<openapiv3::OpenAPI>(doc).unwrap();
    }

    #[test]
    fn keywords_that_cannot_be_typed_loosen_the_value_with_a_warning() {
        let (doc, warnings) = run(
            SpecVersion::OpenApi31,
            json!({
                "openapi": "3.1.0",
                "info": {"title": "T", "version": "1"},
                "components": {"schemas": {
                    "Conditional": {
                        "type": "object",
                        "properties": {"kind": {"type": "string"}},
                        "if": {"properties": {"kind": {"const": "a"}}},
                        "then": {"properties": {"a": {"type": "integer"}}},
                        "unevaluatedProperties": false
                    },
                    "Dynamic": {"$dynamicRef": "#node", "description": "a node"},
                    "Recursive": {"$recursiveAnchor": true, "type": "object", "properties": {"next": {"$recursiveRef": "#"}}},
                    "Either": {"type": "string", "if": {"minLength": 2}, "then": {"pattern": "^a"}},
                    "Untyped": {"if": {"type": "string"}, "then": {"minLength": 1}, "else": {"type": "integer"}},
                    "Strange": {"type": "string", "frobnicate": 3, "x-ok": true, "$defs": {"A": {"type": "string"}}},
                    "Encoded": {"type": "string", "contentMediaType": "application/json", "contentSchema": {"type": "object"}},
                    "Rest": {"type": "array", "unevaluatedItems": {"type": "string"}}
                }}
            }),
        );
        let schemas = &doc["components"]["schemas"];
        // An object keeps its type; what the conditions add is kept as JSON.
        assert_eq!(schemas["Conditional"]["type"], "object");
        assert_eq!(schemas["Conditional"]["additionalProperties"], true);
        assert!(schemas["Conditional"].get("unevaluatedProperties").is_none());
        // A `$dynamicRef` is read as any value, its annotations kept.
        assert_eq!(schemas["Dynamic"], json!({"description": "a node"}));
        // A condition on a string only constrains it: still a string.
        assert_eq!(schemas["Either"], json!({"type": "string"}));
        // Unknown keywords go, with a warning; extensions and `$defs` stay.
        assert!(schemas["Strange"].get("frobnicate").is_none());
        assert_eq!(schemas["Strange"]["x-ok"], true);
        assert!(schemas["Strange"].get("$defs").is_some());
        // Encoded content stays a string, silently.
        assert_eq!(schemas["Encoded"], json!({"type": "string"}));
        assert_eq!(schemas["Rest"]["items"], json!({}));
        assert_eq!(schemas["Untyped"], json!({}));
        assert_eq!(schemas["Recursive"], json!({"type": "object", "properties": {"next": {}}}));
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        for expected in [
            "/components/schemas/Conditional/if",
            "/components/schemas/Conditional/then",
            "/components/schemas/Dynamic/$dynamicRef",
            "/components/schemas/Either/if",
            "/components/schemas/Strange/frobnicate",
            "/components/schemas/Rest/unevaluatedItems",
            "/components/schemas/Recursive/properties/next/$recursiveRef",
        ] {
            assert!(pointers.contains(&expected), "no warning at {expected}: {pointers:?}");
        }
        assert!(
            !pointers
                .iter()
                .any(|p| p.contains("Encoded") || p.contains("unevaluatedProperties") || p.ends_with("Anchor")),
            "{pointers:?}"
        );
        serde_json::from_value::<openapiv3::OpenAPI>(doc).unwrap();
    }
}
