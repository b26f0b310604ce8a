//! The runtime's modules depend on each other without cycles, so each can be read (and replaced) from the bottom up:
//! `error` and `param` at the bottom, then `request`, `send`, `pagination` and `operation` on top. A file's
//! dependencies are the modules it names as `super::<module>` outside its unit tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "lib" || path.extension() != Some("rs".as_ref()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Unit tests (`mod tests { use super::*; }`) see their own file's module through `super`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let mut uses = BTreeSet::new();
        for line in code.lines() {
            let line = line.split("//").next().unwrap_or("");
            for (index, _) in line.match_indices("super::") {
                let rest = &line[index + "super::".len()..];
                let rest = rest.trim_start_matches('{');
                let module: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !module.is_empty() && module != name {
                    uses.insert(module);
                }
            }
        }
        modules.insert(name, uses);
    }
    modules
}

/// A cycle through `start`, if any (depth-first search over the module graph).
fn cycle_from(start: &str, graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn walk(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> bool {
        if let Some(position) = path.iter().position(|n| n == node) {
            path.drain(..position);
            path.push(node.to_owned());
            return true;
        }
        if !done.insert(node.to_owned()) {
            return false;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if walk(next, graph, path, done) {
                return true;
            }
        }
        path.pop();
        false
    }
    let mut path = Vec::new();
    walk(start, graph, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn runtime_modules_have_no_import_cycle() {
    let graph = dependencies();
    assert!(graph.len() >= 10, "expected the runtime's modules, found {:?}", graph.keys().collect::<Vec<_>>());
    assert!(graph["operation"].contains("pagination") && graph["pagination"].contains("client"), "{graph:?}");
    for module in graph.keys() {
        if let Some(cycle) = cycle_from(module, &graph) {
            panic!("import cycle among runtime modules: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec![])]
            .into_iter()
            .map(|(n, deps)| (n.to_owned(), deps.into_iter().map(str::to_owned).collect()))
            .collect();
    assert_eq!(cycle_from("a", &graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    assert_eq!(cycle_from("d", &graph), None);
}
