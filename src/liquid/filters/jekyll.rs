//! Jekyll 3.10's filters (`Jekyll::Filters`, `URLFilters`, `GroupingFilters`, `DateFilters`).
//! They are registered after Liquid's, so Jekyll's `sort` and `where` replace Liquid's.
//!
//! Converters (`markdownify`, `smartify`, `sassify`, `scssify`) and site values (`url`,
//! `baseurl`) come from the [`Host`](crate::liquid::Host).

use std::fmt::Write as _;
use std::sync::Arc;

use super::date::{strftime, to_date};
use super::standard::{cgi_escape, input_iter, to_integer};
use super::{def, FilterDef};
use crate::liquid::context::Context;
use crate::liquid::error::{LResult, LiquidError};
use crate::liquid::parser::{Condition, Expr, Variable};
use crate::liquid::strict::StrictParser;
use crate::liquid::value::{float_to_s, inspect_str, Hash, Value};

pub const FILTERS: &[FilterDef] = &[
    def("markdownify", markdownify, 0, 0),
    def("smartify", smartify, 0, 0),
    def("sassify", sassify, 0, 0),
    def("scssify", scssify, 0, 0),
    def("slugify", slugify, 0, 1),
    def("xml_escape", xml_escape, 0, 0),
    def("cgi_escape", cgi_escape_filter, 0, 0),
    def("uri_escape", uri_escape, 0, 0),
    def("normalize_whitespace", normalize_whitespace, 0, 0),
    def("number_of_words", number_of_words, 0, 0),
    def("array_to_sentence_string", array_to_sentence_string, 0, 1),
    def("jsonify", jsonify, 0, 0),
    def("where", where_filter, 2, 2),
    def("where_exp", where_exp, 2, 2),
    def("group_by", group_by, 1, 1),
    def("group_by_exp", group_by_exp, 2, 2),
    def("sort", sort, 0, 2),
    def("to_integer", to_integer_filter, 0, 0),
    def("pop", pop, 0, 1),
    def("push", push, 1, 1),
    def("shift", shift, 0, 1),
    def("unshift", unshift, 1, 1),
    def("sample", sample, 0, 1),
    def("inspect", inspect, 0, 0),
    def("absolute_url", absolute_url, 0, 0),
    def("relative_url", relative_url, 0, 0),
    def("strip_index", strip_index, 0, 0),
    def("date_to_xmlschema", date_to_xmlschema, 0, 0),
    def("date_to_rfc822", date_to_rfc822, 0, 0),
    def("date_to_string", date_to_string, 0, 2),
    def("date_to_long_string", date_to_long_string, 0, 2),
];

fn no_method(method: &str, v: &Value) -> LiquidError {
    LiquidError::runtime(
        "NoMethodError",
        format!("undefined method `{method}' for {}", ruby_desc(v)),
    )
}

fn ruby_desc(v: &Value) -> String {
    match v {
        Value::Nil => "nil:NilClass".into(),
        Value::Bool(true) => "true:TrueClass".into(),
        Value::Bool(false) => "false:FalseClass".into(),
        other => format!("{}:{}", other.inspect(), other.class_name()),
    }
}

/// A string input, as Jekyll's filters that call string methods require.
fn need_str(v: &Value, method: &str) -> LResult<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(no_method(method, other)),
    }
}

fn markdownify(input: Value, _: &[Value], ctx: &mut Context) -> LResult<Value> {
    Ok(Value::from(ctx.host.markdownify(&input.to_s())?))
}

fn smartify(input: Value, _: &[Value], ctx: &mut Context) -> LResult<Value> {
    Ok(Value::from(ctx.host.smartify(&input.to_s())?))
}

fn sassify(input: Value, _: &[Value], ctx: &mut Context) -> LResult<Value> {
    Ok(Value::from(ctx.host.sass(&input.to_s(), true)?))
}

fn scssify(input: Value, _: &[Value], ctx: &mut Context) -> LResult<Value> {
    Ok(Value::from(ctx.host.sass(&input.to_s(), false)?))
}

/// Jekyll's `Utils.slugify`.
pub fn slugify_str(s: &str, mode: &str) -> String {
    let keep: fn(char) -> bool = match mode {
        "raw" => |c| !c.is_whitespace(),
        "pretty" => |c| c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c),
        "ascii" => |c| c.is_ascii_alphanumeric(),
        "default" | "latin" => |c| c.is_alphanumeric(),
        _ => return s.to_lowercase(),
    };
    let src: String = if mode == "latin" {
        transliterate(s)
    } else {
        s.to_string()
    };
    let mut out = String::with_capacity(src.len());
    let mut in_run = false;
    for c in src.chars() {
        if keep(c) {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    let out = out.strip_prefix('-').unwrap_or(&out);
    let out = out.strip_suffix('-').unwrap_or(out);
    out.to_lowercase()
}

fn transliterate(s: &str) -> String {
    s.chars()
        .map(|c| {
            let t = match c {
                'À'..='Å' => "A",
                'à'..='å' => "a",
                'Æ' => "AE",
                'æ' => "ae",
                'Ç' => "C",
                'ç' => "c",
                'È'..='Ë' => "E",
                'è'..='ë' => "e",
                'Ì'..='Ï' => "I",
                'ì'..='ï' => "i",
                'Ð' => "D",
                'ð' => "d",
                'Ñ' => "N",
                'ñ' => "n",
                'Ò'..='Ö' | 'Ø' => "O",
                'ò'..='ö' | 'ø' => "o",
                'Ù'..='Ü' => "U",
                'ù'..='ü' => "u",
                'Ý' => "Y",
                'ý' | 'ÿ' => "y",
                'ß' => "ss",
                'Þ' => "Th",
                'þ' => "th",
                'Œ' => "OE",
                'œ' => "oe",
                'Ł' => "L",
                'ł' => "l",
                'Đ' => "D",
                'đ' => "d",
                'Ħ' => "H",
                'ħ' => "h",
                'ı' => "i",
                'Ŀ' => "L",
                'ŀ' => "l",
                'Ŋ' => "N",
                'ŋ' => "n",
                'Ŧ' => "T",
                'ŧ' => "t",
                c @ '\u{100}'..='\u{17f}' => return latin_ext_a(c).to_string(),
                c if c.is_ascii() => return c.to_string(),
                _ => "?",
            };
            t.to_string()
        })
        .collect()
}

/// Latin Extended-A letters with a diacritic: the base letter (the table repeats each base
/// letter for its upper/lower pairs in code point order).
fn latin_ext_a(c: char) -> char {
    const BASE: &str = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
    let i = c as usize - 0x100;
    BASE.chars().nth(i).unwrap_or('?')
}

fn slugify(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let s = need_str(&input, "downcase")?;
    let mode = match args.first() {
        None | Some(Value::Nil) => "default".to_string(),
        Some(v) => v.to_s(),
    };
    Ok(Value::from(slugify_str(&s, &mode)))
}

fn xml_escape_str(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c => o.push(c),
        }
    }
    o
}

fn xml_escape(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(xml_escape_str(&input.ruby_to_s())))
}

fn cgi_escape_filter(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    match &input {
        Value::Str(s) => Ok(Value::from(cgi_escape(s))),
        other => Err(LiquidError::runtime(
            "TypeError",
            format!(
                "no implicit conversion of {} into String",
                if other.is_nil() {
                    "nil"
                } else {
                    other.class_name()
                }
            ),
        )),
    }
}

/// Addressable's `normalize_component` for a URI component: reserved and unreserved
/// characters stay, `%XX` stays, everything else is percent-encoded as UTF-8.
pub fn uri_escape_str(s: &str) -> String {
    uri_escaped(s).into_owned()
}

/// Bytes `uri_escape` keeps as they are (RFC 3986 unreserved and reserved characters).
const URI_KEEP: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric();
        c += 1;
    }
    let extra = b"-._~:/?#[]@!$&'()*+,;=";
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
};

/// [`uri_escape_str`], borrowing `s` when nothing needs escaping (most URLs a site builds).
fn uri_escaped(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|c| URI_KEEP[c as usize]) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if URI_KEEP[c as usize] {
            o.push(c as char);
        } else if c == b'%'
            && i + 2 < b.len() + 1
            && b.get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(|x| x.is_ascii_hexdigit()))
        {
            o.push('%');
        } else {
            let _ = write!(o, "%{c:02X}");
        }
        i += 1;
    }
    std::borrow::Cow::Owned(o)
}

fn uri_escape(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    Ok(Value::from(uri_escape_str(&input.to_s())))
}

fn normalize_whitespace(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    let s = input.to_s();
    let words: Vec<&str> = s
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let lead = s.starts_with(|c: char| c.is_ascii_whitespace());
    let _ = lead;
    Ok(Value::from(words.join(" ")))
}

fn number_of_words(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    let Value::Str(s) = &input else {
        return Err(no_method("split", &input));
    };
    Ok(Value::Int(count_words(s.as_bytes()) as i64))
}

/// Ruby's `split.length`: word starts, counted over bytes (the separators are ASCII). A
/// page's word count runs over its whole content, so this showed in profiles.
fn count_words(b: &[u8]) -> usize {
    const SEPARATORS: &[u8] = b" \t\n\x0c\r\0";
    let mut words = 0;
    // Whether the byte before the next one is a separator (the start counts as one).
    let mut after_sep = true;
    let (masks, tail) = crate::bytescan::chunk_masks(b, SEPARATORS);
    for mask in masks {
        let before = (mask << 1) | u32::from(after_sep);
        words += (!mask & before & 0xffff).count_ones() as usize;
        after_sep = mask & 0x8000 != 0;
    }
    for c in tail {
        let is_sep = SEPARATORS.contains(c);
        words += usize::from(!is_sep && after_sep);
        after_sep = is_sep;
    }
    words
}

fn array_to_sentence_string(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let connector = match args.first() {
        Some(v) => v.to_s(),
        None => "and".into(),
    };
    let a: Vec<Value> = match &input {
        Value::Array(a) => a.as_ref().clone(),
        Value::Str(s) => {
            return Ok(Value::from(match s.chars().count() {
                0 => String::new(),
                1 => s.to_string(),
                2 => {
                    let c: Vec<char> = s.chars().collect();
                    format!("{} {connector} {}", c[0], c[1])
                }
                _ => return Err(no_method("join", &input)),
            }))
        }
        other => return Err(no_method("length", other)),
    };
    let s = |v: &Value| v.to_s();
    Ok(Value::from(match a.len() {
        0 => String::new(),
        1 => s(&a[0]),
        2 => format!("{} {connector} {}", s(&a[0]), s(&a[1])),
        n => {
            let head: Vec<String> = a[..n - 1].iter().map(|v| v.inspect_join()).collect();
            format!("{}, {connector} {}", head.join(", "), s(&a[n - 1]))
        }
    }))
}

impl Value {
    /// `Array#join` of one element (arrays inside are joined with the same separator).
    fn inspect_join(&self) -> String {
        match self {
            Value::Array(a) => a
                .iter()
                .map(|v| v.inspect_join())
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_s(),
        }
    }
}

/// Ruby's `to_json` of a Liquid value.
pub fn to_json(v: &Value, out: &mut String) -> LResult<()> {
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => {
            if !f.is_finite() {
                return Err(LiquidError::runtime(
                    "JSON::GeneratorError",
                    format!("{} not allowed in JSON", float_to_s(*f)),
                ));
            }
            out.push_str(&float_to_s(*f));
        }
        Value::Str(s) => json_str(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                to_json(x, out)?;
            }
            out.push(']');
        }
        Value::Hash(h) => json_hash(h, out)?,
        Value::Object(o) => json_hash(&o.to_liquid_hash(), out)?,
        Value::Range(..) | Value::Time(_) => json_str(&v.to_s(), out),
        Value::Blank | Value::Empty => json_str("", out),
    }
    Ok(())
}

fn json_hash(h: &Hash, out: &mut String) -> LResult<()> {
    out.push('{');
    for (i, (k, x)) in h.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(k, out);
        out.push(':');
        to_json(x, out)?;
    }
    out.push('}');
    Ok(())
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn jsonify(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    let mut s = String::new();
    to_json(&input, &mut s)?;
    Ok(Value::from(s))
}

/// `subvalue[attribute]` as Jekyll's `item_property` does it (nil in the middle crashes).
fn sub_get(v: &Value, key: &str) -> LResult<Value> {
    match v {
        Value::Nil => Err(no_method("[]", v)),
        Value::Hash(h) => Ok(crate::liquid::value::hash_get(h, key)
            .cloned()
            .unwrap_or(Value::Nil)),
        Value::Object(o) => Ok(o.get(key).unwrap_or(Value::Nil)),
        Value::Str(s) => Ok(if s.contains(key) {
            Value::from(key)
        } else {
            Value::Nil
        }),
        Value::Array(_) | Value::Int(_) => Err(LiquidError::runtime(
            "TypeError",
            "no implicit conversion of String into Integer",
        )),
        other => Err(no_method("[]", other)),
    }
}

/// Jekyll's `item_property`.
fn item_property(item: &Value, property: &Value) -> LResult<Value> {
    let p = property.to_s();
    property_at(item, &ruby_split_dot(&p))
}

/// [`item_property`] with the property already split (for a loop over many items).
fn property_at(item: &Value, parts: &[&str]) -> LResult<Value> {
    let mut v = item.clone();
    for part in parts {
        v = sub_get(&v, part)?;
    }
    Ok(v)
}

fn ruby_split_dot(p: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = p.split('.').collect();
    while parts.last().is_some_and(|x| x.is_empty()) {
        parts.pop();
    }
    parts
}

fn selectable(input: &Value) -> Option<Vec<Value>> {
    match input {
        Value::Array(a) => Some(a.as_ref().clone()),
        Value::Hash(h) => Some(h.values().cloned().collect()),
        Value::Object(o) => Some(o.to_liquid_hash().values().cloned().collect()),
        Value::Range(..) => Some(crate::liquid::tags::expand(input).ok()?),
        _ => None,
    }
}

fn compare_property_vs_target(prop: &Value, target: &Value) -> bool {
    match target {
        Value::Nil => prop.is_nil(),
        Value::Blank | Value::Empty => {
            let arr = match prop {
                Value::Array(a) => a.iter().map(|v| v.to_s()).collect::<String>(),
                Value::Nil => String::new(),
                other => other.to_s(),
            };
            matches!(prop, Value::Str(s) if s.is_empty()) || arr.is_empty()
        }
        _ => {
            let t = target.ruby_to_s();
            match prop {
                Value::Str(s) => **s == *t,
                Value::Array(a) => a.iter().any(|p| p.ruby_to_s() == t),
                Value::Nil => false,
                other => other.ruby_to_s() == t,
            }
        }
    }
}

fn where_filter(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let property = args.first().cloned().unwrap_or(Value::Nil);
    let value = args.get(1).cloned().unwrap_or(Value::Nil);
    if !property.truthy() || matches!(value, Value::Nil | Value::Array(_) | Value::Hash(_)) {
        return Ok(input);
    }
    let Some(items) = selectable(&input) else {
        return Ok(input);
    };
    let mut out = Vec::new();
    for it in items {
        if compare_property_vs_target(&item_property(&it, &property)?, &value) {
            out.push(it);
        }
    }
    Ok(Value::from(out))
}

/// Jekyll's `parse_condition`: one comparison, parsed strictly (`and`/`or` are errors).
fn parse_condition(exp: &str) -> LResult<Condition> {
    let mut p = StrictParser::new(exp)?;
    let left = Expr::parse(&p.expression()?);
    let mut cond = Condition {
        left,
        op: None,
        right: Expr::Lit(Value::Nil),
        child: None,
    };
    if let Some(op) = p.consume_comparison() {
        cond.op = Some(op);
        cond.right = Expr::parse(&p.expression()?);
    }
    p.expect_end()?;
    Ok(cond)
}

fn where_exp(input: Value, args: &[Value], ctx: &mut Context) -> LResult<Value> {
    let Some(items) = selectable(&input) else {
        return Ok(input);
    };
    let variable = args.first().map(|v| v.to_s()).unwrap_or_default();
    let cond = parse_condition(&args.get(1).map(|v| v.to_s()).unwrap_or_default())?;
    ctx.push_scope();
    let mut out = Vec::new();
    let mut r = Ok(());
    for it in items {
        ctx.set_local(&variable, it.clone());
        match cond.evaluate(ctx) {
            Ok(true) => out.push(it),
            Ok(false) => {}
            Err(e) => {
                r = Err(e);
                break;
            }
        }
    }
    ctx.pop_scope();
    r?;
    Ok(Value::from(out))
}

fn grouped(groups: Vec<(Value, Vec<Value>)>) -> Value {
    Value::from(
        groups
            .into_iter()
            .map(|(name, items)| {
                let mut h = Hash::default();
                let n = items.len() as i64;
                h.insert("name".into(), name);
                h.insert("items".into(), Value::from(items));
                h.insert("size".into(), Value::Int(n));
                Value::from(h)
            })
            .collect::<Vec<_>>(),
    )
}

fn groupable(input: &Value) -> Option<Vec<Value>> {
    match input {
        Value::Array(_) | Value::Hash(_) | Value::Range(..) | Value::Object(_) => {
            crate::liquid::tags::expand(input).ok()
        }
        _ => None,
    }
}

fn group_key(v: &Value) -> String {
    format!("{}:{}", v.class_name(), v.inspect())
}

fn push_group(groups: &mut Vec<(Value, Vec<Value>)>, key: Value, item: Value) {
    let k = group_key(&key);
    match groups.iter_mut().find(|(n, _)| group_key(n) == k) {
        Some((_, items)) => items.push(item),
        None => groups.push((key, vec![item])),
    }
}

fn group_by(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let Some(items) = groupable(&input) else {
        return Ok(input);
    };
    let property = args.first().cloned().unwrap_or(Value::Nil);
    let mut groups = Vec::new();
    for it in items {
        let key = Value::from(item_property(&it, &property)?.ruby_to_s());
        push_group(&mut groups, key, it);
    }
    Ok(grouped(groups))
}

fn group_by_exp(input: Value, args: &[Value], ctx: &mut Context) -> LResult<Value> {
    let Some(items) = groupable(&input) else {
        return Ok(input);
    };
    let variable = args.first().map(|v| v.to_s()).unwrap_or_default();
    let expr = Variable::parse(&args.get(1).map(|v| v.to_s()).unwrap_or_default(), 0)?;
    ctx.push_scope();
    let mut groups = Vec::new();
    let mut r = Ok(());
    for it in items {
        ctx.set_local(&variable, it.clone());
        match expr.evaluate(ctx) {
            Ok(key) => push_group(&mut groups, key, it),
            Err(e) => {
                r = Err(e);
                break;
            }
        }
    }
    ctx.pop_scope();
    r?;
    Ok(grouped(groups))
}

fn cmp_err(a: &Value, b: &Value) -> LiquidError {
    LiquidError::argument(format!(
        "comparison of {} with {} failed",
        a.class_name(),
        match b {
            Value::Int(_) | Value::Float(_) | Value::Nil => b.inspect(),
            _ => b.class_name().to_string(),
        }
    ))
}

fn sort(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Err(LiquidError::runtime(
            "ArgumentError",
            "Cannot sort a null object.",
        ));
    }
    let items: Vec<Value> = match &input {
        Value::Array(a) => a.as_ref().clone(),
        Value::Hash(_) | Value::Range(..) | Value::Object(_) => {
            crate::liquid::tags::expand(&input)?
        }
        other => return Err(no_method("sort", other)),
    };
    let mut err: Option<LiquidError> = None;
    let property = args.first().cloned().unwrap_or(Value::Nil);
    if property.is_nil() {
        let mut items = items;
        items.sort_by(|a, b| {
            a.ruby_cmp(b).unwrap_or_else(|| {
                err.get_or_insert_with(|| cmp_err(a, b));
                std::cmp::Ordering::Equal
            })
        });
        if let Some(e) = err {
            return Err(e);
        }
        return Ok(Value::from(items));
    }
    let nils = args
        .get(1)
        .map(|v| v.to_s())
        .unwrap_or_else(|| "first".into());
    let order: i32 = match nils.as_str() {
        "first" => -1,
        "last" => 1,
        _ => {
            return Err(LiquidError::runtime(
                "ArgumentError",
                format!("Invalid nils order: '{nils}' is not a valid nils order. It must be 'first' or 'last'."),
            ))
        }
    };
    let mut keyed = Vec::with_capacity(items.len());
    let p = property.to_s();
    let parts = ruby_split_dot(&p);
    for it in items {
        keyed.push((property_at(&it, &parts)?, it));
    }
    // Jekyll compares `[property, item]` pairs: equal properties fall back to comparing the
    // items, which fails for two different hashes ("comparison of Array with Array failed").
    keyed.sort_by(|(a, ia), (b, ib)| match (a.is_nil(), b.is_nil()) {
        (false, true) => order_of(-order),
        (true, false) => order_of(order),
        _ => match a.ruby_cmp(b) {
            Some(std::cmp::Ordering::Equal) => ia.ruby_cmp(ib).unwrap_or_else(|| {
                err.get_or_insert_with(|| {
                    LiquidError::argument("comparison of Array with Array failed")
                });
                std::cmp::Ordering::Equal
            }),
            Some(o) => o,
            None => {
                err.get_or_insert_with(|| {
                    LiquidError::argument("comparison of Array with Array failed")
                });
                std::cmp::Ordering::Equal
            }
        },
    });
    if let Some(e) = err {
        return Err(e);
    }
    Ok(Value::from(
        keyed.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
    ))
}

fn order_of(o: i32) -> std::cmp::Ordering {
    if o < 0 {
        std::cmp::Ordering::Less
    } else {
        std::cmp::Ordering::Greater
    }
}

fn to_integer_filter(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    match &input {
        Value::Bool(true) => Ok(Value::Int(1)),
        Value::Bool(false) => Ok(Value::Int(0)),
        other => Ok(Value::Int(crate::liquid::tags::to_i(other)?)),
    }
}

fn count_arg(args: &[Value]) -> LResult<usize> {
    let n = match args.first() {
        None => 1,
        Some(v) => to_integer(v)?,
    };
    if n < 0 {
        return Err(LiquidError::argument("negative array size"));
    }
    Ok(n as usize)
}

fn pop(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let Value::Array(a) = &input else {
        return Ok(input);
    };
    let n = count_arg(args)?;
    let mut v = a.as_ref().clone();
    let keep = v.len().saturating_sub(n);
    v.truncate(keep);
    Ok(Value::Array(Arc::new(v)))
}

fn push(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let Value::Array(a) = &input else {
        return Ok(input);
    };
    let mut v = a.as_ref().clone();
    v.push(args.first().cloned().unwrap_or(Value::Nil));
    Ok(Value::from(v))
}

fn shift(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let Value::Array(a) = &input else {
        return Ok(input);
    };
    let n = count_arg(args)?.min(a.len());
    Ok(Value::from(a[n..].to_vec()))
}

fn unshift(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let Value::Array(a) = &input else {
        return Ok(input);
    };
    let mut v = Vec::with_capacity(a.len() + 1);
    v.push(args.first().cloned().unwrap_or(Value::Nil));
    v.extend(a.iter().cloned());
    Ok(Value::from(v))
}

fn sample(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let Value::Array(a) = &input else {
        return Ok(input);
    };
    let n = match args.first() {
        None => 1,
        Some(v) => to_integer(v).unwrap_or(1),
    };
    if a.is_empty() {
        return Ok(if n == 1 {
            Value::Nil
        } else {
            Value::from(Vec::new())
        });
    }
    // Deterministic output (same inputs, same bytes): pick by a hash of the content.
    let seed = a.iter().map(|v| v.inspect().len()).sum::<usize>();
    if n == 1 {
        return Ok(a[seed % a.len()].clone());
    }
    let take = (n.max(0) as usize).min(a.len());
    Ok(Value::from(
        (0..take)
            .map(|i| a[(seed + i) % a.len()].clone())
            .collect::<Vec<_>>(),
    ))
}

fn inspect(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(Value::from(xml_escape_str(&input.inspect())))
}

fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Appends `s` to `out` with a leading `/` (none for an empty `s`).
fn push_with_leading_slash(out: &mut String, s: &str) {
    if !s.is_empty() && !s.starts_with('/') {
        out.push('/');
    }
    out.push_str(s);
}

/// Addressable's `normalize` for the URLs these filters build (percent-encode what needs it,
/// lowercase scheme and host, `/` for an empty http path).
fn normalize_url(s: &str) -> String {
    let enc = uri_escaped(s);
    // `split_once("://")`, by the `:`s (a substring search is set up anew for each call).
    let authority = enc
        .match_indices(':')
        .find(|(i, _)| enc[i + 1..].starts_with("//"))
        .map(|(i, _)| (&enc[..i], &enc[i + 3..]));
    if let Some((scheme, rest)) = authority {
        let (host, path) = match rest.find(['/', '?', '#']) {
            Some(p) => (&rest[..p], &rest[p..]),
            None => (rest, ""),
        };
        let path = if path.is_empty()
            && matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
        {
            "/"
        } else {
            path
        };
        let path = remove_dot_segments(path);
        let path = path.as_str();
        let host = host.to_ascii_lowercase();
        let host = host
            .strip_suffix(":80")
            .filter(|_| scheme.eq_ignore_ascii_case("http"))
            .unwrap_or(&host)
            .to_string();
        let host = host
            .strip_suffix(":443")
            .filter(|_| scheme.eq_ignore_ascii_case("https"))
            .map(String::from)
            .unwrap_or(host.clone());
        return format!("{}://{}{}", scheme.to_ascii_lowercase(), host, path);
    }
    if enc.starts_with('/') {
        return remove_dot_segments(&enc);
    }
    enc.into_owned()
}

/// RFC 3986 `remove_dot_segments` on the path (query and fragment kept as they are).
fn remove_dot_segments(s: &str) -> String {
    let cut = s.bytes().position(|b| b == b'?' || b == b'#');
    let cut = cut.unwrap_or(s.len());
    let (path, rest) = s.split_at(cut);
    if !path.as_bytes().windows(2).any(|w| w == b"/.") {
        return s.to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        match *seg {
            "." => {
                if i == n - 1 {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == n - 1 {
                    out.push("");
                }
            }
            other => out.push(other),
        }
    }
    format!("{}{}", out.join("/"), rest)
}

fn relative_url_str(input: &str, ctx: &Context) -> String {
    if has_scheme(input) {
        return input.to_string();
    }
    let baseurl = ctx.host.config("baseurl");
    let baseurl = match &baseurl {
        Some(Value::Str(s)) => std::borrow::Cow::Borrowed(&**s),
        Some(v) => std::borrow::Cow::Owned(v.to_s()),
        None => std::borrow::Cow::Borrowed(""),
    };
    let baseurl = baseurl.strip_suffix('/').unwrap_or(&baseurl);
    let mut joined = String::with_capacity(baseurl.len() + input.len() + 2);
    push_with_leading_slash(&mut joined, baseurl);
    push_with_leading_slash(&mut joined, input);
    normalize_url(&joined)
}

fn url_of(input: &Value) -> String {
    if let Value::Object(o) = input {
        if let Some(u) = o.get("url") {
            return u.to_s();
        }
    }
    input.to_s()
}

fn relative_url(input: Value, _: &[Value], ctx: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let input = url_of(&input);
    Ok(cached_url(false, &input, ctx, || {
        Value::from(relative_url_str(&input, ctx))
    }))
}

fn absolute_url(input: Value, _: &[Value], ctx: &mut Context) -> LResult<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let s = url_of(&input);
    Ok(cached_url(true, &s, ctx, || {
        if has_scheme(&s) {
            return Value::from(s.as_str());
        }
        let url = match ctx.host.config("url") {
            None | Some(Value::Nil) => return Value::from(relative_url_str(&s, ctx)),
            Some(u) => u.to_s(),
        };
        let rel = relative_url_str(&s, ctx);
        Value::from(normalize_url(&format!("{url}{rel}")))
    }))
}

/// Entries a thread's [`UrlCache`] holds at most (a big registry has a URL per page).
const URL_CACHE_MAX: usize = 4096;

/// This thread's `relative_url` / `absolute_url` results by input, for one site's `baseurl`
/// and `url` (Jekyll 4 caches them the same way). Layouts call these filters with the same few
/// inputs on every page: ~34,000 calls, ~3% of a 2,000-document render's instructions.
#[derive(Default)]
struct UrlCache {
    /// The `baseurl` and `url` the entries were computed with (kept alive, so compared by
    /// value, never confused with a later site's).
    site: Option<(Option<Value>, Option<Value>)>,
    relative: std::collections::HashMap<Box<str>, Value, foldhash::fast::FixedState>,
    absolute: std::collections::HashMap<Box<str>, Value, foldhash::fast::FixedState>,
}

thread_local! {
    static URL_CACHE: std::cell::RefCell<UrlCache> = std::cell::RefCell::default();
}

/// The cached result of the URL filter for `input`, or `compute`'s, remembered.
fn cached_url(
    absolute: bool,
    input: &str,
    ctx: &Context,
    compute: impl FnOnce() -> Value,
) -> Value {
    let site = (ctx.host.config("baseurl"), ctx.host.config("url"));
    let same = |a: &Option<Value>, b: &Option<Value>| match (a, b) {
        (None, None) => true,
        (Some(Value::Str(x)), Some(Value::Str(y))) => Arc::ptr_eq(x, y) || x == y,
        (Some(x), Some(y)) => x.inspect() == y.inspect(),
        _ => false,
    };
    let hit = URL_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let fresh = match &c.site {
            Some((b, u)) => same(b, &site.0) && same(u, &site.1),
            None => false,
        };
        if !fresh || c.relative.len() + c.absolute.len() >= URL_CACHE_MAX {
            *c = UrlCache {
                site: Some(site),
                ..UrlCache::default()
            };
            return None;
        }
        let map = if absolute { &c.absolute } else { &c.relative };
        map.get(input).cloned()
    });
    if let Some(v) = hit {
        return v;
    }
    let v = compute();
    URL_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let map = if absolute {
            &mut c.absolute
        } else {
            &mut c.relative
        };
        map.insert(input.into(), v.clone());
    });
    v
}

fn strip_index(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    if input.is_nil() || input.to_s().is_empty() {
        return Ok(Value::Nil);
    }
    let s = need_str(&input, "sub")?;
    for suffix in ["/index.html", "/index.htm"] {
        if let Some(p) = s.strip_suffix(suffix) {
            return Ok(Value::from(format!("{p}/")));
        }
    }
    Ok(input)
}

/// Jekyll's `time(input)`.
fn jekyll_time(
    input: &Value,
    zone: &crate::zone::Zone,
) -> LResult<chrono::DateTime<chrono::FixedOffset>> {
    // `time(input).to_time.dup.localtime`.
    to_date(input, zone).map(|t| zone.local(&t)).ok_or_else(|| {
        LiquidError::runtime(
            "Jekyll::Errors::InvalidDateError",
            format!(
                "Invalid Date: '{}' is not a valid datetime.",
                input.inspect()
            ),
        )
    })
}

fn date_to_xmlschema(input: Value, _: &[Value], ctx: &mut Context) -> LResult<Value> {
    if input.to_s().is_empty() {
        return Ok(input);
    }
    let zone = ctx.host().zone();
    let t = jekyll_time(&input, zone)?;
    Ok(Value::from(strftime(&t, "%Y-%m-%dT%H:%M:%S%:z", zone)))
}

fn date_to_rfc822(input: Value, _: &[Value], ctx: &mut Context) -> LResult<Value> {
    if input.to_s().is_empty() {
        return Ok(input);
    }
    let zone = ctx.host().zone();
    let t = jekyll_time(&input, zone)?;
    Ok(Value::from(strftime(&t, "%a, %d %b %Y %H:%M:%S %z", zone)))
}

fn ordinal(n: u32) -> &'static str {
    if (11..=13).contains(&n) {
        return "th";
    }
    match n % 10 {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    }
}

fn stringify_date(
    input: Value,
    month: &str,
    args: &[Value],
    zone: &crate::zone::Zone,
) -> LResult<Value> {
    if input.to_s().is_empty() {
        return Ok(input);
    }
    let t = jekyll_time(&input, zone)?;
    let kind = args.first().map(|v| v.to_s());
    let style = args.get(1).map(|v| v.to_s());
    if kind.as_deref() == Some("ordinal") {
        use chrono::Datelike;
        let d = t.day();
        let od = format!("{d}{}", ordinal(d));
        if style.as_deref() == Some("US") {
            return Ok(Value::from(strftime(
                &t,
                &format!("{month} {od}, %Y"),
                zone,
            )));
        }
        return Ok(Value::from(strftime(&t, &format!("{od} {month} %Y"), zone)));
    }
    Ok(Value::from(strftime(&t, &format!("%d {month} %Y"), zone)))
}

fn date_to_string(input: Value, args: &[Value], ctx: &mut Context) -> LResult<Value> {
    stringify_date(input, "%b", args, ctx.host().zone())
}

fn date_to_long_string(input: Value, args: &[Value], ctx: &mut Context) -> LResult<Value> {
    stringify_date(input, "%B", args, ctx.host().zone())
}

#[allow(dead_code)]
fn _unused(s: &str) -> String {
    inspect_str(s)
}

/// `input_iter` is used by other filter families; keep the import honest.
#[allow(dead_code)]
fn _iter(v: &Value) -> Vec<Value> {
    input_iter(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// Ruby's `split.length`, one character at a time.
    fn words_by_split(s: &str) -> usize {
        s.split([' ', '\t', '\n', '\x0c', '\r', '\0'])
            .filter(|w| !w.is_empty())
            .count()
    }

    #[test]
    fn cached_urls_follow_the_site_the_thread_renders_now() {
        use crate::liquid::{Context, FsHost, Hash, Template, Value};
        let dir = tempfile::tempdir().expect("tempdir");
        let tpl = Template::parse(
            "{{ '/a b/' | relative_url }} {{ '/a b/' | absolute_url }}",
            "t.html",
        )
        .expect("parse");
        let render = |baseurl: &str, url: Option<&str>| {
            let mut config = Hash::default();
            config.insert("baseurl".into(), Value::from(baseurl));
            if let Some(u) = url {
                config.insert("url".into(), Value::from(u));
            }
            let host = FsHost::with_config(dir.path(), config);
            tpl.render(&mut Context::new(&host)).expect("render")
        };
        // The same inputs, one thread: each site gets its own results, again and again.
        for _ in 0..2 {
            assert_eq!(render("/x", None), "/x/a%20b/ /x/a%20b/");
            assert_eq!(render("/y", None), "/y/a%20b/ /y/a%20b/");
            assert_eq!(
                render("/y", Some("https://Example.org")),
                "/y/a%20b/ https://example.org/y/a%20b/"
            );
            assert_eq!(render("", Some("http://h")), "/a%20b/ http://h/a%20b/");
        }
    }

    proptest! {
        #[test]
        fn count_words_is_split_length(s in "[ \t\n\x0b\x0c\r\0aé-]{0,80}") {
            prop_assert_eq!(super::count_words(s.as_bytes()), words_by_split(&s));
        }
    }
}
