//! String enums (a schema with `type: string` and `enum`): the conversions every generated enum shares.
//!
//! A generated enum lists the spec's values as unit variants and keeps any other value in a last, fallback variant,
//! so that a server adding a value does not break decoding. [`string_enum!`](super::string_enum) writes its
//! conversions (`as_str`, `From<&str>`, `FromStr`, `Display`, serde) in one line per enum.

/// A generated string enum: the wire values the spec lists, and the value of an instance.
pub trait StringEnum {
    /// The values the spec lists, in its order.
    const VALUES: &'static [&'static str];

    /// The value as sent on the wire (a listed value, or the text the fallback variant keeps).
    fn as_str(&self) -> &str;
}

/// A value that a strict enum (one without a fallback variant) does not list: the error of its `FromStr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// The value given.
    pub value: String,
    /// The values the enum lists.
    pub expected: &'static [&'static str],
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown value `{}`, expected one of {:?}", self.value, self.expected)
    }
}

impl std::error::Error for UnknownValue {}

/// Implements [`StringEnum`] and the wire conversions (`as_str`, `From<&str>`, `FromStr`, `Display`, serde's
/// `Serialize` and `Deserialize` as a string) for a generated enum whose last variant `$fallback(String)` keeps
/// values the spec does not list.
///
/// Without `$fallback` the enum is strict: it lists only the spec's values, `FromStr` fails with [`UnknownValue`]
/// for any other, and so does decoding (serde's "unknown variant" error). There is then no `From<&str>`.
///
/// `$rt` is the name under which the calling module sees this crate (see [`operation!`](super::operation)); the
/// calling crate depends on `serde`.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    ($rt:ident, $name:ident, { $($variant:ident => $wire:literal,)* }) => {
        impl $rt::StringEnum for $name {
            const VALUES: &'static [&'static str] = &[$($wire),*];

            fn as_str(&self) -> &str {
                self.as_str()
            }
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)*
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $rt::UnknownValue;

            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                match value {
                    $($wire => Ok(Self::$variant),)*
                    other => Err($rt::UnknownValue {
                        value: other.to_owned(),
                        expected: <Self as $rt::StringEnum>::VALUES,
                    }),
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                value.parse().map_err(|_| {
                    <D::Error as serde::de::Error>::unknown_variant(&value, <Self as $rt::StringEnum>::VALUES)
                })
            }
        }
    };
    ($rt:ident, $name:ident, $fallback:ident, { $($variant:ident => $wire:literal,)* }) => {
        impl $rt::StringEnum for $name {
            const VALUES: &'static [&'static str] = &[$($wire),*];

            fn as_str(&self) -> &str {
                self.as_str()
            }
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$fallback(value) => value,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$fallback(other.to_owned()),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
}

#[doc(inline)]
pub use crate::__string_enum as string_enum;
