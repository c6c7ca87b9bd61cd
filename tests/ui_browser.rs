//! The registry UI in headless Chromium: the home page lists every collection, the filter
//! narrows the list, each collection page shows every tag with the digest and size of its
//! build record, copy buttons and download links point where they should, and no page logs a
//! console error. Writes screenshots of home and a collection page at desktop (1280) and
//! phone (390) width to target/screenshots/ (and to docs/screenshots/ with
//! UPDATE_SCREENSHOTS=1).
//!
//! The site: the repository's own registry when it has generated collections (_containers/),
//! else the hand-made fixture registry, built by Debian's Jekyll and served by a small static
//! server — or, with SR_UI_SERVE=1, rendered and served by the tool's own `static-registry
//! serve` (built without `url`, so the page script fills the snippets' host in).

use crate::ui_common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use ui_common::*;

#[derive(Debug, Clone)]
struct Tag {
    digest: String,
    size: u64,
    url: Option<String>,
}

#[derive(Debug, Default)]
struct Collection {
    tags: BTreeMap<String, Tag>,
    pending: BTreeSet<String>,
}

/// The collections (from _containers/) and, for each, what its build records say.
fn expected(src: &Path) -> BTreeMap<String, Collection> {
    let mut out = BTreeMap::new();
    for ns in std::fs::read_dir(src.join("_containers")).unwrap() {
        let ns = ns.unwrap();
        for doc in std::fs::read_dir(ns.path()).unwrap() {
            let doc = doc.unwrap().path();
            let name = doc.file_stem().unwrap().to_string_lossy().to_string();
            let ns_name = ns.file_name().to_string_lossy().to_string();
            let mut c = Collection::default();
            let manifests = src.join(&ns_name).join(&name).join("manifests");
            for tag in std::fs::read_dir(&manifests).unwrap() {
                let tag = tag.unwrap();
                let t = tag.file_name().to_string_lossy().to_string();
                let record = tag.path().join("manifest.json");
                if record.exists() {
                    let m: Value =
                        serde_json::from_slice(&std::fs::read(&record).unwrap()).unwrap();
                    let layer = &m["layers"][0];
                    c.tags.insert(
                        t,
                        Tag {
                            digest: layer["digest"].as_str().unwrap().to_string(),
                            size: layer["size"].as_u64().unwrap(),
                            url: layer["urls"][0].as_str().map(str::to_string),
                        },
                    );
                } else {
                    c.pending.insert(t);
                }
            }
            out.insert(format!("{ns_name}/{name}"), c);
        }
    }
    out
}

/// What the UI must show for a size: binary units, one decimal (Ruby's Float#round + to_s).
fn human(bytes: u64) -> String {
    let units = [(1u64 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")];
    for (unit, label) in units {
        if bytes >= unit {
            let v = (bytes as f64 / unit as f64 * 10.0).round() / 10.0;
            return format!("{v:?} {label}");
        }
    }
    format!("{bytes} B")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap_or("").to_string())
        .collect()
}

fn save_screenshot(name: &str, png: &[u8]) {
    assert!(png.starts_with(b"\x89PNG"), "{name} is not a PNG");
    let dir = repo().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        let docs = repo().join("docs/screenshots");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join(name), png).unwrap();
    }
}

#[test]
fn registry_ui_in_headless_chromium() {
    let site = built_site();
    let serve = std::env::var_os("SR_UI_SERVE").map(|_| start_serve(&site.src));
    let base = match &serve {
        Some(s) => s.base.clone(),
        None => site.server.url(),
    };
    let want = expected(&site.src);
    assert!(want.len() >= 2, "the registry under test needs collections");
    let browser = Browser::start();

    // Home: every collection, in the list the filter works on.
    browser.goto(&format!("{base}/"));
    // The console check can fail: a logged error shows up in it.
    browser.js("console.error('console probe')");
    let probe = browser.console_errors();
    assert!(
        probe.iter().any(|m| m.contains("console probe")),
        "console errors are not collected: {probe:?}"
    );
    browser.wait_for(
        "return document.querySelector('#sr-filter[data-sr-ready]') !== null",
        "the index to load",
    );
    let names: BTreeSet<String> = strings(&browser.js(
        "return [...document.querySelectorAll('#sr-list li[data-sr-name]')].map(li => li.dataset.srName)",
    ))
    .into_iter()
    .collect();
    assert_eq!(
        names,
        want.keys().cloned().collect::<BTreeSet<_>>(),
        "home must list every collection"
    );
    let visible = "return [...document.querySelectorAll('#sr-list li[data-sr-name]')].filter(li => !li.hidden).map(li => li.dataset.srName)";
    assert_eq!(strings(&browser.js(visible)).len(), want.len());

    // The index the filter reads agrees with the records.
    let (status, body) = http_get(&format!("{base}/api/index.json"));
    assert_eq!(status, 200);
    let index: Value = serde_json::from_slice(&body).expect("/api/index.json is JSON");
    for c in index["collections"].as_array().unwrap() {
        let w = &want[c["name"].as_str().unwrap()];
        assert_eq!(
            c["tag_count"].as_u64().unwrap() as usize,
            w.tags.len(),
            "{}",
            c["name"]
        );
        let mut tags = strings(&c["tags"]);
        tags.sort();
        assert_eq!(tags, w.tags.keys().cloned().collect::<Vec<_>>());
    }

    // Typing narrows the list to the collections whose text has every word.
    let target = want.keys().last().unwrap().clone();
    let term = target.rsplit('/').next().unwrap().to_string();
    let haystacks: BTreeMap<String, String> = index["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = format!(
                "{} {} {} {}",
                c["name"].as_str().unwrap(),
                c["description"].as_str().unwrap_or(""),
                strings(&c["tags"]).join(" "),
                strings(&c["pending"]).join(" ")
            );
            (c["name"].as_str().unwrap().to_string(), text.to_lowercase())
        })
        .collect();
    let expect_match: Vec<String> = haystacks
        .iter()
        .filter(|(_, h)| h.contains(&term.to_lowercase()))
        .map(|(n, _)| n.clone())
        .collect();
    assert!(
        expect_match.len() < want.len(),
        "the filter term {term:?} must narrow the list"
    );
    browser.type_into("#sr-filter", &term);
    let mut shown = strings(&browser.js(visible));
    shown.sort();
    assert_eq!(shown, expect_match, "filter {term:?}");
    assert!(
        strings(&browser.js("return [document.getElementById('sr-count').textContent]"))[0]
            .starts_with(&format!("{} of ", expect_match.len()))
    );
    browser.type_into("#sr-filter", "no-such-collection-zzz");
    assert!(strings(&browser.js(visible)).is_empty());
    assert_eq!(
        browser.js("return document.getElementById('sr-empty').hidden"),
        Value::Bool(false)
    );
    browser.type_into("#sr-filter", "");
    browser.js("document.getElementById('sr-filter').dispatchEvent(new Event('input'))");
    assert_eq!(strings(&browser.js(visible)).len(), want.len());
    assert_eq!(
        browser.console_errors(),
        Vec::<String>::new(),
        "console errors on the home page"
    );

    // Screenshots of home.
    save_screenshot("home-desktop.png", &browser.screenshot_full(1280, false));
    browser.set_width(390, true);
    browser.goto(&format!("{base}/"));
    save_screenshot("home-phone.png", &browser.screenshot_full(390, true));
    browser.set_width(1280, false);

    // Every collection page: every tag with the record's digest and size; links; copy.
    let mut shot_of: Option<(String, usize)> = None;
    for (full, c) in &want {
        let url = format!("{base}/{full}/");
        browser.goto(&url);
        let rows = browser.js(
            "return [...document.querySelectorAll('tr[data-sr-tag]')].map(tr => ({
               tag: tr.dataset.srTag,
               shown: tr.querySelector('.sr-tagname').textContent,
               digest: tr.querySelector('[data-sr-digest]').dataset.srDigest,
               short: tr.querySelector('.sr-digest code').textContent,
               copy: tr.querySelector('.sr-copy').dataset.srCopy,
               bytes: tr.querySelector('[data-sr-bytes]').dataset.srBytes,
               size: tr.querySelector('[data-sr-bytes]').textContent.trim(),
               download: tr.querySelector('a.sr-download').href,
               recipe: tr.querySelector('td[data-label=Recipe] a') ? tr.querySelector('td[data-label=Recipe] a').href : null }))",
        );
        let rows = rows.as_array().unwrap();
        let tags: BTreeSet<String> = rows
            .iter()
            .map(|r| r["tag"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            tags,
            c.tags.keys().cloned().collect::<BTreeSet<_>>(),
            "{full}: tags shown"
        );
        for r in rows {
            let tag = r["tag"].as_str().unwrap();
            let w = &c.tags[tag];
            assert_eq!(r["shown"], Value::from(tag));
            assert_eq!(
                r["digest"],
                Value::from(w.digest.clone()),
                "{full}:{tag} digest"
            );
            assert_eq!(
                r["copy"],
                Value::from(w.digest.clone()),
                "{full}:{tag} copy button"
            );
            assert_eq!(
                r["short"],
                Value::from(w.digest["sha256:".len().."sha256:".len() + 12].to_string())
            );
            assert_eq!(
                r["bytes"],
                Value::from(w.size.to_string()),
                "{full}:{tag} size"
            );
            assert_eq!(
                r["size"],
                Value::from(human(w.size)),
                "{full}:{tag} human size"
            );
            let download = match &w.url {
                Some(u) => u.clone(),
                None => format!("{base}/v2/{full}/blobs/{}", w.digest),
            };
            assert_eq!(
                r["download"],
                Value::from(download),
                "{full}:{tag} download link"
            );
            let recipe = r["recipe"].as_str().expect("recipe link");
            assert_eq!(http_get(recipe).0, 200, "{full}:{tag} recipe link {recipe}");
        }
        let pending: BTreeSet<String> = strings(&browser.js(
            "return [...document.querySelectorAll('tr[data-sr-pending]')].map(tr => tr.dataset.srPending)",
        ))
        .into_iter()
        .collect();
        assert_eq!(pending, c.pending, "{full}: pending tags");

        if let Some((tag, _)) = c.tags.iter().next() {
            // The snippets name this site, and follow the tag picker.
            browser.js(&format!(
                "const s = document.getElementById('sr-usage-tag'); s.value = {}; s.dispatchEvent(new Event('change'))",
                serde_json::to_string(tag).unwrap()
            ));
            let pull =
                strings(&browser.js(
                    "return [document.querySelector('pre[data-sr-template] code').textContent]",
                ))[0]
                    .clone();
            assert_eq!(pull, format!("static-registry pull {base} {full}:{tag}"));
            // The copy button copies the digest.
            // The copy button puts the digest on the real clipboard.
            browser.grant_clipboard(&base);
            browser.js_async("const done = arguments[arguments.length - 1]; navigator.clipboard.writeText('').then(() => done(true), e => done(String(e)))");
            browser.click("tr[data-sr-tag] .sr-copy");
            browser.wait_for("return document.querySelector('tr[data-sr-tag] .sr-copy').textContent === 'Copied'", "the copied state");
            let copied = browser.js_async("const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('error: ' + e))");
            let first = rows[0]["digest"].clone();
            assert_eq!(copied, first, "clipboard after the copy button");
            let rows = c.tags.len() + c.pending.len();
            if shot_of.as_ref().is_none_or(|(_, n)| rows > *n) {
                shot_of = Some((full.clone(), rows));
            }
        }
        assert_eq!(
            browser.console_errors(),
            Vec::<String>::new(),
            "console errors on {url}"
        );
    }

    // Namespace pages list their collections.
    let namespaces: BTreeSet<&str> = want.keys().map(|k| k.split('/').next().unwrap()).collect();
    for ns in namespaces {
        browser.goto(&format!("{base}/{ns}/"));
        let mut listed = strings(&browser.js("return [...document.querySelectorAll('li[data-sr-name]')].map(li => li.dataset.srName)"));
        listed.sort();
        let expect: Vec<String> = want
            .keys()
            .filter(|k| k.starts_with(&format!("{ns}/")))
            .cloned()
            .collect();
        assert_eq!(listed, expect, "namespace page {ns}");
    }

    // The API page's live links all answer.
    browser.goto(&format!("{base}/api/"));
    let links = strings(
        &browser.js("return [...document.querySelectorAll('.sr-endpoints a')].map(a => a.href)"),
    );
    assert!(links.len() >= 6, "API page examples: {links:?}");
    for l in links.iter().filter(|l| l.starts_with(&base)) {
        assert_eq!(http_get(l).0, 200, "API example {l}");
    }
    assert_eq!(
        browser.console_errors(),
        Vec::<String>::new(),
        "console errors on the API page"
    );

    let (shot, _) = shot_of.expect("a collection with tags");
    browser.goto(&format!("{base}/{shot}/"));
    save_screenshot(
        "collection-desktop.png",
        &browser.screenshot_full(1280, false),
    );
    browser.set_width(390, true);
    browser.goto(&format!("{base}/{shot}/"));
    save_screenshot("collection-phone.png", &browser.screenshot_full(390, true));
    assert_eq!(
        browser.console_errors(),
        Vec::<String>::new(),
        "console errors on {shot} at phone width"
    );
}
