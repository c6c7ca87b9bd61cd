//! What Jekyll's tags and filters need from the site (Liquid's "registers"): include lookup,
//! `link`/`post_url`, config values, converters. [`FsHost`] is a small filesystem-backed host
//! (a site's `_config.yml` values and `_includes/`) for tests and the `liquid` subcommand.
//!
//! Not for: the site model itself (the `site` module implements [`Host`] over it).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::error::LiquidError;
use super::parser::Template;
use super::value::{Hash, Value};

/// The site, as Liquid's tags and filters see it. Every method has a plain default so a host
/// implements only what it has.
pub trait Host: Sync {
    /// The local time zone (Ruby's `TZ`: `_config.yml`'s `timezone:` in a site; UTC here).
    fn zone(&self) -> &crate::zone::Zone {
        crate::zone::Zone::utc()
    }

    /// `{% include name %}`: `name` is already validated (no `..`, valid characters). Looks in
    /// `_includes/`, then the theme's; the error is Jekyll's "Could not locate the included
    /// file …" message.
    fn include(&self, name: &str) -> Result<Arc<Template>, LiquidError>;

    /// `{% include_relative name %}` from the page at `page_path` (site-relative).
    fn include_relative(&self, name: &str, page_path: &str) -> Result<Arc<Template>, LiquidError> {
        let _ = page_path;
        Err(LiquidError::runtime(
            "IOError",
            format!("Could not locate the included file '{name}'"),
        ))
    }

    /// `{% link path %}`: the URL of the site file at `relative_path` (no baseurl).
    fn link(&self, relative_path: &str) -> Option<String> {
        let _ = relative_path;
        None
    }

    /// `{% post_url name %}`: the URL of the post (no baseurl), or Jekyll's error message.
    fn post_url(&self, name: &str) -> Result<String, String> {
        Err(format!(
            "Could not find post \"{name}\" in tag 'post_url'.\n\nMake sure the post exists and the name is correct.\n"
        ))
    }

    /// A site configuration value (`url`, `baseurl`, ...), `None` when unset.
    fn config(&self, key: &str) -> Option<Value>;

    /// `markdownify`: kramdown with the site's options.
    fn markdownify(&self, input: &str) -> Result<String, LiquidError> {
        Ok(input.to_string())
    }

    /// `smartify`: kramdown's SmartyPants.
    fn smartify(&self, input: &str) -> Result<String, LiquidError> {
        Ok(input.to_string())
    }

    /// `sassify` / `scssify`: Sass with the site's options (`indented` picks the syntax).
    fn sass(&self, input: &str, indented: bool) -> Result<String, LiquidError> {
        let _ = indented;
        Ok(input.to_string())
    }

    /// Rouge's token markup for `code` in `lang` (the inside of `<code>`), `None` to print
    /// the code HTML-escaped without tokens (Rouge's plaintext lexer).
    fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        let _ = (lang, code);
        None
    }
}

/// A host over a plain directory: `_config.yml` values (given as a hash) and `_includes/`.
pub struct FsHost {
    root: PathBuf,
    config: Hash,
    cache: Mutex<HashMap<PathBuf, Arc<Template>>>,
    /// `_includes/` templates by the name the tag uses.
    includes: Mutex<HashMap<String, Arc<Template>>>,
}

impl FsHost {
    pub fn new(root: impl AsRef<Path>) -> Self {
        FsHost {
            root: root.as_ref().to_path_buf(),
            config: Hash::default(),
            cache: Mutex::new(HashMap::new()),
            includes: Mutex::new(HashMap::new()),
        }
    }

    pub fn with_config(root: impl AsRef<Path>, config: Hash) -> Self {
        FsHost {
            root: root.as_ref().to_path_buf(),
            config,
            cache: Mutex::new(HashMap::new()),
            includes: Mutex::new(HashMap::new()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A template parsed before, by its site-relative key (no filesystem access: includes in
    /// loops are looked up thousands of times per page).
    fn cached(&self, key: &Path) -> Option<Arc<Template>> {
        self.cache.lock().ok()?.get(key).cloned()
    }

    fn cached_include(&self, name: &str) -> Option<Arc<Template>> {
        self.includes.lock().ok()?.get(name).cloned()
    }

    fn load(&self, path: &Path, key: &Path, display: &str) -> Result<Arc<Template>, LiquidError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| LiquidError::runtime("IOError", format!("{}: {e}", path.display())))?;
        let t = Arc::new(Template::parse(&text, display)?);
        if let Ok(mut c) = self.cache.lock() {
            c.insert(key.to_path_buf(), t.clone());
        }
        Ok(t)
    }
}

impl Host for FsHost {
    fn include(&self, name: &str) -> Result<Arc<Template>, LiquidError> {
        if let Some(t) = self.cached_include(name) {
            return Ok(t);
        }
        let dir = self.root.join("_includes");
        let path = dir.join(name);
        if path.is_file() && !is_symlink_inside(&path) {
            let key = PathBuf::from("_includes").join(name);
            let t = self.load(&path, &key, &format!("_includes/{name}"))?;
            if let Ok(mut m) = self.includes.lock() {
                m.insert(name.to_string(), t.clone());
            }
            return Ok(t);
        }
        Err(LiquidError::runtime(
            "IOError",
            format!(
                "Could not locate the included file '{name}' in any of [\"{}\"]. Ensure it exists in one of those directories and is not a symlink as those are not allowed in safe mode.",
                dir.display()
            ),
        ))
    }

    fn include_relative(&self, name: &str, page_path: &str) -> Result<Arc<Template>, LiquidError> {
        let page_dir = Path::new(page_path).parent().unwrap_or(Path::new(""));
        let dir = self.root.join(page_dir);
        let path = dir.join(name);
        let rel = page_dir.join(name);
        if let Some(t) = self.cached(&rel) {
            return Ok(t);
        }
        if path.is_file() && !is_symlink_inside(&path) {
            return self.load(&path, &rel, &rel.to_string_lossy());
        }
        Err(LiquidError::runtime(
            "IOError",
            format!(
                "Could not locate the included file '{name}' in any of [\"{}\"]. Ensure it exists in one of those directories and is not a symlink as those are not allowed in safe mode.",
                dir.display()
            ),
        ))
    }

    fn config(&self, key: &str) -> Option<Value> {
        self.config.get(key).cloned()
    }
}

fn is_symlink_inside(path: &Path) -> bool {
    path.symlink_metadata()
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false)
}
