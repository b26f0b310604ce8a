//! Paths and operations → [`Operation`]s, with their parameters, bodies, responses and extensions.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody as OaRequestBody, Response, SchemaKind,
    StatusCode, Type,
};
use serde_json::Value;

use super::{Lowerer, SchemaRef};
use crate::error::pointer_push;
use crate::ir::naming::{self, Namespace};
use crate::ir::{
    BodyKind, Constraints, ErrorBodyKind, ErrorResponse, FailureCheck, FieldPath, FieldStep, Operation, Pagination,
    PaginationStyle, Param, ParamLocation, QueryStyle, RequestBody, StatusMatch, SuccessBody, TypeKind, TypeRef,
};

/// Names a request builder may not use for its parameter setters.
const BUILDER_RESERVED: &[&str] = &["send", "pages", "items", "paginate", "client", "body", "build_request"];
/// Names the generated `Client` already has.
const CLIENT_RESERVED: &[&str] = &["builder", "new", "from_runtime", "runtime", "base_url", "inner"];

impl Lowerer<'_> {
    pub(crate) fn lower_operations(&mut self) -> Vec<Operation> {
        let doc = self.doc;
        let mut method_names = Namespace::with_reserved(CLIENT_RESERVED);
        // Builders and error enums share the client module with `Client` and std names.
        let mut item_names = Namespace::for_client_items();
        let mut operations = Vec::new();
        for (path, item) in &doc.paths.paths {
            let path_pointer = pointer_push("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.warn(&path_pointer, format!("path item `$ref: {reference}` was not bundled; skipped"));
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = pointer_push(&path_pointer, method);
                let id = op.operation_id.clone().unwrap_or_else(|| naming::operation_id(method, path));
                let method_name = method_names.claim(&naming::method_name(&id));
                let builder_name = item_names.claim(&naming::type_name(&id));
                let error_name = item_names.claim(&naming::suffixed(&builder_name, "Error"));
                let type_hint = builder_name.clone();
                let params = self.params(&item.parameters, &op.parameters, path, &type_hint, &pointer);
                let body = op.request_body.as_ref().and_then(|b| self.request_body(b, &type_hint, &pointer));
                let (success, success_pointer) = self.success(&op.responses, &type_hint, &pointer);
                let errors = self.errors(&op.responses, &type_hint, &pointer);
                let pagination = op
                    .extensions
                    .get("x-pagination")
                    .and_then(|ext| self.pagination(ext, &success, &pointer_push(&pointer, "x-pagination")));
                let failure = success_pointer.and_then(|(code, response)| {
                    let ext = response.extensions.get("x-error-when")?;
                    let ext_pointer = pointer_push(&pointer_push(&pointer_push(&pointer, "responses"), &code), "x-error-when");
                    self.failure_check(ext, &success, &ext_pointer)
                });
                let doc_text = join_docs(op.summary.as_deref(), op.description.as_deref());
                // The operation's `security` overrides the document's; an empty list or only `{}` means public.
                let anonymous = op
                    .security
                    .as_ref()
                    .or(doc.security.as_ref())
                    .is_some_and(|requirements| requirements.iter().all(|r| r.is_empty()));
                operations.push(Operation {
                    id,
                    method_name,
                    builder_name,
                    error_name,
                    http_method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    doc: doc_text,
                    deprecated: op.deprecated,
                    params,
                    body,
                    success,
                    errors,
                    pagination,
                    failure,
                    anonymous,
                });
            }
        }
        operations
    }

    fn params(
        &mut self,
        shared: &[ReferenceOr<Parameter>],
        own: &[ReferenceOr<Parameter>],
        path: &str,
        hint: &str,
        pointer: &str,
    ) -> Vec<Param> {
        // Operation parameters override path-item ones with the same name and location.
        let mut merged: IndexMap<(String, &'static str), (Parameter, String)> = IndexMap::new();
        let path_item_pointer = pointer.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
        for (list, base) in [(shared, pointer_push(&path_item_pointer, "parameters")), (own, pointer_push(pointer, "parameters"))] {
            for (index, param) in list.iter().enumerate() {
                let param_pointer = pointer_push(&base, &index.to_string());
                let Some(param) = self.resolve_parameter(param, &param_pointer) else { continue };
                let location = match &param {
                    Parameter::Path { .. } => "path",
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Cookie { .. } => "cookie",
                };
                merged.insert((param.parameter_data_ref().name.clone(), location), (param, param_pointer));
            }
        }
        let mut names = Namespace::with_reserved(BUILDER_RESERVED);
        let mut lowered = Vec::new();
        // Path parameters first, in template order, so they become the leading arguments.
        let mut entries: Vec<_> = merged.into_values().collect();
        entries.sort_by_key(|(p, _)| match p {
            Parameter::Path { parameter_data, .. } => path.find(&format!("{{{}}}", parameter_data.name)).unwrap_or(0),
            _ => usize::MAX,
        });
        for (param, param_pointer) in entries {
            let (location, style) = match &param {
                Parameter::Path { .. } => (ParamLocation::Path, QueryStyle::FormExploded),
                Parameter::Query { style, parameter_data, .. } => {
                    let explode = parameter_data.explode.unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
                    let style = match style {
                        openapiv3::QueryStyle::Form if explode => QueryStyle::FormExploded,
                        openapiv3::QueryStyle::Form => QueryStyle::Comma,
                        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::Space,
                        openapiv3::QueryStyle::PipeDelimited => QueryStyle::Pipe,
                        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                    };
                    (ParamLocation::Query, style)
                }
                Parameter::Header { .. } => (ParamLocation::Header, QueryStyle::FormExploded),
                Parameter::Cookie { .. } => (ParamLocation::Cookie, QueryStyle::FormExploded),
            };
            let data = param.parameter_data_ref();
            let rust_name = names.claim(&naming::field_name(&data.name));
            let type_hint = format!("{hint} {}", data.name);
            let (ty, constraints) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let schema_ref = SchemaRef::from(schema);
                    let ty = self.type_of(schema_ref, &type_hint, &pointer_push(&param_pointer, "schema"));
                    (ty, self.constraints(schema_ref))
                }
                ParameterSchemaOrContent::Content(content) => {
                    let schema = content.values().next().and_then(|m| m.schema.as_ref());
                    match schema {
                        Some(schema) => (
                            self.type_of(SchemaRef::from(schema), &type_hint, &pointer_push(&param_pointer, "content")),
                            Constraints::default(),
                        ),
                        None => (TypeRef::String, Constraints::default()),
                    }
                }
            };
            let required = data.required || location == ParamLocation::Path;
            lowered.push(Param {
                rust_name,
                wire_name: data.name.clone(),
                location,
                ty,
                required,
                doc: data.description.clone(),
                constraints,
                style,
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        lowered
    }

    fn resolve_parameter(&mut self, param: &ReferenceOr<Parameter>, pointer: &str) -> Option<Parameter> {
        let mut current = param;
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(p) => return Some(p.clone()),
                ReferenceOr::Reference { reference } => {
                    let found = reference
                        .strip_prefix("#/components/parameters/")
                        .and_then(|name| self.doc.components.as_ref()?.parameters.get(&unescape(name)));
                    match found {
                        Some(next) => current = next,
                        None => {
                            self.error(pointer, format!("parameter `$ref: {reference}` does not resolve"));
                            return None;
                        }
                    }
                }
            }
        }
        self.error(pointer, "parameter `$ref`s form a cycle");
        None
    }

    fn constraints(&self, schema: SchemaRef<'_>) -> Constraints {
        let schema = match schema {
            SchemaRef::Item(s) => s,
            SchemaRef::Ref(r) => match self.component_schema(r) {
                Some(s) => s,
                None => return Constraints::default(),
            },
        };
        let mut c = Constraints::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::Integer(i)) => {
                c.minimum = i.minimum.map(|m| (m as f64, i.exclusive_minimum));
                c.maximum = i.maximum.map(|m| (m as f64, i.exclusive_maximum));
            }
            SchemaKind::Type(Type::Number(n)) => {
                c.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
                c.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
            }
            SchemaKind::Type(Type::String(s)) => {
                c.min_length = s.min_length;
                c.max_length = s.max_length;
                c.pattern = s.pattern.clone().filter(|p| regex::Regex::new(p).is_ok());
            }
            SchemaKind::Type(Type::Array(a)) => {
                c.min_items = a.min_items;
                c.max_items = a.max_items;
            }
            _ => {}
        }
        c
    }

    fn request_body(&mut self, body: &ReferenceOr<OaRequestBody>, hint: &str, pointer: &str) -> Option<RequestBody> {
        let body_pointer = pointer_push(pointer, "requestBody");
        let body = match body {
            ReferenceOr::Item(b) => b.clone(),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|name| self.doc.components.as_ref()?.request_bodies.get(&unescape(name)));
                match found {
                    Some(ReferenceOr::Item(b)) => b.clone(),
                    _ => {
                        self.error(&body_pointer, format!("request body `$ref: {reference}` does not resolve"));
                        return None;
                    }
                }
            }
        };
        let (content_type, media) = pick_media(&body.content)?;
        let kind = body_kind(content_type);
        let media_pointer = pointer_push(&pointer_push(&body_pointer, "content"), content_type);
        let mut kind = kind;
        let ty = match (kind, &media.schema) {
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, Some(schema)) => {
                self.type_of(SchemaRef::from(schema), &format!("{hint} Body"), &pointer_push(&media_pointer, "schema"))
            }
            (BodyKind::Json | BodyKind::Form | BodyKind::Multipart, None) => TypeRef::Json,
            (BodyKind::Text, _) => TypeRef::String,
            (BodyKind::Bytes, _) => TypeRef::Bytes,
        };
        // A "JSON" body whose schema is a binary string is sent as it is.
        if kind == BodyKind::Json && ty == TypeRef::Bytes {
            kind = BodyKind::Bytes;
        }
        let deep_object = if matches!(kind, BodyKind::Form | BodyKind::Multipart) {
            media
                .encoding
                .iter()
                .filter(|(_, e)| e.style == Some(openapiv3::QueryStyle::DeepObject))
                .map(|(name, _)| name.clone())
                .collect()
        } else {
            Vec::new()
        };
        Some(RequestBody {
            ty,
            kind,
            content_type: content_type.to_owned(),
            required: body.required,
            doc: body.description.clone(),
            deep_object,
        })
    }

    fn resolve_response(&mut self, response: &ReferenceOr<Response>, pointer: &str) -> Option<Response> {
        match response {
            ReferenceOr::Item(r) => Some(r.clone()),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| self.doc.components.as_ref()?.responses.get(&unescape(name)));
                match found {
                    Some(ReferenceOr::Item(r)) => Some(r.clone()),
                    _ => {
                        self.error(pointer, format!("response `$ref: {reference}` does not resolve"));
                        None
                    }
                }
            }
        }
    }

    fn success(
        &mut self,
        responses: &openapiv3::Responses,
        hint: &str,
        pointer: &str,
    ) -> (SuccessBody, Option<(String, Response)>) {
        let responses_pointer = pointer_push(pointer, "responses");
        let mut success: Vec<(String, &ReferenceOr<Response>)> = responses
            .responses
            .iter()
            .filter(|(code, _)| match code {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            })
            .map(|(code, r)| (code.to_string(), r))
            .collect();
        if success.is_empty() {
            if let Some(default) = &responses.default {
                success.push(("default".to_owned(), default));
            }
        }
        let Some((code, response)) = success.into_iter().next() else {
            return (SuccessBody::Empty, None);
        };
        let response_pointer = pointer_push(&responses_pointer, &code);
        let Some(response) = self.resolve_response(response, &response_pointer) else {
            return (SuccessBody::Empty, None);
        };
        let body = match pick_media(&response.content) {
            None => SuccessBody::Empty,
            Some((content_type, media)) => match body_kind(content_type) {
                BodyKind::Json | BodyKind::Form => match &media.schema {
                    Some(schema) => match self.type_of(
                        SchemaRef::from(schema),
                        &format!("{hint} Response"),
                        &pointer_push(&pointer_push(&pointer_push(&response_pointer, "content"), content_type), "schema"),
                    ) {
                        // A binary string is a download, whatever the media type says.
                        TypeRef::Bytes => SuccessBody::Bytes,
                        ty => SuccessBody::Json(ty),
                    },
                    None => SuccessBody::Json(TypeRef::Json),
                },
                BodyKind::Text => SuccessBody::Text,
                BodyKind::Bytes | BodyKind::Multipart => SuccessBody::Bytes,
            },
        };
        (body, Some((code, response)))
    }

    fn errors(&mut self, responses: &openapiv3::Responses, hint: &str, pointer: &str) -> Vec<ErrorResponse> {
        let responses_pointer = pointer_push(pointer, "responses");
        let has_success = responses.responses.keys().any(|code| match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        });
        let mut entries: Vec<(StatusMatch, String, &ReferenceOr<Response>)> = Vec::new();
        for (code, response) in &responses.responses {
            let status = match code {
                StatusCode::Code(c) if (200..300).contains(c) || *c < 100 => continue,
                StatusCode::Code(c) => StatusMatch::Code(*c),
                StatusCode::Range(2) => continue,
                StatusCode::Range(r) => StatusMatch::Range(*r),
            };
            entries.push((status, code.to_string(), response));
        }
        if has_success {
            if let Some(default) = &responses.default {
                entries.push((StatusMatch::Default, "default".to_owned(), default));
            }
        }
        let mut names = Namespace::new();
        let mut errors = Vec::new();
        for (status, code, response) in entries {
            let variant = names.claim(&naming::status_variant(&code));
            let response_pointer = pointer_push(&responses_pointer, &code);
            let Some(response) = self.resolve_response(response, &response_pointer) else { continue };
            let body = pick_media(&response.content).map(|(content_type, media)| match body_kind(content_type) {
                BodyKind::Json | BodyKind::Form => ErrorBodyKind::Json(match &media.schema {
                    Some(schema) => self.type_of(
                        SchemaRef::from(schema),
                        &format!("{hint} {variant} Body"),
                        &pointer_push(&pointer_push(&pointer_push(&response_pointer, "content"), content_type), "schema"),
                    ),
                    None => TypeRef::Json,
                }),
                BodyKind::Text | BodyKind::Bytes | BodyKind::Multipart => ErrorBodyKind::Text,
            });
            let doc = Some(response.description.clone()).filter(|d| !d.trim().is_empty());
            errors.push(ErrorResponse { status, variant, body, doc });
        }
        errors
    }

    fn pagination(&mut self, ext: &Value, success: &SuccessBody, pointer: &str) -> Option<Pagination> {
        let SuccessBody::Json(page_type) = success else {
            self.error(pointer, "`x-pagination` needs a JSON success response");
            return None;
        };
        let get = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_owned);
        let Some(style_name) = get("style") else {
            self.error(pointer, "`x-pagination` needs `style` (page-number, marker, page-token or link-header)");
            return None;
        };
        let param = |key: &str, this: &mut Self| -> Option<String> {
            let value = get(key);
            if value.is_none() {
                this.error(pointer, format!("`x-pagination` with style `{style_name}` needs `{key}`"));
            }
            value
        };
        let style = match style_name.as_str() {
            "page-number" => PaginationStyle::PageNumber { param: param("page-param", self)? },
            "marker" => PaginationStyle::Marker { param: param("marker-param", self)? },
            "page-token" => PaginationStyle::PageToken { param: param("token-param", self)? },
            "link-header" => PaginationStyle::LinkHeader,
            other => {
                self.error(pointer, format!("unknown `x-pagination` style `{other}`"));
                return None;
            }
        };
        let Some(items_path) = get("items") else {
            self.error(pointer, "`x-pagination` needs `items`, the dotted path to the array of items");
            return None;
        };
        let items = self.field_path(page_type, &items_path, &pointer_push(pointer, "items"))?;
        let item_type = match items.steps.last().map(|s| &s.ty) {
            Some(TypeRef::Vec(inner)) => (**inner).clone(),
            _ => {
                self.error(&pointer_push(pointer, "items"), format!("`{items_path}` is not an array"));
                return None;
            }
        };
        let next = match get("next") {
            Some(path) => {
                let next = self.field_path(page_type, &path, &pointer_push(pointer, "next"))?;
                if !matches!(next.steps.last().map(|s| &s.ty), Some(TypeRef::String)) {
                    self.error(&pointer_push(pointer, "next"), format!("`{path}` must be a string"));
                    return None;
                }
                Some(next)
            }
            None if !matches!(style, PaginationStyle::LinkHeader | PaginationStyle::Marker { .. }) => {
                self.error(pointer, format!("`x-pagination` with style `{style_name}` needs `next`"));
                return None;
            }
            None => None,
        };
        let item_id = match get("item-id") {
            Some(path) => {
                let id = self.field_path(&item_type, &path, &pointer_push(pointer, "item-id"))?;
                let scalar = matches!(
                    id.steps.last().map(|s| &s.ty),
                    Some(TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::U64 | TypeRef::I64String | TypeRef::Uuid)
                );
                if !scalar {
                    self.error(&pointer_push(pointer, "item-id"), format!("`{path}` must be a string, integer or uuid"));
                    return None;
                }
                Some(id)
            }
            None => None,
        };
        if matches!(style, PaginationStyle::Marker { .. }) && next.is_none() && item_id.is_none() {
            self.error(pointer, "`x-pagination` with style `marker` needs `next` or `item-id`");
            return None;
        }
        Some(Pagination { style, items, next, item_id, item_type })
    }

    fn failure_check(&mut self, ext: &Value, success: &SuccessBody, pointer: &str) -> Option<FailureCheck> {
        let SuccessBody::Json(ty) = success else {
            self.error(pointer, "`x-error-when` needs a JSON response");
            return None;
        };
        let Some(property) = ext.get("property").and_then(Value::as_str) else {
            self.error(pointer, "`x-error-when` needs `property`");
            return None;
        };
        let values: Vec<String> = match ext.get("equals") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        if values.is_empty() {
            self.error(pointer, "`x-error-when` needs `equals`: a string or a list of strings");
            return None;
        }
        let field = self.field_path(ty, property, &pointer_push(pointer, "property"))?.steps.pop()?;
        let field_is_text = match &field.ty {
            TypeRef::String => true,
            TypeRef::Named(id) => matches!(self.types.space[id.0].as_ref().map(|d| &d.kind), Some(TypeKind::Enum(_))),
            _ => false,
        };
        if !field_is_text {
            self.error(&pointer_push(pointer, "property"), format!("`{property}` must be a string or a string enum"));
            return None;
        }
        let message = match ext.get("message").and_then(Value::as_str) {
            Some(m) => {
                let step = self.field_path(ty, m, &pointer_push(pointer, "message"))?.steps.pop()?;
                if step.ty != TypeRef::String {
                    self.error(&pointer_push(pointer, "message"), format!("`{m}` must be a string"));
                    return None;
                }
                Some(step)
            }
            None => None,
        };
        Some(FailureCheck { field, values, message })
    }

    /// Follows a dotted path of wire names through struct fields.
    fn field_path(&mut self, root: &TypeRef, dotted: &str, pointer: &str) -> Option<FieldPath> {
        let mut steps = Vec::new();
        let mut current = root.clone();
        for segment in dotted.split('.') {
            let fields = loop {
                match &current {
                    TypeRef::Named(id) => match self.types.space[id.0].as_ref().map(|d| &d.kind) {
                        Some(TypeKind::Struct(s)) => break Some(s.fields.clone()),
                        Some(TypeKind::Alias(target)) => current = target.clone(),
                        _ => break None,
                    },
                    _ => break None,
                }
            };
            let Some(field) = fields.and_then(|fields| fields.into_iter().find(|f| f.wire_name == segment)) else {
                self.error(pointer, format!("`{dotted}`: the response has no property `{segment}` there"));
                return None;
            };
            current = field.ty.clone();
            steps.push(FieldStep { presence: field.presence(), rust_name: field.rust_name, ty: field.ty });
        }
        Some(FieldPath { steps })
    }
}

fn unescape(name: &str) -> String {
    name.replace("~1", "/").replace("~0", "~")
}

/// The media type to use: JSON first, then form, then multipart, then whatever comes first.
fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    let prefer = [BodyKind::Json, BodyKind::Form, BodyKind::Multipart];
    prefer
        .iter()
        .find_map(|kind| content.iter().find(|(ct, _)| body_kind(ct) == *kind))
        .or_else(|| content.iter().next())
        .map(|(ct, media)| (ct.as_str(), media))
}

fn body_kind(content_type: &str) -> BodyKind {
    let ct = content_type.split(';').next().unwrap_or(content_type).trim().to_ascii_lowercase();
    if ct == "application/json" || ct.ends_with("+json") || ct == "*/*" || ct == "text/json" {
        BodyKind::Json
    } else if ct == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if ct == "multipart/form-data" || ct == "multipart/mixed" {
        BodyKind::Multipart
    } else if ct.starts_with("text/") || ct == "application/xml" || ct.ends_with("+xml") {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    }
}

fn join_docs(summary: Option<&str>, description: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [summary, description].into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    if parts.is_empty() {
        None
    } else if parts.len() == 2 && parts[0] == parts[1] {
        Some(parts[0].to_owned())
    } else {
        Some(parts.join("\n\n"))
    }
}
