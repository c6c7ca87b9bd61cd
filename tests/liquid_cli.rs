//! The `liquid` subcommand through the binary: renders a template as a page of a site,
//! prints the exact output, and reports bad templates with file, line and exit code 2.

use assert_cmd::Command;
use predicates::prelude::*;

fn site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("_config.yml"),
        "title: My Registry\nbaseurl: /reg\nurl: https://example.org\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join("_includes")).unwrap();
    std::fs::write(
        d.path().join("_includes/hello.html"),
        "Hello {{ include.who }}!",
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join("_data")).unwrap();
    std::fs::write(
        d.path().join("_data/team.json"),
        r#"[{"name":"Ann"},{"name":"Bob"}]"#,
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join("docs")).unwrap();
    std::fs::write(
        d.path().join("docs/snippet.txt"),
        "relative {{ page.title }}",
    )
    .unwrap();
    d
}

#[test]
fn renders_a_template_with_site_config_includes_data_and_page() {
    let d = site();
    let data = d.path().join("page.json");
    std::fs::write(&data, r#"{"title": "Intro", "n": 1.0}"#).unwrap();
    let tpl = d.path().join("t.liquid");
    std::fs::write(
        &tpl,
        "{{ site.title }}|{% include hello.html who=page.title %}|{{ site.data.team | map: 'name' | join: ',' }}|{{ page.n }}|{{ page.url }}|{{ '/x' | relative_url }}|{% include_relative snippet.txt %}",
    )
    .unwrap();
    Command::cargo_bin("static-registry")
        .unwrap()
        .args(["liquid", "--site"])
        .arg(d.path())
        .arg("--data")
        .arg(&data)
        .args(["--path", "docs/intro.html"])
        .arg(&tpl)
        .assert()
        .success()
        .stdout("My Registry|Hello Intro!|Ann,Bob|1.0|/docs/intro.html|/reg/x|relative Intro");
}

#[test]
fn reads_the_template_from_stdin() {
    let d = site();
    Command::cargo_bin("static-registry")
        .unwrap()
        .args(["-s"])
        .arg(d.path())
        .arg("liquid")
        .write_stdin(
            "{% case 1 %}{% when 1 %}a{% when 1 %}b{% endcase %}{{ 10 | divided_by: 4.0 }}",
        )
        .assert()
        .success()
        .stdout("ab2.5");
}

#[test]
fn syntax_error_names_file_and_line_with_exit_2() {
    let d = site();
    let tpl = d.path().join("bad.html");
    std::fs::write(&tpl, "line one\n{% if x %}\n{% endfor %}\n").unwrap();
    Command::cargo_bin("static-registry")
        .unwrap()
        .args(["liquid", "--site"])
        .arg(d.path())
        .arg(&tpl)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("Liquid syntax error (line 3)")
                .and(predicate::str::contains("bad.html")),
        );
}

#[test]
fn missing_include_is_an_error_with_exit_2() {
    let d = site();
    Command::cargo_bin("static-registry")
        .unwrap()
        .args(["liquid", "--site"])
        .arg(d.path())
        .write_stdin("{% include nope.html %}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Could not locate the included file 'nope.html'",
        ));
}
