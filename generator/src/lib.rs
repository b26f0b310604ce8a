//! Generates typed, async Rust clients from OpenAPI documents.
//!
//! The pipeline is pure: `spec → IR → files in memory`. Only the entry points decide where the bytes go:
//!
//! ```no_run
//! // build.rs
//! generator::Config::new()
//!     .spec("specs/petstore.yaml")
//!     .generate()?
//!     .write_to_out_dir()?;
//! # Ok::<(), generator::Error>(())
//! ```
//!
//! and then, in the crate, `include!(concat!(env!("OUT_DIR"), "/petstore.rs"));` (the crate depends on
//! `client-runtime`, `serde` and `serde_json`, plus `chrono` and `uuid` when the spec has date-time or uuid values).
//! The command line writes whole crates from the same [`Generated`].
//!
//! Stages, one module each: [`load`] (YAML/JSON, cross-file `$ref`s, Swagger 2.0 and OpenAPI 3.1 upgraded to the
//! OpenAPI 3.0 shape) → `validate` (every diagnostic) → `lower`
//! (the [`ir`], names made once) → `emit` (quote!) and `render` (tera) → `format` (syn + prettyplease) → `output`.

pub mod corpus;
pub mod error;
pub mod ir;
pub mod load;
pub mod manifest;

mod emit;
mod format;
mod lower;
mod output;
mod render;
mod validate;

mod runtime_sources {
    include!(concat!(env!("OUT_DIR"), "/runtime_sources.rs"));
}

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::quote;

pub use error::{Diagnostic, Error, Severity};
pub use load::SpecVersion;
pub use output::{Drift, DriftKind, WriteOutcome};

/// How a generated crate gets the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// The runtime's source is copied into the crate as `src/runtime/`: the crate builds anywhere, alone.
    Inline,
    /// A path dependency on the `client-runtime` crate, as written in Cargo.toml (relative to the crate).
    Path(PathBuf),
    /// A registry dependency on `client-runtime` with this version requirement.
    Version(String),
}

impl std::str::FromStr for Runtime {
    type Err = String;

    /// `inline`, `path=DIR` or `version=REQ`.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.split_once('=') {
            None if value == "inline" => Ok(Runtime::Inline),
            Some(("path", dir)) if !dir.is_empty() => Ok(Runtime::Path(PathBuf::from(dir))),
            Some(("version", req)) if !req.is_empty() => Ok(Runtime::Version(req.to_owned())),
            _ => Err(format!("`{value}`: expected `inline`, `path=DIR` or `version=REQ`")),
        }
    }
}

/// What to generate: one spec into one client. The same options serve build.rs, the command line and tests.
#[derive(Debug, Clone)]
pub struct Config {
    spec: Option<PathBuf>,
    crate_name: Option<String>,
    runtime: Runtime,
    ref_roots: Vec<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config { spec: None, crate_name: None, runtime: Runtime::Inline, ref_roots: Vec::new() }
    }
}

impl Config {
    /// Defaults: crate named after the spec file, runtime inlined.
    pub fn new() -> Self {
        Self::default()
    }

    /// The OpenAPI document: YAML or JSON; OpenAPI 3.0, 3.1 (3.2 read as 3.1) or Swagger 2.0, in one file or many.
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.spec = Some(path.into());
        self
    }

    /// The package name of the generated crate (default: `<spec file stem>-client`).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// How the generated crate depends on the runtime (default: [`Runtime::Inline`]).
    pub fn runtime(mut self, runtime: Runtime) -> Self {
        self.runtime = runtime;
        self
    }

    /// Lets `$ref`s read files below `folder` too. By default a spec's references may read only regular files below
    /// the spec's own folder (symbolic links resolved), each at most 64 MiB, so a spec cannot pull in `/etc/passwd`
    /// or read `/dev/zero` forever.
    pub fn allow_ref_root(mut self, folder: impl Into<PathBuf>) -> Self {
        self.ref_roots.push(folder.into());
        self
    }

    /// Reads the spec and every file it references and returns the generated files, without writing anything.
    pub fn generate(&self) -> Result<Generated, Error> {
        let spec = self.spec.as_deref().ok_or_else(|| Error::Config("no spec given: call `Config::spec`".into()))?;
        let crate_name = match &self.crate_name {
            Some(name) => name.clone(),
            None => {
                let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                default_crate_name(&stem)
            }
        };
        check_crate_name(&crate_name)?;
        generate(spec, &crate_name, &self.runtime, &self.ref_roots)
    }
}

/// `<stem>-client` in kebab case, with `api-` in front when the stem does not start with a letter.
fn default_crate_name(stem: &str) -> String {
    let kebab = heck::ToKebabCase::to_kebab_case(crate::ir::naming::words(stem).as_str());
    if kebab.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("{kebab}-client")
    } else if kebab.is_empty() {
        "api-client".to_owned()
    } else {
        format!("api-{kebab}-client")
    }
}

fn check_crate_name(name: &str) -> Result<(), Error> {
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic());
    if valid {
        Ok(())
    } else {
        Err(Error::Config(format!("`{name}` is not a valid crate name (ASCII letters, digits, `-`, `_`; a letter first)")))
    }
}

/// The generated client, in memory.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The package name.
    pub crate_name: String,
    /// The crate's files by path relative to the crate root (`Cargo.toml`, `src/lib.rs`, …).
    pub files: BTreeMap<String, String>,
    /// The same client as one Rust file for `include!` (uses the `client-runtime` crate).
    pub module: String,
    /// Every file read: the spec and everything it references.
    pub inputs: Vec<PathBuf>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// Figures about the run, for reports.
    pub stats: Stats,
}

/// Figures about one generation.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// The dialect as the document states it, e.g. `openapi 3.1.0` or `swagger 2.0`.
    pub version: String,
    /// Operations in the client.
    pub operations: usize,
    /// Named types in the client.
    pub types: usize,
    /// Reading, parsing, bundling, upgrading and validating the document (everything before lowering).
    pub parse_time: std::time::Duration,
    /// The whole generation, parsing included.
    pub total_time: std::time::Duration,
}

/// Lints that spec-derived names and prose can trip, allowed where that code lives.
fn lint_allowances() -> proc_macro2::TokenStream {
    quote! {
        #![allow(
            clippy::approx_constant,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::enum_variant_names,
            clippy::large_enum_variant,
            clippy::should_implement_trait,
            clippy::type_complexity,
            clippy::wrong_self_convention,
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links,
            rustdoc::invalid_html_tags,
            rustdoc::private_intra_doc_links,
            rustdoc::redundant_explicit_links
        )]
    }
}

fn generate(spec: &Path, crate_name: &str, runtime: &Runtime, ref_roots: &[PathBuf]) -> Result<Generated, Error> {
    let started = std::time::Instant::now();
    let text = load::read_entry_file(spec)?;
    let parse_started = std::time::Instant::now();
    let loaded = match load::load_str_allowing(spec, &text, ref_roots) {
        Ok(loaded) => loaded,
        Err(Error::Spec(mut found)) => {
            validate::locate_in_files(&mut found, spec, &text);
            return Err(Error::Spec(found));
        }
        Err(other) => return Err(other),
    };
    let mut diagnostics = loaded.warnings.clone();
    let version = ["openapi", "swagger"]
        .iter()
        .find_map(|key| {
            let value = loaded.document.get(*key)?;
            Some(format!("{key} {}", value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string())))
        })
        .unwrap_or_default();
    // Swagger 2.0 and OpenAPI 3.1 become OpenAPI 3.0 here; lowering and emission know one dialect.
    let (mut document, upgrade_warnings) = load::upgrade_from(spec, loaded.version, &loaded.document);
    diagnostics.extend(upgrade_warnings);
    let text_hint = Some(text.as_str());
    // Problems found from here on name places in the upgraded document: each is mapped back to the document as
    // written (pointer, then line) before anyone sees it.
    let origin = load::origin::Origin::new(&loaded.document, loaded.version);
    let located = |document: &serde_json::Value, mut found: Vec<Diagnostic>| {
        for d in found.iter_mut().filter(|d| d.file == spec) {
            let (file, pointer) = origin.place(document, &d.pointer);
            d.pointer = pointer;
            if let Some(file) = file {
                d.file = file;
            }
        }
        if let Some(text) = text_hint {
            validate::locate_in_files(&mut found, spec, text);
        }
        found
    };
    let references = load::references::normalize(spec, &mut document);
    diagnostics.extend(located(&document, references));
    let dangling = validate::dangling_refs(spec, &document);
    if !dangling.is_empty() {
        return Err(Error::Spec(located(&document, dangling)));
    }
    let (parsed, degraded) = validate::parse_openapi(spec, &mut document);
    diagnostics.extend(located(&document, degraded));
    let document_typed = parsed.map_err(|errors| Error::Spec(located(&document, errors)))?;
    let parse_time = parse_started.elapsed();
    let (api, lowering) = lower::lower(&document_typed, spec);
    diagnostics.extend(located(&document, lowering));
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diagnostics.into_iter().partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        let mut errors = errors;
        if let Some(text) = text_hint {
            validate::locate(&mut errors, spec, text);
        }
        return Err(Error::Spec(errors));
    }
    let mut warnings = warnings;
    if let Some(text) = text_hint {
        validate::locate(&mut warnings, spec, text);
    }

    let spec_file = spec.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let header = format::header(&spec_file);
    let lib_name = crate_name.replace('-', "_");
    let env_prefix = heck::ToShoutySnakeCase::to_shouty_snake_case(crate_name.trim_end_matches("-client"));
    let inline = *runtime == Runtime::Inline;
    let crate_rt = emit::RuntimePath(if inline { quote!(crate::runtime) } else { quote!(::client_runtime) });
    let module_rt = emit::RuntimePath(quote!(::client_runtime));
    let allow = lint_allowances();

    // The bodies of `types` and `client` are emitted and formatted once, in parallel chunks; only their first lines
    // (the lint allowances and the `use` of the runtime) differ between the crate's files and the single module.
    let types_body = format::parallel("src/types.rs", emit::types_chunks(&api), |i| emit::types_chunk(&api, i))?;
    let client_body = format::parallel("src/client.rs", emit::client_chunks(&api), |i| emit::client_chunk(&api, i))?;
    let types_use = |rt: &emit::RuntimePath| {
        let use_rt = emit::types_use(&api, rt);
        format::body("src/types.rs", quote!(#allow #use_rt))
    };
    let client_use = |rt: &emit::RuntimePath| {
        let use_rt = emit::client_use(rt);
        format::body("src/client.rs", quote!(#allow #use_rt))
    };
    let mut files = BTreeMap::new();
    files.insert("src/types.rs".to_owned(), format!("{header}{}{types_body}", types_use(&crate_rt)?));
    files.insert("src/client.rs".to_owned(), format!("{header}{}{client_body}", client_use(&crate_rt)?));

    let example = emit::example_program(&api, &lib_name, &env_prefix);
    if let Some((name, tokens)) = &example {
        let path = format!("examples/{name}.rs");
        files.insert(path.clone(), format::tokens(&path, tokens.clone(), &header)?);
    }
    let runtime_dependency = match runtime {
        Runtime::Inline => None,
        Runtime::Path(dir) => Some(format!(
            "client-runtime = {{ path = {}, version = \"{}\" }}",
            toml::Value::String(dir.to_string_lossy().replace('\\', "/")),
            runtime_sources::RUNTIME_VERSION
        )),
        Runtime::Version(req) => Some(format!("client-runtime = {}", toml::Value::String(req.clone()))),
    };
    let inline_dependencies = if inline {
        // serde and serde_json are already listed for the generated code itself.
        runtime_sources::RUNTIME_DEPENDENCIES
            .iter()
            .filter(|line| !line.starts_with("serde ") && !line.starts_with("serde_json "))
            .map(|s| (*s).to_owned())
            .collect()
    } else {
        Vec::new()
    };
    let view = render::CrateView {
        api: &api,
        package_name: crate_name,
        lib_name: &lib_name,
        spec_file: &spec_file,
        runtime_dependency,
        runtime_crate: "client_runtime",
        inline_dependencies,
        inline_runtime: inline,
        needs: emit::needs(&api),
        has_example: example.is_some(),
        env_prefix: &env_prefix,
    };
    let (cargo, readme, lib) = render::render_crate(&view)?;
    files.insert("Cargo.toml".to_owned(), cargo);
    files.insert("README.md".to_owned(), readme);
    files.insert("src/lib.rs".to_owned(), format::source("src/lib.rs", &lib, &header)?);
    if inline {
        for (name, source) in runtime_sources::RUNTIME_SOURCES {
            let target = if *name == "lib.rs" { "src/runtime/mod.rs".to_owned() } else { format!("src/runtime/{name}") };
            files.insert(target, (*source).to_owned());
        }
    }

    // The same code as one file for `include!`: the formatted bodies, indented into `pub mod` blocks. A crate
    // attribute cannot come from an included file, so the limit deep types need is said in a comment.
    let depth_note = match render::recursion_limit(&api.types) {
        Some(limit) => format!(
            "// These types nest deeper than rustc's default `recursion_limit` (128) lets it lay out: the crate that\n\
             // includes this file needs `#![recursion_limit = \"{limit}\"]`.\n"
        ),
        None => String::new(),
    };
    let module = format!(
        "{header}{depth_note}/// Types from the spec.\npub mod types {{\n{}{}}}\n/// The client and its request builders.\npub mod client {{\n{}{}}}\npub use self::client::*;\n",
        format::indent(&types_use(&module_rt)?),
        format::indent(&types_body),
        format::indent(&client_use(&module_rt)?),
        format::indent(&client_body),
    );
    let stats = Stats {
        version,
        operations: api.operations.len(),
        types: api.types.defs.len(),
        parse_time,
        total_time: started.elapsed(),
    };
    Ok(Generated { crate_name: crate_name.to_owned(), files, module, inputs: loaded.files, warnings, stats })
}
