//! `build` splitting work across CI jobs, and `build` under faults: a failing builder, storage
//! that cannot be reached, an upload cut mid-way. In every fault no record is written for an
//! image that is not fully stored, and rerunning finishes the job.

use crate::common;

use std::collections::BTreeSet;

use common::moto::{free_port, Moto};
use common::registry_site::{layer, recipe, record_path, s3_storage, set_registry, site};
use common::servers::CutProxy;
use predicates::str::contains;

fn refs(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("ns{}/img{i}:v{}", i % 3, i % 4))
        .collect()
}

#[test]
fn three_shards_build_every_pending_recipe_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("built.log");
    let site = site("  storage: pages\n", Some(&log));
    let all = refs(10);
    for r in &all {
        recipe(&site, r, "");
    }
    let plan: Vec<serde_json::Value> = serde_json::from_slice(
        &site
            .cmd()
            .args(["build", "--plan"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert_eq!(plan.len(), 10);

    let mut planned = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = site
            .cmd()
            .args(["build", "--plan", "--shard", &shard])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let part: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
        planned.extend(
            part.iter()
                .map(|p| p["reference"].as_str().unwrap().to_string()),
        );
        site.cmd()
            .args(["build", "--shard", &shard])
            .assert()
            .success();
    }
    let built: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let mut sorted = built.clone();
    sorted.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(sorted, expected, "each recipe built exactly once");
    planned.sort();
    assert_eq!(planned, expected, "the shard plans partition the plan");
    for r in &all {
        assert!(site.path(&record_path(r)).is_file(), "{r} recorded");
    }
    // Nothing left; a shard of nothing is fine.
    site.cmd()
        .args(["build", "--shard", "2/3"])
        .assert()
        .success()
        .stderr(contains("nothing to build"));

    // Deleting a record asks for a rebuild; --force rebuilds a recorded tag.
    std::fs::remove_file(site.path(&record_path(&all[0]))).unwrap();
    site.cmd()
        .args(["build", "--plan"])
        .assert()
        .success()
        .stdout(contains(all[0].as_str()));
    let forced = site
        .cmd()
        .args(["build", "--plan", "--force", &all[1]])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let forced: Vec<serde_json::Value> = serde_json::from_slice(&forced).unwrap();
    let names: BTreeSet<&str> = forced
        .iter()
        .map(|p| p["reference"].as_str().unwrap())
        .collect();
    assert_eq!(names, BTreeSet::from([all[0].as_str(), all[1].as_str()]));

    site.cmd()
        .args(["build", "--shard", "4/3"])
        .assert()
        .code(2)
        .stderr(contains("--shard"));
}

#[test]
fn a_failing_builder_is_reported_and_does_not_stop_the_others() {
    let site = site("  storage: pages\n", None);
    recipe(&site, "a/good:1", "");
    recipe(&site, "a/bad:1", "FAIL\n");
    recipe(&site, "b/good:2", "");
    site.cmd()
        .arg("build")
        .assert()
        .code(1)
        .stderr(contains("FAILED a/bad:1"))
        .stderr(contains("recipe asks to fail"))
        .stderr(contains("1 of 3 builds failed: a/bad:1"));
    assert!(site.path(&record_path("a/good:1")).is_file());
    assert!(site.path(&record_path("b/good:2")).is_file());
    assert!(!site.path(&record_path("a/bad:1")).exists());

    // Fix the recipe and rerun: only the missing one is built.
    recipe(&site, "a/bad:1", "");
    let before = site.read(&record_path("a/good:1"));
    site.cmd()
        .arg("build")
        .assert()
        .success()
        .stderr(contains("[1/1] building a/bad:1"));
    assert!(site.path(&record_path("a/bad:1")).is_file());
    assert_eq!(site.read(&record_path("a/good:1")), before);

    // A build.sh beside the recipe replaces the configured builder.
    recipe(&site, "c/custom:1", "");
    site.write(
        "c/custom/manifests/1/build.sh",
        "echo custom builder for \"$3/$4:$5\"; exit 7\n",
    );
    site.cmd()
        .arg("build")
        .assert()
        .code(1)
        .stderr(contains("custom builder for c/custom:1"));
}

#[test]
fn unreachable_storage_writes_no_record_and_a_rerun_finishes() {
    let dead = format!("http://127.0.0.1:{}", free_port());
    let site = site(&s3_storage(&dead, "images"), None);
    recipe(&site, "x/one:1", "");
    recipe(&site, "x/two:1", "");
    let moto = Moto::start();
    site.cmd()
        .envs(moto.env())
        .arg("build")
        .assert()
        .code(1)
        .stderr(contains("storage s3://images/"))
        .stderr(contains("2 of 2 builds failed"));
    assert!(!site.path(&record_path("x/one:1")).exists());
    assert!(!site.path(&record_path("x/two:1")).exists());

    moto.create_bucket("images");
    set_registry(&site, &s3_storage(&moto.endpoint, "images"), None);
    site.cmd().envs(moto.env()).arg("build").assert().success();
    for r in ["x/one:1", "x/two:1"] {
        let l = layer(&site, r);
        let hex = &l["digest"].as_str().unwrap()[7..];
        assert!(moto.keys("images").contains(&format!("sha256/{hex}")));
    }
}

#[test]
fn an_interrupted_upload_writes_no_record_and_a_rerun_finishes() {
    let moto = Moto::start();
    moto.create_bucket("images");
    // 12 MiB of random data goes up in 5 MiB parts; the proxy cuts after 7 MiB of upload.
    let proxy = CutProxy::start(moto.port, 7 * 1024 * 1024);
    let site = site(&s3_storage(&proxy.endpoint(), "images"), None);
    recipe(&site, "big/image:1", "BIG 12\n");
    site.cmd()
        .envs(moto.env())
        .arg("build")
        .assert()
        .code(1)
        .stderr(contains("FAILED big/image:1"))
        .stderr(contains("cannot upload"));
    assert!(!site.path(&record_path("big/image:1")).exists());
    assert!(
        moto.keys("images")
            .iter()
            .all(|k| !k.starts_with("sha256/")),
        "no partial object is visible: {:?}",
        moto.keys("images")
    );

    set_registry(&site, &s3_storage(&moto.endpoint, "images"), None);
    site.cmd().envs(moto.env()).arg("build").assert().success();
    let l = layer(&site, "big/image:1");
    let url = l["urls"][0].as_str().unwrap();
    let bytes = reqwest::blocking::get(url).unwrap().bytes().unwrap();
    assert!(bytes.len() > 12 * 1024 * 1024);
    assert_eq!(bytes.len() as u64, l["size"].as_u64().unwrap());
    assert_eq!(
        format!("sha256:{}", common::sha256_hex(&bytes)),
        l["digest"].as_str().unwrap()
    );
}
