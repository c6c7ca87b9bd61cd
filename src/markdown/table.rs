//! kramdown's table parser (`parser/kramdown/table.rb`), for the block lines comrak leaves as
//! a paragraph.
//!
//! kramdown (and so GitHub Pages, whose GFM input reuses it) needs no header row: any block
//! whose every line holds an unescaped `|` outside code spans is a table, `plain a|b|c` and
//! `- foo | bar` list items included. A `---` line splits the header off, a `===` line starts
//! the footer, and cells are split on the pipes kramdown sees (code spans keep theirs). This
//! module only decides the structure and the raw text of each cell; the writer converts the
//! cells' Markdown and prints the HTML. Not for GFM tables with a delimiter row that comrak
//! already parses (the writer prints those the same way).
//!
//! Simplified from kramdown: HTML tags in the check that every line has a pipe are matched by
//! name and `>` only (kramdown parses their attributes), and HTML comments are skipped whole.

use comrak::nodes::TableAlignment;

/// The parts of a table, in kramdown's order (`thead`, `tbody`…, `tfoot`).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sections: Vec<Section>,
    /// One alignment per column.
    pub align: Vec<TableAlignment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `thead`, `tbody` or `tfoot`.
    pub tag: &'static str,
    /// Each row's cells (raw Markdown, stripped), padded to the table's column count.
    pub rows: Vec<Vec<String>>,
}

/// The table kramdown makes of a block's lines (container markers already removed), if any.
/// The caller checks kramdown's block boundaries (a blank line or a container edge before and
/// after the lines).
pub fn parse(lines: &[&str]) -> Option<Table> {
    let first = *lines.first()?;
    let start = first.trim_start_matches(' ');
    if first.len() - start.len() > 3 || start.is_empty() || start.starts_with(is_ruby_space) {
        return None;
    }
    if !has_table_pipe(start) {
        return None;
    }
    let leading_pipe = first.trim_start().starts_with('|');
    let mut rest = lines;
    if is_separator(first).is_some() {
        rest = &rest[1..];
    }

    let mut parts: Vec<Section> = Vec::new();
    let mut align: Vec<TableAlignment> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut has_footer = false;
    let mut columns = 0;
    // kramdown's `add_container`: a body section is held back once a footer has started.
    let add = |parts: &mut Vec<Section>,
               rows: &mut Vec<Vec<String>>,
               tag: &'static str,
               has_footer: bool,
               force: bool| {
        if !has_footer || tag != "tbody" || force {
            parts.push(Section {
                tag,
                rows: std::mem::take(rows),
            });
        }
    };
    for &line in rest {
        if !has_table_pipe(line) {
            // A line that is not a table line ends the table before a block boundary.
            return None;
        }
        if let Some(cols) = is_separator(line) {
            if rows.is_empty() {
                // Consecutive separator lines are ignored.
            } else if align.is_empty() && !has_footer {
                add(&mut parts, &mut rows, "thead", has_footer, false);
                align = cols;
            } else {
                add(&mut parts, &mut rows, "tbody", has_footer, false);
            }
        } else if is_footer_separator(line) {
            if !rows.is_empty() {
                add(&mut parts, &mut rows, "tbody", has_footer, true);
            }
            has_footer = true;
        } else {
            let mut cells = split_row(line.trim_end_matches([' ', '\t']));
            if leading_pipe && cells.first().is_some_and(|c| ruby_strip(c).is_empty()) {
                cells.remove(0);
            }
            if cells.last().is_some_and(|c| ruby_strip(c).is_empty()) {
                cells.pop();
            }
            let cells: Vec<String> = cells.iter().map(|c| ruby_strip(c).to_string()).collect();
            columns = columns.max(cells.len());
            rows.push(cells);
        }
    }
    if !pipe_on_every_line(&lines.join("\n")) {
        return None;
    }
    if !rows.is_empty() {
        let tag = if has_footer { "tfoot" } else { "tbody" };
        add(&mut parts, &mut rows, tag, has_footer, false);
    }
    if !parts.iter().any(|p| p.tag == "tbody") {
        // kramdown: "Found table without body … ignoring it".
        return None;
    }
    for part in &mut parts {
        for row in &mut part.rows {
            row.resize(columns, String::new());
        }
    }
    align.resize(columns, TableAlignment::None);
    Some(Table {
        sections: parts,
        align,
    })
}

/// Ruby's `\s`/`strip` whitespace (ASCII only; `strip` also drops NUL).
fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

fn ruby_strip(s: &str) -> &str {
    s.trim_matches(|c| is_ruby_space(c) || c == '\0')
}

/// `TABLE_PIPE_CHECK` at the start of a line: a `|` first, or one after a character that is
/// not a backslash.
fn has_table_pipe(line: &str) -> bool {
    let b = line.as_bytes();
    b.first() == Some(&b'|') || b.windows(2).any(|w| w[1] == b'|' && w[0] != b'\\')
}

/// `TABLE_SEP_LINE`: only `+|: \t-`, with a `-`. Returns the column alignments it gives.
fn is_separator(line: &str) -> Option<Vec<TableAlignment>> {
    let body = line.trim_end_matches([' ', '\t']);
    let ok = body.contains('-') && body.chars().all(|c| "+|: \t-".contains(c));
    if !ok {
        return None;
    }
    // `TABLE_HSEP_ALIGN` = /[ \t]?(:?)-+(:?)[ \t]?/, scanned left to right.
    let b = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let mut j = i;
        if matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        let left = b.get(j) == Some(&b':');
        if left {
            j += 1;
        }
        let dashes = b[j.min(b.len())..]
            .iter()
            .take_while(|&&c| c == b'-')
            .count();
        if dashes == 0 {
            i += 1;
            continue;
        }
        j += dashes;
        let right = b.get(j) == Some(&b':');
        if right {
            j += 1;
        }
        if matches!(b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        out.push(match (left, right) {
            (false, false) => TableAlignment::None,
            (true, false) => TableAlignment::Left,
            (false, true) => TableAlignment::Right,
            (true, true) => TableAlignment::Center,
        });
        i = j;
    }
    Some(out)
}

/// `TABLE_FSEP_LINE`: only `+|: \t=`, with a `=`.
fn is_footer_separator(line: &str) -> bool {
    let body = line.trim_end_matches([' ', '\t']);
    body.contains('=') && body.chars().all(|c| "+|: \t=".contains(c))
}

/// A piece of a line after kramdown's code-span-only span parse.
#[derive(Debug)]
enum Piece<'s> {
    Text(String),
    Code {
        value: &'s str,
    },
    /// A span HTML element or comment, with its content (kramdown's check skips it).
    Html,
}

/// kramdown's `parse_spans(root, nil, [:codespan])` over `s`: text and code spans (no
/// escapes: with only the code span parser, a backslash does not protect a backtick).
fn code_spans(s: &str) -> Vec<Piece<'_>> {
    spans(s, false)
}

/// [`code_spans`], and with `html` also span HTML (`[:codespan, :span_html]`).
fn spans(s: &str, html: bool) -> Vec<Piece<'_>> {
    let mut out: Vec<Piece> = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let b = s.as_bytes();
    let special: &[char] = if html { &['`', '<'] } else { &['`'] };
    while i < b.len() {
        if b[i] == b'<' && html {
            match span_html_len(&s[i..]) {
                Some(len) => {
                    if !text.is_empty() {
                        out.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    out.push(Piece::Html);
                    i += len;
                }
                None => {
                    text.push('<');
                    i += 1;
                }
            }
            continue;
        }
        if b[i] != b'`' {
            let next = s[i..].find(special).map_or(b.len(), |k| i + k);
            text.push_str(&s[i..next]);
            i = next;
            continue;
        }
        let run = b[i..].iter().take_while(|&&c| c == b'`').count();
        let after = i + run;
        let simple = run == 1;
        let before_space = i == 0 || is_ruby_space(b[i - 1] as char);
        if simple && before_space && b.get(after).is_some_and(|&c| is_ruby_space(c as char)) {
            text.push('`');
            i = after;
            continue;
        }
        // The first occurrence of the same run (it may sit inside a longer one).
        let delim = &s[i..after];
        match s[after..].find(delim) {
            Some(k) => {
                let mut value = &s[after..after + k];
                if !simple {
                    value = value.strip_prefix(' ').unwrap_or(value);
                    value = value.strip_suffix(' ').unwrap_or(value);
                }
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Code { value });
                i = after + k + run;
            }
            None => {
                text.push_str(delim);
                i = after;
            }
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// kramdown's `HTML_BLOCK_ELEMENTS`: in span text their tags stay text.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "applet",
    "body",
    "blockquote",
    "caption",
    "col",
    "colgroup",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "head",
    "iframe",
    "legend",
    "menu",
    "li",
    "main",
    "map",
    "nav",
    "ol",
    "optgroup",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tfoot",
    "tr",
    "ul",
];
/// kramdown's `HTML_ELEMENTS_WITHOUT_BODY`.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// Length of the span HTML kramdown's `parse_span_html` takes at the start of `s` (a comment,
/// or a tag with its content up to the matching end tag, or to the end without one); `None`
/// when the `<` stays text.
fn span_html_len(s: &str) -> Option<usize> {
    if let Some(rest) = s.strip_prefix("<!--") {
        return rest.find("-->").map(|k| 4 + k + 3);
    }
    let name_len = s[1..]
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'-' | b'.'))
        .count();
    let name = &s[1..1 + name_len];
    if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() && name.as_bytes()[0] != b'_' {
        return None;
    }
    let gt = s.find('>')?;
    let lower = name.to_ascii_lowercase();
    if BLOCK_ELEMENTS.contains(&lower.as_str()) {
        return None;
    }
    if s[..gt].ends_with('/') || VOID_ELEMENTS.contains(&lower.as_str()) {
        return Some(gt + 1);
    }
    let close = format!("</{lower}");
    let hay = s[gt + 1..].to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = hay[from..].find(&close) {
        let at = from + k + close.len();
        let tail = hay[at..].trim_start();
        if tail.starts_with('>') {
            let end = at + (hay.len() - at - tail.len()) + 1;
            return Some(gt + 1 + end);
        }
        from = at;
    }
    Some(s.len())
}

/// A row's cells as kramdown splits them: on unescaped pipes outside code spans and
/// `<code>…</code>` elements; `\|` becomes `|`, code spans are written back with fences that
/// keep their content.
fn split_row(row: &str) -> Vec<String> {
    let mut cells: Vec<String> = Vec::new();
    let append = |cells: &mut Vec<String>, s: &str| match cells.last_mut() {
        Some(last) => last.push_str(s),
        None => cells.push(s.to_string()),
    };
    for (is_code_html, piece) in split_code_elements(row) {
        if is_code_html {
            append(&mut cells, piece);
            continue;
        }
        for p in code_spans(piece) {
            match p {
                Piece::Text(t) => {
                    let mut parts = split_unescaped_pipes(&t).into_iter();
                    let first = parts.next().unwrap_or_default();
                    append(&mut cells, &first);
                    cells.extend(parts);
                }
                Piece::Code { value } => {
                    let longest = value.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                    let delim = "`".repeat(longest + 1);
                    let pad = if delim.len() > 1 { " " } else { "" };
                    append(&mut cells, &format!("{delim}{pad}{value}{pad}{delim}"));
                }
                Piece::Html => unreachable!("code_spans parses no HTML"),
            }
        }
    }
    cells
}

/// Ruby's `row.split(/(<code.*?>.*?<\/code>)/)`: the text between `<code…>…</code>` elements
/// (false) and the elements (true); a final empty piece is dropped, as Ruby's split does.
fn split_code_elements(row: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(open) = rest.find("<code") {
        let Some(gt) = rest[open..].find('>') else {
            break;
        };
        let Some(close) = rest[open + gt + 1..].find("</code>") else {
            break;
        };
        let end = open + gt + 1 + close + "</code>".len();
        out.push((false, &rest[..open]));
        out.push((true, &rest[open..end]));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

/// `text.split(/(?<!\\)\|/, -1)` with each part's `\|` turned into `|`.
fn split_unescaped_pipes(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'|' && (i == 0 || b[i - 1] != b'\\') {
            parts.push(unescape_pipes(&text[start..i]));
            start = i + 1;
        }
    }
    parts.push(unescape_pipes(&text[start..]));
    parts
}

fn unescape_pipes(s: &str) -> String {
    if s.contains('\\') {
        s.replace("\\|", "|")
    } else {
        s.to_string()
    }
}

/// kramdown's final check over the table's text: every line has a table pipe that is not
/// inside a code span (a code span across lines resets or fails it as kramdown's loop does).
fn pipe_on_every_line(text: &str) -> bool {
    let mut pipe_on_line = false;
    for piece in spans(text, true) {
        match piece {
            Piece::Html => {}
            Piece::Code { value } => {
                let lines = value.split('\n').count();
                if lines > 2 || (lines == 2 && !pipe_on_line) {
                    break;
                } else if lines == 2 {
                    pipe_on_line = false;
                }
            }
            Piece::Text(t) => {
                // Ruby's `split("\n")` drops trailing empty strings.
                let mut lines: Vec<&str> = t.split('\n').collect();
                while lines.len() > 1 && lines.last() == Some(&"") {
                    lines.pop();
                }
                let first_has = lines.first().is_some_and(|l| has_table_pipe(l));
                if lines.len() > 1 && !pipe_on_line && !first_has {
                    break;
                }
                let last_has = lines.last().is_some_and(|l| has_table_pipe(l));
                pipe_on_line = (if lines.len() > 1 { false } else { pipe_on_line }) || last_has;
            }
        }
    }
    pipe_on_line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(t: &Table) -> Vec<(&str, Vec<Vec<&str>>)> {
        t.sections
            .iter()
            .map(|s| {
                (
                    s.tag,
                    s.rows
                        .iter()
                        .map(|r| r.iter().map(String::as_str).collect())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn header_less_rows_head_and_foot() {
        let t = parse(&["plain a|b|c line"]).unwrap();
        assert_eq!(cells(&t), [("tbody", vec![vec!["plain a", "b", "c line"]])]);
        let t = parse(&["| a | b |", "|---|:-:|", "| c |", "|===|", "| f | g |"]).unwrap();
        assert_eq!(
            cells(&t),
            [
                ("thead", vec![vec!["a", "b"]]),
                ("tbody", vec![vec!["c", ""]]),
                ("tfoot", vec![vec!["f", "g"]]),
            ]
        );
        assert_eq!(t.align, [TableAlignment::None, TableAlignment::Center]);
    }

    #[test]
    fn pipes_in_code_and_escaped_pipes() {
        let t = parse(&["a `x | y` | z \\| w"]).unwrap();
        assert_eq!(cells(&t), [("tbody", vec![vec!["a `x | y`", "z | w"]])]);
        // Only pipes inside code, or only escaped ones: not a table.
        assert_eq!(parse(&["`x | y` only code"]), None);
        assert_eq!(parse(&["\\| a \\| b"]), None);
        // A line whose only pipe is in HTML code: not a table.
        assert_eq!(parse(&["a|b", "x <code>p|q</code>"]), None);
        assert!(parse(&["a|b", "x <b>y</b> | z"]).is_some());
        // A line without a pipe, or a header without a body: not a table.
        assert_eq!(parse(&["a | b", "para"]), None);
        assert_eq!(parse(&["| a | b |", "|---|---|"]), None);
    }
}
