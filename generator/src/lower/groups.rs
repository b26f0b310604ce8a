//! Operations grouped by tag (the `group_by_tag` option): `client.images().list()` instead of
//! `client.list_images()`.
//!
//! Each operation goes to the group of its first tag (its own, or the one its path implies); one with no tag stays a
//! method of `Client`. Within a group the tag's words are taken off the method name when that leaves a name of its
//! own: `list_images` and `images_list` in `images` become `list`, `get_image` becomes `get`.

use openapiv3::OpenAPI;

use crate::ir::naming::{self, Namespace};
use crate::ir::{Operation, OperationGroup};

/// Puts the operations in groups, renaming their methods, and returns the groups in order of first appearance.
/// `client_reserved` are the names `Client` already has.
pub(crate) fn group_by_tag(
    operations: &mut [Operation],
    doc: &OpenAPI,
    client_reserved: &[&str],
) -> Vec<OperationGroup> {
    let mut groups: Vec<OperationGroup> = Vec::new();
    let mut client_names = Namespace::with_reserved(client_reserved);
    for op in operations.iter().filter(|op| op.tags.is_empty()) {
        client_names.claim(&op.method_name);
    }
    // Group types live beside the builders and error types in the client module.
    let mut item_names = Namespace::for_client_items();
    for op in operations.iter() {
        item_names.claim(&op.builder_name);
        item_names.claim(&op.error_name);
    }
    let mut method_names: Vec<Namespace> = Vec::new();
    for op in operations.iter_mut() {
        let Some(tag) = op.tags.first().cloned() else { continue };
        let index = match groups.iter().position(|g| g.tag == tag) {
            Some(index) => index,
            None => {
                let doc_text = doc.tags.iter().find(|t| t.name == tag).and_then(|t| t.description.clone());
                groups.push(OperationGroup {
                    accessor: client_names.claim(&naming::method_name(&tag)),
                    type_name: item_names.claim(&naming::type_name(&tag)),
                    tag,
                    doc: doc_text,
                });
                method_names.push(Namespace::new());
                groups.len() - 1
            }
        };
        let names = &mut method_names[index];
        let short = without_tag(&op.method_name, &naming::method_name(&groups[index].tag));
        let method = match short {
            Some(short) if !names.contains(&short) => names.claim(&short),
            _ => names.claim(&op.method_name),
        };
        let group = &groups[index];
        op.call = format!("{}().{method}", group.accessor);
        op.doc_path = format!("{}::{method}", group.type_name);
        op.method_name = method;
        op.group = Some(index);
    }
    groups
}

/// `method` without the tag's words (or, failing that, the tag's words with the last one singular: `image` for
/// `images`), where they first appear as whole words, if a name is left: `list_images` → `list`,
/// `get_customers_customer` → `get_customer`, `droplets_destroy_by_tag` → `destroy_by_tag`.
fn without_tag(method: &str, tag: &str) -> Option<String> {
    let words: Vec<&str> = method.split('_').collect();
    let plural: Vec<&str> = tag.split('_').filter(|w| !w.is_empty()).collect();
    let mut singular = plural.clone();
    if let Some(last) = singular.last_mut() {
        *last = last.strip_suffix('s').filter(|s| s.len() > 2).unwrap_or(last);
    }
    for tag_words in [plural, singular] {
        if tag_words.is_empty() || tag_words.len() >= words.len() {
            continue;
        }
        let Some(start) = words.windows(tag_words.len()).position(|window| window == tag_words.as_slice()) else {
            continue;
        };
        let rest: Vec<&str> = words[..start].iter().chain(&words[start + tag_words.len()..]).copied().collect();
        let rest = rest.join("_");
        // The rest must be a name as it stands (not a keyword that would need escaping, nor start with a digit).
        if !rest.is_empty() && naming::method_name(&rest) == rest {
            return Some(rest);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_comes_off_the_method_name() {
        assert_eq!(without_tag("list_images", "images").as_deref(), Some("list"));
        assert_eq!(without_tag("images_list", "images").as_deref(), Some("list"));
        assert_eq!(without_tag("get_image", "images").as_deref(), Some("get"));
        assert_eq!(without_tag("get_image_by_id", "images").as_deref(), Some("get_by_id"));
        assert_eq!(without_tag("get_customers_customer", "customers").as_deref(), Some("get_customer"));
        assert_eq!(without_tag("get_customers_search", "customers").as_deref(), Some("get_search"));
        assert_eq!(without_tag("droplets_destroy_by_tag", "droplets").as_deref(), Some("destroy_by_tag"));
        assert_eq!(without_tag("list_vector_stores", "vector_stores").as_deref(), Some("list"));
        assert_eq!(without_tag("get_vector_store_file", "vector_stores").as_deref(), Some("get_file"));
        assert_eq!(without_tag("images", "images"), None);
        assert_eq!(without_tag("list_droplets", "droplets").as_deref(), Some("list"));
        // `type` would need escaping: the full name stays.
        assert_eq!(without_tag("type_images", "images"), None);
    }
}
