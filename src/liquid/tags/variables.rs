//! `assign`, `capture`, `increment`, `decrement`.
//!
//! `assign`/`capture` write the outermost scope; `increment`/`decrement` write the
//! environment (Jekyll's shared payload), so their counters are separate from assigned
//! variables and carry over between the pages of one build.

use super::simple_block;
use crate::liquid::context::Context;
use crate::liquid::error::{LResult, LiquidError};
use crate::liquid::lexer::Re;
use crate::liquid::parser::{Body, Parser, TagNode, Variable};
use crate::liquid::value::Value;

struct Assign {
    to: String,
    from: Variable,
}

static ASSIGN_SYNTAX: Re = Re::new(|| {
    r"(?s)((?:\(?[\w\-\.\[\]]\)?)+)[ \t\r\n\x0c\x0b]*=[ \t\r\n\x0c\x0b]*(.*)[ \t\r\n\x0c\x0b]*"
        .to_string()
});

pub fn parse_assign(p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    let Some(c) = ASSIGN_SYNTAX.captures(markup) else {
        return Err(LiquidError::syntax(
            "Syntax Error in 'assign' - Valid syntax: assign [var] = [source]",
        ));
    };
    let from = Variable::parse(c[2].as_deref().unwrap_or(""), p.line())?;
    Ok(Box::new(Assign {
        to: c[1].clone().unwrap_or_default(),
        from,
    }))
}

impl TagNode for Assign {
    fn render(&self, ctx: &mut Context, _out: &mut String) -> LResult<()> {
        let v = match self.from.evaluate(ctx)? {
            // The `blank`/`empty` literals are stored as their `to_s`.
            Value::Blank | Value::Empty => Value::from(""),
            v => v,
        };
        ctx.assign(&self.to, v);
        Ok(())
    }
    fn blank(&self) -> bool {
        true
    }
}

struct Capture {
    to: String,
    body: Body,
}

static CAPTURE_SYNTAX: Re = Re::new(|| r"((?:\(?[\w\-\.\[\]]\)?)+)".to_string());

pub fn parse_capture(p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    let Some(c) = CAPTURE_SYNTAX.captures(markup) else {
        return Err(LiquidError::syntax(
            "Syntax Error in 'capture' - Valid syntax: capture [var]",
        ));
    };
    let body = simple_block(p, "capture")?;
    Ok(Box::new(Capture {
        to: c[1].clone().unwrap_or_default(),
        body,
    }))
}

impl TagNode for Capture {
    fn render(&self, ctx: &mut Context, _out: &mut String) -> LResult<()> {
        let mut s = String::new();
        self.body.render(ctx, &mut s)?;
        ctx.assign(&self.to, Value::from(s));
        Ok(())
    }
    fn blank(&self) -> bool {
        true
    }
    fn is_block(&self) -> bool {
        true
    }
}

struct Counter {
    name: String,
    step: i64,
}

pub fn parse_increment(
    _p: &mut Parser<'_>,
    _name: &str,
    markup: &str,
) -> LResult<Box<dyn TagNode>> {
    Ok(Box::new(Counter {
        name: crate::liquid::lexer::rb_strip(markup).to_string(),
        step: 1,
    }))
}

pub fn parse_decrement(
    _p: &mut Parser<'_>,
    _name: &str,
    markup: &str,
) -> LResult<Box<dyn TagNode>> {
    Ok(Box::new(Counter {
        name: crate::liquid::lexer::rb_strip(markup).to_string(),
        step: -1,
    }))
}

impl TagNode for Counter {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        let cur = match ctx.globals.get(&self.name) {
            None | Some(Value::Nil) | Some(Value::Bool(false)) => Value::Int(0),
            Some(v) => v.clone(),
        };
        let next = match &cur {
            Value::Int(i) => Value::Int(i + self.step),
            Value::Float(f) => Value::Float(f + self.step as f64),
            other => {
                return Err(LiquidError::runtime(
                    if matches!(other, Value::Str(_)) {
                        "TypeError"
                    } else {
                        "NoMethodError"
                    },
                    format!(
                        "no implicit conversion of Integer into {}",
                        other.class_name()
                    ),
                ))
            }
        };
        ctx.globals.insert(self.name.clone(), next.clone());
        if self.step > 0 {
            cur.render_to(out);
        } else {
            next.render_to(out);
        }
        Ok(())
    }
}
