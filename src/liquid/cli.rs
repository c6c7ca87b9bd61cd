//! The `liquid` subcommand: renders one template as a page of a site and prints the output
//! (no layout), so a user can try Liquid exactly as Pages would run it.
//!
//! The page sees `site` (the site's `_config.yml` values, `site.data` from `_data/`, `time`),
//! `page` (the `--data` JSON object plus `url`, `path`, `dir`, `name`), and the site's
//! `_includes/`. Posts and collections come with the site renderer (issue 4).
//!
//! Not for: building the site (the `render` subcommand).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};

use super::{Context, FsHost, Hash, Template, Value};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The site whose `_config.yml`, `_includes` and `_data` the template sees (default: the
    /// global `--source`).
    #[arg(long = "site")]
    pub site: Option<PathBuf>,
    /// A JSON object: the page's front matter (`page.*`).
    #[arg(long = "data")]
    pub data: Option<PathBuf>,
    /// Where the page lives in the site (decides `page.url`, `page.dir`, `include_relative`).
    #[arg(long = "path", default_value = "index.html")]
    pub path: String,
    /// The template file, or `-` for standard input.
    #[arg(default_value = "-")]
    pub template: String,
}

/// Converts parsed YAML into a Liquid value.
pub fn yaml_to_value(y: &serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match y {
        Y::Null => Value::Nil,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Y::String(s) => Value::from(s.as_str()),
        Y::Sequence(s) => Value::from(s.iter().map(yaml_to_value).collect::<Vec<_>>()),
        Y::Mapping(m) => Value::from(
            m.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s.clone(),
                        other => yaml_to_value(other).to_s(),
                    };
                    (key, yaml_to_value(v))
                })
                .collect::<Hash>(),
        ),
        Y::Tagged(t) => yaml_to_value(&t.value),
    }
}

fn read_config(site: &Path) -> Result<Hash> {
    let path = site.join("_config.yml");
    if !path.is_file() {
        return Ok(Hash::default());
    }
    let text = std::fs::read_to_string(&path).at_path(&path)?;
    if text.trim().is_empty() {
        return Ok(Hash::default());
    }
    let y: serde_norway::Value = serde_norway::from_str(&text).map_err(|e| Error::at(&path, e))?;
    match yaml_to_value(&y) {
        Value::Hash(h) => Ok(h.as_ref().clone()),
        Value::Nil => Ok(Hash::default()),
        _ => Err(Error::at(&path, "the configuration must be a mapping")),
    }
}

/// `_data/`: YAML and JSON files, nested folders as nested hashes (CSV/TSV come with the site
/// renderer).
fn read_data(dir: &Path) -> Result<Hash> {
    let mut h = Hash::default();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(h);
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if p.is_dir() {
            let name = p
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            h.insert(name, Value::from(read_data(&p)?));
            continue;
        }
        let ext = p
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let text = || std::fs::read_to_string(&p).at_path(&p);
        let v = match ext.as_str() {
            "yml" | "yaml" => {
                let y: serde_norway::Value =
                    serde_norway::from_str(&text()?).map_err(|e| Error::at(&p, e))?;
                yaml_to_value(&y)
            }
            "json" => {
                let j: serde_json::Value =
                    serde_json::from_str(&text()?).map_err(|e| Error::at(&p, e))?;
                Value::from(&j)
            }
            _ => continue,
        };
        h.insert(stem, v);
    }
    Ok(h)
}

/// Jekyll's page variables that follow from where the page lives.
pub fn page_location(path: &str) -> Hash {
    let mut h = Hash::default();
    let url = if path.ends_with("index.html") {
        format!("/{}", path.trim_end_matches("index.html"))
    } else if let Some(stem) = path
        .strip_suffix(".md")
        .or_else(|| path.strip_suffix(".markdown"))
    {
        format!("/{stem}.html")
    } else {
        format!("/{path}")
    };
    let dir = match url.rfind('/') {
        Some(i) => url[..=i].to_string(),
        None => "/".into(),
    };
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    h.insert("url".into(), Value::from(url));
    h.insert("path".into(), Value::from(path));
    h.insert("dir".into(), Value::from(dir));
    h.insert("name".into(), Value::from(name));
    h
}

pub fn run(source: &Path, args: &Args) -> Result<()> {
    let site = args.site.clone().unwrap_or_else(|| source.to_path_buf());
    let (template_name, text) = if args.template == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::input(format!("standard input: {e}")))?;
        ("<stdin>".to_string(), s)
    } else {
        let p = PathBuf::from(&args.template);
        (
            args.template.clone(),
            std::fs::read_to_string(&p).at_path(&p)?,
        )
    };
    let config = read_config(&site)?;
    let mut page = page_location(&args.path);
    if let Some(d) = &args.data {
        let text = std::fs::read_to_string(d).at_path(d)?;
        let j: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::at(d, e))?;
        match Value::from(&j) {
            Value::Hash(h) => {
                for (k, v) in h.iter() {
                    page.insert(k.clone(), v.clone());
                }
            }
            _ => return Err(Error::at(d, "the page data must be a JSON object")),
        }
    }
    let mut site_hash = config.clone();
    site_hash.insert("data".into(), Value::from(read_data(&site.join("_data"))?));
    let host = FsHost::with_config(&site, config);
    let template = Template::parse(&text, &template_name)?;
    let mut ctx = Context::new(&host);
    ctx.set_page_path(&args.path);
    ctx.set_global("site", Value::from(site_hash));
    ctx.set_global("page", Value::from(page));
    let out = template.render(&mut ctx)?;
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .map_err(|e| Error::input(format!("standard output: {e}")))?;
    Ok(())
}
