//! Writes a rendered site: everything goes into a fresh temporary folder beside the
//! destination, which then replaces it in two renames, so a failed or killed build leaves the
//! destination as it was. Jekyll's `keep_files` (`.git`, `.svn`) are carried over. Not for
//! comparing trees (`check`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};

/// One output file's bytes: rendered text, or a static file to copy.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

impl Content {
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Content::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Content::Copy(p) => Ok(std::borrow::Cow::Owned(std::fs::read(p).at_path(p)?)),
        }
    }
}

/// The rendered site: output path (relative, `/`-separated) → content.
pub type Output = BTreeMap<String, Content>;

const KEEP_FILES: &[&str] = &[".git", ".svn"];

/// Writes `output` as the new content of `dest`.
pub fn write_site(output: &Output, dest: &Path) -> Result<()> {
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(parent).at_path(parent)?;
    let tmp = tempfile::Builder::new()
        .prefix(".static-registry-site-")
        .tempdir_in(parent)
        .at_path(parent)?;
    for (rel, content) in output {
        let target = tmp.path().join(rel);
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p).at_path(p)?;
        }
        match content {
            Content::Bytes(b) => std::fs::write(&target, b).at_path(&target)?,
            Content::Copy(src) => {
                std::fs::copy(src, &target).at_path(src)?;
                if let Ok(m) = std::fs::metadata(src).and_then(|m| m.modified()) {
                    let f = std::fs::File::options()
                        .write(true)
                        .open(&target)
                        .at_path(&target)?;
                    f.set_modified(m).at_path(&target)?;
                }
            }
        }
    }
    let new_dir = tmp.keep();
    if dest.exists() {
        if !dest.is_dir() {
            let _ = std::fs::remove_dir_all(&new_dir);
            return Err(Error::at(
                dest,
                "exists and is not a folder; choose another destination",
            ));
        }
        for k in KEEP_FILES {
            let from = dest.join(k);
            if from.exists() {
                std::fs::rename(&from, new_dir.join(k)).at_path(&from)?;
            }
        }
        let old = parent.join(format!(
            ".static-registry-old-{}",
            dest.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(dest, &old).at_path(dest)?;
        if let Err(e) = std::fs::rename(&new_dir, dest) {
            let _ = std::fs::rename(&old, dest);
            return Err(Error::io(dest, e));
        }
        std::fs::remove_dir_all(&old).at_path(&old)?;
    } else {
        std::fs::rename(&new_dir, dest).at_path(dest)?;
    }
    Ok(())
}
