//! Generation time beside parse-only time, for the largest spec in the corpus (or the one named by `BENCH_SPEC`).
//!
//! `cargo bench -p benchmarks --bench generate`. Figures are medians of several runs, and the ratio is what to
//! compare across machines: generation includes parsing, so `generate / parse` says what the generator adds.

use std::path::{Path, PathBuf};
use std::time::Instant;

use benchmarks::{median, ms};

fn main() {
    let spec = match std::env::var_os("BENCH_SPEC") {
        Some(path) => PathBuf::from(path),
        None => match largest_corpus_entry() {
            Some(path) => path,
            None => {
                eprintln!("no corpus found beside the repository (../shared/corpus); set BENCH_SPEC=FILE");
                return;
            }
        },
    };
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(7);
    let bytes = std::fs::metadata(&spec).map(|m| m.len()).unwrap_or(0);
    println!("spec: {} ({:.1} MB), {runs} runs each", spec.display(), bytes as f64 / 1e6);

    // Warm the file cache and check the spec generates at all.
    if let Err(e) = generator::Config::new().spec(&spec).generate() {
        eprintln!("the spec does not generate:\n{e}");
        std::process::exit(1);
    }
    let mut parse = Vec::new();
    let mut generate = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = generator::load::load(&spec).expect("loads");
        std::hint::black_box(&loaded);
        if loaded.version == generator::load::SpecVersion::OpenApi30 {
            let doc: openapiv3::OpenAPI = serde_json::from_value(loaded.document).expect("parses");
            std::hint::black_box(&doc);
        }
        parse.push(start.elapsed());

        let start = Instant::now();
        let generated = generator::Config::new().spec(&spec).generate().expect("generates");
        std::hint::black_box(&generated);
        generate.push(start.elapsed());
    }
    let parse = median(&mut parse);
    let generate = median(&mut generate);
    println!("parse only   {:>9.1} ms", ms(parse));
    println!("generate     {:>9.1} ms  (all stages: load, validate, lower, emit, render, format)", ms(generate));
    println!("beyond parse {:>9.1} ms", ms(generate.saturating_sub(parse)));
    println!("ratio generate/parse: {:.2}", generate.as_secs_f64() / parse.as_secs_f64());
}

/// The biggest entry file listed in ../shared/corpus/MANIFEST.md.
fn largest_corpus_entry() -> Option<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.md")).ok()?;
    manifest
        .lines()
        .filter_map(|line| {
            let path = line.strip_prefix("| `")?.split('`').next()?;
            let full = corpus.join(path);
            let size = std::fs::metadata(&full).ok()?.len();
            Some((size, full))
        })
        .max()
        .map(|(_, path)| path)
}
