//! Lines of diagnostics: a JSON pointer → the line of its value in the file as written.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::{pointer_push, Diagnostic};

/// Lines of the values at some JSON pointers in YAML or JSON text, read from the parser's marks (JSON is read as
/// YAML 1.2, of which it is a subset), so a key is matched only where the pointer says and never at another nesting.
/// A pointer names the line of its key (or array item); a pointer below what the text holds (a key the upgrade added,
/// a missing field) names the line of its deepest ancestor that is there.
struct LineFinder<'w> {
    wanted: &'w HashSet<String>,
    found: HashMap<String, usize>,
    stack: Vec<Frame>,
}

enum Frame {
    /// A mapping at `pointer`; `key` is the key whose value comes next, `None` while a key is expected.
    Map { pointer: String, key: Option<String> },
    /// A sequence at `pointer`, at item `index`.
    Seq { pointer: String, index: usize },
}

impl LineFinder<'_> {
    /// The pointer of the node that starts now (a value, not a mapping key), if any.
    fn value_pointer(&self) -> Option<String> {
        match self.stack.last()? {
            Frame::Map { pointer, key: Some(key) } => Some(pointer_push(pointer, key)),
            Frame::Map { key: None, .. } => None,
            Frame::Seq { pointer, index } => Some(pointer_push(pointer, &index.to_string())),
        }
    }

    fn record(&mut self, pointer: &str, line: usize) {
        if self.wanted.contains(pointer) {
            self.found.entry(pointer.to_owned()).or_insert(line);
        }
    }

    /// A value ended: its parent moves on to the next key or item.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key, .. }) => *key = None,
            Some(Frame::Seq { index, .. }) => *index += 1,
            None => {}
        }
    }
}

impl yaml_rust2::parser::MarkedEventReceiver for LineFinder<'_> {
    fn on_event(&mut self, event: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::Event;
        match event {
            Event::Scalar(text, ..) => {
                if let Some(Frame::Map { pointer, key: key @ None }) = self.stack.last_mut() {
                    let child = pointer_push(pointer, &text);
                    *key = Some(text);
                    self.record(&child, mark.line());
                    return;
                }
                if let Some(pointer) = self.value_pointer() {
                    self.record(&pointer, mark.line());
                }
                self.value_done();
            }
            Event::Alias(_) => {
                if let Some(pointer) = self.value_pointer() {
                    self.record(&pointer, mark.line());
                }
                self.value_done();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let pointer = match self.stack.last() {
                    None => String::new(),
                    Some(_) => match self.value_pointer() {
                        Some(pointer) => pointer,
                        // A complex mapping key: nothing a pointer can name.
                        None => "\u{0}".to_owned(),
                    },
                };
                self.record(&pointer, mark.line());
                self.stack.push(match event {
                    Event::MappingStart(..) => Frame::Map { pointer, key: None },
                    _ => Frame::Seq { pointer, index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

/// The line of each pointer in `pointers` (see [`LineFinder`]); empty when the text does not parse.
pub(crate) fn lines_of<'p>(text: &str, pointers: impl IntoIterator<Item = &'p str>) -> HashMap<String, usize> {
    let mut wanted = HashSet::new();
    for pointer in pointers {
        // Every ancestor too, for pointers below what the text holds.
        let mut current = pointer;
        loop {
            wanted.insert(current.to_owned());
            match current.rfind('/') {
                Some(at) => current = &current[..at],
                None => break,
            }
        }
    }
    let mut finder = LineFinder { wanted: &wanted, found: HashMap::new(), stack: Vec::new() };
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    if parser.load(&mut finder, false).is_err() {
        return HashMap::new();
    }
    finder.found
}

/// The line of `pointer` in `text`, or of its deepest ancestor there.
#[cfg(test)]
fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let found = lines_of(text, [pointer]);
    deepest_line(&found, pointer)
}

fn deepest_line(found: &HashMap<String, usize>, pointer: &str) -> Option<usize> {
    let mut current = pointer;
    loop {
        if let Some(line) = found.get(current) {
            return Some(*line);
        }
        current = &current[..current.rfind('/')?];
    }
}

/// Fills in the line of every diagnostic without one whose file is among `texts` (the text of every file read, by
/// the name diagnostics give it) and whose pointer, or an ancestor of it, is in that file.
pub(crate) fn locate_all(diagnostics: &mut [Diagnostic], texts: &BTreeMap<PathBuf, String>) {
    let files: std::collections::BTreeSet<PathBuf> =
        diagnostics.iter().filter(|d| d.line.is_none()).map(|d| d.file.clone()).collect();
    for file in files {
        if let Some(text) = texts.get(&file) {
            locate(diagnostics, &file, text);
        }
    }
}

/// Fills in the line of every diagnostic about `file` whose pointer (or an ancestor of it) is in `text`.
pub(crate) fn locate(diagnostics: &mut [Diagnostic], file: &Path, text: &str) {
    let pending: Vec<String> =
        diagnostics.iter().filter(|d| d.line.is_none() && d.file == file).map(|d| d.pointer.clone()).collect();
    if pending.is_empty() {
        return;
    }
    let found = lines_of(text, pending.iter().map(String::as_str));
    for d in diagnostics.iter_mut().filter(|d| d.line.is_none() && d.file == file) {
        d.line = deepest_line(&found, &d.pointer);
    }
}

#[cfg(test)]
mod tests {
    use super::line_of;

    #[test]
    fn lines_follow_keys_and_flow_style() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        \"200\":\n          schema: { $ref: x }\n";
        assert_eq!(line_of(text, "/paths/~1a/get"), Some(4));
        assert_eq!(line_of(text, "/paths/~1a/get/responses/200/schema/$ref"), Some(7));
        // Not in the text: the deepest ancestor that is.
        assert_eq!(line_of(text, "/paths/~1a/post"), Some(3));
        assert_eq!(line_of(text, "/components/schemas/A"), Some(1));
        // A key is matched only at its own nesting (`description` of B, not of A's property B).
        let text = "components:\n  schemas:\n    A:\n      properties:\n        B:\n          description: fine\n    B:\n      type: object\n      description: [not, a, string]\n";
        assert_eq!(line_of(text, "/components/schemas/B/description"), Some(9));
        assert_eq!(line_of(text, "/components/schemas/A/properties/B/description"), Some(6));
        let list = "a:\n  - x: 1\n  - x: 2\n    y: 3\n";
        assert_eq!(line_of(list, "/a/1/y"), Some(4));
        let json = "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}\n";
        assert_eq!(line_of(json, "/paths/~1a/get"), Some(4));
    }
}
