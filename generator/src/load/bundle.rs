//! Resolves `$ref`s that point into other files (or, inside those files, into themselves).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::position::Position;
use super::source::Reader;
use crate::error::{pointer_push, Diagnostic};
use crate::pointer;

/// Where a hoisted external target goes in the bundled document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Section {
    Schemas,
    Parameters,
    Responses,
    RequestBodies,
    Headers,
    /// Copied in place: path items, operations, examples, links, callbacks.
    Inline,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Section::Schemas => "schemas",
            Section::Parameters => "parameters",
            Section::Responses => "responses",
            Section::RequestBodies => "requestBodies",
            Section::Headers => "headers",
            Section::Inline => "",
        }
    }

    /// The section a `$ref` found at `at` (destination path segments) stands for.
    fn of(at: &[String]) -> Section {
        let n = at.len();
        let last = at.last().map(String::as_str);
        let parent = if n >= 2 { Some(at[n - 2].as_str()) } else { None };
        if at.first().map(String::as_str) == Some("paths") && n <= 3 {
            return Section::Inline;
        }
        if at.first().map(String::as_str) == Some("components") && n == 3 {
            return match at[1].as_str() {
                "schemas" => Section::Schemas,
                "parameters" => Section::Parameters,
                "responses" => Section::Responses,
                "requestBodies" => Section::RequestBodies,
                "headers" => Section::Headers,
                _ => Section::Inline,
            };
        }
        // Schema positions first: a property may be called `parameters` or `responses`.
        const SCHEMA_PARENTS: &[&str] = &[
            "properties",
            "allOf",
            "anyOf",
            "oneOf",
            "prefixItems",
            "patternProperties",
            "$defs",
            "definitions",
            "schemas",
            "dependentSchemas",
        ];
        const SCHEMA_KEYS: &[&str] = &[
            "schema",
            "items",
            "additionalProperties",
            "not",
            "itemSchema",
            "contentSchema",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
            "unevaluatedItems",
            "unevaluatedProperties",
        ];
        if parent.is_some_and(|p| SCHEMA_PARENTS.contains(&p)) || last.is_some_and(|l| SCHEMA_KEYS.contains(&l)) {
            return Section::Schemas;
        }
        match (parent, last) {
            (Some("parameters"), _) => Section::Parameters,
            (Some("responses"), _) => Section::Responses,
            (_, Some("requestBody")) => Section::RequestBodies,
            (Some("headers"), _) => Section::Headers,
            // Anything else (a `properties` map, a description, examples, links, callbacks, a media type) is
            // copied in place: only the sections above can be named and referenced.
            _ => Section::Inline,
        }
    }
}

/// How many values copying referenced targets into place may add to the document in all. References through
/// another file that branch at every level (`a: $ref l1, b: $ref l1`, … 22 deep) would otherwise copy 2^22 nodes.
const MAX_INLINED_VALUES: usize = 1_000_000;

struct Bundler<'r> {
    /// Reads the files `$ref`s name (and knows which it may read).
    reader: &'r Reader<'r>,
    /// The text of every file read besides the entry file, by key (for the lines of diagnostics).
    texts: BTreeMap<PathBuf, String>,
    /// Values copied into place so far (see [`MAX_INLINED_VALUES`]).
    inlined: usize,
    /// Parsed files by canonical path; the order they were first read in is kept in `files`.
    documents: HashMap<PathBuf, Value>,
    files: Vec<PathBuf>,
    root: PathBuf,
    /// (file, pointer) → the local reference it was hoisted to.
    hoisted: HashMap<(PathBuf, String), String>,
    /// New components, by section then name, in the order they were found.
    components: BTreeMap<&'static str, Vec<(String, Value)>>,
    used_names: HashSet<(Section, String)>,
    /// Inlining stack, to stop a path item that includes itself.
    inlining: Vec<(PathBuf, String)>,
    diagnostics: Vec<Diagnostic>,
}

/// What bundling found: the document, the files read and their texts, the problems.
pub(super) struct Bundled {
    /// The document with only local references left.
    pub document: Value,
    /// Every file read, the entry file first.
    pub files: Vec<PathBuf>,
    /// The text of every file read besides the entry file, by the name diagnostics give it.
    pub texts: BTreeMap<PathBuf, String>,
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Bundles `root_value` (read from `root`), reading the files its references name through `reader`.
pub(super) fn bundle(root: &Path, root_value: Value, reader: &Reader<'_>) -> Bundled {
    let root_key = reader.key(root);
    let mut bundler = Bundler {
        reader,
        texts: BTreeMap::new(),
        inlined: 0,
        documents: HashMap::new(),
        files: vec![root.to_path_buf()],
        root: root_key.clone(),
        hoisted: HashMap::new(),
        components: BTreeMap::new(),
        used_names: HashSet::new(),
        inlining: Vec::new(),
        diagnostics: Vec::new(),
    };
    bundler.documents.insert(root_key.clone(), root_value.clone());
    // Names already taken in the root's own components must not be reused by hoisted targets.
    if let Some(components) = root_value.get("components").and_then(Value::as_object) {
        for section in
            [Section::Schemas, Section::Parameters, Section::Responses, Section::RequestBodies, Section::Headers]
        {
            if let Some(names) = components.get(section.key()).and_then(Value::as_object) {
                for name in names.keys() {
                    bundler.used_names.insert((section, name.clone()));
                }
            }
        }
    }
    // Swagger 2.0 keeps them at the top level (`definitions`, `parameters`, `responses`); the upgrade merges them.
    for (key, section) in
        [("definitions", Section::Schemas), ("parameters", Section::Parameters), ("responses", Section::Responses)]
    {
        if let Some(names) = root_value.get(key).and_then(Value::as_object) {
            for name in names.keys() {
                bundler.used_names.insert((section, name.clone()));
            }
        }
    }
    let mut document = root_value;
    let mut at = Vec::new();
    let mut source = Vec::new();
    bundler.walk(&mut document, &root_key, &mut at, &mut source, Position::Object);
    if !bundler.components.is_empty() {
        if let Some(object) = document.as_object_mut() {
            let components = object.entry("components").or_insert_with(|| Value::Object(Map::new()));
            if let Some(components) = components.as_object_mut() {
                for (section, entries) in std::mem::take(&mut bundler.components) {
                    let target = components.entry(section).or_insert_with(|| Value::Object(Map::new()));
                    if let Some(target) = target.as_object_mut() {
                        for (name, value) in entries {
                            target.insert(name, value);
                        }
                    }
                }
            }
        }
    }
    Bundled { document, files: bundler.files, texts: bundler.texts, diagnostics: bundler.diagnostics }
}

impl Bundler<'_> {
    /// Rewrites every reference under `value`, which was read from `file` and now sits at `at`.
    /// `source` is where `value` is in `file` (diagnostics name that place), `at` where it ends up in the bundle.
    fn walk(
        &mut self,
        value: &mut Value,
        file: &Path,
        at: &mut Vec<String>,
        source: &mut Vec<String>,
        position: Position,
    ) {
        if !position.holds_references() {
            return;
        }
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref").filter(|v| position.is_reference(v)) {
                    let reference = reference.clone();
                    if let Some(replacement) = self.resolve(&reference, file, at, source, position) {
                        match replacement {
                            Resolved::Reference(local) => {
                                object.insert("$ref".to_owned(), Value::String(local));
                            }
                            Resolved::Inline(mut inlined) => {
                                // Siblings of `$ref` (3.1) win over the inlined target's own keys.
                                object.remove("$ref");
                                if let Value::Object(target) = &mut inlined {
                                    for (k, v) in std::mem::take(object) {
                                        target.insert(k, v);
                                    }
                                }
                                *value = inlined;
                                return;
                            }
                        }
                    }
                }
                if let Value::Object(object) = value {
                    for (key, child) in object.iter_mut() {
                        if key == "$ref" && position.is_reference(child) {
                            continue;
                        }
                        let child_position = position.child(key, child);
                        at.push(key.clone());
                        source.push(key.clone());
                        self.walk(child, file, at, source, child_position);
                        source.pop();
                        at.pop();
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    at.push(index.to_string());
                    source.push(index.to_string());
                    self.walk(child, file, at, source, position);
                    source.pop();
                    at.pop();
                }
            }
            _ => {}
        }
    }

    fn resolve(
        &mut self,
        reference: &str,
        file: &Path,
        at: &[String],
        source: &[String],
        position: Position,
    ) -> Option<Resolved> {
        let is_root = self.reader.key(file) == self.root;
        let (target_file, fragment) = match reference.split_once('#') {
            Some(("", _)) if is_root => return None, // already local
            Some(("", fragment)) => (self.reader.key(file), fragment.to_owned()),
            Some((path, fragment)) => (self.relative(file, path), fragment.to_owned()),
            None => (self.relative(file, reference), String::new()),
        };
        let pointer = pointer::decode_fragment(&fragment);
        // The `$ref` as the user wrote it: in `file`, at `source`.
        let here = pointer_push(&pointer::join(source), "$ref");
        if target_file == self.root {
            // A reference from another file back into the entry file stays a local reference.
            return Some(Resolved::Reference(format!("#{}", fragment)));
        }
        let target = self.target(&target_file, &pointer, file, &here)?;
        let section = Section::of(at);
        if section == Section::Inline {
            if self.inlined > MAX_INLINED_VALUES {
                // Reported once, where the budget ran out.
                return None;
            }
            self.inlined += count_values(&target);
            if self.inlined > MAX_INLINED_VALUES {
                self.diagnostics.push(Diagnostic::error(
                    file,
                    here,
                    format!(
                        "`$ref: {reference}`: the references copied into place add more than {MAX_INLINED_VALUES} \
                         values (references that branch at every level); the document is not read further"
                    ),
                ));
                return None;
            }
            let key = (target_file.clone(), pointer.clone());
            if self.inlining.contains(&key) {
                self.diagnostics.push(Diagnostic::error(file, here, format!("`$ref: {reference}` includes itself")));
                return None;
            }
            self.inlining.push(key);
            let mut inlined = target;
            let mut nested_at = at.to_vec();
            let mut nested_source = pointer::segments(&pointer).unwrap_or_default();
            self.walk(&mut inlined, &target_file, &mut nested_at, &mut nested_source, position);
            self.inlining.pop();
            return Some(Resolved::Inline(inlined));
        }
        let key = (target_file.clone(), pointer.clone());
        if let Some(local) = self.hoisted.get(&key) {
            return Some(Resolved::Reference(local.clone()));
        }
        let name = self.fresh_name(section, &target_file, &pointer);
        let local = pointer::component_ref(section.key(), &name);
        self.hoisted.insert(key, local.clone());
        let mut hoisted = target;
        let mut nested_at = vec!["components".to_owned(), section.key().to_owned(), name.clone()];
        let hoisted_position = if section == Section::Schemas { Position::Schema } else { Position::Object };
        let mut nested_source = pointer::segments(&pointer).unwrap_or_default();
        self.walk(&mut hoisted, &target_file, &mut nested_at, &mut nested_source, hoisted_position);
        // Diagnostics about it name the file and place it came from (see `origin`).
        if let Value::Object(object) = &mut hoisted {
            object.insert(super::origin::ORIGIN_FILE.into(), Value::String(target_file.to_string_lossy().into_owned()));
            object.insert(super::origin::ORIGIN.into(), Value::String(pointer.clone()));
        }
        self.components.entry(section.key()).or_default().push((name, hoisted));
        Some(Resolved::Reference(local))
    }

    /// The value at `pointer` in `path`, reading the file on first use.
    fn target(&mut self, path: &Path, pointer: &str, from: &Path, here: &str) -> Option<Value> {
        if !self.documents.contains_key(path) {
            let text = match self.reader.read_reference(path) {
                Ok(text) => text,
                Err(problem) => {
                    self.diagnostics.push(Diagnostic::error(
                        from,
                        here,
                        format!("`$ref` to `{}` {problem}", path.display()),
                    ));
                    return None;
                }
            };
            match super::parse_document(path, &text) {
                Ok(value) => {
                    self.files.push(path.to_path_buf());
                    self.documents.insert(path.to_path_buf(), value);
                    self.texts.insert(path.to_path_buf(), text);
                }
                Err(diagnostic) => {
                    self.diagnostics.push(diagnostic);
                    return None;
                }
            }
        }
        let document = self.documents.get(path)?;
        match document.pointer(pointer) {
            Some(value) => Some(value.clone()),
            None => {
                self.diagnostics.push(Diagnostic::error(
                    from,
                    here,
                    format!("`$ref` target `{}#{pointer}` does not exist", path.display()),
                ));
                None
            }
        }
    }

    fn relative(&self, file: &Path, reference: &str) -> PathBuf {
        let base = file.parent().unwrap_or_else(|| Path::new("."));
        self.reader.key(&base.join(pointer::decode_fragment(reference)))
    }

    fn fresh_name(&mut self, section: Section, file: &Path, pointer: &str) -> String {
        let from_pointer = pointer::last(pointer).filter(|s| !s.is_empty());
        let from_file = file.file_stem().map(|s| s.to_string_lossy().into_owned());
        let base: String = from_pointer
            .or(from_file)
            .unwrap_or_else(|| "External".to_owned())
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
            .collect();
        let mut name = base.clone();
        let mut n = 2;
        while !self.used_names.insert((section, name.clone())) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }
}

/// How many JSON values `value` holds (itself included).
fn count_values(value: &Value) -> usize {
    match value {
        Value::Object(object) => 1 + object.values().map(count_values).sum::<usize>(),
        Value::Array(items) => 1 + items.iter().map(count_values).sum::<usize>(),
        _ => 1,
    }
}

enum Resolved {
    Reference(String),
    Inline(Value),
}
