//! `static-registry init` through the binary: it adds the registry to an existing Jekyll site
//! (a minima site, a site with its own `default` layout, a bare site) without overwriting
//! anything, keeps `_config.yml`'s text, and the result builds with Debian's Jekyll with the
//! registry pages inside the site's own look. Refusals exit 2 and leave every file as it was.

use crate::common;
use crate::ui_common;

use std::path::Path;

use common::{bin, snapshot};
use ui_common::{copy_tree, jekyll_build, repo};

const MINIMA_CONFIG: &str = "# A lab's site, written by hand.\n\
title: \"Lab site\"   # shown in the header\n\
description: A lab using minima.\n\
url: \"https://lab.example.org\"\n\
baseurl: \"\"\n\
theme: minima\n\
plugins:\n  - jekyll-feed\n  - jekyll-seo-tag\n";

/// Copies the bundled example registry's user files (READMEs, recipes, records, stored
/// blobs) into `site`, then runs the real `generate` there, as a user would after `init`.
fn add_bundled_registry(site: &Path) {
    for entry in std::fs::read_dir(repo()).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() && p.join(".").exists() {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let is_namespace = std::fs::read_dir(&p)
                .unwrap()
                .any(|c| c.unwrap().path().join("manifests").is_dir());
            if is_namespace {
                copy_tree(&p, &site.join(&name));
            }
        }
    }
    // Image blobs stored in the site by `add` (user data, not generated).
    for entry in walkdir::WalkDir::new(repo().join("v2")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo()).unwrap();
        if entry.file_type().is_file() && rel.to_string_lossy().contains("/blobs/") {
            std::fs::create_dir_all(site.join(rel).parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), site.join(rel)).unwrap();
        }
    }
    bin().arg("-s").arg(site).arg("generate").assert().success();
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn init_adds_the_registry_to_a_minima_site_and_it_renders_inside_the_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("_posts")).unwrap();
    std::fs::write(site.join("_config.yml"), MINIMA_CONFIG).unwrap();
    std::fs::write(
        site.join("index.md"),
        "---\nlayout: home\ntitle: Home\n---\nWelcome.\n",
    )
    .unwrap();
    std::fs::write(
        site.join("about.md"),
        "---\nlayout: page\ntitle: About\n---\nAbout us.\n",
    )
    .unwrap();
    std::fs::write(
        site.join("_posts/2024-01-01-hello.md"),
        "---\nlayout: post\ntitle: Hello\n---\nHi.\n",
    )
    .unwrap();

    let out = bin()
        .arg("init")
        .arg(&site)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for (rel, bytes) in static_registry::init::SITE_FILES {
        assert!(
            out.contains(&format!("added {rel}")),
            "init must say it added {rel}:\n{out}"
        );
        assert_eq!(&std::fs::read(site.join(rel)).unwrap(), bytes, "{rel}");
    }
    assert!(site.join(".github/workflows/static-registry.yml").is_file());
    assert!(
        !site.join("_layouts/default.html").exists(),
        "a themed site keeps its theme's default layout"
    );
    // The config keeps every byte the user wrote, then gains the registry's settings.
    let config = read(&site.join("_config.yml"));
    assert!(
        config.starts_with(MINIMA_CONFIG),
        "the user's config text must be kept:\n{config}"
    );
    assert!(config.contains("registry:\n") && config.contains("  containers:\n    output: true\n"));

    add_bundled_registry(&site);
    let dest = tmp.path().join("out");
    jekyll_build(&site, &dest, "");
    let home = read(&dest.join("registry/index.html"));
    let collections: Vec<String> = walkdir::WalkDir::new(repo().join("_containers"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let rel = p
                .strip_prefix(repo().join("_containers"))
                .unwrap()
                .with_extension("");
            rel.to_string_lossy().to_string()
        })
        .collect();
    assert!(collections.len() >= 2);
    for page in [
        &home,
        &read(&dest.join(format!("{}/index.html", collections[0]))),
        &read(&dest.join("api/index.html")),
    ] {
        // minima's header, footer and wrapper around the registry's markup.
        assert!(
            page.contains("<header class=\"site-header\""),
            "minima header missing:\n{page}"
        );
        assert!(
            page.contains("<footer class=\"site-footer"),
            "minima footer missing"
        );
        assert!(
            page.contains("<main class=\"page-content\""),
            "minima main missing"
        );
        assert!(page.contains("class=\"sr sr-"), "registry markup missing");
        assert!(
            page.contains("/assets/registry/registry.css"),
            "registry CSS missing"
        );
    }
    for c in &collections {
        assert!(
            home.contains(&format!("data-sr-name=\"{c}\"")),
            "home must list {c}"
        );
        let page = read(&dest.join(format!("{c}/index.html")));
        assert!(page.contains("sr-collection"), "{c} page");
        assert!(
            !dest.join(format!("{c}/README.html")).exists(),
            "{c}/README.md must not become a page"
        );
    }
    assert!(read(&dest.join("v2/_catalog")).starts_with("{\"repositories\":"));
    assert!(dest.join("_headers").is_file() && dest.join("registry-nginx.conf").is_file());
    // The site's own pages still render as before.
    assert!(read(&dest.join("about.html")).contains("About us."));
}

#[test]
fn init_uses_a_sites_own_default_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("_layouts")).unwrap();
    let config = "title: Own look\nurl: \"https://own.example.org\"\ncollections:\n  notes:\n    output: true\nexclude:\n  - Gemfile\n";
    std::fs::write(site.join("_config.yml"), config).unwrap();
    let layout = "<!DOCTYPE html>\n<html><head><title>{{ page.title }}</title></head>\n<body><div id=\"own-theme\">{{ content }}</div></body></html>\n";
    std::fs::write(site.join("_layouts/default.html"), layout).unwrap();
    std::fs::create_dir_all(site.join("_notes")).unwrap();
    std::fs::write(
        site.join("_notes/one.md"),
        "---\nlayout: default\n---\nA note.\n",
    )
    .unwrap();

    bin().arg("init").arg(&site).assert().success();
    assert_eq!(
        read(&site.join("_layouts/default.html")),
        layout,
        "the site's own default layout stays"
    );
    let new_config = read(&site.join("_config.yml"));
    // Inserted into the existing mapping and list, every original line kept in order.
    let mut rest = new_config.as_str();
    for line in config.lines() {
        let at = rest
            .find(line)
            .unwrap_or_else(|| panic!("line {line:?} lost:\n{new_config}"));
        rest = &rest[at + line.len()..];
    }
    let v: serde_norway::Value = serde_norway::from_str(&new_config).unwrap();
    assert_eq!(
        v["collections"]["notes"]["output"],
        serde_norway::Value::Bool(true)
    );
    assert_eq!(
        v["collections"]["containers"]["permalink"].as_str(),
        Some("/:path/")
    );
    let excludes: Vec<&str> = v["exclude"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    assert_eq!(excludes, ["*/*/README.md", "Gemfile"]);

    add_bundled_registry(&site);
    let dest = tmp.path().join("out");
    jekyll_build(&site, &dest, "");
    for page in [
        "registry/index.html",
        "api/index.html",
        "biology/blast/index.html",
    ] {
        let html = read(&dest.join(page));
        assert!(
            html.contains("<div id=\"own-theme\">"),
            "{page} must render inside the site's own default layout"
        );
        assert!(html.contains("class=\"sr sr-"), "{page}: registry markup");
    }
    // The site's own collection still renders.
    assert!(read(&dest.join("notes/one.html")).contains("A note."));
}

#[test]
fn init_gives_a_bare_site_the_clean_default_layout() {
    let tmp = tempfile::tempdir().unwrap();
    bin()
        .arg("-s")
        .arg(tmp.path())
        .arg("init")
        .assert()
        .success();
    assert_eq!(
        std::fs::read(tmp.path().join("_layouts/default.html")).unwrap(),
        std::fs::read(repo().join("_layouts/default.html")).unwrap()
    );
    let v: serde_norway::Value =
        serde_norway::from_str(&read(&tmp.path().join("_config.yml"))).unwrap();
    assert_eq!(v["registry"]["home"].as_str(), Some("/registry/"));
    let excludes: Vec<&str> = v["exclude"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    assert!(
        excludes.contains(&"*/*/README.md") && excludes.contains(&"node_modules"),
        "{excludes:?}"
    );
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::write(site.join("_config.yml"), "title: x\n").unwrap();
    std::fs::create_dir_all(site.join("_includes/registry")).unwrap();
    std::fs::write(site.join("_includes/registry/card.html"), "mine\n").unwrap();
    std::fs::create_dir_all(site.join("registry")).unwrap();
    std::fs::write(site.join("registry/index.html"), "mine too\n").unwrap();
    let before = snapshot(site);
    let assert = bin().arg("init").arg(site).assert().code(2);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("_includes/registry/card.html") && err.contains("registry/index.html"),
        "{err}"
    );
    assert!(err.contains("Nothing was written"), "{err}");
    assert_eq!(
        snapshot(site),
        before,
        "init must leave every file as it was"
    );
}

#[test]
fn init_refuses_configs_it_cannot_extend() {
    for (config, says) in [
        (
            "title: x\nregistry:\n  storage: pages\n",
            "_config.yml:2: already has a `registry:` section",
        ),
        (
            "title: x\ncollections: {notes: {output: true}}\n",
            "_config.yml:2: `collections:` is written inline",
        ),
        (
            "collections:\n  containers:\n    output: false\n",
            "_config.yml:1: already defines a `containers` collection",
        ),
        ("title: [unclosed\n", "is not valid YAML"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("_config.yml"), config).unwrap();
        let before = snapshot(tmp.path());
        let assert = bin().arg("init").arg(tmp.path()).assert().code(2);
        let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(
            err.contains(says),
            "config {config:?}: expected {says:?} in:\n{err}"
        );
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "config {config:?}: nothing may change"
        );
    }
}

#[test]
fn init_embeds_every_registry_file_of_the_repository() {
    // One source of truth: every registry layout, include, asset and page stub in the
    // repository is what init installs, byte for byte.
    let mut on_disk = Vec::new();
    for dir in [
        "_layouts",
        "_includes/registry",
        "assets/registry",
        "registry",
    ] {
        for entry in walkdir::WalkDir::new(repo().join(dir)) {
            let entry = entry.unwrap();
            let rel = entry
                .path()
                .strip_prefix(repo())
                .unwrap()
                .to_string_lossy()
                .to_string();
            if entry.file_type().is_file()
                && (dir != "_layouts" || rel.starts_with("_layouts/registry-"))
            {
                on_disk.push(rel);
            }
        }
    }
    on_disk.sort();
    let mut embedded: Vec<String> = static_registry::init::SITE_FILES
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    embedded.sort();
    assert_eq!(embedded, on_disk);
}
