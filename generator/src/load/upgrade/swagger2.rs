//! Swagger 2.0 → OpenAPI 3.0: `definitions`, shared `parameters` and `responses` move into `components`; body and
//! form parameters become request bodies; `produces`/`consumes` become media types; `host`, `basePath` and
//! `schemes` become servers; security definitions become security schemes.

use serde_json::{Map, Value};

use super::{for_each_subschema, mark, rewrite_refs, strings, take_object, Upgrader, METHODS};
use crate::error::pointer_push;
use crate::load::origin::ORIGIN;
use crate::pointer;

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
    /// The whole document, one pass per section; the order of the passes is the order of their warnings.
    pub(super) fn swagger2(&mut self, document: Value) -> Value {
        let Value::Object(mut root) = document else { return document };
        root.remove("swagger");
        let produces = strings(root.get("produces")).unwrap_or_default();
        let consumes = strings(root.get("consumes")).unwrap_or_default();
        root.remove("produces");
        root.remove("consumes");
        let mut components = take_object(&mut root, "components");
        let schemas = v2_definitions(&mut root, &mut components);
        // Shared parameters are inlined where used (a body parameter cannot stay a 3.0 parameter).
        let parameters = merged_section(&mut root, &mut components, "parameters");
        let responses = self.v2_shared_responses(&mut root, &mut components, &produces);
        let security = self.v2_security_definitions(&mut root);
        let servers = v2_servers(&mut root);
        let context = V2Context { parameters: &parameters, produces: &produces, consumes: &consumes };
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let pointer = pointer_push("/paths", path);
                self.v2_path_item(item, &context, &pointer);
            }
        }
        v2_document(root, components, schemas, responses, security, servers)
    }

    /// Shared responses (2.0 `responses`, and any the bundler hoisted), each in 3.0 shape.
    fn v2_shared_responses(
        &mut self,
        root: &mut Map<String, Value>,
        components: &mut Map<String, Value>,
        produces: &[String],
    ) -> Map<String, Value> {
        merged_section(root, components, "responses")
            .into_iter()
            .map(|(name, response)| {
                let pointer = pointer_push("/responses", &name);
                let converted = self.v2_response(response, produces, &pointer);
                (name, converted)
            })
            .collect()
    }

    /// `securityDefinitions` → security schemes; an unknown type is dropped with a warning.
    fn v2_security_definitions(&mut self, root: &mut Map<String, Value>) -> Map<String, Value> {
        let mut security = Map::new();
        for (name, scheme) in take_object(root, "securityDefinitions") {
            let pointer = pointer_push("/securityDefinitions", &name);
            if let Some(converted) = self.v2_security(scheme, &pointer) {
                security.insert(name, converted);
            }
        }
        security
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
                let scopes =
                    scheme.get("scopes").filter(|s| s.is_object()).cloned().unwrap_or_else(|| Map::new().into());
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

    fn resolve_v2_parameter(
        &mut self,
        param: Value,
        context: &V2Context<'_>,
        pointer: &str,
    ) -> Option<Map<String, Value>> {
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
        let all = self.v2_operation_parameters(op, shared, context, pointer);
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
        if let Some((param, param_pointer)) = body {
            if !form.is_empty() {
                self.warn(&param_pointer, "both body and formData parameters; the formData ones are ignored");
                form.clear();
            }
            op.insert("requestBody".into(), body_request_body(param, &param_pointer, &consumes));
        }
        if !form.is_empty() {
            op.insert("requestBody".into(), form_request_body(form, &consumes));
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

    /// The path item's parameters, then the operation's own (which override those with the same name and
    /// location), each resolved, with its pointer.
    fn v2_operation_parameters(
        &mut self,
        op: &mut Map<String, Value>,
        shared: &[(Value, String)],
        context: &V2Context<'_>,
        pointer: &str,
    ) -> Vec<(Map<String, Value>, String)> {
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
            all.retain(|(existing, _)| key(existing) != key(&param));
            all.push((param, param_pointer));
        }
        all
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
                    self.warn(
                        pointer,
                        format!("`collectionFormat: {other}` has no OpenAPI 3 equivalent; sent comma-separated"),
                    );
                    ("form", false)
                }
                (_, "csv") => ("simple", false),
                (_, other) => {
                    self.warn(
                        pointer,
                        format!("`collectionFormat: {other}` is not supported in {location}; sent comma-separated"),
                    );
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

/// `definitions` first (spec order), then any schema the bundler hoisted from other files, each with 2.0 spellings
/// made 3.0.
fn v2_definitions(root: &mut Map<String, Value>, components: &mut Map<String, Value>) -> Map<String, Value> {
    let mut schemas = take_object(root, "definitions");
    for (name, schema) in take_object(components, "schemas") {
        schemas.insert(name, schema);
    }
    for (name, schema) in schemas.iter_mut() {
        fix_v2_schema(schema, &pointer_push("/definitions", name));
    }
    schemas
}

/// A 2.0 top-level section (`parameters`, `responses`), then the entries the bundler hoisted into the 3.0 section of
/// the same name.
fn merged_section(root: &mut Map<String, Value>, components: &mut Map<String, Value>, key: &str) -> Map<String, Value> {
    let mut merged = take_object(root, key);
    for (name, value) in take_object(components, key) {
        merged.insert(name, value);
    }
    merged
}

/// The 3.0 document: `openapi`, `info`, `externalDocs` and `servers` first, then the rest in its order, then
/// `components`; references to the 2.0 sections point at their 3.0 places.
fn v2_document(
    mut root: Map<String, Value>,
    mut components: Map<String, Value>,
    schemas: Map<String, Value>,
    responses: Map<String, Value>,
    security: Map<String, Value>,
    servers: Vec<Value>,
) -> Value {
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

/// The request body of a 2.0 `in: body` parameter: its schema under each media type the operation consumes (JSON
/// when it says none).
fn body_request_body(mut param: Map<String, Value>, param_pointer: &str, consumes: &[String]) -> Value {
    let mut schema = param.remove("schema").unwrap_or_else(|| Value::Object(Map::new()));
    fix_v2_schema(&mut schema, &pointer_push(param_pointer, "schema"));
    mark(&mut schema, &pointer_push(param_pointer, "schema"));
    let media_types: Vec<String> =
        if consumes.is_empty() { vec!["application/json".into()] } else { consumes.to_vec() };
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
    request_body.insert(ORIGIN.into(), Value::String(param_pointer.to_owned()));
    Value::Object(request_body)
}

/// The request body of 2.0 `in: formData` parameters: an object schema with one property per parameter,
/// `multipart/form-data` when a parameter is a file or the operation consumes it, form-urlencoded otherwise.
fn form_request_body(form: Vec<(Map<String, Value>, String)>, consumes: &[String]) -> Value {
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
    Value::Object(request_body)
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
