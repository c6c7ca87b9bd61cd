//! Real OCI clients against `static-registry serve` on 127.0.0.1 (issue 5): skopeo inspects
//! and copies a SIF collection (digest verified) and an OCI image collection made with umoci;
//! podman and containerd pull the OCI image. The site is generated and served by the tool
//! itself, with `storage: pages` (blobs inside the site).

use crate::common;

use common::clients::{
    add_umoci_image, blobs_in, containerd_pull, podman_pull, skopeo_copy, skopeo_raw,
};
use common::servers::Static;
use common::{make_sif, require_tool, sha256_hex, Site};

#[test]
fn skopeo_podman_and_containerd_pull_from_serve() {
    require_tool("skopeo");
    let site = Site::new();
    let work = tempfile::tempdir().unwrap();
    site.recipe("sif/hello", "1.0");
    let sif = make_sif(work.path(), "hello");
    site.add("sif/hello:1.0", &sif);
    let oci_record = add_umoci_image(&site, work.path(), "oci/hello");
    let server = Static::serve(site.root());
    let reference = |r: &str| format!("docker://127.0.0.1:{}/{r}", server.port);

    // Manifests come back byte for byte (by tag and by digest) with their media type.
    let raw = skopeo_raw(&reference("oci/hello:1"));
    assert_eq!(raw.as_bytes(), oci_record.as_slice());
    skopeo_raw(&reference(&format!(
        "oci/hello@sha256:{}",
        sha256_hex(&oci_record)
    )));
    let sif_record = site.read("sif/hello/manifests/1.0/manifest.json");
    let raw = skopeo_raw(&reference("sif/hello:1.0"));
    assert_eq!(raw.as_bytes(), sif_record.as_slice());

    // The SIF layer skopeo copies is the very image recorded (skopeo verifies the digest too).
    let out = work.path().join("copy-sif");
    skopeo_copy(&reference("sif/hello:1.0"), &out);
    let image = std::fs::read(&sif).unwrap();
    let hex = sha256_hex(&image);
    assert_eq!(std::fs::read(out.join(&hex)).unwrap(), image);

    // The OCI image: every blob copied and verified.
    let out = work.path().join("copy-oci");
    skopeo_copy(&reference("oci/hello:1"), &out);
    let manifest: serde_json::Value = serde_json::from_slice(&oci_record).unwrap();
    let got = blobs_in(&out);
    for d in std::iter::once(&manifest["config"]).chain(manifest["layers"].as_array().unwrap()) {
        let hex = &d["digest"].as_str().unwrap()[7..];
        assert!(got.contains(&hex.to_string()), "skopeo copied {hex}");
    }

    let oci = format!("127.0.0.1:{}/oci/hello:1", server.port);
    podman_pull(work.path(), &oci);
    containerd_pull(work.path(), &oci);
}
