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
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    fn go(p: &[char], t: &[char], pathname: bool) -> bool {
        if p.is_empty() {
            return t.is_empty();
        }
        match p[0] {
            '*' => {
                if pathname && p.len() >= 3 && p[1] == '*' && p[2] == '/' {
                    // `**/` matches zero or more folders
                    if go(&p[3..], t, pathname) {
                        return true;
                    }
                    for i in 0..t.len() {
                        if t[i] == '/' && go(&p[3..], &t[i + 1..], pathname) {
                            return true;
                        }
                    }
                    return false;
                }
                for i in 0..=t.len() {
                    if go(&p[1..], &t[i..], pathname) {
                        return true;
                    }
                    if i < t.len() && pathname && t[i] == '/' {
                        break;
                    }
                }
                false
            }
            '?' => !(t.is_empty() || pathname && t[0] == '/') && go(&p[1..], &t[1..], pathname),
            '[' => {
                if t.is_empty() {
                    return false;
                }
                let mut i = 1;
                let negate = i < p.len() && (p[i] == '!' || p[i] == '^');
                if negate {
                    i += 1;
                }
                let mut matched = false;
                let start = i;
                while i < p.len() && (p[i] != ']' || i == start) {
                    if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
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
                    return p[0] == t[0] && go(&p[1..], &t[1..], pathname);
                }
                matched != negate && go(&p[i + 1..], &t[1..], pathname)
            }
            '\\' if p.len() > 1 => !t.is_empty() && p[1] == t[0] && go(&p[2..], &t[1..], pathname),
            c => !t.is_empty() && c == t[0] && go(&p[1..], &t[1..], pathname),
        }
    }
    go(&p, &t, pathname)
}

/// The filter for one site.
pub struct EntryFilter<'a> {
    config: &'a Config,
}

impl<'a> EntryFilter<'a> {
    pub fn new(config: &'a Config) -> Self {
        EntryFilter { config }
    }

    /// `glob_include?`: `entry` is relative to the source.
    fn glob_include(&self, patterns: &[String], entry: &str) -> bool {
        let src = self.config.source.to_string_lossy();
        let src = src.trim_end_matches('/');
        let entry_with_source = format!("{src}/{entry}");
        patterns.iter().any(|pattern| {
            let pattern_with_source = format!("{src}/{}", pattern.trim_start_matches('/'));
            fnmatch(&pattern_with_source, &entry_with_source, false)
                || entry_with_source.starts_with(&pattern_with_source)
                // `name/` matches the folder `name`: stat only when the text says so (rare),
                // not for every entry of the site.
                || (pattern_with_source.strip_suffix('/') == Some(entry_with_source.as_str())
                    && self.config.source.join(entry).is_dir())
        })
    }

    pub fn included(&self, rel: &str) -> bool {
        let base = rel.rsplit('/').next().unwrap_or(rel);
        self.glob_include(&self.config.include, rel)
            || self.glob_include(&self.config.include, base)
    }

    pub fn special(rel: &str) -> bool {
        let base = rel.rsplit('/').next().unwrap_or(rel);
        let sp = |s: &str| s.starts_with(['.', '_', '#', '~']);
        sp(rel) || sp(base)
    }

    pub fn excluded(&self, rel: &str) -> bool {
        let ex: Vec<String> = self
            .config
            .exclude
            .iter()
            .filter(|e| !self.config.include.contains(e))
            .cloned()
            .collect();
        self.glob_include(&ex, rel)
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
        assert!(fnmatch("/s/*.bak", "/s/index.html.bak", false));
        assert!(fnmatch("/s/*.bak", "/s/a/b.bak", false));
        assert!(!fnmatch("docs/guides/*.md", "docs/guides/x/y.md", true));
        assert!(fnmatch("docs/guides/*.md", "docs/guides/first.md", true));
        assert!(fnmatch("a[bc]d", "acd", false));
        assert!(!fnmatch("a[!bc]d", "acd", false));
    }
}
