//! Request and response bodies on the wire: multipart, form-urlencoded (with `deepObject` properties), raw
//! bytes, text, JSON, and text / XML / event-stream / binary responses, sent by the feature specs' generated clients
//! to a wiremock server and checked byte for byte; and operations with `security: []` sending no credentials.

use feature_openapi31::types::{
    CreateChargeBody, CreateRefundBody, StreamCompletionBody, UploadFileBody, UploadFileBodyOptions,
    UploadFileBodyPurpose,
};
use feature_swagger2::types::{RenamePetBody, UploadPhotoBody};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-bodies";

fn openapi31(server: &MockServer) -> feature_openapi31::Client {
    feature_openapi31::Client::builder().base_url(server.uri()).token(TOKEN).no_retries().build().unwrap()
}

fn swagger2(server: &MockServer) -> feature_swagger2::Client {
    feature_swagger2::Client::builder().base_url(server.uri()).token(TOKEN).no_retries().build().unwrap()
}

fn models(server: &MockServer) -> feature_models::Client {
    feature_models::Client::builder().base_url(server.uri()).token(TOKEN).no_retries().build().unwrap()
}

/// The only request `server` received.
async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request: {requests:?}");
    requests.remove(0)
}

/// The one `Content-Type` header of a request (a second one would be a bug), or `None`.
fn content_type(request: &wiremock::Request) -> Option<String> {
    let values: Vec<_> = request.headers.get_all("content-type").iter().collect();
    assert!(values.len() <= 1, "one Content-Type header at most: {values:?}");
    values.first().map(|v| v.to_str().unwrap().to_owned())
}

/// Every byte value, plus CRLFs and dashes that look like the start of a multipart delimiter.
fn tricky_bytes() -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..=255).collect();
    bytes.extend_from_slice(b"\r\n--client-boundary-\r\n\r\n--\r\n");
    bytes.extend((0..=255).rev());
    bytes
}

// ---------------------------------------------------------------------------------------------------------------
// multipart/form-data

use tests::multipart::{multipart_boundary, parse_multipart, Part};

#[test]
fn the_multipart_parser_is_strict() {
    let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b\r\n\
Content-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\
\r\n--\r\n--b--\r\n";
    let parts = parse_multipart(body, "b");
    assert_eq!(
        parts,
        vec![
            Part::text("a", "1"),
            Part {
                name: "f".into(),
                filename: Some("x.bin".into()),
                content_type: Some("application/octet-stream".into()),
                data: b"\r\n--".to_vec(),
            },
        ]
    );
    assert!(std::panic::catch_unwind(|| parse_multipart(
        b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
        "b"
    ))
    .is_err());
    assert_eq!(multipart_boundary("multipart/form-data; boundary=\"x y\""), "x y");
}

#[tokio::test]
async fn multipart_sends_one_part_per_property_and_files_intact() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "file-1", "bytes": 536, "purpose": "fine-tune"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let file = tricky_bytes();
    let metadata = [("team".to_owned(), "ml & ops".to_owned()), ("a key".to_owned(), "é".to_owned())].into();
    let stored = openapi31(&server)
        .upload_file(UploadFileBody {
            file: file.clone(),
            purpose: UploadFileBodyPurpose::FineTune,
            labels: Some(vec!["a".into(), "b c".into()]),
            metadata: Some(metadata),
            options: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!((stored.id.as_str(), stored.bytes, stored.purpose.as_deref()), ("file-1", 536, Some("fine-tune")));

    let request = only_request(&server).await;
    assert_eq!(request.headers.get("authorization").unwrap(), &format!("Bearer {TOKEN}"));
    let boundary = multipart_boundary(&content_type(&request).expect("a Content-Type"));
    let parts = parse_multipart(&request.body, &boundary);
    assert_eq!(
        parts,
        vec![
            Part {
                name: "file".into(),
                filename: Some("file".into()),
                content_type: Some("application/octet-stream".into()),
                data: file,
            },
            Part::text("purpose", "fine-tune"),
            Part::text("labels", "a"),
            Part::text("labels", "b c"),
            Part::text("metadata[a key]", "é"),
            Part::text("metadata[team]", "ml & ops"),
        ],
        "file part with its bytes, enum as text, list as repeated parts, deepObject map as name[key] parts"
    );
}

#[tokio::test]
async fn multipart_leaves_unset_optional_properties_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "file-2", "bytes": 0})))
        .expect(2)
        .mount(&server)
        .await;
    let c = openapi31(&server);
    for _ in 0..2 {
        let body = UploadFileBody {
            file: Vec::new(),
            purpose: UploadFileBodyPurpose::Assistants,
            labels: None,
            metadata: None,
            options: None,
        };
        c.upload_file(body).send().await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let mut boundaries = Vec::new();
    for request in &requests {
        let boundary = multipart_boundary(&content_type(request).unwrap());
        assert_eq!(
            parse_multipart(&request.body, &boundary),
            vec![
                Part {
                    name: "file".into(),
                    filename: Some("file".into()),
                    content_type: Some("application/octet-stream".into()),
                    data: Vec::new(),
                },
                Part::text("purpose", "assistants"),
            ],
            "an empty file is still a (required) file part; unset labels and metadata send no part"
        );
        boundaries.push(boundary);
    }
    assert_ne!(boundaries[0], boundaries[1], "each body gets a fresh boundary");
}

#[tokio::test]
async fn multipart_object_properties_that_are_not_deep_objects_are_one_json_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "file-3", "bytes": 2})))
        .expect(2)
        .mount(&server)
        .await;
    let c = openapi31(&server);
    let body = |options| UploadFileBody {
        file: b"hi".to_vec(),
        purpose: UploadFileBodyPurpose::FineTune,
        labels: None,
        metadata: None,
        options: Some(options),
    };
    c.upload_file(body(UploadFileBodyOptions { shuffle: Some(true), seed: Some(-9_007_199_254_740_993) }))
        .send()
        .await
        .unwrap();
    c.upload_file(body(UploadFileBodyOptions { shuffle: None, seed: None })).send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let expected = [json!({"shuffle": true, "seed": -9_007_199_254_740_993_i64}), json!({})];
    for (request, expected) in requests.iter().zip(expected) {
        let mut parts = parse_multipart(&request.body, &multipart_boundary(&content_type(request).unwrap()));
        let options = parts.pop().expect("an options part");
        assert_eq!(
            parts,
            vec![
                Part {
                    name: "file".into(),
                    filename: Some("file".into()),
                    content_type: Some("application/octet-stream".into()),
                    data: b"hi".to_vec(),
                },
                Part::text("purpose", "fine-tune"),
            ]
        );
        assert_eq!(
            (options.name.as_str(), options.filename.as_deref(), options.content_type.as_deref()),
            ("options", None, Some("application/json")),
            "one part named `options`, not options[shuffle] / options[seed] parts, labelled as JSON"
        );
        let value: serde_json::Value = serde_json::from_slice(&options.data)
            .unwrap_or_else(|e| panic!("options part is JSON ({e}): {:?}", String::from_utf8_lossy(&options.data)));
        assert_eq!(value, expected, "the object as JSON, unset properties left out");
    }
}

#[tokio::test]
async fn swagger_form_data_with_a_file_is_multipart() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v2/pets/p%2F1/photo"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let base = format!("{}/v2", server.uri());
    let c = feature_swagger2::Client::builder().base_url(&base).token(TOKEN).no_retries().build().unwrap();
    let photo = tricky_bytes();
    c.upload_photo("p/1", UploadPhotoBody { photo: photo.clone(), caption: Some("a \"quoted\"\r\ncaption".into()) })
        .send()
        .await
        .unwrap();
    c.upload_photo("p/1", UploadPhotoBody { photo: vec![0xff, 0x00], caption: None }).send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("x-api-key").unwrap(), TOKEN);
    let file = |data: Vec<u8>| Part {
        name: "photo".into(),
        filename: Some("photo".into()),
        content_type: Some("application/octet-stream".into()),
        data,
    };
    let first = &requests[0];
    assert_eq!(
        parse_multipart(&first.body, &multipart_boundary(&content_type(first).unwrap())),
        vec![file(photo), Part::text("caption", "a \"quoted\"\r\ncaption")],
        "`type: file` is a file part; a text value is sent unchanged, CRLF and quotes included"
    );
    let second = &requests[1];
    assert_eq!(
        parse_multipart(&second.body, &multipart_boundary(&content_type(second).unwrap())),
        vec![file(vec![0xff, 0x00])],
        "no caption part when the caption is unset"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// application/x-www-form-urlencoded

/// The decoded pairs of a form body.
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

#[tokio::test]
async fn form_bodies_flatten_deep_object_properties() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/charges"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "ch_1"})))
        .expect(3)
        .mount(&server)
        .await;
    let c = openapi31(&server);
    let charge = c
        .create_charge()
        .body(CreateChargeBody {
            amount: 100,
            metadata: Some(
                [("order id".to_owned(), "A&B=1".to_owned()), ("plan".to_owned(), "pro/max+ ~é%".to_owned())].into(),
            ),
            expand: Some(vec!["customer".into(), "invoice.lines".into()]),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(charge.id.as_deref(), Some("ch_1"));
    c.create_charge().body(CreateChargeBody { amount: -5, metadata: None, expand: None }).send().await.unwrap();
    c.create_charge().send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(content_type(&requests[0]).as_deref(), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        String::from_utf8(requests[0].body.clone()).unwrap(),
        "amount=100\
         &metadata%5Border+id%5D=A%26B%3D1\
         &metadata%5Bplan%5D=pro%2Fmax%2B+%7E%C3%A9%25\
         &expand%5B0%5D=customer\
         &expand%5B1%5D=invoice.lines",
        "application/x-www-form-urlencoded serialization: brackets, reserved characters and non-ASCII percent-encoded, \
         space as +"
    );
    assert_eq!(
        form_pairs(&requests[0].body),
        [
            ("amount", "100"),
            ("metadata[order id]", "A&B=1"),
            ("metadata[plan]", "pro/max+ ~é%"),
            ("expand[0]", "customer"),
            ("expand[1]", "invoice.lines"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
        "deepObject map as name[key]=value, deepObject array as name[index]=value"
    );
    assert_eq!(content_type(&requests[1]).as_deref(), Some("application/x-www-form-urlencoded"));
    assert_eq!(requests[1].body, b"amount=-5", "unset optional properties are absent");
    assert_eq!(content_type(&requests[2]), None, "no body, no Content-Type");
    assert!(requests[2].body.is_empty(), "an unset optional body sends nothing");
}

#[tokio::test]
async fn form_bodies_flatten_only_the_properties_their_encoding_names_deep_object() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/refunds"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let body = CreateRefundBody {
        charge: "ch_1".into(),
        metadata: Some([("k".to_owned(), "v".to_owned())].into()),
        reasons: Some(vec!["dup".into(), "fraud".into()]),
    };
    openapi31(&server).create_refund(body).send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        form_pairs(&request.body),
        [("charge", "ch_1"), ("metadata[k]", "v"), ("reasons", "dup"), ("reasons", "fraud")]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        "the deepObject map as name[key]=value; the array the encoding leaves alone repeats its key"
    );
}

#[tokio::test]
async fn swagger_form_data_without_files_is_urlencoded_with_repeated_arrays() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/pets/7"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    swagger2(&server)
        .rename_pet(
            "7",
            RenamePetBody { name: "Rex the 2nd".into(), nicknames: Some(vec!["a".into(), "b&c=d".into()]) },
        )
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "name=Rex+the+2nd&nicknames=a&nicknames=b%26c%3Dd",
        "a non-deepObject array repeats its key"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// raw bytes and JSON requests; text, event-stream and binary responses

#[tokio::test]
async fn binary_bodies_go_out_and_come_back_unchanged() {
    let server = MockServer::start().await;
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n".as_slice(), &tricky_bytes()].concat();
    Mock::given(method("PUT"))
        .and(path("/pets/42"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png"))
        .expect(2)
        .mount(&server)
        .await;
    let c = models(&server);
    let sent = tricky_bytes();
    let returned = c.upload_photo(42).body(sent.clone()).send().await.unwrap();
    assert_eq!(returned.as_ref(), png.as_slice(), "an image/png response is the exact bytes");
    c.upload_photo(42).send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(content_type(&requests[0]).as_deref(), Some("application/octet-stream"));
    assert_eq!(requests[0].body, sent, "the octet-stream request body is the exact bytes");
    assert_eq!(content_type(&requests[1]), None, "no body, no Content-Type");
    assert!(requests[1].body.is_empty());
}

#[tokio::test]
async fn swagger_file_responses_are_bytes_and_text_responses_strings() {
    let server = MockServer::start().await;
    let photo = tricky_bytes();
    Mock::given(method("GET"))
        .and(path("/pets/9/photo"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(photo.clone(), "image/png"))
        .mount(&server)
        .await;
    let text = "ok ✓\r\nline two\n";
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(text, "text/plain; charset=utf-8"))
        .mount(&server)
        .await;
    let c = swagger2(&server);
    assert_eq!(c.download_photo("9").send().await.unwrap().as_ref(), photo.as_slice());
    assert_eq!(c.health().send().await.unwrap(), text);
}

#[tokio::test]
async fn octet_stream_responses_are_the_exact_bytes() {
    let server = MockServer::start().await;
    let note = tricky_bytes();
    Mock::given(method("GET"))
        .and(path("/notes/n%201"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(note.clone(), "application/octet-stream"))
        .expect(2)
        .mount(&server)
        .await;
    let c = models(&server);
    assert_eq!(c.download_note("n 1").send().await.unwrap().as_ref(), note.as_slice());
    assert_eq!(c.download_note(String::from("n 1")).send().await.unwrap().as_ref(), note.as_slice());
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].body.is_empty(), "a GET sends no body");
    assert_eq!(content_type(&requests[0]), None, "no body, no Content-Type");
}

#[tokio::test]
async fn text_request_bodies_are_sent_as_is_and_xml_responses_are_strings() {
    let server = MockServer::start().await;
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<note id=\"n/1\">café &amp; 🦀 ✓</note>\n";
    Mock::given(method("PUT"))
        .and(path("/notes/n%2F1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(xml, "application/xml; charset=utf-8"))
        .expect(1)
        .mount(&server)
        .await;
    let text = "  héllo wörld — 🦀\r\n{\"not\": \"json\"} & <not-xml/>\n\t";
    let stored = models(&server).write_note("n/1", text.to_owned()).send().await.unwrap();
    assert_eq!(stored, xml, "an application/xml response is the exact text");

    let request = only_request(&server).await;
    let sent_type = content_type(&request).expect("a Content-Type");
    let essence = sent_type.split(';').next().unwrap().trim().to_ascii_lowercase();
    assert_eq!(essence, "text/plain", "{sent_type}");
    assert_eq!(request.body, text.as_bytes(), "the text body is its exact UTF-8 bytes, not JSON-quoted");
    assert_eq!(request.headers.get("x-api-key").unwrap(), TOKEN);
}

#[tokio::test]
async fn event_streams_are_returned_as_text() {
    let server = MockServer::start().await;
    let events = "event: delta\ndata: {\"text\":\"hé\"}\n\n: comment\ndata: [DONE]\n\n";
    Mock::given(method("POST"))
        .and(path("/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(events, "text/event-stream"))
        .expect(1)
        .mount(&server)
        .await;
    let stream = openapi31(&server)
        .stream_completion(StreamCompletionBody { prompt: "say \"hi\"".into(), stream: Some(true) })
        .send()
        .await
        .unwrap();
    assert_eq!(stream, events);
    let request = only_request(&server).await;
    assert_eq!(content_type(&request).as_deref(), Some("application/json"));
    assert_eq!(String::from_utf8(request.body).unwrap(), r#"{"prompt":"say \"hi\"","stream":true}"#);
}

#[tokio::test]
async fn text_responses_are_strings() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/5"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<b>dog</b> — 5\n", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(models(&server).get_pets_by_pet_id(5).send().await.unwrap(), "<b>dog</b> — 5\n");
}

// ---------------------------------------------------------------------------------------------------------------
// credentials

#[tokio::test]
async fn operations_with_empty_security_send_no_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("ok", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/9/photo"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![1, 2, 3], "image/png"))
        .expect(1)
        .mount(&server)
        .await;
    let c = swagger2(&server);
    assert_eq!(c.health().send().await.unwrap(), "ok");
    assert_eq!(c.download_photo("9").send().await.unwrap().as_ref(), [1, 2, 3]);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let health = &requests[0];
    assert_eq!(health.url.path(), "/health");
    assert!(health.headers.get("x-api-key").is_none(), "`security: []`: no API key: {:?}", health.headers);
    assert!(health.headers.get("authorization").is_none(), "`security: []`: no Authorization");
    assert!(!health.url.as_str().contains(TOKEN), "no credentials in the URL: {}", health.url);
    let photo = &requests[1];
    assert_eq!(photo.url.path(), "/pets/9/photo");
    assert_eq!(
        photo.headers.get("x-api-key").map(|v| v.to_str().unwrap()),
        Some(TOKEN),
        "the same client still sends the API key where the global security applies"
    );
}
