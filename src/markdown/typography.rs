//! kramdown's typographic span parsers: smart quotes (`SQ_RULES` in
//! `kramdown/parser/kramdown/smart_quotes.rb`) and typographic symbols (`--`, `---`, `...`,
//! `<<`, `>>`), applied to text that a Markdown parser has already split from its markup.
//!
//! kramdown runs these rules while it scans the raw source, so a rule's look-ahead sees the
//! markup that follows (`"*word*"` opens a quote because `*` follows it). The caller therefore
//! passes the whole inline run of a block as [`Piece`]s: text it may rewrite, and context that
//! it must leave alone but that rules may look at.
//!
//! Not for: HTML escaping of anything other than the rewritten text, or block structure.

/// One piece of a block's inline content, in source order.
#[derive(Debug, Clone)]
pub enum Piece {
    /// Plain text: quotes and symbols in it are rewritten.
    Text(String),
    /// Text that kramdown does not rewrite (decoded entities, backslash escapes): emitted
    /// escaped as it is, but visible to look-ahead.
    Literal(String),
    /// Markup around or between texts (`*`, `` ` ``, a link's `](url)`): look-ahead context
    /// only, never emitted, and it ends the current text run.
    Markup(String),
}

/// The four smart quote characters, in kramdown's `smart_quotes` order
/// (`lsquo,rsquo,ldquo,rdquo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotes {
    pub lsquo: String,
    pub rsquo: String,
    pub ldquo: String,
    pub rdquo: String,
}

impl Default for Quotes {
    fn default() -> Self {
        Quotes {
            lsquo: "\u{2018}".into(),
            rsquo: "\u{2019}".into(),
            ldquo: "\u{201c}".into(),
            rdquo: "\u{201d}".into(),
        }
    }
}

/// Escapes text the way kramdown's `escape_html(str, :text)` does.
pub fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// [`escape_text`] over chars already split out (no intermediate `String`).
fn escape_chars(s: &[char], out: &mut String) {
    out.reserve(s.len());
    for &c in s {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Literal,
    Markup,
}

/// Rewrites every `Piece::Text` and escapes it; returns one HTML string per input piece
/// (empty for markup).
pub fn apply(pieces: &[Piece], quotes: &Quotes) -> Vec<String> {
    let mut chars: Vec<char> = Vec::new();
    let mut bounds = Vec::with_capacity(pieces.len());
    for p in pieces {
        let (s, k) = match p {
            Piece::Text(s) => (s, Kind::Text),
            Piece::Literal(s) => (s, Kind::Literal),
            Piece::Markup(s) => (s, Kind::Markup),
        };
        let start = chars.len();
        chars.extend(s.chars());
        bounds.push((start, chars.len(), k));
    }
    bounds
        .iter()
        .map(|&(a, b, k)| match k {
            Kind::Markup => String::new(),
            Kind::Literal => {
                let mut out = String::new();
                escape_chars(&chars[a..b], &mut out);
                out
            }
            Kind::Text => run(&chars, a, b, quotes),
        })
        .collect()
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}' | '\u{b}')
}

/// Ruby's `\w` on a UTF-8 string: ASCII word characters only.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_quote(c: char) -> bool {
    c == '"' || c == '\''
}

const SQ_PUNCT: &str = "!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~";

fn sq_close(c: char) -> bool {
    !matches!(c, ' ' | '\\' | '\t' | '\r' | '\n' | '[' | '{' | '(' | '-')
}

enum Tok {
    Text(usize, usize),
    Quote(char, bool), // quote char, true = left quote
    Fixed(&'static str),
}

/// One text run `chars[a..b]`, scanned like kramdown's span parser: leftmost match of either
/// the smart quote start `[^\\]?["']` or a typographic symbol.
fn run(chars: &[char], a: usize, b: usize, q: &Quotes) -> String {
    let mut toks: Vec<Tok> = Vec::new();
    let mut pos = a;
    let mut text_from = a;
    while pos < b {
        // Smart quote start at `pos`?
        let c = chars[pos];
        let smart = is_quote(c) || (c != '\\' && pos + 1 < b && is_quote(chars[pos + 1]));
        if smart {
            if let Some((consumed, mut out)) = smart_rules(chars, pos, b) {
                toks.push(Tok::Text(text_from, pos));
                toks.append(&mut out);
                pos += consumed;
                text_from = pos;
                continue;
            }
        }
        if let Some((len, sym)) = typographic(chars, pos, b) {
            toks.push(Tok::Text(text_from, pos));
            toks.push(Tok::Fixed(sym));
            pos += len;
            text_from = pos;
            continue;
        }
        pos += 1;
    }
    toks.push(Tok::Text(text_from, b));
    let mut out = String::new();
    for t in toks {
        match t {
            Tok::Text(x, y) => escape_chars(&chars[x..y], &mut out),
            Tok::Fixed(s) => out.push_str(s),
            Tok::Quote(c, left) => out.push_str(match (c, left) {
                ('\'', true) => &q.lsquo,
                ('\'', false) => &q.rsquo,
                (_, true) => &q.ldquo,
                (_, false) => &q.rdquo,
            }),
        }
    }
    out
}

fn typographic(chars: &[char], p: usize, b: usize) -> Option<(usize, &'static str)> {
    // kramdown's symbols, longest first where one is a prefix of another: `---` before `--`,
    // `<< ` before `<<`. Dispatching on the first char keeps this off the profile (it runs at
    // every position of every text run).
    let at = |i: usize| (p + i < b).then(|| chars[p + i]);
    match chars[p] {
        '-' if at(1) == Some('-') => Some(if at(2) == Some('-') {
            (3, "\u{2014}")
        } else {
            (2, "\u{2013}")
        }),
        '.' if at(1) == Some('.') && at(2) == Some('.') => Some((3, "\u{2026}")),
        '<' if at(1) == Some('<') => Some(if at(2) == Some(' ') {
            (3, "\u{ab}\u{a0}")
        } else {
            (2, "\u{ab}")
        }),
        ' ' if at(1) == Some('>') && at(2) == Some('>') => Some((3, "\u{a0}\u{bb}")),
        '>' if at(1) == Some('>') => Some((2, "\u{bb}")),
        _ => None,
    }
}

/// Tries kramdown's `SQ_RULES` in order at `p`; returns the number of chars consumed and the
/// tokens. Consumption never leaves the text run; look-ahead may.
fn smart_rules(chars: &[char], p: usize, b: usize) -> Option<(usize, Vec<Tok>)> {
    let at = |i: usize| chars.get(i).copied();
    let c0 = chars[p];
    let text1 = |n: usize| Tok::Text(p, p + n);
    // 1. ("|')(?=[_*]{1,2}\S)
    if is_quote(c0) {
        if at(p + 1).is_some_and(|c| c == '_' || c == '*')
            && at(p + 2).is_some_and(|c| !is_space(c))
        {
            return Some((1, vec![Tok::Quote(c0, true)]));
        }
        // 2. ("|')(?=SQ_PUNCT(?!\.\.)\B)
        if let Some(n) = at(p + 1) {
            if SQ_PUNCT.contains(n)
                && !(at(p + 2) == Some('.') && at(p + 3) == Some('.'))
                && is_word(n) == at(p + 2).is_some_and(is_word)
            {
                return Some((1, vec![Tok::Quote(c0, false)]));
            }
        }
    }
    // 3./4. (\s?)"'(?=\w)  and (\s?)'"(?=\w)
    for (x, y, lx) in [('"', '\'', true), ('\'', '"', true)] {
        for ws in [true, false] {
            let s = if ws {
                if !is_space(c0) {
                    continue;
                }
                p + 1
            } else {
                p
            };
            if s + 2 <= b
                && at(s) == Some(x)
                && at(s + 1) == Some(y)
                && at(s + 2).is_some_and(is_word)
            {
                let mut v = vec![text1(s - p)];
                v.push(Tok::Quote(x, lx));
                v.push(Tok::Quote(y, true));
                return Some((s + 2 - p, v));
            }
        }
    }
    // 5. (\s?)'(?=\d\ds)
    for ws in [true, false] {
        let s = if ws {
            if !is_space(c0) {
                continue;
            }
            p + 1
        } else {
            p
        };
        if s < b
            && at(s) == Some('\'')
            && at(s + 1).is_some_and(|c| c.is_ascii_digit())
            && at(s + 2).is_some_and(|c| c.is_ascii_digit())
            && at(s + 3) == Some('s')
        {
            return Some((s + 1 - p, vec![text1(s - p), Tok::Quote('\'', false)]));
        }
    }
    // 6. (\s)('|")(?=\w)
    if is_space(c0) && p + 1 < b {
        if let Some(qc) = at(p + 1).filter(|&c| is_quote(c)) {
            if at(p + 2).is_some_and(is_word) {
                return Some((2, vec![text1(1), Tok::Quote(qc, true)]));
            }
        }
    }
    // 7. (SQ_CLOSE)('|")
    if sq_close(c0) && p + 1 < b {
        if let Some(qc) = at(p + 1).filter(|&c| is_quote(c)) {
            return Some((2, vec![text1(1), Tok::Quote(qc, false)]));
        }
    }
    // 8. ("|')(?=\s|s\b|$)
    if is_quote(c0) {
        let n = at(p + 1);
        let ok = match n {
            None => true,
            Some(c) if is_space(c) => true,
            Some('s') => !at(p + 2).is_some_and(is_word),
            _ => false,
        };
        if ok {
            return Some((1, vec![Tok::Quote(c0, false)]));
        }
    }
    // 9./10. (.?)'  and (.?)"
    for qc in ['\'', '"'] {
        if p + 1 < b && at(p + 1) == Some(qc) {
            return Some((2, vec![text1(1), Tok::Quote(qc, true)]));
        }
        if c0 == qc {
            return Some((1, vec![Tok::Quote(qc, true)]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(s: &str) -> String {
        apply(&[Piece::Text(s.into())], &Quotes::default()).remove(0)
    }

    #[test]
    fn quotes_and_symbols() {
        assert_eq!(
            conv("\"Hello\" it's -- done --- ... 'single' <<guillemets>>"),
            "\u{201c}Hello\u{201d} it\u{2019}s \u{2013} done \u{2014} \u{2026} \u{2018}single\u{2019} \u{ab}guillemets\u{bb}"
        );
    }
}
