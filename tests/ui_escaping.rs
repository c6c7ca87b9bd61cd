//! Every string that came from a user is escaped: a collection whose README, description and
//! tag names hold `<script>`, quotes, `{{ }}` and `{% %}` renders them as text on the
//! collection page, the home page and the namespace page (nothing runs, nothing is
//! interpreted by Liquid), and as valid JSON in /api/index.json and /v2/ (parsed back equal).
//!
//! The README and description go through the real `static-registry generate`; the tag names
//! cannot (generate refuses them, as OCI does), so a hand-written collection document carries
//! them, to show the templates hold even when the data does not follow the rules.

use crate::ui_common;

use std::net::TcpListener;

use serde_json::{json, Value};
use ui_common::*;

const DESCRIPTION: &str =
    r#"Quotes " ' & <script>window.__xss = 1</script> {{ site.title }} {% raw %}"#;

const README: &str = r#"---
description: "Quotes \" ' & <script>window.__xss = 1</script> {{ site.title }} {% raw %}"
---
# Evil README

<script>window.__xss = 2</script>

<img src="x" onerror="window.__xss = 3">

Inline `a < b && c > d` and {{ site.title }} and {% include nope.html %}.

```sh
cat <<EOF > out.txt
echo "a" < in > out
EOF
```

[click me](javascript:window.__xss=4)
"#;

const EVIL_TAGS: [&str; 3] = [
    "<script>window.__xss=5</script>",
    r#"a"b'c"#,
    "{{ site.title }}{% raw %}",
];

fn hand_written_doc() -> String {
    let mut doc = String::from(
        "---\nlayout: registry-collection\ntitle: \"evil/tags\"\nnamespace: \"evil\"\nname: \"tags\"\n",
    );
    doc.push_str(&format!(
        "description: {}\n",
        serde_json::to_string(DESCRIPTION).unwrap()
    ));
    doc.push_str("updated: \"2024-01-01T00:00:00Z\"\nimages:\n");
    for (i, t) in EVIL_TAGS.iter().enumerate() {
        doc.push_str(&format!(
            "  - tag: {}\n    digest: \"sha256:{:064x}\"\n    manifest_digest: \"sha256:{:064x}\"\n    size: 1000\n    media_type: \"application/vnd.sylabs.sif.layer.v1.sif\"\n    created: \"2024-01-01T00:00:00Z\"\n    recipe: \"\"\n    url: \"https://example.org/{i}\"\n",
            serde_json::to_string(t).unwrap(),
            i + 1,
            i + 100
        ));
    }
    doc.push_str(&format!(
        "pending:\n  - tag: {}\n    recipe: \"\"\ndetails: {}\n---\n",
        serde_json::to_string(EVIL_TAGS[0]).unwrap(),
        serde_json::to_string(README).unwrap()
    ));
    doc
}

#[test]
fn user_strings_render_as_text_and_valid_json() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, out) = (tmp.path().join("src"), tmp.path().join("out"));
    assemble_site(&src, &repo().join("tests/fixtures/ui-registry"));
    // A collection with an evil README, through the real exporter: `generate` reads the whole
    // tree, so it runs on a site holding only this collection, whose output then joins the
    // UI site.
    let gen = tmp.path().join("gen");
    std::fs::create_dir_all(gen.join("evil/readme/manifests/1.0")).unwrap();
    std::fs::write(gen.join("evil/readme/README.md"), README).unwrap();
    std::fs::write(
        gen.join("evil/readme/manifests/1.0/Singularity"),
        "Bootstrap: scratch\n",
    )
    .unwrap();
    std::fs::copy(repo().join("_config.yml"), gen.join("_config.yml")).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_static-registry"))
        .arg("-s")
        .arg(&gen)
        .arg("generate")
        .status()
        .unwrap();
    assert!(status.success(), "generate failed");
    copy_tree(&gen.join("_containers/evil"), &src.join("_containers/evil"));
    copy_tree(&gen.join("evil"), &src.join("evil"));
    copy_tree(&gen.join("v2/evil"), &src.join("v2/evil"));
    std::fs::write(src.join("_containers/evil/tags.md"), hand_written_doc()).unwrap();
    let list = format!(
        "---\nlayout: registry-tags-list\npermalink: /v2/evil/tags/tags/list\nrepository: \"evil/tags\"\ntags:\n{}---\n",
        EVIL_TAGS.iter().map(|t| format!("  - {}\n", serde_json::to_string(t).unwrap())).collect::<String>()
    );
    std::fs::create_dir_all(src.join("v2/evil/tags/tags")).unwrap();
    std::fs::write(src.join("v2/evil/tags/tags/list"), list).unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    jekyll_build(&src, &out, &format!("url: \"http://127.0.0.1:{port}\"\n"));
    let server = StaticServer::start(listener, out.clone());
    let base = server.url();

    // JSON: valid, and every string parses back to what the user wrote.
    let (_, body) = http_get(&format!("{base}/api/index.json"));
    let index: Value = serde_json::from_slice(&body).expect("/api/index.json must stay valid JSON");
    let find = |name: &str| {
        index["collections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == json!(name))
            .cloned()
            .unwrap_or_else(|| panic!("{name} in the index"))
    };
    let evil_tags = find("evil/tags");
    assert_eq!(evil_tags["description"], json!(DESCRIPTION));
    assert_eq!(evil_tags["tags"], json!(EVIL_TAGS));
    assert_eq!(evil_tags["pending"], json!([EVIL_TAGS[0]]));
    assert_eq!(find("evil/readme")["description"], json!(DESCRIPTION));
    let (_, body) = http_get(&format!("{base}/v2/evil/tags/tags/list"));
    let list: Value = serde_json::from_slice(&body).expect("tags/list must stay valid JSON");
    assert_eq!(list, json!({"name": "evil/tags", "tags": EVIL_TAGS}));

    // HTML: no raw user markup in the built files.
    for page in [
        "evil/tags/index.html",
        "evil/readme/index.html",
        "index.html",
        "evil/index.html",
    ] {
        let html =
            std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(
            !html.contains("<script>window"),
            "{page}: raw <script> from user text"
        );
        assert!(
            !html.contains("<img src=\"x\""),
            "{page}: raw <img> from user text"
        );
        assert!(
            !html.contains("href=\"javascript:"),
            "{page}: javascript: link"
        );
    }

    // In the browser: nothing ran, everything shows as the user wrote it.
    let browser = Browser::start();
    for page in ["evil/tags/", "evil/readme/", "", "evil/"] {
        browser.goto(&format!("{base}/{page}"));
        let text = browser
            .js("return document.body.innerText")
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            text.contains(DESCRIPTION),
            "/{page}: the description shows as text:\n{text}"
        );
        assert_eq!(
            browser.js("return window.__xss === undefined"),
            json!(true),
            "/{page}: user script ran"
        );
        let scripts = browser.js("return [...document.scripts].map(s => s.src)");
        for s in scripts.as_array().unwrap() {
            assert!(
                s.as_str()
                    .unwrap()
                    .ends_with("/assets/registry/registry.js"),
                "/{page}: unexpected script {s}"
            );
        }
        assert_eq!(
            browser.console_errors(),
            Vec::<String>::new(),
            "console errors on /{page}"
        );
    }
    browser.goto(&format!("{base}/evil/tags/"));
    let shown = browser.js("return [...document.querySelectorAll('tr[data-sr-tag] .sr-tagname')].map(e => e.textContent)");
    assert_eq!(shown, json!(EVIL_TAGS));
    let pending = browser.js("return [...document.querySelectorAll('tr[data-sr-pending]')].map(e => e.dataset.srPending)");
    assert_eq!(pending, json!([EVIL_TAGS[0]]));
    browser.js("const s = document.getElementById('sr-usage-tag'); s.value = s.options[1].value; s.dispatchEvent(new Event('change'))");
    let pull =
        browser.js("return document.querySelector('pre[data-sr-template] code').textContent");
    assert_eq!(
        pull,
        json!(format!(
            "static-registry pull {base} evil/tags:{}",
            EVIL_TAGS[1]
        ))
    );

    browser.goto(&format!("{base}/evil/readme/"));
    let readme = browser
        .js("return document.querySelector('.sr-readme').innerText")
        .as_str()
        .unwrap()
        .to_string();
    // Prose gets kramdown's typographic quotes (Pages' own Markdown does that to any text);
    // code keeps straight ones, which the `echo "a"` line checks.
    assert!(
        readme.contains("<img src=\u{201d}x\u{201d} onerror=\u{201d}window.__xss = 3\u{201d}>"),
        "{readme}"
    );
    for shown in [
        "<script>window.__xss = 2</script>",
        "a < b && c > d",
        "{{ site.title }} and {% include nope.html %}",
        "cat <<EOF > out.txt",
        "echo \"a\" < in > out",
    ] {
        assert!(
            readme.contains(shown),
            "README text {shown:?} must show as written:\n{readme}"
        );
    }
    assert_eq!(
        browser.js("return document.querySelector('.sr-readme h1').textContent"),
        json!("Evil README"),
        "Markdown still renders"
    );
    assert_eq!(browser.js("return window.__xss === undefined"), json!(true));
}
