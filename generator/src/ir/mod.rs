//! The intermediate representation: what the emitters see, and all they see.
//!
//! Every identifier in here is final (keyword-escaped and de-collided by [`naming`]); emitters never compute names.
//! Types live in one [`TypeSpace`] and refer to each other by [`TypeId`], so recursive schemas need no special case
//! until emission, where [`TypeSpace::needs_box`] says which fields break a cycle.

pub mod naming;

use std::collections::BTreeSet;

/// One API: everything needed to write a client crate.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub api_version: String,
    /// The default server, if the spec names an absolute one.
    pub server: Option<Server>,
    /// How the API authenticates, from `securitySchemes` and the top-level `security`.
    pub auth: Option<AuthScheme>,
    /// The security scheme's `description`: where credentials come from, how long they last.
    pub auth_description: Option<String>,
    /// The bearer tokens are JWTs (`bearerFormat: JWT`), whose `exp` claim says when they expire.
    pub auth_jwt: bool,
    /// Every named type.
    pub types: TypeSpace,
    /// Every operation, in spec order.
    pub operations: Vec<Operation>,
    /// Operations grouped by tag (the `group_by_tag` option), each group reached through an accessor of `Client`;
    /// empty for the flat client.
    pub groups: Vec<OperationGroup>,
    /// The error enums, each shared by the operations whose documented error responses are the same.
    pub error_enums: Vec<ErrorEnum>,
    /// The operations the crate's README and example program show.
    pub examples: Examples,
}

/// The operations a generated crate's examples show, chosen in lowering (`lower/examples.rs`) by one rule.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    /// What `examples/list.rs` lists, if an operation lists structs it can print.
    pub listing: Option<Listing>,
    /// Indices into [`Api::operations`], in the order the README tries them: the listing operation, then paginated
    /// GETs, other GETs and the rest, in spec order. The README shows the first whose arguments can be written.
    pub readme_order: Vec<usize>,
}

/// A GET operation whose response holds a list of structs, printed as a table by `examples/list.rs`.
#[derive(Debug, Clone)]
pub struct Listing {
    /// Index into [`Api::operations`].
    pub operation: usize,
    /// Where the items are in the response.
    pub items: ListingItems,
    /// The struct each item is.
    pub item: TypeId,
    /// Indices of the item's fields shown as columns (at most four, each with a `Display`able type).
    pub columns: Vec<usize>,
}

/// Where a [`Listing`]'s items are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingItems {
    /// `.items()` of a paginated operation.
    Stream,
    /// The response is the array.
    Whole,
    /// A `Vec` field of the response struct (the field's index).
    Field(usize),
    /// A map field of the response struct whose values are `Vec`s (the field's index): the key is a column.
    GroupedField(usize),
}

/// A server URL template with its variables.
#[derive(Debug, Clone)]
pub struct Server {
    /// For example `https://{region}.images.api.rackspacecloud.com/v2`.
    pub url: String,
    /// Variables of `url`.
    pub variables: Vec<ServerVariable>,
    /// `description` of the server.
    pub description: Option<String>,
}

impl Server {
    /// The URL with every variable at its default (what the client uses unless told otherwise).
    pub fn default_url(&self) -> String {
        self.variables
            .iter()
            .fold(self.url.clone(), |url, variable| url.replace(&format!("{{{}}}", variable.name), &variable.default))
    }
}

/// One `{variable}` of a server URL.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// Name inside the braces.
    pub name: String,
    /// Default value.
    pub default: String,
    /// Allowed values; empty means any.
    pub allowed: Vec<String>,
    /// What it means.
    pub description: Option<String>,
}

/// How a client proves who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP basic.
    Basic,
    /// A key in a header.
    ApiKeyHeader(String),
    /// A key in the query string.
    ApiKeyQuery(String),
    /// A key in a cookie.
    ApiKeyCookie(String),
}

/// Index of a type in the [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// All named types of an API.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    /// In the order they were reserved.
    pub defs: Vec<TypeDef>,
    /// The crate `DateTime` and `Date` values are rendered with (the `date_time` option).
    pub date_time: crate::options::DateTimeCrate,
    /// Strongly connected components of the "holds by value" graph, computed on first use (see
    /// [`TypeSpace::needs_box`]); `defs` must not change after that.
    pub components: std::sync::OnceLock<ValueComponents>,
}

/// For each type, the strongly connected component it is in, in two graphs of "holds by value" edges: through
/// every kind of type, and through everything but structs (see [`TypeSpace::variant_needs_box`]).
#[derive(Debug, Clone, Default)]
pub struct ValueComponents {
    /// Component of each type, structs' fields followed.
    pub through_structs: Vec<usize>,
    /// Component of each type, structs' fields not followed.
    pub without_structs: Vec<usize>,
}

impl TypeSpace {
    /// Whether a use of `ty` is written with the runtime's `rfc3339` codec: `time` date-times, alone or inside
    /// containers (through aliases, not through named structs or unions, which read their own).
    pub fn rfc3339_codec(&self, ty: &TypeRef) -> bool {
        if self.date_time != crate::options::DateTimeCrate::Time {
            return false;
        }
        let mut seen = 0;
        let mut current = ty;
        loop {
            match current {
                TypeRef::DateTime | TypeRef::Date => return true,
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => current = inner,
                TypeRef::Named(id) => match &self.get(*id).kind {
                    // Bounded: an alias chain that returns to itself is wrapped in a newtype before emission.
                    TypeKind::Alias(target) if seen < self.defs.len() => {
                        seen += 1;
                        current = target;
                    }
                    _ => return false,
                },
                _ => return false,
            }
        }
    }

    /// The type `id` names.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    /// The type behind any aliases of `ty` (bounded, so an alias cycle, reported elsewhere, cannot hang).
    pub fn behind_aliases<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        let mut current = ty;
        for _ in 0..=self.defs.len() {
            match current {
                TypeRef::Named(id) => match &self.get(*id).kind {
                    TypeKind::Alias(target) => current = target,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// Whether a field of type `ty` inside type `owner` must be boxed: it reaches back to `owner` through
    /// types held by value (not through `Vec` or maps, which already allocate).
    pub fn needs_box(&self, owner: TypeId, ty: &TypeRef) -> bool {
        self.reaches_by_value(owner, ty, true)
    }

    /// Whether a variant of type `ty` of the union `owner` must be boxed: it reaches back to `owner` by value
    /// through unions, aliases and newtypes only. A cycle through a struct is broken at the struct's field (see
    /// [`TypeSpace::needs_box`]), so boxing the variant too would only add a second box.
    pub fn variant_needs_box(&self, owner: TypeId, ty: &TypeRef) -> bool {
        self.reaches_by_value(owner, ty, false)
    }

    fn reaches_by_value(&self, owner: TypeId, ty: &TypeRef, through_structs: bool) -> bool {
        // The field (or variant) is an edge from `owner` to each of its targets, so a target reaches `owner` back
        // exactly when it is `owner` or in `owner`'s strongly connected component: one lookup, not a walk, which
        // keeps emission linear in the number of types (a 20,000-long chain of structs included).
        let components = self.components.get_or_init(|| ValueComponents {
            through_structs: self.strongly_connected(true),
            without_structs: self.strongly_connected(false),
        });
        let component = if through_structs { &components.through_structs } else { &components.without_structs };
        let mut targets = Vec::new();
        by_value_targets(ty, &mut targets);
        targets.iter().any(|target| *target == owner || component[target.0] == component[owner.0])
    }

    /// The types `id` holds by value.
    fn value_edges(&self, id: TypeId, through_structs: bool) -> Vec<TypeId> {
        let mut out = Vec::new();
        match &self.get(id).kind {
            TypeKind::Struct(s) if through_structs => {
                for field in &s.fields {
                    by_value_targets(&field.ty, &mut out);
                }
            }
            TypeKind::Struct(_) | TypeKind::Enum(_) => {}
            TypeKind::Union(u) => {
                for variant in &u.variants {
                    by_value_targets(&variant.ty, &mut out);
                }
            }
            TypeKind::Alias(target) | TypeKind::Newtype(target) => by_value_targets(target, &mut out),
        }
        out
    }

    /// Tarjan's strongly connected components, iterative (a chain of thousands of types must not overflow the
    /// stack): the component number of every type.
    fn strongly_connected(&self, through_structs: bool) -> Vec<usize> {
        const UNSEEN: usize = usize::MAX;
        let n = self.defs.len();
        let edges: Vec<Vec<TypeId>> = (0..n).map(|i| self.value_edges(TypeId(i), through_structs)).collect();
        let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
        let mut component = vec![UNSEEN; n];
        let (mut next_index, mut next_component) = (0, 0);
        let mut stack = Vec::new();
        for start in 0..n {
            if index[start] != UNSEEN {
                continue;
            }
            // (node, next edge to look at)
            let mut work = vec![(start, 0usize)];
            index[start] = next_index;
            low[start] = next_index;
            next_index += 1;
            stack.push(start);
            on_stack[start] = true;
            while let Some(&mut (node, ref mut edge)) = work.last_mut() {
                if let Some(target) = edges[node].get(*edge).map(|t| t.0) {
                    *edge += 1;
                    if index[target] == UNSEEN {
                        index[target] = next_index;
                        low[target] = next_index;
                        next_index += 1;
                        stack.push(target);
                        on_stack[target] = true;
                        work.push((target, 0));
                    } else if on_stack[target] {
                        low[node] = low[node].min(index[target]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == index[node] {
                    while let Some(member) = stack.pop() {
                        on_stack[member] = false;
                        component[member] = next_component;
                        if member == node {
                            break;
                        }
                    }
                    next_component += 1;
                }
            }
        }
        component
    }

    /// Whether the alias `id` refers to itself through aliases and containers only (no struct, union or enum in
    /// between, which would be a type of its own).
    pub fn alias_reaches_itself(&self, id: TypeId) -> bool {
        let TypeKind::Alias(start) = &self.get(id).kind else { return false };
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(ty) = stack.pop() {
            match ty {
                TypeRef::Named(next) if *next == id => return true,
                TypeRef::Named(next) if seen.insert(*next) => {
                    if let TypeKind::Alias(target) = &self.get(*next).kind {
                        stack.push(target);
                    }
                }
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => stack.push(inner),
                _ => {}
            }
        }
        false
    }

    /// Whether any type uses `pred`.
    pub fn any_ref(&self, pred: &dyn Fn(&TypeRef) -> bool) -> bool {
        self.defs.iter().any(|def| match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.ty.any(pred)),
            TypeKind::Union(u) => u.variants.iter().any(|v| v.ty.any(pred)),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => t.any(pred),
            TypeKind::Enum(_) => false,
        })
    }
}

fn by_value_targets(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Option(inner) => by_value_targets(inner, out),
        _ => {}
    }
}

/// One named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Final Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// Where it came from, e.g. `#/components/schemas/Image`.
    pub origin: String,
    /// What it is.
    pub kind: TypeKind,
    /// Derives the options add (paths, e.g. `Hash`, `schemars::JsonSchema`), besides those the emitter writes.
    pub derives: Vec<String>,
    /// Outer attributes the options add (`#[...]`), after the derives.
    pub attributes: Vec<String>,
}

impl TypeDef {
    /// Whether the emitted type derives one of serde's traits, so that `#[serde(...)]` attributes may go on it: string
    /// enums and unions that write their tag back implement both by hand, and an alias is no item of its own.
    pub fn derives_serde(&self) -> bool {
        match &self.kind {
            TypeKind::Struct(_) | TypeKind::Newtype(_) => true,
            TypeKind::Enum(_) | TypeKind::Alias(_) => false,
            TypeKind::Union(u) => !u.writes_tag_back(),
        }
    }
}

impl UnionDef {
    /// A tagged union some of whose variants leave the tag to it: it writes the tag back itself (a hand-written
    /// `Serialize`); every other union derives `Serialize`.
    pub fn writes_tag_back(&self) -> bool {
        self.variants.iter().any(|v| v.shape != VariantShape::Whole)
    }
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A string enumeration.
    Enum(EnumDef),
    /// `oneOf`/`anyOf`.
    Union(UnionDef),
    /// Another name for a type (`type X = ...`).
    Alias(TypeRef),
    /// A type of its own that wraps another (`struct X(T)`, transparent on the wire): an alias that refers to
    /// itself through a container (`Nested = Vec<Nested>`), which a `type` cannot say.
    Newtype(TypeRef),
}

/// An object type.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Properties in spec order.
    pub fields: Vec<Field>,
    /// `additionalProperties` of a struct that also has properties: kept in a flattened map.
    pub additional: Option<AdditionalField>,
}

/// The catch-all map of a struct with `additionalProperties`.
#[derive(Debug, Clone)]
pub struct AdditionalField {
    /// Final Rust field name.
    pub rust_name: String,
    /// Value type.
    pub ty: TypeRef,
}

/// One property.
#[derive(Debug, Clone)]
pub struct Field {
    /// Final Rust field name.
    pub rust_name: String,
    /// Name on the wire.
    pub wire_name: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The type, without the `Option` that [`Field::required`]/[`Field::nullable`] add.
    pub ty: TypeRef,
    /// Listed in `required`, and neither read-only nor write-only (OpenAPI 3.0.3 §4.7.24: `required` applies to
    /// them only in the direction they travel).
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Marked deprecated.
    pub deprecated: bool,
    /// `readOnly`: sent by the server only. Never required (a request leaves it out) and never serialized.
    pub read_only: bool,
    /// `writeOnly`: sent by the client only. Never required (a response leaves it out).
    pub write_only: bool,
}

impl Field {
    /// How the field is wrapped in Rust.
    pub fn presence(&self) -> Presence {
        if self.read_only {
            // Absent and `null` need not be told apart in what only the server sends.
            return Presence::Option;
        }
        match (self.required, self.nullable) {
            (true, false) => Presence::Always,
            (true, true) | (false, false) => Presence::Option,
            (false, true) => Presence::DoubleOption,
        }
    }
}

/// How a field's value is wrapped: absent and `null` are kept apart when a field may be both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`: required and not nullable.
    Always,
    /// `Option<T>`: optional, or required but nullable.
    Option,
    /// `Option<Option<T>>`: optional and nullable (`None` absent, `Some(None)` null).
    DoubleOption,
}

/// A string enumeration, which also accepts values the spec does not list unless it is strict.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that keeps an unknown value; `None` for a strict enum, where such a value is an error.
    pub fallback: Option<String>,
}

/// One known enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// Final Rust variant name.
    pub rust_name: String,
    /// The value on the wire.
    pub wire: String,
    /// Rustdoc: the description of the alternative that lists the value, when the enum is a `oneOf` of them.
    pub doc: Option<String>,
}

/// `oneOf`/`anyOf`.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// Alternatives, tried in order when untagged.
    pub variants: Vec<UnionVariant>,
    /// Property whose value picks the variant.
    pub discriminator: Option<String>,
    /// With a discriminator: the variant (by index) that reads a value whose tag no variant lists. Set for a parent
    /// schema that children extend with `allOf`, where the parent itself is the fallback.
    pub fallback: Option<usize>,
}

/// One alternative of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Final Rust variant name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Discriminator values that select it.
    pub tags: Vec<String>,
    /// How the variant's value relates to the union's JSON object.
    pub shape: VariantShape,
    /// Rustdoc of a unit variant (the alternative's description); other variants are documented by their type.
    pub doc: Option<String>,
}

/// How a union variant's value relates to the JSON the union reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantShape {
    /// The value is the whole JSON value (for a tagged union, the tag property included).
    Whole,
    /// The value is the object without the discriminator property, which the union adds when writing.
    WithoutTag,
    /// No value: the object holds only the discriminator property (`ty` is unused).
    Unit,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A named type.
    Named(TypeId),
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i8` (`format: int8`).
    I8,
    /// `i16` (`format: int16`).
    I16,
    /// `i32` (`format: int32`).
    I32,
    /// `i64`: `format: int64`, and an integer without a format whose range fits.
    I64,
    /// `u8` (`format: uint8`).
    U8,
    /// `u16` (`format: uint16`).
    U16,
    /// `u32` (`format: uint32`).
    U32,
    /// `u64`: `format: uint64`, or `minimum: 0` with a `maximum` beyond `i64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// An `i64` that travels as a JSON string (`type: string, format: int64`).
    I64String,
    /// RFC 3339 timestamp.
    DateTime,
    /// RFC 3339 full-date.
    Date,
    /// UUID.
    Uuid,
    /// Arbitrary JSON.
    Json,
    /// Raw bytes (`type: string, format: binary`): a file in a multipart body.
    Bytes,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>` inside a container (for nullable items).
    Option(Box<TypeRef>),
    /// A Rust type the options put in place of a schema (the `replace` option): its path, as given.
    External(String),
}

impl TypeRef {
    /// Whether `pred` holds for this type or one inside it (through containers, not named types).
    pub fn any(&self, pred: &dyn Fn(&TypeRef) -> bool) -> bool {
        if pred(self) {
            return true;
        }
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => inner.any(pred),
            _ => false,
        }
    }
}

/// The operations of one tag, as a type whose methods they are: `client.images().list()`.
#[derive(Debug, Clone)]
pub struct OperationGroup {
    /// The tag, as the spec writes it.
    pub tag: String,
    /// The accessor method of `Client`, e.g. `images`.
    pub accessor: String,
    /// The group's type, e.g. `Images`.
    pub type_name: String,
    /// The tag's description from the document's `tags`.
    pub doc: Option<String>,
}

/// One HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId` or the name made from method and path.
    pub id: String,
    /// Final name of the client method (of its group's type when operations are grouped by tag).
    pub method_name: String,
    /// The tags the operation is grouped by: its own, or the one its path implies.
    pub tags: Vec<String>,
    /// The index in [`Api::groups`] of the operation's group; `None` when its method is on `Client` itself.
    pub group: Option<usize>,
    /// How a user calls it on a client: `list_images`, or `images().list` in a group.
    pub call: String,
    /// Its method as a rustdoc link target: `Client::list_images`, or `Images::list` in a group.
    pub doc_path: String,
    /// Final name of the request builder struct.
    pub builder_name: String,
    /// Final name of the operation's error type: its error enum, or an alias of the enum it shares.
    pub error_name: String,
    /// The index in [`Api::error_enums`] of the operation's error enum; `None` when no error response is documented.
    pub error_enum: Option<usize>,
    /// HTTP method.
    pub http_method: HttpMethod,
    /// Path template, e.g. `/v2/images/{id}`, parsed.
    pub path: PathTemplate,
    /// Summary and description.
    pub doc: Option<String>,
    /// Marked deprecated.
    pub deprecated: bool,
    /// Parameters: path ones first, in template order, then the rest in spec order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// What a 2xx response carries.
    pub success: SuccessBody,
    /// The type of each event's `data` when a 2xx response is also offered as `text/event-stream` with a schema.
    pub events: Option<TypeRef>,
    /// Documented error responses, in matching order: single statuses, then ranges, then `default`.
    pub errors: Vec<ErrorResponse>,
    /// How to page through results.
    pub pagination: Option<Pagination>,
    /// How `pagination` was decided.
    pub paging_origin: PagingOrigin,
    /// A 2xx body that reports failure.
    pub failure: Option<FailureCheck>,
    /// `security: []` (or only `{}`): the operation is public and the client's credentials are not sent.
    pub anonymous: bool,
}

impl Operation {
    /// The types the operation's client method, builder and request name: parameters, body, output and page item.
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        let output = match &self.success {
            SuccessBody::Json(ty) => Some(ty),
            _ => None,
        };
        self.params
            .iter()
            .map(|p| &p.ty)
            .chain(self.body.as_ref().map(|b| &b.ty))
            .chain(output)
            .chain(self.events.as_ref())
            .chain(self.pagination.as_ref().map(|p| &p.item_type))
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// How a parameter value is written: OpenAPI `style` (3.0.3 §4.7.12.4), or JSON text for `content:
/// application/json`. Lowering only picks styles its location allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `simple`: `blue,black,brown` (path and header).
    Simple,
    /// `label`: `.blue.black.brown` (path).
    Label,
    /// `matrix`: `;color=blue,black,brown` (path).
    Matrix,
    /// `form`: `color=blue&color=black` (query and cookie).
    Form,
    /// `spaceDelimited`: `color=blue%20black` (query).
    SpaceDelimited,
    /// `pipeDelimited`: `color=blue|black` (query).
    PipeDelimited,
    /// `deepObject`: `color[R]=100` (query).
    DeepObject,
    /// `content: application/json` (or another JSON media type): the value as JSON text.
    Json,
}

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Param {
    /// Final Rust name (argument, field and setter).
    pub rust_name: String,
    /// Name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Must be given.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
    /// Checks made before sending.
    pub constraints: Constraints,
    /// How the value is serialized (`style`, or JSON content), with its location's default when unset.
    pub style: ParamStyle,
    /// `explode`: arrays and objects as separate values / `name=value` pairs; defaults to `true` for `form`.
    pub explode: bool,
    /// `allowReserved` (query only): RFC 3986 reserved characters are sent unencoded.
    pub allow_reserved: bool,
    /// Marked deprecated.
    pub deprecated: bool,
    /// The checks made before sending, in order (from `constraints` and the type).
    pub checks: Vec<Check>,
    /// How the value is handed to the runtime's serializer.
    pub text: ParamText,
    /// Whether the argument and setter take `impl Into<String>` (a string behind any aliases).
    pub takes_into_string: bool,
    /// The schema's `default`: the value the server assumes when the parameter is left out.
    pub default: Option<serde_json::Value>,
}

impl Param {
    /// Whether the parameter is serialized as OpenAPI says when `style`, `explode` and `allowReserved` are absent:
    /// `simple` for path and header parameters, exploded `form` for query and cookie ones (OpenAPI 3.1 §4.8.12,
    /// Parameter Object). Generated code spells out only the other serializations.
    pub fn has_default_serialization(&self) -> bool {
        let default = match self.location {
            ParamLocation::Path | ParamLocation::Header => (ParamStyle::Simple, false),
            ParamLocation::Query | ParamLocation::Cookie => (ParamStyle::Form, true),
        };
        (self.style, self.explode) == default && !self.allow_reserved
    }
}

/// A check of a parameter value before sending, with the runtime's `validate` function that makes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `minimum` (exclusive when `true`).
    Minimum(f64, bool),
    /// `maximum` (exclusive when `true`).
    Maximum(f64, bool),
    /// `minLength` of a string.
    MinLength(usize),
    /// `maxLength` of a string.
    MaxLength(usize),
    /// `pattern` of a string.
    Pattern(String),
    /// `minItems` of an array.
    MinItems(usize),
    /// `maxItems` of an array.
    MaxItems(usize),
    /// A string enum value is one the spec lists (not the fallback variant).
    Known,
    /// Every item of an array of string enums is one the spec lists.
    KnownItems,
}

/// How a parameter value reaches the runtime's serializer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamText {
    /// As it is (serde).
    AsIs,
    /// A timestamp as RFC 3339 text with a numeric offset (`+00:00`), as `to_rfc3339` writes it (and, with the
    /// `time` crate, a date as RFC 3339 `full-date`).
    Rfc3339,
    /// An array of timestamps, each as [`ParamText::Rfc3339`].
    Rfc3339Items,
}

/// An HTTP method: the operations a path item can have (OpenAPI 3.0.3 §4.7.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// The method of a path item key (`get`, `post`, …), case-insensitively.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key.to_ascii_lowercase().as_str() {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    /// The method as sent, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A path template (`/v2/images/{image_id}`, OpenAPI 3.0.3 §4.7.8.1), parsed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as written in the spec.
    pub text: String,
    /// Literal text and `{name}` expressions, in order.
    pub segments: Vec<PathSegment>,
}

/// A piece of a [`PathTemplate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as it is.
    Literal(String),
    /// A `{name}` expression, filled with the path parameter of that name.
    Param(String),
}

impl PathTemplate {
    /// Parses `text`. Fails, saying why, for an unterminated `{`, a stray `}`, an empty `{}` or braces inside an
    /// expression.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut segments = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let open = rest.find('{');
            let close = rest.find('}');
            match (open, close) {
                (_, Some(c)) if !matches!(open, Some(o) if o < c) => {
                    return Err(format!("`}}` at byte {} closes no `{{`", text.len() - rest.len() + c));
                }
                (Some(o), _) => {
                    if o > 0 {
                        segments.push(PathSegment::Literal(rest[..o].to_owned()));
                    }
                    let after = &rest[o + 1..];
                    let Some(end) = after.find('}') else {
                        return Err(format!("`{{` at byte {} is never closed", text.len() - rest.len() + o));
                    };
                    let name = &after[..end];
                    if name.is_empty() || name.contains('{') {
                        return Err(format!("`{{{name}}}` is not a parameter name"));
                    }
                    segments.push(PathSegment::Param(name.to_owned()));
                    rest = &after[end + 1..];
                }
                (None, None) => {
                    segments.push(PathSegment::Literal(rest.to_owned()));
                    rest = "";
                }
                (None, Some(_)) => unreachable!("handled by the first arm"),
            }
        }
        Ok(PathTemplate { text: text.to_owned(), segments })
    }

    /// A template of literal text only (the fallback for a template that does not parse).
    pub fn literal(text: &str) -> Self {
        PathTemplate { text: text.to_owned(), segments: vec![PathSegment::Literal(text.to_owned())] }
    }

    /// The names of the `{name}` expressions, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Param(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }
}

/// An error enum: the documented error responses of one or more operations (those with the same responses share
/// one enum; the others name it through an alias).
#[derive(Debug, Clone)]
pub struct ErrorEnum {
    /// Final name: the error name of the first operation that has these responses.
    pub name: String,
    /// The methods whose error type this is, as rustdoc link targets ([`Operation::doc_path`]), in spec order.
    pub methods: Vec<String>,
    /// The responses, in matching order.
    pub responses: Vec<ErrorResponse>,
}

/// Validation keywords of a parameter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minimum` and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum` and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
}

/// Media type family of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: one part per property, files as bytes.
    Multipart,
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
}

/// The request body of an operation.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Its type (`String`/`Vec<u8>`-like for text and bytes).
    pub ty: TypeRef,
    /// How it is encoded.
    pub kind: BodyKind,
    /// The media type sent.
    pub content_type: String,
    /// Must be given.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
    /// Form or multipart properties sent as `name[key]=value` (`encoding: {name: {style: deepObject}}`), by wire
    /// name.
    pub deep_object: Vec<String>,
    /// Multipart properties with an `encoding.<name>.contentType` (OpenAPI 3.0.3 §4.7.15), by wire name: the media
    /// type their part is sent with (the first, when the spec lists several).
    pub part_types: Vec<(String, String)>,
    /// For a multipart body: how it becomes parts, decided once the body's type is known.
    pub multipart: Option<MultipartLayout>,
    /// For a form body: which properties are written `deepObject`, decided once the body's type is known.
    pub form: Option<FormLayout>,
}

/// How an `application/x-www-form-urlencoded` body is written (OpenAPI 3.1 §4.8.15, Encoding Object): properties in
/// `form` style unless their encoding says `deepObject`.
#[derive(Debug, Clone, PartialEq)]
pub enum FormLayout {
    /// No property is `deepObject`: arrays become repeated pairs.
    Form,
    /// Every property whose value can be an object or array is `deepObject` (`name[key]=value`, `name[0]=value`)
    /// and the others are scalars, so the runtime needs no list.
    DeepObject,
    /// These properties (by wire name) are `deepObject`, the others plain `form`.
    DeepObjectOnly(Vec<String>),
}

/// How a multipart body becomes parts (OpenAPI 3.0.3 §4.7.14, `encoding`).
#[derive(Debug, Clone, PartialEq)]
pub enum MultipartLayout {
    /// The body is not an object with properties: one JSON part named `body`.
    Whole,
    /// One entry per property, then each additional property as a JSON part.
    Properties {
        /// The properties, in order.
        parts: Vec<MultipartPart>,
        /// The Rust field holding additional properties, if any.
        additional: Option<String>,
    },
}

/// One property of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    /// The Rust field.
    pub field: String,
    /// The part name.
    pub wire: String,
    /// How the field is wrapped.
    pub presence: Presence,
    /// How its value is written.
    pub write: PartWrite,
    /// An array: one part per item, each written as `write` says.
    pub repeated: bool,
}

/// How a multipart property's value is written; a media type is the declared `encoding.contentType`.
#[derive(Debug, Clone, PartialEq)]
pub enum PartWrite {
    /// `deepObject` style: one text part per leaf, `name[key]`.
    Deep,
    /// The value as one JSON part (with the declared JSON media type, or `application/json`).
    Json(Option<String>),
    /// Bytes as a file part (with the declared media type, or `application/octet-stream`).
    File(Option<String>),
    /// A scalar as text (with the declared media type, or none).
    Text(Option<String>),
    /// A timestamp as RFC 3339 text.
    Rfc3339Text(Option<String>),
}

/// What `send()` returns.
#[derive(Debug, Clone)]
pub enum SuccessBody {
    /// No body.
    Empty,
    /// JSON decoded into a type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Bytes.
    Bytes,
}

/// Which statuses an error response stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status.
    Code(u16),
    /// `4XX` / `5XX`: the hundreds digit.
    Range(u16),
    /// `default`: any other non-2xx status.
    Default,
}

/// One documented error response.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// Statuses it covers.
    pub status: StatusMatch,
    /// Final variant name in the error enum.
    pub variant: String,
    /// Body type; `None` when the response has no body.
    pub body: Option<ErrorBodyKind>,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// How an error body decodes.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBodyKind {
    /// JSON into a type.
    Json(TypeRef),
    /// Kept as text.
    Text,
}

/// Paging: from `x-pagination`, or inferred from the operation's parameters and response (`lower/paging.rs`).
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The strategy.
    pub style: PaginationStyle,
    /// Field accesses from the page to the items array (empty: the page is the array).
    pub items: FieldPath,
    /// Field accesses from the page to the next link or cursor.
    pub next: Option<FieldPath>,
    /// The next link as the `href` of the `rel: next` entry of a links array (OpenStack's `servers_links`), when
    /// `next` is not a field of its own.
    pub next_in_links: Option<RelLinks>,
    /// Field of the item used as a marker.
    pub item_id: Option<FieldPath>,
    /// Field accesses from the page to its "there is more" flag.
    pub has_more: Option<FieldPath>,
    /// Field accesses from the page to the listing's item count.
    pub total_items: Option<FieldPath>,
    /// Field accesses from the page to the listing's page count.
    pub total_pages: Option<FieldPath>,
    /// Type of one item.
    pub item_type: TypeRef,
}

impl Pagination {
    /// Whether the runtime needs the number of items on a page: offsets advance by it, a short page ends a marker
    /// listing, and a total item count is compared with the items read.
    pub fn counts_items(&self) -> bool {
        match &self.style {
            PaginationStyle::Offset { .. } => true,
            PaginationStyle::Marker { limit, .. } => limit.is_some(),
            PaginationStyle::PageNumber { .. } => self.total_items.is_some(),
            PaginationStyle::PageToken { .. } | PaginationStyle::NextLink | PaginationStyle::LinkHeader => false,
        }
    }
}

/// The paging strategies the runtime knows (`rt::PaginationStyle`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaginationStyle {
    /// Page number in a query parameter.
    PageNumber {
        /// Parameter name on the wire.
        param: String,
        /// The first page's number: 0 when the parameter's `minimum` is 0, else 1.
        first: u64,
    },
    /// Item offset in a query parameter.
    Offset {
        /// Parameter name on the wire.
        param: String,
        /// The page-size parameter's name on the wire.
        limit: Option<String>,
    },
    /// Next link in the body, else the last item's id as a marker.
    Marker {
        /// Parameter name on the wire.
        param: String,
        /// The page-size parameter's name on the wire.
        limit: Option<String>,
    },
    /// Cursor read from the body.
    PageToken {
        /// Parameter name on the wire.
        param: String,
    },
    /// Next link in the body.
    NextLink,
    /// RFC 8288 `Link` header.
    LinkHeader,
}

impl PaginationStyle {
    /// The style's name in `x-pagination` and in reports.
    pub fn name(&self) -> &'static str {
        match self {
            PaginationStyle::PageNumber { .. } => "page-number",
            PaginationStyle::Offset { .. } => "offset",
            PaginationStyle::Marker { .. } => "marker",
            PaginationStyle::PageToken { .. } => "page-token",
            PaginationStyle::NextLink => "next-link",
            PaginationStyle::LinkHeader => "link-header",
        }
    }

    /// The page-size query parameter the style reads, if any.
    pub fn limit(&self) -> Option<&str> {
        match self {
            PaginationStyle::Offset { limit, .. } | PaginationStyle::Marker { limit, .. } => limit.as_deref(),
            _ => None,
        }
    }

    /// The query parameter carrying the position, if the style has one.
    pub fn param(&self) -> Option<&str> {
        match self {
            PaginationStyle::PageNumber { param, .. }
            | PaginationStyle::Offset { param, .. }
            | PaginationStyle::Marker { param, .. }
            | PaginationStyle::PageToken { param } => Some(param),
            PaginationStyle::NextLink | PaginationStyle::LinkHeader => None,
        }
    }
}

/// How an operation's pagination was decided, for the pagination report (`generator pagination`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingOrigin {
    /// `x-pagination` describes it.
    Extension,
    /// Another generator's extension that the spec's vendor writes describes it (`x-ms-pageable`).
    VendorExtension(&'static str),
    /// `x-pagination: false` turns it off.
    Disabled,
    /// Inferred from parameters and the response.
    Inferred,
    /// A list operation (its response holds the list) that inference left alone, and why.
    NotInferred(String),
    /// Not a list operation, and why (not a GET, no array in the response, …).
    NotAList(String),
}

/// A chain of field accesses through nested structs.
#[derive(Debug, Clone, Default)]
pub struct FieldPath {
    /// Each step.
    pub steps: Vec<FieldStep>,
    /// The wire names, dotted (`links.pages.next`), for reports.
    pub wire: String,
}

/// An array of link objects (`[{"rel": "next", "href": "…"}]`, OpenStack's `*_links`).
#[derive(Debug, Clone)]
pub struct RelLinks {
    /// Field accesses from the page to the array.
    pub array: FieldPath,
    /// The link object's `rel` field.
    pub rel: FieldStep,
    /// The link object's `href` field.
    pub href: FieldStep,
}

/// One field access.
#[derive(Debug, Clone)]
pub struct FieldStep {
    /// Final Rust field name.
    pub rust_name: String,
    /// How the field is wrapped.
    pub presence: Presence,
    /// The field's type (without the `Option`).
    pub ty: TypeRef,
}

/// From `x-error-when`: a 2xx body whose `property` has one of `values` is a failure.
#[derive(Debug, Clone)]
pub struct FailureCheck {
    /// The property holding the outcome, as written in the extension (wire names, dotted for nested properties).
    pub property: String,
    /// Values meaning failure.
    pub values: Vec<String>,
    /// The property holding a message, as written in the extension.
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: None,
            origin: String::new(),
            kind,
            derives: Vec::new(),
            attributes: Vec::new(),
        }
    }

    fn field(ty: TypeRef) -> Field {
        Field {
            rust_name: "next".into(),
            wire_name: "next".into(),
            doc: None,
            ty,
            required: true,
            nullable: false,
            deprecated: false,
            read_only: false,
            write_only: false,
        }
    }

    #[test]
    fn boxing_follows_cycles_only() {
        // 0: struct { next: 1 }, 1: union [0, 2], 2: struct { next: Vec<0> }, 3: struct { next: 0 } (not in a cycle),
        // 4: union [5], 5: alias of 4.
        let space = TypeSpace {
            defs: vec![
                def(
                    "A",
                    TypeKind::Struct(StructDef { fields: vec![field(TypeRef::Named(TypeId(1)))], additional: None }),
                ),
                def(
                    "U",
                    TypeKind::Union(UnionDef {
                        variants: vec![
                            UnionVariant {
                                rust_name: "A".into(),
                                ty: TypeRef::Named(TypeId(0)),
                                tags: vec![],
                                shape: VariantShape::Whole,
                                doc: None,
                            },
                            UnionVariant {
                                rust_name: "B".into(),
                                ty: TypeRef::Named(TypeId(2)),
                                tags: vec![],
                                shape: VariantShape::Whole,
                                doc: None,
                            },
                        ],
                        discriminator: None,
                        fallback: None,
                    }),
                ),
                def(
                    "B",
                    TypeKind::Struct(StructDef {
                        fields: vec![field(TypeRef::Vec(Box::new(TypeRef::Named(TypeId(0)))))],
                        additional: None,
                    }),
                ),
                def(
                    "C",
                    TypeKind::Struct(StructDef { fields: vec![field(TypeRef::Named(TypeId(0)))], additional: None }),
                ),
                def(
                    "V",
                    TypeKind::Union(UnionDef {
                        variants: vec![UnionVariant {
                            rust_name: "W".into(),
                            ty: TypeRef::Named(TypeId(5)),
                            tags: vec![],
                            shape: VariantShape::Whole,
                            doc: None,
                        }],
                        discriminator: None,
                        fallback: None,
                    }),
                ),
                def("W", TypeKind::Alias(TypeRef::Named(TypeId(4)))),
            ],
            ..TypeSpace::default()
        };
        assert!(space.needs_box(TypeId(0), &TypeRef::Named(TypeId(1))), "A -> U -> A by value");
        assert!(!space.needs_box(TypeId(2), &TypeRef::Vec(Box::new(TypeRef::Named(TypeId(0))))), "a Vec allocates");
        assert!(!space.needs_box(TypeId(3), &TypeRef::Named(TypeId(0))), "C is in no cycle");
        assert!(!space.variant_needs_box(TypeId(1), &TypeRef::Named(TypeId(0))), "broken at A's field");
        assert!(space.variant_needs_box(TypeId(4), &TypeRef::Named(TypeId(5))), "unions and aliases only");
    }

    /// A chain of 100,000 structs, each holding the next: one look-up per field (a walk per field would take
    /// 5 * 10^9 steps, and a recursive search would overflow the stack).
    #[test]
    fn boxing_decisions_on_long_chains_are_linear() {
        let n = 100_000;
        let defs = (0..n)
            .map(|i| {
                let fields = if i + 1 < n { vec![field(TypeRef::Named(TypeId(i + 1)))] } else { vec![] };
                def("T", TypeKind::Struct(StructDef { fields, additional: None }))
            })
            .collect();
        let space = TypeSpace { defs, ..TypeSpace::default() };
        assert!((0..n - 1).all(|i| !space.needs_box(TypeId(i), &TypeRef::Named(TypeId(i + 1)))));
    }
}
