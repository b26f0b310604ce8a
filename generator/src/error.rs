//! Diagnostics: every problem names the file, the JSON pointer and (where known) the line.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line, when the parser knows it.
    pub line: Option<usize>,
    /// JSON pointer (RFC 6901) of the offending value, `""` for the whole document.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// Warnings do not stop generation.
    pub severity: Severity,
}

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Generation cannot go on.
    Error,
    /// Generation goes on with a looser type or a skipped construct.
    Warning,
}

impl Diagnostic {
    /// An error at `pointer` in `file`.
    pub fn error(file: impl Into<PathBuf>, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            pointer: pointer.into(),
            message: message.into(),
            severity: Severity::Error,
        }
    }

    /// A warning at `pointer` in `file`.
    pub fn warning(file: impl Into<PathBuf>, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, pointer, message) }
    }

    /// The same diagnostic with a line number.
    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: {}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, ": at {}: {}", escape_for_terminal(pointer), escape_for_terminal(&self.message))
    }
}

/// Spec text as it may be shown on a terminal: control characters and the Unicode bidirectional controls (which
/// reorder what a reader sees, CVE-2021-42574) are written as `\u{…}` escapes.
pub fn escape_for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi =
            matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Everything that can stop generation.
///
/// `Display` (and `Debug`, which is the same text, so that `fn main() -> Result<(), …>` in a build script prints it
/// readably) gives every diagnostic on its own line: `error: FILE[:LINE]: at POINTER: MESSAGE`.
#[derive(thiserror::Error)]
pub enum Error {
    /// The spec is broken; every error found is listed.
    #[error("{}", render_diagnostics(.0))]
    Spec(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The options given to the generator are inconsistent.
    #[error("{0}")]
    Config(String),
    /// The generator produced code that does not parse: a bug in the generator.
    #[error("internal error: generated `{file}` does not parse: {message}")]
    Internal {
        /// The generated file.
        file: String,
        /// The parser's message.
        message: String,
    },
}

impl fmt::Debug for Error {
    /// The `Display` text: a build script returning the error from `main` shows it with `Debug`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// Appends one JSON-pointer segment, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer_push(pointer: &str, segment: &str) -> String {
    crate::pointer::push(pointer, segment)
}
