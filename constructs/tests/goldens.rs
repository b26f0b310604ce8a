//! Every spec in `specs/` generates exactly its checked-in module in `golden/`, and `src/lib.rs` includes each one, so
//! the crate compiles (with the workspace's clippy and rustdoc lints) what the generator writes for each construct.
//!
//! A change to the generator shows up here as a diff of the smallest spec that has the construct. To accept it:
//! `EXPECTORATE=overwrite cargo test -p constructs`, then read the diff of `golden/`. The test runs only once the
//! crate, which compiles the old goldens, builds: when a runtime change breaks them, first empty `src/lib.rs` (it
//! is rewritten by the test) and run the overwrite.

use std::path::{Path, PathBuf};

fn specs(root: &Path) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
        .expect("constructs/specs exists")
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs
}

#[test]
fn every_construct_generates_its_golden_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = specs(root);
    assert!(specs.len() >= 10, "the construct specs are missing: {specs:?}");
    let mut lib = String::from(
        "//! One tiny spec per OpenAPI construct (`specs/`), each generated into a module (`golden/`) compiled here.\n\
         //! Written by `tests/goldens.rs`: `EXPECTORATE=overwrite cargo test -p constructs` after a generator change.\n\
         #![warn(missing_docs)]\n",
    );
    for spec in specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name").to_owned();
        let generated = generator::Config::new().spec(&spec).crate_name(&stem).generate().unwrap();
        let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
        assert_expected_warnings(&spec, &warnings);
        expectorate::assert_contents(root.join("golden").join(format!("{stem}.rs")), &generated.module);
        lib.push_str(&format!(
            "/// Generated from `specs/{stem}.yaml`.\npub mod {} {{\n    include!(\"../golden/{stem}.rs\");\n}}\n",
            stem.replace('-', "_")
        ));
    }
    expectorate::assert_contents(root.join("src/lib.rs"), &lib);
}

/// A construct spec warns exactly as its `# warns: TEXT` comment lines say: each line matches one warning (as a
/// substring) and each warning is matched. Most specs have none and must be clean.
fn assert_expected_warnings(spec: &Path, warnings: &[String]) {
    let text = std::fs::read_to_string(spec).expect("a readable spec");
    let expected: Vec<&str> = text.lines().filter_map(|line| line.strip_prefix("# warns: ")).collect();
    for warning in warnings {
        assert!(
            expected.iter().any(|e| warning.contains(e)),
            "{}: unexpected warning (add a `# warns:` line if it is the construct's point): {warning}",
            spec.display()
        );
    }
    for e in &expected {
        assert!(warnings.iter().any(|w| w.contains(e)), "{}: no warning contains {e:?}: {warnings:#?}", spec.display());
    }
}

#[test]
fn every_golden_has_its_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stems: Vec<_> = specs(root).iter().map(|spec| spec.file_stem().map(ToOwned::to_owned)).collect();
    for entry in std::fs::read_dir(root.join("golden")).expect("constructs/golden exists") {
        let golden = entry.expect("a readable directory entry").path();
        assert!(
            stems.contains(&golden.file_stem().map(ToOwned::to_owned)),
            "{} has no spec in specs/: delete it with its spec",
            golden.display()
        );
    }
}
