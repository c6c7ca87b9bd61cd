//! `publish` makes a bucket a registry real OCI clients accept: the API and blobs go to a real
//! S3 API server (moto), the bucket is served at a host root like S3 website hosting, and
//! skopeo copies an OCI image (made by umoci) and a SIF artifact (made by `build`) from it;
//! podman and containerd pull the OCI image.

use crate::common;

use common::clients::{
    add_umoci_image, blobs_in, containerd_pull, podman_pull, skopeo_copy, skopeo_raw,
};
use common::moto::Moto;
use common::registry_site::{layer, recipe, s3_storage, site};
use common::servers::Static;
use common::{require_tool, sha256_hex};
use predicates::str::contains;

#[test]
fn skopeo_copies_an_oci_image_and_a_sif_artifact_from_a_published_bucket() {
    require_tool("skopeo");
    let moto = Moto::start();
    moto.create_bucket("registry");
    let site = site(&s3_storage(&moto.endpoint, "registry"), None);
    recipe(&site, "sif/hello:1.0", "");
    site.cmd().envs(moto.env()).arg("build").assert().success();
    let work = tempfile::tempdir().unwrap();
    let oci_record = add_umoci_image(&site, work.path(), "oci/hello");

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
    let raw = skopeo_raw(&reference("oci/hello:1"));
    assert_eq!(raw.as_bytes(), oci_record.as_slice());
    let by_digest = format!("oci/hello@sha256:{}", sha256_hex(&oci_record));
    skopeo_raw(&reference(&by_digest));

    // OCI image: every blob copied and verified by skopeo.
    let out = work.path().join("copy-oci");
    skopeo_copy(&reference("oci/hello:1"), &out);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let layer_hex = &manifest["layers"][0]["digest"].as_str().unwrap()[7..];
    let config_hex = &manifest["config"]["digest"].as_str().unwrap()[7..];
    let got = blobs_in(&out);
    assert!(got.contains(&layer_hex.to_string()) && got.contains(&config_hex.to_string()));

    // SIF artifact: the layer is the very file the build uploaded.
    let out = work.path().join("copy-sif");
    skopeo_copy(&reference("sif/hello:1.0"), &out);
    let l = layer(&site, "sif/hello:1.0");
    let hex = &l["digest"].as_str().unwrap()[7..];
    let bytes = std::fs::read(out.join(hex)).unwrap();
    assert_eq!(sha256_hex(&bytes), hex);
    assert_eq!(&bytes[32..41], b"SIF_MAGIC");

    // podman and containerd pull the OCI image too.
    podman_pull(work.path(), &format!("127.0.0.1:{}/oci/hello:1", host.port));
    containerd_pull(work.path(), &format!("127.0.0.1:{}/oci/hello:1", host.port));

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
