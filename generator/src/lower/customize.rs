//! The options that change named types after lowering: replacements, strict enums, extra derives and attributes.
//!
//! A derive the generator can check (the std traits below) goes only where every type inside allows it, decided by a
//! fixpoint over the type graph, so `--derive Hash` never makes a crate with an `f64` field fail to compile. Asked
//! of one schema, a derive also goes on every named type the schema contains, since the derive on the schema needs
//! theirs; a checked derive that the schema cannot take is an error naming what stops it.

use std::collections::BTreeSet;

use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef, TypeSpace};
use crate::options::Options;

/// The std derives whose feasibility is computed.
const CHECKED: [&str; 6] = ["Eq", "Hash", "PartialOrd", "Ord", "Default", "Copy"];

/// Traits every named type already implements, by derive or by hand: asking for them again changes nothing.
const ALWAYS: [&str; 5] = ["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"];

/// Puts each replacement's Rust type in place of its schema: the type becomes an alias of the path.
///
/// # Errors
/// A message per replacement whose schema no type is named after.
pub(crate) fn replace(types: &mut TypeSpace, replacements: &[crate::options::Replacement]) -> Result<(), String> {
    let mut problems = Vec::new();
    for replacement in replacements {
        match find(types, &replacement.schema) {
            Some(id) => types.defs[id.0].kind = TypeKind::Alias(TypeRef::External(replacement.path.clone())),
            None => {
                problems.push(format!("--replace `{replacement}`: no schema or type is named `{}`", replacement.schema))
            }
        }
    }
    outcome(problems)
}

/// With `time` date-times, which only the runtime's codec reads and writes as RFC 3339: additional properties of
/// date-time values are kept as JSON (a warning says where; serde's `flatten` cannot take a codec), and an operation
/// whose whole body is a date-time, or a container of them, is refused (the runtime decodes bodies with their own
/// `Deserialize`, which `time`'s types do not read as RFC 3339).
///
/// # Errors
/// One message per such operation.
pub(crate) fn check_time_positions(
    types: &mut TypeSpace,
    operations: &[crate::ir::Operation],
    file: &std::path::Path,
    diagnostics: &mut Vec<crate::error::Diagnostic>,
) -> Result<(), String> {
    if types.date_time != crate::options::DateTimeCrate::Time {
        return Ok(());
    }
    let codec: Vec<bool> = types
        .defs
        .iter()
        .map(|def| matches!(&def.kind, TypeKind::Struct(s) if s.additional.as_ref().is_some_and(|a| types.rfc3339_codec(&a.ty))))
        .collect();
    for (def, codec) in types.defs.iter_mut().zip(codec) {
        if let (true, TypeKind::Struct(s)) = (codec, &mut def.kind) {
            if let Some(additional) = &mut s.additional {
                additional.ty = TypeRef::Json;
                let pointer = def.origin.trim_start_matches('#').to_owned();
                diagnostics.push(crate::error::Diagnostic::warning(
                    file,
                    &pointer,
                    "additional properties of date-time values are kept as JSON with `--date-time time`",
                ));
            }
        }
    }
    let mut problems = Vec::new();
    for op in operations {
        let success = match &op.success {
            crate::ir::SuccessBody::Json(ty) => Some(ty),
            _ => None,
        };
        let errors = op.errors.iter().filter_map(|e| match &e.body {
            Some(crate::ir::ErrorBodyKind::Json(ty)) => Some(ty),
            _ => None,
        });
        let body = op.body.as_ref().map(|b| &b.ty);
        if success.into_iter().chain(errors).chain(body).chain(op.events.as_ref()).any(|ty| types.rfc3339_codec(ty)) {
            problems.push(format!(
                "--date-time time: operation `{}` has a body that is a bare date-time (or a list or map of them), which \
                 only `chrono` can read and write as RFC 3339; leave `date_time` at `chrono` or exclude the operation",
                op.id
            ));
        }
    }
    outcome(problems)
}

/// Applies the type options to the lowered types.
///
/// # Errors
/// A message naming the option and the problem: a schema no type is named after, or a checked derive that a schema
/// asked for by name cannot take.
pub(crate) fn customize(types: &mut TypeSpace, options: &Options) -> Result<(), String> {
    let mut problems = Vec::new();
    for name in &options.strict_enum {
        if find(types, name).is_none() {
            problems.push(format!("--strict-enum `{name}`: no schema or type is named `{name}`"));
        }
    }
    for def in &mut types.defs {
        let schema = schema_name(def);
        if let TypeKind::Enum(e) = &mut def.kind {
            if !e.variants.is_empty() && options.is_strict_enum(schema.as_deref(), &def.name) {
                e.fallback = None;
            }
        }
    }
    for derive in &options.derive {
        let trait_name = derive.path.rsplit("::").next().unwrap_or_default().trim().to_owned();
        if ALWAYS.contains(&trait_name.as_str()) {
            continue;
        }
        let checked = CHECKED.contains(&derive.path.as_str());
        let feasible = if checked { feasible(types, &derive.path) } else { vec![true; types.defs.len()] };
        let targets: Vec<TypeId> = match &derive.schema {
            None => (0..types.defs.len()).map(TypeId).filter(|id| feasible[id.0]).collect(),
            Some(name) => match find(types, name) {
                None => {
                    problems.push(format!("--derive `{derive}`: no schema or type is named `{name}`"));
                    continue;
                }
                Some(root) if !feasible[root.0] => {
                    let blocker = blocker(types, root, &derive.path, &feasible);
                    problems.push(format!(
                        "--derive `{derive}`: `{}` cannot derive `{}`: {blocker}",
                        types.get(root).name,
                        derive.path
                    ));
                    continue;
                }
                Some(root) => contained(types, root),
            },
        };
        for id in targets {
            let def = &mut types.defs[id.0];
            let already =
                matches!(def.kind, TypeKind::Enum(_)) && ["Eq", "Hash", "PartialOrd", "Ord"].contains(&&*trait_name);
            if !matches!(def.kind, TypeKind::Alias(_)) && !already && !def.derives.contains(&derive.path) {
                def.derives.push(derive.path.clone());
            }
        }
    }
    for attribute in &options.attribute {
        // `#[serde(...)]` needs a serde derive on the item to be accepted at all.
        let serde = attribute.attribute.trim_start_matches(['#', '[', ' ']).starts_with("serde");
        let fits = |def: &TypeDef| !matches!(def.kind, TypeKind::Alias(_)) && (!serde || def.derives_serde());
        let targets: Vec<TypeId> = match &attribute.schema {
            None => (0..types.defs.len()).map(TypeId).filter(|id| fits(types.get(*id))).collect(),
            Some(name) => match find(types, name) {
                Some(id) if fits(types.get(id)) => vec![id],
                Some(id) => {
                    problems.push(format!(
                        "--attribute `{attribute}`: `{}` is {}, which implements serde's traits by hand: a \
                         `#[serde]` attribute cannot go on it",
                        types.get(id).name,
                        match types.get(id).kind {
                            TypeKind::Enum(_) => "a string enum",
                            TypeKind::Alias(_) => "a type alias",
                            _ => "a tagged union",
                        }
                    ));
                    continue;
                }
                None => {
                    problems.push(format!("--attribute `{attribute}`: no schema or type is named `{name}`"));
                    continue;
                }
            },
        };
        for id in targets {
            types.defs[id.0].attributes.push(attribute.attribute.clone());
        }
    }
    outcome(problems)
}

/// The problems found, one per line, or success when there are none.
fn outcome(problems: Vec<String>) -> Result<(), String> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The name of the component schema a type was made from (`#/components/schemas/<name>`), if it is one.
fn schema_name(def: &TypeDef) -> Option<String> {
    crate::pointer::component_name(&def.origin, "schemas")
}

/// The type made from the component schema `name`, or else the type whose Rust name is `name`.
fn find(space: &TypeSpace, name: &str) -> Option<TypeId> {
    let by_schema = space.defs.iter().position(|def| schema_name(def).as_deref() == Some(name));
    by_schema.or_else(|| space.defs.iter().position(|def| def.name == name)).map(TypeId)
}

/// `root` and every named type inside it, through fields, variants, aliases and containers.
fn contained(space: &TypeSpace, root: TypeId) -> Vec<TypeId> {
    let mut seen = BTreeSet::new();
    let mut pending = vec![root];
    while let Some(id) = pending.pop() {
        if seen.insert(id.0) {
            pending.extend(direct_refs(space.get(id)).iter().flat_map(|ty| named_in(ty)));
        }
    }
    seen.into_iter().map(TypeId).collect()
}

/// The types a named type is made of.
fn direct_refs(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref().map(|a| &a.ty)).collect(),
        TypeKind::Enum(_) => Vec::new(),
        TypeKind::Union(u) => {
            u.variants.iter().filter(|v| v.shape != crate::ir::VariantShape::Unit).map(|v| &v.ty).collect()
        }
        TypeKind::Alias(target) | TypeKind::Newtype(target) => vec![target],
    }
}

fn named_in(ty: &TypeRef) -> Vec<TypeId> {
    match ty {
        TypeRef::Named(id) => vec![*id],
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => named_in(inner),
        _ => Vec::new(),
    }
}

/// Whether each named type can derive `trait_name` (one of [`CHECKED`]): the greatest fixpoint, so a recursive type
/// whose parts all allow the trait allows it too.
fn feasible(space: &TypeSpace, trait_name: &str) -> Vec<bool> {
    let mut ok = vec![true; space.defs.len()];
    loop {
        let mut changed = false;
        for (index, def) in space.defs.iter().enumerate() {
            if ok[index] && !def_allows(space, TypeId(index), def, trait_name, &ok) {
                ok[index] = false;
                changed = true;
            }
        }
        if !changed {
            return ok;
        }
    }
}

fn def_allows(space: &TypeSpace, id: TypeId, def: &TypeDef, trait_name: &str, ok: &[bool]) -> bool {
    let copy = trait_name == "Copy";
    let time = space.date_time == crate::options::DateTimeCrate::Time;
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().all(|f| {
                let boxed = space.needs_box(id, &f.ty);
                !(copy && boxed) && ref_allows(time, &f.ty, trait_name, ok)
            }) && s
                .additional
                .as_ref()
                .is_none_or(|a| !copy && ref_allows(time, &TypeRef::Map(Box::new(a.ty.clone())), trait_name, ok))
        }
        // A lenient enum keeps unknown values in a `String`; neither kind has a default value.
        TypeKind::Enum(e) => match trait_name {
            "Default" => false,
            "Copy" => e.fallback.is_none(),
            _ => true,
        },
        TypeKind::Union(u) => {
            trait_name != "Default"
                && u.variants.iter().all(|v| {
                    v.shape == crate::ir::VariantShape::Unit
                        || (!(copy && space.variant_needs_box(id, &v.ty)) && ref_allows(time, &v.ty, trait_name, ok))
                })
        }
        TypeKind::Alias(target) => ref_allows(time, target, trait_name, ok),
        TypeKind::Newtype(target) => !(copy && space.needs_box(id, target)) && ref_allows(time, target, trait_name, ok),
    }
}

/// Whether a type use allows a checked trait, given which named types do.
fn ref_allows(time: bool, ty: &TypeRef, trait_name: &str, ok: &[bool]) -> bool {
    let copy = trait_name == "Copy";
    let ordered = matches!(trait_name, "PartialOrd" | "Ord");
    match ty {
        TypeRef::Named(id) => ok[id.0],
        // A replacement type is taken to implement what is asked of the types that hold it (docs/options.md).
        TypeRef::External(_) => true,
        TypeRef::Bool
        | TypeRef::I8
        | TypeRef::I16
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::U8
        | TypeRef::U16
        | TypeRef::U32
        | TypeRef::U64
        | TypeRef::Uuid => true,
        // `time`'s date-times have no `Default`; chrono's do.
        TypeRef::DateTime | TypeRef::Date => !(time && trait_name == "Default"),
        TypeRef::F32 | TypeRef::F64 => matches!(trait_name, "PartialOrd" | "Default" | "Copy"),
        TypeRef::String | TypeRef::I64String | TypeRef::Bytes => !copy,
        // `serde_json::Value` is `Eq`, `Hash` and `Default` but not ordered.
        TypeRef::Json => !copy && !ordered,
        TypeRef::Vec(inner) | TypeRef::Map(inner) => {
            !copy && (trait_name == "Default" || ref_allows(time, inner, trait_name, ok))
        }
        TypeRef::Option(inner) => trait_name == "Default" || ref_allows(time, inner, trait_name, ok),
    }
}

/// Why `root` cannot take a checked derive: the first field or variant whose type does not allow it.
fn blocker(space: &TypeSpace, root: TypeId, trait_name: &str, ok: &[bool]) -> String {
    let def = space.get(root);
    let time = space.date_time == crate::options::DateTimeCrate::Time;
    let describe = |ty: &TypeRef| crate::ir::naming::code_span(&type_text(space, ty));
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .find(|f| {
                !ref_allows(time, &f.ty, trait_name, ok) || (trait_name == "Copy" && space.needs_box(root, &f.ty))
            })
            .map(|f| format!("its field `{}` is {}", f.rust_name, describe(&f.ty)))
            .unwrap_or_else(|| "its additional properties do not allow it".to_owned()),
        TypeKind::Enum(_) if trait_name == "Default" => "an enum has no default value".to_owned(),
        TypeKind::Enum(_) => "a lenient enum keeps unknown values in a `String` (make it strict)".to_owned(),
        TypeKind::Union(_) if trait_name == "Default" => "a union has no default value".to_owned(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .find(|v| v.shape != crate::ir::VariantShape::Unit && !ref_allows(time, &v.ty, trait_name, ok))
            .map(|v| format!("its variant `{}` holds {}", v.rust_name, describe(&v.ty)))
            .unwrap_or_else(|| "a variant is recursive".to_owned()),
        TypeKind::Alias(target) | TypeKind::Newtype(target) => format!("it holds {}", describe(target)),
    }
}

/// A type use as a reader would write it, for messages.
fn type_text(space: &TypeSpace, ty: &TypeRef) -> String {
    crate::emit::rust_type(ty, space, &proc_macro2::TokenStream::new()).to_string().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumDef, EnumVariant, Field, StructDef};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            origin: format!("#/components/schemas/{name}"),
            kind,
            derives: Vec::new(),
            attributes: Vec::new(),
        }
    }

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            rust_name: name.into(),
            wire_name: name.into(),
            doc: None,
            ty,
            required: true,
            nullable: false,
            deprecated: false,
            read_only: false,
            write_only: false,
        }
    }

    fn space() -> TypeSpace {
        let strukt = |fields| TypeKind::Struct(StructDef { fields, additional: None });
        let status = EnumDef {
            variants: vec![EnumVariant { rust_name: "On".into(), wire: "on".into(), doc: None }],
            fallback: Some("Unknown".into()),
        };
        TypeSpace {
            defs: vec![
                def(
                    "Pet",
                    strukt(vec![field("tag", TypeRef::Named(TypeId(1))), field("owner", TypeRef::Named(TypeId(2)))]),
                ),
                def(
                    "Tag",
                    strukt(vec![
                        field("name", TypeRef::String),
                        field("children", TypeRef::Vec(Box::new(TypeRef::Named(TypeId(1))))),
                    ]),
                ),
                def("Owner", strukt(vec![field("weight", TypeRef::F64)])),
                def("Status", TypeKind::Enum(status)),
            ],
            ..TypeSpace::default()
        }
    }

    #[test]
    fn checked_derives_follow_the_fields() {
        let space = space();
        assert_eq!(
            feasible(&space, "Hash"),
            [false, true, false, true],
            "f64 blocks Hash; recursion through Vec does not"
        );
        assert_eq!(feasible(&space, "PartialOrd"), [true, true, true, true]);
        assert_eq!(feasible(&space, "Copy"), [false, false, true, false]);
        assert_eq!(feasible(&space, "Default"), [true, true, true, false]);
    }

    #[test]
    fn options_apply_globally_and_per_schema() {
        let mut types = space();
        let options = Options {
            derive: vec!["Hash".parse().unwrap(), "Tag=schemars::JsonSchema".parse().unwrap()],
            attribute: vec!["Owner=#[serde(deny_unknown_fields)]".parse().unwrap()],
            strict_enum: vec!["Status".into()],
            ..Options::default()
        };
        customize(&mut types, &options).unwrap();
        let derives: Vec<&[String]> = types.defs.iter().map(|d| d.derives.as_slice()).collect();
        assert_eq!(derives, [&[][..], &["Hash".to_owned(), "schemars::JsonSchema".to_owned()][..], &[][..], &[][..]]);
        assert_eq!(types.defs[2].attributes, ["#[serde(deny_unknown_fields)]"]);
        assert!(matches!(&types.defs[3].kind, TypeKind::Enum(e) if e.fallback.is_none()));

        let mut types = space();
        let options =
            Options { derive: vec!["Pet=Eq".parse().unwrap(), "Nope=Eq".parse().unwrap()], ..Options::default() };
        let problems = customize(&mut types, &options).unwrap_err();
        assert!(problems.contains("`Pet` cannot derive `Eq`: its field `owner` is `Owner`"), "{problems}");
        assert!(problems.contains("no schema or type is named `Nope`"), "{problems}");
    }
}
