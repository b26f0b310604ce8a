//! Crate assembly: the IR → every file of the generated crate, and the same client as one module for `include!`.
//!
//! Emission (`emit`, quote!) and rendering (`render`, tera) make the pieces; this module decides which files a crate
//! has, how it gets the runtime (the dependency line in Cargo.toml, or the runtime's source copied in), and how the
//! single-file module for build.rs is put together from the same formatted bodies.

use std::collections::BTreeMap;

use quote::quote;

use crate::error::Error;
use crate::ir::Api;
use crate::{emit, format, render, runtime_sources, Options, Runtime};

/// The generated client in memory: the crate's files and the single module.
pub(crate) struct Assembled {
    /// The crate's files by path relative to the crate root.
    pub files: BTreeMap<String, String>,
    /// The client as one Rust file for `include!` (uses the `client-runtime` crate).
    pub module: String,
}

/// Lints that spec-derived names and prose can trip, allowed where that code lives.
fn lint_allowances() -> proc_macro2::TokenStream {
    quote! {
        #![allow(
            clippy::approx_constant,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::enum_variant_names,
            clippy::large_enum_variant,
            clippy::should_implement_trait,
            clippy::type_complexity,
            clippy::wrong_self_convention,
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links,
            rustdoc::invalid_html_tags,
            rustdoc::private_intra_doc_links,
            rustdoc::redundant_explicit_links
        )]
    }
}

/// Assembles the crate `crate_name` for `api`, generated from the spec file named `spec_file`.
pub(crate) fn assemble(api: &Api, crate_name: &str, spec_file: &str, options: &Options) -> Result<Assembled, Error> {
    let runtime = options.runtime.as_ref().unwrap_or(&Runtime::Inline);
    let header = format::header(spec_file);
    let lib_name = crate::ir::naming::lib_name(crate_name);
    let env_prefix = crate::ir::naming::env_prefix(crate_name);
    let inline = *runtime == Runtime::Inline;
    let crate_rt = emit::RuntimePath(if inline { quote!(crate::runtime) } else { quote!(::client_runtime) });
    let module_rt = emit::RuntimePath(quote!(::client_runtime));
    let allow = lint_allowances();

    // The bodies of `types` and `client` are emitted and formatted once, in parallel chunks; only their first lines
    // (the lint allowances and the `use` of the runtime) differ between the crate's files and the single module.
    let types_body = format::parallel("src/types.rs", emit::types_chunks(api), |i| emit::types_chunk(api, i))?;
    let client_body = format::parallel("src/client.rs", emit::client_chunks(api), |i| emit::client_chunk(api, i))?;
    let types_use = |rt: &emit::RuntimePath| {
        let use_rt = emit::types_use(api, rt);
        format::body("src/types.rs", quote!(#allow #use_rt))
    };
    let client_use = |rt: &emit::RuntimePath| {
        let use_rt = emit::client_use(api, rt);
        format::body("src/client.rs", quote!(#allow #use_rt))
    };
    let mut files = BTreeMap::new();
    files.insert("src/types.rs".to_owned(), format!("{header}{}{types_body}", types_use(&crate_rt)?));
    files.insert("src/client.rs".to_owned(), format!("{header}{}{client_body}", client_use(&crate_rt)?));

    let example = emit::example_program(api, &lib_name, &env_prefix);
    if let Some((name, tokens)) = &example {
        let path = format!("examples/{name}.rs");
        files.insert(path.clone(), format::tokens(&path, tokens.clone(), &header)?);
    }
    let needs = emit::needs(api);
    let features = needs.runtime_features();
    let view = render::CrateView {
        api,
        package_name: crate_name,
        lib_name: &lib_name,
        spec_file,
        runtime_dependency: runtime_dependency(runtime, &features),
        runtime_crate: "client_runtime",
        inline_dependencies: if inline { inline_dependencies(&features) } else { Vec::new() },
        tls_features: tls_features(inline),
        inline_runtime: inline,
        needs,
        has_example: example.is_some(),
        env_prefix: &env_prefix,
        options,
    };
    let (cargo, readme, lib) = render::render_crate(&view)?;
    files.insert("Cargo.toml".to_owned(), cargo);
    files.insert("README.md".to_owned(), readme);
    files.insert("src/lib.rs".to_owned(), format::source("src/lib.rs", &lib, &header)?);
    if inline {
        files.extend(inline_runtime_files(&features));
    }

    let module = single_module(
        api,
        &header,
        &needs,
        [&types_use(&module_rt)?, &types_body],
        [&client_use(&module_rt)?, &client_body],
    );
    Ok(Assembled { files, module })
}

/// The `client-runtime` line of the crate's `[dependencies]`, with the runtime `features` the code needs and the
/// TLS choice left to the crate's own features; `None` when the runtime is inlined.
fn runtime_dependency(runtime: &Runtime, features: &[&str]) -> Option<String> {
    let location = match runtime {
        Runtime::Inline => return None,
        Runtime::Path(dir) => format!(
            "path = {}, version = \"{}\"",
            toml::Value::String(dir.to_string_lossy().replace('\\', "/")),
            runtime_sources::RUNTIME_VERSION
        ),
        Runtime::Version(req) => format!("version = {}", toml::Value::String(req.clone())),
    };
    let features = match features {
        [] => String::new(),
        some => format!(", features = [{}]", some.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")),
    };
    Some(format!("client-runtime = {{ {location}, default-features = false{features} }}"))
}

/// The runtime's TLS features (`rustls`, the default, and `native-tls`) as the generated crate's own:
/// `(name, what it enables)`, forwarded to the runtime dependency, or to reqwest when the runtime is inlined.
fn tls_features(inline: bool) -> Vec<(String, Vec<String>)> {
    ["rustls", "native-tls"]
        .iter()
        .filter_map(|name| runtime_sources::RUNTIME_FEATURES.iter().find(|(feature, _)| feature == name))
        .map(|(name, enables)| {
            let enables = if inline {
                enables.iter().map(|e| (*e).to_owned()).collect()
            } else {
                vec![format!("client-runtime/{name}")]
            };
            ((*name).to_owned(), enables)
        })
        .collect()
}

/// The dependencies an optional runtime `feature` turns on (`dep:NAME` entries).
fn feature_dependencies(feature: &str) -> impl Iterator<Item = &'static str> + '_ {
    runtime_sources::RUNTIME_FEATURES
        .iter()
        .filter(move |(name, _)| *name == feature)
        .flat_map(|(_, enables)| enables.iter().filter_map(|e| e.strip_prefix("dep:")))
}

/// The runtime's own dependencies, for a crate that carries the runtime's source: every required one, and the
/// optional ones the runtime `features` the code needs turn on.
fn inline_dependencies(features: &[&str]) -> Vec<String> {
    let wanted: Vec<&str> = features.iter().flat_map(|f| feature_dependencies(f)).collect();
    runtime_sources::RUNTIME_DEPENDENCIES
        .iter()
        // serde and serde_json are already listed for the generated code itself.
        .filter(|(name, _, _)| *name != "serde" && *name != "serde_json")
        .filter(|(name, _, optional)| !optional || wanted.contains(name))
        .map(|(_, line, _)| (*line).to_owned())
        .collect()
}

/// The runtime's source files as the crate's `src/runtime/` module. A copied runtime has no features of its own:
/// the parts behind its optional features (`#[cfg(feature = "regex")]`, ...) are kept, the attribute removed, when
/// the code needs them, and left out (`cfg(any())`, always off) otherwise. Cargo cannot make a feature mandatory,
/// so the choice is made here rather than left to the crate's users.
fn inline_runtime_files<'a>(features: &'a [&'a str]) -> impl Iterator<Item = (String, String)> + 'a {
    runtime_sources::RUNTIME_SOURCES.iter().map(move |(name, source)| {
        let target = if *name == "lib.rs" { "src/runtime/mod.rs".to_owned() } else { format!("src/runtime/{name}") };
        (target, resolve_feature_cfgs(source, features))
    })
}

/// `NAME` when `line` is a whole-line `#[cfg(feature = "NAME")]`.
fn feature_cfg(line: &str) -> Option<&str> {
    line.trim().strip_prefix("#[cfg(feature = \"").and_then(|rest| rest.strip_suffix("\")]"))
}

/// `source` with every `#[cfg(feature = "NAME")]` line of a runtime feature removed when `features` has it, and
/// made always off otherwise.
fn resolve_feature_cfgs(source: &str, features: &[&str]) -> String {
    let mut resolved = String::with_capacity(source.len());
    for line in source.split_inclusive('\n') {
        match feature_cfg(line) {
            Some(name) if features.contains(&name) => {}
            Some(_) => resolved.push_str(&line.replacen(line.trim(), "#[cfg(any())]", 1)),
            None => resolved.push_str(line),
        }
    }
    resolved
}

/// The same code as one file for `include!`: the formatted bodies (each its `use` lines, then the rest), indented
/// into `pub mod` blocks. A crate attribute cannot come from an included file, so the limit deep types need is said
/// in a comment.
fn single_module(api: &Api, header: &str, needs: &emit::Needs, types: [&str; 2], client: [&str; 2]) -> String {
    let mut crates = vec!["serde", "serde_json"];
    crates.extend(needs.thiserror.then_some("thiserror"));
    crates.extend(needs.chrono.then_some("chrono"));
    crates.extend(needs.time.then_some("time"));
    crates.extend(needs.uuid.then_some("uuid"));
    let runtime = match needs.runtime_features().as_slice() {
        [] => "client-runtime".to_owned(),
        features => format!("client-runtime (features: {})", features.join(", ")),
    };
    let dependencies = format!("// The crate that includes this file depends on {runtime}, {}.\n", crates.join(", "));
    let depth_note = match render::recursion_limit(&api.types) {
        Some(limit) => format!(
            "// These types nest deeper than rustc's default `recursion_limit` (128) lets it lay out: the crate that\n\
             // includes this file needs `#![recursion_limit = \"{limit}\"]`.\n"
        ),
        None => String::new(),
    };
    format!(
        "{header}{dependencies}{depth_note}/// Types from the spec.\npub mod types {{\n{}{}}}\n/// The client and its request builders.\npub mod client {{\n{}{}}}\npub use self::client::*;\n",
        format::indent(types[0]),
        format::indent(types[1]),
        format::indent(client[0]),
        format::indent(client[1]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every feature-gated part of the runtime is behind a whole-line `#[cfg(feature = "…")]` of a runtime feature,
    /// the only form `resolve_feature_cfgs` rewrites; a copied runtime keeps no feature cfg at all.
    #[test]
    fn every_runtime_feature_cfg_is_resolved_when_the_runtime_is_copied() {
        let features: Vec<&str> = runtime_sources::RUNTIME_FEATURES.iter().map(|(name, _)| *name).collect();
        let mut gated = 0;
        for (file, source) in runtime_sources::RUNTIME_SOURCES {
            for line in source.lines().filter(|line| line.contains("cfg(feature")) {
                let name =
                    feature_cfg(line).unwrap_or_else(|| panic!("{file}: `{line}` is not a whole-line feature cfg"));
                assert!(features.contains(&name), "{file}: `{name}` is not a runtime feature");
                gated += 1;
            }
            for needed in [&[][..], &["regex", "sse"][..]] {
                let copied = resolve_feature_cfgs(source, needed);
                assert!(!copied.contains("cfg(feature"), "{file} keeps a feature cfg with {needed:?}");
            }
        }
        assert!(gated > 0, "the runtime has feature-gated parts");

        let source =
            "a\n    #[cfg(feature = \"regex\")]\n    fn pattern() {}\n#[cfg(feature = \"sse\")]\nmod events;\n";
        assert_eq!(
            resolve_feature_cfgs(source, &["regex"]),
            "a\n    fn pattern() {}\n#[cfg(any())]\nmod events;\n",
            "a needed part loses its cfg, one not needed is always off"
        );
    }

    #[test]
    fn optional_runtime_dependencies_come_only_with_the_features_that_need_them() {
        let names = |lines: Vec<String>| -> Vec<String> {
            lines.iter().map(|line| line.split(' ').next().unwrap_or_default().to_owned()).collect()
        };
        let plain = names(inline_dependencies(&[]));
        assert!(!plain.contains(&"regex".to_owned()) && !plain.contains(&"eventsource-stream".to_owned()), "{plain:?}");
        assert!(plain.contains(&"reqwest".to_owned()) && !plain.contains(&"serde".to_owned()), "{plain:?}");
        let all = names(inline_dependencies(&["regex", "sse"]));
        assert!(all.contains(&"regex".to_owned()) && all.contains(&"eventsource-stream".to_owned()), "{all:?}");
        assert!(inline_dependencies(&["regex"]).iter().all(|line| !line.contains("optional")));

        let path = runtime_dependency(&Runtime::Path("../rt".into()), &["regex"]).unwrap();
        assert_eq!(path, "client-runtime = { path = \"../rt\", version = \"0.1.0\", default-features = false, features = [\"regex\"] }");
        assert_eq!(tls_features(false)[1], ("native-tls".to_owned(), vec!["client-runtime/native-tls".to_owned()]));
        assert_eq!(tls_features(true)[0], ("rustls".to_owned(), vec!["reqwest/rustls-tls".to_owned()]));
    }
}
