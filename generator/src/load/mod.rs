//! Stage 1: read the spec (YAML or JSON) and every file it `$ref`s into one self-contained document.
//!
//! External references are bundled: schemas, parameters, responses, request bodies and headers that live in other
//! files are hoisted into `components` under a unique name (so they keep a name and recursion stays possible);
//! path items, operations and anything else are inlined. Afterwards only `#/...` references remain.
//!
//! [`upgrade`] then turns a bundled Swagger 2.0 or OpenAPI 3.1 document into the OpenAPI 3.0 shape that lowering
//! reads, warning (with the JSON pointer) wherever something is lost.

mod bundle;
pub(crate) mod origin;
pub(crate) mod position;
pub(crate) mod references;
mod upgrade;
mod yaml;

pub use upgrade::upgrade;
pub(crate) use upgrade::upgrade_from;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Diagnostic, Error};

/// Which OpenAPI dialect a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x (and 3.2.x, read as 3.1).
    OpenApi31,
}

/// A spec read from disk with all its external references bundled in.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The entry file.
    pub root: PathBuf,
    /// The bundled document.
    pub document: Value,
    /// Every file read, the entry file first (for `cargo:rerun-if-changed`).
    pub files: Vec<PathBuf>,
    /// The dialect of the entry file.
    pub version: SpecVersion,
    /// Problems that did not stop loading.
    pub warnings: Vec<Diagnostic>,
}

/// Reads `path` and everything it references.
pub fn load(path: &Path) -> Result<LoadedSpec, Error> {
    let text = read_entry_file(path)?;
    load_str(path, &text)
}

/// Reads the entry file of a spec: a regular file of at most 64 MiB (a device or a FIFO would never end).
pub(crate) fn read_entry_file(path: &Path) -> Result<String, Error> {
    bundle::read_spec_file(path, None)
        .map_err(|problem| Error::Spec(vec![Diagnostic::error(path, "", format!("the spec {problem}"))]))
}

/// The text of a file the loader read (for diagnostics' lines), with the same checks.
pub(crate) fn read_spec_text(path: &Path) -> Result<String, String> {
    bundle::read_spec_file(path, None)
}

/// Parses `text` as if read from `path` (external references resolve relative to `path`, and may read files below
/// `path`'s folder only).
pub fn load_str(path: &Path, text: &str) -> Result<LoadedSpec, Error> {
    load_str_allowing(path, text, &[])
}

/// [`load_str`], with `$ref`s also allowed to read files below each of `extra_roots`.
pub fn load_str_allowing(path: &Path, text: &str, extra_roots: &[PathBuf]) -> Result<LoadedSpec, Error> {
    let root_value = parse_document(path, text).map_err(|d| Error::Spec(vec![d]))?;
    let version = detect_version(path, &root_value).map_err(|d| Error::Spec(vec![d]))?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut roots: Vec<PathBuf> = Vec::new();
    for root in std::iter::once(folder).chain(extra_roots.iter().map(PathBuf::as_path)) {
        // A folder that does not exist allows nothing.
        if let Ok(real) = std::fs::canonicalize(root) {
            roots.push(real);
        }
    }
    let (document, files, diagnostics) = bundle::bundle(path, root_value, roots);
    let (errors, warnings): (Vec<_>, Vec<_>) =
        diagnostics.into_iter().partition(|d| d.severity == crate::error::Severity::Error);
    if !errors.is_empty() {
        return Err(Error::Spec(errors));
    }
    Ok(LoadedSpec { root: path.to_path_buf(), document, files, version, warnings })
}

/// Parses one file's text into JSON, as JSON when it looks like JSON and as YAML otherwise.
pub(crate) fn parse_document(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    let looks_like_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    if looks_like_json {
        return serde_json::from_str(text).map_err(|e| {
            Diagnostic::error(path, "", format!("invalid JSON: {e}")).at_line(Some(e.line()))
        });
    }
    yaml::from_str(text)
        .map_err(|e| Diagnostic::error(path, "", format!("invalid YAML: {}", e.message)).at_line(e.line))
}

fn detect_version(path: &Path, document: &Value) -> Result<SpecVersion, Diagnostic> {
    let Some(object) = document.as_object() else {
        return Err(Diagnostic::error(path, "", "the document is not an object"));
    };
    if let Some(version) = object.get("openapi") {
        let version = version.as_str().map(str::to_owned).unwrap_or_else(|| version.to_string());
        return if version.starts_with("3.0") {
            Ok(SpecVersion::OpenApi30)
        } else if version.starts_with("3.1") || version.starts_with("3.2") {
            Ok(SpecVersion::OpenApi31)
        } else {
            Err(Diagnostic::error(path, "/openapi", format!("unsupported OpenAPI version `{version}`")))
        };
    }
    if let Some(version) = object.get("swagger") {
        return if version.as_str() == Some("2.0") || version.as_f64() == Some(2.0) {
            Ok(SpecVersion::Swagger2)
        } else {
            Err(Diagnostic::error(path, "/swagger", format!("unsupported Swagger version `{version}`")))
        };
    }
    Err(Diagnostic::error(path, "", "neither `openapi` nor `swagger` is set: this is not an OpenAPI document"))
}
