//! The whole pipeline on real parts: `build` with a builder making real SIF files uploads them
//! to a real S3 API server (moto) and records them; `pull` from the served site downloads from
//! the bucket and verifies (the site is served by `static-registry serve`); `validate --remote` passes; a corrupted object makes both fail.

use crate::common;

use common::moto::Moto;
use common::registry_site::{layer, recipe, s3_storage, site};
use common::servers::Static;
use common::sha256_hex;
use predicates::str::contains;

const REFS: [&str; 3] = [
    "biology/blast:2.14",
    "biology/blast:latest",
    "chem/rdkit:1.10",
];

#[test]
fn build_upload_record_pull_validate_and_detect_corruption() {
    let moto = Moto::start();
    moto.create_bucket("images");
    let site = site(&s3_storage(&moto.endpoint, "images"), None);
    for r in REFS {
        recipe(&site, r, "");
    }
    site.cmd()
        .envs(moto.env())
        .args(["build", "--plan"])
        .assert()
        .success()
        .stdout(contains("\"reference\": \"chem/rdkit:1.10\""));

    site.cmd().envs(moto.env()).arg("build").assert().success();

    // Every image is in the bucket under its content-addressed key, and its record names it.
    let keys = moto.keys("images");
    for r in REFS {
        let l = layer(&site, r);
        let hex = l["digest"]
            .as_str()
            .unwrap()
            .strip_prefix("sha256:")
            .unwrap();
        assert!(keys.contains(&format!("sha256/{hex}")), "{r}: {keys:?}");
        let url = l["urls"][0].as_str().unwrap();
        assert_eq!(url, moto.url("images", &format!("sha256/{hex}")));
        let bytes = reqwest::blocking::get(url).unwrap().bytes().unwrap();
        assert_eq!(bytes.len() as u64, l["size"].as_u64().unwrap());
        assert_eq!(sha256_hex(&bytes), hex);
        assert_eq!(&bytes[32..41], b"SIF_MAGIC", "{r} is a real SIF file");
        assert_eq!(l["mediaType"], "application/vnd.sylabs.sif.layer.v1.sif");
    }
    // Nothing pending any more: a second build does nothing.
    site.cmd()
        .envs(moto.env())
        .args(["build", "--plan"])
        .assert()
        .success()
        .stdout("[]\n");

    site.generate();
    let served = Static::serve(site.root());
    let out = site.path("out/blast.sif");
    site.cmd()
        .args(["pull", &served.url(), "biology/blast:2.14", "-o"])
        .arg(&out)
        .assert()
        .success();
    let got = std::fs::read(&out).unwrap();
    let l = layer(&site, "biology/blast:2.14");
    assert_eq!(
        format!("sha256:{}", sha256_hex(&got)),
        l["digest"].as_str().unwrap()
    );

    site.cmd()
        .envs(moto.env())
        .args(["validate", "--remote"])
        .assert()
        .success()
        .stderr(contains("3 remote blob(s) verified"));

    // Corrupt one object behind the tool's back: same size, other bytes.
    let l = layer(&site, "chem/rdkit:1.10");
    let hex = l["digest"]
        .as_str()
        .unwrap()
        .strip_prefix("sha256:")
        .unwrap();
    let mut bad = reqwest::blocking::get(l["urls"][0].as_str().unwrap())
        .unwrap()
        .bytes()
        .unwrap()
        .to_vec();
    let last = bad.len() - 1;
    bad[last] ^= 0xff;
    moto.put_object("images", &format!("sha256/{hex}"), bad);

    site.cmd()
        .args(["validate", "--remote"])
        .assert()
        .code(1)
        .stderr(contains("chem/rdkit:1.10"))
        .stderr(contains("digest mismatch"));

    let target = site.path("out/rdkit.sif");
    site.cmd()
        .args(["pull", &served.url(), "chem/rdkit:1.10", "-o"])
        .arg(&target)
        .assert()
        .code(1)
        .stderr(contains("digest mismatch"));
    assert!(!target.exists(), "a failed pull leaves no file");
    assert!(
        !site.path("out/rdkit.sif.part").exists(),
        "a .part with wrong bytes is removed"
    );
}

#[test]
fn pull_errors_and_resume() {
    let moto = Moto::start();
    moto.create_bucket("images");
    let site = site(&s3_storage(&moto.endpoint, "images"), None);
    recipe(&site, "lab/tool:1.0", "BIG 1\n");
    site.cmd().envs(moto.env()).arg("build").assert().success();
    site.generate();
    let served = Static::serve(site.root());
    let l = layer(&site, "lab/tool:1.0");
    let full = reqwest::blocking::get(l["urls"][0].as_str().unwrap())
        .unwrap()
        .bytes()
        .unwrap()
        .to_vec();
    let half = full.len() / 2;

    // Unknown tag: a 404, said plainly.
    site.cmd()
        .args(["pull", &served.url(), "lab/tool:2.0", "-o"])
        .arg(site.path("x.sif"))
        .assert()
        .code(1)
        .stderr(contains("lab/tool:2.0 not found"))
        .stderr(contains("404"));
    // Nothing listening: a network failure, said plainly.
    let dead = format!("http://127.0.0.1:{}", common::moto::free_port());
    site.cmd()
        .args(["pull", &dead, "lab/tool:1.0", "-o"])
        .arg(site.path("x.sif"))
        .assert()
        .code(1)
        .stderr(contains("network failure"));
    // Bad reference: usage error.
    site.cmd()
        .args(["pull", &served.url(), "Lab/tool:1.0"])
        .assert()
        .code(2);
    assert!(!site.path("x.sif").exists());

    // A .part holding the right first half: resumed with a Range request, completed.
    let target = site.path("dl/tool.sif");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(site.path("dl/tool.sif.part"), &full[..half]).unwrap();
    site.cmd()
        .args(["pull", &served.url(), "lab/tool:1.0", "-o"])
        .arg(&target)
        .assert()
        .success();
    assert!(std::fs::read(&target).unwrap() == full);
    assert!(!site.path("dl/tool.sif.part").exists());

    // A .part holding wrong bytes: the server honoured the Range (so only the rest came), the
    // digest cannot match, the .part is removed and the target untouched; a rerun starts over.
    std::fs::remove_file(&target).unwrap();
    std::fs::write(site.path("dl/tool.sif.part"), vec![0u8; half]).unwrap();
    site.cmd()
        .args(["pull", &served.url(), "lab/tool:1.0", "-o"])
        .arg(&target)
        .assert()
        .code(1)
        .stderr(contains("digest mismatch"));
    assert!(!target.exists() && !site.path("dl/tool.sif.part").exists());
    site.cmd()
        .args(["pull", &served.url(), "lab/tool:1.0", "-o"])
        .arg(&target)
        .assert()
        .success();
    assert!(std::fs::read(&target).unwrap() == full);
}
