//! Stage 5a: tera templates for the files that are mostly fixed text (Cargo.toml, README.md, lib.rs).
//!
//! Every value handed to a template is computed here, already escaped for the file it lands in (TOML string
//! literals, Rust string literals); templates only fill holes.

use serde::Serialize;
use tera::{Context, Tera};

use crate::emit::Needs;
use crate::error::Error;
use crate::ir::{Api, AuthScheme};

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
    pub inline_runtime: bool,
    pub needs: Needs,
    pub has_example: bool,
    pub env_prefix: &'a str,
}

#[derive(Serialize)]
struct OperationRow {
    method: String,
    route: String,
    pages: &'static str,
}

#[derive(Serialize)]
struct ExampleView {
    build_client: String,
    call: String,
    paginated: bool,
    /// The operation declares `x-error-when`: a success status can carry a failure.
    reports_failure: bool,
    env: String,
}

fn engine() -> Result<Tera, Error> {
    let mut tera = Tera::default();
    tera.autoescape_on(Vec::new());
    tera.add_raw_templates([("Cargo.toml", CARGO_TOML), ("README.md", README_MD), ("lib.rs", LIB_RS)])
        .map_err(|e| Error::Config(format!("template error: {e}")))?;
    Ok(tera)
}

/// Renders (Cargo.toml, README.md, lib.rs).
pub(crate) fn render_crate(view: &CrateView<'_>) -> Result<(String, String, String), Error> {
    let tera = engine()?;
    let api = view.api;
    let mut context = Context::new();
    let description = format!("Typed async client for the {} API", one_line(&api.title));
    context.insert("package_name", &toml_string(view.package_name));
    context.insert("crate_version", &toml_string("0.1.0"));
    context.insert("description", &toml_string(&description));
    context.insert("spec_file", &one_line(view.spec_file));
    context.insert("runtime_dependency", &view.runtime_dependency);
    context.insert("inline_dependencies", &view.inline_dependencies);
    context.insert("chrono", &view.needs.chrono);
    context.insert("uuid", &view.needs.uuid);
    context.insert("has_example", &view.has_example);
    let cargo = render(&tera, "Cargo.toml", &context)?;

    let lib_doc = lib_doc(api, view);
    let mut lib_context = Context::new();
    lib_context.insert("doc", &proc_macro2::Literal::string(&lib_doc).to_string());
    lib_context.insert("inline_runtime", &view.inline_runtime);
    lib_context.insert("runtime_crate", view.runtime_crate);
    let lib = render(&tera, "lib.rs", &lib_context)?;

    let mut readme_context = Context::new();
    readme_context.insert("package_name", &markdown_line(view.package_name));
    readme_context.insert("lib_name", view.lib_name);
    readme_context.insert("title", &markdown_line(&api.title));
    readme_context.insert("api_version", &markdown_line(&api.api_version));
    readme_context.insert("spec_file", &markdown_line(view.spec_file));
    readme_context.insert(
        "description",
        &api.description.as_deref().map(crate::ir::naming::doc_text).unwrap_or_default(),
    );
    let rows: Vec<OperationRow> = api
        .operations
        .iter()
        .map(|op| OperationRow {
            method: op.method_name.clone(),
            route: format!("{} {}", op.http_method, op.path.replace(['`', '|'], "")),
            pages: match &op.pagination {
                Some(p) => match &p.style {
                    crate::ir::PaginationStyle::PageNumber { .. } => "page number",
                    crate::ir::PaginationStyle::Marker { .. } => "marker",
                    crate::ir::PaginationStyle::PageToken { .. } => "page token",
                    crate::ir::PaginationStyle::LinkHeader => "Link header",
                },
                None => "",
            },
        })
        .collect();
    readme_context.insert("operations", &rows);
    readme_context.insert("example", &example_view(api, view));
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
    let mut doc = format!("A typed, async client for the {} API (version {}).", one_line(&api.title), one_line(&api.api_version));
    if let Some(description) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(&crate::ir::naming::doc_text(description));
    }
    doc.push_str(&format!(
        "\n\nGenerated from `{}`. Start with [`Client::builder`]; each operation is a method of [`Client`] that returns a \
         request builder. Types from the spec are in [`types`].",
        one_line(view.spec_file).replace('`', "'")
    ));
    doc
}

fn example_view(api: &Api, view: &CrateView<'_>) -> Option<ExampleView> {
    let op = api
        .operations
        .iter()
        .find(|op| op.http_method == "GET" && op.pagination.is_some())
        .or_else(|| api.operations.iter().find(|op| op.http_method == "GET"))?;
    let args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| match p.ty {
            crate::ir::TypeRef::String => format!("\"{}\"", p.wire_name.escape_default()),
            _ => "Default::default()".to_owned(),
        })
        .collect();
    let build_client = match (&api.server, &api.auth) {
        (Some(_), Some(AuthScheme::Basic)) => "Client::new(\"user\", \"password\")?".to_owned(),
        (Some(_), Some(_)) => "Client::new(\"TOKEN\")?".to_owned(),
        (Some(_), None) => "Client::new()?".to_owned(),
        (None, Some(AuthScheme::Basic)) => "Client::new(\"https://api.example.com\", \"user\", \"password\")?".to_owned(),
        (None, Some(_)) => "Client::new(\"https://api.example.com\", \"TOKEN\")?".to_owned(),
        (None, None) => "Client::new(\"https://api.example.com\")?".to_owned(),
    };
    Some(ExampleView {
        build_client,
        call: format!("{}({})", op.method_name, args.join(", ")),
        paginated: op.pagination.is_some(),
        reports_failure: op.failure.is_some(),
        env: if view.has_example {
            format!("set `{}_TOKEN`; `{}_BASE_URL` points it at another server", view.env_prefix, view.env_prefix)
        } else {
            String::new()
        },
    })
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
