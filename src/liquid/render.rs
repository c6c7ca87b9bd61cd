//! Evaluation: block bodies (with Liquid's blank-block and interrupt rules), expressions,
//! variable lookups (`size`/`first`/`last` commands), filter calls and conditions.
//!
//! Not for: individual tags or filters (see `tags/` and `filters/`).

use std::cmp::Ordering;

use super::context::Context;
use super::error::{LResult, LiquidError};
use super::filters::{escape_html_into, join_into};
use super::parser::{Body, Condition, Expr, FilterCall, Lookup, LookupKey, Node, Variable};
use super::value::{hash_get, Hash, Value};

impl Body {
    /// Liquid 4's `BlockBody#render`.
    pub fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        for node in &self.nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Output(v) => {
                    v.render_into(ctx, out).map_err(|e| e.with_line(v.line))?;
                }
                Node::Tag {
                    tag,
                    line,
                    blank_block,
                } => {
                    if *blank_block {
                        let mut scratch = String::new();
                        tag.render(ctx, &mut scratch)
                            .map_err(|e| e.with_line(*line))?;
                    } else {
                        tag.render(ctx, out).map_err(|e| e.with_line(*line))?;
                    }
                    if !ctx.interrupts.is_empty() {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Expr {
    pub fn eval(&self, ctx: &Context) -> LResult<Value> {
        match self {
            Expr::Lit(v) => Ok(v.clone()),
            Expr::Lookup(l) => l.eval(ctx),
            Expr::Range(a, b) => {
                let a = range_int(a.eval(ctx)?)?;
                let b = range_int(b.eval(ctx)?)?;
                Ok(Value::Range(a, b))
            }
        }
    }
}

/// RangeLookup's `to_integer`.
fn range_int(v: Value) -> LResult<i64> {
    match v {
        Value::Int(i) => Ok(i),
        Value::Nil => Ok(0),
        Value::Str(s) => Ok(super::parser::ruby_str_to_i(&s)),
        other => {
            let s = other.to_s();
            s.parse::<i64>()
                .map_err(|_| LiquidError::argument("invalid integer"))
        }
    }
}

impl Lookup {
    /// Liquid 4's `VariableLookup#evaluate`.
    pub fn eval(&self, ctx: &Context) -> LResult<Value> {
        // Fast path: a named variable and named keys through hashes, all by reference (the
        // common `item.name`); anything else continues on the general path below.
        let LookupKey::Name(n) = &self.name else {
            return self.eval_general(ctx);
        };
        let mut cur = ctx.find_ref(n);
        for (i, (part, _)) in self.parts.iter().enumerate() {
            match (cur, part) {
                (Value::Hash(h), LookupKey::Name(k)) => match hash_get(h, k) {
                    Some(v) => cur = v,
                    None => return self.eval_parts(cur.clone(), i, ctx),
                },
                _ => return self.eval_parts(cur.clone(), i, ctx),
            }
        }
        Ok(cur.clone())
    }

    fn eval_general(&self, ctx: &Context) -> LResult<Value> {
        let obj = match &self.name {
            LookupKey::Name(n) => ctx.find_variable(n),
            LookupKey::Expr(e) => {
                let key = e.eval(ctx)?;
                match key {
                    Value::Str(s) => ctx.find_variable(&s),
                    // Ruby hashes are keyed by the object: only strings find variables.
                    _ => Value::Nil,
                }
            }
        };
        self.eval_parts(obj, 0, ctx)
    }

    /// Applies `parts[from..]` to `obj`.
    fn eval_parts(&self, mut obj: Value, from: usize, ctx: &Context) -> LResult<Value> {
        for (part, command) in &self.parts[from..] {
            let key = match part {
                LookupKey::Name(n) => Value::Str(n.clone()),
                LookupKey::Expr(e) => e.eval(ctx)?,
            };
            if let Some(v) = obj.index(&key) {
                obj = v;
            } else if *command {
                match obj.command(key.as_str().unwrap_or("")) {
                    Some(v) => obj = v,
                    None => return Ok(Value::Nil),
                }
            } else {
                return Ok(Value::Nil);
            }
        }
        Ok(obj)
    }
}

impl Variable {
    /// The value of the variable after its filters (not yet printed).
    pub fn evaluate(&self, ctx: &mut Context) -> LResult<Value> {
        let v = match &self.name {
            Some(e) => e.eval(ctx)?,
            None => Value::Nil,
        };
        apply_filters(v, &self.filters, ctx)
    }

    /// `{{ … }}`: evaluates and prints. A last `escape` of a string or `join` of an array
    /// writes straight into `out` (the same text, without the intermediate string).
    pub fn render_into(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        let Some((last, rest)) = self.filters.split_last() else {
            self.evaluate(ctx)?.render_to(out);
            return Ok(());
        };
        let direct = match last.def {
            Some(d) if last.kwargs.is_empty() => match d.name {
                "escape" | "h" if last.args.is_empty() => Some(true),
                "join" if last.args.len() <= 1 => Some(false),
                _ => None,
            },
            _ => None,
        };
        let Some(is_escape) = direct else {
            self.evaluate(ctx)?.render_to(out);
            return Ok(());
        };
        let v = match &self.name {
            Some(e) => e.eval(ctx)?,
            None => Value::Nil,
        };
        let v = apply_filters(v, rest, ctx)?;
        match (&v, is_escape) {
            (Value::Str(s), true) => {
                escape_html_into(s, out);
                return Ok(());
            }
            (Value::Array(a), false) => {
                let glue = match last.args.first() {
                    Some(e) => e.eval(ctx)?,
                    None => Value::from(" "),
                };
                if let Value::Str(g) = &glue {
                    join_into(a, g, out);
                    return Ok(());
                }
                let v = apply_filters(v, std::slice::from_ref(last), ctx)?;
                v.render_to(out);
                return Ok(());
            }
            _ => {}
        }
        apply_filters(v, std::slice::from_ref(last), ctx)?.render_to(out);
        Ok(())
    }
}

/// Applies filter calls in order (Liquid 4's `Variable#render`).
fn apply_filters(mut v: Value, filters: &[FilterCall], ctx: &mut Context) -> LResult<Value> {
    for f in filters {
        let Some(def) = f.def else { continue };
        // Most calls take at most two positional arguments: keep them on the stack.
        let mut small: [Value; 2] = Default::default();
        let mut vec_args = Vec::new();
        let n = f.args.len() + usize::from(!f.kwargs.is_empty());
        let args: &[Value] = if f.kwargs.is_empty() && f.args.len() <= small.len() {
            for (slot, a) in small.iter_mut().zip(&f.args) {
                *slot = a.eval(ctx)?;
            }
            &small[..f.args.len()]
        } else {
            vec_args.reserve(n);
            for a in &f.args {
                vec_args.push(a.eval(ctx)?);
            }
            if !f.kwargs.is_empty() {
                let mut h = Hash::default();
                for (k, e) in &f.kwargs {
                    h.insert(k.clone(), e.eval(ctx)?);
                }
                vec_args.push(Value::from(h));
            }
            &vec_args
        };
        if args.len() < def.min_args || args.len() > def.max_args {
            return Err(LiquidError::argument(format!(
                "wrong number of arguments (given {}, expected {})",
                args.len() + 1,
                if def.min_args == def.max_args {
                    format!("{}", def.min_args + 1)
                } else {
                    format!("{}..{}", def.min_args + 1, def.max_args + 1)
                }
            )));
        }
        v = (def.f)(v, args, ctx)?;
    }
    Ok(v)
}

impl Condition {
    /// Liquid 4's `Condition#evaluate`.
    pub fn evaluate(&self, ctx: &Context) -> LResult<bool> {
        let result = self.interpret(ctx)?;
        match &self.child {
            None => Ok(result),
            Some((true, c)) => Ok(result && c.evaluate(ctx)?),
            Some((false, c)) => Ok(result || c.evaluate(ctx)?),
        }
    }

    fn interpret(&self, ctx: &Context) -> LResult<bool> {
        let Some(op) = &self.op else {
            return Ok(self.left.eval(ctx)?.truthy());
        };
        let l = self.left.eval(ctx)?;
        let r = self.right.eval(ctx)?;
        compare(&l, op, &r)
    }
}

/// Applies a comparison operator with Liquid 4's rules.
pub fn compare(l: &Value, op: &str, r: &Value) -> LResult<bool> {
    match op {
        "==" => Ok(equal_variables(l, r)),
        "!=" | "<>" => Ok(!equal_variables(l, r)),
        "contains" => Ok(contains(l, r)),
        "<" | ">" | "<=" | ">=" => {
            let comparable = |v: &Value| {
                matches!(
                    v,
                    Value::Int(_) | Value::Float(_) | Value::Str(_) | Value::Time(_)
                )
            };
            if !comparable(l) || !comparable(r) {
                return Ok(false);
            }
            let Some(ord) = l.ruby_cmp(r) else {
                if let (Value::Float(_), _) | (_, Value::Float(_)) = (l, r) {
                    if matches!(
                        (l, r),
                        (
                            Value::Float(_) | Value::Int(_),
                            Value::Float(_) | Value::Int(_)
                        )
                    ) {
                        // NaN compares false.
                        return Ok(false);
                    }
                }
                return Err(LiquidError::argument(format!(
                    "comparison of {} with {} failed",
                    l.class_name(),
                    cmp_operand(r)
                )));
            };
            Ok(match op {
                "<" => ord == Ordering::Less,
                ">" => ord == Ordering::Greater,
                "<=" => ord != Ordering::Greater,
                _ => ord != Ordering::Less,
            })
        }
        _ => Err(LiquidError::argument(format!("Unknown operator {op}"))),
    }
}

fn cmp_operand(v: &Value) -> String {
    match v {
        Value::Int(_) | Value::Float(_) => v.to_s(),
        _ => v.class_name().to_string(),
    }
}

/// `==` with the `blank`/`empty` literals.
pub fn equal_variables(l: &Value, r: &Value) -> bool {
    match (l, r) {
        // Liquid 4 asks the other side `blank?` / `empty?`; no plain Ruby value has `blank?`.
        (Value::Blank, _) | (_, Value::Blank) => false,
        (Value::Empty, v) | (v, Value::Empty) => v.is_empty_value().unwrap_or(false),
        _ => l.ruby_eq(r),
    }
}

fn contains(l: &Value, r: &Value) -> bool {
    if !l.truthy() || !r.truthy() {
        return false;
    }
    match l {
        Value::Str(s) => s.contains(&*r.to_s()),
        Value::Array(a) => a.iter().any(|v| v.ruby_eq(r)),
        Value::Hash(h) => r.as_str().is_some_and(|k| h.contains_key(k)),
        Value::Object(o) => r.as_str().is_some_and(|k| o.get(k).is_some()),
        Value::Range(a, b) => match r {
            Value::Int(i) => a <= i && i <= b,
            Value::Float(f) => (*a as f64) <= *f && *f <= (*b as f64),
            _ => false,
        },
        _ => false,
    }
}
