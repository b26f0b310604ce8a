//! One `$ref` resolver for every kind of component (progenitor's `ReferenceOrExt::item()`): a reference
//! `#/components/<section>/<name>` is looked up in its own section of the typed document, references to references
//! are followed, and a chain that comes back on itself ends.
//!
//! By the time lowering runs, `load::references` has pointed every reference at an entry of its own section and the
//! dangling-reference check has passed, so these errors mean a document that reached lowering some other way; they
//! still end in a diagnostic, never a panic.

use indexmap::IndexMap;
use openapiv3::{
    Callback, Components, Example, Header, Link, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};

use crate::pointer;

/// A kind of object that lives in a section of `components` (OpenAPI 3.0.3 §4.7.7).
pub(crate) trait Component: Sized {
    /// The section's key: `schemas`, `parameters`, ….
    const SECTION: &'static str;
    /// What one is called in diagnostics: `schema`, `parameter`, ….
    const WHAT: &'static str;
    /// The section in `components`.
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! components {
    ($($ty:ty => $field:ident, $section:literal, $what:literal;)*) => {$(
        impl Component for $ty {
            const SECTION: &'static str = $section;
            const WHAT: &'static str = $what;
            fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    )*};
}

components! {
    Schema => schemas, "schemas", "schema";
    Response => responses, "responses", "response";
    Parameter => parameters, "parameters", "parameter";
    Example => examples, "examples", "example";
    RequestBody => request_bodies, "requestBodies", "request body";
    Header => headers, "headers", "header";
    SecurityScheme => security_schemes, "securitySchemes", "security scheme";
    Link => links, "links", "link";
    Callback => callbacks, "callbacks", "callback";
}

/// Why a `$ref` does not lead to a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefError {
    /// `reference` names no entry of the section (or a place outside it).
    Dangling {
        /// The reference that does not resolve (the last of a chain).
        reference: String,
        /// The section it was looked up in.
        section: &'static str,
        /// What was looked up.
        what: &'static str,
    },
    /// References to references that come back to `reference`.
    Cycle {
        /// A reference on the cycle.
        reference: String,
        /// What was looked up.
        what: &'static str,
    },
}

impl std::fmt::Display for RefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefError::Dangling { reference, section, what } => {
                write!(f, "{what} `$ref: {reference}` does not resolve: it names no entry of `#/components/{section}`")
            }
            RefError::Cycle { reference, what } => write!(f, "{what} `$ref`s form a cycle through `{reference}`"),
        }
    }
}

/// The entry of `T`'s section that `reference` names, as written (a reference is not followed).
pub(crate) fn entry<'a, T: Component>(doc: &'a OpenAPI, reference: &str) -> Option<&'a ReferenceOr<T>> {
    let name = pointer::component_name(reference, T::SECTION)?;
    T::section(doc.components.as_ref()?).get(&name)
}

/// The component `reference` names, following references to references.
pub(crate) fn lookup<'a, T: Component>(doc: &'a OpenAPI, reference: &str) -> Result<&'a T, RefError> {
    let entries = doc.components.as_ref().map(T::section).map_or(0, IndexMap::len);
    let mut current = reference;
    // Each step visits another entry: more steps than entries is a cycle.
    for _ in 0..=entries {
        match entry::<T>(doc, current) {
            Some(ReferenceOr::Item(item)) => return Ok(item),
            Some(ReferenceOr::Reference { reference: next }) => current = next,
            None => {
                return Err(RefError::Dangling { reference: current.to_owned(), section: T::SECTION, what: T::WHAT })
            }
        }
    }
    Err(RefError::Cycle { reference: current.to_owned(), what: T::WHAT })
}

/// A component or a reference to one, whichever box it came in.
pub(crate) trait ReferenceOrExt<T: Component> {
    /// The component itself, or the one the reference leads to.
    fn item<'a>(&'a self, doc: &'a OpenAPI) -> Result<&'a T, RefError>;
}

impl<T: Component> ReferenceOrExt<T> for ReferenceOr<T> {
    fn item<'a>(&'a self, doc: &'a OpenAPI) -> Result<&'a T, RefError> {
        match self {
            ReferenceOr::Item(item) => Ok(item),
            ReferenceOr::Reference { reference } => lookup(doc, reference),
        }
    }
}

impl<T: Component> ReferenceOrExt<T> for ReferenceOr<Box<T>> {
    fn item<'a>(&'a self, doc: &'a OpenAPI) -> Result<&'a T, RefError> {
        match self {
            ReferenceOr::Item(item) => Ok(item),
            ReferenceOr::Reference { reference } => lookup(doc, reference),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(components: serde_json::Value) -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": components,
        }))
        .unwrap()
    }

    #[test]
    fn every_kind_resolves_through_chains_of_references() {
        let doc = document(serde_json::json!({
            "schemas": {"a/b": {"type": "string"}, "Alias": {"$ref": "#/components/schemas/a~1b"}},
            "parameters": {
                "limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                "Again": {"$ref": "#/components/parameters/limit"}
            },
            "responses": {"Ok": {"description": "fine"}},
            "requestBodies": {"Body": {"content": {}}},
            "headers": {"Rate": {"schema": {"type": "integer"}}}
        }));
        let schema: &Schema = lookup(&doc, "#/components/schemas/Alias").unwrap();
        assert!(matches!(schema.schema_kind, openapiv3::SchemaKind::Type(openapiv3::Type::String(_))));
        let param = ReferenceOr::<Parameter>::Reference { reference: "#/components/parameters/Again".into() };
        assert_eq!(param.item(&doc).unwrap().parameter_data_ref().name, "limit");
        let boxed = ReferenceOr::<Box<Schema>>::Reference { reference: "#/components/schemas/a~1b".into() };
        assert!(boxed.item(&doc).is_ok());
        assert_eq!(lookup::<Response>(&doc, "#/components/responses/Ok").unwrap().description, "fine");
        assert!(lookup::<RequestBody>(&doc, "#/components/requestBodies/Body").is_ok());
        assert!(lookup::<Header>(&doc, "#/components/headers/Rate").is_ok());
        // A reference is looked up in its own kind's section only.
        assert!(lookup::<Parameter>(&doc, "#/components/schemas/Alias").is_err());
    }

    #[test]
    fn dangling_references_and_cycles_end_in_an_error_naming_the_pointer() {
        let doc = document(serde_json::json!({
            "schemas": {
                "Loop": {"$ref": "#/components/schemas/Loop"},
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/A"},
                "ToNothing": {"$ref": "#/components/schemas/Missing"}
            }
        }));
        for reference in ["#/components/schemas/Loop", "#/components/schemas/A"] {
            let error = lookup::<Schema>(&doc, reference).unwrap_err();
            assert!(matches!(error, RefError::Cycle { .. }), "{reference}: {error}");
        }
        let error = lookup::<Schema>(&doc, "#/components/schemas/ToNothing").unwrap_err();
        assert_eq!(
            error.to_string(),
            "schema `$ref: #/components/schemas/Missing` does not resolve: it names no entry of `#/components/schemas`"
        );
        let error = lookup::<Parameter>(&doc, "#/components/parameters/x").unwrap_err();
        assert!(
            error.to_string().starts_with("parameter `$ref: #/components/parameters/x` does not resolve"),
            "{error}"
        );
        assert!(lookup::<Schema>(&document(serde_json::json!({})), "#/components/schemas/A").is_err());
        assert!(entry::<Schema>(&doc, "#/components/schemas/A").is_some());
    }
}
