//! URLs and output paths: Jekyll's `URL` class (placeholders, escaping, sanitising), page
//! templates, collection permalinks with every `UrlDrop` placeholder, and where each file is
//! written. Not for `relative_url`/`absolute_url` (Liquid filters, the engine's job).

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

use super::config::{Config, Profile};
use super::model::{Document, StaticFile};
use crate::error::{Error, Result};

/// Jekyll's `Utils.slugify`.
pub fn slugify(s: &str, mode: &str, cased: bool) -> String {
    let keep = |c: char| -> bool {
        match mode {
            "raw" => !c.is_whitespace(),
            "pretty" => c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c),
            "ascii" => c.is_ascii_alphanumeric(),
            _ => c.is_alphanumeric(),
        }
    };
    let mut out = String::new();
    let mut pending = false;
    for c in s.chars() {
        if keep(c) {
            if pending {
                out.push('-');
                pending = false;
            }
            out.push(c);
        } else {
            pending = true;
        }
    }
    if pending {
        out.push('-');
    }
    let out = out.trim_start_matches('-');
    let out = out.strip_suffix('-').unwrap_or(out);
    let out = out.strip_prefix('-').unwrap_or(out).to_string();
    if cased {
        out
    } else {
        out.to_lowercase()
    }
}

/// `URL.escape_path`: percent-encodes everything but unreserved, sub-delims, `:`, `@`, `/`.
pub fn escape_path(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        let c = b as char;
        if c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `URL.unescape_path`.
pub fn unescape_path(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn squeeze_slashes(s: &str) -> String {
    let mut out = String::new();
    let mut prev = false;
    for c in s.chars() {
        if c == '/' {
            if !prev {
                out.push(c);
            }
            prev = true;
        } else {
            out.push(c);
            prev = false;
        }
    }
    out
}

/// `URL#sanitize_url`.
fn sanitize_url(s: &str) -> String {
    squeeze_slashes(&format!("/{s}").replace("..", "/").replace("./", ""))
}

/// `URL#generate_url_from_hash`: placeholders replaced in order; a nil value removes `/:key`.
fn from_hash(template: &str, placeholders: &[(&str, Option<String>)]) -> String {
    let mut result = template.to_string();
    for (k, v) in placeholders {
        if !result.contains(':') {
            break;
        }
        match v {
            None => result = result.replace(&format!("/:{k}"), ""),
            Some(v) => result = result.replace(&format!(":{k}"), &escape_path(v)),
        }
    }
    result
}

/// The output extension the converters give a file with `ext`.
pub fn converter_output_ext(config: &Config, ext: &str) -> String {
    if config.is_markdown(ext) {
        ".html".into()
    } else if ext.eq_ignore_ascii_case(".scss") || ext.eq_ignore_ascii_case(".sass") {
        ".css".into()
    } else {
        ext.to_string()
    }
}

/// `Renderer#output_ext`: a permalink's extension wins over the converter's.
pub fn output_ext(config: &Config, doc: &Document) -> String {
    if let Some(p) = doc.get_str("permalink") {
        if !p.ends_with('/') {
            let last = p.rsplit('/').next().unwrap_or("");
            if let Some(i) = last.rfind('.') {
                if i > 0 && i < last.len() - 1 {
                    return last[i..].to_string();
                }
            }
        }
    }
    converter_output_ext(config, &doc.ext)
}

/// `Utils.add_permalink_suffix`.
pub fn add_permalink_suffix(template: &str, style: &str) -> String {
    let mut t = template.to_string();
    match style {
        "pretty" => t.push('/'),
        "date" | "ordinal" | "none" => t.push_str(":output_ext"),
        other => {
            if other.ends_with('/') {
                t.push('/');
            }
            if other.ends_with(":output_ext") {
                t.push_str(":output_ext");
            }
        }
    }
    t
}

fn permalink_of(doc: &Document) -> Option<String> {
    match doc.get("permalink") {
        Some(serde_norway::Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// Sets a page's `url` and `dest`.
pub fn page_url(config: &Config, page: &mut Document) {
    let oext = output_ext(config, page);
    let basename = page.basename().to_string();
    let template = if ![".html", ".xhtml", ".htm"].contains(&oext.as_str()) {
        "/:path/:basename:output_ext".to_string()
    } else if basename == "index" {
        "/:path/".to_string()
    } else {
        add_permalink_suffix("/:path/:basename", &config.permalink)
    };
    let ph = [
        ("path", Some(page.dir.clone())),
        ("basename", Some(basename)),
        ("output_ext", Some(oext.clone())),
    ];
    let raw = match permalink_of(page) {
        Some(p) => from_hash(&p, &ph),
        None => from_hash(&template, &ph),
    };
    let url = sanitize_url(&raw);
    let mut dest = unescape_path(&url);
    if url.ends_with('/') {
        dest.push_str("index");
    }
    if !dest.ends_with(&oext) {
        dest.push_str(&oext);
    }
    page.url = url;
    page.dest = Some(dest.trim_start_matches('/').to_string());
}

/// Jekyll 4's `URL#generate_url_from_drop`: each `:key` (a run of `[a-z_]`) becomes the
/// path-escaped value `value(key)`, or, for a key ending in `_`, the value of the key without
/// it followed by the `_`. A key with neither value is the error, returned by name.
fn expand_placeholders(
    template: &str,
    mut value: impl FnMut(&str) -> Option<String>,
) -> std::result::Result<String, String> {
    let b = template.as_bytes();
    let mut out = String::with_capacity(template.len() + 32);
    let mut at = 0;
    while let Some(off) = memchr::memchr(b':', &b[at..]) {
        let colon = at + off;
        let start = colon + 1;
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase() || **c == b'_')
            .count();
        out.push_str(&template[at..start]);
        at = start + len;
        if len == 0 {
            continue;
        }
        out.pop();
        let k = &template[start..at];
        if let Some(v) = value(k) {
            out.push_str(&escape_path(&v));
        } else if let Some(v) = k.strip_suffix('_').and_then(&mut value) {
            out.push_str(&escape_path(&v));
            out.push('_');
        } else {
            return Err(k.to_string());
        }
    }
    out.push_str(&template[at..]);
    Ok(out)
}

/// `:year` … `:second`: chrono's `%Y`, `%m`, `%d`, `%H`, `%M`, `%S` without a format string to
/// interpret (a year outside 0..=9999 still takes chrono's sign rules, and a leap second is
/// 60, as `%S` prints it). `None` for any other key.
fn numeric_date_field(date: &DateTime<FixedOffset>, k: &str) -> Option<String> {
    Some(match k {
        "year" => match u32::try_from(date.year()) {
            Ok(y) if y <= 9999 => format!("{y:04}"),
            _ => date.format("%Y").to_string(),
        },
        "month" => format!("{:02}", date.month()),
        "day" => format!("{:02}", date.day()),
        "hour" => format!("{:02}", date.hour()),
        "minute" => format!("{:02}", date.minute()),
        "second" => format!("{:02}", date.second() + date.nanosecond() / 1_000_000_000),
        _ => return None,
    })
}

/// The `UrlDrop` value of a placeholder, `None` when it does not exist.
fn drop_value(config: &Config, doc: &Document, rel_dir: &str, k: &str) -> Option<String> {
    let date = doc.date?;
    let stem = doc.basename().to_string();
    let j4 = config.profile == Profile::Jekyll4;
    Some(match k {
        "collection" => doc.collection.clone().unwrap_or_default(),
        "path" => {
            let rp = &doc.relative_path;
            let no_ext = &rp[..rp.len() - doc.ext.len()];
            no_ext.replacen(rel_dir, "", 1)
        }
        "output_ext" => output_ext(config, doc),
        "name" => slugify(&stem, "default", false),
        "title" => match doc.get_str("slug") {
            Some(s) => slugify(s, "pretty", true),
            None => slugify(&stem, "pretty", true),
        },
        "slug" => match doc.get_str("slug") {
            Some(s) => slugify(s, "default", false),
            None => slugify(&stem, "default", false),
        },
        "categories" => {
            let mut seen: Vec<String> = vec![];
            if let Some(serde_norway::Value::Sequence(v)) = doc.get("categories") {
                for c in v {
                    let s = super::reader::yaml_scalar_string(c).to_lowercase();
                    if !seen.contains(&s) {
                        seen.push(s);
                    }
                }
            }
            seen.join("/")
        }
        "slugified_categories" if j4 => {
            let mut seen: Vec<String> = vec![];
            if let Some(serde_norway::Value::Sequence(v)) = doc.get("categories") {
                for c in v {
                    let s = slugify(&super::reader::yaml_scalar_string(c), "default", false);
                    if !seen.contains(&s) {
                        seen.push(s);
                    }
                }
            }
            seen.join("/")
        }
        "year" | "month" | "day" | "hour" | "minute" | "second" => numeric_date_field(&date, k)?,
        "i_day" => date.day().to_string(),
        "i_month" => date.month().to_string(),
        "short_month" => date.format("%b").to_string(),
        "short_year" => date.format("%y").to_string(),
        "y_day" => date.format("%j").to_string(),
        "long_month" if j4 => date.format("%B").to_string(),
        "w_year" if j4 => date.format("%G").to_string(),
        "week" if j4 => date.format("%V").to_string(),
        "w_day" if j4 => date.format("%u").to_string(),
        "short_day" if j4 => date.format("%a").to_string(),
        "long_day" if j4 => date.format("%A").to_string(),
        _ => return None,
    })
}

/// The permalink template of a collection.
pub fn collection_template(config: &Config, label: &str) -> String {
    match config.collection(label).and_then(|c| c.permalink.clone()) {
        Some(p) => p,
        None => add_permalink_suffix("/:collection/:path", &config.permalink),
    }
}

/// Sets a collection document's (or post's) `url` and `dest` (`dest` only when the collection
/// is written).
pub fn document_url(config: &Config, doc: &mut Document) -> Result<()> {
    let label = doc.collection.clone().unwrap_or_default();
    let rel_dir = format!("_{label}");
    let template = permalink_of(doc).unwrap_or_else(|| collection_template(config, &label));
    let raw =
        expand_placeholders(&template, |k| drop_value(config, doc, &rel_dir, k)).map_err(|k| {
            Error::at(
                &doc.source_path,
                format!("the permalink `{template}` uses `:{k}`, which Jekyll does not know"),
            )
        })?;
    let url = sanitize_url(&squeeze_slashes(&raw));
    let oext = output_ext(config, doc);
    let write = config.collection(&label).map(|c| c.output).unwrap_or(false);
    if write {
        let mut dest = unescape_path(&url);
        if url.ends_with('/') {
            dest.push_str("index.html");
        } else if !dest.ends_with(&oext) {
            dest.push_str(&oext);
        }
        doc.dest = Some(dest.trim_start_matches('/').to_string());
    }
    doc.url = url;
    Ok(())
}

/// Sets a static file's `url` and `dest`.
pub fn static_url(config: &Config, f: &mut StaticFile) {
    match &f.collection {
        None => {
            f.url = f.relative_path.clone();
            f.dest = Some(f.relative_path.trim_start_matches('/').to_string());
        }
        Some(label) => {
            let rel = &f.relative_path;
            let mut cleaned = rel[..rel.len() - f.ext.len()]
                .trim_end_matches('.')
                .to_string();
            cleaned = cleaned.replacen(&format!("_{label}"), "", 1);
            let template = collection_template(config, label);
            let ph = [
                ("collection", Some(label.clone())),
                ("path", Some(cleaned)),
                ("output_ext", Some(String::new())),
                ("name", Some(String::new())),
                ("title", Some(String::new())),
            ];
            let url = sanitize_url(&from_hash(&template, &ph));
            let write = config.profile == Profile::Pages
                || config.collection(label).map(|c| c.output).unwrap_or(false);
            let dir = if url.ends_with('/') {
                // File.dirname ignores a trailing slash
                let t = url.trim_end_matches('/');
                t[..t.rfind('/').unwrap_or(0)].to_string()
            } else {
                url[..url.rfind('/').unwrap_or(0)].to_string()
            };
            let dest = format!("{}/{}", unescape_path(&dir), f.name);
            f.url = url;
            f.dest = if write {
                Some(dest.trim_start_matches('/').to_string())
            } else {
                None
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn slugs() {
        assert_eq!(slugify("Plum Cake", "default", false), "plum-cake");
        assert_eq!(
            slugify("Mixed_Case File", "pretty", true),
            "Mixed_Case-File"
        );
        assert_eq!(slugify("--a  b--", "default", false), "a-b");
    }
    #[test]
    fn numeric_date_fields_are_chronos_formats() {
        let dates = [
            "2016-12-31 23:59:60 +0000",
            "2015-01-02 03:04:05 -0700",
            "0009-10-11 12:13:14 +0100",
            "9999-12-31 00:00:00 +0000",
            "+10000-01-01 00:00:00 +0000",
        ];
        for text in dates {
            let d = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S %z").expect(text);
            for (k, spec) in [
                ("year", "%Y"),
                ("month", "%m"),
                ("day", "%d"),
                ("hour", "%H"),
                ("minute", "%M"),
                ("second", "%S"),
            ] {
                let want = d.format(spec).to_string();
                assert_eq!(numeric_date_field(&d, k), Some(want), "{text} {k}");
            }
        }
        assert_eq!(
            numeric_date_field(&DateTime::UNIX_EPOCH.fixed_offset(), "y_day"),
            None
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(escape_path("a b/c?d"), "a%20b/c%3Fd");
        assert_eq!(unescape_path("a%20b"), "a b");
        assert_eq!(sanitize_url("//a//b/"), "/a/b/");
    }
}
