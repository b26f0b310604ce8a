//! JSON Schema forms → OpenAPI 3.0 schema objects, in every dialect: 3.1 schemas are JSON Schema 2020-12, and 2.0
//! and 3.0 documents use the same forms (`type: [X, "null"]`, tuple `items`, `const`, numeric `exclusiveMinimum`,
//! `$ref` with siblings). Every schema of the document is found (paths, components, callbacks, headers, encodings)
//! and rewritten by [`Upgrader::v31_schema`], one named pass per idea.

use serde_json::{Map, Value};

use super::{for_each_subschema, SpecVersion, Upgrader, METHODS};
use crate::error::pointer_push;

/// Keywords beside a `$ref` that only annotate it: dropped without changing what the value is.
const ANNOTATIONS: &[&str] =
    &["description", "title", "summary", "example", "examples", "deprecated", "default", "$comment", "externalDocs"];

/// JSON Schema keywords that carry no type information we lose by dropping them.
const SILENT_DROPS: &[&str] = &[
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$comment",
    "$vocabulary",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentRequired",
    "contentEncoding",
];

/// JSON Schema keywords that add to an object what the 3.0 model cannot say (conditional or dependent properties):
/// the schema keeps its type and every property it does not name is kept as JSON.
const LOOSENED: &[&str] = &["if", "then", "else", "dependentSchemas", "unevaluatedProperties"];

/// Keywords that describe an encoded string's content: the value stays a string.
const CONTENT_KEYWORDS: &[&str] = &["contentMediaType", "contentSchema"];

/// Every keyword an OpenAPI 3.0 schema object has, after the 3.1 ones are rewritten.
const SCHEMA_KEYWORDS_30: &[&str] = &[
    "$ref",
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

impl Upgrader<'_> {
    /// Rewrites every schema of an OpenAPI 3.0-shaped document (paths and components) into OpenAPI 3.0 schema
    /// objects, and drops security schemes 3.0 does not know.
    pub(super) fn schemas_everywhere(&mut self, root: &mut Map<String, Value>) {
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let pointer = pointer_push("/paths", path);
                self.v31_path_item(item, &pointer);
            }
        }
        if let Some(Value::Object(components)) = root.get_mut("components") {
            for (section, value) in components.iter_mut() {
                let Value::Object(entries) = value else { continue };
                let base = pointer_push("/components", section);
                match section.as_str() {
                    "schemas" => {
                        for (name, schema) in entries.iter_mut() {
                            self.v31_schema(schema, &pointer_push(&base, name));
                        }
                    }
                    "parameters" => {
                        for (name, p) in entries.iter_mut() {
                            self.v31_parameter(p, &pointer_push(&base, name));
                        }
                    }
                    "responses" => {
                        for (name, r) in entries.iter_mut() {
                            self.v31_response(r, &pointer_push(&base, name));
                        }
                    }
                    "requestBodies" => {
                        for (name, b) in entries.iter_mut() {
                            self.v31_content_holder(b, &pointer_push(&base, name));
                        }
                    }
                    "headers" => {
                        for (name, h) in entries.iter_mut() {
                            self.v31_parameter(h, &pointer_push(&base, name));
                        }
                    }
                    "callbacks" => {
                        for (name, c) in entries.iter_mut() {
                            self.v31_callback(c, &pointer_push(&base, name));
                        }
                    }
                    "securitySchemes" => {
                        let mut dropped = Vec::new();
                        for (name, scheme) in entries.iter() {
                            let known = matches!(
                                scheme.get("type").and_then(Value::as_str),
                                Some("apiKey" | "http" | "oauth2" | "openIdConnect")
                            );
                            if !known && scheme.get("$ref").is_none() {
                                dropped.push(name.clone());
                            }
                        }
                        for name in dropped {
                            entries.remove(&name);
                            self.warn(
                                &pointer_push(&base, &name),
                                "this security scheme type is not supported; dropped",
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn v31_path_item(&mut self, item: &mut Value, pointer: &str) {
        let Value::Object(item) = item else { return };
        if item.contains_key("$ref") {
            return;
        }
        for extra in ["query", "additionalOperations"] {
            if item.remove(extra).is_some() {
                self.warn(&pointer_push(pointer, extra), "this operation kind has no OpenAPI 3.0 equivalent; dropped");
            }
        }
        if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
            let base = pointer_push(pointer, "parameters");
            for (index, p) in parameters.iter_mut().enumerate() {
                self.v31_parameter(p, &pointer_push(&base, &index.to_string()));
            }
        }
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(*method) else { continue };
            let op_pointer = pointer_push(pointer, method);
            if let Some(Value::Array(parameters)) = op.get_mut("parameters") {
                let base = pointer_push(&op_pointer, "parameters");
                for (index, p) in parameters.iter_mut().enumerate() {
                    self.v31_parameter(p, &pointer_push(&base, &index.to_string()));
                }
            }
            if let Some(body) = op.get_mut("requestBody") {
                self.v31_content_holder(body, &pointer_push(&op_pointer, "requestBody"));
            }
            if let Some(Value::Object(responses)) = op.get_mut("responses") {
                let base = pointer_push(&op_pointer, "responses");
                for (code, response) in responses.iter_mut() {
                    self.v31_response(response, &pointer_push(&base, code));
                }
            }
            if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
                let base = pointer_push(&op_pointer, "callbacks");
                for (name, callback) in callbacks.iter_mut() {
                    self.v31_callback(callback, &pointer_push(&base, name));
                }
            }
        }
    }

    fn v31_callback(&mut self, callback: &mut Value, pointer: &str) {
        let Value::Object(callback) = callback else { return };
        if callback.contains_key("$ref") {
            return;
        }
        for (expression, item) in callback.iter_mut() {
            if !expression.starts_with("x-") {
                self.v31_path_item(item, &pointer_push(pointer, expression));
            }
        }
    }

    /// A parameter or header: `schema` and `content`.
    fn v31_parameter(&mut self, param: &mut Value, pointer: &str) {
        let Value::Object(object) = param else { return };
        if object.contains_key("$ref") {
            strip_ref_siblings(object);
            return;
        }
        if let Some(schema) = object.get_mut("schema") {
            self.v31_schema(schema, &pointer_push(pointer, "schema"));
        }
        self.v31_content_holder(param, pointer);
    }

    fn v31_response(&mut self, response: &mut Value, pointer: &str) {
        let Value::Object(object) = response else { return };
        if object.contains_key("$ref") {
            strip_ref_siblings(object);
            return;
        }
        if let Some(Value::Object(headers)) = object.get_mut("headers") {
            let base = pointer_push(pointer, "headers");
            for (name, header) in headers.iter_mut() {
                self.v31_parameter(header, &pointer_push(&base, name));
            }
        }
        self.v31_content_holder(response, pointer);
    }

    /// Anything with `content` (request bodies, responses, parameters): each media type's schema.
    fn v31_content_holder(&mut self, holder: &mut Value, pointer: &str) {
        let Value::Object(object) = holder else { return };
        if object.contains_key("$ref") {
            strip_ref_siblings(object);
            return;
        }
        let Some(Value::Object(content)) = object.get_mut("content") else { return };
        let base = pointer_push(pointer, "content");
        for (media_type, media) in content.iter_mut() {
            let Value::Object(media) = media else { continue };
            let media_pointer = pointer_push(&base, media_type);
            if let Some(schema) = media.get_mut("schema") {
                self.v31_schema(schema, &pointer_push(&media_pointer, "schema"));
            }
            // 3.2 `itemSchema` (streamed items) is read as the schema when none is given.
            if let Some(mut item_schema) = media.remove("itemSchema") {
                if !media.contains_key("schema") {
                    self.v31_schema(&mut item_schema, &pointer_push(&media_pointer, "itemSchema"));
                    media.insert("schema".into(), item_schema);
                }
            }
            if let Some(Value::Object(encoding)) = media.get_mut("encoding") {
                for (name, entry) in encoding.iter_mut() {
                    if let Some(Value::Object(headers)) = entry.get_mut("headers") {
                        for (header_name, header) in headers.iter_mut() {
                            let p = pointer_push(
                                &pointer_push(&pointer_push(&media_pointer, "encoding"), name),
                                header_name,
                            );
                            self.v31_parameter(header, &p);
                        }
                    }
                }
            }
        }
    }

    /// One JSON Schema 2020-12 schema (or a 2.0 / 3.0 schema using its forms) → an OpenAPI 3.0 schema object.
    fn v31_schema(&mut self, schema: &mut Value, pointer: &str) {
        let object = match schema {
            Value::Object(object) => object,
            Value::Bool(allowed) => {
                if !*allowed {
                    self.warn(pointer, "the schema `false` (nothing allowed) is read as any value");
                }
                *schema = Value::Object(Map::new());
                return;
            }
            _ => return,
        };
        if self.reference_with_siblings(object) {
            return;
        }
        self.drop_untypeable_keywords(object, pointer);
        json_schema_values(object);
        type_lists_and_null(object);
        self.drop_unknown_keywords(object, pointer);
        for_each_subschema(object, pointer, &mut |child, child_pointer| self.v31_schema(child, child_pointer));
    }

    /// A `$ref` with keywords beside it: in 2.0 and 3.0 they are ignored, except `nullable`, `readOnly` and
    /// `writeOnly`, which make it `allOf: [$ref]` with them; in 3.1 annotations are dropped and constraints make it
    /// `allOf: [$ref]` with them. Whether the schema is (still) only a reference, with nothing more to rewrite.
    fn reference_with_siblings(&mut self, object: &mut Map<String, Value>) -> bool {
        if object.contains_key("$ref") && self.dialect != SpecVersion::OpenApi31 {
            // 2.0 and 3.0 ignore what stands beside a `$ref`, and so do we (a `$ref` elsewhere may point into it),
            // except what vendors mean by it: `nullable`, `readOnly`, `writeOnly` make it `allOf: [$ref]` with them.
            let flags: Vec<&str> = ["nullable", "readOnly", "writeOnly"]
                .into_iter()
                .filter(|k| object.get(*k).and_then(Value::as_bool) == Some(true))
                .collect();
            if !flags.is_empty() {
                let mut target = Map::new();
                target.insert("$ref".into(), object.remove("$ref").unwrap_or(Value::Null));
                let mut wrapped = Map::new();
                wrapped.insert("allOf".into(), Value::Array(vec![Value::Object(target)]));
                for key in flags.into_iter().chain(["description", "title", "deprecated", "example"]) {
                    if let Some(value) = object.get(key) {
                        wrapped.insert(key.into(), value.clone());
                    }
                }
                *object = wrapped;
            }
            return true;
        }
        if object.contains_key("$ref") && object.len() > 1 {
            let structural: Vec<String> = object
                .keys()
                .filter(|k| *k != "$ref" && !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"))
                .cloned()
                .collect();
            if structural.is_empty() {
                strip_ref_siblings(object);
                return true;
            }
            // `$ref` with constraints beside it: the same as `allOf: [$ref]` with them.
            let reference = object.remove("$ref").unwrap_or(Value::Null);
            let mut target = Map::new();
            target.insert("$ref".into(), reference);
            let mut members = vec![Value::Object(target)];
            if let Some(Value::Array(existing)) = object.remove("allOf") {
                members.extend(existing);
            }
            object.insert("allOf".into(), Value::Array(members));
        }
        object.contains_key("$ref")
    }

    /// JSON Schema keywords the 3.0 model cannot type: dropped silently when they only constrain, otherwise with a
    /// warning and the value (or the properties they add) kept as JSON.
    fn drop_untypeable_keywords(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        for key in SILENT_DROPS {
            object.remove(*key);
        }
        let is_object =
            object.get("type").and_then(Value::as_str) == Some("object") || object.contains_key("properties");
        for key in LOOSENED {
            let Some(value) = object.remove(*key) else { continue };
            // `unevaluatedProperties: false` only forbids extra properties; a client reads them anyway.
            if *key == "unevaluatedProperties" && value == Value::Bool(false) {
                continue;
            }
            if is_object {
                self.warn(
                    &pointer_push(pointer, key),
                    format!("`{key}` cannot be typed; properties it adds are kept as JSON"),
                );
                object.entry("additionalProperties").or_insert(Value::Bool(true));
            } else {
                // On anything else a condition only adds constraints: the value keeps its type (and without one
                // it is JSON anyway).
                self.warn(
                    &pointer_push(pointer, key),
                    format!("`{key}` cannot be typed; its constraints are not checked"),
                );
            }
        }
        // `$recursiveRef` is the 2019-09 spelling of `$dynamicRef`.
        for key in ["$dynamicRef", "$recursiveRef"] {
            if object.remove(key).is_some() {
                self.warn(&pointer_push(pointer, key), format!("`{key}` cannot be typed; the value is kept as JSON"));
                loosen_to_json(object);
            }
        }
        if object.remove("unevaluatedItems").is_some_and(|v| v != Value::Bool(false)) {
            self.warn(
                &pointer_push(pointer, "unevaluatedItems"),
                "`unevaluatedItems` cannot be typed; the items are kept as JSON",
            );
            object.insert("items".into(), Value::Object(Map::new()));
        }
        for key in CONTENT_KEYWORDS {
            object.remove(*key);
        }
        if object.remove("patternProperties").is_some() {
            self.warn(
                &pointer_push(pointer, "patternProperties"),
                "`patternProperties` cannot be typed; the extra properties are kept as JSON",
            );
            object.entry("additionalProperties").or_insert(Value::Bool(true));
        }
        if let Some(prefix) = object.remove("prefixItems") {
            self.warn(
                &pointer_push(pointer, "prefixItems"),
                "tuples (`prefixItems`) cannot be typed; the items are kept as JSON",
            );
            let _ = prefix;
            object.insert("items".into(), Value::Object(Map::new()));
        }
        if let Some(Value::Array(_)) = object.get("items") {
            self.warn(
                &pointer_push(pointer, "items"),
                "tuples (`items` as a list) cannot be typed; the items are kept as JSON",
            );
            object.insert("items".into(), Value::Object(Map::new()));
        }
        if let Some(Value::Bool(_)) = object.get("items") {
            object.insert("items".into(), Value::Object(Map::new()));
        }
    }

    /// Anything left that is neither a 3.0 keyword nor an extension: a keyword the generator does not know (3.1 only:
    /// 2.0 and 3.0 documents keep their own extensions).
    fn drop_unknown_keywords(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        // Anything left that is neither a 3.0 keyword nor an extension is a keyword we do not know.
        let unknown: Vec<String> = object
            .keys()
            // `$defs` stay: references may point into them.
            .filter(|k| {
                !k.starts_with("x-")
                    && !SCHEMA_KEYWORDS_30.contains(&k.as_str())
                    && *k != "$defs"
                    && *k != "definitions"
            })
            .cloned()
            .collect();
        if self.dialect == SpecVersion::OpenApi31 {
            for key in unknown {
                object.remove(&key);
                self.warn(
                    &pointer_push(pointer, &key),
                    format!("`{key}` is not a schema keyword the generator knows; ignored"),
                );
            }
        }
    }
}

/// Keywords 3.0 spells differently: `const` (a one-value `enum`), `examples` (a list; 3.0 has one `example`),
/// numeric `exclusiveMinimum`/`exclusiveMaximum` (3.0: a bound and a boolean).
fn json_schema_values(object: &mut Map<String, Value>) {
    // `const` is a one-value `enum`; `examples` (a list) becomes `example`.
    if let Some(value) = object.remove("const") {
        if value.is_null() {
            object.insert("nullable".into(), Value::Bool(true));
        } else if !object.contains_key("enum") {
            object.insert("enum".into(), Value::Array(vec![value]));
        }
    }
    if let Some(examples) = object.remove("examples") {
        if !object.contains_key("example") {
            if let Some(first) = examples.as_array().and_then(|e| e.first()) {
                object.insert("example".into(), first.clone());
            }
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Number(n)) = object.get(exclusive).cloned() {
            object.insert(bound.into(), Value::Number(n));
            object.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// `type` as a list, `null` in an `enum`, `null` members of `anyOf`/`oneOf`: 3.0 says `nullable`, and a list of
/// several types is an `anyOf`.
fn type_lists_and_null(object: &mut Map<String, Value>) {
    // `type` as a list: `null` becomes `nullable`; several other types become an `anyOf`.
    match object.get("type").cloned() {
        Some(Value::Array(types)) => {
            let mut names: Vec<String> = types.iter().filter_map(Value::as_str).map(str::to_owned).collect();
            let before = names.len();
            names.retain(|t| t != "null");
            if names.len() != before {
                object.insert("nullable".into(), Value::Bool(true));
            }
            names.dedup();
            // `integer` is a `number`: a union of both is a number.
            if names.len() == 2 && names.contains(&"integer".to_owned()) && names.contains(&"number".to_owned()) {
                names = vec!["number".into()];
            }
            match names.len() {
                0 => {
                    object.remove("type");
                }
                1 => {
                    object.insert("type".into(), Value::String(names[0].clone()));
                }
                _ => split_type_union(object, &names),
            }
        }
        Some(Value::String(t)) if t == "null" => {
            object.remove("type");
            object.insert("nullable".into(), Value::Bool(true));
        }
        _ => {}
    }
    if let Some(Value::Array(values)) = object.get("enum") {
        // 3.0 types `null` in an enum through `nullable`.
        if values.iter().any(Value::is_null) {
            object.insert("nullable".into(), Value::Bool(true));
        }
    }

    // `anyOf`/`oneOf` members that are only `null` make the whole schema nullable.
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = object.get_mut(key) else { continue };
        let before = members.len();
        members.retain(|m| !is_null_schema(m));
        if members.len() != before {
            object.insert("nullable".into(), Value::Bool(true));
            if object.get(key).and_then(Value::as_array).is_some_and(Vec::is_empty) {
                object.remove(key);
            }
        }
    }
}

/// Drops every keyword that gives a schema a type, so that the value is read as JSON; annotations stay.
fn loosen_to_json(object: &mut Map<String, Value>) {
    object.retain(|k, _| k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()) || k == "nullable");
}

/// Whether a schema allows only `null`.
fn is_null_schema(schema: &Value) -> bool {
    let Value::Object(object) = schema else { return false };
    match object.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => !types.is_empty() && types.iter().all(|t| t == "null"),
        _ => {
            object.get("const").is_some_and(Value::is_null)
                || object.get("enum").and_then(Value::as_array).is_some_and(|v| v.len() == 1 && v[0].is_null())
        }
    }
}

/// `type: [a, b]` → `anyOf: [{type: a, …}, {type: b, …}]`, each with the keywords that apply to its type.
fn split_type_union(object: &mut Map<String, Value>, names: &[String]) {
    const FOR_STRING: &[&str] = &["format", "pattern", "minLength", "maxLength", "enum"];
    const FOR_NUMBER: &[&str] =
        &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum"];
    const FOR_ARRAY: &[&str] = &["items", "minItems", "maxItems", "uniqueItems", "prefixItems"];
    const FOR_OBJECT: &[&str] = &["properties", "required", "additionalProperties", "minProperties", "maxProperties"];
    object.remove("type");
    let mut members = Vec::new();
    for name in names {
        let keys: &[&str] = match name.as_str() {
            "string" => FOR_STRING,
            "number" | "integer" => FOR_NUMBER,
            "array" => FOR_ARRAY,
            "object" => FOR_OBJECT,
            _ => &[],
        };
        let mut member = Map::new();
        member.insert("type".into(), Value::String(name.clone()));
        for key in keys {
            if let Some(value) = object.get(*key) {
                if *key == "enum" {
                    // Only the values of this type.
                    let values: Vec<Value> = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|v| match name.as_str() {
                            "string" => v.is_string(),
                            _ => v.is_number(),
                        })
                        .cloned()
                        .collect();
                    if !values.is_empty() {
                        member.insert("enum".into(), Value::Array(values));
                    }
                    continue;
                }
                member.insert((*key).to_owned(), value.clone());
            }
        }
        members.push(Value::Object(member));
    }
    for key in [
        "format",
        "pattern",
        "minLength",
        "maxLength",
        "enum",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "maxProperties",
    ] {
        object.remove(key);
    }
    let existing = object.remove("anyOf");
    match existing {
        // Already an `anyOf`: both must hold, so keep it and add the type split beside it.
        Some(Value::Array(any_of)) => {
            let mut all_of = match object.remove("allOf") {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            let mut first = Map::new();
            first.insert("anyOf".into(), Value::Array(any_of));
            all_of.push(Value::Object(first));
            object.insert("anyOf".into(), Value::Array(members));
            object.insert("allOf".into(), Value::Array(all_of));
        }
        _ => {
            object.insert("anyOf".into(), Value::Array(members));
        }
    }
}

/// Keeps only `$ref` (and extensions) in a reference object.
fn strip_ref_siblings(object: &mut Map<String, Value>) {
    object.retain(|key, _| key == "$ref" || key.starts_with("x-"));
}
