//! Differential test: every snippet of `tests/data/markdown_corpus.txt` converted by
//! `markdown::to_html` must equal what the real kramdown 2.4.0 (Debian's ruby-kramdown, with
//! kramdown-parser-gfm 1.1.0 and Rouge 3.30.0, the versions GitHub Pages pins) produces with
//! Pages' options, run through `scripts/kramdown-oracle`. Snippets listed in
//! `tests/data/markdown_expected_failures.txt` must still differ (the test fails when one
//! starts passing, so the list stays honest).

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use static_registry::markdown::{to_html, KramdownOptions};

fn corpus() -> Vec<(String, String)> {
    let text = std::fs::read_to_string("tests/data/markdown_corpus.txt").expect("corpus");
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("%%% ") {
            out.push((name.to_string(), Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push(line);
        }
    }
    out.into_iter()
        .map(|(n, lines)| {
            let body = if lines.is_empty() {
                String::new()
            } else {
                lines.join("\n") + "\n"
            };
            (n, body)
        })
        .collect()
}

pub fn expected_failures(path: &str) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .expect("expected-failure list")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (n, r) = l.split_once('\t').unwrap_or((l, ""));
            (n.to_string(), r.to_string())
        })
        .collect()
}

fn oracle(snippets: &[String], flag: Option<&str>) -> Vec<String> {
    let mut cmd = Command::new("scripts/kramdown-oracle");
    if let Some(f) = flag {
        cmd.arg(f);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("scripts/kramdown-oracle needs ruby with ruby-kramdown, ruby-kramdown-parser-gfm and ruby-rouge (scripts/install-deps)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(snippets).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "kramdown oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("oracle JSON")
}

#[test]
fn corpus_matches_real_kramdown() {
    let corpus = corpus();
    let sources: Vec<String> = corpus.iter().map(|(_, s)| s.clone()).collect();
    let expected = oracle(&sources, None);
    let xfail = expected_failures("tests/data/markdown_expected_failures.txt");
    let opts = KramdownOptions::default();
    let mut pass = 0;
    let mut problems = Vec::new();
    for ((name, src), want) in corpus.iter().zip(&expected) {
        let got = to_html(src, &opts);
        let same = &got == want;
        if same {
            pass += 1;
        }
        match (same, xfail.contains_key(name)) {
            (true, true) => problems.push(format!(
                "{name}: now passes, remove it from the expected-failure list"
            )),
            (false, false) => problems.push(format!(
                "{name}: differs\n--- source\n{src}--- kramdown\n{want}--- ours\n{got}"
            )),
            _ => {}
        }
    }
    for n in xfail.keys() {
        assert!(
            corpus.iter().any(|(c, _)| c == n),
            "expected failure {n:?} is not in the corpus"
        );
    }
    println!(
        "markdown corpus: {pass} of {} snippets identical to kramdown",
        corpus.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn smartify_matches_real_kramdown() {
    let cases: Vec<String> = [
        "\"Hello\" it's -- done --- ... 'single' <<guillemets>>",
        "line \"one\"\n\nline 'two'\n",
        "<b>\"bold\"</b> & 'x' &amp; &copy; \"&quot;\"",
        "the '80s, \"'nested'\", rock 'n' roll",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let want = oracle(&cases, Some("--smartify"));
    let opts = KramdownOptions::default();
    for (c, w) in cases.iter().zip(&want) {
        assert_eq!(
            &static_registry::markdown::smartify(c, &opts),
            w,
            "smartify({c:?})"
        );
    }
}
