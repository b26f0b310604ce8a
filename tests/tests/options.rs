//! The `options` feature spec's crate, generated with every option set in its manifest entry: each option shows in
//! what the crate holds and in how it behaves.

use std::collections::HashSet;

use feature_options::types::{Pet, PetStatus, Species, Tag};
use feature_options::Client;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CRATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../generated/feature-options");

fn file(name: &str) -> String {
    std::fs::read_to_string(format!("{CRATE}/{name}")).unwrap()
}

#[tokio::test]
async fn the_kept_operations_work_and_the_others_are_gone() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(query_param("species", "dog"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"name": "Rex", "species": "dog", "tags": [{"label": "good"}], "status": "adopted"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/stores/67e55044-10b1-426f-9247-bb680e5fe0c8/owner"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "name": "Ann", "store": "67e55044-10b1-426f-9247-bb680e5fe0c8", "weight": 61.5
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    // Grouped by tag: `listPets` is `list` of the `pets` group; `/stores/...` has no tag and implies `stores` (`getStoreOwner` is its `get_owner`).
    let pets = client.pets().list().species(Species::Dog).send().await.unwrap();
    assert_eq!(pets[0].species, Species::Dog);
    assert_eq!(pets[0].status, Some(PetStatus::Unknown("adopted".into())), "enums not named stay lenient");
    // `StoreId` is replaced by `uuid::Uuid`: the path parameter and the field are Uuids.
    let store = uuid::Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap();
    let owner = client.stores().get_owner(store).send().await.unwrap();
    assert_eq!(owner.weight, Some(61.5));
    let same: uuid::Uuid = owner.store;
    assert_eq!(same, store);

    let client_rs = file("src/client.rs");
    let types_rs = file("src/types.rs");
    assert!(!client_rs.contains("fn delete") && !client_rs.contains("fn audit"), "excluded and not included");
    assert!(!client_rs.contains("fn list_pets"), "no flat method besides the groups");
    assert!(!types_rs.contains("DeletionReceipt") && !types_rs.contains("AuditLog"), "their schemas are pruned");
}

#[test]
fn a_strict_enum_refuses_unlisted_values() {
    assert!(serde_json::from_str::<Species>("\"ferret\"").is_err());
    let error = "ferret".parse::<Species>().unwrap_err();
    assert_eq!(error.to_string(), "unknown value `ferret`, expected one of [\"cat\", \"dog\"]");
    let pet = serde_json::from_value::<Pet>(serde_json::json!({"name": "Rex", "species": "ferret"}));
    assert!(pet.unwrap_err().to_string().contains("unknown variant `ferret`"));
    // Strict enums are exhaustive: this match needs no wildcard arm.
    let name = match Species::Cat {
        Species::Cat => "cat",
        Species::Dog => "dog",
    };
    assert_eq!(name, "cat");
}

#[test]
fn derives_apply_where_they_compile() {
    let pet: Pet =
        serde_json::from_value(serde_json::json!({"name": "Rex", "species": "dog", "tags": [{"label": "a"}]})).unwrap();
    let pets: HashSet<Pet> = [pet.clone(), pet].into_iter().collect();
    assert_eq!(pets.len(), 1, "Eq + Hash everywhere the fields allow");
    let _: HashSet<Tag> = HashSet::new();

    let schema = serde_json::to_value(schemars::schema_for!(Pet)).unwrap();
    assert_eq!(schema["title"], "Pet", "Pet=schemars::JsonSchema: {schema}");
    assert!(schema["properties"]["tags"].is_object(), "{schema}");

    let types_rs = file("src/types.rs");
    let owner = types_rs.split("pub struct Owner").next().unwrap().rsplit("pub struct").next().unwrap();
    assert!(!owner.contains("Hash"), "Owner has an f64: no Eq or Hash");
    assert!(owner.contains("#[must_use]"), "Owner=#[must_use]");
}

#[test]
fn metadata_and_dependencies_reach_cargo_toml() {
    let cargo = file("Cargo.toml");
    for line in [
        "version = \"1.2.3\"",
        "description = \"The options feature spec's client\"",
        "license = \"MIT OR Apache-2.0\"",
        "repository = \"https://example.com/options-client\"",
        "schemars = \"1\"",
        "uuid = { version = \"1\", features = [\"serde\"] }",
    ] {
        assert!(cargo.contains(line), "{line} in {cargo}");
    }
}
