//! `generator`: regenerate every client in the manifest, check that they are current, or generate one crate.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use generator::{corpus, manifest, Config, Error, Runtime};

/// Generates typed async Rust clients from OpenAPI documents.
///
/// With no arguments, regenerates every client listed in specs/manifest.toml. `corpus DIR` generates and compiles
/// every entry file of a corpus of third-party specs. Exit codes: 0 success, 1 spec errors, stale output (with
/// --check) or a failing corpus entry, 2 usage errors.
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
struct Args {
    #[command(subcommand)]
    command: Option<Commands>,
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

#[derive(Debug, Subcommand)]
enum Commands {
    /// Generate a crate for every entry file listed in DIR/MANIFEST.md (backticked paths in the first column of its
    /// tables), `cargo check` them all in one workspace under the target directory, print a table (spec, version,
    /// operations, types, parse and generation time, check result, warnings) and write it to --report. Fails if
    /// any entry fails to generate or compile.
    Corpus {
        /// The corpus folder, holding MANIFEST.md.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Where to write the Markdown report (default: docs/corpus.md of this repository).
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Only generate (and time) the crates; do not run `cargo check`.
        #[arg(long)]
        no_check: bool,
        /// Generate every entry but write out and check only this many, drawn with --seed.
        #[arg(long, value_name = "N")]
        sample: Option<usize>,
        /// The seed that draws the sample (printed in the report, to repeat a run).
        #[arg(long, value_name = "SEED", default_value_t = 0)]
        seed: u64,
        /// Also run the doctests (README examples) of every crate that compiles.
        #[arg(long)]
        doctests: bool,
    },
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
    if let Some(Commands::Corpus { dir, report, no_check, sample, seed, doctests }) = &args.command {
        return corpus(dir, report.as_deref(), !no_check, *sample, *seed, *doctests);
    }
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

fn corpus(
    dir: &std::path::Path,
    report: Option<&std::path::Path>,
    check: bool,
    sample: Option<usize>,
    seed: u64,
    doctests: bool,
) -> Result<ExitCode, Error> {
    let repo = repo_root();
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo.join("target"));
    let options = corpus::Options {
        dir: dir.to_path_buf(),
        work_dir: target.join("corpus"),
        target_dir: target.join("corpus-target"),
        runtime_dir: repo.join("runtime"),
        lock_file: Some(repo.join("Cargo.lock")),
        check,
        sample,
        seed,
        doctests,
    };
    let result = corpus::run(&options, &mut |line| eprintln!("{line}"))?;
    let table = corpus::markdown(&result);
    println!("{table}");
    let report_path = report.map(PathBuf::from).unwrap_or_else(|| repo.join("docs/corpus.md"));
    let shown_dir = dir.display().to_string();
    let mode = if cfg!(debug_assertions) { "" } else { " --release" };
    let mut flags = String::new();
    if let Some(size) = sample {
        flags.push_str(&format!(" --sample {size} --seed {seed}"));
    }
    if doctests {
        flags.push_str(" --doctests");
    }
    let checked = match (check, sample) {
        (false, _) => "none",
        (true, Some(_)) => "a sample drawn by the seed",
        (true, None) => "every crate",
    };
    let doctested = if doctests { ", with the doctests of its README examples" } else { "" };
    let document = format!(
        "# Corpus run\n\nEvery entry file of the corpus, generated into a crate; {checked} compiled (`cargo check`, one \
         workspace, shared target directory){doctested}. Reproduce with:\n\n```sh\ncargo run{mode} -p generator -- corpus {shown_dir}{flags}\n```\n\n\
         Times are wall-clock milliseconds of one run{}: *parse* is reading, bundling, upgrading and validating the \
         document; *generate* is the whole generation including parsing; *beyond parse* is the difference.\n\n{table}",
        if cfg!(debug_assertions) { " of a debug build" } else { " of a release build" }
    );
    if let Some(parent) = report_path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::Io { path: parent.to_path_buf(), source: e })?;
    }
    std::fs::write(&report_path, document).map_err(|e| Error::Io { path: report_path.clone(), source: e })?;
    eprintln!("report written to {}", report_path.display());
    Ok(if result.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// This repository, as built (the runtime crate and the default manifest live here).
fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
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
