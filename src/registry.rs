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
use crate::stamp::Stamp;
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
        let scanner = Scanner::new(root, config)?;
        let locations = scanner.locate()?;
        let results = locations
            .par_iter()
            .map(|loc| scanner.read(loc, &mut InputLog::off()))
            .collect();
        let collections = all_or_problems(results)?;
        Ok(scanner.into_registry(collections))
    }

    pub fn find(&self, namespace: &str, name: &str) -> Option<&Collection> {
        self.collections
            .iter()
            .find(|c| c.namespace == namespace && c.name == name)
    }
}

/// Every result, or an error listing every problem found (sorted and deduplicated, so output
/// is deterministic).
pub fn all_or_problems<T>(results: Vec<std::result::Result<T, Vec<String>>>) -> Result<Vec<T>> {
    let mut problems = Vec::new();
    let mut ok = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        return Ok(ok);
    }
    problems.sort();
    problems.dedup();
    Err(Error::input(problems.join("\n")))
}

/// Reads a site one collection at a time: [`Scanner::locate`] finds the collection folders
/// (cheap: folder listings), [`Scanner::read`] reads and checks one. `Registry::scan` reads
/// them all; `generate` skips the ones its cache proves unchanged.
pub struct Scanner {
    root: PathBuf,
    real_root: PathBuf,
    config: Config,
}

/// A collection folder found by [`Scanner::locate`], not read yet.
#[derive(Debug)]
pub struct Location {
    pub namespace: String,
    pub name: String,
    path: PathBuf,
    links: Links,
    /// The stamp of `manifests/` taken when locating it, and its site-relative path.
    manifests: Stamp,
    manifests_rel: String,
}

impl Location {
    /// The site-relative path of `manifests/` and its stamp, taken when it was located.
    pub fn manifests_stamp(&self) -> (&str, Stamp) {
        (&self.manifests_rel, self.manifests)
    }

    /// `<namespace>/<name>`.
    pub fn repository(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Whether a folder on the way to the collection is a symlink (stamps of the link would
    /// not show changes behind it).
    pub fn through_symlink(&self) -> bool {
        self.links.ns || self.links.name || self.links.manifests
    }
}

impl Scanner {
    pub fn new(root: &Path, config: Config) -> Result<Scanner> {
        let real_root = root.canonicalize().at_path(root)?;
        Ok(Scanner {
            root: root.to_path_buf(),
            real_root,
            config,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn into_registry(self, collections: Vec<Collection>) -> Registry {
        Registry {
            root: self.root,
            config: self.config,
            collections,
        }
    }

    /// Every collection folder (`<ns>/<name>/` holding `manifests/`), sorted.
    pub fn locate(&self) -> Result<Vec<Location>> {
        let root = &self.root;
        let namespaces: Vec<(String, Kind)> = sorted_entries(root)?
            .into_iter()
            .filter(|(ns, kind)| {
                kind.is_dir
                    && !ns.starts_with('_')
                    && !ns.starts_with('.')
                    && !NOT_NAMESPACES.contains(&ns.as_str())
            })
            .collect();
        // One namespace per task: listing folders and one lstat per entry is all the work.
        let per_namespace: Vec<Vec<Location>> = namespaces
            .par_iter()
            .map(|(ns, kind)| locate_in(root, ns, *kind))
            .collect();
        Ok(per_namespace.into_iter().flatten().collect())
    }

    /// Reads and checks one collection; `inputs` records what was read (see [`InputLog`]).
    pub fn read(
        &self,
        loc: &Location,
        inputs: &mut InputLog,
    ) -> std::result::Result<Collection, Vec<String>> {
        let ctx = Ctx {
            root: &self.root,
            config: &self.config,
            guard: Guard {
                real_root: &self.real_root,
            },
        };
        inputs.root = Some(self.root.clone());
        if loc.through_symlink() {
            inputs.cacheable = false;
        }
        // Stamped when located, before its listing is read. The collection folder itself
        // needs no stamp: `README.md` is stamped (absent or not) and `manifests/` is.
        inputs.note(&loc.path.join("manifests"), Some(loc.manifests));
        read_collection(
            &ctx,
            &loc.namespace,
            &loc.name,
            &loc.path,
            loc.links,
            inputs,
        )
    }
}

/// The collections of one namespace folder, sorted.
fn locate_in(root: &Path, ns: &str, kind: Kind) -> Vec<Location> {
    let ns_path = root.join(ns);
    let Ok(names) = sorted_entries(&ns_path) else {
        return vec![];
    };
    let mut found = Vec::new();
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
            found.push(Location {
                manifests: Stamp::from_metadata(&meta),
                manifests_rel: format!("{ns}/{name}/manifests"),
                namespace: ns.to_string(),
                name,
                path: coll_path,
                links: Links {
                    ns: kind.is_symlink,
                    name: name_kind.is_symlink,
                    manifests: manifests_link,
                },
            });
        }
    }
    found
}

/// Which files and folders reading a collection looked at, each stamped *before* it was read
/// (so a change during the read shows next time), in the order they were read; `generate`'s
/// cache keeps this list to tell later whether the collection changed. Off (no extra system
/// calls) for every other command.
#[derive(Default)]
pub struct InputLog<'a> {
    on: bool,
    root: Option<PathBuf>,
    /// Site-relative path (with `/`) and its stamp, `None` when absent.
    pub entries: Vec<(String, Option<Stamp>)>,
    /// Blobs in the site whose digest was checked, with their stamps.
    pub blobs: Vec<(String, Stamp)>,
    /// False when a stamp cannot prove the collection unchanged (a symlink on the way, a
    /// failed `lstat`).
    pub cacheable: bool,
    /// Blobs already verified with this exact stamp (by an earlier run): not hashed again.
    verified: Option<&'a BlobCheck<'a>>,
}

/// Whether the blob at a site-relative path was already verified with this stamp.
pub type BlobCheck<'a> = dyn Fn(&str, &Stamp) -> bool + Sync + 'a;

impl<'a> InputLog<'a> {
    /// Records nothing.
    pub fn off() -> InputLog<'a> {
        InputLog::default()
    }

    /// Records stamps; `verified` says whether a blob with this stamp was already hashed.
    pub fn on(verified: &'a BlobCheck<'a>) -> InputLog<'a> {
        InputLog {
            on: true,
            cacheable: true,
            verified: Some(verified),
            ..InputLog::default()
        }
    }

    fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(self.root.as_ref()?).ok()?;
        Some(rel.to_str()?.replace('\\', "/"))
    }

    /// Stamps `path` (before it is read).
    fn stat(&mut self, path: &Path) {
        if !self.on {
            return;
        }
        match Stamp::of(path) {
            Ok(stamp) => self.note(path, stamp),
            Err(_) => self.cacheable = false,
        }
    }

    /// Records a stamp already taken with `symlink_metadata`.
    fn note(&mut self, path: &Path, stamp: Option<Stamp>) {
        if !self.on {
            return;
        }
        if stamp.is_some_and(|s| s.is_symlink) {
            self.cacheable = false;
        }
        match self.relative(path) {
            Some(rel) => self.entries.push((rel, stamp)),
            None => self.cacheable = false,
        }
    }

    /// Whether the blob at `path` must be hashed; records its stamp.
    fn blob_needs_hash(&mut self, path: &Path) -> bool {
        if !self.on {
            return true;
        }
        let (Ok(Some(stamp)), Some(rel)) = (Stamp::of(path), self.relative(path)) else {
            self.cacheable = false;
            return true;
        };
        if stamp.is_symlink {
            self.cacheable = false;
            return true;
        }
        let known = self.verified.is_some_and(|v| v(&rel, &stamp));
        self.entries.push((rel.clone(), Some(stamp)));
        self.blobs.push((rel, stamp));
        !known
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

/// What every read of one site shares.
struct Ctx<'a> {
    root: &'a Path,
    config: &'a Config,
    guard: Guard<'a>,
}

fn read_collection(
    ctx: &Ctx,
    ns: &str,
    name: &str,
    path: &Path,
    links: Links,
    inputs: &mut InputLog,
) -> std::result::Result<Collection, Vec<String>> {
    let (root, guard) = (ctx.root, &ctx.guard);
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

    let (description, details) = match read_readme(&path.join("README.md"), guard, inputs) {
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
                match read_tag(ctx, ns, name, &tag, &tag_path, inputs) {
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

fn read_readme(path: &Path, guard: &Guard, inputs: &mut InputLog) -> Result<(String, String)> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        inputs.stat(path);
        return Ok((String::new(), String::new()));
    };
    inputs.stat(path);
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
    ctx: &Ctx,
    ns: &str,
    name: &str,
    tag: &str,
    tag_path: &Path,
    inputs: &mut InputLog,
) -> std::result::Result<Option<Tag>, Vec<String>> {
    let (root, config, guard) = (ctx.root, ctx.config, &ctx.guard);
    let mut problems = Vec::new();
    inputs.stat(tag_path);
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
            .and_then(|()| read_record(root, ns, name, &record_path, inputs))
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

fn read_record(
    root: &Path,
    ns: &str,
    name: &str,
    path: &Path,
    inputs: &mut InputLog,
) -> Result<Record> {
    inputs.stat(path);
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
        if !inputs.blob_needs_hash(&blob) {
            continue;
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
