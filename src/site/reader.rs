//! Reads the source folder into the site model, the way Jekyll 3.10's `Reader` does: layouts,
//! the folder walk (pages are files whose first line is `---`, everything else is static),
//! posts from every `_posts` folder, collections, `_data`, and the theme's assets.
//! Front matter defaults are applied here, as Jekyll does while reading. Subfolders, posts
//! and collection files are read on all cores; the results are joined in the order Jekyll's
//! sequential walk has, and the first error in that order is the one reported. Not for URLs
//! (`url`), plugins (`plugins`) or rendering.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde_norway::{Mapping, Value};

use super::config::{deep_merge, key, parse_yaml_ruby, Config};
use super::defaults::Defaults;
use super::filter::EntryFilter;
use super::model::{Collection, Document, Layout, Site, StaticFile};
use super::theme::Theme;
use super::time;
use crate::error::{Error, IoContext, Result};
use crate::frontmatter;
use crate::fsutil::read_text;

fn modified(meta: std::io::Result<std::fs::Metadata>) -> std::time::SystemTime {
    meta.and_then(|m| m.modified())
        .unwrap_or(std::time::UNIX_EPOCH)
}

/// One name in a folder listing, with its type as the listing gave it (no `stat`).
struct Entry {
    name: String,
    kind: std::fs::FileType,
}

impl Entry {
    /// Whether it is a folder, following a symlink (as Ruby's `File.directory?`).
    fn is_dir(&self, folder: &Path) -> bool {
        self.kind.is_dir() || (self.kind.is_symlink() && folder.join(&self.name).is_dir())
    }
}

/// Lists a folder's entries sorted by name (Ruby's `Dir.entries` order is the file system's;
/// sorting makes the output deterministic, and the fixtures never depend on it).
fn entries(dir: &Path) -> Result<Vec<Entry>> {
    let mut v = vec![];
    for e in std::fs::read_dir(dir).at_path(dir)?.filter_map(|e| e.ok()) {
        let kind = e.file_type().at_path(e.path())?;
        v.push(Entry {
            name: e.file_name().to_string_lossy().into_owned(),
            kind,
        });
    }
    v.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(v)
}

/// What one folder walk found: its own posts, pages and static files, and its subfolders'
/// finds. [`Found::flatten`] lists them in Jekyll's order, moving each item once.
#[derive(Default)]
struct Found {
    pages: Vec<Document>,
    posts: Vec<Document>,
    static_files: Vec<StaticFile>,
    folders: Vec<Found>,
}

impl Found {
    /// A folder's posts come before its subfolders' (Jekyll reads `_posts` first), its pages
    /// and static files after theirs.
    fn flatten(self) -> Found {
        fn into(f: Found, out: &mut Found) {
            out.posts.extend(f.posts);
            for sub in f.folders {
                into(sub, out);
            }
            out.pages.extend(f.pages);
            out.static_files.extend(f.static_files);
        }
        let mut out = Found::default();
        into(self, &mut out);
        out
    }
}

/// Runs `f` on every item on all cores, keeping the items' order; the first error in that
/// order wins (the same one a sequential loop would report).
fn in_order<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R> + Sync + Send,
) -> Result<Vec<R>> {
    items
        .par_iter()
        .map(f)
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Every file under `dir` (recursively), relative to it, sorted like Ruby's `Dir["**/*"]`.
fn all_files(dir: &Path, dotmatch: bool) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| dotmatch || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
    {
        if e.file_type().is_dir() {
            continue;
        }
        if let Ok(rel) = e.path().strip_prefix(dir) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

/// Splits a file into front matter and body with Jekyll's rules, parsing the YAML.
pub fn read_front_matter(path: &Path, text: &str) -> Result<(Mapping, String, bool, usize)> {
    match frontmatter::split(text) {
        Some(sp) => {
            let v = parse_yaml_ruby(sp.yaml, path, 1)?;
            let m = match v {
                Value::Mapping(m) => m,
                Value::Null => Mapping::new(),
                _ => {
                    return Err(Error::at_line(
                        path,
                        2,
                        "front matter must be a YAML mapping",
                    ))
                }
            };
            Ok((m, sp.body.to_string(), true, sp.body_line))
        }
        None => Ok((Mapping::new(), text.to_string(), false, 1)),
    }
}

fn split_name(name: &str) -> (String, String) {
    // Ruby's File.extname: the last dot not at the start.
    match name.rfind('.') {
        Some(i) if i > 0 && i < name.len() - 1 => (name[..i].to_string(), name[i..].to_string()),
        _ => (name.to_string(), String::new()),
    }
}

pub struct Reader<'a> {
    config: &'a Config,
    filter: EntryFilter<'a>,
    defaults: Defaults,
    theme: Option<&'a Theme>,
    time: DateTime<FixedOffset>,
}

/// The site's `time` (from config, else now).
pub fn site_time(config: &Config) -> Result<DateTime<FixedOffset>> {
    match config.get("time") {
        Some(v @ (Value::String(_) | Value::Tagged(_))) => {
            time::parse_front_matter(v, &config.zone).ok_or_else(|| {
                Error::at(
                    &config.source.join("_config.yml"),
                    format!("`time: {}` is not a date", yaml_scalar_string(v)),
                )
            })
        }
        _ => Ok(config.zone.now()),
    }
}

impl<'a> Reader<'a> {
    pub fn read(config: &'a Config, theme: Option<&'a Theme>) -> Result<Site> {
        let time = site_time(config)?;
        let r = Reader {
            config,
            filter: EntryFilter::new(config),
            defaults: Defaults::new(config),
            theme,
            time,
        };
        let layouts = r.read_layouts()?;
        let mut found = if config.source.is_dir() {
            r.read_directories("")?.flatten()
        } else {
            Found::default()
        };
        found.pages.sort_by(|a, b| a.name.cmp(&b.name));
        found
            .static_files
            .sort_by(|a, b| a.relative_path.cmp(&b.relative_path));
        // Collections (posts first, then the configured ones in config order).
        let mut docs: Vec<Document> = Vec::new();
        let mut collections = Vec::new();
        let mut posts = std::mem::take(&mut found.posts);
        sort_docs(&mut posts);
        for c in &config.collections {
            let mut col = Collection {
                label: c.label.clone(),
                output: c.output,
                relative_directory: format!("_{}", c.label),
                metadata: c.metadata.clone(),
                docs: vec![],
                files: vec![],
            };
            let mut these = if c.label == "posts" {
                std::mem::take(&mut posts)
            } else {
                let (mut d, files) = r.read_collection(&c.label)?;
                for f in files {
                    col.files.push(found.static_files.len());
                    found.static_files.push(f);
                }
                sort_docs(&mut d);
                d
            };
            for d in these.drain(..) {
                col.docs.push(docs.len());
                docs.push(d);
            }
            collections.push(col);
        }
        r.read_theme_assets(&mut found)?;
        let data = r.read_data(&config.source.join("_data"))?;
        let mut include_dirs = vec![config.source.join("_includes")];
        if let Some(t) = theme {
            include_dirs.push(t.root.join("_includes"));
        }
        Ok(Site {
            config: config.clone(),
            pages: found.pages,
            docs,
            static_files: found.static_files,
            collections,
            data: Value::Mapping(data),
            layouts,
            include_dirs,
            theme_root: theme.map(|t| t.root.clone()),
            time,
        })
    }

    /// Reads one page with the reader's rules (for plugins that turn files into pages).
    pub fn page_only(
        config: &Config,
        theme: Option<&Theme>,
        root: &Path,
        dir: &str,
        name: &str,
    ) -> Result<Document> {
        let r = Reader {
            config,
            filter: EntryFilter::new(config),
            defaults: Defaults::new(config),
            theme,
            time: site_time(config)?,
        };
        r.read_page(root, dir, name)
    }

    fn read_layouts(&self) -> Result<BTreeMap<String, Layout>> {
        let mut layouts = BTreeMap::new();
        let mut dirs = vec![self.config.source.join("_layouts")];
        if let Some(t) = self.theme {
            dirs.push(t.root.join("_layouts"));
        }
        for dir in dirs {
            if !dir.is_dir() {
                continue;
            }
            for rel in all_files(&dir, false) {
                let (stem, _) = split_name(&rel);
                if layouts.contains_key(&stem) {
                    continue;
                }
                let path = dir.join(&rel);
                let text = read_text(&path)?;
                let (data, content, _, body_line) = read_front_matter(&path, &text)?;
                let relative_path = path
                    .strip_prefix(&self.config.source)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_else(|_| format!("_layouts/{rel}"));
                layouts.insert(
                    stem.clone(),
                    Layout {
                        name: stem,
                        path,
                        relative_path,
                        data,
                        content,
                        body_line,
                    },
                );
            }
        }
        Ok(layouts)
    }

    /// The folder walk from `dir` (a folder; "" is the source): subfolders are read on all
    /// cores, and their finds joined in the order a sequential walk has.
    fn read_directories(&self, dir: &str) -> Result<Found> {
        let base = if dir.is_empty() {
            self.config.source.clone()
        } else {
            self.config.source.join(dir)
        };
        let mut folders = vec![];
        let mut pages = vec![];
        let mut files = vec![];
        let mut has_posts = false;
        let mut to_probe = vec![];
        for entry in entries(&base)? {
            let name = &entry.name;
            if name == "_posts" {
                has_posts = entry.is_dir(&base);
            }
            let rel = join(dir, name);
            if !self.filter.keep(&rel, name, entry.kind.is_symlink()) {
                continue;
            }
            if entry.is_dir(&base) {
                folders.push(rel);
            } else {
                to_probe.push(entry.name);
            }
        }
        // A folder of pages is read on all cores (a docs folder holds hundreds).
        let probed = in_order(&to_probe, |name| probe(&base.join(name)))?;
        for (name, (front_matter, mtime)) in to_probe.into_iter().zip(probed) {
            if front_matter {
                pages.push(name);
            } else {
                files.push((name, mtime));
            }
        }
        let mut found = Found {
            posts: if has_posts {
                self.read_posts(dir)?
            } else {
                vec![]
            },
            ..Found::default()
        };
        found.folders = in_order(&folders, |rel| self.read_directories(rel))?;
        found.pages = in_order(&pages, |p| self.read_page(&self.config.source, dir, p))?;
        for (name, mtime) in files {
            let f = self.static_file(&self.config.source, dir, &name, None, mtime);
            found.static_files.push(f);
        }
        Ok(found)
    }

    /// Reads a page at `dir/name` under `root` (the source, or a theme's root for its assets).
    pub fn read_page(&self, root: &Path, dir: &str, name: &str) -> Result<Document> {
        let path = root.join(dir).join(name);
        let (text, mtime) = read_source(&path)?;
        let (fm, body, has_fm, body_line) = read_front_matter(&path, &text)?;
        let relative_path = join(dir, name);
        let mut data = self.defaults.all(&relative_path, "pages");
        deep_merge(&mut data, &fm);
        let (_, ext) = split_name(name);
        Ok(Document {
            collection: None,
            relative_path,
            source_path: path.clone(),
            name: name.to_string(),
            dir: dir.to_string(),
            ext,
            data,
            content: body,
            has_front_matter: has_fm,
            date: None,
            url: String::new(),
            dest: None,
            output: None,
            rendered_content: None,
            excerpt: None,
            mtime,
            plugin: None,
            pager: None,
            body_line,
        })
    }

    fn static_file(
        &self,
        root: &Path,
        dir: &str,
        name: &str,
        collection: Option<&str>,
        mtime: std::time::SystemTime,
    ) -> StaticFile {
        let path = root.join(dir).join(name);
        // Jekyll's quirk: files of the folder walk get a leading slash, collection files don't.
        let rel = if collection.is_some() {
            join(dir, name)
        } else {
            format!("/{}", join(dir, name))
        };
        let data = self.defaults.all(&rel, collection.unwrap_or(""));
        let (_, ext) = split_name(name);
        StaticFile {
            relative_path: rel,
            source_path: path.clone(),
            name: name.to_string(),
            ext,
            collection: collection.map(String::from),
            data,
            mtime,
            url: String::new(),
            dest: None,
        }
    }

    /// The posts of `dir/_posts` (a folder), read on all cores.
    fn read_posts(&self, dir: &str) -> Result<Vec<Document>> {
        let base = self.config.source.join(dir).join("_posts");
        let re = crate::re::cached(r"^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$");
        let entries = all_files(&base, false);
        let posts = in_order(&entries, |entry| {
            let rel_in_source = join(dir, &format!("_posts/{entry}"));
            if !self.filter_nested(entry, &rel_in_source, &base.join(entry)) {
                return Ok(None);
            }
            if !re.is_match(entry) {
                return Ok(None);
            }
            let doc = self.read_document(&base.join(entry), &rel_in_source, "posts", "_posts")?;
            if doc.get("published") == Some(&Value::Bool(false)) {
                return Ok(None);
            }
            if !self.config.future {
                if let Some(d) = doc.date {
                    if d.timestamp() > self.time.timestamp() {
                        return Ok(None);
                    }
                }
            }
            Ok(Some(doc))
        })?;
        Ok(posts.into_iter().flatten().collect())
    }

    /// The entry filter applied to paths found by a recursive glob (posts, collections):
    /// Jekyll checks the special-name rules on the path and on its base name only.
    fn filter_nested(&self, entry: &str, rel_in_source: &str, abs: &Path) -> bool {
        if self.config.safe
            && abs
                .symlink_metadata()
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(false)
        {
            return false;
        }
        if self.filter.included(entry) {
            return true;
        }
        !(EntryFilter::special(entry)
            || entry.ends_with('~')
            || self.filter.excluded(rel_in_source))
    }

    fn read_document(
        &self,
        path: &Path,
        relative_path: &str,
        label: &str,
        coll_dir: &str,
    ) -> Result<Document> {
        let (text, mtime) = read_source(path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (fm, body, has_fm, body_line) = read_front_matter(path, &text)?;
        let mut data = self.defaults.all(relative_path, label);
        deep_merge(&mut data, &fm);
        let (stem, ext) = split_name(&name);
        // Categories from folders above the `_posts`/collection folder.
        let mut categories: Vec<Value> = Vec::new();
        if label == "posts" {
            let prefix = relative_path
                .split(&format!("{coll_dir}/"))
                .next()
                .unwrap_or("");
            for c in prefix.split('/').filter(|c| !c.is_empty()) {
                categories.push(Value::String(c.to_string()));
            }
        }
        let mut date = None;
        let zone = &self.config.zone;
        if let Some(v) = data.get(key("date")) {
            date = Some(time::parse_front_matter(v, zone).ok_or_else(|| {
                Error::at(
                    path,
                    format!(
                        "`date: {}` is not a valid date (use YYYY-MM-DD HH:MM:SS +/-TTTT)",
                        yaml_scalar_string(v)
                    ),
                )
            })?);
        }
        // populate_title
        let re = crate::re::cached(r"^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$");
        let re2 = crate::re::cached(r"^(?:.+/)*?([^/]*)(\.[^.]+)$");
        let mut slug = None;
        let mut sext = None;
        if let Some(c) = re.captures(relative_path) {
            let d = &c[1];
            if date.is_none() || date.map(|x| x.timestamp()) == Some(self.time.timestamp()) {
                date = time::parse(d, zone);
            }
            slug = Some(c[2].to_string());
            sext = Some(c[3].to_string());
        } else if let Some(c) = re2.captures(relative_path) {
            slug = Some(c[1].to_string());
            sext = Some(c[2].to_string());
        }
        let slug = slug
            .unwrap_or_else(|| stem.clone())
            .trim_end_matches('.')
            .to_string();
        if !data.contains_key(key("title")) || data.get(key("title")) == Some(&Value::Null) {
            data.insert(key("title"), Value::String(titleize_slug(&slug)));
        }
        if !data.contains_key(key("slug")) {
            data.insert(key("slug"), Value::String(slug));
        }
        if !data.contains_key(key("ext")) {
            if let Some(e) = sext {
                data.insert(key("ext"), Value::String(e));
            }
        }
        // populate_categories / populate_tags
        let mut cats = categories;
        for k in ["categories", "category"] {
            match data.get(key(k)) {
                Some(Value::Sequence(v)) => {
                    cats.extend(v.iter().map(|x| Value::String(yaml_scalar_string(x))))
                }
                Some(Value::String(s)) => {
                    cats.extend(s.split_whitespace().map(|x| Value::String(x.to_string())))
                }
                Some(Value::Null) | None => {}
                Some(other) => cats.push(Value::String(yaml_scalar_string(other))),
            }
            if k == "categories" && data.contains_key(key("categories")) {
                // `categories` wins over `category` in pluralized_array_from_hash
            }
        }
        let mut seen = Vec::new();
        cats.retain(|c| {
            if seen.contains(c) {
                false
            } else {
                seen.push(c.clone());
                true
            }
        });
        data.insert(key("categories"), Value::Sequence(cats));
        let tags: Vec<Value> = match data.get(key("tags")).or_else(|| data.get(key("tag"))) {
            Some(Value::Sequence(v)) => v
                .iter()
                .map(|x| Value::String(yaml_scalar_string(x)))
                .collect(),
            Some(Value::String(s)) => s
                .split_whitespace()
                .map(|x| Value::String(x.to_string()))
                .collect(),
            _ => vec![],
        };
        data.insert(key("tags"), Value::Sequence(tags));
        let date = date.unwrap_or(self.time);
        Ok(Document {
            collection: Some(label.to_string()),
            relative_path: relative_path.to_string(),
            source_path: path.to_path_buf(),
            name,
            dir: String::new(),
            ext,
            data,
            content: body,
            has_front_matter: has_fm,
            date: Some(date),
            url: String::new(),
            dest: None,
            output: None,
            rendered_content: None,
            excerpt: None,
            mtime,
            plugin: None,
            pager: None,
            body_line,
        })
    }

    fn read_collection(&self, label: &str) -> Result<(Vec<Document>, Vec<StaticFile>)> {
        let dir = self.config.source.join(format!("_{label}"));
        let mut docs = vec![];
        let mut files = vec![];
        if !dir.is_dir() {
            return Ok((docs, files));
        }
        let entries = all_files(&dir, true);
        let read = in_order(&entries, |entry| {
            let rel_in_source = format!("_{label}/{entry}");
            let abs = dir.join(entry);
            if !self.filter_nested(entry, entry, &abs) {
                return Ok(None);
            }
            let (front_matter, mtime) = probe(&abs)?;
            if front_matter {
                let d = self.read_document(&abs, &rel_in_source, label, &format!("_{label}"))?;
                if d.get("published") == Some(&Value::Bool(false)) {
                    return Ok(None);
                }
                Ok(Some(Ok(d)))
            } else {
                let (pdir, name) = match rel_in_source.rfind('/') {
                    Some(i) => (&rel_in_source[..i], &rel_in_source[i + 1..]),
                    None => ("", rel_in_source.as_str()),
                };
                let f = self.static_file(&self.config.source, pdir, name, Some(label), mtime);
                Ok(Some(Err(f)))
            }
        })?;
        for item in read.into_iter().flatten() {
            match item {
                Ok(d) => docs.push(d),
                Err(f) => files.push(f),
            }
        }
        Ok((docs, files))
    }

    fn read_theme_assets(&self, found: &mut Found) -> Result<()> {
        let Some(theme) = self.theme else {
            return Ok(());
        };
        let assets = theme.root.join("assets");
        if !assets.is_dir() {
            return Ok(());
        }
        for entry in all_files(&assets, false) {
            let rel = format!("assets/{entry}");
            let abs = assets.join(&entry);
            let (dir, name) = match rel.rfind('/') {
                Some(i) => (rel[..i].to_string(), rel[i + 1..].to_string()),
                None => (String::new(), rel.clone()),
            };
            let (front_matter, mtime) = probe(&abs)?;
            if front_matter {
                if found.pages.iter().any(|p| p.relative_path == rel) {
                    continue;
                }
                let page = self.read_page(&theme.root, &dir, &name)?;
                found.pages.push(page);
            } else {
                if found
                    .static_files
                    .iter()
                    .any(|s| s.relative_path == format!("/{rel}"))
                {
                    continue;
                }
                let f = self.static_file(&theme.root, &dir, &name, None, mtime);
                found.static_files.push(f);
            }
        }
        Ok(())
    }

    /// `DataReader`: `*.yaml`, `*.yml`, `*.json`, `*.csv`, `*.tsv` (in that order, each sorted),
    /// then sub-folders as nested hashes.
    fn read_data(&self, dir: &Path) -> Result<Mapping> {
        let mut data = Mapping::new();
        if !dir.is_dir() {
            return Ok(data);
        }
        let names: Vec<String> = entries(dir)?.into_iter().map(|e| e.name).collect();
        for ext in ["yaml", "yml", "json", "csv", "tsv"] {
            for n in names
                .iter()
                .filter(|n| n.ends_with(&format!(".{ext}")) && !n.starts_with('.'))
            {
                let path = dir.join(n);
                if path.is_dir() || (self.config.safe && path.is_symlink()) {
                    continue;
                }
                let (stem, _) = split_name(n);
                let v = read_data_file(&path, ext)?;
                data.insert(Value::String(sanitize_filename(&stem)), v);
            }
        }
        for n in names.iter().filter(|n| !n.starts_with('.')) {
            let path = dir.join(n);
            if path.is_dir() && !(self.config.safe && path.is_symlink()) {
                let sub = self.read_data(&path)?;
                data.insert(Value::String(sanitize_filename(n)), Value::Mapping(sub));
            }
        }
        Ok(data)
    }
}

/// Whether the file starts with a YAML front matter line (Jekyll's page-or-static test, on
/// its first bytes), and its modification time (`fstat` on the same open file).
fn probe(path: &Path) -> Result<(bool, std::time::SystemTime)> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).at_path(path)?;
    let mut buf = [0u8; 512];
    let n = f.read(&mut buf).at_path(path)?;
    Ok((
        frontmatter::has_yaml_header(&buf[..n]),
        modified(f.metadata()),
    ))
}

/// A source file's text and modification time, from one open.
fn read_source(path: &Path) -> Result<(String, std::time::SystemTime)> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).at_path(path)?;
    let meta = f.metadata();
    let len = meta.as_ref().map_or(0, |m| m.len() as usize);
    let mtime = modified(meta);
    // Sized from the `fstat` above: `File::read_to_end` would `fstat` again for its hint.
    let mut bytes = Vec::with_capacity(len + 1);
    (&mut f)
        .take(u64::MAX)
        .read_to_end(&mut bytes)
        .at_path(path)?;
    let text = String::from_utf8(bytes).map_err(|_| Error::at(path, "is not valid UTF-8"))?;
    Ok((text, mtime))
}

fn read_data_file(path: &Path, ext: &str) -> Result<Value> {
    let text = read_text(path)?;
    match ext {
        "json" => {
            let j: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| Error::at_line(path, e.line(), format!("invalid JSON: {e}")))?;
            serde_norway::to_value(j).map_err(|e| Error::at(path, e))
        }
        "csv" | "tsv" => {
            let sep = if ext == "csv" { ',' } else { '\t' };
            let rows = parse_csv(&text, sep).map_err(|m| Error::at(path, m))?;
            let mut it = rows.into_iter();
            let headers = it.next().unwrap_or_default();
            Ok(Value::Sequence(
                it.map(|r| {
                    let mut m = Mapping::new();
                    for (i, h) in headers.iter().enumerate() {
                        let v = r
                            .get(i)
                            .map(|s| Value::String(s.clone()))
                            .unwrap_or(Value::Null);
                        m.insert(Value::String(h.clone()), v);
                    }
                    Value::Mapping(m)
                })
                .collect(),
            ))
        }
        _ => parse_yaml_ruby(&text, path, 1),
    }
}

/// A small RFC 4180 reader (quoted fields, doubled quotes, CRLF).
fn parse_csv(text: &str, sep: char) -> std::result::Result<Vec<Vec<String>>, String> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
        } else if c == sep {
            row.push(std::mem::take(&mut field));
        } else if c == '\r' && chars.peek() == Some(&'\n') {
        } else if c == '\n' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
            any = false;
        } else {
            field.push(c);
        }
    }
    if quoted {
        return Err("unclosed quoted field".into());
    }
    if any {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// `DataReader#sanitize_filename`.
fn sanitize_filename(name: &str) -> String {
    let re = crate::re::cached(r"[^\w\s-]+");
    let s = re.replace_all(name, "");
    let s = s.trim();
    crate::re::cached(r"\s+").replace_all(s, "_").into_owned()
}

pub fn titleize_slug(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn yaml_scalar_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Tagged(t) => yaml_scalar_string(&t.value),
        other => serde_norway::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Jekyll sorts documents by date, then path.
fn sort_docs(docs: &mut [Document]) {
    docs.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.source_path.cmp(&b.source_path))
    });
}

pub fn source_rel(source: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(source)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}
