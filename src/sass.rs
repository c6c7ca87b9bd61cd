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

/// Records every file grass reads, so the post-processing can look at the sources.
#[derive(Debug, Default)]
struct RecordingFs {
    read: std::sync::Mutex<Vec<String>>,
}

impl grass::Fs for RecordingFs {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let bytes = std::fs::read(path)?;
        if let Ok(mut r) = self.read.lock() {
            r.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        Ok(bytes)
    }
    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

/// Compiles `source` to compressed CSS, resolving `@import` through `load_paths` in order.
pub fn compile(source: &str, syntax: Syntax, load_paths: &[PathBuf]) -> Result<String, SassError> {
    let fs = RecordingFs::default();
    let mut opts = grass::Options::default()
        .fs(&fs)
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
    let mut sources = fs.read.into_inner().unwrap_or_default();
    sources.push(source.to_string());
    Ok(ruby_sass_compat(&css, &sources))
}

/// Compiles a file on disk (syntax from its extension), e.g. a theme's `assets/main.scss`.
/// A Jekyll front matter block at the top is skipped.
pub fn compile_path(path: &Path, load_paths: &[PathBuf]) -> Result<String, SassError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| SassError(format!("{}: {e}", path.display())))?;
    let body = match crate::frontmatter::split(&text) {
        Some(split) => split.body.to_string(),
        None => text.clone(),
    };
    let syntax = if path.extension().is_some_and(|e| e == "sass") {
        Syntax::Sass
    } else {
        Syntax::Scss
    };
    compile(&body, syntax, load_paths)
}

/// Closes the systematic differences between grass (dart-sass semantics) and Ruby Sass
/// 3.7.4's compressed output:
/// - Ruby Sass ends the output with a newline;
/// - it never writes `;}` (grass does after a declaration followed by a comment);
/// - it keeps spaces around the `~` combinator (`a ~ b`) while dropping them around `>`/`+`;
/// - it keeps hex colours and quoted attribute-selector values as the source wrote them
///   (grass lower-cases `#0086B3` and unquotes `[for="x"]`), recovered from `sources`.
pub fn ruby_sass_compat(css: &str, sources: &[String]) -> String {
    let hex = hex_spellings(sources);
    let mut out = String::with_capacity(css.len() + 16);
    let mut in_block = false; // inside `{…}` declarations (as opposed to a selector)
    let mut i = 0;
    while let Some(c) = css[i..].chars().next() {
        let rest = &css[i..];
        match c {
            '"' | '\'' => {
                let end = rest[1..].find(c).map_or(rest.len(), |e| e + 2);
                out.push_str(&rest[..end]);
                i += end;
                continue;
            }
            ';' if rest[1..].starts_with('}') => {
                i += 1;
                continue;
            }
            '{' => in_block = true,
            '}' => in_block = false,
            '[' if !in_block => {
                if let Some(close) = rest.find(']') {
                    out.push('[');
                    out.push_str(&requote_attribute(&rest[1..close], sources));
                    out.push(']');
                    i += close + 1;
                    continue;
                }
            }
            '~' if !in_block && !rest[1..].starts_with('=') => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push('~');
                if !rest[1..].starts_with(' ') {
                    out.push(' ');
                }
                i += 1;
                continue;
            }
            '#' if in_block => {
                let len = rest[1..]
                    .bytes()
                    .take_while(|x| x.is_ascii_hexdigit())
                    .count();
                if matches!(len, 3 | 4 | 6 | 8) {
                    let lit = &rest[..1 + len];
                    out.push_str(hex.get(lit).map_or(lit, String::as_str));
                    i += 1 + len;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        i += c.len_utf8();
    }
    let mut out = out.trim_end_matches('\n').to_string();
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Lower-case hex colour → the spelling the sources use, when they use exactly one.
fn hex_spellings(sources: &[String]) -> std::collections::HashMap<String, String> {
    let re = regex::Regex::new(r"#[0-9a-fA-F]{3,8}\b").expect("static regex");
    let mut seen: std::collections::HashMap<String, Option<String>> = Default::default();
    for s in sources {
        for m in re.find_iter(s) {
            let lit = m.as_str();
            let e = seen
                .entry(lit.to_ascii_lowercase())
                .or_insert(Some(lit.to_string()));
            if e.as_deref() != Some(lit) {
                *e = None;
            }
        }
    }
    seen.into_iter()
        .filter_map(|(k, v)| v.filter(|v| *v != k).map(|v| (k, v)))
        .collect()
}

/// `for=x` → `for="x"` when the sources quote that attribute value.
fn requote_attribute(inner: &str, sources: &[String]) -> String {
    let Some(eq) = inner.find('=') else {
        return inner.to_string();
    };
    let value = &inner[eq + 1..];
    if value.starts_with(['"', '\'']) || value.is_empty() {
        return inner.to_string();
    }
    for q in ['"', '\''] {
        let needle = format!("{}{q}{value}{q}", &inner[..=eq]);
        if sources.iter().any(|s| s.contains(&needle)) {
            return needle;
        }
    }
    inner.to_string()
}
