//! Spec text in every dialect (OpenAPI 3.0, 3.1, Swagger 2.0) reaches the generated crate only in safe forms: prose
//! never becomes a doctest or raw HTML, odd operationIds never give names rustc warns about, metadata is bounded,
//! and the README calls its example operation with a value for every required argument.
//!
//! The crates of `specs/regressions/` and `specs/features/hostile.yaml` are compiled, linted and documented with the
//! workspace; these tests check the same properties of the generated text for the other dialects.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

fn generate(name: &str, file: &str, spec: &str) -> generator::Generated {
    let generated = generator::Config::new().spec_text(file, spec).crate_name("spec-text").generate();
    generated.unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Markdown that makes doctests or raw HTML, as one YAML double-quoted string.
const HOSTILE_PROSE: &str = r#""Steps:\n\n1.     Create the key.\n2.     Rotate it.\n\n    indented code\n\n\tafter a tab\n\n> quoted\n>\n>     quoted code\n\n- ```rust\n  fn in_list() {}\n  ```\n\n```ignore\npanic!()\n```\n\n~~~\ntilde\n~~~\n\n<script>alert(1)</script>\n\n<!-- never closed""#;

/// The code blocks and raw HTML rustdoc would see in one doc comment.
fn doc_problems(doc: &str) -> Vec<String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(doc, options)
        .filter_map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "text" => None,
            Event::Start(Tag::CodeBlock(kind)) => Some(format!("code block {kind:?}")),
            Event::Html(html) | Event::InlineHtml(html) => Some(format!("raw HTML {html:?}")),
            _ => None,
        })
        .collect()
}

/// Every doc comment of a formatted Rust file: runs of `///` or `//!` lines, and `/*! … */` blocks.
fn doc_comments(source: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(text) = trimmed.strip_prefix("///").or_else(|| trimmed.strip_prefix("//!")) {
            current.push(text.strip_prefix(' ').unwrap_or(text));
            continue;
        }
        if !current.is_empty() {
            docs.push(current.join("\n"));
            current.clear();
        }
        if let Some(rest) = trimmed.strip_prefix("/*!") {
            let mut block = vec![rest];
            if !rest.contains("*/") {
                for next in lines.by_ref() {
                    block.push(next);
                    if next.contains("*/") {
                        break;
                    }
                }
            }
            docs.push(block.join("\n").trim_end().trim_end_matches("*/").to_owned());
        }
    }
    if !current.is_empty() {
        docs.push(current.join("\n"));
    }
    docs
}

/// Checks every doc comment of every Rust file, and the README outside the template's own examples.
fn assert_prose_is_inert(generated: &generator::Generated, marker: &str) {
    let mut seen_marker = false;
    for (path, text) in &generated.files {
        if !path.ends_with(".rs") || path.starts_with("src/runtime/") {
            continue;
        }
        for doc in doc_comments(text) {
            seen_marker |= doc.contains(marker);
            let problems = doc_problems(&doc);
            assert!(problems.is_empty(), "{path}: {problems:?} in\n{doc}");
        }
        // `#[doc = "..."]` attributes prettyplease keeps as attributes carry escaped text; they must not exist
        // for spec prose.
        assert!(!text.contains("#[doc = \"") || !text.contains("```rust"), "{path}");
    }
    assert!(seen_marker, "the prose never reached the docs");
    let readme = &generated.files["README.md"];
    let lib = generated.crate_name.replace('-', "_");
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    let mut in_block = false;
    let mut rust_blocks = Vec::new();
    for event in Parser::new_ext(readme, options) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "rust" => {
                in_block = true;
                rust_blocks.push(String::new());
            }
            // Spec prose becomes `text` blocks; the README's own Cargo.toml lines are `toml`.
            Event::Start(Tag::CodeBlock(kind)) => {
                assert!(
                    kind == CodeBlockKind::Fenced("text".into()) || kind == CodeBlockKind::Fenced("toml".into()),
                    "{kind:?} in README:\n{readme}"
                );
            }
            Event::Text(t) if in_block => rust_blocks.last_mut().unwrap().push_str(&t),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_block = false,
            Event::Html(html) | Event::InlineHtml(html) => panic!("raw HTML {html:?} in README:\n{readme}"),
            _ => {}
        }
    }
    for block in rust_blocks {
        assert!(block.starts_with(&format!("use {lib}::")), "a Rust block the template did not write:\n{block}");
    }
}

#[test]
fn prose_is_inert_in_swagger2() {
    let spec = format!(
        r##"swagger: "2.0"
info: {{ title: "<b>bold</b> title", version: "1", description: {HOSTILE_PROSE} }}
host: example.test
paths:
  /keys:
    post:
      operationId: rotateKey
      summary: "1.     summary as a list"
      description: {HOSTILE_PROSE}
      parameters:
        - {{ name: note, in: query, type: string, description: {HOSTILE_PROSE} }}
        - {{ name: key, in: body, required: true, schema: {{ $ref: "#/definitions/Key" }} }}
      responses:
        "200": {{ description: {HOSTILE_PROSE}, schema: {{ $ref: "#/definitions/Key" }} }}
        "404": {{ description: {HOSTILE_PROSE} }}
definitions:
  Key:
    type: object
    description: {HOSTILE_PROSE}
    properties:
      id: {{ type: string, description: {HOSTILE_PROSE} }}
"##
    );
    assert_prose_is_inert(&generate("swagger2-prose", "api.yaml", &spec), "Create the key.");
}

#[test]
fn prose_is_inert_in_openapi31() {
    let spec = format!(
        r##"openapi: 3.1.0
info: {{ title: "<script>x</script>", version: "1", description: {HOSTILE_PROSE} }}
paths:
  /keys:
    get:
      operationId: getKey
      description: {HOSTILE_PROSE}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{ $ref: "#/components/schemas/Key" }}
components:
  schemas:
    Key:
      type: object
      description: {HOSTILE_PROSE}
      properties:
        id: {{ type: [string, "null"], description: {HOSTILE_PROSE} }}
        kind: {{ enum: [a, b], description: {HOSTILE_PROSE} }}
"##
    );
    assert_prose_is_inert(&generate("openapi31-prose", "api.yaml", &spec), "Create the key.");
}

/// Names that rustc's `non_camel_case_types` rejects: an underscore beside a letter, inside the name.
fn bad_camel_names(source: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for line in source.lines() {
        let line = line.trim_start();
        for keyword in ["pub struct ", "pub enum ", "pub type "] {
            if let Some(rest) = line.strip_prefix(keyword) {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                let inner = name.trim_matches('_');
                let chars: Vec<char> = inner.chars().collect();
                if chars.windows(2).any(|w| w[0].is_alphabetic() && w[1] == '_' || w[1].is_alphabetic() && w[0] == '_')
                {
                    bad.push(name);
                }
            }
        }
    }
    bad
}

#[test]
fn odd_names_are_lint_clean_in_every_dialect() {
    let ids = ["self", "Self", "crate", "super", "getPet", "GetPetError", "1st", "", "ÜberCafé", "Err"];
    let swagger_paths: String = ids
        .iter()
        .enumerate()
        .map(|(i, id)| format!("  /p{i}:\n    get:\n      operationId: {id:?}\n      responses: {{ \"200\": {{ description: ok, schema: {{ $ref: \"#/definitions/{id}\" }} }} }}\n"))
        .collect();
    let definitions: String =
        ids.iter().map(|id| format!("  {id:?}: {{ type: string, enum: [self, Self, Err, Ok, \"\"] }}\n")).collect();
    let swagger = format!(
        "swagger: \"2.0\"\ninfo: {{ title: t, version: \"1\" }}\npaths:\n{swagger_paths}definitions:\n{definitions}"
    );
    let openapi31_paths: String = ids
        .iter()
        .enumerate()
        .map(|(i, id)| format!("  /p{i}:\n    get:\n      operationId: {id:?}\n      responses: {{ \"200\": {{ description: ok, content: {{ application/json: {{ schema: {{ $ref: \"#/components/schemas/{id}\" }} }} }} }} }}\n"))
        .collect();
    let openapi31 = format!(
        "openapi: 3.1.0\ninfo: {{ title: t, version: \"1\" }}\npaths:\n{openapi31_paths}components:\n  schemas:\n{}",
        definitions.lines().map(|l| format!("  {l}\n")).collect::<String>()
    );
    for (name, spec) in [("swagger2-names", swagger), ("openapi31-names", openapi31)] {
        let generated = generate(name, "api.yaml", &spec);
        for (path, text) in &generated.files {
            if path.ends_with(".rs") {
                assert_eq!(bad_camel_names(text), Vec::<String>::new(), "{name}: {path}");
                assert!(!text.contains("    Err,"), "{name}: {path}: a variant named `Err`");
            }
        }
        let client = &generated.files["src/client.rs"];
        // No error response is documented: the shared runtime type, not an empty enum per operation.
        assert!(client.contains("rt::NoErrorBody, Json") && !client.contains("pub enum SelfError"), "{name}");
        assert!(client.contains("pub struct UberCafe<'a>"), "{name}");
    }
}

#[test]
fn metadata_from_huge_spec_strings_is_bounded() {
    let title = "t".repeat(140_000);
    let version = "v".repeat(10_000);
    for (name, spec) in [
        (
            "swagger2-title",
            format!("swagger: \"2.0\"\ninfo: {{ title: \"{title}\\n\", version: \"{version}\" }}\npaths: {{}}\n"),
        ),
        (
            "openapi31-title",
            format!("openapi: 3.1.0\ninfo: {{ title: \"{title}\", version: \"{version}\" }}\npaths: {{}}\n"),
        ),
    ] {
        let generated = generate(name, "api.yaml", &spec);
        let cargo = &generated.files["Cargo.toml"];
        let description = cargo.lines().find(|l| l.starts_with("description = ")).unwrap();
        assert!(description.chars().count() < 200, "{name}: {description}");
        assert!(description.contains('…'), "{name}");
        for (path, text) in &generated.files {
            let longest = text.lines().map(str::len).max().unwrap_or(0);
            assert!(longest < 1_000, "{name}: {path} has a line of {longest} bytes");
        }
    }
}

#[test]
fn readme_examples_pass_a_value_for_every_required_argument() {
    let swagger = r##"swagger: "2.0"
info: { title: t, version: "1" }
host: example.test
paths:
  /servers/{name}/policies/{policy}:
    put:
      operationId: putPolicy
      parameters:
        - { name: name, in: path, required: true, type: string }
        - { name: policy, in: path, required: true, type: string, enum: [default, custom] }
        - { name: since, in: query, required: true, type: string, format: date-time }
        - { name: id, in: header, required: true, type: string, format: uuid }
        - { name: tags, in: query, required: true, type: array, items: { type: string } }
        - { name: page, in: query, required: true, type: integer, minimum: 1 }
        - { name: body, in: body, required: true, schema: { $ref: "#/definitions/Policy" } }
      responses:
        "200": { description: ok, schema: { $ref: "#/definitions/Policy" } }
definitions:
  Policy:
    type: object
    required: [kind, limits, owner]
    properties:
      kind: { type: string, enum: [Default, Proxy] }
      limits: { type: object, required: [max], properties: { max: { type: integer } } }
      owner: { $ref: "#/definitions/Owner" }
      note: { type: string }
  Owner:
    type: object
    required: [name]
    properties:
      name: { type: string }
"##;
    let generated = generate("swagger2-readme", "api.yaml", swagger);
    let readme = &generated.files["README.md"];
    assert!(!readme.contains("Default::default()"), "{readme}");
    for expected in [
        "client.put_policy(",
        "\"name\",",
        "types::PutPolicyPolicy::Default,",
        "chrono::DateTime::<chrono::Utc>::default(),",
        "uuid::Uuid::nil(),",
        "Vec::new(),",
        "        1,\n",
        "types::Policy { kind: types::PolicyKind::Default, limits: types::PolicyLimits { max: 0 }, owner: types::Owner { name: \"name\".to_owned() }, note: None },",
        "use spec_text::types;",
    ] {
        assert!(readme.contains(expected), "no {expected:?} in\n{readme}");
    }
}

#[test]
fn readme_skips_operations_whose_arguments_have_no_finite_value() {
    // `Loop` requires itself by value: no value of it can be written, so the README calls the other operation.
    let spec = r##"openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /loop:
    get:
      operationId: getLoop
      parameters:
        - { name: filter, in: query, required: true, schema: { $ref: "#/components/schemas/Loop" } }
      responses: { "204": { description: ok } }
  /plain:
    post:
      operationId: postPlain
      parameters:
        - { name: kind, in: query, required: true, schema: { type: string, enum: [a, b] } }
      responses: { "204": { description: ok } }
components:
  schemas:
    Loop:
      type: object
      required: [next]
      properties:
        next: { $ref: "#/components/schemas/Loop" }
"##;
    let generated = generate("readme-loop", "api.yaml", spec);
    let readme = &generated.files["README.md"];
    assert!(readme.contains("client.post_plain(types::PostPlainKind::A)"), "{readme}");
    assert!(!readme.contains("get_loop("), "{readme}");
}

#[test]
fn deep_type_chains_raise_the_recursion_limit() {
    // Object schemas each holding the next (OpenAPI 3.1): at 64 deep, rustc's default limit of 128 is too low.
    let chain = |depth: usize| {
        let schemas: String = (0..depth)
            .map(|i| {
                if i + 1 == depth {
                    format!("    C{i}: {{ type: object, properties: {{ leaf: {{ type: string }} }} }}\n")
                } else {
                    let next = format!("next: {{ $ref: \"#/components/schemas/C{}\" }}", i + 1);
                    format!("    C{i}: {{ type: object, properties: {{ name: {{ type: string }}, {next} }} }}\n")
                }
            })
            .collect::<String>();
        format!(
            "openapi: 3.1.0\ninfo: {{ title: t, version: \"1\" }}\npaths:\n  /x:\n    get:\n      responses: {{ \"200\": {{ description: ok, content: {{ application/json: {{ schema: {{ type: array, items: {{ $ref: \"#/components/schemas/C0\" }} }} }} }} }} }}\ncomponents:\n  schemas:\n{schemas}"
        )
    };
    let depth = 150;
    let spec = chain(depth);
    let generated = generate("deep-chain", "api.yaml", &spec);
    let lib = &generated.files["src/lib.rs"];
    let limit: usize = lib
        .split("#![recursion_limit = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no recursion_limit in\n{lib}"));
    assert!(limit >= 2 * depth, "{limit}");
    // The single-file module cannot carry a crate attribute: it says what the including crate needs.
    assert!(generated.module.contains(&format!("`#![recursion_limit = \"{limit}\"]`")), "{}", &generated.module[..400]);
    // So do the README's examples and the example program, which hold the types in async fns of their own crates.
    let attribute = format!("#![recursion_limit = \"{limit}\"]");
    assert_eq!(generated.files["README.md"].matches(&attribute).count(), 5, "{}", generated.files["README.md"]);
    assert!(generated.files["examples/list.rs"].contains(&attribute), "{}", generated.files["examples/list.rs"]);
    // A shallow spec keeps rustc's default.
    let shallow = generate("shallow-chain", "api.yaml", &chain(10));
    assert!(!shallow.files["src/lib.rs"].contains("recursion_limit"));
}
