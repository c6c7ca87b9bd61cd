//! Which files Jekyll reads: its `EntryFilter` rules (names starting with `.`, `_`, `#` or `~`,
//! backups ending in `~`, `exclude`/`include` globs matched with Ruby's `File.fnmatch?`, and
//! symlinks, which safe mode refuses). Not for deciding pages versus static files (`reader`).

use super::config::Config;

/// Ruby's `File.fnmatch?(pattern, path)` without flags when `pathname` is false (`*` crosses
/// `/`), or `Dir.glob` semantics when true.
pub fn fnmatch(pattern: &str, text: &str, pathname: bool) -> bool {
    // Most `exclude`/`include` entries are plain names: without a wildcard, a match is equality.
    if !pattern.contains(['*', '?', '[', '\\']) {
        return pattern == text;
    }
    // The literal text before the first and after the last wildcard must be the text's own
    // start and end: that alone turns down nearly every path for `*/*/README.md`, which
    // would otherwise be tried at every split of a long path.
    let special = |c: char| matches!(c, '*' | '?' | '[' | ']' | '\\');
    let head = &pattern[..pattern.find(special).unwrap_or(pattern.len())];
    let tail = &pattern[pattern.rfind(special).map_or(pattern.len(), |i| i + 1)..];
    if !text.starts_with(head) || !text.ends_with(tail) {
        return false;
    }
    // ASCII (nearly every path) is matched byte by byte, anything else by characters (`?`
    // matches one character, not one byte).
    if pattern.is_ascii() && text.is_ascii() {
        return glob(pattern.as_bytes(), text.as_bytes(), pathname);
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    glob(&p, &t, pathname)
}

/// One unit of a pattern or text: a byte of ASCII, or a character.
trait Unit: Copy + PartialOrd {
    fn char(self) -> char;
}

impl Unit for u8 {
    fn char(self) -> char {
        self as char
    }
}

impl Unit for char {
    fn char(self) -> char {
        self
    }
}

fn glob<T: Unit>(p: &[T], t: &[T], pathname: bool) -> bool {
    let is = |u: T, c: char| u.char() == c;
    if p.is_empty() {
        return t.is_empty();
    }
    match p[0].char() {
        '*' => {
            if pathname && p.len() >= 3 && is(p[1], '*') && is(p[2], '/') {
                // `**/` matches zero or more folders
                if glob(&p[3..], t, pathname) {
                    return true;
                }
                for i in 0..t.len() {
                    if is(t[i], '/') && glob(&p[3..], &t[i + 1..], pathname) {
                        return true;
                    }
                }
                return false;
            }
            for i in 0..=t.len() {
                if glob(&p[1..], &t[i..], pathname) {
                    return true;
                }
                if i < t.len() && pathname && is(t[i], '/') {
                    break;
                }
            }
            false
        }
        '?' => !(t.is_empty() || pathname && is(t[0], '/')) && glob(&p[1..], &t[1..], pathname),
        '[' => {
            if t.is_empty() {
                return false;
            }
            let mut i = 1;
            let negate = i < p.len() && (is(p[i], '!') || is(p[i], '^'));
            if negate {
                i += 1;
            }
            let mut matched = false;
            let start = i;
            while i < p.len() && (!is(p[i], ']') || i == start) {
                if i + 2 < p.len() && is(p[i + 1], '-') && !is(p[i + 2], ']') {
                    if p[i] <= t[0] && t[0] <= p[i + 2] {
                        matched = true;
                    }
                    i += 3;
                } else {
                    if p[i] == t[0] {
                        matched = true;
                    }
                    i += 1;
                }
            }
            if i >= p.len() {
                return p[0] == t[0] && glob(&p[1..], &t[1..], pathname);
            }
            matched != negate && glob(&p[i + 1..], &t[1..], pathname)
        }
        '\\' if p.len() > 1 => !t.is_empty() && p[1] == t[0] && glob(&p[2..], &t[1..], pathname),
        _ => !t.is_empty() && p[0] == t[0] && glob(&p[1..], &t[1..], pathname),
    }
}

/// The filter for one site, its patterns prefixed with the source once (Jekyll matches
/// `source/pattern` against `source/entry`).
pub struct EntryFilter<'a> {
    config: &'a Config,
    source: String,
    include: Vec<String>,
    /// `exclude` without the entries `include` also lists.
    exclude: Vec<String>,
}

impl<'a> EntryFilter<'a> {
    pub fn new(config: &'a Config) -> Self {
        let source = config.source.to_string_lossy();
        let source = source.trim_end_matches('/').to_string();
        let with_source = |p: &String| format!("{source}/{}", p.trim_start_matches('/'));
        let include = config.include.iter().map(with_source).collect();
        let exclude = config
            .exclude
            .iter()
            .filter(|e| !config.include.contains(e))
            .map(with_source)
            .collect();
        EntryFilter {
            config,
            source,
            include,
            exclude,
        }
    }

    /// `glob_include?`: `entry` is relative to the source; `patterns` carry the source.
    fn glob_include(&self, patterns: &[String], entry: &str) -> bool {
        if patterns.is_empty() {
            return false;
        }
        let entry_with_source = format!("{}/{entry}", self.source);
        patterns.iter().any(|pattern_with_source| {
            fnmatch(pattern_with_source, &entry_with_source, false)
                || entry_with_source.starts_with(pattern_with_source.as_str())
                // `name/` matches the folder `name`: stat only when the text says so (rare),
                // not for every entry of the site.
                || (pattern_with_source.strip_suffix('/') == Some(entry_with_source.as_str())
                    && self.config.source.join(entry).is_dir())
        })
    }

    pub fn included(&self, rel: &str) -> bool {
        let base = rel.rsplit('/').next().unwrap_or(rel);
        self.glob_include(&self.include, rel) || self.glob_include(&self.include, base)
    }

    pub fn special(rel: &str) -> bool {
        let base = rel.rsplit('/').next().unwrap_or(rel);
        let sp = |s: &str| s.starts_with(['.', '_', '#', '~']);
        sp(rel) || sp(base)
    }

    pub fn excluded(&self, rel: &str) -> bool {
        self.glob_include(&self.exclude, rel)
    }

    /// Whether to keep `rel` (relative to the source; `is_symlink` as its folder listing says).
    /// `name_rel` is what Jekyll tests the special-name rules on (the entry as listed in its
    /// folder walk).
    pub fn keep(&self, rel: &str, name_rel: &str, is_symlink: bool) -> bool {
        if self.config.safe && is_symlink {
            return false;
        }
        if self.included(name_rel) {
            return true;
        }
        if name_rel.ends_with('.') {
            return false;
        }
        !(Self::special(name_rel) || name_rel.ends_with('~') || self.excluded(rel))
    }
}

#[cfg(test)]
mod tests {
    use super::fnmatch;
    #[test]
    fn globs() {
        assert!(
            fnmatch("/s/caf?.md", "/s/café.md", false),
            "? is one character"
        );
        assert!(fnmatch("/s/[a-é]x", "/s/éx", false));
        assert!(!fnmatch("/s/caf?.md", "/s/cafe/.md", true));
        assert!(fnmatch("/s/*.bak", "/s/index.html.bak", false));
        assert!(fnmatch("/s/*.bak", "/s/a/b.bak", false));
        assert!(!fnmatch("docs/guides/*.md", "docs/guides/x/y.md", true));
        assert!(fnmatch("docs/guides/*.md", "docs/guides/first.md", true));
        assert!(fnmatch("a[bc]d", "acd", false));
        assert!(fnmatch("/s/*/*/README.md", "/s/a/b/README.md", false));
        assert!(!fnmatch("/s/*/*/README.md", "/s/a/b/README.mdx", false));
        assert!(!fnmatch("/s/*/*/README.md", "/t/a/b/README.md", false));
        assert!(fnmatch("*.md", "x.md", false) && fnmatch("x.*", "x.md", false));
        assert!(fnmatch("a\\*b", "a*b", false) && !fnmatch("a\\*b", "axb", false));
        assert!(!fnmatch("a[!bc]d", "acd", false));
    }
}
