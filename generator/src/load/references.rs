//! Local `$ref`s made canonical, so that lowering only ever follows `#/components/<section>/<name>`.
//!
//! A `$ref` may point at any place in the document (OpenAPI 3.0.3 §4.7.23, a JSON Reference whose fragment is a
//! JSON Pointer, RFC 6901, inside a URI fragment, RFC 3986 §3.5): vendors point at another operation's response
//! (`#/paths/~1v2~11-clicks/get/responses/401`), at a schema nested in another (`…/properties/owner`) and write
//! fragments percent-encoded (`%7BcompanyId%7D`). After this pass every reference in the document is
//! percent-decoded, and:
//! - a schema reference points at `#/components/schemas/<name>`: a schema found elsewhere is copied there under a
//!   fresh name, once per target;
//! - a parameter, response, request body or header reference points at an entry of its own `components` section
//!   that is not itself a reference (chains are followed; a target elsewhere is copied into the section);
//! - a path item reference is replaced by its target;
//! - a response or request body reference that points at a schema means "a JSON body of this schema", which is what
//!   vendors write it for; a parameter or header reference that points at a schema cannot be read and is dropped.
//!   Each of these gives a warning.
//!
//! Targets that do not exist are left alone: the dangling-reference check reports them with their pointer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value};

use super::position::Position;
use crate::error::Diagnostic;
use crate::pointer;

/// What a reference stands for, from where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    PathItem,
    /// Examples, links, callbacks, security schemes: not lowered, only checked to resolve.
    Other,
}

impl Kind {
    fn section(self) -> Option<&'static str> {
        match self {
            Kind::Schema => Some("schemas"),
            Kind::Parameter => Some("parameters"),
            Kind::Response => Some("responses"),
            Kind::RequestBody => Some("requestBodies"),
            Kind::Header => Some("headers"),
            Kind::PathItem | Kind::Other => None,
        }
    }
}

/// One `$ref` found in the document.
struct Found {
    /// Segments of the pointer of the object holding the `$ref`.
    at: Vec<String>,
    kind: Kind,
    reference: String,
}

/// How many times references copied into `components` are themselves looked at again (they may point elsewhere
/// too); nesting deeper than this is left for the dangling-reference check.
const ROUNDS: usize = 8;

/// Makes every local reference canonical (see the module docs). Returns the warnings.
pub(crate) fn normalize(file: &Path, document: &mut Value) -> Vec<Diagnostic> {
    let mut normalizer = Normalizer { file, warnings: Vec::new(), copied: BTreeMap::new(), used: BTreeSet::new() };
    if let Some(components) = document.get("components").and_then(Value::as_object) {
        for (section, entries) in components {
            for name in entries.as_object().into_iter().flatten().map(|(k, _)| k) {
                normalizer.used.insert((section.clone(), name.clone()));
            }
        }
    }
    for _ in 0..ROUNDS {
        let mut found = Vec::new();
        collect(document, Position::Object, &mut Vec::new(), &mut found);
        if !normalizer.apply(document, found) {
            break;
        }
    }
    normalizer.warnings
}

fn collect(value: &Value, position: Position, at: &mut Vec<String>, out: &mut Vec<Found>) {
    if !position.holds_references() {
        return;
    }
    match value {
        Value::Object(object) => {
            {
                if let Some(Value::String(reference)) = object.get("$ref").filter(|v| position.is_reference(v)) {
                    out.push(Found { at: at.clone(), kind: kind_at(at, position), reference: reference.clone() });
                }
            }
            for (key, child) in object {
                if key == "$ref" && position.is_reference(child) {
                    continue;
                }
                at.push(key.clone());
                collect(child, position.child(key, child), at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                at.push(index.to_string());
                collect(child, position, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn kind_at(at: &[String], position: Position) -> Kind {
    if position == Position::Schema {
        return Kind::Schema;
    }
    if position != Position::Object {
        return Kind::Other;
    }
    let n = at.len();
    let last = at.last().map(String::as_str);
    let parent = if n >= 2 { Some(at[n - 2].as_str()) } else { None };
    match (parent, last) {
        (_, Some("requestBody")) => Kind::RequestBody,
        (Some("parameters"), _) => Kind::Parameter,
        (Some("responses"), _) => Kind::Response,
        (Some("requestBodies"), _) => Kind::RequestBody,
        (Some("headers"), _) => Kind::Header,
        (Some("paths"), _) if n == 2 => Kind::PathItem,
        _ => Kind::Other,
    }
}

struct Normalizer<'a> {
    file: &'a Path,
    warnings: Vec<Diagnostic>,
    /// Target pointer (decoded) and section → the canonical reference it was copied to.
    copied: BTreeMap<(String, &'static str), String>,
    /// (section, name) pairs taken in `components`.
    used: BTreeSet<(String, String)>,
}

/// What to do with one reference.
enum Change {
    /// Point it here instead.
    Retarget(String),
    /// Replace the object holding it by this value.
    Replace(Value),
    /// Remove the object holding it from its array or map.
    Remove,
}

impl Normalizer<'_> {
    /// Applies the changes for `found`; whether anything was copied into `components` (its references then need a
    /// look too).
    fn apply(&mut self, document: &mut Value, found: Vec<Found>) -> bool {
        let mut copied_any = false;
        let mut changes: Vec<(Vec<String>, Change)> = Vec::new();
        for item in found {
            let here = pointer::join(&item.at);
            let Some(fragment) = item.reference.strip_prefix('#') else { continue };
            let target = pointer::decode_fragment(fragment);
            let canonical = format!("#{target}");
            // Text that is not a pointer points at nothing, as a pointer to nothing does.
            let found = pointer::segments(&target).and_then(|segments| Some((lookup(document, &segments)?, segments)));
            let Some((target_value, segments)) = found else {
                // Dangling: reported by the reference check, with the reference as written.
                if canonical != item.reference {
                    changes.push((item.at, Change::Retarget(canonical)));
                }
                continue;
            };
            let target_is_schema = is_schema_place(document, &segments);
            let change = match (item.kind, item.kind.section()) {
                (Kind::Schema, _) => {
                    if in_section(&segments, "schemas") {
                        (canonical != item.reference).then_some(Change::Retarget(canonical))
                    } else {
                        let value = target_value.clone();
                        let (local, fresh) = self.copy_into(document, "schemas", &target, value);
                        copied_any |= fresh;
                        Some(Change::Retarget(local))
                    }
                }
                (Kind::Response | Kind::RequestBody, _) if target_is_schema => {
                    let what = if item.kind == Kind::Response { "response" } else { "request body" };
                    self.warn(
                        &here,
                        format!(
                            "this {what} `$ref` points at a schema; read as a {what} with a JSON body of that schema"
                        ),
                    );
                    let mut schema = Map::new();
                    schema.insert("$ref".into(), Value::String(canonical));
                    let mut media = Map::new();
                    media.insert("schema".into(), Value::Object(schema));
                    let mut content = Map::new();
                    content.insert("application/json".into(), Value::Object(media));
                    let mut body = Map::new();
                    if item.kind == Kind::Response {
                        body.insert("description".into(), Value::String(String::new()));
                    }
                    body.insert("content".into(), Value::Object(content));
                    Some(Change::Replace(Value::Object(body)))
                }
                (Kind::Parameter | Kind::Header, _) if target_is_schema => {
                    let what = if item.kind == Kind::Parameter { "parameter" } else { "header" };
                    self.warn(&here, format!("this {what} `$ref` points at a schema, not a {what}; dropped"));
                    Some(Change::Remove)
                }
                (_, Some(section)) => match follow(document, &segments) {
                    Ok(final_target) if in_section(&final_target, section) => {
                        let local = format!("#{}", pointer::join(&final_target));
                        (local != item.reference).then_some(Change::Retarget(local))
                    }
                    Ok(final_target) => {
                        let value = lookup(document, &final_target).cloned().unwrap_or(Value::Null);
                        let (local, fresh) = self.copy_into(document, section, &pointer::join(&final_target), value);
                        copied_any |= fresh;
                        Some(Change::Retarget(local))
                    }
                    Err(message) => {
                        self.warn(&here, message);
                        Some(Change::Remove)
                    }
                },
                (Kind::PathItem, _) => {
                    // 3.0 has no `components/pathItems`: the path item is the target, with its own keys on top.
                    match follow(document, &segments) {
                        Ok(final_target) => {
                            let mut merged = lookup(document, &final_target).cloned().unwrap_or(Value::Null);
                            if let (Value::Object(merged), Some(Value::Object(own))) =
                                (&mut merged, lookup(document, &item.at))
                            {
                                for (key, value) in own {
                                    if key != "$ref" {
                                        merged.insert(key.clone(), value.clone());
                                    }
                                }
                            }
                            copied_any = true;
                            Some(Change::Replace(merged))
                        }
                        Err(message) => {
                            self.warn(&here, message);
                            Some(Change::Remove)
                        }
                    }
                }
                (Kind::Other, _) => (canonical != item.reference).then_some(Change::Retarget(canonical)),
                // Every other kind has a section.
                (_, None) => None,
            };
            if let Some(change) = change {
                changes.push((item.at, change));
            }
        }
        // Deepest and last first, so that removing an array element leaves the other pointers valid.
        changes.sort_by(|(a, _), (b, _)| compare_for_removal(b, a));
        for (at, change) in changes {
            match change {
                Change::Retarget(reference) => {
                    if let Some(Value::Object(object)) = lookup_mut(document, &at) {
                        object.insert("$ref".into(), Value::String(reference));
                    }
                }
                Change::Replace(value) => {
                    if let Some(slot) = lookup_mut(document, &at) {
                        *slot = value;
                    }
                }
                Change::Remove => {
                    let Some((last, parent)) = at.split_last() else { continue };
                    match lookup_mut(document, parent) {
                        Some(Value::Array(items)) => {
                            if let Ok(index) = last.parse::<usize>() {
                                if index < items.len() {
                                    items.remove(index);
                                }
                            }
                        }
                        Some(Value::Object(map)) => {
                            map.shift_remove(last);
                        }
                        _ => {}
                    }
                }
            }
        }
        copied_any
    }

    /// Copies `value` (found at `target`) into `components/<section>` once; returns the local reference and whether
    /// this call made the copy.
    fn copy_into(&mut self, document: &mut Value, section: &'static str, target: &str, value: Value) -> (String, bool) {
        if let Some(local) = self.copied.get(&(target.to_owned(), section)) {
            return (local.clone(), false);
        }
        // A parameter is best known by its own name.
        let preferred = (section == "parameters").then(|| value.get("name").and_then(Value::as_str)).flatten();
        let name = self.fresh_name(section, preferred.unwrap_or(target));
        let local = pointer::component_ref(section, &name);
        self.copied.insert((target.to_owned(), section), local.clone());
        if let Value::Object(root) = document {
            let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(components) = components {
                let entries = components.entry(section).or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(entries) = entries {
                    entries.insert(name, value);
                }
            }
        }
        (local, true)
    }

    /// A name for a copied target, from the last steps of its pointer (`get_responses_401`), or from `hint` when it
    /// is not a pointer.
    fn fresh_name(&mut self, section: &str, hint: &str) -> String {
        let segments = match pointer::segments(hint) {
            Some(segments) if !hint.is_empty() => segments,
            _ => vec![hint.to_owned()],
        };
        let tail: Vec<String> = segments
            .iter()
            .rev()
            .filter(|s| !matches!(s.as_str(), "content" | "schema" | "properties" | "items" | "paths" | "components"))
            .take(3)
            .map(|s| s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect::<String>())
            .collect();
        let joined: String = tail.into_iter().rev().collect::<Vec<_>>().join("_");
        let base = joined.trim_matches('_').to_owned();
        let base = if base.is_empty() { "Referenced".to_owned() } else { base };
        let mut name = base.clone();
        let mut n = 2;
        while !self.used.insert((section.to_owned(), name.clone())) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic::warning(self.file, pointer, message));
    }
}

/// Follows a chain of references from `segments` to a value that is not a reference.
fn follow(document: &Value, segments: &[String]) -> Result<Vec<String>, String> {
    let mut current = segments.to_vec();
    let mut seen = BTreeSet::new();
    loop {
        if !seen.insert(current.clone()) {
            return Err(format!("`$ref`s form a cycle through `#{}`; dropped", pointer::join(&current)));
        }
        let Some(value) = lookup(document, &current) else {
            return Err(format!("`$ref` target `#{}` does not exist; dropped", pointer::join(&current)));
        };
        match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(next) => {
                let next = pointer::decode_fragment(next);
                current = pointer::segments(&next)
                    .ok_or_else(|| format!("`$ref: #{next}` is not a JSON pointer (RFC 6901); dropped"))?;
            }
            None => return Ok(current),
        }
    }
}

/// Whether the value at `segments` is a schema (in `components/schemas`, or anywhere a schema is).
fn is_schema_place(document: &Value, segments: &[String]) -> bool {
    Position::along(document, segments).is_some_and(|positions| positions.last() == Some(&Position::Schema))
}

fn in_section(segments: &[String], section: &str) -> bool {
    segments.len() == 3 && segments[0] == "components" && segments[1] == section
}

/// Orders pointers so that, applied in this order, no change moves another's place: deeper first, and among
/// siblings of one array the higher index first.
fn compare_for_removal(a: &[String], b: &[String]) -> std::cmp::Ordering {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match (a.get(common), b.get(common)) {
        (Some(x), Some(y)) => match (x.parse::<usize>(), y.parse::<usize>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => x.cmp(y),
        },
        _ => a.len().cmp(&b.len()),
    }
}

fn lookup<'v>(document: &'v Value, segments: &[String]) -> Option<&'v Value> {
    let mut value = document;
    for segment in segments {
        value = match value {
            Value::Object(object) => object.get(segment.as_str())?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

fn lookup_mut<'v>(document: &'v mut Value, segments: &[String]) -> Option<&'v mut Value> {
    let mut value = document;
    for segment in segments {
        value = match value {
            Value::Object(object) => object.get_mut(segment.as_str())?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn references_anywhere_become_component_references() {
        let mut document = json!({
            "paths": {
                "/v2/1-clicks": {"get": {"responses": {"401": {"description": "no", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}},
                "/companies/{companyId}": {
                    "parameters": [{"name": "companyId", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "get": {
                        "parameters": [{"$ref": "#/paths/~1companies~1%7BcompanyId%7D/parameters/0"}],
                        "responses": {
                            "401": {"$ref": "#/paths/~1v2~11-clicks/get/responses/401"},
                            "404": {"$ref": "#/components/schemas/Error"},
                            "200": {"description": "ok", "content": {"application/json": {"schema":
                                {"$ref": "#/paths/~1v2~11-clicks/get/responses/401/content/application~1json/schema"}}}}
                        }
                    }
                }
            },
            "components": {"schemas": {"Error": {"type": "object"}, "Alias": {"$ref": "#/components/schemas/Error%20"}}}
        });
        let warnings = normalize(Path::new("spec.yaml"), &mut document);
        let get = &document["paths"]["/companies/{companyId}"]["get"];
        assert_eq!(get["parameters"][0]["$ref"], "#/components/parameters/companyId");
        assert_eq!(document["components"]["parameters"]["companyId"]["name"], "companyId");
        assert_eq!(get["responses"]["401"]["$ref"], "#/components/responses/get_responses_401");
        assert_eq!(
            get["responses"]["404"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/responses_401_application_json"
        );
        assert_eq!(document["components"]["schemas"]["Alias"]["$ref"], "#/components/schemas/Error ");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("points at a schema"), "{warnings:?}");
        assert_eq!(warnings[0].pointer, "/paths/~1companies~1{companyId}/get/responses/404");
    }
}
