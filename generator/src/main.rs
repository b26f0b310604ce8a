//! `generator`: regenerate every client in the manifest, check that they are current, or generate one crate.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use generator::{corpus, manifest, Config, Error, Options, WriteOutcome};

/// Generates typed async Rust clients from OpenAPI documents.
///
/// With no arguments, regenerates every client listed in the manifest: --manifest FILE, or else the
/// specs/manifest.toml of the current directory or of its nearest ancestor that has one (as cargo finds
/// Cargo.toml). `corpus DIR` generates and compiles every entry file of a corpus of third-party specs.
///
/// Writing a crate replaces only the files the generator wrote there before (listed in the crate's
/// .generated-files) and deletes those no longer generated; files a user added (tests/, examples, notes, target/,
/// Cargo.lock) are kept. A non-empty directory the generator did not write is refused unless --force is given.
///
/// Exit codes: 0 success, 1 spec errors, stale output (with --check) or a failing corpus entry, 2 usage errors
/// (bad arguments, no manifest found, an output directory or file the generator did not write).
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
struct Args {
    #[command(subcommand)]
    command: Option<Commands>,
    /// Regenerate in memory and fail, with a diff summary, if anything under the output directory is stale,
    /// missing or orphaned.
    #[arg(long, conflicts_with_all = ["spec", "out"])]
    check: bool,
    /// The manifest listing the clients (default: specs/manifest.toml in the current directory or the nearest
    /// ancestor directory that has one).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["spec", "out"])]
    manifest: Option<PathBuf>,
    /// Generate one crate from this spec (YAML or JSON) instead of the manifest's.
    #[arg(long, value_name = "FILE", requires = "out")]
    spec: Option<PathBuf>,
    /// Where to write the crate given by --spec: a new or empty directory, or one the generator wrote before (its
    /// generated files are replaced, every other file is kept).
    #[arg(long, value_name = "DIR", requires = "spec")]
    out: Option<PathBuf>,
    /// Write even into a directory the generator did not write, or over files it did not write: files where the
    /// crate's generated files go are replaced; nothing else is removed.
    #[arg(long, conflicts_with = "check")]
    force: bool,
    /// The options of the crate given by --spec (in a manifest, each `[[client]]` sets its own).
    #[command(flatten)]
    options: Options,
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
        /// With --doctests: run the doctests of only this many of the crates that compile, drawn with --seed.
        #[arg(long, value_name = "N", requires = "doctests")]
        doctest_sample: Option<usize>,
    },
    /// Print, per list operation of SPEC, the pagination its client gets (style, parameter and the response fields
    /// it reads) and whether `x-pagination` says so or it was inferred, or why there is none; then the counts.
    /// Generates nothing.
    Pagination {
        /// The spec (YAML or JSON).
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// Also list the operations that do not return a list.
        #[arg(long)]
        all: bool,
        /// Instead of the table, print each paged operation's pagination as an `x-pagination` block to paste into
        /// the spec, which pins it against later changes to inference (YAML, or JSON for a `.json` spec).
        #[arg(long, conflicts_with = "all")]
        extension: bool,
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
    if let Some(Commands::Corpus { dir, report, no_check, sample, seed, doctests, doctest_sample }) = &args.command {
        let doctests = doctests.then_some(*doctest_sample);
        return corpus(dir, report.as_deref(), !no_check, *sample, *seed, doctests);
    }
    if let Some(Commands::Pagination { spec, all, extension }) = &args.command {
        let generated = Config::new().spec(spec).with_options(args.options.clone()).generate()?;
        // Only the warnings about paging: the rest are the generator's to print when it writes the client.
        let (paging, other): (Vec<_>, Vec<_>) = generated
            .warnings
            .iter()
            .cloned()
            .partition(|w| w.pointer.contains("/x-pagination") || w.pointer.contains("/x-ms-pageable"));
        print_warnings(None, &paging);
        if !other.is_empty() {
            eprintln!(
                "({} other warnings, about the rest of the spec: generating the client prints them)",
                other.len()
            );
        }
        if *extension {
            let json = spec.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
            print!("{}", generator::paging_report::extension_blocks(&generated.paging, json));
            return Ok(ExitCode::SUCCESS);
        }
        print!("{}", generator::paging_report::markdown(&generated.paging, *all));
        let stats = &generated.stats;
        let plural = if stats.list_operations == 1 { "" } else { "s" };
        println!(
            "\n{} list operation{plural}: {} paginated ({} inferred, {} by x-pagination, {} by x-ms-pageable), {} not",
            stats.list_operations,
            stats.paginated,
            stats.inferred,
            stats.paginated - stats.inferred - stats.vendor_extension,
            stats.vendor_extension,
            stats.list_operations - stats.paginated
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let (Some(spec), Some(out)) = (&args.spec, &args.out) {
        let generated = Config::new().spec(spec).with_options(args.options.clone()).generate()?;
        print_warnings(None, &generated.warnings);
        let outcome = if args.force { generated.write_crate_forced(out)? } else { generated.write_crate(out)? };
        match outcome {
            WriteOutcome::Written => println!("wrote {} to {}", generated.crate_name, out.display()),
            WriteOutcome::Unchanged => println!("{} in {} is up to date", generated.crate_name, out.display()),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let changed = args.options.changed();
    if !changed.is_empty() {
        let flags: Vec<String> = generator::OPTIONS
            .iter()
            .filter(|option| changed.contains(&option.field))
            .map(|option| format!("--{}", option.flag))
            .collect();
        return Err(Error::Config(format!(
            "{} shape(s) one crate: generate it with --spec FILE --out DIR, or set the option(s) per client in the \
             manifest",
            flags.join(", ")
        )));
    }
    let manifest_path = match args.manifest {
        Some(path) => path,
        None => find_manifest()?,
    };
    let manifest = manifest::Loaded::read(&manifest_path)?;
    let generated = manifest.generate_all()?;
    for (_, client) in &generated {
        print_warnings(Some(&client.crate_name), &client.warnings);
    }
    if args.check {
        let drifts = manifest.check_generated(&generated)?;
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
    let summary = manifest.write_generated(&generated, args.force)?;
    for (dir, kept) in &summary.removed {
        if kept.is_empty() {
            println!("removed {}: no longer in {}", dir.display(), manifest_path.display());
        } else {
            eprintln!(
                "{} is no longer in {}: its generated files were removed; {} file(s) the generator did not write were \
                 kept there:",
                dir.display(),
                manifest_path.display(),
                kept.len()
            );
            for file in kept {
                eprintln!("  {}", file.display());
            }
        }
    }
    println!("{} client(s) written, {} unchanged", summary.written, summary.unchanged);
    Ok(ExitCode::SUCCESS)
}

fn corpus(
    dir: &std::path::Path,
    report: Option<&std::path::Path>,
    check: bool,
    sample: Option<usize>,
    seed: u64,
    doctests: Option<Option<usize>>,
) -> Result<ExitCode, Error> {
    let repo = repo_root()?;
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
        doctests: doctests.is_some(),
        doctest_sample: doctests.flatten(),
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
    match doctests {
        Some(Some(size)) => flags.push_str(&format!(" --doctests --doctest-sample {size}")),
        Some(None) => flags.push_str(" --doctests"),
        None => {}
    }
    let checked = match (check, sample) {
        (false, _) => "none",
        (true, Some(_)) => "a sample drawn by the seed",
        (true, None) => "every crate",
    };
    let doctested = match doctests {
        Some(Some(_)) => ", with the doctests of the README examples of a sample of those (drawn by the same seed)",
        Some(None) => ", with the doctests of its README examples",
        None => "",
    };
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

/// The repository the corpus command works in (for its runtime crate, Cargo.lock, target directory and default
/// report): the directory holding the `specs/manifest.toml` found from the current directory upward. Never the
/// directory the binary was built in, so an installed binary does not write into its own source checkout.
fn repo_root() -> Result<PathBuf, Error> {
    let manifest = find_manifest()?;
    let root = manifest.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
    if !root.join("runtime/Cargo.toml").is_file() {
        return Err(Error::Config(format!(
            "the corpus command runs inside the generator's repository (it compiles the crates against its \
             runtime/): {} has no runtime/Cargo.toml",
            root.display()
        )));
    }
    Ok(root)
}

/// Prints warnings to stderr, each prefixed with the crate it is about when there are several.
fn print_warnings(crate_name: Option<&str>, warnings: &[generator::Diagnostic]) {
    for warning in warnings {
        match crate_name {
            Some(name) => eprintln!("{name}: {warning}"),
            None => eprintln!("{warning}"),
        }
    }
}

/// `specs/manifest.toml` in the current directory or its nearest ancestor that has one, as cargo finds Cargo.toml.
fn find_manifest() -> Result<PathBuf, Error> {
    let cwd = std::env::current_dir().map_err(|e| Error::Io { path: PathBuf::from("."), source: e })?;
    cwd.ancestors().map(|dir| dir.join("specs/manifest.toml")).find(|path| path.is_file()).ok_or_else(|| {
        Error::Config(format!(
            "no specs/manifest.toml in {} or any directory above it: run inside a project that has one, pass \
             --manifest FILE, or generate one crate with --spec FILE --out DIR",
            cwd.display()
        ))
    })
}
