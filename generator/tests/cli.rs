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
    let (code, stderr) = {
        // Generate a good crate first, snapshot it, then feed the broken spec.
        let (code, stderr, out) = run_over_existing(name, VALID);
        assert_eq!(code, 0, "{stderr}");
        let before = snapshot(&out);
        let spec_path = out.parent().unwrap().join("spec.yaml");
        std::fs::write(&spec_path, spec).unwrap();
        let result = bin().args(["--spec"]).arg(&spec_path).arg("--out").arg(&out).output().unwrap();
        assert_eq!(snapshot(&out), before, "{name}: the output directory changed");
        (result.status.code().unwrap_or(-1), String::from_utf8_lossy(&result.stderr).into_owned())
    };
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
        &["spec.yaml:11: at /paths/~1a/get/responses/200/content/application~1json/schema/$ref", "#/components/schemas/Missing"],
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let spec = VALID
        .replace("#/components/schemas/A", "#/components/schemas/Missing")
        .replace("x: { type: string }", "x: { $ref: \"#/components/schemas/AlsoMissing\" }");
    assert_rejected(
        "several",
        &spec,
        &[
            "spec.yaml:11: at /paths/~1a/get/responses/200/content/application~1json/schema/$ref",
            "spec.yaml:14: at /components/schemas/A/properties/x/$ref",
            "#/components/schemas/AlsoMissing",
        ],
    );
    // Two operations with broken pagination: both named.
    let spec = VALID.replace("      responses:", "      x-pagination: { style: page-token, items: x }\n      responses:").replace(
        "  /a:\n",
        "  /b:\n    get:\n      x-pagination: { style: marker, items: y }\n      responses: { \"200\": { description: ok } }\n  /a:\n",
    );
    assert_rejected("several-lowering", &spec, &["/paths/~1a/get/x-pagination", "/paths/~1b/get/x-pagination"]);
    // Two parts of the structure of the wrong type: both named, each with its line.
    let spec = VALID.replace("  /a:\n", "  /b:\n    post: not an operation\n  /c:\n    put: [1, 2]\n  /a:\n");
    assert_rejected("several-types", &spec, &["spec.yaml:5: at /paths/~1b/post", "spec.yaml:7: at /paths/~1c/put"]);
}

#[test]
fn untypeable_ref_cycle_is_an_error() {
    let spec = VALID.replace(
        "    A: { type: object, properties: { x: { type: string } } }",
        "    A: { $ref: \"#/components/schemas/B\" }\n    B: { $ref: \"#/components/schemas/A\" }",
    );
    assert_rejected("cycle", &spec, &["spec.yaml:14: at /components/schemas/A", "cycle"]);
}

#[test]
fn structure_of_the_wrong_type_names_pointer_and_line() {
    let spec = VALID.replace("          description: ok\n", "          description: ok\n          headers: 5\n").replace(
        "  /a:\n    get:\n",
        "  /a:\n    get:\n      parameters: { name: q }\n",
    );
    assert_rejected("wrongtype", &spec, &["spec.yaml:6: at /paths/~1a/get/parameters", "not a valid OpenAPI 3.0 document"]);
    let no_paths = "openapi: 3.0.3\ninfo: { title: T, version: \"1\" }\n";
    assert_rejected("nopaths", no_paths, &["missing field `paths`"]);
}

/// Wrong types in what only describes or constrains a value (kind 16 of the regressions): a warning at the
/// pointer, with its line, and the rest of the spec generates.
#[test]
fn annotations_of_the_wrong_type_degrade_with_warnings() {
    let spec = VALID
        .replace("description: ok", "description: [not, a, string]")
        .replace("x: { type: string }", "x: { type: string, maxLength: many, pattern: 0 }, y: not a schema");
    let dir = temp_dir("degrade");
    let spec_path = dir.join("spec.yaml");
    std::fs::write(&spec_path, &spec).unwrap();
    let generated = generator::Config::new().spec(&spec_path).generate().expect("generates with warnings");
    let found: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    for expected in [
        "spec.yaml:8: at /paths/~1a/get/responses/200/description: `description` is not valid here",
        "spec.yaml:14: at /components/schemas/A/properties/x/maxLength: `maxLength` must be a non-negative integer",
        "at /components/schemas/A/properties/x/pattern: `pattern` must be a string",
        "spec.yaml:14: at /components/schemas/A/properties/y: not a schema OpenAPI 3.0 can read",
    ] {
        assert!(found.iter().any(|w| w.contains(expected)), "`{expected}` in {found:#?}");
    }
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub x: Option<String>"), "{types}");
    assert!(types.contains("pub y: Option<serde_json::Value>"), "{types}");
    assert!(!found.iter().any(|w| w.contains("struct ") || w.contains("enum ")), "no Rust type names: {found:#?}");

    // specs/regressions/wrong-type-annotations.yaml: every kind of container (info, operation, parameter, schema,
    // callbacks given as a `$ref`), each warned about at the field's own pointer and line.
    let spec = repo().join("specs/regressions/wrong-type-annotations.yaml");
    let generated = generator::Config::new().spec(&spec).generate().expect("generates with warnings");
    let mut found: Vec<(usize, String)> =
        generated.warnings.iter().map(|w| (w.line.unwrap_or(0), w.pointer.clone())).collect();
    found.sort();
    let op = "/paths/~1items/get";
    let schema = format!("{op}/responses/200/content/application~1json/schema");
    let mut expected: Vec<(usize, String)> = vec![
        (5, "/info/description".into()),
        (10, format!("{op}/summary")),
        (11, format!("{op}/tags")),
        (15, format!("{op}/parameters/0/description")),
        (16, format!("{op}/parameters/0/schema/maxLength")),
        (16, format!("{op}/parameters/0/schema/pattern")),
        (17, format!("{op}/callbacks")),
        (27, format!("{schema}/required")),
        (29, format!("{schema}/properties/id/minimum")),
        (29, format!("{schema}/properties/id/nullable")),
        (30, format!("{schema}/properties/tags/items")),
        (31, format!("{schema}/properties/label")),
        (32, format!("{schema}/properties/price/multipleOf")),
    ];
    expected.sort();
    assert_eq!(found, expected);
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub id: Option<i64>"), "{types}");
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

    // A whole generated crate the manifest no longer lists is orphaned, and a write removes it; a directory the
    // generator did not write is left alone.
    std::fs::create_dir_all(dir.join("out/gone/src")).unwrap();
    std::fs::write(dir.join("out/gone/Cargo.toml"), "# @generated by the generator\n[package]\n").unwrap();
    std::fs::create_dir_all(dir.join("out/mine")).unwrap();
    std::fs::write(dir.join("out/mine/Cargo.toml"), "[package]\n").unwrap();
    let orphaned = bin().arg("--check").arg("--manifest").arg(&manifest).output().unwrap();
    assert_eq!(orphaned.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&orphaned.stderr);
    assert!(stderr.lines().any(|l| l.contains("orphaned:") && l.trim_end().ends_with("gone")), "{stderr}");
    assert!(!stderr.contains("mine"), "{stderr}");
    let rewrite = bin().arg("--manifest").arg(&manifest).output().unwrap();
    assert!(rewrite.status.success(), "{}", String::from_utf8_lossy(&rewrite.stderr));
    assert!(!dir.join("out/gone").exists() && dir.join("out/mine/Cargo.toml").exists());
    let clean = bin().arg("--check").arg("--manifest").arg(&manifest).output().unwrap();
    assert!(clean.status.success(), "{}", String::from_utf8_lossy(&clean.stderr));
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
    // build.rs reruns when any of them changes.
    let rerun = generated.rerun_if_changed();
    assert_eq!(rerun.len(), generated.inputs.len(), "{rerun:?}");
    for file in ["api.yaml", "things.yaml", "thing.yaml", "tag.json"] {
        assert!(
            rerun.iter().any(|line| line.starts_with("cargo:rerun-if-changed=") && line.ends_with(file)),
            "no rerun line for {file}: {rerun:?}"
        );
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

#[test]
fn swagger2_documents_generate_with_external_refs() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/swagger2/api.yaml");
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    assert_eq!(generated.stats.version, "swagger 2.0");
    assert_eq!(generated.stats.operations, 3);
    let names: Vec<String> =
        generated.inputs.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert!(names.contains(&"definitions.yaml".to_owned()) && names.contains(&"parameters.yaml".to_owned()), "{names:?}");
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub struct Pet "), "{types}");
    assert!(types.contains("pub nickname: Option<Option<String>>"), "x-nullable becomes nullable:\n{types}");
    assert!(types.contains("pub struct NewPet "), "{types}");
    let client = &generated.files["src/client.rs"];
    assert!(client.contains(".server(\"https://fixture.example.test/api\""), "host + basePath + schemes:\n{client}");
    assert!(client.contains("rt::AuthScheme::Basic"), "{client}");
    assert!(client.contains("pub fn add_pet(&self, body: super::types::NewPet)"), "body parameter:\n{client}");
    assert!(
        client.contains("request.query_param(\"tags\", value, rt::param::Style::Form, true, false)"),
        "collectionFormat: multi is form, exploded:\n{client}"
    );
    assert!(client.contains("rt::validate::maximum(\"limit\""), "shared parameter from another file:\n{client}");
    assert!(client.contains("form.file(\"file\", value)"), "formData file upload is multipart:\n{client}");
    assert!(client.contains("pub file: Vec<u8>") || types.contains("pub file: Vec<u8>"), "{types}");
}

#[test]
fn openapi31_documents_generate_with_warnings_that_name_pointers() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi31/api.yaml");
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    assert_eq!(generated.stats.version, "openapi 3.1.0");
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub label: Option<Option<String>>"), "type: [string, null]:\n{types}");
    assert!(types.contains("pub parent: Option<Box<Thing>>"), "$ref with a description sibling:\n{types}");
    assert!(types.contains("pub extra: Option<Vec<serde_json::Value>>"), "prefixItems loosened:\n{types}");
    let client = &generated.files["src/client.rs"];
    assert!(client.contains("pub fn list_things(&self)"), "`$ref` on a whole operation:\n{client}");
    assert!(client.contains("pub fn get_thing(&self, id: impl Into<String>)"), "`$ref` on a whole path item:\n{client}");
    assert!(types.contains("pub things: Option<Vec<Thing>>"), "`properties: $ref` in another file:\n{types}");
    let pointers: Vec<&str> = generated.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert!(pointers.contains(&"/webhooks"), "{pointers:?}");
    assert!(pointers.contains(&"/components/schemas/Thing/properties/extra/prefixItems"), "{pointers:?}");
}

#[test]
fn corpus_command_generates_every_entry_and_writes_a_report() {
    let dir = temp_dir("corpus");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let manifest = format!(
        "# Test corpus\n\n| file | version |\n|---|---|\n| `{}` | swagger 2.0 |\n| `{}` | openapi 3.1.0 |\n",
        fixtures.join("swagger2/api.yaml").display(),
        fixtures.join("openapi31/api.yaml").display()
    );
    std::fs::write(dir.join("MANIFEST.md"), manifest).unwrap();
    let report = dir.join("report.md");
    let output = bin().arg("corpus").arg(&dir).arg("--no-check").arg("--report").arg(&report).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("| spec | version | operations | types |"), "{stdout}");
    assert!(stdout.contains("swagger 2.0") && stdout.contains("openapi 3.1.0"), "{stdout}");
    assert!(stdout.contains("2/2 generate"), "{stdout}");
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(written.contains("-p generator -- corpus"), "the report says how to reproduce it:\n{written}");
    let help = bin().args(["corpus", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in ["--report", "--no-check", "MANIFEST.md"] {
        assert!(text.contains(flag), "corpus --help lacks {flag}:\n{text}");
    }
}

/// Every value of a document replaced, one at a time, by a value of another type: generation may fail, with
/// diagnostics, but never panics.
#[test]
fn no_input_makes_the_generator_panic() {
    let dir = temp_dir("mutations");
    let sources = [
        repo().join("specs/features/openapi31.yaml"),
        repo().join("specs/features/swagger2.yaml"),
        repo().join("specs/features/hostile.yaml"),
    ];
    let replacements = [serde_json::Value::Null, serde_json::json!(7), serde_json::json!("x"), serde_json::json!([]), serde_json::json!({})];
    let mut runs = 0;
    for source in sources {
        let text = std::fs::read_to_string(&source).unwrap();
        let document: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        let mut pointers = Vec::new();
        collect_pointers(&document, String::new(), &mut pointers);
        for (index, pointer) in pointers.iter().enumerate() {
            let replacement = &replacements[index % replacements.len()];
            let mut mutated = document.clone();
            *mutated.pointer_mut(pointer).unwrap() = replacement.clone();
            let path = dir.join("mutated.json");
            std::fs::write(&path, serde_json::to_string(&mutated).unwrap()).unwrap();
            let result = std::panic::catch_unwind(|| generator::Config::new().spec(&path).crate_name("m").generate());
            assert!(result.is_ok(), "{}: replacing {pointer} with {replacement} panics", source.display());
            runs += 1;
        }
    }
    assert!(runs > 300, "{runs}");
}

fn collect_pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                collect_pointers(child, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Diagnostics of regression inputs (`tests/fixtures/regressions/`, and `specs/regressions/` for the Swagger 2.0
/// one): each names the file, the line and the pointer of the document as the user wrote it, the offending field
/// rather than its parent, and no control or bidirectional character reaches the terminal.
#[test]
fn diagnostics_name_the_place_in_the_document_as_written() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions");
    // diagnostic-line-and-pointer.yaml: `description` of schema B (line 14), not A's property B (line 9).
    let spec = fixtures.join("diagnostic-line-and-pointer.yaml");
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [format!("warning: {}:14: at /components/schemas/B/description: `description` must be a string; ignored", spec.display())]
    );

    // jsonschema-forms-in-swagger2.json: pointers into `definitions` and the 2.0 response, not the upgraded document.
    let spec = repo().join("specs/regressions/jsonschema-forms-in-swagger2.json");
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    let found: Vec<(Option<usize>, &str)> = generated.warnings.iter().map(|w| (w.line, w.pointer.as_str())).collect();
    assert_eq!(
        found,
        [
            (Some(21), "/paths/~1things.list/get/responses/200/schema/properties/last_seen/items"),
            (Some(36), "/definitions/thing/properties/archived/items"),
            (Some(40), "/definitions/metadata/items"),
        ]
    );

    // The same in an OpenAPI 3.1 document whose `type: [..]` the upgrade splits into an `anyOf`.
    let dir = temp_dir("pointers31");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: T, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: [string, object]\n      properties:\n        b: {type: integer, maxLength: many}\n",
    )
    .unwrap();
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    let found: Vec<(Option<usize>, &str)> = generated.warnings.iter().map(|w| (w.line, w.pointer.as_str())).collect();
    assert!(found.contains(&(Some(9), "/components/schemas/A/properties/b/maxLength")), "{found:?}");

    // diagnostic-control-characters.json: escape sequences and a right-to-left override in a path key.
    let spec = fixtures.join("diagnostic-control-characters.json");
    let out = bin().arg("--spec").arg(&spec).arg("--out").arg(temp_dir("control").join("out")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(":1: at /paths/~1a\\u{001b}[2J\\u{001b}[31mRED\\u{202e}gnp.exe/get/responses/200/content/application~1json/schema/$ref"),
        "{stderr}"
    );
    assert!(!stderr.chars().any(|c| c.is_control() && c != '\n' || c == '\u{202e}'), "{stderr:?}");
}
