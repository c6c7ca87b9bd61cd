//! The site model every stage passes along: documents (pages, posts, collection documents),
//! static files, collections, data, layouts. Plain data; no behaviour beyond small accessors.
//! What this module is NOT for: reading files (`reader`) or rendering (`render`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde_norway::{Mapping, Value};

use super::config::{key, Config};

/// A Jekyll page or document.
#[derive(Debug, Clone)]
pub struct Document {
    /// `None` for a page; the collection label (`posts` for posts) for a document.
    pub collection: Option<String>,
    /// Path from the source root with `/` separators and no leading slash.
    pub relative_path: String,
    pub source_path: PathBuf,
    /// The file name (`faq.md`).
    pub name: String,
    /// The page's folder relative to the source, no leading/trailing slash (`docs`).
    pub dir: String,
    /// The extension with its dot (`.md`), empty when the file has none.
    pub ext: String,
    /// Front matter after defaults and plugins.
    pub data: Mapping,
    /// The body as read (after front matter).
    pub content: String,
    /// Whether the file had a front matter block (plugins may make pages of files without).
    pub has_front_matter: bool,
    /// Documents only: the date (from front matter, file name or `site.time`).
    pub date: Option<DateTime<FixedOffset>>,
    pub url: String,
    /// The output path relative to the destination, `None` when not written.
    pub dest: Option<String>,
    /// The converted, laid-out output once rendered.
    pub output: Option<String>,
    /// The converted content without layouts (`page.content` in layouts).
    pub rendered_content: Option<String>,
    pub excerpt: Option<String>,
    pub mtime: std::time::SystemTime,
    /// 1-based line of the file where the body starts (for error messages).
    pub body_line: usize,
    /// jekyll-paginate: this page shows page `n` of the posts (`paginator` is set).
    pub pager: Option<usize>,
    /// Set on pages a plugin made without a file (`sitemap`, `robots`, `feed`).
    pub plugin: Option<&'static str>,
}

impl Document {
    /// A page without a source file (jekyll's `PageWithoutAFile`), e.g. `sitemap.xml`.
    pub fn virtual_page(
        plugin: &'static str,
        dir: &str,
        name: &str,
        content: String,
        data: Mapping,
    ) -> Document {
        let ext = match name.rfind('.') {
            Some(i) if i > 0 => name[i..].to_string(),
            _ => String::new(),
        };
        let relative_path = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        Document {
            collection: None,
            relative_path: relative_path.clone(),
            source_path: PathBuf::from(relative_path),
            name: name.to_string(),
            dir: dir.to_string(),
            ext,
            data,
            content,
            has_front_matter: true,
            date: None,
            url: String::new(),
            dest: None,
            output: None,
            rendered_content: None,
            excerpt: None,
            mtime: std::time::UNIX_EPOCH,
            plugin: Some(plugin),
            pager: None,
            body_line: 1,
        }
    }

    pub fn get(&self, k: &str) -> Option<&Value> {
        self.data.get(key(k))
    }
    pub fn get_str(&self, k: &str) -> Option<&str> {
        self.get(k).and_then(|v| v.as_str())
    }
    pub fn set(&mut self, k: &str, v: Value) {
        self.data.insert(key(k), v);
    }
    pub fn is_page(&self) -> bool {
        self.collection.is_none()
    }
    pub fn is_post(&self) -> bool {
        self.collection.as_deref() == Some("posts")
    }
    /// File name without its extension.
    pub fn basename(&self) -> &str {
        &self.name[..self.name.len() - self.ext.len()]
    }
}

/// A file copied as it is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Jekyll's `relative_path` for static files: with a leading slash (`/assets/x.png`).
    pub relative_path: String,
    pub source_path: PathBuf,
    pub name: String,
    pub ext: String,
    pub collection: Option<String>,
    pub data: Mapping,
    pub mtime: std::time::SystemTime,
    pub url: String,
    pub dest: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Collection {
    pub label: String,
    pub output: bool,
    pub relative_directory: String,
    pub metadata: Mapping,
    /// Indexes into `Site::docs`, in Jekyll's sort order.
    pub docs: Vec<usize>,
    /// Indexes into `Site::static_files`.
    pub files: Vec<usize>,
}

/// A layout file (site or theme).
#[derive(Debug, Clone)]
pub struct Layout {
    pub name: String,
    pub path: PathBuf,
    pub relative_path: String,
    pub data: Mapping,
    pub content: String,
    pub body_line: usize,
}

/// The whole site after reading.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Document>,
    pub docs: Vec<Document>,
    pub static_files: Vec<StaticFile>,
    pub collections: Vec<Collection>,
    pub data: Value,
    pub layouts: BTreeMap<String, Layout>,
    /// Include folders, searched in order (site's `_includes`, then the theme's).
    pub include_dirs: Vec<PathBuf>,
    pub theme_root: Option<PathBuf>,
    pub time: DateTime<FixedOffset>,
}

/// Documents (pages and collection documents) a site may have to count as small: its render
/// then spends memory for speed (see [`Site::is_small`]).
pub const SMALL_SITE_DOCUMENTS: usize = 5_000;

impl Site {
    /// Whether the render may trade memory for speed: keep freed memory for reuse rather than
    /// hand it back at once (`alloc::keep_freed_pages`), and keep each rendered output as the
    /// very string the writer gets rather than an LZ4-compressed copy. On the 2,000-document
    /// bench site that is half the page faults and ~8% of the instructions, for 46–57 MB of
    /// peak RSS instead of 42; a 10,000-collection registry (20,000 documents) stays lean, or
    /// it would pass the 300 MB budget of docs/benchmarks.md (301 MB with freed memory kept,
    /// 277 MB without).
    pub fn is_small(&self) -> bool {
        self.pages.len() + self.docs.len() <= SMALL_SITE_DOCUMENTS
    }

    pub fn collection(&self, label: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.label == label)
    }
    pub fn posts(&self) -> impl Iterator<Item = &Document> {
        self.collection("posts")
            .map(|c| c.docs.clone())
            .unwrap_or_default()
            .into_iter()
            .map(move |i| &self.docs[i])
    }
}
