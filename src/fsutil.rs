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
    let mut builder = tempfile::Builder::new();
    builder.prefix(".static-registry-");
    #[cfg(unix)]
    builder.permissions(permissions_for(path));
    let mut tmp = builder.tempfile_in(dir).at_path(dir)?;
    tmp.write_all(bytes).at_path(path)?;
    tmp.as_file().sync_all().at_path(path)?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// The mode a rewritten file gets: the one it has, or what any new file gets (0666 less the
/// umask, as `File::create`). tempfile's own 0600 would make generated files unreadable to a
/// web server running as another user (Jekyll copies static files with their mode).
#[cfg(unix)]
fn permissions_for(path: &Path) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(path) {
        Ok(m) => m.permissions(),
        Err(_) => std::fs::Permissions::from_mode(0o666),
    }
}

/// Reads a file as UTF-8 text, with an error naming the path.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).at_path(path)?;
    String::from_utf8(bytes).map_err(|_| Error::at(path, "is not valid UTF-8"))
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_get_the_usual_mode_and_rewrites_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let new = dir.path().join("a/new.json");
        super::write_atomic(&new, b"{}").unwrap();
        assert_eq!(
            mode(&new),
            mode(&plain),
            "as File::create (0666 less the umask)"
        );
        std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o750)).unwrap();
        super::write_atomic(&new, b"{\"a\": 1}").unwrap();
        assert_eq!(mode(&new), 0o750);
    }
}
