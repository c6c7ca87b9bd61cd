//! The hosting files work with real servers: nginx serving the built site with the site's own
//! `registry-nginx.conf` gives every manifest its media type and the API JSON, so skopeo
//! inspects and copies every tag of every collection (verifying each digest).

use crate::ui_common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use ui_common::*;

struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn nginx_with_the_registry_snippet_serves_oci_clients() {
    let nginx = if std::path::Path::new("/usr/sbin/nginx").is_file() {
        std::path::PathBuf::from("/usr/sbin/nginx")
    } else {
        require_tool("nginx")
    };
    let skopeo = require_tool("skopeo");
    let site = built_site();
    let snippet = site.out.join("registry-nginx.conf");
    assert!(
        snippet.is_file(),
        "the site must publish registry-nginx.conf"
    );

    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let t = tmp.path().display();
    let conf = format!(
        "daemon off;\npid {t}/nginx.pid;\nerror_log {t}/error.log;\nevents {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n  client_body_temp_path {t}/body; proxy_temp_path {t}/proxy; fastcgi_temp_path {t}/fcgi; uwsgi_temp_path {t}/uwsgi; scgi_temp_path {t}/scgi;\n  server {{\n    listen 127.0.0.1:{port};\n    root {};\n    include {};\n  }}\n}}\n",
        site.out.display(),
        snippet.display()
    );
    std::fs::write(tmp.path().join("nginx.conf"), conf).unwrap();
    let _server = Nginx(
        Command::new(nginx)
            .arg("-c")
            .arg(tmp.path().join("nginx.conf"))
            .arg("-p")
            .arg(tmp.path())
            .stdout(Stdio::null())
            .spawn()
            .expect("start nginx"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while ureq::get(&format!("{base}/v2/")).call().is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not start: {}",
            std::fs::read_to_string(tmp.path().join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    for path in ["/v2/", "/v2/_catalog"] {
        let r = ureq::get(&format!("{base}{path}")).call().unwrap();
        assert_eq!(r.content_type(), "application/json", "{path}");
        let _: Value = r
            .into_json()
            .unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
    }
    let catalog: Value = ureq::get(&format!("{base}/v2/_catalog"))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    let mut copied = 0;
    for repo in catalog["repositories"].as_array().unwrap() {
        let repo = repo.as_str().unwrap();
        let list = ureq::get(&format!("{base}/v2/{repo}/tags/list"))
            .call()
            .unwrap();
        assert_eq!(list.content_type(), "application/json");
        let list: Value = list.into_json().unwrap();
        for tag in list["tags"].as_array().unwrap() {
            let tag = tag.as_str().unwrap();
            let record: Value = serde_json::from_slice(
                &std::fs::read(
                    site.src
                        .join(repo)
                        .join("manifests")
                        .join(tag)
                        .join("manifest.json"),
                )
                .unwrap(),
            )
            .unwrap();
            let r = ureq::get(&format!("{base}/v2/{repo}/manifests/{tag}"))
                .call()
                .unwrap();
            assert_eq!(
                r.content_type(),
                record["mediaType"].as_str().unwrap(),
                "{repo}:{tag} Content-Type"
            );
            let out = Command::new(&skopeo)
                .args(["inspect", "--raw", "--tls-verify=false"])
                .arg(format!("docker://127.0.0.1:{port}/{repo}:{tag}"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "skopeo inspect {repo}:{tag}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                out.stdout,
                std::fs::read(
                    site.src
                        .join(repo)
                        .join("manifests")
                        .join(tag)
                        .join("manifest.json")
                )
                .unwrap()
            );
            if copied == 0 {
                let dest = tmp.path().join("copy");
                let out = Command::new(&skopeo)
                    .args(["copy", "--src-tls-verify=false"])
                    .arg(format!("docker://127.0.0.1:{port}/{repo}:{tag}"))
                    .arg(format!("dir:{}", dest.display()))
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "skopeo copy {repo}:{tag}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                copied += 1;
            }
        }
    }
    assert_eq!(copied, 1);
}
