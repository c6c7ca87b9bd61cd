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
    let mut bytes = std::mem::take(out).into_bytes();
    escape_bytes(s.as_bytes(), &mut bytes);
    *out = String::from_utf8(bytes).expect("escaping keeps UTF-8 whole");
}

/// [`escape_text`] over bytes: unchanged stretches are copied whole.
fn escape_bytes(s: &[u8], out: &mut Vec<u8>) {
    out.reserve(s.len());
    let mut from = 0;
    for i in memchr::memchr3_iter(b'<', b'>', b'&', s) {
        let rep: &[u8] = match s[i] {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            _ => b"&amp;",
        };
        out.extend_from_slice(&s[from..i]);
        out.extend_from_slice(rep);
        from = i + 1;
    }
    out.extend_from_slice(&s[from..]);
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
    // The rules only ever test ASCII characters, so they run over the UTF-8 bytes: a
    // non-ASCII character's bytes are all "other" to every rule, as the character is, and
    // what a rule consumes is ASCII (a text run may end inside a character; the run after
    // it completes it, and the result is checked to be UTF-8).
    let mut all: Vec<u8> = Vec::new();
    let mut bounds = Vec::with_capacity(pieces.len());
    for p in pieces {
        let (s, k) = match p {
            Piece::Text(s) => (s, Kind::Text),
            Piece::Literal(s) => (s, Kind::Literal),
            Piece::Markup(s) => (s, Kind::Markup),
        };
        let start = all.len();
        all.extend_from_slice(s.as_bytes());
        bounds.push((start, all.len(), k));
    }
    bounds
        .iter()
        .map(|&(a, b, k)| match k {
            Kind::Markup => String::new(),
            Kind::Literal => {
                let mut out = Vec::new();
                escape_bytes(&all[a..b], &mut out);
                String::from_utf8(out).expect("escaping keeps UTF-8 whole")
            }
            Kind::Text => run(&all, a, b, quotes),
        })
        .collect()
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\x0b')
}

/// Ruby's `\w` on a UTF-8 string: ASCII word characters only.
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn is_quote(c: u8) -> bool {
    c == b'"' || c == b'\''
}

/// The bytes a quote rule or a typographic symbol starts with (besides the byte before them).
static STARTS: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'-' as usize] = true;
    t[b'.' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t
};

/// The position of the first byte in [`STARTS`] (most text has none).
fn next_start(s: &[u8]) -> Option<usize> {
    let (masks, tail) = crate::bytescan::chunk_masks(s, b"\"'-.<>");
    let mut done = 0;
    for mask in masks {
        if mask != 0 {
            return Some(done + mask.trailing_zeros() as usize);
        }
        done += 16;
    }
    tail.iter()
        .position(|&c| STARTS[c as usize])
        .map(|k| done + k)
}

/// kramdown's `SQ_PUNCT`: ASCII punctuation less `&`.
fn is_sq_punct(c: u8) -> bool {
    c.is_ascii_punctuation() && c != b'&'
}

fn sq_close(c: u8) -> bool {
    !matches!(
        c,
        b' ' | b'\\' | b'\t' | b'\r' | b'\n' | b'[' | b'{' | b'(' | b'-'
    )
}

enum Tok {
    Text(usize, usize),
    Quote(u8, bool), // quote char, true = left quote
    Fixed(&'static str),
}

/// One text run `chars[a..b]`, scanned like kramdown's span parser: leftmost match of either
/// the smart quote start `[^\\]?["']` or a typographic symbol.
fn run(chars: &[u8], a: usize, b: usize, q: &Quotes) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(b - a + 16);
    let emit = |out: &mut Vec<u8>, t: Tok| match t {
        Tok::Text(x, y) => escape_bytes(&chars[x..y], out),
        Tok::Fixed(s) => out.extend_from_slice(s.as_bytes()),
        Tok::Quote(c, left) => out.extend_from_slice(
            match (c, left) {
                (b'\'', true) => &q.lsquo,
                (b'\'', false) => &q.rsquo,
                (_, true) => &q.ldquo,
                (_, false) => &q.rdquo,
            }
            .as_bytes(),
        ),
    };
    let mut pos = a;
    let mut text_from = a;
    while pos < b {
        // Skip to the next byte a rule can start at: one in `STARTS`, or the byte before one
        // (a quote's or `>>`'s left neighbour is part of some rules).
        let next = next_start(&chars[pos..b]).map_or(b, |k| pos + k);
        if next == b {
            break;
        }
        pos = next.saturating_sub(1).max(pos);
        // Smart quote start at `pos`?
        let c = chars[pos];
        // A backtick left in text is one kramdown's code span parser took and gave back as
        // text before the quote rules could see it, so it is never a quote's left neighbour.
        let smart =
            is_quote(c) || (c != b'\\' && c != b'`' && pos + 1 < b && is_quote(chars[pos + 1]));
        if smart {
            if let Some((consumed, toks)) = smart_rules(chars, pos, b) {
                emit(&mut out, Tok::Text(text_from, pos));
                for t in toks {
                    emit(&mut out, t);
                }
                pos += consumed;
                text_from = pos;
                continue;
            }
        }
        if let Some((len, sym)) = typographic(chars, pos, b) {
            emit(&mut out, Tok::Text(text_from, pos));
            emit(&mut out, Tok::Fixed(sym));
            pos += len;
            text_from = pos;
            continue;
        }
        pos += 1;
    }
    emit(&mut out, Tok::Text(text_from, b));
    String::from_utf8(out).expect("the rules replace ASCII only")
}

fn typographic(chars: &[u8], p: usize, b: usize) -> Option<(usize, &'static str)> {
    // kramdown's symbols, longest first where one is a prefix of another: `---` before `--`,
    // `<< ` before `<<`. Dispatching on the first char keeps this off the profile (it runs at
    // every position of every text run).
    let at = |i: usize| (p + i < b).then(|| chars[p + i]);
    match chars[p] {
        b'-' if at(1) == Some(b'-') => Some(if at(2) == Some(b'-') {
            (3, "\u{2014}")
        } else {
            (2, "\u{2013}")
        }),
        b'.' if at(1) == Some(b'.') && at(2) == Some(b'.') => Some((3, "\u{2026}")),
        b'<' if at(1) == Some(b'<') => Some(if at(2) == Some(b' ') {
            (3, "\u{ab}\u{a0}")
        } else {
            (2, "\u{ab}")
        }),
        b' ' if at(1) == Some(b'>') && at(2) == Some(b'>') => Some((3, "\u{a0}\u{bb}")),
        b'>' if at(1) == Some(b'>') => Some((2, "\u{bb}")),
        _ => None,
    }
}

/// Tries kramdown's `SQ_RULES` in order at `p`; returns the number of chars consumed and the
/// tokens. Consumption never leaves the text run; look-ahead may.
fn smart_rules(chars: &[u8], p: usize, b: usize) -> Option<(usize, Vec<Tok>)> {
    let at = |i: usize| chars.get(i).copied();
    let c0 = chars[p];
    let text1 = |n: usize| Tok::Text(p, p + n);
    // 1. ("|')(?=[_*]{1,2}\S)
    if is_quote(c0) {
        if at(p + 1).is_some_and(|c| c == b'_' || c == b'*')
            && at(p + 2).is_some_and(|c| !is_space(c))
        {
            return Some((1, vec![Tok::Quote(c0, true)]));
        }
        // 2. ("|')(?=SQ_PUNCT(?!\.\.)\B)
        if let Some(n) = at(p + 1) {
            if is_sq_punct(n)
                && !(at(p + 2) == Some(b'.') && at(p + 3) == Some(b'.'))
                && is_word(n) == at(p + 2).is_some_and(is_word)
            {
                return Some((1, vec![Tok::Quote(c0, false)]));
            }
        }
    }
    // 3./4. (\s?)"'(?=\w)  and (\s?)'"(?=\w)
    for (x, y, lx) in [(b'"', b'\'', true), (b'\'', b'"', true)] {
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
            && at(s) == Some(b'\'')
            && at(s + 1).is_some_and(|c| c.is_ascii_digit())
            && at(s + 2).is_some_and(|c| c.is_ascii_digit())
            && at(s + 3) == Some(b's')
        {
            return Some((s + 1 - p, vec![text1(s - p), Tok::Quote(b'\'', false)]));
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
            Some(b's') => !at(p + 2).is_some_and(is_word),
            _ => false,
        };
        if ok {
            return Some((1, vec![Tok::Quote(c0, false)]));
        }
    }
    // 9./10. (.?)'  and (.?)"
    for qc in [b'\'', b'"'] {
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

    proptest::proptest! {
        #[test]
        fn next_start_is_the_first_byte_a_rule_starts_at(s in "[a\"'.<>é -]{0,70}") {
            let want = s.bytes().position(|c| STARTS[c as usize]);
            proptest::prop_assert_eq!(next_start(s.as_bytes()), want);
        }

        #[test]
        fn escaping_replaces_exactly_lt_gt_amp(s in "[a<>&é\"]{0,70}") {
            let mut out = Vec::new();
            escape_bytes(s.as_bytes(), &mut out);
            let want = s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }

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
