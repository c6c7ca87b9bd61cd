//! `render --check`: compares the rendered site with an existing output tree (for example one
//! produced by real Jekyll) without writing anything. Counts are those of
//! `shared/parity/compare`: identical / different / missing / extra. Not for writing (`write`).

use std::collections::BTreeSet;
use std::path::Path;

use super::write::Output;
use crate::error::Result;

/// The comparison of a rendered site with a tree on disk.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub identical: Vec<String>,
    pub different: Vec<String>,
    /// In the tree on disk, not rendered.
    pub missing: Vec<String>,
    /// Rendered, not in the tree on disk.
    pub extra: Vec<String>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.different.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
    pub fn summary(&self) -> String {
        format!(
            "{} identical, {} different, {} missing, {} extra of {} expected files",
            self.identical.len(),
            self.different.len(),
            self.missing.len(),
            self.extra.len(),
            self.identical.len() + self.different.len() + self.missing.len()
        )
    }
}

/// Every regular file under `dir`, relative, `/`-separated.
pub fn tree_files(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            e.path()
                .strip_prefix(dir)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

pub fn compare(output: &Output, dir: &Path) -> Result<Report> {
    let on_disk = tree_files(dir);
    let mut r = Report::default();
    for f in &on_disk {
        match output.get(f) {
            None => r.missing.push(f.clone()),
            Some(c) => {
                let expected =
                    std::fs::read(dir.join(f)).map_err(|e| crate::Error::io(&dir.join(f), e))?;
                if *c.bytes()? == expected[..] {
                    r.identical.push(f.clone());
                } else {
                    r.different.push(f.clone());
                }
            }
        }
    }
    for f in output.keys() {
        if !on_disk.contains(f) {
            r.extra.push(f.clone());
        }
    }
    Ok(r)
}

/// A unified diff of one differing file (expected on disk → rendered), or a note for binary.
pub fn diff(output: &Output, dir: &Path, rel: &str) -> Result<String> {
    let expected = std::fs::read(dir.join(rel)).map_err(|e| crate::Error::io(&dir.join(rel), e))?;
    let actual = output
        .get(rel)
        .map(|c| c.bytes().map(|b| b.into_owned()))
        .transpose()?
        .unwrap_or_default();
    match (std::str::from_utf8(&expected), std::str::from_utf8(&actual)) {
        (Ok(a), Ok(b)) => Ok(similar::TextDiff::from_lines(a, b)
            .unified_diff()
            .context_radius(3)
            .header(&format!("{rel} (on disk)"), &format!("{rel} (rendered)"))
            .to_string()),
        _ => Ok(format!(
            "Binary files {rel} differ ({} bytes on disk, {} rendered)\n",
            expected.len(),
            actual.len()
        )),
    }
}
