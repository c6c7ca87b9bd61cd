//! `publish` makes a bucket a registry real OCI clients accept: the API and blobs go to a real
//! S3 API server (moto), the bucket is served at a host root like S3 website hosting, and
//! skopeo copies an OCI image (made by umoci) and a SIF artifact (made by `build`) from it;
//! podman and containerd pull the OCI image.

mod common;

use std::path::Path;
use std::process::Command;

use common::moto::Moto;
use common::registry_site::{layer, recipe, s3_storage, site};
use common::servers::Static;
use common::{require_tool, sha256_hex, Site};
use predicates::str::contains;

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A tiny OCI image made offline with umoci, recorded as `oci/hello:1` with its blobs in the
/// site. Returns the record bytes.
fn add_umoci_image(site: &Site, work: &Path) -> Vec<u8> {
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
            &format!("v2/oci/hello/blobs/sha256:{hex}"),
            std::fs::read(blobs.join(hex)).unwrap(),
        );
    }
    site.write("oci/hello/manifests/1/manifest.json", &bytes);
    bytes
}

/// A child process killed on drop (the test's containerd).
struct Daemon(std::process::Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn blobs_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 64)
        .collect();
    names.sort();
    names
}

#[test]
fn skopeo_copies_an_oci_image_and_a_sif_artifact_from_a_published_bucket() {
    require_tool("skopeo");
    let moto = Moto::start();
    moto.create_bucket("registry");
    let site = site(&s3_storage(&moto.endpoint, "registry"), None);
    recipe(&site, "sif/hello:1.0", "");
    site.cmd().envs(moto.env()).arg("build").assert().success();
    let work = tempfile::tempdir().unwrap();
    let oci_record = add_umoci_image(&site, work.path());

    site.cmd()
        .envs(moto.env())
        .arg("publish")
        .assert()
        .success()
        .stderr(contains("published 2 repositories, 4 manifests"));

    let host = Static::bucket_site(&moto.endpoint, "registry");
    let http = reqwest::blocking::Client::new();
    let ping = http.get(format!("{}/v2/", host.url())).send().unwrap();
    assert_eq!(ping.status(), 200);
    assert_eq!(ping.headers()["content-type"], "application/json");
    assert_eq!(ping.text().unwrap(), "{}");
    let catalog = http
        .get(format!("{}/v2/_catalog", host.url()))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(
        catalog,
        "{\"repositories\":[\"oci/hello\",\"sif/hello\"]}\n"
    );
    let tags = http
        .get(format!("{}/v2/sif/hello/tags/list", host.url()))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(tags, "{\"name\":\"sif/hello\",\"tags\":[\"1.0\"]}\n");

    let reference = |r: &str| format!("docker://127.0.0.1:{}/{r}", host.port);
    // The manifest comes back byte for byte, by tag and by digest.
    let raw = run(Command::new("skopeo").args([
        "inspect",
        "--raw",
        "--tls-verify=false",
        &reference("oci/hello:1"),
    ]));
    assert_eq!(raw.as_bytes(), oci_record.as_slice());
    let by_digest = format!("oci/hello@sha256:{}", sha256_hex(&oci_record));
    run(Command::new("skopeo").args([
        "inspect",
        "--raw",
        "--tls-verify=false",
        &reference(&by_digest),
    ]));

    // OCI image: every blob copied and verified by skopeo.
    let out = work.path().join("copy-oci");
    run(Command::new("skopeo")
        .args(["copy", "--src-tls-verify=false", &reference("oci/hello:1")])
        .arg(format!("dir:{}", out.display())));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let layer_hex = &manifest["layers"][0]["digest"].as_str().unwrap()[7..];
    let config_hex = &manifest["config"]["digest"].as_str().unwrap()[7..];
    let got = blobs_in(&out);
    assert!(got.contains(&layer_hex.to_string()) && got.contains(&config_hex.to_string()));

    // SIF artifact: the layer is the very file the build uploaded.
    let out = work.path().join("copy-sif");
    run(Command::new("skopeo")
        .args([
            "copy",
            "--src-tls-verify=false",
            &reference("sif/hello:1.0"),
        ])
        .arg(format!("dir:{}", out.display())));
    let l = layer(&site, "sif/hello:1.0");
    let hex = &l["digest"].as_str().unwrap()[7..];
    let bytes = std::fs::read(out.join(hex)).unwrap();
    assert_eq!(sha256_hex(&bytes), hex);
    assert_eq!(&bytes[32..41], b"SIF_MAGIC");

    // podman pulls the OCI image too (its own storage in a temp dir; `run` is not possible in
    // this sandbox, pulling is what matters here).
    require_tool("podman");
    let root = work.path().join("podman");
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
            &format!("127.0.0.1:{}/oci/hello:1", host.port),
        ]));

    // containerd pulls it as well: a private daemon (own root, state and socket in a temp dir).
    require_tool("containerd");
    require_tool("ctr");
    let ctd = work.path().join("ctd");
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
    let daemon = Daemon(
        Command::new("containerd")
            .arg("--config")
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !sock.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "containerd did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    run(Command::new("ctr").arg("--address").arg(&sock).args([
        "images",
        "pull",
        "--plain-http",
        "--snapshotter",
        "native",
        &format!("127.0.0.1:{}/oci/hello:1", host.port),
    ]));
    drop(daemon);

    // Publishing again skips every blob already there.
    site.cmd()
        .envs(moto.env())
        .arg("publish")
        .assert()
        .success()
        .stderr(contains("0 blobs (4 already there)"));
}

#[test]
fn publish_needs_object_storage() {
    let site = site("  storage: pages\n", None);
    site.cmd()
        .arg("publish")
        .assert()
        .code(2)
        .stderr(contains("_config.yml"))
        .stderr(contains("kind s3, gcs or azure"));
}
