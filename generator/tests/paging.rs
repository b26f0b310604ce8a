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
    let page_param = |minimum: u32| format!("{{name: page, in: query, schema: {{type: integer, minimum: {minimum}}}}}");
    for (minimum, first) in [(0, "first_page: 0"), (1, "first_page: 1")] {
        let text = list_spec(&page_param(minimum), &page(", total_pages: {type: integer}"), "");
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

#[test]
fn the_cut_down_vendor_operations_are_all_inferred() {
    let rows = paging("inferred-paging.yaml", &repo_spec("features/inferred-paging.yaml"));
    let styles: Vec<(String, String)> = rows
        .iter()
        .map(|row| match &row.outcome {
            PagingOutcome::Inferred(plan) => (row.path.clone(), plan.style.clone()),
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
    ];
    assert_eq!(styles, expected.map(|(p, s)| (p.to_owned(), s.to_owned())));
}
