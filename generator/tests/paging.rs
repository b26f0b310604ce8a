//! Pagination inference: the vendor specs' `x-pagination` is found again without it, `x-pagination` overrides and
//! turns off inference, and operations that only look like lists get no paginator.

use generator::paging_report::{OperationPaging, PagingOutcome, PagingPlan};
use generator::{Config, Error};
use serde_yaml::Value;

fn repo_spec(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn paging(name: &str, text: &str) -> Vec<OperationPaging> {
    Config::new().spec_text(name, text).generate().unwrap_or_else(|e| panic!("{name}: {e}")).paging
}

/// The spec with every operation's `x-pagination` taken out.
fn without_extension(text: &str) -> String {
    let mut doc: Value = serde_yaml::from_str(text).unwrap();
    for (_, item) in doc["paths"].as_mapping_mut().unwrap().iter_mut() {
        for (_, op) in item.as_mapping_mut().unwrap().iter_mut() {
            if let Some(op) = op.as_mapping_mut() {
                op.remove("x-pagination");
            }
        }
    }
    serde_yaml::to_string(&doc).unwrap()
}

fn only_plan(rows: &[OperationPaging]) -> (&PagingOutcome, &PagingPlan) {
    let paged: Vec<_> = rows.iter().filter(|row| row.outcome.plan().is_some()).collect();
    assert_eq!(paged.len(), 1, "{rows:?}");
    (&paged[0].outcome, paged[0].outcome.plan().unwrap())
}

fn field<'a>(plan: &'a PagingPlan, what: &str) -> Option<&'a str> {
    plan.fields.iter().find(|(name, _)| name == what).map(|(_, path)| path.as_str())
}

#[test]
fn inference_alone_finds_the_documented_style_of_the_vendor_specs() {
    for name in ["digitalocean.yaml", "rackspace.yaml", "yandex-compute.yaml"] {
        let text = repo_spec(name);
        let documented = paging(name, &text);
        let (origin, documented) = only_plan(&documented);
        assert!(matches!(origin, PagingOutcome::Extension(_)), "{name}: {origin:?}");
        let inferred = paging(name, &without_extension(&text));
        let (origin, inferred) = only_plan(&inferred);
        assert!(matches!(origin, PagingOutcome::Inferred(_)), "{name}: {origin:?}");
        assert_eq!(inferred.style, documented.style, "{name}");
        assert_eq!(inferred.param, documented.param, "{name}");
        // The item id is not compared: beside a next link it is never read (the runtime follows the link).
        for what in ["items", "next"] {
            if let Some(path) = field(documented, what) {
                assert_eq!(field(inferred, what), Some(path), "{name}: {what}");
            }
        }
    }
}

/// A list operation whose query parameters and page are given.
fn list_spec(params: &str, page: &str, extension: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: t, version: 1.0.0}}
paths:
  /things:
    get:
      operationId: list_things
{extension}      parameters: [{params}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {page}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {{type: string}}
"#
    )
}

fn query(name: &str, ty: &str) -> String {
    format!("{{name: {name}, in: query, schema: {{type: {ty}}}}}")
}

fn outcome(params: &[String], page: &str, extension: &str) -> PagingOutcome {
    let rows = paging("t.yaml", &list_spec(&params.join(", "), page, extension));
    rows.into_iter().next().unwrap().outcome
}

const ITEMS: &str = "things: {type: array, items: {$ref: '#/components/schemas/Thing'}}";

fn page(extra: &str) -> String {
    format!("{{type: object, properties: {{{ITEMS}{extra}}}}}")
}

#[test]
fn unsure_inference_emits_nothing() {
    // A page number with nothing in the response to stop on.
    let none = outcome(&[query("page", "integer")], &page(""), "");
    assert!(matches!(&none, PagingOutcome::NotInferred(why) if why.contains("`page`")), "{none:?}");
    // A cursor parameter with no field feeding it.
    let none = outcome(&[query("cursor", "string")], &page(", total: {type: integer}"), "");
    assert!(matches!(&none, PagingOutcome::NotInferred(why) if why.contains("`cursor`")), "{none:?}");
    // A field that could feed a cursor, but no parameter taking it.
    let none = outcome(&[], &page(", next_cursor: {type: string}"), "");
    assert!(matches!(&none, PagingOutcome::NotInferred(why) if why.contains("next_cursor")), "{none:?}");
    // A next link, but no paging parameter: the list may come whole.
    let none = outcome(&[], &page(", links: {type: object, properties: {next: {type: string}}}"), "");
    assert!(matches!(&none, PagingOutcome::NotInferred(why) if why.contains("links.next")), "{none:?}");
    // Two arrays and neither is the list.
    let two = "{type: object, properties: {a: {type: array, items: {type: string}}, b: {type: array, items: {type: string}}}}";
    let none = outcome(&[query("page", "integer")], two, "");
    assert!(matches!(&none, PagingOutcome::NotAList(why) if why.contains("several arrays")), "{none:?}");
    // No array at all.
    let none = outcome(&[query("page", "integer")], "{type: object, properties: {total: {type: integer}}}", "");
    assert!(matches!(none, PagingOutcome::NotAList(_)), "{none:?}");
    // A success status without a body (GitHub's 204 for an empty repository): the output is `Option<page>`.
    let text = list_spec(&query("page", "integer"), "{type: array, items: {$ref: '#/components/schemas/Thing'}}", "")
        .replace("'200':", "'204': {description: empty}\n        '200':")
        .replace("description: ok", "description: ok\n          headers: {Link: {schema: {type: string}}}");
    let none = paging("t.yaml", &text).remove(0).outcome;
    assert!(matches!(&none, PagingOutcome::NotInferred(why) if why.contains("no body")), "{none:?}");
    // `after` and `marker` are the last item's id only when their description says so (HubSpot's `after` is a cursor).
    let after = "{name: after, in: query, description: The paging cursor token of the last successfully read resource., schema: {type: string}}";
    let none = outcome(&[after.to_owned(), query("limit", "integer")], &page(""), "");
    assert!(matches!(none, PagingOutcome::NotInferred(_)), "{none:?}");
    let after = "{name: after, in: query, description: The ID of the last item you saw., schema: {type: string}}";
    let marker = outcome(&[after.to_owned(), query("limit", "integer")], &page(""), "");
    assert!(matches!(&marker, PagingOutcome::Inferred(plan) if plan.style == "marker"), "{marker:?}");
    // An offset that is a timestamp (Polygon's "Timestamp offset, used for pagination") is not a count of items.
    let offset =
        "{name: offset, in: query, description: Timestamp offset used for pagination., schema: {type: integer}}";
    let none = outcome(&[offset.to_owned(), query("limit", "integer")], &page(""), "");
    assert!(matches!(none, PagingOutcome::NotInferred(_)), "{none:?}");
    // A `next` beside `prev` that its description calls a cursor is not a link (Shutterstock).
    let cursors =
        ", next: {type: string, description: Cursor value that represents the next page}, prev: {type: string}";
    let none = outcome(&[query("per_page", "integer")], &page(cursors), "");
    assert!(matches!(none, PagingOutcome::NotInferred(_)), "{none:?}");
    // A deprecated offset may be ignored by the server.
    let offset = "{name: startIndex, in: query, deprecated: true, schema: {type: integer}}";
    let none = outcome(&[offset.to_owned(), query("maxResults", "integer")], &page(""), "");
    assert!(matches!(none, PagingOutcome::NotInferred(_)), "{none:?}");
    // A `page` that is a string is a cursor, not a number: no number is counted up.
    let none = outcome(&[query("page", "string")], &page(", total_pages: {type: integer}"), "");
    assert!(matches!(none, PagingOutcome::NotInferred(_)), "{none:?}");
}

#[test]
fn each_style_is_inferred_from_its_shape() {
    let style = |params: &[String], page: &str| match outcome(params, page, "") {
        PagingOutcome::Inferred(plan) => plan.summary(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        style(&[query("page", "integer"), query("per_page", "integer")], &page(", total_pages: {type: integer}")),
        "page-number `page`; items: `things`, total-pages: `total_pages`"
    );
    assert_eq!(
        style(&[query("offset", "integer"), query("limit", "integer")], &page(", has_more: {type: boolean}")),
        "offset `offset`; items: `things`, has-more: `has_more`, limit-param: `limit`"
    );
    // Kubernetes: `continue` ← `metadata.continue`.
    assert_eq!(
        style(
            &[query("continue", "string")],
            &page(", metadata: {type: object, properties: {continue: {type: string}}}")
        ),
        "page-token `continue`; items: `things`, next: `metadata.continue`"
    );
    // Slack: `cursor` ← `response_metadata.next_cursor`.
    assert_eq!(
        style(
            &[query("cursor", "string"), query("limit", "integer")],
            &page(", response_metadata: {type: object, properties: {next_cursor: {type: string}}}")
        ),
        "page-token `cursor`; items: `things`, next: `response_metadata.next_cursor`"
    );
    // HAL: `_links.next.href`.
    assert_eq!(
        style(
            &[query("page", "integer")],
            &page(", _links: {type: object, properties: {next: {type: object, properties: {href: {type: string}}}}}")
        ),
        "page-number `page`; items: `things`, next: `_links.next.href`"
    );
    // OData: `@odata.nextLink`, with `$top`.
    assert_eq!(
        style(&[query("$top", "integer")], &page(", '@odata.nextLink': {type: string}")),
        "next-link; items: `things`, next: `@odata.nextLink`"
    );
    // A cursor parameter whose description names the field feeding it (OpenAI's roles: `after` ← `next`).
    let after = "{name: after, in: query, description: \"Provide the value from the previous response's `next` field.\", schema: {type: string}}";
    assert_eq!(
        style(&[after.to_owned()], &page(", next: {type: string}, has_more: {type: boolean}")),
        "page-token `after`; items: `things`, next: `next`, has-more: `has_more`"
    );
    // Twitter: `pagination_token` ← `meta.next_token`.
    assert_eq!(
        style(
            &[query("pagination_token", "string"), query("max_results", "integer")],
            &page(", meta: {type: object, properties: {next_token: {type: string}, result_count: {type: integer}}}")
        ),
        "page-token `pagination_token`; items: `things`, next: `meta.next_token`"
    );
    // Stripe: the last item's id, with has_more.
    assert_eq!(
        style(&[query("starting_after", "string"), query("limit", "integer")], &page(", has_more: {type: boolean}")),
        "marker `starting_after`; items: `things`, item-id: `id`, has-more: `has_more`, limit-param: `limit`"
    );
}

#[test]
fn zero_based_page_numbers_start_at_zero() {
    // The schema's `default` (the page sent when none is asked for) decides, else an inclusive `minimum` of 0.
    let page_param = |schema: &str| format!("{{name: page, in: query, schema: {{type: integer{schema}}}}}");
    for (schema, first) in [
        (", minimum: 0", "first_page: 0"),
        (", minimum: 1", "first_page: 1"),
        ("", "first_page: 1"),
        (", default: 0", "first_page: 0"),
        (", minimum: 0, default: 1", "first_page: 1"),
        (", minimum: 0, default: 5", "first_page: 0"),
    ] {
        let text = list_spec(&page_param(schema), &page(", total_pages: {type: integer}"), "");
        let generated = Config::new().spec_text("t.yaml", text).generate().unwrap();
        let client = &generated.files["src/client.rs"];
        assert!(client.contains(&format!("PageNumber {{ page_param: \"page\", {first} }}")), "{client}");
    }
}

#[test]
fn the_extension_overrides_and_turns_off_inference() {
    let params = [query("page", "integer")];
    let counted = page(", total: {type: integer}");
    assert!(matches!(outcome(&params, &counted, ""), PagingOutcome::Inferred(_)));
    assert_eq!(outcome(&params, &counted, "      x-pagination: false\n"), PagingOutcome::Disabled);
    let extension = "      x-pagination: {style: offset, offset-param: page, items: things}\n";
    match outcome(&params, &counted, extension) {
        PagingOutcome::Extension(plan) => assert_eq!(plan.summary(), "offset `page`; items: `things`"),
        other => panic!("{other:?}"),
    }
    // `true` asks for inference, and is an error when inference finds nothing.
    assert!(matches!(outcome(&params, &counted, "      x-pagination: true\n"), PagingOutcome::Inferred(_)));
    let text = list_spec(&params.join(", "), &page(""), "      x-pagination: true\n");
    let error = Config::new().spec_text("t.yaml", text).generate().unwrap_err();
    let Error::Spec(diagnostics) = &error else { panic!("{error}") };
    assert!(diagnostics[0].message.contains("no pagination was found"), "{error}");
    assert_eq!(diagnostics[0].pointer, "/paths/~1things/get/x-pagination");
}

/// The diagnostics (pointer relative to the operation, line, message) `x-pagination: {extension}` gets.
fn extension_errors(extension: &str) -> Vec<(String, Option<usize>, String)> {
    let params = [query("page", "integer"), query("limit", "integer"), query("flag", "boolean"), {
        "{name: page, in: header, schema: {type: integer}}".to_owned()
    }];
    let text =
        list_spec(&params.join(", "), &page(", total: {type: integer}"), &format!("      x-pagination: {extension}\n"));
    let error = Config::new().spec_text("t.yaml", text).generate().unwrap_err();
    let Error::Spec(diagnostics) = &error else { panic!("{error}") };
    let operation = "/paths/~1things/get";
    diagnostics
        .iter()
        .map(|d| {
            let pointer = d.pointer.strip_prefix(operation).unwrap_or_else(|| panic!("{error}"));
            (pointer.to_owned(), d.line, d.message.clone())
        })
        .collect()
}

#[test]
fn extension_keys_are_checked_before_they_are_read() {
    // A misspelt key is named with the known ones, at its own pointer and line (line 7 holds the extension).
    let errors = extension_errors("{style: page-number, page-param: page, total_items: total}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (pointer, line, message) = &errors[0];
    assert_eq!(pointer, "/x-pagination/total_items");
    assert_eq!(*line, Some(7));
    assert!(
        message.contains("unknown `x-pagination` key `total_items`") && message.contains("total-items"),
        "{message}"
    );
    // A key of another style.
    let errors = extension_errors("{style: page-number, page-param: page, total-items: total, limit-param: limit}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "/x-pagination/limit-param");
    assert!(errors[0].2.contains("no meaning for `x-pagination` style `page-number`"), "{errors:?}");
    // A parameter the operation does not have, or has only outside the query.
    let errors = extension_errors("{style: offset, offset-param: offset, limit-param: limit}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "/x-pagination/offset-param");
    assert!(
        errors[0].2.contains("`offset`, which is not a query parameter") && errors[0].2.contains("limit, page"),
        "{errors:?}"
    );
    // A parameter that cannot carry a position.
    let errors = extension_errors("{style: offset, offset-param: flag, limit-param: limit}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].2, "`offset-param` names `flag`, a parameter that is not a number or a string");
    // Only `*-param` keys name parameters: a response field that shares a boolean parameter's name is fine.
    let text = list_spec(
        &[query("page", "integer"), query("total", "boolean")].join(", "),
        &page(", total: {type: integer}"),
        "      x-pagination: {style: page-number, page-param: page, items: things, total-items: total}\n",
    );
    assert!(matches!(only_outcome(&text).0, PagingOutcome::Extension(_)));
    // Fields are typed through aliases (`Url` is a string), as inference reads them.
    let text = list_spec(
        &query("page", "integer"),
        &page(", next_url: {$ref: '#/components/schemas/Url'}"),
        "      x-pagination: {style: page-number, page-param: page, items: things, next: next_url}\n",
    ) + "    Url: {type: string}\n";
    assert!(matches!(only_outcome(&text).0, PagingOutcome::Extension(_)));
    // A value that is not a string; every problem is reported, not only the first.
    let errors = extension_errors("{style: page-number, page-param: 1, has-more: [more], extra: x}");
    let pointers: Vec<&str> = errors.iter().map(|(pointer, _, _)| pointer.as_str()).collect();
    assert_eq!(pointers, ["/x-pagination/extra", "/x-pagination/has-more", "/x-pagination/page-param"], "{errors:?}");
    assert!(errors[1].2.contains("`has-more` must be a string"), "{errors:?}");
    // A misspelling close to a known key is named.
    let errors = extension_errors("{style: page-number, page-param: page, has_more: more}");
    assert!(errors[0].2.ends_with("; did you mean `has-more`?"), "{errors:?}");
    // An unknown style, at `style`, with the styles listed.
    let errors = extension_errors("{style: cursor, items: things}");
    assert_eq!(errors[0].0, "/x-pagination/style");
    assert!(errors[0].2.contains("(the styles: page-number, offset, marker, page-token, next-link, link-header)"));
    // A field of the wrong type, and a path to no property (listing those there).
    let errors = extension_errors("{style: page-number, page-param: page, items: things, total-items: things}");
    assert_eq!(errors[0].2, "`total-items` needs an integer property, and `things` is not one", "{errors:?}");
    let errors = extension_errors("{style: page-number, page-param: page, items: thingz, total-items: total}");
    assert!(errors[0].2.ends_with("no property `thingz` there (its properties: things, total)"), "{errors:?}");
    // Neither an object nor a boolean.
    let errors = extension_errors("page-number");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "/x-pagination");
    assert!(errors[0].2.contains("must be an object, `true` (infer it) or `false` (no paging)"), "{errors:?}");
}

#[test]
fn the_cut_down_vendor_operations_are_all_inferred() {
    let rows = paging("inferred-paging.yaml", &repo_spec("features/inferred-paging.yaml"));
    let styles: Vec<(String, String)> = rows
        .iter()
        .map(|row| match &row.outcome {
            PagingOutcome::Inferred(plan) => (row.path.clone(), plan.style.clone()),
            // Azure's operation pages as its vendor's `x-ms-pageable` says (tested below).
            PagingOutcome::VendorExtension { plan, .. } if row.path.contains("Microsoft.Compute") => {
                (row.path.clone(), plan.style.clone())
            }
            other => panic!("{} {}: {other:?}", row.method, row.path),
        })
        .collect();
    let expected = [
        ("/v1/customers", "marker"),
        ("/v2/droplets", "page-number"),
        ("/v2/images", "marker"),
        ("/v2/Services", "next-link"),
        ("/folders/{folder_id}/items", "offset"),
        ("/files", "page-token"),
        ("/repos/{owner}/{repo}/issues", "link-header"),
        ("/servers", "marker"),
        ("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/images", "next-link"),
    ];
    assert_eq!(styles, expected.map(|(p, s)| (p.to_owned(), s.to_owned())));
}

/// An Azure- or Graph-shaped list operation: its query parameters, its page's properties (beside `items_name`, an
/// array of `Thing`) and its `x-ms-pageable`.
fn ms_spec(method: &str, params: &str, items_name: &str, page_properties: &str, pageable: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: t, version: 1.0.0}}
paths:
  /things:
    {method}:
      operationId: list_things
      parameters: [{params}]
      x-ms-pageable: {pageable}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  {items_name}: {{type: array, items: {{$ref: '#/components/schemas/Thing'}}}}
{page_properties}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {{type: string}}
"#
    )
}

fn only_outcome(text: &str) -> (PagingOutcome, Vec<String>) {
    let generated = Config::new().spec_text("t.yaml", text).generate().unwrap_or_else(|e| panic!("{e}"));
    let warnings = generated.warnings.iter().map(|w| format!("{} {}", w.pointer, w.message)).collect();
    (generated.paging.into_iter().next().unwrap().outcome, warnings)
}

#[test]
fn x_ms_pageable_names_the_next_link_and_the_items() {
    let next_link = "                  nextLink: {type: string}";
    // Azure: no paging parameter, so nothing in the shape says it pages; the vendor's extension does.
    let azure = ms_spec("get", &query("api-version", "string"), "value", next_link, "{nextLinkName: nextLink}");
    match only_outcome(&azure).0 {
        PagingOutcome::VendorExtension { extension, plan } => {
            assert_eq!(extension, "x-ms-pageable");
            assert_eq!(plan.summary(), "next-link; items: `value`, next: `nextLink`");
        }
        other => panic!("{other:?}"),
    }
    let plain = azure.replace("      x-ms-pageable: {nextLinkName: nextLink}\n", "");
    assert!(matches!(only_outcome(&plain).0, PagingOutcome::NotInferred(_)));
    // Graph: a property name with a dot, matched whole, and pinned back through `x-pagination` the same way.
    let graph = ms_spec(
        "get",
        &query("$top", "integer"),
        "entries",
        "                  '@odata.nextLink': {type: string}",
        "{nextLinkName: '@odata.nextLink', itemName: entries, operationName: listMore}",
    );
    let (outcome, _) = only_outcome(&graph);
    let plan = outcome.plan().unwrap().clone();
    assert_eq!(plan.summary(), "next-link; items: `entries`, next: `@odata.nextLink`");
    let pinned = graph.replace(
        "      x-ms-pageable: {nextLinkName: '@odata.nextLink', itemName: entries, operationName: listMore}\n",
        "      x-pagination: {style: next-link, items: entries, next: '@odata.nextLink'}\n",
    );
    assert_eq!(only_outcome(&pinned).0, PagingOutcome::Extension(plan));
    // `x-pagination` wins over it, and `x-pagination: true` (it must page) is met by it.
    let both = azure.replace("      x-ms-pageable:", "      x-pagination: false\n      x-ms-pageable:");
    assert_eq!(only_outcome(&both).0, PagingOutcome::Disabled);
    let required = azure.replace("      x-ms-pageable:", "      x-pagination: true\n      x-ms-pageable:");
    assert!(matches!(only_outcome(&required).0, PagingOutcome::VendorExtension { .. }));
}

#[test]
fn x_ms_pageable_without_a_next_link_or_on_a_post_does_not_page() {
    let next_link = "                  nextLink: {type: string}";
    let params = format!("{}, {}", query("page", "integer"), query("api-version", "string"));
    let with_total = format!("{next_link}\n                  total_pages: {{type: integer}}");
    // A null `nextLinkName`: the whole list in one response, even where the shape looks paged.
    for pageable in ["{nextLinkName: null}", "{nextLinkName: {}}", "{nextLinkName: {$ref: '#/x'}}", "{}"] {
        let (outcome, warnings) = only_outcome(&ms_spec("get", &params, "value", &with_total, pageable));
        assert!(matches!(&outcome, PagingOutcome::NotInferred(why) if why.contains("one response")), "{outcome:?}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }
    // A POST: the next page would be a GET of the link. Not a list operation, whatever `nextLinkName` says.
    for pageable in ["{nextLinkName: nextLink}", "{nextLinkName: null}"] {
        let (outcome, _) = only_outcome(&ms_spec("post", "", "value", next_link, pageable));
        assert!(matches!(&outcome, PagingOutcome::NotAList(why) if why.contains("POST")), "{outcome:?}");
    }
    // A next page fetched through an operation that takes the link as a path parameter (a fragment): not followed.
    let fragment = ms_spec("get", &params, "value", next_link, "{nextLinkName: nextLink, operationName: list_next}")
        .replace(
            "components:\n",
            "  /{tenant}/{nextLink}:\n    get:\n      operationId: list_next\n      parameters:\n        \
             - {name: tenant, in: path, required: true, schema: {type: string}}\n        \
             - {name: nextLink, in: path, required: true, schema: {type: string}}\n      \
             responses: {'200': {description: ok}}\ncomponents:\n",
        );
    let (outcome, _) = only_outcome(&fragment);
    assert!(matches!(&outcome, PagingOutcome::NotInferred(why) if why.contains("`list_next`")), "{outcome:?}");
    // Naming a property the response lacks is warned about, and inference decides instead.
    let (outcome, warnings) = only_outcome(&ms_spec("get", &params, "value", &with_total, "{nextLinkName: next}"));
    assert!(matches!(&outcome, PagingOutcome::Inferred(plan) if plan.style == "page-number"), "{outcome:?}");
    assert_eq!(
        warnings,
        ["/paths/~1things/get/x-ms-pageable `x-ms-pageable`: the response has no string property `next` (its \
          `nextLinkName`); paging is inferred instead"]
    );
    let (_, warnings) = only_outcome(&ms_spec("get", &params, "items", &with_total, "{nextLinkName: nextLink}"));
    assert!(warnings[0].contains("no array property `value` (its `itemName`)"), "{warnings:?}");
}

/// `spec` with each paged operation's `x-pagination` block (from `PagingPlan::extension_yaml`) pasted in: the blocks
/// and the number of operations the extension could not describe.
fn pinned(text: &str, rows: &[OperationPaging]) -> (String, usize) {
    let mut doc: Value = serde_yaml::from_str(text).unwrap();
    let mut unpinned = 0;
    for row in rows {
        let Some(plan) = row.outcome.plan() else { continue };
        let Ok(yaml) = plan.extension_yaml() else {
            unpinned += 1;
            continue;
        };
        let block: Value = serde_yaml::from_str(&yaml).unwrap();
        let op = &mut doc["paths"][row.path.as_str()][row.method.to_lowercase().as_str()];
        op.as_mapping_mut().unwrap().insert("x-pagination".into(), block["x-pagination"].clone());
    }
    (serde_yaml::to_string(&doc).unwrap(), unpinned)
}

#[test]
fn inferred_paging_pasted_as_x_pagination_gives_the_same_client() {
    let specs = [
        ("inferred-paging.yaml", repo_spec("features/inferred-paging.yaml")),
        ("digitalocean.yaml", without_extension(&repo_spec("digitalocean.yaml"))),
        ("rackspace.yaml", without_extension(&repo_spec("rackspace.yaml"))),
        ("yandex-compute.yaml", without_extension(&repo_spec("yandex-compute.yaml"))),
    ];
    for (name, text) in specs {
        let inferred = Config::new().spec_text(name, &text).generate().unwrap();
        let (text, unpinned) = pinned(&text, &inferred.paging);
        let extension = Config::new().spec_text(name, &text).generate().unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut pinned_count = 0;
        for (before, after) in inferred.paging.iter().zip(&extension.paging) {
            match (&before.outcome, &after.outcome) {
                (
                    PagingOutcome::Inferred(plan) | PagingOutcome::VendorExtension { plan, .. },
                    PagingOutcome::Extension(pinned),
                ) => {
                    assert_eq!(plan, pinned, "{name}: {} {}", before.method, before.path);
                    pinned_count += 1;
                }
                (before_outcome, after_outcome) => {
                    assert_eq!(before_outcome, after_outcome, "{name}: {} {}", before.method, before.path)
                }
            }
        }
        assert!(pinned_count > 0, "{name}");
        // Only the Nova-style `servers_links` operation cannot be pinned.
        assert_eq!(unpinned, usize::from(name == "inferred-paging.yaml"), "{name}");
        // The client code is the same, byte for byte (the spec's own text is not part of it).
        for (path, code) in &inferred.files {
            if path.ends_with(".rs") && path != "src/lib.rs" {
                assert_eq!(Some(code), extension.files.get(path), "{name}: {path}");
            }
        }
    }
    let rows = paging("inferred-paging.yaml", &repo_spec("features/inferred-paging.yaml"));
    let blocks = generator::paging_report::extension_blocks(&rows, false);
    assert!(blocks.contains(
        "# GET /v1/customers (stripe_list_customers, inferred)\nx-pagination:\n  style: marker\n  marker-param: starting_after\n  items: data\n"
    ), "{blocks}");
    assert!(blocks.contains("# `x-pagination` has no key for a next link found by its `rel`"), "{blocks}");
    // For JSON specs the same blocks as JSON members, which read back as the same values.
    let json_blocks = generator::paging_report::extension_blocks(&rows, true);
    assert!(
        json_blocks.contains(
            "# GET /v2/Services (twilio_list_services, inferred)\n\"x-pagination\": {\n  \"style\": \"next-link\",\n  \
         \"items\": \"services\",\n  \"next\": \"meta.next_page_url\"\n}\n"
        ),
        "{json_blocks}"
    );
    for row in &rows {
        let Some(plan) = row.outcome.plan() else { continue };
        let (Ok(yaml), Ok(json)) = (plan.extension_yaml(), plan.extension_json()) else { continue };
        let from_yaml: serde_json::Value =
            serde_yaml::from_str::<Value>(&yaml).map(|v| serde_json::to_value(v).unwrap()).unwrap();
        let from_json: serde_json::Value = serde_json::from_str(&format!("{{{json}}}")).unwrap();
        assert_eq!(from_yaml, from_json, "{} {}", row.method, row.path);
    }
}
