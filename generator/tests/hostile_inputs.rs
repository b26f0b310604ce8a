//! Bad and hostile input (the second table of the regression inputs, kept in `tests/fixtures/regressions/`): every
//! input ends, with an error or a crate, in work bounded by a cap rather than by the input's whims, and the
//! diagnostic names the file, the line and the pointer. No test here measures wall-clock time: each asserts the cap
//! that bounds the work (values read, values copied, nesting, files readable) or that the work is done once.

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions").join(name)
}

/// The diagnostics of a spec that must not generate, as displayed.
fn errors(spec: &Path) -> Vec<String> {
    match generator::Config::new().spec(spec).generate() {
        Ok(_) => panic!("{} generated", spec.display()),
        Err(generator::Error::Spec(diagnostics)) => diagnostics.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("{}: not a spec error: {other}", spec.display()),
    }
}

#[test]
fn a_property_pointing_at_a_reference_cycle_is_an_error_not_a_stack_overflow() {
    let spec = fixture("property-ref-to-ref-cycle.yaml");
    assert_eq!(
        errors(&spec),
        [format!(
            "error: {}:10: at /components/schemas/Loop: `$ref` cycle: this schema is only a reference to itself and has no type",
            spec.display()
        )]
    );
}

#[test]
fn an_inline_schema_that_contains_itself_through_all_of_ends_with_a_warning() {
    let spec = fixture("inline-all-of-self-cycle.yaml");
    let generated = generator::Config::new().spec(&spec).generate().unwrap_or_else(|e| panic!("{e}"));
    let cycles: Vec<&str> = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("contains itself"))
        .map(|w| w.pointer.split('/').nth(3).unwrap_or_default())
        .collect();
    // Each container's cycle is cut, at its inner occurrence (which is kept as JSON), and warned about once.
    for component in ["Property", "ArrayItem", "MapValue", "UnionVariant"] {
        assert_eq!(cycles.iter().filter(|c| **c == component).count(), 1, "{component}: {cycles:?}");
    }
    // Wide's twelve self-reaching properties: each inline schema is lowered a bounded number of times (once its
    // cycle is cut, its type is reused), so the warnings are one per schema, not one per order of the twelve.
    assert_eq!(cycles.iter().filter(|c| **c == "Wide").count(), 12, "{cycles:?}");
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub struct Property") && types.contains("pub struct Wide"), "{types}");
    // Inline types made: a bounded number per property (the first lowering of each, before reuse), not k!.
    let wide_types = types.matches("pub struct Wide").count();
    assert!(wide_types <= 1 + 12 * 12, "{wide_types} types named after Wide");
}

#[test]
fn pagination_over_an_all_of_cycle_ends() {
    let spec = fixture("allof-self-cycle-paginated.yaml");
    let found = errors(&spec);
    assert!(found.iter().any(|e| e.contains(":15: at /components/schemas/A: `$ref` cycle")), "{found:#?}");
}

#[test]
fn all_of_diamonds_are_merged_once_per_schema() {
    // 24 levels of `allOf: [$ref D(n+1), $ref D(n+1)]`: 2^24 merges if each path were followed.
    let generated = generator::Config::new().spec(fixture("allof-diamonds.yaml")).generate().unwrap();
    assert_eq!((generated.stats.operations, generated.stats.types), (1, 25));
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub struct D0 {") && types.contains("pub leaf: Option<String>"), "{types}");
}

#[test]
fn references_that_branch_through_another_file_stop_at_the_copy_budget() {
    let spec = fixture("external-ref-bomb/spec.yaml");
    let found = errors(&spec);
    assert_eq!(found.len(), 1, "reported once: {found:#?}");
    // Named where the user wrote it: in the other file, with its line.
    assert!(
        found[0].contains("external-ref-bomb/frag22.yaml:18: at /bomb/l16/a/$ref: `$ref: #/bomb/l17`"),
        "{found:#?}"
    );
    assert!(found[0].contains("the references copied into place add more than 1000000 values"), "{found:#?}");
}

#[test]
fn deep_nesting_is_refused_before_the_parser_pays_for_it() {
    let spec = fixture("deeply-nested-yaml.yaml");
    assert_eq!(
        errors(&spec),
        [format!("error: {}:2: at /: invalid YAML: collections nest more than 128 deep", spec.display())]
    );
    // The same in JSON.
    let json = format!("{{\"openapi\": \"3.0.3\", \"x\": {}{}}}", "[".repeat(80_000), "]".repeat(80_000));
    let found = match generator::Config::new().spec_text("deep.json", json).generate() {
        Err(generator::Error::Spec(diagnostics)) => diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert!(found[0].starts_with("error: deep.json:1: at /: invalid JSON: recursion limit exceeded"), "{found:#?}");
}

#[test]
fn references_read_only_regular_files_below_the_spec_folder() {
    let spec = fixture("ref-to-device-file.yaml");
    let found = errors(&spec);
    assert!(
        found[0].contains(
            ":6: at /components/schemas/A/$ref: `$ref` to `/dev/zero` is outside the folders a spec may read"
        ),
        "{found:#?}"
    );

    // Allowed by the user, a device is still not a regular file; nor is it a spec.
    let found = match generator::Config::new().spec(&spec).allow_ref_root("/dev").generate() {
        Err(generator::Error::Spec(d)) => d.iter().map(ToString::to_string).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert!(found[0].contains("`$ref` to `/dev/zero` is not a regular file"), "{found:#?}");
    let found = errors(Path::new("/dev/zero"));
    assert_eq!(found, ["error: /dev/zero: at /: the spec is not a regular file"]);

    // A file next to the spec's folder, through `..`: outside, unless allowed.
    let dir = std::env::temp_dir().join(format!("generator-ref-roots-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(dir.join("secret.yaml"), "A: {type: string}\n").unwrap();
    let spec = dir.join("api/spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: \"../secret.yaml#/A\"}\n",
    )
    .unwrap();
    let found = errors(&spec);
    assert!(found[0].contains("secret.yaml` is outside the folders a spec may read"), "{found:#?}");
    generator::Config::new().spec(&spec).allow_ref_root(&dir).generate().expect("allowed root");
}

/// A problem inside a schema that another file holds is named in that file, at its own pointer and line, not at
/// the `components` entry the bundler copied it to.
#[test]
fn diagnostics_in_referenced_files_name_that_file() {
    let generated = generator::Config::new()
        .spec_text(
            "api/spec.yaml",
            "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths:\n  /pets:\n    get:\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: \"./models/../models/pet.yaml#/Pet\"}\n",
        )
        .source_file(
            "api/models/pet.yaml",
            "Pet:\n  type: object\n  properties:\n    name:\n      type: string\n      maxLength: lots\n",
        )
        .generate()
        .unwrap();
    let shown: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        ["warning: api/models/pet.yaml:6: at /Pet/properties/name/maxLength: `maxLength` must be a non-negative integer; ignored"]
    );
    // Nothing was read from disk, so a build script has nothing to watch.
    assert!(generated.inputs.is_empty(), "{:?}", generated.inputs);
}
