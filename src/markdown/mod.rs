//! Markdown to HTML the way GitHub Pages converts it: kramdown 2.4.0 with
//! kramdown-parser-gfm 1.1.0, in the configuration Jekyll 3.10 and the github-pages gem pass
//! (`input: GFM`, `hard_wrap: false`, `gfm_quirks: paragraph_end`, `auto_ids`, smart quotes,
//! `syntax_highlighter: rouge` with `default_lang: plaintext`).
//!
//! The parse comes from comrak (CommonMark + GFM extensions); [`writer`] turns comrak's tree
//! into kramdown's exact HTML: kramdown's indentation inside lists, tables, block quotes and
//! footnotes, its blank-line echoes between blocks, GFM header ids, typographic quotes and
//! symbols ([`typography`]), Rouge-highlighted code ([`crate::highlight`]).
//!
//! API (all the renderer needs):
//! - [`to_html`]`(src, &opts)` converts a document; [`KramdownOptions::from_config`] builds the
//!   options from `_config.yml`'s `kramdown:` hash (missing keys keep Pages' values).
//! - [`smartify`] is Jekyll's `smartify` filter (kramdown's SmartyPants-only parser).
//!
//! Not for: Liquid, front matter, layouts (the site renderer does those first), and not a
//! general CommonMark renderer. Known differences from kramdown are listed in
//! `tests/data/markdown_expected_failures.txt` and in `docs/markup.md`.

mod table;
pub mod typography;
mod writer;

pub use typography::Quotes;

/// The kramdown options that change the HTML. Defaults are GitHub Pages' values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KramdownOptions {
    /// `auto_ids`: give headers an `id` (GFM's algorithm).
    pub auto_ids: bool,
    /// `auto_id_prefix`, prepended to generated ids.
    pub auto_id_prefix: String,
    /// `smart_quotes`: the four quote characters.
    pub smart_quotes: Quotes,
    /// `footnote_nr`: number of the first footnote.
    pub footnote_nr: usize,
    /// `footnote_backlink`: text of the back link (raw HTML, kramdown does not escape entities).
    pub footnote_backlink: String,
    /// `hard_wrap`: soft line breaks become `<br />`.
    pub hard_wrap: bool,
    /// `syntax_highlighter` is `rouge` (anything else: plain `<pre><code>`).
    pub highlight: bool,
    /// `syntax_highlighter_opts.default_lang`.
    pub default_lang: Option<String>,
    /// `toc_levels`: header levels that go into a `{:toc}`.
    pub toc_levels: Vec<u8>,
}

impl Default for KramdownOptions {
    fn default() -> Self {
        KramdownOptions {
            auto_ids: true,
            auto_id_prefix: String::new(),
            smart_quotes: Quotes::default(),
            footnote_nr: 1,
            footnote_backlink: "&#8617;".into(),
            hard_wrap: false,
            highlight: true,
            default_lang: Some("plaintext".into()),
            toc_levels: (1..=6).collect(),
        }
    }
}

impl KramdownOptions {
    /// Builds the options from the site config's `kramdown:` value (a JSON object; `null` or a
    /// missing key keeps Pages' default). GitHub Pages forces `input: GFM`,
    /// `syntax_highlighter: rouge` and friends, so only the user-settable keys are read.
    pub fn from_config(kramdown: &serde_json::Value) -> Self {
        let mut o = KramdownOptions::default();
        let get = |k: &str| kramdown.get(k).filter(|v| !v.is_null());
        if let Some(v) = get("auto_ids") {
            o.auto_ids = truthy(v);
        }
        if let Some(v) = get("auto_id_prefix").and_then(|v| v.as_str()) {
            o.auto_id_prefix = v.to_string();
        }
        if let Some(v) = get("footnote_nr").and_then(|v| v.as_u64()) {
            o.footnote_nr = v as usize;
        }
        if let Some(v) = get("footnote_backlink").and_then(|v| v.as_str()) {
            o.footnote_backlink = v.to_string();
        }
        if let Some(v) = get("hard_wrap") {
            o.hard_wrap = truthy(v);
        }
        if let Some(v) = get("smart_quotes").and_then(|v| v.as_str()) {
            let names: Vec<&str> = v.split(',').map(str::trim).collect();
            if names.len() == 4 {
                let ch = |n: &str| entity_char(n).unwrap_or_else(|| format!("&{n};"));
                o.smart_quotes = Quotes {
                    lsquo: ch(names[0]),
                    rsquo: ch(names[1]),
                    ldquo: ch(names[2]),
                    rdquo: ch(names[3]),
                };
            }
        }
        if let Some(v) = get("toc_levels") {
            if let Some(levels) = toc_levels(v) {
                o.toc_levels = levels;
            }
        }
        if let Some(v) = get("syntax_highlighter").and_then(|v| v.as_str()) {
            o.highlight = v == "rouge";
        }
        if let Some(opts) = get("syntax_highlighter_opts") {
            if let Some(l) = opts.get("default_lang") {
                o.default_lang = l.as_str().map(str::to_string);
            }
        }
        o
    }
}

/// `toc_levels` as kramdown accepts it: `"2..4"`, `"1,2,3"`, or an array of numbers.
fn toc_levels(v: &serde_json::Value) -> Option<Vec<u8>> {
    match v {
        serde_json::Value::Array(a) => a.iter().map(|x| x.as_u64().map(|n| n as u8)).collect(),
        serde_json::Value::String(s) => {
            if let Some((a, b)) = s.split_once("..") {
                let (a, b): (u8, u8) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                Some((a..=b).collect())
            } else {
                s.split(',').map(|x| x.trim().parse().ok()).collect()
            }
        }
        _ => None,
    }
}

fn truthy(v: &serde_json::Value) -> bool {
    !matches!(v, serde_json::Value::Null | serde_json::Value::Bool(false))
}

/// Characters of the entity names kramdown accepts in `smart_quotes`.
fn entity_char(name: &str) -> Option<String> {
    let c = match name {
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "laquo" => '\u{ab}',
        "raquo" => '\u{bb}',
        "lsaquo" => '\u{2039}',
        "rsaquo" => '\u{203a}',
        "sbquo" => '\u{201a}',
        "bdquo" => '\u{201e}',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let n = name.strip_prefix('#')?;
            let v = match n.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(v)?
        }
    };
    Some(c.to_string())
}

/// Converts a Markdown document to HTML exactly as kramdown does on GitHub Pages (as far as
/// the known gaps allow).
pub fn to_html(src: &str, opts: &KramdownOptions) -> String {
    writer::convert(src, opts)
}

/// Jekyll's `smartify` filter: kramdown with Jekyll's SmartyPants parser (only smart quotes,
/// typographic symbols, entities and inline HTML are parsed; everything else is text), the
/// result's final newline removed.
pub fn smartify(input: &str, opts: &KramdownOptions) -> String {
    use typography::Piece;
    // Split into text, HTML tags (kept as they are) and entities (decoded, kept literal).
    let mut pieces: Vec<Piece> = Vec::new();
    let mut html: Vec<Option<String>> = Vec::new();
    let mut text = String::new();
    let mut rest = input;
    let flush = |text: &mut String, pieces: &mut Vec<Piece>, html: &mut Vec<Option<String>>| {
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(text)));
            html.push(None);
        }
    };
    while let Some(c) = rest.chars().next() {
        let bol = rest.len() == input.len() || input[..input.len() - rest.len()].ends_with('\n');
        if bol {
            if let Some(len) = block_html_len(rest) {
                // A block of HTML at a line start is kept raw and ends its line.
                flush(&mut text, &mut pieces, &mut html);
                let raw = &rest[..len];
                pieces.push(Piece::Markup(raw.to_string()));
                html.push(Some(format!("{raw}\n")));
                rest = &rest[len..];
                if let Some(r) = rest.strip_prefix('\n') {
                    rest = r;
                }
                continue;
            }
        }
        if rest.starts_with("<<") {
            // kramdown's typographic `<<` starts before a tag could.
            text.push_str("<<");
            rest = &rest[2..];
            continue;
        }
        if c == '<' {
            if let Some(m) = tag_re().find(rest) {
                flush(&mut text, &mut pieces, &mut html);
                pieces.push(Piece::Markup(m.as_str().to_string()));
                html.push(Some(m.as_str().to_string()));
                rest = &rest[m.end()..];
                continue;
            }
        }
        if c == '&' {
            if let Some(m) = entity_re().find(rest) {
                let name = &m.as_str()[1..m.len() - 1];
                if let Some(ch) = named_entity(name).or_else(|| entity_char(name)) {
                    flush(&mut text, &mut pieces, &mut html);
                    pieces.push(Piece::Literal(ch));
                    html.push(None);
                    rest = &rest[m.end()..];
                    continue;
                }
            }
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut text, &mut pieces, &mut html);
    let outs = typography::apply(&pieces, &opts.smart_quotes);
    let mut out = String::new();
    for (o, h) in outs.into_iter().zip(html) {
        match h {
            Some(h) => out.push_str(&h),
            None => out.push_str(&o),
        }
    }
    // kramdown's output ends with the text's own final newline; Jekyll chomps one.
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

fn tag_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r#"^(?:<!--(?s:.*?)-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s>"'=/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*\s*/?>)"#)
            .expect("static regex")
    })
}

fn entity_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
            .expect("static regex")
    })
}

/// A few named entities beyond the quote names; others stay as written.
fn named_entity(name: &str) -> Option<String> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "nbsp" => '\u{a0}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "trade" => '\u{2122}',
        "mdash" => '\u{2014}',
        "ndash" => '\u{2013}',
        "hellip" => '\u{2026}',
        _ => return None,
    };
    Some(c.to_string())
}

/// Length of a block of HTML starting `text` (kramdown's block HTML parser in Jekyll's
/// SmartyPants input): a comment, or an element that is not span-level, up to its end.
fn block_html_len(text: &str) -> Option<usize> {
    let lead = text.len() - text.trim_start_matches(' ').len();
    if lead > 3 {
        return None;
    }
    let t = &text[lead..];
    if t.starts_with("<!--") {
        return t.find("-->").map(|i| lead + i + 3);
    }
    let name: String = t
        .strip_prefix('<')?
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let lower = name.to_ascii_lowercase();
    if name.is_empty() || SPAN_ELEMENTS.contains(&lower.as_str()) {
        return None;
    }
    let open = tag_re().find(t)?;
    if open.as_str().ends_with("/>") {
        return Some(lead + open.end());
    }
    let (open_pat, close) = (format!("<{lower}"), format!("</{lower}"));
    let lower_text = t.to_ascii_lowercase();
    let mut depth = 0usize;
    let mut i = 0;
    while i < lower_text.len() {
        let r = &lower_text[i..];
        if r.starts_with(&close) {
            depth -= 1;
            if depth == 0 {
                return r.find('>').map(|e| lead + i + e + 1);
            }
        } else if r.starts_with(&open_pat) {
            depth += 1;
        }
        i += r.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// kramdown's span-level HTML elements.
const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "s", "samp", "select", "small", "span", "strike", "strong", "sub", "sup",
    "textarea", "tt", "u", "var",
];
