//! Checks the OpenAPI documents under `specs/`.
//!
//! For each vendor the test names the operation, servers, security scheme, every documented
//! parameter with its constraints, every documented response field and enum value, every
//! documented error status with its body fields, and the `x-pagination` / `x-error-when`
//! extensions, so that a spec cannot silently lose any of them. Every example in every spec is
//! checked against its schema (types, formats, enums, required and unknown fields). The verbatim
//! copy of GMI Cloud's own document is compared byte for byte with the vendor documentation.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

// ---------------------------------------------------------------------------------------------
// Loading and `$ref` resolution
// ---------------------------------------------------------------------------------------------

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate lives in the workspace root").to_path_buf()
}

/// The hand-written specs, by file name under `specs/`.
const SPECS: &[&str] =
    &["nebulablock.yaml", "digitalocean.yaml", "rackspace.yaml", "gmicloud.yaml", "yandex-compute.yaml"];

/// The verbatim vendor document, relative to `specs/`.
const VENDOR_GMI: &str = "vendor/gmicloud.yaml";

struct Spec {
    name: String,
    root: Value,
}

impl Spec {
    fn load(name: &str) -> Spec {
        let path = repo_root().join("specs").join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read specs/{name}: {e}"));
        let root: Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("specs/{name} is not valid YAML/JSON-compatible: {e}"));
        Spec { name: name.to_string(), root }
    }

    /// Follows `$ref`s (only local `#/components/...` ones are allowed) until a non-reference.
    fn resolve<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(r) = v.get("$ref") else { return v };
            let r = r.as_str().unwrap_or_else(|| panic!("{}: $ref is not a string", self.name));
            assert!(
                r.starts_with("#/components/"),
                "{}: only local #/components/ refs are allowed, found {r}",
                self.name
            );
            v = self.root.pointer(&r[1..]).unwrap_or_else(|| panic!("{}: dangling $ref {r}", self.name));
        }
        panic!("{}: $ref chain too long", self.name)
    }

    fn at(&self, pointer: &str) -> &Value {
        self.root.pointer(pointer).unwrap_or_else(|| panic!("{}: nothing at {pointer}", self.name))
    }

    fn op(&self, path: &str, method: &str) -> &Value {
        let item = self
            .root
            .get("paths")
            .and_then(|p| p.get(path))
            .unwrap_or_else(|| panic!("{}: path {path} missing", self.name));
        item.get(method).unwrap_or_else(|| panic!("{}: {method} {path} missing", self.name))
    }

    fn param<'a>(&'a self, op: &'a Value, name: &str) -> &'a Value {
        let params = op
            .get("parameters")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("{}: operation has no parameters", self.name));
        let found: Vec<&Value> = params
            .iter()
            .map(|p| self.resolve(p))
            .filter(|p| p.get("name").and_then(Value::as_str) == Some(name))
            .collect();
        assert_eq!(found.len(), 1, "{}: parameter {name} must appear exactly once", self.name);
        found[0]
    }

    fn param_names(&self, op: &Value) -> BTreeSet<String> {
        op.get("parameters")
            .and_then(Value::as_array)
            .map(|ps| ps.iter().map(|p| self.resolve(p)["name"].as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    }

    fn response<'a>(&'a self, op: &'a Value, status: &str) -> &'a Value {
        let r = op
            .get("responses")
            .and_then(|r| r.get(status))
            .unwrap_or_else(|| panic!("{}: response {status} missing", self.name));
        self.resolve(r)
    }

    fn json_media<'a>(&'a self, op: &'a Value, status: &str) -> &'a Value {
        self.response(op, status)
            .get("content")
            .and_then(|c| c.get("application/json"))
            .unwrap_or_else(|| panic!("{}: response {status} has no application/json", self.name))
    }

    fn response_schema<'a>(&'a self, op: &'a Value, status: &str) -> &'a Value {
        let media = self.json_media(op, status);
        let schema = media.get("schema").unwrap_or_else(|| panic!("{}: response {status} has no schema", self.name));
        self.resolve(schema)
    }

    /// Names of the named examples of a response (the `examples:` map of its JSON media type).
    fn example_names(&self, op: &Value, status: &str) -> Vec<String> {
        self.json_media(op, status)
            .get("examples")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// All properties of an object schema, following `$ref` and merging `allOf`.
    fn properties(&self, schema: &Value) -> Map<String, Value> {
        let schema = self.resolve(schema);
        let mut out = Map::new();
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                out.extend(self.properties(s));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            out.extend(props.clone());
        }
        out
    }

    /// The required list of an object schema, following `$ref` and merging `allOf`.
    fn required(&self, schema: &Value) -> BTreeSet<String> {
        let schema = self.resolve(schema);
        let mut out = BTreeSet::new();
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                out.extend(self.required(s));
            }
        }
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            out.extend(req.iter().map(|v| v.as_str().unwrap().to_string()));
        }
        out
    }

    /// The (resolved) schema of one property.
    fn prop(&self, schema: &Value, name: &str) -> Value {
        let props = self.properties(schema);
        let p = props.get(name).unwrap_or_else(|| panic!("{}: property {name} missing", self.name));
        self.resolve(p).clone()
    }

    /// The (resolved) schema at a dotted path of properties; `[]` steps into array items and
    /// `{}` into map values.
    fn schema_at(&self, schema: &Value, path: &str) -> Value {
        let mut cur = self.resolve(schema).clone();
        for seg in path.split('.') {
            cur = match seg {
                "[]" => self.resolve(cur.get("items").expect("not an array schema")).clone(),
                "{}" => self.resolve(cur.get("additionalProperties").expect("not a map schema")).clone(),
                name => self.prop(&cur, name),
            };
        }
        cur
    }

    fn assert_fields(&self, schema: &Value, what: &str, expected: &[&str]) {
        let got: BTreeSet<String> = self.properties(schema).keys().cloned().collect();
        let want: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "{}: fields of {what}", self.name);
    }

    fn assert_required(&self, schema: &Value, what: &str, expected: &[&str]) {
        let want: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(self.required(schema), want, "{}: required fields of {what}", self.name);
    }

    fn assert_enum(&self, schema: &Value, what: &str, expected: &[&str]) {
        let schema = self.resolve(schema);
        let got: Vec<&str> = schema
            .get("enum")
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("{}: {what} has no enum", self.name))
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(got, expected, "{}: enum of {what}", self.name);
    }

    /// Asserts that every keyword of `expected` is present with that value in `schema`.
    fn assert_keywords(&self, schema: &Value, what: &str, expected: Value) {
        let schema = self.resolve(schema);
        for (k, v) in expected.as_object().unwrap() {
            assert_eq!(schema.get(k), Some(v), "{}: `{k}` of {what}", self.name);
        }
    }

    fn assert_param(&self, op: &Value, name: &str, location: &str, required: bool, schema: Value) {
        let p = self.param(op, name);
        assert_eq!(p["in"], json!(location), "{}: `in` of parameter {name}", self.name);
        assert_eq!(
            p.get("required").and_then(Value::as_bool).unwrap_or(false),
            required,
            "{}: `required` of parameter {name}",
            self.name
        );
        assert!(
            p.get("description").and_then(Value::as_str).is_some_and(|d| !d.is_empty()),
            "{}: parameter {name} needs a description",
            self.name
        );
        self.assert_keywords(&p["schema"], &format!("parameter {name}"), schema);
    }

    fn assert_ok_response(&self, op: &Value, status: &str, schema_name: &str) {
        let media = self.json_media(op, status);
        assert_eq!(
            media["schema"]["$ref"],
            json!(format!("#/components/schemas/{schema_name}")),
            "{}: schema of response {status}",
            self.name
        );
    }
}

fn components_schema(spec: &Spec, name: &str) -> Value {
    spec.at(&format!("/components/schemas/{name}")).clone()
}

// ---------------------------------------------------------------------------------------------
// A small JSON-schema checker for the examples (OpenAPI 3.0 subset used by the specs)
// ---------------------------------------------------------------------------------------------

fn check(spec: &Spec, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = spec.resolve(schema);
    if value.is_null() {
        if schema.get("nullable") != Some(&json!(true)) {
            errors.push(format!("{at}: null but the schema is not nullable"));
        }
        return;
    }
    if let Some(alts) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = alts
            .iter()
            .filter(|alt| {
                let mut e = Vec::new();
                check(spec, alt, value, at, &mut e);
                e.is_empty()
            })
            .count();
        if matching != 1 {
            errors.push(format!("{at}: matches {matching} oneOf alternatives, not exactly one"));
        }
        return;
    }
    if let Some(alts) = schema.get("anyOf").and_then(Value::as_array) {
        let any = alts.iter().any(|alt| {
            let mut e = Vec::new();
            check(spec, alt, value, at, &mut e);
            e.is_empty()
        });
        if !any {
            errors.push(format!("{at}: matches no anyOf alternative"));
        }
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    let ty = schema
        .get("type")
        .and_then(Value::as_str)
        .or_else(|| (schema.get("properties").is_some() || schema.get("allOf").is_some()).then_some("object"));
    match ty {
        Some("string") => {
            let Some(s) = value.as_str() else {
                errors.push(format!("{at}: expected a string, got {value}"));
                return;
            };
            let len = s.chars().count() as u64;
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                if len > max {
                    errors.push(format!("{at}: longer than {max}"));
                }
            }
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
                if len < min {
                    errors.push(format!("{at}: shorter than {min}"));
                }
            }
            match schema.get("format").and_then(Value::as_str) {
                Some("int64") if s.parse::<i64>().is_err() => {
                    errors.push(format!("{at}: {s:?} is not an int64 string"))
                }
                Some("date-time") if chrono::DateTime::parse_from_rfc3339(s).is_err() => {
                    errors.push(format!("{at}: {s:?} is not an RFC 3339 date-time"))
                }
                Some("uuid") if uuid::Uuid::parse_str(s).is_err() => errors.push(format!("{at}: {s:?} is not a UUID")),
                Some("uri") if !(s.starts_with("https://") || s.starts_with("http://")) => {
                    errors.push(format!("{at}: {s:?} is not an absolute http(s) URI"))
                }
                Some("uri-reference") if s.contains(char::is_whitespace) => {
                    errors.push(format!("{at}: {s:?} is not a URI reference"))
                }
                _ => {}
            }
        }
        Some("integer") => {
            let n = value.as_i64();
            if n.is_none() {
                errors.push(format!("{at}: expected an integer, got {value}"));
                return;
            }
            let n = n.unwrap();
            if schema.get("format") == Some(&json!("int32")) && i32::try_from(n).is_err() {
                errors.push(format!("{at}: {n} does not fit int32"));
            }
            if let Some(min) = schema.get("minimum").and_then(Value::as_i64) {
                if n < min {
                    errors.push(format!("{at}: {n} < minimum {min}"));
                }
            }
            if let Some(max) = schema.get("maximum").and_then(Value::as_i64) {
                if n > max {
                    errors.push(format!("{at}: {n} > maximum {max}"));
                }
            }
        }
        Some(t @ ("number" | "boolean")) => {
            let ok = if t == "number" { value.is_number() } else { value.is_boolean() };
            if !ok {
                errors.push(format!("{at}: expected a {t}, got {value}"));
            }
        }
        Some("array") => {
            let Some(items) = value.as_array() else {
                errors.push(format!("{at}: expected an array, got {value}"));
                return;
            };
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                if (items.len() as u64) < min {
                    errors.push(format!("{at}: fewer than {min} items"));
                }
            }
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                if (items.len() as u64) > max {
                    errors.push(format!("{at}: more than {max} items"));
                }
            }
            let item_schema = schema.get("items").expect("array schema without items");
            for (i, item) in items.iter().enumerate() {
                check(spec, item_schema, item, &format!("{at}[{i}]"), errors);
            }
        }
        Some("object") => {
            let Some(obj) = value.as_object() else {
                errors.push(format!("{at}: expected an object, got {value}"));
                return;
            };
            if let Some(min) = schema.get("minProperties").and_then(Value::as_u64) {
                if (obj.len() as u64) < min {
                    errors.push(format!("{at}: fewer than {min} entries"));
                }
            }
            if let Some(max) = schema.get("maxProperties").and_then(Value::as_u64) {
                if (obj.len() as u64) > max {
                    errors.push(format!("{at}: more than {max} entries"));
                }
            }
            let props = spec.properties(schema);
            for req in spec.required(schema) {
                if !obj.contains_key(&req) {
                    errors.push(format!("{at}: required field {req} missing"));
                }
            }
            for (k, v) in obj {
                let here = format!("{at}.{k}");
                if let Some(p) = props.get(k) {
                    check(spec, p, v, &here, errors);
                    continue;
                }
                match schema.get("additionalProperties") {
                    Some(Value::Bool(true)) => {}
                    Some(extra @ Value::Object(_)) => check(spec, extra, v, &here, errors),
                    _ => errors.push(format!("{here}: field not declared by the schema")),
                }
            }
        }
        Some(other) => errors.push(format!("{at}: unsupported schema type {other}")),
        None => {}
    }
}

/// Every example of a spec with the schema it must satisfy: response examples, parameter
/// examples and examples on schemas.
fn examples_of(spec: &Spec) -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    fn walk_schema(schema: &Value, at: &str, out: &mut Vec<(String, Value, Value)>) {
        if schema.get("$ref").is_some() {
            return;
        }
        if let Some(ex) = schema.get("example") {
            out.push((format!("{at} (example)"), schema.clone(), ex.clone()));
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, p) in props {
                walk_schema(p, &format!("{at}.{k}"), out);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(s @ Value::Object(_)) = schema.get(key) {
                walk_schema(s, &format!("{at}.{key}"), out);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(alts) = schema.get(key).and_then(Value::as_array) {
                for (i, s) in alts.iter().enumerate() {
                    walk_schema(s, &format!("{at}.{key}[{i}]"), out);
                }
            }
        }
    }
    fn media_examples(at: &str, media: &Value, out: &mut Vec<(String, Value, Value)>) {
        let Some(schema) = media.get("schema") else {
            return;
        };
        if let Some(ex) = media.get("example") {
            out.push((format!("{at} example"), schema.clone(), ex.clone()));
        }
        if let Some(exs) = media.get("examples").and_then(Value::as_object) {
            for (name, ex) in exs {
                let value = ex.get("value").unwrap_or_else(|| panic!("{at} example {name} has no value"));
                out.push((format!("{at} example {name}"), schema.clone(), value.clone()));
            }
        }
    }
    if let Some(schemas) = spec.root.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in schemas {
            walk_schema(s, &format!("#/components/schemas/{name}"), &mut out);
        }
    }
    if let Some(responses) = spec.root.pointer("/components/responses").and_then(Value::as_object) {
        for (name, r) in responses {
            if let Some(content) = r.get("content").and_then(Value::as_object) {
                for (mt, media) in content {
                    media_examples(&format!("#/components/responses/{name} {mt}"), media, &mut out);
                }
            }
        }
    }
    for (path, item) in spec.root["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            if let Some(params) = op.get("parameters").and_then(Value::as_array) {
                for p in params {
                    let p = spec.resolve(p);
                    if let (Some(ex), Some(schema)) = (p.get("example"), p.get("schema")) {
                        let at = format!("{at} parameter {}", p["name"]);
                        out.push((at, schema.clone(), ex.clone()));
                    }
                }
            }
            if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                for (status, r) in responses {
                    if r.get("$ref").is_some() {
                        continue; // checked once under components/responses
                    }
                    if let Some(content) = r.get("content").and_then(Value::as_object) {
                        for (mt, media) in content {
                            media_examples(&format!("{at} {status} {mt}"), media, &mut out);
                        }
                    }
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Conventions shared by every spec
// ---------------------------------------------------------------------------------------------

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    out.push(x.as_str().unwrap_or_default().to_string());
                } else {
                    collect_refs(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_spec_follows_the_conventions() {
    for name in SPECS {
        let spec = Spec::load(name);
        let root = &spec.root;
        assert_eq!(root["openapi"], json!("3.0.3"), "{name}: openapi version");
        for key in ["title", "version", "description"] {
            assert!(root["info"][key].is_string(), "{name}: info.{key}");
        }
        assert!(root["servers"].as_array().is_some_and(|s| !s.is_empty()), "{name}: servers");
        let schemes = root["components"]["securitySchemes"].as_object().expect("securitySchemes");
        let security = root["security"].as_array().expect("top-level security");
        assert!(!security.is_empty(), "{name}: security");
        for requirement in security {
            for scheme in requirement.as_object().unwrap().keys() {
                assert!(schemes.contains_key(scheme), "{name}: security names unknown {scheme}");
            }
        }
        let tags: BTreeSet<&str> =
            root["tags"].as_array().expect("top-level tags").iter().map(|t| t["name"].as_str().unwrap()).collect();
        for (path, item) in root["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let at = format!("{name}: {method} {path}");
                assert_eq!(op["operationId"], json!("listImages"), "{at}: operationId");
                for key in ["summary", "description"] {
                    assert!(op[key].as_str().is_some_and(|s| !s.is_empty()), "{at}: {key}");
                }
                let op_tags = op["tags"].as_array().expect("operation tags");
                assert!(!op_tags.is_empty(), "{at}: tags");
                for t in op_tags {
                    assert!(tags.contains(t.as_str().unwrap()), "{at}: undeclared tag {t}");
                }
                for (status, r) in op["responses"].as_object().unwrap() {
                    let r = spec.resolve(r);
                    assert!(r["description"].is_string(), "{at} {status}: description");
                    if let Some(media) = r.pointer("/content/application~1json") {
                        let schema_ref = media["schema"]["$ref"].as_str().unwrap_or_default();
                        assert!(
                            schema_ref.starts_with("#/components/schemas/"),
                            "{at} {status}: the body schema must be a $ref to components/schemas"
                        );
                        assert!(
                            media.get("example").is_none(),
                            "{at} {status}: use the named `examples:` map, not `example`"
                        );
                    }
                }
            }
        }
        let mut refs = Vec::new();
        collect_refs(root, &mut refs);
        for r in refs {
            assert!(r.starts_with("#/components/"), "{name}: non-local $ref {r}");
            assert!(root.pointer(&r[1..]).is_some(), "{name}: dangling $ref {r}");
        }
        let text = std::fs::read_to_string(repo_root().join("specs").join(name)).unwrap();
        // The folder this checkout sits in (where `../shared` lives), and the usual places of other machines' files.
        let checkout_parent = format!("{}/", repo_root().parent().unwrap().display());
        for needle in [checkout_parent.as_str(), "/home/", "/tmp/", "vendor-docs", "C:\\"] {
            assert!(!text.contains(needle), "{name}: mentions a machine path ({needle})");
        }
    }
}

#[test]
fn every_example_matches_its_schema() {
    let mut names: Vec<&str> = SPECS.to_vec();
    names.push(VENDOR_GMI);
    let mut failures = Vec::new();
    let mut count = 0;
    for name in names {
        let spec = Spec::load(name);
        for (at, schema, value) in examples_of(&spec) {
            count += 1;
            let mut errors = Vec::new();
            check(&spec, &schema, &value, "$", &mut errors);
            for e in errors {
                failures.push(format!("{name}: {at}: {e}"));
            }
        }
    }
    assert!(count > 20, "only {count} examples found");
    assert!(failures.is_empty(), "examples that do not match their schema:\n{}", failures.join("\n"));
}

#[test]
fn the_example_checker_rejects_bad_values() {
    let spec = Spec::load("yandex-compute.yaml");
    let image = components_schema(&spec, "Image");
    let mut errors = Vec::new();
    let bad = json!({
        "id": "a", "folderId": "b", "createdAt": "yesterday",
        "storageSize": 42, "status": "GONE", "surprise": true
    });
    check(&spec, &image, &bad, "$", &mut errors);
    assert_eq!(errors.len(), 4, "{errors:#?}");
    let mut errors = Vec::new();
    check(&spec, &image, &json!({"id": "a"}), "$", &mut errors);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    // The name, description and labels limits: an empty name, a 64-character name, a
    // 257-character description and 65 labels are each one error; the limits themselves are fine.
    let labels = |n: usize| -> Map<String, Value> { (0..n).map(|i| (format!("k{i}"), json!("v"))).collect() };
    let image_with = |name: String, description: String, labels: Map<String, Value>| {
        json!({
            "id": "a", "folderId": "b", "createdAt": "2024-05-14T10:21:37Z",
            "name": name, "description": description, "labels": labels
        })
    };
    let mut errors = Vec::new();
    check(&spec, &image, &image_with("n".repeat(63), "d".repeat(256), labels(64)), "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    for bad in [
        image_with(String::new(), String::new(), labels(0)),
        image_with("n".repeat(64), String::new(), labels(0)),
        image_with("n".into(), "d".repeat(257), labels(0)),
        image_with("n".into(), String::new(), labels(65)),
    ] {
        let mut errors = Vec::new();
        check(&spec, &image, &bad, "$", &mut errors);
        assert_eq!(errors.len(), 1, "{errors:#?}");
    }
}

// ---------------------------------------------------------------------------------------------
// NebulaBlock
// ---------------------------------------------------------------------------------------------

#[test]
fn nebulablock_spec() {
    let spec = Spec::load("nebulablock.yaml");
    assert_eq!(spec.at("/servers/0/url"), &json!("https://api.nebulablock.com/api/v1"));
    spec.assert_keywords(
        spec.at("/components/securitySchemes/bearerAuth"),
        "bearerAuth",
        json!({"type": "http", "scheme": "bearer"}),
    );
    assert_eq!(spec.at("/security"), &json!([{"bearerAuth": []}]));

    let op = spec.op("/computing/images", "get");
    assert_eq!(op["operationId"], json!("listImages"));
    assert!(spec.param_names(op).is_empty(), "the documented request has no parameters");
    assert!(op.get("x-pagination").is_none(), "NebulaBlock does not paginate");

    // 200: the {data, message, status} envelope, `status: failed` is an error.
    spec.assert_ok_response(op, "200", "ListImagesResponse");
    assert_eq!(
        spec.response(op, "200")["x-error-when"],
        json!({"property": "status", "equals": ["failed"], "message": "message"})
    );
    let body = spec.response_schema(op, "200");
    spec.assert_fields(body, "ListImagesResponse", &["data", "message", "status"]);
    spec.assert_required(body, "ListImagesResponse", &["message", "status"]);
    spec.assert_enum(&spec.prop(body, "status"), "status", &["success", "failed"]);
    let data = spec.prop(body, "data");
    spec.assert_keywords(&data, "data", json!({"type": "object", "nullable": true}));
    let per_region = spec.resolve(&data["additionalProperties"]);
    assert_eq!(per_region["type"], json!("array"), "data is a map of region name -> array");
    let image = spec.resolve(&per_region["items"]).clone();
    assert_eq!(image, components_schema(&spec, "Image"));

    spec.assert_fields(&image, "Image", &["id", "dc_id", "dc_region_id", "os_id", "os_name", "os_type", "region"]);
    // dc_region_id and os_id appear in only one revision of the docs: optional.
    spec.assert_required(&image, "Image", &["id", "dc_id", "os_name", "os_type", "region"]);
    // id: a number in one revision, a string in the other.
    let id = spec.prop(&image, "id");
    let alternatives: BTreeSet<String> = id["oneOf"]
        .as_array()
        .expect("id is integer-or-string")
        .iter()
        .map(|s| spec.resolve(s)["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(alternatives, BTreeSet::from(["integer".into(), "string".into()]));
    spec.assert_keywords(&spec.prop(&image, "dc_id"), "dc_id", json!({"type": "integer"}));
    for f in ["dc_region_id", "os_id", "os_name", "os_type", "region"] {
        spec.assert_keywords(&spec.prop(&image, f), f, json!({"type": "string"}));
    }

    // Both revisions' example responses are carried.
    let examples = spec.example_names(op, "200");
    for name in ["numeric_ids", "string_ids"] {
        assert!(examples.iter().any(|e| e == name), "200 example {name} missing");
    }
    let numeric =
        spec.at("/paths/~1computing~1images/get/responses/200/content/application~1json/examples/numeric_ids/value");
    assert_eq!(numeric["data"]["CANADA"].as_array().unwrap().len(), 14);
    assert_eq!(numeric["data"]["NORWAY"].as_array().unwrap().len(), 11);
    assert_eq!(numeric["data"]["CANADA"][1]["id"], json!(42654));
    let strings =
        spec.at("/paths/~1computing~1images/get/responses/200/content/application~1json/examples/string_ids/value");
    assert_eq!(strings["data"]["NORWAY"][0]["id"], json!("exos60da1d80-a58b-4ff3-8a33-b566b65f3e6e"));

    // Error envelope for non-2xx answers.
    let err = spec.response_schema(op, "default");
    spec.assert_fields(err, "ErrorResponse", &["message", "status"]);
}

// ---------------------------------------------------------------------------------------------
// DigitalOcean
// ---------------------------------------------------------------------------------------------

#[test]
fn digitalocean_spec() {
    let spec = Spec::load("digitalocean.yaml");
    assert_eq!(spec.at("/servers/0/url"), &json!("https://api.digitalocean.com"));
    spec.assert_keywords(
        spec.at("/components/securitySchemes/bearerAuth"),
        "bearerAuth",
        json!({"type": "http", "scheme": "bearer"}),
    );
    assert_eq!(spec.at("/security"), &json!([{"bearerAuth": []}]));

    let op = spec.op("/v2/images", "get");
    assert_eq!(op["operationId"], json!("listImages"));
    assert_eq!(
        spec.param_names(op),
        ["type", "private", "tag_name", "page", "per_page"].iter().map(|s| s.to_string()).collect()
    );
    spec.assert_param(op, "type", "query", false, json!({"type": "string"}));
    spec.assert_enum(&spec.param(op, "type")["schema"], "type parameter", &["application", "distribution"]);
    spec.assert_param(op, "private", "query", false, json!({"type": "boolean"}));
    spec.assert_param(op, "tag_name", "query", false, json!({"type": "string"}));
    spec.assert_param(
        op,
        "page",
        "query",
        false,
        json!({"type": "integer", "format": "int64", "minimum": 1, "default": 1}),
    );
    spec.assert_param(
        op,
        "per_page",
        "query",
        false,
        json!({"type": "integer", "format": "int64", "minimum": 1, "maximum": 200, "default": 20}),
    );

    assert_eq!(
        op["x-pagination"],
        json!({"style": "page-number", "items": "images", "next": "links.pages.next", "page-param": "page"})
    );

    spec.assert_ok_response(op, "200", "ListImagesResponse");
    let body = spec.response_schema(op, "200");
    spec.assert_fields(body, "ListImagesResponse", &["images", "links", "meta"]);
    spec.assert_required(body, "ListImagesResponse", &["images", "meta"]);
    let pages = spec.schema_at(body, "links.pages");
    spec.assert_fields(&pages, "links.pages", &["first", "prev", "next", "last"]);
    for link in ["first", "prev", "next", "last"] {
        spec.assert_keywords(&spec.prop(&pages, link), link, json!({"type": "string", "format": "uri"}));
    }
    spec.assert_keywords(&spec.schema_at(body, "meta.total"), "meta.total", json!({"type": "integer"}));

    let image = spec.schema_at(body, "images.[]");
    assert_eq!(image, components_schema(&spec, "Image"));
    spec.assert_fields(
        &image,
        "Image",
        &[
            "id",
            "name",
            "type",
            "distribution",
            "slug",
            "public",
            "regions",
            "created_at",
            "min_disk_size",
            "size_gigabytes",
            "description",
            "tags",
            "status",
            "error_message",
        ],
    );
    let kw = |f: &str, v: Value| spec.assert_keywords(&spec.prop(&image, f), f, v);
    kw("id", json!({"type": "integer", "format": "int64"}));
    kw("name", json!({"type": "string"}));
    kw("slug", json!({"type": "string", "nullable": true}));
    kw("public", json!({"type": "boolean"}));
    kw("created_at", json!({"type": "string", "format": "date-time"}));
    kw("min_disk_size", json!({"type": "integer", "format": "int64", "minimum": 0}));
    kw("size_gigabytes", json!({"type": "number", "format": "float"}));
    kw("description", json!({"type": "string"}));
    kw("tags", json!({"type": "array"}));
    spec.assert_keywords(&spec.schema_at(&image, "tags.[]"), "tags[]", json!({"type": "string"}));
    kw("error_message", json!({"type": "string"}));
    kw("regions", json!({"type": "array"}));
    spec.assert_enum(&spec.prop(&image, "type"), "type", &["base", "snapshot", "backup", "custom", "admin"]);
    spec.assert_enum(
        &spec.prop(&image, "distribution"),
        "distribution",
        &[
            "Arch Linux",
            "CentOS",
            "CoreOS",
            "Debian",
            "Fedora",
            "Fedora Atomic",
            "FreeBSD",
            "Gentoo",
            "openSUSE",
            "RancherOS",
            "Rocky Linux",
            "Ubuntu",
            "Unknown",
        ],
    );
    spec.assert_enum(
        &spec.schema_at(&image, "regions.[]"),
        "regions",
        &[
            "ams1", "ams2", "ams3", "blr1", "fra1", "lon1", "nyc1", "nyc2", "nyc3", "sfo1", "sfo2", "sfo3", "sgp1",
            "tor1", "syd1",
        ],
    );
    spec.assert_enum(&spec.prop(&image, "status"), "status", &["NEW", "available", "pending", "deleted", "retired"]);

    assert!(!spec.example_names(op, "200").is_empty(), "the documented 200 body needs an example");
    let ex = spec.at("/paths/~1v2~1images/get/responses/200/content/application~1json/examples/all_images/value");
    assert_eq!(ex["images"].as_array().unwrap().len(), 6);
    assert_eq!(ex["meta"]["total"], json!(6));

    for status in ["401", "429", "500", "default"] {
        spec.assert_ok_response(op, status, "Error");
        let err = spec.response_schema(op, status);
        spec.assert_fields(err, "Error", &["id", "message", "request_id"]);
        spec.assert_required(err, "Error", &["id", "message"]);
        assert!(!spec.example_names(op, status).is_empty(), "{status} needs an example");
    }
}

// ---------------------------------------------------------------------------------------------
// Rackspace Cloud Images (OpenStack Glance v2)
// ---------------------------------------------------------------------------------------------

#[test]
fn rackspace_spec() {
    let spec = Spec::load("rackspace.yaml");
    assert_eq!(spec.at("/servers/0/url"), &json!("https://{region}.images.api.rackspacecloud.com/v2"));
    let region = spec.at("/servers/0/variables/region");
    assert_eq!(region["enum"], json!(["dfw", "ord", "iad", "lon", "syd", "hkg"]));
    assert_eq!(region["default"], json!("dfw"));
    spec.assert_keywords(
        spec.at("/components/securitySchemes/authToken"),
        "authToken",
        json!({"type": "apiKey", "in": "header", "name": "X-Auth-Token"}),
    );
    assert_eq!(spec.at("/security"), &json!([{"authToken": []}]));

    let op = spec.op("/images", "get");
    assert_eq!(op["operationId"], json!("listImages"));
    assert_eq!(
        spec.param_names(op),
        ["limit", "marker", "name", "visibility", "owner", "size_min", "size_max", "sort_key", "sort_dir",]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    spec.assert_param(op, "limit", "query", false, json!({"type": "integer", "minimum": 0}));
    spec.assert_param(op, "marker", "query", false, json!({"type": "string"}));
    spec.assert_param(op, "name", "query", false, json!({"type": "string"}));
    spec.assert_param(op, "visibility", "query", false, json!({"type": "string"}));
    spec.assert_enum(&spec.param(op, "visibility")["schema"], "visibility parameter", &["public", "private", "shared"]);
    spec.assert_param(op, "owner", "query", false, json!({"type": "string"}));
    for p in ["size_min", "size_max"] {
        spec.assert_param(op, p, "query", false, json!({"type": "integer", "format": "int64", "minimum": 0}));
    }
    spec.assert_param(op, "sort_key", "query", false, json!({"type": "string"}));
    spec.assert_param(op, "sort_dir", "query", false, json!({"type": "string"}));
    spec.assert_enum(&spec.param(op, "sort_dir")["schema"], "sort_dir", &["asc", "desc"]);

    assert_eq!(
        op["x-pagination"],
        json!({"style": "marker", "items": "images", "next": "next", "marker-param": "marker", "item-id": "id"})
    );

    spec.assert_ok_response(op, "200", "ListImagesResponse");
    let body = spec.response_schema(op, "200");
    spec.assert_fields(body, "ListImagesResponse", &["images", "first", "next", "last", "schema"]);
    spec.assert_required(body, "ListImagesResponse", &["images"]);
    for f in ["first", "next", "last", "schema"] {
        spec.assert_keywords(&spec.prop(body, f), f, json!({"type": "string"}));
    }
    let image = spec.schema_at(body, "images.[]");
    assert_eq!(image, components_schema(&spec, "Image"));
    spec.assert_fields(&image, "Image", &["id", "name", "status", "visibility", "size", "checksum", "self", "file"]);
    spec.assert_required(&image, "Image", &["id", "status", "visibility", "self", "file"]);
    spec.assert_keywords(&spec.prop(&image, "id"), "id", json!({"type": "string", "format": "uuid"}));
    spec.assert_keywords(
        &spec.prop(&image, "size"),
        "size",
        json!({"type": "integer", "format": "int64", "nullable": true}),
    );
    for f in ["name", "status", "checksum", "self", "file"] {
        spec.assert_keywords(&spec.prop(&image, f), f, json!({"type": "string"}));
    }
    spec.assert_enum(&spec.prop(&image, "visibility"), "visibility", &["public", "private", "shared"]);

    assert!(!spec.example_names(op, "200").is_empty(), "the documented 200 body needs an example");

    for status in ["400", "401", "403", "405", "413", "415", "500", "503"] {
        spec.assert_ok_response(op, status, "ErrorResponse");
        let err = spec.response_schema(op, status);
        let fault = spec.resolve(&err["additionalProperties"]);
        spec.assert_fields(fault, "Fault", &["code", "title", "message", "details"]);
    }
    let documented: BTreeSet<String> = op["responses"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        documented,
        ["200", "400", "401", "403", "405", "413", "415", "500", "503"].iter().map(|s| s.to_string()).collect()
    );
}

// ---------------------------------------------------------------------------------------------
// GMI Cloud
// ---------------------------------------------------------------------------------------------

#[test]
fn gmicloud_spec() {
    let spec = Spec::load("gmicloud.yaml");
    assert_eq!(spec.at("/servers/0/url"), &json!("https://console.gmicloud.ai/api"));
    spec.assert_keywords(
        spec.at("/components/securitySchemes/bearerAuth"),
        "bearerAuth",
        json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}),
    );
    assert_eq!(spec.at("/security"), &json!([{"bearerAuth": []}]));

    let op = spec.op("/v1/images", "get");
    assert_eq!(op["operationId"], json!("listImages"));
    assert_eq!(spec.param_names(op), ["idc", "product"].iter().map(|s| s.to_string()).collect());
    spec.assert_param(
        op,
        "idc",
        "query",
        false,
        json!({"type": "string", "maxLength": 50, "pattern": "^[a-zA-Z0-9._-]+$"}),
    );
    spec.assert_param(
        op,
        "product",
        "query",
        false,
        json!({"type": "string", "maxLength": 256, "pattern": "^[a-zA-Z0-9._-]+$"}),
    );
    assert!(op.get("x-pagination").is_none(), "GMI Cloud does not paginate");

    spec.assert_ok_response(op, "200", "ImageList");
    let list = spec.response_schema(op, "200");
    assert_eq!(list["type"], json!("array"));
    let image = spec.resolve(&list["items"]).clone();
    assert_eq!(image, components_schema(&spec, "Image"));
    let fields = [
        "id",
        "type",
        "createdAt",
        "supportedProducts",
        "idc",
        "orgId",
        "path",
        "name",
        "OSSeries",
        "OSVersion",
        "OSArchitecture",
        "BootMode",
        "SystemDiskSize",
        "DefaultPartitionTable",
        "icon",
    ];
    spec.assert_fields(&image, "Image", &fields);
    spec.assert_required(&image, "Image", &fields);
    let kw = |f: &str, v: Value| spec.assert_keywords(&spec.prop(&image, f), f, v);
    kw("id", json!({"type": "string", "format": "uuid"}));
    kw("orgId", json!({"type": "string", "format": "uuid"}));
    kw("createdAt", json!({"type": "string", "format": "date-time"}));
    kw("icon", json!({"type": "string", "format": "uri"}));
    let idc_or_product = "^[a-zA-Z0-9._-]+$";
    let name = json!({
        "type": "string",
        "maxLength": 255,
        "pattern": "^([A-Za-z0-9][A-Za-z0-9_\\-. ]*)?[A-Za-z0-9]$"
    });
    kw("idc", json!({"type": "string", "maxLength": 50, "pattern": idc_or_product}));
    kw("name", name.clone());
    kw("DefaultPartitionTable", json!({"type": "array", "minItems": 1}));
    kw("supportedProducts", json!({"type": "array"}));
    spec.assert_keywords(
        &spec.schema_at(&image, "supportedProducts.[]"),
        "supportedProducts[]",
        json!({"type": "string", "maxLength": 256, "pattern": idc_or_product}),
    );
    for f in ["path", "OSSeries", "OSVersion", "OSArchitecture", "SystemDiskSize"] {
        kw(f, json!({"type": "string"}));
    }
    spec.assert_enum(&spec.prop(&image, "type"), "type", &["Public", "Customized"]);
    spec.assert_enum(&spec.prop(&image, "BootMode"), "BootMode", &["UEFI", "Legacy"]);
    let partition = spec.schema_at(&image, "DefaultPartitionTable.[]");
    spec.assert_fields(&partition, "Partition", &["name", "mountPoint", "size", "fileSystem"]);
    spec.assert_required(&partition, "Partition", &["name", "mountPoint", "size", "fileSystem"]);
    spec.assert_keywords(&spec.prop(&partition, "name"), "Partition.name", name);
    spec.assert_keywords(
        &spec.prop(&partition, "mountPoint"),
        "mountPoint",
        json!({"minLength": 1, "maxLength": 1024}),
    );
    spec.assert_keywords(&spec.prop(&partition, "size"), "size", json!({"minLength": 1, "maxLength": 256}));
    spec.assert_keywords(&spec.prop(&partition, "fileSystem"), "fileSystem", json!({"minLength": 1, "maxLength": 256}));

    // 401 has its own body; 500 and 503 share the short one.
    spec.assert_ok_response(op, "401", "ErrorStatusMessage");
    let unauthorized = spec.response_schema(op, "401");
    spec.assert_fields(unauthorized, "ErrorStatusMessage", &["code", "group", "message", "traces", "validationDetail"]);
    spec.assert_required(unauthorized, "ErrorStatusMessage", &["group", "code"]);
    // GMI's document names the header `WWW_Authenticate`; the hand-written spec uses the real name.
    let challenge = spec
        .response(op, "401")
        .pointer("/headers/WWW-Authenticate")
        .expect("the 401 response declares the WWW-Authenticate header");
    assert!(challenge["description"].as_str().is_some_and(|d| !d.is_empty()), "WWW-Authenticate needs a description");
    spec.assert_keywords(&challenge["schema"], "WWW-Authenticate", json!({"type": "string"}));
    let detail = spec.schema_at(unauthorized, "validationDetail.[]");
    spec.assert_fields(&detail, "ValidationDetail", &["argument", "expression", "field", "originalValue", "reason"]);
    // The schema-level examples of GMI's document are carried on the matching schemas.
    let vendor = Spec::load(VENDOR_GMI);
    for (hand, theirs) in [("ErrorStatusMessage", "errorStatusMessage"), ("ValidationDetail", "validationDetail")] {
        let example = &components_schema(&vendor, theirs)["example"];
        assert!(example.is_object(), "{VENDOR_GMI}: {theirs} has an example");
        assert_eq!(
            &components_schema(&spec, hand)["example"],
            example,
            "the example of {hand} is the vendor's {theirs} example"
        );
    }
    let mut names = spec.example_names(op, "401");
    names.sort();
    assert_eq!(names, ["expired_access_token", "invalid_access_token"]);
    for status in ["500", "503"] {
        spec.assert_ok_response(op, status, "Error");
        let err = spec.response_schema(op, status);
        spec.assert_fields(err, "Error", &["code", "reason"]);
        spec.assert_required(err, "Error", &["reason"]);
        assert!(!spec.example_names(op, status).is_empty(), "{status} needs its vendor example");
    }
}

#[test]
fn gmicloud_vendor_spec_is_the_vendor_document() {
    let spec = Spec::load(VENDOR_GMI);
    assert_eq!(spec.root["openapi"], json!("3.0.1"));
    let op = spec.op("/v1/images", "get");
    assert_eq!(op["operationId"], json!("listImages"));
    // The vendor's ImageResp composes the same fields the hand-written spec flattens.
    let image = spec.at("/components/schemas/ImageResp").clone();
    let hand = Spec::load("gmicloud.yaml");
    let hand_image = components_schema(&hand, "Image");
    assert_eq!(
        spec.properties(&image).keys().cloned().collect::<BTreeSet<_>>(),
        hand.properties(&hand_image).keys().cloned().collect::<BTreeSet<_>>(),
        "the hand-written Image must have exactly the vendor's ImageResp fields"
    );
    assert_eq!(spec.required(&image), hand.required(&hand_image));
}

/// The bytes between the opening ````` ````yaml ````` fence line and the closing ````` ```` `````
/// line of the vendor page.
fn yaml_block(markdown: &[u8]) -> &[u8] {
    let mut offset = 0;
    let mut start = None;
    for line in markdown.split_inclusive(|&b| b == b'\n') {
        let trimmed = line.strip_suffix(b"\n").unwrap_or(line);
        match start {
            None if trimmed.starts_with(b"````yaml") => start = Some(offset + line.len()),
            Some(s) if trimmed == b"````" => return &markdown[s..offset],
            _ => {}
        }
        offset += line.len();
    }
    panic!("no ````yaml ... ```` block in the vendor page")
}

#[test]
fn gmicloud_vendor_spec_is_byte_for_byte_the_vendor_yaml() {
    let docs = repo_root().join("..").join("shared").join("vendor-docs");
    let page = docs.join("gmicloud-list-images.md");
    if !docs.is_dir() {
        // Written to the raw stderr handle so that the notice shows even though the test harness
        // captures the output of passing tests.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED gmicloud_vendor_spec_is_byte_for_byte_the_vendor_yaml: the vendor documentation \
             folder ../shared/vendor-docs beside the repository is absent in this checkout, so \
             specs/{VENDOR_GMI} cannot be compared with it"
        );
        return;
    }
    let page = std::fs::read(&page).unwrap_or_else(|e| panic!("cannot read {}: {e}", page.display()));
    let expected = yaml_block(&page);
    let actual = std::fs::read(repo_root().join("specs").join(VENDOR_GMI)).expect("read vendor spec");
    assert!(!expected.is_empty());
    if actual != expected {
        let first_diff = actual.iter().zip(expected).position(|(a, b)| a != b);
        panic!(
            "specs/{VENDOR_GMI} differs from the vendor page's yaml block: {} bytes vs {} bytes, \
             first difference at byte {:?}",
            actual.len(),
            expected.len(),
            first_diff
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Yandex Cloud Compute
// ---------------------------------------------------------------------------------------------

#[test]
fn yandex_compute_spec() {
    let spec = Spec::load("yandex-compute.yaml");
    assert_eq!(spec.at("/servers/0/url"), &json!("https://compute.api.cloud.yandex.net"));
    spec.assert_keywords(
        spec.at("/components/securitySchemes/iamToken"),
        "iamToken",
        json!({"type": "http", "scheme": "bearer"}),
    );
    assert_eq!(spec.at("/security"), &json!([{"iamToken": []}]));

    let op = spec.op("/compute/v1/images", "get");
    assert_eq!(op["operationId"], json!("listImages"));
    assert_eq!(
        spec.param_names(op),
        ["folderId", "pageSize", "pageToken", "filter", "orderBy"].iter().map(|s| s.to_string()).collect()
    );
    spec.assert_param(op, "folderId", "query", true, json!({"type": "string", "maxLength": 50}));
    spec.assert_param(op, "pageSize", "query", false, json!({"type": "integer", "format": "int64", "maximum": 1000}));
    spec.assert_param(op, "pageToken", "query", false, json!({"type": "string", "maxLength": 100}));
    spec.assert_param(op, "filter", "query", false, json!({"type": "string", "maxLength": 1000}));
    spec.assert_param(op, "orderBy", "query", false, json!({"type": "string", "maxLength": 100}));

    assert_eq!(
        op["x-pagination"],
        json!({"style": "page-token", "items": "images", "next": "nextPageToken", "token-param": "pageToken"})
    );

    spec.assert_ok_response(op, "200", "ListImagesResponse");
    let body = spec.response_schema(op, "200");
    spec.assert_fields(body, "ListImagesResponse", &["images", "nextPageToken"]);
    spec.assert_keywords(&spec.prop(body, "nextPageToken"), "nextPageToken", json!({"type": "string"}));
    let image = spec.schema_at(body, "images.[]");
    assert_eq!(image, components_schema(&spec, "Image"));
    // Fields of the REST doc plus those of image.proto (size, hardwareGeneration, kmsKey).
    spec.assert_fields(
        &image,
        "Image",
        &[
            "id",
            "folderId",
            "createdAt",
            "name",
            "description",
            "labels",
            "family",
            "size",
            "storageSize",
            "minDiskSize",
            "productIds",
            "status",
            "os",
            "pooled",
            "hardwareGeneration",
            "kmsKey",
        ],
    );
    spec.assert_required(&image, "Image", &["id", "folderId", "createdAt"]);
    let kw = |f: &str, v: Value| spec.assert_keywords(&spec.prop(&image, f), f, v);
    for f in ["id", "folderId", "name", "description", "family"] {
        kw(f, json!({"type": "string"}));
    }
    // The limits of image.proto's comments ("1-63 characters long", "0-256 characters long",
    // "Maximum of 64 per resource"), as schema keywords.
    kw("name", json!({"minLength": 1, "maxLength": 63}));
    kw("description", json!({"maxLength": 256}));
    kw("labels", json!({"maxProperties": 64}));
    kw("createdAt", json!({"type": "string", "format": "date-time"}));
    for f in ["size", "storageSize", "minDiskSize"] {
        kw(f, json!({"type": "string", "format": "int64"}));
    }
    kw("pooled", json!({"type": "boolean"}));
    kw("productIds", json!({"type": "array"}));
    spec.assert_keywords(&spec.schema_at(&image, "productIds.[]"), "productIds[]", json!({"type": "string"}));
    kw("labels", json!({"type": "object"}));
    spec.assert_keywords(&spec.schema_at(&image, "labels.{}"), "labels values", json!({"type": "string"}));
    spec.assert_enum(
        &spec.prop(&image, "status"),
        "status",
        &["STATUS_UNSPECIFIED", "CREATING", "READY", "ERROR", "DELETING"],
    );
    let os = spec.prop(&image, "os");
    spec.assert_fields(&os, "Os", &["type", "nvidia"]);
    spec.assert_enum(&spec.prop(&os, "type"), "os.type", &["TYPE_UNSPECIFIED", "LINUX", "WINDOWS"]);
    spec.assert_fields(&spec.prop(&os, "nvidia"), "Nvidia", &["driver"]);
    let hw = spec.prop(&image, "hardwareGeneration");
    spec.assert_fields(&hw, "HardwareGeneration", &["legacyFeatures", "generation2Features"]);
    spec.assert_enum(
        &spec.schema_at(&hw, "legacyFeatures.pciTopology"),
        "pciTopology",
        &["PCI_TOPOLOGY_UNSPECIFIED", "PCI_TOPOLOGY_V1", "PCI_TOPOLOGY_V2"],
    );
    spec.assert_fields(&spec.prop(&image, "kmsKey"), "KmsKey", &["keyId", "versionId"]);

    assert!(!spec.example_names(op, "200").is_empty(), "the documented 200 body needs an example");
    assert!(!spec.example_names(op, "401").is_empty(), "the documented error example is carried");

    for status in ["400", "401", "403", "404", "429", "500", "503", "504", "default"] {
        spec.assert_ok_response(op, status, "Error");
        let err = spec.response_schema(op, status);
        spec.assert_fields(err, "Error", &["code", "message", "details"]);
        spec.assert_required(err, "Error", &["code", "message"]);
        spec.assert_keywords(&spec.prop(err, "code"), "code", json!({"type": "integer"}));
        spec.assert_keywords(&spec.prop(err, "details"), "details", json!({"type": "array"}));
    }
}

/// Writes `SKIPPED <test>: <why>` to the raw stderr handle. The test harness captures what
/// `eprintln!` prints in a passing test, so a skip reported that way would not show.
fn skip_notice(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// The OpenAPI documents that scripts/validate-specs.sh validates: like its
/// `find specs -type f \( -name '*.yaml' -o -name '*.yml' \) -not -path 'specs/regressions/*'`, every regular
/// `*.yaml` or `*.yml` file under `specs/` at any depth but `specs/regressions/` (symbolic links are not followed),
/// as `specs/...` paths.
fn validated_documents() -> BTreeSet<String> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeSet<String>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let entry = entry.expect("directory entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{rel}/{name}");
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() && rel != "specs/regressions" {
                walk(&entry.path(), &rel, out);
            } else if kind.is_file() && (name.ends_with(".yaml") || name.ends_with(".yml")) {
                out.insert(rel);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&repo_root().join("specs"), "specs", &mut out);
    out
}

/// Every spec passes an independent validator (`openapi-spec-validator` from PyPI, via scripts/validate-specs.sh),
/// not only our own parser. CI installs the validator; elsewhere the test says why it does not run.
#[test]
fn specs_pass_an_independent_validator() {
    let root = repo_root();
    let available = std::process::Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !available && std::env::var_os("CI").is_none() {
        skip_notice(
            "specs_pass_an_independent_validator",
            "openapi-spec-validator is not installed (`python3 -m pip install openapi-spec-validator`); \
             CI installs it and runs this check",
        );
        return;
    }
    let documents = validated_documents();
    for name in SPECS.iter().chain([&VENDOR_GMI]) {
        assert!(
            documents.contains(&format!("specs/{name}")),
            "specs/{name} is not among the validated documents {documents:?}"
        );
    }
    let output = std::process::Command::new("bash")
        .arg(root.join("scripts/validate-specs.sh"))
        .current_dir(&root)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "scripts/validate-specs.sh failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    // openapi-spec-validator prints `<file>: OK` once per valid document: exactly the documents
    // under specs/, each once.
    let reported: Vec<&str> = stdout.lines().filter_map(|l| l.strip_suffix(": OK")).collect();
    assert_eq!(
        reported.len(),
        documents.len(),
        "expected exactly {} documents to be reported OK:\n{stdout}",
        documents.len()
    );
    assert_eq!(
        reported.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
        documents,
        "the documents reported OK:\n{stdout}"
    );
    let summary = format!("all {} OpenAPI documents and their examples are valid", documents.len());
    assert!(stdout.lines().any(|l| l == summary), "expected `{summary}`:\n{stdout}");
}

// ---------------------------------------------------------------------------------------------
// The vendor documentation's example responses are carried by the specs
// ---------------------------------------------------------------------------------------------

/// The vendor documentation folder beside the repository (`../shared/vendor-docs`). A clone
/// without it skips the calling test with a visible notice, unless `CI` is set: there its absence
/// is a failure, so that CI cannot pass without comparing the specs with the documentation.
fn vendor_docs_or_skip(test: &str) -> Option<PathBuf> {
    let docs = repo_root().join("..").join("shared").join("vendor-docs");
    if docs.is_dir() {
        return Some(docs);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: the vendor documentation folder ../shared/vendor-docs beside the repository is \
         absent, and CI is set: CI must compare the specs with it"
    );
    skip_notice(
        test,
        "the vendor documentation folder ../shared/vendor-docs beside the repository is absent in \
         this checkout, so the specs cannot be compared with it",
    );
    None
}

/// The JSON value of a documentation block, which must be nothing else (whitespace aside).
fn parse_doc_json(block: &str, what: &str) -> Value {
    serde_json::from_str(block).unwrap_or_else(|e| panic!("{what}: invalid JSON block: {e}\n{block}"))
}

/// The contents of the ```` ```json ```` fenced blocks of a Markdown page, parsed.
fn markdown_json_blocks(page: &str, what: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    for line in page.lines() {
        match &mut block {
            None if line.trim() == "```json" => block = Some(String::new()),
            Some(b) if line.trim() == "```" => {
                out.push(parse_doc_json(b, what));
                block = None;
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    assert!(block.is_none(), "{what}: unterminated ```json block");
    out
}

/// The JSON bodies of a reStructuredText page: each `.. code::` block whose lines, after an
/// optional status line and headers, start with a `{` or `[` line and hold exactly one JSON value.
fn rst_json_blocks(page: &str, what: &str) -> Vec<Value> {
    let lines: Vec<&str> = page.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].trim_start().starts_with(".. code::") {
            i += 1;
            continue;
        }
        // The directive's content: the following blank or indented lines.
        let mut j = i + 1;
        while j < lines.len() && (lines[j].trim().is_empty() || lines[j].starts_with([' ', '\t'])) {
            j += 1;
        }
        let content = &lines[i + 1..j];
        if let Some(start) = content.iter().position(|l| l.trim_start().starts_with(['{', '['])) {
            out.push(parse_doc_json(&content[start..].join("\n"), what));
        }
        i = j;
    }
    out
}

/// The JSON bodies of a plain-text page, where they are not fenced: each starts with a `{` at the
/// left margin and is parsed up to its matching `}` (the text after it is not JSON).
fn plain_text_json_blocks(page: &str, what: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < page.len() {
        let rest = &page[offset..];
        if rest.starts_with('{') {
            let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
            match values.next() {
                Some(Ok(value)) => out.push(value),
                other => {
                    panic!("{what}: a `{{` line at byte {offset} does not start JSON: {other:?}")
                }
            }
            offset += values.byte_offset();
        } else {
            offset += rest.find('\n').map_or(rest.len(), |i| i + 1);
        }
    }
    out
}

/// Every `example` value and every `value` of an `examples` map (of Example Objects) in an
/// OpenAPI document, at any depth, with where it is. A property named `example` or `examples`
/// (under `properties`) is a schema, and is walked as one.
fn example_values(root: &Value) -> Vec<(String, Value)> {
    fn walk(root: &Value, v: &Value, at: &str, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(m) => {
                let is_properties = at.ends_with("/properties");
                for (k, x) in m {
                    let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                    match k.as_str() {
                        "example" if !is_properties => out.push((here, x.clone())),
                        "examples" if !is_properties && x.is_object() => {
                            for (name, ex) in x.as_object().unwrap() {
                                let ex = match ex.get("$ref").and_then(Value::as_str) {
                                    Some(r) => root
                                        .pointer(r.trim_start_matches('#'))
                                        .unwrap_or_else(|| panic!("dangling $ref {r}")),
                                    None => ex,
                                };
                                if let Some(value) = ex.get("value") {
                                    out.push((format!("{here}/{name}"), value.clone()));
                                }
                            }
                        }
                        _ => walk(root, x, &here, out),
                    }
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(root, x, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, root, "#", &mut out);
    out
}

/// The JSON pointer of the first difference between two values, `None` when they are equal.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => first_difference(p, q, &format!("{at}/{k}")),
                _ => Some(format!("{at}/{k} (present on one side only)")),
            })
        }
        (Value::Array(x), Value::Array(y)) => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{at}/{i}")))
            .or_else(|| (x.len() != y.len()).then(|| format!("{at} ({} items against {})", x.len(), y.len()))),
        _ => (a != b).then(|| format!("{at} ({a} against {b})")),
    }
}

/// Every JSON response example of the vendor documentation is carried, value-equal, as an
/// `example` or `examples` value of the spec written from it, so that no documented body is lost
/// or altered by hand.
#[test]
fn vendor_doc_examples_are_carried_by_the_specs() {
    let test = "vendor_doc_examples_are_carried_by_the_specs";
    let Some(docs) = vendor_docs_or_skip(test) else {
        return;
    };
    let read = |rel: &str| {
        let path = docs.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    };
    let numbered = |doc: &str, values: Vec<Value>| -> Vec<(String, Value)> {
        values.into_iter().enumerate().map(|(i, v)| (format!("{doc}: JSON block {}", i + 1), v)).collect()
    };

    // (spec, the documented examples it must carry); each count is checked so that a change of
    // the pages' layout cannot make the extraction silently find nothing.
    let mut cases: Vec<(&str, Vec<(String, Value)>)> = Vec::new();

    // The page shows the 200 body twice: as the example, and again under "Returns Examples".
    let doc = "digitalocean-list-images.txt";
    let found = plain_text_json_blocks(&read(doc), doc);
    assert_eq!(found.len(), 2, "{doc}: JSON bodies found");
    cases.push(("digitalocean.yaml", numbered(doc, found)));

    let doc = "rackspace-glance-list-images.rst";
    let found = rst_json_blocks(&read(doc), doc);
    assert_eq!(found.len(), 1, "{doc}: JSON bodies found");
    cases.push(("rackspace.yaml", numbered(doc, found)));

    // Two revisions of NebulaBlock's page, with different example bodies; the spec carries both.
    let mut nebulablock = Vec::new();
    for doc in ["nebulablock-list-images.md", "more/nebulablock/List_images-other-revision.md"] {
        let found = markdown_json_blocks(&read(doc), doc);
        assert_eq!(found.len(), 1, "{doc}: ```json blocks found");
        nebulablock.extend(numbered(doc, found));
    }
    cases.push(("nebulablock.yaml", nebulablock));

    // GMI's page is its OpenAPI document (YAML): its examples are those of the 401, 500 and 503
    // responses and those of the errorStatusMessage and validationDetail schemas.
    let doc = "gmicloud-list-images.md";
    let page = read(doc);
    let vendor: Value = serde_yaml::from_slice(yaml_block(page.as_bytes()))
        .unwrap_or_else(|e| panic!("{doc}: the yaml block does not parse: {e}"));
    let found: Vec<(String, Value)> =
        example_values(&vendor).into_iter().map(|(at, v)| (format!("{doc}: {at}"), v)).collect();
    assert_eq!(found.len(), 6, "{doc}: examples found: {found:#?}");
    for response in ["InternalServerError", "ServiceUnavailable"] {
        assert!(
            found.iter().any(|(at, _)| at.contains(&format!("/responses/{response}/"))),
            "{doc}: the {response} example is among {found:#?}"
        );
    }
    cases.push(("gmicloud.yaml", found));

    // Excluded on purpose: the Yandex page's only JSON block, its 200 "example", is a type
    // skeleton ("string", "object" and `true` in place of values; `labels` is the string
    // "object"), which no Image can match, so the spec carries real examples of the same shape
    // instead. Checked to still be that skeleton, so that a page with real values is noticed.
    let doc = "yandex-compute-image-list.md";
    let found = markdown_json_blocks(&read(doc), doc);
    assert_eq!(found.len(), 1, "{doc}: ```json blocks found");
    assert_eq!(
        (&found[0]["images"][0]["id"], &found[0]["images"][0]["labels"], &found[0]["nextPageToken"],),
        (&json!("string"), &json!("object"), &json!("string")),
        "{doc}: the 200 example is no longer a type skeleton; carry it in yandex-compute.yaml \
         and check it here"
    );

    let mut failures = Vec::new();
    let mut count = 0;
    for (name, documented) in cases {
        let spec = Spec::load(name);
        let carried = example_values(&spec.root);
        for (at, value) in documented {
            count += 1;
            if carried.iter().any(|(_, c)| *c == value) {
                continue;
            }
            let near: Vec<String> = carried
                .iter()
                .filter_map(|(where_, c)| {
                    let same_kind = std::mem::discriminant(c) == std::mem::discriminant(&value);
                    same_kind.then(|| format!("    {where_}: differs at {}", first_difference(c, &value, "").unwrap()))
                })
                .collect();
            failures.push(format!(
                "{at} is not carried value-equal by specs/{name}; its examples of that kind:\n{}",
                near.join("\n")
            ));
        }
    }
    assert_eq!(count, 11, "documented examples compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
