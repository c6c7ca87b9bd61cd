//! A registry site wired to the real test builder (SIF files via mksquashfs + siftool) and to a
//! storage backend, for the build/publish/validate/pull tests.

use std::path::{Path, PathBuf};

use super::{require_tool, Site};

/// The test builder script (see tests/fixtures/sif-builder.sh).
pub fn builder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sif-builder.sh")
}

/// The builder command line for `registry.builder.command`, optionally logging each build.
pub fn builder_command(log: Option<&Path>) -> String {
    let mut cmd = format!(
        "sh {} {{recipe}} {{output}} {{namespace}} {{name}} {{tag}}",
        builder().display()
    );
    if let Some(log) = log {
        cmd.push_str(&format!(
            " && echo {{namespace}}/{{name}}:{{tag}} >> {}",
            log.display()
        ));
    }
    cmd
}

/// The `registry.storage` block for a moto bucket.
pub fn s3_storage(endpoint: &str, bucket: &str) -> String {
    format!(
        "  storage:\n    kind: s3\n    bucket: {bucket}\n    region: us-east-1\n    endpoint: {endpoint}\n    allow_http: true\n    acl: public-read\n    retries: 0\n    part_size: 5242880\n"
    )
}

/// A site whose `registry:` section is `registry_yaml` (indented by two spaces).
pub fn site(registry_yaml: &str, builder_log: Option<&Path>) -> Site {
    require_tool("mksquashfs");
    require_tool("siftool");
    let site = Site::new();
    set_registry(&site, registry_yaml, builder_log);
    site
}

/// Replaces the `registry:` section of the site's `_config.yml`.
pub fn set_registry(site: &Site, registry_yaml: &str, builder_log: Option<&Path>) {
    let config = String::from_utf8(site.read("_config.yml")).unwrap();
    let head = config.split("\nregistry:").next().unwrap();
    site.write(
        "_config.yml",
        format!(
            "{head}\nregistry:\n{registry_yaml}  builder:\n    command: \"{}\"\n",
            builder_command(builder_log).replace('"', "\\\"")
        ),
    );
}

/// Writes a recipe (its text makes each image distinct).
pub fn recipe(site: &Site, reference: &str, extra: &str) {
    let (repo, tag) = reference.rsplit_once(':').unwrap();
    site.write(
        &format!("{repo}/manifests/{tag}/Singularity"),
        format!("Bootstrap: scratch\n# {reference}\n{extra}"),
    );
}

pub fn record_path(reference: &str) -> String {
    let (repo, tag) = reference.rsplit_once(':').unwrap();
    format!("{repo}/manifests/{tag}/manifest.json")
}

/// The record's single layer as JSON.
pub fn layer(site: &Site, reference: &str) -> serde_json::Value {
    let record: serde_json::Value =
        serde_json::from_slice(&site.read(&record_path(reference))).unwrap();
    record["layers"][0].clone()
}
