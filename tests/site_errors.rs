//! Issue 4 acceptance: bad input to `render` gives one clear message naming the file (and
//! line), exit code 2, and leaves the destination exactly as it was.

use crate::site_support;

use std::collections::BTreeMap;
use std::path::Path;

use site_support::bin;

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    site_support::files(dir)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(dir.join(&f)).unwrap();
            (f, b)
        })
        .collect()
}

/// Writes a small valid site, applies `break_it`, renders, and checks the failure.
fn fails(files: &[(&str, &str)], expect_in_stderr: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("site");
    std::fs::create_dir_all(src.join("_layouts")).unwrap();
    std::fs::write(src.join("_config.yml"), "title: Errors\ntheme: null\n").unwrap();
    std::fs::write(
        src.join("_layouts/default.html"),
        "<main>{{ content }}</main>\n",
    )
    .unwrap();
    std::fs::write(src.join("index.md"), "---\nlayout: default\n---\n# Home\n").unwrap();
    for (p, c) in files {
        let path = src.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, c).unwrap();
    }
    // A destination with earlier output that must survive.
    let dest = tmp.path().join("out");
    std::fs::create_dir_all(dest.join("old")).unwrap();
    std::fs::write(dest.join("index.html"), "previous build\n").unwrap();
    std::fs::write(dest.join("old/page.html"), "kept\n").unwrap();
    let before = snapshot(&dest);
    let out = bin()
        .arg("-s")
        .arg(&src)
        .arg("render")
        .arg("-d")
        .arg(&dest)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "want exit 2, stderr: {stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(
        errors.len(),
        1,
        "want exactly one error line, got: {stderr}"
    );
    for e in expect_in_stderr {
        assert!(
            errors[0].contains(e),
            "error `{}` should mention `{e}`",
            errors[0]
        );
    }
    assert_eq!(snapshot(&dest), before, "the destination changed");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".static-registry"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

#[test]
fn broken_layout_name() {
    fails(
        &[(
            "about.md",
            "---\ntitle: About\nlayout: no-such-layout\n---\nText\n",
        )],
        &["about.md:3:", "no-such-layout", "_layouts"],
    );
}

#[test]
fn missing_include() {
    fails(
        &[(
            "page.html",
            "---\ntitle: P\n---\n<p>one</p>\n{% include nowhere.html %}\n",
        )],
        &["page.html:5:", "nowhere.html", "_includes"],
    );
}

#[test]
fn missing_include_inside_a_layout_names_the_layout() {
    fails(
        &[
            (
                "_layouts/broken.html",
                "---\n---\n<div>\n{% include gone.html %}\n</div>\n",
            ),
            ("x.md", "---\nlayout: broken\n---\nx\n"),
        ],
        &["_layouts/broken.html:4:", "gone.html"],
    );
}

#[test]
fn unknown_theme() {
    fails(
        &[("_config.yml", "title: Errors\ntheme: no-such-theme-xyz\n")],
        &[
            "_config.yml:2:",
            "no-such-theme-xyz",
            "/usr/share/rubygems-integration/all/gems",
        ],
    );
}

#[test]
fn bad_yaml_in_config() {
    fails(
        &[(
            "_config.yml",
            "title: Errors\ntheme: null\nexclude: [a, b\nurl: x\n",
        )],
        &["_config.yml:4:", "invalid YAML"],
    );
}

#[test]
fn bad_yaml_in_front_matter() {
    fails(
        &[(
            "docs/guide.md",
            "---\ntitle: Guide\ntags: [a, b\n---\nBody\n",
        )],
        &["docs/guide.md:4:", "invalid YAML"],
    );
}

#[test]
fn liquid_syntax_error() {
    fails(
        &[("broken.html", "---\n---\nline one\n{% if %}\n")],
        &["broken.html:4:", "Liquid syntax error"],
    );
}

#[test]
fn a_good_build_replaces_the_destination_atomically() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("site");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("_config.yml"), "title: Ok\ntheme: null\n").unwrap();
    std::fs::write(
        src.join("index.html"),
        "---\n---\n<h1>{{ site.title }}</h1>\n",
    )
    .unwrap();
    let dest = tmp.path().join("out");
    std::fs::create_dir_all(dest.join(".git")).unwrap();
    std::fs::write(dest.join(".git/HEAD"), "ref\n").unwrap();
    std::fs::write(dest.join("stale.html"), "old\n").unwrap();
    bin()
        .arg("-s")
        .arg(&src)
        .arg("render")
        .arg("-d")
        .arg(&dest)
        .assert()
        .success();
    let snap = snapshot(&dest);
    assert_eq!(
        snap.get("index.html").map(Vec::as_slice),
        Some(&b"<h1>Ok</h1>\n"[..])
    );
    assert!(
        !snap.contains_key("stale.html"),
        "stale output should be gone"
    );
    assert!(
        snap.contains_key(".git/HEAD"),
        "keep_files (.git) should survive"
    );
}
