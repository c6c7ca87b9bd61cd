//! The usage snippets of a collection page really work: the curl + jq commands shown on the
//! page, run as they are, download bytes whose sha256 and size match the build record; the
//! skopeo command (plus the flag for a plain-HTTP test server) copies the image with skopeo
//! verifying every digest. The server takes each Content-Type from the site's own `_headers`
//! (as Netlify or Cloudflare Pages would), so this also proves the `_headers` file.

use crate::ui_common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use sha2::{Digest, Sha256};
use ui_common::*;

/// The text of every usage snippet on a built collection page (HTML entities decoded).
fn snippets(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<pre data-sr-template=") {
        rest = &rest[i..];
        let start = rest.find("<code>").unwrap() + "<code>".len();
        let end = rest.find("</code>").unwrap();
        out.push(
            rest[start..end]
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        );
        rest = &rest[end..];
    }
    out
}

fn sha256_file(p: &Path) -> String {
    format!(
        "sha256:{}",
        hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
    )
}

#[test]
fn collection_page_commands_download_the_recorded_bytes() {
    require_tool("curl");
    require_tool("jq");
    let skopeo = require_tool("skopeo");
    let site = built_site();
    let base = site.server.url();

    // Every collection's snippets name this site; run them for the first SIF tag found.
    let mut ran = 0;
    for doc in walkdir::WalkDir::new(site.src.join("_containers")) {
        let doc = doc.unwrap().into_path();
        if doc.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let full = doc
            .strip_prefix(site.src.join("_containers"))
            .unwrap()
            .with_extension("");
        let full = full.to_string_lossy().to_string();
        let html = std::fs::read_to_string(site.out.join(&full).join("index.html")).unwrap();
        let snips = snippets(&html);
        if snips.is_empty() {
            continue; // only pending tags: no snippets
        }
        let pull = &snips[0];
        let tag = pull.rsplit(':').next().unwrap().to_string();
        assert_eq!(pull, &format!("static-registry pull {base} {full}:{tag}"));
        let record: Value = serde_json::from_slice(
            &std::fs::read(
                site.src
                    .join(&full)
                    .join("manifests")
                    .join(&tag)
                    .join("manifest.json"),
            )
            .unwrap(),
        )
        .unwrap();
        let layer = &record["layers"][0];
        if layer["mediaType"] != "application/vnd.sylabs.sif.layer.v1.sif" || ran > 0 {
            continue;
        }

        // curl + jq, exactly as shown.
        let curl = snips
            .iter()
            .find(|s| s.contains("curl "))
            .expect("a curl snippet");
        let work = tempfile::tempdir().unwrap();
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", curl])
            .current_dir(work.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "the curl + jq snippet failed:\n{curl}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let name = full.rsplit('/').next().unwrap();
        let file = work.path().join(format!("{name}_{tag}.sif"));
        assert_eq!(
            sha256_file(&file),
            layer["digest"].as_str().unwrap(),
            "downloaded bytes of {full}:{tag}"
        );
        assert_eq!(
            std::fs::metadata(&file).unwrap().len(),
            layer["size"].as_u64().unwrap()
        );

        // skopeo, as shown, plus the flag a plain-HTTP test server needs.
        let sk = snips
            .iter()
            .find(|s| s.starts_with("skopeo copy"))
            .expect("a skopeo snippet");
        let args: Vec<&str> = sk.split_whitespace().collect();
        let out = Command::new(&skopeo)
            .arg("copy")
            .arg("--src-tls-verify=false")
            .args(&args[2..])
            .current_dir(work.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sk}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dir = work.path().join(args[3].trim_start_matches("dir:"));
        let hex = layer["digest"]
            .as_str()
            .unwrap()
            .trim_start_matches("sha256:");
        assert_eq!(
            sha256_file(&dir.join(hex)),
            layer["digest"].as_str().unwrap()
        );
        ran += 1;
    }
    assert_eq!(ran, 1, "the registry under test needs a SIF collection");

    // The JSON endpoints answer as JSON (the _headers file says so).
    let out = Command::new(&skopeo)
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!(
            "docker://{}/{}",
            base.trim_start_matches("http://"),
            {
                let c: Value =
                    serde_json::from_slice(&http_get(&format!("{base}/v2/_catalog")).1).unwrap();
                let repo = c["repositories"][0].as_str().unwrap().to_string();
                let tags: Value =
                    serde_json::from_slice(&http_get(&format!("{base}/v2/{repo}/tags/list")).1)
                        .unwrap();
                format!("{repo}:{}", tags["tags"][0].as_str().unwrap())
            }
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "skopeo inspect: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let raw: Value = serde_json::from_slice(&out.stdout).expect("a manifest");
    assert_eq!(raw["schemaVersion"], Value::from(2));
}
