//! `for` (with `else`, `limit`, `offset` incl. `continue`, `reversed`, `forloop`), `break`,
//! `continue`, `tablerow` (`tablerowloop`) and `cycle` (with groups).

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::Arc;

use super::{body_until_tag, simple_block, unknown_tag};
use crate::liquid::context::{Context, Interrupt};
use crate::liquid::error::{LResult, LiquidError};
use crate::liquid::lexer::{Re, QF, WS};
use crate::liquid::parser::{ruby_str_to_i, Body, Expr, Parser, TagNode};
use crate::liquid::strict::{StrictParser, Tok};
use crate::liquid::value::{Hash, ObjectView, Value};

/// Most items one loop may take. Ruby would grind on for hours; we stop with an error.
pub const MAX_LOOP_ITEMS: i64 = 1_000_000;

struct For {
    var: String,
    /// The loop's name for `offset: continue` (`"item-collection"`).
    name: String,
    collection: Expr,
    reversed: bool,
    limit: Option<Expr>,
    /// `None`: no offset; `Some(None)`: `offset: continue`.
    offset: Option<Option<Expr>>,
    body: Body,
    else_body: Option<Body>,
}

static FOR_SYNTAX: Re = Re::new(|| format!(r"\A([\w\-]+){WS}+in{WS}+({QF}+){WS}*(reversed)?"));
static TAG_ATTRIBUTES: Re = Re::new(|| format!(r"(\w+){WS}*:{WS}*({QF})"));

/// `For#strict_parse`: `(var, collection markup, reversed, [(attribute, expression)])`.
type ForHead = (String, String, bool, Vec<(String, String)>);

fn strict_for(markup: &str) -> LResult<ForHead> {
    let mut p = StrictParser::new(markup)?;
    let var = p.consume_id()?;
    if !p.id_is("in") {
        return Err(LiquidError::syntax("For loops require an 'in' clause"));
    }
    let coll = p.expression()?;
    let reversed = p.id_is("reversed");
    let mut attrs = Vec::new();
    while matches!(p.look(0), Tok::Id(_)) && p.look(1) == &Tok::Special(':') {
        let attr = if p.id_is("limit") {
            "limit"
        } else if p.id_is("offset") {
            "offset"
        } else {
            return Err(LiquidError::syntax(
                "Invalid attribute in for loop. Valid attributes are limit and offset",
            ));
        };
        p.consume_special(':')?;
        attrs.push((attr.to_string(), p.expression()?));
    }
    p.expect_end()?;
    Ok((var, coll, reversed, attrs))
}

fn lax_for(markup: &str) -> LResult<ForHead> {
    let Some(c) = FOR_SYNTAX.captures(markup) else {
        return Err(LiquidError::syntax(
            "Syntax Error in 'for loop' - Valid syntax: for [item] in [collection]",
        ));
    };
    let attrs = TAG_ATTRIBUTES
        .scan(markup)
        .into_iter()
        .map(|a| {
            (
                a[1].clone().unwrap_or_default(),
                a[2].clone().unwrap_or_default(),
            )
        })
        .collect();
    Ok((
        c[1].clone().unwrap_or_default(),
        c[2].clone().unwrap_or_default(),
        c[3].is_some(),
        attrs,
    ))
}

pub fn parse_for(p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    let (var, coll, reversed, attrs) = match strict_for(markup) {
        Ok(h) => h,
        Err(_) => lax_for(markup)?,
    };
    let mut f = For {
        name: format!("{var}-{coll}"),
        var,
        collection: Expr::parse(&coll),
        reversed,
        limit: None,
        offset: None,
        body: Body::empty(),
        else_body: None,
    };
    for (key, val) in &attrs {
        let val = val.as_str();
        match key.as_str() {
            "offset" => {
                f.offset = Some(if val == "continue" {
                    None
                } else {
                    Some(Expr::parse(val))
                })
            }
            "limit" => f.limit = Some(Expr::parse(val)),
            _ => {}
        }
    }
    let (body, end) = body_until_tag(p, "for")?;
    f.body = body;
    match end.name.as_str() {
        "endfor" => {}
        "else" => {
            let (eb, end2) = body_until_tag(p, "for")?;
            f.else_body = Some(eb);
            // Liquid 4 accepts further `else` tags, each replacing the else body.
            let mut end2 = end2;
            loop {
                match end2.name.as_str() {
                    "endfor" => break,
                    "else" => {
                        let (eb, e) = body_until_tag(p, "for")?;
                        f.else_body = Some(eb);
                        end2 = e;
                    }
                    _ => return Err(unknown_tag("for", &end2)),
                }
            }
        }
        _ => return Err(unknown_tag("for", &end)),
    }
    Ok(Box::new(f))
}

/// Ruby's `to_i` as the loop attributes use it (an array or hash has none: an error).
pub fn to_i(v: &Value) -> LResult<i64> {
    match v {
        Value::Nil => Ok(0),
        Value::Int(i) => Ok(*i),
        Value::Float(f) => {
            if f.is_finite() {
                Ok(f.trunc() as i64)
            } else {
                Err(LiquidError::runtime(
                    "FloatDomainError",
                    crate::liquid::value::float_to_s(*f),
                ))
            }
        }
        Value::Str(s) => Ok(ruby_str_to_i(s)),
        other => Err(LiquidError::runtime(
            "NoMethodError",
            format!("undefined method `to_i' for {}", other.inspect()),
        )),
    }
}

/// Iterates a value like Ruby's `each` (see [`Value::to_array`]), refusing ranges too large to
/// hold in memory.
pub fn expand(v: &Value) -> LResult<Vec<Value>> {
    if let Value::Range(a, b) = v {
        let n = (*b as i128) - (*a as i128) + 1;
        if n > MAX_LOOP_ITEMS as i128 {
            return Err(LiquidError::argument(format!(
                "a range of {n} items is more than this tool allows ({MAX_LOOP_ITEMS})"
            )));
        }
    }
    Ok(v.to_array())
}

/// Liquid's `Utils.slice_collection`: items `from..to` of anything iterable.
pub fn slice_collection(coll: &Value, from: i64, to: Option<i64>) -> LResult<Vec<Value>> {
    let (start, len) = match coll {
        Value::Str(s) => {
            return Ok(if s.is_empty() {
                vec![]
            } else {
                vec![coll.clone()]
            })
        }
        Value::Array(a) => (0, a.len() as i64),
        Value::Hash(h) => (0, h.len() as i64),
        Value::Object(o) => (0, o.keys().len() as i64),
        Value::Range(a, b) => (*a, if b >= a { b - a + 1 } else { 0 }),
        _ => return Ok(vec![]),
    };
    let from = from.max(0);
    let end = match to {
        Some(t) => t.min(len),
        None => len,
    };
    if end <= from {
        return Ok(vec![]);
    }
    if end - from > MAX_LOOP_ITEMS {
        return Err(LiquidError::argument(format!(
            "a loop over {} items is more than this tool allows ({MAX_LOOP_ITEMS})",
            end - from
        )));
    }
    Ok(match coll {
        Value::Range(..) => (from..end).map(|i| Value::Int(start + i)).collect(),
        Value::Array(a) => a[from as usize..end as usize].to_vec(),
        _ => coll.to_array()[from as usize..end as usize].to_vec(),
    })
}

impl TagNode for For {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        let from = match &self.offset {
            None => 0,
            Some(None) => *ctx.for_offsets.get(&self.name).unwrap_or(&0),
            Some(Some(e)) => to_i(&e.eval(ctx)?)?,
        };
        let coll = self.collection.eval(ctx)?;
        let to = match &self.limit {
            Some(e) => {
                let l = e.eval(ctx)?;
                if l.is_nil() {
                    None
                } else {
                    Some(to_i(&l)?.saturating_add(from))
                }
            }
            None => None,
        };
        let mut segment = slice_collection(&coll, from, to)?;
        if self.reversed {
            segment.reverse();
        }
        ctx.for_offsets
            .insert(self.name.clone(), from + segment.len() as i64);
        if segment.is_empty() {
            if let Some(eb) = &self.else_body {
                return eb.render(ctx, out);
            }
            return Ok(());
        }
        ctx.push_scope();
        let r = self.render_segment(ctx, out, segment);
        ctx.pop_scope();
        r
    }
    fn blank(&self) -> bool {
        self.body.blank && self.else_body.as_ref().is_none_or(|b| b.blank)
    }
    fn is_block(&self) -> bool {
        true
    }
}

impl For {
    fn render_segment(
        &self,
        ctx: &mut Context,
        out: &mut String,
        segment: Vec<Value>,
    ) -> LResult<()> {
        let len = segment.len() as i64;
        let parent = ctx.find_variable("forloop");
        // One drop for the whole loop, counted forward after each item as Liquid's
        // `increment!` does (a `forloop` kept in a variable sees the count move on).
        let forloop = Arc::new(Forloop {
            name: Arc::from(self.name.as_str()),
            length: len,
            index0: AtomicI64::new(0),
            parent,
        });
        ctx.set_local_static("forloop", Value::Object(forloop.clone()));
        for (i, item) in segment.into_iter().enumerate() {
            ctx.set_local(&self.var, item);
            ctx.step()?;
            self.body.render(ctx, out)?;
            forloop.index0.store(i as i64 + 1, Ordering::Relaxed);
            match ctx.interrupts.pop() {
                Some(Interrupt::Break) => break,
                Some(Interrupt::Continue) | None => {}
            }
        }
        Ok(())
    }
}

/// Liquid's `ForloopDrop`: one small object per iteration instead of a nine-key hash.
struct Forloop {
    name: Arc<str>,
    length: i64,
    index0: AtomicI64,
    parent: Value,
}

const FORLOOP_KEYS: [&str; 9] = [
    "name",
    "length",
    "index",
    "index0",
    "rindex",
    "rindex0",
    "first",
    "last",
    "parentloop",
];

impl ObjectView for Forloop {
    fn get(&self, key: &str) -> Option<Value> {
        let (len, i) = (self.length, self.index0.load(Ordering::Relaxed));
        Some(match key {
            "name" => Value::Str(self.name.clone()),
            "length" => Value::Int(len),
            "index" => Value::Int(i + 1),
            "index0" => Value::Int(i),
            "rindex" => Value::Int(len - i),
            "rindex0" => Value::Int(len - i - 1),
            "first" => Value::Bool(i == 0),
            "last" => Value::Bool(i == len - 1),
            "parentloop" => self.parent.clone(),
            _ => return None,
        })
    }
    fn keys(&self) -> Vec<String> {
        FORLOOP_KEYS.iter().map(|k| k.to_string()).collect()
    }
}

struct Jump(Interrupt);

impl TagNode for Jump {
    fn render(&self, ctx: &mut Context, _out: &mut String) -> LResult<()> {
        ctx.interrupts.push(self.0);
        Ok(())
    }
}

pub fn parse_break(_p: &mut Parser<'_>, _name: &str, _markup: &str) -> LResult<Box<dyn TagNode>> {
    Ok(Box::new(Jump(Interrupt::Break)))
}

pub fn parse_continue(
    _p: &mut Parser<'_>,
    _name: &str,
    _markup: &str,
) -> LResult<Box<dyn TagNode>> {
    Ok(Box::new(Jump(Interrupt::Continue)))
}

struct Tablerow {
    var: String,
    collection: Expr,
    attributes: Vec<(String, Expr)>,
    body: Body,
}

static TABLEROW_SYNTAX: Re = Re::new(|| format!(r"(\w+){WS}+in{WS}+({QF}+)"));

pub fn parse_tablerow(p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    let Some(c) = TABLEROW_SYNTAX.captures(markup) else {
        return Err(LiquidError::syntax(
            "Syntax Error in 'table_row loop' - Valid syntax: table_row [item] in [collection] cols=3",
        ));
    };
    let attributes = TAG_ATTRIBUTES
        .scan(markup)
        .into_iter()
        .map(|a| {
            (
                a[1].clone().unwrap_or_default(),
                Expr::parse(a[2].as_deref().unwrap_or("")),
            )
        })
        .collect();
    let body = simple_block(p, "tablerow")?;
    Ok(Box::new(Tablerow {
        var: c[1].clone().unwrap_or_default(),
        collection: Expr::parse(c[2].as_deref().unwrap_or("")),
        attributes,
        body,
    }))
}

impl Tablerow {
    fn attr(&self, name: &str) -> Option<&Expr> {
        self.attributes
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, e)| e)
    }
}

impl TagNode for Tablerow {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        let coll = self.collection.eval(ctx)?;
        let from = match self.attr("offset") {
            Some(e) => to_i(&e.eval(ctx)?)?,
            None => 0,
        };
        let to = match self.attr("limit") {
            Some(e) => Some(from + to_i(&e.eval(ctx)?)?),
            None => None,
        };
        let items = slice_collection(&coll, from, to)?;
        let len = items.len() as i64;
        let cols = match self.attr("cols") {
            Some(e) => to_i(&e.eval(ctx)?)?,
            None => 0,
        };
        out.push_str("<tr class=\"row1\">\n");
        ctx.push_scope();
        let (mut row, mut col) = (1i64, 1i64);
        let mut result = Ok(());
        for (i, item) in items.into_iter().enumerate() {
            let i = i as i64;
            let mut h = Hash::with_capacity_and_hasher(12, Default::default());
            h.insert("length".into(), Value::Int(len));
            h.insert("index".into(), Value::Int(i + 1));
            h.insert("index0".into(), Value::Int(i));
            h.insert("rindex".into(), Value::Int(len - i));
            h.insert("rindex0".into(), Value::Int(len - i - 1));
            h.insert("first".into(), Value::Bool(i == 0));
            h.insert("last".into(), Value::Bool(i == len - 1));
            h.insert("col".into(), Value::Int(col));
            h.insert("col0".into(), Value::Int(col - 1));
            h.insert("col_first".into(), Value::Bool(col == 1));
            h.insert("col_last".into(), Value::Bool(col == cols));
            h.insert("row".into(), Value::Int(row));
            ctx.set_local_static("tablerowloop", Value::Hash(Arc::new(h)));
            ctx.set_local(&self.var, item);
            if let Err(e) = ctx.step() {
                result = Err(e);
                break;
            }
            out.push_str(&format!("<td class=\"col{col}\">"));
            if let Err(e) = self.body.render(ctx, out) {
                result = Err(e);
                break;
            }
            out.push_str("</td>");
            if col == cols && i != len - 1 {
                out.push_str(&format!("</tr>\n<tr class=\"row{}\">", row + 1));
            }
            if col == cols {
                col = 1;
                row += 1;
            } else {
                col += 1;
            }
        }
        ctx.pop_scope();
        result?;
        out.push_str("</tr>\n");
        Ok(())
    }
    fn is_block(&self) -> bool {
        true
    }
}

struct Cycle {
    /// `None`: the group is the list of values itself.
    name: Option<Expr>,
    key: String,
    values: Vec<Expr>,
}

static CYCLE_NAMED: Re = Re::new(|| format!(r"(?s)\A({QF}){WS}*:{WS}*(.*)"));
static CYCLE_SIMPLE: Re = Re::new(|| format!(r"\A{QF}+"));
static CYCLE_VALUE: Re = Re::new(|| format!(r"{WS}*({QF}){WS}*"));
static CYCLE_ID: AtomicUsize = AtomicUsize::new(0);

fn cycle_values(markup: &str) -> Vec<Expr> {
    markup
        .split(',')
        .filter_map(|v| CYCLE_VALUE.captures(v).and_then(|c| c[1].clone()))
        .map(|v| Expr::parse(&v))
        .collect()
}

/// Ruby's `Array#to_s` of the parsed values: literals print, lookups are unique objects.
fn cycle_key(values: &[Expr]) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|e| match e {
            Expr::Lit(v) => v.inspect(),
            _ => format!("#<lookup {}>", CYCLE_ID.fetch_add(1, Ordering::Relaxed)),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

pub fn parse_cycle(_p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    if let Some(c) = CYCLE_NAMED.captures(markup) {
        let values = cycle_values(c[2].as_deref().unwrap_or(""));
        return Ok(Box::new(Cycle {
            name: Some(Expr::parse(c[1].as_deref().unwrap_or(""))),
            key: String::new(),
            values,
        }));
    }
    if CYCLE_SIMPLE.is_match(markup) {
        let values = cycle_values(markup);
        let key = cycle_key(&values);
        return Ok(Box::new(Cycle {
            name: None,
            key,
            values,
        }));
    }
    Err(LiquidError::syntax(
        "Syntax Error in 'cycle' - Valid syntax: cycle [name :] var [, var2, var3 ...]",
    ))
}

impl TagNode for Cycle {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        let key = match &self.name {
            Some(e) => {
                let v = e.eval(ctx)?;
                format!("{}:{}", v.class_name(), v.inspect())
            }
            None => self.key.clone(),
        };
        let iteration = *ctx.cycles.get(&key).unwrap_or(&0);
        let val = match self.values.get(iteration) {
            Some(e) => e.eval(ctx)?,
            None => Value::Nil,
        };
        val.render_to(out);
        let n = self.values.len().max(1);
        ctx.cycles.insert(key, (iteration + 1) % n);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::liquid::{Context, FsHost, Template};

    #[test]
    fn a_kept_forloop_counts_on_like_liquids_drop() {
        // Ruby's Liquid (checked with Debian's ruby-liquid): one ForloopDrop per loop,
        // incremented after each item, so a copy kept in a variable shows the final count.
        let src = "{% for i in (1..3) %}{% assign f = forloop %}{% if i == 2 %}{% break %}\
                   {% endif %}{% endfor %}{{ f.index }} {{ f.last }}|{% for i in (1..3) %}\
                   {% assign g = forloop %}{% endfor %}{{ g.index0 }} {{ g.rindex }}|\
                   {% for a in (1..2) %}{% for b in (1..2) %}{% assign p = forloop.parentloop %}\
                   {% endfor %}{% endfor %}{{ p.index }}|{% for i in (1..3) %}{{ forloop.index }}\
                   {{ forloop.first }}{{ forloop.last }} {% endfor %}";
        let host = FsHost::new(".");
        let out = Template::parse(src, "t")
            .unwrap()
            .render(&mut Context::new(&host))
            .unwrap();
        assert_eq!(out, "3 true|3 0|3|1truefalse 2falsefalse 3falsetrue ");
    }
}
