//! kramdown's HTML converter (`kramdown/converter/html.rb`) re-implemented over comrak's tree.
//!
//! kramdown keeps blank lines as elements and echoes each run of them as `"\n"`; comrak does
//! not, so blank runs are recovered from the source lines between sibling blocks. Header ids
//! and image `alt` text need the raw source, recovered from comrak's source positions.

use std::borrow::Cow;
use std::collections::HashMap;

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use comrak::{parse_document, Arena, Options};

use super::table;
use super::typography::{self, Piece};
use super::KramdownOptions;
use crate::highlight;

type Node<'a> = &'a AstNode<'a>;

pub fn convert(src: &str, opts: &KramdownOptions) -> String {
    convert_with_ids(src, opts, HashMap::new()).0
}

/// What a fragment converted on its own may contain.
#[derive(Clone, Copy, PartialEq)]
enum Fragment {
    /// Blocks, as a document.
    Blocks,
    /// The text of one table cell: no block can start a table again.
    Cell,
}

/// Converts `src`; `ids` are header ids already used (a fragment after a raw HTML block
/// continues the document's numbering).
fn convert_with_ids(
    src: &str,
    opts: &KramdownOptions,
    ids: HashMap<String, usize>,
) -> (String, HashMap<String, usize>) {
    convert_fragment(src, opts, ids, Fragment::Blocks)
}

fn convert_fragment(
    src: &str,
    opts: &KramdownOptions,
    ids: HashMap<String, usize>,
    kind: Fragment,
) -> (String, HashMap<String, usize>) {
    // kramdown normalises line ends before parsing.
    let src: std::borrow::Cow<str> = if src.contains('\r') {
        src.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        src.into()
    };
    let arena = Arena::new();
    let mut o = Options::default();
    o.extension.strikethrough = true;
    // A cell's text is span-level: no GFM table either.
    o.extension.table = kind == Fragment::Blocks;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.description_lists = true;
    // kramdown's math (`$$…$$`); single-dollar math is turned back into text.
    o.extension.math_dollars = true;
    let root = parse_document(&arena, &src, &o);
    if kind == Fragment::Cell {
        unmark_cell(root);
    }
    let line_starts = line_starts(&src);
    let mut w = Writer {
        lines: lines(&src, &line_starts),
        line_starts,
        src: &src,
        opts,
        ids,
        footnotes: Vec::new(),
        defs: HashMap::new(),
        headings: HashMap::new(),
        toc: Vec::new(),
        covered: Vec::new(),
        tables: HashMap::new(),
        run_on: HashMap::new(),
        absorbed: Default::default(),
    };
    for c in root.children() {
        if let NodeValue::FootnoteDefinition(d) = &c.data().value {
            w.defs.insert(d.name.clone(), c);
            let sp = c.data().sourcepos;
            w.covered.push((sp.start.line, w.end_line(c)));
        }
    }
    w.prepare_headings(root);
    if kind == Fragment::Blocks {
        w.prepare_tables(root);
    }
    let mut out = w.blocks(root, 0, Ctx::Document);
    out.push_str(&w.footnote_content());
    (out, w.ids)
}

struct Heading {
    id: Option<String>,
    html: String,
}

fn line_starts(s: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(memchr::memchr_iter(b'\n', s.as_bytes()).map(|i| i + 1));
    v
}

/// `s.split('\n')`, from its line starts (one scan of the text, not two).
fn lines<'s>(s: &'s str, starts: &[usize]) -> Vec<&'s str> {
    let ends = starts.iter().skip(1).map(|&e| e - 1).chain([s.len()]);
    starts.iter().zip(ends).map(|(&a, b)| &s[a..b]).collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Document,
    Quote,
}

struct Footnote {
    name: String,
    number: usize,
    repeat: usize,
}

struct Writer<'s, 'a> {
    lines: Vec<&'s str>,
    line_starts: Vec<usize>,
    src: &'s str,
    opts: &'s KramdownOptions,
    ids: HashMap<String, usize>,
    footnotes: Vec<Footnote>,
    defs: HashMap<String, Node<'a>>,
    /// Header ids and contents, computed up front in document order (a TOC needs them).
    headings: HashMap<usize, Heading>,
    /// (level, id, contents) of every header, for `{:toc}`.
    toc: Vec<(u8, String, String)>,
    /// Line ranges of footnote definitions: their blank lines are theirs, not echoed.
    covered: Vec<(usize, usize)>,
    /// Blocks kramdown parses as tables (comrak paragraphs or GFM tables; see [`table`]), by
    /// node address, with the attributes of a `{: …}` line right below the table.
    tables: HashMap<usize, (table::Table, Vec<(String, String)>)>,
    /// Paragraphs that go on through the GFM table comrak started right below them (kramdown
    /// has no such interruption): their whole source text, by node address.
    run_on: HashMap<usize, String>,
    /// The GFM tables those paragraphs took in, by node address: not printed.
    absorbed: std::collections::HashSet<usize>,
}

/// `n` spaces of kramdown's indentation (borrowed up to the nesting any real page reaches).
fn pad(n: usize) -> Cow<'static, str> {
    const SPACES: &str = "                                                                                                                                ";
    match SPACES.get(..n) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(" ".repeat(n)),
    }
}

/// `parts` joined into one string allocated once: the `format!` of plain pieces without the
/// formatting machinery. The writer builds ~100,000 small strings on a 2,000-page site, and
/// `format!` was ~7% of that render's instructions.
fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    push_all(&mut s, parts);
    s
}

/// Appends `parts` to `out` (the `push_str(&format!(..))` of plain pieces).
fn push_all(out: &mut String, parts: &[&str]) {
    out.reserve(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
}

/// kramdown's `escape_html(s, :attribute)`: existing entity references are kept.
fn escape_attr(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '&' {
            if let Some(m) = entity_ref_len(rest) {
                out.push_str(&rest[..m]);
                rest = &rest[m..];
                continue;
            }
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn entity_ref_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    if b.get(1) == Some(&b'#') {
        i = 2;
        let hex = matches!(b.get(2), Some(b'x'));
        if hex {
            i = 3;
        }
        let st = i;
        while b.get(i).is_some_and(|c| {
            if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            }
        }) {
            i += 1;
        }
        if i == st {
            return None;
        }
    } else {
        let st = i;
        while b.get(i).is_some_and(|c| {
            c.is_ascii_alphanumeric() || *c == b'_' || *c == b':' || *c == b'-' || *c == b'.'
        }) {
            i += 1;
        }
        if i == st || !b[st].is_ascii_alphabetic() && b[st] != b'_' && b[st] != b':' {
            return None;
        }
    }
    (b.get(i) == Some(&b';')).then_some(i + 1)
}

/// `escape_html(s, :all)`.
pub(crate) fn escape_all(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

fn is_block(n: Node<'_>) -> bool {
    !matches!(
        n.data().value,
        NodeValue::Text(_)
            | NodeValue::SoftBreak
            | NodeValue::LineBreak
            | NodeValue::Code(_)
            | NodeValue::HtmlInline(_)
            | NodeValue::Emph
            | NodeValue::Strong
            | NodeValue::Strikethrough
            | NodeValue::Link(_)
            | NodeValue::Image(_)
            | NodeValue::FootnoteReference(_)
    )
}

impl<'s, 'a> Writer<'s, 'a> {
    fn start_line(&self, n: Node<'a>) -> usize {
        n.data().sourcepos.start.line
    }

    /// Last source line of a block's content. comrak counts the blank lines that end a list
    /// into it; kramdown echoes them after the list, so containers end with their last child.
    fn end_line(&self, n: Node<'a>) -> usize {
        let own = n.data().sourcepos.end.line;
        let container = matches!(
            n.data().value,
            NodeValue::List(_)
                | NodeValue::Item(_)
                | NodeValue::TaskItem(_)
                | NodeValue::BlockQuote
        );
        let last = n
            .children()
            .filter(|c| !matches!(c.data().value, NodeValue::FootnoteDefinition(_)))
            .last();
        match last {
            Some(c) if is_block(c) && container => self.end_line(c),
            Some(c) if is_block(c) => own.max(self.end_line(c)),
            _ => own,
        }
    }

    fn is_blank_line(&self, line: usize) -> bool {
        if self.covered.iter().any(|&(a, b)| a <= line && line <= b) {
            return false;
        }
        self.lines
            .get(line.wrapping_sub(1))
            .is_some_and(|l| l.chars().all(|c| c == ' ' || c == '\t' || c == '>'))
    }

    /// Number of runs of blank lines in `from..to` (1-based, `to` exclusive). With
    /// `followed`, a run counts only when a non-blank line follows it inside the range.
    fn blank_runs(&self, from: usize, to: usize, followed: bool) -> usize {
        let mut runs = 0;
        let mut in_run = false;
        for l in from..to {
            if self.is_blank_line(l) {
                if !in_run {
                    in_run = true;
                    if !followed {
                        runs += 1;
                    }
                }
            } else {
                if in_run && followed {
                    runs += 1;
                }
                in_run = false;
            }
        }
        runs
    }

    fn visible_children(&self, n: Node<'a>) -> Vec<Node<'a>> {
        n.children()
            .filter(|c| !matches!(c.data().value, NodeValue::FootnoteDefinition(_)))
            .filter(|c| self.absorbed.is_empty() || !self.absorbed.contains(&key(c)))
            .collect()
    }

    /// The children of a container block with kramdown's blank-line echoes.
    fn blocks(&mut self, parent: Node<'a>, indent: usize, ctx: Ctx) -> String {
        let kids = self.visible_children(parent);
        let mut out = String::new();
        let total_lines = self.lines.len();
        if ctx == Ctx::Document {
            let first = kids
                .first()
                .map(|k| self.start_line(k))
                .unwrap_or(total_lines + 1);
            out.push_str(&"\n".repeat(self.blank_runs(1, first, false)));
        }
        let mut prev: Option<Node<'a>> = None;
        let mut prev_end = 0;
        let mut last_block_at = 0;
        let mut i = 0;
        while i < kids.len() {
            let k = kids[i];
            if prev.is_some() {
                let n = self.blank_runs(prev_end + 1, self.start_line(k), false);
                out.push_str(&"\n".repeat(n));
            }
            // A standalone `{: …}` line gives attributes to the block before it.
            if let (Some(attrs), true) = (self.standalone_ial(k), prev.is_some()) {
                if prev_end + 1 == self.start_line(k) {
                    let at = last_block_at;
                    let tail = out.split_off(at);
                    out.push_str(&add_attributes(&tail, &attrs));
                    prev = Some(k);
                    prev_end = self.end_line(k);
                    i += 1;
                    continue;
                }
            }
            last_block_at = out.len();
            if ctx == Ctx::Document && matches!(k.data().value, NodeValue::HtmlBlock(_)) {
                if let Some((html, end, rest)) = self.raw_html_block(&kids[i..]) {
                    out.push_str(&html);
                    let skipped = kids[i..]
                        .iter()
                        .take_while(|c| self.start_line(c) <= end)
                        .count();
                    if !rest.is_empty() {
                        let ids = std::mem::take(&mut self.ids);
                        let (more, ids) = convert_with_ids(&rest, self.opts, ids);
                        self.ids = ids;
                        out.push_str(&more);
                    }
                    prev = Some(k);
                    // The last line with content (comrak's HTML blocks may end on a blank).
                    prev_end = end + rest.trim_end().lines().count();
                    i += skipped;
                    continue;
                }
            }
            // kramdown's paragraphs are not interrupted by a `***` rule line.
            if matches!(k.data().value, NodeValue::Paragraph) {
                let mut end = self.end_line(k);
                let mut extra = Vec::new();
                while let Some(&next) = kids.get(i + 1 + extra.len()) {
                    if !matches!(next.data().value, NodeValue::ThematicBreak)
                        || self.start_line(next) != end + 1
                    {
                        break;
                    }
                    end = self.end_line(next);
                    extra.push(self.lines[end - 1].trim().to_string());
                }
                if !extra.is_empty() {
                    let html = self.block(k, indent);
                    let body = html.trim_end_matches('\n').trim_end_matches("</p>");
                    let tail = typography::apply(
                        &[Piece::Text(format!("\n{}", extra.join("\n")))],
                        &self.opts.smart_quotes,
                    )
                    .remove(0);
                    out.push_str(&format!("{body}{tail}</p>\n"));
                    prev = Some(k);
                    prev_end = end;
                    i += 1 + extra.len();
                    continue;
                }
            }
            out.push_str(&self.block(k, indent));
            prev = Some(k);
            prev_end = self.end_line(k);
            i += 1;
        }
        if ctx == Ctx::Document && prev.is_some() {
            let n = self.blank_runs(prev_end + 1, total_lines + 1, true);
            out.push_str(&"\n".repeat(n));
        }
        out
    }

    /// kramdown keeps a block of HTML raw up to the line that closes its first element, blank
    /// lines included, and parses what follows that line as Markdown again; comrak ends an
    /// HTML block at a blank line instead. Returns the raw HTML, its last line and the
    /// Markdown text after it that comrak had put inside the HTML block.
    fn raw_html_block(&self, kids: &[Node<'a>]) -> Option<(String, usize, String)> {
        let first = kids[0];
        let start = self.start_line(first);
        let line = self.lines.get(start - 1)?;
        let tag: String = line
            .trim_start()
            .strip_prefix('<')?
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tag.is_empty() {
            return None;
        }
        let open_re = regex::Regex::new(&format!(r"(?i)<{tag}(?:[\s>/]|$)")).ok()?;
        let close_re = regex::Regex::new(&format!(r"(?i)</{tag}\s*>")).ok()?;
        let mut depth: i64 = 0;
        let mut end = None;
        for (i, l) in self.lines.iter().enumerate().skip(start - 1) {
            depth += open_re.find_iter(l).count() as i64;
            depth -= close_re.find_iter(l).count() as i64;
            if depth <= 0 {
                end = Some(i + 1);
                break;
            }
        }
        let end = end?;
        // Lines of the comrak nodes that the raw block swallows, after its last line.
        let covered_end = kids
            .iter()
            .take_while(|c| self.start_line(c) <= end)
            .map(|c| self.end_line(c))
            .max()
            .unwrap_or(end);
        if end == self.end_line(first) && covered_end == end {
            return None; // comrak agrees: nothing to fix
        }
        let html = normalize_block_html(&self.lines[start - 1..end].join("\n")) + "\n";
        let rest = if covered_end > end {
            self.lines[end..covered_end].join("\n") + "\n"
        } else {
            String::new()
        };
        Some((html, end, rest))
    }

    /// The attributes of a paragraph that is only a block IAL line (`{: .class #id}`).
    fn standalone_ial(&self, n: Node<'a>) -> Option<Vec<(String, String)>> {
        if !matches!(n.data().value, NodeValue::Paragraph) {
            return None;
        }
        let sp = n.data().sourcepos;
        if sp.start.line != sp.end.line {
            return None;
        }
        parse_ial(self.lines.get(sp.start.line - 1)?.trim())
    }

    /// kramdown's setext headers are one line; a longer one stays a paragraph.
    fn is_multiline_setext(&self, n: Node<'a>) -> bool {
        let sp = n.data().sourcepos;
        matches!(&n.data().value, NodeValue::Heading(h) if h.setext)
            && sp.end.line > sp.start.line + 1
    }

    /// Header ids and contents for the whole document, in document order.
    fn prepare_headings(&mut self, root: Node<'a>) {
        for n in root.descendants() {
            let level = match &n.data().value {
                NodeValue::Heading(h) if !self.is_multiline_setext(n) => h.level,
                _ => continue,
            };
            let mut html = self.inline(n);
            let raw = self.heading_raw_text(n);
            // `## Text {#id}` sets the id (kramdown's header id syntax).
            let explicit = header_id_re().captures(&raw).map(|c| c[1].to_string());
            if explicit.is_some() {
                if let Some(m) = header_id_re().find(&html) {
                    html.truncate(m.start());
                }
            }
            let id = match explicit {
                Some(id) => Some(id),
                None if self.opts.auto_ids => Some(self.gfm_id(&raw)),
                None => None,
            };
            if let Some(id) = &id {
                if self.opts.toc_levels.contains(&level) {
                    self.toc.push((level, id.clone(), html.clone()));
                }
            }
            self.headings
                .insert(n as *const _ as usize, Heading { id, html });
        }
    }

    fn block(&mut self, n: Node<'a>, indent: usize) -> String {
        let ind = pad(indent);
        let value = n.data().value.clone();
        match value {
            NodeValue::Paragraph if self.is_block_math(n) => {
                let lit = match &n.first_child().expect("checked").data().value {
                    NodeValue::Math(m) => m.literal.clone(),
                    _ => String::new(),
                };
                format!("{ind}\\[{}\\]\n", escape_all(lit.trim()))
            }
            // Lines kramdown parses as a table: a paragraph to comrak, or its GFM table.
            NodeValue::Paragraph | NodeValue::Table(_) if self.is_table(n) => {
                let (t, attrs) = self.tables[&key(n)].clone();
                let html = self.kramdown_table(&t, indent);
                if attrs.is_empty() {
                    html
                } else {
                    add_attributes(&html, &attrs)
                }
            }
            NodeValue::Paragraph if self.run_on.contains_key(&key(n)) => {
                cat(&[&ind, "<p>", &self.paragraph_body(n), "</p>\n"])
            }
            NodeValue::Paragraph => {
                let (body, attrs) = self.paragraph_inline(n);
                cat(&[&ind, "<p", &attr_string(&attrs), ">", &body, "</p>\n"])
            }
            NodeValue::Heading(_) if self.is_multiline_setext(n) => {
                let sp = n.data().sourcepos;
                let underline = self.lines[sp.end.line - 1].trim();
                let body = self.inline(n);
                format!("{ind}<p>{body}\n{underline}</p>\n")
            }
            NodeValue::Heading(h) => {
                let key = n as *const _ as usize;
                let (id, body) = match self.headings.get(&key) {
                    Some(hd) => (hd.id.clone(), hd.html.clone()),
                    None => (None, self.inline(n)),
                };
                let attr = id
                    .map(|id| cat(&[" id=\"", &escape_attr(&id), "\""]))
                    .unwrap_or_default();
                let l = char::from(b'0' + h.level.min(9)).to_string();
                cat(&[&ind, "<h", &l, &attr, ">", &body, "</h", &l, ">\n"])
            }
            NodeValue::List(l) if self.is_toc_list(n) => {
                let tag = if l.list_type == ListType::Ordered {
                    "ol"
                } else {
                    "ul"
                };
                self.toc_html(tag, indent)
            }
            NodeValue::ThematicBreak => cat(&[&ind, "<hr />\n"]),
            NodeValue::BlockQuote => cat(&[
                &ind,
                "<blockquote>\n",
                &self.blocks(n, indent + 2, Ctx::Quote),
                &ind,
                "</blockquote>\n",
            ]),
            NodeValue::List(l) => {
                let tag = if l.list_type == ListType::Ordered {
                    "ol"
                } else {
                    "ul"
                };
                let is_task = n
                    .children()
                    .any(|c| matches!(c.data().value, NodeValue::TaskItem(_)));
                let attr = if is_task { " class=\"task-list\"" } else { "" };
                let items: Vec<Node<'a>> = n.children().collect();
                let mut transparent = Vec::with_capacity(items.len());
                for i in 0..items.len() {
                    let t = self.item_transparent(&items, i, &transparent);
                    transparent.push(t);
                }
                let mut body = String::new();
                for (i, it) in items.iter().enumerate() {
                    body.push_str(&self.item(it, indent + 2, transparent[i], "li"));
                }
                cat(&[&ind, "<", tag, attr, ">\n", &body, &ind, "</", tag, ">\n"])
            }
            NodeValue::CodeBlock(cb) => {
                let lang = cb.info.split_whitespace().next().map(str::to_string);
                self.code_block(&cb.literal, lang.as_deref(), indent)
            }
            NodeValue::HtmlBlock(h) if starts_with_span_element(&h.literal) => {
                // kramdown: HTML starting with a span-level element is a paragraph.
                let marked = format!("\u{2060}{}", h.literal);
                let ids = std::mem::take(&mut self.ids);
                let (html, ids) = convert_with_ids(&marked, self.opts, ids);
                self.ids = ids;
                format!("{ind}{}", html.replacen('\u{2060}', "", 1))
            }
            NodeValue::HtmlBlock(h) => {
                let lit = h.literal.trim_end_matches('\n');
                let mut html = normalize_block_html(lit);
                html.push('\n');
                html
            }
            NodeValue::Table(_) if n.children().count() < 2 => {
                // kramdown needs a body row; without one the lines are a paragraph.
                let sp = n.data().sourcepos;
                let text = self.lines[sp.start.line - 1..sp.end.line].join("\n");
                let body =
                    typography::apply(&[Piece::Text(text)], &self.opts.smart_quotes).remove(0);
                format!("{ind}<p>{body}</p>\n")
            }
            NodeValue::Table(t) => self.table(n, &t.alignments, indent),
            NodeValue::DescriptionList => {
                let mut body = String::new();
                for item in n.children() {
                    for part in item.children() {
                        match part.data().value {
                            NodeValue::DescriptionTerm => {
                                let inner = match part.first_child() {
                                    Some(p) if matches!(p.data().value, NodeValue::Paragraph) => {
                                        self.inline(p)
                                    }
                                    _ => self.inline(part),
                                };
                                body.push_str(&format!("{}<dt>{inner}</dt>\n", pad(indent + 2)));
                            }
                            NodeValue::DescriptionDetails => {
                                let kids = self.visible_children(part);
                                let t = kids.len() == 1
                                    && matches!(kids[0].data().value, NodeValue::Paragraph);
                                body.push_str(&self.item(part, indent + 2, t, "dd"));
                            }
                            _ => {}
                        }
                    }
                }
                format!("{ind}<dl>\n{body}{ind}</dl>\n")
            }
            // Blocks kramdown has no counterpart for: keep their text visible.
            _ => String::new(),
        }
    }

    /// kramdown's rule (parser/kramdown/list.rb) for the first paragraph of an item to be
    /// "transparent" (no `<p>`): it is not followed by a blank line, and the last item is
    /// transparent only if an earlier one is.
    fn item_transparent(&self, items: &[Node<'a>], i: usize, earlier: &[bool]) -> bool {
        let it = items[i];
        let kids = self.visible_children(it);
        let Some(first) = kids.first() else {
            return false;
        };
        if !self.is_paragraph(first) {
            return false;
        }
        let last = i + 1 == items.len();
        let blank_after = if kids.len() >= 2 {
            self.blank_runs(self.end_line(first) + 1, self.start_line(kids[1]), false) > 0
        } else if !last {
            self.blank_runs(self.end_line(it) + 1, self.start_line(items[i + 1]), false) > 0
        } else {
            false
        };
        if blank_after {
            return false;
        }
        if !last || items.len() == 1 {
            return true;
        }
        items[..i].iter().zip(earlier).any(|(p, &t)| {
            let k = self.visible_children(p);
            k.is_empty() || !self.is_paragraph(k[0]) || t
        })
    }

    fn item(&mut self, it: Node<'a>, indent: usize, transparent: bool, tag: &str) -> String {
        let ind = pad(indent);
        let kids = self.visible_children(it);
        let (attr, checkbox) = match &it.data().value {
            NodeValue::TaskItem(t) => (
                " class=\"task-list-item\"",
                if t.symbol.is_some() {
                    "<input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled=\"disabled\" checked=\"checked\" />"
                } else {
                    "<input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled=\"disabled\" />"
                },
            ),
            _ => ("", ""),
        };
        let mut res = String::new();
        let mut prev: Option<Node<'a>> = None;
        for (i, k) in kids.iter().enumerate() {
            if let Some(p) = prev {
                let n = self.blank_runs(self.end_line(p) + 1, self.start_line(k), false);
                res.push_str(&"\n".repeat(n));
            }
            if i == 0 && transparent {
                res.push_str(checkbox);
                res.push_str(&self.paragraph_body(k));
                if kids.len() > 1 {
                    res.push('\n');
                }
            } else {
                res.push_str(&self.block(k, indent + 2));
            }
            prev = Some(k);
        }
        let mut out = cat(&[&ind, "<", tag, attr, ">"]);
        if kids.is_empty() || transparent {
            out.push_str(&res);
            if res.ends_with('\n') {
                out.push_str(&ind);
            }
        } else {
            out.push('\n');
            out.push_str(&res);
            out.push_str(&ind);
        }
        push_all(&mut out, &["</", tag, ">\n"]);
        out
    }

    fn code_block(&self, code: &str, lang: Option<&str>, indent: usize) -> String {
        let ind = pad(indent);
        let eff = lang.or(self.opts.default_lang.as_deref());
        if self.opts.highlight {
            if let Some(l) = eff {
                if let Some(hl) = highlight::kramdown_block(code, l) {
                    return cat(&[
                        &ind,
                        "<div class=\"language-",
                        &escape_attr(l),
                        " highlighter-rouge\">",
                        &hl,
                        &ind,
                        "</div>\n",
                    ]);
                }
            }
        }
        let mut body = escape_all(code);
        if body.ends_with('\n') {
            body.pop();
        }
        let class = lang
            .map(|l| cat(&[" class=\"language-", &escape_attr(l), "\""]))
            .unwrap_or_default();
        cat(&[&ind, "<pre><code", &class, ">", &body, "\n</code></pre>\n"])
    }

    fn table(&mut self, n: Node<'a>, align: &[TableAlignment], indent: usize) -> String {
        let rows: Vec<Node<'a>> = n.children().collect();
        let (head, body): (Vec<Node<'a>>, Vec<Node<'a>>) = rows
            .iter()
            .partition(|r| matches!(r.data().value, NodeValue::TableRow(true)));
        let mut sections = Vec::new();
        for (tag, rows) in [("thead", head), ("tbody", body)] {
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.children().map(|c| self.inline(c)).collect())
                .collect();
            sections.push((tag, rows));
        }
        table_html(&sections, align, indent)
    }

    /// A paragraph kramdown parses as a table: its cells' Markdown converted.
    fn kramdown_table(&mut self, t: &table::Table, indent: usize) -> String {
        let mut sections = Vec::new();
        for s in &t.sections {
            let rows: Vec<Vec<String>> = s
                .rows
                .iter()
                .map(|r| r.iter().map(|c| self.cell_html(c)).collect())
                .collect();
            sections.push((s.tag, rows));
        }
        table_html(&sections, &t.align, indent)
    }

    /// A table cell's Markdown as kramdown converts it: span-level only. It is converted as a
    /// paragraph behind a no-break space, which no block syntax can follow and which Markdown
    /// treats as the whitespace a line start is; the space is taken off before printing.
    fn cell_html(&mut self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        let marked = format!("\u{a0}{text}\n");
        let ids = std::mem::take(&mut self.ids);
        let (html, ids) = convert_fragment(&marked, self.opts, ids, Fragment::Cell);
        self.ids = ids;
        match html
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>\n"))
        {
            Some(inner) => inner.to_string(),
            None => escape_all(text),
        }
    }

    /// A paragraph node that is printed as a paragraph (not as a kramdown table).
    fn is_paragraph(&self, n: Node<'a>) -> bool {
        matches!(n.data().value, NodeValue::Paragraph) && !self.is_table(n)
    }

    fn is_table(&self, n: Node<'a>) -> bool {
        !self.tables.is_empty() && self.tables.contains_key(&key(n))
    }

    /// The inline HTML of a paragraph (with the table lines it runs on through, if any).
    fn paragraph_body(&mut self, n: Node<'a>) -> String {
        match self.run_on.get(&key(n)).cloned() {
            Some(text) => self.cell_html(&text),
            None => self.inline(n),
        }
    }

    /// Finds the paragraphs kramdown would parse as tables: kramdown tries its table parser
    /// on a block that starts after a block boundary (a blank line or its container's start)
    /// and keeps the table only if a boundary follows it too.
    fn prepare_tables(&mut self, root: Node<'a>) {
        // Only blocks whose containers are the document, quotes and list items (the ones
        // kramdown parses tables in); inline nodes are never visited.
        let mut stack: Vec<Node<'a>> = root.children().collect();
        stack.reverse();
        while let Some(n) = stack.pop() {
            let candidate = match n.data().value {
                NodeValue::Paragraph => !self.is_block_math(n),
                // comrak's GFM tables: kramdown's parser splits them its own way.
                NodeValue::Table(_) => !self.absorbed.contains(&key(n)),
                NodeValue::BlockQuote | NodeValue::List(_) | NodeValue::Item(_) => {
                    let at = stack.len();
                    stack.extend(n.children());
                    stack[at..].reverse();
                    false
                }
                _ => false,
            };
            if !candidate {
                continue;
            }
            let first = n.data().sourcepos.start.line;
            let mut last = self.end_line(n);
            // comrak lets a GFM table interrupt a paragraph; to kramdown it is one block.
            let mut absorbs = None;
            if matches!(n.data().value, NodeValue::Paragraph) {
                if let Some(next) = n.next_sibling() {
                    if matches!(next.data().value, NodeValue::Table(_))
                        && self.start_line(next) == last + 1
                    {
                        absorbs = Some(next);
                        last = self.end_line(next);
                    }
                }
            }
            let boundary_after = match absorbs {
                Some(t) => t.next_sibling().is_none(),
                None => n.next_sibling().is_none(),
            };
            let after_boundary = n.previous_sibling().is_none() || self.is_blank_line(first - 1);
            let before_boundary =
                boundary_after || last >= self.lines.len() || self.is_blank_line(last + 1);
            let has_pipe = self.lines[first - 1..last.min(self.lines.len())]
                .iter()
                .any(|l| l.contains('|'));
            let lines = (absorbs.is_some() || has_pipe).then(|| self.block_lines(n, first, last));
            let parsed = match &lines {
                Some(lines) if after_boundary && before_boundary && has_pipe => {
                    // A `{: …}` line ends the table (a block boundary) and gives it attributes.
                    let ial = lines
                        .split_last()
                        .filter(|(_, rest)| !rest.is_empty())
                        .and_then(|(last, rest)| Some((rest, parse_ial(last.trim())?)));
                    match ial {
                        Some((rest, attrs)) => table::parse(rest).map(|t| (t, attrs)),
                        None => table::parse(lines).map(|t| (t, Vec::new())),
                    }
                }
                _ => None,
            };
            if let Some(t) = absorbs {
                self.absorbed.insert(key(t));
                if parsed.is_none() {
                    let text = lines.expect("computed for a run-on paragraph").join("\n");
                    self.run_on.insert(key(n), text);
                    continue;
                }
            }
            if let Some(t) = parsed {
                if !same_as_gfm(n, &t.0) || !t.1.is_empty() {
                    self.tables.insert(key(n), t);
                }
            }
        }
    }

    /// A block's source lines as kramdown's parser of its container sees them: block quote
    /// markers and list item indentation taken off.
    fn block_lines(&self, n: Node<'a>, first: usize, last: usize) -> Vec<&'s str> {
        let quotes = n
            .ancestors()
            .filter(|a| matches!(a.data().value, NodeValue::BlockQuote))
            .count();
        let unquote = |mut s: &'s str| {
            for _ in 0..quotes {
                match s.trim_start_matches([' ', '\t']).strip_prefix('>') {
                    Some(r) => s = r.strip_prefix(' ').unwrap_or(r),
                    None => break,
                }
            }
            s
        };
        let col = n.data().sourcepos.start.column;
        let first_raw = self.lines.get(first - 1).copied().unwrap_or("");
        let prefix = first_raw.get(..col.saturating_sub(1)).unwrap_or("");
        // What is left of the first line's prefix once its quote markers are off is the
        // list items' indentation.
        let item_indent = unquote(prefix).len();
        (first..=last)
            .map(|l| {
                if l == first {
                    return first_raw.get(prefix.len()..).unwrap_or(first_raw);
                }
                let s = unquote(self.lines.get(l - 1).copied().unwrap_or(""));
                let spaces = s.len() - s.trim_start_matches(' ').len();
                &s[spaces.min(item_indent)..]
            })
            .collect()
    }

    /// kramdown-parser-gfm's `raw_text` of a header: the text of its content after span
    /// parsing (typographic characters included, markup and footnote markers left out).
    fn heading_raw_text(&mut self, n: Node<'a>) -> String {
        fn walk(n: Node<'_>, out: &mut String) {
            for c in n.children() {
                match &c.data().value {
                    NodeValue::Text(t) => out.push_str(t),
                    NodeValue::Code(code) => out.push_str(&code.literal),
                    NodeValue::SoftBreak | NodeValue::LineBreak => out.push('\n'),
                    NodeValue::FootnoteReference(_) | NodeValue::Image(_) => {}
                    NodeValue::HtmlInline(_) => {}
                    _ => walk(c, out),
                }
            }
        }
        let mut text = String::new();
        walk(n, &mut text);
        // Typography as kramdown applies it (quotes and dashes are in raw_text as characters).
        typography::apply(&[Piece::Text(text)], &self.opts.smart_quotes)
            .remove(0)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    /// kramdown-parser-gfm's `generate_gfm_header_id`.
    fn gfm_id(&mut self, raw: &str) -> String {
        let mut id: String = raw
            .to_lowercase()
            .chars()
            .filter(|&c| {
                c == '-' || c == ' ' || c == '\t' || c == '_' || c.is_alphanumeric() || is_mark(c)
            })
            .map(|c| if c == ' ' || c == '\t' { '-' } else { c })
            .collect();
        let count = self.ids.entry(id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            id.push_str(&format!("-{}", *count - 1));
        }
        format!("{}{id}", self.opts.auto_id_prefix)
    }

    fn byte_offset(&self, line: usize, col: usize) -> Option<usize> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let off = start + col.checked_sub(1)?;
        (off <= self.src.len()).then_some(off)
    }

    /// Source text of an inline node, when its position is known.
    fn source_of(&self, n: Node<'a>) -> Option<&'s str> {
        let sp = n.data().sourcepos;
        if sp.start.line == 0 || sp.start.line != sp.end.line {
            return None;
        }
        let a = self.byte_offset(sp.start.line, sp.start.column)?;
        let b = self.byte_offset(sp.end.line, sp.end.column)? + 1;
        self.src.get(a..b.min(self.src.len()))
    }

    /// Inline content of a block, with typography applied across the whole run.
    fn inline(&mut self, n: Node<'a>) -> String {
        let kids: Vec<Node<'a>> = n.children().collect();
        self.inline_nodes(&kids)
    }

    /// A paragraph's content, without a final `{: …}` IAL line, and that line's attributes.
    fn paragraph_inline(&mut self, n: Node<'a>) -> (String, Vec<(String, String)>) {
        let kids: Vec<Node<'a>> = n.children().collect();
        if kids.len() >= 3 {
            let last = kids[kids.len() - 1];
            let brk = kids[kids.len() - 2];
            if let (NodeValue::Text(t), NodeValue::SoftBreak) =
                (&last.data().value, &brk.data().value)
            {
                if let Some(attrs) = parse_ial(t.trim()) {
                    return (self.inline_nodes(&kids[..kids.len() - 2]), attrs);
                }
            }
        }
        (self.inline_nodes(&kids), Vec::new())
    }

    /// A paragraph that is only `$$…$$` is kramdown block math.
    fn is_block_math(&self, n: Node<'a>) -> bool {
        let Some(c) = n.first_child() else {
            return false;
        };
        c.next_sibling().is_none()
            && matches!(&c.data().value, NodeValue::Math(m) if m.display_math)
            && self
                .lines
                .get(n.data().sourcepos.start.line - 1)
                .is_some_and(|l| l.trim_start().starts_with("$$"))
    }

    /// `* TOC` followed by `{:toc}`: kramdown replaces the list with a table of contents.
    fn is_toc_list(&self, n: Node<'a>) -> bool {
        let items: Vec<Node<'a>> = n.children().collect();
        if items.len() != 1 {
            return false;
        }
        let Some(p) = items[0].first_child() else {
            return false;
        };
        if !matches!(p.data().value, NodeValue::Paragraph) || p.next_sibling().is_some() {
            return false;
        }
        let last = p.last_child();
        let brk = last.and_then(|l| l.previous_sibling());
        match (
            last.map(|l| l.data().value.clone()),
            brk.map(|b| b.data().value.clone()),
        ) {
            (Some(NodeValue::Text(t)), Some(NodeValue::SoftBreak)) => parse_toc_ial(t.trim()),
            _ => false,
        }
    }

    /// kramdown's `generate_toc_tree` + conversion, for headers of every level.
    fn toc_html(&self, tag: &str, indent: usize) -> String {
        // Build the tree: each entry's children are the entries nested under it.
        struct Entry {
            level: u8,
            id: String,
            html: String,
            kids: Vec<Entry>,
        }
        fn insert(list: &mut Vec<Entry>, e: Entry) {
            match list.last_mut() {
                Some(last) if last.level < e.level => insert(&mut last.kids, e),
                _ => list.push(e),
            }
        }
        fn render(list: &[Entry], tag: &str, attr: &str, indent: usize, out: &mut String) {
            let ind = pad(indent);
            out.push_str(&format!("{ind}<{tag}{attr}>\n"));
            for e in list {
                let li = pad(indent + 2);
                let a = format!(
                    "<a href=\"#{id}\" id=\"markdown-toc-{id}\">{}</a>",
                    e.html,
                    id = e.id
                );
                if e.kids.is_empty() {
                    out.push_str(&format!("{li}<li>{a}</li>\n"));
                } else {
                    out.push_str(&format!("{li}<li>{a}"));
                    render(&e.kids, tag, "", indent + 4, out);
                    out.push_str(&format!("{li}</li>\n"));
                }
            }
            out.push_str(&format!("{ind}</{tag}>\n"));
        }
        let unlink = regex::Regex::new(
            r#"</?a(?:\s[^>]*)?>|<sup id="fnref:[^"]*" role="doc-noteref">.*?</sup>"#,
        )
        .expect("static regex");
        let mut tree: Vec<Entry> = Vec::new();
        for (level, id, html) in &self.toc {
            insert(
                &mut tree,
                Entry {
                    level: *level,
                    id: id.clone(),
                    html: unlink.replace_all(html, "").into_owned(),
                    kids: Vec::new(),
                },
            );
        }
        let mut out = String::new();
        if !tree.is_empty() {
            render(&tree, tag, " id=\"markdown-toc\"", indent, &mut out);
        }
        out
    }

    fn inline_nodes(&mut self, kids: &[Node<'a>]) -> String {
        let mut pieces = Vec::new();
        let mut outs = Vec::new();
        for &c in kids {
            self.collect_inline(c, &mut pieces, &mut outs);
        }
        let texts = typography::apply(&pieces, &self.opts.smart_quotes);
        let mut out = String::new();
        let mut open: Vec<String> = Vec::new();
        for o in outs {
            match o {
                Out::Html(h) => out.push_str(&h),
                Out::RawHtml(h) => {
                    track_span_tags(&h, &mut open);
                    out.push_str(&h);
                }
                Out::Piece(i) => out.push_str(&texts[i]),
            }
        }
        // kramdown closes span HTML elements left open at the end of the block.
        while let Some(t) = open.pop() {
            push_all(&mut out, &["</", &t, ">"]);
        }
        out
    }

    fn collect_inline(&mut self, n: Node<'a>, pieces: &mut Vec<Piece>, outs: &mut Vec<Out>) {
        // Adjacent texts form one run, as in kramdown's scan of the raw source.
        let piece = |p: Piece, pieces: &mut Vec<Piece>, outs: &mut Vec<Out>, visible: bool| {
            let n = pieces.len();
            if let (Piece::Text(new), Some(Piece::Text(last)), Some(Out::Piece(i))) =
                (&p, pieces.last_mut(), outs.last())
            {
                if visible && *i + 1 == n {
                    last.push_str(new);
                    return;
                }
            }
            pieces.push(p);
            if visible {
                outs.push(Out::Piece(pieces.len() - 1));
            }
        };
        let markup = |s: &str, pieces: &mut Vec<Piece>| pieces.push(Piece::Markup(s.to_string()));
        let value = n.data().value.clone();
        match value {
            NodeValue::Text(t) => {
                for p in self.text_pieces(n, &t) {
                    piece(p, pieces, outs, true);
                }
            }
            NodeValue::SoftBreak => {
                if self.opts.hard_wrap {
                    outs.push(Out::Html("<br />".into()));
                }
                let indent = self.continuation_indent(n);
                piece(Piece::Text(format!("\n{indent}")), pieces, outs, true);
            }
            NodeValue::LineBreak => {
                // kramdown's break takes two of the trailing spaces; more stay as text.
                let line = n.data().sourcepos.start.line;
                let l = self.lines.get(line.wrapping_sub(1)).copied().unwrap_or("");
                let spaces = l.len() - l.trim_end_matches(' ').len();
                if spaces > 2 {
                    piece(Piece::Text(" ".repeat(spaces - 2)), pieces, outs, true);
                }
                outs.push(Out::Html("<br />".into()));
                piece(Piece::Text("\n".into()), pieces, outs, true);
            }
            NodeValue::Math(m) => {
                if m.display_math {
                    markup(&format!("$${}$$", m.literal), pieces);
                    outs.push(Out::Html(format!("\\({}\\)", escape_all(m.literal.trim()))));
                } else {
                    piece(Piece::Text(format!("${}$", m.literal)), pieces, outs, true);
                }
            }
            NodeValue::Code(mut c) => {
                let src = self.source_of(n);
                if c.num_backticks == 1 {
                    // (Only when the source positions are trustworthy: table cells shift them.)
                    let trusted = |s: &&str| {
                        s.len() >= 2
                            && s.starts_with('`')
                            && s.ends_with('`')
                            && s[1..s.len() - 1].trim() == c.literal.trim()
                    };
                    if let Some(src) = src.filter(trusted) {
                        let before = match pieces.last() {
                            Some(Piece::Text(t) | Piece::Literal(t) | Piece::Markup(t)) => {
                                t.chars().last()
                            }
                            None => None,
                        };
                        // kramdown: a lone backtick between whitespace is just a backtick.
                        let opens_literal = src[1..].starts_with(char::is_whitespace)
                            && before.is_none_or(char::is_whitespace);
                        if opens_literal {
                            piece(Piece::Text(src.to_string()), pieces, outs, true);
                            return;
                        }
                        // Single-backtick content is kept as written (no space stripping).
                        c.literal = src[1..src.len() - 1].to_string();
                    }
                }
                // kramdown keeps `\|` in a code span (GFM tables unescape it).
                if src.is_some_and(|s| s.contains("\\|")) && !c.literal.contains("\\|") {
                    c.literal = c.literal.replace('|', "\\|");
                }
                markup(&cat(&["`", &c.literal, "`"]), pieces);
                let lang = match &self.opts.default_lang {
                    Some(l) if self.opts.highlight => Some(l.as_str()),
                    _ => None,
                };
                let code = escape_all(&c.literal);
                outs.push(Out::Html(match lang {
                    Some(l) => cat(&[
                        "<code class=\"language-",
                        l,
                        " highlighter-rouge\">",
                        &code,
                        "</code>",
                    ]),
                    None => cat(&["<code>", &code, "</code>"]),
                }));
            }
            NodeValue::HtmlInline(h) => {
                // `<<tag>>`: kramdown's typographic `<<` starts before the tag does.
                if matches!(pieces.last(), Some(Piece::Text(t)) if t.ends_with('<')) {
                    piece(Piece::Text(h), pieces, outs, true);
                    return;
                }
                markup(&h, pieces);
                outs.push(Out::RawHtml(normalize_span_html(&h)));
            }
            NodeValue::Emph
                if n.first_child().is_some_and(|c| {
                    matches!(c.data().value, NodeValue::Strong) && c.next_sibling().is_none()
                }) && self
                    .source_of(n)
                    .is_some_and(|s| s.starts_with("***") || s.starts_with("___")) =>
            {
                // `***x***`: kramdown nests <em> inside <strong>, CommonMark the reverse.
                let inner = n.first_child().expect("checked");
                markup("***", pieces);
                outs.push(Out::Html("<strong><em>".into()));
                for c in inner.children() {
                    self.collect_inline(c, pieces, outs);
                }
                outs.push(Out::Html("</em></strong>".into()));
                markup("***", pieces);
            }
            NodeValue::Emph | NodeValue::Strong | NodeValue::Strikethrough => {
                let (m, tag) = match value {
                    NodeValue::Emph => ("*", "em"),
                    NodeValue::Strong => ("**", "strong"),
                    _ => ("~~", "del"),
                };
                markup(m, pieces);
                outs.push(Out::Html(cat(&["<", tag, ">"])));
                for c in n.children() {
                    self.collect_inline(c, pieces, outs);
                }
                outs.push(Out::Html(cat(&["</", tag, ">"])));
                markup(m, pieces);
            }
            NodeValue::Link(l) => {
                let src = self.source_of(n).unwrap_or("");
                if src.starts_with('<') {
                    let text = l.url.strip_prefix("mailto:").unwrap_or(&l.url);
                    markup(src, pieces);
                    outs.push(Out::Html(cat(&[
                        "<a href=\"",
                        &escape_attr(&l.url),
                        "\">",
                        &escape_all(text),
                        "</a>",
                    ])));
                    return;
                }
                markup("[", pieces);
                let title = if l.title.is_empty() {
                    String::new()
                } else {
                    cat(&[" title=\"", &escape_attr(&l.title), "\""])
                };
                outs.push(Out::Html(cat(&[
                    "<a href=\"",
                    &escape_attr(&l.url),
                    "\"",
                    &title,
                    ">",
                ])));
                for c in n.children() {
                    self.collect_inline(c, pieces, outs);
                }
                outs.push(Out::Html("</a>".into()));
                markup(&cat(&["](", &l.url, ")"]), pieces);
            }
            NodeValue::Image(l) => {
                let alt = raw_inline_text(n);
                markup(&format!("![{alt}]({})", l.url), pieces);
                let title = if l.title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape_attr(&l.title))
                };
                outs.push(Out::Html(format!(
                    "<img src=\"{}\" alt=\"{}\"{title} />",
                    escape_attr(&l.url),
                    escape_attr(&alt)
                )));
            }
            NodeValue::FootnoteReference(f) => {
                markup("[^]", pieces);
                outs.push(Out::Html(self.footnote_ref(&f.name)));
            }
            _ => {
                for c in n.children() {
                    self.collect_inline(c, pieces, outs);
                }
            }
        }
    }

    /// kramdown keeps a continuation line's indentation beyond the paragraph's own column
    /// (comrak strips it): the spaces between the block's content column and the line's text.
    fn continuation_indent(&self, brk: Node<'a>) -> String {
        let Some(next) = brk.next_sibling() else {
            return String::new();
        };
        let Some(block) = brk.ancestors().find(|a| {
            matches!(
                a.data().value,
                NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell
            )
        }) else {
            return String::new();
        };
        let col = block.data().sourcepos.start.column;
        let sp = next.data().sourcepos;
        let Some(line) = self.lines.get(sp.start.line.wrapping_sub(1)) else {
            return String::new();
        };
        if sp.start.column <= col || sp.start.column > line.len() + 1 {
            return String::new();
        }
        match line.get(col - 1..sp.start.column - 1) {
            Some(ws) if ws.chars().all(|c| c == ' ') => ws.to_string(),
            _ => String::new(),
        }
    }

    /// Splits a text node into rewritable text and literal characters that came from entities
    /// or backslash escapes (kramdown never turns those into smart quotes).
    fn text_pieces(&self, n: Node<'a>, text: &str) -> Vec<Piece> {
        let Some(src) = self.source_of(n) else {
            return vec![Piece::Text(text.to_string())];
        };
        if src == text {
            return vec![Piece::Text(text.to_string())];
        }
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut s = src;
        let mut t = text;
        while let Some(tc) = t.chars().next() {
            let literal_len = if s.starts_with('\\')
                && s[1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_punctuation())
                && s[1..].starts_with(tc)
            {
                Some(1 + tc.len_utf8())
            } else if s.starts_with('&') && !s.starts_with(tc)
                || (tc == '&' && s.starts_with("&amp;"))
            {
                entity_ref_len(s)
            } else {
                None
            };
            if let Some(len) = literal_len {
                if !cur.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut cur)));
                }
                out.push(Piece::Literal(tc.to_string()));
                s = &s[len..];
                t = &t[tc.len_utf8()..];
                continue;
            }
            if !s.starts_with(tc) {
                // Lost alignment (multi-character entity, tabs): treat the rest as text.
                cur.push_str(t);
                break;
            }
            cur.push(tc);
            s = &s[tc.len_utf8()..];
            t = &t[tc.len_utf8()..];
        }
        if !cur.is_empty() {
            out.push(Piece::Text(cur));
        }
        out
    }

    fn footnote_ref(&mut self, name: &str) -> String {
        let (number, repeat) = match self.footnotes.iter_mut().find(|f| f.name == name) {
            Some(f) => {
                f.repeat += 1;
                (f.number, format!(":{}", f.repeat))
            }
            None => {
                let number = self.opts.footnote_nr + self.footnotes.len();
                self.footnotes.push(Footnote {
                    name: name.to_string(),
                    number,
                    repeat: 0,
                });
                (number, String::new())
            }
        };
        format!(
            "<sup id=\"fnref:{name}{repeat}\" role=\"doc-noteref\"><a href=\"#fn:{name}\" class=\"footnote\" rel=\"footnote\">{number}</a></sup>"
        )
    }

    /// kramdown's `footnote_content`: the `<div class="footnotes">` list, in first-reference
    /// order, with back links appended to each note's last paragraph.
    fn footnote_content(&mut self) -> String {
        if self.footnotes.is_empty() {
            return String::new();
        }
        // Inside a definition its blank lines count again.
        self.covered.clear();
        let mut ol = String::new();
        let mut i = 0;
        while i < self.footnotes.len() {
            let name = self.footnotes[i].name.clone();
            let Some(def) = self.defs.get(&name).copied() else {
                i += 1;
                continue;
            };
            let kids = self.visible_children(def);
            let mut body = String::new();
            let mut prev: Option<Node<'a>> = None;
            let last_is_p = kids
                .last()
                .is_some_and(|k| matches!(k.data().value, NodeValue::Paragraph));
            for (ki, k) in kids.iter().enumerate() {
                if let Some(p) = prev {
                    let n = self.blank_runs(self.end_line(p) + 1, self.start_line(k), false);
                    body.push_str(&"\n".repeat(n));
                }
                if ki + 1 == kids.len() && last_is_p {
                    let inner = self.inline(k);
                    let links = self.backlinks(i, true);
                    body.push_str(&format!("{}<p>{inner}{links}</p>\n", pad(6)));
                } else {
                    body.push_str(&self.block(k, 6));
                }
                prev = Some(k);
            }
            if !last_is_p {
                let links = self.backlinks(i, false);
                body.push_str(&format!("{}<p>{links}</p>\n", pad(6)));
            }
            ol.push_str(&format!(
                "    <li id=\"fn:{name}\" role=\"doc-endnote\">\n{body}    </li>\n"
            ));
            i += 1;
        }
        let start = if self.opts.footnote_nr != 1 {
            format!(" start=\"{}\"", self.opts.footnote_nr)
        } else {
            String::new()
        };
        format!(
            "<div class=\"footnotes\" role=\"doc-endnotes\">\n  <ol{start}>\n{ol}  </ol>\n</div>\n"
        )
    }

    fn backlinks(&self, i: usize, space: bool) -> String {
        let f = &self.footnotes[i];
        let text = &self.opts.footnote_backlink;
        if text.is_empty() {
            return String::new();
        }
        let nbsp = if space { "\u{a0}" } else { "" };
        let mut s = format!(
            "{nbsp}<a href=\"#fnref:{}\" class=\"reversefootnote\" role=\"doc-backlink\">{text}</a>",
            f.name
        );
        for r in 1..=f.repeat {
            s.push_str(&format!(
                "\u{a0}<a href=\"#fnref:{}:{r}\" class=\"reversefootnote\" role=\"doc-backlink\">{text}<sup>{}</sup></a>",
                f.name,
                r + 1
            ));
        }
        s
    }
}

/// Keeps the stack of span HTML elements opened by raw inline tags.
fn track_span_tags(h: &str, open: &mut Vec<String>) {
    let Some(rest) = h.strip_prefix('<') else {
        return;
    };
    if let Some(end) = rest.strip_prefix('/') {
        let name: String = end
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if let Some(i) = open.iter().rposition(|t| t.eq_ignore_ascii_case(&name)) {
            open.truncate(i);
        }
        return;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    if name.is_empty() || h.ends_with("/>") || VOID.contains(&name.to_ascii_lowercase().as_str()) {
        return;
    }
    open.push(name);
}

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// kramdown re-serialises inline HTML start tags: attribute values double-quoted, a bare
/// attribute gets `=""`, void elements come out self-closed (`<br />`).
fn normalize_span_html(h: &str) -> String {
    if let Some(t) = reserialize_start_tag(h) {
        return t;
    }
    old_normalize_span_html(h)
}

fn reserialize_start_tag(h: &str) -> Option<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r#"^<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(/?)>$"#)
            .expect("static regex")
    });
    static ATTR: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let attr_re = ATTR.get_or_init(|| {
        regex::Regex::new(r#"([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#)
            .expect("static regex")
    });
    let c = re.captures(h)?;
    let name = &c[1];
    let mut out = format!("<{name}");
    for a in attr_re.captures_iter(&c[2]) {
        let v = a
            .get(2)
            .or(a.get(3))
            .or(a.get(4))
            .map_or("", |m| m.as_str());
        out.push_str(&format!(" {}=\"{}\"", &a[1], v.replace('"', "&quot;")));
    }
    if !c[3].is_empty() || VOID.contains(&name.to_ascii_lowercase().as_str()) {
        out.push_str(" />");
    } else {
        out.push('>');
    }
    Some(out)
}

fn old_normalize_span_html(h: &str) -> String {
    let name: String = h
        .strip_prefix('<')
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if VOID.contains(&name.as_str()) && !h.ends_with("/>") {
        if let Some(body) = h.strip_suffix('>') {
            return format!("{} />", body.trim_end());
        }
    }
    h.to_string()
}

enum Out {
    Html(String),
    /// HTML written by the author (its open tags are tracked).
    RawHtml(String),
    Piece(usize),
}

/// Combining marks count as word characters in Ruby's `\p{Word}`.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe20..=0xfe2f)
}

/// The Markdown-ish source of inline content (an image's `alt`), rebuilt from the tree.
fn raw_inline_text(n: Node<'_>) -> String {
    let mut s = String::new();
    for c in n.children() {
        match &c.data().value {
            NodeValue::Text(t) => s.push_str(t),
            NodeValue::Code(c) => {
                s.push('`');
                s.push_str(&c.literal);
                s.push('`');
            }
            NodeValue::SoftBreak => s.push('\n'),
            NodeValue::Emph => s.push_str(&format!("*{}*", raw_inline_text(c))),
            NodeValue::Strong => s.push_str(&format!("**{}**", raw_inline_text(c))),
            NodeValue::HtmlInline(h) => s.push_str(h),
            _ => s.push_str(&raw_inline_text(c)),
        }
    }
    s
}

fn header_id_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"[\t ]*\{#([A-Za-z][\w:-]*)\}[\t ]*$").expect("static regex")
    })
}

/// Parses a block IAL line `{: .class #id key="value"}` (also `{:.a}`), in order.
fn parse_ial(line: &str) -> Option<Vec<(String, String)>> {
    let inner = line.strip_prefix("{:")?.strip_suffix('}')?;
    if inner.trim().is_empty() || inner.contains('{') {
        return None;
    }
    let tok =
        regex::Regex::new(r#"^\s*(?:\.([-\w]+)|#([-\w:]+)|([-\w:]+)=(?:"([^"]*)"|'([^']*)'))"#)
            .expect("static regex");
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut rest = inner;
    while !rest.trim().is_empty() {
        let c = tok.captures(rest)?;
        if let Some(class) = c.get(1) {
            match attrs.iter_mut().find(|(k, _)| k == "class") {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(class.as_str());
                }
                None => attrs.push(("class".into(), class.as_str().into())),
            }
        } else if let Some(id) = c.get(2) {
            attrs.retain(|(k, _)| k != "id");
            attrs.push(("id".into(), id.as_str().into()));
        } else {
            let v = c.get(4).or(c.get(5)).map_or("", |m| m.as_str());
            attrs.push((c[3].to_string(), v.to_string()));
        }
        rest = &rest[c.get(0).expect("match").end()..];
    }
    Some(attrs)
}

fn attr_string(attrs: &[(String, String)]) -> String {
    attrs
        .iter()
        .map(|(k, v)| format!(" {k}=\"{}\"", escape_attr(v)))
        .collect()
}

/// Adds IAL attributes to the first tag of a converted block.
fn add_attributes(html: &str, attrs: &[(String, String)]) -> String {
    let lead = html.len() - html.trim_start().len();
    let Some(gt) = html[lead..].find('>').map(|i| i + lead) else {
        return html.to_string();
    };
    let (head, tail) = html.split_at(gt);
    let (head, selfclose) = match head.strip_suffix(" /") {
        Some(h) => (h, " /"),
        None => (head, ""),
    };
    format!("{head}{}{selfclose}{tail}", attr_string(attrs))
}

fn parse_toc_ial(s: &str) -> bool {
    s.strip_prefix("{:")
        .and_then(|r| r.strip_suffix('}'))
        .is_some_and(|r| r.split_whitespace().any(|w| w == "toc"))
}

/// kramdown's span-level HTML elements (`HTML_SPAN_ELEMENTS`).
const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "s", "samp", "select", "small", "span", "strike", "strong", "sub", "sup",
    "textarea", "tt", "u", "var",
];

fn starts_with_span_element(html: &str) -> bool {
    let Some(rest) = html.trim_start().strip_prefix('<') else {
        return false;
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    SPAN_ELEMENTS.contains(&name.as_str())
}

/// kramdown re-serialises the tags of a raw HTML block (double-quoted attributes, `<br />`);
/// comments and the bodies of `script`, `style`, `pre` and `textarea` stay as written.
fn normalize_block_html(html: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"(?s)<!--.*?-->|<[A-Za-z][A-Za-z0-9-]*(?:[^<>\x22']|\x22[^\x22]*\x22|'[^']*')*>",
        )
        .expect("static regex")
    });
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    let mut raw_until: Option<String> = None;
    for m in re.find_iter(html) {
        if let Some(close) = &raw_until {
            match html[last..].find(close.as_str()) {
                Some(i) if last + i <= m.start() => raw_until = None,
                _ => continue,
            }
        }
        out.push_str(&html[last..m.start()]);
        let tag = m.as_str();
        if tag.starts_with("<!--") {
            out.push_str(tag);
        } else {
            out.push_str(&normalize_span_html(tag));
            let name: String = tag[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(name.as_str(), "script" | "style" | "pre" | "textarea") {
                raw_until = Some(format!("</{name}"));
            }
        }
        last = m.end();
    }
    out.push_str(&html[last..]);
    out
}

/// Whether comrak's GFM table `n` has the rows and cells kramdown found in `t`: then comrak's
/// cells are printed as they are, which is much cheaper than converting each cell's text on its
/// own (the usual case; a code span with a pipe, a `===` footer or a row longer than the header
/// makes them differ).
fn same_as_gfm(n: Node<'_>, t: &table::Table) -> bool {
    let NodeValue::Table(gfm) = &n.data().value else {
        return false;
    };
    let (head, body): (Vec<Node<'_>>, Vec<Node<'_>>) = n
        .children()
        .partition(|r| matches!(r.data().value, NodeValue::TableRow(true)));
    let widths = |rows: &[Node<'_>]| {
        rows.iter()
            .map(|r| r.children().count())
            .collect::<Vec<_>>()
    };
    let kramdown = |tag: &str| {
        t.sections
            .iter()
            .filter(|s| s.tag == tag)
            .flat_map(|s| s.rows.iter().map(Vec::len))
            .collect::<Vec<_>>()
    };
    t.sections.iter().all(|s| s.tag != "tfoot")
        && t.sections.iter().filter(|s| s.tag == "tbody").count() == 1
        && kramdown("thead") == widths(&head)
        && kramdown("tbody") == widths(&body)
        && gfm.alignments == t.align
}

/// A node's identity, for the side tables the writer keeps.
fn key(n: Node<'_>) -> usize {
    n as *const _ as usize
}

/// Takes the no-break space that [`Writer::cell_html`] put before a cell's text off again,
/// before the text is printed (smart quotes must see the cell's start, not a space).
fn unmark_cell<'a>(root: Node<'a>) {
    let Some(first) = root.first_child().and_then(|p| p.first_child()) else {
        return;
    };
    let mut data = first.data_mut();
    if let NodeValue::Text(t) = &mut data.value {
        if let Some(rest) = t.strip_prefix('\u{a0}') {
            let rest = rest.to_string();
            if rest.is_empty() {
                drop(data);
                first.detach();
            } else {
                *t = rest.into();
            }
        }
    }
}

/// kramdown's HTML for a table: sections (`thead` rows get `th` cells), cells already
/// converted, an empty cell printed as a no-break space.
fn table_html(
    sections: &[(&str, Vec<Vec<String>>)],
    align: &[TableAlignment],
    indent: usize,
) -> String {
    let (i0, i1, i2, i3) = (
        pad(indent),
        pad(indent + 2),
        pad(indent + 4),
        pad(indent + 6),
    );
    let mut out = cat(&[&i0, "<table>\n"]);
    for (tag, rows) in sections {
        if rows.is_empty() {
            continue;
        }
        let cell = if *tag == "thead" { "th" } else { "td" };
        push_all(&mut out, &[&i1, "<", tag, ">\n"]);
        for row in rows {
            push_all(&mut out, &[&i2, "<tr>\n"]);
            for (ci, body) in row.iter().enumerate() {
                let style = match align.get(ci) {
                    Some(TableAlignment::Left) => " style=\"text-align: left\"",
                    Some(TableAlignment::Right) => " style=\"text-align: right\"",
                    Some(TableAlignment::Center) => " style=\"text-align: center\"",
                    _ => "",
                };
                let body = if body.is_empty() { "\u{a0}" } else { body };
                push_all(
                    &mut out,
                    &[&i3, "<", cell, style, ">", body, "</", cell, ">\n"],
                );
            }
            push_all(&mut out, &[&i2, "</tr>\n"]);
        }
        push_all(&mut out, &[&i1, "</", tag, ">\n"]);
    }
    push_all(&mut out, &[&i0, "</table>\n"]);
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lines_from_line_starts_are_the_split_on_line_feeds(s in "[a\n\r é|]{0,40}") {
            let starts = super::line_starts(&s);
            let want: Vec<&str> = s.split('\n').collect();
            prop_assert_eq!(super::lines(&s, &starts), want);
        }

        #[test]
        fn cat_and_push_all_are_concatenation(parts in proptest::collection::vec("[ab é]{0,5}", 0..6)) {
            let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
            prop_assert_eq!(super::cat(&refs), parts.concat());
            let mut out = String::from("x");
            super::push_all(&mut out, &refs);
            prop_assert_eq!(out, format!("x{}", parts.concat()));
        }
    }

    #[test]
    fn pad_is_that_many_spaces_past_the_borrowed_range_too() {
        for n in [0, 1, 7, 128, 129, 300] {
            assert_eq!(super::pad(n), " ".repeat(n));
        }
    }
}
