//! Checks generated code runs on parameters before sending a request.
//!
//! Each returns a [`ValidationError`] naming the parameter.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::{Mutex, OnceLock};

use super::error::ValidationError;

/// `value >= min` (`value > min` when `exclusive`).
pub fn minimum(parameter: &str, value: f64, min: f64, exclusive: bool) -> Result<(), ValidationError> {
    let ok = if exclusive { value > min } else { value >= min };
    if ok {
        Ok(())
    } else {
        let op = if exclusive { ">" } else { ">=" };
        Err(ValidationError::new(parameter, format!("must be {op} {min}, got {value}")))
    }
}

/// `value <= max` (`value < max` when `exclusive`).
pub fn maximum(parameter: &str, value: f64, max: f64, exclusive: bool) -> Result<(), ValidationError> {
    let ok = if exclusive { value < max } else { value <= max };
    if ok {
        Ok(())
    } else {
        let op = if exclusive { "<" } else { "<=" };
        Err(ValidationError::new(parameter, format!("must be {op} {max}, got {value}")))
    }
}

/// At least `min` characters.
pub fn min_length(parameter: &str, value: &str, min: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len >= min {
        Ok(())
    } else {
        Err(ValidationError::new(parameter, format!("must be at least {min} characters long, got {len}")))
    }
}

/// At most `max` characters.
pub fn max_length(parameter: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len <= max {
        Ok(())
    } else {
        Err(ValidationError::new(parameter, format!("must be at most {max} characters long, got {len}")))
    }
}

/// Matches the (unanchored) regular expression `pattern`. Compiled patterns are cached; a pattern the
/// `regex` crate cannot compile (e.g. ECMAScript look-around) is not enforced.
pub fn pattern(parameter: &str, value: &str, pattern: &str) -> Result<(), ValidationError> {
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
        Some(regex) if !regex.is_match(value) => {
            Err(ValidationError::new(parameter, format!("must match the pattern `{pattern}`")))
        }
        _ => Ok(()),
    }
}

/// At least `min` items.
pub fn min_items(parameter: &str, len: usize, min: usize) -> Result<(), ValidationError> {
    if len >= min {
        Ok(())
    } else {
        Err(ValidationError::new(parameter, format!("must have at least {min} items, got {len}")))
    }
}

/// At most `max` items.
pub fn max_items(parameter: &str, len: usize, max: usize) -> Result<(), ValidationError> {
    if len <= max {
        Ok(())
    } else {
        Err(ValidationError::new(parameter, format!("must have at most {max} items, got {len}")))
    }
}

/// One of `allowed`.
pub fn one_of<T: PartialEq + Display>(parameter: &str, value: &T, allowed: &[T]) -> Result<(), ValidationError> {
    if allowed.contains(value) {
        return Ok(());
    }
    let list = allowed.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ");
    Err(ValidationError::new(parameter, format!("must be one of: {list}; got {value}")))
}
