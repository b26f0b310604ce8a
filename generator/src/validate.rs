//! Stage 2: checks on the bundled, upgraded document that collect every problem (not just the first). The typed
//! parse that follows is `load::typed`.

use std::path::Path;

use serde_json::Value;

use crate::error::{pointer_push, Diagnostic};
use crate::load::position::Position;

/// Every `$ref` must point at something. Returns one diagnostic per dangling reference.
pub(crate) fn dangling_refs(file: &Path, document: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    walk(file, document, document, "", Position::Object, &mut out);
    out
}

fn walk(file: &Path, root: &Value, value: &Value, pointer: &str, position: Position, out: &mut Vec<Diagnostic>) {
    if !position.holds_references() {
        return;
    }
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref").filter(|v| position.is_reference(v)) {
                // References are percent-decoded already (`load::references`).
                match reference.strip_prefix('#') {
                    Some(target) => {
                        if root.pointer(target).is_none() {
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
                if key == "$ref" && position.is_reference(child) {
                    continue;
                }
                walk(file, root, child, &pointer_push(pointer, key), position.child(key, child), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(file, root, child, &pointer_push(pointer, &index.to_string()), position, out);
            }
        }
        _ => {}
    }
}
