//! Stage 1b: Swagger 2.0 and OpenAPI 3.1 (and 3.2) documents → OpenAPI 3.0-shaped JSON, so that lowering and
//! emission know one dialect only.
//!
//! Runs after bundling, on the whole document. Every lossy step leaves a warning that names the JSON pointer of the
//! construct in the document as written (after bundling).

use std::path::Path;

use serde_json::{Map, Value};

use super::origin::ORIGIN;
use super::position::Position;
use super::SpecVersion;
use crate::error::{pointer_push, Diagnostic};
use crate::pointer;

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

// ---------------------------------------------------------------------------------------------------------------
// Swagger 2.0
// ---------------------------------------------------------------------------------------------------------------

/// Keys of a 2.0 non-body parameter (or `items`, or header) that belong in its 3.0 `schema`.
const V2_SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
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
    "enum",
    "multipleOf",
    "x-nullable",
];

impl Upgrader<'_> {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic::warning(self.file, pointer, message));
    }

    fn swagger2(&mut self, document: Value) -> Value {
        let Value::Object(mut root) = document else { return document };
        root.remove("swagger");
        let produces = strings(root.get("produces")).unwrap_or_default();
        let consumes = strings(root.get("consumes")).unwrap_or_default();
        root.remove("produces");
        root.remove("consumes");
        let mut components = take_object(&mut root, "components");

        // Schemas: `definitions` first (spec order), then anything the bundler hoisted from other files.
        let mut schemas = take_object(&mut root, "definitions");
        for (name, schema) in take_object(&mut components, "schemas") {
            schemas.insert(name, schema);
        }
        for (name, schema) in schemas.iter_mut() {
            fix_v2_schema(schema, &pointer_push("/definitions", name));
        }

        // Shared parameters are inlined where used (a body parameter cannot stay a 3.0 parameter).
        let mut parameters = take_object(&mut root, "parameters");
        for (name, parameter) in take_object(&mut components, "parameters") {
            parameters.insert(name, parameter);
        }

        let mut responses = take_object(&mut root, "responses");
        for (name, response) in take_object(&mut components, "responses") {
            responses.insert(name, response);
        }
        let responses: Map<String, Value> = responses
            .into_iter()
            .map(|(name, response)| {
                let pointer = pointer_push("/responses", &name);
                let converted = self.v2_response(response, &produces, &pointer);
                (name, converted)
            })
            .collect();

        let mut security = Map::new();
        for (name, scheme) in take_object(&mut root, "securityDefinitions") {
            let pointer = pointer_push("/securityDefinitions", &name);
            if let Some(converted) = self.v2_security(scheme, &pointer) {
                security.insert(name, converted);
            }
        }

        let servers = v2_servers(&mut root);

        let context = V2Context { parameters: &parameters, produces: &produces, consumes: &consumes };
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let pointer = pointer_push("/paths", path);
                self.v2_path_item(item, &context, &pointer);
            }
        }

        if !schemas.is_empty() {
            components.insert("schemas".into(), Value::Object(schemas));
        }
        if !responses.is_empty() {
            components.insert("responses".into(), Value::Object(responses));
        }
        if !security.is_empty() {
            components.insert("securitySchemes".into(), Value::Object(security));
        }

        let mut out = Map::new();
        out.insert("openapi".into(), Value::String("3.0.3".into()));
        for key in ["info", "externalDocs"] {
            if let Some(value) = root.remove(key) {
                out.insert(key.into(), value);
            }
        }
        if !servers.is_empty() {
            out.insert("servers".into(), Value::Array(servers));
        }
        for (key, value) in root {
            out.insert(key, value);
        }
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        let mut document = Value::Object(out);
        rewrite_refs(
            &mut document,
            &[
                ("#/definitions/", "#/components/schemas/"),
                ("#/responses/", "#/components/responses/"),
                ("#/parameters/", "#/components/parameters/"),
            ],
        );
        document
    }

    fn v2_security(&mut self, scheme: Value, pointer: &str) -> Option<Value> {
        let Value::Object(mut scheme) = scheme else { return None };
        let description = scheme.remove("description");
        let mut out = Map::new();
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), "http".into());
                out.insert("scheme".into(), "basic".into());
            }
            Some("apiKey") => {
                out.insert("type".into(), "apiKey".into());
                out.insert("name".into(), scheme.get("name").cloned().unwrap_or_else(|| "".into()));
                out.insert("in".into(), scheme.get("in").cloned().unwrap_or_else(|| "header".into()));
            }
            Some("oauth2") => {
                let url = |key: &str| scheme.get(key).cloned().unwrap_or_else(|| "".into());
                let scopes = scheme.get("scopes").filter(|s| s.is_object()).cloned().unwrap_or_else(|| Map::new().into());
                let mut flow = Map::new();
                let name = match scheme.get("flow").and_then(Value::as_str) {
                    Some("implicit") => {
                        flow.insert("authorizationUrl".into(), url("authorizationUrl"));
                        "implicit"
                    }
                    Some("password") => {
                        flow.insert("tokenUrl".into(), url("tokenUrl"));
                        "password"
                    }
                    Some("application") => {
                        flow.insert("tokenUrl".into(), url("tokenUrl"));
                        "clientCredentials"
                    }
                    _ => {
                        flow.insert("authorizationUrl".into(), url("authorizationUrl"));
                        flow.insert("tokenUrl".into(), url("tokenUrl"));
                        "authorizationCode"
                    }
                };
                flow.insert("scopes".into(), scopes);
                let mut flows = Map::new();
                flows.insert(name.into(), Value::Object(flow));
                out.insert("type".into(), "oauth2".into());
                out.insert("flows".into(), Value::Object(flows));
            }
            other => {
                self.warn(pointer, format!("unknown security scheme type {other:?}; dropped"));
                return None;
            }
        }
        if let Some(description) = description {
            out.insert("description".into(), description);
        }
        Some(Value::Object(out))
    }

    fn v2_path_item(&mut self, item: &mut Value, context: &V2Context<'_>, pointer: &str) {
        let Value::Object(item) = item else { return };
        let shared = match item.remove("parameters") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        let shared_pointer = pointer_push(pointer, "parameters");
        let shared: Vec<(Value, String)> = shared
            .into_iter()
            .enumerate()
            .map(|(index, p)| (p, pointer_push(&shared_pointer, &index.to_string())))
            .collect();
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get_mut(*method) {
                let op_pointer = pointer_push(pointer, method);
                self.v2_operation(op, &shared, context, &op_pointer);
            }
        }
    }

    fn resolve_v2_parameter(&mut self, param: Value, context: &V2Context<'_>, pointer: &str) -> Option<Map<String, Value>> {
        let mut current = param;
        for _ in 0..16 {
            let reference = match &current {
                Value::Object(object) => match object.get("$ref").and_then(Value::as_str) {
                    Some(reference) => reference.to_owned(),
                    None => return current.as_object().cloned(),
                },
                _ => {
                    self.warn(pointer, "a parameter that is not an object; dropped");
                    return None;
                }
            };
            // `#/parameters/<name>` as 2.0 writes it, or as the bundler hoisted it.
            let name = pointer::component_name(&reference, "parameters").or_else(|| {
                match pointer::segments(reference.strip_prefix('#')?)?.as_slice() {
                    [section, name] if section == "parameters" => Some(name.clone()),
                    _ => None,
                }
            });
            match name.and_then(|n| context.parameters.get(&n)) {
                Some(next) => current = next.clone(),
                None => {
                    self.warn(pointer, format!("parameter `$ref: {reference}` does not resolve; dropped"));
                    return None;
                }
            }
        }
        self.warn(pointer, "parameter `$ref`s form a cycle; dropped");
        None
    }

    fn v2_operation(
        &mut self,
        op: &mut Map<String, Value>,
        shared: &[(Value, String)],
        context: &V2Context<'_>,
        pointer: &str,
    ) {
        let produces = strings(op.get("produces")).unwrap_or_else(|| context.produces.to_vec());
        let consumes = strings(op.get("consumes")).unwrap_or_else(|| context.consumes.to_vec());
        op.remove("produces");
        op.remove("consumes");
        op.remove("schemes");
        let own = match op.remove("parameters") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        let own_pointer = pointer_push(pointer, "parameters");
        let mut all: Vec<(Map<String, Value>, String)> = Vec::new();
        let listed = shared
            .iter()
            .cloned()
            .chain(own.into_iter().enumerate().map(|(i, p)| (p, pointer_push(&own_pointer, &i.to_string()))));
        for (param, param_pointer) in listed {
            let Some(param) = self.resolve_v2_parameter(param, context, &param_pointer) else { continue };
            let key = |p: &Map<String, Value>| (p.get("name").cloned(), p.get("in").cloned());
            // An operation's parameter overrides the path item's with the same name and location.
            all.retain(|(existing, _)| key(existing) != key(&param));
            all.push((param, param_pointer));
        }

        let mut parameters = Vec::new();
        let mut body: Option<(Map<String, Value>, String)> = None;
        let mut form: Vec<(Map<String, Value>, String)> = Vec::new();
        for (param, param_pointer) in all {
            match param.get("in").and_then(Value::as_str) {
                Some("body") => {
                    if body.is_some() {
                        self.warn(&param_pointer, "a second body parameter; ignored");
                    } else {
                        body = Some((param, param_pointer));
                    }
                }
                Some("formData") => form.push((param, param_pointer)),
                Some("path" | "query" | "header" | "cookie") => {
                    parameters.push(Value::Object(self.v2_parameter(param, &param_pointer)));
                }
                other => self.warn(&param_pointer, format!("parameter location {other:?} is unknown; dropped")),
            }
        }
        if !parameters.is_empty() {
            op.insert("parameters".into(), Value::Array(parameters));
        }

        if let Some((mut param, param_pointer)) = body {
            if !form.is_empty() {
                self.warn(&param_pointer, "both body and formData parameters; the formData ones are ignored");
                form.clear();
            }
            let mut schema = param.remove("schema").unwrap_or_else(|| Value::Object(Map::new()));
            fix_v2_schema(&mut schema, &pointer_push(&param_pointer, "schema"));
            mark(&mut schema, &pointer_push(&param_pointer, "schema"));
            let media_types: Vec<String> = if consumes.is_empty() { vec!["application/json".into()] } else { consumes.clone() };
            let mut content = Map::new();
            for media_type in media_types {
                let mut media = Map::new();
                media.insert("schema".into(), schema.clone());
                content.insert(media_type, Value::Object(media));
            }
            let mut request_body = Map::new();
            if let Some(description) = param.remove("description") {
                request_body.insert("description".into(), description);
            }
            request_body.insert("content".into(), Value::Object(content));
            if param.get("required").and_then(Value::as_bool) == Some(true) {
                request_body.insert("required".into(), Value::Bool(true));
            }
            request_body.insert(ORIGIN.into(), Value::String(param_pointer.clone()));
            op.insert("requestBody".into(), Value::Object(request_body));
        }

        if !form.is_empty() {
            let has_file = form.iter().any(|(p, _)| p.get("type").and_then(Value::as_str) == Some("file"));
            let multipart = has_file || consumes.iter().any(|c| c.starts_with("multipart/form-data"));
            let media_type = if multipart { "multipart/form-data" } else { "application/x-www-form-urlencoded" };
            let mut properties = Map::new();
            let mut required = Vec::new();
            let mut any_required = false;
            for (param, param_pointer) in form {
                let name = param.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
                if param.get("required").and_then(Value::as_bool) == Some(true) {
                    required.push(Value::String(name.clone()));
                    any_required = true;
                }
                let mut schema = v2_inline_schema(&param);
                if let (Some(description), Value::Object(s)) = (param.get("description"), &mut schema) {
                    s.insert("description".into(), description.clone());
                }
                fix_v2_schema(&mut schema, &param_pointer);
                mark(&mut schema, &param_pointer);
                properties.insert(name, schema);
            }
            let mut schema = Map::new();
            schema.insert("type".into(), "object".into());
            schema.insert("properties".into(), Value::Object(properties));
            if !required.is_empty() {
                schema.insert("required".into(), Value::Array(required));
            }
            let mut media = Map::new();
            media.insert("schema".into(), Value::Object(schema));
            let mut content = Map::new();
            content.insert(media_type.into(), Value::Object(media));
            let mut request_body = Map::new();
            request_body.insert("content".into(), Value::Object(content));
            if any_required {
                request_body.insert("required".into(), Value::Bool(true));
            }
            op.insert("requestBody".into(), Value::Object(request_body));
        }

        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            let responses_pointer = pointer_push(pointer, "responses");
            for (code, response) in responses.iter_mut() {
                if code.starts_with("x-") || response.get("$ref").is_some() {
                    continue;
                }
                let taken = std::mem::take(response);
                *response = self.v2_response(taken, &produces, &pointer_push(&responses_pointer, code));
            }
        }
    }

    /// A path, query or header parameter: its type keywords move into `schema`, `collectionFormat` becomes a style.
    fn v2_parameter(&mut self, mut param: Map<String, Value>, pointer: &str) -> Map<String, Value> {
        let location = param.get("in").and_then(Value::as_str).unwrap_or("query").to_owned();
        let mut schema = v2_inline_schema(&param);
        fix_v2_schema(&mut schema, pointer);
        let is_array = param.get("type").and_then(Value::as_str) == Some("array");
        let format = param.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv").to_owned();
        for key in V2_SCHEMA_KEYS.iter().chain(&["collectionFormat"]) {
            param.remove(*key);
        }
        if location == "path" {
            param.insert("required".into(), Value::Bool(true));
        }
        if is_array {
            let (style, explode) = match (location.as_str(), format.as_str()) {
                ("query", "multi") => ("form", true),
                ("query", "ssv") => ("spaceDelimited", false),
                ("query", "pipes") => ("pipeDelimited", false),
                ("query", "csv") => ("form", false),
                ("query", other) => {
                    self.warn(pointer, format!("`collectionFormat: {other}` has no OpenAPI 3 equivalent; sent comma-separated"));
                    ("form", false)
                }
                (_, "csv") => ("simple", false),
                (_, other) => {
                    self.warn(pointer, format!("`collectionFormat: {other}` is not supported in {location}; sent comma-separated"));
                    ("simple", false)
                }
            };
            param.insert("style".into(), style.into());
            param.insert("explode".into(), Value::Bool(explode));
        }
        mark(&mut schema, pointer);
        param.insert("schema".into(), schema);
        param.insert(ORIGIN.into(), Value::String(pointer.to_owned()));
        param
    }

    fn v2_response(&mut self, response: Value, produces: &[String], pointer: &str) -> Value {
        let Value::Object(mut response) = response else { return response };
        if response.contains_key("$ref") {
            return Value::Object(response);
        }
        let mut out = Map::new();
        out.insert("description".into(), response.remove("description").unwrap_or_else(|| "".into()));
        if let Some(Value::Object(headers)) = response.remove("headers") {
            let mut converted = Map::new();
            for (name, header) in headers {
                let Value::Object(header) = header else { continue };
                let mut schema = v2_inline_schema(&header);
                let header_pointer = pointer_push(&pointer_push(pointer, "headers"), &name);
                fix_v2_schema(&mut schema, &header_pointer);
                mark(&mut schema, &header_pointer);
                let mut h = Map::new();
                if let Some(description) = header.get("description") {
                    h.insert("description".into(), description.clone());
                }
                h.insert("schema".into(), schema);
                converted.insert(name, Value::Object(h));
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        let examples = response.remove("examples");
        if let Some(mut schema) = response.remove("schema") {
            fix_v2_schema(&mut schema, &pointer_push(pointer, "schema"));
            mark(&mut schema, &pointer_push(pointer, "schema"));
            let is_file = schema.get("format").and_then(Value::as_str) == Some("binary");
            let only_json = produces.iter().all(|p| p.contains("json"));
            let media_types: Vec<String> = if is_file && only_json {
                // A file is not JSON, whatever the document-wide `produces` says.
                vec!["application/octet-stream".into()]
            } else if !produces.is_empty() {
                produces.to_vec()
            } else {
                vec!["application/json".into()]
            };
            let mut content = Map::new();
            for media_type in media_types {
                let mut media = Map::new();
                media.insert("schema".into(), schema.clone());
                if let Some(example) = examples.as_ref().and_then(|e| e.get(&media_type)) {
                    media.insert("example".into(), example.clone());
                }
                content.insert(media_type, Value::Object(media));
            }
            out.insert("content".into(), Value::Object(content));
        }
        for (key, value) in response {
            if key.starts_with("x-") {
                out.insert(key, value);
            }
        }
        Value::Object(out)
    }
}

struct V2Context<'a> {
    parameters: &'a Map<String, Value>,
    produces: &'a [String],
    consumes: &'a [String],
}

fn v2_servers(root: &mut Map<String, Value>) -> Vec<Value> {
    let host = root.remove("host").and_then(|h| h.as_str().map(str::to_owned));
    let base_path = root.remove("basePath").and_then(|b| b.as_str().map(str::to_owned)).unwrap_or_default();
    let mut schemes = strings(root.get("schemes")).unwrap_or_default();
    root.remove("schemes");
    let mut servers = Vec::new();
    let base_path = base_path.trim_end_matches('/').to_owned();
    match host {
        Some(host) if !host.is_empty() => {
            if schemes.is_empty() {
                schemes.push("https".into());
            }
            // https first: it is the one a client should default to.
            schemes.sort_by_key(|s| s != "https");
            for scheme in schemes.iter().filter(|s| *s == "http" || *s == "https") {
                let mut server = Map::new();
                server.insert("url".into(), format!("{scheme}://{host}{base_path}").into());
                servers.push(Value::Object(server));
            }
        }
        _ if !base_path.is_empty() => {
            let mut server = Map::new();
            server.insert("url".into(), base_path.into());
            servers.push(Value::Object(server));
        }
        _ => {}
    }
    servers
}

/// The schema of a 2.0 non-body parameter, header or `items` object.
fn v2_inline_schema(source: &Map<String, Value>) -> Value {
    let mut schema = Map::new();
    for key in V2_SCHEMA_KEYS {
        if let Some(value) = source.get(*key) {
            let value = if *key == "items" {
                match value {
                    Value::Object(items) => v2_inline_schema(items),
                    other => other.clone(),
                }
            } else {
                value.clone()
            };
            schema.insert((*key).to_owned(), value);
        }
    }
    if let Some(Value::Object(items)) = source.get("items") {
        if items.contains_key("$ref") {
            schema.insert("items".into(), Value::Object(items.clone()));
        }
    }
    Value::Object(schema)
}

/// 2.0 schema details that 3.0 spells differently: `type: file`, `x-nullable`, a string `discriminator`.
fn fix_v2_schema(schema: &mut Value, pointer: &str) {
    let Value::Object(object) = schema else { return };
    // `x-nullable` beside a `$ref` means what `nullable` beside it means (read as `allOf: [$ref]` + nullable).
    if let Some(nullable) = object.remove("x-nullable") {
        if nullable.as_bool() == Some(true) {
            object.insert("nullable".into(), Value::Bool(true));
        }
    }
    if object.contains_key("$ref") {
        return;
    }
    if object.get("type").and_then(Value::as_str) == Some("file") {
        object.insert("type".into(), "string".into());
        object.insert("format".into(), "binary".into());
    }
    if let Some(Value::String(property)) = object.get("discriminator") {
        let mut discriminator = Map::new();
        discriminator.insert("propertyName".into(), Value::String(property.clone()));
        object.insert("discriminator".into(), Value::Object(discriminator));
    }
    for_each_subschema(object, pointer, &mut |child, child_pointer| fix_v2_schema(child, child_pointer));
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
                "items" | "additionalProperties" | "not" | "if" | "then" | "else" | "contains" | "propertyNames"
                | "unevaluatedItems" | "unevaluatedProperties" | "contentSchema",
                child @ Value::Object(_),
            ) => f(child, &pointer_push(pointer, key)),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// OpenAPI 3.1
// ---------------------------------------------------------------------------------------------------------------

/// Keywords beside a `$ref` that only annotate it: dropped without changing what the value is.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "summary",
    "example",
    "examples",
    "deprecated",
    "default",
    "$comment",
    "externalDocs",
];

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
    fn openapi31(&mut self, document: Value) -> Value {
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

    /// Rewrites every schema of an OpenAPI 3.0-shaped document (paths and components) into OpenAPI 3.0 schema
    /// objects, and drops security schemes 3.0 does not know.
    fn schemas_everywhere(&mut self, root: &mut Map<String, Value>) {
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
                            self.warn(&pointer_push(&base, &name), "this security scheme type is not supported; dropped");
                        }
                    }
                    _ => {}
                }
            }
        }
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
                            let p = pointer_push(&pointer_push(&pointer_push(&media_pointer, "encoding"), name), header_name);
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
            return;
        }
        if object.contains_key("$ref") && object.len() > 1 {
            let structural: Vec<String> = object
                .keys()
                .filter(|k| *k != "$ref" && !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"))
                .cloned()
                .collect();
            if structural.is_empty() {
                strip_ref_siblings(object);
                return;
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
        if object.contains_key("$ref") {
            return;
        }

        for key in SILENT_DROPS {
            object.remove(*key);
        }
        let is_object = object.get("type").and_then(Value::as_str) == Some("object") || object.contains_key("properties");
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
                self.warn(&pointer_push(pointer, key), format!("`{key}` cannot be typed; its constraints are not checked"));
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
            self.warn(&pointer_push(pointer, "unevaluatedItems"), "`unevaluatedItems` cannot be typed; the items are kept as JSON");
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
            self.warn(&pointer_push(pointer, "prefixItems"), "tuples (`prefixItems`) cannot be typed; the items are kept as JSON");
            let _ = prefix;
            object.insert("items".into(), Value::Object(Map::new()));
        }
        if let Some(Value::Array(_)) = object.get("items") {
            self.warn(&pointer_push(pointer, "items"), "tuples (`items` as a list) cannot be typed; the items are kept as JSON");
            object.insert("items".into(), Value::Object(Map::new()));
        }
        if let Some(Value::Bool(_)) = object.get("items") {
            object.insert("items".into(), Value::Object(Map::new()));
        }

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

        // Anything left that is neither a 3.0 keyword nor an extension is a keyword we do not know.
        let unknown: Vec<String> = object
            .keys()
            // `$defs` stay: references may point into them.
            .filter(|k| !k.starts_with("x-") && !SCHEMA_KEYWORDS_30.contains(&k.as_str()) && *k != "$defs" && *k != "definitions")
            .cloned()
            .collect();
        if self.dialect == SpecVersion::OpenApi31 {
            for key in unknown {
                object.remove(&key);
                self.warn(&pointer_push(pointer, &key), format!("`{key}` is not a schema keyword the generator knows; ignored"));
            }
        }

        for_each_subschema(object, pointer, &mut |child, child_pointer| self.v31_schema(child, child_pointer));
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
    const FOR_NUMBER: &[&str] = &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum"];
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
    for key in ["format", "pattern", "minLength", "maxLength", "enum", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "items", "minItems", "maxItems", "uniqueItems", "properties", "required",
        "additionalProperties", "minProperties", "maxProperties"]
    {
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
        assert_eq!(doc["components"]["securitySchemes"]["oauth"]["flows"]["clientCredentials"]["tokenUrl"], "https://t");
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
        assert_eq!(get["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"], "#/components/schemas/Pet");
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
            !pointers.iter().any(|p| p.contains("Encoded") || p.contains("unevaluatedProperties") || p.ends_with("Anchor")),
            "{pointers:?}"
        );
        serde_json::from_value::<openapiv3::OpenAPI>(doc).unwrap();
    }
}
