//! Stage 6: where the bytes go. Writing a crate is atomic (build beside, then swap) and skipped when nothing changed;
//! checking compares without writing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::Generated;

/// How a file on disk differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftKind {
    /// The file's contents differ.
    Stale,
    /// The file should exist and does not.
    Missing,
    /// The file exists and would not be generated.
    Orphaned,
}

/// One difference found by [`Generated::check`].
#[derive(Debug, Clone)]
pub struct Drift {
    /// The file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub kind: DriftKind,
    /// The first lines of a unified diff, for stale files.
    pub diff: Option<String>,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            DriftKind::Stale => "stale",
            DriftKind::Missing => "missing",
            DriftKind::Orphaned => "orphaned",
        };
        write!(f, "{what}: {}", self.path.display())?;
        if let Some(diff) = &self.diff {
            write!(f, "\n{diff}")?;
        }
        Ok(())
    }
}

/// What [`Generated::write_crate`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// Every file was already up to date; nothing was touched.
    Unchanged,
    /// The crate directory was replaced.
    Written,
}

/// Files in a crate directory that belong to the user, not the generator.
fn is_user_file(relative: &Path) -> bool {
    let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
    matches!(first.as_deref(), Some("target") | Some("Cargo.lock") | Some(".git"))
}

fn list_files(dir: &Path) -> Result<BTreeSet<PathBuf>, Error> {
    let mut out = BTreeSet::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).map_err(|e| Error::io(&current, e))? {
            let entry = entry.map_err(|e| Error::io(&current, e))?;
            let path = entry.path();
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            if is_user_file(&relative) {
                continue;
            }
            if entry.file_type().map_err(|e| Error::io(&path, e))?.is_dir() {
                stack.push(path);
            } else {
                out.insert(relative);
            }
        }
    }
    Ok(out)
}

impl Generated {
    /// Compares the crate with `dir` without writing anything.
    pub fn check(&self, dir: &Path) -> Result<Vec<Drift>, Error> {
        let mut drifts = Vec::new();
        let on_disk = list_files(dir)?;
        for (relative, contents) in &self.files {
            let path = dir.join(relative);
            match std::fs::read_to_string(&path) {
                Ok(existing) if existing == *contents => {}
                Ok(existing) => drifts.push(Drift { diff: Some(short_diff(&existing, contents)), path, kind: DriftKind::Stale }),
                Err(_) => drifts.push(Drift { path, kind: DriftKind::Missing, diff: None }),
            }
        }
        for relative in on_disk {
            let key = relative.to_string_lossy().replace('\\', "/");
            if !self.files.contains_key(&key) {
                drifts.push(Drift { path: dir.join(relative), kind: DriftKind::Orphaned, diff: None });
            }
        }
        Ok(drifts)
    }

    /// Writes the crate to `dir`: nothing when it is already up to date, otherwise the whole crate is written beside
    /// `dir` and swapped in, so a failure never leaves a half-written crate. `target/` and `Cargo.lock` are kept.
    pub fn write_crate(&self, dir: &Path) -> Result<WriteOutcome, Error> {
        if dir.exists() && self.check(dir)?.is_empty() {
            return Ok(WriteOutcome::Unchanged);
        }
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "crate".into());
        let staging = parent.join(format!(".{name}.generating-{}", std::process::id()));
        let backup = parent.join(format!(".{name}.previous-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        let result = (|| {
            for (relative, contents) in &self.files {
                let path = staging.join(relative);
                if let Some(p) = path.parent() {
                    std::fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
                }
                std::fs::write(&path, contents).map_err(|e| Error::io(&path, e))?;
            }
            Ok::<(), Error>(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        if dir.exists() {
            // Keep what the user built or locked.
            for kept in ["target", "Cargo.lock", ".git"] {
                let from = dir.join(kept);
                if from.exists() {
                    std::fs::rename(&from, staging.join(kept)).map_err(|e| Error::io(&from, e))?;
                }
            }
            std::fs::rename(dir, &backup).map_err(|e| Error::io(dir, e))?;
            if let Err(e) = std::fs::rename(&staging, dir) {
                let _ = std::fs::rename(&backup, dir);
                return Err(Error::io(dir, e));
            }
            let _ = std::fs::remove_dir_all(&backup);
        } else {
            std::fs::rename(&staging, dir).map_err(|e| Error::io(dir, e))?;
        }
        Ok(WriteOutcome::Written)
    }

    /// For build.rs: writes [`Generated::module`] to `$OUT_DIR/<crate name with _>.rs` and prints
    /// `cargo:rerun-if-changed` for every file read. Returns the path written.
    pub fn write_to_out_dir(&self) -> Result<PathBuf, Error> {
        let out_dir = std::env::var_os("OUT_DIR")
            .ok_or_else(|| Error::Config("OUT_DIR is not set: write_to_out_dir is for build scripts".into()))?;
        let stem = self.crate_name.trim_end_matches("-client").replace('-', "_");
        let path = PathBuf::from(out_dir).join(format!("{stem}.rs"));
        write_if_changed(&path, &self.module)?;
        for line in self.rerun_if_changed() {
            println!("{line}");
        }
        Ok(path)
    }

    /// The `cargo:rerun-if-changed` lines [`Generated::write_to_out_dir`] prints: one for every file read, the
    /// spec and every file its `$ref`s reached.
    pub fn rerun_if_changed(&self) -> Vec<String> {
        self.inputs.iter().map(|input| format!("cargo:rerun-if-changed={}", input.display())).collect()
    }
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), Error> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    std::fs::write(path, contents).map_err(|e| Error::io(path, e))
}

fn short_diff(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(2).header("on disk", "generated").to_string();
    let mut lines: Vec<&str> = text.lines().take(40).collect();
    if text.lines().count() > 40 {
        lines.push("...");
    }
    lines.join("\n")
}
