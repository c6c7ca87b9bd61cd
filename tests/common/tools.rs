//! The few helpers every kind of test needs: where the repository is, the tools a test runs
//! (failing loudly, never skipping, when one is missing), a free port, copying a tree, and
//! starting `static-registry serve`. Included by `common`, `ui_common` and `site_support`
//! (with `#[path]`), so there is one copy of each.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The repository root (the default registry site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Debian package that provides a tool, for the message when it is missing.
fn package_of(tool: &str) -> &str {
    match tool {
        "nginx" => "nginx-light",
        "chromedriver" => "chromium-driver",
        "ctr" => "containerd",
        "mksquashfs" => "squashfs-tools",
        "moto_server" => "moto[server] (pip)",
        other => other,
    }
}

/// The path of `tool` on PATH; panics (the test fails, it never skips) when it is missing.
pub fn require_tool(tool: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let p = dir.join(tool);
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "`{tool}` is required by this test and is missing: install `{}` (scripts/install-deps does)",
        package_of(tool)
    );
}

/// A free TCP port on 127.0.0.1 (bound and released; fine for tests).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Copies a directory tree (files and folders; symlinks are followed).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(true) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Starts `static-registry -s DIR serve --port 0 [EXTRA…]` and returns the process and the
/// base URL it prints on its first line (without a trailing `/`).
pub fn spawn_serve(dir: &Path, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_static-registry"))
        .arg("-s")
        .arg(dir)
        .args(["serve", "--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start static-registry serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("`static-registry serve` printed no URL: {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (child, base)
}
