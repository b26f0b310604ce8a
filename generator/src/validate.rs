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

/// The typed parse; a value of the wrong type is reported at its JSON pointer.
pub(crate) fn parse_openapi(file: &Path, text_hint: Option<&str>, document: &Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(document).map_err(|e| {
        // openapiv3 reads `$ref`-or-object values through untagged enums, which lose the path; retry the parts
        // directly to find the deepest value at fault.
        let (pointer, message) = narrow(document)
            .unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        let line = text_hint.and_then(|text| line_of(text, &pointer));
        Diagnostic::error(file, pointer, format!("not a valid OpenAPI 3.0 document: {message}")).at_line(line)
    })
}

/// The deepest part of the document that fails to read as its OpenAPI type.
fn narrow(document: &Value) -> Option<(String, String)> {
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
    let mut found: Option<(String, String)> = None;
    let mut consider = |candidate: Option<(String, String)>| {
        if let Some(c) = candidate {
            if found.as_ref().is_none_or(|f| c.0.len() > f.0.len()) {
                found = Some(c);
            }
        }
    };
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
    for (name, schema) in each(components.and_then(|c| c.get("schemas"))) {
        consider(try_as::<openapiv3::Schema>(schema, &pointer_push("/components/schemas", name)));
    }
    for (name, response) in each(components.and_then(|c| c.get("responses"))) {
        consider(try_as::<openapiv3::Response>(response, &pointer_push("/components/responses", name)));
    }
    for (name, param) in each(components.and_then(|c| c.get("parameters"))) {
        consider(try_as::<openapiv3::Parameter>(param, &pointer_push("/components/parameters", name)));
    }
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
