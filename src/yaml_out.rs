//! Writes YAML scalars that Jekyll (Ruby's Psych, YAML 1.1) reads back exactly as written.
//!
//! YAML 1.1 resolves plain scalars such as `1.10`, `yes`, `on`, `010`, `0x1F`, `1e3`, `~`,
//! `null` and `2024-01-01` to numbers, booleans, nil or times, so every string is written
//! double-quoted. Inside double quotes only `"`, `\` and characters YAML cannot carry raw
//! (C0/C1 controls, DEL, U+FEFF, U+2028/2029, non-characters) are escaped. Not a general YAML
//! emitter: callers lay out keys and lists themselves, which keeps the key order fixed.

use std::fmt::Write;

/// `s` as a double-quoted YAML scalar.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_escape(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || (0x7F..=0x9F).contains(&u)
        || matches!(u, 0x2028 | 0x2029 | 0xFEFF | 0xFFFE | 0xFFFF)
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn quotes_everything() {
        assert_eq!(string("1.10"), "\"1.10\"");
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(
            string("\u{7f}\u{85}\u{2028}é"),
            "\"\\u007F\\u0085\\u2028é\""
        );
    }

    #[test]
    fn reads_back_with_a_yaml_parser() {
        for s in [
            "1.10",
            "yes",
            "010",
            "on",
            "1e3",
            "null",
            "~",
            "0x1F",
            "a: b",
            "- x",
            "#c",
            "{{ x }}",
            "\u{1}\u{7f}é\t",
        ] {
            let back: String = serde_norway::from_str(&string(s)).unwrap();
            assert_eq!(back, s);
        }
    }
}
