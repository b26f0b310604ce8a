//! Stage 2: checks on the bundled document that collect every problem (not just the first), then the typed parse.

use std::path::Path;

use serde_json::Value;

use crate::error::{pointer_push, Diagnostic};

/// Every `$ref` must point at something. Returns one diagnostic per dangling reference.
pub(crate) fn dangling_refs(file: &Path, document: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    walk(file, document, document, "", &mut out);
    out
}

fn walk(file: &Path, root: &Value, value: &Value, pointer: &str, out: &mut Vec<Diagnostic>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                match reference.strip_prefix('#') {
                    Some(target) => {
                        let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
                        if root.pointer(&decoded).is_none() {
                            out.push(Diagnostic::error(
                                file,
                                pointer_push(pointer, "$ref"),
                                format!("`$ref: {reference}` points at nothing"),
                            ));
                        }
                    }
                    None => out.push(Diagnostic::error(
                        file,
                        pointer_push(pointer, "$ref"),
                        format!("`$ref: {reference}` was not resolved"),
                    )),
                }
            }
            for (key, child) in object {
                if key == "example" || key == "examples" || key.starts_with("x-") {
                    continue;
                }
                walk(file, root, child, &pointer_push(pointer, key), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(file, root, child, &pointer_push(pointer, &index.to_string()), out);
            }
        }
        _ => {}
    }
}

/// The typed parse; every value of the wrong type is reported at its JSON pointer.
pub(crate) fn parse_openapi(
    file: &Path,
    text_hint: Option<&str>,
    document: &Value,
) -> Result<openapiv3::OpenAPI, Vec<Diagnostic>> {
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(document).map_err(|e| {
        // openapiv3 reads `$ref`-or-object values through untagged enums, which lose the path; retry the parts
        // directly to find every value at fault, each at its deepest.
        let mut faults = narrow(document);
        if faults.is_empty() {
            faults.push((path_to_pointer(e.path()), e.inner().to_string()));
        }
        faults
            .into_iter()
            .map(|(pointer, message)| {
                let line = text_hint.and_then(|text| line_of(text, &pointer));
                Diagnostic::error(file, pointer, format!("not a valid OpenAPI 3.0 document: {message}")).at_line(line)
            })
            .collect()
    })
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
                consider(try_as::<openapiv3::Response>(response, &pointer_push(&pointer_push(&op_pointer, "responses"), code)));
            }
            for (index, param) in op.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
                consider(try_as::<openapiv3::Parameter>(param, &pointer_push(&pointer_push(&op_pointer, "parameters"), &index.to_string())));
            }
            if let Some(body) = op.get("requestBody") {
                consider(try_as::<openapiv3::RequestBody>(body, &pointer_push(&op_pointer, "requestBody")));
            }
        }
    }
    let components = document.get("components");
    // Schemas read their subschemas through untagged enums too: descend to the deepest failing one.
    fn schema_faults(schema: &Value, pointer: &str, found: &mut Vec<(String, String)>) {
        let Some(fault) = try_as::<openapiv3::Schema>(schema, pointer) else { return };
        found.push(fault);
        let Some(object) = schema.as_object() else { return };
        for (key, child) in object {
            let child_pointer = pointer_push(pointer, key);
            match (key.as_str(), child) {
                ("properties", Value::Object(map)) => {
                    for (name, property) in map {
                        schema_faults(property, &pointer_push(&child_pointer, name), found);
                    }
                }
                ("allOf" | "oneOf" | "anyOf", Value::Array(members)) => {
                    for (index, member) in members.iter().enumerate() {
                        schema_faults(member, &pointer_push(&child_pointer, &index.to_string()), found);
                    }
                }
                ("items" | "not" | "additionalProperties", Value::Object(_)) => schema_faults(child, &child_pointer, found),
                _ => {}
            }
        }
    }
    for (name, response) in each(components.and_then(|c| c.get("responses"))) {
        consider(try_as::<openapiv3::Response>(response, &pointer_push("/components/responses", name)));
    }
    for (name, param) in each(components.and_then(|c| c.get("parameters"))) {
        consider(try_as::<openapiv3::Parameter>(param, &pointer_push("/components/parameters", name)));
    }
    for (name, schema) in each(components.and_then(|c| c.get("schemas"))) {
        schema_faults(schema, &pointer_push("/components/schemas", name), &mut found);
    }
    // A path item fails because its operation does: keep only the deepest fault of each branch.
    let deeper = |outer: &str, inner: &str| inner.len() > outer.len() && inner.starts_with(outer) && inner[outer.len()..].starts_with('/');
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

/// Best-effort line of the value at `pointer` in YAML or JSON text: follows the keys down, line by line. A key that
/// is not at the start of a line is looked for in the line found so far (flow style, `schema: { $ref: … }`); when it
/// is not there either, there is no line rather than a wrong one.
pub(crate) fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let keys: Vec<String> =
        pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    let lines: Vec<&str> = text.lines().collect();
    let mut line_index: Option<usize> = None;
    for key in keys {
        if key.chars().all(|c| c.is_ascii_digit()) {
            continue; // array indices (and numeric keys such as status codes): stay on the parent's line
        }
        let patterns = [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':"), format!("\"{key}\" :")];
        let start = line_index.unwrap_or(0);
        let next = lines.iter().enumerate().skip(start).find(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            patterns.iter().any(|p| t.starts_with(p.as_str()))
        });
        match next {
            Some((index, _)) => line_index = Some(index),
            None => {
                let here = lines.get(line_index?)?;
                return patterns.iter().any(|p| here.contains(p.as_str())).then_some(line_index? + 1);
            }
        }
    }
    line_index.map(|i| i + 1)
}

/// Fills in the line of every diagnostic about `file` whose pointer can be found in `text`.
pub(crate) fn locate(diagnostics: &mut [Diagnostic], file: &Path, text: &str) {
    for d in diagnostics.iter_mut().filter(|d| d.line.is_none() && d.file == file) {
        d.line = line_of(text, &d.pointer);
    }
}

#[cfg(test)]
mod tests {
    use super::line_of;

    #[test]
    fn lines_follow_keys_and_flow_style() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        \"200\":\n          schema: { $ref: x }\n";
        assert_eq!(line_of(text, "/paths/~1a/get"), Some(4));
        assert_eq!(line_of(text, "/paths/~1a/get/responses/200/schema/$ref"), Some(7));
        assert_eq!(line_of(text, "/paths/~1a/post"), None);
        assert_eq!(line_of(text, "/components/schemas/A"), None);
        let json = "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}\n";
        assert_eq!(line_of(json, "/paths/~1a/get"), Some(4));
    }
}
