//! Stage 2b: the operations the options keep (`include`/`exclude`), and only the components they reach.
//!
//! Works on the document after references are made canonical (`load::references`), so every `$ref` names a
//! `#/components/<section>/<name>` entry and path items are inline. Removing what no kept operation reaches before
//! lowering means a client for ten of Stripe's 468 operations lowers, emits and compiles only their types, and that
//! no warning is given about a schema the client leaves out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::error::{Diagnostic, Error};
use crate::options::Options;
use crate::pointer;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Component sections whose entries are left out when unreached. Security schemes are named by requirements, not
/// referenced, and stay.
const PRUNED_SECTIONS: [&str; 9] =
    ["schemas", "responses", "parameters", "requestBodies", "headers", "examples", "links", "callbacks", "pathItems"];

/// The tags an operation is selected by, as lowering groups it ([`crate::ir::naming::operation_tags`]).
fn operation_tags(operation: &Value, path: &str) -> Vec<String> {
    let own: Vec<String> = operation
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| tags.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    crate::ir::naming::operation_tags(own, path)
}

/// Removes the operations the options do not keep and every component no kept operation reaches. Does nothing when
/// there is no include or exclude. Returns a warning for each include or exclude that selects no operation.
pub(crate) fn select(file: &Path, document: &mut Value, options: &Options) -> Result<Vec<Diagnostic>, Error> {
    if options.include.is_empty() && options.exclude.is_empty() {
        return Ok(Vec::new());
    }
    let mut warnings = Vec::new();
    let mut used = vec![false; options.include.len() + options.exclude.len()];
    let (mut total, mut kept) = (0, 0);
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for method in METHODS {
                let Some(operation) = item.get(method) else { continue };
                total += 1;
                let tags = operation_tags(operation, path);
                let id = operation.get("operationId").and_then(Value::as_str);
                for (filter, used) in options.include.iter().chain(&options.exclude).zip(used.iter_mut()) {
                    *used |= filter.selects(&tags, id, path);
                }
                if options.keeps_operation(&tags, id, path) {
                    kept += 1;
                } else {
                    item.remove(method);
                }
            }
        }
        paths.retain(|_, item| item.as_object().is_none_or(|item| METHODS.iter().any(|m| item.contains_key(*m))));
    }
    for (filter, used) in options.include.iter().chain(&options.exclude).zip(&used) {
        if !used {
            warnings.push(Diagnostic::warning(file, "/paths", format!("the filter `{filter}` selects no operation")));
        }
    }
    if kept == 0 {
        return Err(Error::Config(format!(
            "{}: the includes and excludes keep none of its {total} operations",
            file.display()
        )));
    }
    prune_components(document);
    Ok(warnings)
}

/// Removes the component entries that nothing outside `components` reaches through `$ref`s, discriminator mappings
/// or, for a schema with a discriminator, the schemas that extend it with `allOf` (its variants).
fn prune_components(document: &mut Value) {
    let Some(components) = document.get("components").and_then(Value::as_object) else { return };
    let mut extended_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(schemas) = components.get("schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            for parent in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
                if let Some(target) = parent.get("$ref").and_then(Value::as_str) {
                    if let Some(parent) = pointer::component_name(target, "schemas") {
                        extended_by.entry(parent).or_default().push(name.clone());
                    }
                }
            }
        }
    }
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut pending: Vec<(String, String)> = Vec::new();
    if let Some(root) = document.as_object() {
        for (key, value) in root.iter().filter(|(key, _)| *key != "components") {
            collect_targets(key, value, &mut pending);
        }
    }
    while let Some((section, name)) = pending.pop() {
        if !reached.insert((section.clone(), name.clone())) {
            continue;
        }
        let Some(value) = components.get(&section).and_then(|s| s.get(&name)) else { continue };
        collect_targets("", value, &mut pending);
        if section == "schemas" && value.get("discriminator").is_some() {
            for child in extended_by.get(&name).into_iter().flatten() {
                pending.push(("schemas".to_owned(), child.clone()));
            }
        }
    }
    let Some(components) = document.get_mut("components").and_then(Value::as_object_mut) else { return };
    for section in PRUNED_SECTIONS {
        if let Some(entries) = components.get_mut(section).and_then(Value::as_object_mut) {
            entries.retain(|name, _| reached.contains(&(section.to_owned(), name.clone())));
        }
    }
}

/// Every component a value refers to: `$ref`s, and the values of discriminator mappings (pointers or schema names).
fn collect_targets(key: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                out.extend(component_of(target));
            }
            if key == "discriminator" {
                for target in map.get("mapping").and_then(Value::as_object).into_iter().flat_map(|m| m.values()) {
                    match target.as_str() {
                        Some(target) if target.starts_with('#') => out.extend(component_of(target)),
                        Some(name) => out.push(("schemas".to_owned(), name.to_owned())),
                        None => {}
                    }
                }
            }
            for (key, value) in map {
                collect_targets(key, value, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_targets("", item, out)),
        _ => {}
    }
}

/// `#/components/<section>/<name>[/...]` → (section, name).
fn component_of(target: &str) -> Option<(String, String)> {
    let segments = pointer::segments(target.strip_prefix('#')?)?;
    match segments.as_slice() {
        [components, section, name, ..] if components == "components" => Some((section.clone(), name.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(include: &[&str], exclude: &[&str]) -> Options {
        Options {
            include: include.iter().map(|f| f.parse().unwrap()).collect(),
            exclude: exclude.iter().map(|f| f.parse().unwrap()).collect(),
            ..Options::default()
        }
    }

    fn document() -> Value {
        serde_json::json!({
            "openapi": "3.0.3",
            "paths": {
                "/v1/pets": {"get": {"operationId": "listPets", "responses": {"200": {"$ref": "#/components/responses/Pets"}}}},
                "/v1/stores/{id}": {
                    "parameters": [{"$ref": "#/components/parameters/Id"}],
                    "get": {"operationId": "getStore", "tags": ["stores"], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Store"}}}}}},
                    "delete": {"operationId": "deleteStore", "tags": ["stores"], "responses": {"204": {"description": "gone"}}}
                }
            },
            "components": {
                "responses": {"Pets": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
                "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}},
                "schemas": {
                    "Pet": {"type": "object", "discriminator": {"propertyName": "kind", "mapping": {"fish": "Fish"}}, "properties": {"kind": {"type": "string"}}},
                    "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
                    "Fish": {"type": "object"},
                    "Store": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner/properties/name"}}},
                    "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                    "Unused": {"type": "object"}
                },
                "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
            }
        })
    }

    fn names(document: &Value, section: &str) -> Vec<String> {
        document["components"][section].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
    }

    #[test]
    fn keeps_selected_operations_and_what_they_reach() {
        let mut doc = document();
        let warnings = select(Path::new("api.yaml"), &mut doc, &options(&["tag:pets"], &[])).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc["paths"].as_object().unwrap().keys().collect::<Vec<_>>(), ["/v1/pets"], "implied tag `pets`");
        assert_eq!(names(&doc, "schemas"), ["Pet", "Dog", "Fish"], "a discriminator keeps its mapping and children");
        assert_eq!(names(&doc, "parameters"), Vec::<String>::new());
        assert_eq!(names(&doc, "securitySchemes"), ["key"]);

        let mut doc = document();
        select(Path::new("api.yaml"), &mut doc, &options(&["tag:stores"], &["operation:delete*"])).unwrap();
        assert!(doc["paths"]["/v1/stores/{id}"].get("delete").is_none());
        assert_eq!(names(&doc, "schemas"), ["Store", "Owner"], "a pointer into a schema keeps the schema");
        assert_eq!(names(&doc, "parameters"), ["Id"], "path-level parameters count");
    }

    #[test]
    fn no_filter_changes_nothing_and_an_empty_selection_is_an_error() {
        let mut doc = document();
        select(Path::new("api.yaml"), &mut doc, &Options::default()).unwrap();
        assert_eq!(doc, document());
        let error = select(Path::new("api.yaml"), &mut doc, &options(&["tag:nothing"], &[])).unwrap_err();
        assert!(error.to_string().contains("keep none of its 3 operations"), "{error}");
        let warnings =
            select(Path::new("api.yaml"), &mut document(), &options(&["tag:pets", "path:/nowhere"], &[])).unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("`path:/nowhere` selects no operation"), "{warnings:?}");
    }
}
