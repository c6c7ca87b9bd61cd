//! The values templates work with, and Ruby's rules for them.
//!
//! Liquid 4 runs on Ruby objects, so printing (`Float#to_s`, `Hash#inspect`, `Array#join`),
//! truthiness (only `nil` and `false` are falsy), equality (`1 == 1.0`) and ordering (`<=>`)
//! follow Ruby here. Cloning is cheap: strings, arrays and hashes are shared behind `Arc`.
//! Live objects of the host (Jekyll's `site`, `page`, documents) are [`Value::Object`]s,
//! read key by key through [`ObjectView`] instead of being copied into hashes.
//!
//! Not for: filters or conversions that belong to one filter (see `filters/`).

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use indexmap::IndexMap;

/// An insertion-ordered hash with string keys, like the hashes JSON/YAML data gives Ruby.
/// Hashed with foldhash: SipHash's flood resistance buys nothing for a site's own data, and it
/// was 3% of a site render's instructions.
pub type Hash = IndexMap<String, Value, foldhash::fast::RandomState>;

/// `h.get(key)`, scanning small hashes instead of hashing the key (hashing costs more than
/// comparing a handful of short keys; data items usually have a few).
#[inline]
pub(crate) fn hash_get<'a>(h: &'a Hash, key: &str) -> Option<&'a Value> {
    if h.len() <= 8 {
        // Length and first byte first: keys of one item often share a length.
        let first = key.as_bytes().first();
        h.iter()
            .find(|(k, _)| {
                k.len() == key.len()
                    && k.as_bytes().first() == first
                    && same_bytes(k.as_bytes(), key.as_bytes())
            })
            .map(|(_, v)| v)
    } else {
        h.get(key)
    }
}

/// `a == b` for slices of the same length, inline for short ones: two overlapping word loads
/// instead of a `memcmp` call, which was ~2% of a loop-heavy layout's render (hash keys).
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    use crate::bytescan::{le_u32 as half, le_u64 as word};
    match n {
        0 => true,
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// A live object of the host, read lazily (Jekyll's drops: `site`, `page`, a document).
pub trait ObjectView: Send + Sync {
    /// The value under `key`, or `None` when the object has no such key.
    fn get(&self, key: &str) -> Option<Value>;
    /// The keys, in the order `jsonify` and `inspect` list them.
    fn keys(&self) -> Vec<String>;
    /// The whole object as a hash (for `jsonify`, `inspect`, iteration).
    fn to_liquid_hash(&self) -> Hash {
        self.keys()
            .into_iter()
            .map(|k| {
                let v = self.get(&k).unwrap_or(Value::Nil);
                (k, v)
            })
            .collect()
    }
    /// What `{{ object }}` prints. Jekyll drops print as their hash's inspect form.
    fn to_liquid_string(&self) -> String {
        Value::Hash(Arc::new(self.to_liquid_hash())).to_s()
    }
}

/// A Liquid value.
#[derive(Clone, Default)]
pub enum Value {
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Arc<str>),
    Array(Arc<Vec<Value>>),
    Hash(Arc<Hash>),
    /// An inclusive integer range `(a..b)`.
    Range(i64, i64),
    Time(DateTime<FixedOffset>),
    Object(Arc<dyn ObjectView>),
    /// The `blank` literal (Liquid's `MethodLiteral(:blank?)`).
    Blank,
    /// The `empty` literal (Liquid's `MethodLiteral(:empty?)`).
    Empty,
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inspect())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(Arc::from(s))
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(Arc::from(s))
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::Array(Arc::new(v))
    }
}
impl From<Hash> for Value {
    fn from(h: Hash) -> Self {
        Value::Hash(Arc::new(h))
    }
}

impl From<&serde_json::Value> for Value {
    fn from(j: &serde_json::Value) -> Self {
        match j {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else {
                    Value::Float(n.as_f64().unwrap_or(0.0))
                }
            }
            serde_json::Value::String(s) => Value::from(s.as_str()),
            serde_json::Value::Array(a) => {
                Value::from(a.iter().map(Value::from).collect::<Vec<_>>())
            }
            serde_json::Value::Object(o) => Value::from(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from(v)))
                    .collect::<Hash>(),
            ),
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::from(s)
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Ruby truthiness: only `nil` and `false` are false.
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The Ruby class name, for error messages.
    pub fn class_name(&self) -> &'static str {
        match self {
            Value::Nil => "NilClass",
            Value::Bool(true) => "TrueClass",
            Value::Bool(false) => "FalseClass",
            Value::Int(_) => "Integer",
            Value::Float(_) => "Float",
            Value::Str(_) => "String",
            Value::Array(_) => "Array",
            Value::Hash(_) => "Hash",
            Value::Range(..) => "Range",
            Value::Time(_) => "Time",
            Value::Object(_) => "Drop",
            Value::Blank | Value::Empty => "Liquid::Expression::MethodLiteral",
        }
    }

    /// `to_s` as Liquid's output uses it (arrays are joined, see [`Value::render_to`]).
    pub fn to_s(&self) -> String {
        let mut s = String::new();
        self.render_to(&mut s);
        s
    }

    /// Appends what `{{ value }}` prints: Ruby's `to_s`, with arrays joined recursively.
    pub fn render_to(&self, out: &mut String) {
        match self {
            Value::Nil | Value::Blank | Value::Empty => {}
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => push_int(*i, out),
            Value::Float(f) => push_float(*f, out),
            Value::Str(s) => out.push_str(s),
            Value::Array(a) => {
                for v in a.iter() {
                    v.render_to(out);
                }
            }
            Value::Hash(_) => out.push_str(&self.inspect()),
            Value::Range(a, b) => {
                use std::fmt::Write;
                let _ = write!(out, "{a}..{b}");
            }
            Value::Time(t) => out.push_str(&t.format("%Y-%m-%d %H:%M:%S %z").to_string()),
            Value::Object(o) => out.push_str(&o.to_liquid_string()),
        }
    }

    /// Ruby's `to_s` (arrays and hashes give their `inspect` form), as filters that call
    /// `input.to_s` see it. Output (`{{ }}`) joins arrays instead: see [`Value::render_to`].
    pub fn ruby_to_s(&self) -> String {
        match self {
            Value::Array(_) => self.inspect(),
            _ => self.to_s(),
        }
    }

    /// Ruby's `inspect`.
    pub fn inspect(&self) -> String {
        match self {
            Value::Nil => "nil".into(),
            Value::Str(s) => inspect_str(s),
            Value::Array(a) => {
                let parts: Vec<String> = a.iter().map(|v| v.inspect()).collect();
                format!("[{}]", parts.join(", "))
            }
            Value::Hash(h) => inspect_hash(h),
            Value::Object(o) => inspect_hash(&o.to_liquid_hash()),
            Value::Time(t) => t.format("%Y-%m-%d %H:%M:%S %z").to_string(),
            Value::Blank | Value::Empty => "#<Liquid::Expression::MethodLiteral>".into(),
            other => other.to_s(),
        }
    }

    /// Liquid's `blank?` as `== blank` uses it.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Nil | Value::Bool(false) => true,
            Value::Str(s) => s.chars().all(|c| c.is_whitespace()),
            Value::Array(a) => a.is_empty(),
            Value::Hash(h) => h.is_empty(),
            Value::Object(o) => o.keys().is_empty(),
            _ => false,
        }
    }

    /// Ruby's `empty?`, `None` when the value has no such method.
    pub fn is_empty_value(&self) -> Option<bool> {
        match self {
            Value::Str(s) => Some(s.is_empty()),
            Value::Array(a) => Some(a.is_empty()),
            Value::Hash(h) => Some(h.is_empty()),
            Value::Object(o) => Some(o.keys().is_empty()),
            _ => None,
        }
    }

    /// Ruby `==`.
    pub fn ruby_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                (*a as f64) == *b
            }
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.ruby_eq(y))
            }
            (Value::Hash(a), Value::Hash(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k).is_some_and(|w| v.ruby_eq(w)))
            }
            (Value::Range(a, b), Value::Range(c, d)) => a == c && b == d,
            (Value::Time(a), Value::Time(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => Arc::ptr_eq(a, b),
            (Value::Blank, Value::Blank) | (Value::Empty, Value::Empty) => true,
            _ => false,
        }
    }

    /// Ruby `<=>`: `None` when the two cannot be compared.
    pub fn ruby_cmp(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (Value::Int(a), Value::Float(b)) => (*a as f64).partial_cmp(b),
            (Value::Float(a), Value::Int(b)) => a.partial_cmp(&(*b as f64)),
            (Value::Float(a), Value::Float(b)) => a.partial_cmp(b),
            (Value::Str(a), Value::Str(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
            (Value::Time(a), Value::Time(b)) => Some(a.cmp(b)),
            (Value::Array(a), Value::Array(b)) => {
                for (x, y) in a.iter().zip(b.iter()) {
                    match x.ruby_cmp(y)? {
                        Ordering::Equal => {}
                        o => return Some(o),
                    }
                }
                Some(a.len().cmp(&b.len()))
            }
            (Value::Nil, Value::Nil) => Some(Ordering::Equal),
            (Value::Bool(a), Value::Bool(b)) if a == b => Some(Ordering::Equal),
            _ => None,
        }
    }

    /// Elements when the value is iterated (`for`, `join`, `map`...): hashes give `[key, value]`
    /// pairs, ranges their integers, other values themselves.
    pub fn to_array(&self) -> Vec<Value> {
        match self {
            Value::Array(a) => a.as_ref().clone(),
            Value::Hash(h) => h
                .iter()
                .map(|(k, v)| Value::from(vec![Value::from(k.as_str()), v.clone()]))
                .collect(),
            Value::Object(o) => o
                .to_liquid_hash()
                .into_iter()
                .map(|(k, v)| Value::from(vec![Value::from(k), v]))
                .collect(),
            Value::Range(a, b) => (*a..=*b).map(Value::Int).collect(),
            Value::Nil => vec![],
            other => vec![other.clone()],
        }
    }

    /// Reads `self[key]` as Liquid's variable lookup does; `None` when the key is absent.
    pub fn index(&self, key: &Value) -> Option<Value> {
        match (self, key) {
            (Value::Hash(h), Value::Str(k)) => hash_get(h, k).cloned(),
            (Value::Object(o), Value::Str(k)) => o.get(k),
            (Value::Array(a), Value::Int(i)) => {
                let len = a.len() as i64;
                let i = if *i < 0 { len + i } else { *i };
                if i < 0 || i >= len {
                    Some(Value::Nil)
                } else {
                    Some(a[i as usize].clone())
                }
            }
            (Value::Array(a), Value::Float(f)) => {
                let i = *f as i64;
                let len = a.len() as i64;
                let i = if i < 0 { len + i } else { i };
                if i < 0 || i >= len {
                    Some(Value::Nil)
                } else {
                    Some(a[i as usize].clone())
                }
            }
            _ => None,
        }
    }

    /// The "command" lookups `size`, `first`, `last` used when no key matched.
    pub fn command(&self, name: &str) -> Option<Value> {
        match (self, name) {
            (Value::Str(s), "size") => Some(Value::Int(s.chars().count() as i64)),
            (Value::Array(a), "size") => Some(Value::Int(a.len() as i64)),
            (Value::Array(a), "first") => Some(a.first().cloned().unwrap_or(Value::Nil)),
            (Value::Array(a), "last") => Some(a.last().cloned().unwrap_or(Value::Nil)),
            (Value::Hash(h), "size") => Some(Value::Int(h.len() as i64)),
            (Value::Hash(h), "first") => Some(
                h.iter()
                    .next()
                    .map(|(k, v)| Value::from(vec![Value::from(k.as_str()), v.clone()]))
                    .unwrap_or(Value::Nil),
            ),
            (Value::Range(a, b), "size") => Some(Value::Int(if b >= a { b - a + 1 } else { 0 })),
            (Value::Range(a, _), "first") => Some(Value::Int(*a)),
            (Value::Range(_, b), "last") => Some(Value::Int(*b)),
            (Value::Int(_), "size") => Some(Value::Int(8)),
            _ => None,
        }
    }
}

/// Appends an integer's decimal digits (no `fmt` machinery: outputs print many numbers).
pub(crate) fn push_int(i: i64, out: &mut String) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    let mut n = i.unsigned_abs();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.push('-');
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[pos..]).unwrap_or_default());
}

/// Appends [`float_to_s`] of `f` without an intermediate `String` in the common range.
pub(crate) fn push_float(f: f64, out: &mut String) {
    if f.is_finite() && f != 0.0 && (1e-4..1e16).contains(&f.abs()) {
        with_fixed_shortest(f, |s| out.push_str(s));
    } else {
        out.push_str(&float_to_s(f));
    }
}

/// Calls `k` with the shortest round-trip digits of a finite `f` with `1e-4 <= |f| < 1e16`,
/// in fixed notation with at least one fraction digit (`97.65625`, `123.0`): Ruby's
/// `Float#to_s` in that range. Ryū prints that form there, faster than `format!`; with 16
/// or more digits two shortest candidates can exist and Ryū may pick the other one than
/// Rust's formatter, so those take `format!`.
pub(crate) fn with_fixed_shortest<R>(f: f64, k: impl FnOnce(&str) -> R) -> R {
    if let Some(short) = ShortDecimal::of(f) {
        return k(short.as_str());
    }
    let mut buf = ryu::Buffer::new();
    let s = buf.format_finite(f);
    let significant = s
        .bytes()
        .filter(|b| b.is_ascii_digit())
        .skip_while(|b| *b == b'0')
        .count();
    if significant <= 15 {
        k(s)
    } else {
        let mut s = format!("{f}");
        if !s.contains('.') {
            s.push_str(".0");
        }
        k(&s)
    }
}

/// A float printed by trying 0, 1, 2, ... fraction digits until a decimal reads back as `f`
/// (`3.6` from `round: 1`, `3.615234375` from `divided_by: 1024.0`), without Ryū. It stops
/// once `|f| * 10^digits` reaches 2^51: below that, decimals of that many digits lie further
/// apart than the float spacing, so at most one reads back as `f` and the first digit count
/// that works is the shortest, which is what Ryū prints; and `(f * 10^digits).round()` is
/// within 0.5 of that decimal's digits, so it is never missed.
struct ShortDecimal {
    buf: [u8; 40],
    len: usize,
}

impl ShortDecimal {
    fn of(f: f64) -> Option<ShortDecimal> {
        const LIMIT: f64 = (1u64 << 51) as f64;
        if f.is_nan() {
            return None;
        }
        let mut scale = 1u64;
        for digits in 0..=15u32 {
            if f.abs() * scale as f64 >= LIMIT {
                return None;
            }
            let m = (f * scale as f64).round();
            // Both are exact integers and the division is correctly rounded: equality means
            // the decimal m / 10^digits reads back as `f`.
            if m / scale as f64 == f {
                let mut out = ShortDecimal {
                    buf: [0; 40],
                    len: 0,
                };
                let m = m.abs() as u64;
                if f < 0.0 {
                    out.push(b'-');
                }
                out.push_digits(m / scale, 1);
                out.push(b'.');
                out.push_digits(m % scale, digits.max(1) as usize);
                return Some(out);
            }
            scale *= 10;
        }
        None
    }

    fn push(&mut self, b: u8) {
        self.buf[self.len] = b;
        self.len += 1;
    }

    /// `n` in decimal, zero-padded to `width` digits.
    fn push_digits(&mut self, mut n: u64, width: usize) {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        while n > 0 || tmp.len() - i < width {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        for &b in &tmp[i..] {
            self.push(b);
        }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// Ruby's `Float#to_s`: shortest round-trip digits, `1.0`, `1.0e+20`, `1.0e-05`.
pub fn float_to_s(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Fixed notation (Ruby's range is 1e-4 <= |f| < 1e16): Rust's shortest Display, plus ".0".
    let abs = f.abs();
    if (1e-4..1e16).contains(&abs) {
        let mut s = format!("{f}");
        if !s.contains('.') {
            s.push_str(".0");
        }
        return s;
    }
    // Shortest digits via Rust's exponent formatting: "d.ddde±x".
    let e = format!("{:e}", f.abs());
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let decpt = exp + 1;
    let sign = if f < 0.0 { "-" } else { "" };
    let nd = digits.len() as i32;
    if 0 < decpt && decpt <= 16 {
        if nd <= decpt {
            format!("{sign}{}{}.0", digits, "0".repeat((decpt - nd) as usize))
        } else {
            format!(
                "{sign}{}.{}",
                &digits[..decpt as usize],
                &digits[decpt as usize..]
            )
        }
    } else if -4 < decpt && decpt <= 0 {
        format!("{sign}0.{}{}", "0".repeat((-decpt) as usize), digits)
    } else {
        let frac = if nd > 1 { &digits[1..] } else { "0" };
        let x = decpt - 1;
        format!(
            "{sign}{}.{}e{}{:02}",
            &digits[..1],
            frac,
            if x < 0 { '-' } else { '+' },
            x.abs()
        )
    }
}

/// Ruby's `String#inspect`.
pub fn inspect_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x1b' => out.push_str("\\e"),
            '#' => {
                if matches!(chars.peek(), Some('{') | Some('$') | Some('@')) {
                    out.push_str("\\#");
                } else {
                    out.push('#');
                }
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn inspect_hash(h: &Hash) -> String {
    if h.is_empty() {
        return "{}".into();
    }
    let parts: Vec<String> = h
        .iter()
        .map(|(k, v)| format!("{}=>{}", inspect_str(k), v.inspect()))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn same_bytes_is_slice_equality(a in proptest::collection::vec(0u8..3, 0..24), flip in 0usize..24) {
            let mut b = a.clone();
            proptest::prop_assert!(same_bytes(&a, &b));
            if let Some(x) = b.get_mut(flip) {
                *x ^= 1;
            }
            proptest::prop_assert_eq!(same_bytes(&a, &b), a == b);
            let mut longer = a.clone();
            longer.push(0);
            proptest::prop_assert!(!same_bytes(&a, &longer));
        }
    }

    #[test]
    fn floats_print_like_ruby() {
        assert_eq!(float_to_s(1.0), "1.0");
        assert_eq!(float_to_s(1e20), "1.0e+20");
        assert_eq!(float_to_s(1e-5), "1.0e-05");
        assert_eq!(float_to_s(0.0001), "0.0001");
        assert_eq!(float_to_s(-0.0), "-0.0");
        assert_eq!(float_to_s(1e15), "1000000000000000.0");
        assert_eq!(float_to_s(1e16), "1.0e+16");
        assert_eq!(float_to_s(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(float_to_s(123.456), "123.456");
        assert_eq!(float_to_s(1.5e300), "1.5e+300");
    }

    #[test]
    fn ryu_prints_like_float_to_s() {
        let mut st = 1u64;
        for i in 0..200_000u64 {
            st = st
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let f = if i % 2 == 0 {
                // Any bit pattern in range.
                f64::from_bits(st >> 1)
            } else {
                // Short decimals and quotients, as templates compute them.
                ((st >> 33) % 10_000_000) as f64
                    / [
                        1.0, 3.0, 7.0, 10.0, 1024.0, 1e3, 1e4, 1e5, -100.0, 1048576.0,
                    ][i as usize % 10]
            };
            if f.is_finite() && f != 0.0 && (1e-4..1e16).contains(&f.abs()) {
                assert_eq!(
                    with_fixed_shortest(f, str::to_string),
                    float_to_s(f),
                    "{f:e}"
                );
            }
        }
    }

    #[test]
    fn pushed_numbers_print_like_to_s() {
        for f in [
            1.0,
            -1.0,
            0.0,
            -0.0,
            1e-5,
            1e-4,
            0.1 + 0.2,
            97.65625,
            -3.5,
            1e15,
            1e16,
            9.999e15,
            f64::NAN,
            f64::INFINITY,
            1.5e300,
            -2.25e-7,
        ] {
            let mut s = String::from("x");
            push_float(f, &mut s);
            assert_eq!(s, format!("x{}", float_to_s(f)), "{f}");
        }
        for i in [0, 7, -7, 10, 1234567890, i64::MAX, i64::MIN, -100] {
            let mut s = String::new();
            push_int(i, &mut s);
            assert_eq!(s, i.to_string());
        }
    }

    #[test]
    fn hashes_inspect_like_ruby() {
        let mut h = Hash::default();
        h.insert("a".into(), Value::Int(1));
        h.insert("b".into(), Value::from(vec![Value::Nil, Value::str("x")]));
        assert_eq!(Value::from(h).to_s(), r#"{"a"=>1, "b"=>[nil, "x"]}"#);
    }
}
