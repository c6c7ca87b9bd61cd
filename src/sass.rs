//! Sass/SCSS to CSS the way GitHub Pages compiles it: jekyll-sass-converter 1.5.2 on Ruby Sass
//! 3.7.4 with `style: compressed`, through the `grass` compiler.
//!
//! API:
//! - [`compile`]`(source, syntax, &load_paths)` compiles one stylesheet body (the part after
//!   the front matter) with the given `@import` load paths, in order (Jekyll's are the site's
//!   `_sass` and then the theme's `_sass`).
//! - [`Syntax`]: `.scss` or indented `.sass` (and the `scssify` / `sassify` filters).
//!
//! grass follows dart-sass; the post-processing in [`ruby_sass_compat`] closes the systematic
//! differences from Ruby Sass 3.7.4's compressed output that the fixtures show (its final
//! newline). Differences that remain are measured by `tests/sass_fixtures.rs`.
//!
//! Not for: front matter, `sass:` config keys other than the load paths, source maps.

use std::path::{Path, PathBuf};

/// Input syntax of a stylesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Scss,
    /// The indented syntax (`.sass`).
    Sass,
}

/// A Sass compile error, with grass's message (it names the file and line where it can).
#[derive(Debug)]
pub struct SassError(pub String);

impl std::fmt::Display for SassError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SassError {}

/// Compiles `source` to compressed CSS, resolving `@import` through `load_paths` in order.
pub fn compile(source: &str, syntax: Syntax, load_paths: &[PathBuf]) -> Result<String, SassError> {
    let mut opts = grass::Options::default()
        .style(grass::OutputStyle::Compressed)
        .quiet(true)
        .input_syntax(match syntax {
            Syntax::Scss => grass::InputSyntax::Scss,
            Syntax::Sass => grass::InputSyntax::Sass,
        });
    for p in load_paths {
        opts = opts.load_path(p);
    }
    let css =
        grass::from_string(source.to_string(), &opts).map_err(|e| SassError(e.to_string()))?;
    Ok(ruby_sass_compat(&css))
}

/// Compiles a file on disk (syntax from its extension), e.g. a theme's `assets/main.scss`.
pub fn compile_path(path: &Path, load_paths: &[PathBuf]) -> Result<String, SassError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| SassError(format!("{}: {e}", path.display())))?;
    let syntax = if path.extension().is_some_and(|e| e == "sass") {
        Syntax::Sass
    } else {
        Syntax::Scss
    };
    compile(&text, syntax, load_paths)
}

/// Ruby Sass's compressed style ends the output with a newline; dart-sass (grass) does not.
/// An empty stylesheet stays empty in both.
pub fn ruby_sass_compat(css: &str) -> String {
    let mut out = css.trim_end_matches('\n').to_string();
    if !out.is_empty() {
        out.push('\n');
    }
    out
}
