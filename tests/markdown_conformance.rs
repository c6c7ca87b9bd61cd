//! The `markdownify`, `smartify` and `highlight` cases of
//! `../shared/conformance/jekyll-filters.json` (real Jekyll 3.10 output) through the
//! converters. Those templates use only `{{ X | markdownify }}` / `{{ X | smartify }}` with
//! X one of `page.s`, `nil`, `''` or an integer, and `{% highlight %}` blocks whose body may
//! print `{{ page.VAR }}`; this test evaluates exactly those forms (the Liquid engine proper is
//! tested elsewhere) and fails on any other template, so no case is skipped.

use static_registry::highlight;
use static_registry::markdown::{smartify, to_html, KramdownOptions};

fn eval_output_tags(template: &str, data: &serde_json::Value, opts: &KramdownOptions) -> String {
    let re =
        regex::Regex::new(r"\{\{ (page\.s|nil|''|\d+) \| (markdownify|smartify) \}\}").unwrap();
    let mut out = String::new();
    let mut last = 0;
    for c in re.captures_iter(template) {
        let m = c.get(0).unwrap();
        out.push_str(&template[last..m.start()]);
        let input = match &c[1] {
            "page.s" => data["s"].as_str().expect("page.s").to_string(),
            "nil" | "''" => String::new(),
            n => n.to_string(),
        };
        out.push_str(&match &c[2] {
            "markdownify" => to_html(&input, opts),
            _ => smartify(&input, opts),
        });
        last = m.end();
    }
    out.push_str(&template[last..]);
    assert!(
        !out.contains("{{") && !out.contains("{%"),
        "template form not covered: {template}"
    );
    out
}

fn eval_highlight(template: &str, data: &serde_json::Value) -> String {
    let re =
        regex::Regex::new(r"(?s)^\{% highlight (\S+)((?: [^%]*)?) %\}(.*)\{% endhighlight %\}$")
            .unwrap();
    let c = re
        .captures(template)
        .unwrap_or_else(|| panic!("template form not covered: {template}"));
    let var = regex::Regex::new(r"\{\{ page\.(\w+) \}\}").unwrap();
    let body = var.replace_all(&c[3], |v: &regex::Captures| {
        data[&v[1]].as_str().unwrap_or("").to_string()
    });
    assert!(
        !body.contains("{{") && !body.contains("{%"),
        "template form not covered: {template}"
    );
    highlight::liquid_tag(&body, &c[1], c[2].contains("linenos"))
}

#[test]
fn jekyll_filter_cases() {
    let cases: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("../shared/conformance/jekyll-filters.json")
            .expect("conformance data"),
    )
    .unwrap();
    let opts = KramdownOptions::default();
    let mut counts = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    let mut failures = Vec::new();
    for c in cases["cases"].as_array().unwrap() {
        let group = c["group"].as_str().unwrap();
        if !matches!(group, "markdownify" | "smartify" | "highlight") {
            continue;
        }
        assert!(
            c.get("site").is_none_or(|s| s.is_null()),
            "{}: site overrides not covered",
            c["name"]
        );
        let template = c["template"].as_str().unwrap();
        let got = if group == "highlight" {
            eval_highlight(template, &c["data"])
        } else {
            eval_output_tags(template, &c["data"], &opts)
        };
        let want = c["expected"]["output"].as_str().expect("an output case");
        let e = counts.entry(group).or_default();
        e.1 += 1;
        if got == want {
            e.0 += 1;
        } else {
            failures.push(format!("{}:\n  want {want:?}\n  got  {got:?}", c["name"]));
        }
    }
    for (g, (p, t)) in &counts {
        println!("conformance {g}: {p} of {t} identical");
    }
    assert!(counts.values().map(|c| c.1).sum::<usize>() >= 12);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
