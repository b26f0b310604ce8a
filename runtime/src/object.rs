//! Reading JSON objects into generated structs, field by field.
//!
//! Generated structs implement `serde::Deserialize` through [`Object`] instead of `#[derive(Deserialize)]`. What
//! serde's derive writes for each struct (a field-identifier enum with its own visitor, a sequence visitor, a map
//! visitor) is about three times the code this needs, and the compiler expands, resolves and hashes all of it on
//! every build of a generated crate: on a 190-type spec the derive was half of `cargo check`. The behaviour is
//! serde's for JSON objects: unknown properties are skipped, a repeated property is an error
//! (`duplicate field`), a missing required one is `missing field`, an absent `Option` is `None`.
//! Serialization still uses serde's derive, whose output is small.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// A struct read from a JSON object one property at a time (implemented by generated structs).
pub trait Object: Sized {
    /// The struct's name, for "expected" in error messages.
    const NAME: &'static str;

    /// Reads the struct from the properties of an object.
    ///
    /// Errors: whatever `map` reports, and missing required or repeated properties.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of an [`Object`]: reads a map (a JSON object) with [`Object::from_map`].
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// A property name, borrowed from the input when it can be.
#[derive(Debug)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of property `name` into `slot`; a second occurrence of the property is an error.
pub fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    field_seed(map, slot, PhantomData, name)
}

/// Like [`field`], reading the value with `seed` (a codec such as [`Int64String`](super::codec::Int64String)).
pub fn field_seed<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    map: &mut A,
    slot: &mut Option<S::Value>,
    seed: S,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(seed)?);
    Ok(())
}

/// Skips the value of a property the struct does not have.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// Reads the value of a property the spec does not name into the struct's map of additional properties.
pub fn insert<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
    map: &mut A,
    additional: &mut std::collections::BTreeMap<String, V>,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    additional.insert(key.0.into_owned(), value);
    Ok(())
}

/// The value of a required property, or `missing field` when the object had none.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// The value of an optional or nullable property: absent and `null` are both `None`.
pub fn optional<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Disk {
        name: String,
        size: Option<u64>,
        image: Option<Option<String>>,
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }

    impl Object for Disk {
        const NAME: &'static str = "Disk";
        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut name, mut size, mut image) = (None, None, None);
            let mut extra = std::collections::BTreeMap::new();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match key.as_str() {
                    "name" => field(&mut map, &mut name, "name")?,
                    "size" => field(&mut map, &mut size, "size")?,
                    "image" => field(&mut map, &mut image, "image")?,
                    _ => insert(&mut map, &mut extra, key)?,
                }
            }
            Ok(Disk { name: required(name, "name")?, size: optional(size), image, extra })
        }
    }

    impl<'de> Deserialize<'de> for Disk {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize(deserializer)
        }
    }

    fn read(json: &str) -> Result<Disk, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_like_serde_derive() {
        let disk = read(r#"{"name": "d", "size": null, "image": null, "zone": "a"}"#).unwrap();
        assert_eq!((disk.name.as_str(), disk.size, disk.image), ("d", None, Some(None)));
        assert_eq!(disk.extra.get("zone"), Some(&serde_json::json!("a")));
        let disk = read(r#"{"size": 5, "name": "d\u0041", "image": "i"}"#).unwrap();
        assert_eq!((disk.name.as_str(), disk.size, disk.image), ("dA", Some(5), Some(Some("i".to_owned()))));
        assert_eq!(read(r#"{"name": "d"}"#).unwrap().image, None);
    }

    #[test]
    fn reports_what_serde_derive_reports() {
        assert!(read(r#"{"size": 1}"#).unwrap_err().starts_with("missing field `name`"));
        assert!(read(r#"{"name": "a", "name": "b"}"#).unwrap_err().starts_with("duplicate field `name`"));
        assert!(read(r#"["a"]"#).unwrap_err().starts_with("invalid type: sequence, expected struct Disk"));
        assert!(read(r#"{"name": 1}"#).unwrap_err().starts_with("invalid type: integer `1`, expected a string"));
    }
}
