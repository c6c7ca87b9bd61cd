//! The cases of `../shared/conformance/jekyll-filters.json` that need no more than the site's
//! configuration (`base_config` + the case's `site`), `_includes/`, `_data/` and the page's own
//! front matter, rendered with the engine's filesystem host. Cases that need the full site
//! model (posts, collections, other pages, `link`, render order) are listed in
//! `tests/data/liquid_jekyll_filters_xfail.txt` with the reason, until the site renderer runs
//! them. An unlisted failure fails the test, and so does a listed case that passes.

use std::collections::BTreeMap;
use std::path::Path;

use static_registry::liquid::cli::page_location;
use static_registry::liquid::{Context, FsHost, Hash, Template, Value};

fn load_xfail(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, reason) = l.split_once('\t').unwrap_or((l, ""));
            assert!(
                !reason.trim().is_empty(),
                "xfail entry without a reason: {name}"
            );
            (name.to_string(), reason.to_string())
        })
        .collect()
}

/// Deep merge as the README describes: hashes key by key, other values replace.
fn merge(base: &mut serde_json::Value, over: &serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
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

fn run_case(base_config: &serde_json::Value, case: &serde_json::Value) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    if let Some(files) = case.get("files").and_then(|f| f.as_object()) {
        for (path, content) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, content.as_str().unwrap()).unwrap();
        }
    }
    let mut config = base_config.clone();
    if let Some(site) = case.get("site") {
        merge(&mut config, site);
    }
    let config = match Value::from(&config) {
        Value::Hash(h) => h.as_ref().clone(),
        _ => unreachable!(),
    };
    let path = case
        .get("path")
        .and_then(|p| p.as_str())
        .unwrap_or("case.html");
    let mut site: Hash = config.clone();
    if let Some(t) = config.get("time").and_then(|t| t.as_str()) {
        let parsed = static_registry::liquid::filters::date::parse_time(
            t,
            static_registry::zone::Zone::utc(),
        )
        .expect("site.time parses");
        site.insert("time".into(), Value::Time(parsed));
    }
    let mut data = Hash::default();
    if let Some(files) = case.get("files").and_then(|f| f.as_object()) {
        for (p, content) in files {
            if let Some(name) = p.strip_prefix("_data/") {
                let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
                let v = match ext {
                    "json" => Value::from(
                        &serde_json::from_str::<serde_json::Value>(content.as_str().unwrap())
                            .unwrap(),
                    ),
                    "yml" | "yaml" => static_registry::liquid::cli::yaml_to_value(
                        &serde_norway::from_str(content.as_str().unwrap()).unwrap(),
                    ),
                    _ => continue,
                };
                data.insert(stem.to_string(), v);
            }
        }
    }
    site.insert("data".into(), Value::from(data));
    let mut page = page_location(path);
    if let Some(d) = case.get("data").and_then(|d| d.as_object()) {
        for (k, v) in d {
            page.insert(k.clone(), Value::from(v));
        }
    }
    let mut jekyll = Hash::default();
    jekyll.insert("environment".into(), Value::from("production"));
    jekyll.insert("version".into(), Value::from("3.10.0"));

    let host = FsHost::with_config(dir.path(), config);
    let mut ctx = Context::new(&host);
    ctx.set_page_path(path);
    ctx.set_global("site", Value::from(site));
    ctx.set_global("page", Value::from(page));
    ctx.set_global("jekyll", Value::from(jekyll));
    let template = case["template"].as_str().unwrap();
    let result = Template::parse(template, path).and_then(|t| t.render(&mut ctx));
    let expected = &case["expected"];
    match (expected.get("output").and_then(|o| o.as_str()), result) {
        (Some(want), Ok(got)) if got == want => Ok(()),
        (Some(want), Ok(got)) => Err(format!("output {got:?}, expected {want:?}")),
        (Some(want), Err(e)) => Err(format!("error {e}, expected {want:?}")),
        (None, Err(_)) => Ok(()),
        (None, Ok(got)) => Err(format!(
            "output {got:?}, expected error {}",
            expected["error"]
        )),
    }
}

#[test]
fn jekyll_filter_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("../shared/conformance/jekyll-filters.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = data["cases"].as_array().unwrap();
    let xfail = load_xfail(&root.join("tests/data/liquid_jekyll_filters_xfail.txt"));

    let mut passed = 0;
    let mut unexpected_fail = Vec::new();
    let mut unexpected_pass = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap().to_string();
        let outcome = std::panic::catch_unwind(|| run_case(&data["base_config"], case))
            .unwrap_or_else(|_| Err("panicked".into()));
        match outcome {
            Ok(()) => {
                passed += 1;
                if xfail.contains_key(&name) {
                    unexpected_pass.push(name);
                }
            }
            Err(why) => {
                if std::env::var_os("LIQUID_LIST_FAILURES").is_some() {
                    println!("FAIL\t{name}");
                }
                if !xfail.contains_key(&name) {
                    unexpected_fail.push(format!(
                        "{name}: {why}\n    template: {:?}",
                        case["template"]
                    ));
                }
            }
        }
    }
    println!(
        "jekyll-filters: {passed}/{} passed, {} expected failures",
        cases.len(),
        xfail.len()
    );
    assert!(
        unexpected_fail.is_empty(),
        "{} unexpected failures:\n{}",
        unexpected_fail.len(),
        unexpected_fail.join("\n")
    );
    assert!(
        unexpected_pass.is_empty(),
        "listed as expected failures but pass now (remove them): {unexpected_pass:?}"
    );
}
