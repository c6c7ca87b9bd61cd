//! Where image blobs live: the [`BlobStore`] trait and the backends behind it.
//!
//! A backend does three things with a blob it is told the digest of: store it from a local
//! file, say whether it already holds it, and give the URL clients download it from. Keys are
//! content-addressed, so storing the same blob twice is a no-op. The trait is deliberately
//! narrow: object-storage backends (s3, gcs, azure through `object_store`) implement the same
//! three methods. Not for hashing (callers pass a digest they computed with `digest`) nor for
//! writing records (blobs are stored *before* the record that names them, by the caller).

pub mod cloud;
mod local;
mod pages;

use std::path::Path;

use crate::config::{Config, Storage};
use crate::error::Result;

pub use local::LocalStore;
pub use pages::PagesStore;

/// A blob being stored for one tag of one collection.
#[derive(Debug, Clone, Copy)]
pub struct Blob<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    pub tag: &'a str,
    /// `sha256:<hex>`, computed by the caller from the bytes.
    pub digest: &'a str,
    /// Exact size in bytes.
    pub size: u64,
}

impl Blob<'_> {
    pub fn hex(&self) -> &str {
        self.digest.trim_start_matches("sha256:")
    }
}

/// A place that holds blobs by digest. Methods are synchronous: a backend built on an async
/// client (object_store) runs it on its own small runtime inside these calls.
pub trait BlobStore {
    /// Stores the file at `src` (whose sha256 and size are `blob.digest`/`blob.size`).
    /// Does nothing when the store already holds a blob with that digest and size. Must be
    /// atomic: a failed put leaves no partial blob under the final key.
    fn put(&self, blob: &Blob, src: &Path) -> Result<()>;

    /// Whether the store holds this blob with the right size.
    fn exists(&self, blob: &Blob) -> Result<bool>;

    /// The URL recorded in the layer's `urls`, or `None` when the registry site itself serves
    /// the blob at `/v2/<ns>/<name>/blobs/<digest>` (then clients need no `urls`).
    fn url(&self, blob: &Blob) -> Option<String>;
}

/// The store the site's configuration names.
pub fn open(site: &Path, config: &Config) -> Result<Box<dyn BlobStore>> {
    Ok(match &config.storage {
        Storage::Pages => Box::new(PagesStore::new(site)),
        Storage::Local { dir, url } => Box::new(LocalStore::new(dir, url)),
        Storage::Cloud(c) => Box::new(cloud::CloudStore::open(c.clone())?),
    })
}

/// Copies `src` to `dst` through a temporary file beside `dst`, then renames it into place.
pub(crate) fn copy_atomic(src: &Path, dst: &Path) -> Result<()> {
    use crate::error::{Error, IoContext};
    let dir = dst.parent().expect("blob paths have a parent");
    std::fs::create_dir_all(dir).at_path(dir)?;
    let tmp = tempfile::Builder::new()
        .prefix(".static-registry-")
        .tempfile_in(dir)
        .at_path(dir)?;
    std::fs::copy(src, tmp.path()).at_path(src)?;
    tmp.as_file().sync_all().at_path(dst)?;
    tmp.persist(dst).map_err(|e| Error::io(dst, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob<'a>(digest: &'a str, size: u64) -> Blob<'a> {
        Blob {
            namespace: "bio",
            name: "x",
            tag: "1.0",
            digest,
            size,
        }
    }

    #[test]
    fn pages_store_puts_once_at_the_oci_path() {
        let site = tempfile::tempdir().unwrap();
        let src = site.path().join("img");
        std::fs::write(&src, b"image").unwrap();
        let d = crate::digest::sha256_digest(b"image");
        let store = PagesStore::new(site.path());
        let b = blob(&d, 5);
        assert!(!store.exists(&b).unwrap());
        store.put(&b, &src).unwrap();
        let at = site.path().join(format!("v2/bio/x/blobs/{d}"));
        assert_eq!(std::fs::read(&at).unwrap(), b"image");
        assert!(store.exists(&b).unwrap());
        assert!(
            !store.exists(&blob(&d, 6)).unwrap(),
            "a different size is not the same blob"
        );
        assert_eq!(store.url(&b), None);
        // Only the blob is left in its folder: no temporary files.
        assert_eq!(std::fs::read_dir(at.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn local_store_fills_the_url_template() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("img");
        std::fs::write(&src, b"abc").unwrap();
        let d = crate::digest::sha256_digest(b"abc");
        let store = LocalStore::new(
            &dir.path().join("store"),
            "https://h/{namespace}/{name}/{tag}/{digest}/{hex}",
        );
        let b = blob(&d, 3);
        store.put(&b, &src).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("store/sha256").join(b.hex())).unwrap(),
            b"abc"
        );
        assert_eq!(
            store.url(&b).unwrap(),
            format!("https://h/bio/x/1.0/{d}/{}", b.hex())
        );
    }
}
