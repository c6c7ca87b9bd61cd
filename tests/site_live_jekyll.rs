//! Issue 4 acceptance (live parity): Debian's real `jekyll` (4.3.1, with the Pages plugin
//! packages Debian has) builds each parity fixture and the bundled registry site, and
//! `static-registry render --profile jekyll4` must give the same files and bytes (also for the
//! small sites in `tests/data/live_sites/` that cover plugins no fixture uses, e.g.
//! jekyll-paginate). Differences
//! that cannot be fixed yet are listed in `tests/data/live_jekyll_xfail.tsv` with a reason and
//! their diff stored under `tests/data/live_jekyll_xfail/`. Fails loudly when `jekyll` is
//! missing (run scripts/install-deps).

use crate::site_support;

use std::path::Path;
use std::process::Command;

use site_support::*;

fn jekyll_build(src: &Path, out: &Path, cwd: &Path) {
    let mut cmd = Command::new("jekyll");
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", cwd)
        .current_dir(cwd)
        .arg("build")
        .arg("--source")
        .arg(src)
        .arg("--destination")
        .arg(out);
    for (k, v) in ENV {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("run jekyll");
    assert!(
        o.status.success(),
        "jekyll build of {} failed:\n{}\n{}",
        src.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The bundled registry site, as a fixture: the repository's site files only.
fn registry_site(to: &Path) {
    copy_registry_site(to, &[]);
    let st = Command::new("find")
        .arg(to)
        .args(["-exec", "touch", "-h", "-d", MTIME, "{}", "+"])
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn render_jekyll4_matches_debian_jekyll() {
    require_tool("jekyll");
    let xfail = Xfail::load("live_jekyll_xfail.tsv", "live_jekyll_xfail");
    let mut names = fixtures();
    names.push("registry".into());
    // Small sites of our own for plugins no parity fixture uses (tests/data/live_sites/).
    let live = repo().join("tests/data/live_sites");
    let mut own: Vec<String> = std::fs::read_dir(&live)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    own.sort();
    names.extend(own.iter().map(|n| format!("live_sites/{n}")));
    let mut problems = vec![];
    let mut report = vec![];
    for fx in names {
        let tmp = tempfile::tempdir().unwrap();
        let (src_j, src_r) = (tmp.path().join("src-jekyll"), tmp.path().join("src-render"));
        if fx == "registry" {
            registry_site(&src_j);
            registry_site(&src_r);
        } else if let Some(n) = fx.strip_prefix("live_sites/") {
            copy_pinned(&live.join(n), &src_j);
            copy_pinned(&live.join(n), &src_r);
        } else {
            let from = parity_root().join("sites").join(&fx).join("src");
            copy_pinned(&from, &src_j);
            copy_pinned(&from, &src_r);
        }
        let (out_j, out_r) = (tmp.path().join("out-jekyll"), tmp.path().join("out-render"));
        jekyll_build(&src_j, &out_j, tmp.path());
        let o = bin()
            .current_dir(tmp.path())
            .arg("-s")
            .arg(&src_r)
            .args(["render", "--profile", "jekyll4", "-d"])
            .arg(&out_r)
            .output()
            .unwrap();
        if !o.status.success() {
            problems.push(format!(
                "{fx}: render failed: {}",
                String::from_utf8_lossy(&o.stderr)
            ));
            std::fs::create_dir_all(&out_r).unwrap();
        }
        let (p, summary) = judge(&fx, &out_j, &out_r, &xfail);
        report.push(format!("live jekyll4 {fx}: {summary}"));
        problems.extend(p);
    }
    println!("{}", report.join("\n"));
    assert!(
        problems.is_empty(),
        "{}\n\n{}",
        report.join("\n"),
        problems.join("\n")
    );
}
