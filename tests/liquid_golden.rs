//! Every case of `../shared/conformance/liquid-golden.json` (golden-liquid re-run under Jekyll
//! 3.10 / Liquid 4.0.4): `data` are the top-level variables, `partials` are files in a temporary
//! `_includes/`; the output must match byte for byte, or rendering must fail where Jekyll fails.
//!
//! Cases we cannot pass yet are listed, with the reason, in `tests/data/liquid_golden_xfail.txt`.
//! An unlisted failure fails the test, and so does a listed case that passes (keep the list
//! honest). Nothing is skipped.

use std::collections::BTreeMap;
use std::path::Path;

use static_registry::liquid::{Context, FsHost, Template, Value};

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

fn run_case(case: &serde_json::Value) -> Result<(), String> {
    let template = case["template"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    if let Some(partials) = case.get("partials").and_then(|p| p.as_object()) {
        let inc = dir.path().join("_includes");
        std::fs::create_dir_all(&inc).unwrap();
        for (name, src) in partials {
            let p = inc.join(name);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::write(p, src.as_str().unwrap()).unwrap();
        }
    }
    let host = FsHost::new(dir.path());
    let mut ctx = Context::new(&host);
    if let Some(data) = case["data"].as_object() {
        for (k, v) in data {
            ctx.set_global(k, Value::from(v));
        }
    }
    let result = Template::parse(template, "case.html").and_then(|t| t.render(&mut ctx));
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
fn liquid_golden_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("../shared/conformance/liquid-golden.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = data["cases"].as_array().unwrap();
    let xfail_path = root.join("tests/data/liquid_golden_xfail.txt");
    let xfail = load_xfail(&xfail_path);

    let mut passed = 0;
    let mut unexpected_fail = Vec::new();
    let mut unexpected_pass = Vec::new();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap().to_string();
        let outcome =
            std::panic::catch_unwind(|| run_case(case)).unwrap_or_else(|_| Err("panicked".into()));
        match outcome {
            Ok(()) => {
                passed += 1;
                if xfail.contains_key(&name) {
                    unexpected_pass.push(name);
                }
            }
            Err(why) => {
                failures.push(name.clone());
                if !xfail.contains_key(&name) {
                    unexpected_fail.push(format!(
                        "{name}: {why}\n    template: {:?}",
                        case["template"]
                    ));
                }
            }
        }
    }
    if std::env::var_os("LIQUID_GOLDEN_LIST_FAILURES").is_some() {
        for f in &failures {
            println!("FAIL\t{f}");
        }
    }
    println!(
        "liquid-golden: {passed}/{} passed, {} expected failures",
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
