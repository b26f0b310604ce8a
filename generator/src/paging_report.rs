//! The pagination report: per operation, the paging the client got and where it came from (`x-pagination` or
//! inference), or why it got none. `generator pagination SPEC` prints it; corpus runs count it.

use std::fmt::Write as _;

use crate::ir::{Api, Pagination, PagingOrigin};

/// What the generator decided about one operation's pagination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationPaging {
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template as the spec writes it.
    pub path: String,
    /// The `operationId`, or the one the generator made.
    pub operation_id: String,
    /// The decision.
    pub outcome: PagingOutcome,
}

/// How an operation pages, or why it does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingOutcome {
    /// Paged as its `x-pagination` says.
    Extension(PagingPlan),
    /// Paged as inferred from its parameters and response.
    Inferred(PagingPlan),
    /// `x-pagination: false`.
    Disabled,
    /// A list operation (its response holds an array) left without paging, and why.
    NotInferred(String),
    /// Not a list operation, and why.
    NotAList(String),
}

impl PagingOutcome {
    /// The plan, when the operation pages.
    pub fn plan(&self) -> Option<&PagingPlan> {
        match self {
            PagingOutcome::Extension(plan) | PagingOutcome::Inferred(plan) => Some(plan),
            _ => None,
        }
    }

    /// Whether the operation returns a list (paged or not).
    pub fn is_list(&self) -> bool {
        !matches!(self, PagingOutcome::NotAList(_))
    }
}

/// The paging of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingPlan {
    /// The style, as `x-pagination` names it: `page-number`, `offset`, `marker`, `page-token`, `next-link` or
    /// `link-header`.
    pub style: String,
    /// The query parameter carrying the position, if the style has one.
    pub param: Option<String>,
    /// What each page is read for and where, as wire paths: `("items", "data")`, `("has-more", "has_more")`, ….
    pub fields: Vec<(String, String)>,
}

impl PagingPlan {
    fn new(pagination: &Pagination) -> Self {
        let mut fields = vec![("items".to_owned(), pagination.items.wire.clone())];
        let named = [
            ("next", &pagination.next),
            ("item-id", &pagination.item_id),
            ("has-more", &pagination.has_more),
            ("total-items", &pagination.total_items),
            ("total-pages", &pagination.total_pages),
        ];
        fields
            .extend(named.into_iter().filter_map(|(name, path)| Some((name.to_owned(), path.as_ref()?.wire.clone()))));
        if let Some(links) = &pagination.next_in_links {
            fields.insert(1, ("next".to_owned(), format!("{}[rel=next].href", links.array.wire)));
        }
        if let Some(limit) = pagination.style.limit() {
            fields.push(("limit-param".to_owned(), limit.to_owned()));
        }
        PagingPlan {
            style: pagination.style.name().to_owned(),
            param: pagination.style.param().map(str::to_owned),
            fields,
        }
    }

    /// `page-token pageToken; items images, next nextPageToken`.
    pub fn summary(&self) -> String {
        let head = match &self.param {
            Some(param) => format!("{} `{param}`", self.style),
            None => self.style.clone(),
        };
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(
                |(what, path)| {
                    if path.is_empty() {
                        format!("{what}: (the body)")
                    } else {
                        format!("{what}: `{path}`")
                    }
                },
            )
            .collect();
        format!("{head}; {}", fields.join(", "))
    }
}

/// The report rows of an API, in operation order.
pub(crate) fn report(api: &Api) -> Vec<OperationPaging> {
    api.operations
        .iter()
        .map(|op| OperationPaging {
            method: op.http_method.to_string(),
            path: op.path.text.clone(),
            operation_id: op.id.clone(),
            outcome: match (&op.paging_origin, &op.pagination) {
                (PagingOrigin::Extension, Some(p)) => PagingOutcome::Extension(PagingPlan::new(p)),
                (PagingOrigin::Inferred, Some(p)) => PagingOutcome::Inferred(PagingPlan::new(p)),
                (PagingOrigin::Disabled, _) => PagingOutcome::Disabled,
                (PagingOrigin::NotAList(reason), _) => PagingOutcome::NotAList(reason.clone()),
                (PagingOrigin::NotInferred(reason), _) => PagingOutcome::NotInferred(reason.clone()),
                (_, None) => PagingOutcome::NotInferred("no pagination".to_owned()),
            },
        })
        .collect()
}

/// The report as a Markdown table; list operations only unless `all`.
pub fn markdown(rows: &[OperationPaging], all: bool) -> String {
    let mut out = String::from("| operation | pagination | from | fields, or why none |\n|---|---|---|---|\n");
    for row in rows.iter().filter(|row| all || row.outcome.is_list()) {
        let (style, from, detail) = match &row.outcome {
            PagingOutcome::Extension(plan) => (plan.style.as_str(), "x-pagination", plan.summary()),
            PagingOutcome::Inferred(plan) => (plan.style.as_str(), "inferred", plan.summary()),
            PagingOutcome::Disabled => ("none", "x-pagination: false", String::new()),
            PagingOutcome::NotInferred(reason) => ("none", "", reason.clone()),
            PagingOutcome::NotAList(reason) => ("not a list", "", reason.clone()),
        };
        let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(out, "| `{} {}` | {style} | {from} | {} |", row.method, cell(&row.path), cell(&detail));
    }
    out
}
