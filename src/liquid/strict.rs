//! Liquid 4's strict lexer and parser (`Liquid::Lexer`, `Liquid::Parser`).
//!
//! In `error_mode: warn` (Jekyll's) Liquid first tries the strict parser for outputs, `if`
//! conditions and `for` tags, and only falls back to the lax regexes when it fails. The strict
//! parser tolerates whitespace the lax one does not (`{{ foo . bar }}`, `(1 .. 5)`), so both
//! are needed to get the same result. Jekyll's `where_exp` uses it too.
//!
//! Not for: building nodes (it produces the markup strings Liquid hands to
//! `Expression.parse`; see `parser.rs`).

use super::error::{LResult, LiquidError};

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Comparison(String),
    Str(String),
    Num(String),
    Id(String),
    DotDot,
    Special(char),
    End,
}

impl Tok {
    fn kind(&self) -> &'static str {
        match self {
            Tok::Comparison(_) => "comparison",
            Tok::Str(_) => "string",
            Tok::Num(_) => "number",
            Tok::Id(_) => "id",
            Tok::DotDot => "dotdot",
            Tok::Special(_) => "special",
            Tok::End => "end_of_string",
        }
    }
}

/// `Liquid::Lexer#tokenize` (on bytes: every delimiter is ASCII, so slices stay UTF-8).
pub fn tokenize(s: &str) -> LResult<Vec<Tok>> {
    let c = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    let ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    loop {
        while i < c.len() && ws(c[i]) {
            i += 1;
        }
        if i >= c.len() {
            break;
        }
        let ch = c[i];
        let next = c.get(i + 1).copied();
        // COMPARISON_OPERATOR = /==|!=|<>|<=?|>=?|contains(?=\s)/
        if (ch == b'=' && next == Some(b'='))
            || (ch == b'!' && next == Some(b'='))
            || (ch == b'<' && next == Some(b'>'))
        {
            out.push(Tok::Comparison(s[i..i + 2].to_string()));
            i += 2;
            continue;
        }
        if ch == b'<' || ch == b'>' {
            let n = if next == Some(b'=') { 2 } else { 1 };
            out.push(Tok::Comparison(s[i..i + n].to_string()));
            i += n;
            continue;
        }
        if c[i..].starts_with(b"contains") && c.get(i + 8).is_some_and(|x| ws(*x)) {
            out.push(Tok::Comparison("contains".into()));
            i += 8;
            continue;
        }
        if ch == b'\'' || ch == b'"' {
            if let Some(end) = c[i + 1..].iter().position(|x| *x == ch) {
                out.push(Tok::Str(s[i..=i + 1 + end].to_string()));
                i += end + 2;
                continue;
            }
        }
        // NUMBER_LITERAL = /-?\d+(\.\d+)?/
        let digits_at = if ch == b'-' { i + 1 } else { i };
        if c.get(digits_at).is_some_and(|x| x.is_ascii_digit()) {
            let mut j = digits_at;
            while j < c.len() && c[j].is_ascii_digit() {
                j += 1;
            }
            if j + 1 < c.len() && c[j] == b'.' && c[j + 1].is_ascii_digit() {
                j += 1;
                while j < c.len() && c[j].is_ascii_digit() {
                    j += 1;
                }
            }
            out.push(Tok::Num(s[i..j].to_string()));
            i = j;
            continue;
        }
        // IDENTIFIER = /[a-zA-Z_][\w-]*\??/
        if ch.is_ascii_alphabetic() || ch == b'_' {
            let mut j = i + 1;
            while j < c.len() && (c[j].is_ascii_alphanumeric() || c[j] == b'_' || c[j] == b'-') {
                j += 1;
            }
            if j < c.len() && c[j] == b'?' {
                j += 1;
            }
            out.push(Tok::Id(s[i..j].to_string()));
            i = j;
            continue;
        }
        if ch == b'.' && next == Some(b'.') {
            out.push(Tok::DotDot);
            i += 2;
            continue;
        }
        if b"|.:,[]()?-".contains(&ch) {
            out.push(Tok::Special(ch as char));
            i += 1;
            continue;
        }
        let bad = s[i..].chars().next().unwrap_or('?');
        return Err(LiquidError::syntax(format!("Unexpected character {bad}")));
    }
    out.push(Tok::End);
    Ok(out)
}

/// `Liquid::Parser`.
pub struct StrictParser {
    toks: Vec<Tok>,
    p: usize,
}

impl StrictParser {
    pub fn new(markup: &str) -> LResult<Self> {
        Ok(StrictParser {
            toks: tokenize(markup)?,
            p: 0,
        })
    }

    pub fn look(&self, ahead: usize) -> &Tok {
        self.toks.get(self.p + ahead).unwrap_or(&Tok::End)
    }

    fn unexpected(&self, want: &str) -> LiquidError {
        LiquidError::syntax(format!("Expected {want} but found {}", self.look(0).kind()))
    }

    pub fn consume_special(&mut self, c: char) -> LResult<()> {
        if self.look(0) == &Tok::Special(c) {
            self.p += 1;
            Ok(())
        } else {
            Err(self.unexpected(&format!("{c:?}")))
        }
    }

    pub fn consume_special_opt(&mut self, c: char) -> bool {
        if self.look(0) == &Tok::Special(c) {
            self.p += 1;
            true
        } else {
            false
        }
    }

    pub fn consume_id(&mut self) -> LResult<String> {
        match self.look(0).clone() {
            Tok::Id(s) => {
                self.p += 1;
                Ok(s)
            }
            _ => Err(self.unexpected("id")),
        }
    }

    /// `id?(name)`: consumes the identifier when it is `name`.
    pub fn id_is(&mut self, name: &str) -> bool {
        if matches!(self.look(0), Tok::Id(s) if s == name) {
            self.p += 1;
            true
        } else {
            false
        }
    }

    pub fn consume_comparison(&mut self) -> Option<String> {
        match self.look(0).clone() {
            Tok::Comparison(s) => {
                self.p += 1;
                Some(s)
            }
            _ => None,
        }
    }

    pub fn at_end(&self) -> bool {
        self.look(0) == &Tok::End
    }

    pub fn expect_end(&self) -> LResult<()> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.unexpected("end_of_string"))
        }
    }

    /// `Parser#expression`: the markup of one expression.
    pub fn expression(&mut self) -> LResult<String> {
        match self.look(0).clone() {
            Tok::Id(_) => self.variable_signature(),
            Tok::Str(s) | Tok::Num(s) => {
                self.p += 1;
                Ok(s)
            }
            Tok::Special('(') => {
                self.p += 1;
                let first = self.expression()?;
                if self.look(0) != &Tok::DotDot {
                    return Err(self.unexpected("dotdot"));
                }
                self.p += 1;
                let last = self.expression()?;
                self.consume_special(')')?;
                Ok(format!("({first}..{last})"))
            }
            t => Err(LiquidError::syntax(format!(
                "{} is not a valid expression",
                t.kind()
            ))),
        }
    }

    /// `Parser#argument`: `key: expr` or `expr`.
    pub fn argument(&mut self) -> LResult<String> {
        let mut s = String::new();
        if let (Tok::Id(k), Tok::Special(':')) = (self.look(0).clone(), self.look(1).clone()) {
            self.p += 2;
            s.push_str(&k);
            s.push_str(": ");
        }
        s.push_str(&self.expression()?);
        Ok(s)
    }

    fn variable_signature(&mut self) -> LResult<String> {
        let mut s = self.consume_id()?;
        while self.look(0) == &Tok::Special('[') {
            self.p += 1;
            s.push('[');
            s.push_str(&self.expression()?);
            self.consume_special(']')?;
            s.push(']');
        }
        if self.look(0) == &Tok::Special('.') {
            self.p += 1;
            s.push('.');
            s.push_str(&self.variable_signature()?);
        }
        Ok(s)
    }
}
