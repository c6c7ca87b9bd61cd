//! The site renderer: builds a Jekyll site the way GitHub Pages' build does (Jekyll 3.10, the
//! github-pages gem's configuration and default plugins), or Jekyll 4.3 with
//! `--profile jekyll4`, without Ruby.
//!
//! Stages, data flowing one way (zola/cobalt style):
//! `config` → `theme` → `reader` (with `filter` and `defaults`) → `plugins` → `url` →
//! `render` (Liquid, `convert`, layouts; `generated` files of plugins) → `write` or `check`.
//! `serve` runs generate + build and serves the result from memory.
//! What this module is NOT for: producing the generated registry files (`generate`) or the
//! Liquid language itself (`liquid`).

pub mod check;
pub mod config;
pub mod convert;
pub mod defaults;
pub mod filter;
pub mod generated;
pub mod model;
pub mod plugins;
pub mod reader;
pub mod render;
pub mod seo;
pub mod serve;
pub mod theme;
pub mod time;
pub mod url;
pub mod write;

use std::path::{Path, PathBuf};

pub use config::Profile;
use config::{Config, Theme as ThemeChoice};
use model::Site;
pub use write::{Content, Output};

use crate::error::{Error, Result};

/// `static-registry render`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Compare the rendered site with the tree in the destination instead of writing it: print
    /// a summary and unified diffs, exit 1 on any difference.
    #[arg(long)]
    pub check: bool,
    /// The output folder (default: `_site` in the source).
    #[arg(short = 'd', long = "destination")]
    pub destination: Option<PathBuf>,
    /// Which Jekyll to match.
    #[arg(long, value_enum, default_value_t = Profile::Pages)]
    pub profile: Profile,
    /// With --check: how many diffs to print at most.
    #[arg(long, default_value_t = 20)]
    pub max_diffs: usize,
}

pub fn run(source: &Path, args: &Args) -> Result<()> {
    let dest = args
        .destination
        .clone()
        .unwrap_or_else(|| source.join("_site"));
    if !args.check {
        // Files go to disk as they render, into a temporary folder: the destination changes
        // only once all of them succeeded.
        let (mut site, deps) = load(source, args.profile)?;
        if site.is_small() {
            crate::alloc::keep_freed_pages();
        }
        let mut writer = write::SiteWriter::create(&dest)?;
        render::render_site_into(&mut site, &deps, &mut writer)?;
        let n = writer.finish()?;
        eprintln!("rendered {n} files into {}", dest.display());
        return Ok(());
    }
    let output = build(source, args.profile)?;
    if !dest.is_dir() {
        return Err(Error::input(format!(
            "{}: no such folder to compare with; render it first or pass -d DIR",
            dest.display()
        )));
    }
    let report = check::compare(&output, &dest)?;
    for (i, f) in report.different.iter().enumerate() {
        if i >= args.max_diffs {
            println!("… {} more different files", report.different.len() - i);
            break;
        }
        print!("{}", check::diff(&output, &dest, f)?);
    }
    for f in &report.missing {
        println!("missing (on disk, not rendered): {f}");
    }
    for f in &report.extra {
        println!("extra (rendered, not on disk): {f}");
    }
    println!("render --check: {}", report.summary());
    if report.is_clean() {
        return Ok(());
    }
    Err(Error::failed(format!(
        "the rendered site differs from {}: {}",
        dest.display(),
        report.summary()
    )))
}

/// Gem names a theme's gemspec pulls in (Jekyll loads them as plugins).
fn theme_dependencies(t: &theme::Theme) -> Vec<String> {
    let Some(gems) = t.root.parent() else {
        return vec![];
    };
    let Some(base) = gems.parent() else {
        return vec![];
    };
    let Some(dirname) = t.root.file_name() else {
        return vec![];
    };
    let spec = base
        .join("specifications")
        .join(format!("{}.gemspec", dirname.to_string_lossy()));
    let Ok(text) = std::fs::read_to_string(spec) else {
        // Without a gemspec, fall back to what minima is known to need.
        return if t.name == "minima" {
            vec!["jekyll-feed".into(), "jekyll-seo-tag".into()]
        } else {
            vec![]
        };
    };
    let re = crate::re::cached(
        r#"add_(?:runtime_)?dependency\(?\s*%q<([^>]+)>|add_(?:runtime_)?dependency\(?\s*"([^"]+)""#,
    );
    re.captures_iter(&text)
        .filter_map(|c| {
            c.get(1)
                .or_else(|| c.get(2))
                .map(|m| m.as_str().to_string())
        })
        .filter(|n| n.starts_with("jekyll-") && n != "jekyll")
        .collect()
}

/// Resolves the theme: a named one must be installed; Pages' default (primer) is used when
/// installed and otherwise reported plainly.
pub fn resolve_theme(config: &Config) -> Result<Option<theme::Theme>> {
    match &config.theme {
        ThemeChoice::None => Ok(None),
        ThemeChoice::Named(n) => theme::require(n, &config.source).map(Some),
        ThemeChoice::PagesDefault => {
            let (t, dirs) = theme::find("jekyll-theme-primer", &config.source);
            if t.is_none() {
                eprintln!(
                    "warning: {} has no `theme:` key, so GitHub Pages applies its default theme \
                     jekyll-theme-primer; that gem is not installed here (looked in {}), so this \
                     preview renders without it and will not match Pages. Install the gem, or set \
                     `theme: null` (or another theme) to make the preview exact.",
                    config.source.join("_config.yml").display(),
                    dirs.iter()
                        .map(|d| d.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            Ok(t)
        }
    }
}

/// Reads and prepares the whole site model (everything but rendering).
pub fn load(source: &Path, profile: Profile) -> Result<(Site, Vec<String>)> {
    let config = Config::load(source, profile)?;
    let theme = resolve_theme(&config)?;
    let deps = theme.as_ref().map(theme_dependencies).unwrap_or_default();
    let mut site = reader::Reader::read(&config, theme.as_ref())?;
    let dep_refs: Vec<&str> = deps.iter().map(String::as_str).collect();
    plugins::generate(&mut site, &dep_refs)?;
    assign_urls(&mut site)?;
    Ok((site, deps))
}

/// Builds the site into memory: the output path → bytes map that `write` or `check` take.
pub fn build(source: &Path, profile: Profile) -> Result<Output> {
    let mut out = Output::new();
    build_into(source, profile, &mut out)?;
    Ok(out)
}

/// Builds the site, handing each output file to `out` as soon as it is rendered (a
/// [`write::SiteWriter`] streams them to disk).
pub fn build_into(source: &Path, profile: Profile, out: &mut dyn write::Sink) -> Result<()> {
    let (mut site, deps) = load(source, profile)?;
    render::render_site_into(&mut site, &deps, out)
}

fn assign_urls(site: &mut Site) -> Result<()> {
    let cfg = site.config.clone();
    for p in site.pages.iter_mut() {
        url::page_url(&cfg, p);
    }
    // On all cores (2,000 posts' permalinks were ~15 ms of one thread before rendering
    // starts); the first error in document order is the one reported.
    use rayon::prelude::*;
    let results: Vec<Result<()>> = site
        .docs
        .par_iter_mut()
        .map(|d| url::document_url(&cfg, d))
        .collect();
    results.into_iter().collect::<Result<()>>()?;
    for f in site.static_files.iter_mut() {
        url::static_url(&cfg, f);
    }
    Ok(())
}
