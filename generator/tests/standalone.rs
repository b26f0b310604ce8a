//! A crate written with `--out` outside any workspace builds as it stands (inline runtime, registry dependencies).
//!
//! This runs a nested `cargo check` in its own target directory (a shared one would deadlock on cargo's lock while
//! the outer `cargo test` holds it); the first run compiles the dependencies once, later runs reuse them.

use std::path::Path;
use std::process::Command;

#[test]
fn inline_crate_written_anywhere_builds_alone() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::env::temp_dir().join(format!("standalone-client-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--spec")
        .arg(repo.join("specs/features/models.yaml"))
        .arg("--out")
        .arg(&out)
        .args(["--name", "standalone-models"])
        .status()
        .expect("generator runs");
    assert!(status.success());
    let cargo_toml = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(!cargo_toml.contains("path ="), "an inline crate must not point back at this repository:\n{cargo_toml}");
    assert!(out.join("src/runtime/mod.rs").is_file());

    let target = repo.join("target/standalone");
    let offline = if std::env::var_os("STANDALONE_ONLINE").is_some() { None } else { Some("--offline") };
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--all-targets", "--quiet"])
        .args(offline)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(&out)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the standalone crate does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// The copied runtime's own unit tests pass in a crate of their own, where no other workspace member turns on
/// features the runtime does not ask for (such as `serde_json`'s `preserve_order`); the crate uses `time`
/// date-times, so the runtime's optional `rfc3339` module is copied in and tested too.
#[test]
fn inline_crate_tests_pass_alone() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("calendar");
    let status = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--spec")
        .arg(repo.join("specs/features/time.yaml"))
        .arg("--out")
        .arg(&out)
        .args(["--name", "standalone-calendar", "--date-time", "time"])
        .status()
        .expect("generator runs");
    assert!(status.success());
    assert!(out.join("src/runtime/rfc3339.rs").is_file());
    let offline = if std::env::var_os("STANDALONE_ONLINE").is_some() { None } else { Some("--offline") };
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--quiet"])
        .args(offline)
        .env("CARGO_TARGET_DIR", repo.join("target/standalone"))
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(&out)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the standalone crate's tests fail:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
