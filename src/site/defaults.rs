//! Front matter defaults (`defaults:` in `_config.yml`) with Jekyll's precedence: a longer
//! `scope.path` wins, at equal length a set with a `type` wins, at a full tie the later set
//! wins; values deep-merge. Not for the file's own front matter (it is merged over these by
//! the reader).

use serde_norway::{Mapping, Value};

use super::config::{deep_merge, key, Config};
use super::filter::fnmatch;

struct Set {
    path: Option<String>,
    type_: Option<String>,
    values: Mapping,
}

pub struct Defaults {
    sets: Vec<Set>,
}

fn sanitize(p: &str) -> String {
    // `path.gsub(%r!\A/|(?<=[^/])\z!, "")`: drops a leading slash.
    p.strip_prefix('/').unwrap_or(p).to_string()
}

impl Defaults {
    pub fn new(config: &Config) -> Defaults {
        let mut sets = vec![];
        if let Some(Value::Sequence(v)) = config.get("defaults") {
            for set in v {
                let Value::Mapping(m) = set else { continue };
                let Some(Value::Mapping(values)) = m.get(key("values")) else {
                    continue;
                };
                let scope = m.get(key("scope"));
                let (path, type_) = match scope {
                    Some(Value::Mapping(s)) => (
                        s.get(key("path"))
                            .map(|p| p.as_str().unwrap_or_default().to_string()),
                        s.get(key("type"))
                            .and_then(|t| t.as_str())
                            .map(|t| match t {
                                "page" => "pages".to_string(),
                                "post" => "posts".to_string(),
                                "draft" => "drafts".to_string(),
                                other => other.to_string(),
                            }),
                    ),
                    _ => (None, None),
                };
                sets.push(Set {
                    path,
                    type_,
                    values: values.clone(),
                });
            }
        }
        Defaults { sets }
    }

    fn applies_path(&self, scope_path: &Option<String>, path: &str) -> bool {
        let Some(sp) = scope_path else { return true };
        if sp.is_empty() {
            return true;
        }
        let path = sanitize(path);
        let sp = sp.trim_end_matches('/');
        // Pathname#ascend: the path itself, then each parent.
        let mut cur: &str = &path;
        loop {
            if sp.contains('*') {
                if fnmatch(sp, cur, true) {
                    return true;
                }
            } else if cur == sp {
                return true;
            }
            match cur.rfind('/') {
                Some(i) => cur = &cur[..i],
                None => return false,
            }
        }
    }

    /// The merged defaults for a file at `path` (relative to the source) of `type_`
    /// (`pages`, `posts`, a collection label, or `""` for a static file outside collections).
    pub fn all(&self, path: &str, type_: &str) -> Mapping {
        let mut out = Mapping::new();
        let mut old: Option<&Set> = None;
        for set in &self.sets {
            let type_ok = match &set.type_ {
                None => true,
                Some(t) => t == type_,
            };
            if !type_ok || !self.applies_path(&set.path, path) {
                continue;
            }
            let wins = match old {
                None => true,
                Some(o) => {
                    let np = sanitize(set.path.as_deref().unwrap_or(""));
                    let op = sanitize(o.path.as_deref().unwrap_or(""));
                    if np.len() != op.len() {
                        np.len() >= op.len()
                    } else if set.type_.is_some() {
                        true
                    } else {
                        o.type_.is_none()
                    }
                }
            };
            if wins {
                deep_merge(&mut out, &set.values);
                old = Some(set);
            } else {
                let mut merged = set.values.clone();
                deep_merge(&mut merged, &out);
                out = merged;
            }
        }
        out
    }
}
