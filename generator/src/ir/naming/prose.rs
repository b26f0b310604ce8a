//! Spec prose → rustdoc Markdown that can neither add a doctest nor inject HTML.
//!
//! rustdoc compiles every code block of a doc comment as a doctest unless its info string names another language:
//! fenced blocks with no info string or a Rust-ish one (```` ```rust ````, ```` ```ignore ````, `~~~`), and every
//! *indented* code block, which CommonMark makes of any line indented four columns past its container: after a
//! blank line, after a list marker followed by five spaces (`1.     Create the key.`), inside block quotes and
//! nested lists, with tabs counting as up to four columns. Raw HTML passes through to the generated pages as is
//! (`<script>`, an unclosed `<!--` that hides the rest of the page).
//!
//! So prose is rewritten in three steps:
//! 1. line by line, every line outside a fence loses its indentation, and the blanks after each container marker
//!    (`>`, `-`, `*`, `+`, `1.`, `1)`, `:`, `[^note]:`) become one space: with no line indented, no indented code
//!    block can exist. Fences keep their content verbatim, open as ```` ```text ```` at the top level and close
//!    with the same fence;
//! 2. the result is parsed with `pulldown-cmark` (the parser rustdoc uses, with its options) and every `<` that
//!    starts raw HTML becomes `&lt;`, which shows the tag as text;
//! 3. the result is parsed again: if any code block is not a `text` fence or any HTML is left (a construct the first
//!    two steps did not foresee), the whole text becomes one `text` block instead, whose fence is longer than any
//!    run of backticks in it, so nothing can close it.
//!
//! Every step is a function of the text alone: the same prose always gives the same doc.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

/// Turns spec prose into rustdoc that cannot break the build, add a doctest or inject HTML.
///
/// Doc text reaches the code as a string literal (never as comment syntax), so nothing can escape it; this defuses
/// the Markdown that rustdoc would act on (see the module documentation). Leading and trailing blank lines go.
pub fn doc_text(raw: &str) -> String {
    let clean = clean_characters(raw);
    let (flat, fence_bodies) = flatten(&clean);
    let escaped = escape_html(&flat, &fence_bodies);
    let text = trim_blank_lines(&escaped);
    if is_inert(&text) {
        text
    } else {
        one_text_block(&trim_blank_lines(&clean))
    }
}

/// Line breaks as `\n`; tabs as four spaces; control and bidi/zero-width formatting characters dropped.
fn clean_characters(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unified.len());
    for c in unified.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if c.is_control() || super::is_format_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Step 1: no line outside a fence keeps its indentation; fences become top-level `text` fences. Returns the text
/// and the byte ranges of the fences' content lines (which step 2 leaves alone).
fn flatten(text: &str) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(text.len());
    let mut bodies = Vec::new();
    // The fence character and length of the open fence.
    let mut open: Option<(char, usize)> = None;
    for line in text.split('\n') {
        if let Some((fence_char, fence_len)) = open {
            let (_, rest) = container_prefix(line, true);
            if closes_fence(rest, fence_char, fence_len) {
                push_line(&mut out, &fence_char.to_string().repeat(fence_len));
                open = None;
            } else {
                let start = out.len();
                push_line(&mut out, line.trim_end());
                bodies.push(start..out.len());
            }
            continue;
        }
        let (markers, rest) = container_prefix(line, false);
        if let Some((fence_char, fence_len)) = opens_fence(rest) {
            // The fence leaves any container: its content lines keep their own indentation, which inside a list
            // or quote would not match the flattened lines around it.
            push_line(&mut out, &format!("{}text", fence_char.to_string().repeat(fence_len)));
            open = Some((fence_char, fence_len));
            continue;
        }
        let rest = rest.trim();
        let flat = match (markers.is_empty(), rest.is_empty()) {
            (true, _) => rest.to_owned(),
            (false, true) => markers.join(" "),
            (false, false) => format!("{} {rest}", markers.join(" ")),
        };
        push_line(&mut out, &flat);
    }
    if let Some((fence_char, fence_len)) = open {
        push_line(&mut out, &fence_char.to_string().repeat(fence_len));
    }
    if out.ends_with('\n') {
        out.pop();
    }
    (out, bodies)
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// Splits the container markers off the start of a line: block quote `>`s, list markers, definition-list `:` and
/// footnote labels, each followed by blanks. With `quotes_only`, only `>`s and blanks (what may precede the
/// closing fence of a fenced block inside a quote or list).
fn container_prefix(line: &str, quotes_only: bool) -> (Vec<&str>, &str) {
    let mut markers = Vec::new();
    let mut rest = line.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix('>') {
            markers.push(">");
            rest = after.trim_start();
            continue;
        }
        if quotes_only {
            break;
        }
        let Some(len) = marker_len(rest) else { break };
        let after = &rest[len..];
        if !(after.is_empty() || after.starts_with(' ')) {
            break;
        }
        markers.push(&rest[..len]);
        rest = after.trim_start();
    }
    (markers, rest)
}

/// Length of a list marker (`-`, `+`, `*`, up to nine digits and `.` or `)`), a definition-list `:` or a footnote
/// label (`[^note]:`) at the start of `text`.
fn marker_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    match bytes.first()? {
        b'-' | b'+' | b'*' | b':' => Some(1),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            (digits <= 9 && matches!(bytes.get(digits), Some(b'.' | b')'))).then_some(digits + 1)
        }
        b'[' if bytes.get(1) == Some(&b'^') => {
            let close = text.find("]:")?;
            (!text[..close].contains(char::is_whitespace)).then_some(close + 2)
        }
        _ => None,
    }
}

/// The fence character and length if `text` (already past indentation and containers) opens a fenced block.
fn opens_fence(text: &str) -> Option<(char, usize)> {
    let fence_char = text.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = text.chars().take_while(|c| *c == fence_char).count();
    // A backtick fence's info string cannot hold a backtick: "```a``` b" is inline code.
    (len >= 3 && !(fence_char == '`' && text[len..].contains('`'))).then_some((fence_char, len))
}

fn closes_fence(text: &str, fence_char: char, fence_len: usize) -> bool {
    let run = text.chars().take_while(|c| *c == fence_char).count();
    run >= fence_len && text[run..].trim().is_empty()
}

/// The options rustdoc parses doc comments with (`main_body_opts` in rustdoc's `html/markdown.rs`).
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Step 2: every `<` that opens raw HTML (a block or inline) becomes `&lt;`, outside fence content.
fn escape_html(text: &str, fence_bodies: &[Range<usize>]) -> String {
    if !text.contains('<') {
        return text.to_owned();
    }
    let mut positions = Vec::new();
    for options in [rustdoc_options(), rustdoc_options() | Options::ENABLE_DEFINITION_LIST | Options::ENABLE_GFM] {
        for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
            if matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
                positions.extend(
                    text[range.clone()]
                        .match_indices('<')
                        .map(|(i, _)| range.start + i)
                        .filter(|p| !fence_bodies.iter().any(|body| body.contains(p))),
                );
            }
        }
    }
    positions.sort_unstable();
    positions.dedup();
    let mut out = String::with_capacity(text.len() + positions.len() * 3);
    let mut last = 0;
    for position in positions {
        out.push_str(&text[last..position]);
        out.push_str("&lt;");
        last = position + 1;
    }
    out.push_str(&text[last..]);
    out
}

/// Step 3's test: every code block is a `text` fence and no raw HTML is left, under rustdoc's options and with the
/// extensions newer rustdoc versions may turn on.
pub(crate) fn is_inert(text: &str) -> bool {
    [rustdoc_options(), rustdoc_options() | Options::ENABLE_DEFINITION_LIST | Options::ENABLE_GFM].into_iter().all(
        |options| {
            Parser::new_ext(text, options).all(|event| match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => &*info == "text",
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => false,
                Event::Html(_) | Event::InlineHtml(_) => false,
                _ => true,
            })
        },
    )
}

/// The fallback: `text` in one `text` block whose fence no line of it can close.
fn one_text_block(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    format!("{fence}text\n{text}\n{fence}")
}

fn trim_blank_lines(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    match (first, last) {
        (Some(first), Some(last)) => lines[first..=last].join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code blocks rustdoc would see in `text`, as (info string, content); indented blocks have info `None`.
    fn code_blocks(text: &str) -> Vec<(Option<String>, String)> {
        let mut blocks = Vec::new();
        let mut current: Option<(Option<String>, String)> = None;
        for event in Parser::new_ext(text, rustdoc_options()) {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let info = match kind {
                        CodeBlockKind::Indented => None,
                        CodeBlockKind::Fenced(info) => Some(info.to_string()),
                    };
                    current = Some((info, String::new()));
                }
                Event::Text(t) => {
                    if let Some((_, content)) = &mut current {
                        content.push_str(&t);
                    }
                }
                Event::End(pulldown_cmark::TagEnd::CodeBlock) => blocks.extend(current.take()),
                _ => {}
            }
        }
        blocks
    }

    fn has_html(text: &str) -> bool {
        Parser::new_ext(text, rustdoc_options()).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
    }

    /// Prose that makes doctests or raw HTML before sanitizing, each with a line its doc must still show.
    const HOSTILE: &[(&str, &str)] = &[
        ("Steps:\n\n1.     Create the key.\n2.     Rotate it.", "Create the key."),
        ("Intro\n\n    indented code\n    more", "indented code"),
        ("Intro\n\n\tcode after a tab", "code after a tab"),
        ("-\tcode after a list marker and a tab", "code after a list marker and a tab"),
        ("- item\n\n      code inside the item", "code inside the item"),
        ("* a\n  * b\n\n         nested item code", "nested item code"),
        ("+     plus marker code", "plus marker code"),
        ("1)     paren marker code", "paren marker code"),
        (">     quoted indented code", "quoted indented code"),
        ("> quote\n>\n>     code in quote", "code in quote"),
        ("> - list in quote\n>\n>       code", "code"),
        ("- > 1.      deep", "deep"),
        ("```\nassert!(false);\n```", "assert!(false);"),
        ("```rust\nfn main() { panic!() }\n```", "fn main() { panic!() }"),
        ("```ignore\nnot run but listed\n```", "not run but listed"),
        ("```rust,should_panic\npanic!()\n```", "panic!()"),
        ("~~~\ntilde fence\n~~~", "tilde fence"),
        ("~~~~rust\nlong tilde\n~~~~", "long tilde"),
        ("````\n```\ninner fence text\n```\n````", "inner fence text"),
        ("   ```\nindented fence\n   ```", "indented fence"),
        ("- ```rust\n  fn in_list() {}\n  ```", "fn in_list() {}"),
        ("> ```\n> quoted fence\n> ```", "quoted fence"),
        ("1. item\n\n   ```\n   fenced in item\n   ```\n2. next", "fenced in item"),
        ("```\nunclosed fence", "unclosed fence"),
        ("text\n```", "text"),
        ("Intro\n```rust\nfn main() {}\n```\n    indented code\n```", "indented code"),
        ("[^1]:     footnote code\n\nSee[^1].", "footnote code"),
        ("Term\n:     definition code", "definition code"),
        ("<script>alert(1)</script>", "alert(1)"),
        ("<!-- never closed\n\nlater text", "later text"),
        ("a <b>bold</b> <unclosed and <div>", "bold"),
        ("<pre>\n```rust\nfn x() {}\n```\n</pre>", "fn x() {}"),
        ("<div>\n\n    code after html\n\n</div>", "code after html"),
        ("<details><summary>s</summary>\n\n    hidden code\n</details>", "hidden code"),
        ("line one\r\n\r\n    crlf code", "crlf code"),
        ("ctrl\u{1b}[31m red \u{202e}bidi", "red"),
        ("`inline <b> code` and `` ` `` ticks", "inline <b> code"),
    ];

    #[test]
    fn no_prose_becomes_a_doctest_or_html() {
        for (raw, shown) in HOSTILE {
            let doc = doc_text(raw);
            for (info, content) in code_blocks(&doc) {
                assert_eq!(info.as_deref(), Some("text"), "{raw:?} gave a code block {content:?} in\n{doc}");
            }
            assert!(!has_html(&doc), "{raw:?} left raw HTML in\n{doc}");
            assert!(is_inert(&doc), "{raw:?} gave\n{doc}");
            // The known constructs are handled by the rewrite, not by the fallback.
            let clean = clean_characters(raw);
            let (flat, bodies) = flatten(&clean);
            assert!(is_inert(&escape_html(&flat, &bodies)), "{raw:?} needed the fallback");
            assert!(doc.contains(shown), "{raw:?} lost {shown:?}:\n{doc}");
            assert_eq!(doc_text(&doc), doc, "not idempotent for {raw:?}");
        }
    }

    #[test]
    fn list_items_stay_list_items() {
        assert_eq!(
            doc_text("Steps:\n\n1.     Create the key.\n2.     Rotate it."),
            "Steps:\n\n1. Create the key.\n2. Rotate it."
        );
        assert_eq!(doc_text("-\tone\n  - two"), "- one\n- two");
        assert_eq!(doc_text(">     quoted"), "> quoted");
    }

    #[test]
    fn fences_become_text_blocks_with_their_content() {
        assert_eq!(
            doc_text("Intro\n```rust\nfn main() { panic!() }\n```\n    indented code\n```"),
            "Intro\n```text\nfn main() { panic!() }\n```\nindented code\n```text\n```"
        );
        assert_eq!(doc_text("- ```rust\n  fn f() {}\n  ```\n- next"), "```text\n  fn f() {}\n```\n- next");
        assert_eq!(doc_text("~~~~\n```\nx\n```\n~~~~"), "~~~~text\n```\nx\n```\n~~~~");
        // Indentation inside a fence is the code's own and stays.
        assert_eq!(doc_text("```json\n{\n    \"a\": 1\n}\n```"), "```text\n{\n    \"a\": 1\n}\n```");
    }

    #[test]
    fn raw_html_shows_as_text() {
        assert_eq!(doc_text("<script>alert(1)</script>"), "&lt;script>alert(1)&lt;/script>");
        assert_eq!(
            doc_text("a <b>bold</b> and <https://example.com>"),
            "a &lt;b>bold&lt;/b> and <https://example.com>"
        );
        // An unclosed comment starting a line is an HTML block that hides the rest of the page; inside a paragraph
        // it is not HTML at all (rustdoc shows it as text).
        assert_eq!(doc_text("<!-- open\n\ny"), "&lt;!-- open\n\ny");
        assert_eq!(doc_text("x <!-- open\n\ny"), "x <!-- open\n\ny");
        // In a code span or a fence `<` is already text.
        assert_eq!(doc_text("`<b>`"), "`<b>`");
        assert_eq!(doc_text("```html\n<b>\n```"), "```text\n<b>\n```");
    }

    #[test]
    fn the_fallback_block_cannot_be_closed() {
        let text = "a\n````\nb ``` c";
        let block = one_text_block(text);
        assert!(block.starts_with("`````text\n"));
        assert_eq!(code_blocks(&block), vec![(Some("text".to_owned()), format!("{text}\n"))]);
        assert!(is_inert(&block));
        assert!(!is_inert("x\n\n    code"));
        assert!(!is_inert("```\ncode\n```"));
        assert!(!is_inert("<b>x</b>"));
    }

    #[test]
    fn blank_and_plain_text() {
        assert_eq!(doc_text(""), "");
        assert_eq!(doc_text("\n \n\t\n"), "");
        assert_eq!(
            doc_text("\n\nPlain *text* with [a link](https://example.com).\n\n"),
            "Plain *text* with [a link](https://example.com)."
        );
        assert_eq!(doc_text("| a | b |\n|---|---|\n| 1 | 2 |"), "| a | b |\n|---|---|\n| 1 | 2 |");
    }
}
