//! Named types → structs, enums and aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, doc_line, ident, rust_type, RuntimePath};
use crate::ir::{
    Api, EnumDef, Field, Presence, StructDef, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace, UnionDef, VariantShape,
};

/// The `use` of the runtime the `types` module needs, if any.
pub(crate) fn types_use(api: &Api, rt: &RuntimePath) -> TokenStream {
    // Codecs (numbers as strings, double options, `time` date-times) and the string enum macro come from the runtime.
    let uses_codec = api.types.defs.iter().any(|def| match &def.kind {
        // Structs read themselves through `rt::object`.
        TypeKind::Struct(s) => !s.fields.is_empty() || s.additional.is_some(),
        TypeKind::Enum(_) => true,
        TypeKind::Union(u) => {
            u.variants.iter().any(|v| v.shape != VariantShape::Whole || api.types.rfc3339_codec(&v.ty))
        }
        TypeKind::Newtype(target) => api.types.rfc3339_codec(target),
        _ => false,
    });
    let rt_path = &rt.0;
    if uses_codec {
        quote!(use #rt_path as rt;)
    } else {
        TokenStream::new()
    }
}

/// The items of the `types` module for the types in `range` (one item per named type, in reservation order).
pub(crate) fn type_items(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let space = &api.types;
    let items = space.defs[range.clone()].iter().zip(range).map(|(def, index)| type_item(TypeId(index), def, space));
    quote!(#(#items)*)
}

fn type_item(id: TypeId, def: &TypeDef, space: &TypeSpace) -> TokenStream {
    let name = ident(&def.name);
    let mut docs = doc_attrs(def.doc.as_deref());
    if docs.is_empty() {
        docs = doc_line(&format!("`{}` from the spec.", def.origin.trim_start_matches("#/components/schemas/")));
    }
    let extra = extra_attributes(def);
    match &def.kind {
        TypeKind::Struct(s) => struct_item(id, &name, docs, &extra, s, space),
        TypeKind::Enum(e) => enum_item(&name, docs, &extra, e),
        TypeKind::Union(u) => union_item(id, &name, docs, &extra, u, space),
        TypeKind::Alias(target) => {
            let target = rust_type(target, space, &TokenStream::new());
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::Newtype(target) => {
            let mut inner = rust_type(target, space, &TokenStream::new());
            if space.needs_box(id, target) {
                inner = quote!(Box<#inner>);
            }
            let codec =
                if space.rfc3339_codec(target) { quote!(#[serde(with = "rt::rfc3339")]) } else { TokenStream::new() };
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                #extra
                pub struct #name(
                    /// The value, as the spec describes it.
                    #codec
                    pub #inner,
                );
            }
        }
    }
}

/// The derives and attributes the options add to a type, written after the item's own so that helper attributes
/// (`#[serde(...)]`) follow the derive that declares them. Both were parsed when the options were read.
fn extra_attributes(def: &TypeDef) -> TokenStream {
    let derives: Vec<TokenStream> = def.derives.iter().filter_map(|path| path.parse().ok()).collect();
    let attributes: Vec<TokenStream> = def.attributes.iter().filter_map(|attribute| attribute.parse().ok()).collect();
    let derive = if derives.is_empty() { TokenStream::new() } else { quote!(#[derive(#(#derives),*)]) };
    quote!(#derive #(#attributes)*)
}

fn struct_item(
    id: TypeId,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    extra: &TokenStream,
    def: &StructDef,
    space: &TypeSpace,
) -> TokenStream {
    let fields = def.fields.iter().map(|field| struct_field(id, field, space));
    let additional = def.additional.as_ref().map(|extra| {
        let field = ident(&extra.rust_name);
        let value = rust_type(&extra.ty, space, &TokenStream::new());
        quote! {
            /// Properties the spec does not name.
            #[serde(flatten)]
            pub #field: std::collections::BTreeMap<String, #value>,
        }
    });
    if def.fields.is_empty() && def.additional.is_none() {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #extra
            pub struct #name {}
        };
    }
    let read = object_impl(name, def, space);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #extra
        pub struct #name {
            #(#fields)*
            #additional
        }
        #read
    }
}

/// `Deserialize` through the runtime's `object` module: a loop over the properties filling one slot per field
/// (see that module for why not serde's derive).
fn object_impl(name: &proc_macro2::Ident, def: &StructDef, space: &TypeSpace) -> TokenStream {
    let slots: Vec<_> = (0..def.fields.len()).map(|i| quote::format_ident!("f{}", i)).collect();
    let arms = def.fields.iter().zip(&slots).map(|(field, slot)| {
        let wire = &field.wire_name;
        let read = match (field.ty == TypeRef::I64String, field.presence()) {
            // The seed's type is the slot's, inferred.
            (false, _) if space.rfc3339_codec(&field.ty) => {
                quote!(rt::object::field_seed(&mut map, &mut #slot, rt::rfc3339::Seed::new(), #wire)?)
            }
            (false, _) => quote!(rt::object::field(&mut map, &mut #slot, #wire)?),
            (true, Presence::Always) => {
                quote!(rt::object::field_seed(&mut map, &mut #slot, rt::codec::Int64String, #wire)?)
            }
            (true, _) => quote!(rt::object::field_seed(&mut map, &mut #slot, rt::codec::Int64StringOption, #wire)?),
        };
        quote!(#wire => #read,)
    });
    let values = def.fields.iter().zip(&slots).map(|(field, slot)| {
        let rust = ident(&field.rust_name);
        let wire = &field.wire_name;
        // `presence()` is `Option` for read-only fields. An int64 string's seed reads null itself, so its slot holds
        // `Option<i64>` once and it is never a double option.
        let value = match field.presence() {
            Presence::Always => quote!(rt::object::required(#slot, #wire)?),
            Presence::DoubleOption if field.ty != TypeRef::I64String => quote!(#slot),
            Presence::Option | Presence::DoubleOption => quote!(rt::object::optional(#slot)),
        };
        quote!(#rust: #value,)
    });
    let (additional_init, additional_value, other) = match &def.additional {
        Some(extra) => {
            let field = ident(&extra.rust_name);
            (
                quote!(let mut additional = std::collections::BTreeMap::new();),
                quote!(#field: additional,),
                quote!(rt::object::insert(&mut map, &mut additional, key)?),
            )
        }
        None => (TokenStream::new(), TokenStream::new(), quote!(rt::object::skip(&mut map)?)),
    };
    let body = if def.fields.is_empty() {
        quote!(#other;)
    } else {
        quote! {
            match key.as_str() {
                #(#arms)*
                _ => #other,
            }
        }
    };
    let type_name = name.to_string();
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::object::deserialize(deserializer)
            }
        }
        impl rt::object::Object for #name {
            const NAME: &'static str = #type_name;
            fn from_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                #(let mut #slots = None;)*
                #additional_init
                while let Some(key) = map.next_key::<rt::object::Key<'de>>()? {
                    #body
                }
                Ok(#name {
                    #(#values)*
                    #additional_value
                })
            }
        }
    }
}

fn struct_field(owner: TypeId, field: &Field, space: &TypeSpace) -> TokenStream {
    // (`rfc3339_codec` is false for an int64 string, so the two codecs never meet.)
    let name = ident(&field.rust_name);
    let wire = &field.wire_name;
    let mut docs = doc_attrs(field.doc.as_deref());
    if docs.is_empty() {
        docs = doc_line(&crate::ir::naming::code_span(wire));
    }
    if field.deprecated {
        let note = doc_line("**Deprecated.**");
        docs = quote!(#docs #[doc = ""] #note);
    }
    if field.read_only {
        let note = doc_line("Read-only: set by the server, never sent in a request.");
        docs = quote!(#docs #[doc = ""] #note);
    }
    if field.write_only {
        let note = doc_line("Write-only: sent in requests, absent from responses.");
        docs = quote!(#docs #[doc = ""] #note);
    }
    let rename = if field.rust_name != *wire { quote!(#[serde(rename = #wire)]) } else { TokenStream::new() };
    let int64_string = field.ty == TypeRef::I64String;
    let mut ty = if int64_string { quote!(i64) } else { rust_type(&field.ty, space, &TokenStream::new()) };
    if space.needs_box(owner, &field.ty) {
        ty = quote!(Box<#ty>);
    }
    // Serialization attributes only: reading is `object_impl`'s.
    let rfc3339 = space.rfc3339_codec(&field.ty);
    let (ty, attrs) = match (field.presence(), int64_string) {
        // Read-only: read from responses, never written into a request (OpenAPI 3.0.3 §4.7.24).
        _ if field.read_only => (quote!(Option<#ty>), quote!(#[serde(skip_serializing)])),
        // `time` date-times, through the runtime's codec (which writes `Some(None)` as null).
        (Presence::Always, _) if rfc3339 => (ty, quote!(#[serde(with = "rt::rfc3339")])),
        (Presence::Option, _) if rfc3339 && field.required => {
            (quote!(Option<#ty>), quote!(#[serde(with = "rt::rfc3339")]))
        }
        (Presence::Option, _) if rfc3339 => {
            (quote!(Option<#ty>), quote!(#[serde(skip_serializing_if = "Option::is_none", with = "rt::rfc3339")]))
        }
        (Presence::DoubleOption, _) if rfc3339 => (
            quote!(Option<Option<#ty>>),
            quote!(#[serde(skip_serializing_if = "Option::is_none", with = "rt::rfc3339")]),
        ),
        (Presence::Always, false) => (ty, TokenStream::new()),
        (Presence::Always, true) => (ty, quote!(#[serde(serialize_with = "rt::codec::int64_string::serialize")])),
        (Presence::Option, false) if field.required => (quote!(Option<#ty>), TokenStream::new()),
        (Presence::Option, false) => (quote!(Option<#ty>), quote!(#[serde(skip_serializing_if = "Option::is_none")])),
        // An int64 string that may be absent or null: both read as `None`.
        (Presence::Option | Presence::DoubleOption, true) => (
            quote!(Option<#ty>),
            quote!(#[serde(
                skip_serializing_if = "Option::is_none",
                serialize_with = "rt::codec::int64_string_option::serialize"
            )]),
        ),
        (Presence::DoubleOption, false) => (
            quote!(Option<Option<#ty>>),
            quote!(#[serde(
                skip_serializing_if = "Option::is_none",
                serialize_with = "rt::codec::double_option::serialize"
            )]),
        ),
    };
    quote! {
        #docs
        #rename
        #attrs
        pub #name: #ty,
    }
}

fn enum_item(name: &proc_macro2::Ident, docs: TokenStream, extra: &TokenStream, def: &EnumDef) -> TokenStream {
    let variants: Vec<_> = def.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wires: Vec<&str> = def.variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs: Vec<TokenStream> = def
        .variants
        .iter()
        .map(|v| match &v.doc {
            Some(doc) => {
                let wire = doc_line(&format!("{}:", crate::ir::naming::code_span(&v.wire)));
                let text = doc_attrs(Some(doc));
                quote!(#wire #text)
            }
            None => doc_line(&crate::ir::naming::code_span(&v.wire)),
        })
        .collect();
    let Some(fallback) = &def.fallback else {
        return quote! {
            #docs
            ///
            /// Strict: a value the spec does not list is a decoding error.
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #extra
            pub enum #name {
                #( #variant_docs #variants, )*
            }

            rt::string_enum!(rt, #name, { #( #variants => #wires, )* });
        };
    };
    let fallback = ident(fallback);
    quote! {
        #docs
        ///
        /// Values this version of the client does not know are kept, not rejected.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #extra
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value the spec did not list.
            #fallback(String),
        }

        rt::string_enum!(rt, #name, #fallback, { #( #variants => #wires, )* });
    }
}

fn union_item(
    id: TypeId,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    extra: &TokenStream,
    def: &UnionDef,
    space: &TypeSpace,
) -> TokenStream {
    let variants: Vec<_> = def.variants.iter().map(|v| ident(&v.rust_name)).collect();
    // A variant that holds the union again by value through other unions is boxed, or the type would be infinite.
    let boxed: Vec<bool> = def.variants.iter().map(|v| space.variant_needs_box(id, &v.ty)).collect();
    let types: Vec<_> = def
        .variants
        .iter()
        .zip(&boxed)
        .map(|(v, boxed)| {
            let ty = rust_type(&v.ty, space, &TokenStream::new());
            if *boxed {
                quote!(Box<#ty>)
            } else {
                ty
            }
        })
        .collect();
    let constructors: Vec<TokenStream> = variants
        .iter()
        .zip(&boxed)
        .map(|(variant, boxed)| if *boxed { quote!(|v| Self::#variant(Box::new(v))) } else { quote!(Self::#variant) })
        .collect();
    let property = def.discriminator.as_deref().unwrap_or_default();
    let variant_docs: Vec<TokenStream> = def
        .variants
        .iter()
        .map(|v| {
            let tag = v.tags.first().map(|t| format!("`{property}: {}`", t.replace('`', "'")));
            let line = match (v.shape, &v.ty, tag) {
                (VariantShape::Unit, _, Some(tag)) => match &v.doc {
                    Some(doc) => {
                        let text = doc_attrs(Some(doc));
                        let tag = doc_line(&format!("{tag}:"));
                        return quote!(#tag #text);
                    }
                    None => format!(" {tag}."),
                },
                (_, TypeRef::Named(id), Some(tag)) => format!(" {tag}: a [`{}`].", space.get(*id).name),
                (_, TypeRef::Named(id), None) => format!(" A [`{}`].", space.get(*id).name),
                (_, TypeRef::Json, None) if def.fallback.is_some() => " Any other value, kept as JSON.".to_owned(),
                _ => " This alternative of the union.".to_owned(),
            };
            quote!(#[doc = #line])
        })
        .collect();
    let declarations: Vec<TokenStream> = def
        .variants
        .iter()
        .zip(&variants)
        .zip(&types)
        .map(|((v, variant), ty)| match v.shape {
            VariantShape::Unit => quote!(#variant),
            _ if space.rfc3339_codec(&v.ty) => quote!(#variant(#[serde(with = "rt::rfc3339")] #ty)),
            _ => quote!(#variant(#ty)),
        })
        .collect();
    let Some(property) = &def.discriminator else {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            #extra
            pub enum #name {
                #( #variant_docs #declarations, )*
            }
        };
    };
    // Tagged by a property that the variant types also carry: pick the variant by the tag, then decode the whole
    // object into it (serde's internal tagging would strip the tag from the variant's own fields).
    let arms = def.variants.iter().zip(&constructors).zip(&variants).filter(|((v, _), _)| !v.tags.is_empty()).map(
        |((v, constructor), variant)| {
            let tags = &v.tags;
            match v.shape {
                VariantShape::Unit => quote! { #( Some(#tags) )|* => Ok(Self::#variant), },
                _ => quote! {
                    #( Some(#tags) )|* => serde_json::from_value(value).map(#constructor).map_err(serde::de::Error::custom),
                },
            }
        },
    );
    let expected = def.variants.iter().flat_map(|v| v.tags.iter()).cloned().collect::<Vec<_>>().join(", ");
    let otherwise = match def.fallback {
        // The raw JSON keeps a tag no variant lists; a value without the tag is not one of the alternatives.
        Some(index) if def.variants[index].ty == TypeRef::Json => {
            let constructor = &constructors[index];
            quote! {
                None => Err(serde::de::Error::custom(format_args!("missing `{}`, expected one of: {}", #property, #expected))),
                Some(_) => serde_json::from_value(value).map(#constructor).map_err(serde::de::Error::custom),
            }
        }
        // The parent's own shape reads whatever tag no child claims.
        Some(index) => {
            let constructor = &constructors[index];
            quote! { _ => serde_json::from_value(value).map(#constructor).map_err(serde::de::Error::custom), }
        }
        None => quote! {
            other => Err(serde::de::Error::custom(format_args!(
                "unknown `{}` value {:?}, expected one of: {}", #property, other, #expected
            ))),
        },
    };
    // Variants that leave the tag to the union write it back.
    let writes_tag = def.writes_tag_back();
    let (derive, serialize) = if writes_tag {
        let arms = def.variants.iter().zip(&variants).map(|(v, variant)| {
            let tag = v.tags.first().map(String::as_str).unwrap_or_default();
            match v.shape {
                VariantShape::Unit => quote! {
                    Self::#variant => rt::codec::serialize_tagged::<(), S>(None, #property, #tag, serializer),
                },
                VariantShape::WithoutTag => quote! {
                    Self::#variant(value) => rt::codec::serialize_tagged(Some(value), #property, #tag, serializer),
                },
                VariantShape::Whole => {
                    quote! { Self::#variant(value) => serde::Serialize::serialize(value, serializer), }
                }
            }
        });
        (
            quote!(#[derive(Debug, Clone, PartialEq)]),
            quote! {
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        match self {
                            #(#arms)*
                        }
                    }
                }
            },
        )
    } else {
        (quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize)] #[serde(untagged)]), TokenStream::new())
    };
    quote! {
        #docs
        #derive
        #extra
        pub enum #name {
            #( #variant_docs #declarations, )*
        }

        #serialize

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    #otherwise
                }
            }
        }
    }
}
