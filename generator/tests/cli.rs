//! The command line and the library's failure modes: exit codes, diagnostics, untouched output, multi-file specs.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_generator"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const VALID: &str = r##"openapi: 3.0.3
info: { title: T, version: "1" }
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/A" }
components:
  schemas:
    A: { type: object, properties: { x: { type: string } } }
"##;

/// Writes `spec`, runs `--spec … --out …` over an existing crate dir, and returns (exit code, stderr).
fn run_over_existing(name: &str, spec: &str) -> (i32, String, PathBuf) {
    let dir = temp_dir(name);
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, VALID).unwrap();
    let out = dir.join("out");
    let first = bin().args(["--spec"]).arg(&spec_path).arg("--out").arg(&out).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    std::fs::write(&spec_path, spec).unwrap();
    let second = bin().args(["--spec"]).arg(&spec_path).arg("--out").arg(&out).output().unwrap();
    (second.status.code().unwrap_or(-1), String::from_utf8_lossy(&second.stderr).into_owned(), out)
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn assert_rejected(name: &str, spec: &str, expected: &[&str]) {
    let dir = temp_dir(&format!("{name}-before"));
    let _ = dir;
    let (code, stderr, out) = {
        // Generate a good crate first, snapshot it, then feed the broken spec.
        let (code, stderr, out) = run_over_existing(name, VALID);
        assert_eq!(code, 0, "{stderr}");
        let before = snapshot(&out);
        let spec_path = out.parent().unwrap().join("spec.yaml");
        std::fs::write(&spec_path, spec).unwrap();
        let result = bin().args(["--spec"]).arg(&spec_path).arg("--out").arg(&out).output().unwrap();
        assert_eq!(snapshot(&out), before, "{name}: the output directory changed");
        (result.status.code().unwrap_or(-1), String::from_utf8_lossy(&result.stderr).into_owned(), out)
    };
    let _ = out;
    assert_eq!(code, 1, "{name}: exit code, stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(stderr.contains("spec.yaml"), "{name}: names the file: {stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{name}: expected `{e}` in: {stderr}");
    }
}

#[test]
fn invalid_yaml_names_file_and_line() {
    assert_rejected("yaml", "openapi: 3.0.3\ninfo: { title: T, version: 1 }\npaths:\n  /a: [unclosed\n", &["invalid YAML", ":5"]);
}

#[test]
fn dangling_ref_names_pointer() {
    let spec = VALID.replace("#/components/schemas/A", "#/components/schemas/Missing");
    assert_rejected(
        "dangling",
        &spec,
        &["/paths/~1a/get/responses/200/content/application~1json/schema/$ref", "#/components/schemas/Missing"],
    );
}

#[test]
fn untypeable_ref_cycle_is_an_error() {
    let spec = VALID.replace(
        "    A: { type: object, properties: { x: { type: string } } }",
        "    A: { $ref: \"#/components/schemas/B\" }\n    B: { $ref: \"#/components/schemas/A\" }",
    );
    assert_rejected("cycle", &spec, &["/components/schemas/A", "cycle"]);
}

#[test]
fn wrong_type_names_pointer_and_line() {
    let spec = VALID.replace("description: ok", "description: [not, a, string]");
    assert_rejected("wrongtype", &spec, &["/paths/~1a/get/responses/200/description", ":8:"]);
}

#[test]
fn bad_pagination_extension_is_an_error() {
    let spec = VALID.replace("      responses:", "      x-pagination: { style: page-token, items: x }\n      responses:");
    assert_rejected("pagination", &spec, &["/paths/~1a/get/x-pagination", "needs `token-param`"]);
}

#[test]
fn missing_external_file_is_an_error() {
    let spec = VALID.replace("#/components/schemas/A", "other.yaml#/A");
    assert_rejected("external", &spec, &["other.yaml", "cannot be read"]);
}

#[test]
fn usage_errors_exit_2_and_help_documents_everything() {
    let bad = bin().args(["--spec", "x.yaml"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let bad_runtime = bin().args(["--spec", "x.yaml", "--out", "y", "--runtime", "nonsense"]).output().unwrap();
    assert_eq!(bad_runtime.status.code(), Some(2));
    let help = bin().arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in ["--check", "--manifest", "--spec", "--out", "--name", "--runtime", "inline", "Exit codes"] {
        assert!(text.contains(flag), "--help lacks {flag}:\n{text}");
    }
}

#[test]
fn check_reports_stale_missing_and_orphaned_files() {
    let dir = temp_dir("check");
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::write(dir.join("specs/a.yaml"), VALID).unwrap();
    std::fs::write(
        dir.join("specs/manifest.toml"),
        "output_dir = \"../out\"\n[[client]]\nspec = \"a.yaml\"\ncrate = \"a-client\"\nout = \"a\"\n",
    )
    .unwrap();
    let manifest = dir.join("specs/manifest.toml");
    let write = bin().arg("--manifest").arg(&manifest).output().unwrap();
    assert!(write.status.success(), "{}", String::from_utf8_lossy(&write.stderr));
    let clean = bin().arg("--check").arg("--manifest").arg(&manifest).output().unwrap();
    assert!(clean.status.success(), "{}", String::from_utf8_lossy(&clean.stderr));

    std::fs::write(dir.join("out/a/src/types.rs"), "// edited by hand\n").unwrap();
    std::fs::remove_file(dir.join("out/a/README.md")).unwrap();
    std::fs::write(dir.join("out/a/src/extra.rs"), "").unwrap();
    let stale = bin().arg("--check").arg("--manifest").arg(&manifest).output().unwrap();
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("stale:") && stderr.contains("types.rs"), "{stderr}");
    assert!(stderr.contains("missing:") && stderr.contains("README.md"), "{stderr}");
    assert!(stderr.contains("orphaned:") && stderr.contains("extra.rs"), "{stderr}");
    assert!(stderr.contains("cargo run -p generator"), "{stderr}");
}

#[test]
fn multi_file_refs_resolve_relative_to_the_referring_file() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi/api.yaml");
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    let names: Vec<String> =
        generated.inputs.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for file in ["api.yaml", "things.yaml", "thing.yaml", "tag.json"] {
        assert!(names.contains(&file.to_owned()), "{file} not among inputs {names:?}");
    }
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub struct Thing"), "{types}");
    assert!(types.contains("pub parent: Option<Box<Thing>>"), "recursion through another file is boxed:\n{types}");
    assert!(types.contains("pub enum Tag"), "{types}");
    let client = &generated.files["src/client.rs"];
    assert!(client.contains("pub fn list_things(&self)"), "{client}");
    assert!(client.contains("Vec<super::types::Thing>"), "{client}");
}

#[test]
fn generation_is_deterministic() {
    let spec = repo().join("specs/features/models.yaml");
    let a = generator::Config::new().spec(&spec).generate().unwrap();
    let b = generator::Config::new().spec(&spec).generate().unwrap();
    assert_eq!(a.files, b.files);
    assert_eq!(a.module, b.module);
}

#[test]
fn write_is_skipped_when_nothing_changed() {
    let dir = temp_dir("unchanged");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, VALID).unwrap();
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    let out = dir.join("out");
    generated.write_crate(&out).unwrap();
    std::fs::create_dir_all(out.join("target/debug")).unwrap();
    std::fs::write(out.join("Cargo.lock"), "# lock").unwrap();
    let mtime = std::fs::metadata(out.join("src/lib.rs")).unwrap().modified().unwrap();
    assert_eq!(generated.write_crate(&out).unwrap(), generator::WriteOutcome::Unchanged);
    assert_eq!(std::fs::metadata(out.join("src/lib.rs")).unwrap().modified().unwrap(), mtime);
    // A real change swaps the crate but keeps the user's target/ and Cargo.lock.
    std::fs::write(&spec, VALID.replace("x: { type: string }", "y: { type: string }")).unwrap();
    let changed = generator::Config::new().spec(&spec).generate().unwrap();
    assert_eq!(changed.write_crate(&out).unwrap(), generator::WriteOutcome::Written);
    assert!(out.join("target/debug").is_dir() && out.join("Cargo.lock").is_file());
    assert!(std::fs::read_to_string(out.join("src/types.rs")).unwrap().contains("pub y:"));
}

#[test]
fn invalid_json_names_file_and_line() {
    let dir = temp_dir("json");
    let spec = dir.join("spec.json");
    std::fs::write(&spec, "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"T\",, \"version\": \"1\"},\n  \"paths\": {}\n}\n").unwrap();
    let out = dir.join("out");
    let result = bin().arg("--spec").arg(&spec).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("spec.json:3") && stderr.contains("invalid JSON"), "{stderr}");
    assert!(!out.exists(), "nothing is written for a broken spec");
}
