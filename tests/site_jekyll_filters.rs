//! The jekyll-filters conformance cases that need a real site (posts, `_data`, collections,
//! other pages, `increment` order across documents) run through the site renderer, as the
//! oracle built them: a temporary site from `base_config` + the case's `site`, its `files`,
//! and one page at `path` whose front matter is `data` and whose content is exactly
//! `template` (injected after reading, because Jekyll's front matter regex would swallow
//! blank lines after `---`). The page's output must equal `expected` byte for byte, or the
//! build must fail when an error is expected.
//!
//! The site set = every case with `files` or `site`, plus the cases the Liquid engine's own
//! test lists as "needs site renderer (issue 4)". Cases of that set that cannot pass yet are
//! in `tests/data/site_jekyll_filters_xfail.txt` (name<TAB>reason); listing a passing case
//! fails the test.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as Json;
use static_registry::site::{self, Profile};

fn merge(base: &mut Json, over: &Json) {
    match (base, over) {
        (Json::Object(b), Json::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(bv) if bv.is_object() && v.is_object() => merge(bv, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Renders one case; `Ok(output)` of the page or `Err(message)` when the build failed.
fn render_case(base: &Json, case: &Json) -> Result<String, String> {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path();
    let mut config = base.clone();
    if let Some(s) = case.get("site") {
        merge(&mut config, s);
    }
    // The oracle had no theme and no plugins: switch off what the Pages profile adds.
    let obj = config.as_object_mut().unwrap();
    obj.entry("theme").or_insert(Json::Null);
    for k in [
        "optional_front_matter",
        "readme_index",
        "titles_from_headings",
        "relative_links",
    ] {
        obj.entry(k)
            .or_insert(serde_json::json!({"enabled": false}));
    }
    std::fs::write(
        src.join("_config.yml"),
        serde_norway::to_string(&config).unwrap(),
    )
    .unwrap();
    if let Some(Json::Object(files)) = case.get("files") {
        for (p, c) in files {
            let path = src.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, c.as_str().unwrap()).unwrap();
        }
    }
    let page_path = case
        .get("path")
        .and_then(|p| p.as_str())
        .unwrap_or("case.html");
    let data = case
        .get("data")
        .cloned()
        .unwrap_or(Json::Object(Default::default()));
    let fm = if data.as_object().map(|o| o.is_empty()).unwrap_or(true) {
        String::new()
    } else {
        serde_norway::to_string(&data).unwrap()
    };
    let template = case["template"].as_str().unwrap();
    let full = src.join(page_path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(&full, format!("---\n{fm}---\nplaceholder\n")).unwrap();
    let (mut site, deps) = site::load(src, Profile::Pages).map_err(|e| e.to_string())?;
    let page = site
        .pages
        .iter_mut()
        .find(|p| p.relative_path == page_path)
        .ok_or_else(|| format!("the case page {page_path} was not read as a page"))?;
    page.content = template.to_string();
    let dest = page.dest.clone().ok_or("the case page is not written")?;
    let out = site::render::render_site(&mut site, &deps).map_err(|e| e.to_string())?;
    let content = out
        .get(&dest)
        .ok_or_else(|| format!("no output at {dest}"))?;
    let bytes = content.bytes().map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn load_list(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (n, r) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{}: want name<TAB>reason: {l}", path.display()));
            assert!(
                !r.trim().is_empty(),
                "{}: empty reason for {n}",
                path.display()
            );
            (n.to_string(), r.to_string())
        })
        .collect()
}

#[test]
fn jekyll_filter_cases_through_the_site() {
    let data: Json = serde_json::from_str(
        &std::fs::read_to_string(repo().join("../shared/conformance/jekyll-filters.json")).unwrap(),
    )
    .unwrap();
    let base = &data["base_config"];
    // The Liquid engine's list of cases waiting for the site renderer.
    let liquid_list = load_list(&repo().join("tests/data/liquid_jekyll_filters_xfail.txt"));
    let xfail = load_list(&repo().join("tests/data/site_jekyll_filters_xfail.txt"));
    let mut problems = vec![];
    let (mut set, mut passed, mut all_passed, mut total) = (0, 0, 0, 0);
    for case in data["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let in_set = case.get("files").is_some()
            || case.get("site").is_some()
            || liquid_list
                .get(name)
                .is_some_and(|r| r.contains("site renderer"));
        total += 1;
        let got = render_case(base, case);
        let ok = match (&case["expected"].get("output"), &got) {
            (Some(want), Ok(out)) => want.as_str() == Some(out.as_str()),
            (None, Err(_)) => true,
            _ => false,
        };
        if ok {
            all_passed += 1;
        }
        if !in_set {
            continue;
        }
        set += 1;
        match (ok, xfail.get(name)) {
            (true, None) => passed += 1,
            (true, Some(_)) => problems.push(format!(
                "{name}: listed as an expected failure but passes: remove it"
            )),
            (false, Some(_)) => {}
            (false, None) => problems.push(format!(
                "{name}: want {:?}, got {:?}",
                case["expected"], got
            )),
        }
    }
    println!(
        "jekyll-filters through the site: {passed}/{set} site cases pass ({} expected failures); {all_passed}/{total} of all cases",
        xfail.len()
    );
    for n in xfail.keys() {
        assert!(
            data["cases"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["name"] == n.as_str()),
            "xfail entry for an unknown case: {n}"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
