//! OCI names: namespace/name components and tags, and the `NS/NAME:TAG` reference syntax.
//!
//! The rules are DESIGN.md's "Names and rules": components are lowercase
//! `[a-z0-9]+([._-][a-z0-9]+)*`, tags `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`. Because no valid name
//! can contain `/`, `..` as a whole component, or a leading `.`, a validated name is also safe
//! to join onto a path. This module only validates; it does not touch the file system.

use std::fmt;

use crate::error::{Error, Result};

/// Whether `s` is a valid namespace or name component.
pub fn is_component(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return false;
    }
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let sep = |c: u8| matches!(c, b'.' | b'_' | b'-');
    // Separators must sit between alphanumerics: no leading, trailing or doubled separator.
    if !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut prev_sep = false;
    for &c in b {
        if sep(c) {
            if prev_sep {
                return false;
            }
            prev_sep = true;
        } else if alnum(c) {
            prev_sep = false;
        } else {
            return false;
        }
    }
    true
}

/// Whether `s` is a valid tag.
pub fn is_tag(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 128 {
        return false;
    }
    let first_ok = b[0].is_ascii_alphanumeric() || b[0] == b'_';
    first_ok
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// What a bad component looks like to the user, with the rule they must follow.
pub fn component_rule() -> &'static str {
    "lowercase letters and digits, separated by single '.', '_' or '-' (OCI: [a-z0-9]+([._-][a-z0-9]+)*)"
}

pub fn tag_rule() -> &'static str {
    "1-128 of letters, digits, '.', '_', '-', not starting with '.' or '-' (OCI: [A-Za-z0-9_][A-Za-z0-9._-]{0,127})"
}

/// A validated `NS/NAME:TAG` reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub namespace: String,
    pub name: String,
    pub tag: String,
}

impl Reference {
    /// Parses and validates `NS/NAME:TAG`.
    pub fn parse(s: &str) -> Result<Self> {
        let bad = |why: String| {
            Error::input(format!(
                "invalid reference {s:?}: {why}; expected NS/NAME:TAG"
            ))
        };
        let (repo, tag) = s.rsplit_once(':').ok_or_else(|| bad("no ':TAG'".into()))?;
        let (namespace, name) = repo
            .split_once('/')
            .ok_or_else(|| bad("no '/' between namespace and name".into()))?;
        if !is_component(namespace) {
            return Err(bad(format!(
                "namespace {namespace:?} must be {}",
                component_rule()
            )));
        }
        if !is_component(name) {
            return Err(bad(format!("name {name:?} must be {}", component_rule())));
        }
        if !is_tag(tag) {
            return Err(bad(format!("tag {tag:?} must be {}", tag_rule())));
        }
        Ok(Reference {
            namespace: namespace.into(),
            name: name.into(),
            tag: tag.into(),
        })
    }

    /// `ns/name`
    pub fn repository(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}:{}", self.namespace, self.name, self.tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components() {
        for ok in ["a", "biology", "a.b", "a-b_c", "x9", "0"] {
            assert!(is_component(ok), "{ok}");
        }
        for bad in ["", "A", "a..b", ".a", "a-", "..", "a/b", "a b", "é"] {
            assert!(!is_component(bad), "{bad}");
        }
    }

    #[test]
    fn tags() {
        for ok in ["1.10", "latest", "_x", "yes", "010", "A-b.c_d"] {
            assert!(is_tag(ok), "{ok}");
        }
        let long = "a".repeat(129);
        for bad in ["", ".x", "-x", "a/b", "a:b", "..", long.as_str()] {
            assert!(!is_tag(bad), "{bad}");
        }
    }

    #[test]
    fn references() {
        let r = Reference::parse("bio/blast:2.14").unwrap();
        assert_eq!(r.repository(), "bio/blast");
        assert_eq!(r.tag, "2.14");
        assert!(Reference::parse("../x:1").is_err());
        assert!(Reference::parse("Bio/x:1").is_err());
        assert!(Reference::parse("bio/x").is_err());
    }
}
