//! The list of clients a repository generates (`specs/manifest.toml`), and running it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::output::{Drift, DriftKind, WriteOutcome};
use crate::{Config, Generated, Options};

/// `specs/manifest.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Where crates go, relative to the manifest's directory.
    pub output_dir: PathBuf,
    /// The clients.
    #[serde(rename = "client")]
    pub clients: Vec<Entry>,
}

/// One client of the manifest: `spec`, `out` and any option of [`Options`] by its manifest key (see
/// `docs/options.md`); paths in `allow_ref_roots` are relative to the manifest's directory.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "toml::Table")]
pub struct Entry {
    /// The spec, relative to the manifest's directory.
    pub spec: PathBuf,
    /// Directory under `output_dir`.
    pub out: PathBuf,
    /// The options.
    pub options: Options,
}

impl TryFrom<toml::Table> for Entry {
    type Error = String;

    /// `spec` and `out` are the entry's own keys; every other key is an option (serde's `flatten` cannot be used
    /// here: it would accept unknown keys silently).
    fn try_from(mut table: toml::Table) -> Result<Self, Self::Error> {
        let mut path = |key: &str| match table.remove(key) {
            Some(toml::Value::String(text)) => Ok(PathBuf::from(text)),
            Some(other) => Err(format!("`{key}` must be a string, found {}", other.type_str())),
            None => Err(format!("missing `{key}`")),
        };
        let spec = path("spec")?;
        let out = path("out")?;
        let options = Options::deserialize(toml::Value::Table(table)).map_err(|e| e.to_string())?;
        Ok(Entry { spec, out, options })
    }
}

/// A manifest read from disk, with its paths resolved.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The manifest file.
    pub path: PathBuf,
    /// Its contents.
    pub manifest: Manifest,
}

impl Loaded {
    /// Reads a manifest.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let manifest: Manifest =
            toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        Ok(Loaded { path: path.to_path_buf(), manifest })
    }

    fn base(&self) -> PathBuf {
        self.path.parent().map(Path::to_path_buf).unwrap_or_default()
    }

    /// The directory all crates go under.
    pub fn output_dir(&self) -> PathBuf {
        self.base().join(&self.manifest.output_dir)
    }

    /// Generates every client in memory; the first failure stops it (and nothing is written).
    pub fn generate_all(&self) -> Result<Vec<(PathBuf, Generated)>, Error> {
        let mut out = Vec::new();
        let mut failures = Vec::new();
        for entry in &self.manifest.clients {
            let mut options = entry.options.clone();
            for root in &mut options.allow_ref_root {
                *root = self.base().join(&*root);
            }
            let config = Config::new().spec(self.base().join(&entry.spec)).with_options(options);
            match config.generate() {
                Ok(generated) => out.push((self.crate_dir(entry)?, generated)),
                Err(Error::Spec(diagnostics)) => failures.extend(diagnostics),
                // An option's problem names the client it is in, as warnings do.
                Err(Error::Config(problem)) => {
                    let name = entry.options.crate_name.clone().unwrap_or_else(|| entry.spec.display().to_string());
                    return Err(Error::Config(format!("{name}: {problem}")));
                }
                Err(other) => return Err(other),
            }
        }
        if !failures.is_empty() {
            return Err(Error::Spec(failures));
        }
        Ok(out)
    }

    /// Where an entry's crate goes: `out` must name a directory below `output_dir` (relative, no `..`), so a
    /// manifest never points the generator at the output directory itself or outside it.
    fn crate_dir(&self, entry: &Entry) -> Result<PathBuf, Error> {
        let below = entry.out.components().next().is_some()
            && entry.out.components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if !below {
            return Err(Error::Config(format!(
                "{}: client for {}: out = {:?} must be a relative directory below output_dir, without `..`",
                self.path.display(),
                entry.spec.display(),
                entry.out.display().to_string()
            )));
        }
        Ok(self.output_dir().join(&entry.out))
    }

    /// Writes every client; removes the generated files of crates no longer listed. Returns (written, unchanged)
    /// counts.
    pub fn write_all(&self) -> Result<(usize, usize), Error> {
        let summary = self.write_generated(&self.generate_all()?, false)?;
        Ok((summary.written, summary.unchanged))
    }

    /// Writes clients from [`Loaded::generate_all`] (with `force`, even into directories the generator did not
    /// write; see [`Generated::write_crate_forced`]) and removes the generated files of crates the manifest no longer
    /// lists. Files the generator did not write are never removed.
    pub fn write_generated(&self, generated: &[(PathBuf, Generated)], force: bool) -> Result<WriteSummary, Error> {
        let mut summary = WriteSummary::default();
        for (dir, crate_files) in generated {
            let outcome = if force { crate_files.write_crate_forced(dir)? } else { crate_files.write_crate(dir)? };
            match outcome {
                WriteOutcome::Written => summary.written += 1,
                WriteOutcome::Unchanged => summary.unchanged += 1,
            }
        }
        for orphan in self.orphaned_crates(generated)? {
            let kept = crate::output::remove_generated(&orphan)?;
            summary.removed.push((orphan, kept));
        }
        Ok(summary)
    }

    /// Every difference between the output directory and what would be generated.
    pub fn check_all(&self) -> Result<Vec<Drift>, Error> {
        self.check_generated(&self.generate_all()?)
    }

    /// [`Loaded::check_all`] for clients already generated with [`Loaded::generate_all`].
    pub fn check_generated(&self, generated: &[(PathBuf, Generated)]) -> Result<Vec<Drift>, Error> {
        let mut drifts = Vec::new();
        for (dir, crate_files) in generated {
            drifts.extend(crate_files.check(dir)?);
        }
        for orphan in self.orphaned_crates(generated)? {
            drifts.push(Drift { path: orphan, kind: DriftKind::Orphaned, diff: None });
        }
        Ok(drifts)
    }

    /// Directories in the output directory that hold a crate the generator wrote but are not in the manifest.
    fn orphaned_crates(&self, generated: &[(PathBuf, Generated)]) -> Result<Vec<PathBuf>, Error> {
        let root = self.output_dir();
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(&root) else { return Ok(out) };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if !path.is_dir() || generated.iter().any(|(dir, _)| dir == &path) {
                continue;
            }
            if crate::output::is_generated_crate(&path) {
                out.push(path);
            }
        }
        Ok(out)
    }
}

/// What [`Loaded::write_generated`] did.
#[derive(Debug, Clone, Default)]
pub struct WriteSummary {
    /// Crates written.
    pub written: usize,
    /// Crates already up to date.
    pub unchanged: usize,
    /// Crates no longer listed whose generated files were removed, each with the files in it the generator did not
    /// write and so kept (the directory is removed when that is empty).
    pub removed: Vec<(PathBuf, Vec<PathBuf>)>,
}
