//! `validate`: records against recipes, duplicates, bad records (exit 1), bad config (exit 2),
//! and `--remote` reporting a URL that does not answer.

use crate::common;

use common::moto::free_port;
use common::registry_site::{recipe, record_path, site};
use predicates::str::contains;

#[test]
fn validate_checks_records_recipes_duplicates_and_remote_urls() {
    let site = site("  storage: pages\n", None);
    recipe(&site, "bio/tool:1", "");
    recipe(&site, "bio/tool:2", "");
    site.cmd().arg("build").assert().success();
    site.cmd()
        .arg("validate")
        .assert()
        .success()
        .stderr(contains("ok: 2 record(s) valid"));

    // The recipe changed after the build: the record no longer describes it.
    let original = site.read("bio/tool/manifests/1/Singularity");
    recipe(&site, "bio/tool:1", "# edited\n");
    site.cmd().arg("validate").assert().code(1).stderr(contains(
        "bio/tool/manifests/1/Singularity changed since this image was built",
    ));
    site.write("bio/tool/manifests/1/Singularity", &original);

    // A repeated annotation key (the layer's file name): JSON parsers disagree on which wins.
    let path = record_path("bio/tool:2");
    let text = String::from_utf8(site.read(&path)).unwrap();
    let dup = text.replacen(
        "\"annotations\": {",
        "\"annotations\": {\n        \"org.opencontainers.image.title\": \"other.sif\",",
        1,
    );
    assert_ne!(dup, text);
    site.write(&path, &dup);
    site.cmd().arg("validate").assert().code(1).stderr(contains(
        "repeats the key \"org.opencontainers.image.title\"",
    ));
    site.write(&path, &text);

    // A digest that is not sha256: a failed validation naming the file.
    let bad = text.replacen("sha256:", "md5:", 1);
    site.write(&path, &bad);
    site.cmd()
        .arg("validate")
        .assert()
        .code(1)
        .stderr(contains("manifest.json"))
        .stderr(contains("sha256"));
    site.write(&path, &text);

    // An image recorded elsewhere whose URL does not answer: fine locally, reported remotely.
    let url = format!("http://127.0.0.1:{}/blob", free_port());
    site.cmd()
        .args(["add", "ext/image:1", "--digest"])
        .arg(format!("sha256:{}", "ab".repeat(32)))
        .args(["--size", "10", "--url", &url])
        .assert()
        .success();
    site.cmd().arg("validate").assert().success();
    site.cmd()
        .args(["validate", "--remote"])
        .assert()
        .code(1)
        .stderr(contains("ext/image:1"))
        .stderr(contains("network failure"));

    // A broken _config.yml is bad input: exit 2.
    site.write("_config.yml", "registry:\n  storage: [\n");
    site.cmd().arg("validate").assert().code(2);
}
