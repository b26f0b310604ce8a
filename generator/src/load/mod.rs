//! Stage 1: read the spec (YAML or JSON) and every file it `$ref`s into one self-contained document, in the
//! OpenAPI 3.0 shape, and parse it into `openapiv3` types.
//!
//! - `source`: where text comes from, [`Source::FileSystem`] (caps and folder rules) or [`Source::Memory`]; the
//!   only module of the pipeline that touches the file system.
//! - `yaml`: YAML text straight to JSON values, bounded against hostile input.
//! - `bundle`: external references are bundled: schemas, parameters, responses, request bodies and headers that
//!   live in other files are hoisted into `components` under a unique name (so they keep a name and recursion stays
//!   possible); path items, operations and anything else are inlined. Afterwards only `#/...` references remain.
//! - `upgrade` ([`upgrade()`]): a bundled Swagger 2.0 or OpenAPI 3.1 document becomes the OpenAPI 3.0 shape that
//!   lowering reads, warning (with the JSON pointer) wherever something is lost; one module per source dialect
//!   (`upgrade/swagger2.rs`, `upgrade/openapi31.rs`) and one for the JSON Schema forms every dialect uses. **A new
//!   input dialect goes there**: one module, one arm in `upgrade_from`, its detection in `detect_version`.
//! - `references`: local references made canonical (`#/components/<section>/<name>`).
//! - `typed`: the typed parse into `openapiv3::OpenAPI`, dropping values of the wrong type with a warning.
//! - `origin` and `lines`: a diagnostic's pointer mapped back to the document as written, and its line found in the
//!   text read (kept in [`LoadedSpec::texts`], never read twice).

mod bundle;
pub(crate) mod lines;
pub(crate) mod origin;
pub(crate) mod position;
pub(crate) mod references;
mod source;
pub(crate) mod typed;
mod upgrade;
mod yaml;

pub use source::{Source, MAX_FILE_BYTES};
pub use upgrade::upgrade;
pub(crate) use upgrade::upgrade_from;

use std::collections::BTreeMap;
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

/// A spec with all its external references bundled in.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The entry file.
    pub root: PathBuf,
    /// The bundled document.
    pub document: Value,
    /// Every file read, the entry file first (for `cargo:rerun-if-changed`).
    pub files: Vec<PathBuf>,
    /// The text of every file read, by the name diagnostics give it (the entry file as it was named, the others by
    /// [`Source`]'s name for them), so that diagnostics found later can be given lines without reading again.
    pub texts: BTreeMap<PathBuf, String>,
    /// The dialect of the entry file.
    pub version: SpecVersion,
    /// Problems that did not stop loading.
    pub warnings: Vec<Diagnostic>,
}

/// Reads `path` from disk and everything it references (below its folder only).
pub fn load(path: &Path) -> Result<LoadedSpec, Error> {
    load_from(&Source::FileSystem { roots: Vec::new() }, path)
}

/// Parses `text` as the file `path`, from memory: references to other files do not resolve.
pub fn load_str(path: &Path, text: &str) -> Result<LoadedSpec, Error> {
    load_from(&Source::memory([(path, text)]), path)
}

/// Reads the spec whose entry file is `entry`, and everything it references, from `source`. Errors carry the line
/// of their place in the file they are about.
pub fn load_from(source: &Source, entry: &Path) -> Result<LoadedSpec, Error> {
    let reader = source.open(entry);
    let text = reader
        .read_entry(entry)
        .map_err(|problem| Error::Spec(vec![Diagnostic::error(entry, "", format!("the spec {problem}"))]))?;
    let root_value = parse_document(entry, &text).map_err(|d| Error::Spec(vec![d]))?;
    let mut texts = BTreeMap::new();
    let version = match detect_version(entry, &root_value) {
        Ok(version) => version,
        Err(diagnostic) => {
            let mut found = vec![diagnostic];
            lines::locate(&mut found, entry, &text);
            return Err(Error::Spec(found));
        }
    };
    let bundled = bundle::bundle(entry, root_value, &reader);
    texts.extend(bundled.texts);
    texts.insert(entry.to_path_buf(), text);
    let (mut errors, warnings): (Vec<_>, Vec<_>) =
        bundled.diagnostics.into_iter().partition(|d| d.severity == crate::error::Severity::Error);
    if !errors.is_empty() {
        lines::locate_all(&mut errors, &texts);
        return Err(Error::Spec(errors));
    }
    Ok(LoadedSpec {
        root: entry.to_path_buf(),
        document: bundled.document,
        files: bundled.files,
        texts,
        version,
        warnings,
    })
}

/// Parses one file's text into JSON, as JSON when it looks like JSON and as YAML otherwise.
pub(crate) fn parse_document(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    let looks_like_json =
        path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) || text.trim_start().starts_with('{');
    if looks_like_json {
        return serde_json::from_str(text)
            .map_err(|e| Diagnostic::error(path, "", format!("invalid JSON: {e}")).at_line(Some(e.line())));
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
