//! Splits a file into YAML front matter and body exactly as Jekyll 3.10 does.
//!
//! Jekyll matches `\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)` (Ruby, multiline) against the
//! whole file: the front matter is the first group, the body is everything after the match.
//! Because the closing `\s*` also eats newlines, blank lines right after the closing `---` are
//! swallowed; that is Jekyll's behaviour and we keep it. The bytes of the body are kept as
//! they are (no BOM or line-ending normalisation), which is why this is not `gray_matter`.
//!
//! This module only splits; parsing the YAML is the caller's job.

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

/// Ruby's `\s`.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0B | 0x0C)
}

/// Splits `text` the way Jekyll's document reader does. `None` when the file has no front
/// matter block (Jekyll then treats the whole file as the body).
///
/// The regex's backtracking order, spelled out (a test checks it against the regex itself on
/// random input): the opening `---\s*\n` takes the whitespace after `---` up to its last
/// newline; `.*?\n?^` then tries each later line start in turn, and the first one holding a
/// closing line wins. A closing line is `---` or `...`, then the longest run of whitespace
/// that ends at a line end (so blank lines after it go too), then one newline.
pub fn split(text: &str) -> Option<Split<'_>> {
    let b = text.as_bytes();
    if !b.starts_with(b"---") {
        return None;
    }
    let run_end = 3 + b[3..].iter().take_while(|&&c| is_space(c)).count();
    let mut line = 3 + b[3..run_end].iter().rposition(|&c| c == b'\n')? + 1;
    loop {
        if let Some(end) = closing_line(b, line) {
            return Some(Split {
                yaml: &text[..line],
                body: &text[end..],
                body_line: b[..end].iter().filter(|&&c| c == b'\n').count() + 1,
            });
        }
        line += b[line..].iter().position(|&c| c == b'\n')? + 1;
    }
}

/// Where the match of `(---|\.\.\.)\s*$\n?` starting at `at` ends, if it matches there.
fn closing_line(b: &[u8], at: usize) -> Option<usize> {
    let rest = &b[at..];
    if !(rest.starts_with(b"---") || rest.starts_with(b"...")) {
        return None;
    }
    let from = at + 3;
    let run_end = from + b[from..].iter().take_while(|&&c| is_space(c)).count();
    // `\s*` is greedy but must stop where `$` holds: the text's end, or before a newline.
    let line_end = if run_end == b.len() {
        run_end
    } else {
        from + b[from..run_end].iter().rposition(|&c| c == b'\n')?
    };
    Some(if b.get(line_end) == Some(&b'\n') {
        line_end + 1
    } else {
        line_end
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
    use proptest::prelude::*;

    /// Jekyll's own pattern, translated (Ruby's `\s` is `[ \t\r\n\f\v]`; `.` under Ruby's /m
    /// matches newlines; `^`/`$` only know `\n`). Rust's regex reports the leftmost-first
    /// match a backtracking engine would: the oracle for [`split`].
    fn by_regex(text: &str) -> Option<(usize, usize)> {
        static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let re = RE.get_or_init(|| {
            regex::Regex::new(
                r"(?s)\A(---[ \t\r\n\x0C\x0B]*\n.*?\n?)(?m:^)((---|\.\.\.)[ \t\r\n\x0C\x0B]*(?m:$)\n?)",
            )
            .unwrap()
        });
        let caps = re.captures(text)?;
        Some((caps.get(1)?.end(), caps.get(0)?.end()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]
        #[test]
        fn split_matches_jekylls_regex(
            tail in proptest::collection::vec(
                prop_oneof![
                    Just("-"), Just("---"), Just("."), Just("..."), Just(" "), Just("\t"),
                    Just("\r"), Just("\n"), Just("\u{b}"), Just("\u{c}"), Just("a"), Just("é"),
                ],
                0..24,
            ),
            opened in any::<bool>(),
        ) {
            let text = format!("{}{}", if opened { "---" } else { "" }, tail.concat());
            let ours = split(&text).map(|s| (s.yaml.len(), text.len() - s.body.len()));
            prop_assert_eq!(ours, by_regex(&text), "text {:?}", text);
        }
    }

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
