//! Syntax highlighting with Rouge 3.30.0's HTML output, for kramdown's fenced code blocks and
//! Jekyll's `{% highlight %}` tag.
//!
//! API:
//! - [`is_known`]`(lang)`: Rouge has a lexer for this tag or alias (kramdown falls back to a
//!   plain `<pre><code class="language-X">` when it has not).
//! - [`tokens_html`]`(lang, code)`: Rouge's `HTML` formatter output (`<span class="k">…`),
//!   `None` for a language Rouge does not know.
//! - [`kramdown_block`]`(code, lang)`: the `<div class="highlight"><pre class="highlight"><code>…`
//!   body kramdown puts inside its `<div class="language-X highlighter-rouge">`.
//! - [`liquid_tag`]`(code, lang, linenos)`: the whole output of Jekyll 3.10's
//!   `{% highlight lang [linenos] %}` for the (already rendered) block body.
//!
//! Lexers are tables in [`lexers`] run by a small `RegexLexer` ([`engine`]). Languages Rouge
//! knows but this module has no table for are emitted as plain escaped text (what Rouge's
//! plaintext lexer gives): ported: plaintext/text, shell (sh, bash, zsh, ksh), json,
//! ruby (rb), javascript (js), yaml (yml), html, css, python (py), rust (rs), dockerfile
//! (docker). Everything else in `rouge_lexers.txt` is a known gap.
//!
//! Not for: choosing a language by guessing (Rouge's `guess_lang`), line highlighting.

mod css_words;
mod engine;
mod lexers;

use engine::LazyLexer;

/// Rouge 3.30.0's lexer tags and aliases, one lexer a line (`tag alias…`).
const ROUGE_LEXERS: &str = include_str!("rouge_lexers.txt");

static SHELL: LazyLexer = LazyLexer::new(lexers::SHELL, &[]);
static JSON: LazyLexer = LazyLexer::new(lexers::JSON, &[]);
static YAML: LazyLexer = LazyLexer::new(lexers::YAML, &[]);
static JAVASCRIPT: LazyLexer = LazyLexer::new(lexers::JAVASCRIPT, &[]);
static HTML: LazyLexer = LazyLexer::new(lexers::HTML, &[]);
static CSS: LazyLexer = LazyLexer::new(lexers::CSS, &[]);
static PYTHON: LazyLexer = LazyLexer::new(lexers::PYTHON, &[]);
static DOCKER: LazyLexer = LazyLexer::new(lexers::DOCKER, &[]);
static RUST: LazyLexer = LazyLexer::new(lexers::RUST, &["bol"]);
static RUBY: LazyLexer = LazyLexer::new(lexers::RUBY, &["expr_start"]);

/// Rouge's canonical tag for `lang` (a tag or alias, matched exactly as Rouge does).
pub fn canonical(lang: &str) -> Option<&'static str> {
    let name = lang.split('?').next().unwrap_or(lang);
    ROUGE_LEXERS.lines().find_map(|l| {
        let mut words = l.split_whitespace();
        let tag = words.next()?;
        (tag == name || words.any(|a| a == name)).then_some(tag)
    })
}

/// Whether Rouge 3.30.0 has a lexer for `lang`.
pub fn is_known(lang: &str) -> bool {
    canonical(lang).is_some()
}

fn lexer_for(tag: &str) -> Option<&'static engine::Lexer> {
    Some(match tag {
        "shell" => SHELL.get(),
        "json" => JSON.get(),
        "ruby" => RUBY.get(),
        "yaml" => YAML.get(),
        "javascript" => JAVASCRIPT.get(),
        "html" => HTML.get(),
        "css" => CSS.get(),
        "python" => PYTHON.get(),
        "docker" => DOCKER.get(),
        "rust" => RUST.get(),
        _ => return None,
    })
}

/// Tokens of `text` lexed from scratch by Rouge lexer `tag` (plain text when there is no
/// table for it): what Rouge's `delegate` gives an embedding lexer.
fn lex_with(tag: &str, text: &str) -> Vec<(&'static str, String)> {
    match lexer_for(tag) {
        Some(l) => l.lex(text),
        None => vec![("", text.to_string())],
    }
}

/// Escapes `&`, `<`, `>` like Rouge's HTML formatter.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Rouge's HTML formatter output for `code` in `lang`; `None` when Rouge does not know `lang`.
pub fn tokens_html(lang: &str, code: &str) -> Option<String> {
    let tag = canonical(lang)?;
    let Some(lexer) = lexer_for(tag) else {
        return Some(escape(code));
    };
    let mut out = String::with_capacity(code.len() * 2);
    for (cls, text) in lexer.lex(code) {
        if cls.is_empty() {
            out.push_str(&escape(&text));
        } else {
            out.push_str(&format!("<span class=\"{cls}\">{}</span>", escape(&text)));
        }
    }
    Some(out)
}

/// kramdown's Rouge block (Rouge's `HTMLLegacy` formatter with `wrap: true`).
pub fn kramdown_block(code: &str, lang: &str) -> Option<String> {
    let body = tokens_html(lang, code)?;
    Some(format!(
        "<div class=\"highlight\"><pre class=\"highlight\"><code>{body}</code></pre></div>"
    ))
}

/// Jekyll 3.10's `{% highlight %}` output for the rendered body `code`. `lang` is the tag's
/// language as written (Jekyll downcases it), `linenos` the `linenos` option.
pub fn liquid_tag(code: &str, lang: &str, linenos: bool) -> String {
    let lang = lang.to_lowercase();
    // Jekyll strips leading and trailing line breaks of the body.
    let code = code
        .trim_start_matches(['\n', '\r'])
        .trim_end_matches(['\n', '\r']);
    let body = tokens_html(&lang, code).unwrap_or_else(|| escape(code));
    let body = if linenos {
        // Rouge's HTMLTable: one gutter number per line, the code ending in a newline.
        let mut lines = code.matches('\n').count();
        let mut body = body;
        if !code.ends_with('\n') {
            lines += 1;
            body.push('\n');
        }
        let numbers: String = (1..=lines).map(|i| format!("{i}\n")).collect();
        format!(
            "<table class=\"rouge-table\"><tbody><tr><td class=\"gutter gl\"><pre class=\"lineno\">{numbers}</pre></td><td class=\"code\"><pre>{body}</pre></td></tr></tbody></table>"
        )
    } else {
        body
    };
    let body = body.strip_suffix('\n').unwrap_or(&body);
    format!(
        "<figure class=\"highlight\"><pre><code class=\"language-{}\" data-lang=\"{lang}\">{body}</code></pre></figure>",
        lang.replace('+', "-")
    )
}
