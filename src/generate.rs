//! `generate` and `generate --check`: build records + recipes → the generated site files.
//!
//! The files and their format are documented in `docs/generated-files.md` (the contract with
//! the layouts and the renderer). Everything is computed in memory from a validated
//! [`Registry`] first, so bad input stops the run before any file is touched. Writing skips
//! files whose bytes are unchanged (mtimes stay), and removes files this command generated
//! before (listed in `.registry-generated`) that it no longer produces; it never touches any
//! other file. `--check` writes nothing and prints a unified diff per drifting file.
//! Not for rendering the site (that is `render`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::record::{EMPTY_CONFIG, EMPTY_CONFIG_DIGEST};
use crate::registry::{Collection, Registry};
use crate::storage::PagesStore;
use crate::yaml_out::string as q;

/// The list of generated paths, relative to the site root.
pub const LIST: &str = ".registry-generated";
const LIST_HEADER: &str = "# Files written by `static-registry generate` (it deletes them when no longer produced). Do not edit.\n";

/// `static-registry generate [--check]`
#[derive(clap::Args, Debug, Default)]
pub struct Args {
    /// Write nothing; print a unified diff of every generated file that would change, and
    /// exit 1 if any would.
    #[arg(long)]
    pub check: bool,
}

pub fn run(source: &Path, args: &Args) -> Result<()> {
    let registry = Registry::scan(source)?;
    let files = files(&registry);
    for c in &registry.collections {
        for t in c.tags.iter().filter(|t| t.record.is_some()) {
            if let Some(why) = unpublishable_tag(&t.tag) {
                eprintln!(
                    "warning: {}/{}:{}: {why}, so GitHub Pages will not serve v2/{}/{}/manifests/{} as is",
                    c.namespace, c.name, t.tag, c.namespace, c.name, t.tag
                );
            }
        }
    }
    if args.check {
        let drift = check(source, &files)?;
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
        return Err(Error::failed(format!(
            "{} generated file(s) out of date: {} — run `static-registry generate` and commit the result",
            drift.len(),
            names.join(", ")
        )));
    }
    write(source, &files)
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

    files.insert("v2/index.html".into(), b"{}".to_vec());
    let mut catalog =
        String::from("---\nlayout: registry-catalog\npermalink: /v2/_catalog\nrepositories:");
    let published: Vec<&Collection> = registry
        .collections
        .iter()
        .filter(|c| c.tags.iter().any(|t| t.record.is_some()))
        .collect();
    if published.is_empty() {
        catalog.push_str(" []");
    }
    catalog.push('\n');
    for c in published {
        let _ = writeln!(catalog, "  - {}", q(&c.repository()));
    }
    catalog.push_str("---\n");
    files.insert("v2/catalog".into(), catalog.into_bytes());

    // One page per namespace, /<ns>/ (layout registry-namespace lists its collections). The
    // stub lives under v2/ with the other generated stubs; its permalink places the page.
    let namespaces: std::collections::BTreeSet<&str> = registry
        .collections
        .iter()
        .map(|c| c.namespace.as_str())
        .collect();
    for ns in namespaces {
        files.insert(
            format!("v2/{ns}/namespace.html"),
            format!(
                "---\nlayout: registry-namespace\ntitle: {}\nnamespace: {}\npermalink: /{ns}/\n---\n",
                q(ns),
                q(ns)
            )
            .into_bytes(),
        );
    }

    let mut list = String::from(LIST_HEADER);
    for path in files.keys() {
        list.push_str(path);
        list.push('\n');
    }
    files.insert(LIST.into(), list.into_bytes());
    files
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

/// Compares the generated files with the disk, in parallel; writes nothing.
pub fn check(source: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<Drift>> {
    let stale = stale_paths(source, files)?;
    let mut drift: Vec<Drift> = files
        .par_iter()
        .filter_map(|(path, want)| {
            let full = source.join(path);
            if file_equals(&full, want).unwrap_or(false) {
                return None;
            }
            match crate::registry::read_small(&full, want.len()) {
                Ok(have) if &have == want => None,
                Ok(have) => Some(Drift {
                    path: path.clone(),
                    diff: unified(path, Some(&have), Some(want)),
                }),
                Err(_) => Some(Drift {
                    path: path.clone(),
                    diff: unified(path, None, Some(want)),
                }),
            }
        })
        .collect();
    for path in stale {
        if let Ok(have) = std::fs::read(source.join(&path)) {
            let diff = unified(&path, Some(&have), None);
            drift.push(Drift { path, diff });
        }
    }
    drift.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(drift)
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
fn stale_paths(source: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<String>> {
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
        if line.is_empty() || line.starts_with('#') || files.contains_key(line) {
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

fn write(source: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    // Compare first (cheap reads, in parallel), then write only what differs: an unchanged
    // tree costs what `--check` costs, and mtimes stay.
    let drift = check(source, files)?;
    let stale = stale_paths(source, files)?;
    drift
        .par_iter()
        .filter(|d| d.path != LIST)
        .filter_map(|d| files.get(&d.path).map(|bytes| (&d.path, bytes)))
        .try_for_each(|(path, bytes)| crate::fsutil::write_atomic(&source.join(path), bytes))?;
    for path in &stale {
        let full = source.join(path);
        match std::fs::remove_file(&full) {
            Ok(()) => remove_empty_parents(source, &full),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&full, e)),
        }
    }
    // The list goes last: if the run dies before, the old list still names every file.
    crate::fsutil::write_atomic(&source.join(LIST), &files[LIST])
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
