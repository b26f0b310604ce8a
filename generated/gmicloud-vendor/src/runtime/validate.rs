//! Checks generated code runs on parameters before sending a request (JSON Schema validation keywords, OpenAPI
//! 3.0.3 §4.7.24 and JSON Schema Validation §6).
//!
//! Each takes the parameter's value (`&T`, or `Option<&T>` where `None` is an optional parameter left unset, which
//! passes every check), and
//! returns a [`ValidationError`] naming the parameter.

use super::error::ValidationError;
use super::string_enum::StringEnum;

/// A number a `minimum`/`maximum` applies to, read as `f64` for the comparison.
pub trait Number: Copy {
    /// The value as `f64` (64-bit integers beyond 2^53 are rounded, as JSON Schema's numbers are).
    fn to_f64(self) -> f64;
}

macro_rules! numbers {
    ($($t:ty),*) => { $(impl Number for $t { fn to_f64(self) -> f64 { self as f64 } })* };
}
numbers!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

/// `value >= min` (`value > min` when `exclusive`).
pub fn minimum<'a, N: Number + 'a>(
    parameter: &str,
    value: impl Into<Option<&'a N>>,
    min: f64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let Some(value) = value.into().map(|v| v.to_f64()) else { return Ok(()) };
    let ok = if exclusive { value > min } else { value >= min };
    if ok {
        Ok(())
    } else {
        let op = if exclusive { ">" } else { ">=" };
        Err(ValidationError::new(parameter, format!("must be {op} {min}, got {value}")))
    }
}

/// `value <= max` (`value < max` when `exclusive`).
pub fn maximum<'a, N: Number + 'a>(
    parameter: &str,
    value: impl Into<Option<&'a N>>,
    max: f64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let Some(value) = value.into().map(|v| v.to_f64()) else { return Ok(()) };
    let ok = if exclusive { value < max } else { value <= max };
    if ok {
        Ok(())
    } else {
        let op = if exclusive { "<" } else { "<=" };
        Err(ValidationError::new(parameter, format!("must be {op} {max}, got {value}")))
    }
}

/// At least `min` characters (Unicode scalar values).
pub fn min_length<'a, S: AsRef<str> + ?Sized + 'a>(
    parameter: &str,
    value: impl Into<Option<&'a S>>,
    min: usize,
) -> Result<(), ValidationError> {
    let Some(value) = value.into() else { return Ok(()) };
    let len = value.as_ref().chars().count();
    if len >= min {
        Ok(())
    } else {
        Err(ValidationError::new(parameter, format!("must be at least {min} characters long, got {len}")))
    }
}

/// At most `max` characters (Unicode scalar values).
pub fn max_length<'a, S: AsRef<str> + ?Sized + 'a>(
    parameter: &str,
    value: impl Into<Option<&'a S>>,
    max: usize,
) -> Result<(), ValidationError> {
    let Some(value) = value.into() else { return Ok(()) };
    let len = value.as_ref().chars().count();
    if len <= max {
        Ok(())
    } else {
        Err(ValidationError::new(parameter, format!("must be at most {max} characters long, got {len}")))
    }
}

/// Matches the (unanchored) regular expression `pattern` (runtime feature `regex`). Compiled patterns are cached; a pattern the
/// `regex` crate cannot compile (e.g. ECMAScript look-around) is not enforced.
pub fn pattern<'a, S: AsRef<str> + ?Sized + 'a>(
    parameter: &str,
    value: impl Into<Option<&'a S>>,
    pattern: &str,
) -> Result<(), ValidationError> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};

    let Some(value) = value.into() else { return Ok(()) };
    static CACHE: OnceLock<Mutex<HashMap<String, Option<regex::Regex>>>> = OnceLock::new();
    let regex = {
        let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match cache.get(pattern) {
            Some(compiled) => compiled.clone(),
            None => {
                let compiled = regex::Regex::new(pattern).ok();
                cache.insert(pattern.to_owned(), compiled.clone());
                compiled
            }
        }
    };
    match regex {
        Some(regex) if !regex.is_match(value.as_ref()) => {
            Err(ValidationError::new(parameter, format!("must match the pattern `{pattern}`")))
        }
        _ => Ok(()),
    }
}

/// At least `min` items.
pub fn min_items<'a, T: 'a>(
    parameter: &str,
    value: impl Into<Option<&'a [T]>>,
    min: usize,
) -> Result<(), ValidationError> {
    let Some(len) = value.into().map(<[T]>::len) else { return Ok(()) };
    if len >= min {
        Ok(())
    } else {
        Err(ValidationError::new(parameter, format!("must have at least {min} items, got {len}")))
    }
}

/// At most `max` items.
pub fn max_items<'a, T: 'a>(
    parameter: &str,
    value: impl Into<Option<&'a [T]>>,
    max: usize,
) -> Result<(), ValidationError> {
    let Some(len) = value.into().map(<[T]>::len) else { return Ok(()) };
    if len <= max {
        Ok(())
    } else {
        Err(ValidationError::new(parameter, format!("must have at most {max} items, got {len}")))
    }
}

/// One of the values the spec lists for the enum: a value built from the enum's fallback variant
/// (`Kind::Unknown("x")`) is not one the server accepts.
pub fn known<'a, E: StringEnum + 'a>(parameter: &str, value: impl Into<Option<&'a E>>) -> Result<(), ValidationError> {
    match value.into() {
        Some(value) if !E::VALUES.contains(&value.as_str()) => Err(ValidationError::new(
            parameter,
            format!("must be one of: {}; got {}", E::VALUES.join(", "), value.as_str()),
        )),
        _ => Ok(()),
    }
}

/// [`known`] for every item of an array.
pub fn known_items<'a, E: StringEnum + 'a>(
    parameter: &str,
    value: impl Into<Option<&'a [E]>>,
) -> Result<(), ValidationError> {
    value.into().into_iter().flatten().try_for_each(|item| known(parameter, item))
}
