//! OpenAPI 3.1 (and 3.2) → OpenAPI 3.0 at the document level: `webhooks` are dropped (they are requests the API
//! sends) and path items referenced from `components/pathItems` are put in place. Schemas are the business of
//! [`super::json_schema`].

use serde_json::{Map, Value};

use super::Upgrader;
use crate::error::pointer_push;
use crate::pointer;

impl Upgrader<'_> {
    pub(super) fn openapi31(&mut self, document: Value) -> Value {
        let Value::Object(mut root) = document else { return document };
        root.insert("openapi".into(), "3.0.3".into());
        root.remove("jsonSchemaDialect");
        if root.remove("webhooks").is_some() {
            self.warn("/webhooks", "webhooks are requests the API sends, not ones a client makes; dropped");
        }
        let path_items = root
            .get_mut("components")
            .and_then(Value::as_object_mut)
            .and_then(|c| c.remove("pathItems"))
            .and_then(|p| match p {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .unwrap_or_default();
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let pointer = pointer_push("/paths", path);
                self.inline_path_item_ref(item, &path_items, &pointer);
            }
        }
        Value::Object(root)
    }

    /// A 3.1 path item `$ref` into `components/pathItems` (which 3.0 has not) is replaced by its target.
    fn inline_path_item_ref(&mut self, item: &mut Value, path_items: &Map<String, Value>, pointer: &str) {
        for _ in 0..8 {
            let Some(reference) = item.get("$ref").and_then(Value::as_str).map(str::to_owned) else { return };
            if !reference.starts_with("#/components/pathItems/") {
                return;
            }
            let name = pointer::component_name(&reference, "pathItems");
            let Some(Value::Object(target)) = name.and_then(|name| path_items.get(&name)) else {
                self.warn(pointer, format!("path item `$ref: {reference}` does not resolve"));
                return;
            };
            let mut merged = target.clone();
            if let Value::Object(own) = item {
                for (key, value) in own.iter() {
                    if key != "$ref" {
                        merged.insert(key.clone(), value.clone());
                    }
                }
            }
            *item = Value::Object(merged);
        }
    }
}
