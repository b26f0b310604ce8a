//! Parameters on the wire: path, query, header and cookie values of generated clients serialized as their OpenAPI
//! `style` and `explode` say (3.0.3 §4.7.12.4), never as JSON text unless the parameter has `content:
//! application/json`. Built from `specs/regressions/path-styles.yaml` and `header-array-object.yaml`, whose first
//! operations are the reported cases (header values and path values were sent as JSON text); the request target
//! and header values a wiremock server receives are compared byte for byte.

use regression_header_array_object::types::{
    CheckPermissionsXMeta, SendPreferencesTheme, SendPreferencesXFilter, SendPreferencesXMetaExploded,
};
use regression_path_styles::types::{MatrixStylePoint, Point};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .mount(&server)
        .await;
    server
}

fn paths(server: &MockServer) -> regression_path_styles::Client {
    regression_path_styles::Client::builder().base_url(server.uri()).no_retries().build().unwrap()
}

fn headers(server: &MockServer) -> regression_header_array_object::Client {
    regression_header_array_object::Client::builder().base_url(server.uri()).no_retries().build().unwrap()
}

/// The request targets (path and query, as sent) the server received, in order.
async fn targets(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| match r.url.query() {
            Some(query) => format!("{}?{query}", r.url.path()),
            None => r.url.path().to_owned(),
        })
        .collect()
}

/// Every value of header `name` in the only request the server received.
async fn header_values(server: &MockServer, name: &str) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests[0].headers.get_all(name).iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn path_parameters_follow_simple_label_and_matrix_styles() {
    let server = server().await;
    let client = paths(&server);
    // The reported cases.
    client.act_on_items(strings(&["a", "b"])).send().await.unwrap();
    client.label_style(strings(&["a", "b"])).send().await.unwrap();
    client.matrix_style(MatrixStylePoint { x: Some(1), y: Some(2) }).send().await.unwrap();
    // Every other style/explode pair, for arrays and objects.
    client.simple_styles(vec![1, 2], Point { x: 1, y: 2 }, Point { x: 3, y: 4 }).send().await.unwrap();
    client.label_exploded(strings(&["a", "b"]), Point { x: 1, y: 2 }, Point { x: 3, y: 4 }).send().await.unwrap();
    client.matrix_variants(strings(&["a", "b"]), strings(&["c", "d"]), Point { x: 1, y: 2 }, "n").send().await.unwrap();
    // A property left out (`None`) is not sent.
    client.matrix_style(MatrixStylePoint { x: None, y: Some(2) }).send().await.unwrap();
    assert_eq!(
        targets(&server).await,
        [
            "/items/a,b/action",
            "/label/.a.b",
            "/matrix/;x=1;y=2",
            "/simple/1,2/x,1,y,2/x=3,y=4",
            "/label2/.a.b/.x.1.y.2/.x=3.y=4",
            "/matrix2/;ids=a,b;idsx=c;idsx=d;point=x,1,y,2;name=n",
            "/matrix/;y=2",
        ]
    );
}

#[tokio::test]
async fn reserved_characters_in_path_values_are_percent_encoded() {
    let server = server().await;
    let client = paths(&server);
    client.reserved_in_path("a/b c,d;e=f?g#h%").send().await.unwrap();
    client.act_on_items(strings(&["x,y", "z/w"])).send().await.unwrap();
    client.label_style(strings(&["a.b", "c"])).send().await.unwrap();
    assert_eq!(
        targets(&server).await,
        ["/files/a%2Fb%20c%2Cd%3Be%3Df%3Fg%23h%25", "/items/x%2Cy,z%2Fw/action", "/label/.a.b.c",]
    );
}

#[tokio::test]
async fn query_parameters_follow_form_delimited_and_deep_object_styles() {
    let server = server().await;
    let client = paths(&server);
    client
        .query_styles()
        .formx(strings(&["a b", "c"]))
        .form(strings(&["a", "b,c"]))
        .space(vec![1, 2])
        .pipe(vec![3, 4])
        .point(Point { x: 1, y: 2 })
        .pointc(Point { x: 3, y: 4 })
        .filter(Point { x: 5, y: 6 })
        .redirect("https://x.example/a?b=c")
        .plain("https://x.example/a?b=c")
        .where_(Point { x: 7, y: 8 })
        .send()
        .await
        .unwrap();
    // Empty arrays add nothing (RFC 6570: an empty list is undefined).
    client.query_styles().formx(vec![]).form(vec![]).plain("").send().await.unwrap();
    assert_eq!(
        targets(&server).await,
        [
            "/search?formx=a+b&formx=c&form=a,b%2Cc&space=1%202&pipe=3|4&x=1&y=2&pointc=x,3,y,4&filter[x]=5&filter[y]=6\
             &redirect=https://x.example/a?b=c&plain=https%3A%2F%2Fx.example%2Fa%3Fb%3Dc\
             &where=%7B%22x%22%3A7%2C%22y%22%3A8%7D",
            "/search?plain=",
        ]
    );
}

#[tokio::test]
async fn header_arrays_and_objects_are_simple_style_not_json() {
    let server = server().await;
    headers(&server)
        .check_permissions(strings(&["read", "write"]))
        .x_codes(vec![1, 2])
        .x_meta(CheckPermissionsXMeta { role: Some("admin".into()), level: Some(3) })
        .send()
        .await
        .unwrap();
    assert_eq!(header_values(&server, "x-permissions").await, ["read,write"]);
    assert_eq!(header_values(&server, "x-codes").await, ["1,2"]);
    // Properties in the schema's order (role, then level).
    assert_eq!(header_values(&server, "x-meta").await, ["role,admin,level,3"]);
}

#[tokio::test]
async fn exploded_and_json_content_headers() {
    let server = server().await;
    headers(&server)
        .send_preferences()
        .x_meta_exploded(SendPreferencesXMetaExploded { role: Some("admin".into()), level: Some(3) })
        .x_filter(SendPreferencesXFilter { tags: Some(strings(&["a", "b"])) })
        .send()
        .await
        .unwrap();
    assert_eq!(header_values(&server, "x-meta-exploded").await, ["role=admin,level=3"]);
    // `content: application/json`: the one place JSON text is right.
    assert_eq!(header_values(&server, "x-filter").await, [r#"{"tags":["a","b"]}"#]);
}

#[tokio::test]
async fn an_empty_header_array_sends_no_header() {
    let server = server().await;
    headers(&server).check_permissions(vec![]).x_codes(vec![]).send().await.unwrap();
    assert!(header_values(&server, "x-permissions").await.is_empty());
    assert!(header_values(&server, "x-codes").await.is_empty());
}

#[tokio::test]
async fn cookies_are_form_style_in_one_cookie_header() {
    let server = server().await;
    headers(&server)
        .send_preferences()
        .session("s 1;")
        .flavours(strings(&["a", "b"]))
        .sizes(vec![1, 2])
        .theme(SendPreferencesTheme { fg: Some("red".into()), bg: Some("blue".into()) })
        .send()
        .await
        .unwrap();
    assert_eq!(
        header_values(&server, "cookie").await,
        ["session=s%201%3B; flavours=a,b; sizes=1; sizes=2; theme=fg,red,bg,blue"]
    );
}
