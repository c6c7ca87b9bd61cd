//! Jekyll 3.10's tags: `include`, `include_relative`, `link`, `post_url`, `highlight`.
//!
//! File lookups go through the [`Host`](crate::liquid::Host); this file keeps Jekyll's
//! syntax rules (`key=value` parameters, `{{ var }}` file names, refused `..`) and wording.

use std::sync::Arc;

use crate::liquid::context::{Context, MAX_DEPTH};
use crate::liquid::error::{LResult, LiquidError};
use crate::liquid::lexer::Re;
use crate::liquid::parser::{Body, Parser, TagNode, Template};
use crate::liquid::value::{Hash, Value};

use super::simple_block;

static VALID_SYNTAX: Re = Re::new(|| {
    r#"([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w\.-]+))"#
        .to_string()
});
static VARIABLE_SYNTAX: Re = Re::new(|| {
    r"(?s)\A(?P<variable>[^{]*(\{\{\s*[\w\-\.]+\s*(\|.*)?\}\}[^\s{}]*)+)(?P<params>.*)".to_string()
});
static FULL_VALID_SYNTAX: Re = Re::new(|| {
    r#"\A\s*(?:([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w\.-]+))(?=\s|\z)\s*)*\z"#
        .to_string()
});

struct Include {
    relative: bool,
    tag_name: String,
    file: String,
    /// `valid_file_name(file)`, for a file name without `{{ … }}`.
    file_valid: bool,
    /// The file name is `{{ … }}`: rendered at render time.
    file_template: Option<Template>,
    /// `key=value` parameters, parsed once (Jekyll re-parses the same markup per render).
    params: Option<Vec<(String, Param)>>,
}

enum Param {
    Text(String),
    Expr(crate::liquid::parser::Expr),
}

/// Jekyll's `parse_params`, done at parse time.
fn parse_params(markup: &str) -> Vec<(String, Param)> {
    let mut out = Vec::new();
    let mut markup = markup;
    while let Some(c) = VALID_SYNTAX.get().captures(markup).ok().flatten() {
        let end = c.get(0).map(|m| m.end()).unwrap_or(markup.len());
        let key = c.get(1).map(|m| m.as_str().to_string()).unwrap_or_default();
        let value = if let Some(v) = c.get(2) {
            Param::Text(v.as_str().replace("\\\"", "\""))
        } else if let Some(v) = c.get(3) {
            Param::Text(v.as_str().replace("\\'", "'"))
        } else if let Some(v) = c.get(4) {
            // `context[name]` goes through Expression.parse: `5`, `true`, `1.5` are literals.
            Param::Expr(crate::liquid::parser::Expr::parse(v.as_str()))
        } else {
            Param::Text(String::new())
        };
        out.push((key, value));
        if end == 0 {
            break;
        }
        markup = &markup[end..];
    }
    out
}

/// Jekyll's file name check: `[./]{2,}` is refused, and some line must be all `[\w/.-]`.
fn valid_file_name(file: &str) -> bool {
    let b = file.as_bytes();
    let invalid_seq = b
        .windows(2)
        .any(|w| matches!(w[0], b'.' | b'/') && matches!(w[1], b'.' | b'/'));
    let valid_line = file.split('\n').any(|l| {
        !l.is_empty()
            && l.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'/' | b'.' | b'-'))
    });
    !invalid_seq && valid_line
}

pub fn parse_include(_p: &mut Parser<'_>, name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    parse_include_tag(name, markup, false)
}

pub fn parse_include_relative(
    _p: &mut Parser<'_>,
    name: &str,
    markup: &str,
) -> LResult<Box<dyn TagNode>> {
    parse_include_tag(name, markup, true)
}

fn syntax_example(tag: &str) -> String {
    format!("{{% {tag} file.ext param='value' param2='value' %}}")
}

fn parse_include_tag(tag_name: &str, markup: &str, relative: bool) -> LResult<Box<dyn TagNode>> {
    let m = markup.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\0');
    let (file, params) = match VARIABLE_SYNTAX.get().captures(m).ok().flatten() {
        Some(c) => (
            c.name("variable")
                .map(|x| x.as_str().trim().to_string())
                .unwrap_or_default(),
            c.name("params").map(|x| x.as_str().trim().to_string()),
        ),
        None => {
            let mut it = m.splitn(2, |c: char| c.is_ascii_whitespace());
            let f = it.next().unwrap_or("").to_string();
            let rest = it.next().map(|r| r.trim_start().to_string());
            (f, rest)
        }
    };
    if let Some(p) = &params {
        if !FULL_VALID_SYNTAX.is_match(p) {
            return Err(LiquidError::runtime(
                "ArgumentError",
                format!(
                    "Invalid syntax for include tag:\n\n  {p}\n\nValid syntax:\n\n  {}\n\n",
                    syntax_example(tag_name)
                ),
            ));
        }
    }
    let file_template = if VARIABLE_SYNTAX.is_match(&file) {
        Some(Template::parse(&file, "(variable)")?)
    } else {
        None
    };
    let params = params.as_deref().map(parse_params);
    Ok(Box::new(Include {
        relative,
        tag_name: tag_name.to_string(),
        file_valid: valid_file_name(&file),
        file,
        file_template,
        params,
    }))
}

impl Include {
    fn param_value(p: &Param, ctx: &Context) -> LResult<Value> {
        Ok(match p {
            Param::Text(t) => Value::from(t.as_str()),
            Param::Expr(e) => e.eval(ctx)?,
        })
    }

    /// The `include` hash. An include in a loop refills the previous call's hash when no
    /// template kept it (same keys in the same order), instead of building a new one.
    fn eval_params(&self, ctx: &mut Context) -> LResult<Value> {
        let params = self.params.as_deref().unwrap_or(&[]);
        if let Some(mut spare) = ctx.spare_params.take() {
            if let Some(h) = Arc::get_mut(&mut spare) {
                if h.len() == params.len() && h.keys().zip(params).all(|(k, (pk, _))| k == pk) {
                    for (i, (_, p)) in params.iter().enumerate() {
                        let v = Self::param_value(p, ctx)?;
                        if let Some((_, slot)) = h.get_index_mut(i) {
                            *slot = v;
                        }
                    }
                    return Ok(Value::Hash(spare));
                }
            }
        }
        let mut h = Hash::with_capacity_and_hasher(params.len(), Default::default());
        for (k, p) in params {
            let v = Self::param_value(p, ctx)?;
            h.insert(k.clone(), v);
        }
        Ok(Value::from(h))
    }
}

impl TagNode for Include {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        let file: std::borrow::Cow<'_, str> = match &self.file_template {
            Some(t) => t.render(ctx)?.into(),
            None => self.file.as_str().into(),
        };
        let valid = if self.file_template.is_none() {
            self.file_valid
        } else {
            valid_file_name(&file)
        };
        if !valid {
            return Err(LiquidError::runtime(
                "ArgumentError",
                format!(
                    "Invalid syntax for include tag. File contains invalid characters or sequences:\n\n  {file}\n\nValid syntax:\n\n  {}\n\n",
                    syntax_example(&self.tag_name)
                ),
            ));
        }
        ctx.step()?;
        if ctx.depth >= MAX_DEPTH {
            return Err(LiquidError::runtime(
                "SystemStackError",
                "stack level too deep (includes nest too deeply)",
            ));
        }
        let partial: Arc<Template> = if self.relative {
            let page = ctx.page_path.clone();
            ctx.host.include_relative(&file, &page)?
        } else if let Some(t) = ctx.includes.get(&*file) {
            t.clone()
        } else {
            let t = ctx.host.include(&file)?;
            ctx.includes.insert(file.as_ref().into(), t.clone());
            t
        };
        ctx.push_scope();
        ctx.depth += 1;
        let r = (|| {
            if self.params.is_some() {
                let h = self.eval_params(ctx)?;
                ctx.set_local_static("include", h);
            }
            partial.render_to(ctx, out)
        })();
        if r.is_ok() && self.params.is_some() {
            if let Some(Value::Hash(h)) = ctx.take_local("include") {
                if Arc::strong_count(&h) == 1 {
                    ctx.spare_params = Some(h);
                }
            }
        }
        ctx.depth -= 1;
        ctx.pop_scope();
        r
    }
}

struct Link(String);

pub fn parse_link(_p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    Ok(Box::new(Link(markup.trim().to_string())))
}

impl TagNode for Link {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        match ctx.host.link(&self.0) {
            Some(url) => {
                out.push_str(&url);
                Ok(())
            }
            None => Err(LiquidError::runtime(
                "ArgumentError",
                format!(
                    "Could not find document '{}' in tag 'link'.\n\nMake sure the document exists and the path is correct.\n",
                    self.0
                ),
            )),
        }
    }
}

struct PostUrl(String);

static POST_URL_NAME: Re = Re::new(|| r"^(?:(.+)/)*(\d+-\d+-\d+)-(.*)$".to_string());

pub fn parse_post_url(_p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    let name = markup.trim().to_string();
    if !POST_URL_NAME.is_match(&name) {
        return Err(LiquidError::runtime(
            "ArgumentError",
            format!(
                "Could not parse name of post \"{name}\" in tag 'post_url'.\n\nMake sure the correct name is given to the tag.\n"
            ),
        ));
    }
    Ok(Box::new(PostUrl(name)))
}

impl TagNode for PostUrl {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        match ctx.host.post_url(&self.0) {
            Ok(url) => {
                out.push_str(&url);
                Ok(())
            }
            Err(msg) => Err(LiquidError::runtime("ArgumentError", msg)),
        }
    }
}

struct Highlight {
    lang: String,
    linenos: bool,
    body: Body,
}

static HIGHLIGHT_SYNTAX: Re =
    Re::new(|| r#"^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|"([0-9]+\s)*[0-9]+"))?)*)$"#.to_string());

pub fn parse_highlight(p: &mut Parser<'_>, _name: &str, markup: &str) -> LResult<Box<dyn TagNode>> {
    let Some(c) = HIGHLIGHT_SYNTAX.captures(markup.trim()) else {
        return Err(LiquidError::syntax(format!(
            "Syntax Error in tag 'highlight' while parsing the following markup:\n\n  {markup}\n\nValid syntax: highlight <lang> [linenos]\n"
        )));
    };
    let lang = c[1].clone().unwrap_or_default().to_lowercase();
    let opts = c[2].clone().unwrap_or_default();
    let linenos = opts
        .split_whitespace()
        .any(|o| o == "linenos" || o.starts_with("linenos="));
    let body = simple_block(p, "highlight")?;
    Ok(Box::new(Highlight {
        lang,
        linenos,
        body,
    }))
}

/// HTML-escapes like Rouge's formatter (`&`, `<`, `>`).
pub fn escape_code(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            c => o.push(c),
        }
    }
    o
}

impl TagNode for Highlight {
    fn render(&self, ctx: &mut Context, out: &mut String) -> LResult<()> {
        let prefix = ctx.find_variable("highlighter_prefix");
        let suffix = ctx.find_variable("highlighter_suffix");
        let mut code = String::new();
        self.body.render(ctx, &mut code)?;
        let code = code
            .trim_start_matches(['\n', '\r'])
            .trim_end_matches(['\n', '\r']);
        let inner = ctx
            .host
            .highlight(&self.lang, code)
            .unwrap_or_else(|| escape_code(code));
        let formatted = if self.linenos {
            let n = code.lines().count().max(1);
            let nums: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
            format!(
                "<table class=\"rouge-table\"><tbody><tr><td class=\"gutter gl\"><pre class=\"lineno\">{}\n</pre></td><td class=\"code\"><pre>{}</pre></td></tr></tbody></table>",
                nums.join("\n"),
                inner
            )
        } else {
            inner
        };
        prefix.render_to(out);
        out.push_str(&format!(
            "<figure class=\"highlight\"><pre><code class=\"language-{}\" data-lang=\"{}\">{}</code></pre></figure>",
            self.lang.replace('+', "-"),
            self.lang,
            formatted.strip_suffix('\n').unwrap_or(&formatted)
        ));
        suffix.render_to(out);
        Ok(())
    }
    fn is_block(&self) -> bool {
        true
    }
}
