//! Loads `_config.yml` and turns it into the configuration GitHub Pages' build would use.
//!
//! Layering, as the github-pages gem does it: Jekyll 3.10's defaults, then Pages' defaults, then
//! the user's file, then Pages' forced overrides (safe mode, kramdown options, no plugins
//! folder). `--profile jekyll4` applies Jekyll 4.3's defaults instead (no Pages layer, default
//! excludes always added back). What this module is NOT for: reading the rest of the site
//! (`reader`) or deciding URLs (`url`).

use std::path::{Path, PathBuf};

use serde_norway::{Mapping, Value};

use crate::error::{Error, Result};
use crate::fsutil::read_text;

/// Jekyll's own `exclude` list. A site's `exclude:` replaces it (Jekyll 3); Jekyll 4 always adds
/// it back; `init` repeats it when it creates the registry's list.
pub const JEKYLL_DEFAULT_EXCLUDES: &[&str] = &[
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
];

/// Which Jekyll the output should match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Profile {
    /// GitHub Pages: Jekyll 3.10.0, the github-pages gem's configuration and default plugins.
    #[default]
    Pages,
    /// Jekyll 4.3 (Debian's `jekyll`, GitHub Actions builds that choose Jekyll 4).
    Jekyll4,
}

impl Profile {
    pub fn jekyll_version(self) -> &'static str {
        match self {
            Profile::Pages => "3.10.0",
            Profile::Jekyll4 => "4.3.1",
        }
    }
}

/// One `collections:` entry.
#[derive(Debug, Clone)]
pub struct CollectionConfig {
    pub label: String,
    pub output: bool,
    pub permalink: Option<String>,
    /// Everything the entry sets, exposed as `site.collections[i].*`.
    pub metadata: Mapping,
}

/// `timezone:` as Jekyll applies it (`ENV["TZ"] = timezone`). A name the system's tz database
/// does not know is UTC, as the C library reads it, with a warning: the preview can then differ
/// from a Pages build whose database knows the name.
fn time_zone(path: &Path, v: Option<&Value>) -> Result<crate::zone::Zone> {
    use crate::zone::Zone;
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Ok(Zone::utc().clone()),
        Some(Value::String(name)) => Ok(Zone::named(name).unwrap_or_else(|| {
            eprintln!(
                "warning: {}: `timezone: {name}` is not in this system's time zone database \
                 (/usr/share/zoneinfo; Debian's `tzdata` package), so dates are rendered in \
                 UTC. Use an IANA name such as America/New_York.",
                path.display()
            );
            Zone::utc().clone()
        })),
        Some(_) => Err(Error::at(
            path,
            "`timezone` must be a time zone name such as America/New_York",
        )),
    }
}

/// The effective site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub source: PathBuf,
    pub profile: Profile,
    /// The merged configuration, exposed to Liquid as `site.*`.
    pub data: Mapping,
    pub exclude: Vec<String>,
    pub include: Vec<String>,
    pub collections: Vec<CollectionConfig>,
    pub plugins: Vec<String>,
    pub permalink: String,
    pub baseurl: String,
    pub markdown_ext: Vec<String>,
    pub future: bool,
    pub theme: Theme,
    pub excerpt_separator: String,
    pub safe: bool,
    /// The local time zone (`timezone:`; UTC without it, as on Pages).
    pub zone: crate::zone::Zone,
}

/// What the configuration says about the theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Theme {
    /// `theme: null` or (Jekyll 4) no key: no theme.
    None,
    /// No `theme:` key under Pages: Pages applies jekyll-theme-primer.
    PagesDefault,
    Named(String),
}

/// Pages' default plugins (always on in the Pages profile, whatever `plugins:` says).
pub const PAGES_DEFAULT_PLUGINS: &[&str] = &[
    "jekyll-coffeescript",
    "jekyll-commonmark-ghpages",
    "jekyll-gist",
    "jekyll-github-metadata",
    "jekyll-paginate",
    "jekyll-relative-links",
    "jekyll-optional-front-matter",
    "jekyll-readme-index",
    "jekyll-default-layout",
    "jekyll-titles-from-headings",
];

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn seq(items: &[&str]) -> Value {
    Value::Sequence(items.iter().map(|i| s(i)).collect())
}

pub fn key(k: &str) -> Value {
    s(k)
}

/// Jekyll 3.10's `Configuration::DEFAULTS`, in its key order (which `site` iteration shows).
fn jekyll_defaults(profile: Profile) -> Mapping {
    let mut m = Mapping::new();
    let mut put = |k: &str, v: Value| {
        m.insert(key(k), v);
    };
    put("source", s(""));
    put("destination", s(""));
    put("collections_dir", s(""));
    if profile == Profile::Jekyll4 {
        put("cache_dir", s(".jekyll-cache"));
    }
    put("plugins_dir", s("_plugins"));
    put("layouts_dir", s("_layouts"));
    put("data_dir", s("_data"));
    put("includes_dir", s("_includes"));
    put("collections", Value::Mapping(Mapping::new()));
    put("safe", Value::Bool(false));
    put("include", seq(&[".htaccess"]));
    put(
        "exclude",
        match profile {
            // Jekyll 3.10's list is 4's without the first three (added in Jekyll 4).
            Profile::Pages => seq(&JEKYLL_DEFAULT_EXCLUDES[3..]),
            Profile::Jekyll4 => Value::Sequence(vec![]),
        },
    );
    put("keep_files", seq(&[".git", ".svn"]));
    put("encoding", s("utf-8"));
    put("markdown_ext", s("markdown,mkdown,mkdn,mkd,md"));
    put("strict_front_matter", Value::Bool(false));
    put("show_drafts", Value::Null);
    put("limit_posts", Value::Number(0.into()));
    put("future", Value::Bool(false));
    put("unpublished", Value::Bool(false));
    put("whitelist", Value::Sequence(vec![]));
    put("plugins", Value::Sequence(vec![]));
    put("markdown", s("kramdown"));
    put("highlighter", s("rouge"));
    put("lsi", Value::Bool(false));
    put("excerpt_separator", s("\n\n"));
    put("incremental", Value::Bool(false));
    put("detach", Value::Bool(false));
    put("port", s("4000"));
    put("host", s("127.0.0.1"));
    put("baseurl", Value::Null);
    put("show_dir_listing", Value::Bool(false));
    put("permalink", s("date"));
    put("paginate_path", s("/page:num"));
    put("timezone", Value::Null);
    put("quiet", Value::Bool(false));
    put("verbose", Value::Bool(false));
    put("defaults", Value::Sequence(vec![]));
    let mut liquid = Mapping::new();
    liquid.insert(key("error_mode"), s("warn"));
    liquid.insert(key("strict_filters"), Value::Bool(false));
    liquid.insert(key("strict_variables"), Value::Bool(false));
    put("liquid", Value::Mapping(liquid));
    let mut kd = Mapping::new();
    kd.insert(key("auto_ids"), Value::Bool(true));
    kd.insert(key("toc_levels"), s("1..6"));
    kd.insert(key("entity_output"), s("as_char"));
    kd.insert(key("smart_quotes"), s("lsquo,rsquo,ldquo,rdquo"));
    kd.insert(key("input"), s("GFM"));
    kd.insert(key("hard_wrap"), Value::Bool(false));
    kd.insert(key("guess_lang"), Value::Bool(true));
    kd.insert(key("footnote_nr"), Value::Number(1.into()));
    kd.insert(key("show_warnings"), Value::Bool(false));
    put("kramdown", Value::Mapping(kd));
    m
}

/// Hashes merge key by key, everything else is replaced (`Jekyll::Utils.deep_merge_hashes`).
pub fn deep_merge(base: &mut Mapping, over: &Mapping) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Value::Mapping(b)), Value::Mapping(o)) => deep_merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

fn mapping(pairs: &[(&str, Value)]) -> Mapping {
    let mut m = Mapping::new();
    for (k, v) in pairs {
        m.insert(key(k), v.clone());
    }
    m
}

/// Parses YAML text, naming the file and line on error. An empty file is an empty mapping.
pub fn parse_yaml(text: &str, path: &Path, first_line: usize) -> Result<Value> {
    if text.trim().is_empty() || text.trim() == "---" {
        return Ok(Value::Null);
    }
    serde_norway::from_str::<Value>(text).map_err(|e| {
        let line = e.location().map(|l| l.line() + first_line - 1);
        let msg = format!("invalid YAML: {e}");
        match line {
            Some(l) => Error::at_line(path, l, msg),
            None => Error::at(path, msg),
        }
    })
}

/// Parses YAML the way Ruby (Psych, YAML 1.1) reads it, as far as the values show:
/// plain `yes`/`no`/`on`/`off` are booleans, plain `0777` is octal, and a quoted string stays a
/// string even when it looks like a timestamp (it is tagged `!str` so `render` keeps it text).
/// serde_norway hides scalar styles, so "plain" means "not found quoted in the source text";
/// the one case this gets wrong is the same literal written both quoted and plain in one file.
pub fn parse_yaml_ruby(text: &str, path: &Path, first_line: usize) -> Result<Value> {
    let v = parse_yaml(text, path, first_line)?;
    Ok(ruby_scalars(v, text))
}

fn quoted_in(text: &str, s: &str) -> bool {
    text.contains(&format!("\"{s}\"")) || text.contains(&format!("'{s}'"))
}

fn ruby_scalars(v: Value, text: &str) -> Value {
    match v {
        Value::String(s) => {
            // Only these strings read differently in Ruby's YAML, and only when not quoted in
            // the text; checking that (a search of the whole text) is left for them.
            let b = s.as_bytes();
            let word = match s.as_str() {
                "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
                "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
                _ => None,
            };
            let octal =
                b.len() > 1 && b[0] == b'0' && b[1..].iter().all(|c| (b'0'..=b'7').contains(c));
            let timestamp = super::time::looks_like_timestamp(&s);
            if !(word.is_some() || octal || timestamp) {
                return Value::String(s);
            }
            if quoted_in(text, &s) {
                if timestamp {
                    return Value::Tagged(Box::new(serde_norway::value::TaggedValue {
                        tag: serde_norway::value::Tag::new("str"),
                        value: Value::String(s),
                    }));
                }
                return Value::String(s);
            }
            if let Some(w) = word {
                return Value::Bool(w);
            }
            if octal {
                if let Ok(n) = i64::from_str_radix(&s[1..], 8) {
                    return Value::Number(n.into());
                }
            }
            Value::String(s)
        }
        Value::Sequence(items) => {
            Value::Sequence(items.into_iter().map(|i| ruby_scalars(i, text)).collect())
        }
        Value::Mapping(m) => Value::Mapping(
            m.into_iter()
                .map(|(k, v)| (ruby_scalars(k, text), ruby_scalars(v, text)))
                .collect(),
        ),
        other => other,
    }
}

impl Config {
    /// Loads `SOURCE/_config.yml` (a missing file is an empty config, as in Jekyll).
    pub fn load(source: &Path, profile: Profile) -> Result<Config> {
        let path = source.join("_config.yml");
        let user = if path.exists() {
            let text = read_text(&path)?;
            match parse_yaml_ruby(&text, &path, 1)? {
                Value::Mapping(m) => m,
                Value::Null => Mapping::new(),
                _ => {
                    return Err(Error::at(
                        &path,
                        "must be a YAML mapping (key: value lines)",
                    ))
                }
            }
        } else {
            Mapping::new()
        };
        Self::from_user(source, profile, user)
    }

    pub fn from_user(source: &Path, profile: Profile, user: Mapping) -> Result<Config> {
        let path = source.join("_config.yml");
        let mut data = jekyll_defaults(profile);
        if profile == Profile::Pages {
            // github-pages gem: DEFAULTS (production adds sass.style), merged under the user's.
            let pages_defaults = mapping(&[
                ("jailed", Value::Bool(false)),
                (
                    "plugins",
                    Value::Sequence(PAGES_DEFAULT_PLUGINS.iter().map(|p| s(p)).collect()),
                ),
                ("future", Value::Bool(true)),
                ("theme", s("jekyll-theme-primer")),
                ("markdown", s("kramdown")),
                (
                    "kramdown",
                    Value::Mapping(mapping(&[
                        ("input", s("GFM")),
                        ("hard_wrap", Value::Bool(false)),
                        ("gfm_quirks", s("paragraph_end")),
                        ("math_engine", s("mathjax")),
                        ("syntax_highlighter", s("rouge")),
                        (
                            "syntax_highlighter_opts",
                            Value::Mapping(mapping(&[("default_lang", s("plaintext"))])),
                        ),
                        ("template", s("")),
                    ])),
                ),
                ("exclude", seq(&["CNAME"])),
                (
                    "sass",
                    Value::Mapping(mapping(&[("style", s("compressed"))])),
                ),
            ]);
            deep_merge(&mut data, &pages_defaults);
        }
        let user_plugins = user.get(key("plugins")).or_else(|| user.get(key("gems")));
        let user_plugins: Vec<String> = match user_plugins {
            Some(Value::Sequence(v)) => v
                .iter()
                .filter_map(|p| p.as_str().map(String::from))
                .collect(),
            _ => vec![],
        };
        let has_theme_key = user.contains_key(key("theme"));
        let user_exclude = user.get(key("exclude")).cloned();
        deep_merge(&mut data, &user);
        if profile == Profile::Pages {
            // Forced overrides.
            let overrides = mapping(&[
                ("lsi", Value::Bool(false)),
                ("safe", Value::Bool(true)),
                ("highlighter", s("rouge")),
                (
                    "kramdown",
                    Value::Mapping(mapping(&[
                        ("template", s("")),
                        ("math_engine", s("mathjax")),
                        ("syntax_highlighter", s("rouge")),
                    ])),
                ),
                (
                    "gist",
                    Value::Mapping(mapping(&[("noscript", Value::Bool(false))])),
                ),
            ]);
            deep_merge(&mut data, &overrides);
            // The plugins list: Pages' defaults plus the whitelisted ones the user lists.
            let mut plugins: Vec<String> = PAGES_DEFAULT_PLUGINS
                .iter()
                .map(|p| p.to_string())
                .collect();
            for p in &user_plugins {
                if !plugins.contains(p) {
                    plugins.push(p.clone());
                }
            }
            data.insert(
                key("plugins"),
                Value::Sequence(plugins.iter().map(|p| s(p)).collect()),
            );
            // Pages ends up with future: false (see conformance/README.md).
            data.insert(key("future"), Value::Bool(false));
        }
        let strings = |v: Option<&Value>| -> Vec<String> {
            match v {
                Some(Value::Sequence(items)) => items
                    .iter()
                    .filter_map(|i| match i {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .collect(),
                Some(Value::String(s)) => vec![s.clone()],
                _ => vec![],
            }
        };
        let mut exclude = strings(data.get(key("exclude")));
        if profile == Profile::Jekyll4 {
            // Jekyll 4 always adds its default excludes back.
            for d in JEKYLL_DEFAULT_EXCLUDES {
                if !exclude.iter().any(|e| e == *d) {
                    exclude.push(d.to_string());
                }
            }
        } else if user_exclude.is_none() {
            // Pages' default ["CNAME"] replaced Jekyll's list; Jekyll's own defaults still apply
            // through the github-pages configuration layer.
            // (all of Jekyll's list but the caches and `gemfiles`)
            for d in &JEKYLL_DEFAULT_EXCLUDES[3..] {
                if !exclude.iter().any(|e| e == *d) {
                    exclude.push(d.to_string());
                }
            }
        }
        let include = strings(data.get(key("include")));
        let plugins = strings(data.get(key("plugins")));
        let theme = match (profile, has_theme_key, user.get(key("theme"))) {
            (_, true, Some(Value::String(t))) if !t.is_empty() => Theme::Named(t.clone()),
            (_, true, _) => Theme::None,
            (Profile::Pages, false, _) => Theme::PagesDefault,
            (Profile::Jekyll4, false, _) => Theme::None,
        };
        if profile == Profile::Jekyll4 {
            data.remove(key("theme"));
            if let Theme::Named(t) = &theme {
                data.insert(key("theme"), s(t));
            }
        }
        // Collections: a list of labels or a mapping; posts always exist.
        let mut collections = Vec::new();
        let mut posts_meta = Mapping::new();
        posts_meta.insert(key("output"), Value::Bool(true));
        match data.get(key("collections")) {
            Some(Value::Mapping(m)) => {
                for (k, v) in m {
                    let label = k.as_str().map(String::from).unwrap_or_default();
                    let meta = match v {
                        Value::Mapping(mm) => mm.clone(),
                        _ => Mapping::new(),
                    };
                    if label == "posts" {
                        deep_merge(&mut posts_meta, &meta);
                        continue;
                    }
                    collections.push(collection_config(&label, meta));
                }
            }
            Some(Value::Sequence(v)) => {
                for l in v {
                    if let Some(label) = l.as_str() {
                        if label != "posts" {
                            collections.push(collection_config(label, Mapping::new()));
                        }
                    }
                }
            }
            Some(Value::Null) | None => {}
            Some(_) => {
                return Err(Error::at(
                    &path,
                    "`collections` must be a mapping or a list of labels",
                ))
            }
        }
        let permalink_style = data
            .get(key("permalink"))
            .and_then(|v| v.as_str())
            .unwrap_or("date")
            .to_string();
        if !posts_meta.contains_key(key("permalink")) {
            posts_meta.insert(
                key("permalink"),
                s(&style_to_permalink(&permalink_style, profile)),
            );
        }
        collections.insert(0, collection_config("posts", posts_meta));
        let get_str = |k: &str| data.get(key(k)).and_then(|v| v.as_str()).map(String::from);
        let baseurl = get_str("baseurl").unwrap_or_default();
        let markdown_ext = get_str("markdown_ext")
            .unwrap_or_default()
            .split(',')
            .map(|e| format!(".{}", e.trim()))
            .collect();
        let future = matches!(data.get(key("future")), Some(Value::Bool(true)));
        let excerpt_separator = get_str("excerpt_separator").unwrap_or_else(|| "\n\n".into());
        let safe = matches!(data.get(key("safe")), Some(Value::Bool(true)));
        let zone = time_zone(&path, data.get(key("timezone")))?;
        Ok(Config {
            source: source.to_path_buf(),
            profile,
            data,
            exclude,
            include,
            collections,
            plugins,
            permalink: permalink_style,
            baseurl,
            markdown_ext,
            future,
            theme,
            excerpt_separator,
            safe,
            zone,
        })
    }

    pub fn get(&self, k: &str) -> Option<&Value> {
        self.data.get(key(k))
    }

    pub fn get_str(&self, k: &str) -> Option<&str> {
        self.get(k).and_then(|v| v.as_str())
    }

    pub fn has_plugin(&self, name: &str) -> bool {
        self.plugins.iter().any(|p| p == name)
    }

    pub fn is_markdown(&self, ext: &str) -> bool {
        self.markdown_ext
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext))
    }

    pub fn collection(&self, label: &str) -> Option<&CollectionConfig> {
        self.collections.iter().find(|c| c.label == label)
    }
}

fn collection_config(label: &str, meta: Mapping) -> CollectionConfig {
    let output = matches!(meta.get(key("output")), Some(Value::Bool(true)));
    let permalink = meta
        .get(key("permalink"))
        .and_then(|v| v.as_str())
        .map(String::from);
    CollectionConfig {
        label: label.to_string(),
        output,
        permalink,
        metadata: meta,
    }
}

/// `Configuration#style_to_permalink`.
pub fn style_to_permalink(style: &str, profile: Profile) -> String {
    match style {
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "none" => "/:categories/:title:output_ext".into(),
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "weekdate" if profile == Profile::Jekyll4 => {
            "/:categories/:year/W:week/:short_day/:title:output_ext".into()
        }
        other => other.into(),
    }
}
