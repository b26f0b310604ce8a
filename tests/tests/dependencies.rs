//! What a generated client adds to an application's dependency graph, read from `cargo tree`: the TLS stack the
//! crate's features choose (rustls by default, the platform's with `native-tls`), no tokio runtime or serde_json
//! features the application did not ask for, and the regex and event-stream parsers only for specs that need them.
//!
//! `cargo tree -p CRATE` resolves features for that crate alone, as an application depending on it would. It needs
//! the registry index, as every build here does.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The packages (`name vX`) and enabled features (`name feature "f"`) of `package`'s normal dependencies.
fn tree(package: &str, features: &[&str]) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(&root).args(["tree", "--locked", "-p", package, "-e", "normal,features", "--prefix", "none"]);
    if !features.is_empty() {
        command.args(["--no-default-features", "--features", &features.join(",")]);
    }
    let output = command.output().expect("cargo runs");
    assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| line.trim_end_matches(" (*)").trim_end_matches(" (proc-macro)").to_owned())
        .map(|line| match line.split_once(" v") {
            // `name v1.2.3 (path)` → `name v`, so assertions do not depend on versions.
            Some((name, _)) if !line.contains(" feature ") => format!("{name} v"),
            _ => line,
        })
        .collect()
}

fn has(tree: &BTreeSet<String>, package: &str) -> bool {
    tree.contains(&format!("{package} v"))
}

/// Crates that do TLS or its cryptography. (`rustls-pki-types`, certificate types without TLS code, is a
/// dependency of reqwest whatever its TLS choice.)
const RUSTLS_STACK: [&str; 5] = ["rustls", "ring", "aws-lc-rs", "webpki-roots", "tokio-rustls"];
const NATIVE_STACK: [&str; 3] = ["native-tls", "openssl", "hyper-tls"];

#[test]
fn the_default_tls_is_rustls_and_native_tls_replaces_it_entirely() {
    // A crate on the runtime dependency and one that copies the runtime in.
    for package in ["digitalocean-client", "gmicloud-vendor-client"] {
        let default = tree(package, &[]);
        assert!(has(&default, "rustls") && has(&default, "ring"), "{package}: {default:#?}");
        for native in NATIVE_STACK {
            assert!(!has(&default, native), "{package} pulls {native} by default");
        }

        let native = tree(package, &["native-tls"]);
        assert!(has(&native, "native-tls"), "{package}: {native:#?}");
        for rustls in RUSTLS_STACK {
            assert!(!has(&native, rustls), "{package} with native-tls still pulls {rustls}");
        }
    }
}

#[test]
fn no_tokio_runtime_or_serde_json_features_are_forced_on_the_application() {
    for package in ["digitalocean-client", "gmicloud-vendor-client", "feature-streaming"] {
        let tree = tree(package, &[]);
        for forced in [
            r#"tokio feature "macros""#,
            r#"tokio feature "rt-multi-thread""#,
            r#"serde_json feature "preserve_order""#,
            r#"serde_json feature "arbitrary_precision""#,
        ] {
            assert!(!tree.contains(forced), "{package} enables {forced}");
        }
        // What the runtime does need.
        assert!(tree.contains(r#"tokio feature "time""#), "{package}: {tree:#?}");
    }
}

#[test]
fn regex_and_the_event_stream_parser_come_only_with_specs_that_need_them() {
    // DigitalOcean's spec has no `pattern` and no event stream.
    let plain = tree("digitalocean-client", &[]);
    assert!(!has(&plain, "regex") && !has(&plain, "eventsource-stream"), "{plain:#?}");
    // GMI Cloud's parameters have patterns; so do the vendor spec's, whose crate copies the runtime in.
    for package in ["gmicloud-client", "gmicloud-vendor-client"] {
        let tree = tree(package, &[]);
        assert!(has(&tree, "regex") && !has(&tree, "eventsource-stream"), "{package}: {tree:#?}");
    }
    let streaming = tree("feature-streaming", &[]);
    assert!(has(&streaming, "eventsource-stream") && !has(&streaming, "regex"), "{streaming:#?}");
}
