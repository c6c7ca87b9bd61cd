//! `static-registry serve`: runs `generate`, renders the site into memory and serves it over
//! HTTP on 127.0.0.1 with the Content-Type each file needs — manifests under `v2/` with their
//! JSON `mediaType` (what skopeo, podman and containerd require), `/v2/` and the other API
//! files as JSON — under `baseurl` (and `/v2/` also at the host root, where registry clients
//! look). A watcher polls the source and rebuilds on change; a failed rebuild keeps serving
//! the last good site. Not a production server: one thread per request, no TLS.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use super::config::Profile;
use super::write::Output;
use crate::error::{Error, Result};

/// `static-registry serve`.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Port to listen on (0 picks a free one; the URL is printed).
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Which Jekyll to match.
    #[arg(long, value_enum, default_value_t = Profile::Pages)]
    pub profile: Profile,
    /// Do not run `generate` before each build.
    #[arg(long)]
    pub no_generate: bool,
}

/// The one place `serve` calls the exporter.
fn generate(source: &Path) -> Result<()> {
    crate::generate::run(source, &crate::generate::Args::default())
}

struct State {
    output: Output,
    baseurl: String,
}

fn build(source: &Path, args: &Args) -> Result<State> {
    if !args.no_generate {
        generate(source)?;
    }
    let output = super::build(source, args.profile)?;
    let config = super::config::Config::load(source, args.profile)?;
    Ok(State {
        output,
        baseurl: config.baseurl.trim_end_matches('/').to_string(),
    })
}

/// A cheap fingerprint of the source tree: paths, sizes and mtimes (skips `_site`, `.git`,
/// `target`, caches).
fn fingerprint(source: &Path) -> Vec<(PathBuf, u64, SystemTime)> {
    let mut v = vec![];
    for e in walkdir::WalkDir::new(source)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            e.depth() == 0
                || !matches!(
                    n.as_ref(),
                    "_site" | ".git" | "target" | ".jekyll-cache" | ".sass-cache"
                )
        })
        .filter_map(|e| e.ok())
    {
        if let Ok(m) = e.metadata() {
            v.push((
                e.path().to_path_buf(),
                m.len(),
                m.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            ));
        }
    }
    v
}

pub fn run(source: &Path, args: &Args) -> Result<()> {
    let state = Arc::new(RwLock::new(build(source, args)?));
    let server = tiny_http::Server::http((args.host.as_str(), args.port))
        .map_err(|e| Error::input(format!("cannot listen on {}:{}: {e}", args.host, args.port)))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_default();
    {
        let st = state
            .read()
            .map_err(|_| Error::input("state lock poisoned"))?;
        println!(
            "serving {} files on http://{addr}{}/",
            st.output.len(),
            st.baseurl
        );
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
    // Watcher: rebuild when the source changes.
    {
        let state = state.clone();
        let source = source.to_path_buf();
        let args = args.clone();
        std::thread::spawn(move || {
            let mut last = fingerprint(&source);
            loop {
                std::thread::sleep(Duration::from_millis(300));
                let now = fingerprint(&source);
                if now == last {
                    continue;
                }
                // Remember what triggered this build, not what the tree looks like after it: an
                // edit made during the build then triggers the next one (and files `generate`
                // wrote cost one extra, idempotent rebuild).
                last = now;
                match build(&source, &args) {
                    Ok(s) => {
                        eprintln!("rebuilt: {} files", s.output.len());
                        if let Ok(mut w) = state.write() {
                            *w = s;
                        }
                    }
                    Err(e) => eprintln!("error: {e} (still serving the previous build)"),
                }
            }
        });
    }
    for req in server.incoming_requests() {
        let state = state.clone();
        std::thread::spawn(move || {
            let resp = match state.read() {
                Ok(st) => respond(&st, req.url()),
                Err(_) => Reply::status(500, "server state poisoned"),
            };
            // tiny_http answers HEAD with the headers of the full body (Content-Length
            // included) and no body: containerd resolves manifests by HEAD and refuses a
            // descriptor of size 0.
            let mut r = tiny_http::Response::from_data(resp.body).with_status_code(resp.status);
            for (k, v) in &resp.headers {
                if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
                    r.add_header(h);
                }
            }
            let _ = req.respond(r);
        });
    }
    Ok(())
}

/// An HTTP answer, independent of the server library (unit-testable).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn status(code: u16, msg: &str) -> Reply {
        Reply {
            status: code,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: format!("{msg}\n").into_bytes(),
        }
    }
}

/// The Content-Type for an output path (and its bytes, for manifests).
pub fn content_type(path: &str, bytes: &[u8]) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    if parts.first() == Some(&"v2") {
        let n = parts.len();
        if n >= 3 && parts[n - 2] == "manifests" {
            let mt = serde_json::from_slice::<serde_json::Value>(bytes)
                .ok()
                .and_then(|v| {
                    v.get("mediaType")
                        .and_then(|m| m.as_str())
                        .map(String::from)
                });
            return mt.unwrap_or_else(|| "application/vnd.oci.image.manifest.v1+json".into());
        }
        if n >= 3 && parts[n - 2] == "blobs" {
            return "application/octet-stream".into();
        }
        if path == "v2/index.html" || path == "v2/index" || !parts[n - 1].contains('.') {
            return "application/json".into();
        }
    }
    let ext = path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html") | Some("htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "application/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt") | Some("md") | Some("def") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
    .into()
}

fn respond(st: &State, raw_url: &str) -> Reply {
    let path = raw_url.split(['?', '#']).next().unwrap_or("/");
    let path = super::url::unescape_path(path);
    // Under baseurl; `/v2/...` also at the root (registry clients always ask there).
    let rel = if !st.baseurl.is_empty()
        && (path == st.baseurl || path.starts_with(&format!("{}/", st.baseurl)))
    {
        path[st.baseurl.len()..].to_string()
    } else if st.baseurl.is_empty() || path.starts_with("/v2/") || path == "/v2" {
        path.clone()
    } else {
        return Reply::status(
            404,
            &format!(
                "not found: {path} (the site is served under {}/)",
                st.baseurl
            ),
        );
    };
    let rel = rel.trim_start_matches('/').to_string();
    if rel.split('/').any(|s| s == "..") {
        return Reply::status(400, "bad path");
    }
    let candidates: Vec<String> = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html"), format!("{rel}index")]
    } else {
        vec![rel.clone(), format!("{rel}.html")]
    };
    for c in &candidates {
        if let Some(content) = st.output.get(c) {
            let Ok(bytes) = content.bytes() else {
                return Reply::status(500, "cannot read file");
            };
            let bytes = bytes.into_owned();
            let mut headers = vec![("Content-Type".to_string(), content_type(c, &bytes))];
            if c.starts_with("v2/") && (c.contains("/manifests/") || c.contains("/blobs/")) {
                headers.push((
                    "Docker-Content-Digest".into(),
                    crate::digest::sha256_digest(&bytes),
                ));
            }
            return Reply {
                status: 200,
                headers,
                body: bytes,
            };
        }
    }
    if !rel.is_empty()
        && (st.output.contains_key(&format!("{rel}/index.html"))
            || st.output.contains_key(&format!("{rel}/index")))
    {
        let mut r = Reply::status(301, "moved");
        r.headers
            .push(("Location".into(), format!("{}/{rel}/", st.baseurl)));
        return r;
    }
    if let Some(nf) = st.output.get("404.html").and_then(|c| c.bytes().ok()) {
        return Reply {
            status: 404,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: nf.into_owned(),
        };
    }
    Reply::status(404, &format!("not found: {path}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn types() {
        assert_eq!(
            content_type(
                "v2/a/b/manifests/1.0",
                br#"{"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#
            ),
            "application/vnd.oci.image.manifest.v1+json"
        );
        assert_eq!(content_type("v2/index.html", b"{}"), "application/json");
        assert_eq!(content_type("v2/_catalog", b"{}"), "application/json");
        assert_eq!(
            content_type("a/index.html", b""),
            "text/html; charset=utf-8"
        );
    }
}
