//! Operations → the `Client`, one request builder and one error enum per operation.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc_attrs, doc_line, ident, rfc3339_text, rust_type, RuntimePath};
use crate::ir::{
    Api, AuthScheme, BodyKind, Check, ErrorBodyKind, ErrorEnum, FieldPath, FormLayout, MultipartLayout, Operation,
    PaginationStyle, Param, ParamLocation, ParamStyle, ParamText, PartWrite, Presence, StatusMatch, SuccessBody,
    TypeRef, TypeSpace,
};

/// The `use`s the `client` module starts with: the runtime as `rt`, and, when they are named, the `types` module
/// and the runtime's parameter serializations (imported only when used, as generated code has no unused imports).
pub(crate) fn client_use(api: &Api, rt: &RuntimePath) -> TokenStream {
    let rt_path = &rt.0;
    let named = |ty: &TypeRef| ty.any(&|t| matches!(t, TypeRef::Named(_)));
    let uses_types = api.operations.iter().flat_map(Operation::type_refs).any(named)
        || api
            .error_enums
            .iter()
            .flat_map(|e| &e.responses)
            .any(|r| matches!(&r.body, Some(ErrorBodyKind::Json(ty)) if named(ty)));
    let types = uses_types.then(|| {
        quote!(
            use super::types;
        )
    });
    let uses_param = api.operations.iter().flat_map(|op| &op.params).any(|p| !p.has_default_serialization());
    let param = uses_param.then(|| {
        quote!(
            use rt::param;
        )
    });
    quote! {
        #types
        use #rt_path as rt;
        #param
    }
}

/// The `Client` struct and its constructors.
pub(crate) fn client_items(api: &Api) -> TokenStream {
    let client = client_struct(api);
    let groups = api.groups.iter().map(|group| {
        let accessor = ident(&group.accessor);
        let name = ident(&group.type_name);
        let tag = crate::ir::naming::code_span(&group.tag);
        let accessor_doc = doc_line(&format!("The operations tagged {tag}."));
        let mut type_doc =
            doc_line(&format!("The operations tagged {tag}: reach them with [`Client::{}`].", group.accessor));
        if let Some(text) = &group.doc {
            let text = doc_attrs(Some(text));
            type_doc = quote!(#type_doc #[doc = ""] #text);
        }
        quote! {
            impl Client {
                #accessor_doc
                pub fn #accessor(&self) -> #name<'_> {
                    #name { client: self }
                }
            }

            #type_doc
            #[derive(Debug, Clone, Copy)]
            pub struct #name<'a> {
                client: &'a Client,
            }
        }
    });
    quote!(#client #(#groups)*)
}

/// Statements adding the parts of the multipart `body` (a reference) to `form`, as the IR's layout says.
fn multipart_parts(layout: Option<&MultipartLayout>, space: &TypeSpace) -> TokenStream {
    let Some(MultipartLayout::Properties { parts, additional }) = layout else {
        return quote!(form.value("body", &rt::codec::to_json_value("body", body)?););
    };
    let mut out = TokenStream::new();
    for part in parts {
        let name = ident(&part.field);
        let statement = if part.repeated {
            let each = part_statement(&part.wire, &part.write, quote!(item), space);
            quote!(for item in value { #each })
        } else {
            part_statement(&part.wire, &part.write, quote!(value), space)
        };
        out.extend(match part.presence {
            Presence::Always => quote! { let value = &body.#name; #statement },
            Presence::Option => quote! { if let Some(value) = &body.#name { #statement } },
            Presence::DoubleOption => quote! { if let Some(Some(value)) = &body.#name { #statement } },
        });
    }
    if let Some(extra) = additional {
        let name = ident(extra);
        out.extend(quote! {
            for (name, value) in &body.#name {
                form.value(name, &rt::codec::to_json_value(name, value)?);
            }
        });
    }
    out
}

/// The statement writing one value (a reference) as a part.
fn part_statement(wire: &str, write: &PartWrite, value: TokenStream, space: &TypeSpace) -> TokenStream {
    let text = rfc3339_text(space, quote!(#value));
    match write {
        PartWrite::Deep => quote!(form.deep(#wire, rt::codec::to_json_value(#wire, #value)?);),
        PartWrite::Json(Some(media)) => quote!(form.json(#wire, &rt::codec::to_json_value(#wire, #value)?, #media);),
        PartWrite::Json(None) => quote!(form.value(#wire, &rt::codec::to_json_value(#wire, #value)?);),
        PartWrite::File(Some(media)) => quote!(form.file_as(#wire, #value, #media);),
        PartWrite::File(None) => quote!(form.file(#wire, #value);),
        PartWrite::Text(Some(media)) => quote!(form.text_as(#wire, #value, #media);),
        PartWrite::Text(None) => quote!(form.text(#wire, #value);),
        PartWrite::Rfc3339Text(Some(media)) => quote!(form.text_as(#wire, #text, #media);),
        PartWrite::Rfc3339Text(None) => quote!(form.text(#wire, #text);),
    }
}

/// The methods, request builders and error enums of the operations in `range`.
pub(crate) fn operation_items(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    // The chunk's client methods in one `impl Client` block (and one per group their operations are in), then their
    // builders.
    let operations = &api.operations[range];
    let (methods, items): (Vec<_>, Vec<_>) = operations.iter().map(|op| operation(op, api)).unzip();
    let on_client = operations.iter().zip(&methods).filter(|(op, _)| op.group.is_none()).map(|(_, m)| m);
    let mut groups: Vec<usize> = operations.iter().filter_map(|op| op.group).collect();
    groups.sort_unstable();
    groups.dedup();
    let group_impls = groups.iter().map(|&index| {
        let name = ident(&api.groups[index].type_name);
        let methods = operations.iter().zip(&methods).filter(|(op, _)| op.group == Some(index)).map(|(_, m)| m);
        quote! {
            impl<'a> #name<'a> {
                #(#methods)*
            }
        }
    });
    let client_impl = if operations.iter().any(|op| op.group.is_none()) {
        quote! {
            impl Client {
                #(#on_client)*
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #client_impl
        #(#group_impls)*

        #(#items)*
    }
}

fn types_prefix() -> TokenStream {
    quote!(types::)
}

fn client_struct(api: &Api) -> TokenStream {
    let title = crate::ir::naming::doc_text(&format!(
        " A client for the {} (version {}).",
        crate::ir::naming::api_name(&api.title),
        api.api_version
    ));
    let title = format!(" {title}");
    let server = api.server.as_ref().map(|server| {
        let url = &server.url;
        let variables = server.variables.iter().map(|v| {
            let name = &v.name;
            let default = &v.default;
            let allowed = &v.allowed;
            quote!(rt::ServerVariable { name: #name, default: #default, allowed: &[#(#allowed),*] })
        });
        quote!(.server(#url, &[#(#variables),*]))
    });
    let auth = api.auth.as_ref().map(|scheme| {
        let scheme = match scheme {
            AuthScheme::Bearer => quote!(rt::AuthScheme::Bearer),
            AuthScheme::Basic => quote!(rt::AuthScheme::Basic),
            AuthScheme::ApiKeyHeader(name) => quote!(rt::AuthScheme::ApiKeyHeader(#name)),
            AuthScheme::ApiKeyQuery(name) => quote!(rt::AuthScheme::ApiKeyQuery(#name)),
            AuthScheme::ApiKeyCookie(name) => quote!(rt::AuthScheme::ApiKeyCookie(#name)),
        };
        quote!(.auth_scheme(#scheme))
    });
    let server_doc = match &api.server {
        Some(server) => format!(" Requests go to `{}` unless [`ClientBuilder::base_url`] says otherwise.", server.url),
        None => " The spec names no absolute server: set one with [`ClientBuilder::base_url`].".to_owned(),
    };
    let token_arg = match &api.auth {
        Some(AuthScheme::Basic) => Some(quote!(user: impl Into<String>, password: impl Into<String>)),
        Some(_) => Some(quote!(token: impl Into<String>)),
        None => None,
    };
    let token_call = match &api.auth {
        Some(AuthScheme::Basic) => quote!(.basic_auth(user, password)),
        Some(_) => quote!(.token(token)),
        None => TokenStream::new(),
    };
    let (new_args, new_base) = match (&api.server, token_arg) {
        (Some(_), Some(token)) => (quote!(#token), TokenStream::new()),
        (Some(_), None) => (TokenStream::new(), TokenStream::new()),
        (None, Some(token)) => (quote!(base_url: impl AsRef<str>, #token), quote!(.base_url(base_url))),
        (None, None) => (quote!(base_url: impl AsRef<str>), quote!(.base_url(base_url))),
    };
    let new_doc = match &api.auth {
        Some(_) => " A client for the default server with these credentials and default settings.",
        None => " A client with default settings.",
    };
    quote! {
        #[doc = #title]
        ///
        #[doc = #server_doc]
        /// Cloning is cheap: clones share one connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: rt::Client,
        }

        /// Configures a [`Client`]: base URL and server variables, credentials, user agent, timeouts and retries.
        pub type ClientBuilder = rt::ClientBuilder<Client>;

        impl From<rt::Client> for Client {
            fn from(inner: rt::Client) -> Self {
                Client { inner }
            }
        }

        impl Client {
            /// A builder preset with this API's server, authentication scheme and a user agent.
            pub fn builder() -> ClientBuilder {
                rt::ClientBuilder::new()
                    #server
                    #auth
                    .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            }

            #[doc = #new_doc]
            pub fn new(#new_args) -> Result<Self, rt::BuildError> {
                Self::builder() #new_base #token_call .build()
            }

            /// The runtime client underneath, for requests this crate has no method for.
            pub fn runtime(&self) -> &rt::Client {
                &self.inner
            }
        }
    }
}

fn param_type(param: &Param, space: &TypeSpace) -> TokenStream {
    if param.ty == TypeRef::I64String {
        quote!(i64)
    } else {
        rust_type(&param.ty, space, &types_prefix())
    }
}

/// The operation's method of `Client`, and its builder, trait impls and error alias.
fn operation(op: &Operation, api: &Api) -> (TokenStream, TokenStream) {
    let space = &api.types;
    let builder = ident(&op.builder_name);
    let error = ident(&op.error_name);
    let method = ident(&op.method_name);
    let route = format!(" `{} {}`", op.http_method, op.path.text.replace('`', "'"));
    let mut docs = doc_attrs(op.doc.as_deref());
    if op.deprecated {
        let note = doc_line("**Deprecated.**");
        docs = quote!(#docs #[doc = ""] #note);
    }
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();

    // Arguments of the client method: required parameters, then a required body.
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut fields = Vec::new();
    for p in &required {
        let name = ident(&p.rust_name);
        let ty = param_type(p, space);
        if p.takes_into_string {
            args.push(quote!(#name: impl Into<String>));
            inits.push(quote!(#name: #name.into()));
        } else {
            args.push(quote!(#name: #ty));
            inits.push(quote!(#name));
        }
        fields.push(quote!(#name: #ty));
    }
    for p in &optional {
        let name = ident(&p.rust_name);
        let ty = param_type(p, space);
        inits.push(quote!(#name: None));
        fields.push(quote!(#name: Option<#ty>));
    }
    let body_ty = op.body.as_ref().map(|b| match b.kind {
        BodyKind::Bytes => quote!(rt::Body),
        BodyKind::Text => quote!(String),
        BodyKind::Json | BodyKind::Form | BodyKind::Multipart => rust_type(&b.ty, space, &types_prefix()),
    });
    let mut body_setter = TokenStream::new();
    if let (Some(body), Some(ty)) = (&op.body, &body_ty) {
        // A binary body takes bytes in any form, or a stream or file (`rt::Body`).
        let (arg_ty, value) = match body.kind {
            BodyKind::Bytes => (quote!(impl Into<#ty>), quote!(body.into())),
            _ => (ty.clone(), quote!(body)),
        };
        if body.required {
            args.push(quote!(body: #arg_ty));
            inits.push(if body.kind == BodyKind::Bytes { quote!(body: body.into()) } else { quote!(body) });
            fields.push(quote!(body: #ty));
        } else {
            inits.push(quote!(body: None));
            fields.push(quote!(body: Option<#ty>));
            let body_doc = doc_attrs(body.doc.as_deref().or(Some("The request body.")));
            body_setter = quote! {
                #body_doc
                pub fn body(mut self, body: #arg_ty) -> Self {
                    self.body = Some(#value);
                    self
                }
            };
        }
    }
    let too_many = if args.len() > 6 { quote!(#[allow(clippy::too_many_arguments)]) } else { TokenStream::new() };

    let setters = optional.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = param_type(p, space);
        let mut doc = doc_attrs(p.doc.as_deref());
        if doc.is_empty() {
            doc = doc_line(&format!("Sets `{}`.", p.wire_name.replace('`', "'")));
        }
        if p.takes_into_string {
            quote! {
                #doc
                pub fn #name(mut self, value: impl Into<String>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            }
        } else {
            quote! {
                #doc
                pub fn #name(mut self, value: #ty) -> Self {
                    self.#name = Some(value);
                    self
                }
            }
        }
    });
    let request = request_fn(op, &api.types);
    let (output, format) = success_type(op, space);
    let error_type = match op.error_enum.map(|index| &api.error_enums[index]) {
        // The macro declares `<Op>Error` as an alias of the shared enum.
        Some(shared) if shared.name != op.error_name => {
            let shared = ident(&shared.name);
            quote!(#error = #shared)
        }
        Some(_) => quote!(#error),
        None => quote!(rt::NoErrorBody),
    };
    let failure = op.failure.as_ref().map(|check| {
        let property = &check.property;
        let values = &check.values;
        let message = match &check.message {
            Some(name) => quote!(Some(#name)),
            None => quote!(None),
        };
        quote! {
            /// When a 2xx body means failure (the spec's `x-error-when`).
            const FAILURE_RULE: rt::FailureRule =
                rt::FailureRule { property: #property, equals: &[#(#values),*], message: #message };
        }
    });
    // A literal in the macro's arguments would be printed token by token: the rule is a constant of the builder.
    let failure_arg = failure.as_ref().map(|_| quote!(, failure = Self::FAILURE_RULE));
    let paginated = paginated_impl(op, space, &builder);
    let paging = op.pagination.as_ref().map(|_| quote!(; paginated));
    let streaming = matches!(op.success, SuccessBody::Bytes).then(|| quote!(; streaming));
    let events = op.events.as_ref().map(|ty| {
        let ty = rust_type(ty, space, &types_prefix());
        quote!(; events = #ty)
    });
    let optional_body = matches!(&op.body, Some(body) if !body.required);
    let builder_doc = if optional.is_empty() && !optional_body {
        format!(" Request builder for [`{}`]: `.send().await` it, or `.await` it directly.", op.doc_path)
    } else {
        format!(
            " Request builder for [`{}`]: set optional parameters, then `.send().await` (or `.await` it).",
            op.doc_path
        )
    };

    let separator = if docs.is_empty() { TokenStream::new() } else { quote!(#[doc = ""]) };
    // A group's method hands on the client the group borrows, for as long as the group's borrow lasts.
    let (lifetime, client) =
        if op.group.is_some() { (quote!('a), quote!(self.client)) } else { (quote!('_), quote!(self)) };
    let client_method = quote! {
        #docs
        #separator
        #[doc = #route]
        #too_many
        pub fn #method(&self, #(#args),*) -> #builder<#lifetime> {
            #builder { client: #client, #(#inits),* }
        }
    };
    let items = quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request builder does nothing until it is sent"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields,)*
        }

        impl #builder<'_> {
            #failure
            #(#setters)*
            #body_setter
            #request
        }

        rt::operation!(rt, #builder -> #output, #error_type, #format #failure_arg #paging #streaming #events);

        #paginated

    };
    (client_method, items)
}

/// The runtime's name for a parameter style.
fn style_tokens(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::Simple => quote!(param::Style::Simple),
        ParamStyle::Label => quote!(param::Style::Label),
        ParamStyle::Matrix => quote!(param::Style::Matrix),
        ParamStyle::Form => quote!(param::Style::Form),
        ParamStyle::SpaceDelimited => quote!(param::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(param::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(param::Style::DeepObject),
        ParamStyle::Json => quote!(param::Style::Json),
    }
}

/// The runtime's `Serialization` for a parameter: a named default, or style and explode spelled out.
fn serialization(p: &Param) -> TokenStream {
    let named = |name: &str| {
        let name = quote::format_ident!("{}", name);
        quote!(param::#name)
    };
    let base = match (p.style, p.explode) {
        (ParamStyle::Form, true) => named("FORM"),
        (ParamStyle::Form, false) => named("FORM_NO_EXPLODE"),
        (ParamStyle::Simple, false) => named("SIMPLE"),
        (ParamStyle::Simple, true) => named("SIMPLE_EXPLODE"),
        (ParamStyle::Label, false) => named("LABEL"),
        (ParamStyle::Label, true) => named("LABEL_EXPLODE"),
        (ParamStyle::Matrix, false) => named("MATRIX"),
        (ParamStyle::Matrix, true) => named("MATRIX_EXPLODE"),
        (ParamStyle::SpaceDelimited, false) => named("SPACE_DELIMITED"),
        (ParamStyle::SpaceDelimited, true) => named("SPACE_DELIMITED_EXPLODE"),
        (ParamStyle::PipeDelimited, false) => named("PIPE_DELIMITED"),
        (ParamStyle::PipeDelimited, true) => named("PIPE_DELIMITED_EXPLODE"),
        (ParamStyle::DeepObject, true) => named("DEEP_OBJECT"),
        (ParamStyle::Json, false) => named("JSON"),
        (style, explode) => {
            let style = style_tokens(style);
            quote!(param::Serialization::new(#style, #explode))
        }
    };
    if p.allow_reserved {
        quote!(#base.allow_reserved())
    } else {
        base
    }
}

/// The value of parameter `p` as an `Option<&T>` for the runtime (`Some` for a required parameter), converted as
/// the IR says.
fn param_value(p: &Param, space: &TypeSpace) -> TokenStream {
    let field = ident(&p.rust_name);
    let own = rfc3339_text(space, quote!(self.#field));
    let each = rfc3339_text(space, quote!(v));
    match (p.text, p.required) {
        (ParamText::AsIs, true) => quote!(Some(&self.#field)),
        (ParamText::AsIs, false) => quote!(self.#field.as_ref()),
        (ParamText::Rfc3339, true) => quote!(Some(&#own)),
        (ParamText::Rfc3339, false) => quote!(self.#field.map(|v| #each).as_ref()),
        (ParamText::Rfc3339Items, true) => {
            quote!(Some(&self.#field.iter().map(|v| #each).collect::<Vec<_>>()))
        }
        (ParamText::Rfc3339Items, false) => {
            quote!(self.#field.as_ref().map(|items| items.iter().map(|v| #each).collect::<Vec<_>>()).as_ref())
        }
    }
}

/// One `rt::validate` call per check of `p`.
fn check_calls(p: &Param) -> Vec<TokenStream> {
    let wire = &p.wire_name;
    let field = ident(&p.rust_name);
    let value = if p.required { quote!(&self.#field) } else { quote!(self.#field.as_ref()) };
    let slice = if p.required { quote!(self.#field.as_slice()) } else { quote!(self.#field.as_deref()) };
    p.checks
        .iter()
        .map(|check| match check {
            Check::Minimum(min, exclusive) => {
                let min = Literal::f64_suffixed(*min);
                quote!(rt::validate::minimum(#wire, #value, #min, #exclusive)?;)
            }
            Check::Maximum(max, exclusive) => {
                let max = Literal::f64_suffixed(*max);
                quote!(rt::validate::maximum(#wire, #value, #max, #exclusive)?;)
            }
            Check::MinLength(min) => {
                let min = Literal::usize_unsuffixed(*min);
                quote!(rt::validate::min_length(#wire, #value, #min)?;)
            }
            Check::MaxLength(max) => {
                let max = Literal::usize_unsuffixed(*max);
                quote!(rt::validate::max_length(#wire, #value, #max)?;)
            }
            Check::Pattern(pattern) => quote!(rt::validate::pattern(#wire, #value, #pattern)?;),
            Check::MinItems(min) => {
                let min = Literal::usize_unsuffixed(*min);
                quote!(rt::validate::min_items(#wire, #slice, #min)?;)
            }
            Check::MaxItems(max) => {
                let max = Literal::usize_unsuffixed(*max);
                quote!(rt::validate::max_items(#wire, #slice, #max)?;)
            }
            Check::Known => quote!(rt::validate::known(#wire, #value)?;),
            Check::KnownItems => quote!(rt::validate::known_items(#wire, #slice)?;),
        })
        .collect()
}

/// `fn build_request(&self)` (what `Operation::request` calls): the method and path template, each parameter
/// checked and added by the runtime in its location and serialization, then the body.
fn request_fn(op: &Operation, space: &TypeSpace) -> TokenStream {
    let template = &op.path.text;
    let method = format_ident!("{}", op.http_method.as_str().to_ascii_lowercase());
    let mut statements = Vec::new();
    for p in &op.params {
        statements.extend(check_calls(p));
        let wire = &p.wire_name;
        let (suffix, serialization) =
            if p.has_default_serialization() { ("", None) } else { ("_with", Some(serialization(p))) };
        let serialization = serialization.map(|s| quote!(, #s));
        let location = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        let call = format_ident!("{location}_param{suffix}");
        let value = match p.location {
            // Path parameters are required: the runtime takes the value itself.
            ParamLocation::Path => {
                let field = ident(&p.rust_name);
                let own = rfc3339_text(space, quote!(self.#field));
                let each = rfc3339_text(space, quote!(v));
                match p.text {
                    ParamText::AsIs => quote!(&self.#field),
                    ParamText::Rfc3339 => quote!(&#own),
                    ParamText::Rfc3339Items => quote!(&self.#field.iter().map(|v| #each).collect::<Vec<_>>()),
                }
            }
            _ => param_value(p, space),
        };
        statements.push(quote!(request.#call(#wire, #value #serialization)?;));
    }
    if let Some(body) = &op.body {
        let content_type = &body.content_type;
        let stmt = match body.kind {
            BodyKind::Json => quote!(request.json(body)?;),
            BodyKind::Form => match &body.form {
                Some(FormLayout::DeepObject) => quote!(request.form_deep_object(body)?;),
                Some(FormLayout::DeepObjectOnly(deep)) => {
                    quote!(request.form(&rt::form::deep_object(rt::codec::to_json_value("body", body)?, &[#(#deep),*]))?;)
                }
                Some(FormLayout::Form) | None => quote!(request.form(body)?;),
            },
            BodyKind::Multipart => {
                let parts = multipart_parts(body.multipart.as_ref(), space);
                quote! {
                    let mut form = rt::form::Multipart::new();
                    #parts
                    request.multipart(form);
                }
            }
            BodyKind::Text => quote!(request.text(#content_type, body.clone());),
            BodyKind::Bytes => quote!(request.bytes(#content_type, body.clone());),
        };
        statements.push(if body.required {
            quote! { let body = &self.body; #stmt }
        } else {
            quote! { if let Some(body) = &self.body { #stmt } }
        });
    }
    if op.anonymous {
        statements.push(quote!(request.without_credentials();));
    }
    let body = if statements.is_empty() {
        quote!(Ok(rt::Request::#method(#template)))
    } else {
        quote! {
            let mut request = rt::Request::#method(#template);
            #(#statements)*
            Ok(request)
        }
    };
    quote! {
        fn build_request(&self) -> Result<rt::Request, rt::ValidationError> {
            #body
        }
    }
}

/// The operation's output type and the name of the runtime format that reads it.
fn success_type(op: &Operation, space: &TypeSpace) -> (TokenStream, TokenStream) {
    match &op.success {
        SuccessBody::Empty => (quote!(()), quote!(NoContent)),
        SuccessBody::Json(ty) => (rust_type(ty, space, &types_prefix()), quote!(Json)),
        SuccessBody::Text => (quote!(String), quote!(Text)),
        SuccessBody::Bytes => (quote!(rt::bytes::Bytes), quote!(Binary)),
    }
}

/// An expression reaching through `path` from `root` (a reference): `(tokens, is_option)`. A non-option result is a
/// place expression (`page.a.b`), which method calls auto-borrow; an option result is `Option<&T>`.
fn borrow_path(root: TokenStream, path: &FieldPath) -> (TokenStream, bool) {
    let mut expr = root;
    let mut optional = false;
    for step in &path.steps {
        let field = ident(&step.rust_name);
        (expr, optional) = match (optional, step.presence) {
            (false, Presence::Always) => (quote!(#expr.#field), false),
            (false, Presence::Option) => (quote!(#expr.#field.as_ref()), true),
            (false, Presence::DoubleOption) => (quote!(#expr.#field.as_ref().and_then(Option::as_ref)), true),
            (true, Presence::Always) => (quote!(#expr.map(|v| &v.#field)), true),
            (true, Presence::Option) => (quote!(#expr.and_then(|v| v.#field.as_ref())), true),
            (true, Presence::DoubleOption) => {
                (quote!(#expr.and_then(|v| v.#field.as_ref()).and_then(Option::as_ref)), true)
            }
        };
    }
    (expr, optional)
}

/// An expression moving the items out of `page`: always a `Vec`.
fn owned_items(path: &FieldPath) -> TokenStream {
    let mut expr = quote!(page);
    let mut optional = false;
    for step in &path.steps {
        let field = ident(&step.rust_name);
        (expr, optional) = match (optional, step.presence) {
            (false, Presence::Always) => (quote!(#expr.#field), false),
            (false, Presence::Option) => (quote!(#expr.#field), true),
            (false, Presence::DoubleOption) => (quote!(#expr.#field.flatten()), true),
            (true, Presence::Always) => (quote!(#expr.map(|v| v.#field)), true),
            (true, Presence::Option) => (quote!(#expr.and_then(|v| v.#field)), true),
            (true, Presence::DoubleOption) => (quote!(#expr.and_then(|v| v.#field.flatten())), true),
        };
    }
    if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    }
}

/// `rt::paginated!`: the style, the items of a page and what the page says about the next one.
fn paginated_impl(op: &Operation, space: &TypeSpace, builder: &proc_macro2::Ident) -> TokenStream {
    let Some(pagination) = &op.pagination else { return TokenStream::new() };
    let item = rust_type(&pagination.item_type, space, &types_prefix());
    let limit_param = match pagination.style.limit() {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    let style = match &pagination.style {
        PaginationStyle::PageNumber { param, first } => {
            let first = Literal::u64_unsuffixed(*first);
            quote!(PageNumber { page_param: #param, first_page: #first })
        }
        PaginationStyle::Offset { param, .. } => quote!(Offset { offset_param: #param, limit_param: #limit_param }),
        PaginationStyle::Marker { param, .. } => quote!(Marker { marker_param: #param, limit_param: #limit_param }),
        PaginationStyle::PageToken { param } => quote!(PageToken { token_param: #param }),
        PaginationStyle::NextLink => quote!(NextLink),
        PaginationStyle::LinkHeader => quote!(LinkHeader),
    };
    let mut nav = Vec::new();
    if let Some(path) = &pagination.next {
        nav.push(match borrow_path(quote!(page), path) {
            (expr, true) => quote!(next: #expr.cloned()),
            (expr, false) => quote!(next: Some(#expr.clone())),
        });
    }
    if let Some(links) = &pagination.next_in_links {
        let (array, optional) = borrow_path(quote!(page), &links.array);
        let iter = if optional { quote!(#array.into_iter().flatten()) } else { quote!(#array.iter()) };
        let rel = ident(&links.rel.rust_name);
        let is_next = match links.rel.presence {
            Presence::Always => quote!(link.#rel == "next"),
            Presence::Option => quote!(link.#rel.as_deref() == Some("next")),
            Presence::DoubleOption => quote!(link.#rel.as_ref().and_then(|rel| rel.as_deref()) == Some("next")),
        };
        let href = ident(&links.href.rust_name);
        let take = match links.href.presence {
            Presence::Always => quote!(.map(|link| link.#href.clone())),
            Presence::Option => quote!(.and_then(|link| link.#href.clone())),
            Presence::DoubleOption => quote!(.and_then(|link| link.#href.clone().flatten())),
        };
        nav.push(quote!(next: #iter.find(|link| #is_next)#take));
    }
    // The last item's id is only a fallback cursor for a marker without a next link (docs/extensions.md).
    if let (Some(id_path), None) = (&pagination.item_id, &pagination.next) {
        let (items, items_optional) = borrow_path(quote!(page), &pagination.items);
        let last = if items_optional { quote!(#items.and_then(|items| items.last())) } else { quote!(#items.last()) };
        let (id, id_optional) = borrow_path(quote!(item), id_path);
        nav.push(if id_optional {
            quote!(last_id: #last.and_then(|item| #id).map(|id| id.to_string()))
        } else {
            quote!(last_id: #last.map(|item| #id.to_string()))
        });
    }
    if let Some(path) = &pagination.has_more {
        nav.push(match borrow_path(quote!(page), path) {
            (expr, true) => quote!(has_more: #expr.copied()),
            (expr, false) => quote!(has_more: Some(#expr)),
        });
    }
    for (name, path) in [("total_items", &pagination.total_items), ("total_pages", &pagination.total_pages)] {
        let Some(path) = path else { continue };
        let name = ident(name);
        let ty = path.steps.last().map(|s| &s.ty);
        let (expr, optional) = borrow_path(quote!(page), path);
        nav.push(match (ty, optional) {
            (Some(TypeRef::U64), true) => quote!(#name: #expr.copied()),
            (Some(TypeRef::U64), false) => quote!(#name: Some(#expr)),
            (Some(TypeRef::U8 | TypeRef::U16 | TypeRef::U32), true) => quote!(#name: #expr.map(|v| u64::from(*v))),
            (Some(TypeRef::U8 | TypeRef::U16 | TypeRef::U32), false) => quote!(#name: Some(u64::from(#expr))),
            (_, true) => quote!(#name: #expr.and_then(|v| u64::try_from(*v).ok())),
            (_, false) => quote!(#name: u64::try_from(#expr).ok()),
        });
    }
    if pagination.counts_items() {
        nav.push(match borrow_path(quote!(page), &pagination.items) {
            (expr, true) => quote!(items: #expr.map_or(0, Vec::len)),
            (expr, false) => quote!(items: #expr.len()),
        });
    }
    let nav_page = if nav.is_empty() { quote!(_page) } else { quote!(page) };
    let items = owned_items(&pagination.items);
    quote! {
        rt::paginated!(rt, #builder -> #item, #style, |page| #items, |#nav_page| { #(#nav),* });
    }
}

/// The error enums, in the order of the operations that first use them.
pub(crate) fn error_enum_items(api: &Api, range: std::ops::Range<usize>) -> TokenStream {
    let enums = api.error_enums[range].iter().map(|e| error_enum(e, &api.types));
    quote!(#(#enums)*)
}

fn error_enum(shared: &ErrorEnum, space: &TypeSpace) -> TokenStream {
    let error = ident(&shared.name);
    let links: Vec<String> = shared.methods.iter().map(|m| format!("[`{m}`]")).collect();
    let doc = match links.as_slice() {
        [one] => format!(" The documented error responses of {one}."),
        [first @ .., last] if links.len() <= 4 => format!(
            " The documented error responses of {} and {last}, which document the same responses.",
            first.join(", ")
        ),
        _ => format!(
            " The documented error responses of {} and {} other operations with the same responses.",
            links[..3].join(", "),
            links.len() - 3
        ),
    };
    let responses = &shared.responses;
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut only_default_body: Option<TokenStream> = None;
    for e in responses {
        let variant = ident(&e.variant);
        let status_text = match &e.status {
            StatusMatch::Code(c) => format!("HTTP {c}"),
            StatusMatch::Range(r) => format!("HTTP {r}XX"),
            StatusMatch::Default => "Any other error status".to_owned(),
        };
        let message = match e.doc.as_deref().map(display_summary) {
            Some(summary) if !summary.is_empty() => format!("{status_text}: {summary}"),
            _ => status_text.clone(),
        };
        let description = e.doc.as_deref().map(|d| format!("{status_text}: {d}")).unwrap_or(status_text);
        let docs = doc_attrs(Some(&description));
        // `#[error]` takes a format string: the spec's braces are escaped.
        let message = message.replace('{', "{{").replace('}', "}}");
        let docs = quote!(#docs #[error(#message)]);
        let pattern = match &e.status {
            StatusMatch::Code(c) => {
                let c = Literal::u16_unsuffixed(*c);
                quote!(#c)
            }
            StatusMatch::Range(r) => {
                let low = Literal::u16_unsuffixed(r * 100);
                let high = Literal::u16_unsuffixed(r * 100 + 99);
                quote!(#low..=#high)
            }
            StatusMatch::Default => quote!(_),
        };
        let expr = match &e.body {
            Some(ErrorBodyKind::Json(ty)) => {
                let ty = rust_type(ty, space, &types_prefix());
                variants.push(quote!(#docs #variant(#ty),));
                quote!(Some(rt::decode_json(status, body).map(Self::#variant)))
            }
            Some(ErrorBodyKind::Text) => {
                variants.push(quote!(#docs #variant(String),));
                quote!(Some(Ok(Self::#variant(String::from_utf8_lossy(body).into_owned()))))
            }
            None => {
                variants.push(quote!(#docs #variant,));
                quote!(Some(Ok(Self::#variant)))
            }
        };
        arms.push(quote!(#pattern => #expr,));
        only_default_body = Some(expr);
    }
    let has_default = responses.iter().any(|e| e.status == StatusMatch::Default);
    let fallback = if has_default { TokenStream::new() } else { quote!(_ => None,) };
    let uses_body = responses.iter().any(|e| e.body.is_some());
    let body_name = if uses_body { quote!(body) } else { quote!(_body) };
    let only_default = responses.len() == 1 && has_default;
    let dispatch = if only_default {
        only_default_body.unwrap_or_default()
    } else {
        quote!(match status.as_u16() { #(#arms)* #fallback })
    };
    let json_bodies = responses.iter().any(|e| matches!(e.body, Some(ErrorBodyKind::Json(_))));
    let status_name = if only_default && !json_bodies { quote!(_status) } else { quote!(status) };
    // A documented status whose JSON body is off its schema is still an API error (the raw body stays in the
    // response); `UndecodedBody` cannot collide with a status variant, which are reason phrases, `Status…`, `Other`.
    let (undecoded_variant, undecoded) = if json_bodies {
        (
            quote! {
                /// A documented error status whose body did not match its schema: why it did not decode. The raw
                /// body is in [`rt::ApiError::response`].
                #[error("documented error status, body off its schema: {0}")]
                UndecodedBody(#[source] rt::DecodeError),
            },
            quote! {
                fn undecoded(error: rt::DecodeError) -> Result<Self, rt::DecodeError> {
                    Ok(Self::UndecodedBody(error))
                }
            },
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, thiserror::Error)]
        #[non_exhaustive]
        pub enum #error {
            #(#variants)*
            #undecoded_variant
        }

        impl rt::ErrorBody for #error {
            fn decode(#status_name: rt::reqwest::StatusCode, #body_name: &[u8]) -> Option<Result<Self, rt::DecodeError>> {
                #dispatch
            }
            #undecoded
        }
    }
}

/// The first sentence or line of a response description, at most about 100 characters, for an error's `Display`.
fn display_summary(doc: &str) -> String {
    let line = doc.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    let sentence = match line.find(". ") {
        Some(end) => &line[..end],
        None => line.trim_end_matches('.'),
    };
    match sentence.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &sentence[..cut]),
        None => sentence.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Constraints, HttpMethod, PathTemplate};

    fn param(name: &str, location: ParamLocation, required: bool) -> Param {
        Param {
            rust_name: name.into(),
            wire_name: name.into(),
            location,
            ty: TypeRef::I64,
            required,
            doc: None,
            constraints: Constraints::default(),
            style: if location == ParamLocation::Query { ParamStyle::Form } else { ParamStyle::Simple },
            explode: location == ParamLocation::Query,
            allow_reserved: false,
            deprecated: false,
            checks: Vec::new(),
            text: ParamText::AsIs,
            takes_into_string: false,
            default: None,
        }
    }

    fn text(tokens: TokenStream) -> String {
        tokens.to_string()
    }

    #[test]
    fn serializations_name_the_defaults_and_spell_out_the_rest() {
        let query = param("q", ParamLocation::Query, false);
        assert!(query.has_default_serialization());
        assert_eq!(text(serialization(&query)), "param :: FORM");
        let path = param("id", ParamLocation::Path, true);
        assert!(path.has_default_serialization());
        assert_eq!(text(serialization(&path)), "param :: SIMPLE");
        let pipes = Param { style: ParamStyle::PipeDelimited, explode: false, allow_reserved: true, ..query.clone() };
        assert!(!pipes.has_default_serialization());
        assert_eq!(text(serialization(&pipes)), "param :: PIPE_DELIMITED . allow_reserved ()");
        let reserved = Param { allow_reserved: true, ..query.clone() };
        assert!(!reserved.has_default_serialization(), "allowReserved is not the default");
        let deep_unexploded = Param { style: ParamStyle::DeepObject, explode: false, ..query };
        assert_eq!(
            text(serialization(&deep_unexploded)),
            "param :: Serialization :: new (param :: Style :: DeepObject , false)"
        );
    }

    #[test]
    fn values_are_borrowed_as_the_ir_says() {
        let optional = param("since", ParamLocation::Query, false);
        assert_eq!(text(param_value(&optional, &TypeSpace::default())), "self . since . as_ref ()");
        let required = param("since", ParamLocation::Query, true);
        assert_eq!(text(param_value(&required, &TypeSpace::default())), "Some (& self . since)");
        let stamp = Param { text: ParamText::Rfc3339, ..optional };
        assert_eq!(
            text(param_value(&stamp, &TypeSpace::default())),
            "self . since . map (| v | v . to_rfc3339 ()) . as_ref ()"
        );
    }

    #[test]
    fn checks_become_validate_calls_in_order() {
        let limited = Param {
            checks: vec![Check::Minimum(1.0, false), Check::MaxItems(3), Check::Known],
            ..param("limit", ParamLocation::Query, false)
        };
        let calls: Vec<String> = check_calls(&limited).into_iter().map(text).collect();
        assert_eq!(
            calls,
            [
                "rt :: validate :: minimum (\"limit\" , self . limit . as_ref () , 1f64 , false) ? ;",
                "rt :: validate :: max_items (\"limit\" , self . limit . as_deref () , 3) ? ;",
                "rt :: validate :: known (\"limit\" , self . limit . as_ref ()) ? ;",
            ]
        );
        let required =
            Param { checks: vec![Check::MaxLength(3), Check::MinItems(1)], ..param("name", ParamLocation::Path, true) };
        let calls: Vec<String> = check_calls(&required).into_iter().map(text).collect();
        assert_eq!(
            calls,
            [
                "rt :: validate :: max_length (\"name\" , & self . name , 3) ? ;",
                "rt :: validate :: min_items (\"name\" , self . name . as_slice () , 1) ? ;",
            ],
            "a required value is passed as a plain reference"
        );
    }

    #[test]
    fn the_request_lists_the_template_then_each_parameter_in_its_location() {
        let op = Operation {
            id: "getItem".into(),
            method_name: "get_item".into(),
            tags: Vec::new(),
            group: None,
            call: "get_item".into(),
            doc_path: "Client::get_item".into(),
            builder_name: "GetItem".into(),
            error_name: "GetItemError".into(),
            error_enum: None,
            http_method: HttpMethod::Delete,
            path: PathTemplate::parse("/items/{id}").unwrap(),
            doc: None,
            deprecated: false,
            params: vec![
                param("id", ParamLocation::Path, true),
                param("trace", ParamLocation::Header, false),
                Param {
                    style: ParamStyle::PipeDelimited,
                    explode: false,
                    ..param("tags", ParamLocation::Query, false)
                },
            ],
            body: None,
            success: SuccessBody::Empty,
            events: None,
            errors: Vec::new(),
            pagination: None,
            paging_origin: crate::ir::PagingOrigin::NotAList(String::new()),
            failure: None,
            anonymous: true,
        };
        let request = text(request_fn(&op, &TypeSpace::default()));
        let expected = [
            "let mut request = rt :: Request :: delete (\"/items/{id}\") ;",
            "request . path_param (\"id\" , & self . id) ? ;",
            "request . header_param (\"trace\" , self . trace . as_ref ()) ? ;",
            "request . query_param_with (\"tags\" , self . tags . as_ref () , param :: PIPE_DELIMITED) ? ;",
            "request . without_credentials () ;",
            "Ok (request)",
        ];
        let mut rest = request.as_str();
        for statement in expected {
            let at =
                rest.find(statement).unwrap_or_else(|| panic!("`{statement}` missing or out of order in {request}"));
            rest = &rest[at + statement.len()..];
        }
    }
}
