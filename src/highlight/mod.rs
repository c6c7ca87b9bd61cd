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
//! Lexers are tables in `lexers.rs` run by a small `RegexLexer` (`engine.rs`). Ported:
//! plaintext/text, shell (sh, bash, zsh, ksh), json, ruby (rb), javascript (js), yaml (yml),
//! html, css, python (py), rust (rs), dockerfile (docker), diff (patch), toml, xml, ini,
//! go (golang), console (default options). Other languages Rouge knows (`rouge_lexers.txt`)
//! come out as plain escaped text in the right wrapper: a known gap.
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
static DIFF: LazyLexer = LazyLexer::new(lexers::DIFF, &[]);
static TOML: LazyLexer = LazyLexer::new(lexers::TOML, &[]);
static XML: LazyLexer = LazyLexer::new(lexers::XML, &[]);
static INI: LazyLexer = LazyLexer::new(lexers::INI, &[]);
static GO: LazyLexer = LazyLexer::new(lexers::GO, &[]);
static RUBY: LazyLexer = LazyLexer::new(lexers::RUBY, &["expr_start"]);

/// Rouge's canonical tag for `lang` (a tag or alias, matched exactly as Rouge does).
pub fn canonical(lang: &str) -> Option<&'static str> {
    // Tag and aliases → tag, the first line naming a word winning (as a scan in order would).
    // Every code block asks; scanning the ~200-line list each time cost 2% of a site render.
    static BY_NAME: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        let mut map = std::collections::HashMap::new();
        for line in ROUGE_LEXERS.lines() {
            let mut words = line.split_whitespace();
            let Some(tag) = words.next() else { continue };
            map.entry(tag).or_insert(tag);
            for alias in words {
                map.entry(alias).or_insert(tag);
            }
        }
        map
    });
    let name = lang.split('?').next().unwrap_or(lang);
    by_name.get(name).copied()
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
        "diff" => DIFF.get(),
        "toml" => TOML.get(),
        "xml" => XML.get(),
        "ini" => INI.get(),
        "go" => GO.get(),
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

/// Rouge's `console.rb` with its default options: per line, a "snip" (`...`) is a comment,
/// a line with a prompt character (`$ # > ;`) is prompt + whitespace + shell, any other line
/// is output. (Rouge continues the shell lexer's state across prompt lines; this restarts it.)
fn console(code: &str) -> Vec<(&'static str, String)> {
    let mut toks: Vec<(&'static str, String)> = Vec::new();
    let mut push = |cls: &'static str, s: &str| {
        if s.is_empty() {
            return;
        }
        match toks.last_mut() {
            Some((c, v)) if *c == cls => v.push_str(s),
            _ => toks.push((cls, s.to_string())),
        }
    };
    for line in code.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let trimmed = body.trim();
        let snip = !trimmed.is_empty()
            && (trimmed.chars().all(|c| c == '.')
                || (trimmed.starts_with("<.")
                    && trimmed.ends_with(".>")
                    && trimmed[1..trimmed.len() - 1].chars().all(|c| c == '.')));
        if snip {
            push("c", line);
        } else if let Some(i) = line.find(['$', '#', '>', ';']) {
            push("gp", &line[..=i]);
            let rest = &line[i + 1..];
            let ws = rest.len() - rest.trim_start().len();
            push("w", &rest[..ws]);
            for (cls, t) in lex_with("shell", &rest[ws..]) {
                push(cls, &t);
            }
        } else {
            push("go", line);
        }
    }
    toks
}

/// Rouge's HTML formatter output for `code` in `lang`; `None` when Rouge does not know `lang`.
pub fn tokens_html(lang: &str, code: &str) -> Option<String> {
    let tag = canonical(lang)?;
    let tokens = match (tag, lexer_for(tag)) {
        ("console", _) => console(code),
        (_, Some(lexer)) => lexer.lex(code),
        (_, None) => return Some(escape(code)),
    };
    let mut out = String::with_capacity(code.len() * 2);
    for (cls, text) in tokens {
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
