//! A project site (GitHub Pages serves it under `/<repository>/`): every link, script and
//! stylesheet the registry pages emit carries the `baseurl`, the snippets name the site with
//! it, and the pages say plainly that OCI clients cannot reach a registry there.

use crate::ui_common;

use ui_common::*;

#[test]
fn every_registry_url_carries_the_baseurl() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, out) = (tmp.path().join("src"), tmp.path().join("out"));
    assemble_site(&src, &repo().join("tests/fixtures/ui-registry"));
    jekyll_build(
        &src,
        &out,
        "url: \"https://lab.github.io\"\nbaseurl: \"/registry-repo\"\n",
    );

    let (mut pages, mut checked) = (0, 0);
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !rel.ends_with(".html") || rel.starts_with("v2/") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for attr in ["href=\"", "src=\"", "data-sr-index=\""] {
            for (i, _) in html.match_indices(attr) {
                let url = &html[i + attr.len()..];
                let url = &url[..url.find('"').unwrap()];
                if url.starts_with('/') {
                    checked += 1;
                    assert!(
                        url.starts_with("/registry-repo/"),
                        "{rel}: {attr}{url}\" lacks the baseurl"
                    );
                }
            }
        }
        pages += 1;
    }
    assert!(
        pages >= 8 && checked >= 50,
        "pages checked: {pages}, site URLs: {checked}"
    );

    let page = std::fs::read_to_string(out.join("biocontainers/samtools/index.html")).unwrap();
    assert!(page.contains(
        "static-registry pull https://lab.github.io/registry-repo biocontainers/samtools:latest"
    ));
    assert!(page.contains("curl -fsSL &quot;$manifest&quot;"));
    assert!(page.contains("manifest=&quot;https://lab.github.io/registry-repo/v2/biocontainers/samtools/manifests/latest&quot;"));
    assert!(
        page.contains("class=\"sr-warn\""),
        "the project-site note must show"
    );
    let api = std::fs::read_to_string(out.join("api/index.html")).unwrap();
    assert!(api.contains("under <code>/registry-repo</code>: OCI clients cannot reach it here"));
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("api/index.json")).unwrap()).unwrap();
    assert_eq!(
        index["collections"][0]["url"],
        "/registry-repo/biocontainers/bwa/"
    );
}
