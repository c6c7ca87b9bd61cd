//! `.github/workflows/registry.yml` is valid YAML with the jobs the registry needs, and its
//! steps' commands, run locally in order against a fixture repository, do what CI would: a pull
//! request plans, builds in shards without uploading, and checks the generated files; a push to
//! main builds, uploads to storage (moto), regenerates, commits and pushes, and publishes.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::moto::Moto;
use common::registry_site::{recipe, record_path, s3_storage, site};
use common::{require_tool, Site};
use serde_norway::Value;

fn workflow() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/registry.yml");
    serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).expect("valid YAML")
}

/// The `run:` scripts of a job, in order, skipping actions and the tool's installation (the
/// test puts the freshly built binary on PATH instead).
fn scripts(wf: &Value, job: &str) -> Vec<String> {
    wf["jobs"][job]["steps"]
        .as_sequence()
        .unwrap_or_else(|| panic!("job {job} has steps"))
        .iter()
        .filter_map(|s| s.get("run").and_then(Value::as_str))
        .filter(|r| !r.contains("cargo install"))
        .map(String::from)
        .collect()
}

/// A directory holding `static-registry` (the binary under test) for PATH.
fn bin_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("static-registry"),
        dir.path().join("static-registry"),
    )
    .unwrap();
    dir
}

struct Runner {
    path: String,
    output: PathBuf,
    envs: Vec<(String, String)>,
    _tmp: tempfile::TempDir,
}

impl Runner {
    fn new(bin: &Path, wf: &Value) -> Runner {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("github_output");
        std::fs::write(&output, "").unwrap();
        let mut envs = vec![
            ("GITHUB_OUTPUT".to_string(), output.display().to_string()),
            ("RUNNER_TEMP".to_string(), tmp.path().display().to_string()),
        ];
        for (k, v) in wf["env"].as_mapping().unwrap() {
            envs.push((k.as_str().unwrap().into(), v.as_str().unwrap().into()));
        }
        Runner {
            path: format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
            output,
            envs,
            _tmp: tmp,
        }
    }

    /// Runs one step's script as GitHub does (`bash -eo pipefail`), in the repository.
    fn run(&self, repo: &Path, script: &str, extra: &[(&str, String)]) -> std::process::Output {
        assert!(
            !script.contains("${{"),
            "unsubstituted expression in: {script}"
        );
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(repo)
            .env("PATH", &self.path)
            .envs(self.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(extra.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "step failed:\n{script}\n--- stdout\n{}\n--- stderr\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn outputs(&self) -> String {
        std::fs::read_to_string(&self.output).unwrap()
    }
}

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The fixture repository: a site with four recipes and its generated files, committed, with
/// a bare `origin` to push to.
fn fixture(site: &Site) -> tempfile::TempDir {
    for r in [
        "bio/blast:2.14",
        "bio/blast:2.15",
        "chem/rdkit:1.10",
        "tools/jq:1",
    ] {
        recipe(site, r, "");
    }
    site.generate();
    let origin = tempfile::tempdir().unwrap();
    git(origin.path(), &["init", "-q", "--bare", "-b", "main"]);
    let repo = site.root();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "recipes"]);
    git(
        repo,
        &[
            "remote",
            "add",
            "origin",
            &origin.path().display().to_string(),
        ],
    );
    git(repo, &["push", "-q", "-u", "origin", "main"]);
    origin
}

#[test]
fn workflow_declares_the_registry_jobs() {
    let wf = workflow();
    // `on` is a plain string key in YAML 1.2 (GitHub's reading).
    let on = &wf["on"];
    assert!(on.get("pull_request").is_some());
    assert_eq!(on["push"]["branches"][0].as_str(), Some("main"));
    for job in ["plan", "build", "check", "publish"] {
        assert!(wf["jobs"].get(job).is_some(), "job {job}");
    }
    assert_eq!(wf["jobs"]["build"]["needs"].as_str(), Some("plan"));
    assert!(wf["jobs"]["build"]["strategy"]["matrix"]["shard"]
        .as_str()
        .unwrap()
        .contains("needs.plan.outputs.shards"));
    assert_eq!(
        wf["jobs"]["publish"]["permissions"]["contents"].as_str(),
        Some("write")
    );
    let pr: Vec<String> = ["plan", "build", "check"]
        .iter()
        .flat_map(|j| scripts(&wf, j))
        .collect();
    assert!(pr.iter().any(|s| s.contains("build --plan")));
    assert!(pr
        .iter()
        .any(|s| s.contains("--shard") && s.contains("--no-upload")));
    assert!(pr.iter().any(|s| s.contains("generate --check")));
}

#[test]
fn pull_request_steps_plan_build_shards_and_check() {
    require_tool("jq");
    require_tool("git");
    let wf = workflow();
    let site = site("  storage: pages\n", None);
    let _origin = fixture(&site);
    let bin = bin_dir();
    let runner = Runner::new(bin.path(), &wf);
    let repo = site.root();

    for s in scripts(&wf, "plan") {
        runner.run(repo, &s, &[]);
    }
    let outputs = runner.outputs();
    assert!(outputs.contains("pending=4\n"), "{outputs}");
    let shards_line = outputs.lines().find(|l| l.starts_with("shards=")).unwrap();
    let shards: Vec<u64> = serde_json::from_str(&shards_line["shards=".len()..]).unwrap();
    assert_eq!(shards, vec![1, 2, 3]);

    let mut built = 0;
    for k in &shards {
        for s in scripts(&wf, "build") {
            let s = s.replace("${{ matrix.shard }}", &k.to_string());
            let out = runner.run(repo, &s, &[]);
            built += String::from_utf8_lossy(&out.stderr)
                .matches("not uploaded")
                .count();
        }
    }
    assert_eq!(built, 4, "the shards together build each recipe once");
    assert!(
        !site.path(&record_path("bio/blast:2.14")).exists(),
        "a pull request records nothing"
    );
    assert_eq!(
        git(repo, &["status", "--porcelain"]),
        "",
        "a pull request changes nothing"
    );

    for s in scripts(&wf, "check") {
        runner.run(repo, &s, &[]);
    }
}

#[test]
fn push_steps_build_upload_generate_commit_and_publish() {
    require_tool("git");
    let wf = workflow();
    let moto = Moto::start();
    moto.create_bucket("registry");
    let site = site(&s3_storage(&moto.endpoint, "registry"), None);
    let origin = fixture(&site);
    let bin = bin_dir();
    let runner = Runner::new(bin.path(), &wf);
    let repo = site.root();
    let creds: Vec<(&str, String)> = moto.env();

    for s in scripts(&wf, "publish") {
        runner.run(repo, &s, &creds);
    }
    // Records were committed and pushed.
    let pushed = git(origin.path(), &["ls-tree", "-r", "--name-only", "main"]);
    for r in [
        "bio/blast:2.14",
        "bio/blast:2.15",
        "chem/rdkit:1.10",
        "tools/jq:1",
    ] {
        assert!(
            pushed.contains(&record_path(r)),
            "{r} not pushed:\n{pushed}"
        );
    }
    assert!(pushed.contains("v2/bio/blast/manifests/2.14"));
    assert_eq!(git(repo, &["status", "--porcelain"]), "");
    // Images and the API are in the bucket.
    let keys = moto.keys("registry");
    assert_eq!(keys.iter().filter(|k| k.starts_with("sha256/")).count(), 4);
    assert!(keys.contains(&"v2/_catalog".to_string()));

    // Running the push job again finds nothing to do and commits nothing.
    let head = git(repo, &["rev-parse", "HEAD"]);
    for s in scripts(&wf, "publish") {
        runner.run(repo, &s, &creds);
    }
    assert_eq!(git(repo, &["rev-parse", "HEAD"]), head);
}
