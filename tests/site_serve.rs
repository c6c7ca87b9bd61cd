//! Issue 4 acceptance: `serve` runs generate + render and serves the bundled registry site on
//! 127.0.0.1 with the right Content-Type per file (manifests with their `mediaType`, `/v2/` as
//! JSON), honours `baseurl`, and picks up a source edit.

use crate::site_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn get(port: u16, path: &str) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = vec![];
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    Resp {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// The bundled registry site without `_containers/`, so the test sees `serve` run `generate`.
fn copy_registry_site(to: &Path) {
    site_support::copy_registry_site(to, &["_containers"]);
}

fn start(site: &Path) -> (Server, u16) {
    let exe = assert_cmd::cargo::cargo_bin("static-registry");
    let mut child = Command::new(exe)
        .arg("-s")
        .arg(site)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    // "serving N files on http://127.0.0.1:PORT/..."
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in `{line}`"));
    (server, port)
}

#[test]
fn serves_pages_and_manifests_with_content_types_and_rebuilds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_registry_site(&site);
    let (_server, port) = start(&site);

    // serve ran `generate`: the generated files exist in the source.
    assert!(
        site.join("_containers/biology/blast.md").is_file(),
        "serve should run generate first"
    );

    let ping = get(port, "/v2/");
    assert_eq!(ping.status, 200);
    assert_eq!(ping.header("Content-Type"), Some("application/json"));
    assert_eq!(ping.body, b"{}");

    let record = std::fs::read(site.join("biology/blast/manifests/2.14.1/manifest.json")).unwrap();
    let media_type = serde_json::from_slice::<serde_json::Value>(&record).unwrap()["mediaType"]
        .as_str()
        .unwrap()
        .to_string();
    let m = get(port, "/v2/biology/blast/manifests/2.14.1");
    assert_eq!(m.status, 200);
    assert_eq!(m.header("Content-Type"), Some(media_type.as_str()));
    assert_eq!(
        m.body, record,
        "the manifest is served with the record's exact bytes"
    );

    let tags = get(port, "/v2/biology/blast/tags/list");
    assert_eq!(tags.status, 200);
    assert_eq!(tags.header("Content-Type"), Some("application/json"));
    let v: serde_json::Value = serde_json::from_slice(&tags.body).expect("tags/list is JSON");
    assert_eq!(v["name"], "biology/blast");

    let page = get(port, "/biology/blast/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let html = String::from_utf8(page.body).unwrap();
    assert!(
        html.contains("BLAST+: search nucleotide and protein databases"),
        "{html}"
    );

    assert_eq!(get(port, "/no/such/page.html").status, 404);

    // Edit the collection's README: generate + render run again and the page changes.
    let readme = site.join("biology/blast/README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    std::fs::write(
        &readme,
        text.replace(
            "description: \"BLAST+: search nucleotide and protein databases\"",
            "description: \"Edited while serving\"",
        ),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let body = String::from_utf8(get(port, "/biology/blast/").body).unwrap();
        if body.contains("Edited while serving") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the edit was not picked up: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn baseurl_is_honoured_and_v2_stays_at_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_registry_site(&site);
    let cfg = std::fs::read_to_string(site.join("_config.yml")).unwrap();
    std::fs::write(
        site.join("_config.yml"),
        cfg.replace("baseurl: \"\"", "baseurl: \"/reg\""),
    )
    .unwrap();
    let (_server, port) = start(&site);
    let page = get(port, "/reg/biology/blast/");
    assert_eq!(page.status, 200);
    assert_eq!(
        get(port, "/biology/blast/").status,
        404,
        "pages live under baseurl"
    );
    let ping = get(port, "/v2/");
    assert_eq!(
        (ping.status, ping.body.as_slice()),
        (200, &b"{}"[..]),
        "registry clients ask /v2/ at the root"
    );
    let ping2 = get(port, "/reg/v2/");
    assert_eq!(ping2.header("Content-Type"), Some("application/json"));
}
