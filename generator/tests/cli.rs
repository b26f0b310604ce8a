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
    assert_rejected(
        "yaml",
        "openapi: 3.0.3\ninfo: { title: T, version: 1 }\npaths:\n  /a: [unclosed\n",
        &["invalid YAML", ":5"],
    );
}

#[test]
fn dangling_ref_names_pointer() {
    let spec = VALID.replace("#/components/schemas/A", "#/components/schemas/Missing");
    assert_rejected(
        "dangling",
        &spec,
        &[
            "spec.yaml:11: at /paths/~1a/get/responses/200/content/application~1json/schema/$ref",
            "#/components/schemas/Missing",
        ],
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
    let spec = VALID
        .replace("          description: ok\n", "          description: ok\n          headers: 5\n")
        .replace("  /a:\n    get:\n", "  /a:\n    get:\n      parameters: { name: q }\n");
    assert_rejected(
        "wrongtype",
        &spec,
        &["spec.yaml:6: at /paths/~1a/get/parameters", "not a valid OpenAPI 3.0 document"],
    );
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
    let generated = generator::Config::new().spec_text("spec.yaml", spec).generate().expect("generates with warnings");
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
    let spec =
        VALID.replace("      responses:", "      x-pagination: { style: page-token, items: x }\n      responses:");
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
    // A file an earlier run wrote (it is in the crate's list) that is no longer generated is orphaned; a file the
    // user added is not drift.
    std::fs::write(dir.join("out/a/src/extra.rs"), "").unwrap();
    let list = dir.join("out/a/.generated-files");
    std::fs::write(&list, std::fs::read_to_string(&list).unwrap() + "src/extra.rs\n").unwrap();
    std::fs::create_dir_all(dir.join("out/a/tests")).unwrap();
    std::fs::write(dir.join("out/a/tests/mine.rs"), "// the user's test\n").unwrap();
    let stale = bin().arg("--check").arg("--manifest").arg(&manifest).output().unwrap();
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("stale:") && stderr.contains("types.rs"), "{stderr}");
    assert!(stderr.contains("missing:") && stderr.contains("README.md"), "{stderr}");
    assert!(stderr.contains("orphaned:") && stderr.contains("extra.rs"), "{stderr}");
    assert!(stderr.contains("cargo run -p generator"), "{stderr}");
    assert!(!stderr.contains("mine.rs"), "{stderr}");

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
    assert!(!dir.join("out/a/src/extra.rs").exists(), "the orphaned generated file is deleted");
    assert_eq!(std::fs::read_to_string(dir.join("out/a/tests/mine.rs")).unwrap(), "// the user's test\n");
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
    assert!(client.contains("Vec<types::Thing>"), "{client}");
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
    std::fs::write(
        &spec,
        "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"T\",, \"version\": \"1\"},\n  \"paths\": {}\n}\n",
    )
    .unwrap();
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
    assert!(
        names.contains(&"definitions.yaml".to_owned()) && names.contains(&"parameters.yaml".to_owned()),
        "{names:?}"
    );
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub struct Pet "), "{types}");
    assert!(types.contains("pub nickname: Option<Option<String>>"), "x-nullable becomes nullable:\n{types}");
    assert!(types.contains("pub struct NewPet "), "{types}");
    let client = &generated.files["src/client.rs"];
    assert!(client.contains(".server(\"https://fixture.example.test/api\""), "host + basePath + schemes:\n{client}");
    assert!(client.contains("rt::AuthScheme::Basic"), "{client}");
    assert!(client.contains("pub fn add_pet(&self, body: types::NewPet)"), "body parameter:\n{client}");
    assert!(
        client.contains("request.query_param(\"tags\", self.tags.as_ref())"),
        "collectionFormat: multi is form, exploded (OpenAPI's default):\n{client}"
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
    assert!(
        client.contains("pub fn get_thing(&self, id: impl Into<String>)"),
        "`$ref` on a whole path item:\n{client}"
    );
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
    assert!(
        stdout.contains("| spec | version | operations | list operations | paged (inferred) | types |"),
        "{stdout}"
    );
    assert!(stdout.contains("Pagination: "), "{stdout}");
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

#[test]
fn pagination_command_reports_each_list_operation() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/features/inferred-paging.yaml");
    let output = bin().arg("pagination").arg(&spec).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        stdout.contains(
            "| `GET /v1/customers` | marker | inferred | marker `starting_after`; items: `data`, item-id: `id`"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("| `GET /servers` | marker | inferred | marker `marker`; items: `servers`, next: `servers_links[rel=next].href`"), "{stdout}");
    assert!(
        stdout.contains("9 list operations: 9 paginated (8 inferred, 0 by x-pagination, 1 by x-ms-pageable), 0 not"),
        "{stdout}"
    );
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/digitalocean.yaml");
    let output = bin().arg("pagination").arg(&spec).arg("--all").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("| `GET /v2/images` | page-number | x-pagination |"), "{stdout}");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/features/inferred-paging.yaml");
    let output = bin().arg("pagination").arg(&spec).arg("--extension").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "# GET /v2/Services (twilio_list_services, inferred)\nx-pagination:\n  style: next-link\n  items: services\n  \
             next: meta.next_page_url\n\n"
        ),
        "{stdout}"
    );
    // Warnings (here an `x-ms-pageable` naming a property the response lacks) go to stderr, beside the report.
    let dir = temp_dir("pagination-warnings");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        VALID.replace("      responses:", "      x-ms-pageable: {nextLinkName: nextLink}\n      responses:"),
    )
    .unwrap();
    let output = bin().arg("pagination").arg(&spec).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("spec.yaml:6: at /paths/~1a/get/x-ms-pageable: `x-ms-pageable`: the response has no string property `nextLink`"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
    let missing = bin().args(["pagination", "no-such-spec.yaml"]).output().unwrap();
    assert!(!missing.status.success());
}

/// Every value of a document replaced, one at a time, by a value of another type: generation may fail, with
/// diagnostics, but never panics.
#[test]
fn no_input_makes_the_generator_panic() {
    let sources = [
        repo().join("specs/features/openapi31.yaml"),
        repo().join("specs/features/swagger2.yaml"),
        repo().join("specs/features/hostile.yaml"),
    ];
    let replacements = [
        serde_json::Value::Null,
        serde_json::json!(7),
        serde_json::json!("x"),
        serde_json::json!([]),
        serde_json::json!({}),
    ];
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
            let config = generator::Config::new().spec_text("mutated.json", serde_json::to_string(&mutated).unwrap());
            let result = std::panic::catch_unwind(|| config.crate_name("m").generate());
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
                collect_pointers(child, generator::error::pointer_push(&at, key), out);
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
        [format!(
            "warning: {}:14: at /components/schemas/B/description: `description` must be a string; ignored",
            spec.display()
        )]
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
    let generated = generator::Config::new()
        .spec_text(
            "spec.yaml",
            "openapi: 3.1.0\ninfo: {title: T, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: [string, object]\n      properties:\n        b: {type: integer, maxLength: many}\n",
        )
        .generate()
        .unwrap();
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

/// Runs `--spec SPEC --out OUT` with extra arguments; returns (exit code, stderr).
fn generate_into(spec: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let output = bin().arg("--spec").arg(spec).arg("--out").arg(out).args(extra).output().unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

/// `--out` on a directory the generator did not write is refused (exit 2, nothing changed) unless `--force`, which
/// adds the crate beside what is there; a new or empty directory needs no `--force`.
#[test]
fn out_refuses_a_directory_the_generator_did_not_write() {
    let dir = temp_dir("foreign");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, VALID).unwrap();
    let out = dir.join("project");
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("notes.txt"), "my notes\n").unwrap();
    std::fs::write(out.join("src/main.rs"), "fn main() {}\n").unwrap();
    let before = snapshot(&out);

    let (code, stderr) = generate_into(&spec, &out, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not written by the generator") && stderr.contains("--force"), "{stderr}");
    assert!(stderr.contains("project"), "names the directory: {stderr}");
    assert_eq!(snapshot(&out), before, "nothing changed");

    let (code, stderr) = generate_into(&spec, &out, &["--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(read(out.join("notes.txt")), "my notes\n");
    assert_eq!(read(out.join("src/main.rs")), "fn main() {}\n");
    assert!(read(out.join("Cargo.toml")).starts_with("# @generated"));
    // From now on the directory is the generator's: no --force needed, and the user's files still stay.
    std::fs::write(&spec, VALID.replace("x: { type: string }", "y: { type: string }")).unwrap();
    let (code, stderr) = generate_into(&spec, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(out.join("src/types.rs")).contains("pub y:"));
    assert_eq!(read(out.join("notes.txt")), "my notes\n");

    // An empty directory (made by the user beforehand) is fine.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, stderr) = generate_into(&spec, &empty, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(empty.join("src/lib.rs").is_file());

    // A file where the output directory should be is a usage error too.
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let (code, stderr) = generate_into(&spec, &file, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(read(&file), "x");
}

/// Replacing a crate the generator wrote keeps every file it did not write (tests, extra examples, notes, a copy of a
/// generated example that still carries the `@generated` header, target/, Cargo.lock) and deletes the files it wrote
/// that are no longer generated: here the inlined runtime, which carries no header, when the crate switches to a
/// path dependency.
#[test]
fn replacing_a_crate_keeps_the_users_files_and_removes_stale_generated_ones() {
    let dir = temp_dir("replace");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, VALID).unwrap();
    let out = dir.join("out");
    let (code, stderr) = generate_into(&spec, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("src/runtime/mod.rs").is_file());
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    assert_eq!(read(out.join(".generated-files")), generated.generated_list());
    for path in generated.files.keys() {
        assert!(read(out.join(".generated-files")).lines().any(|l| l == path), "{path} is listed");
    }

    let user_files = [
        ("tests/roundtrip.rs", "#[test]\nfn t() {}\n".to_owned()),
        ("examples/mine.rs", format!("{}fn main() {{}}\n", read(out.join("src/lib.rs")).lines().next().unwrap())),
        ("NOTES.md", "remember\n".to_owned()),
        ("src/runtime/local.rs", "// mine, inside a generated directory\n".to_owned()),
        ("target/debug/build.txt", "artifact\n".to_owned()),
        ("Cargo.lock", "# lock\n".to_owned()),
    ];
    for (path, contents) in &user_files {
        std::fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
        std::fs::write(out.join(path), contents).unwrap();
    }
    assert!(user_files[1].1.contains("@generated"), "the copy keeps the generated header");
    std::fs::write(out.join("src/types.rs"), "// edited by hand\n").unwrap();

    let (code, stderr) = generate_into(&spec, &out, &["--runtime", "path=../runtime"]);
    assert_eq!(code, 0, "{stderr}");
    for (path, contents) in &user_files {
        assert_eq!(&read(out.join(path)), contents, "{path} is kept");
    }
    let runtime_files: Vec<_> =
        std::fs::read_dir(out.join("src/runtime")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(runtime_files, ["local.rs"], "the stale inlined runtime is gone, the user's file stays");
    let switched = generator::Config::new().spec(&spec).runtime("path=../runtime").generate().unwrap();
    for (path, contents) in &switched.files {
        assert_eq!(&read(out.join(path)), contents, "{path}");
    }
    assert_eq!(read(out.join(".generated-files")), switched.generated_list());
    assert!(switched.check(&out).unwrap().is_empty(), "{:?}", switched.check(&out).unwrap());

    // Back to inline: the runtime returns, and a directory emptied of generated files is removed.
    std::fs::remove_file(out.join("src/runtime/local.rs")).unwrap();
    let (code, stderr) = generate_into(&spec, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("src/runtime/mod.rs").is_file());
    let (code, stderr) = generate_into(&spec, &out, &["--runtime", "path=../runtime"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!out.join("src/runtime").exists(), "an emptied generated directory is pruned");
}

/// A file the generator did not write, where a generated file now goes, is not overwritten without `--force`.
#[test]
fn a_users_file_where_a_generated_file_goes_is_not_overwritten() {
    let dir = temp_dir("collide");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, VALID).unwrap();
    let out = dir.join("out");
    let (code, stderr) = generate_into(&spec, &out, &["--runtime", "path=../runtime"]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::create_dir_all(out.join("src/runtime")).unwrap();
    std::fs::write(out.join("src/runtime/mod.rs"), "// the user's own module\n").unwrap();
    let before = snapshot(&out);
    let (code, stderr) = generate_into(&spec, &out, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("src/runtime/mod.rs") && stderr.contains("--force"), "{stderr}");
    assert_eq!(snapshot(&out), before, "nothing changed");
    let (code, stderr) = generate_into(&spec, &out, &["--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read(out.join("src/runtime/mod.rs")).contains("pub mod"), "replaced with --force");
    // The library refuses the same way.
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    std::fs::write(out.join(".generated-files"), "# emptied\n").unwrap();
    std::fs::write(out.join("src/lib.rs"), "// mine now\n").unwrap();
    let refused = generated.write_crate(&out).unwrap_err();
    assert!(matches!(refused, generator::Error::Config(_)) && refused.to_string().contains("src/lib.rs"), "{refused}");
    assert_eq!(read(out.join("src/lib.rs")), "// mine now\n");
}

/// A crate written before the generator kept its list (a `@generated` Cargo.toml, no `.generated-files`) is still
/// the generator's: its files and files carrying the header are replaced or removed, the user's are kept.
#[test]
fn crates_written_before_the_list_existed_are_updated_safely() {
    let dir = temp_dir("legacy");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, VALID).unwrap();
    let out = dir.join("out");
    let (code, stderr) = generate_into(&spec, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::remove_file(out.join(".generated-files")).unwrap();
    std::fs::write(out.join("src/old.rs"), "// @generated by the OpenAPI client generator from spec.yaml.\n").unwrap();
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(out.join("tests/mine.rs"), "// mine\n").unwrap();
    let generated = generator::Config::new().spec(&spec).generate().unwrap();
    let drifts: Vec<String> = generated.check(&out).unwrap().iter().map(ToString::to_string).collect();
    assert!(drifts.iter().any(|d| d.starts_with("missing:") && d.contains(".generated-files")), "{drifts:?}");
    assert!(drifts.iter().any(|d| d.starts_with("orphaned:") && d.ends_with("old.rs")), "{drifts:?}");
    assert!(!drifts.iter().any(|d| d.contains("mine.rs")), "{drifts:?}");
    let (code, stderr) = generate_into(&spec, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!out.join("src/old.rs").exists());
    assert_eq!(read(out.join("tests/mine.rs")), "// mine\n");
    assert_eq!(read(out.join(".generated-files")), generated.generated_list());
}

/// A list naming a path outside the crate (edited by hand) is refused rather than followed.
#[test]
fn a_list_pointing_outside_the_crate_is_refused() {
    let dir = temp_dir("escape");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, VALID).unwrap();
    let out = dir.join("out");
    let (code, stderr) = generate_into(&spec, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::write(dir.join("precious.txt"), "keep\n").unwrap();
    std::fs::write(out.join(".generated-files"), "Cargo.toml\n../precious.txt\n").unwrap();
    std::fs::write(&spec, VALID.replace("x: { type: string }", "y: { type: string }")).unwrap();
    let (code, stderr) = generate_into(&spec, &out, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(".generated-files:2") && stderr.contains("../precious.txt"), "{stderr}");
    assert_eq!(read(dir.join("precious.txt")), "keep\n");
}

/// Without `--manifest`, the manifest is `specs/manifest.toml` of the current directory or its nearest ancestor
/// (never the checkout the binary was built in); none found is a usage error. Warnings are printed per crate.
#[test]
fn manifest_is_found_from_the_current_directory_upward_and_warnings_are_printed() {
    let dir = temp_dir("discover");
    let project = dir.join("project");
    std::fs::create_dir_all(project.join("specs")).unwrap();
    std::fs::create_dir_all(project.join("deep/er")).unwrap();
    std::fs::write(project.join("specs/a.yaml"), VALID.replace("description: ok", "description: [not, a, string]"))
        .unwrap();
    std::fs::write(
        project.join("specs/manifest.toml"),
        "output_dir = \"../out\"\n[[client]]\nspec = \"a.yaml\"\ncrate = \"a-client\"\nout = \"a\"\n",
    )
    .unwrap();

    let write = bin().current_dir(project.join("deep/er")).output().unwrap();
    let stderr = String::from_utf8_lossy(&write.stderr);
    assert!(write.status.success(), "{stderr}");
    assert!(project.join("out/a/src/lib.rs").is_file(), "written relative to the manifest found");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("a-client: warning: ") && l.contains("/paths/~1a/get/responses/200/description")),
        "warnings are printed in manifest mode, named by crate:\n{stderr}"
    );
    let check = bin().arg("--check").current_dir(&project).output().unwrap();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    assert!(stderr.contains("a-client: warning: "), "{stderr}");

    // The nearest manifest wins over one further up.
    let inner = project.join("deep/specs");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(inner.join("b.yaml"), VALID).unwrap();
    std::fs::write(
        inner.join("manifest.toml"),
        "output_dir = \"../gen\"\n[[client]]\nspec = \"b.yaml\"\ncrate = \"b-client\"\nout = \"b\"\n",
    )
    .unwrap();
    let nested = bin().current_dir(project.join("deep/er")).output().unwrap();
    assert!(nested.status.success(), "{}", String::from_utf8_lossy(&nested.stderr));
    assert!(project.join("deep/gen/b/src/lib.rs").is_file());

    // No manifest anywhere above: exit 2 with a message, and nothing is written anywhere (in particular not into
    // this repository, where the binary was built).
    let nowhere = dir.join("nowhere");
    std::fs::create_dir_all(&nowhere).unwrap();
    let repo_manifest_before = snapshot(&repo().join("generated/feature-models"));
    let none = bin().current_dir(&nowhere).output().unwrap();
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert_eq!(none.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no specs/manifest.toml") && stderr.contains("--manifest"), "{stderr}");
    assert_eq!(std::fs::read_dir(&nowhere).unwrap().count(), 0);
    assert_eq!(snapshot(&repo().join("generated/feature-models")), repo_manifest_before);
    let help = String::from_utf8_lossy(&bin().arg("--help").output().unwrap().stdout).into_owned();
    assert!(help.contains("nearest ancestor") && help.contains("--force"), "{help}");
}

/// A manifest entry whose `out` leaves the output directory is refused; a crate dropped from the manifest loses its
/// generated files but keeps the user's.
#[test]
fn manifest_mode_never_removes_files_the_generator_did_not_write() {
    let dir = temp_dir("manifest-safety");
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::write(dir.join("specs/a.yaml"), VALID).unwrap();
    let manifest = dir.join("specs/manifest.toml");
    let entry = |name: &str| format!("[[client]]\nspec = \"a.yaml\"\ncrate = \"{name}-client\"\nout = \"{name}\"\n");
    std::fs::write(&manifest, format!("output_dir = \"../out\"\n{}{}", entry("a"), entry("b"))).unwrap();
    let write = bin().arg("--manifest").arg(&manifest).output().unwrap();
    assert!(write.status.success(), "{}", String::from_utf8_lossy(&write.stderr));
    std::fs::write(dir.join("out/b/NOTES.md"), "mine\n").unwrap();
    std::fs::write(&manifest, format!("output_dir = \"../out\"\n{}", entry("a"))).unwrap();
    let rewrite = bin().arg("--manifest").arg(&manifest).output().unwrap();
    let stderr = String::from_utf8_lossy(&rewrite.stderr);
    assert!(rewrite.status.success(), "{stderr}");
    assert_eq!(read(dir.join("out/b/NOTES.md")), "mine\n");
    assert!(!dir.join("out/b/Cargo.toml").exists() && !dir.join("out/b/src").exists(), "generated files removed");
    assert!(stderr.contains("NOTES.md") && stderr.contains("no longer in"), "{stderr}");
    // What is left is the user's: no longer a generated crate, so not orphaned.
    let check = bin().arg("--check").arg("--manifest").arg(&manifest).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));

    for out in ["\"\"", "\"..\"", "\"../elsewhere\"", "\"/elsewhere/x\""] {
        std::fs::write(
            &manifest,
            format!("output_dir = \"../out\"\n[[client]]\nspec = \"a.yaml\"\ncrate = \"a-client\"\nout = {out}\n"),
        )
        .unwrap();
        let refused = bin().arg("--manifest").arg(&manifest).output().unwrap();
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "out = {out}: {stderr}");
        assert!(stderr.contains("below output_dir"), "{stderr}");
    }
    assert_eq!(read(dir.join("out/b/NOTES.md")), "mine\n");
}

/// build.rs returns `generator::Error` from `main`, which prints it with `Debug`: every diagnostic is on its own
/// line there and in `Display`, as the command line prints it.
#[test]
fn errors_list_every_diagnostic_readably_for_build_scripts() {
    let dir = temp_dir("display");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        VALID
            .replace("#/components/schemas/A", "#/components/schemas/Missing")
            .replace("x: { type: string }", "x: { $ref: \"#/components/schemas/AlsoMissing\" }"),
    )
    .unwrap();
    let error = generator::Config::new().spec(&spec).generate().unwrap_err();
    let generator::Error::Spec(diagnostics) = &error else { panic!("{error}") };
    assert_eq!(diagnostics.len(), 2, "{error}");
    let display = error.to_string();
    let lines: Vec<&str> = display.lines().collect();
    assert_eq!(lines.len(), diagnostics.len(), "{display}");
    for (line, diagnostic) in lines.iter().zip(diagnostics) {
        assert_eq!(*line, diagnostic.to_string());
        assert!(line.starts_with("error: ") && line.contains("spec.yaml:"), "{line}");
    }
    assert_eq!(format!("{error:?}"), display, "Debug is the readable text");
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert_eq!(format!("{boxed:?}"), display, "also through Box<dyn Error>, as examples/build-rs returns it");
    // The command line prints the same lines.
    let (code, stderr) = generate_into(&spec, &dir.join("out"), &[]);
    assert_eq!(code, 1);
    assert_eq!(stderr.trim_end(), display);
}

/// `write_to_out_dir` writes a module that always uses the `client-runtime` crate: a runtime chosen with
/// `Config::runtime(Path | Version)` cannot apply there and is refused with a message saying so.
#[test]
fn write_to_out_dir_refuses_a_runtime_it_cannot_honour() {
    let dir = temp_dir("out-dir");
    let spec = dir.join("spec.yaml");
    std::fs::write(&spec, VALID).unwrap();
    for runtime in [generator::Runtime::Path("../runtime".into()), generator::Runtime::Version("0.1".into())] {
        let generated = generator::Config::new().spec(&spec).runtime(runtime.clone()).generate().unwrap();
        let error = generated.write_to_out_dir().unwrap_err();
        let text = error.to_string();
        assert!(matches!(error, generator::Error::Config(_)), "{runtime:?}: {text}");
        assert!(
            text.contains("write_to_out_dir") && text.contains("client-runtime") && text.contains("runtime(.."),
            "{text}"
        );
    }
    // The default runtime is accepted: the module is written to OUT_DIR (which cargo also sets when running the
    // tests of a package with a build script), or the build-script check says OUT_DIR is missing.
    let generated = generator::Config::new().spec(&spec).crate_name("out-dir-check-client").generate().unwrap();
    assert!(generated.module.contains("::client_runtime"), "the module uses the runtime crate");
    match std::env::var_os("OUT_DIR") {
        Some(out_dir) => {
            let path = generated.write_to_out_dir().unwrap();
            assert_eq!(path, Path::new(&out_dir).join("out_dir_check.rs"));
            assert_eq!(read(&path), generated.module);
        }
        None => {
            let text = generated.write_to_out_dir().unwrap_err().to_string();
            assert!(text.contains("OUT_DIR is not set"), "{text}");
        }
    }
}

#[test]
fn build_scripts_show_warnings_as_cargo_warnings() {
    // Cargo hides a build script's output unless it fails; `cargo:warning=` lines are the exception.
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {not: {type: string}}\n";
    let generated = generator::Config::new().spec_text("api.yaml", spec).generate().unwrap();
    assert!(!generated.warnings.is_empty());
    let lines = generated.cargo_warnings();
    assert_eq!(lines.len(), generated.warnings.len());
    assert!(lines.iter().all(|l| l.starts_with("cargo:warning=warning: api.yaml") && !l.contains('\n')), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("`not` cannot be typed")), "{lines:?}");
}
