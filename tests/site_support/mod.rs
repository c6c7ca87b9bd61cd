//! Helpers for the site renderer's tests: copying a parity fixture to a temp dir with the pinned
//! mtimes and environment (`shared/parity/README.md`), running `render`, comparing trees.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const MTIME: &str = "2024-01-01 00:00:00 UTC";

/// The environment every parity build pins.
pub const ENV: &[(&str, &str)] = &[
    ("JEKYLL_ENV", "production"),
    ("TZ", "UTC"),
    ("LANG", "C.UTF-8"),
    ("LC_ALL", "C.UTF-8"),
    ("PAGES_REPO_NWO", "parity/fixture"),
    ("PAGES_ENV", "dotcom"),
    (
        "JEKYLL_BUILD_REVISION",
        "0123456789abcdef0123456789abcdef01234567",
    ),
    ("JEKYLL_NO_BUNDLER_REQUIRE", "true"),
];

use crate::common::tools;
pub use tools::{repo, require_tool};

pub fn parity_root() -> PathBuf {
    repo().join("../shared/parity")
}

pub fn fixtures() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(parity_root().join("sites"))
        .expect("../shared/parity/sites is missing")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("src").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Copies `from` into `to` (which must not exist) and pins every mtime like the README says.
pub fn copy_pinned(from: &Path, to: &Path) {
    let st = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp");
    assert!(st.success(), "cp -a {} {}", from.display(), to.display());
    let st = Command::new("find")
        .arg(to)
        .args(["-exec", "touch", "-h", "-d", MTIME, "{}", "+"])
        .status()
        .expect("find/touch");
    assert!(st.success());
}

pub fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("static-registry").expect("binary built");
    for (k, v) in ENV {
        c.env(k, v);
    }
    c
}

/// Comparison of two trees, as `shared/parity/compare` counts it.
#[derive(Debug, Default)]
pub struct Cmp {
    pub identical: Vec<String>,
    pub different: Vec<String>,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

impl Cmp {
    pub fn summary(&self) -> String {
        format!(
            "parity: {} identical, {} different, {} missing, {} extra of {} expected files",
            self.identical.len(),
            self.different.len(),
            self.missing.len(),
            self.extra.len(),
            self.identical.len() + self.different.len() + self.missing.len()
        )
    }
}

pub fn files(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

pub fn compare(expected: &Path, actual: &Path) -> Cmp {
    let e = files(expected);
    let a = files(actual);
    let mut c = Cmp::default();
    for f in &e {
        if a.contains(f) {
            if std::fs::read(expected.join(f)).unwrap() == std::fs::read(actual.join(f)).unwrap() {
                c.identical.push(f.clone());
            } else {
                c.different.push(f.clone());
            }
        } else {
            c.missing.push(f.clone());
        }
    }
    for f in &a {
        if !e.contains(f) {
            c.extra.push(f.clone());
        }
    }
    c
}

/// A unified diff (expected → actual) of one path; a missing side is empty.
pub fn diff(expected: &Path, actual: &Path, rel: &str) -> String {
    let read = |p: PathBuf| std::fs::read(p).unwrap_or_default();
    let a = read(expected.join(rel));
    let b = read(actual.join(rel));
    match (String::from_utf8(a.clone()), String::from_utf8(b.clone())) {
        (Ok(a), Ok(b)) => similar::TextDiff::from_lines(&a, &b)
            .unified_diff()
            .context_radius(3)
            .header(&format!("expected/{rel}"), &format!("rendered/{rel}"))
            .to_string(),
        _ => format!(
            "binary file {rel}: {} bytes expected, {} rendered\n",
            a.len(),
            b.len()
        ),
    }
}

/// The summary line of `shared/parity/compare` for the two trees.
pub fn compare_script(expected: &Path, actual: &Path) -> String {
    require_tool("python3");
    let out = Command::new(parity_root().join("compare"))
        .arg(expected)
        .arg(actual)
        .output()
        .expect("run shared/parity/compare");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// Expected failures: `tests/data/<list>` lines `fixture<TAB>file<TAB>reason`; diffs under
/// `tests/data/<dir>/<fixture>/<file>.diff`.
pub struct Xfail {
    pub entries: Vec<(String, String, String)>,
    pub dir: PathBuf,
}

impl Xfail {
    pub fn load(list: &str, dir: &str) -> Xfail {
        let path = repo().join("tests/data").join(list);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut entries = vec![];
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.splitn(3, '\t').collect();
            assert!(
                parts.len() == 3 && !parts[2].trim().is_empty(),
                "{}:{}: want fixture<TAB>file<TAB>reason",
                path.display(),
                i + 1
            );
            entries.push((
                parts[0].to_string(),
                parts[1].to_string(),
                parts[2].to_string(),
            ));
        }
        Xfail {
            entries,
            dir: repo().join("tests/data").join(dir),
        }
    }

    pub fn reason(&self, fixture: &str, file: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(f, p, _)| f == fixture && p == file)
            .map(|(_, _, r)| r.as_str())
    }

    pub fn diff_path(&self, fixture: &str, file: &str) -> PathBuf {
        self.dir.join(fixture).join(format!("{file}.diff"))
    }
}

/// Checks one rendered fixture against its expected tree with the xfail list. Returns the
/// problems (empty = pass) and the summary line.
pub fn judge(
    fixture: &str,
    expected: &Path,
    actual: &Path,
    xfail: &Xfail,
) -> (Vec<String>, String) {
    let cmp = compare(expected, actual);
    let summary = cmp.summary();
    let script = compare_script(expected, actual);
    let mut problems = vec![];
    if script != summary {
        problems.push(format!(
            "{fixture}: our count `{summary}` differs from shared/parity/compare `{script}`"
        ));
    }
    let update = std::env::var("UPDATE_XFAIL").is_ok();
    let bad: Vec<&String> = cmp
        .different
        .iter()
        .chain(&cmp.missing)
        .chain(&cmp.extra)
        .collect();
    for f in &bad {
        // A whole missing or extra file is recorded as such (its bytes may depend on the
        // build folder, e.g. Jekyll 4's main.css.map).
        let d = if cmp.missing.contains(f) {
            format!("missing from the rendered tree: {f}\n")
        } else if cmp.extra.contains(f) {
            format!("extra in the rendered tree: {f}\n")
        } else {
            diff(expected, actual, f)
        };
        match xfail.reason(fixture, f) {
            None => problems.push(format!(
                "{fixture}/{f}: differs and is not an expected failure:\n{d}"
            )),
            Some(_) => {
                let p = xfail.diff_path(fixture, f);
                if update {
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(&p, &d).unwrap();
                } else {
                    let stored = std::fs::read_to_string(&p).unwrap_or_default();
                    if stored != d {
                        problems.push(format!(
                            "{fixture}/{f}: expected failure, but its diff changed from {} (run with UPDATE_XFAIL=1 to store it):\n{d}",
                            p.display()
                        ));
                    }
                }
            }
        }
    }
    for (fx, f, _) in &xfail.entries {
        if fx == fixture && !bad.contains(&f) {
            problems.push(format!("{fixture}/{f}: listed as an expected failure but now identical: remove it from the list"));
            if update {
                let _ = std::fs::remove_file(xfail.diff_path(fixture, f));
            }
        }
    }
    (problems, summary)
}

/// Copies the repository's own registry site into `to`: every top-level entry (the Rust
/// project's files are there too; `_config.yml` excludes them, as on GitHub Pages) except
/// build output and the names in `skip`.
pub fn copy_registry_site(to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(repo()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if ["target", ".git", "_site", ".jekyll-cache"].contains(&name.as_str())
            || skip.contains(&name.as_str())
        {
            continue;
        }
        let st = Command::new("cp")
            .arg("-a")
            .arg(entry.path())
            .arg(to)
            .status()
            .unwrap();
        assert!(st.success());
    }
}
