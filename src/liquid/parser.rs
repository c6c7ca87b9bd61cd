//! Turns tokens into a tree of nodes, the way Liquid 4's lax (`error_mode: warn`) parser does:
//! block bodies, `{{ output }}` variables with their filters, expressions (literals, lookups,
//! ranges) and `if`-style conditions. Tags parse themselves through the registry in `tags/`.
//!
//! Every node keeps its line (Liquid's count: the newlines up to the end of its token) so
//! errors read `Liquid syntax error (line N): …`.
//!
//! Not for: evaluating anything (see `render.rs`).

use std::sync::Arc;

use super::context::Context;
use super::error::{LResult, LiquidError};
use super::filters::{self, FilterDef};
use super::lexer::{rb_lstrip, rb_rstrip, tokenize, Re, Token, TokenKind, QF, WS};
use super::strict::StrictParser;
use super::tags;
use super::value::Value;

/// A parsed template. Parse once, render many times.
pub struct Template {
    pub(crate) body: Body,
    pub(crate) name: String,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Template({})", self.name)
    }
}

impl Template {
    /// Parses `source`; `file` names the template in error messages.
    pub fn parse(source: &str, file: &str) -> Result<Template, LiquidError> {
        let tokens = tokenize(source);
        let mut p = Parser {
            tokens,
            pos: 0,
            trim: false,
            depth: 0,
        };
        let (body, end) = p.parse_body().map_err(|e| e.with_file(file))?;
        if let Some(end) = end {
            let msg = match end.name.as_str() {
                "else" | "end" => format!("Unexpected outer '{}' tag", end.name),
                _ => format!("Unknown tag '{}'", end.name),
            };
            return Err(LiquidError::syntax(msg).with_line(end.line).with_file(file));
        }
        Ok(Template {
            body,
            name: file.to_string(),
        })
    }

    /// Renders with `ctx`; the first error aborts (Liquid's `render!`).
    pub fn render(&self, ctx: &mut Context) -> Result<String, LiquidError> {
        let mut out = String::new();
        self.render_to(ctx, &mut out)?;
        Ok(out)
    }

    /// Renders, appending to `out`.
    pub fn render_to(&self, ctx: &mut Context, out: &mut String) -> Result<(), LiquidError> {
        self.body
            .render(ctx, out)
            .map_err(|e| e.with_file(&self.name))
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A tag node: something that renders itself.
pub trait TagNode: Send + Sync {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()>;
    /// Liquid's `blank?`: a blank block's output is dropped (`{% if x %}  {% endif %}` is "").
    fn blank(&self) -> bool {
        false
    }
    /// Whether this is a block (blocks' output is dropped when blank).
    fn is_block(&self) -> bool {
        false
    }
}

pub enum Node {
    Text(Box<str>),
    Output(Variable),
    Tag {
        tag: Box<dyn TagNode>,
        line: usize,
        /// `tag.is_block() && tag.blank()`, fixed at parse time: the output is dropped.
        blank_block: bool,
    },
}

/// A sequence of nodes (Liquid's `BlockBody`).
pub struct Body {
    pub nodes: Vec<Node>,
    pub blank: bool,
}

impl Body {
    pub fn empty() -> Self {
        Body {
            nodes: Vec::new(),
            blank: true,
        }
    }
}

/// An unknown tag that ended a body: an `end…`/`else`/`when` the enclosing block handles.
#[derive(Debug, Clone)]
pub struct EndTag {
    pub name: String,
    pub markup: String,
    pub line: usize,
}

/// Deepest block nesting we parse (Ruby would overflow its stack long before it matters).
const MAX_NESTING: usize = 100;

pub struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    trim: bool,
    depth: usize,
}

fn is_rb_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

/// Liquid's `FullToken` (`/\A{%-?\s*(\w+)\s*(.*?)-?%}\z/m`), by hand: `(name, markup)`.
fn full_token(t: &str) -> Option<(&str, &str)> {
    let b = t.as_bytes();
    if b.len() < 4 || !t.starts_with("{%") || !t.ends_with("%}") {
        return None;
    }
    let inner = &t[2..t.len() - 2];
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let ib = inner.as_bytes();
    let mut i = 0;
    while i < ib.len() && is_rb_space(ib[i]) {
        i += 1;
    }
    let start = i;
    while i < ib.len() && (ib[i].is_ascii_alphanumeric() || ib[i] == b'_') {
        i += 1;
    }
    if i == start {
        return None;
    }
    let name = &inner[start..i];
    while i < ib.len() && is_rb_space(ib[i]) {
        i += 1;
    }
    let rest = &inner[i..];
    Some((name, rest.strip_suffix('-').unwrap_or(rest)))
}

/// Liquid's `ContentOfVariable` (`/\A{{-?(.*?)-?}}\z/m`), by hand.
fn content_of_variable(t: &str) -> Option<&str> {
    if t.len() < 4 || !t.starts_with("{{") || !t.ends_with("}}") {
        return None;
    }
    let inner = &t[2..t.len() - 2];
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    Some(inner.strip_suffix('-').unwrap_or(inner))
}

impl<'a> Parser<'a> {
    /// The line of the last token taken.
    pub fn line(&self) -> usize {
        if self.pos == 0 {
            1
        } else {
            self.tokens[self.pos - 1].line
        }
    }

    /// Takes the next raw token (for `raw`, which reads tokens without parsing them).
    pub fn next_token(&mut self) -> Option<Token<'a>> {
        let t = self.tokens.get(self.pos).copied();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    /// Parses nodes until the end of input (returns `None`) or an unregistered tag (returned
    /// for the caller to handle, like Liquid's `yield tag_name, markup`).
    pub fn parse_body(&mut self) -> LResult<(Body, Option<EndTag>)> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(LiquidError::syntax("Nesting too deep").with_line(self.line()));
        }
        let r = self.parse_body_inner();
        self.depth -= 1;
        r
    }

    fn parse_body_inner(&mut self) -> LResult<(Body, Option<EndTag>)> {
        let mut body = Body::empty();
        while let Some(tok) = self.next_token() {
            match tok.kind {
                TokenKind::Tag => {
                    self.whitespace_handler(tok.text, &mut body);
                    let Some((name, markup)) = full_token(tok.text) else {
                        return Err(LiquidError::syntax(format!(
                            "Tag '{}' was not properly terminated with regexp: /\\%\\}}/",
                            tok.text
                        ))
                        .with_line(tok.line));
                    };
                    let (name, markup) = (name.to_string(), markup.to_string());
                    match tags::lookup(&name) {
                        Some(parse) => {
                            let tag =
                                parse(self, &name, &markup).map_err(|e| e.with_line(tok.line))?;
                            body.blank &= tag.blank();
                            let blank_block = tag.is_block() && tag.blank();
                            body.nodes.push(Node::Tag {
                                tag,
                                line: tok.line,
                                blank_block,
                            });
                        }
                        None => {
                            return Ok((
                                body,
                                Some(EndTag {
                                    name,
                                    markup,
                                    line: tok.line,
                                }),
                            ))
                        }
                    }
                }
                TokenKind::Output => {
                    self.whitespace_handler(tok.text, &mut body);
                    let Some(markup) = content_of_variable(tok.text) else {
                        return Err(LiquidError::syntax(format!(
                            "Variable '{}' was not properly terminated with regexp: /\\}}\\}}/",
                            tok.text
                        ))
                        .with_line(tok.line));
                    };
                    let var = Variable::parse(markup, tok.line)?;
                    body.nodes.push(Node::Output(var));
                    body.blank = false;
                }
                TokenKind::Text => {
                    let mut text = tok.text;
                    if self.trim {
                        text = rb_lstrip(text);
                    }
                    self.trim = false;
                    body.blank &= text
                        .bytes()
                        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c));
                    body.nodes.push(Node::Text(text.into()));
                }
            }
        }
        Ok((body, None))
    }

    fn whitespace_handler(&mut self, token: &str, body: &mut Body) {
        let b = token.as_bytes();
        if b.len() > 2 && b[2] == b'-' {
            if let Some(Node::Text(t)) = body.nodes.last_mut() {
                let s = rb_rstrip(t);
                if s.len() != t.len() {
                    *t = s.into();
                }
            }
        }
        self.trim = b.len() >= 3 && b[b.len() - 3] == b'-';
    }
}

/// A Liquid expression: a literal, a variable lookup, or a range.
#[derive(Debug, Clone)]
pub enum Expr {
    Lit(Value),
    Lookup(Box<Lookup>),
    Range(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone)]
pub struct Lookup {
    pub name: LookupKey,
    pub parts: Vec<(LookupKey, bool)>,
}

#[derive(Debug, Clone)]
pub enum LookupKey {
    Name(Arc<str>),
    Expr(Expr),
}

static RANGE: Re =
    Re::new(|| r"\A\(([^ \t\r\n\x0c\x0b]+)\.\.([^ \t\r\n\x0c\x0b]+)\)\z".to_string());
static VARIABLE_PARSER: Re = Re::new(|| r"\[[^\]]+\]|[\w\-]+\??".to_string());
static SQUARE_BRACKETED: Re = Re::new(|| r"(?s)\A\[(.*)\]\z".to_string());

impl Expr {
    /// Liquid 4's `Expression.parse`.
    pub fn parse(markup: &str) -> Expr {
        match markup {
            "" | "nil" | "null" => return Expr::Lit(Value::Nil),
            "true" => return Expr::Lit(Value::Bool(true)),
            "false" => return Expr::Lit(Value::Bool(false)),
            "blank" => return Expr::Lit(Value::Blank),
            "empty" => return Expr::Lit(Value::Empty),
            _ => {}
        }
        let b = markup.as_bytes();
        if b.len() >= 2
            && ((b[0] == b'\'' && b[b.len() - 1] == b'\'')
                || (b[0] == b'"' && b[b.len() - 1] == b'"'))
        {
            return Expr::Lit(Value::from(&markup[1..markup.len() - 1]));
        }
        if let Some(l) = Lookup::parse_simple(markup) {
            return Expr::Lookup(Box::new(l));
        }
        if is_integer_literal(markup) {
            return Expr::Lit(match markup.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::Float(markup.parse::<f64>().unwrap_or(0.0)),
            });
        }
        if let Some(c) = RANGE.captures(markup) {
            let a = Expr::parse(c[1].as_deref().unwrap_or(""));
            let z = Expr::parse(c[2].as_deref().unwrap_or(""));
            if let (Expr::Lit(a), Expr::Lit(z)) = (&a, &z) {
                return Expr::Lit(Value::Range(literal_to_i(a), literal_to_i(z)));
            }
            return Expr::Range(Box::new(a), Box::new(z));
        }
        if is_float_literal(markup) {
            return Expr::Lit(Value::Float(ruby_str_to_f(markup)));
        }
        Expr::Lookup(Box::new(Lookup::parse(markup)))
    }
}

/// `/\A-?\d+\z/`
fn is_integer_literal(m: &str) -> bool {
    let d = m.strip_prefix('-').unwrap_or(m);
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
}

/// `/\A-?\d[\d\.]+\z/`
fn is_float_literal(m: &str) -> bool {
    let d = m.strip_prefix('-').unwrap_or(m).as_bytes();
    d.len() >= 2 && d[0].is_ascii_digit() && d[1..].iter().all(|b| b.is_ascii_digit() || *b == b'.')
}

fn literal_to_i(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Str(s) => ruby_str_to_i(s),
        _ => 0,
    }
}

/// Ruby's `String#to_i`.
pub fn ruby_str_to_i(s: &str) -> i64 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut n: i64 = 0;
    let mut prev_digit = false;
    for c in rest.chars() {
        if let Some(d) = c.to_digit(10) {
            n = n.saturating_mul(10).saturating_add(d as i64);
            prev_digit = true;
        } else if c == '_' && prev_digit {
            prev_digit = false;
        } else {
            break;
        }
    }
    if neg {
        -n
    } else {
        n
    }
}

/// Ruby's `String#to_f`.
pub fn ruby_str_to_f(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let ds = i;
    while i < b.len()
        && (b[i].is_ascii_digit() || (b[i] == b'_' && i > ds && b[i - 1].is_ascii_digit()))
    {
        i += 1;
    }
    if i == ds {
        return 0.0;
    }
    let mut end = i;
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || (b[i] == b'_' && b[i - 1].is_ascii_digit()))
        {
            i += 1;
        }
        end = i;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'-' || b[j] == b'+') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            end = j;
        }
    }
    t[..end].replace('_', "").parse().unwrap_or(0.0)
}

impl Lookup {
    /// The common case `a.b.c` (identifier segments, no brackets) without regexes.
    fn parse_simple(markup: &str) -> Option<Lookup> {
        let b = markup.as_bytes();
        if b.is_empty() || !(b[0].is_ascii_alphabetic() || b[0] == b'_') {
            return None;
        }
        let mut segs = markup.split('.');
        let first = segs.next()?;
        let ok = |s: &str| {
            let body = s.strip_suffix('?').unwrap_or(s);
            !body.is_empty()
                && body
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        };
        if !ok(first) {
            return None;
        }
        let mut parts = Vec::new();
        for seg in segs {
            if !ok(seg) {
                return None;
            }
            parts.push((
                LookupKey::Name(seg.into()),
                matches!(seg, "size" | "first" | "last"),
            ));
        }
        Some(Lookup {
            name: LookupKey::Name(first.into()),
            parts,
        })
    }

    /// Liquid 4's `VariableLookup.parse`.
    pub fn parse(markup: &str) -> Lookup {
        let mut lookups: Vec<String> = VARIABLE_PARSER
            .get()
            .find_iter(markup)
            .filter_map(|m| m.ok())
            .map(|m| m.as_str().to_string())
            .collect();
        let name = if lookups.is_empty() {
            String::new()
        } else {
            lookups.remove(0)
        };
        let name = match SQUARE_BRACKETED.captures(&name) {
            Some(c) => LookupKey::Expr(Expr::parse(c[1].as_deref().unwrap_or(""))),
            None => LookupKey::Name(name.into()),
        };
        let parts = lookups
            .into_iter()
            .map(|l| match SQUARE_BRACKETED.captures(&l) {
                Some(c) => (
                    LookupKey::Expr(Expr::parse(c[1].as_deref().unwrap_or(""))),
                    false,
                ),
                None => {
                    let cmd = matches!(l.as_str(), "size" | "first" | "last");
                    (LookupKey::Name(l.into()), cmd)
                }
            })
            .collect();
        Lookup { name, parts }
    }
}

/// A filter call inside an output or `assign`.
#[derive(Clone)]
pub struct FilterCall {
    pub name: String,
    pub def: Option<&'static FilterDef>,
    pub args: Vec<Expr>,
    pub kwargs: Vec<(String, Expr)>,
}

impl FilterCall {
    /// Liquid's `parse_filter_expressions`: `key: value` arguments become keyword arguments.
    fn new(name: String, args: &[String]) -> FilterCall {
        let mut call = FilterCall {
            def: filters::lookup(&name),
            name,
            args: Vec::new(),
            kwargs: Vec::new(),
        };
        for a in args {
            match JUST_TAG_ATTRIBUTES.captures(a) {
                Some(kv) => call.kwargs.push((
                    kv[1].clone().unwrap_or_default(),
                    Expr::parse(kv[2].as_deref().unwrap_or("")),
                )),
                None => call.args.push(Expr::parse(a)),
            }
        }
        call
    }
}

/// `{{ name | filter: args }}` (also the right-hand side of `assign`).
#[derive(Clone)]
pub struct Variable {
    pub name: Option<Expr>,
    pub filters: Vec<FilterCall>,
    pub line: usize,
}

static MARKUP_WITH_QF: Re = Re::new(|| format!(r"(?s)({QF})(.*)"));
static FILTER_MARKUP: Re = Re::new(|| format!(r"(?s)\|{WS}*(.*)"));
static FILTER_PARSER: Re = Re::new(|| format!(r"(?:{WS}+|{QF}|,)+"));
static WORD: Re = Re::new(|| r"[A-Za-z0-9_]+".to_string());
static FILTER_ARGS: Re = Re::new(|| format!(r"(?::|,){WS}*((?:[A-Za-z0-9_]+{WS}*:{WS}*)?{QF})"));
static JUST_TAG_ATTRIBUTES: Re = Re::new(|| format!(r"\A([A-Za-z0-9_]+){WS}*:{WS}*({QF})\z"));

impl Variable {
    /// Liquid 4 in `warn` mode: the strict parser first, the lax one when it fails.
    pub fn parse(markup: &str, line: usize) -> LResult<Variable> {
        match Self::strict_parse(markup, line) {
            Ok(v) => Ok(v),
            Err(_) => Self::lax_parse(markup, line),
        }
    }

    /// Liquid 4's `Variable#strict_parse`.
    fn strict_parse(markup: &str, line: usize) -> LResult<Variable> {
        let mut p = StrictParser::new(markup)?;
        let mut var = Variable {
            name: None,
            filters: Vec::new(),
            line,
        };
        if p.at_end() {
            return Ok(var);
        }
        var.name = Some(Expr::parse(&p.expression()?));
        while p.consume_special_opt('|') {
            let name = p.consume_id()?;
            let mut args = Vec::new();
            if p.consume_special_opt(':') {
                args.push(p.argument()?);
                while p.consume_special_opt(',') {
                    args.push(p.argument()?);
                }
            }
            var.filters.push(FilterCall::new(name, &args));
        }
        p.expect_end()?;
        Ok(var)
    }

    /// Liquid 4's `Variable#lax_parse`.
    fn lax_parse(markup: &str, line: usize) -> LResult<Variable> {
        let mut var = Variable {
            name: None,
            filters: Vec::new(),
            line,
        };
        let Some(c) = MARKUP_WITH_QF.captures(markup) else {
            return Ok(var);
        };
        var.name = Some(Expr::parse(c[1].as_deref().unwrap_or("")));
        let rest = c[2].clone().unwrap_or_default();
        if let Some(fm) = FILTER_MARKUP.captures(&rest) {
            let fm = fm[1].clone().unwrap_or_default();
            for f in FILTER_PARSER.scan(&fm) {
                let f = f[0].clone().unwrap_or_default();
                let Some(name) = WORD
                    .get()
                    .find(&f)
                    .ok()
                    .flatten()
                    .map(|m| m.as_str().to_string())
                else {
                    continue;
                };
                let args: Vec<String> = FILTER_ARGS
                    .scan(&f)
                    .into_iter()
                    .map(|a| a[1].clone().unwrap_or_default())
                    .collect();
                var.filters.push(FilterCall::new(name, &args));
            }
        }
        Ok(var)
    }
}

/// One comparison of an `if`/`unless`/`elsif` condition, with its `and`/`or` chain.
#[derive(Debug, Clone)]
pub struct Condition {
    pub left: Expr,
    pub op: Option<String>,
    pub right: Expr,
    /// `(is_and, rest)`: Liquid chains right to left, so `a and b or c` is `a and (b or c)`.
    pub child: Option<(bool, Box<Condition>)>,
}

static EXPRESSIONS_AND_OPERATORS: Re = Re::new(|| {
    format!(
        r"(?:\b(?:{WS}?and{WS}?|{WS}?or{WS}?)\b|(?:{WS}*(?!\b(?:{WS}?and{WS}?|{WS}?or{WS}?)\b)(?:{QF}|[^ \t\r\n\x0c\x0b]+){WS}*)+)"
    )
});
static CONDITION_SYNTAX: Re = Re::new(|| format!(r"({QF}){WS}*([=!<>a-z_]+)?{WS}*({QF})?"));

impl Condition {
    /// One comparison (`a == b`, or a lone `a`), from Liquid's `If::Syntax`.
    pub fn parse_one(markup: &str) -> Option<Condition> {
        let c = CONDITION_SYNTAX.captures(markup)?;
        Some(Condition {
            left: Expr::parse(c[1].as_deref().unwrap_or("")),
            op: c[2].clone(),
            right: c[3]
                .as_deref()
                .map(Expr::parse)
                .unwrap_or(Expr::Lit(Value::Nil)),
            child: None,
        })
    }

    /// Liquid 4 in `warn` mode: `If#strict_parse`, then `If#lax_parse` when it fails.
    pub fn parse(markup: &str, err: &str) -> LResult<Condition> {
        match Self::strict_parse(markup) {
            Ok(c) => Ok(c),
            Err(_) => Self::lax_parse(markup, err),
        }
    }

    fn strict_comparison(p: &mut StrictParser) -> LResult<Condition> {
        let left = Expr::parse(&p.expression()?);
        match p.consume_comparison() {
            Some(op) => {
                let right = Expr::parse(&p.expression()?);
                Ok(Condition {
                    left,
                    op: Some(op),
                    right,
                    child: None,
                })
            }
            None => Ok(Condition {
                left,
                op: None,
                right: Expr::Lit(Value::Nil),
                child: None,
            }),
        }
    }

    /// `If#strict_parse`: `a and b or c` chains as `a and (b or c)`, like the lax parser.
    pub fn strict_parse(markup: &str) -> LResult<Condition> {
        let mut p = StrictParser::new(markup)?;
        let mut conds = vec![Self::strict_comparison(&mut p)?];
        let mut ops = Vec::new();
        loop {
            if p.id_is("and") {
                ops.push(true);
            } else if p.id_is("or") {
                ops.push(false);
            } else {
                break;
            }
            conds.push(Self::strict_comparison(&mut p)?);
        }
        p.expect_end()?;
        let mut cond = conds.pop().expect("one condition");
        while let Some(mut prev) = conds.pop() {
            let is_and = ops.pop().unwrap_or(true);
            prev.child = Some((is_and, Box::new(cond)));
            cond = prev;
        }
        Ok(cond)
    }

    /// Liquid 4's `If#lax_parse`: comparisons joined by `and`/`or`.
    fn lax_parse(markup: &str, err: &str) -> LResult<Condition> {
        let mut exprs: Vec<String> = EXPRESSIONS_AND_OPERATORS
            .scan(markup)
            .into_iter()
            .map(|m| m[0].clone().unwrap_or_default())
            .collect();
        let syntax = || LiquidError::syntax(err.to_string());
        let last = exprs.pop().unwrap_or_default();
        let mut cond = Condition::parse_one(&last).ok_or_else(syntax)?;
        while let Some(op) = exprs.pop() {
            let op = op.trim().to_string();
            let e = exprs.pop().unwrap_or_default();
            let mut new = Condition::parse_one(&e).ok_or_else(syntax)?;
            let is_and = match op.as_str() {
                "and" => true,
                "or" => false,
                _ => return Err(syntax()),
            };
            new.child = Some((is_and, Box::new(cond)));
            cond = new;
        }
        Ok(cond)
    }
}
