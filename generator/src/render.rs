//! Stage 5a: tera templates for the files that are mostly fixed text (Cargo.toml, README.md, lib.rs).
//!
//! Every value handed to a template is computed here, already escaped for the file it lands in (TOML string
//! literals, Rust string literals); templates only fill holes.

use serde::Serialize;
use tera::{Context, Tera};

use crate::emit::Needs;
use crate::error::Error;
use crate::ir::{Api, Presence, TypeId, TypeKind, TypeRef, TypeSpace};

/// rustc's default `recursion_limit`.
const DEFAULT_RECURSION_LIMIT: usize = 128;

const CARGO_TOML: &str = include_str!("../../templates/Cargo.toml.tera");
const README_MD: &str = include_str!("../../templates/README.md.tera");
const LIB_RS: &str = include_str!("../../templates/lib.rs.tera");

/// What the templates need to know about the crate being written.
pub(crate) struct CrateView<'a> {
    pub api: &'a Api,
    pub package_name: &'a str,
    pub lib_name: &'a str,
    pub spec_file: &'a str,
    pub runtime_dependency: Option<String>,
    pub runtime_crate: &'a str,
    pub inline_dependencies: Vec<String>,
    /// The crate's TLS features: (name, what each enables).
    pub tls_features: Vec<(String, Vec<String>)>,
    pub inline_runtime: bool,
    pub needs: Needs,
    pub has_example: bool,
    pub env_prefix: &'a str,
    /// The package metadata and extra dependencies come from here.
    pub options: &'a crate::Options,
}

#[derive(Serialize)]
struct OperationRow {
    method: String,
    route: String,
    pages: &'static str,
    /// The streaming form of the call, if any.
    streams: &'static str,
}

#[derive(Serialize)]
struct ExampleView {
    build_client: String,
    /// `method(arguments)`.
    call: String,
    /// The arguments name `types::` items, so the examples `use` the module.
    uses_types: bool,
    paginated: bool,
    /// The operation declares `x-error-when`: a success status can carry a failure.
    reports_failure: bool,
    env: String,
    /// The builder line giving a base URL, when the spec names no absolute server.
    base_url: Option<&'static str>,
    /// The spec's server URL (variables at their defaults) as a Rust string literal, shown where a user would put
    /// another one.
    server_url: String,
    /// The first server variable as Rust string literals (name, a value: another allowed one when there is, else the
    /// default), set in the service example.
    server_variable: Option<(String, String)>,
    /// How the service example sets credentials: `provider` (a token scheme), `basic`, or none.
    credentials: Option<&'static str>,
    /// The environment variable the token provider example reads.
    token_var: String,
    /// A streamed download's call, `method(arguments)`, and whether its arguments name `types::` items.
    download_call: Option<(String, bool)>,
    /// An event stream's call and whether its arguments name `types::` items.
    events_call: Option<(String, bool)>,
    /// The example operation's error type, when it documents error responses.
    error_type: Option<String>,
    /// Its variants: `` `Name` (HTTP 404) ``.
    error_variants: Vec<String>,
}

fn engine() -> Result<Tera, Error> {
    let mut tera = Tera::default();
    tera.autoescape_on(Vec::new());
    tera.add_raw_templates([("Cargo.toml", CARGO_TOML), ("README.md", README_MD), ("lib.rs", LIB_RS)])
        .map_err(|e| Error::Config(format!("template error: {e}")))?;
    Ok(tera)
}

/// The lines of the crate's `[dependencies]`: the runtime (or, when it is copied in, its own dependencies), serde,
/// and the crates the code needs, then the dependencies the options add. An added dependency with the name of one
/// the generator writes replaces it, so a user can pin or configure it.
fn dependency_lines(view: &CrateView<'_>) -> Vec<String> {
    let needs = &view.needs;
    let mut lines: Vec<String> = view.runtime_dependency.iter().cloned().collect();
    lines.push(r#"serde = { version = "1", features = ["derive"] }"#.to_owned());
    lines.push(r#"serde_json = "1""#.to_owned());
    if needs.thiserror && !view.inline_runtime {
        lines.push(r#"thiserror = "2""#.to_owned());
    }
    if needs.chrono {
        lines.push(r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#.to_owned());
    }
    if needs.uuid {
        lines.push(r#"uuid = { version = "1", features = ["serde"] }"#.to_owned());
    }
    let name_of = |line: &str| line.split('=').next().unwrap_or_default().trim().to_owned();
    // A copied runtime's own `time` line (with the features its codec needs) serves the types too.
    if needs.time && !view.inline_dependencies.iter().any(|line| name_of(line) == "time") {
        lines.push(r#"time = { version = "0.3", default-features = false, features = ["std"] }"#.to_owned());
    }
    lines.extend(view.inline_dependencies.iter().cloned());
    for added in &view.options.dependency {
        let line = added.to_string();
        match lines.iter_mut().find(|existing| name_of(existing) == added.name) {
            Some(existing) => *existing = line,
            None => lines.push(line),
        }
    }
    lines
}

/// Renders (Cargo.toml, README.md, lib.rs).
pub(crate) fn render_crate(view: &CrateView<'_>) -> Result<(String, String, String), Error> {
    let tera = engine()?;
    let api = view.api;
    let mut context = Context::new();
    let options = view.options;
    let description = match &options.description {
        Some(text) => text.clone(),
        None => format!("Typed async client for the {}", one_line(&crate::ir::naming::api_name(&api.title))),
    };
    let version = match &options.crate_version {
        Some(version) => version.clone(),
        None if crate::ir::naming::is_semver(&api.api_version) => api.api_version.clone(),
        None => "0.1.0".to_owned(),
    };
    context.insert("package_name", &toml_string(view.package_name));
    context.insert("crate_version", &toml_string(&version));
    context.insert("description", &toml_string(&description));
    context.insert("license", &options.license.as_deref().map(toml_string));
    context.insert("repository", &options.repository.as_deref().map(toml_string));
    context.insert("publish", &options.publish);
    context.insert("spec_file", &one_line(view.spec_file));
    context.insert("dependencies", &dependency_lines(view));
    context.insert("tls_features", &view.tls_features);
    context.insert("has_example", &view.has_example);
    let cargo = render(&tera, "Cargo.toml", &context)?;

    let lib_doc = lib_doc(api, view);
    let mut lib_context = Context::new();
    lib_context.insert("doc", &proc_macro2::Literal::string(&lib_doc).to_string());
    lib_context.insert("inline_runtime", &view.inline_runtime);
    lib_context.insert("runtime_crate", view.runtime_crate);
    lib_context.insert("recursion_limit", &recursion_limit(&api.types));
    let lib = render(&tera, "lib.rs", &lib_context)?;

    let mut readme_context = Context::new();
    readme_context.insert("package_name", &markdown_line(view.package_name));
    readme_context.insert("lib_name", view.lib_name);
    readme_context.insert("api_name", &markdown_line(&crate::ir::naming::api_name(&api.title)));
    readme_context.insert("api_version", &markdown_line(&api.api_version));
    readme_context.insert("spec_file", &markdown_line(view.spec_file));
    readme_context
        .insert("description", &api.description.as_deref().map(crate::ir::naming::doc_text).unwrap_or_default());
    let rows: Vec<OperationRow> = api
        .operations
        .iter()
        .map(|op| OperationRow {
            method: op.call.clone(),
            route: format!("{} {}", op.http_method, op.path.text.replace(['`', '|'], "")),
            pages: match &op.pagination {
                Some(p) => match &p.style {
                    crate::ir::PaginationStyle::PageNumber { .. } => "page number",
                    crate::ir::PaginationStyle::Offset { .. } => "offset",
                    crate::ir::PaginationStyle::NextLink => "next link",
                    crate::ir::PaginationStyle::Marker { .. } => "marker",
                    crate::ir::PaginationStyle::PageToken { .. } => "page token",
                    crate::ir::PaginationStyle::LinkHeader => "Link header",
                },
                None => "",
            },
            streams: match (&op.success, &op.events) {
                (_, Some(_)) => "`send_events()`",
                (crate::ir::SuccessBody::Bytes, None) => "`send_streaming()`",
                _ => "",
            },
        })
        .collect();
    readme_context.insert("streams", &rows.iter().any(|row| !row.streams.is_empty()));
    readme_context.insert(
        "uploads",
        &api.operations.iter().any(|op| op.body.as_ref().is_some_and(|b| b.kind == crate::ir::BodyKind::Bytes)),
    );
    readme_context.insert("operations", &rows);
    readme_context.insert("example", &example_view(api, view));
    readme_context.insert("auth_description", &api.auth_description.as_deref().map(crate::ir::naming::doc_text));
    readme_context.insert("auth_jwt", &api.auth_jwt);
    readme_context.insert("recursion_limit", &recursion_limit(&api.types));
    let readme = render(&tera, "README.md", &readme_context)?;
    Ok((cargo, readme, lib))
}

fn render(tera: &Tera, name: &str, context: &Context) -> Result<String, Error> {
    tera.render(name, context).map_err(|e| {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(&format!(": {s}"));
            source = s.source();
        }
        Error::Config(format!("rendering {name}: {message}"))
    })
}

fn lib_doc(api: &Api, view: &CrateView<'_>) -> String {
    let mut doc = format!(
        "A typed, async client for the {} (version {}).",
        one_line(&crate::ir::naming::api_name(&api.title)),
        one_line(&api.api_version)
    );
    if let Some(description) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(&crate::ir::naming::doc_text(description));
    }
    let methods = if api.groups.is_empty() {
        "each operation is a method of [`Client`]"
    } else {
        "each operation is a method of its tag's group (`client.<tag>()`) or of [`Client`]"
    };
    doc.push_str(&format!(
        "\n\nGenerated from `{}`. Start with [`Client::builder`]; {methods} that returns a request builder. Types from \
         the spec are in [`types`].",
        one_line(view.spec_file).replace('`', "'")
    ));
    // The title and version are spec text too: `<script>` in a title must not reach the page.
    crate::ir::naming::doc_text(&doc)
}

fn example_view(api: &Api, view: &CrateView<'_>) -> Option<ExampleView> {
    let crate::emit::ReadmeCall { op, call, uses_types, build_client } = crate::emit::readme_call(api)?;
    Some(ExampleView {
        build_client,
        call,
        uses_types,
        paginated: op.pagination.is_some(),
        reports_failure: op.failure.is_some(),
        base_url: api.server.is_none().then_some("https://api.example.com"),
        server_url: format!("{:?}", api.server.as_ref().map(|server| server.default_url()).unwrap_or_default()),
        server_variable: api.server.as_ref().and_then(|server| server.variables.first()).map(|variable| {
            let value = variable.allowed.iter().find(|v| **v != variable.default).unwrap_or(&variable.default);
            (format!("{:?}", variable.name), format!("{value:?}"))
        }),
        credentials: match &api.auth {
            Some(crate::ir::AuthScheme::Basic) => Some("basic"),
            Some(_) => Some("provider"),
            None => None,
        },
        token_var: format!("{}_TOKEN", view.env_prefix),
        download_call: crate::emit::readme_call_where(api, |op| matches!(op.success, crate::ir::SuccessBody::Bytes))
            .map(|c| (c.call, c.uses_types)),
        events_call: crate::emit::readme_call_where(api, |op| op.events.is_some()).map(|c| (c.call, c.uses_types)),
        error_type: op.error_enum.map(|_| op.error_name.clone()),
        error_variants: op
            .error_enum
            .map(|index| &api.error_enums[index].responses)
            .into_iter()
            .flatten()
            .map(|response| {
                let status = match &response.status {
                    crate::ir::StatusMatch::Code(code) => format!("HTTP {code}"),
                    crate::ir::StatusMatch::Range(range) => format!("HTTP {range}XX"),
                    crate::ir::StatusMatch::Default => "any other status".to_owned(),
                };
                format!("`{}` ({status})", response.variant)
            })
            .collect(),
        env: if view.has_example {
            match crate::emit::credential_variables(api, view.env_prefix) {
                Some(credentials) => {
                    format!("set {credentials}; `{}_BASE_URL` points it at another server", view.env_prefix)
                }
                None => format!("`{}_BASE_URL` points it at another server", view.env_prefix),
            }
        } else {
            String::new()
        },
    })
}

/// The `#![recursion_limit]` a crate with these types needs, or `None` when rustc's default (128) is enough.
///
/// rustc computes a struct's layout, drop-check rules and auto traits by descending into every type it holds, one
/// query level per struct and per wrapper (`Option`, `Vec`, `BTreeMap`, enum variant), and stops with "queries
/// overflow the depth limit" (or E0320) at `recursion_limit`. A spec whose schemas nest 64 deep is enough. The bound
/// here is the heaviest chain of types held inside one another, each level costing two queries plus two per
/// wrapper; recursive types (strongly connected components) count every member once, an upper bound for any path
/// through them. The limit is a bound, not a cost: compilation does no more work with a higher one.
pub(crate) fn recursion_limit(space: &TypeSpace) -> Option<usize> {
    let needed = nesting_weight(space) + 64;
    (needed > DEFAULT_RECURSION_LIMIT).then(|| needed.div_ceil(64) * 64)
}

/// The heaviest chain of nested types, by the weights [`recursion_limit`] describes. Iterative (Kosaraju's strongly
/// connected components, then the longest path of the condensed graph), so no depth of input overflows the stack.
fn nesting_weight(space: &TypeSpace) -> usize {
    let n = space.defs.len();
    let edges: Vec<Vec<(usize, usize)>> = (0..n).map(|i| held_types(space, TypeId(i))).collect();
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &(to, _) in targets {
            reverse[to].push(from);
        }
    }
    // First pass: the order in which depth-first searches finish.
    let mut finished = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&(to, _)) = edges[*node].get(*next) {
                *next += 1;
                if !visited[to] {
                    visited[to] = true;
                    stack.push((to, 0));
                }
            } else {
                finished.push(*node);
                stack.pop();
            }
        }
    }
    // Second pass, on the reversed graph in reverse finishing order: components come out in topological order.
    let mut component = vec![usize::MAX; n];
    let mut components: Vec<Vec<usize>> = Vec::new();
    for &start in finished.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        let id = components.len();
        component[start] = id;
        let mut members = vec![start];
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = id;
                    members.push(from);
                    stack.push(from);
                }
            }
        }
        components.push(members);
    }
    // Longest path, from the last components (which hold no earlier one) back to the first.
    let mut weight = vec![0usize; components.len()];
    for id in (0..components.len()).rev() {
        let mut inside = 0usize;
        let mut beyond = 0usize;
        for &node in &components[id] {
            let mut heaviest_edge = 0;
            for &(to, edge) in &edges[node] {
                heaviest_edge = heaviest_edge.max(edge);
                if component[to] != id {
                    beyond = beyond.max(edge.saturating_add(weight[component[to]]));
                }
            }
            if components[id].len() > 1 || edges[node].iter().any(|&(to, _)| to == node) {
                inside = inside.saturating_add(heaviest_edge);
            }
        }
        weight[id] = inside.saturating_add(beyond);
    }
    weight.into_iter().max().unwrap_or(0)
}

/// The named types `id` holds, each with the weight of the hop: two queries for the type, two per wrapper.
fn held_types(space: &TypeSpace, id: TypeId) -> Vec<(usize, usize)> {
    fn walk(ty: &TypeRef, wrappers: usize, out: &mut Vec<(usize, usize)>) {
        match ty {
            TypeRef::Named(target) => out.push((target.0, 2 + 2 * wrappers)),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => walk(inner, wrappers + 1, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match &space.get(id).kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                let wrappers = match field.presence() {
                    Presence::Always => 0,
                    Presence::Option => 1,
                    Presence::DoubleOption => 2,
                };
                walk(&field.ty, wrappers + 1, &mut out);
            }
            if let Some(extra) = &s.additional {
                walk(&extra.ty, 1, &mut out);
            }
        }
        TypeKind::Union(u) => {
            for variant in &u.variants {
                walk(&variant.ty, 1, &mut out);
            }
        }
        TypeKind::Alias(target) => walk(target, 0, &mut out),
        // A one-field struct.
        TypeKind::Newtype(target) => walk(target, 1, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

/// A TOML basic string literal.
fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_owned()).to_string()
}

fn one_line(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text safe to drop into one Markdown line.
fn markdown_line(value: &str) -> String {
    one_line(value).replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, StructDef, TypeDef, UnionDef, UnionVariant};

    fn field(ty: TypeRef, required: bool) -> Field {
        Field {
            rust_name: "next".into(),
            wire_name: "next".into(),
            doc: None,
            ty,
            required,
            nullable: false,
            deprecated: false,
            read_only: false,
            write_only: false,
        }
    }

    fn object(fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: "T".into(),
            doc: None,
            origin: String::new(),
            kind: TypeKind::Struct(StructDef { fields, additional: None }),
            derives: Vec::new(),
            attributes: Vec::new(),
        }
    }

    /// `depth` structs, each holding the next through `wrap`.
    fn chain(depth: usize, wrap: impl Fn(TypeRef) -> TypeRef) -> TypeSpace {
        let defs = (0..depth)
            .map(|i| {
                if i + 1 == depth {
                    object(vec![field(TypeRef::String, true)])
                } else {
                    object(vec![field(wrap(TypeRef::Named(TypeId(i + 1))), false)])
                }
            })
            .collect();
        TypeSpace { defs, ..TypeSpace::default() }
    }

    #[test]
    fn shallow_types_keep_the_default_limit() {
        assert_eq!(recursion_limit(&TypeSpace::default()), None);
        assert_eq!(recursion_limit(&chain(10, |t| t)), None);
    }

    #[test]
    fn deep_chains_get_a_limit_that_grows_with_depth() {
        // 64 levels of `Option<Next>` overflowed rustc's layout queries at the default 128.
        let limit = recursion_limit(&chain(64, |t| t)).unwrap();
        assert!(limit >= 2 * 64 + 64, "{limit}");
        assert_eq!(limit % 64, 0);
        let deeper = recursion_limit(&chain(200, |t| t)).unwrap();
        assert!(deeper > limit && deeper >= 2 * 200 + 64, "{deeper}");
        // Wrappers are levels too.
        let wrapped = recursion_limit(&chain(64, |t| TypeRef::Vec(Box::new(TypeRef::Option(Box::new(t)))))).unwrap();
        assert!(wrapped > limit, "{wrapped} <= {limit}");
    }

    #[test]
    fn cycles_count_once_and_end() {
        // 0 → 1 → 2 → 0 (boxed somewhere by the emitter), and 2 → a 100-deep tail.
        let mut space = chain(103, |t| t);
        if let TypeKind::Struct(s) = &mut space.defs[2].kind {
            s.fields.push(field(TypeRef::Named(TypeId(0)), false));
        }
        let with_cycle = nesting_weight(&space);
        assert!(with_cycle >= nesting_weight(&chain(103, |t| t)));
        // A union that holds itself.
        let union = TypeDef {
            name: "U".into(),
            doc: None,
            origin: String::new(),
            kind: TypeKind::Union(UnionDef {
                variants: vec![UnionVariant {
                    rust_name: "A".into(),
                    ty: TypeRef::Named(TypeId(0)),
                    tags: Vec::new(),
                    shape: crate::ir::VariantShape::Whole,
                    doc: None,
                }],
                discriminator: None,
                fallback: None,
            }),
            derives: Vec::new(),
            attributes: Vec::new(),
        };
        assert!(nesting_weight(&TypeSpace { defs: vec![union], ..TypeSpace::default() }) < 100);
    }

    #[test]
    fn very_deep_chains_do_not_overflow_the_stack() {
        let limit = recursion_limit(&chain(100_000, |t| t)).unwrap();
        assert!(limit > 200_000, "{limit}");
    }

    #[test]
    fn metadata_from_a_huge_title_is_bounded() {
        let title = crate::ir::naming::metadata_line(&"a".repeat(140_000), crate::ir::naming::TITLE_CHARS);
        let description = toml_string(&format!("Typed async client for the {} API", one_line(&title)));
        assert!(description.len() < 300, "{}", description.len());
    }
}
