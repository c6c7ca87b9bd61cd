//! The converters Jekyll picks by extension: Markdown (kramdown, GFM input) for the
//! `markdown_ext` list, Sass/SCSS to CSS, and identity for everything else. The engines live
//! in `crate::markdown` and `crate::sass`; this module only chooses and configures them.
//! Not for Liquid (`render`) or deciding output extensions (`url`).

use std::path::{Path, PathBuf};

use super::config::Config;
use crate::error::{Error, Result};
use crate::markdown::KramdownOptions;

/// The site's kramdown options (Pages' forced values are already in the config).
pub fn kramdown_options(config: &Config) -> KramdownOptions {
    let k = config
        .get("kramdown")
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or(serde_json::Value::Null);
    KramdownOptions::from_config(&k)
}

/// Markdown → HTML with the site's kramdown options.
pub fn markdownify(src: &str, opts: &KramdownOptions) -> String {
    let mut html = crate::markdown::to_html(src, opts);
    // kramdown echoes a blank line that ends the document as one more "\n" (checked against
    // Debian's kramdown 2.4.0: "x\n\n" → "<p>x</p>\n\n"); crate::markdown drops it.
    let tail = &src[src.trim_end().len()..];
    if tail.matches('\n').count() >= 2 && !html.ends_with("\n\n") && html.ends_with('\n') {
        html.push('\n');
    }
    html
}

/// Sass/SCSS → compressed CSS, importing from `load_paths` (the site's and the theme's
/// `_sass`). `path` names the file in errors.
pub fn sass(src: &str, indented: bool, load_paths: &[&Path], path: &Path) -> Result<String> {
    let syntax = if indented {
        crate::sass::Syntax::Sass
    } else {
        crate::sass::Syntax::Scss
    };
    let paths: Vec<PathBuf> = load_paths.iter().map(|p| p.to_path_buf()).collect();
    crate::sass::compile(src, syntax, &paths)
        .map_err(|e| Error::at(path, format!("Sass error: {}", e.0)))
}

/// Which converter a file with `ext` goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Converter {
    Markdown,
    Sass { indented: bool },
    Identity,
}

pub fn converter_for(config: &Config, ext: &str) -> Converter {
    if config.is_markdown(ext) {
        Converter::Markdown
    } else if ext.eq_ignore_ascii_case(".scss") {
        Converter::Sass { indented: false }
    } else if ext.eq_ignore_ascii_case(".sass") {
        Converter::Sass { indented: true }
    } else {
        Converter::Identity
    }
}
