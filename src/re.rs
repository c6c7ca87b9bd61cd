//! Regexes written as literals in the source, compiled once per process.
//!
//! Compiling a regex costs tens of microseconds; the site reader and renderer used to compile
//! the same literal patterns again for every file, which dominated a large build. Not for
//! patterns built at run time from user input (compile those where they are used).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;

/// The compiled regex for `pattern` (a literal: it must be valid, and it is kept for the
/// life of the process).
pub fn cached(pattern: &'static str) -> &'static Regex {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, &'static Regex>>> = OnceLock::new();
    let mut map = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    map.entry(pattern)
        .or_insert_with(|| Box::leak(Box::new(Regex::new(pattern).expect("valid literal regex"))))
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_regex_each_time() {
        let a = super::cached(r"^a+$");
        let b = super::cached(r"^a+$");
        assert!(std::ptr::eq(a, b));
        assert!(a.is_match("aaa") && !a.is_match("ab"));
    }
}
