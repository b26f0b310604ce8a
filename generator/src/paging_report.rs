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
    /// Paged as another generator's extension, written by the spec's vendor, says (`x-ms-pageable`).
    VendorExtension {
        /// The extension's name.
        extension: String,
        /// The paging.
        plan: PagingPlan,
    },
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
            PagingOutcome::Extension(plan)
            | PagingOutcome::Inferred(plan)
            | PagingOutcome::VendorExtension { plan, .. } => Some(plan),
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
    /// Whether the next link is the one with `rel: next` in an array of links (its `next` field reads
    /// `servers_links[rel=next].href`), which `x-pagination` has no key for.
    pub next_by_rel: bool,
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
            next_by_rel: pagination.next_in_links.is_some(),
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

    /// The plan's `x-pagination` keys and values (docs/extensions.md): the style, its parameter, then the fields;
    /// `Err` with the reason when the extension cannot say it (a next link found by its `rel` in an array of links).
    pub fn extension_entries(&self) -> Result<Vec<(String, String)>, String> {
        if self.next_by_rel {
            return Err("`x-pagination` has no key for a next link found by its `rel` in an array of links".to_owned());
        }
        let mut entries = vec![("style".to_owned(), self.style.clone())];
        if let (Some(param), Some(key)) = (&self.param, crate::lower::position_param_key(&self.style)) {
            entries.push((key.to_owned(), param.clone()));
        }
        // `items` left out means the body is the array.
        entries.extend(self.fields.iter().filter(|(_, path)| !path.is_empty()).cloned());
        Ok(entries)
    }

    /// The plan as an `x-pagination` block (YAML, docs/extensions.md) that, pasted into the operation, gives the
    /// same paging whatever later inference decides; `Err` as [`PagingPlan::extension_entries`].
    pub fn extension_yaml(&self) -> Result<String, String> {
        let mut block = serde_yaml::Mapping::new();
        for (key, value) in self.extension_entries()? {
            block.insert(key.into(), value.into());
        }
        let mut wrapper = serde_yaml::Mapping::new();
        wrapper.insert("x-pagination".into(), block.into());
        serde_yaml::to_string(&wrapper).map_err(|e| e.to_string())
    }

    /// The same block as a JSON member (`"x-pagination": {…}`), for specs written in JSON.
    pub fn extension_json(&self) -> Result<String, String> {
        let quoted = |text: &str| serde_json::Value::from(text).to_string();
        let members: Vec<String> = self
            .extension_entries()?
            .iter()
            .map(|(key, value)| format!("  {}: {}", quoted(key), quoted(value)))
            .collect();
        Ok(format!("\"x-pagination\": {{\n{}\n}}\n", members.join(",\n")))
    }
}

/// Every paged operation's plan as an `x-pagination` block to paste into the spec (YAML, or a JSON member when
/// `json`), under a comment naming the operation; an operation the extension cannot describe gets only a comment
/// saying why.
pub fn extension_blocks(rows: &[OperationPaging], json: bool) -> String {
    let mut out = String::new();
    for row in rows {
        let (plan, from) = match &row.outcome {
            PagingOutcome::Extension(plan) => (plan, "x-pagination"),
            PagingOutcome::Inferred(plan) => (plan, "inferred"),
            PagingOutcome::VendorExtension { extension, plan } => (plan, extension.as_str()),
            _ => continue,
        };
        let path = row.path.replace('\n', " ");
        let _ = writeln!(out, "# {} {} ({}, {from})", row.method, path, row.operation_id.replace('\n', " "));
        match if json { plan.extension_json() } else { plan.extension_yaml() } {
            Ok(yaml) => out.push_str(&yaml),
            Err(reason) => {
                let _ = writeln!(out, "# {}", reason.replace('\n', " "));
            }
        }
        out.push('\n');
    }
    out
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
                (PagingOrigin::VendorExtension(name), Some(p)) => {
                    PagingOutcome::VendorExtension { extension: (*name).to_owned(), plan: PagingPlan::new(p) }
                }
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
            PagingOutcome::VendorExtension { extension, plan } => {
                (plan.style.as_str(), extension.as_str(), plan.summary())
            }
            PagingOutcome::Disabled => ("none", "x-pagination: false", String::new()),
            PagingOutcome::NotInferred(reason) => ("none", "", reason.clone()),
            PagingOutcome::NotAList(reason) => ("not a list", "", reason.clone()),
        };
        let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(out, "| `{} {}` | {style} | {from} | {} |", row.method, cell(&row.path), cell(&detail));
    }
    out
}
