//! Converter throughput (not a test): `cargo bench --bench markup`. Prints one line per
//! converter: Markdown → HTML, Rouge-style highlighting of shell and Ruby, Sass compile.

use std::time::Instant;

// The allocator the shipped binary uses (see `static_registry::alloc`).
#[global_allocator]
static GLOBAL: static_registry::alloc::Allocator = static_registry::alloc::Allocator;

fn time<T>(label: &str, bytes: usize, f: impl Fn() -> T) {
    f(); // warm-up: lexer regexes compile on first use
    let runs = 5;
    let t = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(f());
    }
    let per = t.elapsed() / runs;
    let mbs = bytes as f64 / per.as_secs_f64() / 1e6;
    println!("{label:<40} {per:>12.3?} per run  {mbs:>8.2} MB/s");
}

fn main() {
    use static_registry::{highlight, markdown, sass};
    let md = "# Title\n\nSome *text* with \"quotes\", `code` and a [link](/x).\n\n- a\n- b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ruby\nputs 1\n```\n\n"
        .repeat(500);
    let opts = markdown::KramdownOptions::default();
    time("markdown::to_html (500 sections)", md.len(), || {
        markdown::to_html(&md, &opts)
    });
    let sh = "if [ -f x ]; then echo \"hello $NAME\" && ls -la ~/src; fi # comment\n".repeat(1000);
    time("highlight sh (1000 lines)", sh.len(), || {
        highlight::tokens_html("sh", &sh)
    });
    let rb = "def foo(x)\n  puts \"hi #{x}\" if x.nil? # c\nend\n".repeat(1000);
    time("highlight ruby (3000 lines)", rb.len(), || {
        highlight::tokens_html("ruby", &rb)
    });
    let scss = "$c: #0086B3;\n.a { color: $c; .b { margin: 0 1px; } &:hover { color: red; } }\n"
        .repeat(500);
    time("sass::compile (500 rules)", scss.len(), || {
        sass::compile(&scss, sass::Syntax::Scss, &[]).unwrap()
    });
}
