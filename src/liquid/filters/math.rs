//! Arithmetic filters: `plus`, `minus`, `times`, `divided_by`, `modulo`, `abs`, `round`,
//! `ceil`, `floor`, `at_least`, `at_most`.
//!
//! Liquid 4.0.4 turns floats (and strings like `"1.5"`) into `BigDecimal` before computing
//! and back into a float after, so `0.1 | plus: 0.2` is `0.3` and `100 | times: 1.1` is
//! `110.0`. Integers stay integers (Ruby's floored division and modulo).

use std::str::FromStr;

use bigdecimal::{BigDecimal, RoundingMode, ToPrimitive, Zero};

use super::{def, FilterDef};
use crate::liquid::context::Context;
use crate::liquid::error::{LResult, LiquidError};
use crate::liquid::value::{float_to_s, Value};

pub const FILTERS: &[FilterDef] = &[
    def("plus", plus, 1, 1),
    def("minus", minus, 1, 1),
    def("times", times, 1, 1),
    def("divided_by", divided_by, 1, 1),
    def("modulo", modulo, 1, 1),
    def("abs", abs, 0, 0),
    def("round", round, 0, 1),
    def("ceil", ceil, 0, 0),
    def("floor", floor, 0, 0),
    def("at_least", at_least, 1, 1),
    def("at_most", at_most, 1, 1),
];

/// A number as `Utils.to_number` makes it.
#[derive(Clone, Debug)]
pub enum Num {
    Int(i64),
    Dec(BigDecimal),
    /// NaN and infinities, which BigDecimal keeps as special values.
    Special(f64),
}

fn is_decimal_string(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i = 1;
    }
    let d1 = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if d1 == 0 {
        return false;
    }
    i += d1;
    if b.get(i) != Some(&b'.') {
        return false;
    }
    i += 1;
    let d2 = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    d2 > 0 && i + d2 == b.len()
}

/// Liquid's `Utils.to_number`.
pub fn to_number(v: &Value) -> Num {
    match v {
        Value::Int(i) => Num::Int(*i),
        Value::Float(f) => float_num(*f),
        Value::Str(s) => {
            let t = crate::liquid::lexer::rb_strip(s);
            if is_decimal_string(t) {
                BigDecimal::from_str(t).map(Num::Dec).unwrap_or(Num::Int(0))
            } else {
                Num::Int(crate::liquid::parser::ruby_str_to_i(s))
            }
        }
        _ => Num::Int(0),
    }
}

fn float_num(f: f64) -> Num {
    if !f.is_finite() {
        return Num::Special(f);
    }
    // Integral floats (1024.0) are exact integers: skip printing and re-parsing them.
    if f.fract() == 0.0 && f != 0.0 && f.abs() < 1e15 {
        return Num::Dec(BigDecimal::from(f as i64));
    }
    BigDecimal::from_str(&float_to_s(f))
        .map(Num::Dec)
        .unwrap_or(Num::Special(f))
}

fn dec(n: &Num) -> Option<BigDecimal> {
    match n {
        Num::Int(i) => Some(BigDecimal::from(*i)),
        Num::Dec(d) => Some(d.clone()),
        Num::Special(_) => None,
    }
}

fn to_f(n: &Num) -> f64 {
    match n {
        Num::Int(i) => *i as f64,
        Num::Dec(d) => dec_to_f(d),
        Num::Special(f) => *f,
    }
}

fn dec_to_f(d: &BigDecimal) -> f64 {
    d.to_string()
        .parse::<f64>()
        .unwrap_or_else(|_| d.to_f64().unwrap_or(0.0))
}

fn value(n: Num) -> Value {
    match n {
        Num::Int(i) => Value::Int(i),
        Num::Dec(d) => Value::Float(dec_to_f(&d)),
        Num::Special(f) => Value::Float(f),
    }
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

fn zero_div() -> LiquidError {
    LiquidError::runtime("Liquid::ZeroDivisionError", "divided by 0")
}

fn apply(a: Num, b: Num, op: Op) -> LResult<Value> {
    if let (Num::Int(x), Num::Int(y)) = (&a, &b) {
        let (x, y) = (*x, *y);
        let r = match op {
            Op::Add => x.checked_add(y),
            Op::Sub => x.checked_sub(y),
            Op::Mul => x.checked_mul(y),
            Op::Div => {
                if y == 0 {
                    return Err(zero_div());
                }
                x.checked_div_euclid(y).map(|_| x.div_euclid(y)).map(|_| {
                    let q = x / y;
                    if (x % y != 0) && ((x < 0) != (y < 0)) {
                        q - 1
                    } else {
                        q
                    }
                })
            }
            Op::Mod => {
                if y == 0 {
                    return Err(zero_div());
                }
                x.checked_rem(y).map(|r| {
                    if r != 0 && ((r < 0) != (y < 0)) {
                        r + y
                    } else {
                        r
                    }
                })
            }
        };
        return Ok(match r {
            Some(v) => Value::Int(v),
            None => Value::Float(float_op(x as f64, y as f64, op)),
        });
    }
    match (dec(&a), dec(&b)) {
        (Some(x), Some(y)) => {
            let r = match op {
                Op::Add => x + y,
                Op::Sub => x - y,
                Op::Mul => x * y,
                Op::Div => {
                    if y.is_zero() {
                        // BigDecimal division by zero gives ±Infinity or NaN, not an error.
                        return Ok(Value::Float(if x.is_zero() {
                            f64::NAN
                        } else if x < BigDecimal::zero() {
                            f64::NEG_INFINITY
                        } else {
                            f64::INFINITY
                        }));
                    }
                    match fast_div(&x, &y) {
                        Some(f) => return Ok(Value::Float(f)),
                        None => (x / y).with_prec(40),
                    }
                }
                Op::Mod => {
                    if y.is_zero() {
                        return Err(zero_div());
                    }
                    let q = (&x / &y).with_scale_round(0, RoundingMode::Floor);
                    x - q * y
                }
            };
            Ok(Value::Float(dec_to_f(&r)))
        }
        _ => Ok(Value::Float(float_op(to_f(&a), to_f(&b), op))),
    }
}

/// The quotient of two decimals whose digits fit in an `i128`, truncated after 24
/// significant digits (BigDecimal keeps fewer) and rounded once into an `f64`.
fn fast_div(x: &BigDecimal, y: &BigDecimal) -> Option<f64> {
    use bigdecimal::num_bigint::ToBigInt;
    let (mx, sx) = x.as_bigint_and_exponent();
    let (my, sy) = y.as_bigint_and_exponent();
    let (mx, my): (i128, i128) = (
        mx.to_bigint()?.try_into().ok()?,
        my.to_bigint()?.try_into().ok()?,
    );
    div_digits(mx, sx, my, sy)
}

/// [`fast_div`] on the unscaled digits and scales (`mx * 10^-sx / my * 10^-sy`).
fn div_digits(mx: i128, sx: i64, my: i128, sy: i64) -> Option<f64> {
    if mx.unsigned_abs() >= 1u128 << 64 || my.unsigned_abs() >= 1u128 << 64 || my == 0 {
        return None;
    }
    // Scale the numerator up so the integer quotient carries at least 24 digits.
    let digits = |v: i128| v.unsigned_abs().checked_ilog10().unwrap_or(0) as i64 + 1;
    let k = (24 - (digits(mx) - digits(my))).clamp(0, 38 - digits(mx));
    let num = mx.checked_mul(10i128.checked_pow(k as u32)?)?;
    let q = num / my;
    // value = q * 10^-(sx - sy + k), rounded once by the decimal parser.
    let exp = -(sx - sy + k);
    let mut buf = StackStr::default();
    std::fmt::Write::write_fmt(&mut buf, format_args!("{q}e{exp}")).ok()?;
    buf.as_str().parse::<f64>().ok()
}

/// A small fixed buffer for number text (no heap allocation per filter call).
struct StackStr {
    buf: [u8; 80],
    len: usize,
}

impl Default for StackStr {
    fn default() -> Self {
        StackStr {
            buf: [0; 80],
            len: 0,
        }
    }
}

impl StackStr {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackStr {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `integer | divided_by: integral float` (`size | divided_by: 1024.0`) without BigDecimal:
/// the same digits [`apply`] reaches through `fast_div` for these operands.
fn div_int_by_integral_float(x: i64, y: f64) -> Option<f64> {
    if y.is_finite() && y.fract() == 0.0 && y != 0.0 && y.abs() < 1e15 {
        // A power-of-two divisor of a 53-bit integer: the quotient is exact in binary, so
        // the float division is that quotient, as the decimal route gives it (24 truncated
        // digits are far closer to it than half an ulp). Zero stays +0.0, as there.
        if (y.abs() as u64).is_power_of_two() && x.unsigned_abs() < 1u64 << 53 {
            return Some(if x == 0 { 0.0 } else { x as f64 / y });
        }
        div_digits(i128::from(x), 0, i128::from(y as i64), 0)
    } else {
        None
    }
}

/// Powers of ten exact in an `f64`.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// `float | round: n` for `n >= 1` without BigDecimal: half-up rounding of the decimal digits
/// of `Float#to_s` (what `BigDecimal(f.to_s).round(n)` sees), read back as a float. `None`
/// outside the plain cases (zero results, tiny or huge values), which take the slow path.
fn round_float(f: f64, n: i64) -> Option<f64> {
    if !f.is_finite() || f == 0.0 || !(1e-4..1e15).contains(&f.abs()) || !(1..=15).contains(&n) {
        return None;
    }
    if f.fract() == 0.0 {
        return Some(f);
    }
    if let Some(r) = round_clear_of_half(f, n as usize) {
        return Some(r);
    }
    crate::liquid::value::with_fixed_shortest(f.abs(), |text| round_digits(f, text, n))
}

/// [`round_float`] without printing, when `|f|·10^n` is clearly not near a half. The printed
/// decimal `D` of `f` is within half an ulp of `|f|`, and `t = |f|·10^n` is within half an ulp
/// of the exact product, so `D·10^n` is within ~1.5 ulp(t) < `t·2^-50` of `t`: outside that
/// distance from `.5`, rounding `D` half-up at `n` digits gives `round(t)`, and the rounded
/// decimal `m / 10^n` reads back as the correctly rounded division. Zero results and huge
/// products take the printing path.
fn round_clear_of_half(f: f64, n: usize) -> Option<f64> {
    const LIMIT: f64 = (1u64 << 50) as f64;
    let t = f.abs() * POW10[n];
    if t >= LIMIT {
        return None;
    }
    let whole = t as u64;
    // Exact: both are below 2^50 and `whole` is `t` truncated.
    let frac = t - whole as f64;
    if (frac - 0.5).abs() <= t * (1.0 / (1u64 << 50) as f64) {
        return None;
    }
    let m = whole + u64::from(frac > 0.5);
    if m == 0 {
        return None;
    }
    let r = m as f64 / POW10[n];
    Some(if f < 0.0 { -r } else { r })
}

/// [`round_float`] on the printed digits of `|f|`.
fn round_digits(f: f64, text: &str, n: i64) -> Option<f64> {
    let (int_part, frac) = text.split_once('.')?;
    let n = n as usize;
    if frac.len() <= n {
        return Some(f);
    }
    // Digits kept: the integer part then `n` fraction digits, plus one for a carry.
    let mut digits = [0u8; 48];
    let kept = int_part.len() + n;
    if kept + 1 > digits.len() {
        return None;
    }
    digits[1..=int_part.len()].copy_from_slice(int_part.as_bytes());
    digits[int_part.len() + 1..=kept].copy_from_slice(&frac.as_bytes()[..n]);
    digits[0] = b'0';
    if frac.as_bytes()[n] >= b'5' {
        let mut i = kept;
        loop {
            if digits[i] == b'9' {
                digits[i] = b'0';
                i -= 1;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    if digits[..=kept].iter().all(|d| *d == b'0') {
        return None;
    }
    // The kept digits as an integer over 10^n. Within 2^53 (and n <= 15, so 10^n is
    // exact) one float division is the correctly rounded value, as parsing the text gives
    // (Clinger's fast path).
    let mut w: u64 = 0;
    for d in &digits[..=kept] {
        w = w.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if w >= 1u64 << 53 {
        return None;
    }
    let r = w as f64 / POW10[n];
    Some(if f < 0.0 { -r } else { r })
}

fn float_op(x: f64, y: f64, op: Op) -> f64 {
    match op {
        Op::Add => x + y,
        Op::Sub => x - y,
        Op::Mul => x * y,
        Op::Div => x / y,
        Op::Mod => {
            let r = x % y;
            if r != 0.0 && ((r < 0.0) != (y < 0.0)) {
                r + y
            } else {
                r
            }
        }
    }
}

fn arg(args: &[Value]) -> Num {
    to_number(args.first().unwrap_or(&Value::Nil))
}

fn plus(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    apply(to_number(&input), arg(args), Op::Add)
}
fn minus(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    apply(to_number(&input), arg(args), Op::Sub)
}
fn times(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    apply(to_number(&input), arg(args), Op::Mul)
}
fn divided_by(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    if let (Value::Int(x), Some(Value::Float(y))) = (&input, args.first()) {
        if let Some(q) = div_int_by_integral_float(*x, *y) {
            return Ok(Value::Float(q));
        }
    }
    apply(to_number(&input), arg(args), Op::Div)
}
fn modulo(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    apply(to_number(&input), arg(args), Op::Mod)
}

fn abs(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    Ok(match to_number(&input) {
        Num::Int(i) => Value::Int(i.saturating_abs()),
        Num::Dec(d) => Value::Float(dec_to_f(&d.abs())),
        Num::Special(f) => Value::Float(f.abs()),
    })
}

fn float_domain(f: f64) -> LiquidError {
    LiquidError::runtime("FloatDomainError", float_to_s(f))
}

fn round(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let n = match args.first() {
        None => 0,
        Some(v) => match to_number(v) {
            Num::Int(i) => i,
            Num::Dec(d) => d.to_i64().unwrap_or(0),
            Num::Special(_) => 0,
        },
    };
    if let Value::Float(f) = input {
        if let Some(r) = round_float(f, n) {
            return Ok(Value::Float(r));
        }
    }
    match to_number(&input) {
        Num::Int(i) => {
            if n >= 0 {
                Ok(Value::Int(i))
            } else {
                let d = BigDecimal::from(i).with_scale_round(n, RoundingMode::HalfUp);
                Ok(Value::Int(d.to_i64().unwrap_or(i)))
            }
        }
        Num::Dec(d) => {
            let r = d.with_scale_round(n, RoundingMode::HalfUp);
            // BigDecimal#round(n) gives an Integer for n < 1.
            if n <= 0 {
                Ok(Value::Int(r.to_i64().unwrap_or(0)))
            } else {
                Ok(Value::Float(dec_to_f(&r)))
            }
        }
        Num::Special(f) => Err(float_domain(f)),
    }
}

fn ceil(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    match to_number(&input) {
        Num::Int(i) => Ok(Value::Int(i)),
        Num::Dec(d) => Ok(Value::Int(
            d.with_scale_round(0, RoundingMode::Ceiling)
                .to_i64()
                .unwrap_or(0),
        )),
        Num::Special(f) => Err(float_domain(f)),
    }
}

fn floor(input: Value, _: &[Value], _: &mut Context) -> LResult<Value> {
    match to_number(&input) {
        Num::Int(i) => Ok(Value::Int(i)),
        Num::Dec(d) => Ok(Value::Int(
            d.with_scale_round(0, RoundingMode::Floor)
                .to_i64()
                .unwrap_or(0),
        )),
        Num::Special(f) => Err(float_domain(f)),
    }
}

fn num_cmp(a: &Num, b: &Num) -> std::cmp::Ordering {
    match (dec(a), dec(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => to_f(a)
            .partial_cmp(&to_f(b))
            .unwrap_or(std::cmp::Ordering::Equal),
    }
}

fn at_least(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let min = arg(args);
    let v = to_number(&input);
    Ok(value(if num_cmp(&min, &v) == std::cmp::Ordering::Greater {
        min
    } else {
        v
    }))
}

fn at_most(input: Value, args: &[Value], _: &mut Context) -> LResult<Value> {
    let max = arg(args);
    let v = to_number(&input);
    Ok(value(if num_cmp(&max, &v) == std::cmp::Ordering::Less {
        max
    } else {
        v
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn div(a: Value, b: Value) -> Value {
        apply(to_number(&a), to_number(&b), Op::Div).unwrap()
    }

    #[test]
    fn decimal_arithmetic_like_bigdecimal() {
        assert_eq!(div(Value::Float(0.3), Value::Float(0.1)).to_s(), "3.0");
        assert_eq!(
            div(Value::Int(1), Value::Float(3.0)).to_s(),
            "0.3333333333333333"
        );
        assert_eq!(div(Value::Int(7), Value::Int(-2)).to_s(), "-4");
        let plus = apply(
            to_number(&Value::Float(0.1)),
            to_number(&Value::Float(0.2)),
            Op::Add,
        )
        .unwrap();
        assert_eq!(plus.to_s(), "0.3");
        let times = apply(
            to_number(&Value::Int(100)),
            to_number(&Value::Float(1.1)),
            Op::Mul,
        )
        .unwrap();
        assert_eq!(times.to_s(), "110.0");
        let m = apply(
            to_number(&Value::Int(-7)),
            to_number(&Value::Int(3)),
            Op::Mod,
        )
        .unwrap();
        assert_eq!(m.to_s(), "2");
    }

    /// A small deterministic generator (no `rand` dependency).
    fn lcg(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state >> 11
    }

    fn round_slow(f: f64, n: i64) -> Value {
        match to_number(&Value::Float(f)) {
            Num::Dec(d) => Value::Float(dec_to_f(&d.with_scale_round(n, RoundingMode::HalfUp))),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fast_round_matches_bigdecimal() {
        let mut st = 42u64;
        let mut cases: Vec<f64> = (0..5000).map(|i| (i * 37 % 5000) as f64 / 1024.0).collect();
        cases.extend([
            0.05, 0.15, 0.25, 0.35, 1.005, 2.675, 9.95, 9.96, 99.95, 999.9999, -0.15,
        ]);
        cases.extend([-9.96, 123456789.987654, 0.00015, -2.5, 1.45, 1e14 + 0.5]);
        // Halves at every digit position, and their float neighbours: where the printed
        // decimal decides and `round_clear_of_half` must step aside.
        for d in 1..=6 {
            let scale = 10f64.powi(d);
            for k in 0..500u64 {
                let half = (2 * k + 1) as f64 / (2.0 * scale) + (k / 7) as f64;
                cases.extend([half, half.next_up(), half.next_down(), -half]);
            }
        }
        for _ in 0..20000 {
            let mant = lcg(&mut st) as f64 / (1u64 << 53) as f64;
            let exp = (lcg(&mut st) % 20) as i32 - 4;
            let sign = if lcg(&mut st).is_multiple_of(2) {
                1.0
            } else {
                -1.0
            };
            cases.push(sign * mant * 10f64.powi(exp));
        }
        for f in cases {
            for n in 1..=16 {
                if let Some(fast) = round_float(f, n) {
                    let slow = round_slow(f, n);
                    assert_eq!(Value::Float(fast).to_s(), slow.to_s(), "{f} round {n}");
                }
            }
        }
    }

    #[test]
    fn fast_int_division_matches_bigdecimal() {
        let mut st = 7u64;
        let mut pairs: Vec<(i64, f64)> = (0..5000)
            .map(|i| ((i * 37 % 5000) as i64, 1024.0))
            .collect();
        pairs.extend([
            (1, 3.0),
            (-7, 2.0),
            (0, 5.0),
            (i64::MAX, 3.0),
            (i64::MIN, -7.0),
        ]);
        for _ in 0..20000 {
            let x = (lcg(&mut st) as i64) >> (lcg(&mut st) % 60);
            let x = if lcg(&mut st).is_multiple_of(2) {
                x
            } else {
                -x
            };
            let y = ((lcg(&mut st) % 100_000) as f64 + 1.0)
                * if lcg(&mut st).is_multiple_of(3) {
                    -1.0
                } else {
                    1.0
                };
            pairs.push((x, y));
        }
        for (x, y) in pairs {
            let slow = div(Value::Int(x), Value::Float(y));
            if let Some(fast) = div_int_by_integral_float(x, y) {
                assert_eq!(Value::Float(fast).to_s(), slow.to_s(), "{x} / {y}");
            }
        }
    }
}
