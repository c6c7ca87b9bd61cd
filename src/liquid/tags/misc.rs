//! `comment`, `raw`, `ifchanged`.
//!
//! Liquid 4 parses a comment's body like any other (so a broken tag inside still fails) but
//! ignores unknown tags in it; `raw` reads tokens verbatim until `{% endraw %}` (which may
//! not use `{%-`, so `{%- endraw -%}` never closes it in 4.0.4).

use super::{body_until_tag, simple_block};
use crate::liquid::context::Context;
use crate::liquid::error::{LResult, LiquidError};
use crate::liquid::lexer::Re;
use crate::liquid::parser::{Body, Parser, TagNode};

struct Comment;

pub fn parse_comment(p: &mut Parser<'_>, _name: &str, _markup: &str) -> LResult<Box<dyn TagNode>> {
    loop {
        let (_, end) = body_until_tag(p, "comment")?;
        if end.name == "endcomment" {
            return Ok(Box::new(Comment));
        }
    }
}

impl TagNode for Comment {
    fn render(&self, _ctx: &mut Context, _out: &mut String) -> LResult<()> {
        Ok(())
    }
    fn blank(&self) -> bool {
        true
    }
    fn is_block(&self) -> bool {
        true
    }
}

struct Raw(String);

static RAW_END: Re =
    Re::new(|| r"(?s)\A(.*)\{%[ \t\r\n\x0c\x0b]*(\w+)[ \t\r\n\x0c\x0b]*(.*)?%\}\z".to_string());

pub fn parse_raw(p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    if !markup.trim().is_empty() {
        return Err(LiquidError::syntax(
            "Syntax Error in 'raw' - Valid syntax: raw",
        ));
    }
    let mut body = String::new();
    while let Some(tok) = p.next_token() {
        if let Some(c) = RAW_END.captures(tok.text) {
            let before = c[1].clone().unwrap_or_default();
            // Liquid 4 appends the text before the tag *and* the whole token (a quirk kept).
            body.push_str(&before);
            if c[2].as_deref() == Some("endraw") {
                return Ok(Box::new(Raw(body)));
            }
        }
        body.push_str(tok.text);
    }
    Err(LiquidError::syntax("'raw' tag was never closed").with_line(p.line()))
}

impl TagNode for Raw {
    fn render(&self, _ctx: &mut Context, out: &mut String) -> LResult<()> {
        out.push_str(&self.0);
        Ok(())
    }
    fn blank(&self) -> bool {
        self.0.is_empty()
    }
    fn is_block(&self) -> bool {
        true
    }
}

struct IfChanged(Body);

pub fn parse_ifchanged(
    p: &mut Parser<'_>,
    _name: &str,
    _markup: &str,
) -> LResult<Box<dyn TagNode>> {
    Ok(Box::new(IfChanged(simple_block(p, "ifchanged")?)))
}

impl TagNode for IfChanged {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        ctx.push_scope();
        let mut s = String::new();
        let r = self.0.render(ctx, &mut s);
        ctx.pop_scope();
        r?;
        if ctx.ifchanged.as_deref() != Some(s.as_str()) {
            out.push_str(&s);
            ctx.ifchanged = Some(s);
        }
        Ok(())
    }
    fn blank(&self) -> bool {
        self.0.blank
    }
    fn is_block(&self) -> bool {
        true
    }
}
