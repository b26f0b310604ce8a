//! Stage 4: IR → Rust token streams. Emitters read only the IR; every name they print was made in lowering.

mod client;
mod example;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, TypeId, TypeRef, TypeSpace};
use crate::options::DateTimeCrate;

pub(crate) use client::client_use;
pub(crate) use example::{credential_variables, example_program, readme_call, readme_call_where, ReadmeCall};
pub(crate) use types::types_use;

/// Types emitted (and formatted) together: files are made of independent chunks so that they can be formatted in
/// parallel. Chunk sizes are fixed, so the output does not depend on the number of threads.
const TYPES_PER_CHUNK: usize = 128;
/// Operations emitted together.
const OPERATIONS_PER_CHUNK: usize = 16;

/// How many chunks the body of the `types` module has (after its `use`).
pub(crate) fn types_chunks(api: &Api) -> usize {
    api.types.defs.len().div_ceil(TYPES_PER_CHUNK)
}

/// One chunk of the `types` module: the types in order.
pub(crate) fn types_chunk(api: &Api, index: usize) -> TokenStream {
    let start = index * TYPES_PER_CHUNK;
    let end = (start + TYPES_PER_CHUNK).min(api.types.defs.len());
    types::type_items(api, start.min(end)..end)
}

/// Error enums emitted together.
const ERROR_ENUMS_PER_CHUNK: usize = 32;

/// How many chunks the body of the `client` module has (after its `use`).
pub(crate) fn client_chunks(api: &Api) -> usize {
    1 + api.operations.len().div_ceil(OPERATIONS_PER_CHUNK) + api.error_enums.len().div_ceil(ERROR_ENUMS_PER_CHUNK)
}

/// One chunk of the `client` module: the `Client` first, then the operations in order, then the error enums.
pub(crate) fn client_chunk(api: &Api, index: usize) -> TokenStream {
    if index == 0 {
        return client::client_items(api);
    }
    let operation_chunks = api.operations.len().div_ceil(OPERATIONS_PER_CHUNK);
    if index <= operation_chunks {
        let start = (index - 1) * OPERATIONS_PER_CHUNK;
        let end = (start + OPERATIONS_PER_CHUNK).min(api.operations.len());
        return client::operation_items(api, start.min(end)..end);
    }
    let start = (index - 1 - operation_chunks) * ERROR_ENUMS_PER_CHUNK;
    let end = (start + ERROR_ENUMS_PER_CHUNK).min(api.error_enums.len());
    client::error_enum_items(api, start.min(end)..end)
}

/// How generated code reaches the runtime crate.
#[derive(Debug, Clone)]
pub(crate) struct RuntimePath(pub TokenStream);

/// An identifier made in lowering.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "..."]` attributes, one per line, from spec prose made safe by [`crate::ir::naming::doc_text`].
pub(crate) fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else { return TokenStream::new() };
    let text = crate::ir::naming::doc_text(doc);
    let lines = text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// A doc line made by the generator itself; it may quote spec names, so it is made safe like prose.
pub(crate) fn doc_line(text: &str) -> TokenStream {
    let text = format!(" {}", crate::ir::naming::doc_text(text));
    quote! { #[doc = #text] }
}

/// A date-time or date value (`value`, a reference or a `Copy` value) as RFC 3339 text, for a parameter or a part.
pub(crate) fn rfc3339_text(space: &TypeSpace, value: TokenStream) -> TokenStream {
    match space.date_time {
        DateTimeCrate::Chrono => quote!(#value.to_rfc3339()),
        DateTimeCrate::Time => quote!(rt::rfc3339::text(&#value)),
    }
}

/// The Rust type for a [`TypeRef`], seen from inside the `types` module (`prefix` empty) or from beside it.
pub(crate) fn rust_type(ty: &TypeRef, space: &TypeSpace, prefix: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(id) => named(*id, space, prefix),
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I8 => quote!(i8),
        TypeRef::I16 => quote!(i16),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U8 => quote!(u8),
        TypeRef::U16 => quote!(u16),
        TypeRef::U32 => quote!(u32),
        // Only a field or parameter can carry the codec that reads it as a number; elsewhere it stays text.
        TypeRef::I64String => quote!(String),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime if space.date_time == DateTimeCrate::Time => quote!(time::OffsetDateTime),
        TypeRef::Date if space.date_time == DateTimeCrate::Time => quote!(time::Date),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Vec(inner) => {
            let inner = rust_type(inner, space, prefix);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, space, prefix);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(inner, space, prefix);
            quote!(Option<#inner>)
        }
        TypeRef::External(path) => external_path(path),
    }
}

/// A replacement type's path, made absolute (`::ids::Id`) so that no item of the generated module can shadow its
/// crate; `crate::`, `self::` and `super::` paths and single names (`String`) are left as given. The text was parsed
/// as a path when the option was read.
fn external_path(path: &str) -> TokenStream {
    let relative = ["crate::", "self::", "super::", "::"].iter().any(|prefix| path.starts_with(prefix));
    let text = if relative || !path.contains("::") { path.to_owned() } else { format!("::{path}") };
    text.parse().unwrap_or_default()
}

fn named(id: TypeId, space: &TypeSpace, prefix: &TokenStream) -> TokenStream {
    let name = ident(&space.get(id).name);
    quote!(#prefix #name)
}

/// Which crates, and which optional parts of the runtime (its features), the generated code needs besides the
/// runtime and serde.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Needs {
    pub chrono: bool,
    /// `time`, and the runtime's `time` feature (its `rfc3339` codec).
    pub time: bool,
    pub uuid: bool,
    /// `thiserror`, for the error enums' `Display` and `Error`.
    pub thiserror: bool,
    /// `validate::pattern` (runtime feature `regex`).
    pub regex: bool,
    /// `EventStream` (runtime feature `sse`).
    pub sse: bool,
}

impl Needs {
    /// The runtime features the generated code needs.
    pub(crate) fn runtime_features(&self) -> Vec<&'static str> {
        [(self.regex, "regex"), (self.sse, "sse"), (self.time, "time")]
            .into_iter()
            .filter(|(needed, _)| *needed)
            .map(|(_, f)| f)
            .collect()
    }
}

pub(crate) fn needs(api: &Api) -> Needs {
    let uses = |pred: &dyn Fn(&TypeRef) -> bool| {
        api.types.any_ref(pred)
            || api.operations.iter().flat_map(crate::ir::Operation::type_refs).any(|ty| ty.any(pred))
    };
    let dates = uses(&|t| matches!(t, TypeRef::DateTime | TypeRef::Date));
    let time = api.types.date_time == DateTimeCrate::Time;
    Needs {
        chrono: dates && !time,
        time: dates && time,
        uuid: uses(&|t| matches!(t, TypeRef::Uuid)),
        thiserror: !api.error_enums.is_empty(),
        regex: api
            .operations
            .iter()
            .flat_map(|op| &op.params)
            .any(|p| p.checks.iter().any(|c| matches!(c, crate::ir::Check::Pattern(_)))),
        sse: api.operations.iter().any(|op| op.events.is_some()),
    }
}
