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

use crate::digest::Sha256Stream;
use reqwest::blocking::Client;
use reqwest::header::{ACCEPT, CONTENT_RANGE, RANGE};
use reqwest::StatusCode;

use crate::error::{Error, IoContext, Result};
use crate::names::Reference;
use crate::record::{Descriptor, Manifest, Record, DOCKER_MANIFEST, OCI_MANIFEST};
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
    // The same checks as a local record (sha256 digests, http(s) urls): the digest goes into
    // a URL path and decides what is accepted, so it must be well-formed.
    Record::parse(Path::new(url), bytes.to_vec())
        .map(|r| r.manifest)
        .map_err(|e| Error::failed(e.to_string()))
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
/// wrong); on a transfer failure it is kept for resumption. No file is created until a source
/// answers with the bytes.
fn fetch_to_part(
    client: &Client,
    url: &str,
    want: &Descriptor,
    part: &Path,
) -> Result<(), FetchError> {
    let io = |e: std::io::Error| FetchError::Transfer(format!("{}: {e}", part.display()));
    let have = std::fs::metadata(part)
        .map(|m| m.len())
        .unwrap_or(0)
        .min(want.size);
    let mut request = client.get(url);
    if have > 0 {
        request = request.header(RANGE, format!("bytes={have}-"));
    }
    let resp = request
        .send()
        .map_err(|e| FetchError::Transfer(format!("{url}: network failure: {e}")))?;
    let status = resp.status();
    let complete = have == want.size && status == StatusCode::RANGE_NOT_SATISFIABLE;
    if !status.is_success() && !complete {
        return Err(FetchError::Transfer(match status {
            StatusCode::NOT_FOUND => format!("{url}: 404 not found"),
            s => format!("{url}: HTTP {s}"),
        }));
    }
    let resumed = complete
        || (have > 0
            && status == StatusCode::PARTIAL_CONTENT
            && resp
                .headers()
                .get(CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with(&format!("bytes {have}-"))));
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(part)
        .map_err(io)?;
    let mut hasher = Sha256Stream::default();
    let mut total = 0;
    if resumed {
        // The digest covers the whole file: hash what is already there first.
        let mut reader = (&mut file).take(have);
        total = std::io::copy(&mut reader, &mut hasher).map_err(io)?;
    } else {
        file.set_len(0).map_err(io)?;
    }
    file.seek(SeekFrom::Start(total)).map_err(io)?;
    let result = if complete {
        Ok(total)
    } else {
        stream(resp, url, want, &mut hasher, total, &mut file)
    }
    .and_then(|total| {
        file.flush().map_err(io)?;
        check(url, want, total, hasher)
    });
    if let Err(FetchError::Mismatch(_)) = &result {
        drop(file);
        let _ = std::fs::remove_file(part);
    }
    result
}

/// Streams `url` through sha256 without keeping the bytes (`validate --remote`).
pub fn verify_url(client: &Client, url: &str, want: &Descriptor) -> Result<(), FetchError> {
    let resp = client
        .get(url)
        .send()
        .map_err(|e| FetchError::Transfer(format!("{url}: network failure: {e}")))?;
    if !resp.status().is_success() {
        return Err(FetchError::Transfer(format!(
            "{url}: HTTP {}",
            resp.status()
        )));
    }
    let mut hasher = Sha256Stream::default();
    let total = stream(resp, url, want, &mut hasher, 0, &mut std::io::sink())?;
    check(url, want, total, hasher)
}

/// Copies the body into `sink` and the hasher, starting the count at `total` bytes; stops
/// early (a mismatch) once more bytes arrive than the record names. Receiving and hashing
/// overlap: this thread reads the network while a second one hashes and writes, so a
/// download takes as long as the slower of the two instead of their sum.
fn stream(
    mut resp: reqwest::blocking::Response,
    url: &str,
    want: &Descriptor,
    hasher: &mut Sha256Stream,
    mut total: u64,
    sink: &mut (dyn Write + Send),
) -> Result<u64, FetchError> {
    const CHUNK: usize = 256 * 1024;
    let bar = progress(want.size, &format!("downloading {}", short(&want.digest)));
    bar.set_position(total);
    // Full buffers go to the hashing thread; emptied ones come back to be filled again.
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<(Vec<u8>, usize)>(4);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(move || -> Result<(), FetchError> {
            for (buf, n) in full_rx {
                hasher.update(&buf[..n]);
                sink.write_all(&buf[..n])
                    .map_err(|e| FetchError::Transfer(format!("writing the download: {e}")))?;
                let _ = empty_tx.send(buf);
            }
            Ok(())
        });
        let received = loop {
            let mut buf = empty_rx.try_recv().unwrap_or_else(|_| vec![0u8; CHUNK]);
            let n = match resp.read(&mut buf) {
                Ok(0) => break Ok(total),
                Ok(n) => n,
                Err(e) => {
                    break Err(FetchError::Transfer(format!(
                        "{url}: network failure after {total} of {} bytes: {e}",
                        want.size
                    )))
                }
            };
            total += n as u64;
            if total > want.size {
                break Err(FetchError::Mismatch(format!(
                    "{url}: size mismatch: more than the {} bytes the record names",
                    want.size
                )));
            }
            if full_tx.send((buf, n)).is_err() {
                break Ok(total); // the worker stopped on an error: it reports it below
            }
            bar.set_position(total);
        };
        drop(full_tx);
        let written = worker.join().expect("hashing thread");
        received.and_then(|t| written.map(|()| t))
    });
    bar.finish_and_clear();
    result
}

fn check(url: &str, want: &Descriptor, total: u64, hasher: Sha256Stream) -> Result<(), FetchError> {
    if total != want.size {
        return Err(FetchError::Mismatch(format!(
            "{url}: size mismatch: got {total} bytes, the record names {}",
            want.size
        )));
    }
    let got = hasher.finish_digest();
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
