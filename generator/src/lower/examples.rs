//! Which operations a generated crate's examples show: one ranking for the README's call and the example program.
//!
//! The example program (`examples/list.rs`) prints a table of the first GET operation that lists structs it can
//! print; the README shows that same operation when there is one, so the two never disagree, and otherwise the
//! first paginated GET, GET or other operation whose arguments can be written.

use crate::ir::{Examples, HttpMethod, Listing, ListingItems, Operation, SuccessBody, TypeKind, TypeRef, TypeSpace};

/// The examples of an API with `operations` and `space`.
pub(super) fn choose(operations: &[Operation], space: &TypeSpace) -> Examples {
    let listing = operations.iter().enumerate().find_map(|(index, op)| listing(index, op, space));
    let first = listing.as_ref().map(|l| l.operation);
    let is_get = |op: &Operation| op.http_method == HttpMethod::Get;
    let ranks = |op: &Operation| match (is_get(op), op.pagination.is_some()) {
        (true, true) => 0,
        (true, false) => 1,
        (false, _) => 2,
    };
    let mut rest: Vec<usize> = (0..operations.len()).filter(|&i| Some(i) != first).collect();
    // A stable sort keeps spec order within each rank.
    rest.sort_by_key(|&i| ranks(&operations[i]));
    Examples { listing, readme_order: first.into_iter().chain(rest).collect() }
}

/// `op` as a listing: a GET whose response holds structs with printable fields, whose required parameters can be
/// read from environment variables (strings and integers), and which needs no request body.
fn listing(index: usize, op: &Operation, space: &TypeSpace) -> Option<Listing> {
    let arguments_from_env = op.params.iter().filter(|p| p.required).all(|p| from_env(&p.ty))
        && !op.body.as_ref().is_some_and(|body| body.required);
    if op.http_method != HttpMethod::Get || !arguments_from_env {
        return None;
    }
    let (items, item) = items(op, space)?;
    let TypeKind::Struct(def) = &space.get(item).kind else { return None };
    let columns: Vec<usize> = (0..def.fields.len()).filter(|&i| printable(&def.fields[i].ty, space)).take(4).collect();
    if columns.is_empty() {
        return None;
    }
    Some(Listing { operation: index, items, item, columns })
}

/// Where the items of `op`'s response are, and their type.
fn items(op: &Operation, space: &TypeSpace) -> Option<(ListingItems, crate::ir::TypeId)> {
    if let Some(TypeRef::Named(id)) = op.pagination.as_ref().map(|p| &p.item_type) {
        return Some((ListingItems::Stream, *id));
    }
    let SuccessBody::Json(ty) = &op.success else { return None };
    let ty = space.behind_aliases(ty);
    if let TypeRef::Vec(inner) = ty {
        if let TypeRef::Named(id) = **inner {
            return Some((ListingItems::Whole, id));
        }
    }
    let TypeRef::Named(id) = ty else { return None };
    let TypeKind::Struct(s) = &space.get(*id).kind else { return None };
    s.fields.iter().enumerate().find_map(|(index, field)| match &field.ty {
        TypeRef::Vec(inner) => match **inner {
            TypeRef::Named(item) => Some((ListingItems::Field(index), item)),
            _ => None,
        },
        TypeRef::Map(inner) => match &**inner {
            TypeRef::Vec(items) => match **items {
                TypeRef::Named(item) => Some((ListingItems::GroupedField(index), item)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    })
}

/// Whether a required parameter of type `ty` can be parsed from an environment variable.
fn from_env(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String
            | TypeRef::I8
            | TypeRef::I16
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::U8
            | TypeRef::U16
            | TypeRef::U32
            | TypeRef::U64
            | TypeRef::I64String
    )
}

/// Whether a field of type `ty` prints with `Display` in a table cell.
fn printable(ty: &TypeRef, space: &TypeSpace) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I8
        | TypeRef::I16
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::U8
        | TypeRef::U16
        | TypeRef::U32
        | TypeRef::U64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::I64String
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Uuid => true,
        TypeRef::Named(id) => matches!(space.get(*id).kind, TypeKind::Enum(_)),
        _ => false,
    }
}
