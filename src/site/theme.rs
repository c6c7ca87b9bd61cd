//! Finds an installed theme gem on disk (no Ruby needed): Debian's rubygems path, the user's
//! `~/.gem`, system gem folders and the site's `vendor/bundle`. Not for reading the theme's
//! files (the reader does that through `Theme::root`).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    pub root: PathBuf,
}

/// Folders that may hold `NAME-VERSION/` gem folders.
fn gem_dirs(source: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("/usr/share/rubygems-integration/all/gems")];
    let globs = |base: &Path, out: &mut Vec<PathBuf>| {
        if let Ok(rd) = std::fs::read_dir(base) {
            let mut v: Vec<PathBuf> = rd
                .filter_map(|e| e.ok())
                .map(|e| e.path().join("gems"))
                .collect();
            v.sort();
            out.extend(v);
        }
    };
    globs(Path::new("/var/lib/gems"), &mut dirs);
    globs(Path::new("/usr/lib/ruby/gems"), &mut dirs);
    globs(Path::new("/usr/local/lib/ruby/gems"), &mut dirs);
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        globs(&home.join(".gem/ruby"), &mut dirs);
        globs(&home.join(".local/share/gem/ruby"), &mut dirs);
    }
    if let Some(gh) = std::env::var_os("GEM_HOME") {
        dirs.push(PathBuf::from(gh).join("gems"));
    }
    globs(&source.join("vendor/bundle/ruby"), &mut dirs);
    dirs
}

fn version_key(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Looks a theme gem up; `Ok(None)` when it is not installed, with the folders searched.
pub fn find(name: &str, source: &Path) -> (Option<Theme>, Vec<PathBuf>) {
    let dirs = gem_dirs(source);
    let mut best: Option<(Vec<u64>, PathBuf)> = None;
    for d in &dirs {
        let Ok(rd) = std::fs::read_dir(d) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let fname = e.file_name().to_string_lossy().into_owned();
            let Some(ver) = fname.strip_prefix(&format!("{name}-")) else {
                continue;
            };
            if !ver.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let k = version_key(ver);
            if best.as_ref().is_none_or(|(bk, _)| k > *bk) {
                best = Some((k, e.path()));
            }
        }
    }
    (
        best.map(|(_, root)| Theme {
            name: name.to_string(),
            root,
        }),
        dirs,
    )
}

/// A named theme that must exist.
pub fn require(name: &str, source: &Path) -> Result<Theme> {
    let (t, dirs) = find(name, source);
    t.ok_or_else(|| {
        Error::at_line(
            &source.join("_config.yml"),
            super::render::front_matter_line(&source.join("_config.yml"), "theme"),
            format!(
                "theme `{name}` is not installed; looked for a `{name}-VERSION` gem folder in: {}. \
                 Install the theme gem (Debian: apt-get install jekyll-theme-{name}, or gem install {name}) \
                 or remove the `theme:` key",
                dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
        )
    })
}
