//! The bundled example registry (the repository root) is consistent: its committed generated
//! files are up to date, and every record's in-site blob is a real SIF image with the digest
//! and size the record names.

use crate::common;

use std::path::Path;

use common::*;

#[test]
fn bundled_registry_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bin()
        .arg("-s")
        .arg(root)
        .args(["generate", "--check"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn bundled_records_name_real_sif_blobs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut records = 0;
    for e in walkdir::WalkDir::new(root)
        .into_iter()
        // tests/ holds fixture registries (the UI's hand-made one), not the bundled example;
        // `_site/` (a local render) and other `_`/`.` folders hold copies or no records.
        .filter_entry(|e| {
            let name = e.file_name().to_str().unwrap_or("");
            e.depth() == 0
                || !(["target", "tests"].contains(&name)
                    || name.starts_with('_')
                    || name.starts_with('.'))
        })
    {
        let e = e.unwrap();
        if e.file_name() != "manifest.json" {
            continue;
        }
        records += 1;
        let rel = e.path().strip_prefix(root).unwrap();
        let parts: Vec<_> = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
        let layer = &m["layers"][0];
        let blob = std::fs::read(root.join(format!(
            "v2/{}/{}/blobs/{}",
            parts[0],
            parts[1],
            layer["digest"].as_str().unwrap()
        )))
        .unwrap();
        assert_eq!(format!("sha256:{}", sha256_hex(&blob)), layer["digest"]);
        assert_eq!(blob.len() as u64, layer["size"].as_u64().unwrap());
        assert_eq!(
            &blob[32..41],
            b"SIF_MAGIC",
            "{} is a SIF image",
            rel.display()
        );
    }
    assert!(
        records >= 8,
        "the example has several records, found {records}"
    );
}
