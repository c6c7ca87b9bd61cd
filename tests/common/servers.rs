//! HTTP servers the storage tests read from, each on a free port of 127.0.0.1, stopped on drop.
//!
//! - [`Static::serve`] is `static-registry serve` on a site (generate + render + HTTP with the
//!   right Content-Types): the "served site" users pull from.
//! - [`Static::bucket_site`] serves a moto bucket at a host root like S3 website hosting, so OCI
//!   clients (which always ask for `/v2/…` at the root) can read a published bucket.
//! - [`CutProxy`] forwards TCP to another port and cuts every connection once a byte budget of
//!   upload traffic is spent: an upload interrupted mid-way, on demand.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::moto::free_port;

pub struct Static {
    child: Child,
    pub port: u16,
}

impl Static {
    /// `static-registry -s DIR serve --port 0`; the port is read from its first line.
    pub fn serve(dir: &Path) -> Static {
        let (child, base) = super::tools::spawn_serve(dir, &[]);
        let port = base
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("serve printed {base:?}"));
        Static::wait(child, port)
    }

    pub fn bucket_site(endpoint: &str, bucket: &str) -> Static {
        let port = free_port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bucket_site.py");
        let child = Command::new("python3")
            .arg(script)
            .args([&port.to_string(), endpoint, bucket])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 is needed to serve the bucket");
        Static::wait(child, port)
    }

    fn wait(mut child: Child, port: u16) -> Static {
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("test HTTP server exited early: {status}");
            }
            assert!(Instant::now() < deadline, "test HTTP server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Static { child, port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Static {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP proxy that cuts connections after `budget` bytes from client to server (in total).
pub struct CutProxy {
    pub port: u16,
    budget: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl CutProxy {
    pub fn start(target_port: u16, budget: u64) -> CutProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let budget = Arc::new(AtomicU64::new(budget));
        let stop = Arc::new(AtomicBool::new(false));
        let (b, s) = (budget.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = conn else { continue };
                let Ok(server) = TcpStream::connect(("127.0.0.1", target_port)) else {
                    continue;
                };
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let b = b.clone();
                std::thread::spawn(move || pump(client, server, Some(b)));
                std::thread::spawn(move || pump(s2, c2, None));
            }
        });
        CutProxy { port, budget, stop }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for CutProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        self.budget.store(0, Ordering::SeqCst);
    }
}

fn pump(mut from: TcpStream, mut to: TcpStream, budget: Option<Arc<AtomicU64>>) {
    let mut buf = [0u8; 16384];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some(b) = &budget {
            let left = b.load(Ordering::SeqCst);
            if left < n as u64 {
                b.store(0, Ordering::SeqCst);
                break;
            }
            b.fetch_sub(n as u64, Ordering::SeqCst);
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
