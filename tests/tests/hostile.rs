//! The `hostile` feature spec: names that collide after case conversion, keywords, empty names, leading digits and
//! prose full of comment terminators and code fences. Its crate compiles warning-free (clippy and rustdoc run with
//! `-D warnings` in CI) and has no doctests; here the names must still map to the right wire names.

use feature_hostile::types::{Result2, Self_};
use serde_json::json;

#[test]
fn colliding_and_keyword_names_keep_their_wire_names() {
    let wire = json!({
        "type": "t", "Self": "s", "foo-bar": "1", "foo_bar": "2", "fooBar": "3", "": "empty", "0day": 0,
        "async": "*/", "loop": {"type": "inner"}
    });
    let value: Self_ = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(
        (value.foo_bar.as_deref(), value.foo_bar2.as_deref(), value.foo_bar3.as_deref()),
        (Some("1"), Some("2"), Some("3"))
    );
    assert_eq!(value.type_, "t");
    assert_eq!(value.self_.as_deref(), Some("s"));
    assert_eq!(value.field.as_deref(), Some("empty"));
    assert_eq!(value.n0day, Some(0));
    assert_eq!(value.async_, Some(Result2::Empty2));
    assert_eq!(value.loop_.as_ref().unwrap().type_, "inner");
    assert_eq!(serde_json::to_value(&value).unwrap(), wire);
}

#[test]
fn enum_values_that_look_like_code_round_trip() {
    for (wire, variant) in [
        ("", Result2::Empty),
        ("unknown", Result2::Unknown),
        ("Unknown", Result2::Unknown2),
        ("-1", Result2::Minus1),
        ("1", Result2::V1),
        ("*/", Result2::Empty2),
        ("\"quote\"", Result2::Quote),
        ("\\", Result2::Empty3),
    ] {
        let parsed: Result2 = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(parsed, variant, "{wire:?}");
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(wire));
    }
    // The fallback variant does not take the name of the real value `Unknown`.
    let other: Result2 = serde_json::from_value(json!("brand new")).unwrap();
    assert_eq!(other, Result2::UnknownValue("brand new".into()));
}

#[test]
fn client_method_arguments_follow_path_order_and_setters_avoid_builder_names() {
    // `send` as a parameter name must not clash with the builder's own `send()`.
    let source = include_str!("../../generated/feature-hostile/src/client.rs");
    let flat = source.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("pub fn get_items_by_item_id_by_type( &self, item_id: impl Into<String>, type_: i32, )"),
        "{flat}"
    );
    assert!(source.contains("pub fn send2(mut self, value: bool)"), "{source}");
    assert!(
        source.contains("pub fn foo_bar(mut self")
            && source.contains("pub fn foo_bar2(mut self")
            && source.contains("pub fn foo_bar3(mut self")
    );
    assert!(!source.contains("```rust"), "code fences from prose are defused");
}

#[test]
fn keyword_operation_ids_and_enum_values_give_lint_clean_names() {
    let client = include_str!("../../generated/feature-hostile/src/client.rs");
    // operationId `self`: the builder is `Self_`, its error enum `SelfError` (not `Self_Error`, a rustc warning).
    assert!(client.contains("pub struct Self_<'a>") && client.contains("pub enum SelfError"), "{client}");
    assert!(!client.contains("Self_Error"));
    // An enum value `Err` would make `Self::Err` (the `FromStr` error type) ambiguous.
    for (wire, variant) in [("Err", Result2::Err_), ("Self", Result2::Self_)] {
        let parsed: Result2 = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(parsed, variant);
        assert_eq!(wire.parse::<Result2>().unwrap(), variant);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(wire));
    }
}

#[test]
fn prose_reaches_the_docs_as_text_only() {
    let lib = include_str!("../../generated/feature-hostile/src/lib.rs");
    let client = include_str!("../../generated/feature-hostile/src/client.rs");
    let types = include_str!("../../generated/feature-hostile/src/types.rs");
    // List items stay list items instead of becoming indented code blocks (doctests).
    assert!(lib.contains(r"\n1. a list item whose text reads as indented code"), "{lib}");
    assert!(client.contains("/// 1. Create the key.") && client.contains("/// 2. Rotate it."), "{client}");
    assert!(types.contains("/// 1. &lt;b>unclosed bold"), "{types}");
    // Raw HTML shows as text; an unclosed comment hides nothing after it.
    assert!(lib.contains("&lt;script>alert") && !lib.contains("<script"), "{lib}");
    assert!(lib.contains("&lt;!-- a comment never closed") && lib.contains("Generated from `hostile.yaml`"));
    assert!(client.contains("&lt;details>") && client.contains("/// hidden code: panic!()"), "{client}");
    // Macro names in prose stay in their doc line: the layout pass only touches invocations that start a line.
    assert!(client.contains("/// rt::paginated!( \"); } fn injected() { rt::operation!(\n"), "{client}");
    for source in [lib, client, types] {
        assert!(!source.contains("~~~ignore") && !source.contains("```rust"));
    }
}

#[tokio::test]
async fn pagination_parameters_with_hostile_names_reach_the_wire_as_written() {
    use futures::TryStreamExt;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    // Three items in all, two a page: the offset parameter, named `o"ff ); } set`, moves by the items read.
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(|request: &wiremock::Request| {
            let offset = request.url.query_pairs().find(|(k, _)| k == "o\"ff ); } set").map(|(_, v)| v.into_owned());
            let items = if offset.is_none() { json!([{"type": "a"}, {"type": "b"}]) } else { json!([{"type": "c"}]) };
            ResponseTemplate::new(200)
                .set_body_raw(json!({"a b": items, "rt::paginated!(": 3}).to_string(), "application/json")
        })
        .mount(&server)
        .await;
    let client = feature_hostile::Client::builder().base_url(server.uri()).no_retries().build().unwrap();
    let items: Vec<Self_> = client.list_items().li_mit(2).items().try_collect().await.unwrap();
    assert_eq!(items.iter().map(|i| i.type_.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
    let requests = server.received_requests().await.unwrap();
    let queries: Vec<_> = requests.iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect();
    assert_eq!(queries, ["li++mit%5C=2", "li++mit%5C=2&o%22ff+%29%3B+%7D+set=2"]);
}
