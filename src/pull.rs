//! `static-registry pull SITE NS/NAME:TAG [-o FILE]`: downloads an image the way a user would,
//! from the public site and the URLs its record names, verifying every byte.
//!
//! What it is for: fetching one image file (the record's single layer: a SIF) over HTTP(S),
//! checking size and sha256 while streaming, and writing it atomically. Also the streaming
//! verifier `validate --remote` uses ([`verify_url`]). Not for multi-layer OCI images (use
//! skopeo or podman: they unpack layers, this does not).
//!
//! HTTP client: `reqwest` with its `blocking` feature. `object_store` already pulls reqwest (and
//! hyper, rustls) into the binary, so this adds no second HTTP or TLS stack; the blocking API
//! keeps `pull` a plain loop over a `Read` (reqwest runs its own small runtime thread, which is
//! why this module never runs inside the storage module's tokio runtime).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::blocking::Client;
use reqwest::header::{ACCEPT, CONTENT_RANGE, RANGE};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use crate::error::{Error, IoContext, Result};
use crate::names::Reference;
use crate::record::{Descriptor, Manifest, DOCKER_MANIFEST, OCI_MANIFEST};
use crate::storage::cloud::progress;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The registry site, e.g. https://owner.github.io/registry (its /v2/ API is read).
    pub site: String,
    /// The image, as NS/NAME:TAG.
    pub reference: String,
    /// Where to write the image (default: the file name the record gives, else NAME_TAG.sif).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

pub fn run(_source: &Path, args: &Args) -> Result<()> {
    let reference = Reference::parse(&args.reference)?;
    let client = client()?;
    let site = args.site.trim_end_matches('/');
    if !(site.starts_with("http://") || site.starts_with("https://")) {
        return Err(Error::input(format!(
            "SITE {site:?} must be an http:// or https:// URL, e.g. https://owner.github.io/registry"
        )));
    }
    let manifest_url = format!(
        "{site}/v2/{}/manifests/{}",
        reference.repository(),
        reference.tag
    );
    let manifest = fetch_manifest(&client, &manifest_url, &reference)?;
    if manifest.layers.len() != 1 {
        return Err(Error::failed(format!(
            "{reference} has {} layers: `pull` fetches single-file images (SIF); use \
             `skopeo copy docker://HOST/{}:{} oci:DIR` for OCI images",
            manifest.layers.len(),
            reference.repository(),
            reference.tag
        )));
    }
    let layer = &manifest.layers[0];
    let target = match &args.output {
        Some(p) => p.clone(),
        None => PathBuf::from(default_file_name(&reference, layer)),
    };
    let mut sources = layer.urls.clone();
    sources.push(format!(
        "{site}/v2/{}/blobs/{}",
        reference.repository(),
        layer.digest
    ));
    download(&client, &sources, layer, &target)?;
    eprintln!(
        "pulled {reference} ({} bytes, {}) to {}",
        layer.size,
        layer.digest,
        target.display()
    );
    Ok(())
}

/// The HTTP client. In reqwest's blocking API `timeout` bounds waiting for the headers and each
/// body read, not the whole transfer, so a stalled server fails while a multi-gigabyte image
/// still downloads.
pub fn client() -> Result<Client> {
    Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("static-registry/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::failed(format!("cannot create the HTTP client: {e}")))
}

fn fetch_manifest(client: &Client, url: &str, reference: &Reference) -> Result<Manifest> {
    let resp = client
        .get(url)
        .header(ACCEPT, format!("{OCI_MANIFEST}, {DOCKER_MANIFEST}"))
        .send()
        .map_err(|e| Error::failed(format!("network failure fetching {url}: {e}")))?;
    match resp.status() {
        s if s.is_success() => {}
        StatusCode::NOT_FOUND => {
            return Err(Error::failed(format!(
                "{reference} not found: {url} answered 404. Check the name and tag (the site \
                 lists tags at …/v2/{}/tags/list) and that SITE is the registry's root URL",
                reference.repository()
            )))
        }
        s => return Err(Error::failed(format!("{url} answered HTTP {s}"))),
    }
    let bytes = resp
        .bytes()
        .map_err(|e| Error::failed(format!("network failure reading {url}: {e}")))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::failed(format!("{url} is not an OCI image manifest: {e}")))
}

/// The record's file name (`org.opencontainers.image.title`) when it is a plain file name,
/// else `NAME_TAG.sif`.
fn default_file_name(reference: &Reference, layer: &Descriptor) -> String {
    let title = layer.annotations.get(crate::record::ANN_TITLE);
    match title {
        Some(t) if !t.is_empty() && !t.contains(['/', '\\']) && !t.starts_with('.') => t.clone(),
        _ => format!("{}_{}.sif", reference.name, reference.tag),
    }
}

/// Why one source did not give the right bytes.
#[derive(Debug)]
pub enum FetchError {
    /// The server has other bytes than the record says: not worth resuming.
    Mismatch(String),
    /// HTTP status, network or local I/O failure: a retry (or resume) may work.
    Transfer(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Mismatch(m) | FetchError::Transfer(m) => f.write_str(m),
        }
    }
}

/// Downloads the blob from the first source that gives the right bytes, into `target`
/// (atomically: `<target>.part`, verified, then renamed). A `.part` left by an interrupted
/// transfer is resumed with a Range request; one whose bytes turn out wrong is deleted.
pub fn download(
    client: &Client,
    sources: &[String],
    want: &Descriptor,
    target: &Path,
) -> Result<()> {
    let part = part_path(target);
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).at_path(dir)?;
    }
    let mut failures = Vec::new();
    let mut mismatch = false;
    for url in sources {
        match fetch_to_part(client, url, want, &part) {
            Ok(()) => {
                File::open(&part)
                    .and_then(|f| f.sync_all())
                    .at_path(&part)?;
                std::fs::rename(&part, target).at_path(target)?;
                return Ok(());
            }
            Err(e) => {
                mismatch |= matches!(e, FetchError::Mismatch(_));
                failures.push(e.to_string());
            }
        }
    }
    let kept = part.exists();
    let mut msg = format!("could not download {} ({} bytes):", want.digest, want.size);
    for f in &failures {
        msg.push_str("\n  ");
        msg.push_str(f);
    }
    if mismatch {
        msg.push_str("\nthe storage holds other bytes than the record names: the blob was changed or corrupted; rebuild or re-add the image");
    }
    if kept {
        msg.push_str(&format!(
            "\nthe partial download {} is kept: run the same command again to resume",
            part.display()
        ));
    }
    Err(Error::failed(msg))
}

fn part_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    target.with_file_name(name)
}

/// One source into the `.part` file. On a mismatch the `.part` is removed (its bytes are
/// wrong); on a transfer failure it is kept for resumption.
fn fetch_to_part(
    client: &Client,
    url: &str,
    want: &Descriptor,
    part: &Path,
) -> Result<(), FetchError> {
    let io = |e: std::io::Error| FetchError::Transfer(format!("{}: {e}", part.display()));
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(part)
        .map_err(io)?;
    let mut have = file.metadata().map_err(io)?.len();
    if have > want.size {
        have = 0;
    }
    // Re-hash what is already there: the digest covers the whole file.
    let mut hasher = Sha256::new();
    if have > 0 {
        let mut reader = (&mut file).take(have);
        std::io::copy(&mut reader, &mut HashWriter(&mut hasher)).map_err(io)?;
    }
    let mut request = client.get(url);
    if have > 0 {
        request = request.header(RANGE, format!("bytes={have}-"));
    }
    let resp = request
        .send()
        .map_err(|e| FetchError::Transfer(format!("{url}: network failure: {e}")))?;
    let status = resp.status();
    let resumed = have > 0
        && status == StatusCode::PARTIAL_CONTENT
        && resp
            .headers()
            .get(CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(&format!("bytes {have}-")));
    if status == StatusCode::RANGE_NOT_SATISFIABLE && have == want.size {
        // The whole file is already here: verify it below without a transfer.
    } else if !status.is_success() {
        let what = if status == StatusCode::NOT_FOUND {
            "404 not found".to_string()
        } else {
            format!("HTTP {status}")
        };
        // Keep the .part (it may be right; another source or a rerun can finish it).
        return Err(FetchError::Transfer(format!("{url}: {what}")));
    } else if !resumed {
        // A full body: start over.
        hasher = Sha256::new();
        have = 0;
        file.set_len(0).map_err(io)?;
    }
    file.seek(SeekFrom::Start(have)).map_err(io)?;
    let mut total = have;
    if status.is_success() {
        let bar = progress(want.size, &format!("downloading {}", short(&want.digest)));
        bar.set_position(have);
        let mut resp = resp;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = match resp.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    bar.finish_and_clear();
                    return Err(FetchError::Transfer(format!(
                        "{url}: network failure after {total} of {} bytes: {e}",
                        want.size
                    )));
                }
            };
            total += n as u64;
            if total > want.size {
                bar.finish_and_clear();
                drop(file);
                let _ = std::fs::remove_file(part);
                return Err(FetchError::Mismatch(format!(
                    "{url}: size mismatch: more than the {} bytes the record names",
                    want.size
                )));
            }
            hasher.update(&buf[..n]);
            file.write_all(&buf[..n]).map_err(io)?;
            bar.set_position(total);
        }
        bar.finish_and_clear();
    }
    file.flush().map_err(io)?;
    drop(file);
    let got = format!("sha256:{}", hex::encode(hasher.finalize()));
    if total != want.size || got != want.digest {
        let _ = std::fs::remove_file(part);
        return Err(FetchError::Mismatch(if total != want.size {
            format!(
                "{url}: size mismatch: got {total} bytes, the record names {}",
                want.size
            )
        } else {
            format!(
                "{url}: digest mismatch: got {got}, the record names {}",
                want.digest
            )
        }));
    }
    Ok(())
}

/// Streams `url` through sha256 without keeping the bytes (`validate --remote`).
pub fn verify_url(client: &Client, url: &str, want: &Descriptor) -> Result<(), FetchError> {
    let mut resp = client
        .get(url)
        .send()
        .map_err(|e| FetchError::Transfer(format!("{url}: network failure: {e}")))?;
    if !resp.status().is_success() {
        return Err(FetchError::Transfer(format!(
            "{url}: HTTP {}",
            resp.status()
        )));
    }
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = resp.read(&mut buf).map_err(|e| {
            FetchError::Transfer(format!("{url}: network failure after {total} bytes: {e}"))
        })?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > want.size {
            return Err(FetchError::Mismatch(format!(
                "{url}: size mismatch: more than the {} bytes the record names",
                want.size
            )));
        }
        hasher.update(&buf[..n]);
    }
    let got = format!("sha256:{}", hex::encode(hasher.finalize()));
    if total != want.size {
        return Err(FetchError::Mismatch(format!(
            "{url}: size mismatch: got {total} bytes, the record names {}",
            want.size
        )));
    }
    if got != want.digest {
        return Err(FetchError::Mismatch(format!(
            "{url}: digest mismatch: got {got}, the record names {}",
            want.digest
        )));
    }
    Ok(())
}

fn short(digest: &str) -> &str {
    &digest[..digest.len().min(19)]
}

struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
