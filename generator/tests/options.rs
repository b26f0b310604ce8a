//! The options model: every option round-trips through the command line and the manifest, is documented, and does
//! what it says when given on the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser;
use generator::{Config, Options, OPTIONS};

/// The options as the command line reads them, without the rest of the binary's arguments.
#[derive(Debug, Parser)]
struct Cli {
    #[command(flatten)]
    options: Options,
}

/// Every option away from its default.
fn every_option() -> Options {
    let options = Config::new()
        .crate_name("pets-api")
        .runtime("path=../runtime")
        .allow_ref_root("../shared")
        .allow_ref_root("/opt/specs")
        .crate_version("2.1.0-beta.1")
        .description("Pets, \"quoted\" = fine")
        .license("MIT OR Apache-2.0")
        .repository("https://example.com/pets")
        .publish(true)
        .include("tag:pets*")
        .include("path:/v1/stores/**")
        .exclude("operation:delete*")
        .strict_enums(true)
        .strict_enum("Species")
        .derive("Hash")
        .derive("Pet=schemars::JsonSchema")
        .attribute("#[serde(deny_unknown_fields)]")
        .attribute("Pet=#[doc(alias = \"Animal\")]")
        .group_by_tag(true)
        .date_time("time")
        .replace("Store=stores::Store")
        .dependency("schemars = { version = \"1\", features = [\"chrono04\"] }")
        .options()
        .clone();
    let mut unset: Vec<&str> = OPTIONS.iter().map(|o| o.field).collect();
    unset.retain(|field| !options.changed().contains(field));
    assert!(unset.is_empty(), "every option must be set here; not set: {unset:?}");
    options
}

#[test]
fn config_to_args_and_back_is_the_same() {
    let options = every_option();
    let args = options.to_args();
    let parsed = Cli::try_parse_from(std::iter::once("generator".to_owned()).chain(args.clone()))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"))
        .options;
    assert_eq!(parsed, options, "{args:?}");
    assert!(Options::default().to_args().is_empty());
}

#[test]
fn manifest_keys_read_into_the_same_options() {
    let manifest = r##"
        output_dir = "out"
        [[client]]
        spec = "pets.yaml"
        out = "pets"
        crate = "pets-api"
        runtime = "path=../runtime"
        allow_ref_roots = ["../shared", "/opt/specs"]
        version = "2.1.0-beta.1"
        description = 'Pets, "quoted" = fine'
        license = "MIT OR Apache-2.0"
        repository = "https://example.com/pets"
        publish = true
        include = ["tag:pets*", "path:/v1/stores/**"]
        exclude = ["operation:delete*"]
        strict_enums = true
        strict_enum = ["Species"]
        group_by_tag = true
        date_time = "time"
        replacements = ["Store=stores::Store"]
        derives = ["Hash", "Pet=schemars::JsonSchema"]
        attributes = ["#[serde(deny_unknown_fields)]", 'Pet=#[doc(alias = "Animal")]']
        dependencies = ['schemars = { version = "1", features = ["chrono04"] }']
    "##;
    let read: generator::manifest::Manifest = toml::from_str(manifest).unwrap();
    assert_eq!(read.clients[0].options, every_option());

    let unknown = manifest.replace("publish = true", "publsh = true");
    let error = toml::from_str::<generator::manifest::Manifest>(&unknown).unwrap_err().to_string();
    assert!(error.contains("unknown field `publsh`"), "{error}");
    let bad = manifest.replace("tag:pets*", "label:pets");
    let error = toml::from_str::<generator::manifest::Manifest>(&bad).unwrap_err().to_string();
    assert!(error.contains("expected `tag:GLOB`"), "{error}");
}

#[test]
fn every_option_is_documented_in_help_and_docs() {
    let help = Command::new(env!("CARGO_BIN_EXE_generator")).arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let docs = std::fs::read_to_string(repo().join("docs/options.md")).unwrap();
    for option in OPTIONS {
        assert!(help.contains(&format!("--{} ", option.flag)) || help.contains(&format!("--{}\n", option.flag)));
        for needle in [format!("`--{}", option.flag), format!("`{}`", option.key), format!("`.{}(", option.field)] {
            assert!(docs.contains(&needle), "docs/options.md does not mention {needle}");
        }
    }
}

#[test]
fn a_setter_given_text_that_does_not_parse_fails_generation() {
    let error = Config::new().spec_text("a.yaml", SPEC).include("label:x").generate().unwrap_err();
    assert!(error.to_string().contains("--include (include): `label:x`: expected `tag:GLOB`"), "{error}");
    let error = Config::new().spec_text("a.yaml", SPEC).crate_version("2.0").generate().unwrap_err();
    assert!(error.to_string().contains("not a semantic version"), "{error}");
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const SPEC: &str = r##"openapi: 3.0.3
info: { title: Pets, version: "3.4.5" }
paths:
  /v1/pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Pet" } }
  /v1/pets/{id}:
    delete:
      operationId: deletePet
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { "204": { description: gone } }
  /v1/stores:
    get:
      operationId: listStores
      tags: [stores]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Store" }
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: { type: string }
        species: { $ref: "#/components/schemas/Species" }
        weight: { type: number }
    Species: { type: string, enum: [cat, dog] }
    Store: { type: object, properties: { city: { type: string } } }
"##;

/// Runs the command line on [`SPEC`] with `flags` and returns the crate's files by path.
fn generate_with(flags: &[&str]) -> std::collections::BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("pets.yaml");
    std::fs::write(&spec, SPEC).unwrap();
    let out = dir.path().join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--spec")
        .arg(&spec)
        .arg("--out")
        .arg(&out)
        .args(flags)
        .output()
        .unwrap();
    assert!(output.status.success(), "{flags:?}: {}", String::from_utf8_lossy(&output.stderr));
    let mut files = std::collections::BTreeMap::new();
    for path in ["Cargo.toml", "src/types.rs", "src/client.rs", "README.md"] {
        files.insert(path.to_owned(), std::fs::read_to_string(out.join(path)).unwrap_or_default());
    }
    files
}

fn generate_failing(flags: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("pets.yaml");
    std::fs::write(&spec, SPEC).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--spec")
        .arg(&spec)
        .arg("--out")
        .arg(dir.path().join("out"))
        .args(flags)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{flags:?}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn cli_name_runtime_and_metadata() {
    let files = generate_with(&[
        "--name=pets-api",
        "--runtime=version=0.3",
        "--crate-version=9.8.7",
        "--description=Pets for everyone",
        "--license=MIT",
        "--repository=https://example.com/pets",
        "--publish",
    ]);
    let cargo = &files["Cargo.toml"];
    for line in [
        "name = \"pets-api\"",
        "version = \"9.8.7\"",
        "description = \"Pets for everyone\"",
        "license = \"MIT\"",
        "repository = \"https://example.com/pets\"",
        "client-runtime = { version = \"0.3\"",
    ] {
        assert!(cargo.contains(line), "{line} in {cargo}");
    }
    assert!(!cargo.contains("publish = false"), "{cargo}");

    let defaults = generate_with(&[]);
    let cargo = &defaults["Cargo.toml"];
    assert!(cargo.contains("name = \"pets-client\""), "{cargo}");
    assert!(cargo.contains("version = \"3.4.5\""), "the spec's semver info.version: {cargo}");
    assert!(cargo.contains("publish = false") && !cargo.contains("license ="), "{cargo}");
    assert!(generate_failing(&["--crate-version=3"]).contains("not a semantic version"));
}

#[test]
fn cli_allow_ref_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("api")).unwrap();
    std::fs::create_dir_all(dir.path().join("shared")).unwrap();
    std::fs::write(dir.path().join("shared/pet.yaml"), "type: object\nproperties: { name: { type: string } }\n")
        .unwrap();
    let spec = SPEC.replace(
        "    Store: { type: object, properties: { city: { type: string } } }",
        "    Store: { $ref: \"../shared/pet.yaml\" }",
    );
    std::fs::write(dir.path().join("api/pets.yaml"), spec).unwrap();
    let run = |flags: &[&str], out: &str| {
        Command::new(env!("CARGO_BIN_EXE_generator"))
            .arg("--spec")
            .arg(dir.path().join("api/pets.yaml"))
            .arg("--out")
            .arg(dir.path().join(out))
            .args(flags)
            .output()
            .unwrap()
    };
    let refused = run(&[], "refused");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("shared/pet.yaml"));
    let root = dir.path().join("shared");
    let allowed = run(&[&format!("--allow-ref-root={}", root.display())], "allowed");
    assert!(allowed.status.success(), "{}", String::from_utf8_lossy(&allowed.stderr));
}

#[test]
fn cli_include_and_exclude() {
    let by_tag = generate_with(&["--include=tag:stores"]);
    assert!(by_tag["src/client.rs"].contains("list_stores") && !by_tag["src/client.rs"].contains("list_pets"));
    assert!(by_tag["src/types.rs"].contains("pub struct Store"));
    assert!(!by_tag["src/types.rs"].contains("pub struct Pet"), "unreachable schemas are left out");

    // `pets` is the tag the path `/v1/pets` implies for operations without tags.
    let implied = generate_with(&["--include=tag:pets", "--exclude=operation:delete*"]);
    assert!(implied["src/client.rs"].contains("list_pets"));
    assert!(!implied["src/client.rs"].contains("delete_pet") && !implied["src/client.rs"].contains("list_stores"));
    assert!(
        implied["src/types.rs"].contains("pub struct Pet") && !implied["src/types.rs"].contains("pub struct Store")
    );

    let by_path = generate_with(&["--include=path:/v1/pets/*"]);
    assert!(by_path["src/client.rs"].contains("delete_pet") && !by_path["src/client.rs"].contains("list_pets"));
    assert!(generate_failing(&["--include=tag:nothing"]).contains("keep none of its 3 operations"));
    assert!(generate_failing(&["--include=kind:x"]).contains("expected `tag:GLOB`"));
}

#[test]
fn cli_strict_enums() {
    let lenient = generate_with(&[]);
    assert!(lenient["src/types.rs"].contains("Unknown(String)"));
    for flags in [&["--strict-enums"][..], &["--strict-enum=Species"]] {
        let strict = generate_with(flags);
        assert!(!strict["src/types.rs"].contains("Unknown(String)"), "{flags:?}");
        assert!(strict["src/types.rs"].contains("rt::string_enum!(rt, Species, {"), "{flags:?}");
    }
    assert!(generate_failing(&["--strict-enum=Specis"]).contains("no schema or type is named `Specis`"));
}

#[test]
fn cli_derives_attributes_and_dependencies() {
    let files = generate_with(&[
        "--derive=Eq",
        "--derive=Store=Default",
        "--attribute=Store=#[must_use]",
        "--dependency=schemars = \"1\"",
        "--dependency=serde_json = { version = \"1.0.100\" }",
    ]);
    let types = &files["src/types.rs"];
    let store = types.split("pub struct Store").next().unwrap().rsplit("///").next().unwrap();
    assert!(store.contains("#[derive(Eq, Default)]") && store.contains("#[must_use]"), "{store}");
    let pet = types.split("pub struct Pet").next().unwrap().rsplit("///").next().unwrap();
    assert!(!pet.contains("#[derive(Eq"), "`weight` is an f64: {pet}");
    let cargo = &files["Cargo.toml"];
    assert!(cargo.contains("schemars = \"1\""), "{cargo}");
    assert!(
        cargo.contains("serde_json = { version = \"1.0.100\" }") && !cargo.contains("serde_json = \"1\""),
        "{cargo}"
    );

    let error = generate_failing(&["--derive=Pet=Hash"]);
    assert!(error.contains("`Pet` cannot derive `Hash`: its field `weight` is `f64`"), "{error}");
    assert!(generate_failing(&["--derive=Pet=not a path"]).contains("is not a Rust path"));
    assert!(generate_failing(&["--attribute=#[a] #[b]"]).contains("expected one `#[...]` attribute"));
    assert!(generate_failing(&["--dependency=schemars"]).contains("expected a Cargo.toml dependency line"));
}

#[test]
fn manifest_mode_refuses_options_for_one_crate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("specs")).unwrap();
    std::fs::write(dir.path().join("specs/manifest.toml"), "output_dir = \"../out\"\nclient = []\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(dir.path())
        .args(["--strict-enums", "--license=MIT"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--license, --strict-enums shape(s) one crate"), "{stderr}");
}

#[test]
fn cli_group_by_tag() {
    let flat = generate_with(&[]);
    assert!(flat["src/client.rs"].contains("pub fn list_pets(&self"));
    let grouped = generate_with(&["--group-by-tag"]);
    let client = &grouped["src/client.rs"];
    // `/v1/pets` has no tags and implies `pets`; `listStores` is tagged `stores`.
    for item in ["pub fn pets(&self) -> Pets<'_>", "pub struct Pets<'a>", "impl<'a> Pets<'a>", "pub fn stores(&self)"] {
        assert!(client.contains(item), "{item}");
    }
    let pets = client.split("impl<'a> Pets<'a>").nth(1).unwrap().split("\n}\n").next().unwrap();
    assert!(pets.contains("pub fn list(&self") && pets.contains("pub fn delete(&self"), "{pets}");
    assert!(!client.contains("pub fn list_pets("), "no flat method is left");
    assert!(grouped["README.md"].contains("client.pets().list()"), "the README calls through the group");
}

#[test]
fn cli_replace() {
    let files = generate_with(&["--replace=Store=stores::Store", "--dependency=stores = { path = \"../stores\" }"]);
    let types = &files["src/types.rs"];
    assert!(types.contains("pub type Store = ::stores::Store;"), "{types}");
    assert!(!types.contains("pub struct Store"));
    assert!(files["src/client.rs"].contains("types::Store"), "the operation still names it through types");
    assert!(files["Cargo.toml"].contains("stores = { path = \"../stores\" }"));
    assert!(generate_failing(&["--replace=Stor=x::Y"]).contains("no schema or type is named `Stor`"));
    assert!(generate_failing(&["--replace=x::Y"]).contains("expected `SCHEMA=PATH`"));
}

#[test]
fn cli_date_time() {
    let spec = SPEC.replace(
        "weight: { type: number }",
        "weight: { type: number }\n        born: { type: string, format: date-time }",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pets.yaml"), &spec).unwrap();
    let run = |flags: &[&str], out: &str| {
        Command::new(env!("CARGO_BIN_EXE_generator"))
            .arg("--spec")
            .arg(dir.path().join("pets.yaml"))
            .arg("--out")
            .arg(dir.path().join(out))
            .args(flags)
            .output()
            .unwrap()
    };
    let read = |out: &str, file: &str| std::fs::read_to_string(dir.path().join(out).join(file)).unwrap();
    assert!(run(&[], "chrono").status.success());
    assert!(read("chrono", "src/types.rs").contains("chrono::DateTime<chrono::Utc>"));
    assert!(read("chrono", "Cargo.toml").contains("chrono = "));

    let time = run(&["--date-time=time", "--runtime=version=0.1"], "time");
    assert!(time.status.success(), "{}", String::from_utf8_lossy(&time.stderr));
    let types = read("time", "src/types.rs");
    assert!(types.contains("time::OffsetDateTime") && !types.contains("chrono"), "{types}");
    assert!(types.contains("#[serde(skip_serializing_if = \"Option::is_none\", with = \"rt::rfc3339\")]"), "{types}");
    let cargo = read("time", "Cargo.toml");
    assert!(cargo.contains("features = [\"time\"]") && cargo.contains("time = { version = \"0.3\""), "{cargo}");

    let bare =
        SPEC.replace("schema: { $ref: \"#/components/schemas/Store\" }", "schema: { type: string, format: date-time }");
    std::fs::write(dir.path().join("pets.yaml"), bare).unwrap();
    let refused = run(&["--date-time=time"], "bare");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("operation `listStores` has a body that is a bare date-time"), "{stderr}");
    assert!(generate_failing(&["--date-time=jiff"]).contains("expected `chrono` or `time`"));
}

#[test]
fn serde_attributes_go_only_where_serde_is_derived() {
    let files = generate_with(&["--attribute=#[serde(deny_unknown_fields)]"]);
    let types = &files["src/types.rs"];
    let species = types.split("pub enum Species").next().unwrap().rsplit("///").next().unwrap();
    assert!(!species.contains("serde("), "a string enum implements serde by hand: {species}");
    let store = types.split("pub struct Store").next().unwrap().rsplit("///").next().unwrap();
    assert!(store.contains("#[serde(deny_unknown_fields)]"), "{store}");
    let error = generate_failing(&["--attribute=Species=#[serde(rename_all = \"UPPERCASE\")]"]);
    assert!(error.contains("`Species` is a string enum, which implements serde's traits by hand"), "{error}");
    assert!(generate_failing(&["--runtime=version=abc"]).contains("a Cargo version requirement"));
}

#[test]
fn a_manifest_option_problem_names_its_client() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("specs")).unwrap();
    std::fs::write(dir.path().join("specs/pets.yaml"), SPEC).unwrap();
    let manifest = "output_dir = \"../out\"\n[[client]]\nspec = \"pets.yaml\"\nout = \"pets\"\ncrate = \"pets-api\"\n\
                    strict_enum = [\"Nope\"]\n";
    std::fs::write(dir.path().join("specs/manifest.toml"), manifest).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_generator")).current_dir(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pets-api: --strict-enum `Nope`: no schema or type is named `Nope`"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
}
