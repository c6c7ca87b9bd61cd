//! `storage: pages` — blobs inside the site, where GitHub Pages serves them at the OCI path.

use std::path::{Path, PathBuf};

use super::{copy_atomic, Blob, BlobStore};
use crate::error::Result;

/// GitHub rejects files over 100 MB in a repository.
const GITHUB_FILE_LIMIT: u64 = 100_000_000;

pub struct PagesStore {
    site: PathBuf,
}

impl PagesStore {
    pub fn new(site: &Path) -> Self {
        PagesStore {
            site: site.to_path_buf(),
        }
    }

    /// `v2/<ns>/<name>/blobs/<digest>`, relative to the site root.
    pub fn relative_path(namespace: &str, name: &str, digest: &str) -> PathBuf {
        PathBuf::from(format!("v2/{namespace}/{name}/blobs/{digest}"))
    }

    fn path(&self, blob: &Blob) -> PathBuf {
        self.site
            .join(Self::relative_path(blob.namespace, blob.name, blob.digest))
    }
}

impl BlobStore for PagesStore {
    fn put(&self, blob: &Blob, src: &Path) -> Result<()> {
        if self.exists(blob)? {
            return Ok(());
        }
        if blob.size > GITHUB_FILE_LIMIT {
            eprintln!(
                "warning: {} is {} bytes; GitHub refuses files over 100 MB — use `storage: local` or object storage",
                src.display(),
                blob.size
            );
        }
        copy_atomic(src, &self.path(blob))
    }

    fn exists(&self, blob: &Blob) -> Result<bool> {
        Ok(std::fs::metadata(self.path(blob)).is_ok_and(|m| m.is_file() && m.len() == blob.size))
    }

    fn url(&self, _blob: &Blob) -> Option<String> {
        None
    }
}
