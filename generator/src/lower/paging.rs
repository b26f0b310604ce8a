//! An operation's pagination: read from `x-pagination`, or inferred from its query parameters, its response body and
//! its response headers when the spec does not say (docs/pagination.md lists the rules).
//!
//! Inference is deliberately conservative: it names a style only when a parameter that carries the position and a
//! signal that ends the listing are both present, because a wrong paginator (one that loops, skips or stops after
//! one page) is worse than none. What it decided, and why not when it did not, is kept in [`PagingOrigin`] for the
//! pagination report.

use openapiv3::{ReferenceOr, Response};
use serde_json::Value;

use super::Lowerer;
use crate::error::pointer_push;
use crate::ir::{
    Field, FieldPath, FieldStep, HttpMethod, Pagination, PaginationStyle, PagingOrigin, Param, ParamLocation, RelLinks,
    SuccessBody, TypeKind, TypeRef,
};

/// What an operation's `x-ms-pageable` says.
enum MsPageable {
    /// It pages by next link.
    Paged(Box<Pagination>),
    /// It returns the whole list at once (why, for the report).
    OneResponse(String),
    /// It is not a GET, so not a list operation as the report counts them (why).
    NotAGet(String),
    /// It cannot be followed (warned about): inference decides.
    Unusable,
}

/// `x-pagination` keys every style takes.
const EXTENSION_COMMON_KEYS: &[&str] = &["style", "items", "next", "has-more", "total-items", "total-pages"];
/// `x-pagination` keys that belong to one style (docs/extensions.md).
const EXTENSION_STYLE_KEYS: &[(&str, &[&str])] = &[
    ("page-number", &["page-param"]),
    ("offset", &["offset-param", "limit-param"]),
    ("marker", &["marker-param", "limit-param", "item-id"]),
    ("page-token", &["token-param"]),
    ("next-link", &[]),
    ("link-header", &[]),
];

/// The `x-pagination` key that names the parameter carrying a style's position (`page-param` for `page-number`),
/// read from [`EXTENSION_STYLE_KEYS`]; `None` for styles that follow links.
pub(crate) fn position_param_key(style: &str) -> Option<&'static str> {
    let (_, keys) = EXTENSION_STYLE_KEYS.iter().find(|(name, _)| *name == style)?;
    keys.iter().copied().find(|key| key.ends_with("-param") && *key != "limit-param")
}

/// How deep inference looks for paging fields in a response body (`links.pages.next` is three levels).
const SIGNAL_DEPTH: usize = 3;

/// `page=1,2,3` parameters, by normalized name (lower case, letters and digits only).
const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pageno", "pagenum", "pageindex"];
/// Page-size parameters.
const LIMIT_PARAMS: &[&str] =
    &["limit", "perpage", "pagesize", "size", "maxresults", "maxitems", "top", "pagelimit", "maxpagesize"];
/// Item-offset parameters.
const OFFSET_PARAMS: &[&str] = &["offset", "skip", "startindex", "startat"];
/// Parameters that take a cursor read from the previous page.
const CURSOR_PARAMS: &[&str] = &[
    "pagetoken",
    "cursor",
    "continue",
    "continuationtoken",
    "nexttoken",
    "pagecursor",
    "nextpagetoken",
    "after",
    "marker",
    "pagekey",
    "paginationtoken",
];
/// Parameters that take the id of the previous page's last item.
const LAST_ITEM_PARAMS: &[&str] = &["startingafter", "startafter", "afterid", "startafterid"];
/// Parameters that take the last item's id only when their description says so (elsewhere `after` and `marker` are
/// opaque cursors: HubSpot's `paging.next.after`, Box's `next_marker`).
const MAYBE_LAST_ITEM_PARAMS: &[&str] = &["after", "marker"];
/// Response fields that may hold a cursor for the next page.
const CURSOR_FIELDS: &[&str] = &[
    "after",
    "nextpagetoken",
    "nexttoken",
    "nextcursor",
    "cursor",
    "continue",
    "continuationtoken",
    "nextmarker",
    "nextpage",
    "next",
    "lastid",
    "nextkey",
    "nextpagecursor",
];
/// Response fields holding a cursor under another name than the parameter it feeds: (parameter, field).
const CURSOR_ALIASES: &[(&str, &str)] =
    &[("after", "lastid"), ("after", "endcursor"), ("paginationtoken", "nexttoken")];
/// Response fields that may hold the URL of the next page.
const NEXT_LINK_FIELDS: &[&str] =
    &["next", "nextlink", "nexturl", "nexturi", "nextpage", "nextpageurl", "nextpageuri", "nexthref", "odatanextlink"];
/// Fields beside a `next` that make it one of a set of page links.
const LINK_SIBLINGS: &[&str] = &["first", "prev", "previous", "last", "self"];
/// Objects whose `next` field is a link.
const LINK_CONTAINERS: &[&str] = &["links", "link", "pages", "paging", "pagination"];
/// Boolean "there is more" fields.
const HAS_MORE_FIELDS: &[&str] =
    &["hasmore", "hasnext", "hasnextpage", "more", "istruncated", "truncated", "hasmoreitems", "hasmoreresults"];
/// Integer total-item fields.
const TOTAL_ITEM_FIELDS: &[&str] =
    &["total", "totalcount", "totalitems", "totalresults", "totalsize", "totalrecords", "totalelements"];
/// Integer total-page fields.
const TOTAL_PAGE_FIELDS: &[&str] = &["totalpages", "pagecount", "pages", "numpages"];
/// Collection names to prefer when a page holds several arrays.
const ITEM_ARRAYS: &[&str] = &["data", "items", "results", "entries", "records", "value", "elements"];

/// A name lower-cased, with everything but letters and digits taken out: `next_page-Token` → `nextpagetoken`.
fn normalized(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// What is left of a cursor name without `next` in front and `token`/`cursor`/`marker` behind, so that a parameter
/// and the field feeding it compare equal: `pageToken` and `nextPageToken` → `page`, `page_token` and `next_page`
/// → `page`, `cursor` and `next_cursor` → ``, `continue` → `continue`.
fn cursor_stem(name: &str) -> String {
    let name = normalized(name);
    let name = name.strip_prefix("next").unwrap_or(&name);
    let name = ["token", "cursor", "marker"].iter().find_map(|suffix| name.strip_suffix(suffix)).unwrap_or(name);
    name.to_owned()
}

/// A scalar field reached from the page.
#[derive(Clone)]
struct Reached {
    /// Wire names from the page down, for reports.
    wire: Vec<String>,
    path: FieldPath,
    doc: Option<String>,
    ty: TypeRef,
    /// The normalized names of the fields beside it.
    siblings: Vec<String>,
}

impl Reached {
    fn dotted(&self) -> String {
        self.wire.join(".")
    }

    fn name(&self) -> String {
        normalized(self.wire.last().map(String::as_str).unwrap_or(""))
    }

    fn parent(&self) -> String {
        self.wire.len().checked_sub(2).map(|i| normalized(&self.wire[i])).unwrap_or_default()
    }
}

/// What a page's body holds that paging could use.
#[derive(Default)]
struct Body {
    /// The items array: its path and item type.
    items: Option<(FieldPath, String, TypeRef)>,
    /// Why there is no items array.
    no_items: Option<String>,
    /// Every scalar field within [`SIGNAL_DEPTH`], outside the items, shallowest first.
    fields: Vec<Reached>,
    /// HAL-style `next: { href }` links, as the `href` field.
    hal_next: Option<Reached>,
    /// An array of `{rel, href}` link objects named `links` or `*_links` (OpenStack), outside the items.
    rel_links: Option<RelLinks>,
}

/// The query parameters that paging could use.
#[derive(Default)]
struct Params<'a> {
    page: Option<&'a Param>,
    limit: Option<&'a Param>,
    offset: Option<&'a Param>,
    cursor: Vec<&'a Param>,
    last_item: Option<&'a Param>,
    /// A boolean that turns cursor paging on (Box's `usemarker`): cursors are then not the default.
    cursor_switch: Option<&'a Param>,
}

impl Lowerer<'_> {
    /// The operation's pagination, and how it was decided: `x-pagination` when present (`false` turns paging off,
    /// `true` asks for inference and fails when it finds nothing), else inference.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn paging(
        &mut self,
        extension: Option<&Value>,
        ms_pageable: Option<&Value>,
        method: HttpMethod,
        params: &[Param],
        success: &SuccessBody,
        response: Option<&Response>,
        path: &str,
        pointer: &str,
    ) -> (Option<Pagination>, PagingOrigin) {
        let ext_pointer = pointer_push(pointer, "x-pagination");
        match extension {
            Some(Value::Bool(false)) => (None, PagingOrigin::Disabled),
            // `true`: the operation must page, as its `x-ms-pageable` or inference says.
            Some(Value::Bool(true)) => {
                let found = self.found_paging(ms_pageable, method, params, success, response, path, pointer);
                if let (None, PagingOrigin::NotInferred(reason) | PagingOrigin::NotAList(reason)) = &found {
                    self.error(&ext_pointer, format!("`x-pagination: true`, but no pagination was found: {reason}"));
                }
                found
            }
            Some(ext) => match self.pagination_extension(ext, params, success, &ext_pointer) {
                Some(pagination) => (Some(pagination), PagingOrigin::Extension),
                None => (None, PagingOrigin::NotInferred("`x-pagination` is invalid".to_owned())),
            },
            None => self.found_paging(ms_pageable, method, params, success, response, path, pointer),
        }
    }

    /// The paging found without `x-pagination`: the vendor's `x-ms-pageable` when it is usable, else inference.
    #[allow(clippy::too_many_arguments)]
    fn found_paging(
        &mut self,
        ms_pageable: Option<&Value>,
        method: HttpMethod,
        params: &[Param],
        success: &SuccessBody,
        response: Option<&Response>,
        path: &str,
        pointer: &str,
    ) -> (Option<Pagination>, PagingOrigin) {
        if let Some(ext) = ms_pageable {
            match self.ms_pageable(ext, method, success, &pointer_push(pointer, "x-ms-pageable")) {
                MsPageable::Paged(pagination) => {
                    return (Some(*pagination), PagingOrigin::VendorExtension("x-ms-pageable"));
                }
                MsPageable::OneResponse(reason) => return (None, PagingOrigin::NotInferred(reason)),
                MsPageable::NotAGet(reason) => return (None, PagingOrigin::NotAList(reason)),
                MsPageable::Unusable => {}
            }
        }
        match self.infer_paging(method, params, success, response, path) {
            Ok(pagination) => (Some(pagination), PagingOrigin::Inferred),
            Err(origin) => (None, origin),
        }
    }

    /// AutoRest's `x-ms-pageable` (Azure and Microsoft Graph specs): `nextLinkName` names the response property that
    /// holds the next page's URL, `itemName` (default `value`) the array of items; a null `nextLinkName` means the
    /// whole list comes in one response. Both are property names of the response, matched whole (`@odata.nextLink`
    /// holds a dot). The next page is a GET of the link, so only GET operations page (the runtime repeats an
    /// operation's own method). `operationName` names the operation that fetches the link: usually a GET of the
    /// link itself, but when that operation takes the link as a path parameter (`/{tenantID}/{nextLink}`, Azure AD
    /// Graph) the link is a fragment that only it can complete, so the operation gets no paginator.
    ///
    /// The extension is the vendor's, not this generator's: one that names no such property is a warning, and
    /// inference decides instead.
    fn ms_pageable(&mut self, ext: &Value, method: HttpMethod, success: &SuccessBody, pointer: &str) -> MsPageable {
        let Some(object) = ext.as_object() else {
            self.warn(pointer, "`x-ms-pageable` is not an object; paging is inferred instead");
            return MsPageable::Unusable;
        };
        if method != HttpMethod::Get {
            return MsPageable::NotAGet(format!(
                "`x-ms-pageable` on a {method}: its next page is a GET of the link, which a {method} operation's \
                 paginator does not make"
            ));
        }
        let next_name = match object.get("nextLinkName") {
            Some(Value::String(name)) => name.clone(),
            // Absent or null: one response. An object names no property either; Swagger 2.0 → OpenAPI 3 converters
            // have been seen writing the null as `{}` or as a `$ref` to one (APIs.guru's graphrbac).
            None | Some(Value::Null | Value::Object(_)) => {
                return MsPageable::OneResponse(
                    "`x-ms-pageable` has no `nextLinkName`: the whole list comes in one response".to_owned(),
                );
            }
            Some(_) => {
                self.warn(pointer, "`x-ms-pageable` `nextLinkName` is not a string; paging is inferred instead");
                return MsPageable::Unusable;
            }
        };
        if let Some(Value::String(operation)) = object.get("operationName") {
            if self.operation_takes_next_link(operation) {
                return MsPageable::OneResponse(format!(
                    "`x-ms-pageable` fetches the next page through `{operation}`, which takes the link as a path \
                     parameter: a fragment the paginator cannot follow"
                ));
            }
        }
        let item_name = match object.get("itemName") {
            None | Some(Value::Null) => "value".to_owned(),
            Some(Value::String(name)) => name.clone(),
            Some(_) => {
                self.warn(pointer, "`x-ms-pageable` `itemName` is not a string; paging is inferred instead");
                return MsPageable::Unusable;
            }
        };
        let page_type = match success {
            SuccessBody::Json(ty) if !matches!(ty, TypeRef::Option(_)) => ty,
            _ => {
                self.warn(
                    pointer,
                    "`x-ms-pageable` needs a JSON body on every success status; paging is inferred instead",
                );
                return MsPageable::Unusable;
            }
        };
        let fields = self.struct_fields(page_type).unwrap_or_default();
        let items =
            fields.iter().find_map(|f| Some((f, self.array_item(&f.ty)?)).filter(|(f, _)| f.wire_name == item_name));
        let next = fields.iter().find(|f| f.wire_name == next_name && is_string(&self.resolved(&f.ty)));
        let (Some((items, item_type)), Some(next)) = (items, next) else {
            let missing = if next.is_none() {
                format!("no string property `{next_name}` (its `nextLinkName`)")
            } else {
                format!("no array property `{item_name}` (its `itemName`)")
            };
            self.warn(pointer, format!("`x-ms-pageable`: the response has {missing}; paging is inferred instead"));
            return MsPageable::Unusable;
        };
        MsPageable::Paged(Box::new(Pagination {
            style: PaginationStyle::NextLink,
            items: FieldPath { steps: vec![step(items)], wire: items.wire_name.clone() },
            next: Some(FieldPath { steps: vec![step(next)], wire: next.wire_name.clone() }),
            next_in_links: None,
            item_id: None,
            has_more: None,
            total_items: None,
            total_pages: None,
            item_type,
        }))
    }

    /// `x-pagination` (docs/extensions.md).
    fn pagination_extension(
        &mut self,
        ext: &Value,
        params: &[Param],
        success: &SuccessBody,
        pointer: &str,
    ) -> Option<Pagination> {
        let SuccessBody::Json(page_type) = success else {
            self.error(pointer, "`x-pagination` needs a JSON success response");
            return None;
        };
        if !self.extension_keys_valid(ext, params, pointer) {
            return None;
        }
        let get = |key: &str| ext.get(key).and_then(Value::as_str).map(str::to_owned);
        let Some(style_name) = get("style") else {
            self.error(
                pointer,
                "`x-pagination` needs `style` (page-number, offset, marker, page-token, next-link or link-header), \
                 or is `false` (no paging) or `true` (inferred)",
            );
            return None;
        };
        let param = |key: &str, this: &mut Self| -> Option<String> {
            let value = get(key);
            if value.is_none() {
                this.error(pointer, format!("`x-pagination` with style `{style_name}` needs `{key}`"));
            }
            value
        };
        let style = match style_name.as_str() {
            "page-number" => {
                let name = param("page-param", self)?;
                let first = first_page(params.iter().find(|p| p.wire_name == name));
                PaginationStyle::PageNumber { param: name, first }
            }
            "offset" => PaginationStyle::Offset { param: param("offset-param", self)?, limit: get("limit-param") },
            "marker" => PaginationStyle::Marker { param: param("marker-param", self)?, limit: get("limit-param") },
            "page-token" => PaginationStyle::PageToken { param: param("token-param", self)? },
            "next-link" => PaginationStyle::NextLink,
            "link-header" => PaginationStyle::LinkHeader,
            other => {
                let styles: Vec<&str> = EXTENSION_STYLE_KEYS.iter().map(|(name, _)| *name).collect();
                self.error(
                    &pointer_push(pointer, "style"),
                    format!("unknown `x-pagination` style `{other}` (the styles: {})", styles.join(", ")),
                );
                return None;
            }
        };
        if matches!(page_type, TypeRef::Option(_)) {
            self.error(pointer, "`x-pagination` needs every success status to have a JSON body");
            return None;
        }
        let items_path = get("items").unwrap_or_default();
        let items = if items_path.is_empty() {
            FieldPath::default()
        } else {
            self.field_path(page_type, &items_path, &pointer_push(pointer, "items"))?
        };
        let items_type = items.steps.last().map_or(page_type, |s| &s.ty);
        let Some(item_type) = self.array_item(items_type) else {
            let what = if items_path.is_empty() { "the response" } else { items_path.as_str() };
            self.error(
                &pointer_push(pointer, "items"),
                format!("`{what}` is not an array (`items` is the dotted path to the array of items)"),
            );
            return None;
        };
        // `None`: invalid (reported); `Some(None)`: not given.
        let typed = |this: &mut Self, key: &str, root: &TypeRef, want: &str, ok: fn(&TypeRef) -> bool| {
            let Some(path) = get(key) else { return Some(None) };
            let field = this.field_path(root, &path, &pointer_push(pointer, key))?;
            if field.steps.last().is_some_and(|s| ok(&this.resolved(&s.ty))) {
                Some(Some(field))
            } else {
                this.error(
                    &pointer_push(pointer, key),
                    format!("`{key}` needs {want} property, and `{path}` is not one"),
                );
                None
            }
        };
        let next = typed(self, "next", page_type, "a string", is_string)?;
        let has_more = typed(self, "has-more", page_type, "a boolean", is_bool)?;
        let total_items = typed(self, "total-items", page_type, "an integer", is_integer)?;
        let total_pages = typed(self, "total-pages", page_type, "an integer", is_integer)?;
        let item_id = typed(self, "item-id", &item_type, "a string, integer or uuid", is_id)?;
        let needs = match &style {
            PaginationStyle::PageToken { .. } | PaginationStyle::NextLink if next.is_none() => Some("`next`"),
            PaginationStyle::Marker { .. } if next.is_none() && item_id.is_none() => Some("`next` or `item-id`"),
            PaginationStyle::PageNumber { .. }
                if next.is_none() && has_more.is_none() && total_items.is_none() && total_pages.is_none() =>
            {
                Some("`next`, `has-more`, `total-items` or `total-pages`, to know when to stop")
            }
            _ => None,
        };
        if let Some(needs) = needs {
            self.error(pointer, format!("`x-pagination` with style `{style_name}` needs {needs}"));
            return None;
        }
        let next_in_links = None;
        Some(Pagination { style, items, next, next_in_links, item_id, has_more, total_items, total_pages, item_type })
    }

    /// Whether the operation with this `operationId` has a path parameter named like a next link
    /// (`/{tenantID}/{nextLink}`).
    fn operation_takes_next_link(&self, operation_id: &str) -> bool {
        self.doc.paths.paths.iter().any(|(path, item)| {
            let ReferenceOr::Item(item) = item else { return false };
            let takes_link = path.split('/').any(|segment| {
                segment.strip_prefix('{').is_some_and(|s| s.to_ascii_lowercase().starts_with("nextlink"))
            });
            takes_link && item.iter().any(|(_, op)| op.operation_id.as_deref() == Some(operation_id))
        })
    }

    /// Checks `x-pagination`'s shape before it is read: an object of string values whose keys are known and belong
    /// to its style, and whose parameter keys name query parameters of the operation. A misspelt key would
    /// otherwise be ignored and a wrong parameter name sent to a server that ignores it (the same page again).
    /// Every problem is reported, each at its key's pointer; `false` when there was one.
    fn extension_keys_valid(&mut self, ext: &Value, params: &[Param], pointer: &str) -> bool {
        let Some(object) = ext.as_object() else {
            self.error(pointer, "`x-pagination` must be an object, `true` (infer it) or `false` (no paging)");
            return false;
        };
        let style = object.get("style").and_then(Value::as_str);
        let style_keys = EXTENSION_STYLE_KEYS.iter().find(|(name, _)| Some(*name) == style).map(|(_, keys)| *keys);
        let mut valid = true;
        // Sorted, so the errors come in one order whichever map serde_json was built with.
        let mut entries: Vec<(&String, &Value)> = object.iter().collect();
        entries.sort_unstable_by_key(|(key, _)| *key);
        for (key, value) in entries {
            let key_pointer = pointer_push(pointer, key);
            let known = EXTENSION_COMMON_KEYS.contains(&key.as_str())
                || EXTENSION_STYLE_KEYS.iter().any(|(_, keys)| keys.contains(&key.as_str()));
            if !known {
                let mut all: Vec<&str> = EXTENSION_COMMON_KEYS.to_vec();
                all.extend(EXTENSION_STYLE_KEYS.iter().flat_map(|(_, keys)| keys.iter().copied()));
                all.sort_unstable();
                all.dedup();
                let loose = |name: &str| name.to_ascii_lowercase().replace(['_', '-'], "");
                let hint = all
                    .iter()
                    .find(|known| loose(known) == loose(key))
                    .map(|known| format!("; did you mean `{known}`?"))
                    .unwrap_or_default();
                self.error(
                    &key_pointer,
                    format!("unknown `x-pagination` key `{key}` (known: {}){hint}", all.join(", ")),
                );
                valid = false;
                continue;
            }
            let Some(text) = value.as_str() else {
                self.error(&key_pointer, format!("`x-pagination` `{key}` must be a string"));
                valid = false;
                continue;
            };
            let belongs =
                EXTENSION_COMMON_KEYS.contains(&key.as_str()) || style_keys.is_none_or(|k| k.contains(&key.as_str()));
            if !belongs {
                let style = style.unwrap_or_default();
                self.error(&key_pointer, format!("`{key}` has no meaning for `x-pagination` style `{style}`"));
                valid = false;
                continue;
            }
            if !key.ends_with("-param") {
                continue;
            }
            let named = params.iter().find(|p| p.location == ParamLocation::Query && p.wire_name == text);
            if let Some(param) = named {
                // The runtime writes a number or a cursor into it: a boolean, array or object cannot carry either.
                let ty = self.resolved(&param.ty);
                if matches!(ty, TypeRef::Bool | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Named(_) | TypeRef::Bytes)
                {
                    self.error(
                        &key_pointer,
                        format!("`{key}` names `{text}`, a parameter that is not a number or a string"),
                    );
                    valid = false;
                }
            }
            if named.is_none() {
                let mut query: Vec<&str> = params
                    .iter()
                    .filter(|p| p.location == ParamLocation::Query)
                    .map(|p| p.wire_name.as_str())
                    .collect();
                query.sort_unstable();
                let has = if query.is_empty() { "none".to_owned() } else { query.join(", ") };
                self.error(
                    &key_pointer,
                    format!("`{key}` names `{text}`, which is not a query parameter of this operation (its query parameters: {has})"),
                );
                valid = false;
            }
        }
        valid
    }

    /// Pagination inferred from the operation's shape, or why there is none.
    fn infer_paging(
        &mut self,
        method: HttpMethod,
        params: &[Param],
        success: &SuccessBody,
        response: Option<&Response>,
        path: &str,
    ) -> Result<Pagination, PagingOrigin> {
        let not_a_list = |reason: &str| Err(PagingOrigin::NotAList(reason.to_owned()));
        if method != HttpMethod::Get {
            return not_a_list("not a GET");
        }
        let SuccessBody::Json(page_type) = success else { return not_a_list("no JSON success response") };
        if matches!(page_type, TypeRef::Option(_)) {
            // The output is `Option<Page>`: a success status without a body (GitHub's 204 for an empty repository).
            return Err(PagingOrigin::NotInferred(
                "a documented success status has no body, so a page may be nothing at all".to_owned(),
            ));
        }
        let body = self.page_body(page_type, path);
        let Some((items, items_name, item_type)) = body.items.clone() else {
            return Err(PagingOrigin::NotAList(body.no_items.unwrap_or_else(|| "no array in the response".to_owned())));
        };
        let params = classify_params(params, |ty| self.resolved(ty));
        let pages_somehow = params.page.is_some()
            || params.offset.is_some()
            || !params.cursor.is_empty()
            || params.last_item.is_some()
            || params.limit.is_some();
        if path.trim_end_matches('/').ends_with('}') && !pages_somehow && !items.steps.is_empty() {
            return not_a_list("reads one resource (the path ends with a parameter), whose array is not a page");
        }
        let item_id = self.item_id(&item_type);
        let find = |names: &[&str], ok: fn(&TypeRef) -> bool| {
            body.fields.iter().find(|f| names.contains(&f.name().as_str()) && ok(&f.ty)).cloned()
        };
        let has_more = find(HAS_MORE_FIELDS, is_bool);
        let total_items = find(TOTAL_ITEM_FIELDS, is_integer);
        let total_pages = find(TOTAL_PAGE_FIELDS, is_integer);
        let next_link = body.hal_next.clone().or_else(|| {
            body.fields
                .iter()
                .find(|f| is_string(&f.ty) && NEXT_LINK_FIELDS.contains(&f.name().as_str()) && looks_like_link(f))
                .cloned()
        });
        let limit = params.limit.map(|p| p.wire_name.clone());
        let path_of = |reached: &Option<Reached>| reached.as_ref().map(|r| r.path.clone());
        let rel_links = body.rel_links.clone();
        let pagination = |style, next: Option<&Reached>, item_id: Option<FieldPath>| Pagination {
            next_in_links: match (&style, next) {
                (PaginationStyle::PageToken { .. } | PaginationStyle::LinkHeader, _) | (_, Some(_)) => None,
                _ => rel_links.clone(),
            },
            style,
            items: items.clone(),
            next: next.map(|r| r.path.clone()),
            item_id,
            has_more: path_of(&has_more),
            total_items: path_of(&total_items),
            total_pages: path_of(&total_pages),
            item_type: item_type.clone(),
        };
        let header = response.and_then(|r| r.headers.keys().find(|name| name.eq_ignore_ascii_case("link")));
        if header.is_some() {
            return Ok(pagination(PaginationStyle::LinkHeader, None, None));
        }
        // A next link counts only beside a parameter of paging: a document may reuse one list schema, links and
        // all, for a list its operation returns whole (OpenStack's image members).
        if let Some(next) =
            next_link.as_ref().map(Some).or(body.rel_links.as_ref().map(|_| None)).filter(|_| pages_somehow)
        {
            let style = match (params.last_item, params.page) {
                (Some(marker), _) => PaginationStyle::Marker { param: marker.wire_name.clone(), limit: limit.clone() },
                (None, Some(page)) if params.cursor.is_empty() => {
                    PaginationStyle::PageNumber { param: page.wire_name.clone(), first: first_page(Some(page)) }
                }
                _ => PaginationStyle::NextLink,
            };
            // The link is followed; the last item's id would only serve a page without one, which is the last.
            return Ok(pagination(style, next, None));
        }
        if params.cursor_switch.is_none() {
            for param in &params.cursor {
                let stem = cursor_stem(&param.wire_name);
                let param_name = normalized(&param.wire_name);
                // The parameter's description may name the field: "the value from the previous response's `next`
                // field" (OpenAI's roles).
                let named = |f: &Reached| {
                    let field = f.wire.last().map(String::as_str).unwrap_or("");
                    param.doc.as_deref().is_some_and(|doc| doc.contains(&format!("`{field}`")))
                };
                let feeds = |f: &&Reached| {
                    is_string(&f.ty)
                        && (CURSOR_FIELDS.contains(&f.name().as_str()) && cursor_stem(&f.name()) == stem
                            || CURSOR_ALIASES.contains(&(param_name.as_str(), f.name().as_str()))
                            || CURSOR_FIELDS.contains(&f.name().as_str()) && named(f))
                };
                if let Some(field) = body.fields.iter().find(feeds) {
                    let style = PaginationStyle::PageToken { param: param.wire_name.clone() };
                    return Ok(pagination(style, Some(field), None));
                }
            }
        }
        if let Some(page) = params.page {
            if has_more.is_some() || total_pages.is_some() || total_items.is_some() {
                let style =
                    PaginationStyle::PageNumber { param: page.wire_name.clone(), first: first_page(Some(page)) };
                return Ok(pagination(style, None, None));
            }
        }
        if let Some(offset) = params.offset {
            if has_more.is_some() || total_items.is_some() || limit.is_some() {
                let style = PaginationStyle::Offset { param: offset.wire_name.clone(), limit };
                return Ok(pagination(style, None, None));
            }
        }
        if let (Some(last_item), Some(id)) = (params.last_item, &item_id) {
            if params.cursor_switch.is_none() && (has_more.is_some() || limit.is_some()) {
                let style = PaginationStyle::Marker { param: last_item.wire_name.clone(), limit };
                return Ok(pagination(style, None, Some(id.path.clone())));
            }
        }
        Err(PagingOrigin::NotInferred(not_inferred_reason(
            &params,
            &body,
            &items_name,
            item_id.is_some(),
            has_more.is_some() || total_items.is_some(),
            next_link
                .as_ref()
                .map(Reached::dotted)
                .or(body.rel_links.as_ref().map(|links| format!("{}[rel=next].href", links.array.wire))),
        )))
    }

    /// The items array of a page and the scalar fields around it.
    fn page_body(&self, page_type: &TypeRef, path: &str) -> Body {
        let mut body = Body::default();
        if let Some(item) = self.array_item(page_type) {
            body.items = Some((FieldPath::default(), "the response".to_owned(), item));
            return body;
        }
        let Some(fields) = self.struct_fields(page_type) else {
            body.no_items = Some("the response is not an object or array".to_owned());
            return body;
        };
        body.rel_links = fields.iter().find_map(|f| self.rel_links(f));
        let arrays: Vec<(&Field, TypeRef)> = fields
            .iter()
            .filter(|f| self.rel_links(f).is_none())
            .filter_map(|f| Some((f, self.array_item(&f.ty)?)))
            .collect();
        // The collection is the only array, else the one named like the path's last word or a usual collection name.
        let last_word =
            path.rsplit('/').find(|s| !s.is_empty() && !s.starts_with('{')).map(normalized).unwrap_or_default();
        let chosen = match arrays.as_slice() {
            [] => {
                body.no_items = Some("no array in the response".to_owned());
                None
            }
            [one] => Some(one),
            several => {
                let by_path = several.iter().filter(|(f, _)| normalized(&f.wire_name) == last_word).collect::<Vec<_>>();
                let by_name = several
                    .iter()
                    .filter(|(f, _)| ITEM_ARRAYS.contains(&normalized(&f.wire_name).as_str()))
                    .collect::<Vec<_>>();
                match (by_path.as_slice(), by_name.as_slice()) {
                    ([one], _) | ([], [one]) => Some(*one),
                    _ => {
                        let names: Vec<String> = several.iter().map(|(f, _)| format!("`{}`", f.wire_name)).collect();
                        body.no_items = Some(format!("several arrays ({}), none of them the list", names.join(", ")));
                        None
                    }
                }
            }
        };
        let Some((field, item)) = chosen else { return body };
        body.items = Some((
            FieldPath { steps: vec![step(field)], wire: field.wire_name.clone() },
            field.wire_name.clone(),
            item.clone(),
        ));
        let items_name = field.wire_name.clone();
        self.collect_fields(page_type, &mut Vec::new(), &mut Vec::new(), &items_name, &mut body, 0);
        body
    }

    /// Walks the page's struct fields breadth-first-ish (each level before the next), recording scalars.
    fn collect_fields(
        &self,
        ty: &TypeRef,
        wire: &mut Vec<String>,
        steps: &mut Vec<FieldStep>,
        items_name: &str,
        body: &mut Body,
        depth: usize,
    ) {
        let Some(fields) = self.struct_fields(ty) else { return };
        let mut nested = Vec::new();
        for field in &fields {
            if depth == 0 && field.wire_name == items_name {
                continue;
            }
            wire.push(field.wire_name.clone());
            steps.push(step(field));
            let resolved = self.resolved(&field.ty);
            if self.struct_fields(&field.ty).is_some() {
                nested.push(field.clone());
            } else if !matches!(resolved, TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json) {
                let reached = Reached {
                    wire: wire.clone(),
                    path: FieldPath { steps: steps.clone(), wire: wire.join(".") },
                    doc: field.doc.clone(),
                    ty: resolved,
                    siblings: fields.iter().map(|f| normalized(&f.wire_name)).collect(),
                };
                // HAL: `_links.next.href`.
                if reached.name() == "href"
                    && reached.parent() == "next"
                    && body.hal_next.is_none()
                    && is_string(&reached.ty)
                {
                    body.hal_next = Some(reached.clone());
                }
                body.fields.push(reached);
            }
            wire.pop();
            steps.pop();
        }
        if depth + 1 >= SIGNAL_DEPTH {
            return;
        }
        for field in nested {
            wire.push(field.wire_name.clone());
            steps.push(step(&field));
            self.collect_fields(&field.ty, wire, steps, items_name, body, depth + 1);
            wire.pop();
            steps.pop();
        }
    }

    /// `field` as an array of `{rel, href}` string pairs named `links` or `*_links`.
    fn rel_links(&self, field: &Field) -> Option<RelLinks> {
        let name = normalized(&field.wire_name);
        if !name.ends_with("links") {
            return None;
        }
        let link = self.struct_fields(&self.array_item(&field.ty)?)?;
        let string_step = |wire: &str| {
            let f = link.iter().find(|f| f.wire_name == wire)?;
            is_string(&self.resolved(&f.ty)).then(|| step(f))
        };
        Some(RelLinks {
            array: FieldPath { steps: vec![step(field)], wire: field.wire_name.clone() },
            rel: string_step("rel")?,
            href: string_step("href")?,
        })
    }

    /// The `id` field of an item type, when it is a string, integer or uuid.
    fn item_id(&self, item_type: &TypeRef) -> Option<Reached> {
        let fields = self.struct_fields(item_type)?;
        let field = fields.iter().find(|f| f.wire_name == "id")?;
        let ty = self.resolved(&field.ty);
        is_id(&ty).then(|| Reached {
            wire: vec![field.wire_name.clone()],
            path: FieldPath { steps: vec![step(field)], wire: field.wire_name.clone() },
            doc: None,
            ty,
            siblings: Vec::new(),
        })
    }

    /// A type with its aliases followed (at most once each: an alias cycle is reported where the type is lowered).
    pub(super) fn through_aliases(&self, ty: &TypeRef) -> TypeRef {
        let mut current = ty.clone();
        for _ in 0..=self.types.space.len() {
            match &current {
                TypeRef::Named(id) => match self.types.space[id.0].as_ref().map(|d| &d.kind) {
                    Some(TypeKind::Alias(target)) => current = target.clone(),
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    /// A type with its aliases and `Option`s followed.
    fn resolved(&self, ty: &TypeRef) -> TypeRef {
        let mut current = self.through_aliases(ty);
        while let TypeRef::Option(inner) = current {
            current = self.through_aliases(&inner);
        }
        current
    }

    /// The fields of a struct type (through aliases).
    pub(super) fn struct_fields(&self, ty: &TypeRef) -> Option<Vec<Field>> {
        match self.resolved(ty) {
            TypeRef::Named(id) => match self.types.space[id.0].as_ref().map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => Some(s.fields.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The item type of an array type (through aliases).
    fn array_item(&self, ty: &TypeRef) -> Option<TypeRef> {
        match self.resolved(ty) {
            TypeRef::Vec(item) => Some(*item),
            _ => None,
        }
    }
}

/// The number of a listing's first page: the parameter's `default` when it is 0 or 1 (the page the server sends when
/// none is asked for), else 0 when its `minimum` is an inclusive 0, else 1.
fn first_page(param: Option<&Param>) -> u64 {
    if let Some(first) = param.and_then(|p| p.default.as_ref()).and_then(Value::as_u64).filter(|d| *d <= 1) {
        return first;
    }
    let zero_based =
        param.and_then(|p| p.constraints.minimum).is_some_and(|(minimum, exclusive)| minimum == 0.0 && !exclusive);
    u64::from(!zero_based)
}

fn step(field: &Field) -> FieldStep {
    FieldStep { rust_name: field.rust_name.clone(), presence: field.presence(), ty: field.ty.clone() }
}

/// The query parameters by their paging role.
fn classify_params<'a>(params: &'a [Param], resolved: impl Fn(&TypeRef) -> TypeRef) -> Params<'a> {
    let mut roles = Params::default();
    // A deprecated parameter may be ignored by the server (androidpublisher's `startIndex`, "Deprecated and ignored").
    let deprecated = |p: &Param| {
        p.deprecated || p.doc.as_deref().is_some_and(|doc| words(doc).next().is_some_and(|w| w == "deprecated"))
    };
    for param in params.iter().filter(|p| p.location == ParamLocation::Query && !deprecated(p)) {
        let name = normalized(&param.wire_name);
        let ty = resolved(&param.ty);
        let name = name.as_str();
        if is_integer(&ty) {
            if PAGE_PARAMS.contains(&name) {
                roles.page = roles.page.or(Some(param));
            } else if LIMIT_PARAMS.contains(&name) {
                roles.limit = roles.limit.or(Some(param));
            } else if OFFSET_PARAMS.contains(&name) && !says_time(param) {
                roles.offset = roles.offset.or(Some(param));
            }
        }
        if is_string(&ty) || is_id(&ty) {
            // A string `page` is a cursor (Stripe's search: `page` ← `next_page`), not a number.
            if (CURSOR_PARAMS.contains(&name) || PAGE_PARAMS.contains(&name)) && is_string(&ty) {
                roles.cursor.push(param);
            }
            let says_id = param
                .doc
                .as_deref()
                .is_some_and(|doc| words(doc).any(|w| ["id", "ids", "identifier"].contains(&w.as_str())));
            if LAST_ITEM_PARAMS.contains(&name) || (MAYBE_LAST_ITEM_PARAMS.contains(&name) && says_id) {
                roles.last_item = roles.last_item.or(Some(param));
            }
        }
        if matches!(ty, TypeRef::Bool) && (name.contains("marker") || name.contains("cursor")) {
            roles.cursor_switch = Some(param);
        }
    }
    roles
}

/// The lower-case words of a description.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase)
}

/// An offset described as a time (Polygon's "Timestamp offset"), not a count of items.
fn says_time(param: &Param) -> bool {
    param.doc.as_deref().is_some_and(|doc| words(doc).any(|w| w == "timestamp" || w == "time" || w == "date"))
}

/// Why inference chose nothing for a list operation, in words for the report.
fn not_inferred_reason(
    params: &Params<'_>,
    body: &Body,
    items: &str,
    has_id: bool,
    has_end: bool,
    next_link: Option<String>,
) -> String {
    let name = |p: &Param| format!("`{}`", p.wire_name);
    if let Some(next) = next_link {
        return format!(
            "the response has a next link (`{next}`) but the operation has no paging parameter: it may return the whole list"
        );
    }
    if let Some(switch) = params.cursor_switch {
        if params.offset.is_none() {
            return format!("cursor paging is switched on by {}, and there is no offset to fall back on", name(switch));
        }
    }
    if let Some(page) = params.page {
        return format!(
            "{} parameter, but the response has no next link, has-more flag or total to stop on",
            name(page)
        );
    }
    if let Some(cursor) = params.cursor.first() {
        if params.last_item.is_none() || !has_id {
            return format!("{} parameter, but no response field carries the next cursor", name(cursor));
        }
    }
    if let Some(offset) = params.offset {
        return format!("{} parameter, but no total, has-more flag or page-size parameter to stop on", name(offset));
    }
    if let Some(last) = params.last_item {
        return if has_id {
            format!("{} parameter, but no has-more flag or page-size parameter to stop on", name(last))
        } else {
            format!("{} parameter, but the items of `{items}` have no `id`", name(last))
        };
    }
    let cursor_field = body.fields.iter().find(|f| CURSOR_FIELDS.contains(&f.name().as_str()) && is_string(&f.ty));
    if let Some(field) = cursor_field {
        return format!("the response has `{}`, but no query parameter takes it", field.dotted());
    }
    if params.limit.is_some() || has_end {
        return "a page size, total or has-more flag, but no parameter that moves to the next page".to_owned();
    }
    "no paging parameter, next link or cursor".to_owned()
}

/// A string field whose name, place, neighbours or description says it is a URL: `next_page_url`, `links.next`,
/// `next` beside `first` or `prev` (OpenStack's `first`/`next`/`schema`), or "the URL of the next page".
fn looks_like_link(field: &Reached) -> bool {
    let name = field.name();
    let doc = field.doc.as_deref().unwrap_or("").to_ascii_lowercase();
    if ["url", "uri", "link", "href"].iter().any(|word| name.contains(word)) {
        return true;
    }
    // Shutterstock's `next` beside `prev` is "Cursor value that represents the next page of results".
    if words(&doc).any(|w| w == "cursor" || w == "token") {
        return false;
    }
    LINK_CONTAINERS.contains(&field.parent().as_str())
        || (name == "next" && field.siblings.iter().any(|s| LINK_SIBLINGS.contains(&s.as_str())))
        || ["url", "uri", "link"].iter().any(|word| doc.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == *word))
}

fn is_string(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String)
}

fn is_bool(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Bool)
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::I8
            | TypeRef::I16
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::U8
            | TypeRef::U16
            | TypeRef::U32
            | TypeRef::U64
    )
}

fn is_id(ty: &TypeRef) -> bool {
    is_string(ty) || is_integer(ty) || matches!(ty, TypeRef::I64String | TypeRef::Uuid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_stems_pair_parameters_with_fields() {
        assert_eq!(cursor_stem("pageToken"), cursor_stem("nextPageToken"));
        assert_eq!(cursor_stem("page_token"), cursor_stem("next_page"));
        assert_eq!(cursor_stem("cursor"), cursor_stem("next_cursor"));
        assert_eq!(cursor_stem("continue"), "continue");
        assert_ne!(cursor_stem("pageToken"), cursor_stem("next_cursor"));
    }
}
