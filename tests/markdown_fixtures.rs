//! Every Markdown source of the parity fixtures (`../shared/parity/sites/*/src/**/*.md`),
//! converted by `markdown::to_html`, must appear byte for byte in the fixture's GitHub Pages
//! output (`expected-pages/`, where layouts wrap `{{ content }}` around it).
//!
//! Sources whose body contains Liquid (`{{`/`{%`) are rendered by Liquid before kramdown
//! sees them; they belong to the site renderer's parity test and are listed, not converted,
//! here. Sources a Pages plugin rewrites before conversion (jekyll-relative-links) are in
//! `tests/data/markdown_fixture_expected_failures.txt` with the reason; they must still
//! differ.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use static_registry::markdown::{to_html, KramdownOptions};

fn files(dir: &Path, ext: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ext.contains(&e))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn fixture_markdown_appears_in_pages_output() {
    let sites = Path::new("../shared/parity/sites");
    assert!(sites.is_dir(), "../shared/parity is missing");
    let xfail: BTreeMap<String, String> =
        std::fs::read_to_string("tests/data/markdown_fixture_expected_failures.txt")
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let mut f = l.split('\t');
                (
                    f.next().unwrap().to_string(),
                    f.next().unwrap_or("").to_string(),
                )
            })
            .collect();
    let hrefs = regex::Regex::new(r#"href="[^"]*""#).unwrap();
    let opts = KramdownOptions::default();
    let (mut pass, mut total, mut liquid) = (0, 0, Vec::new());
    let mut problems = Vec::new();
    let mut names = std::fs::read_dir(sites)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect::<Vec<_>>();
    names.sort();
    for site in names {
        let outputs: Vec<String> = files(&site.join("expected-pages"), &["html", "xml"])
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        let statics: Vec<Vec<u8>> = files(&site.join("expected-pages"), &["md", "markdown"])
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        for md in files(&site.join("src"), &["md", "markdown"]) {
            let rel = md.strip_prefix(sites).unwrap().display().to_string();
            let text = std::fs::read_to_string(&md).unwrap();
            let body = match static_registry::frontmatter::split(&text) {
                Some(s) => s.body.to_string(),
                None => text.clone(),
            };
            if body.contains("{{") || body.contains("{%") {
                liquid.push(rel);
                continue;
            }
            total += 1;
            let html = to_html(&body, &opts);
            let found = outputs.iter().any(|o| o.contains(&html));
            pass += found as usize;
            match (found, xfail.get(&rel).map(String::as_str)) {
                (true, Some(_)) => problems.push(format!(
                    "{rel}: now found, remove it from the expected-failure list"
                )),
                (false, None) => {
                    problems.push(format!("{rel}: not found in expected-pages\n{html}"))
                }
                (false, Some(kind)) => {
                    let weaker = match kind {
                        "relative-links" => {
                            let blank = hrefs.replace_all(&html, "href=\"\"");
                            outputs
                                .iter()
                                .any(|o| hrefs.replace_all(o, "href=\"\"").contains(&*blank))
                        }
                        "static" => statics.iter().any(|s| s == text.as_bytes()),
                        "stripped" => outputs
                            .iter()
                            .any(|o| o.contains(html.trim_end_matches('\n'))),
                        _ => false,
                    };
                    if !weaker {
                        problems.push(format!(
                            "{rel}: expected failure of kind {kind:?} no longer holds\n{html}"
                        ));
                    }
                }
                (true, None) => {}
            }
        }
    }
    println!(
        "fixture markdown: {pass} of {total} Liquid-free sources found verbatim in expected-pages"
    );
    println!(
        "left to the site renderer (Liquid in the body): {}",
        liquid.join(", ")
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
