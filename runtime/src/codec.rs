//! Serde helpers used by generated code: parameter text, int64-as-string fields, nullable optional fields.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::error::ValidationError;

/// A value as JSON, for `deepObject` query parameters.
pub fn to_json_value<T: Serialize + ?Sized>(parameter: &str, value: &T) -> Result<serde_json::Value, ValidationError> {
    serde_json::to_value(value).map_err(|e| ValidationError::new(parameter, e.to_string()))
}

/// A value as query/header text: strings as-is, numbers and booleans as written in JSON, null as empty,
/// arrays and objects as JSON text.
pub fn to_query_text<T: Serialize + ?Sized>(parameter: &str, value: &T) -> Result<String, ValidationError> {
    Ok(match to_json_value(parameter, value)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// Writes a tagged union's variant: the object `value` serializes to (nothing for a unit variant, `None`) with the
/// discriminator `property` set to `tag` (`{"state": "attached", "instance": "…"}`). Fails when `value` is not an
/// object.
pub fn serialize_tagged<T: Serialize + ?Sized, S: Serializer>(
    value: Option<&T>,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut object = match value.map(serde_json::to_value).transpose().map_err(serde::ser::Error::custom)? {
        Some(serde_json::Value::Object(object)) => object,
        Some(_) => {
            return Err(serde::ser::Error::custom(format_args!("a `{property}: {tag}` variant must be an object")))
        }
        None => serde_json::Map::new(),
    };
    object.insert(property.to_owned(), serde_json::Value::String(tag.to_owned()));
    object.serialize(serializer)
}

struct I64Visitor;

impl<'de> Visitor<'de> for I64Visitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a 64-bit integer or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim().parse().map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// `#[serde(with = "codec::int64_string")]`: an `i64` written as a JSON string, read from a string or a number.
pub mod int64_string {
    use super::*;

    /// Writes the number as a string.
    pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a string or a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(I64Visitor)
    }
}

/// `#[serde(with = "codec::int64_string_option")]`: like [`int64_string`] for `Option<i64>`; null reads as `None`.
pub mod int64_string_option {
    use super::*;

    /// Writes `Some` as a string and `None` as null.
    pub fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.collect_str(v),
            None => serializer.serialize_none(),
        }
    }

    /// Reads null, a string or a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        struct OptionVisitor;
        impl<'de> Visitor<'de> for OptionVisitor {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("null, a 64-bit integer or a string holding one")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
                deserializer.deserialize_any(I64Visitor).map(Some)
            }
        }
        deserializer.deserialize_option(OptionVisitor)
    }
}

/// [`int64_string::deserialize`] as a seed, for [`object::field_seed`](super::object::field_seed).
#[derive(Debug, Clone, Copy)]
pub struct Int64String;

impl<'de> de::DeserializeSeed<'de> for Int64String {
    type Value = i64;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<i64, D::Error> {
        int64_string::deserialize(deserializer)
    }
}

/// [`int64_string_option::deserialize`] as a seed, for [`object::field_seed`](super::object::field_seed).
#[derive(Debug, Clone, Copy)]
pub struct Int64StringOption;

impl<'de> de::DeserializeSeed<'de> for Int64StringOption {
    type Value = Option<i64>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<i64>, D::Error> {
        int64_string_option::deserialize(deserializer)
    }
}

/// `#[serde(default, skip_serializing_if = "Option::is_none", with = "codec::double_option")]` on an
/// `Option<Option<T>>`: absent is `None`, `null` is `Some(None)`, a value is `Some(Some(value))`.
pub mod double_option {
    use super::*;

    /// Writes `Some(None)` as null and `Some(Some(v))` as `v` (`None` is skipped by `skip_serializing_if`).
    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(Some(v)) => v.serialize(serializer),
            _ => serializer.serialize_none(),
        }
    }

    /// Reads null as `Some(None)` and a value as `Some(Some(value))`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagged_variants_carry_their_tag() {
        #[derive(Serialize)]
        struct Attached {
            instance: &'static str,
        }
        let write = |value: Option<&Attached>| {
            serialize_tagged(value, "state", "attached", serde_json::value::Serializer).unwrap()
        };
        assert_eq!(
            write(Some(&Attached { instance: "i-1" })),
            serde_json::json!({"instance": "i-1", "state": "attached"})
        );
        assert_eq!(write(None), serde_json::json!({"state": "attached"}));
        assert!(serialize_tagged(Some(&3), "state", "x", serde_json::value::Serializer).is_err(), "not an object");
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Fields {
        #[serde(with = "int64_string")]
        id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "int64_string_option")]
        size: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
        name: Option<Option<String>>,
    }

    #[test]
    fn int64_strings_and_double_options() {
        let f: Fields = serde_json::from_str(r#"{"id": "9007199254740993", "size": 5, "name": null}"#).unwrap();
        assert_eq!(f, Fields { id: 9007199254740993, size: Some(5), name: Some(None) });
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"id":"9007199254740993","size":"5","name":null}"#);
        let f: Fields = serde_json::from_str(r#"{"id": 1, "size": null}"#).unwrap();
        assert_eq!(f, Fields { id: 1, size: None, name: None });
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"id":"1"}"#);
        let f: Fields = serde_json::from_str(r#"{"id": 1, "size": "7", "name": "x"}"#).unwrap();
        assert_eq!((f.size, f.name), (Some(7), Some(Some("x".to_owned()))));
        assert!(serde_json::from_str::<Fields>(r#"{"id": "x1"}"#).is_err());
        assert!(serde_json::from_str::<Fields>(r#"{"id": 18446744073709551615}"#).is_err());
        assert!(serde_json::from_str::<Fields>(r#"{"id": 1.5}"#).is_err());
    }

    #[test]
    fn query_text() {
        assert_eq!(to_query_text("p", "a b").unwrap(), "a b");
        assert_eq!(to_query_text("p", &3.5).unwrap(), "3.5");
        assert_eq!(to_query_text("p", &true).unwrap(), "true");
        assert_eq!(to_query_text("p", &None::<u8>).unwrap(), "");
        assert_eq!(to_query_text("p", &vec![1, 2]).unwrap(), "[1,2]");
        let mut bad = std::collections::HashMap::new();
        bad.insert(vec![1u8], 1u8);
        assert_eq!(to_query_text("p", &bad).unwrap_err().parameter, "p");
    }
}
