//! `render --check -d DIR`: compares the rendered site with an existing tree without writing:
//! a summary (identical / different / missing / extra), unified diffs, exit 1 on drift.

use crate::site_support;

use site_support::*;

#[test]
fn check_reports_identical_then_drift() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_pinned(&parity_root().join("sites/collections/src"), &src);
    // Against GitHub Pages' own output: clean.
    let expected = parity_root().join("sites/collections/expected-pages");
    let out = bin()
        .arg("-s")
        .arg(&src)
        .args(["render", "--check", "-d"])
        .arg(&expected)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("16 identical, 0 different, 0 missing, 0 extra of 16 expected files"),
        "{stdout}"
    );

    // A copy with one changed file, one stray file and one file removed.
    let tree = tmp.path().join("tree");
    copy_pinned(&expected, &tree);
    std::fs::write(tree.join("index.html"), "<h1>hand edited</h1>\n").unwrap();
    std::fs::write(tree.join("stray.txt"), "x\n").unwrap();
    std::fs::remove_file(tree.join("food/plum-cake.html")).unwrap();
    let before = std::fs::read(tree.join("index.html")).unwrap();
    let out = bin()
        .arg("-s")
        .arg(&src)
        .args(["render", "--check", "-d"])
        .arg(&tree)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("14 identical, 1 different, 1 missing, 1 extra of 16 expected files"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-<h1>hand edited</h1>"),
        "a unified diff of index.html: {stdout}"
    );
    assert!(stdout.contains("+<h1>Collections fixture</h1>"), "{stdout}");
    assert!(stdout.contains("food/plum-cake.html"), "{stdout}");
    assert_eq!(
        std::fs::read(tree.join("index.html")).unwrap(),
        before,
        "--check writes nothing"
    );
    assert!(
        !tree.join("food/plum-cake.html").exists(),
        "--check writes nothing"
    );
}
