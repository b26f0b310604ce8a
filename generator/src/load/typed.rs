//! The typed parse: the OpenAPI 3.0-shaped JSON document → `openapiv3::OpenAPI`, degrading what it can.

use std::path::Path;

use serde_json::Value;

use super::position::Position;
use crate::error::{pointer_push, Diagnostic};
use crate::pointer;

/// How many rounds of degrading (each a typed parse of the whole document) a spec may take before giving up.
const DEGRADE_ROUNDS: usize = 16;

/// The typed parse. A value of the wrong type inside a schema or an annotation (`pattern: 0`, a schema that is a
/// string, `description: [..]`) is dropped with a warning at its pointer and the parse tried again; what remains
/// (the document's structure: no `paths`, an operation that is a string) is an error at its pointer. Returns the
/// document or the errors, and the warnings either way.
pub(crate) fn parse_openapi(
    file: &Path,
    document: &mut Value,
) -> (Result<openapiv3::OpenAPI, Vec<Diagnostic>>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut replaced = std::collections::BTreeSet::new();
    for _ in 0..DEGRADE_ROUNDS {
        let error = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&*document) {
            Ok(parsed) => return (Ok(parsed), warnings),
            Err(e) => e,
        };
        // openapiv3 reads `$ref`-or-object values through untagged enums, which lose the path; retry the parts
        // directly to find every value at fault, each at its deepest.
        let mut faults = narrow(document);
        if faults.is_empty() {
            faults.push((path_to_pointer(error.path()), error.inner().to_string()));
        }
        let mut errors = Vec::new();
        for (pointer, message) in faults {
            let message = readable(&message);
            match degrade(document, &pointer, &message, &mut replaced) {
                Some(found) => warnings.extend(found.into_iter().map(|(p, m)| Diagnostic::warning(file, p, m))),
                None => errors.push(Diagnostic::error(
                    file,
                    pointer,
                    format!("not a valid OpenAPI 3.0 document: {message}"),
                )),
            }
        }
        if !errors.is_empty() {
            return (Err(errors), warnings);
        }
    }
    let last = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&*document).map_err(|e| {
        vec![Diagnostic::error(
            file,
            path_to_pointer(e.path()),
            format!("not a valid OpenAPI 3.0 document: {}", readable(&e.inner().to_string())),
        )]
    });
    (last, warnings)
}

/// Keys of an OpenAPI object (not a schema) that only describe: dropped when their value has the wrong type.
const DROPPABLE_ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "deprecated",
    "externalDocs",
    "tags",
    "example",
    "examples",
    "callbacks",
    "links",
    "servers",
    "termsOfService",
    "contact",
    "license",
    "operationId",
    "allowEmptyValue",
    "allowReserved",
    "explode",
    "style",
    "encoding",
    "headers",
    "xml",
];

/// The JSON type each OpenAPI 3.0 schema keyword must have.
fn keyword_fits(key: &str, value: &Value) -> bool {
    let non_negative = |v: &Value| v.as_u64().is_some();
    match key {
        "title" | "description" | "pattern" | "format" | "type" => value.is_string(),
        "multipleOf" | "maximum" | "minimum" => value.is_number(),
        "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties" => non_negative(value),
        "exclusiveMaximum" | "exclusiveMinimum" | "uniqueItems" | "nullable" | "readOnly" | "writeOnly"
        | "deprecated" => value.is_boolean(),
        "required" => value.as_array().is_some_and(|items| items.iter().all(Value::is_string)),
        "enum" => value.is_array(),
        "allOf" | "anyOf" | "oneOf" => value.as_array().is_some_and(|items| items.iter().all(Value::is_object)),
        "properties" => value.as_object().is_some_and(|map| map.values().all(Value::is_object)),
        "items" | "not" => value.is_object(),
        "additionalProperties" => value.is_object() || value.is_boolean(),
        "discriminator" => {
            value.get("propertyName").is_some_and(Value::is_string)
                && value.get("mapping").is_none_or(|m| m.as_object().is_some_and(|m| m.values().all(Value::is_string)))
        }
        "xml" | "externalDocs" => value.is_object(),
        _ => true,
    }
}

/// Tries to make the fault at `pointer` go away by dropping what is wrong; the warnings (pointer, message) when it
/// could, `None` when the fault is in the document's structure.
fn degrade(
    document: &mut Value,
    pointer: &str,
    message: &str,
    replaced: &mut std::collections::BTreeSet<String>,
) -> Option<Vec<(String, String)>> {
    let segments = pointer::segments(pointer)?;
    let positions = Position::along(document, &segments)?;
    let join = |n: usize| pointer::join(&segments[..n]);
    // The deepest schema at or above the fault.
    if let Some(depth) = positions.iter().rposition(|p| *p == Position::Schema) {
        let schema_pointer = join(depth + 1);
        if depth + 1 < segments.len() {
            // A keyword of the schema is at fault: drop that keyword.
            let key = segments[depth + 1].clone();
            let schema = document.pointer_mut(&schema_pointer)?.as_object_mut()?;
            schema.remove(&key);
            return Some(vec![(
                pointer_push(&schema_pointer, &key),
                format!("`{key}` is not valid here ({message}); ignored"),
            )]);
        }
        let schema = document.pointer_mut(&schema_pointer)?;
        let mut found = Vec::new();
        if let Value::Object(object) = schema {
            if !replaced.contains(&schema_pointer) {
                let wrong: Vec<String> =
                    object.iter().filter(|(k, v)| !keyword_fits(k, v)).map(|(k, _)| k.clone()).collect();
                for key in wrong {
                    let expected = expected_type(&key);
                    object.remove(&key);
                    found.push((pointer_push(&schema_pointer, &key), format!("`{key}` must be {expected}; ignored")));
                }
            }
        }
        if found.is_empty() {
            if !replaced.insert(schema_pointer.clone()) {
                // Already replaced by `{}` and still failing: not a schema problem.
                return None;
            }
            // Keep what only describes the value; the value itself is read as any JSON.
            let mut loose = serde_json::Map::new();
            if let Value::Object(object) = &*schema {
                for key in ["description", "title"] {
                    if let Some(text @ Value::String(_)) = object.get(key) {
                        loose.insert(key.into(), text.clone());
                    }
                }
            }
            *schema = Value::Object(loose);
            found.push((
                schema_pointer,
                format!("not a schema OpenAPI 3.0 can read ({message}); the value is kept as JSON"),
            ));
        } else {
            replaced.insert(schema_pointer);
        }
        return Some(found);
    }
    // An annotation of an OpenAPI object: the shallowest droppable key on the way.
    for (index, segment) in segments.iter().enumerate() {
        let holder = if index == 0 { Position::Object } else { positions[index - 1] };
        if holder == Position::Object && DROPPABLE_ANNOTATIONS.contains(&segment.as_str()) {
            let holder_pointer = join(index);
            let object = document.pointer_mut(&holder_pointer)?.as_object_mut()?;
            if matches!(segment.as_str(), "description" | "title") {
                // Required on some objects (a response's `description`, `info.title`): emptied, not removed.
                object.insert(segment.clone(), Value::String(String::new()));
            } else {
                object.remove(segment);
            }
            return Some(vec![(join(index + 1), format!("`{segment}` is not valid here ({message}); ignored"))]);
        }
    }
    // The object itself is at fault (its parser lost the path): its annotations of the wrong type.
    let object = document.pointer_mut(pointer)?.as_object_mut()?;
    let wrong: Vec<String> = object
        .iter()
        .filter(|(key, value)| DROPPABLE_ANNOTATIONS.contains(&key.as_str()) && !annotation_fits(key, value))
        .map(|(key, _)| key.clone())
        .collect();
    if wrong.is_empty() {
        return None;
    }
    let mut found = Vec::new();
    for key in wrong {
        if matches!(key.as_str(), "description" | "title") {
            object.insert(key.clone(), Value::String(String::new()));
        } else {
            object.remove(&key);
        }
        found.push((pointer_push(pointer, &key), format!("`{key}` has the wrong type ({message}); ignored")));
    }
    Some(found)
}

/// The JSON type each annotation of an OpenAPI object must have.
fn annotation_fits(key: &str, value: &Value) -> bool {
    match key {
        "description" | "summary" | "title" | "termsOfService" | "operationId" | "style" => value.is_string(),
        "deprecated" | "allowEmptyValue" | "allowReserved" | "explode" => value.is_boolean(),
        "tags" => value.as_array().is_some_and(|tags| tags.iter().all(Value::is_string)),
        "externalDocs" | "contact" | "license" | "callbacks" | "links" | "encoding" | "headers" | "xml" => {
            value.is_object()
        }
        "servers" => value.is_array(),
        _ => true,
    }
}

fn expected_type(key: &str) -> &'static str {
    match key {
        "title" | "description" | "pattern" | "format" | "type" => "a string",
        "multipleOf" | "maximum" | "minimum" => "a number",
        "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties" => {
            "a non-negative integer"
        }
        "exclusiveMaximum" | "exclusiveMinimum" | "uniqueItems" | "nullable" | "readOnly" | "writeOnly"
        | "deprecated" => "a boolean",
        "required" => "a list of property names",
        "enum" => "a list",
        "allOf" | "anyOf" | "oneOf" => "a list of schemas",
        "properties" => "a map of schemas",
        "items" | "not" => "a schema",
        "additionalProperties" => "a schema or a boolean",
        "discriminator" => "an object with a string `propertyName`",
        _ => "an object",
    }
}

/// A serde message without the generator's own Rust type names (`expected struct Schema`).
fn readable(message: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        (
            "data did not match any variant of untagged enum ReferenceOr",
            "expected a `$ref` or an object of the right kind",
        ),
        ("data did not match any variant of untagged enum SchemaKind", "expected a schema"),
        ("struct Schema", "a schema object"),
        ("struct OpenAPI", "an OpenAPI document"),
        ("struct Operation", "an operation object"),
        ("struct PathItem", "a path item object"),
        ("struct Response", "a response object"),
        ("struct RequestBody", "a request body object"),
        ("struct MediaType", "a media type object"),
        ("struct Components", "a components object"),
        ("struct Info", "an info object"),
        ("enum Parameter", "a parameter object"),
        ("struct ParameterData", "a parameter object"),
        ("enum SecurityScheme", "a security scheme object"),
    ];
    let mut out = message.to_owned();
    for (from, to) in NAMES {
        out = out.replace(from, to);
    }
    // Any other `struct X` / `enum X` the parser names.
    let re = regex::Regex::new(r"\b(?:struct|enum|untagged enum) ([A-Z][A-Za-z0-9]*)").expect("valid regex");
    re.replace_all(&out, "a valid `$1`").into_owned()
}

/// Every part of the document that fails to read as its OpenAPI type, at the deepest pointer found for it.
fn narrow(document: &Value) -> Vec<(String, String)> {
    fn try_as<T: serde::de::DeserializeOwned>(value: &Value, pointer: &str) -> Option<(String, String)> {
        if value.get("$ref").is_some() {
            return None;
        }
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| (format!("{pointer}{}", path_to_pointer(e.path())), e.inner().to_string()))
    }
    fn each(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
        value.and_then(Value::as_object).into_iter().flatten()
    }
    let mut found: Vec<(String, String)> = Vec::new();
    let mut consider = |candidate: Option<(String, String)>| found.extend(candidate);
    for (path, item) in each(document.get("paths")) {
        let item_pointer = pointer_push("/paths", path);
        consider(try_as::<openapiv3::PathItem>(item, &item_pointer));
        for (method, op) in each(Some(item)) {
            let op_pointer = pointer_push(&item_pointer, method);
            for (code, response) in each(op.get("responses")) {
                consider(try_as::<openapiv3::Response>(
                    response,
                    &pointer_push(&pointer_push(&op_pointer, "responses"), code),
                ));
            }
            for (index, param) in op.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
                consider(try_as::<openapiv3::Parameter>(
                    param,
                    &pointer_push(&pointer_push(&op_pointer, "parameters"), &index.to_string()),
                ));
            }
            if let Some(body) = op.get("requestBody") {
                consider(try_as::<openapiv3::RequestBody>(body, &pointer_push(&op_pointer, "requestBody")));
            }
            if op.is_object() && !matches!(method.as_str(), "parameters" | "servers" | "summary" | "description") {
                consider(try_as::<openapiv3::Operation>(op, &op_pointer));
            }
        }
    }
    let components = document.get("components");
    for (name, response) in each(components.and_then(|c| c.get("responses"))) {
        consider(try_as::<openapiv3::Response>(response, &pointer_push("/components/responses", name)));
    }
    for (name, param) in each(components.and_then(|c| c.get("parameters"))) {
        consider(try_as::<openapiv3::Parameter>(param, &pointer_push("/components/parameters", name)));
    }
    for (name, body) in each(components.and_then(|c| c.get("requestBodies"))) {
        consider(try_as::<openapiv3::RequestBody>(body, &pointer_push("/components/requestBodies", name)));
    }
    for (name, header) in each(components.and_then(|c| c.get("headers"))) {
        consider(try_as::<openapiv3::Header>(header, &pointer_push("/components/headers", name)));
    }
    // Every schema, wherever it is. Schemas read their subschemas through untagged enums too: descend from a
    // failing schema to the deepest failing one.
    fn schema_faults(value: &Value, position: Position, pointer: &str, found: &mut Vec<(String, String)>) {
        if !position.holds_references() {
            return;
        }
        if position == Position::Schema {
            match try_as::<openapiv3::Schema>(value, pointer) {
                Some(fault) => found.push(fault),
                None if value.get("$ref").is_none() => return,
                None => {}
            }
        }
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    schema_faults(child, position.child(key, child), &pointer_push(pointer, key), found);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    schema_faults(child, position, &pointer_push(pointer, &index.to_string()), found);
                }
            }
            _ => {}
        }
    }
    schema_faults(document, Position::Object, "", &mut found);
    // A path item fails because its operation does: keep only the deepest fault of each branch.
    let deeper = |outer: &str, inner: &str| {
        inner.len() > outer.len() && inner.starts_with(outer) && inner[outer.len()..].starts_with('/')
    };
    let pointers: Vec<String> = found.iter().map(|(p, _)| p.clone()).collect();
    found.retain(|(pointer, _)| !pointers.iter().any(|other| deeper(pointer, other)));
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|(pointer, _)| seen.insert(pointer.clone()));
    found
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => pointer = pointer_push(&pointer, &index.to_string()),
            serde_path_to_error::Segment::Map { key } => pointer = pointer_push(&pointer, key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    pointer
}
