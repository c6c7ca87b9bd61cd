//! Streaming sha256 of files and byte strings, in constant memory.
//!
//! Image files can be many gigabytes: they are read in 32 KiB chunks, each hashed right
//! after it is read, and never held whole in memory. A progress bar is drawn only when stderr is a terminal and
//! the file is large. Not for storing blobs (see `storage`) or for small files the tool
//! already holds in memory (use [`sha256_hex`]).
//!
//! The hash is ring's SHA-256, which is OpenSSL's assembly (SHA-NI where the CPU has it):
//! measured against `sha2` 0.10 and `openssl dgst` in `docs/benchmarks.md`.

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::Path;

use crate::error::{Error, IoContext, Result};

/// Chunk size for streaming reads: large enough that syscalls cost nothing next to hashing,
/// small enough that a chunk is still in cache when it is hashed (32 KiB used 10% less CPU
/// than 256 KiB here, see docs/benchmarks.md).
const CHUNK: usize = 32 << 10;
/// Files at least this large get a progress bar on a terminal.
const PROGRESS_MIN: u64 = 64 << 20;

/// The sha256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// `sha256:<hex>` of `bytes`.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", sha256_hex(bytes))
}

/// A sha256 computed piece by piece (downloads, uploads), on the same code as the rest.
pub struct Sha256Stream(ring::digest::Context);

impl Default for Sha256Stream {
    fn default() -> Self {
        Sha256Stream(ring::digest::Context::new(&ring::digest::SHA256))
    }
}

impl Sha256Stream {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// `sha256:<hex>` of everything given.
    pub fn finish_digest(self) -> String {
        format!("sha256:{}", hex::encode(self.0.finish().as_ref()))
    }
}

impl std::io::Write for Sha256Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether `s` is `sha256:` followed by 64 lowercase hex digits.
pub fn is_sha256_digest(s: &str) -> bool {
    s.strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// The sha256 (64 hex digits) and exact byte size of the file at `path`, streamed.
pub fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let file = File::open(path).at_path(path)?;
    let meta = file.metadata().at_path(path)?;
    if !meta.is_file() {
        return Err(Error::at(path, "is not a regular file"));
    }
    if meta.len() <= CHUNK as u64 {
        // Small files (configs, tiny images): one read, no reader thread, no big buffers.
        let bytes = crate::registry::read_small(path, meta.len() as usize).at_path(path)?;
        return Ok((sha256_hex(&bytes), bytes.len() as u64));
    }
    let bar = (meta.len() >= PROGRESS_MIN && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(meta.len());
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "hashing {bytes}/{total_bytes} {wide_bar} {bytes_per_sec} {eta}",
            )
            .expect("progress template"),
        );
        bar
    });
    let result = hash_stream(file, path, bar.as_ref());
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

/// One thread: read a chunk, hash it while it is still in the CPU cache, repeat. (A reader
/// thread handing buffers over was measured slower here: under load the two threads compete
/// for the same two cores, and the kernel's readahead already overlaps disk I/O with hashing.)
fn hash_stream(
    mut file: File,
    path: &Path,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<(String, u64)> {
    let mut buf = vec![0u8; CHUNK];
    let mut hasher = ring::digest::Context::new(&ring::digest::SHA256);
    let mut total = 0u64;
    loop {
        let n = read_full(&mut file, &mut buf).at_path(path)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
        if let Some(bar) = bar {
            bar.set_position(total);
        }
    }
    Ok((hex::encode(hasher.finish().as_ref()), total))
}

/// Fills `buf` as far as the file allows; returns the bytes read (0 at end of file).
fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(
            sha256_digest(b"{}"),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert!(is_sha256_digest(&sha256_digest(b"")));
        assert!(!is_sha256_digest("sha256:ABC"));
        let mut s = Sha256Stream::default();
        s.update(b"{");
        s.update(b"}");
        assert_eq!(s.finish_digest(), sha256_digest(b"{}"));
    }

    #[test]
    fn file_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let data: Vec<u8> = (0..CHUNK * 2 + 12345)
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        std::fs::write(&p, &data).unwrap();
        let (hex, size) = sha256_file(&p).unwrap();
        assert_eq!(size, data.len() as u64);
        assert_eq!(hex, sha256_hex(&data));
        std::fs::write(&p, b"").unwrap();
        assert_eq!(sha256_file(&p).unwrap(), (sha256_hex(b""), 0));
    }
}
