//! Date-time values of the `time` crate as RFC 3339 text, for clients generated with `--date-time time`.
//!
//! OpenAPI's `format: date-time` is RFC 3339 `date-time` and `format: date` is its `full-date` (OpenAPI 3.0.3
//! §4.7.24.2, RFC 3339 §5.6). `time`'s own serde forms are not these, so generated fields of `time::OffsetDateTime`
//! and `time::Date` (alone or in `Option`, `Vec`, `BTreeMap` and `Box`, nested any way) carry
//! `#[serde(with = "rt::rfc3339")]`, and generated readers use [`Seed`]. Parameters are written with [`text`].

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error as _};
use serde::ser::Error as _;
use serde::{Deserialize, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;

/// `YYYY-MM-DD`, RFC 3339 `full-date`. Written by hand rather than with a `time` format description: that API's
/// item types were renamed and deprecated within 0.3, and its macro needs the `macros` feature's proc-macro crate.
fn full_date(date: &time::Date) -> Option<String> {
    (0..=9999)
        .contains(&date.year())
        .then(|| format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
}

/// Reads `YYYY-MM-DD`.
fn parse_full_date(text: &str) -> Option<time::Date> {
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return None;
    }
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// A value that reads and writes its date-times as RFC 3339 text: `OffsetDateTime`, `Date`, and containers of them.
pub trait Rfc3339Value: Sized {
    /// Writes the value.
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads the value.
    fn deserialize_rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

impl Rfc3339Value for time::OffsetDateTime {
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.format(&Rfc3339).map_err(S::Error::custom)?)
    }

    fn deserialize_rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        time::OffsetDateTime::parse(&text, &Rfc3339)
            .map_err(|e| D::Error::custom(format_args!("`{text}` is not an RFC 3339 date-time: {e}")))
    }
}

impl Rfc3339Value for time::Date {
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = full_date(self).ok_or_else(|| S::Error::custom(format_args!("{self} has no RFC 3339 full-date")))?;
        serializer.serialize_str(&text)
    }

    fn deserialize_rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        parse_full_date(&text).ok_or_else(|| D::Error::custom(format_args!("`{text}` is not an RFC 3339 full-date")))
    }
}

/// Serializes a borrowed value through its [`Rfc3339Value`] impl, so containers can hand items to serde.
struct Out<'a, T>(&'a T);

impl<T: Rfc3339Value> Serialize for Out<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_rfc3339(serializer)
    }
}

/// Deserializes a value through its [`Rfc3339Value`] impl, so containers can read items with serde.
struct In<T>(T);

impl<'de, T: Rfc3339Value> Deserialize<'de> for In<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_rfc3339(deserializer).map(In)
    }
}

impl<T: Rfc3339Value> Rfc3339Value for Option<T> {
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Out(value)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize_rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<In<T>>::deserialize(deserializer)?.map(|In(value)| value))
    }
}

impl<T: Rfc3339Value> Rfc3339Value for Box<T> {
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_rfc3339(serializer)
    }

    fn deserialize_rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_rfc3339(deserializer).map(Box::new)
    }
}

impl<T: Rfc3339Value> Rfc3339Value for Vec<T> {
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Out))
    }

    fn deserialize_rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<In<T>>::deserialize(deserializer)?.into_iter().map(|In(value)| value).collect())
    }
}

impl<T: Rfc3339Value> Rfc3339Value for BTreeMap<String, T> {
    fn serialize_rfc3339<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(key, value)| (key, Out(value))))
    }

    fn deserialize_rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = BTreeMap::<String, In<T>>::deserialize(deserializer)?;
        Ok(read.into_iter().map(|(key, In(value))| (key, value)).collect())
    }
}

/// `#[serde(serialize_with)]` half of `#[serde(with = "rt::rfc3339")]`.
pub fn serialize<T: Rfc3339Value, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_rfc3339(serializer)
}

/// `#[serde(deserialize_with)]` half of `#[serde(with = "rt::rfc3339")]`.
pub fn deserialize<'de, T: Rfc3339Value, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_rfc3339(deserializer)
}

/// Reads a `T` as RFC 3339 text where a `DeserializeSeed` is wanted (generated objects' property readers).
pub struct Seed<T>(PhantomData<T>);

impl<T> Seed<T> {
    /// A seed for `T`.
    pub fn new() -> Self {
        Seed(PhantomData)
    }
}

impl<T> Default for Seed<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for Seed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed")
    }
}

impl<'de, T: Rfc3339Value> DeserializeSeed<'de> for Seed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_rfc3339(deserializer)
    }
}

/// A date-time or date that [`text`] writes.
pub trait Rfc3339Text {
    /// The value as RFC 3339 text.
    fn rfc3339_text(&self) -> String;
}

impl Rfc3339Text for time::OffsetDateTime {
    fn rfc3339_text(&self) -> String {
        self.format(&Rfc3339).unwrap_or_else(|_| self.to_string())
    }
}

impl Rfc3339Text for time::Date {
    fn rfc3339_text(&self) -> String {
        full_date(self).unwrap_or_else(|| self.to_string())
    }
}

impl<T: Rfc3339Text + ?Sized> Rfc3339Text for &T {
    fn rfc3339_text(&self) -> String {
        (**self).rfc3339_text()
    }
}

/// A date-time (`date-time`) or date (`full-date`) as RFC 3339 text, for a parameter or a multipart part. A value
/// RFC 3339 cannot write (a year outside 0000–9999, an offset with seconds) is written in `time`'s own form instead
/// of failing the request.
pub fn text<T: Rfc3339Text>(value: &T) -> String {
    value.rfc3339_text()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Stamps {
        #[serde(with = "self")]
        at: time::OffsetDateTime,
        #[serde(with = "self")]
        day: time::Date,
        #[serde(with = "self")]
        many: Vec<Option<time::OffsetDateTime>>,
        #[serde(with = "self")]
        by_name: BTreeMap<String, time::Date>,
    }

    #[test]
    fn values_and_containers_round_trip_as_rfc3339_text() {
        let json = serde_json::json!({
            "at": "2024-01-02T03:04:05.5+01:00",
            "day": "2020-02-29",
            "many": ["1999-12-31T23:59:59Z", null],
            "by_name": {"leap": "2024-02-29"}
        });
        let stamps: Stamps = serde_json::from_value(json).unwrap();
        assert_eq!(stamps.at.unix_timestamp(), 1_704_161_045);
        assert_eq!(stamps.day.to_string(), "2020-02-29");
        assert_eq!(stamps.many[1], None);
        let written = serde_json::to_value(&stamps).unwrap();
        assert_eq!(written["at"], "2024-01-02T03:04:05.5+01:00");
        assert_eq!(written["day"], "2020-02-29");
        assert_eq!(written["many"], serde_json::json!(["1999-12-31T23:59:59Z", null]));
        assert_eq!(written["by_name"]["leap"], "2024-02-29");
        let bad = serde_json::from_value::<Stamps>(serde_json::json!({"at": "yesterday"}));
        assert!(bad.unwrap_err().to_string().contains("`yesterday` is not an RFC 3339 date-time"));
        assert_eq!(text(&stamps.at), "2024-01-02T03:04:05.5+01:00");
        assert_eq!(text(&&stamps.day), "2020-02-29");
        assert!(serde_json::from_value::<Stamps>(serde_json::json!({
            "at": "2024-01-02T03:04:05Z", "day": "2023-02-29", "many": [], "by_name": {}
        }))
        .unwrap_err()
        .to_string()
        .contains("`2023-02-29` is not an RFC 3339 full-date"));
    }

    #[test]
    fn a_seed_reads_the_same_text() {
        let mut json = serde_json::Deserializer::from_str("\"2021-06-01\"");
        let day: time::Date = Seed::new().deserialize(&mut json).unwrap();
        assert_eq!(day.to_string(), "2021-06-01");
    }
}
