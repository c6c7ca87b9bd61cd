//! Splits a file into YAML front matter and body exactly as Jekyll 3.10 does.
//!
//! Jekyll matches `\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)` (Ruby, multiline) against the
//! whole file: the front matter is the first group, the body is everything after the match.
//! Because the closing `\s*` also eats newlines, blank lines right after the closing `---` are
//! swallowed; that is Jekyll's behaviour and we keep it. The bytes of the body are kept as
//! they are (no BOM or line-ending normalisation), which is why this is not `gray_matter`.
//!
//! This module only splits; parsing the YAML is the caller's job.

use std::sync::OnceLock;

use regex::Regex;

/// A file split into its front matter (YAML text, including the opening `---` line) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, starting with the opening `---` line (as Jekyll hands it to the YAML
    /// parser, where the `---` is a document marker).
    pub yaml: &'a str,
    /// Everything after the closing line.
    pub body: &'a str,
    /// 1-based line number in the file where the body starts (for error messages).
    pub body_line: usize,
}

fn front_matter_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // Ruby's \s is [ \t\r\n\f\v]; Ruby's `.` under /m matches newlines; `^`/`$` are line anchors
    // that only know `\n`. Rust's regex reports the same leftmost-first match a backtracking
    // engine would.
    RE.get_or_init(|| {
        Regex::new(
            r"(?s)\A(---[ \t\r\n\x0C\x0B]*\n.*?\n?)(?m:^)((---|\.\.\.)[ \t\r\n\x0C\x0B]*(?m:$)\n?)",
        )
        .expect("front matter regex")
    })
}

/// Splits `text` the way Jekyll's document reader does. `None` when the file has no front
/// matter block (Jekyll then treats the whole file as the body).
pub fn split(text: &str) -> Option<Split<'_>> {
    let caps = front_matter_regex().captures(text)?;
    let whole = caps.get(0)?;
    let yaml = caps.get(1)?.as_str();
    let body = &text[whole.end()..];
    let body_line = text[..whole.end()].matches('\n').count() + 1;
    Some(Split {
        yaml,
        body,
        body_line,
    })
}

/// Whether Jekyll 3.10 treats the file as having a YAML header: its first line is `---`
/// followed only by whitespace (`Utils.has_yaml_header?`). A UTF-8 BOM makes it `false`.
pub fn has_yaml_header(bytes: &[u8]) -> bool {
    let Some(rest) = bytes.strip_prefix(b"---") else {
        return false;
    };
    // \A---\s*\r?\n on the first line only
    let line_end = rest.iter().position(|&b| b == b'\n');
    match line_end {
        Some(i) => rest[..i]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | 0x0B | 0x0C)),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_simple() {
        let s = split("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "---\ntitle: x\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn swallows_blank_lines_after_closer_but_keeps_indent() {
        let s = split("---\na: 1\n---\n\n\n  body").unwrap();
        assert_eq!(s.body, "  body");
    }

    #[test]
    fn dots_close_too() {
        let s = split("---\na: 1\n...\nrest").unwrap();
        assert_eq!(s.body, "rest");
    }

    #[test]
    fn empty_front_matter() {
        let s = split("---\n---\nx").unwrap();
        assert_eq!(s.yaml, "---\n");
        assert_eq!(s.body, "x");
    }

    #[test]
    fn no_closer_is_none() {
        assert!(split("---\na: 1\nno closer\n").is_none());
        assert!(split("no front matter").is_none());
    }

    #[test]
    fn header_detection() {
        assert!(has_yaml_header(b"---\n"));
        assert!(has_yaml_header(b"---  \r\nx"));
        assert!(!has_yaml_header(b"\xEF\xBB\xBF---\n"));
        assert!(!has_yaml_header(b"--- x\n"));
        assert!(!has_yaml_header(b"---"));
    }
}
