//! Shared fixture helpers for the integration tests: a registry site in a temp dir (with the
//! repository's real `_config.yml` and `_layouts`), real SIF images made with Debian's
//! `mksquashfs` + `siftool`, and tree snapshots to prove that nothing changed.
#![allow(dead_code)]

pub mod clients;
pub mod moto;
pub mod registry_site;
pub mod servers;
pub mod tools;

pub use tools::*;

use clients::run;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("static-registry").expect("binary built")
}

/// A site in a temp dir: the repository's `_config.yml`, `_layouts/` and `_includes/`.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(repo.join("_config.yml"), dir.path().join("_config.yml")).unwrap();
        copy_tree(&repo.join("_layouts"), &dir.path().join("_layouts"));
        // Layouts may include partials (the UI's); they are not output, so the file set is unchanged.
        if repo.join("_includes").is_dir() {
            copy_tree(&repo.join("_includes"), &dir.path().join("_includes"));
        }
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn recipe(&self, repo: &str, tag: &str) {
        self.write(
            &format!("{repo}/manifests/{tag}/Singularity"),
            format!("Bootstrap: scratch\n# {repo}:{tag}\n"),
        );
    }

    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = bin();
        c.arg("-s").arg(self.root());
        c
    }

    /// `add REF --image IMG --created …`, asserting success.
    pub fn add(&self, reference: &str, image: &Path) {
        self.cmd()
            .args([
                "add",
                reference,
                "--created",
                "2024-05-01T12:00:00Z",
                "--image",
            ])
            .arg(image)
            .assert()
            .success();
    }

    pub fn generate(&self) {
        self.cmd().arg("generate").assert().success();
    }

    pub fn snapshot(&self) -> Snapshot {
        snapshot(self.root())
    }
}

/// Every entry of a tree: relative path → (kind, bytes, mtime). Symlinks are not followed.
pub type Snapshot = BTreeMap<String, (String, Vec<u8>, Option<SystemTime>)>;

pub fn snapshot(root: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).min_depth(1).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let meta = std::fs::symlink_metadata(e.path()).unwrap();
        let ft = meta.file_type();
        let (kind, bytes) = if ft.is_symlink() {
            (
                "link".to_string(),
                std::fs::read_link(e.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
                    .into_bytes(),
            )
        } else if ft.is_dir() {
            ("dir".to_string(), vec![])
        } else {
            (
                "file".to_string(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        };
        let mtime = if ft.is_dir() {
            None
        } else {
            meta.modified().ok()
        };
        out.insert(rel, (kind, bytes, mtime));
    }
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A real, tiny SIF image (definition file + squashfs partition) made offline.
pub fn make_sif(dir: &Path, label: &str) -> PathBuf {
    require_tool("mksquashfs");
    require_tool("siftool");
    let work = dir.join(format!("sif-{label}"));
    let rootfs = work.join("rootfs");
    std::fs::create_dir_all(rootfs.join("bin")).unwrap();
    std::fs::write(
        rootfs.join("bin/hello"),
        format!("#!/bin/sh\necho {label}\n"),
    )
    .unwrap();
    let def = work.join("recipe.def");
    std::fs::write(
        &def,
        format!("Bootstrap: scratch\n%labels\n  label {label}\n"),
    )
    .unwrap();
    let sqfs = work.join("rootfs.sqfs");
    let sif = work.join(format!("{label}.sif"));
    run(Command::new("mksquashfs").arg(&rootfs).arg(&sqfs).args([
        "-noappend",
        "-all-root",
        "-quiet",
        "-mkfs-time",
        "0",
        "-all-time",
        "0",
    ]));
    run(Command::new("siftool").arg("new").arg(&sif));
    run(Command::new("siftool")
        .args(["add", "--datatype", "1"])
        .arg(&sif)
        .arg(&def));
    run(Command::new("siftool")
        .args([
            "add",
            "--datatype",
            "4",
            "--parttype",
            "2",
            "--partfs",
            "1",
            "--partarch",
            "2",
        ])
        .arg(&sif)
        .arg(&sqfs));
    sif
}
