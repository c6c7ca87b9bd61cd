//! Bad input found while scanning the site: each case exits 2 with a message naming the path,
//! and leaves every file as it was (the tree is snapshotted before and after, mtimes included).
//!
//! The suite runs as root, for whom `chmod 000` does not make a file unreadable; "unreadable"
//! is made real instead with a directory where a file is expected (read fails with EISDIR) and
//! with bytes that are not UTF-8.

use crate::common;

use common::*;
use predicates::str::contains;

/// A generated site with one good collection, so there are generated files that could change.
fn base() -> Site {
    let site = Site::new();
    let image = make_sif(site.root(), "base");
    site.write("bio/good/README.md", "---\ndescription: fine\n---\nbody\n");
    site.recipe("bio/good", "1.0");
    site.add("bio/good:1.0", &image);
    site.generate();
    site
}

/// Runs `generate` and `generate --check`: both exit 2 naming `needle`, nothing changes.
fn assert_refused(site: &Site, needles: &[&str]) {
    let before = site.snapshot();
    for check in [false, true] {
        let mut cmd = site.cmd();
        cmd.arg("generate");
        if check {
            cmd.arg("--check");
        }
        let mut a = cmd.assert().code(2).stdout("");
        for n in needles {
            a = a.stderr(contains(*n));
        }
    }
    assert_eq!(
        before,
        site.snapshot(),
        "a refused run must not change any file"
    );
}

#[test]
fn invalid_namespace() {
    let site = base();
    site.recipe("Bio/x", "1");
    assert_refused(&site, &["Bio", "invalid namespace \"Bio\""]);
}

#[test]
fn invalid_name() {
    let site = base();
    site.recipe("bio/x--y_", "1");
    assert_refused(&site, &["bio/x--y_", "invalid name"]);
}

#[test]
fn invalid_tag() {
    let site = base();
    site.recipe("bio/x", "-1");
    assert_refused(&site, &["bio/x/manifests/-1", "invalid tag \"-1\""]);
}

#[test]
fn symlink_leaving_the_site() {
    let site = base();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("Singularity"), "Bootstrap: scratch\n").unwrap();
    std::fs::create_dir_all(site.path("bio/x/manifests/1")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("Singularity"),
        site.path("bio/x/manifests/1/Singularity"),
    )
    .unwrap();
    assert_refused(
        &site,
        &["bio/x/manifests/1/Singularity", "outside the site"],
    );
}

#[test]
fn symlinked_collection_folder_leaving_the_site() {
    let site = base();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("manifests/1")).unwrap();
    std::fs::write(outside.path().join("manifests/1/Singularity"), "x").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("bio/away")).unwrap();
    assert_refused(&site, &["bio/away", "outside the site"]);
}

#[test]
fn dotdot_in_a_reference() {
    let site = base();
    let before = site.snapshot();
    site.cmd()
        .args([
            "add",
            "bio/../../etc:1",
            "--digest",
            &format!("sha256:{}", "0".repeat(64)),
            "--size",
            "1",
            "--url",
            "https://h/x",
        ])
        .assert()
        .code(2)
        .stderr(contains("invalid reference \"bio/../../etc:1\""));
    assert_eq!(before, site.snapshot());
}

#[test]
fn malformed_front_matter() {
    let site = base();
    site.write(
        "bio/good/README.md",
        "---\ndescription: fine\ntags: [unclosed\n---\nbody\n",
    );
    assert_refused(&site, &["bio/good/README.md:", "malformed front matter"]);
}

#[test]
fn unclosed_front_matter() {
    let site = base();
    site.write("bio/good/README.md", "---\ndescription: fine\nbody\n");
    assert_refused(&site, &["bio/good/README.md:1:", "never closed"]);
}

#[test]
fn invalid_record_json() {
    let site = base();
    site.write(
        "bio/good/manifests/1.0/manifest.json",
        "{\n  \"schemaVersion\": 2,\n  \"layers\": [\n",
    );
    assert_refused(
        &site,
        &[
            "bio/good/manifests/1.0/manifest.json:",
            "invalid build record",
        ],
    );
}

#[test]
fn record_not_an_image_manifest() {
    let site = base();
    site.write(
        "bio/good/manifests/1.0/manifest.json",
        "{\"schemaVersion\": 1, \"config\": {}, \"layers\": []}",
    );
    assert_refused(
        &site,
        &[
            "bio/good/manifests/1.0/manifest.json",
            "invalid build record",
        ],
    );
}

#[test]
fn record_digest_not_matching_its_pages_blob() {
    let site = base();
    let m: serde_json::Value =
        serde_json::from_slice(&site.read("bio/good/manifests/1.0/manifest.json")).unwrap();
    let digest = m["layers"][0]["digest"].as_str().unwrap().to_string();
    let blob = format!("v2/bio/good/blobs/{digest}");
    // Same size, different bytes: only the hash can tell.
    let mut bytes = site.read(&blob);
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    site.write(&blob, bytes);
    assert_refused(
        &site,
        &[
            "bio/good/manifests/1.0/manifest.json",
            &blob,
            "hashes to sha256:",
        ],
    );
}

#[test]
fn record_naming_a_missing_pages_blob() {
    let site = base();
    let m: serde_json::Value =
        serde_json::from_slice(&site.read("bio/good/manifests/1.0/manifest.json")).unwrap();
    let digest = m["layers"][0]["digest"].as_str().unwrap().to_string();
    std::fs::remove_file(site.path(&format!("v2/bio/good/blobs/{digest}"))).unwrap();
    assert_refused(
        &site,
        &["bio/good/manifests/1.0/manifest.json", "does not exist"],
    );
}

#[test]
fn recipe_folder_with_two_recipes() {
    let site = base();
    site.write("bio/good/manifests/1.0/Dockerfile", "FROM scratch\n");
    assert_refused(
        &site,
        &[
            "bio/good/manifests/1.0",
            "one recipe, found 2",
            "Dockerfile",
            "Singularity",
        ],
    );
}

#[test]
fn unreadable_readme_is_a_directory() {
    let site = base();
    std::fs::remove_file(site.path("bio/good/README.md")).unwrap();
    std::fs::create_dir_all(site.path("bio/good/README.md")).unwrap();
    assert_refused(&site, &["bio/good/README.md"]);
}

#[test]
fn unreadable_record_is_a_directory() {
    let site = base();
    std::fs::remove_file(site.path("bio/good/manifests/1.0/manifest.json")).unwrap();
    std::fs::create_dir_all(site.path("bio/good/manifests/1.0/manifest.json")).unwrap();
    assert_refused(&site, &["bio/good/manifests/1.0/manifest.json"]);
}

#[test]
fn readme_not_utf8() {
    let site = base();
    site.write("bio/good/README.md", b"---\ndescription: \xff\xfe\n---\n");
    assert_refused(&site, &["bio/good/README.md", "not valid UTF-8"]);
}

#[test]
fn bad_config() {
    let site = base();
    let cfg = String::from_utf8(site.read("_config.yml"))
        .unwrap()
        .replace("storage: pages", "storage: s4");
    site.write("_config.yml", cfg);
    assert_refused(&site, &["_config.yml", "unknown kind \"s4\""]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let site = base();
    site.recipe("Bio/x", "1");
    site.recipe("bio/y", "-1");
    assert_refused(&site, &["invalid namespace", "invalid tag \"-1\""]);
}

#[test]
fn dotdot_in_collections_dir_leaving_the_site() {
    let site = base();
    let cfg = String::from_utf8(site.read("_config.yml")).unwrap();
    site.write("_config.yml", format!("{cfg}collections_dir: ../outside\n"));
    assert_refused(
        &site,
        &["_config.yml", "collections_dir must stay inside the site"],
    );
}
