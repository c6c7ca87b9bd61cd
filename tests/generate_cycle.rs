//! `add` → `generate` → `generate --check` on fixture registries, through the binary.

use crate::common;

use common::*;
use predicates::str::contains;

/// Two collections, several tags, one pending tag, README with front matter.
fn populated() -> (Site, Vec<std::path::PathBuf>) {
    let site = Site::new();
    let images: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|l| make_sif(site.root(), l))
        .collect();
    site.write(
        "bio/blast/README.md",
        "---\ndescription: BLAST+ tools\n---\n# BLAST\n\nDetails.\n",
    );
    for t in ["1.10", "2.0", "latest"] {
        site.recipe("bio/blast", t);
    }
    site.recipe("bio/blast", "3.0-pending");
    site.recipe("chem/rdkit", "yes");
    site.add("bio/blast:1.10", &images[0]);
    site.add("bio/blast:2.0", &images[1]);
    site.add("bio/blast:latest", &images[1]);
    site.add("chem/rdkit:yes", &images[2]);
    (site, images)
}

#[test]
fn full_cycle_add_generate_check_edit_check() {
    let (site, _) = populated();
    site.cmd().args(["generate", "--check"]).assert().code(1);
    site.generate();
    site.cmd()
        .args(["generate", "--check"])
        .assert()
        .code(0)
        .stdout("");

    site.write(
        "bio/blast/README.md",
        "---\ndescription: BLAST+ tools, edited\n---\n# BLAST\n\nDetails.\n",
    );
    let before = site.snapshot();
    site.cmd()
        .args(["generate", "--check"])
        .assert()
        .code(1)
        .stdout(contains("--- a/_containers/bio/blast.md"))
        .stdout(contains("+++ b/_containers/bio/blast.md"))
        .stdout(contains("+description: \"BLAST+ tools, edited\""))
        .stderr(contains("_containers/bio/blast.md"));
    assert_eq!(before, site.snapshot(), "--check must write nothing");
    site.generate();
    site.cmd().args(["generate", "--check"]).assert().code(0);
}

#[test]
fn collection_document_carries_what_the_ui_needs() {
    let (site, images) = populated();
    site.generate();
    let doc = String::from_utf8(site.read("_containers/bio/blast.md")).unwrap();
    let layer = site.read_image_digest(&images[0]);
    assert!(doc.starts_with("---\nlayout: registry-collection\ntitle: \"bio/blast\"\nnamespace: \"bio\"\nname: \"blast\"\ndescription: \"BLAST+ tools\"\nupdated: \"2024-05-01T12:00:00Z\"\nimages:\n  - tag: \"1.10\"\n"), "{doc}");
    assert!(
        doc.contains(&format!("    digest: \"sha256:{layer}\"\n")),
        "{doc}"
    );
    assert!(doc.contains("    recipe: \"bio/blast/manifests/1.10/Singularity\"\n"));
    assert!(doc.contains(&format!(
        "    url: \"/v2/bio/blast/blobs/sha256:{layer}\"\n"
    )));
    assert!(doc.contains("pending:\n  - tag: \"3.0-pending\"\n    recipe: \"bio/blast/manifests/3.0-pending/Singularity\"\n"));
    assert!(
        doc.ends_with("details: \"# BLAST\\n\\nDetails.\\n\"\n---\n"),
        "{doc}"
    );
    assert_eq!(
        String::from_utf8(site.read("v2/catalog")).unwrap(),
        "---\nlayout: registry-catalog\npermalink: /v2/_catalog\nrepositories:\n  - \"bio/blast\"\n  - \"chem/rdkit\"\n---\n"
    );
    assert_eq!(
        String::from_utf8(site.read("v2/bio/blast/tags/list")).unwrap(),
        "---\nlayout: registry-tags-list\npermalink: /v2/bio/blast/tags/list\nrepository: \"bio/blast\"\ntags:\n  - \"1.10\"\n  - \"2.0\"\n  - \"latest\"\n---\n"
    );
    assert_eq!(site.read("v2/index.html"), b"{}");
}

trait ImageDigest {
    fn read_image_digest(&self, image: &std::path::Path) -> String;
}
impl ImageDigest for Site {
    fn read_image_digest(&self, image: &std::path::Path) -> String {
        sha256_hex(&std::fs::read(image).unwrap())
    }
}

#[test]
fn layers_match_image_bytes_and_manifests_hash_to_their_names() {
    let (site, images) = populated();
    site.generate();
    let expect = [
        ("bio/blast", "1.10", 0),
        ("bio/blast", "2.0", 1),
        ("bio/blast", "latest", 1),
        ("chem/rdkit", "yes", 2),
    ];
    for (repo, tag, i) in expect {
        let image = std::fs::read(&images[i]).unwrap();
        let record = site.read(&format!("{repo}/manifests/{tag}/manifest.json"));
        let m: serde_json::Value = serde_json::from_slice(&record).unwrap();
        let layers = m["layers"].as_array().unwrap();
        assert_eq!(layers.len(), 1);
        assert_eq!(
            layers[0]["digest"],
            format!("sha256:{}", sha256_hex(&image))
        );
        assert_eq!(layers[0]["size"], image.len() as u64);
        assert_eq!(
            layers[0]["mediaType"],
            "application/vnd.sylabs.sif.layer.v1.sif"
        );
        assert_eq!(
            m["config"]["mediaType"],
            "application/vnd.sylabs.sif.config.v1+json"
        );
        assert_eq!(
            m["config"]["digest"],
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert_eq!(
            m["annotations"]["org.opencontainers.image.created"],
            "2024-05-01T12:00:00Z"
        );
        // The pages blob is the image, byte for byte.
        assert_eq!(
            site.read(&format!("v2/{repo}/blobs/sha256:{}", sha256_hex(&image))),
            image
        );
        // The tag copy is the record, byte for byte.
        assert_eq!(site.read(&format!("v2/{repo}/manifests/{tag}")), record);
        assert_eq!(site.read(&format!("v2/{repo}/blobs/sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")), b"{}");
    }
    let mut by_digest = 0;
    for e in walkdir::WalkDir::new(site.path("v2")) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(hex) = name.strip_prefix("sha256:") {
            let bytes = std::fs::read(e.path()).unwrap();
            assert_eq!(
                sha256_hex(&bytes),
                hex,
                "{} does not hash to its name",
                e.path().display()
            );
            if e.path().parent().unwrap().ends_with("manifests") {
                by_digest += 1;
            }
        }
    }
    assert_eq!(by_digest, 4, "one manifests/sha256:… per record");
}

#[test]
fn generate_twice_changes_nothing() {
    let (site, _) = populated();
    site.generate();
    let first = without_cache(site.snapshot());
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.generate();
    // The local cache (`.registry-cache/`, never committed) may learn more on a second run;
    // every site file keeps its bytes and mtime.
    assert_eq!(
        first,
        without_cache(site.snapshot()),
        "bytes and mtimes must be unchanged"
    );
}

fn without_cache(mut snapshot: Snapshot) -> Snapshot {
    snapshot.retain(|path, _| !path.starts_with(".registry-cache"));
    snapshot
}

#[test]
fn removes_what_it_no_longer_generates_and_keeps_user_files() {
    let (site, images) = populated();
    site.generate();
    let record = site.read("chem/rdkit/manifests/yes/manifest.json");
    let digest = format!("sha256:{}", sha256_hex(&record));
    assert!(site
        .path(&format!("v2/chem/rdkit/manifests/{digest}"))
        .exists());
    site.write("v2/chem/rdkit/notes.txt", "a user's file");
    // Ask for a rebuild of chem/rdkit:yes: its record goes, the recipe stays.
    std::fs::remove_file(site.path("chem/rdkit/manifests/yes/manifest.json")).unwrap();
    site.cmd()
        .args(["generate", "--check"])
        .assert()
        .code(1)
        .stdout(contains("--- a/v2/chem/rdkit/manifests/yes\n+++ /dev/null"));
    site.generate();
    for gone in ["v2/chem/rdkit/manifests/yes", "v2/chem/rdkit/tags/list"] {
        assert!(!site.path(gone).exists(), "{gone} should be removed");
    }
    assert!(!site
        .path(&format!("v2/chem/rdkit/manifests/{digest}"))
        .exists());
    // The stored image blob and user files are not generated files: they stay.
    let blob = format!(
        "v2/chem/rdkit/blobs/sha256:{}",
        sha256_hex(&std::fs::read(&images[2]).unwrap())
    );
    assert!(site.path(&blob).exists());
    assert_eq!(site.read("v2/chem/rdkit/notes.txt"), b"a user's file");
    assert!(site.path("chem/rdkit/manifests/yes/Singularity").exists());
    let doc = String::from_utf8(site.read("_containers/chem/rdkit.md")).unwrap();
    assert!(
        doc.contains("images: []\npending:\n  - tag: \"yes\"\n"),
        "{doc}"
    );
    site.cmd().args(["generate", "--check"]).assert().code(0);
}

#[test]
fn deleting_a_collection_removes_its_generated_files_and_edits_are_repaired() {
    let (site, _) = populated();
    site.generate();
    // A hand edit to a generated copy is drift, and `generate` puts the record's bytes back.
    site.write("v2/bio/blast/manifests/2.0", "{}\n");
    site.cmd()
        .args(["generate", "--check"])
        .assert()
        .code(1)
        .stdout(contains("--- a/v2/bio/blast/manifests/2.0"));
    site.generate();
    assert_eq!(
        site.read("v2/bio/blast/manifests/2.0"),
        site.read("bio/blast/manifests/2.0/manifest.json")
    );

    std::fs::remove_dir_all(site.path("chem")).unwrap();
    site.generate();
    assert!(
        !site.path("_containers/chem").exists(),
        "empty folders go too"
    );
    assert!(!site.path("v2/chem/rdkit/manifests").exists());
    assert!(!site.path("v2/chem/rdkit/tags").exists());
    // The stored image blob is the user's data, not a generated file: it stays.
    assert_eq!(
        std::fs::read_dir(site.path("v2/chem/rdkit/blobs"))
            .unwrap()
            .count(),
        1
    );
    let catalog = String::from_utf8(site.read("v2/catalog")).unwrap();
    assert!(!catalog.contains("chem/rdkit"), "{catalog}");
    site.cmd().args(["generate", "--check"]).assert().code(0);
}

/// A first `generate` writes hundreds of files in one batch; it must not hold them all open
/// (a 10,000-collection registry failed with "Too many open files" when it did).
#[test]
fn a_big_first_generate_fits_a_small_open_file_limit() {
    let prlimit = common::require_tool("prlimit");
    let site = Site::new();
    for i in 0..150 {
        site.recipe(&format!("ns/tool{i:03}"), "1.0");
    }
    let out = std::process::Command::new(prlimit)
        .arg("--nofile=40")
        .arg(assert_cmd::cargo::cargo_bin("static-registry"))
        .arg("-s")
        .arg(site.root())
        .arg("generate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for i in 0..150 {
        assert!(
            site.path(&format!("_containers/ns/tool{i:03}.md"))
                .is_file(),
            "tool{i:03} was not generated"
        );
    }
}
