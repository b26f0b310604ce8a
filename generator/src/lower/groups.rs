//! Operations grouped by tag (the `group_by_tag` option): `client.images().list()` instead of
//! `client.list_images()`.
//!
//! Each operation goes to the group of its first tag (its own, or the one its path implies); one with no tag stays a
//! method of `Client`. Within a group the tag is taken off the method name when that leaves a name of its own:
//! `list_images` and `images_list` in `images` become `list`, `get_image` becomes `get`.

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

/// `method` without the tag (or the tag without a final `s`) as its first or last word, if a name is left.
fn without_tag(method: &str, tag: &str) -> Option<String> {
    let singular = tag.strip_suffix('s').filter(|s| s.len() > 2);
    for word in [Some(tag), singular].into_iter().flatten() {
        let rest = method
            .strip_prefix(&format!("{word}_"))
            .or_else(|| method.strip_suffix(&format!("_{word}")))
            .filter(|rest| !rest.is_empty());
        if let Some(rest) = rest {
            let name = naming::method_name(rest);
            if name == rest {
                return Some(name);
            }
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
        assert_eq!(without_tag("get_image_by_id", "images").as_deref(), None);
        assert_eq!(without_tag("images", "images"), None);
        assert_eq!(without_tag("list_droplets", "droplets").as_deref(), Some("list"));
        // `type` would need escaping: the full name stays.
        assert_eq!(without_tag("type_images", "images"), None);
    }
}
