//! Every Rust identifier the generator writes is made here, once.
//!
//! Spec names can be anything: keywords, empty strings, leading digits, punctuation, or several names that become
//! the same identifier after case conversion (`foo-bar`, `foo_bar`, `fooBar`). A [`Namespace`] hands out each
//! identifier once, adding a numeric suffix to later claimants, so the spec's order decides who keeps the plain name.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, 2021 and 2024 editions). Identifiers equal to one get a trailing `_`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match",
    "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Prelude names generated code uses unqualified; a spec type may not shadow them.
const PRELUDE_NAMES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "ToString", "ToOwned", "Default", "Clone",
    "Copy", "Debug", "PartialEq", "Eq", "Hash", "Send", "Sync", "Sized", "Into", "From", "Iterator", "Self",
];

/// Items the client module defines besides the request builders and error enums.
const CLIENT_ITEMS: &[&str] = &["Client", "ClientBuilder", "rt"];

/// A set of identifiers in one scope.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    used: HashSet<String>,
}

impl Namespace {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope in which `names` are already taken.
    pub fn with_reserved(names: &[&str]) -> Self {
        Namespace { used: names.iter().map(|s| (*s).to_owned()).collect() }
    }

    /// The scope of the `types` module.
    pub fn for_types() -> Self {
        Self::with_reserved(PRELUDE_NAMES)
    }

    /// The scope of the client module: request builders and error enums beside `Client`.
    pub fn for_client_items() -> Self {
        let mut ns = Self::with_reserved(PRELUDE_NAMES);
        ns.used.extend(CLIENT_ITEMS.iter().map(|s| (*s).to_owned()));
        ns
    }

    /// Takes `candidate`, or `candidate2`, `candidate3`… if taken.
    pub fn claim(&mut self, candidate: &str) -> String {
        if self.used.insert(candidate.to_owned()) {
            return candidate.to_owned();
        }
        let separator = if candidate.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut n = 2;
        loop {
            let name = format!("{candidate}{separator}{n}");
            if self.used.insert(name.clone()) {
                return name;
            }
            n += 1;
        }
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

/// Keeps ASCII letters and digits; everything else separates words.
pub(crate) fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

/// `UpperCamelCase` for a type or variant; `prefix` goes before a leading digit, `fallback` stands for nothing.
pub fn camel(raw: &str, fallback: &str, prefix: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{prefix}{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `snake_case` for a field, argument or method; `fallback` stands for nothing.
pub fn snake(raw: &str, fallback: &str) -> String {
    // Split "HTTPServer2FA"-style runs the way heck does, after turning punctuation into word breaks.
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Type name for a schema.
pub fn type_name(raw: &str) -> String {
    camel(raw, "Unnamed", "T")
}

/// Variant name for an enum value.
pub fn variant_name(raw: &str) -> String {
    let name = camel(raw, "Empty", "V");
    // `-1` and `1` must not both become `V1`.
    if raw.starts_with('-') && raw[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return format!("Minus{}", name.trim_start_matches('V'));
    }
    name
}

/// Field or parameter name.
pub fn field_name(raw: &str) -> String {
    snake(raw, "field")
}

/// Method name for an operation.
pub fn method_name(raw: &str) -> String {
    snake(raw, "operation")
}

/// An operation id made from method and path when the spec has none: `GET /v2/images/{id}` → `get_v2_images_by_id`.
pub fn operation_id(method: &str, path: &str) -> String {
    let mut parts = vec![method.to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            parts.push(format!("by_{param}"));
        } else {
            parts.push(segment.to_owned());
        }
    }
    parts.join("_")
}

/// Variant name of an error response by its status.
pub fn status_variant(status: &str) -> String {
    let named = match status {
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "402" => "PaymentRequired",
        "403" => "Forbidden",
        "404" => "NotFound",
        "405" => "MethodNotAllowed",
        "406" => "NotAcceptable",
        "408" => "RequestTimeout",
        "409" => "Conflict",
        "410" => "Gone",
        "411" => "LengthRequired",
        "412" => "PreconditionFailed",
        "413" => "PayloadTooLarge",
        "414" => "UriTooLong",
        "415" => "UnsupportedMediaType",
        "416" => "RangeNotSatisfiable",
        "422" => "UnprocessableEntity",
        "423" => "Locked",
        "424" => "FailedDependency",
        "428" => "PreconditionRequired",
        "429" => "TooManyRequests",
        "500" => "InternalServerError",
        "501" => "NotImplemented",
        "502" => "BadGateway",
        "503" => "ServiceUnavailable",
        "504" => "GatewayTimeout",
        "4XX" | "4xx" => "ClientError",
        "5XX" | "5xx" => "ServerError",
        "default" => "Other",
        _ => "",
    };
    if named.is_empty() {
        format!("Status{}", words(status).replace(' ', ""))
    } else {
        named.to_owned()
    }
}

/// Turns spec prose into rustdoc that cannot break the build or add a doctest.
///
/// Doc text reaches the code as a string literal (never as comment syntax), so nothing can escape it; this only
/// defuses Markdown that rustdoc would act on: fenced code blocks become `text` blocks, indented lines (which
/// rustdoc would compile as Rust) lose their indentation, control characters go.
pub fn doc_text(raw: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence: Option<String> = None;
    for line in raw.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let clean: String = line.chars().filter(|c| !c.is_control() || *c == '\t').collect();
        let trimmed = clean.trim_start();
        let fence: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
        if fence.len() >= 3 && (fence.chars().all(|c| c == '`') || fence.chars().all(|c| c == '~')) {
            match &in_fence {
                None => {
                    out.push(format!("{fence}text"));
                    in_fence = Some(fence);
                }
                Some(open) if trimmed.trim_end() == open.as_str() || fence.len() >= open.len() && trimmed[fence.len()..].trim().is_empty() => {
                    out.push(open.clone());
                    in_fence = None;
                }
                Some(_) => out.push(clean.clone()),
            }
            continue;
        }
        if in_fence.is_some() {
            out.push(clean);
        } else {
            out.push(trimmed.trim_end().to_owned());
        }
    }
    if let Some(open) = in_fence {
        out.push(open);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collisions_after_case_conversion_get_suffixes() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim(&field_name("foo-bar")), "foo_bar");
        assert_eq!(ns.claim(&field_name("foo_bar")), "foo_bar2");
        assert_eq!(ns.claim(&field_name("fooBar")), "foo_bar3");
    }

    #[test]
    fn keywords_digits_and_empty_names_become_identifiers() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name(""), "field");
        assert_eq!(field_name("1st"), "n1st");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("2fa"), "T2fa");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("Arch Linux"), "ArchLinux");
        assert_eq!(field_name("*/ fn x() {} /*"), "fn_x");
    }

    #[test]
    fn reserved_type_names_are_not_handed_out() {
        let mut ns = Namespace::for_types();
        assert_eq!(ns.claim("Result"), "Result2");
        assert_eq!(ns.claim("Image"), "Image");
    }

    #[test]
    fn doc_text_defuses_code_blocks() {
        let doc = doc_text("Intro\n```rust\nfn main() { panic!() }\n```\n    indented code\n```");
        assert_eq!(doc, "Intro\n```text\nfn main() { panic!() }\n```\nindented code\n```text\n```");
    }
}
