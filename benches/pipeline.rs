//! Micro-benchmarks of the pipeline's stages, in process (not a test): where `scripts/bench`
//! times whole commands against Jekyll and OpenSSL, this splits them so a regression points at
//! a stage. `cargo bench --bench pipeline [-- N]` prints one line per stage:
//! - registry: `Registry::scan`, `generate::files`, `generate::check` of an unchanged
//!   N-collection × 3-tag registry (default 2,000; synthetic data from `scripts/bench-data`);
//! - site: `site::load` and `site::build` of an N/4-document Jekyll site (Jekyll 4 profile);
//! - digest: `digest::sha256_file` of a 256 MiB file against `sha256_hex` of the same bytes in
//!   memory (the streaming overhead).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use static_registry::site::Profile;
use static_registry::{digest, generate, registry::Registry, site};

// The allocator the shipped binary uses (see `static_registry::alloc`).
#[global_allocator]
static GLOBAL: static_registry::alloc::Allocator = static_registry::alloc::Allocator;

/// Best of `runs` timings (the machine is shared: the minimum is the least disturbed).
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        last = Some(v);
    }
    (best, last.expect("runs > 0"))
}

fn data(kind: &str, dir: &Path, n: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let st = Command::new(root.join("scripts/bench-data"))
        .arg(kind)
        .arg(dir)
        .arg(n.to_string())
        .arg("--repo")
        .arg(root)
        .status()
        .expect("scripts/bench-data (python3) runs");
    assert!(st.success(), "scripts/bench-data {kind} failed");
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let tmp = tempfile::tempdir().expect("tempdir");

    let reg = tmp.path().join("registry");
    data("registry", &reg, n);
    let (t, r) = best(1, || Registry::scan(&reg).expect("scan"));
    generate::run(&reg, &generate::Args::default()).expect("generate");
    let (scan, registry) = best(5, || Registry::scan(&reg).expect("scan"));
    let (files_t, files) = best(5, || generate::files(&registry));
    let (check, drift) = best(5, || generate::check(&reg, &files).expect("check"));
    assert!(drift.is_empty(), "an unchanged registry has no drift");
    drop(r);
    println!(
        "registry {n} x 3: scan {} (cold {}), generate::files {} ({} files), check {}",
        ms(scan),
        ms(t),
        ms(files_t),
        files.len(),
        ms(check)
    );

    let docs = (n / 4).max(40);
    let src = tmp.path().join("site");
    data("jekyll-site", &src, docs);
    let (load, _) = best(3, || site::load(&src, Profile::Jekyll4).expect("load"));
    let (build, out) = best(3, || site::build(&src, Profile::Jekyll4).expect("build"));
    println!(
        "jekyll site {docs} docs: load {}, load + render {} ({} output files)",
        ms(load),
        ms(build),
        out.len()
    );

    let big = tmp.path().join("big.bin");
    let bytes: Vec<u8> = (0..256u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&big, &bytes).expect("write");
    let gib = bytes.len() as f64 / (1u64 << 30) as f64;
    let (file_t, (hex_f, _)) = best(3, || digest::sha256_file(&big).expect("hash"));
    let (mem_t, hex_m) = best(3, || digest::sha256_hex(&bytes));
    assert_eq!(hex_f, hex_m);
    println!(
        "sha256 256 MiB: sha256_file {:.2} GiB/s, in memory {:.2} GiB/s",
        gib / file_t.as_secs_f64(),
        gib / mem_t.as_secs_f64()
    );
}
