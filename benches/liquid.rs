//! Liquid engine throughput (not a test): parse + render of every golden case with output,
//! single thread, and a realistic layout (includes, a loop over 1,000 items, filters).
//! `cargo bench --bench liquid` prints cases per second; `scripts/bench-liquid` compares the
//! layout with Ruby's Liquid on the same template and data.

use std::path::Path;
use std::time::Instant;

use static_registry::liquid::{Context, FsHost, Template, Value};

// The allocator the shipped binary uses (see `static_registry::alloc`).
#[global_allocator]
static GLOBAL: static_registry::alloc::Allocator = static_registry::alloc::Allocator;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join("../shared/conformance/liquid-golden.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let host = FsHost::new(dir.path());
    let cases: Vec<(String, Vec<(String, Value)>)> = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["expected"].get("output").is_some() && c.get("partials").is_none())
        .map(|c| {
            let data = c["data"]
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), Value::from(v))).collect())
                .unwrap_or_default();
            (c["template"].as_str().unwrap().to_string(), data)
        })
        .collect();
    // `LIQUID_BENCH=layout` runs only the layout (for profiling).
    let rounds = if std::env::var("LIQUID_BENCH").as_deref() == Ok("layout") {
        0
    } else {
        30
    };
    let start = Instant::now();
    let mut bytes = 0usize;
    for _ in 0..rounds {
        for (t, data) in &cases {
            let tpl = Template::parse(t, "bench.html").unwrap();
            let mut ctx = Context::new(&host);
            for (k, v) in data {
                ctx.set_global(k, v.clone());
            }
            bytes += tpl.render(&mut ctx).map(|s| s.len()).unwrap_or(0);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = (cases.len() * rounds) as f64;
    println!("golden output cases: {} x {rounds}: {:.0} cases/s (parse + render, one thread; {bytes} bytes)", cases.len(), n / secs);

    // A realistic layout: an include per item, a loop over 1,000 items, filters.
    std::fs::create_dir_all(dir.path().join("_includes")).unwrap();
    std::fs::write(
        dir.path().join("_includes/row.html"),
        "<tr><td>{{ include.item.name | escape }}</td><td>{{ include.item.size | divided_by: 1024.0 | round: 1 }} KiB</td><td>{{ include.item.tags | join: ', ' }}</td></tr>\n",
    )
    .unwrap();
    let layout = "<html><head><title>{{ page.title | escape }}</title></head><body>\n<h1>{{ page.title | upcase }}</h1>\n<table>{% for item in page.items %}{% if item.size > 100 %}{% include row.html item=item %}{% endif %}{% endfor %}</table>\n<p>{{ page.items | size }} items, {{ page.items | map: 'name' | join: ' ' | truncatewords: 5 }}</p>{% assign sorted = page.items | sort: 'size' %}{{ sorted.first.name }}\n</body></html>";
    let items: Vec<serde_json::Value> = (0..1000)
        .map(|i| serde_json::json!({"name": format!("item-<{i}>"), "size": i * 37 % 5000, "tags": ["a", "b", format!("t{i}")]}))
        .collect();
    let page = Value::from(&serde_json::json!({"title": "Registry & friends", "items": items}));
    // The median of 5 batches (scripts/bench-liquid times Ruby the same way): robust to a
    // batch disturbed by other work on a shared machine, while a batch still pays its share
    // of allocation and (in Ruby) garbage collection.
    let (batches, rounds) = (5, 40);
    let mut len = 0;
    let mut times = Vec::new();
    for _ in 0..batches {
        let start = Instant::now();
        for _ in 0..rounds {
            let tpl = Template::parse(layout, "layout.html").unwrap();
            let mut ctx = Context::new(&host);
            ctx.set_global("page", page.clone());
            len = tpl.render(&mut ctx).unwrap().len();
        }
        times.push(start.elapsed().as_secs_f64() / rounds as f64);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "layout with 1,000-item loop + includes: {:.3} ms per render, median of {batches} batches of {rounds} ({len} bytes)",
        times[batches / 2] * 1000.0
    );
}
