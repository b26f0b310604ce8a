//! The `models` feature spec's generated crate: every schema and operation shape behaves as the README promises.

use client_runtime::{Error, RetryPolicy};
use feature_models::types::{Kind, NewPet, Pet, PetIdOrName, Shape};
use feature_models::{Client, CreatePetError, ListPetsError, UploadPhotoError};
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn pet_json() -> serde_json::Value {
    json!({
        "id": "9007199254740993",
        "created": "2024-01-02T03:04:05Z",
        "born": "2020-02-29",
        "uid": "0b0c3b9e-8a1d-4f5e-9d3c-2f6a7b8c9d0e",
        "kind": "dog",
        "nickname": null,
        "weight": null,
        "owner": {"name": "Ann", "manager": {"name": "Bo", "reports": [{"name": "Ann"}]}},
        "labels": {"a": "b"},
        "extra": {"color": "red", "legs": 4},
        "anything": [1, "two"],
        "shape": {"shape": "circle", "radius": 1.5},
        "id_or_name": "rex"
    })
}

#[test]
fn all_of_merges_and_every_shape_decodes() {
    let pet: Pet = serde_json::from_value(pet_json()).unwrap();
    assert_eq!(pet.id, 9_007_199_254_740_993, "int64 string read as i64 without precision loss");
    assert_eq!(pet.kind, Kind::Dog);
    assert_eq!(pet.nickname, None, "required + nullable: null is None");
    assert_eq!(pet.weight, Some(None), "optional + nullable: null is Some(None)");
    assert_eq!(pet.born.unwrap().to_string(), "2020-02-29");
    assert_eq!(pet.owner.as_ref().unwrap().manager.as_ref().unwrap().name.as_deref(), Some("Bo"));
    assert_eq!(pet.extra.as_ref().unwrap().additional_properties.get("legs"), Some(&4));
    assert!(matches!(pet.shape, Some(Shape::Circle(ref c)) if c.radius == 1.5 && c.shape == "circle"));
    assert_eq!(pet.id_or_name, Some(PetIdOrName::String("rex".into())));

    // Writing it back keeps null apart from absent and the int64 as a string.
    let written = serde_json::to_value(&pet).unwrap();
    assert_eq!(written["id"], json!("9007199254740993"));
    assert_eq!(written["weight"], json!(null));
    assert_eq!(written["nickname"], json!(null));
    assert_eq!(written["extra"], json!({"color": "red", "legs": 4}));
    assert_eq!(written["shape"], json!({"shape": "circle", "radius": 1.5}));
    let mut absent = pet_json();
    absent.as_object_mut().unwrap().remove("weight");
    let pet: Pet = serde_json::from_value(absent).unwrap();
    assert_eq!(pet.weight, None);
    assert!(serde_json::to_value(&pet).unwrap().get("weight").is_none());
}

#[test]
fn unknown_enum_values_and_tags_are_handled() {
    let mut json = pet_json();
    json["kind"] = json!("hamster");
    let pet: Pet = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(pet.kind, Kind::Unknown("hamster".into()));
    assert_eq!(serde_json::to_value(&pet).unwrap()["kind"], json!("hamster"));
    assert_eq!(pet.kind.to_string(), "hamster");

    json["shape"] = json!({"shape": "square", "side": 2.0});
    let pet: Pet = serde_json::from_value(json.clone()).unwrap();
    assert!(matches!(pet.shape, Some(Shape::Square(ref s)) if s.side == 2.0));
    json["shape"] = json!({"shape": "hexagon"});
    let error = serde_json::from_value::<Pet>(json).unwrap_err().to_string();
    assert!(error.contains("hexagon") && error.contains("circle, square"), "{error}");
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token("k3y")
        .retry_policy(RetryPolicy::new().max_attempts(2).initial_backoff(std::time::Duration::from_millis(1)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn parameters_are_encoded_by_style_and_auth_goes_in_its_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(header("x-api-key", "k3y"))
        .and(header("x-request-id", "0b0c3b9e-8a1d-4f5e-9d3c-2f6a7b8c9d0e"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"pets": []})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .list_pets()
        .tags(vec!["a b".into(), "c".into()])
        .ids(vec![1, 2])
        .kinds(vec![Kind::Cat, Kind::Dog])
        .filter(feature_models::types::Filter { name: Some("x".into()), age: Some(3) })
        .since("2024-01-02T03:04:05Z".parse().unwrap())
        .x_request_id("0b0c3b9e-8a1d-4f5e-9d3c-2f6a7b8c9d0e".parse().unwrap())
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let query = requests[0].url.query().unwrap().to_owned();
    assert_eq!(
        query,
        "tags=a+b&tags=c&ids=1,2&kinds=cat|dog&filter[name]=x&filter[age]=3&since=2024-01-02T03%3A04%3A05%2B00%3A00",
        "exploded form, comma, pipe, deepObject (delimiters as the OpenAPI spec writes them) and RFC 3339"
    );
    assert!(requests[0].headers.get("authorization").is_none(), "only the API key header carries credentials");
}

#[tokio::test]
async fn constraints_are_checked_before_sending() {
    let server = MockServer::start().await;
    let error = client(&server).delete_pet(1, "x").send().await.unwrap_err();
    assert!(matches!(&error, Error::Validation(v) if v.parameter == "reason"), "{error:?}");
    let error = client(&server).list_pets().tags(vec!["t".into(); 6]).send().await.unwrap_err();
    assert!(matches!(&error, Error::Validation(v) if v.parameter == "tags"), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn enum_parameters_are_checked_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"pets": []})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    for kinds in [vec![Kind::Unknown("lizard".into())], vec![Kind::Cat, Kind::Unknown("lizard".into())]] {
        let error = c.list_pets().kinds(kinds).send().await.unwrap_err();
        assert!(matches!(&error, Error::Validation(v) if v.parameter == "kinds"), "{error:?}");
        assert!(error.to_string().contains("lizard"), "the message shows the value: {error}");
    }
    let error = c.list_pets().kinds(vec![Kind::Unknown("lizard".into())]).items().try_collect::<Vec<_>>().await;
    assert!(matches!(&error, Err(Error::Validation(v)) if v.parameter == "kinds"), "{error:?}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");

    c.list_pets().kinds(vec![Kind::Dog]).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.query(), Some("kinds=dog"), "a known value is sent");
}

#[tokio::test]
async fn bodies_and_non_json_responses() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_string(r#"{"kind":"cat","nickname":"Tom"}"#))
        .respond_with(ResponseTemplate::new(201).set_body_json(pet_json()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/42"))
        .respond_with(ResponseTemplate::new(200).set_body_string("a good dog"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/pets/42"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0x89, b'P', b'N', b'G']))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/pets/42"))
        .and(query_param("reason", "old age"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("note=bye+now"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let created = c.create_pet(NewPet { kind: Kind::Cat, nickname: Some("Tom".into()) }).send().await.unwrap();
    assert_eq!(created.kind, Kind::Dog);
    assert_eq!(c.get_pets_by_pet_id(42).send().await.unwrap(), "a good dog");
    let bytes = c.upload_photo(42).body(vec![1, 2, 3]).send().await.unwrap();
    assert_eq!(&bytes[..], &[0x89, b'P', b'N', b'G']);
    c.delete_pet(42, "old age")
        .body(feature_models::types::DeletePetBody { note: Some("bye now".into()) })
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn error_statuses_map_to_their_variants() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(409)).mount(&server).await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(507).set_body_json(json!({"title": "full", "status": 507})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(418).set_body_json(json!({"title": "teapot"})))
        .mount(&server)
        .await;
    let c = client(&server);
    let conflict = c.create_pet(NewPet { kind: Kind::Cat, nickname: None }).send().await.unwrap_err();
    assert!(matches!(conflict.api_body(), Some(CreatePetError::Conflict)), "{conflict:?}");
    let full = c.upload_photo(1).send().await.unwrap_err();
    assert!(matches!(full.api_body(), Some(UploadPhotoError::ServerError(p)) if p.status == Some(507)), "{full:?}");
    let teapot = c.list_pets().send().await.unwrap_err();
    assert!(matches!(teapot.api_body(), Some(ListPetsError::Other(p)) if p.title.as_deref() == Some("teapot")));
}

#[tokio::test]
async fn link_header_pagination_follows_next() {
    let server = MockServer::start().await;
    for page in 1..=3 {
        let mut response = ResponseTemplate::new(200).set_body_json(json!({"pets": [pet_json(), pet_json()]}));
        if page < 3 {
            let next = format!("<{}/pets?cursor=p{}>; rel=\"next\"", server.uri(), page + 1);
            response = response.insert_header("link", next.as_str());
        }
        let matcher = if page == 1 {
            Mock::given(method("GET")).and(path("/pets")).and(query_param("tags", "x"))
        } else {
            Mock::given(method("GET")).and(path("/pets")).and(query_param("cursor", format!("p{page}").as_str()))
        };
        matcher.respond_with(response).expect(1).mount(&server).await;
    }
    let pets: Vec<Pet> = client(&server).list_pets().tags(vec!["x".into()]).items().try_collect().await.unwrap();
    assert_eq!(pets.len(), 6);
}

#[test]
fn server_variables_are_checked_when_building() {
    let ok = Client::builder().token("k").server_variable("version", "v2").build();
    assert!(ok.is_ok());
    let ok = ok.unwrap();
    assert_eq!(ok.runtime().base_url().as_str().trim_end_matches('/'), "https://acme.example.test/v2");
    let error = Client::builder().token("k").server_variable("version", "v9").build().unwrap_err().to_string();
    assert!(error.contains("version") && error.contains("v9"), "{error}");
}

#[test]
fn decoding_errors_name_the_property() {
    let mut missing = pet_json();
    missing.as_object_mut().unwrap().remove("kind");
    let error = serde_json::from_value::<Pet>(missing).unwrap_err().to_string();
    assert!(error.starts_with("missing field `kind`"), "{error}");

    let repeated = r#"{"id": 1, "kind": "dog", "nickname": null, "kind": "cat"}"#;
    let error = serde_json::from_str::<Pet>(repeated).unwrap_err().to_string();
    assert!(error.starts_with("duplicate field `kind`"), "{error}");

    let error = serde_json::from_str::<Pet>("[1]").unwrap_err().to_string();
    assert!(error.starts_with("invalid type: sequence, expected struct Pet"), "{error}");

    // The path of a bad value deep inside a response, as the client reports it.
    let nested = br#"{"id": 1, "kind": "dog", "nickname": null, "owner": {"name": "Ann", "manager": {"name": 7}}}"#;
    let error = client_runtime::decode_json::<Pet>(client_runtime::reqwest::StatusCode::OK, nested).unwrap_err();
    assert_eq!(error.path, "owner.manager.name", "{error}");
}
