//! The checked-in clients under `generated/` are exactly what the generator writes today.

use std::path::Path;

#[test]
fn generated_clients_are_up_to_date() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/manifest.toml");
    let manifest = generator::manifest::Loaded::read(&manifest).expect("specs/manifest.toml reads");
    let drifts = manifest.check_all().expect("every spec in the manifest generates");
    if !drifts.is_empty() {
        let report: Vec<String> = drifts.iter().map(ToString::to_string).collect();
        panic!(
            "{} generated file(s) are out of date:\n{}\n\nRun `cargo run -p generator` and commit the result.",
            drifts.len(),
            report.join("\n")
        );
    }
}

/// Golden files for the feature specs (`specs/features/*.yaml`): every file of their crates, compared with
/// expectorate. The goldens are the checked-in crates under `generated/feature-*`, which the workspace compiles,
/// lints and documents, so no golden here is text that never builds. `EXPECTORATE=overwrite` rewrites them.
#[test]
fn feature_spec_goldens() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/manifest.toml");
    let manifest = generator::manifest::Loaded::read(&manifest).expect("specs/manifest.toml reads");
    let mut checked = 0;
    for (dir, generated) in manifest.generate_all().expect("every spec in the manifest generates") {
        if !dir.file_name().is_some_and(|name| name.to_string_lossy().starts_with("feature-")) {
            continue;
        }
        for (relative, contents) in &generated.files {
            expectorate::assert_contents(dir.join(relative), contents);
            checked += 1;
        }
    }
    // hostile, models, openapi31, swagger2: Cargo.toml, README.md and at least lib, types and client each.
    assert!(checked >= 4 * 5, "only {checked} golden files were compared");
}

#[test]
fn runtime_never_names_its_own_crate_root() {
    // The runtime's files are also embedded as a module (`--runtime inline`), where `crate::` would point elsewhere.
    // The one exception is a `#[macro_export]` macro (`crate::__operation`): it lands at the root of whichever crate
    // compiles the runtime's files, the runtime's own or the generated crate that embeds them.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
    let mut checked = 0;
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("").replace("crate::__", "");
            assert!(!code.contains("crate::"), "{}:{}: `crate::` in the runtime: {line}", path.display(), n + 1);
        }
        checked += 1;
    }
    assert!(checked >= 5, "expected the runtime's source files in {}", src.display());
}
