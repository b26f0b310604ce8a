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
//! and then, in the crate, `include!(concat!(env!("OUT_DIR"), "/petstore.rs"));`. The crate depends on
//! `client-runtime`, `serde`, `serde_json` and `thiserror`, plus `chrono` (or `time`, with
//! [`Config::date_time`]) and `uuid` when the spec has date-time or uuid values; the runtime needs its `regex`
//! feature when parameters have a `pattern`, `sse` when responses are event streams and `time` for `time`
//! date-times. The file's first lines say which.
//! The command line writes whole crates from the same [`Generated`]. Tests, fuzzers and tools that hold the text
//! already give it from memory, and nothing is read from disk:
//!
//! ```
//! let spec = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'models.yaml#/Pet'}\n";
//! let generated = generator::Config::new()
//!     .spec_text("pets.yaml", spec)
//!     .source_file("models.yaml", "Pet: {type: object, properties: {name: {type: string}}}\n")
//!     .generate()?;
//! assert!(generated.files["src/types.rs"].contains("pub struct Pet"));
//! # Ok::<(), generator::Error>(())
//! ```
//!
//! Stages, one module each: [`load`] (the [`Source`] of the text, YAML/JSON, cross-file `$ref`s, Swagger 2.0 and
//! OpenAPI 3.1 upgraded to the OpenAPI 3.0 shape, the typed parse) → `validate` (every dangling reference) → `lower`
//! (the [`ir`], names made once, `$ref`s resolved by one resolver) → `emit` (quote!) and `render` (tera) →
//! `assemble` (the crate's files, the runtime dependency or inline copy, the single module) → `format` (syn +
//! prettyplease). Only [`load::Source`] reads files; `output` (writing crates), `manifest` and `corpus` are entry
//! points, as is the command line. JSON Pointers are made and taken apart in one module, `pointer`.

pub mod corpus;
pub mod error;
pub mod ir;
pub mod load;
pub mod manifest;
pub mod options;
pub mod paging_report;

mod assemble;
mod emit;
mod format;
mod lower;
mod output;
mod pointer;
mod render;
mod select;
mod validate;

mod runtime_sources {
    include!(concat!(env!("OUT_DIR"), "/runtime_sources.rs"));
}

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::{Diagnostic, Error, Severity};
pub use load::{Source, SpecVersion};
pub use options::{Options, OPTIONS};
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
            Some(("version", req)) if semver::VersionReq::parse(req).is_ok() => Ok(Runtime::Version(req.to_owned())),
            _ => {
                Err(format!("`{value}`: expected `inline`, `path=DIR` or `version=REQ` (a Cargo version requirement)"))
            }
        }
    }
}

/// What to generate: one spec into one client. The same options serve build.rs, the command line and the manifest:
/// every setter below other than the spec's is an option of [`Options`], declared once in [`options`].
#[derive(Debug, Clone, Default)]
pub struct Config {
    spec: Option<PathBuf>,
    options: Options,
    /// Option values given as text that did not parse: reported by [`Config::generate`].
    invalid: Vec<String>,
    /// Files given as text: when there are any, every file is read from here and none from disk.
    texts: BTreeMap<PathBuf, String>,
}

impl Config {
    /// Every option at its default: crate named after the spec file, runtime inlined, every operation.
    pub fn new() -> Self {
        Self::default()
    }

    /// The OpenAPI document: YAML or JSON; OpenAPI 3.0, 3.1 (3.2 read as 3.1) or Swagger 2.0, in one file or many.
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.spec = Some(path.into());
        self
    }

    /// The OpenAPI document given as text, as if read from the file `name` (a relative or absolute path: it names the
    /// file in diagnostics, gives the default crate name, and is where relative `$ref`s start from).
    ///
    /// Once any text is given (here or with [`Config::source_file`]), the spec and every file it references are read
    /// from the texts given and nothing is read from disk: a `$ref` to a file not given is an error, as a missing
    /// file is, and [`Config::allow_ref_root`] has no effect. [`Generated::inputs`] is then empty, since no file on
    /// disk needs watching.
    pub fn spec_text(mut self, name: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let name = name.into();
        self.texts.insert(name.clone(), text.into());
        self.spec = Some(name);
        self
    }

    /// A file that the spec's `$ref`s may name, given as text (see [`Config::spec_text`]): `path` is the file's path
    /// as the references reach it, e.g. `common/types.yaml` beside a spec named `api.yaml`.
    pub fn source_file(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.texts.insert(path.into(), text.into());
        self
    }

    /// Replaces every option at once (as the manifest and the command line give them).
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// The options as set so far.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Reads the spec and every file it references and returns the generated files, without writing anything.
    ///
    /// # Errors
    /// [`Error::Config`] for a missing spec, an invalid crate name or option value; [`Error::Spec`] with every
    /// problem found in the document; [`Error::Io`] when a file cannot be read.
    pub fn generate(&self) -> Result<Generated, Error> {
        let spec = self.spec.as_deref().ok_or_else(|| Error::Config("no spec given: call `Config::spec`".into()))?;
        if !self.invalid.is_empty() {
            return Err(Error::Config(self.invalid.join("\n")));
        }
        let crate_name = match &self.options.crate_name {
            Some(name) => name.clone(),
            None => {
                let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                crate::ir::naming::crate_name(&stem)
            }
        };
        check_crate_name(&crate_name)?;
        if let Some(version) = &self.options.crate_version {
            if !crate::ir::naming::is_semver(version) {
                return Err(Error::Config(format!(
                    "--crate-version (version): `{version}` is not a semantic version (MAJOR.MINOR.PATCH, as Cargo requires)"
                )));
            }
        }
        let source = if self.texts.is_empty() {
            Source::FileSystem { roots: self.options.allow_ref_root.clone() }
        } else {
            Source::memory(self.texts.iter().map(|(path, text)| (path.clone(), text.clone())))
        };
        generate(&source, spec, &crate_name, &self.options)
    }
}

fn check_crate_name(name: &str) -> Result<(), Error> {
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic());
    if valid {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "`{name}` is not a valid crate name (ASCII letters, digits, `-`, `_`; a letter first)"
        )))
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
    /// Every file read from disk: the spec and everything it references (none when the texts were given with
    /// [`Config::spec_text`]).
    pub inputs: Vec<PathBuf>,
    /// Problems that did not stop generation.
    pub warnings: Vec<Diagnostic>,
    /// Figures about the run, for reports.
    pub stats: Stats,
    /// Per operation, its pagination and where it came from, or why it has none.
    pub paging: Vec<paging_report::OperationPaging>,
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
    /// Operations whose response is a list (an array, or an object holding one).
    pub list_operations: usize,
    /// Operations that page, by `x-pagination`, a vendor's extension (`x-ms-pageable`) or inference.
    pub paginated: usize,
    /// Operations whose paging was inferred.
    pub inferred: usize,
    /// Operations paged as a vendor's extension says (`x-ms-pageable`).
    pub vendor_extension: usize,
}

fn generate(source: &Source, spec: &Path, crate_name: &str, options: &Options) -> Result<Generated, Error> {
    let started = std::time::Instant::now();
    let loaded = load::load_from(source, spec)?;
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
        load::lines::locate_all(&mut found, &loaded.texts);
        found
    };
    let references = load::references::normalize(spec, &mut document);
    diagnostics.extend(located(&document, references));
    let dangling = validate::dangling_refs(spec, &document);
    if !dangling.is_empty() {
        return Err(Error::Spec(located(&document, dangling)));
    }
    let selected = select::select(spec, &mut document, options)?;
    diagnostics.extend(located(&document, selected));
    let (parsed, degraded) = load::typed::parse_openapi(spec, &mut document);
    diagnostics.extend(located(&document, degraded));
    let document_typed = parsed.map_err(|errors| Error::Spec(located(&document, errors)))?;
    let parse_time = started.elapsed();
    let (api, lowering) = lower::lower(&document_typed, spec, options).map_err(Error::Config)?;
    diagnostics.extend(located(&document, lowering));
    let (mut errors, mut warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diagnostics.into_iter().partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        load::lines::locate_all(&mut errors, &loaded.texts);
        return Err(Error::Spec(errors));
    }
    load::lines::locate_all(&mut warnings, &loaded.texts);

    let spec_file = spec.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let assembled = assemble::assemble(&api, crate_name, &spec_file, options)?;
    let paging = paging_report::report(&api);
    let stats = Stats {
        version,
        operations: api.operations.len(),
        types: api.types.defs.len(),
        parse_time,
        total_time: started.elapsed(),
        list_operations: paging.iter().filter(|row| row.outcome.is_list()).count(),
        paginated: paging.iter().filter(|row| row.outcome.plan().is_some()).count(),
        inferred: paging.iter().filter(|row| matches!(row.outcome, paging_report::PagingOutcome::Inferred(_))).count(),
        vendor_extension: paging
            .iter()
            .filter(|row| matches!(row.outcome, paging_report::PagingOutcome::VendorExtension { .. }))
            .count(),
    };
    let inputs = if matches!(source, Source::FileSystem { .. }) { loaded.files } else { Vec::new() };
    Ok(Generated {
        crate_name: crate_name.to_owned(),
        files: assembled.files,
        module: assembled.module,
        inputs,
        warnings,
        stats,
        paging,
    })
}
