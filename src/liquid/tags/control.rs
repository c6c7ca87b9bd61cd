//! `if` / `elsif` / `else`, `unless`, `case` / `when`.
//!
//! Liquid 4 quirks kept on purpose: `case` renders *every* matching `when` (and a `when a, b`
//! body twice when both match), `else` may appear anywhere, conditions chain right to left.

use super::{body_until_tag, unknown_tag};
use crate::liquid::context::Context;
use crate::liquid::error::{LResult, LiquidError};
use crate::liquid::lexer::{Re, QF};
use crate::liquid::parser::{Body, Condition, Expr, Parser, TagNode};
use crate::liquid::render::equal_variables;

struct If {
    /// `None` is an `else`.
    blocks: Vec<(Option<Condition>, Body)>,
    unless: bool,
}

pub fn parse_if(p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    parse_conditional(p, markup, false)
}

pub fn parse_unless(p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    parse_conditional(p, markup, true)
}

fn parse_conditional(p: &mut Parser<'_>, markup: &str, unless: bool) -> LResult<Box<dyn TagNode>> {
    let (tag, err) = if unless {
        (
            "unless",
            "Syntax Error in tag 'unless' - Valid syntax: unless [condition]",
        )
    } else {
        (
            "if",
            "Syntax Error in tag 'if' - Valid syntax: if [expression]",
        )
    };
    let mut cond = Some(Condition::parse(markup, err)?);
    let mut blocks = Vec::new();
    loop {
        let (body, end) = body_until_tag(p, tag)?;
        blocks.push((cond.take(), body));
        match end.name.as_str() {
            n if n == format!("end{tag}") => break,
            "elsif" => {
                cond = Some(Condition::parse(&end.markup, err).map_err(|e| e.with_line(end.line))?);
            }
            "else" => cond = None,
            _ => return Err(unknown_tag(tag, &end)),
        }
    }
    Ok(Box::new(If { blocks, unless }))
}

impl TagNode for If {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        // Liquid 4 renders `if` inside `context.stack`, but that scope always stays empty:
        // only `for`, `tablerow`, `include` and the `*_exp` filters write locals, each into
        // a scope of its own, and `assign`/`capture` write the outermost one. Pushing it
        // cannot be observed, and lookups inside would walk it on every variable.
        self.render_inner(ctx, out)
    }
    fn blank(&self) -> bool {
        self.blocks.iter().all(|(_, b)| b.blank)
    }
    fn is_block(&self) -> bool {
        true
    }
}

impl If {
    fn render_inner(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        for (i, (cond, body)) in self.blocks.iter().enumerate() {
            let hit = match cond {
                None => true,
                Some(c) => {
                    let v = c.evaluate(ctx)?;
                    if self.unless && i == 0 {
                        !v
                    } else {
                        v
                    }
                }
            };
            if hit {
                return body.render(ctx, out);
            }
        }
        Ok(())
    }
}

struct Case {
    /// `(when value or None for else, index into bodies)`.
    blocks: Vec<(Option<Expr>, usize)>,
    bodies: Vec<Body>,
    left: Expr,
}

static CASE_SYNTAX: Re = Re::new(|| format!("({QF})"));
static WHEN_SYNTAX: Re = Re::new(|| {
    format!(
        r"(?s)({QF})(?:(?:[ \t\r\n\x0c\x0b]+or[ \t\r\n\x0c\x0b]+|[ \t\r\n\x0c\x0b]*,[ \t\r\n\x0c\x0b]*)({QF}.*))?"
    )
});

pub fn parse_case(p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    let Some(c) = CASE_SYNTAX.captures(markup) else {
        return Err(LiquidError::syntax(
            "Syntax Error in 'case' - Valid syntax: case [condition]",
        ));
    };
    let left = Expr::parse(c[1].as_deref().unwrap_or(""));
    let mut case = Case {
        blocks: Vec::new(),
        bodies: Vec::new(),
        left,
    };
    // The body before the first `when` is parsed and dropped.
    let mut pending: Option<(Vec<Option<Expr>>, usize)> = None;
    loop {
        let (body, end) = body_until_tag(p, "case")?;
        if let Some((_, idx)) = &pending {
            case.bodies[*idx] = body;
        }
        match end.name.as_str() {
            "endcase" => break,
            "when" => {
                let idx = case.bodies.len();
                case.bodies.push(Body::empty());
                let mut rest = Some(end.markup.clone());
                while let Some(m) = rest {
                    let Some(c) = WHEN_SYNTAX.captures(&m) else {
                        return Err(LiquidError::syntax(
                            "Syntax Error in tag 'case' - Valid when condition: {% when [condition] [or condition2...] %}",
                        )
                        .with_line(end.line));
                    };
                    case.blocks
                        .push((Some(Expr::parse(c[1].as_deref().unwrap_or(""))), idx));
                    rest = c[2].clone();
                }
                pending = Some((vec![], idx));
            }
            "else" => {
                if !end.markup.trim().is_empty() {
                    return Err(LiquidError::syntax(
                        "Syntax Error in tag 'case' - Valid else condition: {% else %} (no parameters) ",
                    )
                    .with_line(end.line));
                }
                let idx = case.bodies.len();
                case.bodies.push(Body::empty());
                case.blocks.push((None, idx));
                pending = Some((vec![], idx));
            }
            _ => return Err(unknown_tag("case", &end)),
        }
    }
    Ok(Box::new(case))
}

impl TagNode for Case {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        ctx.push_scope();
        let r = self.render_inner(ctx, out);
        ctx.pop_scope();
        r
    }
    fn blank(&self) -> bool {
        self.bodies.iter().all(|b| b.blank)
    }
    fn is_block(&self) -> bool {
        true
    }
}

impl Case {
    fn render_inner(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        let mut execute_else = true;
        let mut buf = String::new();
        for (when, idx) in &self.blocks {
            match when {
                None => {
                    if execute_else {
                        let mut only = String::new();
                        self.bodies[*idx].render(ctx, &mut only)?;
                        out.push_str(&only);
                        return Ok(());
                    }
                }
                Some(e) => {
                    let l = self.left.eval(ctx)?;
                    let r = e.eval(ctx)?;
                    if equal_variables(&l, &r) {
                        execute_else = false;
                        self.bodies[*idx].render(ctx, &mut buf)?;
                    }
                }
            }
        }
        out.push_str(&buf);
        Ok(())
    }
}
