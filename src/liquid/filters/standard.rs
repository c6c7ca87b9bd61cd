//! Liquid 4.0.4's standard filters (strings, arrays, HTML/URL escaping, `default`).
//!
//! Each keeps Ruby's behaviour for odd input: `to_s` of anything for string filters, Ruby's
//! `String#split` rules, `InputIterator`'s flattening for array filters, `Integer()` parsing
//! for counts (`"010"` is 8, `"1.5"` is an error).

use std::sync::Arc;

use super::{def, FilterDef};
use crate::liquid::context::Context;
use crate::liquid::error::{LResult, LiquidError};
use crate::liquid::value::Value;

pub const FILTERS: &[FilterDef] = &[
    def("size", size, 0, 0),
    def("downcase", downcase, 0, 0),
    def("upcase", upcase, 0, 0),
    def("capitalize", capitalize, 0, 0),
    def("escape", escape, 0, 0),
    def("h", escape, 0, 0),
    def("escape_once", escape_once, 0, 0),
    def("url_encode", url_encode, 0, 0),
    def("url_decode", url_decode, 0, 0),
    def("slice", slice, 1, 2),
    def("truncate", truncate, 0, 2),
    def("truncatewords", truncatewords, 0, 2),
    def("split", split, 1, 1),
    def("strip", strip, 0, 0),
    def("lstrip", lstrip, 0, 0),
    def("rstrip", rstrip, 0, 0),
    def("strip_html", strip_html, 0, 0),
    def("strip_newlines", strip_newlines, 0, 0),
    def("join", join, 0, 1),
    def("sort_natural", sort_natural, 0, 1),
    def("uniq", uniq, 0, 1),
    def("reverse", reverse, 0, 0),
    def("map", map, 1, 1),
    def("compact", compact, 0, 1),
    def("replace", replace, 1, 2),
    def("replace_first", replace_first, 1, 2),
    def("remove", remove, 1, 1),
    def("remove_first", remove_first, 1, 1),
    def("append", append, 1, 1),
    def("prepend", prepend, 1, 1),
    def("concat", concat, 1, 1),
    def("newline_to_br", newline_to_br, 0, 0),
    def("first", first, 0, 0),
    def("last", last, 0, 0),
    def("default", default, 0, 1),
];

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

fn s(v: Value) -> Value {
    v
}

/// Ruby's `Integer(x.to_s)` as `Utils.to_integer` uses it.
pub fn to_integer(v: &Value) -> LResult<i64> {
    if let Value::Int(i) = v {
        return Ok(*i);
    }
    let text = v.ruby_to_s();
    parse_ruby_integer(&text).ok_or_else(|| LiquidError::argument("invalid integer"))
}

fn parse_ruby_integer(text: &str) -> Option<i64> {
    let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let (neg, t) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.to_ascii_lowercase();
    let (radix, digits) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r.to_string())
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r.to_string())
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].trim_start_matches('_').to_string())
    } else {
        (10, lower.clone())
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let n = i64::from_str_radix(&clean, radix).ok()?;
    Some(if neg { -n } else { n })
}

fn size(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(match &input {
        Value::Str(_) | Value::Array(_) | Value::Hash(_) | Value::Range(..) | Value::Int(_) => {
            input.command("size").unwrap_or(Value::Int(0))
        }
        Value::Object(o) => Value::Int(o.keys().len() as i64),
        _ => Value::Int(0),
    })
}

fn downcase(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(s(input.ruby_to_s().to_lowercase().into()))
}

fn upcase(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(s(input.ruby_to_s().to_uppercase().into()))
}

fn capitalize(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    let t = input.ruby_to_s();
    let mut c = t.chars();
    let out = match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
        None => String::new(),
    };
    Ok(Value::from(out))
}

/// `CGI.escapeHTML`.
pub fn escape_html(t: &str) -> String {
    let mut o = String::with_capacity(t.len() + 16);
    escape_html_into(t, &mut o);
    o
}

/// [`escape_html`], appending to `o`.
pub(crate) fn escape_html_into(t: &str, o: &mut String) {
    // Copy runs between special bytes whole (all five are ASCII, so runs end on char
    // boundaries).
    let mut run = 0;
    for (i, b) in t.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        o.push_str(&t[run..i]);
        o.push_str(rep);
        run = i + 1;
    }
    o.push_str(&t[run..]);
}

fn escape(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    if let Value::Str(t) = &input {
        // Nothing to escape: the same string, no copy.
        if !t
            .bytes()
            .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
        {
            return Ok(input);
        }
        return Ok(Value::from(escape_html(t)));
    }
    Ok(Value::from(escape_html(&input.ruby_to_s())))
}

fn escape_once(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    let t = input.ruby_to_s();
    let b = t.as_bytes();
    let mut o = String::with_capacity(t.len());
    let mut i = 0;
    while i < t.len() {
        let c = b[i];
        match c {
            b'"' => o.push_str("&quot;"),
            b'\'' => o.push_str("&#39;"),
            b'<' => o.push_str("&lt;"),
            b'>' => o.push_str("&gt;"),
            b'&' => {
                // `&(?!([a-zA-Z]+|(#\d+));)`
                let rest = &b[i + 1..];
                let mut j = 0;
                let named = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
                let entity = if named > 0 {
                    j = named;
                    true
                } else if rest.first() == Some(&b'#') {
                    let d = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                    j = d + 1;
                    d > 0
                } else {
                    false
                };
                if entity && rest.get(j) == Some(&b';') {
                    o.push('&');
                } else {
                    o.push_str("&amp;");
                }
            }
            _ => {
                let ch = t[i..].chars().next().unwrap_or(' ');
                o.push(ch);
                i += ch.len_utf8();
                continue;
            }
        }
        i += 1;
    }
    Ok(Value::from(o))
}

/// `CGI.escape`.
pub fn cgi_escape(t: &str) -> String {
    let mut o = String::with_capacity(t.len());
    for &b in t.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                o.push(b as char)
            }
            b' ' => o.push('+'),
            _ => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}

fn url_encode(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    Ok(Value::from(cgi_escape(&input.ruby_to_s())))
}

fn url_decode(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let t = input.ruby_to_s();
    let b = t.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let h = std::str::from_utf8(b.get(i + 1..i + 3).unwrap_or(b""))
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match h {
                    Some(v)
                        if b.get(i + 1..i + 3)
                            .is_some_and(|x| x.iter().all(|c| c.is_ascii_hexdigit())) =>
                    {
                        out.push(v);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map(Value::from)
        .map_err(|_| LiquidError::argument("invalid byte sequence in UTF-8"))
}

/// Ruby `slice(offset, length)` on a sequence of `len` items: the index range, or `None`.
pub fn ruby_slice_range(len: i64, offset: i64, length: i64) -> Option<(usize, usize)> {
    let start = if offset < 0 { len + offset } else { offset };
    if start < 0 || start > len || length < 0 {
        return None;
    }
    let end = (start.saturating_add(length)).min(len);
    Some((start as usize, end as usize))
}

fn slice(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let offset = to_integer(&arg(args, 0))?;
    let length = match args.get(1) {
        Some(v) if !v.is_nil() => to_integer(v)?,
        _ => 1,
    };
    if let Value::Array(a) = &input {
        return Ok(match ruby_slice_range(a.len() as i64, offset, length) {
            Some((s, e)) => Value::from(a[s..e].to_vec()),
            None => Value::from(Vec::new()),
        });
    }
    let t = input.ruby_to_s();
    let chars: Vec<char> = t.chars().collect();
    Ok(match ruby_slice_range(chars.len() as i64, offset, length) {
        Some((s, e)) => Value::from(chars[s..e].iter().collect::<String>()),
        None => Value::from(""),
    })
}

fn truncate(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let t = input.ruby_to_s();
    let length = match args.first() {
        Some(v) => to_integer(v)?,
        None => 50,
    };
    let ellipsis = match args.get(1) {
        Some(v) => v.ruby_to_s(),
        None => "...".into(),
    };
    let l = (length - ellipsis.chars().count() as i64).max(0) as usize;
    let n = t.chars().count() as i64;
    if n > length {
        Ok(Value::from(
            t.chars().take(l).collect::<String>() + &ellipsis,
        ))
    } else {
        Ok(Value::from(t))
    }
}

fn ruby_split_ws(t: &str) -> Vec<String> {
    t.split([' ', '\t', '\n', '\r', '\x0b', '\x0c', '\0'])
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

fn truncatewords(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let owned;
    let text: &str = match &input {
        Value::Str(t) => t,
        other => {
            owned = other.ruby_to_s();
            &owned
        }
    };
    let n = match args.first() {
        Some(v) => to_integer(v)?,
        None => 15,
    };
    let ellipsis = match args.get(1) {
        Some(v) => v.ruby_to_s(),
        None => "...".into(),
    };
    let l = (n - 1).max(0);
    // `words.length > l` needs only the first `l + 1` words, not a split of the whole text.
    let want = usize::try_from(l).unwrap_or(usize::MAX).saturating_add(1);
    let words: Vec<&str> = text
        .split([' ', '\t', '\n', '\r', '\x0b', '\x0c', '\0'])
        .filter(|w| !w.is_empty())
        .take(want)
        .collect();
    if words.len() >= want {
        Ok(Value::from(words.join(" ") + &ellipsis))
    } else {
        Ok(input)
    }
}

/// Ruby's `String#split(pattern)` with a string pattern (trailing empty fields dropped).
pub fn ruby_split(t: &str, pat: &str) -> Vec<String> {
    let mut parts: Vec<String> = if pat == " " {
        ruby_split_ws(t)
    } else if pat.is_empty() {
        t.chars().map(String::from).collect()
    } else {
        t.split(pat).map(String::from).collect()
    };
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

fn split(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let parts = ruby_split(&input.ruby_to_s(), &arg(args, 0).ruby_to_s());
    Ok(Value::from(
        parts.into_iter().map(Value::from).collect::<Vec<_>>(),
    ))
}

fn strip(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(
        crate::liquid::lexer::rb_strip(&input.ruby_to_s()).to_string(),
    ))
}

fn lstrip(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(
        crate::liquid::lexer::rb_lstrip(&input.ruby_to_s()).to_string(),
    ))
}

fn rstrip(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(
        crate::liquid::lexer::rb_rstrip(&input.ruby_to_s()).to_string(),
    ))
}

/// Liquid 4's four `gsub`s in turn: `/<script.*?<\/script>/m`, `/<!--.*?-->/m`,
/// `/<style.*?<\/style>/m`, then `/<.*?>/m`. Each is "an opening string, then the nearest
/// closing one", so plain substring searches do it (regexes were 2% of a site's render).
fn strip_html(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(strip_html_str(input.ruby_to_s())))
}

fn strip_html_str(mut t: String) -> String {
    for (open, close) in [
        ("<script", "</script>"),
        ("<!--", "-->"),
        ("<style", "</style>"),
        ("<", ">"),
    ] {
        if let Some(cut) = remove_spans(&t, open, close) {
            t = cut;
        }
    }
    t
}

/// `s` without each span from `open` to the nearest `close` after it (searched left to
/// right, as a lazy regex); `None` when there is none.
fn remove_spans(s: &str, open: &str, close: &str) -> Option<String> {
    let first = memchr::memmem::find(s.as_bytes(), open.as_bytes())?;
    let mut out = String::with_capacity(s.len());
    let mut from = first;
    let mut kept = 0;
    loop {
        let body = from + open.len();
        // No closing string after this opening one: none after any later one either.
        let Some(end) = memchr::memmem::find(&s.as_bytes()[body..], close.as_bytes()) else {
            break;
        };
        out.push_str(&s[kept..from]);
        kept = body + end + close.len();
        match memchr::memmem::find(&s.as_bytes()[kept..], open.as_bytes()) {
            Some(next) => from = kept + next,
            None => break,
        }
    }
    if kept == 0 {
        return None;
    }
    out.push_str(&s[kept..]);
    Some(out)
}

fn strip_newlines(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(
        input.ruby_to_s().replace("\r\n", "").replace('\n', ""),
    ))
}

/// Liquid's `InputIterator`: arrays flattened, a hash is one item, nil is nothing.
pub fn input_iter(v: &Value) -> LResult<Vec<Value>> {
    fn flatten(a: &[Value], out: &mut Vec<Value>) {
        for v in a {
            match v {
                Value::Array(inner) => flatten(inner, out),
                other => out.push(other.clone()),
            }
        }
    }
    match v {
        Value::Array(a) => {
            let mut out = Vec::with_capacity(a.len());
            flatten(a, &mut out);
            Ok(out)
        }
        Value::Nil => Ok(vec![]),
        Value::Range(..) => crate::liquid::tags::expand(v),
        other => Ok(vec![other.clone()]),
    }
}

fn join(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let owned;
    let glue: &str = match args.first() {
        Some(Value::Str(g)) => g,
        Some(g) => {
            owned = g.ruby_to_s();
            &owned
        }
        None => " ",
    };
    if let Value::Array(a) = &input {
        let mut out = String::with_capacity(a.len() * (glue.len() + 8));
        join_into(a, glue, &mut out);
        return Ok(Value::from(out));
    }
    let items = input_iter(&input)?;
    let mut out = String::new();
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(glue);
        }
        v.render_to(&mut out);
    }
    Ok(Value::from(out))
}

/// `join` of an array, appending to `out`: nested arrays flatten (as `input_iter` does).
pub(crate) fn join_into(a: &[Value], glue: &str, out: &mut String) {
    fn walk(a: &[Value], glue: &str, out: &mut String, first: &mut bool) {
        for v in a {
            match v {
                Value::Array(inner) => walk(inner, glue, out, first),
                other => {
                    if !*first {
                        out.push_str(glue);
                    }
                    *first = false;
                    other.render_to(out);
                }
            }
        }
    }
    walk(a, glue, out, &mut true);
}

/// Ruby's `[] ` on an item as `map`/`sort`/`uniq` use it.
pub fn item_get(item: &Value, key: &Value) -> LResult<Value> {
    match item {
        Value::Hash(_) | Value::Object(_) => Ok(item.index(key).unwrap_or(Value::Nil)),
        Value::Array(_) => match key {
            Value::Int(_) | Value::Float(_) => Ok(item.index(key).unwrap_or(Value::Nil)),
            _ => Err(LiquidError::runtime(
                "TypeError",
                format!(
                    "no implicit conversion of {} into Integer",
                    key.class_name()
                ),
            )),
        },
        Value::Str(s) => match key {
            Value::Str(k) => Ok(if s.contains(&**k) {
                Value::Str(k.clone())
            } else {
                Value::Nil
            }),
            _ => Ok(Value::Nil),
        },
        Value::Nil => Ok(Value::Nil),
        Value::Int(_) => Err(LiquidError::runtime(
            "TypeError",
            format!(
                "no implicit conversion of {} into Integer",
                key.class_name()
            ),
        )),
        _ => Ok(Value::Nil),
    }
}

/// Liquid's `nil_safe_casecmp`: `to_s` compared case-insensitively, nils last.
fn nil_safe_casecmp(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.is_nil(), b.is_nil()) {
        (false, false) => {
            let (x, y) = (a.ruby_to_s(), b.ruby_to_s());
            x.bytes()
                .map(|c| c.to_ascii_lowercase())
                .cmp(y.bytes().map(|c| c.to_ascii_lowercase()))
        }
        (true, _) => Ordering::Greater,
        (false, true) => Ordering::Less,
    }
}

fn sort_natural(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let mut items = input_iter(&input)?;
    if items.is_empty() {
        return Ok(Value::from(Vec::new()));
    }
    match args.first() {
        None | Some(Value::Nil) => items.sort_by(nil_safe_casecmp),
        Some(p) => {
            if !items.iter().all(|i| {
                matches!(
                    i,
                    Value::Hash(_)
                        | Value::Object(_)
                        | Value::Array(_)
                        | Value::Str(_)
                        | Value::Int(_)
                )
            }) {
                return Ok(Value::Nil);
            }
            let mut keyed = Vec::with_capacity(items.len());
            for it in items {
                keyed.push((item_get(&it, p)?, it));
            }
            keyed.sort_by(|a, b| nil_safe_casecmp(&a.0, &b.0));
            items = keyed.into_iter().map(|(_, v)| v).collect();
        }
    }
    Ok(Value::from(items))
}

/// Ruby `eql?`-based identity for `uniq` (1 and 1.0 differ).
fn uniq_key(v: &Value) -> String {
    format!("{}:{}", v.class_name(), v.inspect())
}

fn uniq(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let items = input_iter(&input)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    match args.first() {
        None | Some(Value::Nil) => {
            for it in items {
                if seen.insert(uniq_key(&it)) {
                    out.push(it);
                }
            }
        }
        Some(p) => {
            if items.is_empty() {
                return Ok(Value::from(out));
            }
            if !matches!(
                items[0],
                Value::Hash(_) | Value::Object(_) | Value::Str(_) | Value::Array(_) | Value::Int(_)
            ) {
                return Ok(Value::Nil);
            }
            for it in items {
                let k = item_get(&it, p)?;
                if seen.insert(uniq_key(&k)) {
                    out.push(it);
                }
            }
        }
    }
    Ok(Value::from(out))
}

fn reverse(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    let mut items = input_iter(&input)?;
    items.reverse();
    Ok(Value::from(items))
}

fn map(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let p = arg(args, 0);
    let items = match &input {
        Value::Hash(_) | Value::Object(_) => vec![input.clone()],
        _ => input_iter(&input)?,
    };
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        if p.as_str() == Some("to_liquid") {
            out.push(it);
        } else {
            out.push(item_get(&it, &p)?);
        }
    }
    Ok(Value::from(out))
}

fn compact(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let items = input_iter(&input)?;
    match args.first() {
        None | Some(Value::Nil) => Ok(Value::from(
            items
                .into_iter()
                .filter(|v| !v.is_nil())
                .collect::<Vec<_>>(),
        )),
        Some(p) => {
            let mut out = Vec::new();
            for it in items {
                if !item_get(&it, p)?.is_nil() {
                    out.push(it);
                }
            }
            Ok(Value::from(out))
        }
    }
}

/// Ruby's replacement-string escapes (`\\0`, `\\&`, `\\\\`) as `gsub`/`sub` apply them.
fn expand_replacement(rep: &str, matched: &str) -> String {
    if !rep.contains('\\') {
        return rep.to_string();
    }
    let mut o = String::new();
    let mut it = rep.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.peek() {
                Some('0') | Some('&') => {
                    it.next();
                    o.push_str(matched);
                }
                Some('\\') => {
                    it.next();
                    o.push('\\');
                }
                Some(d) if d.is_ascii_digit() || matches!(d, '`' | '\'' | '+') => {
                    it.next();
                }
                _ => o.push('\\'),
            }
        } else {
            o.push(c);
        }
    }
    o
}

fn gsub(t: &str, pat: &str, rep: &str, first_only: bool) -> String {
    let rep = expand_replacement(rep, pat);
    if pat.is_empty() {
        // Ruby inserts the replacement between every character.
        let mut o = String::new();
        for (i, c) in t.chars().enumerate() {
            if i == 0 || !first_only {
                o.push_str(&rep);
            }
            o.push(c);
        }
        if !first_only || t.is_empty() {
            o.push_str(&rep);
        }
        return o;
    }
    if first_only {
        t.replacen(pat, &rep, 1)
    } else {
        t.replace(pat, &rep)
    }
}

fn replace(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let rep = args.get(1).map(|v| v.ruby_to_s()).unwrap_or_default();
    Ok(Value::from(gsub(
        &input.ruby_to_s(),
        &arg(args, 0).ruby_to_s(),
        &rep,
        false,
    )))
}

fn replace_first(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let rep = args.get(1).map(|v| v.ruby_to_s()).unwrap_or_default();
    Ok(Value::from(gsub(
        &input.ruby_to_s(),
        &arg(args, 0).ruby_to_s(),
        &rep,
        true,
    )))
}

fn remove(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(gsub(
        &input.ruby_to_s(),
        &arg(args, 0).ruby_to_s(),
        "",
        false,
    )))
}

fn remove_first(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(gsub(
        &input.ruby_to_s(),
        &arg(args, 0).ruby_to_s(),
        "",
        true,
    )))
}

fn append(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let mut t = input.ruby_to_s();
    t.push_str(&arg(args, 0).ruby_to_s());
    Ok(Value::from(t))
}

fn prepend(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let mut t = arg(args, 0).ruby_to_s();
    t.push_str(&input.ruby_to_s());
    Ok(Value::from(t))
}

fn concat(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let Value::Array(other) = arg(args, 0) else {
        return Err(LiquidError::argument(
            "concat filter requires an array argument",
        ));
    };
    let mut items = input_iter(&input)?;
    items.extend(other.iter().cloned());
    Ok(Value::Array(Arc::new(items)))
}

fn newline_to_br(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(input.ruby_to_s().replace('\n', "<br />\n")))
}

fn first(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(match &input {
        Value::Array(_) | Value::Hash(_) | Value::Range(..) => {
            input.command("first").unwrap_or(Value::Nil)
        }
        _ => Value::Nil,
    })
}

fn last(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(match &input {
        Value::Array(_) | Value::Range(..) => input.command("last").unwrap_or(Value::Nil),
        _ => Value::Nil,
    })
}

fn default(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let d = args.first().cloned().unwrap_or_else(|| Value::from(""));
    if !input.truthy() || input.is_empty_value() == Some(true) {
        Ok(d)
    } else {
        Ok(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Liquid 4's `strip_html` as its four regexes, to check the substring version against.
    fn strip_html_by_regex(s: &str) -> String {
        let mut t = s.to_string();
        for re in [
            r"(?s)<script.*?</script>",
            r"(?s)<!--.*?-->",
            r"(?s)<style.*?</style>",
            r"(?s)<.*?>",
        ] {
            t = regex::Regex::new(re)
                .unwrap()
                .replace_all(&t, "")
                .into_owned();
        }
        t
    }

    proptest::proptest! {
        #[test]
        fn strip_html_matches_the_regexes(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", ">", "<script>", "</script>", "<style", "</style>", "<!--", "-->",
                    "-", "a", "é", "\n", "<b>", "</",
                ]),
                0..24,
            )
        ) {
            let s: String = parts.concat();
            proptest::prop_assert_eq!(strip_html_str(s.clone()), strip_html_by_regex(&s));
        }
    }

    #[test]
    fn ruby_integer_parsing() {
        assert_eq!(parse_ruby_integer("010"), Some(8));
        assert_eq!(parse_ruby_integer(" 12 "), Some(12));
        assert_eq!(parse_ruby_integer("0x1A"), Some(26));
        assert_eq!(parse_ruby_integer("1.5"), None);
        assert_eq!(parse_ruby_integer(""), None);
    }

    #[test]
    fn split_drops_trailing_empties() {
        assert_eq!(ruby_split("a,b,,", ","), vec!["a", "b"]);
        assert_eq!(ruby_split("  a  b ", " "), vec!["a", "b"]);
        assert_eq!(ruby_split("abc", ""), vec!["a", "b", "c"]);
    }
}
