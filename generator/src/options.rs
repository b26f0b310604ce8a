//! Every generation option, declared once.
//!
//! Each option is one entry of the `options!` list below: its rustdoc (which is also its `--help` text), its
//! type and default, its command-line flag, its manifest key and the [`Config`](crate::Config) setter that sets it.
//! From that list come the [`Options`] struct (a `clap::Args` for the command line and a serde `Deserialize` for the
//! manifest), the setters, [`Options::to_args`] (the flags that give the same options back), and [`OPTIONS`] (the
//! list itself, for documentation and tests). This is bindgen's pattern: nothing about an option is written twice.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::Runtime;

/// What is known about one option, for documentation and tests.
#[derive(Debug, Clone, Copy)]
pub struct OptionInfo {
    /// The field of [`Options`] and the name of the [`Config`](crate::Config) setter.
    pub field: &'static str,
    /// The command-line flag, without its leading `--`.
    pub flag: &'static str,
    /// The key of a `[[client]]` entry in the manifest.
    pub key: &'static str,
    /// How the option takes values: `flag` (on or off), `one` (one value) or `many` (repeatable).
    pub kind: &'static str,
}

/// Declares the options. Each entry: docs, `kind field: Type = default, "flag", "key", setter(argument: Type)`,
/// where `kind` is `flag` (a `bool`), `one` (an `Option<T>`, the setter takes `impl Into<T>`) or `many` (a `Vec<T>`,
/// the setter adds one `impl Into<T>`). The default of a `one` option is what `None` means, said in its docs.
macro_rules! options {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident $field:ident : $ty:ty = $default:expr, $flag:literal, $key:literal $(, value_name = $value_name:literal)?;
    )*) => {
        /// The options of one generation: what `generator` takes as flags, a manifest `[[client]]` entry as keys,
        /// and [`Config`](crate::Config) as setters. Every option and its default are listed in
        /// `docs/options.md`.
        #[derive(Debug, Clone, PartialEq, clap::Args, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct Options {
            $(
                $(#[doc = $doc])*
                #[arg(long = $flag, help_heading = "Generation options" $(, value_name = $value_name)?)]
                #[serde(rename = $key)]
                pub $field: $ty,
            )*
        }

        impl Default for Options {
            fn default() -> Self {
                Options { $( $field: $default, )* }
            }
        }

        /// Every option, in declaration order.
        pub const OPTIONS: &[OptionInfo] = &[
            $( OptionInfo { field: stringify!($field), flag: $flag, key: $key, kind: stringify!($kind) }, )*
        ];

        impl Options {
            /// The command-line flags that give these options (options at their default are left out).
            pub fn to_args(&self) -> Vec<String> {
                let mut args = Vec::new();
                $( option_args!($kind, self.$field, $flag, $default, args); )*
                args
            }

            /// The fields whose value is not the default, by name.
            pub fn changed(&self) -> Vec<&'static str> {
                let default = Options::default();
                let mut changed = Vec::new();
                $( if self.$field != default.$field { changed.push(stringify!($field)); } )*
                changed
            }
        }

        impl crate::Config {
            $(
                $(#[doc = $doc])*
                ///
                /// Text is parsed as the command line parses it; a value that does not parse fails
                /// [`Config::generate`](crate::Config::generate).
                pub fn $field(mut self, value: impl OptionValue<<$ty as OptionField>::Item>) -> Self {
                    match value.into_value() {
                        Ok(value) => OptionField::set(&mut self.options.$field, value),
                        Err(problem) => self.invalid.push(format!("--{} ({}): {problem}", $flag, $key)),
                    }
                    self
                }
            )*
        }
    };
}

macro_rules! option_args {
    (flag, $value:expr, $flag:literal, $default:expr, $args:ident) => {
        if $value {
            $args.push(format!("--{}", $flag));
        }
    };
    (one, $value:expr, $flag:literal, $default:expr, $args:ident) => {
        if let Some(value) = &$value {
            $args.push(format!("--{}={}", $flag, ArgText(value)));
        }
    };
    (many, $value:expr, $flag:literal, $default:expr, $args:ident) => {
        for value in &$value {
            $args.push(format!("--{}={}", $flag, ArgText(value)));
        }
    };
}

/// How a setter stores a value in an option's field: a `flag` sets it, a `one` replaces it, a `many` adds to it.
pub trait OptionField {
    /// The type of one value.
    type Item;
    /// Stores one value.
    fn set(&mut self, value: Self::Item);
}

impl OptionField for bool {
    type Item = bool;
    fn set(&mut self, value: bool) {
        *self = value;
    }
}

impl<T> OptionField for Option<T> {
    type Item = T;
    fn set(&mut self, value: T) {
        *self = Some(value);
    }
}

impl<T> OptionField for Vec<T> {
    type Item = T;
    fn set(&mut self, value: T) {
        self.push(value);
    }
}

/// What a [`Config`](crate::Config) setter takes for an option of type `T`: the value itself, or text that parses
/// into it as its command-line flag does.
pub trait OptionValue<T> {
    /// The value, or why the text does not parse.
    fn into_value(self) -> Result<T, String>;
}

impl OptionValue<bool> for bool {
    fn into_value(self) -> Result<bool, String> {
        Ok(self)
    }
}

impl<X: Into<String>> OptionValue<String> for X {
    fn into_value(self) -> Result<String, String> {
        Ok(self.into())
    }
}

impl<X: Into<PathBuf>> OptionValue<PathBuf> for X {
    fn into_value(self) -> Result<PathBuf, String> {
        Ok(self.into())
    }
}

macro_rules! option_value_by_parse {
    ($($ty:ty),*) => {
        $(
            impl OptionValue<$ty> for $ty {
                fn into_value(self) -> Result<$ty, String> {
                    Ok(self)
                }
            }

            impl OptionValue<$ty> for &str {
                fn into_value(self) -> Result<$ty, String> {
                    self.parse()
                }
            }

            impl OptionValue<$ty> for String {
                fn into_value(self) -> Result<$ty, String> {
                    self.parse()
                }
            }
        )*
    };
}
option_value_by_parse!(Runtime, DateTimeCrate, SchemaDerive, SchemaAttribute, Replacement, Dependency, OperationFilter);

/// A value as a command-line argument: paths as they are, everything else through `Display`.
struct ArgText<'a, T: ?Sized>(&'a T);

impl fmt::Display for ArgText<'_, PathBuf> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.display())
    }
}

macro_rules! arg_text_by_display {
    ($($ty:ty),*) => {
        $( impl fmt::Display for ArgText<'_, $ty> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self.0, f)
            }
        } )*
    };
}
arg_text_by_display!(
    String,
    Runtime,
    DateTimeCrate,
    SchemaDerive,
    SchemaAttribute,
    Replacement,
    Dependency,
    OperationFilter
);

options! {
    /// Package name of the generated crate (default: `<spec file stem>-client`).
    one crate_name: Option<String> = None, "name", "crate", value_name = "CRATE";

    /// How the crate gets the runtime: `inline` (its source copied into the crate, which then builds anywhere),
    /// `path=DIR` (a path dependency on the `client-runtime` crate, written to Cargo.toml as given: relative to the
    /// generated crate, or absolute) or `version=REQ` (a registry dependency).
    one runtime: Option<Runtime> = None, "runtime", "runtime", value_name = "MODE";

    /// Lets `$ref`s read files below this folder too (repeatable). By default a spec's references may read only
    /// regular files below the spec's own folder (symbolic links resolved), each at most 64 MiB, so a spec cannot
    /// pull in `/etc/passwd` or read `/dev/zero` forever.
    many allow_ref_root: Vec<PathBuf> = Vec::new(), "allow-ref-root", "allow_ref_roots", value_name = "DIR";

    /// The crate's version (default: the spec's `info.version` when it is a semantic version, else `0.1.0`).
    one crate_version: Option<String> = None, "crate-version", "version", value_name = "SEMVER";

    /// The crate's `description` in Cargo.toml (default: `Typed async client for the <title> API`).
    one description: Option<String> = None, "description", "description", value_name = "TEXT";

    /// The crate's `license` in Cargo.toml, an SPDX expression such as `MIT OR Apache-2.0` (default: none).
    one license: Option<String> = None, "license", "license", value_name = "SPDX";

    /// The crate's `repository` URL in Cargo.toml (default: none).
    one repository: Option<String> = None, "repository", "repository", value_name = "URL";

    /// Lets `cargo publish` publish the crate (default: `publish = false` in Cargo.toml).
    flag publish: bool = false, "publish", "publish";

    /// The crate for `format: date-time` and `format: date` values: `chrono` (`chrono::DateTime<Utc>`,
    /// `chrono::NaiveDate`; the default) or `time` (`time::OffsetDateTime`, `time::Date`, read and written as RFC 3339
    /// text through the runtime's `time` feature).
    one date_time: Option<DateTimeCrate> = None, "date-time", "date_time", value_name = "CRATE";

    /// Keep only the operations this filter selects (repeatable; an operation is kept when any include selects
    /// it). `tag:GLOB` selects by tag, `operation:GLOB` by `operationId`, `path:GLOB` by path template (`*` stays
    /// within one path segment, `**` crosses them). An operation without tags has the first segment of its path
    /// that is not a parameter, a version (`v1`, `v2beta1`) or `api` as its tag. Schemas that no kept operation
    /// reaches are left out.
    many include: Vec<OperationFilter> = Vec::new(), "include", "include", value_name = "FILTER";

    /// Leave out the operations this filter selects (repeatable; same forms as `--include`), even when an
    /// include selects them.
    many exclude: Vec<OperationFilter> = Vec::new(), "exclude", "exclude", value_name = "FILTER";

    /// Group operations by tag: `client.images().list()` (one accessor per tag, the tag's words taken off the
    /// method names where a name is left) instead of the flat `client.list_images()`. An operation goes to its first
    /// tag, or the tag its path implies; one with neither stays on `Client`.
    flag group_by_tag: bool = false, "group-by-tag", "group_by_tag";

    /// Enums with no variant for values the spec does not list: an unknown value is a decoding error. By default
    /// every enum has a fallback variant that keeps such a value.
    flag strict_enums: bool = false, "strict-enums", "strict_enums";

    /// One enum (by schema name, as in `#/components/schemas/NAME`, or by its Rust name) without the fallback
    /// variant (repeatable).
    many strict_enum: Vec<String> = Vec::new(), "strict-enum", "strict_enum", value_name = "SCHEMA";

    /// An extra derive, `PATH` for every type or `SCHEMA=PATH` for one schema and the types it contains
    /// (repeatable), e.g. `Eq`, `Hash` or `Pet=schemars::JsonSchema`. Std derives the generator can check (`Eq`,
    /// `Hash`, `PartialOrd`, `Ord`, `Default`, `Copy`) go only on the types whose fields allow them; a derive from
    /// another crate needs that crate as a `--dependency`.
    many derive: Vec<SchemaDerive> = Vec::new(), "derive", "derives", value_name = "[SCHEMA=]PATH";

    /// An extra attribute, `#[...]` for every type or `SCHEMA=#[...]` for one (repeatable), e.g. `#[must_use]` or
    /// `#[doc(alias = "Animal")]`. A `#[serde(...)]` attribute goes only on types that derive serde's traits and
    /// shapes how they are written: objects read themselves (unknown properties are skipped).
    many attribute: Vec<SchemaAttribute> = Vec::new(), "attribute", "attributes", value_name = "[SCHEMA=]#[...]";

    /// A schema rendered as an existing Rust type instead of generated (repeatable): `SCHEMA=PATH`, e.g.
    /// `AccountId=ids::AccountId` or `Money=rust_decimal::Decimal`. `types::SCHEMA` becomes an alias of `PATH`, which
    /// must implement `Debug`, `Clone`, `PartialEq`, `Serialize` and `Deserialize` (and any derive asked of a type
    /// that holds it); its crate goes in a `--dependency`.
    many replace: Vec<Replacement> = Vec::new(), "replace", "replacements", value_name = "SCHEMA=PATH";

    /// An extra dependency of the generated crate, as a line of its Cargo.toml (repeatable), e.g.
    /// `schemars = "0.8"` or `ids = { path = "../ids" }`.
    many dependency: Vec<Dependency> = Vec::new(), "dependency", "dependencies", value_name = "NAME = SPEC";
}

/// A string that parses with `FromStr` reads from a manifest string the same way.
macro_rules! deserialize_from_str {
    ($($ty:ty),*) => {
        $( impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        } )*
    };
}
deserialize_from_str!(Runtime, DateTimeCrate, SchemaDerive, SchemaAttribute, Replacement, Dependency, OperationFilter);

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Runtime::Inline => f.write_str("inline"),
            Runtime::Path(dir) => write!(f, "path={}", dir.display()),
            Runtime::Version(req) => write!(f, "version={req}"),
        }
    }
}

/// The crate date-time values are rendered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateTimeCrate {
    /// `chrono::DateTime<chrono::Utc>` and `chrono::NaiveDate`.
    #[default]
    Chrono,
    /// `time::OffsetDateTime` and `time::Date`.
    Time,
}

impl FromStr for DateTimeCrate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "chrono" => Ok(DateTimeCrate::Chrono),
            "time" => Ok(DateTimeCrate::Time),
            _ => Err(format!("`{text}`: expected `chrono` or `time`")),
        }
    }
}

impl fmt::Display for DateTimeCrate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateTimeCrate::Chrono => "chrono",
            DateTimeCrate::Time => "time",
        })
    }
}

/// Splits `SCHEMA=VALUE` when the part before `=` is a schema name (no spaces, `#`, `:` or brackets), else the
/// whole text is the value.
fn split_schema(text: &str) -> (Option<String>, &str) {
    match text.split_once('=') {
        Some((schema, value))
            if !schema.is_empty() && !schema.contains(|c: char| c.is_whitespace() || "#:[](){}<>\"'".contains(c)) =>
        {
            (Some(schema.to_owned()), value.trim())
        }
        _ => (None, text.trim()),
    }
}

fn with_schema(f: &mut fmt::Formatter<'_>, schema: &Option<String>, value: &str) -> fmt::Result {
    match schema {
        Some(schema) => write!(f, "{schema}={value}"),
        None => f.write_str(value),
    }
}

/// An extra derive: for every type, or for one schema and the types it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaDerive {
    /// The schema, by its name in the spec or its Rust name; `None` for every type.
    pub schema: Option<String>,
    /// The derive macro's path, e.g. `Hash` or `schemars::JsonSchema`.
    pub path: String,
}

impl FromStr for SchemaDerive {
    type Err = String;

    /// `PATH` or `SCHEMA=PATH`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (schema, path) = split_schema(text);
        syn::parse_str::<syn::Path>(path)
            .map_err(|e| format!("`{text}`: `{path}` is not a Rust path ({e}); expected `PATH` or `SCHEMA=PATH`"))?;
        Ok(SchemaDerive { schema, path: path.to_owned() })
    }
}

impl fmt::Display for SchemaDerive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        with_schema(f, &self.schema, &self.path)
    }
}

/// An extra outer attribute: for every type, or for one schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaAttribute {
    /// The schema, by its name in the spec or its Rust name; `None` for every type.
    pub schema: Option<String>,
    /// The attribute, `#[...]`.
    pub attribute: String,
}

impl FromStr for SchemaAttribute {
    type Err = String;

    /// `#[...]` or `SCHEMA=#[...]`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (schema, attribute) = split_schema(text);
        let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attribute)
            .map_err(|e| format!("`{text}`: `{attribute}` is not an outer attribute ({e})"))?;
        if parsed.len() != 1 {
            return Err(format!("`{text}`: expected one `#[...]` attribute, found {}", parsed.len()));
        }
        Ok(SchemaAttribute { schema, attribute: attribute.to_owned() })
    }
}

impl fmt::Display for SchemaAttribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        with_schema(f, &self.schema, &self.attribute)
    }
}

/// A schema rendered as an existing Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The schema, by its name in the spec or its Rust name.
    pub schema: String,
    /// The Rust type's path, e.g. `ids::AccountId`.
    pub path: String,
}

impl FromStr for Replacement {
    type Err = String;

    /// `SCHEMA=PATH`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (Some(schema), path) = split_schema(text) else {
            return Err(format!("`{text}`: expected `SCHEMA=PATH`"));
        };
        syn::parse_str::<syn::Path>(path)
            .map_err(|e| format!("`{text}`: `{path}` is not a Rust type path ({e}); expected `SCHEMA=PATH`"))?;
        Ok(Replacement { schema, path: path.to_owned() })
    }
}

impl fmt::Display for Replacement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.schema, self.path)
    }
}

/// A dependency of the generated crate, as its Cargo.toml line: `name = "1"` or `name = { path = "../x" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The package name (the key).
    pub name: String,
    /// What follows the `=`, a TOML value: a version requirement string or an inline table.
    pub spec: String,
}

impl FromStr for Dependency {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let expected = "expected a Cargo.toml dependency line such as `name = \"1\"` or `name = { path = \"../x\" }`";
        let table: toml::Table = toml::from_str(text).map_err(|e| format!("`{text}`: {expected} ({e})"))?;
        let mut entries = table.into_iter();
        let (Some((name, value)), None) = (entries.next(), entries.next()) else {
            return Err(format!("`{text}`: {expected}"));
        };
        if !matches!(value, toml::Value::String(_) | toml::Value::Table(_)) {
            return Err(format!("`{text}`: {expected}"));
        }
        // The value goes into Cargo.toml as the user wrote it (it parsed as TOML above), keys in their order.
        let spec = text.split_once('=').map(|(_, spec)| spec.trim().to_owned()).unwrap_or_default();
        Ok(Dependency { name, spec })
    }
}

impl fmt::Display for Dependency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.name, self.spec)
    }
}

/// Which operations an include or exclude selects.
#[derive(Debug, Clone)]
pub enum OperationFilter {
    /// `tag:GLOB`: operations with a tag the pattern matches.
    Tag(Pattern),
    /// `operation:GLOB`: operations whose `operationId` the pattern matches.
    Operation(Pattern),
    /// `path:GLOB`: operations whose path template the pattern matches.
    Path(Pattern),
}

/// A glob pattern and its text.
#[derive(Debug, Clone)]
pub struct Pattern {
    text: String,
    matcher: globset::GlobMatcher,
}

impl Pattern {
    fn new(text: &str, literal_separator: bool) -> Result<Self, String> {
        let glob = globset::GlobBuilder::new(text)
            .literal_separator(literal_separator)
            .build()
            .map_err(|e| format!("`{text}` is not a glob pattern: {e}"))?;
        Ok(Pattern { text: text.to_owned(), matcher: glob.compile_matcher() })
    }

    /// Whether the pattern matches the whole of `text`.
    pub fn matches(&self, text: &str) -> bool {
        self.matcher.is_match(text)
    }
}

impl PartialEq for OperationFilter {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl FromStr for OperationFilter {
    type Err = String;

    /// `tag:GLOB`, `operation:GLOB` or `path:GLOB`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let expected = "expected `tag:GLOB`, `operation:GLOB` or `path:GLOB`";
        match text.split_once(':') {
            Some(("tag", glob)) if !glob.is_empty() => Ok(OperationFilter::Tag(Pattern::new(glob, false)?)),
            Some(("operation", glob)) if !glob.is_empty() => Ok(OperationFilter::Operation(Pattern::new(glob, false)?)),
            Some(("path", glob)) if !glob.is_empty() => Ok(OperationFilter::Path(Pattern::new(glob, true)?)),
            _ => Err(format!("`{text}`: {expected}")),
        }
    }
}

impl fmt::Display for OperationFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OperationFilter::Tag(p) => write!(f, "tag:{}", p.text),
            OperationFilter::Operation(p) => write!(f, "operation:{}", p.text),
            OperationFilter::Path(p) => write!(f, "path:{}", p.text),
        }
    }
}

impl OperationFilter {
    /// Whether this filter selects an operation with these tags, `operationId` and path template.
    pub fn selects(&self, tags: &[String], operation_id: Option<&str>, path: &str) -> bool {
        match self {
            OperationFilter::Tag(p) => tags.iter().any(|tag| p.matches(tag)),
            OperationFilter::Operation(p) => operation_id.is_some_and(|id| p.matches(id)),
            OperationFilter::Path(p) => p.matches(path),
        }
    }
}

impl Options {
    /// Whether the includes and excludes keep an operation: selected by an include (or there are none) and by no
    /// exclude.
    pub fn keeps_operation(&self, tags: &[String], operation_id: Option<&str>, path: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|f| f.selects(tags, operation_id, path)))
            && !self.exclude.iter().any(|f| f.selects(tags, operation_id, path))
    }

    /// Whether the enum with this schema name or Rust name has no fallback variant.
    pub fn is_strict_enum(&self, schema: Option<&str>, rust_name: &str) -> bool {
        self.strict_enums || self.strict_enum.iter().any(|s| Some(s.as_str()) == schema || s == rust_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_and_print_back() {
        for text in ["Hash", "Pet=schemars::JsonSchema", "Pet=Eq"] {
            assert_eq!(text.parse::<SchemaDerive>().unwrap().to_string(), text);
        }
        let attribute: SchemaAttribute = "Pet=#[serde(rename_all = \"camelCase\")]".parse().unwrap();
        assert_eq!(attribute.schema.as_deref(), Some("Pet"));
        assert_eq!(attribute.attribute, "#[serde(rename_all = \"camelCase\")]");
        let global: SchemaAttribute = "#[serde(deny_unknown_fields)]".parse().unwrap();
        assert_eq!(global.schema, None);
        let dependency: Dependency = "ids = {path=\"../ids\"}".parse().unwrap();
        assert_eq!((dependency.name.as_str(), dependency.spec.as_str()), ("ids", "{path=\"../ids\"}"));
        for bad in ["Pet=not a path", "tag", "tag:", "kind:x", "ids", "ids = 3"] {
            let derive = bad.parse::<SchemaDerive>().is_err();
            let filter = bad.parse::<OperationFilter>().is_err();
            let dependency = bad.parse::<Dependency>().is_err();
            assert!(derive || filter || dependency, "{bad}");
        }
        assert!("#[a] #[b]".parse::<SchemaAttribute>().is_err());
        assert!("x = 3".parse::<Dependency>().is_err());
        assert!("tag:[".parse::<OperationFilter>().is_err());
    }

    #[test]
    fn filters_select_by_tag_operation_and_path() {
        let options = Options {
            include: vec!["tag:image*".parse().unwrap(), "path:/v2/droplets/*".parse().unwrap()],
            exclude: vec!["operation:*_delete".parse().unwrap()],
            ..Options::default()
        };
        assert!(options.keeps_operation(&["images".into()], Some("images_list"), "/v2/images"));
        assert!(!options.keeps_operation(&["images".into()], Some("images_delete"), "/v2/images/{id}"));
        assert!(options.keeps_operation(&[], None, "/v2/droplets/{id}"));
        assert!(!options.keeps_operation(&[], None, "/v2/droplets/{id}/actions"), "`*` stays in one segment");
        assert!(!options.keeps_operation(&["sizes".into()], Some("sizes_list"), "/v2/sizes"));
        let everything = Options::default();
        assert!(everything.keeps_operation(&[], None, "/anything"));
    }
}
