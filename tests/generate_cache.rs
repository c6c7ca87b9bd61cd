//! `generate`'s local cache (`.registry-cache/`): unchanged collections are proved unchanged by
//! file stamps and not read again, and every kind of change is still seen — including edits
//! that keep a file's size and mtime, which only the ctime and inode reveal.

use crate::common;

use std::time::Duration;

use common::*;
use predicates::str::contains;

/// Longer than the time a change needs before a stamp of it counts as evidence
/// (`stamp::SETTLE`), so the next run may trust it.
fn settle() {
    std::thread::sleep(Duration::from_millis(80));
}

/// Two collections with records (blobs stored in the site), settled and generated three
/// times so that the cache knows both: a run that writes only a few files does not wait for
/// their stamps to settle, so the run after reads those collections once more.
fn cached_site() -> Site {
    let site = Site::new();
    let a = make_sif(site.root(), "a");
    let b = make_sif(site.root(), "b");
    site.write(
        "bio/blast/README.md",
        "---\ndescription: BLAST\n---\n# BLAST\n",
    );
    site.recipe("bio/blast", "1.0");
    site.recipe("chem/rdkit", "2.0");
    site.add("bio/blast:1.0", &a);
    site.add("chem/rdkit:2.0", &b);
    settle();
    site.generate();
    settle();
    verbose(&site, &["generate"], "read 2 of 2 collection(s)");
    verbose(&site, &["generate"], "read 0 of 2 collection(s)");
    site
}

/// Runs `static-registry ARGS -v` and asserts the cache summary line.
fn verbose(site: &Site, args: &[&str], summary: &str) -> assert_cmd::assert::Assert {
    site.cmd()
        .args(args)
        .arg("-v")
        .assert()
        .stderr(contains(summary))
}

/// Rewrites a file in place with other bytes of the same size and puts its mtime back, so
/// only ctime tells the change.
fn sneaky_rewrite(site: &Site, rel: &str, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let path = site.path(rel);
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = String::from_utf8(site.read(rel)).unwrap();
    assert!(text.contains(from), "{rel} holds {from:?}");
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    use std::io::Write;
    (&f).write_all(text.replacen(from, to, 1).as_bytes())
        .unwrap();
    f.set_modified(mtime).unwrap();
    drop(f);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
}

/// `generate --check` on the site.
fn check(site: &Site) -> assert_cmd::assert::Assert {
    site.cmd().args(["generate", "--check"]).assert()
}

fn set_mtime(path: &std::path::Path, mtime: std::time::SystemTime) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(mtime).unwrap();
}

#[test]
fn an_unchanged_site_is_proved_from_stamps_and_the_cache_is_never_committed() {
    let site = cached_site();
    verbose(
        &site,
        &["generate", "--check"],
        "read 0 of 2 collection(s); 2 unchanged",
    )
    .code(0)
    .stdout("");
    let ignore = String::from_utf8(site.read(".registry-cache/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    let listed = String::from_utf8(site.read(".registry-generated")).unwrap();
    assert!(
        !listed.contains(".registry-cache"),
        "the cache is not a generated site file"
    );
}

#[test]
fn check_writes_no_cache_either() {
    let site = Site::new();
    site.recipe("bio/blast", "1.0");
    check(&site).code(1);
    assert!(!site.path(".registry-cache").exists());
}

#[test]
fn readme_edit_keeping_size_and_mtime_is_seen() {
    let site = cached_site();
    sneaky_rewrite(&site, "bio/blast/README.md", "BLAST\n---", "BLASX\n---");
    verbose(&site, &["generate", "--check"], "read 1 of 2 collection(s)")
        .code(1)
        .stdout(contains("+description: \"BLASX\""));
    let rdkit = site.snapshot();
    verbose(&site, &["generate"], "read 1 of 2 collection(s)").success();
    check(&site).code(0);
    // Only what changed was rewritten.
    for (path, entry) in rdkit.iter().filter(|(p, _)| p.contains("rdkit")) {
        assert_eq!(
            Some(entry),
            site.snapshot().get(path),
            "{path} must be untouched"
        );
    }
}

#[test]
fn hand_edited_or_deleted_generated_files_are_drift() {
    let site = cached_site();
    sneaky_rewrite(&site, "_containers/chem/rdkit.md", "rdkit", "rdkiX");
    verbose(&site, &["generate", "--check"], "read 1 of 2 collection(s)")
        .code(1)
        .stdout(contains("--- a/_containers/chem/rdkit.md"));
    site.generate();
    settle();
    // The repaired collection is read once more (its files were just written), then cached.
    verbose(&site, &["generate"], "read 1 of 2").success();
    verbose(&site, &["generate", "--check"], "read 0 of 2").code(0);

    std::fs::remove_file(site.path("v2/bio/blast/tags/list")).unwrap();
    check(&site)
        .code(1)
        .stdout(contains("+++ b/v2/bio/blast/tags/list"));
}

#[test]
fn a_hand_edited_list_of_generated_files_is_drift_though_the_paths_are_unchanged() {
    let site = cached_site();
    // Same size, same mtime: only the list's ctime tells.
    sneaky_rewrite(
        &site,
        ".registry-generated",
        "v2/bio/blast/tags/list",
        "v2/bio/blast/tags/lisX",
    );
    check(&site)
        .code(1)
        .stdout(contains("--- a/.registry-generated"))
        .stdout(contains("+v2/bio/blast/tags/list"));
    site.generate();
    check(&site).code(0);
    let listed = String::from_utf8(site.read(".registry-generated")).unwrap();
    assert!(
        listed.lines().any(|l| l == "v2/bio/blast/tags/list"),
        "{listed}"
    );
}

#[test]
fn new_tags_renamed_recipes_and_replaced_records_are_seen() {
    let site = cached_site();
    site.recipe("bio/blast", "2.0-pending");
    check(&site)
        .code(1)
        .stdout(contains("+  - tag: \"2.0-pending\""));
    site.generate();
    settle();

    std::fs::rename(
        site.path("chem/rdkit/manifests/2.0/Singularity"),
        site.path("chem/rdkit/manifests/2.0/Dockerfile"),
    )
    .unwrap();
    check(&site)
        .code(1)
        .stdout(contains("manifests/2.0/Dockerfile"));
    site.generate();
    settle();

    // A record replaced by rename (new inode), with the old mtime and the same size.
    let rel = "chem/rdkit/manifests/2.0/manifest.json";
    let path = site.path(rel);
    let old = String::from_utf8(site.read(rel)).unwrap();
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let new = old.replacen("2024-05-01T12:00:00Z", "2024-05-02T12:00:00Z", 1);
    assert_ne!(old, new);
    let tmp = site.path("chem/rdkit/manifests/2.0/.tmp");
    std::fs::write(&tmp, &new).unwrap();
    set_mtime(&tmp, mtime);
    std::fs::rename(&tmp, &path).unwrap();
    check(&site)
        .code(1)
        .stdout(contains("2024-05-02T12:00:00Z"));
}

#[test]
fn a_swapped_blob_is_hashed_again_and_refused() {
    let site = cached_site();
    let blobs = site.path("v2/chem/rdkit/blobs");
    let blob = std::fs::read_dir(&blobs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| !p.to_string_lossy().ends_with("caaff8a"))
        .expect("the image blob");
    let mut bytes = std::fs::read(&blob).unwrap();
    let mtime = std::fs::metadata(&blob).unwrap().modified().unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&blob, &bytes).unwrap();
    set_mtime(&blob, mtime);
    check(&site).code(2).stderr(contains("hashes to sha256:"));
}

#[test]
fn a_torn_or_foreign_cache_is_ignored_and_replaced() {
    let site = cached_site();
    let cache = site.path(".registry-cache/generate");
    let text = site.read(".registry-cache/generate");
    std::fs::write(&cache, &text[..text.len() / 2]).unwrap();
    verbose(&site, &["generate", "--check"], "read 2 of 2").code(0);
    std::fs::write(&cache, b"something else entirely\n").unwrap();
    verbose(&site, &["generate"], "read 2 of 2").success();
    verbose(&site, &["generate", "--check"], "read 0 of 2").code(0);
}

#[test]
fn a_config_change_invalidates_the_cache() {
    let site = cached_site();
    let cfg = String::from_utf8(site.read("_config.yml")).unwrap();
    site.write("_config.yml", format!("{cfg}\n# edited\n"));
    settle();
    verbose(&site, &["generate", "--check"], "read 2 of 2").code(0);
    // A config changed a moment ago is not evidence yet: no cache is used or kept.
    site.write("_config.yml", format!("{cfg}\n# edited again\n"));
    verbose(&site, &["generate"], "read 2 of 2").success();
    settle();
    site.generate();
    verbose(&site, &["generate"], "read 0 of 2").success();
}
