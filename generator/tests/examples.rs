//! The README's call and `examples/list.rs` show the same operation, chosen by one rule (`lower/examples.rs`).

fn generate(spec: &str) -> generator::Generated {
    generator::Config::new().spec_text("shop.yaml", spec).generate().unwrap()
}

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Shop, version: "1"}
servers: [{url: "https://shop.example.com"}]
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}}
      responses: {"201": {description: ok}}
  /status:
    get:
      operationId: getStatus
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object, properties: {up: {type: boolean}}}}}}}
  /shops/{shop}/orders:
    get:
      operationId: listOrders
      parameters: [{name: shop, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Order"}}}}}}
components:
  schemas:
    Order:
      type: object
      required: [id]
      properties: {id: {type: integer}, item: {type: string}, tags: {type: array, items: {type: string}}}
"##;

#[test]
fn the_readme_calls_the_operation_the_example_program_lists() {
    let generated = generate(SPEC);
    let program = &generated.files["examples/list.rs"];
    assert!(program.contains("client.list_orders(shop)"), "{program}");
    assert!(program.contains("\"id\", \"item\""), "printable fields become the columns: {program}");
    let readme = &generated.files["README.md"];
    assert!(readme.contains("client.list_orders(\"shop\")"), "{readme}");
    assert!(!readme.contains("get_status()"), "{readme}");
}

#[test]
fn without_a_listing_the_readme_prefers_a_get() {
    // The listing's path parameter is an object: it cannot come from an environment variable.
    let spec = SPEC.replace("schema: {type: string}}]", "schema: {type: object}}]");
    let generated = generate(&spec);
    assert!(!generated.files.contains_key("examples/list.rs"));
    let readme = &generated.files["README.md"];
    assert!(readme.contains("client.get_status()"), "{readme}");
}

#[test]
fn a_listing_that_needs_a_body_is_not_the_example() {
    // A GET with a required body (some specs have them): the example program cannot build the body from the
    // environment, so it lists nothing and the README falls back to another GET.
    let spec = SPEC.replace(
        "      operationId: listOrders\n",
        "      operationId: listOrders\n      requestBody: {required: true, content: {application/json: {schema: {$ref: \"#/components/schemas/Order\"}}}}\n",
    );
    assert!(spec.contains("requestBody: {required: true, content: {application/json: {schema: {$ref: \"#/components/schemas/Order\"}}}}\n      parameters"));
    let generated = generate(&spec);
    assert!(!generated.files.contains_key("examples/list.rs"), "{}", generated.files["examples/list.rs"]);
    assert!(generated.files["README.md"].contains("client.get_status()"));
}
