//! Property tests: whatever the template, the engine returns output or an error, never a
//! panic, a stack overflow or an endless render. Templates are random Liquid-ish text and
//! mutations of the golden templates (cut, duplicated, spliced with syntax fragments).

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use static_registry::liquid::{Context, FsHost, Template, Value};

struct Golden {
    template: String,
    data: serde_json::Value,
}

fn goldens() -> &'static Vec<Golden> {
    static G: OnceLock<Vec<Golden>> = OnceLock::new();
    G.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/liquid-golden.json");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| Golden {
                template: c["template"].as_str().unwrap().to_string(),
                data: c["data"].clone(),
            })
            .collect()
    })
}

fn includes_dir() -> &'static Path {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        let inc = d.path().join("_includes");
        std::fs::create_dir_all(&inc).unwrap();
        std::fs::write(inc.join("a.html"), "[{{ include.x }}{% include a.html %}]").unwrap();
        std::fs::write(
            inc.join("b.html"),
            "{% for i in (1..3) %}{{ i }}{% endfor %}",
        )
        .unwrap();
        d
    })
    .path()
}

/// Parses and renders; any `Ok` or `Err` is fine, a panic fails the property.
fn exercise(template: &str, data: &serde_json::Value) {
    let host = FsHost::new(includes_dir());
    let mut ctx = Context::new(&host);
    ctx.set_step_limit(20_000);
    if let Some(obj) = data.as_object() {
        for (k, v) in obj {
            ctx.set_global(k, Value::from(v));
        }
    }
    if let Ok(t) = Template::parse(template, "prop.html") {
        let _ = t.render(&mut ctx);
    }
}

const FRAGMENTS: &[&str] = &[
    "{%",
    "%}",
    "{{",
    "}}",
    "{%-",
    "-%}",
    "|",
    ":",
    ",",
    "'",
    "\"",
    "(1..5)",
    "(1..99999999999)",
    "..",
    "{% if",
    "{% endif %}",
    "{% for x in",
    "{% endfor %}",
    "{% raw %}",
    "{% endraw %}",
    "{% comment %}",
    "{% endcomment %}",
    "{% case x %}",
    "{% when",
    "{% else %}",
    "{% include a.html %}",
    "{% include b.html x=1 %}",
    "{% cycle 'a', 'b' %}",
    "{% tablerow t in (1..3) cols:2 %}",
    "{% endtablerow %}",
    "{% break %}",
    "{% continue %}",
    "| plus: 1",
    "| divided_by: 0",
    "| date: '%Y'",
    "| slice: -1, 2",
    "| where_exp: 'x', 'x == 1'",
    "[0]",
    ".size",
    "limit: -5",
    "offset: continue",
    "{% increment n %}",
    "{% capture c %}",
    "{% endcapture %}",
    "\n",
    "é",
    "\u{0}",
];

fn mutated() -> impl Strategy<Value = (String, serde_json::Value)> {
    let n = goldens().len();
    (
        0..n,
        prop::collection::vec(
            (0usize..400, 0usize..40, 0usize..FRAGMENTS.len(), 0u8..3),
            1..6,
        ),
    )
        .prop_map(|(i, edits)| {
            let g = &goldens()[i];
            let mut t: Vec<char> = g.template.chars().collect();
            for (pos, len, frag, kind) in edits {
                let p = if t.is_empty() { 0 } else { pos % (t.len() + 1) };
                let end = (p + len).min(t.len());
                match kind {
                    0 => {
                        t.drain(p..end);
                    }
                    1 => {
                        let dup: Vec<char> = t[p..end].to_vec();
                        t.splice(p..p, dup);
                    }
                    _ => {
                        t.splice(p..p, FRAGMENTS[frag].chars());
                    }
                }
            }
            (t.into_iter().collect(), g.data.clone())
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_templates_never_panic(t in "[{}%|:.,'\"a-z0-9 \\-\\[\\]()=<>!\n]{0,120}") {
        exercise(&t, &serde_json::Value::Null);
    }

    #[test]
    fn arbitrary_unicode_never_panics(t in "\\PC{0,80}", frag in 0usize..FRAGMENTS.len()) {
        exercise(&format!("{}{}{}", FRAGMENTS[frag], t, FRAGMENTS[(frag + 7) % FRAGMENTS.len()]), &serde_json::Value::Null);
        exercise(&format!("{{{{ '{t}' | slice: 1, 3 | truncate: 4 | escape_once | split: '' | reverse | join }}}}"), &serde_json::Value::Null);
        exercise(&format!("{{{{ '{t}' | date: '%-d %^B %:z' | url_decode | slugify: 'latin' | uri_escape }}}}"), &serde_json::Value::Null);
    }

    #[test]
    fn fragment_soup_never_panics(parts in prop::collection::vec(0usize..FRAGMENTS.len(), 0..30)) {
        let t: String = parts.iter().map(|i| FRAGMENTS[*i]).collect::<Vec<_>>().join(" x ");
        exercise(&t, &serde_json::Value::Null);
    }

    #[test]
    fn mutated_golden_templates_never_panic((t, data) in mutated()) {
        exercise(&t, &data);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let t = "{% if true %}".repeat(5000) + &"{% endif %}".repeat(5000);
    let err = Template::parse(&t, "deep.html").unwrap_err();
    assert!(err.to_string().contains("Nesting too deep"), "{err}");
}

#[test]
fn self_including_include_stops_with_an_error() {
    let host = FsHost::new(includes_dir());
    let mut ctx = Context::new(&host);
    let t = Template::parse("{% include a.html %}", "self.html").unwrap();
    let err = t.render(&mut ctx).unwrap_err();
    assert!(err.to_string().contains("stack level too deep"), "{err}");
}

#[test]
fn huge_ranges_error_clearly() {
    let host = FsHost::new(includes_dir());
    let mut ctx = Context::new(&host);
    let t = Template::parse(
        "{% for i in (1..99999999999) %}{{ i }}{% endfor %}",
        "range.html",
    )
    .unwrap();
    let err = t.render(&mut ctx).unwrap_err();
    assert!(
        err.to_string().contains("more than this tool allows"),
        "{err}"
    );
    let t = Template::parse("{{ (1..99999999999) | join: ',' }}", "range.html").unwrap();
    assert!(t
        .render(&mut ctx)
        .unwrap_err()
        .to_string()
        .contains("more than this tool allows"));
    // Printing a huge range is fine: it is not materialised.
    let t = Template::parse("{{ (1..99999999999) }}", "range.html").unwrap();
    assert_eq!(t.render(&mut ctx).unwrap(), "1..99999999999");
}
