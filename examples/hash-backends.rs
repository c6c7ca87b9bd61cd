//! Compares the sha256 backends on one file (sha2 0.10 vs ring), two rounds interleaved:
//! the measurement behind the choice of ring in `digest.rs` (see docs/benchmarks.md).
//! `cargo run --release --example hash-backends FILE`
use std::io::Read;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    for round in 0..2 {
        for which in ["sha2", "ring"] {
            let mut f = std::fs::File::open(&path).unwrap();
            let mut buf = vec![0u8; 4 << 20];
            let t = Instant::now();
            let hex = if which == "sha2" {
                use sha2::Digest;
                let mut h = sha2::Sha256::new();
                loop {
                    let n = f.read(&mut buf).unwrap();
                    if n == 0 {
                        break;
                    }
                    h.update(&buf[..n]);
                }
                hex::encode(h.finalize())
            } else {
                let mut h = ring::digest::Context::new(&ring::digest::SHA256);
                loop {
                    let n = f.read(&mut buf).unwrap();
                    if n == 0 {
                        break;
                    }
                    h.update(&buf[..n]);
                }
                hex::encode(h.finish().as_ref())
            };
            println!(
                "round {round} {which}: {:.2} s {}",
                t.elapsed().as_secs_f64(),
                &hex[..12]
            );
        }
    }
}
