//! Stage 3: the OpenAPI document → the IR. All names are made here (through [`crate::ir::naming`]).

mod customize;
mod examples;
mod groups;
mod operations;
mod paging;
mod requests;
mod resolve;
mod types;

use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use crate::error::Diagnostic;
use crate::ir::{Api, AuthScheme, Server, ServerVariable, TypeId, TypeKind, TypeRef, TypeSpace};

pub(crate) use paging::position_param_key;
pub(crate) use types::SchemaRef;

/// Builds the IR, collecting every diagnostic.
pub(crate) struct Lowerer<'a> {
    pub doc: &'a OpenAPI,
    pub file: &'a Path,
    pub types: types::Types,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowerer<'a> {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(self.file, pointer, message));
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(self.file, pointer, message));
    }
}

/// Lowers a parsed OpenAPI 3.0 document. Errors and warnings in the document are returned together.
///
/// # Errors
/// The options' problems (a schema named by an option that no type has, a derive a schema cannot take), one per line.
pub(crate) fn lower(doc: &OpenAPI, file: &Path, options: &crate::Options) -> Result<(Api, Vec<Diagnostic>), String> {
    let mut lowerer = Lowerer { doc, file, types: types::Types::new(), diagnostics: Vec::new() };
    lowerer.lower_component_schemas();
    let mut operations = lowerer.lower_operations();
    let groups = if options.group_by_tag {
        groups::group_by_tag(&mut operations, doc, operations::CLIENT_RESERVED)
    } else {
        Vec::new()
    };
    let (auth, auth_description, auth_jwt) = match lowerer.auth() {
        Some((scheme, description, jwt)) => (Some(scheme), description, jwt),
        None => (None, None, false),
    };
    let server = lowerer.server();
    let defs: Vec<_> = lowerer.types.space.into_iter().flatten().collect();
    let mut diagnostics = lowerer.diagnostics;
    let mut types = TypeSpace { defs, date_time: options.date_time.unwrap_or_default(), ..TypeSpace::default() };
    // Replacements come first: a replaced schema is no longer a cycle, and requests are decided on the types as they
    // will be written.
    customize::replace(&mut types, &options.replace)?;
    check_alias_cycles(&types, file, &mut diagnostics);
    wrap_recursive_aliases(&mut types);
    customize::customize(&mut types, options)?;
    customize::check_time_positions(&mut types, &operations, file, &mut diagnostics)?;
    let error_enums = requests::decide(&mut operations, &types);
    let examples = examples::choose(&operations, &types);
    let api = Api {
        title: crate::ir::naming::metadata_line(&doc.info.title, crate::ir::naming::TITLE_CHARS),
        description: doc.info.description.clone(),
        api_version: crate::ir::naming::metadata_line(&doc.info.version, crate::ir::naming::VERSION_CHARS),
        server,
        auth,
        auth_description,
        auth_jwt,
        types,
        operations,
        groups,
        error_enums,
        examples,
    };
    Ok((api, diagnostics))
}

impl Lowerer<'_> {
    /// The scheme of the first security requirement, its description, and whether its bearer tokens are JWTs.
    fn auth(&mut self) -> Option<(AuthScheme, Option<String>, bool)> {
        let schemes = &self.doc.components.as_ref()?.security_schemes;
        let from_requirements = |reqs: &Option<Vec<openapiv3::SecurityRequirement>>| {
            reqs.as_ref().and_then(|r| r.iter().flat_map(|req| req.keys()).next().cloned())
        };
        let name = from_requirements(&self.doc.security)
            .or_else(|| {
                self.doc.paths.paths.values().find_map(|item| match item {
                    ReferenceOr::Item(item) => item.iter().find_map(|(_, op)| from_requirements(&op.security)),
                    ReferenceOr::Reference { .. } => None,
                })
            })
            .or_else(|| schemes.keys().next().cloned())?;
        let scheme = match schemes.get(&name)? {
            ReferenceOr::Item(scheme) => scheme,
            ReferenceOr::Reference { .. } => return None,
        };
        let (kind, description, jwt) = match scheme {
            SecurityScheme::APIKey { location, name, description, .. } => (
                match location {
                    openapiv3::APIKeyLocation::Header => AuthScheme::ApiKeyHeader(name.clone()),
                    openapiv3::APIKeyLocation::Query => AuthScheme::ApiKeyQuery(name.clone()),
                    openapiv3::APIKeyLocation::Cookie => AuthScheme::ApiKeyCookie(name.clone()),
                },
                description,
                false,
            ),
            SecurityScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                (AuthScheme::Basic, description, false)
            }
            SecurityScheme::HTTP { bearer_format, description, .. } => (
                AuthScheme::Bearer,
                description,
                bearer_format.as_deref().is_some_and(|format| format.eq_ignore_ascii_case("jwt")),
            ),
            // OAuth2 and OpenID Connect also end in an `Authorization: Bearer` token.
            SecurityScheme::OAuth2 { description, .. } | SecurityScheme::OpenIDConnect { description, .. } => {
                (AuthScheme::Bearer, description, false)
            }
        };
        Some((kind, description.clone(), jwt))
    }

    fn server(&mut self) -> Option<Server> {
        let server = self.doc.servers.first()?;
        let variables: Vec<ServerVariable> = server
            .variables
            .iter()
            .flatten()
            .map(|(name, v)| ServerVariable {
                name: name.clone(),
                default: v.default.clone(),
                allowed: v.enumeration.clone(),
                description: v.description.clone(),
            })
            .collect();
        let mut expanded = server.url.clone();
        for v in &variables {
            expanded = expanded.replace(&format!("{{{}}}", v.name), &v.default);
        }
        if !expanded.contains("://") {
            self.warn(
                "/servers/0/url",
                format!("server `{}` is not absolute: clients must be given a base URL", server.url),
            );
            return None;
        }
        Some(Server { url: server.url.clone(), variables, description: server.description.clone() })
    }
}

/// `type Nested = Vec<Nested>` is an error in Rust (E0391); `struct Nested(Vec<Nested>)` is not. Every alias that
/// reaches itself through containers becomes a newtype (a bare `A = B = A` cycle is reported by
/// [`check_alias_cycles`]).
fn wrap_recursive_aliases(types: &mut TypeSpace) {
    let recursive: Vec<usize> = (0..types.defs.len())
        .filter(|&index| {
            types.alias_reaches_itself(TypeId(index))
                && !matches!(&types.defs[index].kind, TypeKind::Alias(TypeRef::Named(_)))
        })
        .collect();
    for index in recursive {
        if let TypeKind::Alias(target) = &types.defs[index].kind {
            types.defs[index].kind = TypeKind::Newtype(target.clone());
        }
    }
}

/// `A = B`, `B = A` cannot be written in Rust.
fn check_alias_cycles(types: &TypeSpace, file: &Path, diagnostics: &mut Vec<Diagnostic>) {
    for (index, def) in types.defs.iter().enumerate() {
        let mut current = &def.kind;
        let mut steps = 0;
        while let TypeKind::Alias(TypeRef::Named(next)) = current {
            steps += 1;
            if *next == TypeId(index) || steps > types.defs.len() {
                diagnostics.push(Diagnostic::error(
                    file,
                    def.origin.trim_start_matches('#'),
                    "`$ref` cycle: this schema is only a reference to itself and has no type",
                ));
                break;
            }
            current = &types.get(*next).kind;
        }
    }
}
