//! A real S3 API server for tests: `moto_server` on a free port of 127.0.0.1.
//!
//! The server is started per test (they are cheap, ~2 s) so tests can corrupt or delete objects
//! without stepping on each other. It FAILS LOUDLY when `moto_server` is missing: install it with
//! `scripts/install-deps` (`pip install 'moto[server]'`).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Moto {
    child: Child,
    pub port: u16,
    pub endpoint: String,
}

/// Asks the kernel for a port that is free right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind 127.0.0.1:0")
        .local_addr()
        .unwrap()
        .port()
}

impl Moto {
    pub fn start() -> Moto {
        let port = free_port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start `moto_server` ({e}): the storage tests need a real S3 API \
                     server; run scripts/install-deps (pip install 'moto[server]')"
                )
            });
        let endpoint = format!("http://127.0.0.1:{port}");
        let mut moto = Moto {
            child,
            port,
            endpoint,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = reqwest::blocking::Client::new();
        loop {
            if let Some(status) = moto.child.try_wait().unwrap() {
                panic!("moto_server exited early with {status}");
            }
            if client.get(&moto.endpoint).send().is_ok() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "moto_server did not answer within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto.endpoint = format!("http://127.0.0.1:{}", moto.port);
        moto
    }

    /// Creates a bucket (moto accepts unsigned requests).
    pub fn create_bucket(&self, bucket: &str) {
        let resp = reqwest::blocking::Client::new()
            .put(format!("{}/{bucket}", self.endpoint))
            .send()
            .expect("create bucket");
        assert!(
            resp.status().is_success(),
            "create bucket: {}",
            resp.status()
        );
    }

    /// Public URL of an object (path-style).
    pub fn url(&self, bucket: &str, key: &str) -> String {
        format!("{}/{bucket}/{key}", self.endpoint)
    }

    /// Overwrites an object with other bytes behind the tool's back (readable anonymously).
    pub fn put_object(&self, bucket: &str, key: &str, bytes: Vec<u8>) {
        let resp = reqwest::blocking::Client::new()
            .put(self.url(bucket, key))
            .header("x-amz-acl", "public-read")
            .body(bytes)
            .send()
            .expect("put object");
        assert!(resp.status().is_success(), "put object: {}", resp.status());
    }

    /// Lists every key in the bucket.
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        let body = reqwest::blocking::Client::new()
            .get(format!("{}/{bucket}?list-type=2", self.endpoint))
            .send()
            .expect("list objects")
            .text()
            .unwrap();
        body.split("<Key>")
            .skip(1)
            .map(|s| s.split("</Key>").next().unwrap().to_string())
            .collect()
    }

    /// Env vars that point the tool's S3 backend at this server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", "test".into()),
            ("AWS_SECRET_ACCESS_KEY", "test".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ENDPOINT", self.endpoint.clone()),
        ]
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
