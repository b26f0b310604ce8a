//! Pagination inference against hand-labelled operations of the shared corpus (`tests/data/paging-labels.toml`,
//! labelled from the vendors' descriptions): no paginator on an operation that does not page, the right style on
//! those that do, and most of those found.
//!
//! The corpus (`../shared/corpus` beside the repository) is not part of a clone: without it this test says so and
//! passes, except under CI (`CI` set), where its absence is a failure.

use std::collections::BTreeMap;
use std::path::PathBuf;

use generator::paging_report::{PagingOutcome, PagingPlan};
use generator::Config;
use serde::Deserialize;

#[derive(Deserialize)]
struct Labels {
    operation: Vec<Label>,
}

#[derive(Deserialize)]
struct Label {
    spec: String,
    method: String,
    path: String,
    pages: bool,
    #[serde(default)]
    styles: Vec<String>,
    param: Option<String>,
    why: String,
}

/// The label words a plan answers to: `page-token` is a cursor, a marker without a next link is the last item's id.
fn label_styles(plan: &PagingPlan) -> Vec<&'static str> {
    let has_next = plan.fields.iter().any(|(what, _)| what == "next");
    match plan.style.as_str() {
        "page-number" if has_next => vec!["page-number", "next-link"],
        "page-number" => vec!["page-number"],
        "offset" => vec!["offset"],
        "page-token" => vec!["cursor"],
        "marker" if has_next => vec!["next-link", "last-item"],
        "marker" => vec!["last-item"],
        "next-link" => vec!["next-link"],
        "link-header" => vec!["link-header"],
        other => panic!("unknown style {other}"),
    }
}

#[test]
fn inference_matches_the_hand_labelled_sample() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if !corpus.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "CI needs the shared corpus at {}", corpus.display());
        eprintln!("skipped: no shared corpus at {}", corpus.display());
        return;
    }
    let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/paging-labels.toml"))
        .unwrap();
    let labels: Labels = toml::from_str(&text).unwrap();
    assert!(labels.operation.len() >= 50, "the sample must hold at least 50 operations");
    let mut by_spec: BTreeMap<&str, Vec<&Label>> = BTreeMap::new();
    for label in &labels.operation {
        by_spec.entry(&label.spec).or_default().push(label);
    }
    let mut wrong = Vec::new();
    let mut missed = Vec::new();
    let (mut paging, mut found) = (0, 0);
    for (spec, labels) in by_spec {
        let generated = Config::new().spec(corpus.join(spec)).generate().unwrap_or_else(|e| panic!("{spec}: {e}"));
        for label in labels {
            let row = generated
                .paging
                .iter()
                .find(|row| row.method.eq_ignore_ascii_case(&label.method) && row.path == label.path)
                .unwrap_or_else(|| panic!("{spec}: no operation {} {}", label.method, label.path));
            let place = format!("{spec} {} {}", label.method.to_uppercase(), label.path);
            let plan = match &row.outcome {
                PagingOutcome::Inferred(plan) => Some(plan),
                PagingOutcome::Extension(_) | PagingOutcome::Disabled | PagingOutcome::VendorExtension { .. } => {
                    panic!("{place}: corpus specs carry no x-pagination or x-ms-pageable")
                }
                PagingOutcome::NotInferred(_) | PagingOutcome::NotAList(_) => None,
            };
            match (label.pages, plan) {
                (false, Some(plan)) => wrong.push(format!(
                    "{place}: a paginator ({}) on an operation that does not page: {}",
                    plan.summary(),
                    label.why
                )),
                (false, None) => {}
                (true, None) => {
                    paging += 1;
                    missed.push(format!("{place}: {:?}", row.outcome));
                }
                (true, Some(plan)) => {
                    paging += 1;
                    found += 1;
                    let styles = label_styles(plan);
                    if !label.styles.iter().any(|s| styles.contains(&s.as_str())) {
                        wrong.push(format!("{place}: inferred {}, labelled {:?}", plan.summary(), label.styles));
                    } else if let (Some(param), Some(expected)) = (&plan.param, &label.param) {
                        // A next link carries every parameter itself; otherwise the position goes in `param`.
                        let follows_link =
                            styles.contains(&"next-link") && label.styles.iter().any(|s| s == "next-link");
                        if param != expected && !follows_link && label.styles.len() == 1 {
                            wrong.push(format!("{place}: inferred parameter `{param}`, labelled `{expected}`"));
                        }
                    }
                }
            }
        }
    }
    eprintln!("{found} of {paging} labelled paging operations inferred; missed:\n{}", missed.join("\n"));
    assert!(wrong.is_empty(), "wrong inferences:\n{}", wrong.join("\n"));
    // Most paging operations are found: a floor, so a change that loses styles fails here.
    assert!(found * 100 >= paging * 80, "only {found} of {paging} labelled paging operations inferred");
}
