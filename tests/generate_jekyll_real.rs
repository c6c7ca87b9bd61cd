//! The generated site built by Debian's real `jekyll` (4.3.1 with GitHub Pages' default
//! plugins listed under `plugins:`): exactly one page per URL — no collection README becomes a
//! page — and every value in the generated front matter reads back exactly under Ruby's
//! YAML 1.1 (tags like `1.10`, `yes`, `010`, `on`, `1e3`, `null`, `0x1F`, `2024-01-01` stay
//! strings). A control build without the README exclusion shows the check can fail.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::*;

const TAGS: &[&str] = &[
    "010",
    "0x1F",
    "1.10",
    "1e3",
    "2024-01-01",
    "No",
    "null",
    "on",
    "yes",
];
const TRICKY: &str = "~ \"quoted\" <script>alert(1)</script> {{ site.title }} {% raw %} yes: no";

/// A layout that dumps the collection document's data as JSON, so the test compares what Ruby
/// read from the front matter (the UI layout is not under test here).
const DUMP_LAYOUT: &str = r#"{"title":{{ page.title | jsonify }},"namespace":{{ page.namespace | jsonify }},"name":{{ page.name | jsonify }},"description":{{ page.description | jsonify }},"updated":{{ page.updated | jsonify }},"images":{{ page.images | jsonify }},"pending":{{ page.pending | jsonify }},"details":{{ page.details | jsonify }}}
"#;

fn jekyll_build(src: &Path, dest: &Path) -> String {
    require_tool("jekyll");
    let out = Command::new("jekyll")
        .current_dir(src.parent().unwrap())
        .args(["build", "--source"])
        .arg(src)
        .arg("--destination")
        .arg(dest)
        .env("JEKYLL_ENV", "production")
        .env("TZ", "UTC")
        .env("JEKYLL_NO_BUNDLER_REQUIRE", "true")
        .env("PAGES_REPO_NWO", "example/registry")
        .output()
        .expect("run jekyll");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "jekyll build failed:\n{log}");
    log
}

fn files(root: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn fixture() -> (Site, std::path::PathBuf) {
    let site = Site::new();
    let cfg = String::from_utf8(site.read("_config.yml")).unwrap();
    let cfg = cfg
        .replace("url: \"\"\n", "url: \"https://registry.example.test\"\n")
        .replace("title: static-registry\n", "title: Test registry\n");
    site.write("_config.yml", cfg);
    site.write("_layouts/registry-collection.html", DUMP_LAYOUT);
    let image = make_sif(site.root(), "real");
    // A README with front matter (a page on its own unless excluded) ...
    site.write(
        "bio/blast/README.md",
        format!(
            "---\ndescription: {}\n---\n# BLAST\n\nUses `{{{{ x }}}}`.\n",
            serde_json::to_string(TRICKY).unwrap()
        ),
    );
    for t in TAGS {
        site.recipe("bio/blast", t);
        site.add(&format!("bio/blast:{t}"), &image);
    }
    site.recipe("bio/blast", "on-the-way");
    // ... and one without (jekyll-readme-index would make it the folder's index page).
    site.write("chem/plain/README.md", "# Plain\n\nNo front matter.\n");
    site.recipe("chem/plain", "1");
    site.add("chem/plain:1", &image);
    site.generate();
    (site, image)
}

#[test]
fn one_page_per_url_and_yaml_reads_back_exactly() {
    let (site, image) = fixture();
    let dest = tempfile::tempdir().unwrap();
    let out = dest.path().join("_site");
    let log = jekyll_build(site.root(), &out);
    assert!(!log.contains("Conflict"), "{log}");

    // The built file set is exactly: each collection's page, the API files, the static
    // recipes/records, the stored blobs — and no README anywhere.
    let mut expected = BTreeSet::new();
    for rel in files(site.root()) {
        let top = rel.split('/').next().unwrap();
        if top.starts_with('_') || top.starts_with('.') || rel.ends_with("/README.md") {
            continue;
        }
        expected.insert(match rel.as_str() {
            "v2/catalog" => "v2/_catalog".to_string(),
            // Namespace page stubs: permalink /<ns>/.
            _ if rel.ends_with("/namespace.html") => {
                format!("{}/index.html", rel.split('/').nth(1).unwrap())
            }
            _ => rel,
        });
    }
    expected.insert("bio/blast/index.html".into());
    expected.insert("chem/plain/index.html".into());
    assert_eq!(files(&out), expected);

    // The collection document's data, as Ruby read it.
    let page: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("bio/blast/index.html")).unwrap()).unwrap();
    assert_eq!(page["title"], "bio/blast");
    assert_eq!(page["name"], "blast");
    assert_eq!(page["description"], TRICKY);
    assert_eq!(page["updated"], "2024-05-01T12:00:00Z");
    assert_eq!(page["details"], "# BLAST\n\nUses `{{ x }}`.\n");
    let tags: Vec<&str> = page["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["tag"].as_str().expect("tag is a string"))
        .collect();
    assert_eq!(tags, TAGS);
    let bytes = std::fs::read(&image).unwrap();
    for i in page["images"].as_array().unwrap() {
        assert_eq!(i["size"], bytes.len() as u64, "size is an integer");
        assert_eq!(i["digest"], format!("sha256:{}", sha256_hex(&bytes)));
        assert_eq!(
            i["created"], "2024-05-01T12:00:00Z",
            "created stays a string"
        );
        let tag = i["tag"].as_str().unwrap();
        let record = std::fs::read(out.join(format!("v2/bio/blast/manifests/{tag}"))).unwrap();
        assert_eq!(
            i["manifest_digest"],
            format!("sha256:{}", sha256_hex(&record))
        );
        assert_eq!(
            record,
            site.read(&format!("bio/blast/manifests/{tag}/manifest.json"))
        );
    }
    assert_eq!(
        page["pending"],
        serde_json::json!([{"tag": "on-the-way", "recipe": "bio/blast/manifests/on-the-way/Singularity"}])
    );
    let plain: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("chem/plain/index.html")).unwrap()).unwrap();
    assert_eq!(plain["details"], "# Plain\n\nNo front matter.\n");

    // The JSON API, rendered through Liquid by the JSON layouts.
    let list: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("v2/bio/blast/tags/list")).unwrap())
            .unwrap();
    assert_eq!(list, serde_json::json!({"name": "bio/blast", "tags": TAGS}));
    assert_eq!(
        std::fs::read_to_string(out.join("v2/_catalog")).unwrap(),
        "{\"repositories\":[\"bio/blast\",\"chem/plain\"]}\n"
    );
    assert_eq!(std::fs::read(out.join("v2/index.html")).unwrap(), b"{}");
}

#[test]
fn control_without_the_exclusion_readmes_become_pages() {
    let (site, _) = fixture();
    let cfg = String::from_utf8(site.read("_config.yml")).unwrap();
    assert!(cfg.contains("  - \"*/*/README.md\"\n"));
    site.write("_config.yml", cfg.replace("  - \"*/*/README.md\"\n", ""));
    let dest = tempfile::tempdir().unwrap();
    let out = dest.path().join("_site");
    let log = jekyll_build(site.root(), &out);
    let built = files(&out);
    assert!(
        built.contains("bio/blast/README.html"),
        "a README with front matter is a page: {built:?}"
    );
    assert!(
        log.contains("Conflict") && log.contains("chem/plain/index.html"),
        "jekyll-readme-index makes the front-matter-less README a second page at /chem/plain/:\n{log}"
    );
}
