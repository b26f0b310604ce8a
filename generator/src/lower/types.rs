//! Schemas → named types in the [`TypeSpace`].

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::resolve::{self, ReferenceOrExt};
use super::Lowerer;
use crate::error::pointer_push;
use crate::ir::naming::{self, Namespace};
use crate::ir::{
    AdditionalField, EnumDef, EnumVariant, Field, StructDef, TypeDef, TypeId, TypeKind, TypeRef, UnionDef,
    UnionVariant, VariantShape,
};
use crate::pointer;

/// A schema or a reference to one, whichever box it came in.
#[derive(Clone, Copy)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

/// The type space under construction.
pub(crate) struct Types {
    pub space: Vec<Option<TypeDef>>,
    /// Final names by id, known from reservation on (before the definition is filled in).
    pub reserved_names: Vec<String>,
    pub names: Namespace,
    /// `#/components/schemas/X` → its id.
    pub by_ref: HashMap<String, TypeId>,
    /// The inline schemas being lowered, by address in the document. Inline schemas are not memoized as components
    /// are, so one that reaches itself (a property whose `allOf` names the component that holds the property) would
    /// be lowered forever.
    pub inline_in_progress: std::collections::HashSet<usize>,
    /// How many times `inline_in_progress` cut a cycle so far.
    pub inline_cuts: usize,
    /// The inline schemas at which a cycle was cut (each warned about once).
    pub inline_cycles: std::collections::HashSet<usize>,
    /// The type of each inline schema whose lowering cut a cycle, by address. Reused when the schema is met again,
    /// because a component whose k properties each reach it would otherwise be lowered in every order (k! times).
    /// Schemas in no cycle are not kept here: lowering them afresh names each copy after its place, as before.
    pub inline_cycle_types: HashMap<usize, TypeRef>,
}

impl Types {
    pub fn new() -> Self {
        Types {
            space: Vec::new(),
            reserved_names: Vec::new(),
            names: Namespace::for_types(),
            by_ref: HashMap::new(),
            inline_in_progress: std::collections::HashSet::new(),
            inline_cuts: 0,
            inline_cycles: std::collections::HashSet::new(),
            inline_cycle_types: HashMap::new(),
        }
    }

    /// Reserves an id and a final name before the type's content is known (so recursion can refer to it).
    pub fn reserve(&mut self, raw_name: &str) -> (TypeId, String) {
        let name = self.names.claim(&naming::type_name(raw_name));
        self.space.push(None);
        self.reserved_names.push(name.clone());
        (TypeId(self.space.len() - 1), name)
    }

    pub fn name_of(&self, id: TypeId) -> &str {
        &self.reserved_names[id.0]
    }
}

impl Lowerer<'_> {
    /// Reserves every component schema, then fills them in.
    pub(crate) fn lower_component_schemas(&mut self) {
        let Some(components) = self.doc.components.as_ref() else { return };
        let mut reserved = Vec::new();
        for name in components.schemas.keys() {
            let (id, rust_name) = self.types.reserve(name);
            let reference = pointer::component_ref("schemas", name);
            self.types.by_ref.insert(reference.clone(), id);
            reserved.push((id, rust_name, reference));
        }
        let children = discriminated_children(self.doc);
        for ((id, rust_name, reference), schema) in reserved.into_iter().zip(components.schemas.values()) {
            let pointer = reference.trim_start_matches('#').to_owned();
            let def = match (schema, children.get(reference.as_str())) {
                (ReferenceOr::Item(parent), Some(children)) => self.parent_union(rust_name, parent, children, &pointer),
                _ => self.named_type_def(rust_name, SchemaRef::from(schema), &pointer),
            };
            self.types.space[id.0] = Some(TypeDef { origin: reference, ..def });
        }
    }

    /// A schema with a `discriminator` that other schemas extend with `allOf` (OpenAPI 3.0.3 §4.7.25, "models with
    /// polymorphism support"): a union of the children, picked by the discriminator property, with the parent's own
    /// shape (`<Parent>Base`) for its own tag and any tag no child claims.
    fn parent_union(&mut self, name: String, parent: &Schema, children: &[(String, String)], pointer: &str) -> TypeDef {
        let Some(discriminator) = parent.schema_data.discriminator.as_ref() else {
            return self.named_type_def(name, SchemaRef::Item(parent), pointer);
        };
        let mut names = Namespace::new();
        let mut variants = Vec::new();
        let parent_ref = format!("#{pointer}");
        let own_name = crate::pointer::last(pointer).unwrap_or_default();
        let mut own_tags: Vec<String> = discriminator
            .mapping
            .iter()
            .filter(|(_, target)| **target == parent_ref || **target == own_name)
            .map(|(tag, _)| tag.clone())
            .collect();
        if own_tags.is_empty() {
            own_tags.push(own_name.clone());
        }
        for (child_name, child_ref) in children {
            let Some(&child_id) = self.types.by_ref.get(child_ref) else { continue };
            let mut tags: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| *target == child_ref || *target == child_name)
                .map(|(tag, _)| tag.clone())
                .collect();
            if tags.is_empty() {
                tags.push(child_name.clone());
            }
            // `Child: allOf: [$ref: Parent]` and nothing more is the parent under another tag, not a variant that
            // would hold the parent again.
            if self.adds_nothing_to(child_ref, &parent_ref) {
                own_tags.extend(tags);
                continue;
            }
            let raw = self.types.name_of(child_id).to_owned();
            variants.push(UnionVariant {
                rust_name: names.claim(&naming::variant_name(&raw)),
                ty: TypeRef::Named(child_id),
                tags,
                shape: VariantShape::Whole,
                doc: None,
            });
        }
        let base = self.inline_type(parent, &format!("{name} Base"), pointer);
        let base_variant = names.claim(&naming::variant_name(&name));
        variants.push(UnionVariant {
            rust_name: base_variant,
            ty: base,
            tags: own_tags,
            shape: VariantShape::Whole,
            doc: None,
        });
        let fallback = Some(variants.len() - 1);
        TypeDef {
            name,
            doc: schema_doc(parent),
            origin: parent_ref,
            kind: TypeKind::Union(UnionDef {
                variants,
                discriminator: Some(discriminator.property_name.clone()),
                fallback,
            }),
            derives: Vec::new(),
            attributes: Vec::new(),
        }
    }

    /// The definition of a named type from a schema.
    fn named_type_def(&mut self, name: String, schema: SchemaRef<'_>, pointer: &str) -> TypeDef {
        let origin = format!("#{pointer}");
        let doc = match schema {
            SchemaRef::Item(s) => schema_doc(s),
            SchemaRef::Ref(_) => None,
        };
        let kind = match schema {
            SchemaRef::Ref(reference) => TypeKind::Alias(self.resolve_ref(reference, pointer)),
            SchemaRef::Item(s) => match self.shape(s, &name, pointer) {
                Shape::Kind(kind) => kind,
                Shape::Ref(ty) => TypeKind::Alias(ty),
            },
        };
        TypeDef { name, doc, origin, kind, derives: Vec::new(), attributes: Vec::new() }
    }

    /// The type of a schema used in place; inline objects, enums and unions get a named type called `hint`.
    pub(crate) fn type_of(&mut self, schema: SchemaRef<'_>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            SchemaRef::Ref(reference) => self.resolve_ref(reference, pointer),
            SchemaRef::Item(s) => {
                let ty = self.inline_type(s, hint, pointer);
                // A nullable schema inside a container: the field-level nullability is handled by the caller.
                ty
            }
        }
    }

    /// Whether the schema (following references) allows `null`.
    pub(crate) fn is_nullable(&self, schema: SchemaRef<'_>) -> bool {
        let mut current = schema;
        for _ in 0..32 {
            match current {
                SchemaRef::Ref(reference) => match self.component_schema(reference) {
                    Some(s) => current = SchemaRef::Item(s),
                    None => return false,
                },
                SchemaRef::Item(s) => {
                    if s.schema_data.nullable {
                        return true;
                    }
                    // `allOf: [$ref]` with nullable is the 3.0 idiom; a lone allOf member passes nullability on, and
                    // so does a member that only annotates (`allOf: [$ref, {nullable: true}]`).
                    if let SchemaKind::AllOf { all_of } = &s.schema_kind {
                        let annotations_say_null = all_of.iter().any(|m| match m {
                            ReferenceOr::Item(m) => is_annotation_only(m) && m.schema_data.nullable,
                            ReferenceOr::Reference { .. } => false,
                        });
                        if annotations_say_null {
                            return true;
                        }
                        let mut real = all_of.iter().filter(|m| !member_is_annotation_only(m));
                        if let (Some(only), None) = (real.next(), real.next()) {
                            current = SchemaRef::from(only);
                            continue;
                        }
                    }
                    if let SchemaKind::Type(Type::String(st)) = &s.schema_kind {
                        return st.enumeration.iter().any(Option::is_none);
                    }
                    return false;
                }
            }
        }
        false
    }

    /// Whether the component schema `child` is `allOf` of `parent` and annotations only (the same shape).
    fn adds_nothing_to(&self, child: &str, parent: &str) -> bool {
        let Some(schema) = self.component_schema(child) else { return false };
        let members = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            _ => return false,
        };
        members.iter().all(|m| match m {
            ReferenceOr::Reference { reference } => reference == parent,
            ReferenceOr::Item(item) => is_annotation_only(item),
        })
    }

    /// `readOnly` and `writeOnly` of a property's schema: on the schema itself, on an annotation member of its
    /// `allOf` (`allOf: [$ref, {readOnly: true}]`, how a `$ref` with a `readOnly` sibling is read), or on the schema
    /// a lone `$ref` names.
    fn direction(&self, schema: SchemaRef<'_>) -> (bool, bool) {
        let schema = match schema {
            SchemaRef::Ref(reference) => match self.component_schema(reference) {
                Some(s) => s,
                None => return (false, false),
            },
            SchemaRef::Item(s) => s,
        };
        let mut read_only = schema.schema_data.read_only;
        let mut write_only = schema.schema_data.write_only;
        let members = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(any) => any.all_of.as_slice(),
            _ => &[],
        };
        for member in members {
            if let ReferenceOr::Item(m) = member {
                if is_annotation_only(m) {
                    read_only |= m.schema_data.read_only;
                    write_only |= m.schema_data.write_only;
                }
            }
        }
        (read_only, write_only)
    }

    pub(crate) fn component_schema(&self, reference: &str) -> Option<&'_ Schema> {
        component(self.doc, reference)
    }

    fn resolve_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        if let Some(id) = self.types.by_ref.get(reference) {
            return TypeRef::Named(*id);
        }
        self.warn(pointer, format!("`$ref: {reference}` is not a component schema; it is typed as JSON"));
        TypeRef::Json
    }

    fn inline_type(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        let key = std::ptr::from_ref(schema) as usize;
        if let Some(ty) = self.types.inline_cycle_types.get(&key) {
            return ty.clone();
        }
        if !self.types.inline_in_progress.insert(key) {
            // Warned once per schema: a cycle is cut wherever it closes, which may be at many depths.
            if self.types.inline_cycles.insert(key) {
                self.warn(
                    pointer,
                    "this inline schema contains itself (through `allOf` and the schema that holds it) with no \
                     `$ref` of its own to name the cycle; the inner occurrence is kept as JSON",
                );
            }
            self.types.inline_cuts += 1;
            return TypeRef::Json;
        }
        let cuts_before = self.types.inline_cuts;
        let shape = self.shape(schema, hint, pointer);
        self.types.inline_in_progress.remove(&key);
        let ty = self.inline_shape_type(shape, schema, hint, pointer);
        if self.types.inline_cuts != cuts_before {
            self.types.inline_cycle_types.insert(key, ty.clone());
        }
        ty
    }

    /// The type an inline schema's shape gives: a plain reference, or a new named definition.
    fn inline_shape_type(&mut self, shape: Shape, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        match shape {
            Shape::Ref(ty) => ty,
            Shape::Kind(kind) => {
                let (id, name) = self.types.reserve(hint);
                self.types.space[id.0] = Some(TypeDef {
                    name,
                    doc: schema_doc(schema),
                    origin: format!("#{pointer}"),
                    kind,
                    derives: Vec::new(),
                    attributes: Vec::new(),
                });
                TypeRef::Named(id)
            }
        }
    }

    /// What a schema is: a plain type reference, or something that needs a named definition.
    fn shape(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Shape {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&str> = s.enumeration.iter().flatten().map(String::as_str).collect();
                if !values.is_empty() {
                    return Shape::Kind(TypeKind::Enum(enum_def(&values)));
                }
                Shape::Ref(match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "int64" || f == "int32" => TypeRef::I64String,
                    _ => TypeRef::String,
                })
            }
            SchemaKind::Type(Type::Integer(i)) => {
                let format = match &i.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Some("int32"),
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => Some("int64"),
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                // Bounds the typed model read are `i64`s, which `i64` holds.
                Shape::Ref(self.integer_type(format, None, None, pointer))
            }
            SchemaKind::Type(Type::Number(_)) => Shape::Ref(TypeRef::F64),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.container_item(
                        SchemaRef::from(items),
                        &format!("{hint}Item"),
                        &pointer_push(pointer, "items"),
                    ),
                    None => TypeRef::Json,
                };
                Shape::Ref(TypeRef::Vec(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.object_shape(&o.properties, &o.required, o.additional_properties.as_ref(), hint, pointer)
            }
            SchemaKind::OneOf { one_of } => self.union_shape(one_of, schema, hint, &pointer_push(pointer, "oneOf")),
            SchemaKind::AnyOf { any_of } => self.union_shape(any_of, schema, hint, &pointer_push(pointer, "anyOf")),
            SchemaKind::AllOf { all_of } => self.all_of_shape(all_of, None, hint, pointer),
            SchemaKind::Not { .. } => {
                self.warn(pointer, "`not` cannot be typed; the value is kept as JSON");
                Shape::Ref(TypeRef::Json)
            }
            SchemaKind::Any(any) => {
                // `allOf` beside properties or a type: the schema's own keywords are one more member.
                if !any.all_of.is_empty() {
                    return self.all_of_shape(&any.all_of, Some(schema), hint, pointer);
                }
                if !any.properties.is_empty() || any.additional_properties.is_some() {
                    return self.object_shape(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        hint,
                        pointer,
                    );
                }
                if let Some(items) = &any.items {
                    let item = self.container_item(
                        SchemaRef::from(items),
                        &format!("{hint}Item"),
                        &pointer_push(pointer, "items"),
                    );
                    return Shape::Ref(TypeRef::Vec(Box::new(item)));
                }
                if !any.one_of.is_empty() {
                    return self.union_shape(&any.one_of, schema, hint, &pointer_push(pointer, "oneOf"));
                }
                if !any.any_of.is_empty() {
                    return self.union_shape(&any.any_of, schema, hint, &pointer_push(pointer, "anyOf"));
                }
                let strings: Vec<&str> = any.enumeration.iter().filter_map(|v| v.as_str()).collect();
                if !strings.is_empty() && strings.len() == any.enumeration.iter().filter(|v| !v.is_null()).count() {
                    return Shape::Kind(TypeKind::Enum(enum_def(&strings)));
                }
                // `const: true` / `enum: [1, 2]` without a `type`: the type of the values.
                let values: Vec<&serde_json::Value> = any.enumeration.iter().filter(|v| !v.is_null()).collect();
                if any.typ.is_none() && !values.is_empty() {
                    if values.iter().all(|v| v.is_boolean()) {
                        return Shape::Ref(TypeRef::Bool);
                    }
                    if values.iter().all(|v| v.is_i64()) {
                        return Shape::Ref(TypeRef::I64);
                    }
                    if values.iter().all(|v| v.is_number()) {
                        return Shape::Ref(TypeRef::F64);
                    }
                }
                if any.typ.as_deref() == Some("integer") {
                    // An integer schema lands here when its bounds do not fit `i64` (the typed model's type).
                    return Shape::Ref(self.integer_type(any.format.as_deref(), any.minimum, any.maximum, pointer));
                }
                Shape::Ref(match any.typ.as_deref() {
                    Some("string") => TypeRef::String,
                    Some("number") => TypeRef::F64,
                    Some("boolean") => TypeRef::Bool,
                    Some("array") => TypeRef::Vec(Box::new(TypeRef::Json)),
                    Some("object") => TypeRef::Map(Box::new(TypeRef::Json)),
                    _ => TypeRef::Json,
                })
            }
        }
    }

    /// The Rust integer type that holds every value an integer schema allows: its `format` (`int8` … `uint64`)
    /// when it has one, else the narrowest of `i64` and `u64` that holds `minimum..=maximum`. A range beyond 64 bits
    /// is kept as JSON, with a warning.
    fn integer_type(
        &mut self,
        format: Option<&str>,
        minimum: Option<f64>,
        maximum: Option<f64>,
        pointer: &str,
    ) -> TypeRef {
        match format {
            Some("int8") => return TypeRef::I8,
            Some("int16") => return TypeRef::I16,
            Some("int32") => return TypeRef::I32,
            Some("uint8") => return TypeRef::U8,
            Some("uint16") => return TypeRef::U16,
            Some("uint32") => return TypeRef::U32,
            Some("uint64") => return TypeRef::U64,
            _ => {}
        }
        // `i64::MAX as f64` rounds up to 2^63, the first value `i64` cannot hold; likewise 2^64 for `u64`.
        let beyond_i64 = |v: f64| v >= i64::MAX as f64 || v < i64::MIN as f64;
        let (low, high) = (minimum.unwrap_or(0.0), maximum.unwrap_or(0.0));
        if !beyond_i64(low) && !beyond_i64(high) {
            return TypeRef::I64;
        }
        if low >= 0.0 && high <= u64::MAX as f64 {
            return TypeRef::U64;
        }
        self.warn(pointer, "this integer's range does not fit in 64 bits; the value is kept as JSON");
        TypeRef::Json
    }

    /// The type of an array item or map value, which may itself be `null`.
    fn container_item(&mut self, schema: SchemaRef<'_>, hint: &str, pointer: &str) -> TypeRef {
        let ty = self.type_of(schema, hint, pointer);
        if self.is_nullable(schema) && ty != TypeRef::Json {
            TypeRef::Option(Box::new(ty))
        } else {
            ty
        }
    }

    fn object_shape(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> Shape {
        let additional_ty = match additional {
            Some(AdditionalProperties::Schema(schema)) => Some(self.container_item(
                SchemaRef::from(schema.as_ref()),
                &format!("{hint}Value"),
                &pointer_push(pointer, "additionalProperties"),
            )),
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Any(false)) => None,
            None if properties.is_empty() => Some(TypeRef::Json),
            None => None,
        };
        if properties.is_empty() {
            return match additional_ty {
                Some(value) => Shape::Ref(TypeRef::Map(Box::new(value))),
                None => Shape::Kind(TypeKind::Struct(StructDef { fields: Vec::new(), additional: None })),
            };
        }
        let props: Vec<(String, SchemaRef<'_>)> =
            properties.iter().map(|(k, v)| (k.clone(), SchemaRef::from(v))).collect();
        let fields = self.fields(&props, required, hint, &pointer_push(pointer, "properties"));
        Shape::Kind(TypeKind::Struct(StructDef {
            additional: additional_ty
                .map(|ty| AdditionalField { rust_name: unique_field(&fields, "additional_properties"), ty }),
            fields,
        }))
    }

    fn fields(
        &mut self,
        props: &[(String, SchemaRef<'_>)],
        required: &[String],
        hint: &str,
        pointer: &str,
    ) -> Vec<Field> {
        let mut names = Namespace::with_reserved(&["additional_properties"]);
        let mut fields = Vec::new();
        for (wire, schema) in props {
            let rust_name = names.claim(&naming::field_name(wire));
            let field_pointer = pointer_push(pointer, wire);
            let ty = self.type_of(*schema, &format!("{hint} {wire}"), &field_pointer);
            let (doc, deprecated) = match schema {
                SchemaRef::Item(s) => (schema_doc(s), s.schema_data.deprecated),
                SchemaRef::Ref(_) => (None, false),
            };
            let (read_only, write_only) = self.direction(*schema);
            fields.push(Field {
                rust_name,
                wire_name: wire.clone(),
                doc,
                nullable: self.is_nullable(*schema) && ty != TypeRef::Json,
                ty,
                required: required.iter().any(|r| r == wire) && !read_only && !write_only,
                deprecated,
                read_only,
                write_only,
            });
        }
        fields
    }

    fn union_shape(&mut self, members: &[ReferenceOr<Schema>], schema: &Schema, hint: &str, pointer: &str) -> Shape {
        // A union of one is that one (an inline one takes the union's name); `[X, null]`-style unions are handled by
        // nullability.
        if let [only] = members {
            return match only {
                ReferenceOr::Item(member) => self.shape(member, hint, &pointer_push(pointer, "0")),
                ReferenceOr::Reference { .. } => {
                    Shape::Ref(self.type_of(SchemaRef::from(only), hint, &pointer_push(pointer, "0")))
                }
            };
        }
        // `oneOf` of string enums (typically one documented value each): one enum of every value. Read as a union,
        // the first alternative's enum would take every value into its fallback variant.
        if let Some(values) = string_enum_values(self.doc, members) {
            return Shape::Kind(TypeKind::Enum(documented_enum_def(&values)));
        }
        let discriminator = schema.schema_data.discriminator.as_ref();
        if discriminator.is_none() {
            if let Some((property, tags)) = implicit_tag(self.doc, members) {
                return self.implicitly_tagged_union(members, &property, &tags, hint, pointer);
            }
        }
        let mut names = Namespace::new();
        let mut variants = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_pointer = pointer_push(pointer, &index.to_string());
            let ty = self.type_of(SchemaRef::from(member), &format!("{hint} Variant{index}"), &member_pointer);
            let raw_name = match (&ty, member) {
                (TypeRef::Named(id), _) => self.types.name_of(*id).to_owned(),
                (other, _) => primitive_variant_name(other).to_owned(),
            };
            let rust_name = names.claim(&naming::variant_name(&raw_name));
            let mut tags = Vec::new();
            if let (Some(d), ReferenceOr::Reference { reference }) = (discriminator, member) {
                let mapped: Vec<String> =
                    d.mapping.iter().filter(|(_, target)| *target == reference).map(|(k, _)| k.clone()).collect();
                if mapped.is_empty() {
                    // Without a mapping the tag is the schema's name.
                    tags.push(reference.rsplit('/').next().unwrap_or_default().to_owned());
                } else {
                    tags = mapped;
                }
            }
            variants.push(UnionVariant { rust_name, ty, tags, shape: VariantShape::Whole, doc: None });
        }
        let discriminator = discriminator
            .filter(|_| variants.iter().all(|v| !v.tags.is_empty() && matches!(v.ty, TypeRef::Named(_))))
            .map(|d| d.property_name.clone());
        Shape::Kind(TypeKind::Union(UnionDef { variants, discriminator, fallback: None }))
    }

    /// A union whose alternatives are objects told apart by a required property with one allowed value each
    /// (`{state: {enum: [attached]}}`): a tagged union on that property. An inline alternative is lowered without the
    /// property (the union writes and reads it) and named after its tag; one with nothing else is a unit variant. A tag
    /// no alternative lists is kept as JSON in a last `Other` variant, so a server adding an alternative does not break
    /// decoding.
    fn implicitly_tagged_union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        property: &str,
        tags: &[String],
        hint: &str,
        pointer: &str,
    ) -> Shape {
        let mut names = Namespace::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        for (index, (member, tag)) in members.iter().zip(tags).enumerate() {
            let member_pointer = pointer_push(pointer, &index.to_string());
            let mut doc = None;
            let (ty, shape, raw_name) = match member {
                ReferenceOr::Reference { .. } => {
                    let ty = self.type_of(SchemaRef::from(member), hint, &member_pointer);
                    let raw = match &ty {
                        TypeRef::Named(id) => self.types.name_of(*id).to_owned(),
                        other => primitive_variant_name(other).to_owned(),
                    };
                    (ty, VariantShape::Whole, raw)
                }
                ReferenceOr::Item(schema) => {
                    let mut rest = schema.clone();
                    if let SchemaKind::Type(Type::Object(object)) = &mut rest.schema_kind {
                        object.properties.shift_remove(property);
                        object.required.retain(|name| name != property);
                    }
                    let only_tag = matches!(&rest.schema_kind, SchemaKind::Type(Type::Object(o))
                        if o.properties.is_empty() && o.additional_properties.is_none());
                    if only_tag {
                        doc = schema.schema_data.description.clone().filter(|d| !d.trim().is_empty());
                        (TypeRef::Json, VariantShape::Unit, tag.clone())
                    } else {
                        let ty = self.type_of(SchemaRef::Item(&rest), &format!("{hint} {tag}"), &member_pointer);
                        (ty, VariantShape::WithoutTag, tag.clone())
                    }
                }
            };
            let rust_name = names.claim(&naming::variant_name(&raw_name));
            variants.push(UnionVariant { rust_name, ty, tags: vec![tag.clone()], shape, doc });
        }
        variants.push(UnionVariant {
            rust_name: "Other".to_owned(),
            ty: TypeRef::Json,
            tags: Vec::new(),
            shape: VariantShape::Whole,
            doc: None,
        });
        let fallback = Some(variants.len() - 1);
        Shape::Kind(TypeKind::Union(UnionDef { variants, discriminator: Some(property.to_owned()), fallback }))
    }

    fn all_of_shape(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own: Option<&Schema>,
        hint: &str,
        pointer: &str,
    ) -> Shape {
        let all_of_pointer = pointer_push(pointer, "allOf");
        // Members that only annotate (a description, an example, `nullable`) do not change the type.
        let real: Vec<(usize, &ReferenceOr<Schema>)> =
            members.iter().enumerate().filter(|(_, m)| !member_is_annotation_only(m)).collect();
        if own.is_none() {
            match real.as_slice() {
                [] => return Shape::Ref(TypeRef::Json),
                [(index, only)] => {
                    return Shape::Ref(self.type_of(
                        SchemaRef::from(*only),
                        hint,
                        &pointer_push(&all_of_pointer, &index.to_string()),
                    ))
                }
                _ => {}
            }
        }
        // Merge the properties of every member (following references and nested allOf).
        let mut props: Vec<(String, SchemaRef<'_>)> = Vec::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional = None;
        let mut ok = true;
        let mut seen = std::collections::HashSet::new();
        let doc = self.doc;
        if let Some(own) = own {
            // `collect_all_of` reads the schema's own properties and its `allOf` members.
            collect_all_of(
                doc,
                SchemaRef::Item(own),
                &mut props,
                &mut required,
                &mut additional,
                &mut ok,
                0,
                &mut seen,
            );
        } else {
            for (_, member) in &real {
                collect_all_of(
                    doc,
                    SchemaRef::from(*member),
                    &mut props,
                    &mut required,
                    &mut additional,
                    &mut ok,
                    0,
                    &mut seen,
                );
            }
        }
        if !ok {
            // `allOf` of schemas of one scalar type (a type and its constraints): that type.
            if own.is_none() {
                if let Some((index, first)) = real.first() {
                    let kinds: Vec<Option<&'static str>> =
                        real.iter().map(|(_, m)| scalar_kind(doc, SchemaRef::from(*m))).collect();
                    if kinds[0].is_some() && kinds.iter().all(|k| *k == kinds[0]) {
                        return Shape::Ref(self.type_of(
                            SchemaRef::from(*first),
                            hint,
                            &pointer_push(&all_of_pointer, &index.to_string()),
                        ));
                    }
                }
            }
            self.warn(pointer, "`allOf` mixes objects with non-object schemas; the value is kept as JSON");
            return Shape::Ref(TypeRef::Json);
        }
        let mut map = IndexMap::new();
        for (name, schema) in props {
            map.insert(name, schema);
        }
        let props: Vec<(String, SchemaRef<'_>)> = map.into_iter().collect();
        if props.is_empty() {
            return Shape::Ref(TypeRef::Map(Box::new(match additional {
                Some(a) => {
                    self.container_item(a, &format!("{hint}Value"), &pointer_push(pointer, "additionalProperties"))
                }
                None => TypeRef::Json,
            })));
        }
        let additional_ty = additional.map(|a: SchemaRef<'_>| {
            self.container_item(a, &format!("{hint}Value"), &pointer_push(pointer, "additionalProperties"))
        });
        let fields = self.fields(&props, &required, hint, &all_of_pointer);
        Shape::Kind(TypeKind::Struct(StructDef {
            additional: additional_ty
                .map(|ty| AdditionalField { rust_name: unique_field(&fields, "additional_properties"), ty }),
            fields,
        }))
    }
}

/// Component schemas that extend a parent with a `discriminator` through `allOf` (`Cat: allOf: [$ref: Pet, …]`):
/// parent reference → (child name, child reference), in spec order. A parent that is a `oneOf`/`anyOf` already
/// lists its alternatives and gets none.
fn discriminated_children(doc: &openapiv3::OpenAPI) -> HashMap<String, Vec<(String, String)>> {
    let Some(components) = doc.components.as_ref() else { return HashMap::new() };
    let escape = |name: &str| pointer::component_ref("schemas", name);
    // The parent itself, not what it refers to: `Pet2: {$ref: Pet}` has no discriminator of its own.
    let is_parent = |reference: &str| match resolve::entry::<Schema>(doc, reference) {
        Some(ReferenceOr::Item(schema)) => {
            schema.schema_data.discriminator.is_some()
                && !matches!(schema.schema_kind, SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. })
        }
        _ => false,
    };
    let mut children: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else { continue };
        let members = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(any) => any.all_of.as_slice(),
            _ => continue,
        };
        for member in members {
            if let ReferenceOr::Reference { reference } = member {
                if *reference != escape(name) && is_parent(reference) {
                    children.entry(reference.clone()).or_default().push((name.clone(), escape(name)));
                }
            }
        }
    }
    children
}

/// A schema that says nothing about the shape of a value: only annotations (`description`, `example`, `nullable`,
/// `default`, …) and constraints that need a type to mean something.
pub(crate) fn is_annotation_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.required.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && any.not.is_none()
                && any.format.is_none()
        }
        _ => false,
    }
}

/// A schema that only constrains which properties are present (`required`, possibly under `anyOf`/`oneOf`).
fn is_constraint_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.not.is_none()
                && any.format.is_none()
                && any.one_of.iter().chain(&any.any_of).chain(&any.all_of).all(member_is_constraint_only)
        }
        SchemaKind::AnyOf { any_of: members }
        | SchemaKind::OneOf { one_of: members }
        | SchemaKind::AllOf { all_of: members } => members.iter().all(member_is_constraint_only),
        _ => false,
    }
}

fn member_is_constraint_only(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(schema) if is_constraint_only(schema))
}

fn member_is_annotation_only(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(schema) if is_annotation_only(schema))
}

/// `string`, `integer`, `number` or `boolean` for a schema of that type (following references).
fn scalar_kind(doc: &openapiv3::OpenAPI, schema: SchemaRef<'_>) -> Option<&'static str> {
    let schema = match schema {
        SchemaRef::Ref(reference) => component(doc, reference)?,
        SchemaRef::Item(s) => s,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("string"),
        SchemaKind::Type(Type::Integer(_)) => Some("integer"),
        SchemaKind::Type(Type::Number(_)) => Some("number"),
        SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some("string") => Some("string"),
            Some("integer") => Some("integer"),
            Some("number") => Some("number"),
            Some("boolean") => Some("boolean"),
            _ => None,
        },
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn collect_all_of<'a>(
    doc: &'a openapiv3::OpenAPI,
    schema: SchemaRef<'a>,
    props: &mut Vec<(String, SchemaRef<'a>)>,
    required: &mut Vec<String>,
    additional: &mut Option<SchemaRef<'a>>,
    ok: &mut bool,
    depth: usize,
    seen: &mut std::collections::HashSet<&'a str>,
) {
    if depth > 32 {
        *ok = false;
        return;
    }
    // A schema reached twice (`allOf` diamonds, or a schema in its own `allOf`) adds nothing the second time:
    // merging each once keeps the work linear in the document instead of exponential in its depth.
    if let SchemaRef::Ref(reference) = schema {
        if !seen.insert(reference) {
            return;
        }
    }
    let schema = match schema {
        SchemaRef::Ref(reference) => match component(doc, reference) {
            Some(s) => s,
            None => {
                *ok = false;
                return;
            }
        },
        SchemaRef::Item(s) => s,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            props.extend(o.properties.iter().map(|(k, v)| (k.clone(), SchemaRef::from(v))));
            required.extend(o.required.iter().cloned());
            if let Some(AdditionalProperties::Schema(s)) = &o.additional_properties {
                *additional = Some(SchemaRef::from(s.as_ref()));
            }
        }
        // `anyOf: [{required: [a]}, {required: [b]}]`: a rule about which properties must be present, not a type.
        SchemaKind::AnyOf { any_of: members } | SchemaKind::OneOf { one_of: members }
            if members.iter().all(member_is_constraint_only) => {}
        SchemaKind::Any(any) if any.typ.is_none() || any.typ.as_deref() == Some("object") => {
            props.extend(any.properties.iter().map(|(k, v)| (k.clone(), SchemaRef::from(v))));
            required.extend(any.required.iter().cloned());
            if let Some(AdditionalProperties::Schema(s)) = &any.additional_properties {
                *additional = Some(SchemaRef::from(s.as_ref()));
            }
            for member in &any.all_of {
                collect_all_of(doc, SchemaRef::from(member), props, required, additional, ok, depth + 1, seen);
            }
        }
        SchemaKind::AllOf { all_of } => {
            for member in all_of {
                collect_all_of(doc, SchemaRef::from(member), props, required, additional, ok, depth + 1, seen);
            }
        }
        _ => *ok = false,
    }
}

/// The schema a component reference names, following references to references; `None` for a cycle of references
/// (`Loop: {$ref: Loop}`, reported as an error by lowering) or a reference elsewhere.
fn component<'a>(doc: &'a openapiv3::OpenAPI, reference: &str) -> Option<&'a Schema> {
    resolve::lookup(doc, reference).ok()
}

enum Shape {
    /// Needs no definition of its own.
    Ref(TypeRef),
    /// Needs a named definition.
    Kind(TypeKind),
}

fn enum_def(values: &[&str]) -> EnumDef {
    let mut names = Namespace::new();
    let mut seen = std::collections::HashSet::new();
    let variants: Vec<EnumVariant> = values
        .iter()
        .filter(|v| seen.insert(**v))
        .map(|v| EnumVariant { rust_name: names.claim(&naming::variant_name(v)), wire: (*v).to_owned(), doc: None })
        .collect();
    let fallback = if names.contains("Unknown") { names.claim("UnknownValue") } else { names.claim("Unknown") };
    EnumDef { variants, fallback: Some(fallback) }
}

/// The values of a union whose every alternative is a string enum (inline or referenced), each with the
/// alternative's description; `None` when an alternative is anything else.
fn string_enum_values(
    doc: &openapiv3::OpenAPI,
    members: &[ReferenceOr<Schema>],
) -> Option<Vec<(String, Option<String>)>> {
    let mut values = Vec::new();
    for member in members {
        let schema = member.item(doc).ok()?;
        let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else { return None };
        if string.enumeration.is_empty() || string.enumeration.iter().any(Option::is_none) {
            return None;
        }
        let description = schema.schema_data.description.clone().filter(|d| !d.trim().is_empty());
        let one = string.enumeration.len() == 1;
        values.extend(string.enumeration.iter().flatten().map(|v| (v.clone(), description.clone().filter(|_| one))));
    }
    Some(values)
}

/// An enum of `values`, each documented with its description when it has one.
fn documented_enum_def(values: &[(String, Option<String>)]) -> EnumDef {
    let wires: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
    let mut def = enum_def(&wires);
    for variant in &mut def.variants {
        variant.doc = values.iter().find(|(v, _)| *v == variant.wire).and_then(|(_, doc)| doc.clone());
    }
    def
}

pub(crate) fn primitive_variant_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String | TypeRef::I64String => "String",
        TypeRef::Bool => "Boolean",
        TypeRef::I8
        | TypeRef::I16
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::U8
        | TypeRef::U16
        | TypeRef::U32
        | TypeRef::U64 => "Integer",
        TypeRef::F32 | TypeRef::F64 => "Number",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::Uuid => "Uuid",
        TypeRef::Vec(_) => "Array",
        TypeRef::Map(_) => "Object",
        TypeRef::Bytes => "Bytes",
        TypeRef::Option(_) | TypeRef::Json | TypeRef::Named(_) | TypeRef::External(_) => "Value",
    }
}

fn unique_field(fields: &[Field], base: &str) -> String {
    let mut name = base.to_owned();
    while fields.iter().any(|f| f.rust_name == name) {
        name.push('_');
    }
    name
}

/// Title and description of a schema, as rustdoc.
pub(crate) fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let mut parts = Vec::new();
    if let Some(title) = data.title.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(title.trim().to_owned());
    }
    if let Some(description) = data.description.as_deref().filter(|d| !d.trim().is_empty()) {
        if parts.first().map(String::as_str) != Some(description.trim()) {
            parts.push(description.trim().to_owned());
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\n\n"))
    }
}

/// The property that tells the alternatives of a union apart without a `discriminator`: a property every alternative
/// (an object schema, inline or referenced) requires and allows exactly one string value for, a different one in each
/// (`type: string, enum: [creating]`). Returns the property and each alternative's value.
fn implicit_tag(doc: &openapiv3::OpenAPI, members: &[ReferenceOr<Schema>]) -> Option<(String, Vec<String>)> {
    let objects: Vec<&openapiv3::ObjectType> = members
        .iter()
        .map(|member| match &member.item(doc).ok()?.schema_kind {
            SchemaKind::Type(Type::Object(object)) => Some(object),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let single_value = |object: &openapiv3::ObjectType, name: &str| -> Option<String> {
        if !object.required.iter().any(|r| r == name) {
            return None;
        }
        match &object.properties.get(name)?.item(doc).ok()?.schema_kind {
            SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
                [Some(value)] => Some(value.clone()),
                _ => None,
            },
            _ => None,
        }
    };
    let first = objects.first()?;
    first.properties.keys().find_map(|name| {
        let tags: Vec<String> = objects.iter().map(|o| single_value(o, name)).collect::<Option<_>>()?;
        let distinct: std::collections::HashSet<&String> = tags.iter().collect();
        (distinct.len() == tags.len()).then(|| (name.clone(), tags))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(doc: &serde_json::Value) -> (openapiv3::OpenAPI, Vec<ReferenceOr<Schema>>) {
        let doc: openapiv3::OpenAPI = serde_json::from_value(doc.clone()).unwrap();
        let Some(ReferenceOr::Item(union)) = doc.components.as_ref().unwrap().schemas.get("U") else { panic!() };
        let SchemaKind::OneOf { one_of } = &union.schema_kind else { panic!() };
        let one_of = one_of.clone();
        (doc, one_of)
    }

    fn document(one_of: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {
                "U": {"oneOf": one_of},
                "Ref": {"type": "object", "required": ["kind"], "properties": {"kind": {"$ref": "#/components/schemas/RefKind"}}},
                "RefKind": {"type": "string", "enum": ["ref"]}
            }}
        })
    }

    fn tag(kind: &str) -> serde_json::Value {
        serde_json::json!({"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": [kind]}}})
    }

    #[test]
    fn implicit_tags_need_one_distinct_required_value_in_every_alternative() {
        let (doc, one_of) =
            members(&document(serde_json::json!([tag("a"), tag("b"), {"$ref": "#/components/schemas/Ref"}])));
        assert_eq!(implicit_tag(&doc, &one_of), Some(("kind".to_owned(), vec!["a".into(), "b".into(), "ref".into()])));
        // The same value twice tells nothing apart.
        let (doc, one_of) = members(&document(serde_json::json!([tag("a"), tag("a")])));
        assert_eq!(implicit_tag(&doc, &one_of), None);
        // An optional tag may be absent.
        let optional = serde_json::json!({"type": "object", "properties": {"kind": {"type": "string", "enum": ["b"]}}});
        let (doc, one_of) = members(&document(serde_json::json!([tag("a"), optional])));
        assert_eq!(implicit_tag(&doc, &one_of), None);
        // Two allowed values, or a non-object alternative: not a tag.
        let two = serde_json::json!({"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["b", "c"]}}});
        let (doc, one_of) = members(&document(serde_json::json!([tag("a"), two])));
        assert_eq!(implicit_tag(&doc, &one_of), None);
        let (doc, one_of) = members(&document(serde_json::json!([tag("a"), {"type": "string"}])));
        assert_eq!(implicit_tag(&doc, &one_of), None);
    }

    #[test]
    fn string_enum_alternatives_merge_only_when_every_one_is_a_string_enum() {
        let one =
            |value: &str| serde_json::json!({"type": "string", "enum": [value], "description": format!("the {value}")});
        let (doc, one_of) =
            members(&document(serde_json::json!([one("a"), one("b"), {"$ref": "#/components/schemas/RefKind"}])));
        let values = string_enum_values(&doc, &one_of).unwrap();
        assert_eq!(
            values,
            [("a".into(), Some("the a".into())), ("b".into(), Some("the b".into())), ("ref".into(), None)]
        );
        let def = documented_enum_def(&values);
        assert_eq!(def.variants[1].doc.as_deref(), Some("the b"));
        let (doc, one_of) = members(&document(serde_json::json!([one("a"), {"type": "string"}])));
        assert_eq!(string_enum_values(&doc, &one_of), None, "a free string is not an enum");
        let (doc, one_of) = members(&document(serde_json::json!([one("a"), tag("b")])));
        assert_eq!(string_enum_values(&doc, &one_of), None);
    }
}
