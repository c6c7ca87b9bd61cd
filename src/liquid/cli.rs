//! The `liquid` subcommand: renders one template as a page of a site and prints the output.
//!
//! Not for: building the site (the `render` subcommand).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

use super::{Context, FsHost, Hash, Template, Value};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The site whose `_config.yml`, `_includes` and `_data` the template sees.
    #[arg(long = "site")]
    pub site: Option<PathBuf>,
    /// A JSON object: the page's front matter (`page.*`).
    #[arg(long = "data")]
    pub data: Option<PathBuf>,
    /// Where the page lives in the site (decides `page.url`, `page.dir`, `include_relative`).
    #[arg(long = "path", default_value = "index.html")]
    pub path: String,
    /// The template file, or `-` (the default) for standard input.
    #[arg(default_value = "-")]
    pub template: String,
}

pub fn run(source: &Path, args: &Args) -> Result<()> {
    let _ = (source, args);
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| Error::input(e.to_string()))?;
    Ok(())
}
