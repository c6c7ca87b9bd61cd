//! The Liquid tags of jekyll-seo-tag (`{% seo %}`) and jekyll-feed (`{% feed_meta %}`), for
//! sites that enable those plugins (or a theme that depends on them). The engine has a fixed
//! tag set, so when a plugin is on, the tag is rewritten to an include of a built-in partial
//! (the plugin's own template from its installed gem, minified as the plugin does) and the
//! values its Ruby drop computes (`seo_tag.*`) are set per page. Not for feed.xml itself (a
//! page the `plugins` stage adds).

use std::path::PathBuf;

use crate::liquid::{Hash, Value};
use crate::markdown::KramdownOptions;
use crate::zone::Zone;

pub const SEO_INCLUDE: &str = "__static_registry_seo.html";
pub const SEO_INCLUDE_NOTITLE: &str = "__static_registry_seo_notitle.html";
pub const FEED_META_INCLUDE: &str = "__static_registry_feed_meta.html";

/// Rewrites `{% seo %}` / `{% feed_meta %}` into includes of the built-in partials.
pub fn rewrite_tags(src: &str, seo: bool, feed: bool) -> String {
    if !(seo && src.contains("seo") || feed && src.contains("feed_meta")) {
        return src.to_string();
    }
    let re = crate::re::cached(r"\{%(-?)\s*(seo|feed_meta)\b([^%]*?)(-?)%\}");
    re.replace_all(src, |c: &regex::Captures| {
        let (l, name, args, r) = (&c[1], &c[2], &c[3], &c[4]);
        let inc = match name {
            "seo" if seo => {
                if args.to_lowercase().contains("title=false") {
                    SEO_INCLUDE_NOTITLE
                } else {
                    SEO_INCLUDE
                }
            }
            "feed_meta" if feed => FEED_META_INCLUDE,
            _ => return c[0].to_string(),
        };
        format!("{{%{l} include {inc} {r}%}}")
    })
    .into_owned()
}

/// jekyll-seo-tag's MINIFY_REGEX `(?<=[{}]|[>,]\n)\s+(?!-)`, applied to its template.
pub fn minify_seo(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < c.len() {
        let behind = i >= 1 && (c[i - 1] == '{' || c[i - 1] == '}')
            || i >= 2 && c[i - 1] == '\n' && (c[i - 2] == '>' || c[i - 2] == ',');
        if behind && c[i].is_whitespace() {
            let mut j = i;
            while j < c.len() && c[j].is_whitespace() {
                j += 1;
            }
            // (?!-): greedy \s+ backs off one char when a '-' follows.
            if j < c.len() && c[j] == '-' {
                if j - i >= 2 {
                    out.push(c[j - 1]);
                } else {
                    out.extend(&c[i..j]);
                }
            }
            i = j;
            continue;
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// The partial for an include name, if it is one of ours.
pub fn builtin_include(name: &str) -> Option<Result<String, String>> {
    match name {
        SEO_INCLUDE | SEO_INCLUDE_NOTITLE => Some(seo_template()),
        FEED_META_INCLUDE => Some(Ok(
            "<link type=\"application/atom+xml\" rel=\"alternate\" href=\"{{ site.feed.path | default: 'feed.xml' | absolute_url }}\" title=\"{{ site.title | default: site.name }}\" />"
                .to_string(),
        )),
        _ => None,
    }
}

fn seo_template() -> Result<String, String> {
    let (theme, dirs) = super::theme::find("jekyll-seo-tag", std::path::Path::new("."));
    let path: Option<PathBuf> = theme.map(|t| t.root.join("lib/template.html"));
    match path.filter(|p| p.is_file()) {
        Some(p) => std::fs::read_to_string(&p)
            .map(|t| minify_seo(&t))
            .map_err(|e| format!("{}: {e}", p.display())),
        None => Err(format!(
            "jekyll-seo-tag is enabled but not installed (looked in {}); apt-get install ruby-jekyll-seo-tag",
            dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
        )),
    }
}

fn get(v: &Value, k: &str) -> Value {
    match v {
        Value::Hash(h) => h.get(k).cloned().unwrap_or(Value::Nil),
        Value::Object(o) => o.get(k).unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}

fn present(v: &Value) -> bool {
    !matches!(v, Value::Nil | Value::Bool(false)) && !v.to_s().is_empty()
}

/// Liquid's `escape_once`.
fn escape_once(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let ch = s[i..].chars().next().unwrap_or(' ');
        match ch {
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => {
                // an existing entity stays
                let rest = &s[i + 1..];
                let end = rest.find(';');
                let is_entity = end.is_some_and(|e| {
                    let name = &rest[..e];
                    e > 0
                        && (name.bytes().all(|c| c.is_ascii_alphabetic())
                            || (name.starts_with('#')
                                && name.len() > 1
                                && name[1..].bytes().all(|c| c.is_ascii_digit())))
                });
                if is_entity {
                    out.push('&');
                } else {
                    out.push_str("&amp;");
                }
            }
            c => out.push(c),
        }
        let _ = b;
        i += ch.len_utf8();
    }
    out
}

/// `format_string`: markdownify, strip_html, normalize_whitespace, escape_once; nil if empty.
fn format_string(v: &Value, kd: &KramdownOptions) -> Value {
    if matches!(v, Value::Nil) {
        return Value::Nil;
    }
    let html = super::convert::markdownify(&v.to_s(), kd);
    let text = super::plugins::strip_html(&html);
    let norm = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = escape_once(&norm);
    if s.is_empty() {
        Value::Nil
    } else {
        Value::from(s)
    }
}

fn absolute_url(site_url: &str, baseurl: &str, input: &str) -> String {
    if crate::re::cached(r"^[A-Za-z][A-Za-z0-9+.-]*://").is_match(input) {
        return input.to_string();
    }
    format!("{site_url}{}", super::plugins::relative_url(baseurl, input))
}

/// `date_to_xmlschema`: the time as a local time (Jekyll's `time(input)`).
fn xmlschema(v: &Value, zone: &Zone) -> Value {
    let print = |t: &chrono::DateTime<chrono::FixedOffset>| {
        Value::from(zone.local(t).format("%Y-%m-%dT%H:%M:%S%:z").to_string())
    };
    match v {
        Value::Time(t) => print(t),
        Value::Nil => Value::Nil,
        other => match super::time::parse(&other.to_s(), zone) {
            Some(t) => print(&t),
            None => Value::Nil,
        },
    }
}

/// The values of jekyll-seo-tag 2.8.0's drop for one page (`seo_tag.*`).
pub fn seo_values(page: &Value, site: &Value, kd: &KramdownOptions, zone: &Zone) -> Value {
    let site_url = get(site, "url").to_s();
    let baseurl = get(site, "baseurl").to_s();
    let site_title = {
        let t = get(site, "title");
        format_string(if present(&t) { &t } else { &Value::Nil }, kd)
    };
    let site_title = if matches!(site_title, Value::Nil) {
        format_string(&get(site, "name"), kd)
    } else {
        site_title
    };
    let site_tagline = format_string(&get(site, "tagline"), kd);
    let site_description = format_string(&get(site, "description"), kd);
    let page_title = {
        let t = format_string(&get(page, "title"), kd);
        if matches!(t, Value::Nil) {
            site_title.clone()
        } else {
            t
        }
    };
    let tagline_or_desc = if present(&site_tagline) {
        site_tagline.clone()
    } else {
        site_description.clone()
    };
    let title = if present(&site_title) && page_title.to_s() != site_title.to_s() {
        Value::from(format!("{} | {}", page_title.to_s(), site_title.to_s()))
    } else if present(&site_description) && present(&site_title) {
        Value::from(format!(
            "{} | {}",
            site_title.to_s(),
            tagline_or_desc.to_s()
        ))
    } else if present(&page_title) {
        page_title.clone()
    } else {
        site_title.clone()
    };
    let url = get(page, "url").to_s();
    let home_or_about = crate::re::cached(r"^/(about/)?(index.html?)?$").is_match(&url);
    let page_seo = match get(page, "seo") {
        v @ Value::Hash(_) => v,
        _ => Value::Nil,
    };
    let site_social = match get(site, "social") {
        v @ Value::Hash(_) => v,
        _ => Value::Nil,
    };
    let name = if present(&get(&page_seo, "name")) {
        format_string(&get(&page_seo, "name"), kd)
    } else if !home_or_about {
        Value::Nil
    } else if present(&get(&site_social, "name")) {
        format_string(&get(&site_social, "name"), kd)
    } else {
        site_title.clone()
    };
    let description = {
        let d = get(page, "description");
        let d = if present(&d) { d } else { get(page, "excerpt") };
        let f = format_string(&d, kd);
        if matches!(f, Value::Nil) {
            site_description.clone()
        } else {
            f
        }
    };
    // author
    let mut sources = vec![get(page, "author")];
    if let Value::Array(a) = get(page, "authors") {
        sources.push(a.first().cloned().unwrap_or(Value::Nil));
    }
    sources.push(get(site, "author"));
    let resolved = sources
        .into_iter()
        .find(|s| !s.to_s().is_empty())
        .unwrap_or(Value::Nil);
    let author_hash: Hash = match &resolved {
        Value::Hash(h) => (**h).clone(),
        Value::Str(s) => {
            let mut h = Hash::default();
            h.insert("name".into(), Value::from(&**s));
            if let Value::Hash(extra) = get(&get(&get(site, "data"), "authors"), s) {
                for (k, v) in extra.iter() {
                    h.insert(k.clone(), v.clone());
                }
            }
            h
        }
        _ => Hash::default(),
    };
    let mut author = author_hash.clone();
    let twitter = author_hash
        .get("twitter")
        .or_else(|| author_hash.get("name"))
        .and_then(|t| t.as_str().map(|s| s.trim_start_matches('@').to_string()));
    author.insert(
        "twitter".into(),
        twitter.map(Value::from).unwrap_or(Value::Nil),
    );
    let canonical = {
        let c = get(page, "canonical_url");
        if c.to_s().is_empty() {
            let a = absolute_url(&site_url, &baseurl, &url);
            crate::re::cached(r"/index\.html$")
                .replace(&a, "/")
                .into_owned()
        } else {
            c.to_s()
        }
    };
    let date = get(page, "date");
    let date_modified = {
        let m = get(&page_seo, "date_modified");
        let m = if present(&m) {
            m
        } else {
            get(page, "last_modified_at")
        };
        let m = if present(&m) { m } else { date.clone() };
        xmlschema(&m, zone)
    };
    let date_published = xmlschema(&date, zone);
    let type_ = if present(&get(&page_seo, "type")) {
        get(&page_seo, "type")
    } else if home_or_about {
        Value::from("WebSite")
    } else if present(&date) {
        Value::from("BlogPosting")
    } else {
        Value::from("WebPage")
    };
    let links = if present(&get(&page_seo, "links")) {
        get(&page_seo, "links")
    } else if home_or_about && present(&get(&site_social, "links")) {
        get(&site_social, "links")
    } else {
        Value::Nil
    };
    let logo = {
        let l = get(site, "logo");
        if present(&l) {
            Value::from(super::url::escape_path(&absolute_url(
                &site_url,
                &baseurl,
                &l.to_s(),
            )))
        } else {
            Value::Nil
        }
    };
    let lang = {
        let l = get(page, "lang");
        let l = if present(&l) { l } else { get(site, "lang") };
        if present(&l) {
            l.to_s()
        } else {
            "en_US".into()
        }
    };
    let locale = {
        let l = get(page, "locale");
        let l = if present(&l) { l } else { get(site, "locale") };
        if present(&l) { l.to_s() } else { lang.clone() }.replace('-', "_")
    };
    // JSON-LD: keys in sorted order, nil values left out (as the drop's to_json does).
    let mut ld: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    ld.insert("@context".into(), Value::from("https://schema.org"));
    ld.insert("@type".into(), type_.clone());
    if let Some(n) = author_hash.get("name") {
        let at = author_hash.get("type").cloned();
        let valid = at
            .as_ref()
            .is_none_or(|t| ["Organization", "Person"].contains(&t.to_s().as_str()));
        if valid {
            let mut a = Hash::default();
            a.insert("@type".into(), at.unwrap_or(Value::from("Person")));
            a.insert("name".into(), n.clone());
            if let Some(u) = author_hash.get("url") {
                a.insert("url".into(), u.clone());
            }
            ld.insert("author".into(), Value::from(a));
        }
    }
    ld.insert("dateModified".into(), date_modified);
    ld.insert("datePublished".into(), date_published);
    ld.insert("description".into(), description.clone());
    ld.insert("headline".into(), page_title.clone());
    if ["BlogPosting", "CreativeWork"].contains(&type_.to_s().as_str()) {
        let mut m = Hash::default();
        m.insert("@type".into(), Value::from("WebPage"));
        m.insert("@id".into(), Value::from(canonical.clone()));
        ld.insert("mainEntityOfPage".into(), Value::from(m));
    }
    ld.insert("name".into(), name);
    if present(&logo) {
        let mut p = Hash::default();
        p.insert("@type".into(), Value::from("Organization"));
        let mut l = Hash::default();
        l.insert("@type".into(), Value::from("ImageObject"));
        l.insert("url".into(), logo);
        p.insert("logo".into(), Value::from(l));
        if let Some(n) = author_hash.get("name") {
            p.insert("name".into(), n.clone());
        }
        ld.insert("publisher".into(), Value::from(p));
    }
    ld.insert("sameAs".into(), links);
    ld.insert("url".into(), Value::from(canonical.clone()));
    let ld: Hash = ld
        .into_iter()
        .filter(|(_, v)| !matches!(v, Value::Nil))
        .collect();

    let mut h = Hash::default();
    h.insert("version".into(), Value::from("2.8.0"));
    h.insert("title".into(), title.clone());
    h.insert("title?".into(), Value::Bool(present(&title)));
    h.insert("page_title".into(), page_title);
    h.insert("site_title".into(), site_title);
    h.insert("description".into(), description);
    h.insert("author".into(), Value::from(author));
    h.insert("page_locale".into(), Value::from(locale));
    h.insert("canonical_url".into(), Value::from(canonical));
    h.insert("image".into(), Value::Nil);
    h.insert("json_ld".into(), Value::from(ld));
    Value::from(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn rewrites_and_minifies() {
        assert_eq!(
            rewrite_tags("a{%- seo -%}b{% feed_meta %}", true, true),
            format!("a{{%- include {SEO_INCLUDE} -%}}b{{% include {FEED_META_INCLUDE} %}}")
        );
        assert_eq!(rewrite_tags("{% seo %}", false, false), "{% seo %}");
        assert_eq!(minify_seo("{% if x %}\n  <t>\n  y"), "{% if x %}<t>\ny");
        assert_eq!(minify_seo("<a>\n  <b>"), "<a>\n<b>");
        assert_eq!(
            escape_once("a & b &amp; <\"'>"),
            "a &amp; b &amp; &lt;&quot;&#39;&gt;"
        );
    }
}
