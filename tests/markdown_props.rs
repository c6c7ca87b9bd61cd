//! Robustness: the converters return output for any input, never panic. Inputs are built
//! from the characters and line starts that drive Markdown and lexer state machines.

use proptest::prelude::*;
use static_registry::{highlight, markdown};

fn markdownish() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("    ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("> ".to_string()),
        Just("# ".to_string()),
        Just("```".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("[^1]".to_string()),
        Just("[^1]: note\n".to_string()),
        Just("{: .x}".to_string()),
        Just("{:toc}".to_string()),
        Just("<div>".to_string()),
        Just("</div>".to_string()),
        Just("$$".to_string()),
        Just("[a](b \"t\")".to_string()),
        Just("![i](j)".to_string()),
        "[*_`'\"<>&\\\\ \t.\\-=#a-zé]{1,6}",
    ];
    proptest::collection::vec(atom, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn to_html_never_panics_and_is_deterministic(src in markdownish()) {
        let opts = markdown::KramdownOptions::default();
        let html = markdown::to_html(&src, &opts);
        prop_assert_eq!(&html, &markdown::to_html(&src, &opts));
        let _ = markdown::smartify(&src, &opts);
    }

    #[test]
    fn lexers_never_panic(src in markdownish()) {
        let tags = regex::Regex::new("<[^>]*>").unwrap();
        for lang in ["sh", "json", "ruby", "yaml", "js", "html", "css", "python", "docker", "rust", "diff", "toml", "xml", "ini", "go", "console"] {
            let out = highlight::tokens_html(lang, &src).expect("known language");
            // Rouge's HTML keeps every character of the input, escaped.
            let text = tags.replace_all(&out, "");
            let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            prop_assert_eq!(text, src.clone(), "{} lost text", lang);
        }
    }
}
