//! `generate` and `generate --check`: build records + recipes → the generated site files.
//!
//! The files and their format are documented in `docs/generated-files.md` (the contract with
//! the layouts and the renderer). Every collection is read, checked and generated in memory
//! first, so bad input stops the run before any file is touched; a collection the local
//! stamp cache ([`cache`]) proves unchanged since the last run is not read at all. Writing skips
//! files whose bytes are unchanged (mtimes stay), and removes files this command generated
//! before (listed in `.registry-generated`) that it no longer produces; it never touches any
//! other file. `--check` writes nothing and prints a unified diff per drifting file.
//! Not for rendering the site (that is `render`).

pub mod cache;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, IoContext, Result};
use crate::record::{EMPTY_CONFIG, EMPTY_CONFIG_DIGEST};
use crate::registry::{Collection, InputLog, Location, Registry, Scanner};
use crate::stamp::Stamp;
use crate::storage::PagesStore;
use crate::yaml_out::string as q;

/// The list of generated paths, relative to the site root.
pub const LIST: &str = ".registry-generated";
/// Files written at most, for `generate` not to wait for their stamps to settle (see
/// `remember`).
const SMALL_WRITE: usize = 64;
const LIST_HEADER: &str = "# Files written by `static-registry generate` (it deletes them when no longer produced). Do not edit.\n";

/// `static-registry generate [--check]`
#[derive(clap::Args, Debug, Default)]
pub struct Args {
    /// Write nothing; print a unified diff of every generated file that would change, and
    /// exit 1 if any would.
    #[arg(long)]
    pub check: bool,
    /// Say how many collections were read and how many the local cache
    /// (`.registry-cache/`) proved unchanged since the last run.
    #[arg(short, long)]
    pub verbose: bool,
}

pub fn run(source: &Path, args: &Args) -> Result<()> {
    let taken = crate::stamp::now_ns();
    // Stamped before `_config.yml` is read, like every input (see `crate::stamp`).
    let key = cache::key(source, taken);
    let scanner = Scanner::new(source, Config::load(source)?)?;
    let last = key
        .as_deref()
        .map(|k| cache::Cache::load(source, k))
        .unwrap_or_default();
    let docs_dir = scanner.config().documents_dir();
    let docs_dir = docs_dir.to_string_lossy().replace('\\', "/");

    let locations = scanner.locate()?;
    let site_dir = crate::stamp::Dir::open(source).at_path(source)?;
    let scanned = locations
        .par_iter()
        .map(|loc| {
            let last = last.get(&loc.repository());
            scan(&scanner, &site_dir, loc, last, &docs_dir)
        })
        .collect();
    let collections = crate::registry::all_or_problems(scanned)?;
    if args.verbose {
        let read = collections
            .iter()
            .filter(|c| matches!(c, Scanned::Read(_)))
            .count();
        eprintln!(
            "generate: read {read} of {} collection(s); {} unchanged since the last run (from {}/)",
            collections.len(),
            collections.len() - read,
            cache::DIR
        );
    }
    for c in &collections {
        for tag in c.unpublishable() {
            let repo = c.repository();
            if let Some(why) = unpublishable_tag(tag) {
                eprintln!(
                    "warning: {repo}:{tag}: {why}, so GitHub Pages will not serve v2/{repo}/manifests/{tag} as is"
                );
            }
        }
    }
    let summaries: Vec<Summary> = collections.iter().map(Scanned::summary).collect();
    let globals: Vec<GeneratedFile> = global_files(&summaries)
        .into_iter()
        .map(|(path, bytes)| GeneratedFile::compare(source, path, bytes))
        .collect();
    let produced = || {
        let globals = globals.iter().map(|f| f.path.as_str());
        collections.iter().flat_map(Scanned::outputs).chain(globals)
    };
    // The list and the stale files follow from the set of generated paths: when the paths are
    // those of the last run and the list is the very file it left, neither can have changed.
    // (A symlinked list never matches: the saved stamp is of a plain file.)
    let paths_hash = cache::paths_hash(produced());
    let list_stamp = Stamp::of(&source.join(LIST)).ok().flatten();
    let proved =
        list_stamp.is_some_and(|stamp| last.list() == Some(cache::ListProof { paths_hash, stamp }));
    let (list, stale) = if proved {
        let list = GeneratedFile {
            path: LIST.into(),
            bytes: Vec::new(),
            same: true,
            stamp: list_stamp,
        };
        (list, Vec::new())
    } else {
        let mut all: Vec<&str> = produced().collect();
        all.par_sort_unstable();
        all.dedup();
        let list = GeneratedFile::compare(source, LIST.into(), list_file(&all));
        let stale = stale_paths(source, |p| all.binary_search(&p).is_ok())?;
        (list, stale)
    };
    let list_proof = list
        .stamp
        .filter(|s| list.same && s.settled_before(taken))
        .map(|stamp| cache::ListProof { paths_hash, stamp });

    let changed = collections
        .iter()
        .filter_map(Scanned::fresh_files)
        .flatten()
        .chain(&globals)
        .chain(std::iter::once(&list))
        .filter(|f| !f.same);
    if args.check {
        let drift = diffs(source, changed, &stale);
        return report_drift(drift);
    }

    // Write what differs (the list last: if the run dies before, the old list still names
    // every file), remove what is no longer produced, then remember what is now known.
    let changed: Vec<&GeneratedFile> = changed.collect();
    let writes: Vec<(PathBuf, &[u8])> = changed
        .iter()
        .filter(|f| f.path != LIST)
        .map(|f| (source.join(&f.path), f.bytes.as_slice()))
        .collect();
    crate::fsutil::write_all_atomic(&writes)?;
    for path in &stale {
        let full = source.join(path);
        match std::fs::remove_file(&full) {
            Ok(()) => remove_empty_parents(source, &full),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&full, e)),
        }
    }
    if let Some(list) = changed.iter().find(|f| f.path == LIST) {
        crate::fsutil::write_atomic(&source.join(LIST), &list.bytes)?;
    }
    match key {
        Some(key) => remember(source, &key, taken, &changed, &collections, list_proof),
        None => cache::clear(source),
    }
    Ok(())
}

/// One collection after the scan: proved unchanged by the cache, or read afresh.
enum Scanned<'a> {
    Unchanged(cache::Block<'a>, &'a Location),
    Read(Box<Fresh>),
}

struct Fresh {
    collection: Collection,
    inputs: Vec<(String, Option<Stamp>)>,
    blobs: Vec<(String, Stamp)>,
    /// Whether the input stamps prove the next run the collection unchanged.
    cacheable: bool,
    files: Vec<GeneratedFile>,
}

/// A generated file and how it compares with the disk.
struct GeneratedFile {
    path: String,
    bytes: Vec<u8>,
    /// The disk holds exactly the generated bytes (then `bytes` is left empty).
    same: bool,
    /// Stamp of the file on disk taken before it was compared (when `same`).
    stamp: Option<Stamp>,
}

impl GeneratedFile {
    fn compare(site: &Path, path: String, bytes: Vec<u8>) -> GeneratedFile {
        let full = site.join(&path);
        let stamp = Stamp::of(&full).ok().flatten();
        let same = stamp.is_some() && file_equals(&full, &bytes).unwrap_or(false);
        GeneratedFile {
            path,
            // Only files to write or diff need their bytes: a big first run holds less.
            bytes: if same { Vec::new() } else { bytes },
            same,
            stamp: stamp.filter(|_| same),
        }
    }
}

/// What the site-wide files need to know of a collection.
struct Summary<'a> {
    namespace: &'a str,
    repository: std::borrow::Cow<'a, str>,
    published: bool,
}

impl Scanned<'_> {
    fn repository(&self) -> String {
        match self {
            Scanned::Unchanged(_, loc) => loc.repository(),
            Scanned::Read(f) => f.collection.repository(),
        }
    }

    fn summary(&self) -> Summary<'_> {
        match self {
            Scanned::Unchanged(e, loc) => Summary {
                namespace: &loc.namespace,
                repository: loc.repository().into(),
                published: e.published,
            },
            Scanned::Read(f) => Summary {
                namespace: &f.collection.namespace,
                repository: f.collection.repository().into(),
                published: f.collection.tags.iter().any(|t| t.record.is_some()),
            },
        }
    }

    fn unpublishable(&self) -> Vec<&str> {
        match self {
            Scanned::Unchanged(e, _) => e.unpublishable().collect(),
            Scanned::Read(f) => record_tags(&f.collection)
                .filter(|t| unpublishable_tag(t).is_some())
                .collect(),
        }
    }

    fn outputs(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match self {
            Scanned::Unchanged(e, _) => Box::new(e.outputs()),
            Scanned::Read(f) => Box::new(f.files.iter().map(|f| f.path.as_str())),
        }
    }

    fn fresh_files(&self) -> Option<&[GeneratedFile]> {
        match self {
            Scanned::Unchanged(..) => None,
            Scanned::Read(f) => Some(&f.files),
        }
    }
}

fn record_tags(c: &Collection) -> impl Iterator<Item = &str> {
    c.tags
        .iter()
        .filter(|t| t.record.is_some())
        .map(|t| t.tag.as_str())
}

/// Proves `loc` unchanged with the cache entry of the last run, or reads it, generates its
/// files and compares them with the disk.
fn scan<'a>(
    scanner: &Scanner,
    site_dir: &crate::stamp::Dir,
    loc: &'a Location,
    last: Option<cache::Block<'a>>,
    docs_dir: &str,
) -> std::result::Result<Scanned<'a>, Vec<String>> {
    let site = scanner.root();
    if let Some(entry) = last {
        if !loc.through_symlink() && entry.unchanged(site_dir, loc.manifests_stamp()) {
            return Ok(Scanned::Unchanged(entry, loc));
        }
    }
    let verified = |path: &str, stamp: &Stamp| last.is_some_and(|e| e.verified_blob(path, stamp));
    let mut log = InputLog::on(&verified);
    let collection = scanner.read(loc, &mut log)?;
    let files = collection_files(&collection, docs_dir)
        .into_iter()
        .map(|(path, bytes)| GeneratedFile::compare(site, path, bytes))
        .collect();
    Ok(Scanned::Read(Box::new(Fresh {
        collection,
        cacheable: log.cacheable,
        inputs: log.entries,
        blobs: log.blobs,
        files,
    })))
}

/// Saves the cache: entries proved unchanged stay; collections read this run get an entry if
/// their stamps are evidence (see `crate::stamp`). Files written this run are stamped again
/// once their change has settled, and compared again after that stamp.
fn remember(
    site: &Path,
    key: &str,
    taken: i128,
    written: &[&GeneratedFile],
    collections: &[Scanned],
    list: Option<cache::ListProof>,
) {
    let written: std::collections::HashSet<&str> =
        written.iter().map(|f| f.path.as_str()).collect();
    // A file just written is evidence only once its stamp has settled. After a big write,
    // waiting for that saves the next run reading every collection again; after a small one
    // (an edit) it would cost more than reading those few collections next time.
    let settle = written.len() > SMALL_WRITE;
    if settle {
        std::thread::sleep(crate::stamp::SETTLE);
    }
    let after = crate::stamp::now_ns();
    let entries: Vec<Option<Cow<str>>> = collections
        .par_iter()
        .map(|c| match c {
            Scanned::Unchanged(e, _) => Some(Cow::Borrowed(e.text())),
            Scanned::Read(f) => entry_for(site, taken, after, &written, settle, f)?
                .render()
                .map(Cow::Owned),
        })
        .collect();
    cache::save(site, key, list, entries.into_iter().flatten());
}

fn entry_for(
    site: &Path,
    taken: i128,
    after: i128,
    written: &std::collections::HashSet<&str>,
    settled_written: bool,
    f: &Fresh,
) -> Option<cache::Entry> {
    let settled = |s: &Option<Stamp>, at: i128| s.as_ref().is_none_or(|s| s.settled_before(at));
    if !f.cacheable || !f.inputs.iter().all(|(_, s)| settled(s, taken)) {
        return None;
    }
    let mut outputs = Vec::with_capacity(f.files.len());
    for file in &f.files {
        let stamp = if written.contains(file.path.as_str()) {
            if !settled_written {
                return None;
            }
            let again = GeneratedFile::compare(site, file.path.clone(), file.bytes.clone());
            again.stamp.filter(|s| s.settled_before(after))?
        } else {
            file.stamp.filter(|s| s.settled_before(taken))?
        };
        outputs.push((file.path.clone(), stamp));
    }
    Some(cache::Entry {
        repository: f.collection.repository(),
        published: f.collection.tags.iter().any(|t| t.record.is_some()),
        unpublishable: record_tags(&f.collection)
            .filter(|t| unpublishable_tag(t).is_some())
            .map(str::to_string)
            .collect(),
        input_hash: cache::hash_stamps(f.inputs.iter().map(|(p, s)| (p.as_str(), s.as_ref()))),
        inputs: f.inputs.iter().map(|(p, _)| p.clone()).collect(),
        output_hash: cache::hash_stamps(outputs.iter().map(|(p, s)| (p.as_str(), Some(s)))),
        outputs: outputs.into_iter().map(|(p, _)| p).collect(),
        blobs: f.blobs.clone(),
    })
}

fn report_drift(drift: Vec<Drift>) -> Result<()> {
    if drift.is_empty() {
        return Ok(());
    }
    let mut out = String::new();
    for d in &drift {
        out.push_str(&d.diff);
    }
    print!("{out}");
    let mut names: Vec<&str> = drift.iter().take(10).map(|d| d.path.as_str()).collect();
    let more = format!("and {} more", drift.len().saturating_sub(10));
    if drift.len() > 10 {
        names.push(&more);
    }
    Err(Error::failed(format!(
        "{} generated file(s) out of date: {} — run `static-registry generate` and commit the result",
        drift.len(),
        names.join(", ")
    )))
}

/// Unified diffs of the files that differ and of the stale files, sorted by path.
fn diffs<'a>(
    site: &Path,
    changed: impl Iterator<Item = &'a GeneratedFile>,
    stale: &[String],
) -> Vec<Drift> {
    let mut drift: Vec<Drift> = changed
        .map(|f| {
            let have = crate::registry::read_small(&site.join(&f.path), f.bytes.len()).ok();
            Drift {
                path: f.path.clone(),
                diff: unified(&f.path, have.as_deref(), Some(&f.bytes)),
            }
        })
        .collect();
    for path in stale {
        if let Ok(have) = std::fs::read(site.join(path)) {
            let diff = unified(path, Some(&have), None);
            drift.push(Drift {
                path: path.clone(),
                diff,
            });
        }
    }
    drift.sort_by(|a, b| a.path.cmp(&b.path));
    drift
}

/// Why Jekyll would not copy `v2/…/manifests/<tag>` verbatim, if it would not: it skips names
/// starting with `_`, and jekyll-optional-front-matter turns Markdown files into pages.
pub fn unpublishable_tag(tag: &str) -> Option<&'static str> {
    if tag.starts_with('_') {
        return Some("Jekyll skips files whose names start with `_`");
    }
    let ext = tag.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if matches!(
        ext.as_deref(),
        Some("md" | "markdown" | "mkdown" | "mkdn" | "mkd")
    ) {
        return Some("Jekyll renders files with a Markdown extension into HTML pages");
    }
    None
}

/// Every generated file: site-relative path (with `/`) → bytes.
pub fn files(registry: &Registry) -> BTreeMap<String, Vec<u8>> {
    let docs_dir = registry.config.documents_dir();
    let docs_dir = docs_dir.to_string_lossy().replace('\\', "/");
    let per_collection: Vec<Vec<(String, Vec<u8>)>> = registry
        .collections
        .par_iter()
        .map(|c| collection_files(c, &docs_dir))
        .collect();
    let mut files: BTreeMap<String, Vec<u8>> = per_collection.into_iter().flatten().collect();
    let summaries: Vec<Summary> = registry
        .collections
        .iter()
        .map(|c| Summary {
            namespace: &c.namespace,
            repository: c.repository().into(),
            published: c.tags.iter().any(|t| t.record.is_some()),
        })
        .collect();
    files.extend(global_files(&summaries));
    let all: Vec<&str> = files.keys().map(String::as_str).collect();
    let list = list_file(&all);
    files.insert(LIST.into(), list);
    files
}

/// The site-wide files: the API root, the catalog, one page per namespace.
fn global_files(collections: &[Summary]) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![("v2/index.html".to_string(), b"{}".to_vec())];
    let mut catalog =
        String::from("---\nlayout: registry-catalog\npermalink: /v2/_catalog\nrepositories:");
    let published: Vec<&Summary> = collections.iter().filter(|c| c.published).collect();
    if published.is_empty() {
        catalog.push_str(" []");
    }
    catalog.push('\n');
    for c in published {
        let _ = writeln!(catalog, "  - {}", q(&c.repository));
    }
    catalog.push_str("---\n");
    files.push(("v2/catalog".into(), catalog.into_bytes()));

    // One page per namespace, /<ns>/ (layout registry-namespace lists its collections). The
    // stub lives under v2/ with the other generated stubs; its permalink places the page.
    let namespaces: BTreeSet<&str> = collections.iter().map(|c| c.namespace).collect();
    for ns in namespaces {
        files.push((
            format!("v2/{ns}/namespace.html"),
            format!(
                "---\nlayout: registry-namespace\ntitle: {}\nnamespace: {}\npermalink: /{ns}/\n---\n",
                q(ns),
                q(ns)
            )
            .into_bytes(),
        ));
    }
    files
}

/// `.registry-generated`: every other generated path, sorted.
fn list_file(paths: &[&str]) -> Vec<u8> {
    let mut list = String::with_capacity(paths.len() * 48);
    list.push_str(LIST_HEADER);
    for path in paths {
        list.push_str(path);
        list.push('\n');
    }
    list.into_bytes()
}

fn collection_files(c: &Collection, docs_dir: &str) -> Vec<(String, Vec<u8>)> {
    let repo = c.repository();
    let v2 = format!("v2/{repo}");
    let mut out = Vec::new();

    // The collection document.
    let mut d = String::with_capacity(1024);
    d.push_str("---\nlayout: registry-collection\n");
    let _ = writeln!(d, "title: {}", q(&repo));
    let _ = writeln!(d, "namespace: {}", q(&c.namespace));
    let _ = writeln!(d, "name: {}", q(&c.name));
    let _ = writeln!(d, "description: {}", q(&c.description));
    let updated = c
        .tags
        .iter()
        .filter_map(|t| t.record.as_ref()?.created())
        .filter_map(|s| chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| (t, s)))
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, s)| s)
        .unwrap_or("");
    let _ = writeln!(d, "updated: {}", q(updated));
    let images: Vec<_> = c
        .tags
        .iter()
        .filter_map(|t| Some((t, t.record.as_ref()?)))
        .collect();
    d.push_str(if images.is_empty() {
        "images: []\n"
    } else {
        "images:\n"
    });
    for (t, r) in &images {
        let layer = r.image();
        let url = match layer.urls.first() {
            Some(u) => u.clone(),
            None => format!(
                "/{}",
                PagesStore::relative_path(&c.namespace, &c.name, &layer.digest).display()
            ),
        };
        let _ = writeln!(d, "  - tag: {}", q(&t.tag));
        let _ = writeln!(d, "    digest: {}", q(&layer.digest));
        let _ = writeln!(d, "    manifest_digest: {}", q(&r.digest));
        let _ = writeln!(d, "    size: {}", layer.size);
        let _ = writeln!(d, "    media_type: {}", q(&layer.media_type));
        let _ = writeln!(d, "    created: {}", q(r.created().unwrap_or("")));
        let _ = writeln!(d, "    recipe: {}", q(t.recipe.as_deref().unwrap_or("")));
        let _ = writeln!(d, "    url: {}", q(&url));
    }
    let pending: Vec<_> = c.tags.iter().filter(|t| t.record.is_none()).collect();
    d.push_str(if pending.is_empty() {
        "pending: []\n"
    } else {
        "pending:\n"
    });
    for t in &pending {
        let _ = writeln!(d, "  - tag: {}", q(&t.tag));
        let _ = writeln!(d, "    recipe: {}", q(t.recipe.as_deref().unwrap_or("")));
    }
    let _ = writeln!(d, "details: {}", q(&c.details));
    d.push_str("---\n");
    out.push((format!("{docs_dir}/{repo}.md"), d.into_bytes()));

    if images.is_empty() {
        return out;
    }
    // The API: tags list, manifests by tag and by digest, the SIF config blob.
    let mut list = format!(
        "---\nlayout: registry-tags-list\npermalink: /{v2}/tags/list\nrepository: {}\ntags:\n",
        q(&repo)
    );
    for (t, _) in &images {
        let _ = writeln!(list, "  - {}", q(&t.tag));
    }
    list.push_str("---\n");
    out.push((format!("{v2}/tags/list"), list.into_bytes()));
    let mut needs_empty_config = false;
    for (t, r) in &images {
        out.push((format!("{v2}/manifests/{}", t.tag), r.bytes.clone()));
        out.push((format!("{v2}/manifests/{}", r.digest), r.bytes.clone()));
        needs_empty_config |= r.manifest.config.digest == EMPTY_CONFIG_DIGEST;
    }
    if needs_empty_config {
        out.push((
            format!("{v2}/blobs/{EMPTY_CONFIG_DIGEST}"),
            EMPTY_CONFIG.to_vec(),
        ));
    }
    out
}

/// One generated file that differs from what is on disk.
pub struct Drift {
    pub path: String,
    /// A unified diff (`--- a/PATH`, `+++ b/PATH`).
    pub diff: String,
}

/// Compares a whole set of generated files (from [`files`]) with the disk, in parallel;
/// writes nothing. `generate --check` does the same work collection by collection.
pub fn check(source: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<Drift>> {
    let stale = stale_paths(source, |p| files.contains_key(p))?;
    let compared: Vec<GeneratedFile> = files
        .par_iter()
        .map(|(path, bytes)| GeneratedFile::compare(source, path.clone(), bytes.clone()))
        .collect();
    Ok(diffs(source, compared.iter().filter(|f| !f.same), &stale))
}

/// Whether the file holds exactly `want`, in three system calls for a small file (open, one
/// read, close). A regular file returns everything up to end-of-file in one read, so a read
/// shorter than asked for is taken as end-of-file; if a file system ever returned less, the
/// caller would see "differs" (or, at exactly `want.len()` bytes, a false "equal").
fn file_equals(path: &Path, want: &[u8]) -> std::io::Result<bool> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; want.len() + 1];
    let mut n = 0;
    loop {
        let asked = buf.len() - n;
        let k = match f.read(&mut buf[n..]) {
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        n += k;
        if n == buf.len() {
            return Ok(false); // longer than `want`
        }
        if k == 0 || k < asked {
            return Ok(&buf[..n] == want);
        }
    }
}

/// Paths listed as generated last time and not produced now.
fn stale_paths(source: &Path, produced: impl Fn(&str) -> bool) -> Result<Vec<String>> {
    let list_path = source.join(LIST);
    let text = match std::fs::read(&list_path) {
        Ok(bytes) => {
            String::from_utf8(bytes).map_err(|_| Error::at(&list_path, "is not valid UTF-8"))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(Error::io(&list_path, e)),
    };
    let mut stale = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') || produced(line) {
            continue;
        }
        if !removable(line) {
            return Err(Error::at_line(
                &list_path,
                i + 1,
                format!("{line:?} is not a path `generate` writes (it only owns files under v2/ and `_`-folders); fix or delete this list"),
            ));
        }
        stale.push(line.to_string());
    }
    Ok(stale)
}

/// A listed path may be deleted only if it stays inside the site and lies where generated
/// files live (`v2/…` or a `_collection` folder), so a corrupted list cannot delete user files.
fn removable(path: &str) -> bool {
    let p = Path::new(path);
    if !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return false;
    }
    let in_v2 = path.starts_with("v2/");
    let in_docs = p
        .components()
        .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('_')));
    if !(in_v2 || in_docs) {
        return false;
    }
    // Never the user's data: records, and image blobs stored by `add` (only the `{}` config
    // blob is generated).
    if path.ends_with("/manifest.json")
        || (path.contains("/blobs/") && !path.ends_with(EMPTY_CONFIG_DIGEST))
    {
        return false;
    }
    true
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir: Option<PathBuf> = file.parent().map(Path::to_path_buf);
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(&d).is_err() {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
}

fn unified(path: &str, old: Option<&[u8]>, new: Option<&[u8]>) -> String {
    let old_text = old.map(String::from_utf8_lossy).unwrap_or_default();
    let new_text = new.map(String::from_utf8_lossy).unwrap_or_default();
    let a = if old.is_some() {
        format!("a/{path}")
    } else {
        "/dev/null".into()
    };
    let b = if new.is_some() {
        format!("b/{path}")
    } else {
        "/dev/null".into()
    };
    let diff = similar::TextDiff::from_lines(old_text.as_ref(), new_text.as_ref());
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&a, &b)
        .to_string();
    if out.is_empty() {
        // Same text, different bytes (e.g. invalid UTF-8): still say which file.
        out = format!("--- {a}\n+++ {b}\n(binary difference)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_generated_places_are_removable() {
        for ok in [
            "v2/a/b/manifests/1.0",
            "v2/a/b/tags/list",
            "_containers/a/b.md",
            "c/_containers/a/b.md",
            &format!("v2/a/b/blobs/{EMPTY_CONFIG_DIGEST}"),
        ] {
            assert!(removable(ok), "{ok}");
        }
        let blob = format!("v2/a/b/blobs/sha256:{}", "1".repeat(64));
        for bad in [
            "README.md",
            "a/b/manifests/1/manifest.json",
            "v2/../README.md",
            "/etc/passwd",
            "a/b/c",
            &blob,
            "v2/a/b/manifests/1/manifest.json",
        ] {
            assert!(!removable(bad), "{bad}");
        }
    }

    #[test]
    fn diffs_name_the_file() {
        let d = unified("v2/x", Some(b"a\nb\n"), Some(b"a\nc\n"));
        assert!(d.starts_with("--- a/v2/x\n+++ b/v2/x\n"), "{d}");
        assert!(d.contains("-b\n+c\n"));
        assert!(unified("v2/x", None, Some(b"n\n")).starts_with("--- /dev/null\n+++ b/v2/x\n"));
        assert!(unified("v2/x", Some(b"o\n"), None).starts_with("--- a/v2/x\n+++ /dev/null\n"));
        assert!(unified("v2/x", Some(b"\xff"), Some(b"\xfe")).contains("binary difference"));
    }

    #[test]
    fn tags_pages_cannot_serve() {
        assert!(unpublishable_tag("_x").is_some());
        assert!(unpublishable_tag("1.md").is_some());
        assert!(unpublishable_tag("1.10").is_none());
        assert!(unpublishable_tag("latest").is_none());
    }
}
