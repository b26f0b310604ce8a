//! `examples/list.rs`: a program that lists the API's main collection as a table.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{
    Api, BodyKind, Field, ListingItems, Operation, Presence, SuccessBody, TypeId, TypeKind, TypeRef, TypeSpace,
};
use crate::options::DateTimeCrate;

/// A listing's items, with the response field they are in.
enum Source<'a> {
    Stream,
    Field(&'a Field),
    GroupedField(&'a Field),
    Whole,
}

/// The example program, or `None` when the API has no GET operation listing structs.
pub(crate) fn example_program(api: &Api, lib_name: &str, env_prefix: &str) -> Option<(String, TokenStream)> {
    let listing = api.examples.listing.as_ref()?;
    let op = &api.operations[listing.operation];
    let TypeKind::Struct(item) = &api.types.get(listing.item).kind else { return None };
    let columns: Vec<&Field> = listing.columns.iter().map(|&i| &item.fields[i]).collect();
    // The fields of the response struct that `ListingItems::Field` and `GroupedField` point at.
    let response_field = |index: usize| -> Option<&Field> {
        let SuccessBody::Json(ty) = &op.success else { return None };
        let TypeRef::Named(id) = api.types.behind_aliases(ty) else { return None };
        let TypeKind::Struct(response) = &api.types.get(*id).kind else { return None };
        response.fields.get(index)
    };
    let source = match listing.items {
        ListingItems::Stream => Source::Stream,
        ListingItems::Whole => Source::Whole,
        ListingItems::Field(index) => Source::Field(response_field(index)?),
        ListingItems::GroupedField(index) => Source::GroupedField(response_field(index)?),
    };
    let lib = ident(lib_name);
    let method = ident(&op.method_name);
    // A grouped operation is reached through its group's accessor.
    let accessor = op.group.map(|index| {
        let accessor = ident(&api.groups[index].accessor);
        quote!(#accessor().)
    });
    let token_var = format!("{env_prefix}_TOKEN");
    let base_var = format!("{env_prefix}_BASE_URL");
    let mut args = Vec::new();
    let mut env_lines = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let var = crate::ir::naming::env_var(env_prefix, &p.rust_name);
        let name = ident(&p.rust_name);
        let message = format!("set {var} to the `{}` parameter", p.wire_name);
        // Lowering admits only string and integer parameters into a listing (`lower/examples.rs`).
        if p.ty == TypeRef::String {
            env_lines.push(quote!(let #name = std::env::var(#var).map_err(|_| #message)?;));
        } else {
            env_lines.push(quote!(let #name = std::env::var(#var).map_err(|_| #message)?.parse()?;));
        }
        args.push(name);
    }
    let credentials = match &api.auth {
        Some(crate::ir::AuthScheme::Basic) => {
            let user_var = format!("{env_prefix}_USER");
            let password_var = format!("{env_prefix}_PASSWORD");
            quote! {
                let user = std::env::var(#user_var).map_err(|_| concat!("set ", #user_var))?;
                let password = std::env::var(#password_var).map_err(|_| concat!("set ", #password_var))?;
                builder = builder.basic_auth(user, password);
            }
        }
        Some(_) => {
            let message = format!("set {token_var} to an API token");
            quote! {
                let token = std::env::var(#token_var).map_err(|_| #message)?;
                builder = builder.token(token);
            }
        }
        None => TokenStream::new(),
    };
    let grouped = matches!(source, Source::GroupedField(_));
    let mut headers: Vec<String> = Vec::new();
    if grouped {
        headers.push("group".to_owned());
    }
    headers.extend(columns.iter().map(|f| f.wire_name.clone()));
    let width = 24usize;
    let format_row = vec![format!("{{:<{width}}}"); headers.len()].join(" ");
    let cells: Vec<TokenStream> = columns.iter().map(|f| cell(f)).collect();
    let group_cell = if grouped { quote!(group,) } else { TokenStream::new() };
    let print_row = quote!(println!(#format_row, #group_cell #(#cells),*););
    let call = quote!(client.#accessor #method(#(#args),*));
    let body = match source {
        Source::Stream => quote! {
            let mut items = #call.items();
            while let Some(item) = items.next().await {
                let item = item?;
                #print_row
            }
        },
        Source::Whole => quote! {
            for item in #call.send().await? {
                #print_row
            }
        },
        Source::Field(field) => {
            let name = ident(&field.rust_name);
            let list = match field.presence() {
                Presence::Always => quote!(response.#name),
                Presence::Option => quote!(response.#name.unwrap_or_default()),
                Presence::DoubleOption => quote!(response.#name.flatten().unwrap_or_default()),
            };
            quote! {
                let response = #call.send().await?;
                for item in #list {
                    #print_row
                }
            }
        }
        Source::GroupedField(field) => {
            let name = ident(&field.rust_name);
            let map = match field.presence() {
                Presence::Always => quote!(response.#name),
                Presence::Option => quote!(response.#name.unwrap_or_default()),
                Presence::DoubleOption => quote!(response.#name.flatten().unwrap_or_default()),
            };
            quote! {
                let response = #call.send().await?;
                for (group, items) in #map {
                    for item in items {
                        #print_row
                    }
                }
            }
        }
    };
    let stream_import = if matches!(source, Source::Stream) {
        quote!(use #lib::runtime::futures::StreamExt;)
    } else {
        TokenStream::new()
    };
    let settings = match credential_variables(api, env_prefix) {
        Some(variables) => format!(" Set {variables} (and optionally `{base_var}` to use another server)."),
        None => format!(" Set `{base_var}` to use another server."),
    };
    let header_doc = format!(" Lists `{} {}` as a table.{settings}", op.http_method, op.path.text);
    // The program holds the API's types in an async fn: types nested past rustc's default limit need it raised here
    // as in the library.
    let recursion_limit = crate::render::recursion_limit(&api.types).map(|limit| {
        let limit = limit.to_string();
        quote!(#![recursion_limit = #limit])
    });
    let tokens = quote! {
        #![doc = #header_doc]
        // Generated code keeps the generator's formatting (see the crate's lib.rs).
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #recursion_limit
        #stream_import
        use #lib::Client;

        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let mut builder = Client::builder();
            #credentials
            if let Ok(base_url) = std::env::var(#base_var) {
                builder = builder.base_url(base_url);
            }
            let client = builder.build()?;
            #(#env_lines)*
            println!(#format_row, #(#headers),*);
            #body
            Ok(())
        }
    };
    Some(("list".to_owned(), tokens))
}

fn cell(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    match field.presence() {
        Presence::Always => quote!(item.#name.to_string()),
        Presence::Option => quote!(item.#name.as_ref().map(ToString::to_string).unwrap_or_default()),
        Presence::DoubleOption if field.ty == TypeRef::I64String => {
            quote!(item.#name.as_ref().map(ToString::to_string).unwrap_or_default())
        }
        Presence::DoubleOption => {
            quote!(item.#name.as_ref().and_then(Option::as_ref).map(ToString::to_string).unwrap_or_default())
        }
    }
}

/// The environment variables the example program reads credentials from, as Markdown (`P_TOKEN`, or `P_USER` and
/// `P_PASSWORD`), or `None` when the API declares no authentication.
pub(crate) fn credential_variables(api: &Api, env_prefix: &str) -> Option<String> {
    match api.auth.as_ref()? {
        crate::ir::AuthScheme::Basic => Some(format!("`{env_prefix}_USER` and `{env_prefix}_PASSWORD`")),
        _ => Some(format!("`{env_prefix}_TOKEN`")),
    }
}

/// The call the README's examples make: `method(arguments)` on the `Client`, and the operation it calls.
pub(crate) struct ReadmeCall<'a> {
    /// The operation.
    pub op: &'a Operation,
    /// `method(arguments)`, Rust source.
    pub call: String,
    /// Whether the arguments name types of the crate's `types` module.
    pub uses_types: bool,
    /// The expression that builds the client: `Client::new("TOKEN")?` with the arguments the API needs.
    pub build_client: String,
}

/// The operation the README shows and a call of it whose every argument is a value of the parameter's type: the
/// first of `Api::examples.readme_order` whose required arguments can be written (a required field cycle has no
/// finite value). `None` when no operation qualifies.
pub(crate) fn readme_call(api: &Api) -> Option<ReadmeCall<'_>> {
    readme_call_where(api, |_| true)
}

/// Like [`readme_call`], among the operations `wanted` accepts (a streamed download, an event stream).
pub(crate) fn readme_call_where(api: &Api, wanted: impl Fn(&Operation) -> bool) -> Option<ReadmeCall<'_>> {
    let mut candidates = api.examples.readme_order.iter().map(|&i| &api.operations[i]).filter(|op| wanted(op));
    // The README's examples `use` the crate's `types` module.
    let values = Values { space: &api.types, types_path: "types::".to_owned() };
    candidates.find_map(|op| {
        let args = values.arguments(op)?;
        let one_line = format!("{}({})", op.call, args.join(", "));
        // The call sits four spaces deep in the README's functions: long ones get an argument per line.
        let call = if one_line.len() <= 80 {
            one_line
        } else {
            format!("{}(\n{}    )", op.call, args.iter().map(|a| format!("        {a},\n")).collect::<String>())
        };
        let uses_types = args.iter().any(|a| a.contains("types::"));
        Some(ReadmeCall { op, call, uses_types, build_client: readme_client(api) })
    })
}

/// `Client::new(…)?` with placeholder credentials and, when the spec names no server, a base URL.
fn readme_client(api: &Api) -> String {
    let base = if api.server.is_some() { "" } else { "\"https://api.example.com\"" };
    let credentials = match &api.auth {
        Some(crate::ir::AuthScheme::Basic) => "\"user\", \"password\"",
        Some(_) => "\"TOKEN\"",
        None => "",
    };
    let separator = if base.is_empty() || credentials.is_empty() { "" } else { ", " };
    format!("Client::new({base}{separator}{credentials})?")
}

/// Writes Rust expressions for values of IR types, as code outside the crate sees them.
struct Values<'a> {
    space: &'a TypeSpace,
    /// How types of the crate are named: `types::`.
    types_path: String,
}

impl Values<'_> {
    /// The arguments of the client method: required parameters, then a required body.
    fn arguments(&self, op: &Operation) -> Option<Vec<String>> {
        let mut args = Vec::new();
        for param in op.params.iter().filter(|p| p.required) {
            let value = match (&param.ty, param.constraints.minimum) {
                // The smallest value the parameter's `minimum` allows, so the example passes validation.
                (
                    TypeRef::I8
                    | TypeRef::I16
                    | TypeRef::I32
                    | TypeRef::I64
                    | TypeRef::U8
                    | TypeRef::U16
                    | TypeRef::U32
                    | TypeRef::U64
                    | TypeRef::I64String,
                    Some((min, exclusive)),
                ) => {
                    let mut value = min.ceil();
                    if exclusive && value == min {
                        value += 1.0;
                    }
                    format!("{}", value.max(0.0) as u64)
                }
                (TypeRef::F32 | TypeRef::F64, Some((min, exclusive))) => {
                    format!("{:?}", min + f64::from(u8::from(exclusive)))
                }
                // String parameters take `impl Into<String>`: a literal reads best.
                (TypeRef::String, _) => string_literal(&param.wire_name),
                (ty, _) => self.value(ty, &param.wire_name, true, &mut Vec::new())?,
            };
            args.push(value);
        }
        if let Some(body) = op.body.as_ref().filter(|b| b.required) {
            args.push(match body.kind {
                // The body takes `impl Into<rt::Body>`: the element type must be said.
                BodyKind::Bytes => "Vec::<u8>::new()".to_owned(),
                BodyKind::Text => format!("{}.to_owned()", string_literal("text")),
                BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                    self.value(&body.ty, "body", true, &mut Vec::new())?
                }
            });
        }
        Some(args)
    }

    /// A value of `ty`; `hint` names it (a string's content), `direct` says that it is a field's or parameter's own
    /// type (where an int64-as-string is an `i64`), and `stack` holds the named types being built, so a cycle gives
    /// `None` instead of an endless value.
    fn value(&self, ty: &TypeRef, hint: &str, direct: bool, stack: &mut Vec<TypeId>) -> Option<String> {
        Some(match ty {
            // Nothing is known of how a replacement type is made.
            TypeRef::External(_) => return None,
            TypeRef::String => format!("{}.to_owned()", string_literal(hint)),
            TypeRef::I64String if direct => "0".to_owned(),
            TypeRef::I64String => format!("{}.to_owned()", string_literal("0")),
            TypeRef::Bool => "false".to_owned(),
            TypeRef::I8
            | TypeRef::I16
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::U8
            | TypeRef::U16
            | TypeRef::U32
            | TypeRef::U64 => "0".to_owned(),
            TypeRef::F32 | TypeRef::F64 => "0.0".to_owned(),
            // `Default` is the Unix epoch; it needs no clock feature.
            TypeRef::DateTime if self.space.date_time == DateTimeCrate::Time => {
                "time::OffsetDateTime::UNIX_EPOCH".to_owned()
            }
            TypeRef::Date if self.space.date_time == DateTimeCrate::Time => {
                "time::OffsetDateTime::UNIX_EPOCH.date()".to_owned()
            }
            TypeRef::DateTime => "chrono::DateTime::<chrono::Utc>::default()".to_owned(),
            TypeRef::Date => "chrono::NaiveDate::default()".to_owned(),
            TypeRef::Uuid => "uuid::Uuid::nil()".to_owned(),
            TypeRef::Json => "serde_json::Value::Null".to_owned(),
            TypeRef::Bytes | TypeRef::Vec(_) => "Vec::new()".to_owned(),
            TypeRef::Map(_) => "std::collections::BTreeMap::new()".to_owned(),
            TypeRef::Option(_) => "None".to_owned(),
            TypeRef::Named(id) => {
                if stack.contains(id) {
                    return None;
                }
                stack.push(*id);
                let value = self.named(*id, hint, stack);
                stack.pop();
                value?
            }
        })
    }

    fn named(&self, id: TypeId, hint: &str, stack: &mut Vec<TypeId>) -> Option<String> {
        let def = self.space.get(id);
        let path = format!("{}{}", self.types_path, def.name);
        Some(match &def.kind {
            TypeKind::Struct(s) => {
                let mut fields = Vec::new();
                for field in &s.fields {
                    let value = match field.presence() {
                        Presence::Always => {
                            let value = self.value(&field.ty, &field.wire_name, true, stack)?;
                            if self.space.needs_box(id, &field.ty) {
                                format!("Box::new({value})")
                            } else {
                                value
                            }
                        }
                        Presence::Option | Presence::DoubleOption => "None".to_owned(),
                    };
                    fields.push(format!("{}: {value}", field.rust_name));
                }
                if let Some(extra) = &s.additional {
                    fields.push(format!("{}: std::collections::BTreeMap::new()", extra.rust_name));
                }
                if fields.is_empty() {
                    format!("{path} {{}}")
                } else {
                    format!("{path} {{ {} }}", fields.join(", "))
                }
            }
            TypeKind::Enum(e) => match e.variants.first() {
                Some(variant) => format!("{path}::{}", variant.rust_name),
                None => format!("{path}::{}({}.to_owned())", e.fallback.as_ref()?, string_literal(hint)),
            },
            // The first alternative that has a value of its own (a recursive one would need a `Box`).
            TypeKind::Union(u) => u.variants.iter().find_map(|variant| {
                if self.space.needs_box(id, &variant.ty) {
                    return None;
                }
                let value = self.value(&variant.ty, hint, false, stack)?;
                Some(format!("{path}::{}({value})", variant.rust_name))
            })?,
            TypeKind::Alias(target) => self.value(target, hint, false, stack)?,
            TypeKind::Newtype(target) => {
                let value = self.value(target, hint, false, stack)?;
                if self.space.needs_box(id, target) {
                    format!("{path}(Box::new({value}))")
                } else {
                    format!("{path}({value})")
                }
            }
        })
    }
}

/// A Rust string literal.
fn string_literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}
