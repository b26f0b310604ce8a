//! `oneOf` alternatives told apart by a required property with one allowed value each (no `discriminator`):
//! `specs/features/tagged-unions.yaml`, against a server on 127.0.0.1.
//!
//! Read as an untagged union, every such value decoded as the first alternative (its one-value enum keeps any other
//! value in its fallback variant, and unknown properties are ignored), dropping the rest of the object. As a tagged
//! union each value reaches its own variant, an unknown tag is kept as JSON, and writing puts the tag back.

use feature_tagged_unions::runtime::RetryPolicy;
use feature_tagged_unions::types::{Disk, DiskState, DiskStateAttached, Faulted, FaultedTag, SortOrder, Tier};
use feature_tagged_unions::Client;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INSTANCE: &str = "6f1c2b8e-0a4d-4c57-9b7e-2d3f4a5b6c7d";

fn decode(state: serde_json::Value) -> DiskState {
    let disk: Disk = serde_json::from_value(json!({ "name": "d", "state": state })).unwrap();
    disk.state
}

#[test]
fn each_tag_reaches_its_own_variant() {
    assert_eq!(decode(json!({ "state": "creating" })), DiskState::Creating);
    assert_eq!(
        decode(json!({ "state": "attached", "instance": INSTANCE })),
        DiskState::Attached(DiskStateAttached { instance: INSTANCE.parse().unwrap() })
    );
    assert_eq!(
        decode(json!({ "state": "faulted", "reason": "bad sector" })),
        DiskState::Faulted(Faulted { state: FaultedTag::Faulted, reason: "bad sector".into() })
    );
    // A state this client does not know is kept, not rejected.
    let unknown = json!({ "state": "migrating", "target": "r2" });
    assert_eq!(decode(unknown.clone()), DiskState::Other(unknown));
    // Without the tag, or not an object at all, a value is none of the alternatives.
    for value in [json!({ "reason": "?" }), json!("creating")] {
        let error = serde_json::from_value::<Disk>(json!({ "name": "d", "state": value })).unwrap_err();
        assert!(error.to_string().contains("missing `state`"), "{error}");
    }
    // A known tag whose alternative does not fit is an error, not another alternative.
    let error = serde_json::from_value::<Disk>(json!({ "name": "d", "state": { "state": "attached" } })).unwrap_err();
    assert!(error.to_string().contains("instance"), "{error}");
}

#[test]
fn a_one_of_of_string_enums_is_one_enum() {
    // As a union, `fast` decoded as the first alternative's fallback (`Standard`'s enum keeping "fast" as unknown).
    for (wire, tier) in
        [("standard", Tier::Standard), ("fast", Tier::Fast), ("archive", Tier::Archive), ("cold", Tier::Cold)]
    {
        assert_eq!(serde_json::from_value::<Tier>(json!(wire)).unwrap(), tier);
        assert_eq!(serde_json::to_value(&tier).unwrap(), json!(wire));
    }
    assert_eq!(serde_json::from_value::<Tier>(json!("glacier")).unwrap(), Tier::Unknown("glacier".into()));
    let disk: Disk =
        serde_json::from_value(json!({"name": "d", "state": {"state": "creating"}, "order": "ascending"})).unwrap();
    assert_eq!(disk.order, Some(SortOrder::Ascending));
}

#[test]
fn writing_puts_the_tag_back() {
    assert_eq!(serde_json::to_value(DiskState::Creating).unwrap(), json!({ "state": "creating" }));
    let attached = DiskState::Attached(DiskStateAttached { instance: INSTANCE.parse().unwrap() });
    assert_eq!(serde_json::to_value(&attached).unwrap(), json!({ "state": "attached", "instance": INSTANCE }));
    for value in
        [json!({ "state": "creating" }), json!({ "state": "faulted", "reason": "x" }), json!({ "state": "new" })]
    {
        assert_eq!(serde_json::to_value(decode(value.clone())).unwrap(), value, "round trip");
    }
}

#[tokio::test]
async fn tagged_unions_travel_both_ways() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/disks/d1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "d1", "state": { "state": "attached", "instance": INSTANCE }
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/disks/d1"))
        .and(body_json(json!({ "state": "creating" })))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::disabled()).build().unwrap();
    let disk = client.get_disk("d1").await.unwrap();
    assert!(
        matches!(disk.state, DiskState::Attached(DiskStateAttached { instance }) if instance.to_string() == INSTANCE)
    );
    client.set_disk_state("d1", DiskState::Creating).await.unwrap();
}
