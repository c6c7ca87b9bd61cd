//! The tool's settings: the `registry:` section of the site's `_config.yml`.
//!
//! Jekyll owns the rest of `_config.yml`; this module reads only what the tool needs
//! (`registry:` and Jekyll's `collections_dir`) and ignores every other key. It never writes
//! the file (`init` appends text to it, keeping the user's comments). Not for Jekyll's own
//! configuration: the renderer reads that.
//!
//! ```yaml
//! registry:
//!   recipes: [Singularity, Singularity.def, "*.def", Dockerfile]   # file names in a tag folder
//!   collection: containers        # the Jekyll collection the documents go into
//!   storage: pages                # or: {kind: local, dir: ../blobs, url: "https://host/{hex}"}
//!                                 # or: {kind: s3|gcs|azure, bucket: B, prefix: P, …} (docs/storage.md)
//!   source: https://github.com/owner/repo   # optional, recorded as org.opencontainers.image.source
//!   builder:
//!     command: apptainer build {output} {recipe}   # what `build` runs per recipe (the default)
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The recipe file names (or `*.ext` patterns) looked for when none are configured.
pub const DEFAULT_RECIPES: &[&str] = &["Singularity", "Singularity.def", "*.def", "Dockerfile"];

/// Where image blobs go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// Inside the site, at `v2/<ns>/<name>/blobs/sha256:<hex>` (the default).
    Pages,
    /// A local folder (e.g. a mounted web root): blobs at `<dir>/sha256/<hex>`, downloaded from
    /// `url` with `{digest}`, `{hex}`, `{namespace}`, `{name}`, `{tag}` filled in.
    Local { dir: PathBuf, url: String },
    /// Object storage (`kind: s3 | gcs | azure`), see `storage::cloud`.
    Cloud(crate::storage::cloud::CloudConfig),
}

/// The `registry:` settings, with defaults filled in.
#[derive(Debug, Clone)]
pub struct Config {
    pub recipes: Vec<String>,
    pub collection: String,
    pub storage: Storage,
    pub source: Option<String>,
    /// `registry.builder.command`: the shell command `build` runs per recipe (see `build`).
    pub builder_command: Option<String>,
    /// Jekyll's `collections_dir` ("" when unset): collection folders live under it.
    pub collections_dir: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            recipes: DEFAULT_RECIPES.iter().map(|s| s.to_string()).collect(),
            collection: "containers".into(),
            storage: Storage::Pages,
            source: None,
            builder_command: None,
            collections_dir: String::new(),
        }
    }
}

#[derive(Deserialize, Default)]
struct File {
    #[serde(default)]
    registry: Option<Raw>,
    #[serde(default)]
    collections_dir: Option<String>,
}

#[derive(Deserialize, Default)]
struct Raw {
    recipes: Option<Vec<String>>,
    collection: Option<String>,
    storage: Option<RawStorage>,
    source: Option<String>,
    builder: Option<Builder>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Builder {
    command: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawStorage {
    Kind(String),
    Table(serde_norway::Value),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StorageTable {
    kind: String,
    dir: Option<PathBuf>,
    url: Option<String>,
}

impl Config {
    /// Reads `<site>/_config.yml` (defaults when the file is absent).
    pub fn load(site: &Path) -> Result<Config> {
        let path = site.join("_config.yml");
        if !path.exists() {
            return Ok(Config::default());
        }
        let text = crate::fsutil::read_text(&path)?;
        Self::parse(&path, &text)
    }

    /// Parses the text of a `_config.yml`; `path` is only used in error messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let file: File = if text.trim().is_empty() {
            File::default()
        } else {
            serde_norway::from_str::<Option<File>>(text)
                .map_err(|e| yaml_error(path, &e))?
                .unwrap_or_default()
        };
        let raw = file.registry.unwrap_or_default();
        let mut cfg = Config::default();
        if let Some(recipes) = raw.recipes {
            for r in &recipes {
                let pattern_ok = !r.is_empty()
                    && !r.contains('/')
                    && !r.contains('\\')
                    && r != "."
                    && r != ".."
                    && r != "manifest.json"
                    && (!r.contains('*') || (r.starts_with('*') && !r[1..].contains('*')));
                if !pattern_ok {
                    return Err(Error::at(
                        path,
                        format!("registry.recipes: {r:?} is not a file name or a `*.ext` pattern"),
                    ));
                }
            }
            cfg.recipes = recipes;
        }
        if let Some(c) = raw.collection {
            if !crate::names::is_component(&c) {
                return Err(Error::at(
                    path,
                    format!(
                        "registry.collection: {c:?} must be {}",
                        crate::names::component_rule()
                    ),
                ));
            }
            cfg.collection = c;
        }
        cfg.source = raw.source;
        cfg.builder_command = raw.builder.and_then(|b| b.command);
        cfg.collections_dir = file.collections_dir.unwrap_or_default();
        if cfg.collections_dir.split('/').any(|c| c == "..") {
            return Err(Error::at(path, "collections_dir must stay inside the site"));
        }
        cfg.storage = match raw.storage {
            None => Storage::Pages,
            Some(RawStorage::Kind(k)) if k == "pages" => Storage::Pages,
            Some(RawStorage::Kind(k)) if k == "local" => {
                return Err(Error::at(
                    path,
                    "registry.storage: `local` needs `dir` and `url`: write it as {kind: local, dir: DIR, url: \"https://host/{hex}\"}",
                ))
            }
            Some(RawStorage::Kind(k)) => return Err(unknown_storage(path, &k)),
            Some(RawStorage::Table(t))
                if matches!(t.get("kind").and_then(|k| k.as_str()), Some("s3" | "gcs" | "azure")) =>
            {
                Storage::Cloud(
                    serde_norway::from_value(t)
                        .map_err(|e| Error::at(path, format!("registry.storage: {e}")))?,
                )
            }
            Some(RawStorage::Table(t)) => {
                let t: StorageTable = serde_norway::from_value(t)
                    .map_err(|e| Error::at(path, format!("registry.storage: {e}")))?;
                match t.kind.as_str() {
                "pages" => Storage::Pages,
                "local" => {
                    let dir = t.dir.ok_or_else(|| {
                        Error::at(path, "registry.storage: kind `local` needs `dir` (where blobs are copied)")
                    })?;
                    let url = t.url.ok_or_else(|| {
                        Error::at(path, "registry.storage: kind `local` needs `url` (e.g. \"https://host/blobs/{hex}\")")
                    })?;
                    if !(url.starts_with("http://") || url.starts_with("https://")) {
                        return Err(Error::at(path, format!("registry.storage.url {url:?} must start with http:// or https://")));
                    }
                    let dir = if dir.is_absolute() { dir } else { path.parent().unwrap_or(Path::new(".")).join(dir) };
                    Storage::Local { dir, url }
                }
                other => return Err(unknown_storage(path, other)),
                }
            }
        };
        Ok(cfg)
    }

    /// Whether `file_name` is a recipe under this configuration.
    pub fn is_recipe(&self, file_name: &str) -> bool {
        self.recipes.iter().any(|p| match p.strip_prefix('*') {
            Some(suffix) => file_name.len() > suffix.len() && file_name.ends_with(suffix),
            None => p == file_name,
        })
    }

    /// The folder holding the collection documents, relative to the site root.
    pub fn documents_dir(&self) -> PathBuf {
        let mut p = PathBuf::new();
        if !self.collections_dir.is_empty() {
            p.push(&self.collections_dir);
        }
        p.push(format!("_{}", self.collection));
        p
    }
}

fn unknown_storage(path: &Path, kind: &str) -> Error {
    Error::at(
        path,
        format!(
            "registry.storage: unknown kind {kind:?}; use `pages`, `local`, `s3`, `gcs` or `azure`"
        ),
    )
}

fn yaml_error(path: &Path, e: &serde_norway::Error) -> Error {
    match e.location() {
        Some(loc) => Error::at_line(path, loc.line(), e),
        None => Error::at(path, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Config> {
        Config::parse(Path::new("/site/_config.yml"), t)
    }

    #[test]
    fn defaults_and_other_keys_ignored() {
        let c = parse("title: x\nplugins: [a]\n").unwrap();
        assert_eq!(c.storage, Storage::Pages);
        assert!(c.is_recipe("Singularity") && c.is_recipe("x.def") && !c.is_recipe(".def"));
        assert_eq!(c.documents_dir(), PathBuf::from("_containers"));
    }

    #[test]
    fn local_storage() {
        let c = parse("registry:\n  storage: {kind: local, dir: blobs, url: 'https://h/{hex}'}\n")
            .unwrap();
        assert_eq!(
            c.storage,
            Storage::Local {
                dir: PathBuf::from("/site/blobs"),
                url: "https://h/{hex}".into()
            }
        );
    }

    #[test]
    fn cloud_storage_and_builder() {
        let c = parse("registry:\n  storage: {kind: s3, bucket: b, prefix: img/}\n  builder:\n    command: make {output}\n").unwrap();
        match c.storage {
            Storage::Cloud(s) => {
                assert_eq!((s.bucket.as_str(), s.key("x").as_str()), ("b", "img/x"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(c.builder_command.as_deref(), Some("make {output}"));
        let e = parse("registry:\n  storage: {kind: gcs}\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bucket"), "{e}");
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse("title: x\nregistry:\n  storage: [\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/site/_config.yml:"), "{e}");
        let e = parse("registry:\n  storage: s4\n").unwrap_err().to_string();
        assert!(e.contains("unknown kind \"s4\""), "{e}");
        assert!(parse("registry:\n  recipes: ['../x']\n").is_err());
    }
}
