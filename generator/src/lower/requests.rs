//! The last lowering pass, run once every type is known: how each operation's request is written (the checks of each
//! parameter, how its value reaches the serializer, what its setter takes) and which operations share an error enum.
//! Emitters print these decisions as they are.
//!
//! Where to add a parameter style: [`crate::ir::ParamStyle`], its lowering in `operations.rs`, and the runtime's
//! `param` module; nothing here or in `emit/` changes.

use std::collections::HashMap;

use crate::ir::{
    BodyKind, Check, ErrorEnum, ErrorResponse, FormLayout, MultipartLayout, MultipartPart, Operation, Param, ParamText,
    PartWrite, RequestBody, TypeKind, TypeRef, TypeSpace,
};

/// Fills in the decisions of every operation and returns the error enums they use.
pub(super) fn decide(operations: &mut [Operation], space: &TypeSpace) -> Vec<ErrorEnum> {
    for op in operations.iter_mut() {
        for param in &mut op.params {
            decide_param(param, space);
        }
        if let Some(body) = op.body.as_mut() {
            match body.kind {
                BodyKind::Multipart => body.multipart = Some(multipart_layout(body, space)),
                BodyKind::Form => body.form = Some(form_layout(body, space)),
                _ => {}
            }
        }
    }
    share_error_enums(operations)
}

fn decide_param(param: &mut Param, space: &TypeSpace) {
    let ty = space.behind_aliases(&param.ty);
    param.takes_into_string = *ty == TypeRef::String;
    // chrono's dates serialize as RFC 3339 `full-date` already; `time`'s do not.
    let time = space.date_time == crate::options::DateTimeCrate::Time;
    let as_text = |ty: &TypeRef| matches!(ty, TypeRef::DateTime) || (time && matches!(ty, TypeRef::Date));
    param.text = match ty {
        ty if as_text(ty) => ParamText::Rfc3339,
        TypeRef::Vec(item) if as_text(space.behind_aliases(item)) => ParamText::Rfc3339Items,
        _ => ParamText::AsIs,
    };
    param.checks = checks(param, ty, space);
}

/// The checks of a parameter of type `ty` (aliases resolved), in a fixed order.
fn checks(param: &Param, ty: &TypeRef, space: &TypeSpace) -> Vec<Check> {
    let c = &param.constraints;
    let mut checks = Vec::new();
    let numeric = matches!(
        ty,
        TypeRef::F32
            | TypeRef::F64
            | TypeRef::I8
            | TypeRef::I16
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::U8
            | TypeRef::U16
            | TypeRef::U32
            | TypeRef::U64
            | TypeRef::I64String
    );
    if numeric {
        checks.extend(c.minimum.map(|(min, exclusive)| Check::Minimum(min, exclusive)));
        checks.extend(c.maximum.map(|(max, exclusive)| Check::Maximum(max, exclusive)));
    }
    if *ty == TypeRef::String {
        checks.extend(c.min_length.map(Check::MinLength));
        checks.extend(c.max_length.map(Check::MaxLength));
        checks.extend(c.pattern.clone().map(Check::Pattern));
    }
    if is_string_enum(ty, space) {
        checks.push(Check::Known);
    }
    if let TypeRef::Vec(item) = ty {
        if is_string_enum(space.behind_aliases(item), space) {
            checks.push(Check::KnownItems);
        }
        checks.extend(c.min_items.map(Check::MinItems));
        checks.extend(c.max_items.map(Check::MaxItems));
    }
    checks
}

/// Which properties of a form body are `deepObject`. When the encoding names every property that can hold an object
/// or array (Stripe's bodies, for one), the list is left out: the runtime flattens every structured value.
fn form_layout(body: &RequestBody, space: &TypeSpace) -> FormLayout {
    if body.deep_object.is_empty() {
        return FormLayout::Form;
    }
    let only = FormLayout::DeepObjectOnly(body.deep_object.clone());
    let TypeRef::Named(id) = space.behind_aliases(&body.ty) else { return only };
    let TypeKind::Struct(def) = &space.get(*id).kind else { return only };
    let scalar = |ty: &TypeRef| {
        matches!(
            scalar_write(space.behind_aliases(ty), None, space),
            Some(PartWrite::Text(_) | PartWrite::Rfc3339Text(_))
        )
    };
    let plain_fields_are_scalars =
        def.fields.iter().filter(|field| !body.deep_object.contains(&field.wire_name)).all(|field| scalar(&field.ty));
    let additional_are_scalars = def.additional.as_ref().is_none_or(|extra| scalar(&extra.ty));
    if plain_fields_are_scalars && additional_are_scalars {
        FormLayout::DeepObject
    } else {
        only
    }
}

/// How each property of a multipart body is written: `deepObject` properties as leaves, a declared JSON
/// `contentType` as one JSON part, bytes as files, scalars and timestamps as text, arrays of those one part per
/// item, anything else as JSON.
fn multipart_layout(body: &RequestBody, space: &TypeSpace) -> MultipartLayout {
    let TypeRef::Named(id) = space.behind_aliases(&body.ty) else { return MultipartLayout::Whole };
    let TypeKind::Struct(def) = &space.get(*id).kind else { return MultipartLayout::Whole };
    let parts = def
        .fields
        .iter()
        .map(|field| {
            let wire = &field.wire_name;
            let media = body.part_types.iter().find(|(name, _)| name == wire).map(|(_, media)| media.clone());
            let (write, repeated) = if body.deep_object.contains(wire) {
                (PartWrite::Deep, false)
            } else {
                part_write(space.behind_aliases(&field.ty), media, space)
            };
            MultipartPart {
                field: field.rust_name.clone(),
                wire: wire.clone(),
                presence: field.presence(),
                write,
                repeated,
            }
        })
        .collect();
    MultipartLayout::Properties { parts, additional: def.additional.as_ref().map(|extra| extra.rust_name.clone()) }
}

/// How a value of type `ty` (aliases resolved) is written with the declared `media` type, and whether it is an array
/// written one part per item.
fn part_write(ty: &TypeRef, media: Option<String>, space: &TypeSpace) -> (PartWrite, bool) {
    let json_media = media.as_deref().is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if json_media {
        return (PartWrite::Json(media), false);
    }
    if let TypeRef::Vec(item) = ty {
        let item = space.behind_aliases(item);
        match scalar_write(item, media.clone(), space) {
            Some(write) => return (write, true),
            None => return (PartWrite::Json(media), false),
        }
    }
    (scalar_write(ty, media.clone(), space).unwrap_or(PartWrite::Json(media)), false)
}

/// A file, text or timestamp part for a single value, or `None` when the value is structured (JSON).
fn scalar_write(ty: &TypeRef, media: Option<String>, space: &TypeSpace) -> Option<PartWrite> {
    Some(match ty {
        TypeRef::Bytes => PartWrite::File(media),
        TypeRef::DateTime => PartWrite::Rfc3339Text(media),
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I8
        | TypeRef::I16
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::U8
        | TypeRef::U16
        | TypeRef::U32
        | TypeRef::U64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::I64String
        | TypeRef::Date
        | TypeRef::Uuid => PartWrite::Text(media),
        TypeRef::Named(_) if is_string_enum(ty, space) => PartWrite::Text(media),
        _ => return None,
    })
}

fn is_string_enum(ty: &TypeRef, space: &TypeSpace) -> bool {
    matches!(ty, TypeRef::Named(id) if matches!(space.get(*id).kind, TypeKind::Enum(_)))
}

/// One error enum per distinct list of documented error responses (statuses, variant names, bodies and docs), named
/// after the first operation that has it; the other operations with the same list point at it.
///
/// Sharing keeps a large API's crate small: progenitor-style specs document the same `4XX`/`5XX` responses on every
/// operation, and one enum per operation costs compile time on every build of the user's crate.
fn share_error_enums(operations: &mut [Operation]) -> Vec<ErrorEnum> {
    let mut enums: Vec<ErrorEnum> = Vec::new();
    let mut by_responses: HashMap<Vec<ErrorResponseKey<'_>>, usize> = HashMap::new();
    let keys: Vec<Vec<ErrorResponseKey<'_>>> =
        operations.iter().map(|op| op.errors.iter().map(ErrorResponseKey).collect()).collect();
    let mut assignment = Vec::with_capacity(operations.len());
    for (op, key) in operations.iter().zip(keys) {
        if op.errors.is_empty() {
            assignment.push(None);
            continue;
        }
        let index = *by_responses.entry(key).or_insert_with(|| {
            enums.push(ErrorEnum { name: op.error_name.clone(), methods: Vec::new(), responses: op.errors.clone() });
            enums.len() - 1
        });
        enums[index].methods.push(op.doc_path.clone());
        assignment.push(Some(index));
    }
    for (op, index) in operations.iter_mut().zip(assignment) {
        op.error_enum = index;
    }
    enums
}

/// An [`ErrorResponse`] compared and hashed by everything the enum prints.
#[derive(PartialEq)]
struct ErrorResponseKey<'a>(&'a ErrorResponse);

impl Eq for ErrorResponseKey<'_> {}

impl std::hash::Hash for ErrorResponseKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // The variant and doc tell responses apart well enough; equal keys are then compared in full.
        self.0.variant.hash(state);
        self.0.doc.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        Constraints, EnumDef, EnumVariant, ErrorBodyKind, Field, HttpMethod, ParamLocation, ParamStyle, PathTemplate,
        Presence, StatusMatch, StructDef, SuccessBody, TypeDef, TypeId,
    };

    fn param(ty: TypeRef, constraints: Constraints) -> Param {
        Param {
            rust_name: "p".into(),
            wire_name: "p".into(),
            location: ParamLocation::Query,
            ty,
            required: false,
            doc: None,
            constraints,
            style: ParamStyle::Form,
            explode: true,
            allow_reserved: false,
            deprecated: false,
            checks: Vec::new(),
            text: ParamText::AsIs,
            takes_into_string: false,
            default: None,
        }
    }

    fn space() -> TypeSpace {
        let kind = TypeKind::Enum(EnumDef {
            variants: vec![EnumVariant { rust_name: "A".into(), wire: "a".into(), doc: None }],
            fallback: Some("Other".into()),
        });
        let size = TypeDef {
            name: "Size".into(),
            doc: None,
            origin: String::new(),
            kind,
            derives: Vec::new(),
            attributes: Vec::new(),
        };
        let alias = TypeDef {
            name: "Stamp".into(),
            doc: None,
            origin: String::new(),
            kind: TypeKind::Alias(TypeRef::DateTime),
            derives: Vec::new(),
            attributes: Vec::new(),
        };
        let name = TypeDef {
            name: "Name".into(),
            doc: None,
            origin: String::new(),
            kind: TypeKind::Alias(TypeRef::String),
            derives: Vec::new(),
            attributes: Vec::new(),
        };
        TypeSpace { defs: vec![size, alias, name], ..TypeSpace::default() }
    }

    #[test]
    fn checks_follow_the_type_behind_aliases() {
        let space = space();
        let bounds = Constraints { minimum: Some((1.0, false)), max_length: Some(3), ..Constraints::default() };
        let mut number = param(TypeRef::I64, bounds.clone());
        decide_param(&mut number, &space);
        assert_eq!(number.checks, vec![Check::Minimum(1.0, false)], "maxLength does not apply to a number");
        let mut name = param(TypeRef::Named(TypeId(2)), bounds);
        decide_param(&mut name, &space);
        assert_eq!(name.checks, vec![Check::MaxLength(3)]);
        assert!(name.takes_into_string);
        let items = Constraints { min_items: Some(1), ..Constraints::default() };
        let mut sizes = param(TypeRef::Vec(Box::new(TypeRef::Named(TypeId(0)))), items);
        decide_param(&mut sizes, &space);
        assert_eq!(sizes.checks, vec![Check::KnownItems, Check::MinItems(1)]);
        let mut size = param(TypeRef::Named(TypeId(0)), Constraints::default());
        decide_param(&mut size, &space);
        assert_eq!(size.checks, vec![Check::Known]);
        let mut stamps = param(TypeRef::Vec(Box::new(TypeRef::Named(TypeId(1)))), Constraints::default());
        decide_param(&mut stamps, &space);
        assert_eq!(stamps.text, ParamText::Rfc3339Items);
        assert!(!stamps.takes_into_string);
    }

    fn operation(name: &str, errors: Vec<ErrorResponse>) -> Operation {
        Operation {
            id: name.into(),
            method_name: name.into(),
            tags: Vec::new(),
            group: None,
            call: name.into(),
            doc_path: format!("Client::{name}"),
            builder_name: name.into(),
            error_name: format!("{name}Error"),
            error_enum: None,
            http_method: HttpMethod::Get,
            path: PathTemplate::literal("/"),
            doc: None,
            deprecated: false,
            params: Vec::new(),
            body: None,
            success: SuccessBody::Empty,
            events: None,
            errors,
            pagination: None,
            paging_origin: crate::ir::PagingOrigin::NotAList(String::new()),
            failure: None,
            anonymous: false,
        }
    }

    fn response(status: StatusMatch, variant: &str, doc: &str) -> ErrorResponse {
        ErrorResponse {
            status,
            variant: variant.into(),
            body: Some(ErrorBodyKind::Json(TypeRef::Json)),
            doc: Some(doc.into()),
        }
    }

    #[test]
    fn operations_with_the_same_error_responses_share_one_enum() {
        let common = vec![response(StatusMatch::Range(4), "ClientError", "Error")];
        let mut operations = vec![
            operation("a", common.clone()),
            operation("b", vec![response(StatusMatch::Code(404), "NotFound", "Error")]),
            operation("c", Vec::new()),
            operation("d", common.clone()),
            // Same statuses, another description: the variant docs differ, so the enum does too.
            operation("e", vec![response(StatusMatch::Range(4), "ClientError", "Other")]),
        ];
        let enums = share_error_enums(&mut operations);
        let names: Vec<_> = enums.iter().map(|e| (e.name.as_str(), e.methods.join(","))).collect();
        let expected = [
            ("aError", "Client::a,Client::d".to_owned()),
            ("bError", "Client::b".to_owned()),
            ("eError", "Client::e".to_owned()),
        ];
        assert_eq!(names, expected);
        let indexes: Vec<_> = operations.iter().map(|op| op.error_enum).collect();
        assert_eq!(indexes, [Some(0), Some(1), None, Some(0), Some(2)]);
    }

    fn field(name: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            rust_name: name.into(),
            wire_name: name.into(),
            doc: None,
            ty,
            required,
            nullable: false,
            deprecated: false,
            read_only: false,
            write_only: false,
        }
    }

    #[test]
    fn form_bodies_name_their_deep_object_properties_only_when_some_structured_one_is_not() {
        let mut space = space();
        let fields = vec![
            field("amount", TypeRef::I64, true),
            field("size", TypeRef::Named(TypeId(0)), false),
            field("taken", TypeRef::Named(TypeId(1)), false),
            field("metadata", TypeRef::Map(Box::new(TypeRef::String)), false),
            field("tags", TypeRef::Vec(Box::new(TypeRef::String)), false),
        ];
        let kind = TypeKind::Struct(StructDef { fields, additional: None });
        space.defs.push(TypeDef {
            name: "Charge".into(),
            doc: None,
            origin: String::new(),
            kind,
            derives: Vec::new(),
            attributes: Vec::new(),
        });
        let body = |deep: &[&str]| RequestBody {
            ty: TypeRef::Named(TypeId(3)),
            kind: BodyKind::Form,
            content_type: "application/x-www-form-urlencoded".into(),
            required: true,
            doc: None,
            deep_object: deep.iter().map(|name| name.to_string()).collect(),
            part_types: Vec::new(),
            multipart: None,
            form: None,
        };
        assert_eq!(form_layout(&body(&[]), &space), FormLayout::Form);
        assert_eq!(
            form_layout(&body(&["metadata", "tags"]), &space),
            FormLayout::DeepObject,
            "the properties left plain are a number, a string enum and a timestamp (behind an alias)"
        );
        assert_eq!(
            form_layout(&body(&["metadata"]), &space),
            FormLayout::DeepObjectOnly(vec!["metadata".into()]),
            "`tags` stays a repeated key"
        );
        let not_a_struct = RequestBody { ty: TypeRef::Json, ..body(&["metadata"]) };
        assert_eq!(form_layout(&not_a_struct, &space), FormLayout::DeepObjectOnly(vec!["metadata".into()]));
    }

    #[test]
    fn multipart_properties_are_written_by_type_and_declared_media() {
        let mut space = space();
        let fields = vec![
            field("photo", TypeRef::Bytes, true),
            field("scans", TypeRef::Vec(Box::new(TypeRef::Bytes)), false),
            field("taken", TypeRef::Named(TypeId(1)), false),
            field("meta", TypeRef::Json, false),
            field("size", TypeRef::Named(TypeId(0)), false),
            field("filter", TypeRef::Json, false),
            field("tags", TypeRef::Vec(Box::new(TypeRef::Named(TypeId(2)))), false),
        ];
        let kind = TypeKind::Struct(StructDef { fields, additional: None });
        space.defs.push(TypeDef {
            name: "Upload".into(),
            doc: None,
            origin: String::new(),
            kind,
            derives: Vec::new(),
            attributes: Vec::new(),
        });
        let body = RequestBody {
            ty: TypeRef::Named(TypeId(3)),
            kind: BodyKind::Multipart,
            content_type: "multipart/form-data".into(),
            required: true,
            doc: None,
            deep_object: vec!["filter".into()],
            part_types: vec![("photo".into(), "image/png".into()), ("meta".into(), "application/vnd.x+json".into())],
            multipart: None,
            form: None,
        };
        let MultipartLayout::Properties { parts, additional } = multipart_layout(&body, &space) else { panic!() };
        assert_eq!(additional, None);
        let writes: Vec<(&str, &PartWrite, bool)> =
            parts.iter().map(|p| (p.wire.as_str(), &p.write, p.repeated)).collect();
        assert_eq!(
            writes,
            [
                ("photo", &PartWrite::File(Some("image/png".into())), false),
                ("scans", &PartWrite::File(None), true),
                ("taken", &PartWrite::Rfc3339Text(None), false),
                ("meta", &PartWrite::Json(Some("application/vnd.x+json".into())), false),
                ("size", &PartWrite::Text(None), false),
                ("filter", &PartWrite::Deep, false),
                ("tags", &PartWrite::Text(None), true),
            ]
        );
        assert_eq!(parts[0].presence, Presence::Always);
        let scalar = RequestBody { ty: TypeRef::String, ..body };
        assert_eq!(multipart_layout(&scalar, &space), MultipartLayout::Whole);
    }
}
