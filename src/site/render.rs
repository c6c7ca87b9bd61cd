//! Renders the site model: Liquid, then the converter, then the layout chain, in Jekyll's
//! order (documents of every collection first, posts first, then pages in `site.pages` order),
//! all sharing one payload so `increment` counters and `content` carry over as in Jekyll.
//! `site`, `page` and documents are live drops ([`ObjectView`]) over [`Shared`], so a page
//! listing posts sees their rendered `content`. Also implements the Liquid engine's [`Host`]
//! over the real site (includes from `_includes` then the theme's, cached parsed templates).
//! Not for reading files (`reader`) or plugin-generated files (`generated`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use serde_norway::Value as Yaml;

use super::config::Profile;
use super::convert::{self, Converter};
use super::model::{Document, Site};
use super::plugins;
use super::write::{Content, Output, Sink};
use crate::error::{Error, Result};
use crate::liquid::{Context, Hash, Host, LiquidError, ObjectView, Template, Value};
use crate::zone::Zone;

mod speculate;
use speculate::{Job, Pipeline, Spec};

/// YAML (front matter, config, data) → Liquid. Plain scalars that look like YAML timestamps
/// with a time part become Times, as Ruby's YAML makes them.
pub fn to_liquid(v: &Yaml, zone: &Zone) -> Value {
    match v {
        Yaml::Null => Value::Nil,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else {
                Value::Float(n.as_f64().unwrap_or(0.0))
            }
        }
        Yaml::String(s) => match super::time::yaml_time(s, zone) {
            Some(t) => Value::Time(t),
            None => Value::from(s.as_str()),
        },
        Yaml::Sequence(items) => {
            Value::from(items.iter().map(|i| to_liquid(i, zone)).collect::<Vec<_>>())
        }
        Yaml::Mapping(m) => Value::from(mapping_to_hash(m, zone)),
        // `!str`: a quoted scalar that must stay text (see `config::parse_yaml_ruby`).
        Yaml::Tagged(t) => match &t.value {
            Yaml::String(s) => Value::from(s.as_str()),
            other => to_liquid(other, zone),
        },
    }
}

pub fn mapping_to_hash(m: &serde_norway::Mapping, zone: &Zone) -> Hash {
    m.iter()
        .map(|(k, v)| {
            let key = match k {
                Yaml::String(s) => s.clone(),
                other => super::reader::yaml_scalar_string(other),
            };
            (key, to_liquid(v, zone))
        })
        .collect()
}

/// Which entry of the shared state a drop reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ref {
    Page(usize),
    Doc(usize),
}

/// A document's rendered output, kept for templates that read `output` of another document
/// (Jekyll keeps it in memory). Large outputs are kept LZ4-compressed: a 10,000-collection
/// registry holds ~100 MB of them, and most sites never read them back.
enum Stored {
    Text(String),
    /// The very string handed to the writer (a small site keeps outputs uncompressed).
    Shared(Arc<String>),
    Lz4(Vec<u8>),
}

impl Stored {
    /// Outputs smaller than this stay as text.
    const COMPRESS_FROM: usize = 2048;

    /// `s`, compressed unless it is small.
    fn new(s: &str) -> Stored {
        if s.len() < Self::COMPRESS_FROM {
            Stored::Text(s.to_string())
        } else {
            Stored::Lz4(lz4_flex::compress_prepend_size(s.as_bytes()))
        }
    }

    fn text(&self) -> String {
        match self {
            Stored::Text(s) => s.clone(),
            Stored::Shared(s) => s.to_string(),
            Stored::Lz4(b) => lz4_flex::decompress_size_prepended(b)
                .ok()
                .and_then(|v| String::from_utf8(v).ok())
                .unwrap_or_default(),
        }
    }
}

/// The live part of a page or document.
struct Entry {
    /// Front matter (after defaults and plugins), as Liquid values.
    data: Hash,
    /// Fixed attributes (`url`, `path`, `name`, `dir`, `id`, `date`, ...), in Jekyll's key order.
    attrs: Hash,
    /// Shared with the `content` values templates read (no copy per read).
    content: RwLock<Arc<str>>,
    output: RwLock<Option<Stored>>,
    excerpt: RwLock<Option<String>>,
    collection: Option<String>,
}

/// label, doc indexes, static file indexes, metadata, output, relative_directory.
type CollectionEntry = (String, Vec<usize>, Vec<usize>, Hash, bool, String);

/// A parsed layout: template, its front matter, its parent layout, path, body line.
type LoadedLayout = (Arc<Template>, Hash, Option<String>, PathBuf, usize);

/// Everything drops read: the site as Liquid sees it.
pub struct Shared {
    config: Hash,
    pages: Vec<Entry>,
    docs: Vec<Entry>,
    /// The static files as Liquid sees them, made on first use from `static_model` (most
    /// sites never read them, and a big registry has tens of thousands).
    static_files: OnceLock<Vec<Value>>,
    static_model: Vec<super::model::StaticFile>,
    /// label, doc indexes, static file indexes, metadata, output, relative_directory
    collections: Vec<CollectionEntry>,
    /// Each document's place in its collection's list (for `page.previous`/`page.next`,
    /// asked on every post page: finding it by a scan made a 2,000-post render quadratic).
    doc_position: Vec<usize>,
    data: Value,
    time: Value,
    github: Option<Value>,
    profile: Profile,
    html_pages: Vec<usize>,
    /// The local time zone (`timezone:`).
    zone: Zone,
}

impl Shared {
    /// The entry's `content` now: its raw body until it is rendered.
    fn content(&self, r: Ref) -> String {
        self.entry(r)
            .content
            .read()
            .map(|c| c.to_string())
            .unwrap_or_default()
    }

    fn entry(&self, r: Ref) -> &Entry {
        match r {
            Ref::Page(i) => &self.pages[i],
            Ref::Doc(i) => &self.docs[i],
        }
    }

    fn static_values(&self) -> &Vec<Value> {
        self.static_files.get_or_init(|| {
            self.static_model
                .iter()
                .map(|f| static_value(f, &self.zone))
                .collect()
        })
    }

    fn collection_docs(&self, label: &str) -> Option<&Vec<usize>> {
        self.collections.iter().find(|c| c.0 == label).map(|c| &c.1)
    }
}

struct EntryDrop {
    shared: Arc<Shared>,
    r: Ref,
}

impl EntryDrop {
    fn value(shared: &Arc<Shared>, r: Ref) -> Value {
        Value::Object(Arc::new(EntryDrop {
            shared: shared.clone(),
            r,
        }))
    }

    fn neighbour(&self, delta: isize) -> Value {
        let Ref::Doc(i) = self.r else {
            return Value::Nil;
        };
        let e = self.shared.entry(self.r);
        let Some(label) = &e.collection else {
            return Value::Nil;
        };
        let Some(docs) = self.shared.collection_docs(label) else {
            return Value::Nil;
        };
        let pos = match self.shared.doc_position.get(i) {
            Some(&p) if docs.get(p) == Some(&i) => p,
            _ => return Value::Nil,
        };
        let np = pos as isize + delta;
        if np < 0 || np as usize >= docs.len() {
            return Value::Nil;
        }
        EntryDrop::value(&self.shared, Ref::Doc(docs[np as usize]))
    }
}

impl ObjectView for EntryDrop {
    fn get(&self, key: &str) -> Option<Value> {
        let e = self.shared.entry(self.r);
        let is_doc = matches!(self.r, Ref::Doc(_));
        match key {
            "content" => return Some(Value::Str(e.content.read().ok()?.clone())),
            "output" if is_doc => {
                return Some(
                    e.output
                        .read()
                        .ok()?
                        .as_ref()
                        .map(|o| Value::from(o.text()))
                        .unwrap_or(Value::Nil),
                )
            }
            "excerpt" if is_doc => {
                if let Some(v) = e.data.get("excerpt") {
                    if e.excerpt.read().ok()?.is_none() {
                        return Some(v.clone());
                    }
                }
                return Some(
                    e.excerpt
                        .read()
                        .ok()?
                        .clone()
                        .map(Value::from)
                        .unwrap_or(Value::Nil),
                );
            }
            "next" if is_doc => return Some(self.neighbour(1)),
            "previous" if is_doc => return Some(self.neighbour(-1)),
            _ => {}
        }
        if let Some(v) = e.attrs.get(key) {
            if is_doc || !e.data.contains_key(key) {
                return Some(v.clone());
            }
        }
        e.data
            .get(key)
            .cloned()
            .or_else(|| e.attrs.get(key).cloned())
    }

    fn keys(&self) -> Vec<String> {
        let e = self.shared.entry(self.r);
        let mut keys: Vec<String> = vec![];
        match self.r {
            Ref::Page(_) => {
                keys.extend(e.data.keys().cloned());
                for k in ["content", "dir", "name", "path", "url"] {
                    if !keys.iter().any(|x| x == k) {
                        keys.push(k.to_string());
                    }
                }
            }
            Ref::Doc(_) => {
                for k in [
                    "content",
                    "output",
                    "relative_path",
                    "url",
                    "id",
                    "date",
                    "path",
                    "collection",
                    "excerpt",
                    "next",
                    "previous",
                ] {
                    keys.push(k.to_string());
                }
                for k in e.data.keys() {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
            }
        }
        keys
    }

    fn to_liquid_string(&self) -> String {
        match self.r {
            // A document prints as its output (or content).
            Ref::Doc(_) => {
                let e = self.shared.entry(self.r);
                e.output
                    .read()
                    .ok()
                    .and_then(|o| o.as_ref().map(Stored::text))
                    .unwrap_or_else(|| e.content.read().map(|c| c.to_string()).unwrap_or_default())
            }
            Ref::Page(_) => Value::Hash(Arc::new(self.to_liquid_hash())).to_s(),
        }
    }
}

struct CollectionDrop {
    shared: Arc<Shared>,
    idx: usize,
}

impl ObjectView for CollectionDrop {
    fn get(&self, key: &str) -> Option<Value> {
        let (label, docs, files, meta, output, rel) = &self.shared.collections[self.idx];
        Some(match key {
            "label" => Value::from(label.as_str()),
            "docs" => Value::from(
                docs.iter()
                    .map(|d| EntryDrop::value(&self.shared, Ref::Doc(*d)))
                    .collect::<Vec<_>>(),
            ),
            "files" => Value::from(
                files
                    .iter()
                    .map(|f| self.shared.static_values()[*f].clone())
                    .collect::<Vec<_>>(),
            ),
            "output" => Value::Bool(*output),
            "relative_directory" => Value::from(rel.as_str()),
            "directory" => Value::from(rel.as_str()),
            other => return meta.get(other).cloned(),
        })
    }
    fn keys(&self) -> Vec<String> {
        let mut k: Vec<String> = [
            "output",
            "label",
            "docs",
            "files",
            "directory",
            "relative_directory",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for m in self.shared.collections[self.idx].3.keys() {
            if !k.contains(m) {
                k.push(m.clone());
            }
        }
        k
    }
}

struct SiteDrop {
    shared: Arc<Shared>,
    lists: SiteLists,
}

/// The arrays `site.*` hands out (`site.posts`, `site.pages`, `site[label]`, ...), each built
/// on first use and then shared: their items are live drops over [`Shared`], so one array
/// serves every page. Rebuilding them per access made every page that reads
/// `site.<collection>` cost O(documents) (O(n²) over a build). Kept here, not in [`Shared`],
/// so the drops' `Arc<Shared>` do not form a cycle with it (`serve` rebuilds repeatedly).
#[derive(Default)]
struct SiteLists {
    pages: OnceLock<Value>,
    html_pages: OnceLock<Value>,
    posts: OnceLock<Value>,
    related_posts: OnceLock<Value>,
    static_files: OnceLock<Value>,
    documents: OnceLock<Value>,
    collections: OnceLock<Value>,
    tags: OnceLock<Value>,
    categories: OnceLock<Value>,
    /// One per entry of `Shared::collections`, by index.
    docs: Vec<OnceLock<Value>>,
}

impl SiteDrop {
    fn new(shared: Arc<Shared>) -> SiteDrop {
        let lists = SiteLists {
            docs: (0..shared.collections.len())
                .map(|_| OnceLock::new())
                .collect(),
            ..SiteLists::default()
        };
        SiteDrop { shared, lists }
    }
}

impl SiteDrop {
    fn posts_desc(&self) -> Vec<Value> {
        let mut v: Vec<Value> = self
            .shared
            .collection_docs("posts")
            .map(|d| {
                d.iter()
                    .map(|i| EntryDrop::value(&self.shared, Ref::Doc(*i)))
                    .collect()
            })
            .unwrap_or_default();
        v.reverse();
        v
    }

    /// `site.tags` / `site.categories`: each value → its posts, newest first.
    fn post_attr_hash(&self, attr: &str) -> Value {
        // Grouped in plain vectors first: growing each group as a shared array copied it on
        // every post (quadratic in a tag's posts).
        let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
        let mut slot: HashMap<String, usize> = HashMap::new();
        if let Some(docs) = self.shared.collection_docs("posts") {
            for i in docs {
                if let Some(Value::Array(items)) = self.shared.docs[*i].data.get(attr) {
                    for t in items.iter() {
                        let k = t.to_s();
                        let at = *slot.entry(k.clone()).or_insert_with(|| {
                            groups.push((k, Vec::new()));
                            groups.len() - 1
                        });
                        groups[at]
                            .1
                            .push(EntryDrop::value(&self.shared, Ref::Doc(*i)));
                    }
                }
            }
        }
        let mut h: Hash = Hash::default();
        for (k, mut posts) in groups {
            posts.reverse();
            h.insert(k, Value::from(posts));
        }
        Value::from(h)
    }
}

impl ObjectView for SiteDrop {
    fn get(&self, key: &str) -> Option<Value> {
        let s = &self.shared;
        let l = &self.lists;
        Some(match key {
            "time" => s.time.clone(),
            "pages" => l
                .pages
                .get_or_init(|| {
                    Value::from(
                        (0..s.pages.len())
                            .map(|i| EntryDrop::value(s, Ref::Page(i)))
                            .collect::<Vec<_>>(),
                    )
                })
                .clone(),
            "html_pages" => l
                .html_pages
                .get_or_init(|| {
                    Value::from(
                        s.html_pages
                            .iter()
                            .map(|i| EntryDrop::value(s, Ref::Page(*i)))
                            .collect::<Vec<_>>(),
                    )
                })
                .clone(),
            "posts" => l
                .posts
                .get_or_init(|| Value::from(self.posts_desc()))
                .clone(),
            "related_posts" => l
                .related_posts
                .get_or_init(|| {
                    let mut v = self.posts_desc();
                    v.truncate(10);
                    Value::from(v)
                })
                .clone(),
            "static_files" => l
                .static_files
                .get_or_init(|| Value::from(s.static_values().clone()))
                .clone(),
            "collections" => l
                .collections
                .get_or_init(|| {
                    let mut idx: Vec<usize> = (0..s.collections.len()).collect();
                    idx.sort_by(|a, b| s.collections[*a].0.cmp(&s.collections[*b].0));
                    Value::from(
                        idx.into_iter()
                            .map(|i| {
                                Value::Object(Arc::new(CollectionDrop {
                                    shared: s.clone(),
                                    idx: i,
                                }))
                            })
                            .collect::<Vec<_>>(),
                    )
                })
                .clone(),
            "documents" => l
                .documents
                .get_or_init(|| {
                    Value::from(
                        s.collections
                            .iter()
                            .flat_map(|c| c.1.iter().map(|i| EntryDrop::value(s, Ref::Doc(*i))))
                            .collect::<Vec<_>>(),
                    )
                })
                .clone(),
            "data" => s.data.clone(),
            "categories" => self
                .lists
                .categories
                .get_or_init(|| self.post_attr_hash("categories"))
                .clone(),
            "tags" => self
                .lists
                .tags
                .get_or_init(|| self.post_attr_hash("tags"))
                .clone(),
            "github" if s.github.is_some() => s.github.clone().unwrap_or(Value::Nil),
            other => {
                if other != "posts" {
                    if let Some(ci) = s.collections.iter().position(|c| c.0 == other) {
                        return Some(
                            l.docs[ci]
                                .get_or_init(|| {
                                    Value::from(
                                        s.collections[ci]
                                            .1
                                            .iter()
                                            .map(|i| EntryDrop::value(s, Ref::Doc(*i)))
                                            .collect::<Vec<_>>(),
                                    )
                                })
                                .clone(),
                        );
                    }
                }
                return s.config.get(other).cloned();
            }
        })
    }

    fn keys(&self) -> Vec<String> {
        let mut k: Vec<String> = self.shared.config.keys().cloned().collect();
        for m in [
            "time",
            "pages",
            "static_files",
            "tags",
            "categories",
            "posts",
            "html_pages",
            "collections",
            "documents",
            "related_posts",
            "data",
        ] {
            if !k.iter().any(|x| x == m) {
                k.push(m.to_string());
            }
        }
        if self.shared.profile == Profile::Pages
            && self.shared.github.is_some()
            && !k.iter().any(|x| x == "github")
        {
            k.push("github".into());
        }
        k
    }
}

/// The Liquid host over the real site.
pub struct SiteHost {
    include_dirs: Vec<PathBuf>,
    source: PathBuf,
    cache: Mutex<HashMap<PathBuf, Arc<Template>>>,
    /// `{% include name %}` → its template: found once per render, not looked up with two
    /// `stat`s in every page that includes it.
    includes: Mutex<HashMap<String, Arc<Template>>>,
    /// relative path (no leading slash) → URL, for `{% link %}`: made on first use from
    /// `shared` (a big site has 150,000 of them, and most never use the tag).
    links: OnceLock<HashMap<String, String>>,
    shared: Arc<Shared>,
    /// (relative_path, url, basename without ext) of posts, for `{% post_url %}`.
    posts: Vec<(String, String, String)>,
    config: Hash,
    /// Jekyll 4's `link`/`post_url` go through `relative_url`; Jekyll 3.10's do not.
    link_prefix: Option<String>,
    kramdown: crate::markdown::KramdownOptions,
    /// jekyll-seo-tag / jekyll-feed are on: their tags become built-in includes.
    seo: bool,
    feed: bool,
}

impl SiteHost {
    fn prefixed(&self, url: String) -> String {
        match &self.link_prefix {
            Some(b) => plugins::relative_url(b, &url),
            None => url,
        }
    }

    fn load(&self, path: &Path, display: &str) -> std::result::Result<Arc<Template>, LiquidError> {
        if let Some(t) = self.cache.lock().ok().and_then(|c| c.get(path).cloned()) {
            return Ok(t);
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| LiquidError::runtime("IOError", format!("{}: {e}", path.display())))?;
        let text = super::seo::rewrite_tags(&text, self.seo, self.feed);
        let t = Arc::new(Template::parse(&text, display)?);
        if let Ok(mut c) = self.cache.lock() {
            c.insert(path.to_path_buf(), t.clone());
        }
        Ok(t)
    }
}

fn not_found(name: &str, dirs: &[PathBuf]) -> LiquidError {
    LiquidError::runtime(
        "IOError",
        format!(
            "Could not locate the included file '{name}' in any of [{}]. Ensure it exists in one of those directories and is not a symlink as those are not allowed in safe mode.",
            dirs.iter()
                .map(|d| format!("\"{}\"", d.display()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

fn is_symlink(p: &Path) -> bool {
    p.symlink_metadata()
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false)
}

impl Host for SiteHost {
    fn zone(&self) -> &Zone {
        &self.shared.zone
    }

    fn include(&self, name: &str) -> std::result::Result<Arc<Template>, LiquidError> {
        if self.seo || self.feed {
            if let Some(src) = super::seo::builtin_include(name) {
                let key = PathBuf::from(name);
                if let Some(t) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
                    return Ok(t);
                }
                let src = src.map_err(|m| LiquidError::runtime("LoadError", m))?;
                let t = Arc::new(Template::parse(&src, name)?);
                if let Ok(mut c) = self.cache.lock() {
                    c.insert(key, t.clone());
                }
                return Ok(t);
            }
        }
        if let Some(t) = self.includes.lock().ok().and_then(|c| c.get(name).cloned()) {
            return Ok(t);
        }
        for d in &self.include_dirs {
            let p = d.join(name);
            if p.is_file() && !is_symlink(&p) {
                let display = p
                    .strip_prefix(&self.source)
                    .map(|r| r.to_string_lossy().into_owned())
                    .unwrap_or_else(|_| format!("_includes/{name}"));
                let t = self.load(&p, &display)?;
                if let Ok(mut c) = self.includes.lock() {
                    c.insert(name.to_string(), t.clone());
                }
                return Ok(t);
            }
        }
        let dirs: Vec<PathBuf> = self
            .include_dirs
            .iter()
            .filter(|d| d.is_dir())
            .cloned()
            .collect();
        Err(not_found(
            name,
            if dirs.is_empty() {
                &self.include_dirs[..1]
            } else {
                &dirs
            },
        ))
    }

    fn include_relative(
        &self,
        name: &str,
        page_path: &str,
    ) -> std::result::Result<Arc<Template>, LiquidError> {
        let page_dir = Path::new(page_path).parent().unwrap_or(Path::new(""));
        let dir = self.source.join(page_dir);
        let p = dir.join(name);
        if p.is_file() && !is_symlink(&p) {
            let rel = page_dir.join(name);
            return self.load(&p, &rel.to_string_lossy());
        }
        Err(not_found(name, &[dir]))
    }

    fn link(&self, relative_path: &str) -> Option<String> {
        self.links
            .get_or_init(|| links_of(&self.shared))
            .get(relative_path.trim_start_matches('/'))
            .cloned()
            .map(|u| self.prefixed(u))
    }

    fn post_url(&self, name: &str) -> std::result::Result<String, String> {
        let trimmed = name.trim_start_matches('/');
        let re = crate::re::cached(r"^(.+/)*(\d+-\d+-\d+)-(.*)$");
        let err = || {
            format!(
                "Could not find post \"{name}\" in tag 'post_url'.\n\nMake sure the post exists and the name is correct.\n"
            )
        };
        let Some(c) = re.captures(trimmed) else {
            return Err(err());
        };
        let path = c.get(1).map(|m| m.as_str()).unwrap_or("");
        let date = &c[2];
        let slug = regex::escape(&c[3]);
        let name_re = regex::Regex::new(&format!(
            r"^_posts/{p}{date}-{slug}\.[^.]+|^{p}_posts/?{date}-{slug}\.[^.]+",
            p = regex::escape(path)
        ))
        .map_err(|_| err())?;
        for (rel, url, _) in &self.posts {
            if name_re.is_match(rel) {
                return Ok(self.prefixed(url.clone()));
            }
        }
        // Jekyll's deprecated fallback: same date and slug anywhere.
        for (_, url, base) in &self.posts {
            if *base == format!("{date}-{}", &c[3]) {
                return Ok(self.prefixed(url.clone()));
            }
        }
        Err(err())
    }

    fn config(&self, key: &str) -> Option<Value> {
        self.config.get(key).cloned()
    }

    fn markdownify(&self, input: &str) -> std::result::Result<String, LiquidError> {
        Ok(convert::markdownify(input, &self.kramdown))
    }

    fn smartify(&self, input: &str) -> std::result::Result<String, LiquidError> {
        Ok(crate::markdown::smartify(input, &self.kramdown))
    }

    fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        crate::highlight::tokens_html(lang, code)
    }

    fn sass(&self, input: &str, indented: bool) -> std::result::Result<String, LiquidError> {
        let dirs: Vec<PathBuf> = vec![self.source.join("_sass")];
        let refs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
        convert::sass(input, indented, &refs, &self.source.join("_sass")).map_err(|e| {
            LiquidError::runtime("Jekyll::Converters::Scss::SyntaxError", e.to_string())
        })
    }
}

/// A Liquid error as one clear message: the file and line as an editor counts them (the
/// template's body starts at `body_line`), or the include it happened in.
fn liquid_err(path: &Path, own_name: &str, body_line: usize, e: LiquidError) -> Error {
    use crate::liquid::ErrorKind;
    let kind = match &e.kind {
        ErrorKind::Syntax => "Liquid syntax error".to_string(),
        ErrorKind::Argument => "Liquid error".to_string(),
        ErrorKind::Runtime(c) => (*c).to_string(),
    };
    let msg = format!("{kind}: {}", e.message.trim_end());
    match (&e.file, e.line) {
        (Some(f), Some(l)) if f != own_name => Error::at(path, format!("{msg} (in {f}, line {l})")),
        (Some(f), None) if f != own_name => Error::at(path, format!("{msg} (in {f})")),
        (_, Some(l)) => Error::at_line(path, body_line + l - 1, msg),
        (_, None) => Error::at(path, msg),
    }
}

/// Builds the per-entry fixed attributes.
fn page_attrs(p: &Document) -> Hash {
    let mut h = Hash::default();
    let dir = if p.url.ends_with('/') {
        p.url.clone()
    } else {
        let d = &p.url[..p.url.rfind('/').unwrap_or(0)];
        format!("{d}/")
    };
    h.insert("dir".into(), Value::from(dir));
    h.insert("name".into(), Value::from(p.name.as_str()));
    h.insert("path".into(), Value::from(p.relative_path.as_str()));
    h.insert("url".into(), Value::from(p.url.as_str()));
    h
}

fn doc_attrs(d: &Document) -> Hash {
    let mut h = Hash::default();
    h.insert(
        "relative_path".into(),
        Value::from(d.relative_path.as_str()),
    );
    h.insert("path".into(), Value::from(d.relative_path.as_str()));
    h.insert("url".into(), Value::from(d.url.as_str()));
    let slug = d
        .get_str("slug")
        .map(String::from)
        .unwrap_or_else(|| d.basename().to_string());
    let trimmed = d.url.trim_end_matches('/');
    let dir = &trimmed[..trimmed.rfind('/').unwrap_or(0)];
    h.insert("id".into(), Value::from(format!("{dir}/{slug}")));
    if let Some(t) = d.date {
        h.insert("date".into(), Value::Time(t));
    }
    h.insert(
        "collection".into(),
        Value::from(d.collection.clone().unwrap_or_default()),
    );
    h
}

fn static_value(f: &super::model::StaticFile, zone: &Zone) -> Value {
    let mut h = Hash::default();
    h.insert("name".into(), Value::from(f.name.as_str()));
    h.insert("extname".into(), Value::from(f.ext.as_str()));
    let t: chrono::DateTime<chrono::Utc> = f.mtime.into();
    // `File.mtime`: a local time.
    h.insert("modified_time".into(), Value::Time(zone.local(&t)));
    h.insert(
        "basename".into(),
        Value::from(&f.name[..f.name.len() - f.ext.len()]),
    );
    h.insert("path".into(), Value::from(f.relative_path.as_str()));
    h.insert(
        "collection".into(),
        f.collection.clone().map(Value::from).unwrap_or(Value::Nil),
    );
    for (k, v) in mapping_to_hash(&f.data, zone) {
        h.entry(k).or_insert(v);
    }
    Value::from(h)
}

/// Jekyll's excerpt: the content up to the separator, plus the link reference definitions of
/// the rest so reference links still resolve.
fn extract_excerpt(content: &str, sep: &str, profile: Profile) -> String {
    if sep.is_empty() {
        return content.to_string();
    }
    match content.find(sep) {
        None => content.to_string(),
        Some(i) => {
            let head = &content[..i];
            let tail = &content[i + sep.len()..];
            let re = crate::re::cached(r"(?m)^ {0,3}\[[^\]]+\]:.+$");
            let refs: Vec<&str> = re.find_iter(tail).map(|m| m.as_str()).collect();
            // Jekyll 3.10 always appends "\n\n" and the definitions; Jekyll 4 only when
            // there are some.
            if profile == Profile::Jekyll4 && refs.is_empty() {
                head.to_string()
            } else {
                format!("{head}\n\n{}", refs.join("\n"))
            }
        }
    }
}

struct Renderer<'a> {
    site: &'a Site,
    shared: Arc<Shared>,
    host: &'a SiteHost,
    globals: Hash,
    layouts: HashMap<String, Arc<Template>>,
}

/// `{% link %}`'s map: every page's, document's and static file's relative path (no leading
/// slash) → URL; on a clash the later wins (pages, then documents, then static files).
fn links_of(shared: &Shared) -> HashMap<String, String> {
    let attr = |e: &Entry, k: &str| e.attrs.get(k).map(Value::to_s).unwrap_or_default();
    let mut links = HashMap::new();
    for e in shared.pages.iter().chain(shared.docs.iter()) {
        links.insert(attr(e, "path"), attr(e, "url"));
    }
    for f in &shared.static_model {
        links.insert(
            f.relative_path.trim_start_matches('/').to_string(),
            f.url.clone(),
        );
    }
    links
}

/// Parses a page's or layout's Liquid (with the SEO/feed tags rewritten to includes).
fn parse_template(
    host: &SiteHost,
    src: &str,
    file: &str,
    path: &Path,
    body_line: usize,
) -> Result<Template> {
    let src = super::seo::rewrite_tags(src, host.seo, host.feed);
    Template::parse(&src, file).map_err(|e| liquid_err(path, file, body_line, e))
}

impl<'a> Renderer<'a> {
    fn parse(&self, src: &str, file: &str, path: &Path, body_line: usize) -> Result<Template> {
        parse_template(self.host, src, file, path, body_line)
    }

    fn render_liquid(
        &mut self,
        t: &Template,
        page_path: &str,
        path: &Path,
        body_line: usize,
    ) -> Result<String> {
        let globals = std::mem::take(&mut self.globals);
        let mut ctx = Context::with_globals(self.host, globals);
        ctx.set_page_path(page_path);
        let r = t.render(&mut ctx);
        self.globals = ctx.take_globals();
        r.map_err(|e| liquid_err(path, t.name(), body_line, e))
    }

    fn convert(&self, doc: &Document, text: &str) -> Result<String> {
        match convert::converter_for(&self.site.config, &doc.ext) {
            Converter::Markdown => Ok(convert::markdownify(text, &self.host.kramdown)),
            Converter::Sass { indented } => {
                let mut dirs = vec![self.site.config.source.join("_sass")];
                if let Some(t) = &self.site.theme_root {
                    dirs.push(t.join("_sass"));
                }
                let refs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
                convert::sass(text, indented, &refs, &doc.source_path)
            }
            Converter::Identity => Ok(text.to_string()),
        }
    }

    fn layout(&mut self, name: &str) -> Result<Option<LoadedLayout>> {
        let Some(l) = self.site.layouts.get(name) else {
            return Ok(None);
        };
        let t = match self.layouts.get(name) {
            Some(t) => t.clone(),
            None => {
                let t = Arc::new(self.parse(&l.content, &l.relative_path, &l.path, l.body_line)?);
                self.layouts.insert(name.to_string(), t.clone());
                t
            }
        };
        let parent = l
            .data
            .get(super::config::key("layout"))
            .and_then(|v| v.as_str())
            .map(String::from);
        Ok(Some((
            t,
            mapping_to_hash(&l.data, &self.site.config.zone),
            parent,
            l.path.clone(),
            l.body_line,
        )))
    }

    /// jekyll-paginate's `paginator` for page `n`.
    fn paginator(&self, n: usize) -> Value {
        let cfg = &self.site.config;
        let per_page = match cfg.get("paginate") {
            Some(Yaml::Number(x)) => x.as_u64().unwrap_or(0) as usize,
            Some(Yaml::String(s)) => s.parse().unwrap_or(0),
            _ => 0,
        };
        let mut posts: Vec<usize> = self
            .shared
            .collection_docs("posts")
            .cloned()
            .unwrap_or_default();
        posts.reverse();
        posts.retain(|i| {
            !matches!(
                self.shared.docs[*i].data.get("hidden"),
                Some(Value::Bool(true))
            )
        });
        let total = plugins::pages_for(posts.len(), per_page);
        let first_url = self
            .site
            .pages
            .iter()
            .find(|p| p.pager == Some(1))
            .map(|p| p.url.clone())
            .unwrap_or_default();
        let start = (n - 1) * per_page;
        let end = (start + per_page).min(posts.len());
        let slice: Vec<Value> = posts[start.min(end)..end]
            .iter()
            .map(|i| EntryDrop::value(&self.shared, Ref::Doc(*i)))
            .collect();
        let page_path = |k: Option<usize>| match k {
            Some(k) => Value::from(plugins::paginate_path(cfg, &first_url, k)),
            None => Value::Nil,
        };
        let prev = (n != 1).then(|| n - 1);
        let next = (n != total).then(|| n + 1);
        let mut h = Hash::default();
        h.insert("per_page".into(), Value::Int(per_page as i64));
        h.insert("posts".into(), Value::from(slice));
        h.insert("total_posts".into(), Value::Int(posts.len() as i64));
        h.insert("total_pages".into(), Value::Int(total as i64));
        h.insert("page".into(), Value::Int(n as i64));
        h.insert(
            "previous_page".into(),
            prev.map(|p| Value::Int(p as i64)).unwrap_or(Value::Nil),
        );
        h.insert("previous_page_path".into(), page_path(prev));
        h.insert(
            "next_page".into(),
            next.map(|p| Value::Int(p as i64)).unwrap_or(Value::Nil),
        );
        h.insert("next_page_path".into(), page_path(next));
        Value::from(h)
    }

    /// Renders one page or document; returns (converted content, full output). `pre` is what
    /// a worker prepared for it ([`speculate`]).
    /// `layout` is the page's `layout` front matter (the model's copy is dropped by then).
    fn render_one(
        &mut self,
        doc: &Document,
        r: Ref,
        layout: Option<&Yaml>,
        pre: &mut Spec,
    ) -> Result<String> {
        let page_val = EntryDrop::value(&self.shared, r);
        if self.host.seo {
            let site_val = self.globals.get("site").cloned().unwrap_or(Value::Nil);
            let seo = super::seo::seo_values(
                &page_val,
                &site_val,
                &self.host.kramdown,
                &self.site.config.zone,
            );
            self.globals.insert("seo_tag".into(), seo);
        }
        self.globals.insert("page".into(), page_val);
        let paginator = match doc.pager {
            Some(n) => self.paginator(n),
            None => Value::Nil,
        };
        self.globals.insert("paginator".into(), paginator);
        let page_path = doc.relative_path.clone();
        // `assign_layout_data!`: the page's own layout data merged over what the shared
        // payload still holds from the previous render (Jekyll 3.10 keeps it).
        if let Some(Yaml::String(lname)) = layout {
            if let Some(l) = self.site.layouts.get(lname) {
                let mut merged = mapping_to_hash(&l.data, &self.site.config.zone);
                if let Some(Value::Hash(prev)) = self.globals.get("layout") {
                    for (k, v) in prev.iter() {
                        merged.insert(k.clone(), v.clone());
                    }
                }
                self.globals.insert("layout".into(), Value::from(merged));
            }
        }
        let t = match pre.body_tpl.take() {
            Some(t) => t,
            None => Arc::new(self.parse(
                &self.shared.content(r),
                &doc.relative_path,
                &doc.source_path,
                doc.body_line,
            )?),
        };
        let mut out = self.render_liquid(&t, &page_path, &doc.source_path, doc.body_line)?;
        out = match pre.body.take() {
            // Converting is a pure function of the text: same text, same HTML.
            Some((text, html)) if text == out => html,
            _ => self.convert(doc, &out)?,
        };
        // One copy, shared by the entry's `content` and the first layout's `content`.
        let converted: Arc<str> = Arc::from(out.as_str());
        if let Ok(mut c) = self.shared.entry(r).content.write() {
            *c = converted.clone();
        }
        let asset = matches!(
            convert::converter_for(&self.site.config, &doc.ext),
            Converter::Sass { .. }
        );
        let layout_name = match layout {
            Some(Yaml::String(s)) => Some(s.clone()),
            Some(Yaml::Null) | None => None,
            Some(other) => Some(super::reader::yaml_scalar_string(other)),
        };
        if !asset && layout_name.as_deref() != Some("none") {
            if let Some(name) = layout_name {
                if !self.site.layouts.contains_key(&name) {
                    return Err(Error::at_line(
                        &doc.source_path,
                        front_matter_line(&doc.source_path, "layout"),
                        format!(
                            "layout `{name}` does not exist (looked in _layouts/{}); create it or fix the `layout:` front matter",
                            if self.site.theme_root.is_some() { " and the theme's _layouts/" } else { "" }
                        ),
                    ));
                }
                self.globals.insert("layout".into(), Value::Nil);
                let mut used: Vec<String> = vec![];
                let mut current = Some(name);
                while let Some(n) = current {
                    if used.contains(&n) {
                        break;
                    }
                    let Some((t, data, parent, lpath, lline)) = self.layout(&n)? else {
                        break;
                    };
                    used.push(n.clone());
                    let content = if used.len() == 1 {
                        Value::Str(converted.clone())
                    } else {
                        Value::from(std::mem::take(&mut out))
                    };
                    self.globals.insert("content".into(), content);
                    let mut merged = data.clone();
                    if let Some(Value::Hash(prev)) = self.globals.get("layout") {
                        for (k, v) in prev.iter() {
                            merged.insert(k.clone(), v.clone());
                        }
                    }
                    self.globals.insert("layout".into(), Value::from(merged));
                    out = self.render_liquid(&t, &page_path, &lpath, lline)?;
                    current = parent;
                }
            }
        }
        Ok(out)
    }
}

/// The whole render: returns the output files (pages, documents, static files, plugin files).
pub fn render_site(site: &mut Site, theme_deps: &[String]) -> Result<Output> {
    let mut out = Output::new();
    render_site_into(site, theme_deps, &mut out)?;
    Ok(out)
}

/// The whole render, handing each output file to `out` as soon as it is rendered.
pub fn render_site_into(site: &mut Site, theme_deps: &[String], out: &mut dyn Sink) -> Result<()> {
    let cfg = &site.config;
    let profile = cfg.profile;
    let dep = |n: &str| cfg.has_plugin(n) || theme_deps.iter().any(|d| d == n);
    let zone = &cfg.zone;
    let mut config_hash = mapping_to_hash(&cfg.data, zone);
    // The reader's `site.time` (read once: without `time:` it is "now").
    config_hash.insert("time".into(), Value::Time(site.time));
    let github = if dep("jekyll-github-metadata") {
        Some(Value::from(mapping_to_hash(
            &plugins::github_metadata(cfg),
            zone,
        )))
    } else {
        None
    };
    let html_pages = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            let oext = super::url::output_ext(cfg, p);
            [".html", ".xhtml", ".htm"].contains(&oext.as_str()) || p.url.ends_with('/')
        })
        .map(|(i, _)| i)
        .collect();
    // Documents, collection by collection (posts first), then pages.
    let excerpt_sep = |d: &Document| {
        if d.data.contains_key(super::config::key("excerpt")) {
            return None;
        }
        let sep = d
            .get_str("excerpt_separator")
            .map(String::from)
            .unwrap_or_else(|| cfg.excerpt_separator.clone());
        (!sep.is_empty()).then_some(sep)
    };
    let jobs: Vec<Job> = site
        .collections
        .iter()
        .flat_map(|c| c.docs.iter())
        .map(|&i| Job {
            r: Ref::Doc(i),
            excerpt_sep: excerpt_sep(&site.docs[i]),
            layout: site.docs[i].get("layout").cloned(),
        })
        .chain((0..site.pages.len()).map(|i| Job {
            r: Ref::Page(i),
            excerpt_sep: None,
            layout: site.pages[i].get("layout").cloned(),
        }))
        .collect();
    // Entries. Front matter moves into them (as Liquid sees it): the model's copy is not read
    // from here on, and on a big site it is a large share of the memory.
    // The raw bodies move into the entries too (one copy, not two); the render reads them there.
    // On all cores: 2,000 posts' front matter took ~8 ms of one thread here, before any
    // rendering could start.
    let entries = |list: &mut [Document], attrs: fn(&Document) -> Hash| -> Vec<Entry> {
        use rayon::prelude::*;
        list.par_iter_mut()
            .map(|d| Entry {
                // Before the front matter moves out: `doc_attrs` reads `slug` there.
                attrs: attrs(d),
                data: mapping_to_hash(&std::mem::take(&mut d.data), zone),
                content: RwLock::new(Arc::from(std::mem::take(&mut d.content))),
                output: RwLock::new(None),
                excerpt: RwLock::new(None),
                collection: d.collection.clone(),
            })
            .collect()
    };
    // The static files move into the shared state too (the copy list reads them there).
    let static_model = std::mem::take(&mut site.static_files);
    let static_files: OnceLock<Vec<Value>> = OnceLock::new();
    let mut pages = entries(&mut site.pages, page_attrs);
    for (i, p) in site.pages.iter().enumerate() {
        if p.plugin == Some("sitemap") {
            // jekyll-sitemap hands the page the static HTML/PDF files.
            let values = static_files
                .get_or_init(|| static_model.iter().map(|f| static_value(f, zone)).collect());
            let files: Vec<Value> = static_model
                .iter()
                .zip(values.iter())
                .filter(|(f, _)| [".htm", ".html", ".xhtml", ".pdf"].contains(&f.ext.as_str()))
                .map(|(_, v)| v.clone())
                .collect();
            pages[i]
                .data
                .insert("static_files".into(), Value::from(files));
        }
    }
    let mut docs = entries(&mut site.docs, doc_attrs);
    for (i, d) in site.docs.iter().enumerate() {
        if let Some(date) = d.date {
            docs[i].data.insert("date".into(), Value::Time(date));
        }
    }
    let collections = site
        .collections
        .iter()
        .map(|c| {
            (
                c.label.clone(),
                c.docs.clone(),
                c.files.clone(),
                mapping_to_hash(&c.metadata, zone),
                c.output,
                c.relative_directory.clone(),
            )
        })
        .collect::<Vec<CollectionEntry>>();
    let mut doc_position = vec![usize::MAX; docs.len()];
    for c in &collections {
        for (pos, &d) in c.1.iter().enumerate() {
            if let Some(slot) = doc_position.get_mut(d) {
                if *slot == usize::MAX {
                    *slot = pos;
                }
            }
        }
    }
    let shared = Arc::new(Shared {
        config: config_hash.clone(),
        pages,
        docs,
        static_files,
        static_model,
        collections,
        doc_position,
        data: to_liquid(&site.data, zone),
        time: Value::Time(site.time),
        github,
        profile,
        html_pages,
        zone: zone.clone(),
    });
    // Host.
    let posts = site
        .posts()
        .map(|p| {
            (
                p.relative_path.clone(),
                p.url.clone(),
                p.basename().to_string(),
            )
        })
        .collect();
    let host = SiteHost {
        include_dirs: site.include_dirs.clone(),
        source: cfg.source.clone(),
        cache: Mutex::new(HashMap::new()),
        includes: Mutex::new(HashMap::new()),
        links: OnceLock::new(),
        shared: shared.clone(),
        posts,
        config: config_hash,
        link_prefix: (profile == Profile::Jekyll4).then(|| cfg.baseurl.clone()),
        kramdown: convert::kramdown_options(cfg),
        seo: dep("jekyll-seo-tag"),
        feed: dep("jekyll-feed"),
    };
    let mut globals = Hash::default();
    globals.insert(
        "site".into(),
        Value::Object(Arc::new(SiteDrop::new(shared.clone()))),
    );
    let mut jekyll = Hash::default();
    jekyll.insert("version".into(), Value::from(profile.jekyll_version()));
    jekyll.insert(
        "environment".into(),
        Value::from(std::env::var("JEKYLL_ENV").unwrap_or_else(|_| "development".into())),
    );
    globals.insert("jekyll".into(), Value::from(jekyll));
    globals.insert("layout".into(), Value::Nil);
    globals.insert("content".into(), Value::Nil);
    globals.insert("paginator".into(), Value::Nil);
    globals.insert("highlighter_prefix".into(), Value::Nil);
    globals.insert("highlighter_suffix".into(), Value::Nil);
    let fresh_globals = globals.clone();
    let mut r = Renderer {
        site,
        shared: shared.clone(),
        host: &host,
        globals,
        layouts: HashMap::new(),
    };
    // One core renders; the others convert ahead. At least one worker even on one core, so
    // every build takes the same path.
    let workers = std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .max(1);
    let pipeline = Pipeline::new(site, &host, &shared, &fresh_globals, jobs);
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..workers {
            scope.spawn(|| pipeline.work());
        }
        let rendered = render_in_order(&mut r, &pipeline, &shared, &fresh_globals, out);
        pipeline.finish();
        rendered
    })?;
    for f in &shared.static_model {
        if let Some(dest) = &f.dest {
            out.put_new(dest, Content::Copy(f.source_path.clone()))?;
        }
    }
    super::generated::add(
        site,
        &shared_site_value(&shared),
        theme_deps,
        out,
        &mut |t, file, path| {
            let tpl = r.parse(t, file, path, 1)?;
            r.render_liquid(&tpl, file, path, 1)
        },
    )?;
    Ok(())
}

/// The sequential render of every page and document, in Jekyll's order, taking what the
/// workers of `pipeline` prepared.
fn render_in_order(
    r: &mut Renderer,
    pipeline: &Pipeline,
    shared: &Arc<Shared>,
    fresh_globals: &Hash,
    out: &mut dyn Sink,
) -> Result<()> {
    let site = r.site;
    // Outputs kept for later templates: compressed, unless the site is small.
    let lean = !site.is_small();
    for (k, job) in pipeline.jobs().iter().enumerate() {
        let mut pre = pipeline.take(k);
        match job.r {
            Ref::Doc(i) => {
                let d = &site.docs[i];
                // The excerpt first (every document without an `excerpt` key, in both
                // profiles): Jekyll renders it lazily, so the document's own layouts (an SEO
                // tag) already see it.
                if let Some(sep) = &job.excerpt_sep {
                    let t = match pre.excerpt_tpl.take() {
                        Some(t) => t,
                        None => {
                            let raw = shared.content(Ref::Doc(i));
                            let ex = extract_excerpt(&raw, sep, site.config.profile);
                            Arc::new(r.parse(&ex, &d.relative_path, &d.source_path, d.body_line)?)
                        }
                    };
                    // Jekyll renders an excerpt with a fresh site payload: its own `increment`
                    // counters and assigns, not the build's.
                    let mut fresh = fresh_globals.clone();
                    fresh.insert("page".into(), EntryDrop::value(shared, Ref::Doc(i)));
                    let saved = std::mem::replace(&mut r.globals, fresh);
                    let rendered =
                        r.render_liquid(&t, &d.relative_path, &d.source_path, d.body_line);
                    r.globals = saved;
                    let rendered = rendered?;
                    let html = match pre.excerpt.take() {
                        Some((text, html)) if text == rendered => html,
                        _ => r.convert(d, &rendered)?,
                    };
                    if let Ok(mut e) = shared.docs[i].excerpt.write() {
                        *e = Some(html);
                    }
                }
                let full = r.render_one(d, Ref::Doc(i), job.layout.as_ref(), &mut pre)?;
                // Kept for later templates: a small site shares the writer's string.
                let content = if lean {
                    if let Ok(mut o) = shared.docs[i].output.write() {
                        *o = Some(Stored::new(&full));
                    }
                    Content::Bytes(full.into_bytes())
                } else {
                    let full = Arc::new(full);
                    if let Ok(mut o) = shared.docs[i].output.write() {
                        *o = Some(Stored::Shared(full.clone()));
                    }
                    Content::Shared(full)
                };
                if let Some(dest) = &d.dest {
                    out.put(dest, content)?;
                }
            }
            Ref::Page(i) => {
                let p = &site.pages[i];
                let full = r.render_one(p, Ref::Page(i), job.layout.as_ref(), &mut pre)?;
                if let Some(dest) = &p.dest {
                    out.put(dest, Content::Bytes(full.into_bytes()))?;
                }
            }
        }
    }
    Ok(())
}

fn shared_site_value(shared: &Arc<Shared>) -> Value {
    Value::Object(Arc::new(SiteDrop::new(shared.clone())))
}

/// The line of `key:` in a file's front matter (1 when not found, e.g. set by defaults).
pub fn front_matter_line(path: &Path, key: &str) -> usize {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| {
            t.lines()
                .position(|l| l.starts_with(&format!("{key}:")))
                .map(|i| i + 1)
        })
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::Stored;

    #[test]
    fn stored_outputs_read_back_byte_for_byte() {
        let big = "<li>é “x”</li>\n".repeat(500);
        for s in ["", "short", big.as_str()] {
            let st = Stored::new(s);
            assert_eq!(st.text(), s);
        }
        assert!(matches!(Stored::new(&big), Stored::Lz4(b) if b.len() < big.len() / 4));
        assert_eq!(Stored::Shared(std::sync::Arc::new(big.clone())).text(), big);
    }
}
