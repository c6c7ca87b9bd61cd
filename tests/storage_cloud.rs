//! The object-storage backend against a real S3 API server (moto).

use crate::common;

use common::moto::Moto;
use static_registry::storage::cloud::{CloudConfig, CloudStore, Put};

fn config(moto: &Moto, bucket: &str, extra: &str) -> CloudConfig {
    serde_norway::from_str(&format!(
        "kind: s3\nbucket: {bucket}\nprefix: images/\nregion: us-east-1\nendpoint: {}\nallow_http: true\nacl: public-read\nretries: 0\n{extra}",
        moto.endpoint
    ))
    .unwrap()
}

fn with_credentials() {
    // object_store reads credentials from the environment, as in CI. Set once: the other
    // tests of this binary run beside these, and read the environment when they spawn.
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::env::set_var("AWS_ACCESS_KEY_ID", "test");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    });
}

#[test]
fn put_skip_content_type_and_public_url() {
    with_credentials();
    let moto = Moto::start();
    moto.create_bucket("blobs");
    let store = CloudStore::open(config(&moto, "blobs", "")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("img.sif");
    std::fs::write(&file, b"SIF bytes").unwrap();

    assert_eq!(store.size("sha256/aa").unwrap(), None);
    assert_eq!(
        store
            .put_file(
                "sha256/aa",
                &file,
                "application/vnd.sylabs.sif.layer.v1.sif"
            )
            .unwrap(),
        Put::Uploaded
    );
    assert_eq!(store.size("sha256/aa").unwrap(), Some(9));
    // Same key and size: skipped.
    assert_eq!(
        store.put_file("sha256/aa", &file, "x/y").unwrap(),
        Put::Skipped
    );

    let url = store.url("sha256/aa");
    assert_eq!(url, moto.url("blobs", "images/sha256/aa"));
    let resp = reqwest::blocking::get(&url).unwrap();
    assert_eq!(
        resp.status(),
        200,
        "public-read ACL makes anonymous GET work"
    );
    assert_eq!(
        resp.headers()["content-type"],
        "application/vnd.sylabs.sif.layer.v1.sif"
    );
    assert_eq!(resp.bytes().unwrap().as_ref(), b"SIF bytes");

    store
        .put_bytes("v2/index.html", b"{}".to_vec(), "application/json")
        .unwrap();
    let resp = reqwest::blocking::get(store.url("v2/index.html")).unwrap();
    assert_eq!(resp.headers()["content-type"], "application/json");

    store.copy("sha256/aa", "v2/a/b/blobs/sha256:aa").unwrap();
    assert_eq!(store.size("v2/a/b/blobs/sha256:aa").unwrap(), Some(9));
}

#[test]
fn large_files_go_up_in_parts_and_arrive_whole() {
    with_credentials();
    let moto = Moto::start();
    moto.create_bucket("blobs");
    let store = CloudStore::open(config(&moto, "blobs", "part_size: 5242880\n")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big");
    let data: Vec<u8> = (0..12 * 1024 * 1024 + 17u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&file, &data).unwrap();
    store
        .put_file("sha256/big", &file, "application/octet-stream")
        .unwrap();
    let got = reqwest::blocking::get(store.url("sha256/big"))
        .unwrap()
        .bytes()
        .unwrap();
    assert_eq!(got.len(), data.len());
    assert!(
        got.as_ref() == data.as_slice(),
        "multipart upload changed the bytes"
    );
}

#[test]
fn unreachable_storage_is_a_clear_error() {
    with_credentials();
    let port = common::moto::free_port();
    let cfg: CloudConfig = serde_norway::from_str(&format!(
        "kind: s3\nbucket: b\nendpoint: http://127.0.0.1:{port}\nallow_http: true\nretries: 0\n"
    ))
    .unwrap();
    let store = CloudStore::open(cfg).unwrap();
    let err = store.size("sha256/aa").unwrap_err();
    assert_eq!(err.exit_code(), 1);
    let msg = err.to_string();
    assert!(
        msg.contains("s3://b/") && msg.contains("cannot read"),
        "{msg}"
    );
}

#[test]
fn missing_bucket_is_reported() {
    with_credentials();
    let moto = Moto::start();
    let store = CloudStore::open(config(&moto, "nope", "")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, b"x").unwrap();
    let err = store.put_file("sha256/aa", &file, "x/y").unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}
