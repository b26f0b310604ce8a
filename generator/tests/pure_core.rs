//! The pipeline is pure: it reads through `load::Source` only, so a spec and the files it references can be given
//! from memory and generate exactly as they do from disk, and no stage but the source layer touches the file system.

use std::path::{Path, PathBuf};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Only the source layer reads files, and only the entry points (the command line, writing crates, the manifest,
/// the corpus runner) decide where bytes go. Anything else that names the file system or the current directory is
/// listed with its line.
#[test]
fn nothing_in_the_pipeline_touches_the_file_system() {
    const ALLOWED: &[&str] = &["load/source.rs", "main.rs", "output.rs", "manifest.rs", "corpus.rs"];
    const FORBIDDEN: &[&str] = &[
        "std::fs",
        "current_dir",
        "fs::",
        ".canonicalize(",
        ".exists(",
        ".try_exists(",
        ".is_file(",
        ".is_dir(",
        ".metadata(",
        ".symlink_metadata(",
        ".read_dir(",
        ".read_link(",
    ];
    let src = manifest_dir().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "{files:?}");
    let mut offenders = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if ALLOWED.contains(&relative.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (index, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            // `use std::{fs, …}` names the module without `std::fs`.
            let braced_fs = line.contains("use std::{")
                && line.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "fs");
            if let Some(found) =
                FORBIDDEN.iter().find(|pattern| line.contains(*pattern)).copied().or(braced_fs.then_some("fs"))
            {
                offenders.push(format!("src/{relative}:{}: `{found}`: {}", index + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "only load/source.rs and the entry points may touch the file system; read through `load::Source`:\n{}",
        offenders.join("\n")
    );
}

/// The files of a fixture folder as (path relative to `base`, text).
fn fixture_texts(folder: &Path, base: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.strip_prefix(base).unwrap().to_path_buf(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Multi-file specs in each dialect (relative `$ref`s into sub-folders, `$ref` on whole operations, Swagger 2.0 and
/// OpenAPI 3.1) generate the same crate from memory as from disk, and report no file to watch.
#[test]
fn multi_file_specs_generate_from_memory_as_from_disk() {
    let fixtures = manifest_dir().join("tests/fixtures");
    for folder in ["multi", "openapi31", "swagger2"] {
        let entry = fixtures.join(folder).join("api.yaml");
        let from_disk = generator::Config::new().spec(&entry).crate_name("same").generate().unwrap();
        let mut config = generator::Config::new().crate_name("same");
        for (path, text) in fixture_texts(&fixtures.join(folder), &fixtures) {
            config = if path == Path::new(folder).join("api.yaml") {
                config.spec_text(path, text)
            } else {
                config.source_file(path, text)
            };
        }
        let from_memory = config.generate().unwrap_or_else(|e| panic!("{folder}: {e}"));
        assert_eq!(from_memory.files, from_disk.files, "{folder}");
        assert_eq!(from_memory.module, from_disk.module, "{folder}");
        assert!(from_disk.inputs.len() > 1, "{folder}: {:?}", from_disk.inputs);
        assert!(from_memory.inputs.is_empty(), "{folder}: {:?}", from_memory.inputs);
        assert!(from_memory.rerun_if_changed().is_empty(), "{folder}");
    }
}

/// Given from memory, a spec reads nothing from disk: a reference to a file that was not given is an error at the
/// reference, with its line, even when a file of that name exists on disk.
#[test]
fn a_spec_in_memory_reads_nothing_from_disk() {
    let on_disk = manifest_dir().join("tests/fixtures/multi/api.yaml");
    assert!(on_disk.is_file());
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: \"1\"}}\npaths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: \"{}\"}}\n",
        on_disk.display()
    );
    let error = generator::Config::new().spec_text("spec.yaml", spec).generate().unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.starts_with("error: spec.yaml:6: at /components/schemas/A/$ref: `$ref` to `")
            && shown.ends_with("` cannot be read: it is not among the files given in memory"),
        "{shown}"
    );
}

/// `Config::spec_text` names the file in diagnostics and gives the default crate name; nothing is written.
#[test]
fn spec_text_names_the_file_and_the_crate() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths:\n  /a:\n    get:\n      description: [x]\n      responses: {\"204\": {description: ok}}\n";
    let generated = generator::Config::new().spec_text("specs/pet-store.yaml", spec).generate().unwrap();
    assert_eq!(generated.crate_name, "pet-store-client");
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings, ["warning: specs/pet-store.yaml:6: at /paths/~1a/get/description: `description` is not valid here (invalid type: sequence, expected a string); ignored"]);
    assert!(
        generated.files["src/client.rs"].starts_with("// @generated"),
        "{}",
        &generated.files["src/client.rs"][..80]
    );
}
