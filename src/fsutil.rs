//! Atomic file writes and careful reads.
//!
//! Every file the tool writes goes through [`write_atomic`]: the bytes land in a temporary
//! file beside the target, are flushed, and are renamed over it, so a killed run leaves each
//! file either old or new, never half-written. Not for streaming large blobs: see `digest`.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, IoContext, Result};

/// Writes `bytes` to `path` atomically, creating parent folders. Skips the write (keeping the
/// mtime) when the file already holds exactly these bytes.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Ok(existing) = std::fs::read(path) {
        if existing == bytes {
            return Ok(());
        }
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).at_path(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".static-registry-")
        .tempfile_in(dir)
        .at_path(dir)?;
    tmp.write_all(bytes).at_path(path)?;
    tmp.as_file().sync_all().at_path(path)?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Reads a file as UTF-8 text, with an error naming the path.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).at_path(path)?;
    String::from_utf8(bytes).map_err(|_| Error::at(path, "is not valid UTF-8"))
}
