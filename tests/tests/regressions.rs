//! Constructs users of OpenAPI generators reported broken, on the wire: the specs under `specs/regressions/` (one
//! regression input each, plus variants of its kind in other containers and dialects) generate the
//! `regression-*` crates, and these tests send their requests to a wiremock server on 127.0.0.1 and check the exact
//! bytes sent and the values decoded.

// A crate that holds 64 nested types in an `async fn` needs more than rustc's default query depth (128), as the
// generated README of such a crate says.
#![recursion_limit = "256"]

use serde_json::json;
use tests::multipart::{multipart_boundary, parse_multipart, Part};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A JSON response with `status`.
fn json_response(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("content-type", "application/json").set_body_json(body)
}

/// The only request `server` received.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
    requests.remove(0)
}

/// Mounts one answer for `verb` on `route`.
async fn answer(server: &MockServer, verb: &str, route: &str, response: ResponseTemplate) {
    Mock::given(method(verb)).and(path(route)).respond_with(response).up_to_n_times(1).mount(server).await;
}

// ---------------------------------------------------------------------------------------------------------------
// Kind 1: `$ref` inside literal data is data (literal-ref-in-example.yaml, literal-data-variants.yaml,
// literal-data-swagger2.yaml). That the three crates exist at all is the fix; here a property named `$ref` travels.

#[tokio::test]
async fn a_property_named_ref_is_read_and_written_as_data() {
    use regression_literal_ref_in_example as api;
    let server = MockServer::start().await;
    let members = json!({"members": [{"value": "u1", "$ref": "https://api.example.com/scim/v2/Users/u1"}]});
    answer(&server, "GET", "/groups", json_response(200, members)).await;
    let client = api::Client::new(server.uri()).unwrap();
    let group = client.list_groups().send().await.unwrap();
    let member = &group.members.as_ref().unwrap()[0];
    assert_eq!(member.ref_.as_deref(), Some("https://api.example.com/scim/v2/Users/u1"));
    assert_eq!(member.value.as_deref(), Some("u1"));

    use regression_literal_data_swagger2 as v2;
    let server = MockServer::start().await;
    answer(&server, "POST", "/groups", json_response(201, json!({"members": [{"$ref": "urn:x"}]}))).await;
    let client = v2::Client::new(server.uri()).unwrap();
    let body = v2::types::Group {
        members: Some(vec![v2::types::GroupMembersItem { value: None, ref_: Some("urn:u1".into()) }]),
    };
    let created = client.create_group(body).send().await.unwrap();
    assert_eq!(created.members.unwrap()[0].ref_.as_deref(), Some("urn:x"));
    let sent: serde_json::Value = serde_json::from_slice(&only_request(&server).await.body).unwrap();
    assert_eq!(sent, json!({"members": [{"$ref": "urn:u1"}]}));

    use regression_literal_data_variants as v31;
    let server = MockServer::start().await;
    let user = json!({"id": "u2", "manager": {"$ref": "https://api.example.com/Users/u1", "value": "u1"}});
    answer(&server, "GET", "/users", json_response(200, user)).await;
    let client = v31::Client::new(server.uri()).unwrap();
    let user = client.list_users().send().await.unwrap();
    assert_eq!(user.manager.unwrap().ref_.as_deref(), Some("https://api.example.com/Users/u1"));
}

// ---------------------------------------------------------------------------------------------------------------
// Kind 2: JSON Schema forms in 2.0 and 3.0 documents (jsonschema-forms-in-swagger2.json,
// jsonschema-forms-in-openapi30.yaml).

#[tokio::test]
async fn json_schema_forms_decode_in_swagger2_and_openapi30() {
    use regression_jsonschema_forms_in_swagger2 as v2;
    let server = MockServer::start().await;
    let page = json!({
        "ok": true,
        "things": [{"name": "a", "topic": null, "archived": [null, true]}, {"name": "b", "topic": "t"}],
        "last_seen": [17, null],
        "response_metadata": [{"next_cursor": "c2"}, {"warnings": ["slow"]}]
    });
    answer(&server, "GET", "/api/things.list", json_response(200, page)).await;
    let client = v2::Client::builder().base_url(format!("{}/api", server.uri())).build().unwrap();
    let page = client.things_list().cursor("c1").send().await.unwrap();
    assert!(page.ok);
    assert_eq!(page.things[0].topic, Some(None), "`type: [null, string]` keeps null apart from absent");
    assert_eq!(page.things[1].topic, Some(Some("t".to_owned())));
    assert_eq!(page.things[0].archived, Some(vec![json!(null), json!(true)]), "tuple items are kept as JSON");
    assert_eq!(page.last_seen, Some(vec![json!(17), json!(null)]));
    assert_eq!(page.response_metadata.unwrap()[0], json!({"next_cursor": "c2"}));
    assert_eq!(only_request(&server).await.url.query(), Some("cursor=c1"));

    use regression_jsonschema_forms_in_openapi30 as v30;
    let server = MockServer::start().await;
    let body = json!({
        "items": [{"name": "w", "kind": "widget", "size": 99.5, "extra": null}],
        "cursor": null, "nothing": null, "pair": ["a", 1], "id_or_name": 7
    });
    answer(&server, "GET", "/things", json_response(200, body)).await;
    let client = v30::Client::new(server.uri()).unwrap();
    let list = client.list_things().limit(5).send().await.unwrap();
    assert_eq!(list.cursor, Some(None));
    assert_eq!(list.items[0].kind, Some(v30::types::ThingKind::Widget), "`const` is a one-value enum");
    assert_eq!(list.items[0].extra, Some(None), "`type: [object, null]`");
    assert_eq!(list.id_or_name, Some(v30::types::ListThingsResponseIdOrName::Integer(7)), "`type: [string, integer]`");
    assert_eq!(only_request(&server).await.url.query(), Some("limit=5"));
}

// ---------------------------------------------------------------------------------------------------------------
// Kind 3: recursion through containers compiles (self-recursive-array.yaml, recursion-variants.yaml) and decodes.

#[tokio::test]
async fn recursive_arrays_maps_and_unions_decode() {
    use regression_self_recursive_array as api;
    let server = MockServer::start().await;
    answer(&server, "GET", "/nested", json_response(200, json!([[], [[]]]))).await;
    let nested = api::Client::new(server.uri()).unwrap().get_nested().send().await.unwrap();
    use api::types::Nested;
    assert_eq!(nested, Nested(vec![Nested(vec![]), Nested(vec![Nested(vec![])])]));
    assert_eq!(serde_json::to_value(&nested).unwrap(), json!([[], [[]]]), "transparent on the wire");

    use regression_recursion_variants as variants;
    let server = MockServer::start().await;
    let forest = json!({
        "tree": {"a": {"b": {}}},
        "json": ["x", 1.5, {"k": ["y"]}],
        "grid": [[[]]],
        "ping": [[[]]]
    });
    answer(&server, "GET", "/trees", json_response(200, forest.clone())).await;
    let decoded = variants::Client::new(server.uri()).unwrap().get_trees().send().await.unwrap();
    assert_eq!(decoded.tree.0["a"].0["b"], variants::types::Tree(Default::default()));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), forest);
}

// ---------------------------------------------------------------------------------------------------------------
// Kind 5: readOnly / writeOnly (readonly-writeonly.yaml, readonly-writeonly-variants.yaml, readonly-swagger2.yaml).

#[tokio::test]
async fn read_only_properties_are_not_sent_and_write_only_ones_not_required() {
    use regression_readonly_writeonly as api;
    let server = MockServer::start().await;
    let created = json!({"id": 7, "created_at": "2026-01-02T03:04:05Z", "name": "crash"});
    answer(&server, "POST", "/bugs", json_response(201, created)).await;
    let client = api::Client::new(server.uri()).unwrap();
    let bug =
        api::types::Bug { id: Some(99), created_at: None, name: "crash".into(), password: Some("hunter2".into()) };
    let created = client.create_bug(bug).send().await.unwrap();
    assert_eq!(created.id, Some(7));
    assert_eq!(created.password, None, "a 201 without the write-only password decodes");
    let sent = only_request(&server).await;
    assert_eq!(sent.body, br#"{"name":"crash","password":"hunter2"}"#, "read-only id and created_at are never sent");

    use regression_readonly_writeonly_variants as v31;
    let server = MockServer::start().await;
    let account = json!({"id": "6f1c0f4e-8b9a-4d7e-9f5e-0a1b2c3d4e5f", "owner": "o", "audit": {"created_by": "root"}});
    answer(&server, "POST", "/accounts", json_response(201, account)).await;
    let client = v31::Client::new(server.uri()).unwrap();
    let body = v31::types::Account { id: None, owner: "o".into(), secret: Some(Some("s".into())), audit: None };
    let created = client.create_account(body).send().await.unwrap();
    assert_eq!(created.audit.unwrap().created_by.as_deref(), Some("root"));
    assert!(created.id.is_some(), "`$ref` with a readOnly sibling is still typed");
    assert_eq!(only_request(&server).await.body, br#"{"owner":"o","secret":"s"}"#);

    use regression_readonly_swagger2 as v2;
    let server = MockServer::start().await;
    answer(&server, "POST", "/notes", json_response(201, json!({"id": 1, "text": "t"}))).await;
    let client = v2::Client::new(server.uri()).unwrap();
    let note = client.create_note(v2::types::Note { id: None, text: "t".into() }).send().await.unwrap();
    assert_eq!(note.id, Some(1));
    assert_eq!(only_request(&server).await.body, br#"{"text":"t"}"#);
}

// ---------------------------------------------------------------------------------------------------------------
// Kind 6: several success statuses (several-success-statuses.yaml, several-success-variants.yaml).

#[tokio::test]
async fn every_documented_success_status_is_readable() {
    use regression_several_success_statuses as api;
    let server = MockServer::start().await;
    let client = api::Client::new(server.uri()).unwrap();
    answer(&server, "PUT", "/things/a", ResponseTemplate::new(204)).await;
    assert_eq!(client.put_thing("a", api::types::Thing { name: None }).send().await.unwrap(), None);
    answer(&server, "PUT", "/things/b", json_response(202, json!({"job_id": "j1"}))).await;
    let job = client.put_thing("b", api::types::Thing { name: Some("n".into()) }).send().await.unwrap();
    assert_eq!(job.unwrap().job_id, "j1");
    answer(&server, "DELETE", "/things/c", ResponseTemplate::new(204)).await;
    assert_eq!(client.delete_thing("c").send().await.unwrap(), None);
    answer(&server, "DELETE", "/things/d", json_response(200, json!({"name": "gone"}))).await;
    assert_eq!(client.delete_thing("d").send().await.unwrap().unwrap().name.as_deref(), Some("gone"));

    use regression_several_success_variants as variants;
    use variants::types::{Job, Report, StartImportSuccess};
    let server = MockServer::start().await;
    let client = variants::Client::new(server.uri()).unwrap();
    answer(&server, "POST", "/imports", json_response(200, json!({"imported": 3}))).await;
    assert_eq!(client.start_import().send().await.unwrap(), Some(StartImportSuccess::Report(Report { imported: 3 })));
    answer(&server, "POST", "/imports", json_response(202, json!({"job_id": "j"}))).await;
    assert_eq!(client.start_import().send().await.unwrap(), Some(StartImportSuccess::Job(Job { job_id: "j".into() })));
    answer(&server, "POST", "/imports", ResponseTemplate::new(204)).await;
    assert_eq!(client.start_import().send().await.unwrap(), None);
    answer(&server, "GET", "/exports/e", ResponseTemplate::new(200).set_body_string("a,b\n")).await;
    assert_eq!(client.get_export("e").send().await.unwrap(), "a,b\n");
    answer(&server, "GET", "/exports/f", ResponseTemplate::new(204)).await;
    assert_eq!(client.get_export("f").send().await.unwrap(), "");
}

// ---------------------------------------------------------------------------------------------------------------
// Kind 8: a discriminator on a parent that children extend with allOf (discriminator-allof-children.yaml,
// discriminator-mapping.yaml).

#[tokio::test]
async fn discriminated_parents_dispatch_to_their_children_both_ways() {
    use api::types::{Dog, Pet};
    use regression_discriminator_allof_children as api;
    let server = MockServer::start().await;
    let pets = json!([
        {"petType": "Dog", "name": "Rex", "packSize": 3},
        {"petType": "Cat", "name": "Tom", "huntingSkill": "lazy"},
        {"petType": "Hamster", "name": "Ham"}
    ]);
    answer(&server, "GET", "/pets", json_response(200, pets)).await;
    let client = api::Client::new(server.uri()).unwrap();
    let pets = client.list_pets().send().await.unwrap();
    match &pets[0] {
        Pet::Dog(dog) => assert_eq!(dog.pack_size, 3, "Dog's own property survives"),
        other => panic!("a Dog: {other:?}"),
    }
    assert!(matches!(&pets[1], Pet::Cat(cat) if cat.hunting_skill.as_deref() == Some("lazy")), "{:?}", pets[1]);
    assert!(matches!(&pets[2], Pet::Pet(base) if base.name == "Ham"), "an unknown kind is the parent: {:?}", pets[2]);

    answer(&server, "POST", "/pets", ResponseTemplate::new(204)).await;
    let dog = Pet::Dog(Dog { pet_type: "Dog".into(), name: "Rex".into(), pack_size: 2 });
    client.add_pet(dog).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(sent, json!({"petType": "Dog", "name": "Rex", "packSize": 2}), "a Dog can be sent");

    use mapped::types::Event;
    use regression_discriminator_mapping as mapped;
    let server = MockServer::start().await;
    let events = json!({"events": [
        {"type": "click", "at": "t1", "x": 1, "y": 2},
        {"type": "key_press", "at": "t2", "key": "q"},
        {"type": "Event", "at": "t3"}
    ]});
    answer(&server, "GET", "/events", json_response(200, events)).await;
    let client = mapped::Client::new(server.uri()).unwrap();
    let events = client.list_events().send().await.unwrap().events;
    assert!(matches!(&events[0], Event::ClickEvent(click) if click.x == 1 && click.at == "t1"), "{:?}", events[0]);
    assert!(matches!(&events[1], Event::KeyEvent(key) if key.key == "q"), "mapping to a bare name: {:?}", events[1]);
    assert!(matches!(&events[2], Event::Event(_)), "{:?}", events[2]);
}

// ---------------------------------------------------------------------------------------------------------------
// Kind 9: multipart `encoding` (multipart-encoding.yaml, multipart-encoding-variants.yaml).

async fn sent_parts(server: &MockServer) -> Vec<Part> {
    let request = only_request(server).await;
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap().to_owned();
    parse_multipart(&request.body, &multipart_boundary(&content_type))
}

fn typed(name: &str, filename: Option<&str>, content_type: &str, data: &[u8]) -> Part {
    Part {
        name: name.into(),
        filename: filename.map(Into::into),
        content_type: Some(content_type.into()),
        data: data.to_vec(),
    }
}

#[tokio::test]
async fn multipart_parts_use_their_declared_content_types() {
    use regression_multipart_encoding as api;
    let server = MockServer::start().await;
    answer(&server, "POST", "/uploads", ResponseTemplate::new(204)).await;
    let body = api::types::UploadDocumentBody {
        file: b"%PDF-1.7".to_vec(),
        attachments: Some(vec![b"one".to_vec()]),
        overwrite: Some(true),
        products: vec!["a".into(), "b".into()],
        meta: api::types::UploadDocumentBodyMeta { owner: Some("me".into()) },
    };
    api::Client::new(server.uri()).unwrap().upload_document(body).send().await.unwrap();
    assert_eq!(
        sent_parts(&server).await,
        vec![
            typed("file", Some("file"), "application/pdf", b"%PDF-1.7"),
            typed("attachments", Some("attachments"), "application/octet-stream", b"one"),
            Part::text("overwrite", "true"),
            typed("products", None, "application/json", br#"["a","b"]"#),
            typed("meta", None, "application/json", br#"{"owner":"me"}"#),
        ]
    );

    use regression_multipart_encoding_variants as variants;
    let server = MockServer::start().await;
    answer(&server, "POST", "/albums", ResponseTemplate::new(204)).await;
    let body = variants::types::UploadAlbumBody {
        photos: vec![b"png1".to_vec(), b"png2".to_vec()],
        title: "# Summer".into(),
        year: Some(2026),
        tags: Some(vec!["x".into(), "y".into()]),
    };
    variants::Client::new(server.uri()).unwrap().upload_album(body).send().await.unwrap();
    assert_eq!(
        sent_parts(&server).await,
        vec![
            typed("photos", Some("photos"), "image/png", b"png1"),
            typed("photos", Some("photos"), "image/png", b"png2"),
            typed("title", None, "text/markdown", b"# Summer"),
            typed("year", None, "application/json", b"2026"),
            Part::text("tags", "x"),
            Part::text("tags", "y"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Kind 10: integer types hold the declared range (integer-ranges.yaml, integer-variants.yaml).

#[tokio::test]
async fn integers_hold_their_declared_formats_and_ranges() {
    use regression_integer_ranges as api;
    let server = MockServer::start().await;
    let counters = json!({"big": u64::MAX, "small": -128, "medium": u32::MAX, "plain": i64::MIN, "bounded": u64::MAX});
    answer(&server, "GET", "/counters", json_response(200, counters)).await;
    let counters = api::Client::new(server.uri()).unwrap().get_counters().send().await.unwrap();
    assert_eq!((counters.big, counters.small, counters.medium), (u64::MAX, i8::MIN, Some(u32::MAX)));
    assert_eq!((counters.plain, counters.bounded), (i64::MIN, u64::MAX));

    use regression_integer_variants as variants;
    let server = MockServer::start().await;
    let meter = json!({"byte": 255, "word": -32768, "huge": 9223372036854775808u64, "wide": -1});
    answer(&server, "GET", "/meters/65535", json_response(200, meter)).await;
    let client = variants::Client::new(server.uri()).unwrap();
    let meter = client.get_meter(u16::MAX).scale(i16::MIN).after(u64::MAX).send().await.unwrap();
    assert_eq!((meter.byte, meter.word, meter.huge), (u8::MAX, i16::MIN, 1u64 << 63));
    assert_eq!(meter.wide, json!(-1), "a range beyond 64 bits is kept as JSON");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("scale=-32768&after=18446744073709551615"));
}

// ---------------------------------------------------------------------------------------------------------------
// Kind 11: `$ref` with a `nullable: true` sibling accepts null (ref-with-nullable.yaml,
// ref-with-nullable-swagger2.yaml).

#[tokio::test]
async fn a_ref_with_a_nullable_sibling_accepts_null() {
    use regression_ref_with_nullable as api;
    let server = MockServer::start().await;
    answer(&server, "GET", "/devices", json_response(200, json!({"name": "d", "bandwidth": null, "config": null})))
        .await;
    let device = api::Client::new(server.uri()).unwrap().get_device().send().await.unwrap();
    assert_eq!((device.bandwidth, device.config), (None, None));

    use regression_ref_with_nullable_swagger2 as v2;
    let server = MockServer::start().await;
    let body = json!({"bandwidth": {"limit": 5}, "history": [null, {"limit": 1}]});
    answer(&server, "GET", "/devices", json_response(200, body)).await;
    let device = v2::Client::new(server.uri()).unwrap().get_device().send().await.unwrap();
    assert_eq!(device.bandwidth.map(|b| b.limit), Some(5));
    assert_eq!(device.history.len(), 2);
    assert!(device.history[0].is_none(), "`x-nullable` beside `$ref` in array items");
}

/// Recursion through discriminated unions (`recursion-through-unions.yaml`): a child holding its parent, a union
/// variant holding its union, and a child that only renames its parent (read as the parent, not as a variant that
/// would hold the parent again).
#[tokio::test]
async fn recursion_through_discriminated_unions_round_trips() {
    use api::types::{Expr, Literal, Negate, Node};
    use regression_recursion_through_unions as api;
    let server = MockServer::start().await;
    let tree = json!({"kind": "Branch", "left": {"kind": "Leaf", "value": "a"}, "right": {"kind": "Renamed"}});
    answer(&server, "POST", "/trees", json_response(200, tree.clone())).await;
    let client = api::Client::new(server.uri()).unwrap();
    let expr = Expr::Negate(Negate {
        op: "neg".into(),
        inner: Box::new(Expr::Negate(Negate {
            op: "neg".into(),
            inner: Box::new(Expr::Literal(Literal { op: "lit".into(), value: 2.5 })),
        })),
    });
    let node = client.evaluate(expr).send().await.unwrap();
    let Node::Branch(branch) = &node else { panic!("a Branch: {node:?}") };
    assert!(matches!(branch.left.as_ref(), Node::Leaf(leaf) if leaf.value.as_deref() == Some("a")), "{branch:?}");
    assert!(matches!(branch.right.as_deref(), Some(Node::Node(base)) if base.kind == "Renamed"), "{branch:?}");
    assert_eq!(serde_json::to_value(&node).unwrap(), tree);
    let sent: serde_json::Value = serde_json::from_slice(&only_request(&server).await.body).unwrap();
    assert_eq!(sent, json!({"op": "neg", "inner": {"op": "neg", "inner": {"op": "lit", "value": 2.5}}}));
}

// ---------------------------------------------------------------------------------------------------------------
// Kinds 4, 12 and 14: spec text that made crates fail to build (prose-indented-list.yaml, odd-operation-ids.yaml,
// deep-type-chain.json, long-title.yaml). Their crates build, lint and document with the workspace; here they run.

#[tokio::test]
async fn odd_operation_ids_become_methods_that_send_their_own_requests() {
    use regression_odd_operation_ids as api;
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let client = api::Client::new(server.uri()).unwrap();
    client.self_("1").send().await.unwrap(); // operationId `self`
    client.send("2").send().await.unwrap(); // `send`
    client.new2("3").send().await.unwrap(); // `new`, beside the constructor
    client.builder2("4").send().await.unwrap(); // `builder`
    client.with_base_url("5").send().await.unwrap();
    client.n1st_thing().send().await.unwrap(); // `1st-thing`
    client.uber_cafe_resume().send().await.unwrap(); // `ÜberCafé—résumé`
    client.operation().send().await.unwrap(); // `$$$`
    let sent: Vec<String> =
        server.received_requests().await.unwrap().iter().map(|r| format!("{} {}", r.method, r.url.path())).collect();
    assert_eq!(
        sent,
        ["PUT /c/1", "POST /c/2", "GET /c/3", "DELETE /c/4", "PATCH /c/5", "POST /b", "GET /d", "POST /d"]
    );
}

#[tokio::test]
async fn a_chain_of_64_nested_objects_decodes() {
    use regression_deep_type_chain as api;
    let server = MockServer::start().await;
    // C0 … C63 each hold the next; C64 is a string.
    let mut chain = json!("end");
    for _ in 0..64 {
        chain = json!({ "next": chain });
    }
    answer(&server, "GET", "/x", json_response(200, chain.clone())).await;
    let decoded = api::Client::new(server.uri()).unwrap().get_x().send().await.unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), chain);
}

/// What the spec's text became in the generated crates, read from their files.
#[test]
fn prose_and_titles_stay_text_of_bounded_size() {
    let generated = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
    let client = std::fs::read_to_string(generated.join("regression-prose-indented-list/src/client.rs")).unwrap();
    // `1.     Create the key.` would be a list item holding an indented code block, which rustdoc runs.
    assert!(client.contains("/// 1. Create the key.\n") && client.contains("/// 2. Rotate it.\n"), "{client}");
    let cargo = std::fs::read_to_string(generated.join("regression-long-title/Cargo.toml")).unwrap();
    let description = cargo.lines().find(|l| l.starts_with("description = ")).unwrap();
    assert!(description.chars().count() < 200, "a 140,000-character title is cut: {description}");
    assert!(description.contains('…'), "{description}");
}
