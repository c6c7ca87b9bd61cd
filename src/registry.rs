//! The registry model: what the site holds, read from disk and validated.
//!
//! A *collection* is a folder `<ns>/<name>/` with a `manifests/` folder; each
//! `manifests/<tag>/` holds at most one recipe and at most one build record (`manifest.json`).
//! The collection's `README.md` gives `description` (front matter, split exactly as Jekyll does
//! by `crate::frontmatter`) and details (body). Scanning reads everything `generate` needs and
//! checks it: names, symlinks leaving the site, front matter, records, and that a record's
//! in-site blobs exist with the digest it names. Every problem found is reported (sorted, so
//! output is deterministic), each naming its path. This module never writes.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::digest::sha256_file;
use crate::error::{Error, IoContext, Result};
use crate::names;
use crate::record::{Record, EMPTY_CONFIG_DIGEST};
use crate::storage::PagesStore;

/// Top-level folders that are never namespaces (besides `_*` and `.*`, which Jekyll skips).
const NOT_NAMESPACES: &[&str] = &["v2", "target", "node_modules", "vendor"];

/// Everything the site holds, sorted by namespace, name, then tag (byte order).
#[derive(Debug)]
pub struct Registry {
    pub root: PathBuf,
    pub config: Config,
    pub collections: Vec<Collection>,
}

#[derive(Debug)]
pub struct Collection {
    pub namespace: String,
    pub name: String,
    /// `description` from the README's front matter, "" when absent.
    pub description: String,
    /// The README body (Markdown, unrendered), "" when there is no README.
    pub details: String,
    pub tags: Vec<Tag>,
}

#[derive(Debug)]
pub struct Tag {
    pub tag: String,
    /// Site-relative path of the recipe (with `/`), if the tag has one.
    pub recipe: Option<String>,
    pub record: Option<Record>,
}

impl Collection {
    pub fn repository(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

impl Registry {
    /// Reads and validates the whole site at `root`.
    pub fn scan(root: &Path) -> Result<Registry> {
        let config = Config::load(root)?;
        Self::scan_with(root, config)
    }

    pub fn scan_with(root: &Path, config: Config) -> Result<Registry> {
        let real_root = root.canonicalize().at_path(root)?;
        let guard = Guard {
            real_root: &real_root,
        };
        let mut problems = Vec::new();
        let mut found = Vec::new();
        for (ns, kind) in sorted_entries(root)? {
            if !kind.is_dir
                || ns.starts_with('_')
                || ns.starts_with('.')
                || NOT_NAMESPACES.contains(&ns.as_str())
            {
                continue;
            }
            let ns_path = root.join(&ns);
            let Ok(names) = sorted_entries(&ns_path) else {
                continue;
            };
            for (name, name_kind) in names {
                if !name_kind.is_dir {
                    continue;
                }
                let coll_path = ns_path.join(&name);
                // One lstat tells both "is this a collection" and "is `manifests` a symlink".
                let Ok(meta) = std::fs::symlink_metadata(coll_path.join("manifests")) else {
                    continue;
                };
                let manifests_link = meta.file_type().is_symlink();
                if meta.is_dir() || (manifests_link && coll_path.join("manifests").is_dir()) {
                    let links = Links {
                        ns: kind.is_symlink,
                        name: name_kind.is_symlink,
                        manifests: manifests_link,
                    };
                    found.push((ns.clone(), name, coll_path, links));
                }
            }
        }
        let results: Vec<std::result::Result<Collection, Vec<String>>> = found
            .par_iter()
            .map(|(ns, name, path, links)| {
                read_collection(root, &config, &guard, ns, name, path, *links)
            })
            .collect();
        let mut collections = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(c) => collections.push(c),
                Err(mut p) => problems.append(&mut p),
            }
        }
        if !problems.is_empty() {
            problems.sort();
            problems.dedup();
            return Err(Error::input(problems.join("\n")));
        }
        Ok(Registry {
            root: root.to_path_buf(),
            config,
            collections,
        })
    }

    pub fn find(&self, namespace: &str, name: &str) -> Option<&Collection> {
        self.collections
            .iter()
            .find(|c| c.namespace == namespace && c.name == name)
    }
}

/// Which folders on a collection's path are symlinks (from readdir/lstat), so only those are
/// resolved and checked.
#[derive(Debug, Clone, Copy)]
struct Links {
    ns: bool,
    name: bool,
    manifests: bool,
}

/// Refuses symlinks that point outside the site.
struct Guard<'a> {
    real_root: &'a Path,
}

impl Guard<'_> {
    /// Checks `path` if it is a symlink (`is_symlink`, as readdir or lstat reported it).
    fn check(&self, path: &Path, is_symlink: bool) -> std::result::Result<(), String> {
        if !is_symlink {
            return Ok(());
        }
        match path.canonicalize() {
            Ok(target) if target.starts_with(self.real_root) => Ok(()),
            Ok(target) => Err(format!(
                "{}: is a symlink to {}, outside the site; GitHub Pages does not follow it — copy the file into the site instead",
                path.display(),
                target.display()
            )),
            Err(e) => Err(format!("{}: broken symlink ({e})", path.display())),
        }
    }
}

/// What a folder entry is, from readdir's d_type (no stat unless it is a symlink).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Kind {
    pub is_dir: bool,
    pub is_symlink: bool,
}

/// Entry names of a folder, sorted, with their kinds (symlinks report their target's is_dir).
fn sorted_entries(dir: &Path) -> Result<Vec<(String, Kind)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).at_path(dir)? {
        let entry = entry.at_path(dir)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return Err(Error::at(&entry.path(), "file name is not valid UTF-8"));
        };
        let ft = entry.file_type().at_path(entry.path())?;
        let is_symlink = ft.is_symlink();
        let is_dir = ft.is_dir() || (is_symlink && entry.path().is_dir());
        out.push((name.to_string(), Kind { is_dir, is_symlink }));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Reads a whole (small) file with the fewest system calls: open, read until 0, close
/// (`std::fs::read` adds a stat for its size hint). `hint` is the expected size.
pub fn read_small(path: &Path, hint: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; hint.max(1024) + 1];
    let mut n = 0;
    loop {
        if n == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(n);
    Ok(buf)
}

fn read_collection(
    root: &Path,
    config: &Config,
    guard: &Guard,
    ns: &str,
    name: &str,
    path: &Path,
    links: Links,
) -> std::result::Result<Collection, Vec<String>> {
    let mut problems = Vec::new();
    let ns_path = root.join(ns);
    if !names::is_component(ns) {
        problems.push(format!(
            "{}: invalid namespace {ns:?}: must be {}",
            ns_path.display(),
            names::component_rule()
        ));
    }
    if !names::is_component(name) {
        problems.push(format!(
            "{}: invalid name {name:?}: must be {}",
            path.display(),
            names::component_rule()
        ));
    }
    let manifests = path.join("manifests");
    for (p, link) in [
        (&ns_path, links.ns),
        (&path.to_path_buf(), links.name),
        (&manifests, links.manifests),
    ] {
        if let Err(e) = guard.check(p, link) {
            problems.push(e);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let (description, details) = match read_readme(&path.join("README.md"), guard) {
        Ok(v) => v,
        Err(e) => {
            problems.push(e.to_string());
            (String::new(), String::new())
        }
    };

    let mut tags = Vec::new();
    match sorted_entries(&manifests) {
        Err(e) => problems.push(e.to_string()),
        Ok(entries) => {
            for (tag, kind) in entries {
                let tag_path = manifests.join(&tag);
                if tag.starts_with('.') {
                    continue;
                }
                if !kind.is_dir {
                    problems.push(format!(
                        "{}: expected a tag folder holding a recipe and/or manifest.json, found a file",
                        tag_path.display()
                    ));
                    continue;
                }
                if !names::is_tag(&tag) {
                    problems.push(format!(
                        "{}: invalid tag {tag:?}: must be {}",
                        tag_path.display(),
                        names::tag_rule()
                    ));
                    continue;
                }
                if let Err(e) = guard.check(&tag_path, kind.is_symlink) {
                    problems.push(e);
                    continue;
                }
                match read_tag(root, config, guard, ns, name, &tag, &tag_path) {
                    Ok(Some(t)) => tags.push(t),
                    Ok(None) => {}
                    Err(mut p) => problems.append(&mut p),
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Collection {
        namespace: ns.into(),
        name: name.into(),
        description,
        details,
        tags,
    })
}

fn read_readme(path: &Path, guard: &Guard) -> Result<(String, String)> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok((String::new(), String::new()));
    };
    guard
        .check(path, meta.file_type().is_symlink())
        .map_err(Error::input)?;
    let bytes = read_small(path, meta.len() as usize).at_path(path)?;
    let text = String::from_utf8(bytes).map_err(|_| Error::at(path, "is not valid UTF-8"))?;
    if !crate::frontmatter::has_yaml_header(text.as_bytes()) {
        return Ok((String::new(), text));
    }
    let split = crate::frontmatter::split(&text).ok_or_else(|| {
        Error::at_line(
            path,
            1,
            "front matter opened with `---` is never closed (add a `---` line after it)",
        )
    })?;
    let value: serde_norway::Value =
        serde_norway::from_str(split.yaml).map_err(|e| match e.location() {
            Some(loc) => Error::at_line(path, loc.line(), format!("malformed front matter: {e}")),
            None => Error::at(path, format!("malformed front matter: {e}")),
        })?;
    let description = match &value {
        serde_norway::Value::Null => String::new(),
        serde_norway::Value::Mapping(m) => match m.get("description") {
            None | Some(serde_norway::Value::Null) => String::new(),
            Some(serde_norway::Value::String(s)) => s.clone(),
            Some(serde_norway::Value::Number(n)) => n.to_string(),
            Some(serde_norway::Value::Bool(b)) => b.to_string(),
            Some(_) => {
                return Err(Error::at(
                    path,
                    "malformed front matter: `description` must be text",
                ));
            }
        },
        _ => {
            return Err(Error::at(
                path,
                "malformed front matter: it must be a mapping of `key: value` lines",
            ))
        }
    };
    Ok((description, split.body.to_string()))
}

fn read_tag(
    root: &Path,
    config: &Config,
    guard: &Guard,
    ns: &str,
    name: &str,
    tag: &str,
    tag_path: &Path,
) -> std::result::Result<Option<Tag>, Vec<String>> {
    let mut problems = Vec::new();
    let entries = sorted_entries(tag_path).map_err(|e| vec![e.to_string()])?;
    let recipes: Vec<&(String, Kind)> = entries
        .iter()
        .filter(|(n, _)| config.is_recipe(n))
        .collect();
    if recipes.len() > 1 {
        let list: Vec<String> = recipes
            .iter()
            .map(|(r, _)| tag_path.join(r).display().to_string())
            .collect();
        problems.push(format!(
            "{}: a tag folder holds one recipe, found {}: {} — keep one, or move the other to its own tag folder",
            tag_path.display(),
            recipes.len(),
            list.join(", ")
        ));
    }
    for (r, kind) in &recipes {
        if let Err(e) = guard.check(&tag_path.join(r), kind.is_symlink) {
            problems.push(e);
        }
    }
    let recipe = recipes
        .first()
        .map(|(r, _)| format!("{ns}/{name}/manifests/{tag}/{r}"));
    let record_path = tag_path.join("manifest.json");
    let mut record = None;
    if let Some((_, kind)) = entries.iter().find(|(n, _)| n == "manifest.json") {
        match guard
            .check(&record_path, kind.is_symlink)
            .map_err(Error::input)
            .and_then(|()| read_record(root, ns, name, &record_path))
        {
            Ok(r) => record = Some(r),
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if recipe.is_none() && record.is_none() {
        return Ok(None);
    }
    Ok(Some(Tag {
        tag: tag.into(),
        recipe,
        record,
    }))
}

fn read_record(root: &Path, ns: &str, name: &str, path: &Path) -> Result<Record> {
    let bytes = read_small(path, 4096).at_path(path)?;
    let record = Record::parse(path, bytes)?;
    let m = &record.manifest;
    for d in std::iter::once(&m.config).chain(m.layers.iter()) {
        if !d.urls.is_empty() || d.digest == EMPTY_CONFIG_DIGEST {
            continue;
        }
        // No `urls`: the site itself must serve the blob, and it must be what the record says.
        let blob = root.join(PagesStore::relative_path(ns, name, &d.digest));
        let meta = std::fs::metadata(&blob).map_err(|_| {
            Error::at(
                path,
                format!(
                    "names blob {} (no `urls`, so it must be in the site) but {} does not exist",
                    d.digest,
                    blob.display()
                ),
            )
        })?;
        if meta.len() != d.size {
            return Err(Error::at(
                path,
                format!(
                    "says blob {} has {} bytes but {} has {}",
                    d.digest,
                    d.size,
                    blob.display(),
                    meta.len()
                ),
            ));
        }
        let (hex, _) = sha256_file(&blob)?;
        if format!("sha256:{hex}") != d.digest {
            return Err(Error::at(
                path,
                format!(
                    "names blob {} but {} hashes to sha256:{hex}",
                    d.digest,
                    blob.display()
                ),
            ));
        }
    }
    Ok(record)
}
