//! Sass through grass against Ruby Sass 3.7.4 (`style: compressed`) output that GitHub Pages
//! produced: minima 2.5.1's `assets/main.scss` (the `minima-blog` fixture, compiled from
//! Debian's jekyll-theme-minima, which is minima 2.5.1) and the `scssify`/`sassify`
//! conformance cases. Where grass still differs, the remaining difference is stored in
//! `tests/data/sass_minima.diff` and must stay exactly that (the test fails when it shrinks,
//! grows or disappears).

use std::path::PathBuf;

use static_registry::sass::{compile, compile_path, Syntax};

const MINIMA: &str = "/usr/share/rubygems-integration/all/gems/minima-2.5.1";

/// Rule-per-line view of compressed CSS, for a readable diff.
fn rules(css: &str) -> Vec<String> {
    css.replace('}', "}\n")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn minima_main_css_matches_pages_but_for_known_diff() {
    let theme = PathBuf::from(MINIMA);
    assert!(
        theme.join("assets/main.scss").is_file(),
        "{MINIMA} is missing: install Debian's jekyll-theme-minima (scripts/install-deps)"
    );
    let ours = compile_path(&theme.join("assets/main.scss"), &[theme.join("_sass")]).unwrap();
    let want = std::fs::read_to_string(
        "../shared/parity/sites/minima-blog/expected-pages/assets/main.css",
    )
    .expect("minima-blog fixture");
    let (a, b) = (rules(&want), rules(&ours));
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let b: Vec<&str> = b.iter().map(String::as_str).collect();
    let diff = similar::TextDiff::from_slices(&a, &b);
    let mut text = String::new();
    let mut same = 0;
    for op in diff.iter_all_changes() {
        match op.tag() {
            similar::ChangeTag::Equal => same += 1,
            similar::ChangeTag::Delete => text.push_str(&format!("-{}\n", op.value())),
            similar::ChangeTag::Insert => text.push_str(&format!("+{}\n", op.value())),
        }
    }
    println!(
        "minima main.css: {same} of {} rules identical, {} of {} bytes",
        a.len(),
        ours.len(),
        want.len()
    );
    assert_ne!(
        ours, want,
        "minima main.css is now identical: delete tests/data/sass_minima.diff and assert equality"
    );
    let stored = std::fs::read_to_string("tests/data/sass_minima.diff").unwrap();
    assert_eq!(text, stored, "the difference from Ruby Sass changed");
}

#[test]
fn scssify_and_sassify_conformance_cases() {
    let cases: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("../shared/conformance/jekyll-filters.json").unwrap(),
    )
    .unwrap();
    let mut n = 0;
    for c in cases["cases"].as_array().unwrap() {
        let group = c["group"].as_str().unwrap();
        let syntax = match group {
            "scssify" => Syntax::Scss,
            "sassify" => Syntax::Sass,
            _ => continue,
        };
        // Every case of these groups pipes `page.s` through the filter.
        assert_eq!(
            c["template"].as_str().unwrap().trim(),
            format!("{{{{ page.s | {group} }}}}")
        );
        let src = c["data"]["s"].as_str().unwrap();
        let want = c["expected"]["output"].as_str().unwrap();
        assert_eq!(compile(src, syntax, &[]).unwrap(), want, "{}", c["name"]);
        n += 1;
    }
    assert!(n > 0);
    println!("sass conformance: {n} of {n} cases identical");
}

#[test]
fn ruby_sass_formatting_rules() {
    let css = compile(
        "a ~ b { color: #0086B3; } label[for=\"x\"] { c: d; /* note */ } main { display: block; /* c */ }",
        Syntax::Scss,
        &[],
    )
    .unwrap();
    assert_eq!(
        css,
        "a ~ b{color:#0086B3}label[for=\"x\"]{c:d}main{display:block}\n"
    );
    assert_eq!(compile("", Syntax::Scss, &[]).unwrap(), "");
    assert!(compile("a { b: $undefined; }", Syntax::Scss, &[]).is_err());
}
