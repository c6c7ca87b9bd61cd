//! Splits a template into text, `{% tag %}` and `{{ output }}` tokens, as Liquid 4's
//! `Tokenizer` does with its `TemplateParser` regex, and holds the regexes of Liquid 4's lax
//! parser (`QuotedFragment` and friends) translated to Rust.
//!
//! Not for: understanding what is inside a tag or an output (that is `parser.rs`).

use std::sync::OnceLock;

use fancy_regex::Regex;

/// One token of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Text,
    /// Starts with `{%` (maybe without a proper end, which is a syntax error later).
    Tag,
    /// Starts with `{{`.
    Output,
}

#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub kind: TokenKind,
    pub text: &'a str,
    /// Liquid's line number for this token: 1 + the newlines up to the token's end.
    pub line: usize,
}

/// Tokenizes like `source.split(/(\{%.*?%\}|\{\{.*?\}\}?|\{\{|\{%)/m)`.
pub fn tokenize(source: &str) -> Vec<Token<'_>> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut text_start = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && (bytes[i + 1] == b'%' || bytes[i + 1] == b'{') {
            let is_tag = bytes[i + 1] == b'%';
            let end = if is_tag {
                find(bytes, i + 2, b"%}").map(|p| p + 2).unwrap_or(i + 2)
            } else {
                match memchr_byte(bytes, i + 2, b'}') {
                    Some(p) => {
                        if p + 1 < bytes.len() && bytes[p + 1] == b'}' {
                            p + 2
                        } else {
                            p + 1
                        }
                    }
                    None => i + 2,
                }
            };
            if text_start < i {
                let t = &source[text_start..i];
                line += count_nl(t);
                tokens.push(Token {
                    kind: TokenKind::Text,
                    text: t,
                    line,
                });
            } else if !tokens.is_empty() {
                // Ruby's split keeps the empty string between two adjacent delimiters.
                tokens.push(Token {
                    kind: TokenKind::Text,
                    text: "",
                    line,
                });
            }
            let t = &source[i..end];
            line += count_nl(t);
            tokens.push(Token {
                kind: if is_tag {
                    TokenKind::Tag
                } else {
                    TokenKind::Output
                },
                text: t,
                line,
            });
            i = end;
            text_start = end;
        } else {
            // On to the next `{` (most of a page is text).
            i = match memchr::memchr(b'{', &bytes[i + 1..]) {
                Some(p) => i + 1 + p,
                None => bytes.len(),
            };
        }
    }
    if text_start < source.len() {
        let t = &source[text_start..];
        line += count_nl(t);
        tokens.push(Token {
            kind: TokenKind::Text,
            text: t,
            line,
        });
    }
    tokens
}

fn count_nl(s: &str) -> usize {
    memchr::memchr_iter(b'\n', s.as_bytes()).count()
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    memchr::memmem::find(&hay[from..], needle).map(|p| p + from)
}

fn memchr_byte(hay: &[u8], from: usize, b: u8) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    memchr::memchr(b, &hay[from..]).map(|p| p + from)
}

/// Ruby's whitespace class `\s`.
pub const WS: &str = r"[ \t\r\n\x0c\x0b]";
/// Liquid's `QuotedFragment`.
pub const QF: &str = r#"(?:"[^"]*"|'[^']*'|(?:[^ \t\r\n\x0c\x0b,|'"]|"[^"]*"|'[^']*')+)"#;

/// A lazily compiled regex.
pub struct Re {
    pattern: fn() -> String,
    cell: OnceLock<Regex>,
}

impl Re {
    pub const fn new(pattern: fn() -> String) -> Self {
        Re {
            pattern,
            cell: OnceLock::new(),
        }
    }
    pub fn get(&self) -> &Regex {
        self.cell
            .get_or_init(|| Regex::new(&(self.pattern)()).expect("valid built-in regex"))
    }
    /// The capture groups of the first match, as owned strings (`None` for unmatched groups).
    pub fn captures(&self, s: &str) -> Option<Vec<Option<String>>> {
        let caps = self.get().captures(s).ok()??;
        Some(
            (0..caps.len())
                .map(|i| caps.get(i).map(|m| m.as_str().to_string()))
                .collect(),
        )
    }
    /// Like Ruby's `scan`: every match; the groups when the regex has some, else the match.
    pub fn scan(&self, s: &str) -> Vec<Vec<Option<String>>> {
        let mut out = Vec::new();
        for caps in self.get().captures_iter(s) {
            let Ok(caps) = caps else { break };
            out.push(
                (0..caps.len())
                    .map(|i| caps.get(i).map(|m| m.as_str().to_string()))
                    .collect(),
            );
        }
        out
    }
    pub fn is_match(&self, s: &str) -> bool {
        self.get().is_match(s).unwrap_or(false)
    }
}

/// Ruby's `String#strip` (whitespace and NUL).
pub fn rb_strip(s: &str) -> &str {
    rb_rstrip(rb_lstrip(s))
}
pub fn rb_lstrip(s: &str) -> &str {
    s.trim_start_matches([' ', '\t', '\r', '\n', '\x0c', '\x0b'])
}
pub fn rb_rstrip(s: &str) -> &str {
    s.trim_end_matches([' ', '\t', '\r', '\n', '\x0c', '\x0b', '\0'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_liquid() {
        let t = tokenize("a{{ b }}{% c %}\nd{{ e } f");
        let texts: Vec<&str> = t.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            vec!["a", "{{ b }}", "", "{% c %}", "\nd", "{{ e }", " f"]
        );
        assert_eq!(t[4].line, 2);
    }
}
