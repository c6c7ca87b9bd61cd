//! Build records: the OCI image manifest at `<ns>/<name>/manifests/<tag>/manifest.json`.
//!
//! A record's exact bytes are what the API serves (and what its `sha256:` digest names), so
//! this module keeps them: parsing never re-serialises, and [`create`] is the one place new
//! record bytes are made (deterministic: fixed key order, sorted annotations, 2-space indent,
//! final newline). Not for reading the site (`registry`) or storing blobs (`storage`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::digest::{is_sha256_digest, sha256_digest};
use crate::error::{Error, Result};

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const SIF_CONFIG: &str = "application/vnd.sylabs.sif.config.v1+json";
pub const SIF_LAYER: &str = "application/vnd.sylabs.sif.layer.v1.sif";
/// The SIF config blob: `{}`.
pub const EMPTY_CONFIG: &[u8] = b"{}";
pub const EMPTY_CONFIG_DIGEST: &str =
    "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

pub const ANN_CREATED: &str = "org.opencontainers.image.created";
pub const ANN_TITLE: &str = "org.opencontainers.image.title";
pub const ANN_SOURCE: &str = "org.opencontainers.image.source";
/// sha256 of the recipe the image was built from (`sha256:<hex>`).
pub const ANN_RECIPE_DIGEST: &str = "dev.static-registry.recipe.digest";
/// Site-relative path of that recipe.
pub const ANN_RECIPE: &str = "dev.static-registry.recipe";

/// An OCI content descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// An OCI image manifest, as much of it as the tool reads or writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A build record: its exact bytes, their digest, and the parsed manifest.
#[derive(Debug, Clone)]
pub struct Record {
    pub bytes: Vec<u8>,
    /// `sha256:<hex>` of `bytes`.
    pub digest: String,
    pub manifest: Manifest,
}

impl Record {
    /// Parses and validates record bytes read from `path` (used in error messages).
    pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Record> {
        let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
            Error::at_line(
                path,
                e.line(),
                format!("invalid build record (OCI image manifest JSON): {e}"),
            )
        })?;
        validate(path, &manifest)?;
        let digest = sha256_digest(&bytes);
        Ok(Record {
            bytes,
            digest,
            manifest,
        })
    }

    /// The image file: the first (for SIF, the only) layer.
    pub fn image(&self) -> &Descriptor {
        &self.manifest.layers[0]
    }

    pub fn created(&self) -> Option<&str> {
        self.manifest
            .annotations
            .get(ANN_CREATED)
            .map(String::as_str)
    }
}

fn validate(path: &Path, m: &Manifest) -> Result<()> {
    let bad = |msg: String| Err(Error::at(path, format!("invalid build record: {msg}")));
    if m.schema_version != 2 {
        return bad(format!("schemaVersion is {}, must be 2", m.schema_version));
    }
    if let Some(mt) = &m.media_type {
        if mt != OCI_MANIFEST && mt != DOCKER_MANIFEST {
            return bad(format!(
                "mediaType {mt:?} is not an image manifest ({OCI_MANIFEST})"
            ));
        }
    }
    if m.layers.is_empty() {
        return bad("no layers: a record describes at least one blob".into());
    }
    for (what, d) in
        std::iter::once(("config", &m.config)).chain(m.layers.iter().map(|l| ("layer", l)))
    {
        if !is_sha256_digest(&d.digest) {
            return bad(format!(
                "{what} digest {:?} is not sha256:<64 lowercase hex>",
                d.digest
            ));
        }
        if d.media_type.is_empty() {
            return bad(format!("{what} {} has an empty mediaType", d.digest));
        }
        for u in &d.urls {
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                return bad(format!("{what} {} has a non-http(s) url {u:?}", d.digest));
            }
        }
    }
    if m.config.digest == EMPTY_CONFIG_DIGEST && m.config.size != 2 {
        return bad(format!("config {EMPTY_CONFIG_DIGEST} must have size 2"));
    }
    if let Some(c) = m.annotations.get(ANN_CREATED) {
        if chrono::DateTime::parse_from_rfc3339(c).is_err() {
            return bad(format!(
                "annotation {ANN_CREATED} {c:?} is not an RFC 3339 time"
            ));
        }
    }
    Ok(())
}

/// The descriptor of the SIF config blob `{}`.
pub fn sif_config() -> Descriptor {
    Descriptor {
        media_type: SIF_CONFIG.into(),
        digest: EMPTY_CONFIG_DIGEST.into(),
        size: EMPTY_CONFIG.len() as u64,
        urls: vec![],
        annotations: BTreeMap::new(),
    }
}

/// Makes the bytes of a new record: one image layer, its config, manifest annotations.
pub fn create(
    config: Descriptor,
    layer: Descriptor,
    annotations: BTreeMap<String, String>,
) -> Vec<u8> {
    let m = Manifest {
        schema_version: 2,
        media_type: Some(OCI_MANIFEST.into()),
        config,
        layers: vec![layer],
        annotations,
    };
    let mut bytes = serde_json::to_vec_pretty(&m).expect("a manifest always serialises");
    bytes.push(b'\n');
    bytes
}

/// Whether the file starts like a SIF image (the magic `SIF_MAGIC` at offset 32).
pub fn looks_like_sif(head: &[u8]) -> bool {
    head.len() >= 41 && &head[32..41] == b"SIF_MAGIC"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer() -> Descriptor {
        Descriptor {
            media_type: SIF_LAYER.into(),
            digest: sha256_digest(b"x"),
            size: 1,
            urls: vec![],
            annotations: [(ANN_TITLE.to_string(), "x.sif".to_string())].into(),
        }
    }

    #[test]
    fn create_then_parse_keeps_bytes() {
        let bytes = create(
            sif_config(),
            layer(),
            [(ANN_CREATED.into(), "2024-01-02T03:04:05Z".into())].into(),
        );
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n  \"config\""), "{text}");
        let r = Record::parse(Path::new("m.json"), bytes.clone()).unwrap();
        assert_eq!(r.bytes, bytes);
        assert_eq!(r.digest, sha256_digest(&bytes));
        assert_eq!(r.created(), Some("2024-01-02T03:04:05Z"));
    }

    #[test]
    fn rejects_bad_records() {
        let p = Path::new("m.json");
        let e = Record::parse(p, b"{\n  \"schemaVersion\": 2,\n oops".to_vec())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("m.json:3:"), "{e}");
        let mut m: serde_json::Value =
            serde_json::from_slice(&create(sif_config(), layer(), BTreeMap::new())).unwrap();
        m["layers"][0]["digest"] = "sha256:XYZ".into();
        assert!(Record::parse(p, serde_json::to_vec(&m).unwrap()).is_err());
        m["layers"] = serde_json::json!([]);
        assert!(Record::parse(p, serde_json::to_vec(&m).unwrap()).is_err());
    }
}
