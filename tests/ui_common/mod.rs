//! Helpers the UI tests share: required tools, a Jekyll build of a site, a small static file
//! server, and a WebDriver client for headless Chromium (chromedriver over plain HTTP).
//!
//! Every tool a test needs is required: a missing one fails the test with the package to
//! install (`scripts/install-deps` installs them all), it never skips.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::tools;
pub use tools::*;

/// The registry's own site files (no collections): layouts, includes, assets, pages, config.
pub const SITE_PARTS: &[&str] = &[
    "_config.yml",
    "_layouts",
    "_includes",
    "assets",
    "registry",
    "index.html",
];

/// Writes a site to `dir`: the repository's site files plus the registry at `fixture` (its
/// collection documents, records, recipes and /v2/ files).
pub fn assemble_site(dir: &Path, fixture: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for part in SITE_PARTS {
        let from = repo().join(part);
        if from.is_dir() {
            copy_tree(&from, &dir.join(part));
        } else {
            std::fs::copy(&from, dir.join(part)).unwrap();
        }
    }
    copy_tree(fixture, dir);
    let _ = std::fs::remove_file(dir.join("make_fixture.py"));
}

/// Builds `src` into `dest` with Debian's Jekyll (the environment TOOLS.md pins), with
/// `extra_config` (YAML) layered over the site's `_config.yml`. Panics with Jekyll's output
/// when the build fails.
pub fn jekyll_build(src: &Path, dest: &Path, extra_config: &str) {
    let jekyll = require_tool("jekyll");
    let extra = src.join("_test_overrides.yml");
    std::fs::write(&extra, extra_config).unwrap();
    let mut configs = String::new();
    if src.join("_config.yml").exists() {
        configs.push_str(&src.join("_config.yml").display().to_string());
        configs.push(',');
    }
    configs.push_str(&extra.display().to_string());
    let out = Command::new(jekyll)
        .args(["build", "--source"])
        .arg(src)
        .arg("--destination")
        .arg(dest)
        .arg("--config")
        .arg(&configs)
        .current_dir(std::env::temp_dir())
        .env("JEKYLL_ENV", "production")
        .env("TZ", "UTC")
        .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
        .env("PAGES_REPO_NWO", "static-registry/static-registry")
        .output()
        .expect("run jekyll");
    assert!(
        out.status.success(),
        "jekyll build of {} failed:\n{}\n{}",
        src.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A static file server for a built site that behaves like Netlify or Cloudflare Pages: the
/// Content-Type comes from the site's own `_headers` file when it names the path, else from
/// the file extension (extensionless files are `application/octet-stream`, as on GitHub
/// Pages). So an OCI client only works if the registry's `_headers` is right.
pub struct StaticServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

/// The Content-Type rules of a `_headers` file: exact paths only (the registry writes those).
fn parse_headers(text: &str) -> std::collections::HashMap<String, String> {
    let mut map = std::collections::HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            current = Some(line.trim().to_string());
        } else if let (Some(path), Some((k, v))) = (&current, line.trim().split_once(':')) {
            if k.trim().eq_ignore_ascii_case("content-type") {
                map.insert(path.clone(), v.trim().to_string());
            }
        }
    }
    map
}

impl StaticServer {
    pub fn start(listener: TcpListener, root: PathBuf) -> StaticServer {
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let root = root.clone();
                    std::thread::spawn(move || {
                        let _ = serve_one(stream, &root);
                    });
                }
            }
        });
        StaticServer { port, stop }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn content_type(rel: &str) -> String {
    let ext = rel
        .rsplit('/')
        .next()
        .unwrap_or("")
        .rsplit_once('.')
        .map(|x| x.1)
        .unwrap_or("");
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xml" => "application/xml",
        "txt" | "conf" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
    .into()
}

fn serve_one(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let mut stream = stream;
    let rel = path.trim_start_matches('/').to_string();
    let mut file = root.join(&rel);
    let mut rel_file = rel.clone();
    if rel.split('/').any(|c| c == "..") {
        file = root.join("__nope__");
    }
    if file.is_dir() {
        file = file.join("index.html");
        rel_file = format!(
            "{}index.html",
            if rel.is_empty() || rel.ends_with('/') {
                rel.clone()
            } else {
                format!("{rel}/")
            }
        );
    }
    match std::fs::read(&file) {
        Ok(bytes) if method == "GET" || method == "HEAD" => {
            let rules = std::fs::read_to_string(root.join("_headers"))
                .map(|t| parse_headers(&t))
                .unwrap_or_default();
            let ct = rules
                .get(&path)
                .cloned()
                .unwrap_or_else(|| content_type(&rel_file));
            write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", bytes.len())?;
            if method == "GET" {
                stream.write_all(&bytes)?;
            }
        }
        _ => {
            let body = b"not found";
            write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())?;
            stream.write_all(body)?;
        }
    }
    stream.flush()
}

/// GETs a URL, returning status and body (no redirects, no TLS).
pub fn http_get(url: &str) -> (u16, Vec<u8>) {
    match ureq::get(url).call() {
        Ok(r) => {
            let status = r.status();
            let mut body = Vec::new();
            r.into_reader().read_to_end(&mut body).unwrap();
            (status, body)
        }
        Err(ureq::Error::Status(code, r)) => {
            let mut body = Vec::new();
            r.into_reader().read_to_end(&mut body).unwrap();
            (code, body)
        }
        Err(e) => panic!("GET {url}: {e}"),
    }
}

/// A headless Chromium driven by chromedriver (WebDriver over HTTP).
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
}

impl Browser {
    pub fn start() -> Browser {
        let chromedriver = require_tool("chromedriver");
        require_tool("chromium");
        let binary = if Path::new("/usr/lib/chromium/chromium").is_file() {
            "/usr/lib/chromium/chromium".to_string()
        } else {
            require_tool("chromium").display().to_string()
        };
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = ureq::get(&format!("{base}/status")).call() {
                let v: Value = r.into_json().unwrap();
                if v["value"]["ready"] == json!(true) {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--no-first-run", "--no-default-browser-check",
                         "--hide-scrollbars", "--window-size=1280,900", "--force-color-profile=srgb",
                         "--font-render-hinting=none"]
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let v = b.post("/session", caps);
        b.session = v["sessionId"].as_str().expect("session id").to_string();
        b
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let url = format!("{}{}", self.base, path);
        match ureq::post(&url).send_json(body) {
            Ok(r) => r.into_json::<Value>().unwrap()["value"].clone(),
            Err(ureq::Error::Status(code, r)) => panic!(
                "WebDriver {path}: {code} {}",
                r.into_string().unwrap_or_default()
            ),
            Err(e) => panic!("WebDriver {path}: {e}"),
        }
    }

    fn sess(&self, path: &str) -> String {
        format!("/session/{}{}", self.session, path)
    }

    pub fn goto(&self, url: &str) {
        self.post(&self.sess("/url"), json!({ "url": url }));
    }

    /// Runs a synchronous script; returns its value.
    pub fn js(&self, script: &str) -> Value {
        self.post(
            &self.sess("/execute/sync"),
            json!({ "script": script, "args": [] }),
        )
    }

    /// Polls a script until it returns something truthy (or panics after 10 s).
    pub fn wait_for(&self, script: &str, what: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.js(script);
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Types text into the element matching `css` (real key events, so `input` fires).
    pub fn type_into(&self, css: &str, text: &str) {
        let el = self.post(
            &self.sess("/element"),
            json!({"using": "css selector", "value": css}),
        );
        let id = el
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("element id")
            .to_string();
        self.post(&self.sess(&format!("/element/{id}/clear")), json!({}));
        self.post(
            &self.sess(&format!("/element/{id}/value")),
            json!({ "text": text }),
        );
    }

    pub fn click(&self, css: &str) {
        let el = self.post(
            &self.sess("/element"),
            json!({"using": "css selector", "value": css}),
        );
        let id = el
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("element id")
            .to_string();
        self.post(&self.sess(&format!("/element/{id}/click")), json!({}));
    }

    /// Browser console entries at level SEVERE since the last call.
    pub fn console_errors(&self) -> Vec<String> {
        let v = self.post(&self.sess("/se/log"), json!({ "type": "browser" }));
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter(|e| e["level"] == json!("SEVERE"))
                    .map(|e| e["message"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.post(
            &self.sess("/goog/cdp/execute"),
            json!({ "cmd": cmd, "params": params }),
        )
    }

    /// Lets pages of `origin` read and write the system clipboard (as a user would allow).
    pub fn grant_clipboard(&self, origin: &str) {
        self.cdp(
            "Browser.grantPermissions",
            json!({"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}),
        );
    }

    /// Runs an async script (its last argument is the callback); returns what it passed.
    pub fn js_async(&self, script: &str) -> Value {
        self.post(
            &self.sess("/execute/async"),
            json!({ "script": script, "args": [] }),
        )
    }

    /// Emulates a viewport of `width` CSS pixels (phone widths included).
    pub fn set_width(&self, width: u32, mobile: bool) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile}),
        );
    }

    /// A PNG of the whole page at the current width.
    pub fn screenshot_full(&self, width: u32, mobile: bool) -> Vec<u8> {
        // No focus ring from an earlier interaction in the picture.
        self.js("if (document.activeElement) document.activeElement.blur()");
        let h = self
            .js("return Math.ceil(document.documentElement.scrollHeight)")
            .as_u64()
            .unwrap_or(900);
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": h, "deviceScaleFactor": 1, "mobile": mobile}),
        );
        let v = self.cdp(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v["data"].as_str().expect("png data"))
            .unwrap();
        self.set_width(width, mobile);
        png
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A registry site built by Debian's Jekyll with `url` set to the server that serves it: the
/// repository's own registry when it has generated collections (_containers/), else the
/// hand-made fixture registry.
pub struct Site {
    pub _tmp: tempfile::TempDir,
    pub src: PathBuf,
    pub out: PathBuf,
    pub server: StaticServer,
}

pub fn built_site() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let (src, out) = (tmp.path().join("src"), tmp.path().join("out"));
    if repo().join("_containers").is_dir() {
        for entry in std::fs::read_dir(repo()).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().to_string();
            if ["target", ".git", "_site", ".jekyll-cache"].contains(&name.as_str()) {
                continue;
            }
            if entry.path().is_dir() {
                copy_tree(&entry.path(), &src.join(&name));
            } else {
                std::fs::create_dir_all(&src).unwrap();
                std::fs::copy(entry.path(), src.join(&name)).unwrap();
            }
        }
    } else {
        assemble_site(&src, &repo().join("tests/fixtures/ui-registry"));
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    jekyll_build(
        &src,
        &out,
        &format!("url: \"http://127.0.0.1:{port}\"\nbaseurl: \"\"\n"),
    );
    let server = StaticServer::start(listener, out.clone());
    Site {
        _tmp: tmp,
        src,
        out,
        server,
    }
}

/// A running `static-registry serve` of a site (killed on drop).
pub struct Serve {
    child: Child,
    pub base: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the tool's own `serve` on the site at `src` (a free port; the URL it prints).
pub fn start_serve(src: &Path) -> Serve {
    let (child, base) = spawn_serve(src, &["--no-generate"]);
    Serve { child, base }
}
