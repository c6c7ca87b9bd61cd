//! `static-registry publish`: makes the storage bucket a registry that OCI clients accept.
//!
//! What it is for: GitHub Pages cannot set `Content-Type`, which skopeo, podman, containerd and
//! Docker insist on for manifests. A bucket can. This uploads the OCI distribution API as
//! static objects next to the blobs — `v2/index.html` (`{}`, the ping, for hosts whose index
//! document is `index.html`), `v2/_catalog`, `v2/<ns>/<name>/tags/list`, each manifest by tag
//! and by digest with its media type as Content-Type, and every blob at its OCI path (config
//! blobs; layers by a server-side copy of the content-addressed object) — blobs first, then
//! manifests, then the lists that name them, so a client never sees a name before its bytes.
//! It reads the same build records `generate` does and writes the same JSON the site's
//! layouts render. Not for the Pages site (`generate` + Jekyll) or for building (`build`).

use std::path::Path;

use crate::config::Storage;
use crate::error::{Error, Result};
use crate::record::{Descriptor, DOCKER_MANIFEST, EMPTY_CONFIG, EMPTY_CONFIG_DIGEST, OCI_MANIFEST};
use crate::registry::Registry;
use crate::storage::cloud::CloudStore;
use crate::storage::PagesStore;

#[derive(clap::Args, Debug, Default)]
pub struct Args {}

pub fn run(source: &Path, _args: &Args) -> Result<()> {
    let registry = Registry::scan(source)?;
    let Storage::Cloud(config) = &registry.config.storage else {
        return Err(Error::input(format!(
            "{}: `publish` uploads the registry API to object storage; set registry.storage to \
             kind s3, gcs or azure (see docs/storage.md)",
            source.join("_config.yml").display()
        )));
    };
    let store = CloudStore::open(config.clone())?;
    let mut counts = Counts::default();
    let mut catalog = Vec::new();
    for c in &registry.collections {
        let repo = c.repository();
        let mut tags = Vec::new();
        for t in &c.tags {
            let Some(record) = &t.record else { continue };
            let m = &record.manifest;
            for d in std::iter::once(&m.config).chain(&m.layers) {
                put_blob(source, &store, &c.namespace, &c.name, d, &mut counts)?;
            }
            let media_type = match m.media_type.as_deref() {
                Some(DOCKER_MANIFEST) => DOCKER_MANIFEST,
                _ => OCI_MANIFEST,
            };
            for reference in [&t.tag, &record.digest] {
                store.put_bytes(
                    &format!("v2/{repo}/manifests/{reference}"),
                    record.bytes.clone(),
                    media_type,
                )?;
                counts.manifests += 1;
            }
            tags.push(t.tag.as_str());
        }
        if tags.is_empty() {
            continue;
        }
        let list = serde_json::json!({"name": repo, "tags": tags});
        store.put_bytes(
            &format!("v2/{repo}/tags/list"),
            json_line(&list),
            "application/json",
        )?;
        catalog.push(repo);
    }
    let list = serde_json::json!({ "repositories": catalog });
    store.put_bytes("v2/_catalog", json_line(&list), "application/json")?;
    store.put_bytes("v2/index.html", b"{}".to_vec(), "application/json")?;
    eprintln!(
        "published {} repositories, {} manifests, {} blobs ({} already there) to {}; serve \
         the bucket at a host root with index document index.html (docs/storage.md)",
        catalog.len(),
        counts.manifests,
        counts.blobs,
        counts.skipped,
        store.config().describe()
    );
    Ok(())
}

#[derive(Default)]
struct Counts {
    manifests: usize,
    blobs: usize,
    skipped: usize,
}

/// Compact JSON and a newline: the bytes the site's `jsonify` layouts render.
fn json_line(v: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(v).expect("plain data serialises");
    bytes.push(b'\n');
    bytes
}

/// Makes one blob readable at `v2/<ns>/<name>/blobs/<digest>` in the bucket.
fn put_blob(
    source: &Path,
    store: &CloudStore,
    ns: &str,
    name: &str,
    d: &Descriptor,
    counts: &mut Counts,
) -> Result<()> {
    let key = format!("v2/{ns}/{name}/blobs/{}", d.digest);
    if store.size(&key)? == Some(d.size) {
        counts.skipped += 1;
        return Ok(());
    }
    let in_site = source.join(PagesStore::relative_path(ns, name, &d.digest));
    let stored = format!("sha256/{}", d.digest.trim_start_matches("sha256:"));
    if d.digest == EMPTY_CONFIG_DIGEST {
        store.put_bytes(&key, EMPTY_CONFIG.to_vec(), "application/octet-stream")?;
    } else if in_site.is_file() {
        store.put_file(&key, &in_site, "application/octet-stream")?;
    } else if store.size(&stored)? == Some(d.size) {
        // Server-side: the bytes do not travel through this machine again.
        store.copy(&stored, &key)?;
    } else if !d.urls.is_empty() {
        eprintln!(
            "warning: {ns}/{name}: blob {} is only at {}; clients that do not follow layer \
             urls (Docker) cannot pull it from the bucket",
            d.digest,
            d.urls.join(", ")
        );
        return Ok(());
    } else {
        return Err(Error::failed(format!(
            "{ns}/{name}: blob {} is neither in the site nor in {}: rebuild or re-add the image",
            d.digest,
            store.config().describe()
        )));
    }
    counts.blobs += 1;
    Ok(())
}
