//! Paths and operations → [`Operation`]s, with their parameters, bodies, responses and extensions.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody as OaRequestBody, Response, Schema,
    SchemaKind, StatusCode, Type,
};
use serde_json::Value;

use super::resolve::ReferenceOrExt;
use super::{Lowerer, SchemaRef};
use crate::error::pointer_push;
use crate::ir::naming::{self, Namespace};
use crate::ir::{
    BodyKind, Constraints, ErrorBodyKind, ErrorResponse, FailureCheck, FieldPath, FieldStep, HttpMethod, Operation,
    Param, ParamLocation, ParamStyle, ParamText, PathTemplate, RequestBody, StatusMatch, SuccessBody, TypeDef,
    TypeKind, TypeRef, UnionDef, UnionVariant, VariantShape,
};

/// Names a request builder may not use for its parameter setters.
const BUILDER_RESERVED: &[&str] =
    &["send", "send_with_response", "with_options", "pages", "items", "paginate", "client", "body", "build_request"];
/// Names the generated `Client` already has.
pub(crate) const CLIENT_RESERVED: &[&str] = &["builder", "new", "from_runtime", "runtime", "base_url", "inner"];

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
            let template = match PathTemplate::parse(path) {
                Ok(template) => template,
                Err(problem) => {
                    self.warn(
                        &path_pointer,
                        format!("the path template is malformed ({problem}); it is sent as written"),
                    );
                    PathTemplate::literal(path)
                }
            };
            for (method, op) in item.iter() {
                let pointer = pointer_push(&path_pointer, method);
                let Some(http_method) = HttpMethod::from_key(method) else {
                    self.warn(&pointer, format!("`{method}` is not an HTTP method of OpenAPI 3.0; skipped"));
                    continue;
                };
                let id = op.operation_id.clone().unwrap_or_else(|| naming::operation_id(method, path));
                let method_name = method_names.claim(&naming::method_name(&id));
                let builder_name = item_names.claim(&naming::type_name(&id));
                let error_name = item_names.claim(&naming::suffixed(&builder_name, "Error"));
                let type_hint = builder_name.clone();
                let params = self.params(&item.parameters, &op.parameters, &template, &type_hint, &pointer);
                let body = op.request_body.as_ref().and_then(|b| self.request_body(b, &type_hint, &pointer));
                let (success, success_pointer, events) = self.success(&op.responses, &type_hint, &pointer);
                let errors = self.errors(&op.responses, &type_hint, &pointer);
                let (pagination, paging_origin) = self.paging(
                    op.extensions.get("x-pagination"),
                    op.extensions.get("x-ms-pageable"),
                    http_method,
                    &params,
                    &success,
                    success_pointer.as_ref().map(|(_, response)| response),
                    path,
                    &pointer,
                );
                let failure = success_pointer.and_then(|(code, response)| {
                    let ext = response.extensions.get("x-error-when")?;
                    let ext_pointer =
                        pointer_push(&pointer_push(&pointer_push(&pointer, "responses"), &code), "x-error-when");
                    self.failure_check(ext, &success, &ext_pointer)
                });
                let doc_text = join_docs(op.summary.as_deref(), op.description.as_deref());
                // The operation's `security` overrides the document's; an empty list or only `{}` means public.
                let anonymous = op
                    .security
                    .as_ref()
                    .or(doc.security.as_ref())
                    .is_some_and(|requirements| requirements.iter().all(|r| r.is_empty()));
                let tags = naming::operation_tags(op.tags.clone(), path);
                operations.push(Operation {
                    id,
                    call: method_name.clone(),
                    doc_path: format!("Client::{method_name}"),
                    method_name,
                    tags,
                    group: None,
                    builder_name,
                    error_name,
                    error_enum: None,
                    http_method,
                    path: template.clone(),
                    doc: doc_text,
                    deprecated: op.deprecated,
                    params,
                    body,
                    success,
                    events,
                    errors,
                    pagination,
                    paging_origin,
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
        template: &PathTemplate,
        hint: &str,
        pointer: &str,
    ) -> Vec<Param> {
        let path = template.text.as_str();
        // Operation parameters override path-item ones with the same name and location.
        let mut merged: IndexMap<(String, &'static str), (Parameter, String)> = IndexMap::new();
        let path_item_pointer = pointer.rsplit_once('/').map(|(p, _)| p.to_owned()).unwrap_or_default();
        for (list, base) in
            [(shared, pointer_push(&path_item_pointer, "parameters")), (own, pointer_push(pointer, "parameters"))]
        {
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
            // OpenAPI 3.0.3 §4.7.12.2: `explode` defaults to true for `form` and false for every other style.
            let (location, style, allow_reserved) = match &param {
                Parameter::Path { style, .. } => {
                    let style = match style {
                        openapiv3::PathStyle::Simple => ParamStyle::Simple,
                        openapiv3::PathStyle::Label => ParamStyle::Label,
                        openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
                    };
                    (ParamLocation::Path, style, false)
                }
                Parameter::Query { style, allow_reserved, .. } => {
                    let style = match style {
                        openapiv3::QueryStyle::Form => ParamStyle::Form,
                        openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                    };
                    (ParamLocation::Query, style, *allow_reserved)
                }
                Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Simple, false),
                Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form, false),
            };
            if let Some(problem) = header_or_cookie_problem(location, &param.parameter_data_ref().name) {
                self.warn(&param_pointer, problem);
                continue;
            }
            let explode = param.parameter_data_ref().explode.unwrap_or(style == ParamStyle::Form);
            // `content` instead of `schema`: a JSON media type sends the value as JSON text (§4.7.12.1).
            let style = match &param.parameter_data_ref().format {
                ParameterSchemaOrContent::Content(content)
                    if content.keys().next().is_some_and(|media| body_kind(media) == BodyKind::Json) =>
                {
                    ParamStyle::Json
                }
                _ => style,
            };
            let data = param.parameter_data_ref();
            let rust_name = names.claim(&naming::field_name(&data.name));
            let type_hint = format!("{hint} {}", data.name);
            let (ty, constraints, schema_default) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let schema_ref = SchemaRef::from(schema);
                    let ty = self.type_of(schema_ref, &type_hint, &pointer_push(&param_pointer, "schema"));
                    let default = self.schema_of(schema_ref).and_then(|s| s.schema_data.default.clone());
                    (ty, self.constraints(schema_ref), default)
                }
                ParameterSchemaOrContent::Content(content) => {
                    let schema = content.values().next().and_then(|m| m.schema.as_ref());
                    match schema {
                        Some(schema) => (
                            self.type_of(SchemaRef::from(schema), &type_hint, &pointer_push(&param_pointer, "content")),
                            Constraints::default(),
                            None,
                        ),
                        None => (TypeRef::String, Constraints::default(), None),
                    }
                }
            };
            if !matches!(style, ParamStyle::DeepObject | ParamStyle::Json) && !self.flat_enough(&ty) {
                self.warn(
                    &param_pointer,
                    format!(
                        "parameter `{}` holds nested arrays or objects, which its style cannot serialize \
                         (OpenAPI styles cover primitives, arrays of primitives and objects of primitives); \
                         a nested value is rejected before sending. Use `style: deepObject` or `content: \
                         application/json`",
                        data.name
                    ),
                );
            }
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
                explode,
                allow_reserved,
                deprecated: data.deprecated.unwrap_or(false),
                checks: Vec::new(),
                text: ParamText::AsIs,
                takes_into_string: false,
                default: schema_default,
            });
        }
        // A `{name}` of the template that no parameter declares still has to be filled: it becomes a required string.
        for name in template.params() {
            if lowered.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == name) {
                continue;
            }
            self.warn(
                pointer,
                format!("the path has `{{{name}}}` but no path parameter `{name}`; it is taken as a required string"),
            );
            let position = lowered.iter().take_while(|p| p.location == ParamLocation::Path).count();
            lowered.insert(
                position,
                Param {
                    rust_name: names.claim(&naming::field_name(name)),
                    wire_name: name.to_owned(),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    doc: None,
                    constraints: Constraints::default(),
                    style: ParamStyle::Simple,
                    explode: false,
                    allow_reserved: false,
                    deprecated: false,
                    checks: Vec::new(),
                    text: ParamText::AsIs,
                    takes_into_string: false,
                    default: None,
                },
            );
        }
        lowered
    }

    /// Whether a parameter of type `ty` has a style serialization: a primitive, or an array, map or struct of
    /// primitives (types that cannot be told, such as unions and free-form JSON, are given the benefit of the doubt).
    fn flat_enough(&self, ty: &TypeRef) -> bool {
        match self.behind_aliases(ty) {
            TypeRef::Vec(inner) | TypeRef::Map(inner) => self.is_primitive(inner),
            TypeRef::Named(id) => match self.types.space[id.0].as_ref().map(|d| &d.kind) {
                Some(TypeKind::Struct(def)) => {
                    let extra_ok = match &def.additional {
                        Some(extra) => self.is_primitive(&extra.ty),
                        None => true,
                    };
                    extra_ok && def.fields.iter().all(|f| self.is_primitive(&f.ty))
                }
                _ => true,
            },
            _ => true,
        }
    }

    /// A string, number, boolean, timestamp, uuid or string enum (or `Option`/free-form JSON, which may be one).
    fn is_primitive(&self, ty: &TypeRef) -> bool {
        match self.behind_aliases(ty) {
            TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Bytes => false,
            TypeRef::Option(inner) => self.is_primitive(inner),
            TypeRef::Named(id) => {
                !matches!(self.types.space[id.0].as_ref().map(|d| &d.kind), Some(TypeKind::Struct(_)))
            }
            _ => true,
        }
    }

    /// The type behind any aliases (bounded, so an alias cycle, reported elsewhere, cannot hang).
    fn behind_aliases<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        let mut current = ty;
        for _ in 0..64 {
            match current {
                TypeRef::Named(id) => match self.types.space[id.0].as_ref().map(|d| &d.kind) {
                    Some(TypeKind::Alias(target)) => current = target,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    fn resolve_parameter(&mut self, param: &ReferenceOr<Parameter>, pointer: &str) -> Option<Parameter> {
        match param.item(self.doc) {
            Ok(param) => Some(param.clone()),
            Err(problem) => {
                self.error(pointer, problem.to_string());
                None
            }
        }
    }

    /// The schema itself, or the component schema a reference names (`None` when it names none).
    fn schema_of<'s>(&'s self, schema: SchemaRef<'s>) -> Option<&'s Schema> {
        match schema {
            SchemaRef::Item(s) => Some(s),
            SchemaRef::Ref(r) => self.component_schema(r),
        }
    }

    fn constraints(&self, schema: SchemaRef<'_>) -> Constraints {
        let Some(schema) = self.schema_of(schema) else { return Constraints::default() };
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
        let body = match body.item(self.doc) {
            Ok(body) => body.clone(),
            Err(problem) => {
                self.error(&body_pointer, problem.to_string());
                return None;
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
        let part_types = if kind == BodyKind::Multipart {
            media
                .encoding
                .iter()
                .filter_map(|(name, e)| {
                    let first = e.content_type.as_deref()?.split(',').next()?.trim();
                    (!first.is_empty()).then(|| (name.clone(), first.to_owned()))
                })
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
            part_types,
            multipart: None,
            form: None,
        })
    }

    fn resolve_response(&mut self, response: &ReferenceOr<Response>, pointer: &str) -> Option<Response> {
        match response.item(self.doc) {
            Ok(response) => Some(response.clone()),
            Err(problem) => {
                self.error(pointer, problem.to_string());
                None
            }
        }
    }

    fn success(
        &mut self,
        responses: &openapiv3::Responses,
        hint: &str,
        pointer: &str,
    ) -> (SuccessBody, Option<(String, Response)>, Option<TypeRef>) {
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
        // Every documented success status is accepted (OpenAPI 3.0.3 §4.7.16): a status without a body reads as
        // `None` beside one with a body, and bodies of different types read as an untagged union of them.
        let mut first: Option<(String, Response)> = None;
        let mut bodies: Vec<SuccessBody> = Vec::new();
        let mut events = None;
        for (code, response) in success {
            let response_pointer = pointer_push(&responses_pointer, &code);
            let Some(response) = self.resolve_response(response, &response_pointer) else { continue };
            bodies.push(self.success_body(&response, hint, &response_pointer));
            if events.is_none() {
                events = self.event_payload(&response, hint, &response_pointer);
            }
            first.get_or_insert((code, response));
        }
        let Some(first) = first else { return (SuccessBody::Empty, None, None) };
        let any_empty = bodies.iter().any(|b| matches!(b, SuccessBody::Empty));
        let mut json: Vec<TypeRef> = Vec::new();
        for body in &bodies {
            if let SuccessBody::Json(ty) = body {
                if !json.contains(ty) {
                    json.push(ty.clone());
                }
            }
        }
        let primary = bodies.iter().find(|b| !matches!(b, SuccessBody::Empty)).cloned().unwrap_or(SuccessBody::Empty);
        let body = match primary {
            SuccessBody::Json(_) => {
                let ty =
                    if json.len() == 1 { json.remove(0) } else { self.success_union(json, hint, &responses_pointer) };
                // `Json` takes `null` (what an empty body decodes as) already.
                if any_empty && ty != TypeRef::Json {
                    SuccessBody::Json(TypeRef::Option(Box::new(ty)))
                } else {
                    SuccessBody::Json(ty)
                }
            }
            other => other,
        };
        (body, Some(first), events)
    }

    /// The type of each event's `data` when `response` offers `text/event-stream` with a schema for it: an object,
    /// union or other JSON the runtime can decode each event as. A bare string schema says nothing beyond the
    /// text, which `send()` already returns.
    fn event_payload(&mut self, response: &Response, hint: &str, response_pointer: &str) -> Option<TypeRef> {
        let (content_type, media) =
            response.content.iter().find(|(ct, _)| media_type_essence(ct) == "text/event-stream")?;
        let schema = media.schema.as_ref()?;
        let pointer = pointer_push(&pointer_push(&pointer_push(response_pointer, "content"), content_type), "schema");
        match self.type_of(SchemaRef::from(schema), &format!("{hint} Event"), &pointer) {
            TypeRef::String | TypeRef::Bytes => None,
            ty => Some(ty),
        }
    }

    /// What one success response carries.
    fn success_body(&mut self, response: &Response, hint: &str, response_pointer: &str) -> SuccessBody {
        match pick_media(&response.content) {
            None => SuccessBody::Empty,
            Some((content_type, media)) => match body_kind(content_type) {
                BodyKind::Json | BodyKind::Form => match &media.schema {
                    Some(schema) => match self.type_of(
                        SchemaRef::from(schema),
                        &format!("{hint} Response"),
                        &pointer_push(
                            &pointer_push(&pointer_push(response_pointer, "content"), content_type),
                            "schema",
                        ),
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
        }
    }

    /// An untagged union of the JSON bodies of several success statuses, tried in the order they are documented.
    fn success_union(&mut self, types: Vec<TypeRef>, hint: &str, pointer: &str) -> TypeRef {
        let mut names = naming::Namespace::new();
        let variants = types
            .into_iter()
            .map(|ty| {
                let raw = match &ty {
                    TypeRef::Named(id) => self.types.name_of(*id).to_owned(),
                    other => super::types::primitive_variant_name(other).to_owned(),
                };
                UnionVariant {
                    rust_name: names.claim(&naming::variant_name(&raw)),
                    ty,
                    tags: Vec::new(),
                    shape: VariantShape::Whole,
                    doc: None,
                }
            })
            .collect();
        let (id, name) = self.types.reserve(&format!("{hint} Success"));
        self.types.space[id.0] = Some(TypeDef {
            name,
            doc: Some("The body of any of the operation's success statuses.".to_owned()),
            origin: format!("#{pointer}"),
            kind: TypeKind::Union(UnionDef { variants, discriminator: None, fallback: None }),
            derives: Vec::new(),
            attributes: Vec::new(),
        });
        TypeRef::Named(id)
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
                        &pointer_push(
                            &pointer_push(&pointer_push(&response_pointer, "content"), content_type),
                            "schema",
                        ),
                    ),
                    None => TypeRef::Json,
                }),
                BodyKind::Text | BodyKind::Bytes | BodyKind::Multipart => ErrorBodyKind::Text,
            });
            let doc = Some(response.description.clone()).filter(|d| !d.trim().is_empty());
            errors.push(ErrorResponse { status, variant, body, doc });
        }
        // Matching order: a single status before the range that holds it, `default` last.
        errors.sort_by_key(|e| match e.status {
            StatusMatch::Code(_) => 0,
            StatusMatch::Range(_) => 1,
            StatusMatch::Default => 2,
        });
        errors
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
        let property = property.to_owned();
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
                Some(m.to_owned())
            }
            None => None,
        };
        Some(FailureCheck { property, values, message })
    }

    /// Follows a dotted path of wire names through struct fields.
    ///
    /// A property whose name holds dots (OData's `@odata.nextLink`) is matched whole: at each level the longest run
    /// of segments that names a property is taken.
    pub(super) fn field_path(&mut self, root: &TypeRef, dotted: &str, pointer: &str) -> Option<FieldPath> {
        let segments: Vec<&str> = dotted.split('.').collect();
        let mut steps = Vec::new();
        let mut current = root.clone();
        let mut at = 0;
        while at < segments.len() {
            let fields = match self.through_aliases(&current) {
                TypeRef::Named(id) => match self.types.space[id.0].as_ref().map(|d| &d.kind) {
                    Some(TypeKind::Struct(s)) => s.fields.clone(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let found = (at + 1..=segments.len()).rev().find_map(|end| {
                let name = segments[at..end].join(".");
                Some((end, fields.iter().find(|f| f.wire_name == name)?.clone()))
            });
            let Some((end, field)) = found else {
                let mut there: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
                there.sort_unstable();
                let there = if there.is_empty() { "none".to_owned() } else { there.join(", ") };
                self.error(
                    pointer,
                    format!(
                        "`{dotted}`: the response has no property `{}` there (its properties: {there})",
                        segments[at]
                    ),
                );
                return None;
            };
            at = end;
            current = field.ty.clone();
            steps.push(FieldStep { presence: field.presence(), rust_name: field.rust_name, ty: field.ty });
        }
        Some(FieldPath { steps, wire: dotted.to_owned() })
    }
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

/// The media type without parameters, lowercase (`Text/Event-Stream; charset=utf-8` → `text/event-stream`).
fn media_type_essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or(content_type).trim().to_ascii_lowercase()
}

fn body_kind(content_type: &str) -> BodyKind {
    let ct = media_type_essence(content_type);
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
    let parts: Vec<&str> =
        [summary, description].into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    if parts.is_empty() {
        None
    } else if parts.len() == 2 && parts[0] == parts[1] {
        Some(parts[0].to_owned())
    } else {
        Some(parts.join("\n\n"))
    }
}

/// Why a header or cookie parameter is left out, if it is: OpenAPI ignores header parameters named `Accept`,
/// `Content-Type` and `Authorization` (OpenAPI 3.0.3 §4.7.12.1; the client sets them), and a name that is not an HTTP
/// token (RFC 9110 §5.6.2, RFC 6265 §4.1.1) cannot be sent.
fn header_or_cookie_problem(location: ParamLocation, name: &str) -> Option<String> {
    let what = match location {
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Path | ParamLocation::Query => return None,
    };
    if location == ParamLocation::Header
        && ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
    {
        return Some(format!(
            "header parameter `{name}` is ignored, as OpenAPI says for `Accept`, `Content-Type` and `Authorization` \
             (the media types and security schemes decide them)"
        ));
    }
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(tchar) {
        return Some(format!(
            "{what} parameter {name:?} is left out: its name is not an HTTP token (letters, digits and \
             !#$%&'*+-.^_`|~, RFC 9110 §5.6.2)"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// (wire name, location, style, explode, allowReserved) of every parameter of the first operation.
    type Row = (String, ParamLocation, ParamStyle, bool, bool);

    fn params_of(name: &str, text: &str) -> Vec<Row> {
        let file = Path::new(name);
        let loaded = crate::load::load_str(file, text).expect("loads");
        let (mut document, _) = crate::load::upgrade(file, loaded.version, loaded.document);
        let document = crate::load::typed::parse_openapi(file, &mut document).0.expect("parses");
        let (api, diagnostics) = super::super::lower(&document, file, &crate::Options::default()).unwrap();
        assert!(diagnostics.iter().all(|d| d.severity != crate::error::Severity::Error), "{diagnostics:?}");
        api.operations[0]
            .params
            .iter()
            .map(|p| (p.wire_name.clone(), p.location, p.style, p.explode, p.allow_reserved))
            .collect()
    }

    fn row(name: &str, location: ParamLocation, style: ParamStyle, explode: bool, allow_reserved: bool) -> Row {
        (name.to_owned(), location, style, explode, allow_reserved)
    }

    const OAS3_PARAMS: &str = r#"
      parameters:
        - {name: p, in: path, required: true, schema: {type: array, items: {type: string}}}
        - {name: l, in: path, required: true, style: label, schema: {type: array, items: {type: string}}}
        - {name: m, in: path, required: true, style: matrix, explode: true, schema: {type: object}}
        - {name: q, in: query, schema: {type: array, items: {type: string}}}
        - {name: qc, in: query, explode: false, allowReserved: true, schema: {type: string}}
        - {name: s, in: query, style: spaceDelimited, schema: {type: array, items: {type: string}}}
        - {name: pd, in: query, style: pipeDelimited, explode: true, schema: {type: array, items: {type: string}}}
        - {name: d, in: query, style: deepObject, explode: true, schema: {type: object}}
        - {name: j, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: t, in: query, content: {text/plain: {schema: {type: string}}}}
        - {name: H, in: header, schema: {type: array, items: {type: string}}}
        - {name: Hx, in: header, explode: true, schema: {type: object}}
        - {name: c, in: cookie, schema: {type: array, items: {type: string}}}
        - {name: cn, in: cookie, explode: false, schema: {type: object}}
      responses: {'204': {description: ok}}
"#;

    fn expected_oas3() -> Vec<Row> {
        use ParamLocation::*;
        use ParamStyle::*;
        vec![
            row("p", Path, Simple, false, false),
            row("l", Path, Label, false, false),
            row("m", Path, Matrix, true, false),
            row("q", Query, Form, true, false),
            row("qc", Query, Form, false, true),
            row("s", Query, SpaceDelimited, false, false),
            row("pd", Query, PipeDelimited, true, false),
            row("d", Query, DeepObject, true, false),
            row("j", Query, Json, true, false),
            row("t", Query, Form, true, false),
            row("H", Header, Simple, false, false),
            row("Hx", Header, Simple, true, false),
            row("c", Cookie, Form, true, false),
            row("cn", Cookie, Form, false, false),
        ]
    }

    #[test]
    fn openapi_3_0_styles_and_explode_defaults() {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a/{{p}}/{{l}}/{{m}}:\n    get:{OAS3_PARAMS}"
        );
        assert_eq!(params_of("a.yaml", &text), expected_oas3());
    }

    #[test]
    fn openapi_3_1_styles_and_explode_defaults() {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /a/{{p}}/{{l}}/{{m}}:\n    get:{OAS3_PARAMS}"
        );
        assert_eq!(params_of("a.yaml", &text), expected_oas3());
    }

    #[test]
    fn header_and_cookie_names_that_cannot_be_sent_are_left_out() {
        assert_eq!(header_or_cookie_problem(ParamLocation::Header, "X-Request-Id"), None);
        assert_eq!(header_or_cookie_problem(ParamLocation::Cookie, "session_id"), None);
        assert_eq!(header_or_cookie_problem(ParamLocation::Query, ""), None, "queries take any name");
        for (location, name) in [
            (ParamLocation::Header, ""),
            (ParamLocation::Header, "two words"),
            (ParamLocation::Header, "Authorization"),
            (ParamLocation::Header, "content-type"),
            (ParamLocation::Cookie, "a;b"),
            (ParamLocation::Cookie, "é"),
        ] {
            assert!(header_or_cookie_problem(location, name).is_some(), "{location:?} {name:?}");
        }
    }

    #[test]
    fn nested_parameter_values_are_warned_about_unless_deep_object_or_json() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {name: grid, in: query, schema: {type: array, items: {type: array, items: {type: integer}}}}
        - {name: box, in: header, schema: {type: object, properties: {size: {type: object, properties: {w: {type: integer}}}}}}
        - {name: deep, in: query, style: deepObject, schema: {type: object, properties: {size: {type: object}}}}
        - {name: json, in: query, content: {application/json: {schema: {type: array, items: {type: array, items: {type: string}}}}}}
        - {name: flat, in: query, schema: {type: object, properties: {w: {type: integer}, tag: {type: string, enum: [a]}}}}
      responses: {"204": {description: ok}}
"#;
        let file = Path::new("a.yaml");
        let mut loaded = crate::load::load_str(file, text).unwrap();
        let document = crate::load::typed::parse_openapi(file, &mut loaded.document).0.unwrap();
        let (_, diagnostics) = super::super::lower(&document, file, &crate::Options::default()).unwrap();
        let warned: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(warned, ["/paths/~1a/get/parameters/0", "/paths/~1a/get/parameters/1"], "{diagnostics:?}");
        assert!(diagnostics.iter().all(|d| d.severity == crate::error::Severity::Warning));
        assert!(diagnostics[0].message.contains("`grid`") && diagnostics[0].message.contains("deepObject"));
    }

    #[test]
    fn swagger_2_collection_formats_become_styles() {
        let text = r#"
swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /a/{p}:
    get:
      parameters:
        - {name: p, in: path, required: true, type: array, items: {type: string}}
        - {name: multi, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: csv, in: query, type: array, items: {type: string}}
        - {name: ssv, in: query, type: array, items: {type: string}, collectionFormat: ssv}
        - {name: pipes, in: query, type: array, items: {type: string}, collectionFormat: pipes}
        - {name: one, in: query, type: string}
        - {name: H, in: header, type: array, items: {type: integer}}
      responses: {"204": {description: ok}}
"#;
        use ParamLocation::*;
        use ParamStyle::*;
        assert_eq!(
            params_of("a.yaml", text),
            vec![
                row("p", Path, Simple, false, false),
                row("multi", Query, Form, true, false),
                row("csv", Query, Form, false, false),
                row("ssv", Query, SpaceDelimited, false, false),
                row("pipes", Query, PipeDelimited, false, false),
                row("one", Query, Form, true, false),
                row("H", Header, Simple, false, false),
            ]
        );
    }
}
