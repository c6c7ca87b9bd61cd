//! `storage: pages` warns where GitHub would refuse the result: a file over 100 MB, a site over
//! 1 GB. Sparse files stand in for big ones (same sizes, no disk or time spent).

use crate::common;

use common::Site;
use predicates::prelude::*;
use predicates::str::contains;

fn sparse(path: &std::path::Path, len: u64) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
}

#[test]
fn pages_storage_warns_past_github_limits() {
    let site = Site::new();
    let work = tempfile::tempdir().unwrap();

    let small = work.path().join("small.bin");
    std::fs::write(&small, b"small image").unwrap();
    site.cmd()
        .args([
            "add",
            "a/small:1",
            "--media-type",
            "application/octet-stream",
            "--image",
        ])
        .arg(&small)
        .assert()
        .success()
        .stderr(contains("warning").not());

    // Blobs already in the site bring it close to 1 GB: the next one crosses the limit.
    sparse(&site.path("v2/a/old/blobs/sha256:00"), 999_999_990);
    let other = work.path().join("other.bin");
    std::fs::write(&other, b"another small image").unwrap();
    site.cmd()
        .args([
            "add",
            "a/other:1",
            "--media-type",
            "application/octet-stream",
            "--image",
        ])
        .arg(&other)
        .assert()
        .success()
        .stderr(contains("limited to 1 GB"));
    std::fs::remove_file(site.path("v2/a/old/blobs/sha256:00")).unwrap();

    // One file over 100 MB.
    let big = work.path().join("big.bin");
    sparse(&big, 100_000_001);
    site.cmd()
        .args([
            "add",
            "a/big:1",
            "--media-type",
            "application/octet-stream",
            "--image",
        ])
        .arg(&big)
        .assert()
        .success()
        .stderr(contains("GitHub refuses files over 100 MB"));
}
