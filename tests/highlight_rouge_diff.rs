//! Differential tests of `highlight` against Debian's ruby-rouge 3.30.0 (the version GitHub
//! Pages pins) through `scripts/rouge-oracle`: token HTML for every snippet of
//! `tests/data/highlight_corpus.txt`, Jekyll 3.10's `{% highlight %}` markup, and the table of
//! languages Rouge knows. Snippets in `tests/data/highlight_expected_failures.txt` must still
//! differ.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use static_registry::highlight;

fn oracle(cases: &[(String, String, &str)]) -> Vec<Option<String>> {
    let mut child = Command::new("scripts/rouge-oracle")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("scripts/rouge-oracle needs ruby with ruby-rouge (scripts/install-deps)");
    let json: Vec<(&str, &str, &str)> = cases
        .iter()
        .map(|(l, c, m)| (l.as_str(), c.as_str(), *m))
        .collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&json).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "rouge oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("oracle JSON")
}

/// `(name, lang, code)` from the corpus; a header is `%%% LANG name words`.
fn corpus() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string("tests/data/highlight_corpus.txt").expect("corpus");
    let mut out: Vec<(String, String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("%%% ") {
            let lang = h.split_whitespace().next().unwrap_or("").to_string();
            out.push((h.to_string(), lang, Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.2.push(line);
        }
    }
    out.into_iter()
        .map(|(n, l, c)| (n, l, c.join("\n") + "\n"))
        .collect()
}

fn expected_failures() -> BTreeMap<String, String> {
    std::fs::read_to_string("tests/data/highlight_expected_failures.txt")
        .expect("expected-failure list")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (n, r) = l.split_once('\t').unwrap_or((l, ""));
            (n.to_string(), r.to_string())
        })
        .collect()
}

#[test]
fn tokens_match_rouge() {
    let corpus = corpus();
    let cases: Vec<(String, String, &str)> = corpus
        .iter()
        .map(|(_, l, c)| (l.clone(), c.clone(), "tokens"))
        .collect();
    let want = oracle(&cases);
    let xfail = expected_failures();
    let mut pass = 0;
    let mut problems = Vec::new();
    for ((name, lang, code), want) in corpus.iter().zip(&want) {
        let got = highlight::tokens_html(lang, code);
        let same = &got == want;
        pass += same as usize;
        match (same, xfail.contains_key(name)) {
            (true, true) => problems.push(format!(
                "{name}: now passes, remove it from the expected-failure list"
            )),
            (false, false) => problems.push(format!(
                "{name}: differs\n--- rouge\n{}\n--- ours\n{}",
                want.clone().unwrap_or_default(),
                got.unwrap_or_default()
            )),
            _ => {}
        }
    }
    println!(
        "highlight corpus: {pass} of {} snippets identical to Rouge 3.30.0",
        corpus.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn liquid_tag_matches_jekyll_310() {
    let cases: Vec<(String, String, &str)> = vec![
        (
            "ruby".into(),
            "\ndef foo(x)\n  puts \"hi #{x}\" # note\nend\n".into(),
            "liquid",
        ),
        ("nosuchlang".into(), "\na < b && c\n".into(), "liquid"),
        (
            "YAML".into(),
            "\n\n\nkey: value\nlist: [1, 2]\n\n".into(),
            "liquid",
        ),
        ("yaml".into(), "\na: 1\nb: [x]\n".into(), "liquid-linenos"),
        ("sh".into(), "echo hi\nls\n".into(), "liquid-linenos"),
        ("no+such".into(), "\nint x;\n".into(), "liquid"),
    ];
    let want = oracle(&cases);
    for ((lang, code, mode), want) in cases.iter().zip(want) {
        let got = highlight::liquid_tag(code, lang, *mode == "liquid-linenos");
        assert_eq!(Some(got), want, "{{% highlight {lang} %}} ({mode})");
    }
}

#[test]
fn known_languages_are_rouge_3_30s() {
    let out = Command::new("ruby")
        .args([
            "-rrouge",
            "-e",
            "Rouge::Lexer.all.sort_by(&:tag).each{|l| puts ([l.tag]+l.aliases).join(' ')}",
        ])
        .output()
        .expect("ruby with ruby-rouge (scripts/install-deps)");
    assert!(out.status.success());
    let want = String::from_utf8(out.stdout).unwrap();
    let ours = std::fs::read_to_string("src/highlight/rouge_lexers.txt").unwrap();
    assert_eq!(
        ours, want,
        "src/highlight/rouge_lexers.txt is not Rouge 3.30.0's lexer list"
    );
    assert!(
        highlight::is_known("sh") && highlight::is_known("rb") && highlight::is_known("plaintext")
    );
    assert!(!highlight::is_known("nosuchlang"));
}
