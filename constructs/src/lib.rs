//! One tiny spec per OpenAPI construct (`specs/`), each generated into a module (`golden/`) compiled here.
//! Written by `tests/goldens.rs`: `EXPECTORATE=overwrite cargo test -p constructs` after a generator change.
#![warn(missing_docs)]
/// Generated from `specs/all-of.yaml`.
pub mod all_of {
    include!("../golden/all-of.rs");
}
/// Generated from `specs/discriminator-all-of.yaml`.
pub mod discriminator_all_of {
    include!("../golden/discriminator-all-of.rs");
}
/// Generated from `specs/failure-rule.yaml`.
pub mod failure_rule {
    include!("../golden/failure-rule.rs");
}
/// Generated from `specs/form-encodings.yaml`.
pub mod form_encodings {
    include!("../golden/form-encodings.rs");
}
/// Generated from `specs/hostile-names.yaml`.
pub mod hostile_names {
    include!("../golden/hostile-names.rs");
}
/// Generated from `specs/object-fields.yaml`.
pub mod object_fields {
    include!("../golden/object-fields.rs");
}
/// Generated from `specs/one-of-tagged.yaml`.
pub mod one_of_tagged {
    include!("../golden/one-of-tagged.rs");
}
/// Generated from `specs/one-of-untagged.yaml`.
pub mod one_of_untagged {
    include!("../golden/one-of-untagged.rs");
}
/// Generated from `specs/openapi31.yaml`.
pub mod openapi31 {
    include!("../golden/openapi31.rs");
}
/// Generated from `specs/pagination-inferred.yaml`.
pub mod pagination_inferred {
    include!("../golden/pagination-inferred.rs");
}
/// Generated from `specs/pagination-page-token.yaml`.
pub mod pagination_page_token {
    include!("../golden/pagination-page-token.rs");
}
/// Generated from `specs/pagination-styles.yaml`.
pub mod pagination_styles {
    include!("../golden/pagination-styles.rs");
}
/// Generated from `specs/parameter-styles.yaml`.
pub mod parameter_styles {
    include!("../golden/parameter-styles.rs");
}
/// Generated from `specs/recursive.yaml`.
pub mod recursive {
    include!("../golden/recursive.rs");
}
/// Generated from `specs/request-bodies.yaml`.
pub mod request_bodies {
    include!("../golden/request-bodies.rs");
}
/// Generated from `specs/server-and-auth.yaml`.
pub mod server_and_auth {
    include!("../golden/server-and-auth.rs");
}
/// Generated from `specs/shared-errors.yaml`.
pub mod shared_errors {
    include!("../golden/shared-errors.rs");
}
/// Generated from `specs/streaming.yaml`.
pub mod streaming {
    include!("../golden/streaming.rs");
}
/// Generated from `specs/string-enum.yaml`.
pub mod string_enum {
    include!("../golden/string-enum.rs");
}
/// Generated from `specs/swagger2.yaml`.
pub mod swagger2 {
    include!("../golden/swagger2.rs");
}
