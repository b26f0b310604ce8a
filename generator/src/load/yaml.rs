//! YAML text → `serde_json::Value`, directly (no `serde_yaml::Value` in between).
//!
//! Reading straight into JSON keeps what real specs contain working: integers too large for 64 bits (DigitalOcean's
//! `maximum: 18446744073709552000`) become floats instead of failing, non-string keys (`200:`) become strings,
//! merge keys (`<<: *anchor`) are applied, and custom tags are ignored.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The most values one document may hold once its aliases are expanded. A fixed number, not one that grows with
/// the document: a small "billion laughs" and a large one stop at the same size. Real specs hold far fewer (the
/// largest in the APIs.guru directory, under 2 million).
pub(crate) const MAX_VALUES: usize = 8_000_000;

/// How deeply flow collections (`[`, `{`) may nest. The YAML parser's own limit (128) is only found after work
/// quadratic in the document; this is checked first, in one pass.
pub(crate) const MAX_FLOW_DEPTH: usize = 128;

/// Why YAML text could not be read, and where.
#[derive(Debug)]
pub(super) struct YamlError {
    /// What is wrong.
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

/// Parses YAML text into JSON.
pub(super) fn from_str(text: &str) -> Result<Value, YamlError> {
    if let Some(line) = flow_depth_exceeded(text, MAX_FLOW_DEPTH) {
        return Err(YamlError {
            message: format!("collections nest more than {MAX_FLOW_DEPTH} deep"),
            line: Some(line),
        });
    }
    parse(text, MAX_VALUES).map_err(|e| YamlError { line: e.location().map(|l| l.line()), message: e.to_string() })
}

fn parse(text: &str, max_values: usize) -> Result<Value, serde_yaml::Error> {
    let budget = Cell::new(max_values);
    JsonSeed(&budget).deserialize(serde_yaml::Deserializer::from_str(text))
}

/// The 1-based line where `[`/`{` nesting first goes deeper than `limit`, skipping quoted scalars and comments.
fn flow_depth_exceeded(text: &str, limit: usize) -> Option<usize> {
    let (mut depth, mut line) = (0usize, 1usize);
    let mut quote: Option<char> = None;
    let mut previous = '\n';
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' if !previous.is_alphanumeric() => quote = Some(c),
                '#' if previous.is_whitespace() => {
                    // A comment runs to the end of the line.
                    for rest in chars.by_ref() {
                        if rest == '\n' {
                            line += 1;
                            break;
                        }
                    }
                }
                '[' | '{' => {
                    depth += 1;
                    if depth > limit {
                        return Some(line);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = c;
    }
    None
}

/// Counts the values read, so that alias expansion stops at [`MAX_VALUES`].
struct JsonSeed<'b>(&'b Cell<usize>);

impl<'de> DeserializeSeed<'de> for JsonSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        match self.0.get().checked_sub(1) {
            Some(left) => self.0.set(left),
            None => {
                return Err(de::Error::custom(
                    "the document expands to more values than the generator reads (through YAML aliases)",
                ))
            }
        }
        deserializer.deserialize_any(JsonVisitor(self.0))
    }
}

struct JsonVisitor<'b>(&'b Cell<usize>);

fn float(value: f64) -> Value {
    Number::from_f64(value).map(Value::Number).unwrap_or(Value::Null)
}

impl<'de> Visitor<'de> for JsonVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => float(v as f64),
        })
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => float(v as f64),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // `.inf` and `.nan` have no JSON form.
        Ok(float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(JsonVisitor(self.0))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(JsonSeed(self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        let mut merged: Vec<Map<String, Value>> = Vec::new();
        while let Some(key) = access.next_key_seed(JsonSeed(self.0))? {
            let value = access.next_value_seed(JsonSeed(self.0))?;
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            if key == "<<" {
                match value {
                    Value::Object(m) => merged.push(m),
                    Value::Array(items) => {
                        merged.extend(items.into_iter().filter_map(|v| match v {
                            Value::Object(m) => Some(m),
                            _ => None,
                        }));
                    }
                    _ => return Err(de::Error::custom("a merge key `<<` needs a mapping or a list of mappings")),
                }
                continue;
            }
            // A duplicated key: the later one wins, as in most YAML readers.
            map.insert(key, value);
        }
        // Keys written in the mapping win over merged ones; earlier merged mappings win over later ones.
        for source in merged {
            for (key, value) in source {
                map.entry(key).or_insert(value);
            }
        }
        Ok(Value::Object(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A custom tag (`!Something value`): keep the value, drop the tag.
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(JsonSeed(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_integers_merge_keys_and_numeric_keys() {
        let value =
            from_str("a: 18446744073709552000\nbase: &b { x: 1, y: 2 }\nc:\n  <<: *b\n  y: 3\n200: ok\n").unwrap();
        assert!(value["a"].is_f64());
        assert_eq!(value["c"]["x"], 1);
        assert_eq!(value["c"]["y"], 3);
        assert_eq!(value["200"], "ok");
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let deep = format!("a: {}1{}\n", "[".repeat(200), "]".repeat(200));
        let error = from_str(&deep).unwrap_err();
        assert_eq!((error.message.as_str(), error.line), ("collections nest more than 128 deep", Some(1)));
        // Brackets in quotes and comments do not count.
        let quoted = format!("a: \"{}\"\nb: 1 # {}\nc: '{}'\n", "[".repeat(300), "{".repeat(300), "[".repeat(300));
        assert!(from_str(&quoted).is_ok());
        assert_eq!(flow_depth_exceeded(&format!("x:\n  y: {}", "{".repeat(3)), 2), Some(2));
    }

    #[test]
    fn alias_expansion_stops_at_a_fixed_size() {
        // Each level doubles: 2^8 leaves from 9 short lines; the budget counts expanded values, not lines.
        let mut text = String::from("l0: &l0 [x, x]\n");
        for level in 1..=8 {
            text.push_str(&format!("l{level}: &l{level} [*l{}, *l{}]\n", level - 1, level - 1));
        }
        assert!(parse(&text, 10_000).is_ok());
        let error = parse(&text, 500).unwrap_err().to_string();
        assert!(error.contains("expands to more values than the generator reads"), "{error}");
    }
}
