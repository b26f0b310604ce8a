//! Every Rust identifier the generator writes is made here, once.
//!
//! Spec names can be anything: keywords, empty strings, leading digits, punctuation, or several names that become
//! the same identifier after case conversion (`foo-bar`, `foo_bar`, `fooBar`). A [`Namespace`] hands out each
//! identifier once, adding a numeric suffix to later claimants, so the spec's order decides who keeps the plain name.

mod prose;

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

pub use prose::doc_text;

/// Rust keywords (strict and reserved, 2021 and 2024 editions). Identifiers equal to one get a trailing `_`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names of the Rust 2021 prelude (and the derives generated code names unqualified); a spec type may not shadow
/// them, since generated code uses them unqualified.
const PRELUDE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Into",
    "From",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "FromIterator",
    "Self",
];

/// Variant names an enum may not use: generated impls name these associated items through `Self::` (`FromStr::Err`),
/// where a variant of the same name would be ambiguous.
const RESERVED_VARIANTS: &[&str] = &["Err"];

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
    ///
    /// A keyword's escaping `_` goes before the number is added (`Self_` → `Self2`, not `Self_2`, which the
    /// `non_camel_case_types` lint rejects); a digit gets a `_` after it (`v1` → `v1_2`), which both case lints accept.
    pub fn claim(&mut self, candidate: &str) -> String {
        if self.used.insert(candidate.to_owned()) {
            return candidate.to_owned();
        }
        let base = match candidate.trim_end_matches('_') {
            "" => candidate,
            trimmed => trimmed,
        };
        let separator = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut n = 2;
        loop {
            let name = format!("{base}{separator}{n}");
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

/// Keeps ASCII letters and digits, and Latin letters with diacritics as their base letter (`Über` → `Uber`);
/// everything else separates words. Identifiers stay ASCII: non-ASCII ones trip `uncommon_codepoints` and
/// `confusable_idents`, and are hard to type.
pub(crate) fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(folded) = fold_latin(c) {
            out.push_str(folded);
        } else {
            out.push(' ');
        }
    }
    out
}

/// The ASCII letters of a Latin-1 Supplement or Latin Extended-A letter.
fn fold_latin(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("àáâãäåāăą", "a"),
        ("ÇĆĈĊČ", "C"),
        ("çćĉċč", "c"),
        ("ĎĐÐ", "D"),
        ("ďđð", "d"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("èéêëēĕėęě", "e"),
        ("ĜĞĠĢ", "G"),
        ("ĝğġģ", "g"),
        ("ĤĦ", "H"),
        ("ĥħ", "h"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ìíîïĩīĭįı", "i"),
        ("Ĵ", "J"),
        ("ĵ", "j"),
        ("Ķ", "K"),
        ("ķĸ", "k"),
        ("ĹĻĽĿŁ", "L"),
        ("ĺļľŀł", "l"),
        ("ÑŃŅŇŊ", "N"),
        ("ñńņňŉŋ", "n"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("òóôõöøōŏő", "o"),
        ("ŔŖŘ", "R"),
        ("ŕŗř", "r"),
        ("ŚŜŞŠ", "S"),
        ("śŝşšſ", "s"),
        ("ŢŤŦ", "T"),
        ("ţťŧ", "t"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ùúûüũūŭůűų", "u"),
        ("Ŵ", "W"),
        ("ŵ", "w"),
        ("ÝŶŸ", "Y"),
        ("ýÿŷ", "y"),
        ("ŹŻŽ", "Z"),
        ("źżž", "z"),
        ("Æ", "AE"),
        ("æ", "ae"),
        ("Œ", "OE"),
        ("œ", "oe"),
        ("ß", "ss"),
        ("Þ", "TH"),
        ("þ", "th"),
        ("Ĳ", "IJ"),
        ("ĳ", "ij"),
    ];
    if c.is_ascii() {
        return None;
    }
    TABLE.iter().find(|(letters, _)| letters.contains(c)).map(|(_, ascii)| *ascii)
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
    let mut name = camel(raw, "Empty", "V");
    // `-1` and `1` must not both become `V1`.
    if raw.starts_with('-') && raw[1..].starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("Minus{}", name.trim_start_matches('V'));
    }
    if RESERVED_VARIANTS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `name` followed by the word `suffix`, for names derived from another (`GetPet` → `GetPetError`): a keyword's
/// escaping `_` is dropped first, so `Self_` gives `SelfError`, not `Self_Error` (`non_camel_case_types`).
pub fn suffixed(name: &str, suffix: &str) -> String {
    format!("{}{suffix}", name.trim_end_matches('_'))
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

/// Longest title (`info.title`) the crate's metadata carries, in characters.
pub const TITLE_CHARS: usize = 120;
/// Longest version (`info.version`) the crate's metadata carries, in characters.
pub const VERSION_CHARS: usize = 40;

/// The default package name for a spec file stem: `<stem>-client` in kebab case, with `api-` in front when the stem
/// does not start with a letter.
pub fn crate_name(stem: &str) -> String {
    let kebab = heck::ToKebabCase::to_kebab_case(words(stem).as_str());
    if kebab.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("{kebab}-client")
    } else if kebab.is_empty() {
        "api-client".to_owned()
    } else {
        format!("api-{kebab}-client")
    }
}

/// The library (`use`) name of a package: dashes become underscores.
pub fn lib_name(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}

/// The file `write_to_out_dir` writes for `include!`: `petstore.rs` for `petstore-client`.
pub fn module_file_name(crate_name: &str) -> String {
    format!("{}.rs", lib_name(crate_name.trim_end_matches("-client")))
}

/// The prefix of the environment variables a crate's example reads: `DIGITALOCEAN` for `digitalocean-client`.
pub fn env_prefix(crate_name: &str) -> String {
    heck::ToShoutySnakeCase::to_shouty_snake_case(crate_name.trim_end_matches("-client"))
}

/// The environment variable an example reads a parameter from: `DIGITALOCEAN_IMAGE_ID`.
pub fn env_var(prefix: &str, rust_name: &str) -> String {
    format!("{prefix}_{}", heck::ToShoutySnakeCase::to_shouty_snake_case(rust_name))
}

/// A spec value (a property name, an enum value) quoted in generated prose as a Markdown code span: backticks
/// become `'` (a span cannot hold its own delimiter simply), line breaks spaces (a span is one line of the doc), and
/// the empty string is said in words. The caller still passes the line through [`doc_text`].
pub fn code_span(value: &str) -> String {
    if value.is_empty() {
        "the empty string".to_owned()
    } else {
        format!("`{}`", value.replace('`', "'").replace(['\n', '\r'], " "))
    }
}

/// How prose names the API: its title with " API" after it, unless the title's last word already is "API"
/// ("Petstore" → "Petstore API", "Oxide Region API" stays).
pub fn api_name(title: &str) -> String {
    let title = title.trim();
    let ends_in_api = title.rsplit(char::is_whitespace).next().is_some_and(|word| word.eq_ignore_ascii_case("api"));
    if ends_in_api || title.is_empty() {
        title.to_owned()
    } else {
        format!("{title} API")
    }
}

/// One line of at most `max_chars` characters from spec text, for metadata (Cargo.toml `description`, the README
/// title, the first doc line): control and formatting characters (bidi overrides included) dropped, whitespace runs
/// made one space, and text past the bound cut at a character boundary, ending in `…`. Cargo hands `description` to
/// rustc in an environment variable, and one longer than 128 KiB makes every build fail with "Argument list too
/// long".
pub fn metadata_line(raw: &str, max_chars: usize) -> String {
    let visible: String = raw
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !is_format_char(*c))
        .collect();
    let line = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max_chars {
        return line;
    }
    let cut: String = line.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Unicode format characters (category Cf) that change how text around them is shown: bidi controls, zero-width
/// characters, the byte order mark.
fn is_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// The tag an operation without tags is selected and grouped by: the first segment of its path that is not a
/// parameter, a version (`v1`, `v2beta1`) or `api`, e.g. `customers` for `/v1/customers/{customer}/sources`.
pub fn implied_tag(path: &str) -> Option<String> {
    let is_version = |segment: &str| {
        let Some(rest) = segment.strip_prefix(['v', 'V']) else { return false };
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].chars().all(|c| c.is_ascii_alphanumeric())
    };
    path.split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{') && !is_version(s) && !s.eq_ignore_ascii_case("api"))
        .map(str::to_owned)
}

/// The tags an operation is selected and grouped by: its own (`own`), or else the one its path implies.
pub fn operation_tags(own: Vec<String>, path: &str) -> Vec<String> {
    if own.is_empty() {
        implied_tag(path).into_iter().collect()
    } else {
        own
    }
}

/// Whether a crate version is a semantic version, as Cargo requires of `package.version`.
pub fn is_semver(version: &str) -> bool {
    semver::Version::parse(version).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_file_and_environment_names() {
        assert_eq!(crate_name("DigitalOcean-public.v2"), "digital-ocean-public-v2-client");
        assert_eq!(crate_name("2fa api"), "api-2fa-api-client");
        assert_eq!(crate_name(""), "api-client");
        assert_eq!(lib_name("petstore-client"), "petstore_client");
        assert_eq!(module_file_name("pet-store-client"), "pet_store.rs");
        assert_eq!(env_prefix("yandex-compute-client"), "YANDEX_COMPUTE");
        assert_eq!(env_var("YANDEX_COMPUTE", "folder_id"), "YANDEX_COMPUTE_FOLDER_ID");
    }

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
    fn api_names_say_api_once() {
        assert_eq!(api_name("Petstore"), "Petstore API");
        assert_eq!(api_name("Oxide Region API"), "Oxide Region API");
        assert_eq!(api_name("Stripe api "), "Stripe api");
        assert_eq!(api_name("OpenAPI"), "OpenAPI API");
    }

    #[test]
    fn reserved_type_names_are_not_handed_out() {
        let mut ns = Namespace::for_types();
        assert_eq!(ns.claim("Result"), "Result2");
        assert_eq!(ns.claim("Image"), "Image");
        for name in ["Option", "Box", "String", "Vec", "AsRef", "PartialOrd", "Ord", "Drop", "TryFrom", "Self"] {
            assert_eq!(ns.claim(name), format!("{name}2"));
        }
    }

    /// What rustc's `non_camel_case_types` accepts (`is_camel_case` in rustc_lint's `nonstandard_style.rs`).
    fn is_camel_case(name: &str) -> bool {
        let name = name.trim_matches('_');
        let chars: Vec<char> = name.chars().collect();
        let has_case = |c: char| c.is_uppercase() || c.is_lowercase();
        name.is_empty()
            || !chars[0].is_lowercase()
                && !name.contains("__")
                && !chars.windows(2).any(|w| has_case(w[0]) && w[1] == '_' || has_case(w[1]) && w[0] == '_')
    }

    /// What rustc's `non_snake_case` accepts.
    fn is_snake_case(name: &str) -> bool {
        let name = name.trim_matches('_');
        !name.chars().any(char::is_uppercase) && !name.contains("__")
    }

    fn is_identifier(name: &str) -> bool {
        syn::parse_str::<syn::Ident>(name).is_ok()
    }

    /// Spec names of every awkward kind: keywords of every edition, `self`/`Self`/`crate`/`super`, prelude and
    /// generated names, digits, punctuation, unicode, emptiness.
    const AWKWARD: &[&str] = &[
        "self",
        "Self",
        "crate",
        "super",
        "type",
        "fn",
        "async",
        "await",
        "dyn",
        "gen",
        "try",
        "union",
        "macro_rules",
        "r#type",
        "Client",
        "ClientBuilder",
        "Error",
        "Result",
        "Option",
        "Box",
        "String",
        "Vec",
        "Err",
        "Ok",
        "GetPetError",
        "GetPet",
        "getPet",
        "rt",
        "types",
        "",
        " ",
        "_",
        "__",
        "a__b",
        "1st",
        "2fa",
        "123",
        "-1",
        "$$$",
        "ÜberCafé—résumé",
        "日本語",
        "Ωmega",
        "UPPER_CASE",
        "HTTPServer2FA",
        "foo-bar",
        "foo_bar",
        "fooBar",
        "Foo.Bar",
        "scope1.userAccount.get",
        "users/{id}/create",
        "find pet by id",
        "Self_",
        "SelfError",
        "v1_",
    ];

    #[test]
    fn every_awkward_name_gives_lint_clean_distinct_identifiers() {
        let mut types = Namespace::for_types();
        let mut items = Namespace::for_client_items();
        let mut methods = Namespace::new();
        let mut variants = Namespace::new();
        let mut seen_types = HashSet::new();
        let mut seen_items = HashSet::new();
        for raw in AWKWARD {
            let ty = types.claim(&type_name(raw));
            let builder = items.claim(&type_name(raw));
            let error = items.claim(&suffixed(&builder, "Error"));
            let method = methods.claim(&method_name(raw));
            let field = field_name(raw);
            let variant = variants.claim(&variant_name(raw));
            for camel in [&ty, &builder, &error, &variant] {
                assert!(is_identifier(camel) && is_camel_case(camel), "{raw:?} gave `{camel}`");
                assert!(camel.is_ascii(), "{raw:?} gave `{camel}`");
            }
            for snake in [&method, &field] {
                assert!(is_identifier(snake) && is_snake_case(snake), "{raw:?} gave `{snake}`");
            }
            assert!(seen_types.insert(ty.clone()), "`{ty}` handed out twice");
            assert!(seen_items.insert(builder.clone()) && seen_items.insert(error.clone()));
            assert!(!PRELUDE_NAMES.contains(&ty.as_str()) && !CLIENT_ITEMS.contains(&builder.as_str()));
            assert_ne!(variant, "Err", "{raw:?}: a variant named `Err` makes `Self::Err` ambiguous");
        }
    }

    #[test]
    fn keyword_escapes_do_not_leak_into_derived_names() {
        let mut items = Namespace::for_client_items();
        let builder = items.claim(&type_name("self"));
        assert_eq!(builder, "Self_");
        assert_eq!(items.claim(&suffixed(&builder, "Error")), "SelfError");
        // A second `self`: the number replaces the escape.
        let second = items.claim(&type_name("self"));
        assert_eq!(second, "Self2");
        assert_eq!(items.claim(&suffixed(&second, "Error")), "Self2Error");
        let mut fields = Namespace::new();
        assert_eq!(fields.claim("type_"), "type_");
        assert_eq!(fields.claim("type_"), "type2");
        assert_eq!(fields.claim("v1"), "v1");
        assert_eq!(fields.claim("v1"), "v1_2");
        assert_eq!(variant_name("Err"), "Err_");
    }

    #[test]
    fn latin_letters_keep_their_base_letter() {
        assert_eq!(type_name("ÜberCafé—résumé"), "UberCafeResume");
        assert_eq!(field_name("Straße"), "strasse");
        assert_eq!(type_name("日本語"), "Unnamed");
        assert_eq!(method_name("Ωmega"), "mega");
    }

    #[test]
    fn spec_values_are_quoted_as_one_line_code_spans() {
        assert_eq!(code_span("id"), "`id`");
        assert_eq!(code_span(""), "the empty string");
        assert_eq!(code_span("a`b"), "`a'b`");
        assert_eq!(code_span("a\n```rust\nfn x() {}"), "`a '''rust fn x() {}`");
    }

    #[test]
    fn metadata_is_one_bounded_line() {
        assert_eq!(metadata_line("  A\n\tB\r\n  C ", 80), "A B C");
        assert_eq!(metadata_line("x\u{1b}[31my\u{202e}z\u{200b}", 80), "x[31myz");
        let long = "é".repeat(140_000);
        let bounded = metadata_line(&long, TITLE_CHARS);
        assert_eq!(bounded.chars().count(), TITLE_CHARS);
        assert!(bounded.ends_with('…'));
        assert_eq!(metadata_line("abc def", 5), "abc…");
        assert_eq!(metadata_line("abcde", 5), "abcde");
        assert_eq!(metadata_line("", 5), "");
    }

    #[test]
    fn implied_tags_skip_versions_parameters_and_api() {
        assert_eq!(implied_tag("/v1/customers/{customer}/sources").as_deref(), Some("customers"));
        assert_eq!(implied_tag("/api/v2beta1/images").as_deref(), Some("images"));
        assert_eq!(implied_tag("/{tenant}/vault/secrets").as_deref(), Some("vault"));
        assert_eq!(implied_tag("/version").as_deref(), Some("version"));
        assert_eq!(implied_tag("/v1/{id}"), None);
        assert!(is_semver("1.2.3-beta.1") && !is_semver("2.0") && !is_semver("v1"));
    }
}
