//! Embeds the runtime crate's sources and dependencies, so `--runtime inline` can copy them into a generated crate
//! with no files needed at run time.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("..");
    let runtime_src = root.join("runtime/src");
    println!("cargo:rerun-if-changed={}", runtime_src.display());
    println!("cargo:rerun-if-changed={}", root.join("runtime/Cargo.toml").display());
    println!("cargo:rerun-if-changed={}", root.join("Cargo.toml").display());

    let mut files: Vec<String> = std::fs::read_dir(&runtime_src)
        .expect("runtime/src exists beside the generator")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    files.sort();
    let mut out = String::from("/// The runtime's source files: (file name, contents).\npub(crate) const RUNTIME_SOURCES: &[(&str, &str)] = &[\n");
    for name in &files {
        let path = runtime_src.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    out.push_str("];\n");

    // The runtime's dependencies, with workspace-inherited ones resolved, as `name = spec` lines.
    let workspace: toml::Table = read_toml(&root.join("Cargo.toml"));
    let runtime: toml::Table = read_toml(&root.join("runtime/Cargo.toml"));
    let shared = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    let mut lines = Vec::new();
    if let Some(deps) = runtime.get("dependencies").and_then(|d| d.as_table()) {
        for (name, spec) in deps {
            let optional_here = spec.get("optional").and_then(|v| v.as_bool()).unwrap_or(false);
            let resolved = match spec.get("workspace").and_then(|w| w.as_bool()) {
                Some(true) => {
                    let mut base = match shared.get(name) {
                        Some(toml::Value::String(v)) => {
                            let mut t = toml::Table::new();
                            t.insert("version".into(), toml::Value::String(v.clone()));
                            t
                        }
                        Some(toml::Value::Table(t)) => t.clone(),
                        _ => panic!("workspace dependency {name} not found"),
                    };
                    if let Some(extra) = spec.get("features").and_then(|f| f.as_array()) {
                        let features = base.entry("features").or_insert(toml::Value::Array(Vec::new()));
                        if let Some(list) = features.as_array_mut() {
                            list.extend(extra.iter().cloned());
                        }
                    }
                    toml::Value::Table(base)
                }
                _ => spec.clone(),
            };
            // `optional` is the runtime's own business: a generated crate that copies the runtime lists a
            // dependency exactly when it needs it.
            let (rendered, optional) = match resolved {
                toml::Value::Table(mut t) => {
                    let optional = t.remove("optional").and_then(|v| v.as_bool()).unwrap_or(optional_here);
                    let parts: Vec<String> = t.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                    (format!("{{ {} }}", parts.join(", ")), optional)
                }
                other => (other.to_string(), optional_here),
            };
            lines.push((name.clone(), format!("{name} = {rendered}"), optional));
        }
    }
    lines.sort();
    writeln!(
        out,
        "/// The runtime's dependencies: (name, Cargo.toml line without `optional`, optional).\n\
         pub(crate) const RUNTIME_DEPENDENCIES: &[(&str, &str, bool)] = &{lines:?};"
    )
    .unwrap();
    // The runtime's features: (name, what it enables).
    let features: Vec<(String, Vec<String>)> = runtime
        .get("features")
        .and_then(|f| f.as_table())
        .map(|table| {
            table
                .iter()
                .map(|(name, enables)| {
                    let enables = enables
                        .as_array()
                        .map(|list| list.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                        .unwrap_or_default();
                    (name.clone(), enables)
                })
                .collect()
        })
        .unwrap_or_default();
    let features: Vec<String> = features.iter().map(|(name, enables)| format!("({name:?}, &{enables:?})")).collect();
    writeln!(
        out,
        "/// The runtime's features: (name, what each enables).\n\
         pub(crate) const RUNTIME_FEATURES: &[(&str, &[&str])] = &[{}];",
        features.join(", ")
    )
    .unwrap();
    let package_version = runtime
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str().map(str::to_owned))
        .or_else(|| workspace.get("workspace")?.get("package")?.get("version")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| "0.1.0".to_owned());
    writeln!(out, "/// The runtime crate's version.\npub(crate) const RUNTIME_VERSION: &str = {package_version:?};")
        .unwrap();

    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("runtime_sources.rs"), out).expect("OUT_DIR is writable");
}

fn read_toml(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse().unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
