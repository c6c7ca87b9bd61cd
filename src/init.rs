//! `static-registry init [DIR]`: adds the registry to an existing Jekyll site.
//!
//! It copies the registry's layouts, includes, assets and page stubs (all under
//! registry-specific names, embedded from this repository's own files so there is one source
//! of truth), appends the `registry:` section and the collection settings to `_config.yml` as
//! text (the user's comments and formatting stay as they are), and adds a GitHub Actions
//! workflow. It never overwrites: if any file it would add exists, it names them all, exits 2
//! and writes nothing. Not for upgrading an initialised site (that is a later `init --update`).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fsutil::{read_text, write_atomic};

/// Arguments of `static-registry init`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The Jekyll site to add the registry to (default: the --source folder).
    pub dir: Option<PathBuf>,
}

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../", $path)) as &[u8])),*]
    };
}

/// The registry's own site files, copied as they are in this repository.
pub const SITE_FILES: &[(&str, &[u8])] = embed![
    "_layouts/registry-api.html",
    "_layouts/registry-catalog.json",
    "_layouts/registry-collection.html",
    "_layouts/registry-headers.html",
    "_layouts/registry-home.html",
    "_layouts/registry-index.html",
    "_layouts/registry-namespace.html",
    "_layouts/registry-nginx.html",
    "_layouts/registry-tags-list.json",
    "_includes/registry/assets.html",
    "_includes/registry/card.html",
    "_includes/registry/details.html",
    "_includes/registry/download-url.html",
    "_includes/registry/size.html",
    "_includes/registry/tags-table.html",
    "_includes/registry/usage.html",
    "_includes/registry/vars.html",
    "assets/registry/favicon.svg",
    "assets/registry/registry.css",
    "assets/registry/registry.js",
    "assets/registry/site.css",
    "registry/api.html",
    "registry/headers",
    "registry/index.json",
    "registry/nginx.conf",
];

/// The clean default layout, added only to a site that has neither a theme nor its own
/// `default` layout (the registry layouts are children of `default`).
pub const DEFAULT_LAYOUT: (&str, &[u8]) = (
    "_layouts/default.html",
    include_bytes!("../_layouts/default.html"),
);

/// The registry home page of an initialised site: the site keeps its own front page.
pub const HOME_PAGE: (&str, &[u8]) = (
    "registry/index.html",
    b"---\nlayout: registry-home\ntitle: Containers\npermalink: /registry/\n---\n",
);

/// The workflow that keeps generated files current.
pub const WORKFLOW: (&str, &[u8]) = (
    ".github/workflows/static-registry.yml",
    include_bytes!("init/workflow.yml"),
);

const CONFIG_REGISTRY: &str = "\
# static-registry (added by `static-registry init`): the registry's settings.
registry:
  # The Jekyll collection holding one generated document per container collection.
  collection: containers
  # The URL of the registry's home page.
  home: /registry/
";

const COLLECTION_ENTRY: &str = "containers:\n  output: true\n  permalink: /:path/\n";

pub fn run(source: &Path, args: &Args) -> Result<()> {
    let dir = args.dir.as_deref().unwrap_or(source);
    let added = init(dir)?;
    for line in added {
        println!("{line}");
    }
    println!(
        "Next: add a recipe at <namespace>/<name>/manifests/<tag>/Singularity, then run \
         `static-registry generate` and commit."
    );
    Ok(())
}

/// Adds the registry to the site at `dir`; returns one line per change, for the user.
pub fn init(dir: &Path) -> Result<Vec<String>> {
    if !dir.is_dir() {
        return Err(Error::at(
            dir,
            "is not a folder: give the Jekyll site to add the registry to",
        ));
    }
    let config_path = dir.join("_config.yml");
    let config = if config_path.exists() {
        Some(read_text(&config_path)?)
    } else {
        None
    };
    let config_text = config.as_deref().unwrap_or("");

    let mut files: Vec<(&str, &[u8])> = SITE_FILES.to_vec();
    files.push(HOME_PAGE);
    files.push(WORKFLOW);
    if !has_theme(config_text) && !dir.join(DEFAULT_LAYOUT.0).exists() {
        files.push(DEFAULT_LAYOUT);
    }

    // Refuse before writing anything: every clash is named at once.
    let clashes: Vec<String> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists() || p.symlink_metadata().is_ok())
        .map(|p| p.display().to_string())
        .collect();
    if !clashes.is_empty() {
        return Err(Error::input(format!(
            "{}: the registry would overwrite files that already exist:\n  {}\n\
             Nothing was written. Move or rename them, then run `static-registry init` again.",
            dir.display(),
            clashes.join("\n  ")
        )));
    }
    let new_config = extend_config(&config_path, config_text)?;

    let mut added = Vec::new();
    for (rel, bytes) in &files {
        write_atomic(&dir.join(rel), bytes)?;
        added.push(format!("added {rel}"));
    }
    write_atomic(&config_path, new_config.as_bytes())?;
    added.push(if config.is_some() {
        "appended to _config.yml: registry, collections.containers".to_string()
    } else {
        "added _config.yml: registry, collections.containers".to_string()
    });
    Ok(added)
}

/// Whether the config names a theme (`theme:` or `remote_theme:` at the top level).
fn has_theme(config: &str) -> bool {
    config.lines().any(|l| {
        let l = l.trim_end();
        (l.starts_with("theme:") || l.starts_with("remote_theme:"))
            && !l
                .split_once(':')
                .map(|x| x.1)
                .unwrap_or("")
                .trim()
                .is_empty()
    })
}

/// The config text with the registry settings added. Text, not YAML round-trip, so the
/// user's comments, order and quoting survive. A `collections:` mapping that exists gets the
/// `containers` entry inserted at its indentation; anything it cannot extend safely is an
/// error that says what to add by hand.
pub fn extend_config(path: &Path, text: &str) -> Result<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let top_key = |key: &str| {
        lines.iter().position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })
    };
    if let Some(i) = top_key("registry") {
        return Err(Error::at_line(
            path,
            i + 1,
            "already has a `registry:` section: this site looks initialised already",
        ));
    }
    let mut out = String::with_capacity(text.len() + 512);
    match top_key("collections") {
        None => {
            out.push_str(text);
            if !text.is_empty() && !text.ends_with('\n') {
                out.push('\n');
            }
            if !text.is_empty() {
                out.push('\n');
            }
            out.push_str(CONFIG_REGISTRY);
            out.push_str("collections:\n");
            for l in COLLECTION_ENTRY.lines() {
                out.push_str("  ");
                out.push_str(l);
                out.push('\n');
            }
        }
        Some(i) => {
            let rest = lines[i]["collections:".len()..].trim();
            if !(rest.is_empty() || rest.starts_with('#')) {
                return Err(Error::at_line(
                    path,
                    i + 1,
                    format!(
                        "`collections:` is written inline ({rest}); turn it into a block \
                         mapping and add:\n  containers:\n    output: true\n    permalink: /:path/"
                    ),
                ));
            }
            // The indentation of the mapping's first entry (two spaces when it is empty).
            let body = lines[i + 1..]
                .iter()
                .take_while(|l| l.trim().is_empty() || l.starts_with([' ', '\t', '#']))
                .collect::<Vec<_>>();
            let defines_containers = body.iter().any(|l| {
                l.trim_start()
                    .strip_prefix("containers")
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            });
            if defines_containers {
                return Err(Error::at_line(
                    path,
                    i + 1,
                    "already defines a `containers` collection: the registry needs that name",
                ));
            }
            let indent = body
                .iter()
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .map(|l| l.len() - l.trim_start().len())
                .filter(|&n| n > 0)
                .unwrap_or(2);
            let pad = " ".repeat(indent);
            for (j, l) in lines.iter().enumerate() {
                out.push_str(l);
                if j == i {
                    if !l.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(&format!(
                        "{pad}# static-registry (added by `static-registry init`)\n"
                    ));
                    for e in COLLECTION_ENTRY.lines() {
                        let e_indent = e.len() - e.trim_start().len();
                        out.push_str(&pad);
                        out.push_str(&" ".repeat(e_indent / 2 * indent));
                        out.push_str(e.trim_start());
                        out.push('\n');
                    }
                }
            }
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
            out.push_str(CONFIG_REGISTRY);
        }
    }
    // The result must still be YAML (a user's file may already be odd; say where).
    serde_norway::from_str::<serde_norway::Value>(&out).map_err(|e| {
        Error::at(
            path,
            format!("is not valid YAML once the registry settings are added ({e}); fix it and run init again"),
        )
    })?;
    Ok(out)
}
