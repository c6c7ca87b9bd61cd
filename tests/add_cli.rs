//! `add` through the binary: both forms, storage kinds, refusals.

use crate::common;

use common::*;
use predicates::str::contains;

#[test]
fn add_external_image_by_digest_size_url() {
    let site = Site::new();
    site.recipe("bio/tool", "1.0");
    let digest = format!("sha256:{}", "ab".repeat(32));
    site.cmd()
        .args([
            "add",
            "bio/tool:1.0",
            "--digest",
            &digest,
            "--size",
            "1234",
            "--url",
            "https://example.org/tool.sif",
            "--created",
            "2024-01-02T03:04:05+02:00",
        ])
        .assert()
        .success();
    let m: serde_json::Value =
        serde_json::from_slice(&site.read("bio/tool/manifests/1.0/manifest.json")).unwrap();
    assert_eq!(m["layers"][0]["digest"], digest.as_str());
    assert_eq!(m["layers"][0]["size"], 1234);
    assert_eq!(m["layers"][0]["urls"][0], "https://example.org/tool.sif");
    assert_eq!(
        m["annotations"]["org.opencontainers.image.created"],
        "2024-01-02T01:04:05Z"
    );
    let recipe = site.read("bio/tool/manifests/1.0/Singularity");
    assert_eq!(
        m["annotations"]["dev.static-registry.recipe.digest"],
        format!("sha256:{}", sha256_hex(&recipe))
    );
    site.generate();
    let doc = String::from_utf8(site.read("_containers/bio/tool.md")).unwrap();
    assert!(
        doc.contains("    url: \"https://example.org/tool.sif\"\n"),
        "{doc}"
    );
    // A second add for the same tag is refused without --force.
    site.cmd()
        .args([
            "add",
            "bio/tool:1.0",
            "--digest",
            &digest,
            "--size",
            "1",
            "--url",
            "https://e.org/x",
        ])
        .assert()
        .code(2)
        .stderr(contains("already has a build record"));
}

#[test]
fn add_refuses_bad_arguments_and_changes_nothing() {
    let site = Site::new();
    let digest = format!("sha256:{}", "ab".repeat(32));
    let before = site.snapshot();
    for (args, msg) in [
        (
            vec![
                "add",
                "bio/x:1",
                "--digest",
                &digest,
                "--size",
                "1",
                "--url",
                "ftp://h/x",
            ],
            "must be an http",
        ),
        (
            vec![
                "add",
                "bio/x:1",
                "--digest",
                "sha256:XYZ",
                "--size",
                "1",
                "--url",
                "https://h/x",
            ],
            "--digest",
        ),
        (
            vec![
                "add",
                "../evil/x:1",
                "--digest",
                &digest,
                "--size",
                "1",
                "--url",
                "https://h/x",
            ],
            "invalid reference",
        ),
        (
            vec![
                "add",
                "Bio/x:1",
                "--digest",
                &digest,
                "--size",
                "1",
                "--url",
                "https://h/x",
            ],
            "namespace \"Bio\"",
        ),
        (
            vec![
                "add",
                "bio/x:.1",
                "--digest",
                &digest,
                "--size",
                "1",
                "--url",
                "https://h/x",
            ],
            "tag \".1\"",
        ),
        (
            vec!["add", "bio/x:1", "--image", "/nonexistent.sif"],
            "/nonexistent.sif",
        ),
        (
            vec![
                "add",
                "bio/x:1",
                "--digest",
                &digest,
                "--size",
                "1",
                "--url",
                "https://h/x",
                "--created",
                "yesterday",
            ],
            "RFC 3339",
        ),
    ] {
        site.cmd()
            .args(&args)
            .assert()
            .code(2)
            .stderr(contains(msg));
    }
    assert_eq!(before, site.snapshot());
}

#[test]
fn add_with_local_storage_copies_blob_and_records_url() {
    let site = Site::new();
    let image = make_sif(site.root(), "local");
    let store = tempfile::tempdir().unwrap();
    let mut cfg = String::from_utf8(site.read("_config.yml")).unwrap();
    cfg = cfg.replace(
        "registry:\n  storage: pages\n",
        &format!("registry:\n  storage:\n    kind: local\n    dir: {}\n    url: \"https://blobs.example.org/{{namespace}}/{{hex}}\"\n", store.path().display()),
    );
    site.write("_config.yml", cfg);
    site.add("bio/local:1", &image);
    let bytes = std::fs::read(&image).unwrap();
    let hex = sha256_hex(&bytes);
    assert_eq!(
        std::fs::read(store.path().join("sha256").join(&hex)).unwrap(),
        bytes
    );
    assert!(!site
        .path(&format!("v2/bio/local/blobs/sha256:{hex}"))
        .exists());
    let m: serde_json::Value =
        serde_json::from_slice(&site.read("bio/local/manifests/1/manifest.json")).unwrap();
    assert_eq!(
        m["layers"][0]["urls"][0],
        format!("https://blobs.example.org/bio/{hex}")
    );
    assert_eq!(
        m["layers"][0]["annotations"]["org.opencontainers.image.title"],
        "local_1.sif"
    );
}

#[test]
fn no_record_when_the_blob_cannot_be_stored() {
    let site = Site::new();
    let image = make_sif(site.root(), "unstored");
    // A file where the blob folder must go: storing fails (as root, permissions would not).
    site.write("v2/bio/x/blobs", "not a folder");
    let before = site.snapshot();
    site.cmd()
        .args(["add", "bio/x:1", "--image"])
        .arg(&image)
        .assert()
        .code(2)
        .stderr(contains("v2/bio/x/blobs"));
    assert!(
        !site.path("bio/x/manifests/1/manifest.json").exists(),
        "no record for a blob that is not stored"
    );
    assert_eq!(before, site.snapshot());
}

#[test]
fn add_refuses_a_non_sif_file_without_media_type() {
    let site = Site::new();
    site.write("notes.txt", "hello");
    site.cmd()
        .args(["add", "bio/x:1", "--image"])
        .arg(site.path("notes.txt"))
        .assert()
        .code(2)
        .stderr(contains("notes.txt: is not a SIF image; pass --media-type"));
    site.cmd()
        .args([
            "add",
            "bio/x:1",
            "--media-type",
            "text/plain",
            "--created",
            "2024-01-01T00:00:00Z",
            "--image",
        ])
        .arg(site.path("notes.txt"))
        .assert()
        .success();
    let m: serde_json::Value =
        serde_json::from_slice(&site.read("bio/x/manifests/1/manifest.json")).unwrap();
    assert_eq!(m["layers"][0]["mediaType"], "text/plain");
    assert_eq!(
        m["config"]["mediaType"],
        "application/vnd.oci.empty.v1+json"
    );
    site.generate();
    assert_eq!(
        site.read(&format!("v2/bio/x/blobs/sha256:{}", sha256_hex(b"hello"))),
        b"hello"
    );
}
