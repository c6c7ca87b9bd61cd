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
        "extended _config.yml: registry, collections.containers, exclude \"*/*/README.md\""
            .to_string()
    } else {
        "added _config.yml: registry, collections.containers, exclude".to_string()
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

use crate::site::config::JEKYLL_DEFAULT_EXCLUDES;

/// Collection READMEs are read by the tool; to Jekyll they would be pages at the collection's
/// own URL (docs/generated-files.md says why).
const README_EXCLUDE: &str = "\"*/*/README.md\"";

/// The config text with the registry settings added. Text, not a YAML round trip, so the
/// user's comments, order and quoting survive: the `containers` collection goes into the
/// `collections:` mapping, the README pattern into the `exclude:` list (each created when
/// absent), and the `registry:` section is appended. What it cannot extend safely (a flow
/// mapping written over several lines, say) is an error that says what to add by hand. The
/// result is parsed back to prove the settings landed where Jekyll will read them.
pub fn extend_config(path: &Path, text: &str) -> Result<String> {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    if let Some(last) = lines.last_mut() {
        if !last.ends_with('\n') {
            last.push('\n');
        }
    }
    if let Some(i) = top_key(&lines, "registry") {
        return Err(Error::at_line(
            path,
            i + 1,
            "already has a `registry:` section: this site looks initialised already",
        ));
    }
    let mut appended = String::new();

    // collections: { containers: … }
    match top_key(&lines, "collections") {
        None => {
            appended.push_str("collections:\n");
            for l in COLLECTION_ENTRY.lines() {
                appended.push_str(&format!("  {l}\n"));
            }
        }
        Some(i) => {
            let rest = value_after_key(&lines[i]);
            if !rest.is_empty() {
                return Err(Error::at_line(
                    path,
                    i + 1,
                    format!(
                        "`collections:` is written inline ({rest}); turn it into a block mapping \
                         and add:\n  containers:\n    output: true\n    permalink: /:path/"
                    ),
                ));
            }
            let body = block_body(&lines, i);
            if body.iter().any(|l| {
                l.trim_start()
                    .strip_prefix("containers")
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            }) {
                return Err(Error::at_line(
                    path,
                    i + 1,
                    "already defines a `containers` collection: the registry needs that name",
                ));
            }
            let indent = first_entry_indent(&body).filter(|&n| n > 0).unwrap_or(2);
            let pad = " ".repeat(indent);
            let mut block = format!("{pad}# static-registry (added by `static-registry init`)\n");
            for e in COLLECTION_ENTRY.lines() {
                let nested = (e.len() - e.trim_start().len()) / 2 * indent;
                block.push_str(&format!("{pad}{}{}\n", " ".repeat(nested), e.trim_start()));
            }
            lines.insert(i + 1, block);
        }
    }

    // exclude: [ "*/*/README.md", … ]
    match top_key(&lines, "exclude") {
        None => {
            appended.push_str(
                "# Collection READMEs are read by static-registry, not published as pages; the\n\
                 # rest is Jekyll's default list, which a site's own `exclude` replaces.\nexclude:\n",
            );
            appended.push_str(&format!("  - {README_EXCLUDE}\n"));
            for e in JEKYLL_DEFAULT_EXCLUDES {
                appended.push_str(&format!("  - {e}\n"));
            }
        }
        Some(i) => {
            let rest = value_after_key(&lines[i]);
            if rest.is_empty() {
                let body = block_body(&lines, i);
                let indent = first_entry_indent(&body).unwrap_or(2);
                lines.insert(
                    i + 1,
                    format!(
                        "{}- {README_EXCLUDE}  # static-registry: collection READMEs are not pages\n",
                        " ".repeat(indent)
                    ),
                );
            } else if rest.starts_with('[') && rest.ends_with(']') {
                let inner = rest[1..rest.len() - 1].trim();
                let list = if inner.is_empty() {
                    format!("[{README_EXCLUDE}]")
                } else {
                    format!("[{inner}, {README_EXCLUDE}]")
                };
                let key_end = lines[i].find(':').unwrap() + 1;
                let comment = lines[i]
                    .find(" #")
                    .map(|c| lines[i][c..].trim_end().to_string())
                    .unwrap_or_default();
                lines[i] = format!("{} {list}{comment}\n", &lines[i][..key_end]);
            } else {
                return Err(Error::at_line(
                    path,
                    i + 1,
                    format!("`exclude:` is written in a form init cannot extend ({rest}); add the entry {README_EXCLUDE} by hand"),
                ));
            }
        }
    }

    let mut out: String = lines.concat();
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(CONFIG_REGISTRY);
    out.push_str(&appended);
    check_config(path, &out)?;
    Ok(out)
}

/// The index of the line holding top-level `key:`.
fn top_key(lines: &[String], key: &str) -> Option<usize> {
    lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
    })
}

/// What follows `key:` on its line, without a trailing comment.
fn value_after_key(line: &str) -> String {
    let after = &line[line.find(':').map_or(line.len(), |i| i + 1)..];
    let after = match after.find(" #") {
        Some(c) => &after[..c],
        None => after,
    };
    let after = after.trim();
    if after.starts_with('#') {
        String::new()
    } else {
        after.to_string()
    }
}

/// The lines of the block under the top-level key at `i` (indented, blank or comment lines;
/// a sequence may also sit at column 0 as `- item`).
fn block_body(lines: &[String], i: usize) -> Vec<&str> {
    lines[i + 1..]
        .iter()
        .map(String::as_str)
        .take_while(|l| l.trim().is_empty() || l.starts_with([' ', '\t', '#', '-']))
        .collect()
}

fn first_entry_indent(body: &[&str]) -> Option<usize> {
    body.iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.len() - l.trim_start().len())
}

/// Parses the new config and checks that Jekyll will see the registry's settings.
fn check_config(path: &Path, text: &str) -> Result<()> {
    use serde_norway::Value;
    let fail = |what: &str| {
        Error::at(
            path,
            format!("init could not add {what} to this file's YAML safely; add it by hand (see docs/ui.md)"),
        )
    };
    let v: Value = serde_norway::from_str(text).map_err(|e| {
        Error::at(path, format!("is not valid YAML once the registry settings are added ({e}); fix it and run init again"))
    })?;
    let containers = &v["collections"]["containers"];
    if containers["output"] != Value::Bool(true)
        || containers["permalink"].as_str() != Some("/:path/")
    {
        return Err(fail("the `containers` collection"));
    }
    let excluded = v["exclude"]
        .as_sequence()
        .is_some_and(|s| s.iter().any(|e| e.as_str() == Some("*/*/README.md")));
    if !excluded {
        return Err(fail("the README exclude pattern"));
    }
    if v["registry"]["collection"].as_str() != Some("containers") {
        return Err(fail("the `registry:` section"));
    }
    Ok(())
}
