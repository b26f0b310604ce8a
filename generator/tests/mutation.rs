//! A bounded mutation fuzzer over the project's own specs: each seed spec is parsed, mutated the way broken and
//! hostile specs differ from good ones (a value replaced by another part of the document, a type changed, a `$ref`
//! pointed at a random place or at itself, a key dropped, a subtree duplicated deeper) and generated from memory.
//! Every mutant must end in a crate or in errors that name a file and a pointer; none may panic. The number of
//! mutants is fixed (`MUTATION_CASES`, default 240) and the seed printed, so a failure replays exactly
//! (`MUTATION_SEED=… cargo test -p generator --test mutation`).
//!
//! Inputs that once broke the generator are kept in `tests/fixtures/regressions/` and replayed here too, whatever
//! their outcome, as the fuzz corpus of past findings.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every seed spec: the clients', the feature specs and the regression specs.
fn seeds() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["specs", "specs/features", "specs/regressions"] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
            .collect();
        entries.sort();
        out.extend(entries);
    }
    out
}

/// Every place in `value`, as pointer segments.
fn places(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                at.push(key.clone());
                places(child, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                at.push(index.to_string());
                places(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'v>(value: &'v mut Value, at: &[String]) -> Option<&'v mut Value> {
    let mut current = value;
    for segment in at {
        current = match current {
            Value::Object(map) => map.get_mut(segment)?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

fn get<'v>(value: &'v Value, at: &[String]) -> Option<&'v Value> {
    let mut current = value;
    for segment in at {
        current = match current {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

fn pointer(at: &[String]) -> String {
    at.iter().fold(String::new(), |pointer, segment| generator::error::pointer_push(&pointer, segment))
}

/// One mutation of `document`, chosen by `rng`.
fn mutate(document: &mut Value, rng: &mut fastrand::Rng) {
    let mut all = Vec::new();
    places(document, &mut Vec::new(), &mut all);
    let target = all[rng.usize(..all.len())].clone();
    let donor = all[rng.usize(..all.len())].clone();
    let donor_value = get(document, &donor).cloned().unwrap_or(Value::Null);
    let Some(slot) = get_mut(document, &target) else { return };
    match rng.u8(..7) {
        // Another part of the document in its place (possibly an ancestor: a subtree inside itself).
        0 => *slot = donor_value,
        // A value of another JSON type.
        1 => {
            *slot = match slot {
                Value::String(_) => Value::from(rng.i64(..)),
                Value::Number(_) => Value::Bool(rng.bool()),
                Value::Bool(_) => Value::Array(vec![Value::Null]),
                Value::Array(_) => Value::String("x".into()),
                Value::Object(_) => Value::Array(vec![donor_value]),
                Value::Null => Value::Object(Default::default()),
            }
        }
        // A reference to a random place, to its own place (a cycle), or to nowhere.
        2 | 3 => {
            let to = match rng.u8(..3) {
                0 => pointer(&donor),
                1 => pointer(&target),
                _ => "/components/schemas/Nowhere".to_owned(),
            };
            *slot = serde_json::json!({ "$ref": format!("#{to}") });
        }
        // A key dropped.
        4 => {
            if let Value::Object(map) = slot {
                if let Some(key) = map.keys().nth(rng.usize(..map.len().max(1))).cloned() {
                    map.shift_remove(&key);
                }
            }
        }
        // A subtree repeated one level deeper.
        5 => {
            let copy = slot.clone();
            if let Value::Object(map) = slot {
                map.insert("nested".into(), copy);
            } else if let Value::Array(items) = slot {
                items.push(copy);
            }
        }
        // JSON Schema forms where a 3.0 schema is expected.
        _ => {
            if let Value::Object(map) = slot {
                map.insert("type".into(), serde_json::json!(["string", "null"]));
                map.insert("items".into(), serde_json::json!([{"type": "integer"}]));
            }
        }
    }
}

/// Generates with `config`; panics only if the generator panicked or an error names neither a file nor a pointer.
fn must_end_cleanly(config: generator::Config, label: &str) -> bool {
    let outcome = std::panic::catch_unwind(|| config.crate_name("mutant").generate());
    match outcome {
        Err(_) => panic!("{label}: the generator panicked"),
        Ok(Ok(_)) => true,
        Ok(Err(generator::Error::Spec(diagnostics))) => {
            assert!(!diagnostics.is_empty(), "{label}: a spec error with no diagnostic");
            for d in &diagnostics {
                assert!(!d.file.as_os_str().is_empty(), "{label}: {d} names no file");
                assert!(!d.message.is_empty(), "{label}: {d} says nothing");
                let shown = d.to_string();
                assert!(!shown.chars().any(|c| c.is_control()), "{label}: control characters in {shown:?}");
            }
            false
        }
        Ok(Err(other)) => panic!("{label}: not a spec error: {other}"),
    }
}

#[test]
fn mutants_of_every_seed_spec_end_cleanly() {
    let cases: usize = std::env::var("MUTATION_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(240);
    let seed: u64 = std::env::var("MUTATION_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5eed);
    eprintln!("mutation fuzzing: {cases} mutants, MUTATION_SEED={seed}");
    let seeds = seeds();
    assert!(seeds.len() > 20, "{seeds:?}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut generated = 0;
    for case in 0..cases {
        let source = &seeds[case % seeds.len()];
        let text = std::fs::read_to_string(source).unwrap();
        let mut document: Value = if source.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_yaml::from_str(&text).unwrap()
        };
        for _ in 0..rng.usize(1..=4) {
            mutate(&mut document, &mut rng);
        }
        let config = generator::Config::new()
            .spec_text(format!("mutant-{case}.json"), serde_json::to_string(&document).unwrap());
        let label = format!("mutant {case} of {} (MUTATION_SEED={seed})", source.display());
        if must_end_cleanly(config, &label) {
            generated += 1;
        }
    }
    eprintln!("{generated} of {cases} mutants generated a crate; the rest were refused with located errors");
}

#[test]
fn past_findings_are_replayed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let spec = if path.is_dir() { path.join("spec.yaml") } else { path.clone() };
        if spec.exists() {
            must_end_cleanly(generator::Config::new().spec(&spec), &format!("past finding {}", spec.display()));
            replayed += 1;
        }
    }
    assert!(replayed >= 8, "{replayed} findings in {}", dir.display());
}
