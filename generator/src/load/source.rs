//! Where spec text comes from: the file system (the command line, build.rs) or memory (tests, fuzzers, tools that
//! hold the text already).
//!
//! This is the only module of the pipeline that touches `std::fs` or the current directory; every other stage sees
//! text and the names files are known by. A test in `tests/pure_core.rs` keeps it that way.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The largest file a spec may be (the entry file and every file a `$ref` reads): far above any real spec (the
/// largest in the APIs.guru directory is about 15 MB), far below what would exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Where the spec and the files its `$ref`s name are read from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Files on disk. The entry file may be anywhere; a `$ref` may read only regular files (not devices, FIFOs or
    /// directories) below the entry file's folder or one of `roots`, once symbolic links are resolved. Every file is
    /// at most [`MAX_FILE_BYTES`] long. Relative paths are relative to the current directory.
    FileSystem {
        /// Folders besides the entry file's whose files `$ref`s may read.
        roots: Vec<PathBuf>,
    },
    /// Files in memory, by path. Paths are compared after `.` and `..` steps are resolved (`specs/./a.yaml` and
    /// `specs/b/../a.yaml` are one file); a `$ref` to a path not in the map is an error, as a missing file is.
    Memory(BTreeMap<PathBuf, String>),
}

impl Source {
    /// A source of files in memory, from (path, text) pairs.
    pub fn memory<P: Into<PathBuf>, T: Into<String>>(files: impl IntoIterator<Item = (P, T)>) -> Self {
        Source::Memory(files.into_iter().map(|(path, text)| (normalize(&path.into()), text.into())).collect())
    }

    /// Prepares to read the spec whose entry file is `entry` (the folders a `$ref` may read are fixed here).
    pub(crate) fn open(&self, entry: &Path) -> Reader<'_> {
        let mut roots = Vec::new();
        if let Source::FileSystem { roots: extra } = self {
            let folder = entry.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            for root in std::iter::once(folder).chain(extra.iter().map(PathBuf::as_path)) {
                // A folder that does not exist allows nothing.
                if let Ok(real) = std::fs::canonicalize(root) {
                    roots.push(real);
                }
            }
        }
        Reader { source: self, roots }
    }
}

/// Reads the files of one spec from a [`Source`].
#[derive(Debug)]
pub(crate) struct Reader<'s> {
    source: &'s Source,
    /// Canonical folders `$ref`s may read below (file system only).
    roots: Vec<PathBuf>,
}

impl Reader<'_> {
    /// The name a file is known by, one per file however a `$ref` spells it: on disk an absolute path with `.` and
    /// `..` resolved (without following symbolic links, so a missing file still has a stable name); in memory the
    /// path with `.` and `..` resolved.
    pub(crate) fn key(&self, path: &Path) -> PathBuf {
        match self.source {
            Source::FileSystem { .. } if !path.is_absolute() => match std::env::current_dir() {
                Ok(current) => normalize(&current.join(path)),
                Err(_) => normalize(path),
            },
            _ => normalize(path),
        }
    }

    /// The entry file's text. The error completes the sentence "the spec …".
    pub(crate) fn read_entry(&self, path: &Path) -> Result<String, String> {
        self.read(path, false)
    }

    /// The text of a file a `$ref` names. The error completes the sentence "`path` …".
    pub(crate) fn read_reference(&self, path: &Path) -> Result<String, String> {
        self.read(path, true)
    }

    fn read(&self, path: &Path, confined: bool) -> Result<String, String> {
        match self.source {
            Source::FileSystem { .. } => read_file(path, confined.then_some(self.roots.as_slice())),
            Source::Memory(files) => {
                let text = files
                    .get(&normalize(path))
                    .ok_or_else(|| "cannot be read: it is not among the files given in memory".to_owned())?;
                if text.len() as u64 > MAX_FILE_BYTES {
                    return Err(too_large());
                }
                Ok(text.clone())
            }
        }
    }
}

/// Reads a file if it may be read: a regular file, below one of `roots` once symbolic links are resolved (`None`:
/// anywhere), at most [`MAX_FILE_BYTES`] long.
fn read_file(path: &Path, roots: Option<&[PathBuf]>) -> Result<String, String> {
    use std::io::Read as _;
    let real = std::fs::canonicalize(path).map_err(|e| format!("cannot be read: {e}"))?;
    if let Some(roots) = roots.filter(|roots| !roots.iter().any(|root| real.starts_with(root))) {
        let allowed: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        return Err(format!(
            "is outside the folders a spec may read ({}); allow its folder with `Config::allow_ref_root`",
            allowed.join(", ")
        ));
    }
    let metadata = std::fs::metadata(&real).map_err(|e| format!("cannot be read: {e}"))?;
    if !metadata.is_file() {
        return Err("is not a regular file".to_owned());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut text = String::new();
    // A file that grows while it is read stops at the cap too.
    std::fs::File::open(&real)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_string(&mut text))
        .map_err(|e| format!("cannot be read: {e}"))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(text)
}

fn too_large() -> String {
    format!("is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024))
}

/// `path` with `.` steps dropped and `..` steps applied to what comes before them (lexically).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_files_are_found_however_the_path_is_spelled() {
        let source = Source::memory([("specs/api.yaml", "a"), ("specs/common/types.yaml", "b")]);
        let reader = source.open(Path::new("specs/api.yaml"));
        assert_eq!(reader.read_entry(Path::new("specs/./api.yaml")).unwrap(), "a");
        assert_eq!(reader.read_reference(Path::new("specs/common/../common/types.yaml")).unwrap(), "b");
        assert_eq!(reader.key(Path::new("specs/x/../api.yaml")), PathBuf::from("specs/api.yaml"));
        let missing = reader.read_reference(Path::new("specs/other.yaml")).unwrap_err();
        assert!(missing.contains("not among the files given in memory"), "{missing}");
    }

    #[test]
    fn memory_files_have_the_same_size_cap() {
        let big = "x".repeat(MAX_FILE_BYTES as usize + 1);
        let source = Source::memory([("big.yaml", big)]);
        let error = source.open(Path::new("big.yaml")).read_entry(Path::new("big.yaml")).unwrap_err();
        assert_eq!(error, "is larger than 64 MiB");
    }
}
