//! Real OCI clients for the tests: a tiny OCI image made offline with umoci and recorded in a
//! site, and pulls by skopeo, podman and containerd (`ctr`) against a registry on 127.0.0.1.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{require_tool, Site};

/// Runs a command, failing the test with its output when it fails; returns its stdout.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A tiny OCI image made offline with umoci, recorded as `{repo}:1` with its blobs in the
/// site (`storage: pages` layout). Returns the record bytes.
pub fn add_umoci_image(site: &Site, work: &Path, repo: &str) -> Vec<u8> {
    require_tool("umoci");
    let layout = work.join("oci");
    let bundle = work.join("bundle");
    let image = format!("{}:v1", layout.display());
    run(Command::new("umoci")
        .args(["init", "--layout"])
        .arg(&layout));
    run(Command::new("umoci").args(["new", "--image", &image]));
    run(Command::new("umoci")
        .args(["unpack", "--rootless", "--image", &image])
        .arg(&bundle));
    std::fs::write(bundle.join("rootfs/hello"), "#!/bin/sh\necho hello\n").unwrap();
    run(Command::new("umoci")
        .args(["repack", "--image", &image])
        .arg(&bundle));
    run(Command::new("umoci").args(["gc", "--layout"]).arg(&layout));
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"].as_str().unwrap();
    let blobs = layout.join("blobs/sha256");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(blobs.join(&digest[7..])).unwrap()).unwrap();
    // umoci's manifest has no top-level mediaType; clients need it as the Content-Type.
    let mut m = serde_json::Map::new();
    m.insert("schemaVersion".into(), 2.into());
    m.insert(
        "mediaType".into(),
        "application/vnd.oci.image.manifest.v1+json".into(),
    );
    for (k, v) in manifest.as_object().unwrap() {
        m.entry(k.clone()).or_insert(v.clone());
    }
    let bytes = serde_json::to_vec_pretty(&m).unwrap();
    for d in std::iter::once(&manifest["config"]).chain(manifest["layers"].as_array().unwrap()) {
        let hex = &d["digest"].as_str().unwrap()[7..];
        site.write(
            &format!("v2/{repo}/blobs/sha256:{hex}"),
            std::fs::read(blobs.join(hex)).unwrap(),
        );
    }
    site.write(&format!("{repo}/manifests/1/manifest.json"), &bytes);
    bytes
}

/// The 64-hex blob files a `skopeo copy … dir:` wrote.
pub fn blobs_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 64)
        .collect();
    names.sort();
    names
}

/// `podman pull` with its own storage in `work` (`podman run` is impossible in this sandbox;
/// pulling, which verifies every blob, is what matters).
pub fn podman_pull(work: &Path, reference: &str) {
    require_tool("podman");
    let root = work.join("podman");
    run(Command::new("podman")
        .arg("--root")
        .arg(root.join("root"))
        .arg("--runroot")
        .arg(root.join("run"))
        .args([
            "--storage-driver",
            "vfs",
            "pull",
            "--tls-verify=false",
            reference,
        ]));
}

/// A child process killed on drop (the test's containerd).
struct Daemon(std::process::Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `ctr images pull` through a private containerd (own root, state and socket under `work`).
pub fn containerd_pull(work: &Path, reference: &str) {
    require_tool("containerd");
    require_tool("ctr");
    let ctd: PathBuf = work.join("ctd");
    std::fs::create_dir_all(&ctd).unwrap();
    let sock = ctd.join("ctd.sock");
    let config = ctd.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "version = 2\nroot = \"{}\"\nstate = \"{}\"\n[grpc]\n  address = \"{}\"\n",
            ctd.join("root").display(),
            ctd.join("state").display(),
            sock.display()
        ),
    )
    .unwrap();
    let _daemon = Daemon(
        Command::new("containerd")
            .arg("--config")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !sock.exists() {
        assert!(Instant::now() < deadline, "containerd did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    run(Command::new("ctr").arg("--address").arg(&sock).args([
        "images",
        "pull",
        "--plain-http",
        "--snapshotter",
        "native",
        reference,
    ]));
}

/// `skopeo inspect --raw` of a `docker://` reference on a plain-HTTP registry: the manifest
/// bytes as served.
pub fn skopeo_raw(reference: &str) -> String {
    run(Command::new("skopeo").args(["inspect", "--raw", "--tls-verify=false", reference]))
}

/// `skopeo copy` of a `docker://` reference on a plain-HTTP registry into `dir:OUT` (skopeo
/// verifies every blob's digest on the way).
pub fn skopeo_copy(reference: &str, out: &Path) {
    run(Command::new("skopeo")
        .args(["copy", "--src-tls-verify=false", reference])
        .arg(format!("dir:{}", out.display())));
}
