//! The `time` feature spec's crate (`date_time = "time"`): date-times and dates as `time` values, read and written
//! as RFC 3339 in every position a schema can put them, and sent as RFC 3339 text in parameters.

use feature_time::types::{Event, EventWhen};
use feature_time::Client;
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn at(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap()
}

fn event_json() -> serde_json::Value {
    json!({
        "at": "2024-01-02T03:04:05+01:00",
        "day": "2020-02-29",
        "ends": null,
        "reminders": ["2024-01-01T09:00:00Z", "2024-01-02T02:00:00.25Z"],
        "byZone": {"utc": "2024-01-02T02:04:05Z"},
        "when": "2024-01-02T03:04:05Z",
        "created": "2023-12-31T23:59:59Z"
    })
}

#[test]
fn every_position_reads_and_writes_rfc3339() {
    let event: Event = serde_json::from_value(event_json()).unwrap();
    assert_eq!(event.at, at("2024-01-02T02:04:05Z"), "an alias of a date-time field");
    assert_eq!(event.day, Date::from_calendar_date(2020, Month::February, 29).unwrap());
    assert_eq!(event.ends, Some(None), "optional and nullable: null is Some(None)");
    assert_eq!(event.reminders.as_ref().unwrap()[1], at("2024-01-02T02:00:00.25Z"));
    assert_eq!(event.by_zone.as_ref().unwrap()["utc"], at("2024-01-02T02:04:05Z"));
    assert_eq!(event.when, Some(EventWhen::DateTime(at("2024-01-02T03:04:05Z"))), "a union variant");
    assert_eq!(event.created, Some(at("2023-12-31T23:59:59Z")), "read-only: read from responses");

    let written = serde_json::to_value(&event).unwrap();
    assert_eq!(written["at"], "2024-01-02T03:04:05+01:00");
    assert_eq!(written["day"], "2020-02-29");
    assert_eq!(written["ends"], serde_json::Value::Null, "Some(None) is written as null");
    assert_eq!(written["reminders"], json!(["2024-01-01T09:00:00Z", "2024-01-02T02:00:00.25Z"]));
    assert_eq!(written["byZone"]["utc"], "2024-01-02T02:04:05Z");
    assert_eq!(written["when"], "2024-01-02T03:04:05Z");
    assert!(written.get("created").is_none(), "read-only fields are not sent");

    let integer: Event =
        serde_json::from_value(json!({"at": "2024-01-02T03:04:05Z", "day": "2024-01-02", "when": 7})).unwrap();
    assert_eq!(integer.when, Some(EventWhen::Integer(7)));
    assert!(integer.ends.is_none() && serde_json::to_value(&integer).unwrap().get("ends").is_none());

    let bad = serde_json::from_value::<Event>(json!({"at": "yesterday", "day": "2024-01-02"})).unwrap_err();
    assert!(bad.to_string().contains("`yesterday` is not an RFC 3339 date-time"), "{bad}");
}

#[tokio::test]
async fn parameters_and_bodies_go_out_as_rfc3339() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .and(query_param("date", "2020-02-29"))
        .and(query_param("since", "2024-01-02T03:04:05+01:00"))
        .and(query_param("days", "2020-02-28,2020-02-29"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([event_json()])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/days/2020-02-29/events"))
        .and(header("at", "2024-01-02T02:04:05Z"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/events"))
        .and(body_json(json!({"at": "2024-01-02T03:04:05+01:00", "day": "2020-02-29"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(event_json()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let leap = Date::from_calendar_date(2020, Month::February, 29).unwrap();
    let eve = Date::from_calendar_date(2020, Month::February, 28).unwrap();
    let events =
        client.list_events(leap).since(at("2024-01-02T03:04:05+01:00")).days(vec![eve, leap]).send().await.unwrap();
    assert_eq!(events[0].day, leap);
    let none = client.events_on_day(leap).at(at("2024-01-02T02:04:05Z")).send().await.unwrap();
    assert!(none.is_empty());
    let new = Event {
        at: at("2024-01-02T03:04:05+01:00"),
        day: leap,
        ends: None,
        reminders: None,
        by_zone: None,
        when: None,
        created: None,
    };
    let created = client.create_event(new).send().await.unwrap();
    assert_eq!(created.created, Some(at("2023-12-31T23:59:59Z")));
}
