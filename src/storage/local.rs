//! `storage: local` — blobs in a local folder (a web root, a mounted bucket), downloaded from
//! a URL template.

use std::path::{Path, PathBuf};

use super::{copy_atomic, Blob, BlobStore};
use crate::error::Result;

pub struct LocalStore {
    dir: PathBuf,
    url: String,
}

impl LocalStore {
    pub fn new(dir: &Path, url: &str) -> Self {
        LocalStore {
            dir: dir.to_path_buf(),
            url: url.to_string(),
        }
    }

    fn path(&self, blob: &Blob) -> PathBuf {
        self.dir.join("sha256").join(blob.hex())
    }
}

/// Fills `{digest}`, `{hex}`, `{namespace}`, `{name}`, `{tag}` in a URL template.
pub fn fill_template(template: &str, blob: &Blob) -> String {
    template
        .replace("{digest}", blob.digest)
        .replace("{hex}", blob.hex())
        .replace("{namespace}", blob.namespace)
        .replace("{name}", blob.name)
        .replace("{tag}", blob.tag)
}

impl BlobStore for LocalStore {
    fn put(&self, blob: &Blob, src: &Path) -> Result<()> {
        if self.exists(blob)? {
            return Ok(());
        }
        copy_atomic(src, &self.path(blob))
    }

    fn exists(&self, blob: &Blob) -> Result<bool> {
        Ok(std::fs::metadata(self.path(blob)).is_ok_and(|m| m.is_file() && m.len() == blob.size))
    }

    fn url(&self, blob: &Blob) -> Option<String> {
        Some(fill_template(&self.url, blob))
    }
}
