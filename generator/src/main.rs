//! `generator`: regenerate every client in the manifest, check that they are current, or generate one crate.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use generator::{manifest, Config, Error, Runtime};

/// Generates typed async Rust clients from OpenAPI documents.
///
/// With no arguments, regenerates every client listed in specs/manifest.toml. Exit codes: 0 success, 1 spec errors
/// or stale output (with --check), 2 usage errors.
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
struct Args {
    /// Regenerate in memory and fail, with a diff summary, if anything under the output directory is stale,
    /// missing or orphaned.
    #[arg(long, conflicts_with_all = ["spec", "out"])]
    check: bool,
    /// The manifest listing the clients (default: specs/manifest.toml of this repository).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["spec", "out"])]
    manifest: Option<PathBuf>,
    /// Generate one crate from this spec (YAML or JSON) instead of the manifest's.
    #[arg(long, value_name = "FILE", requires = "out")]
    spec: Option<PathBuf>,
    /// Where to write the crate given by --spec.
    #[arg(long, value_name = "DIR", requires = "spec")]
    out: Option<PathBuf>,
    /// Package name of the crate given by --spec (default: <spec stem>-client).
    #[arg(long, value_name = "CRATE", requires = "spec")]
    name: Option<String>,
    /// How the crate gets the runtime: `inline` (copied in; builds anywhere), `path=DIR` or `version=REQ`.
    #[arg(long, value_name = "MODE", default_value = "inline", requires = "spec")]
    runtime: Runtime,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{error}");
            match error {
                Error::Config(_) => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}

fn run(args: Args) -> Result<ExitCode, Error> {
    if let (Some(spec), Some(out)) = (&args.spec, &args.out) {
        let mut config = Config::new().spec(spec).runtime(args.runtime.clone());
        if let Some(name) = &args.name {
            config = config.crate_name(name);
        }
        let generated = config.generate()?;
        print_warnings(&generated.warnings);
        generated.write_crate(out)?;
        println!("wrote {} to {}", generated.crate_name, out.display());
        return Ok(ExitCode::SUCCESS);
    }
    let manifest_path = args.manifest.unwrap_or_else(default_manifest);
    let manifest = manifest::Loaded::read(&manifest_path)?;
    if args.check {
        let drifts = manifest.check_all()?;
        if drifts.is_empty() {
            println!("all {} clients are up to date", manifest.manifest.clients.len());
            return Ok(ExitCode::SUCCESS);
        }
        for drift in &drifts {
            eprintln!("{drift}");
        }
        eprintln!("{} file(s) differ: run `cargo run -p generator` to regenerate", drifts.len());
        return Ok(ExitCode::from(1));
    }
    let (written, unchanged) = manifest.write_all()?;
    println!("{written} client(s) written, {unchanged} unchanged");
    Ok(ExitCode::SUCCESS)
}

fn print_warnings(warnings: &[generator::Diagnostic]) {
    for warning in warnings {
        eprintln!("{warning}");
    }
}

/// The repository's manifest when run with `cargo run`, else `specs/manifest.toml` under the current directory.
fn default_manifest() -> PathBuf {
    let in_repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/manifest.toml");
    if in_repo.exists() {
        in_repo
    } else {
        PathBuf::from("specs/manifest.toml")
    }
}
