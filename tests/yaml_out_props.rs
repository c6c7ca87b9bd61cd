//! Property test: any string written by `yaml_out::string` parses back to itself with a YAML
//! parser (the Ruby side is covered by tests/generate_jekyll_real.rs with real Jekyll).

use proptest::prelude::*;
use static_registry::yaml_out;

proptest! {
    #[test]
    fn any_string_round_trips(s in any::<String>()) {
        let back: String = serde_norway::from_str(&yaml_out::string(&s)).unwrap();
        prop_assert_eq!(back, s);
    }

    #[test]
    fn yaml_keywords_and_numbers_stay_strings(s in "(yes|no|on|off|y|n|true|false|null|~|[0-9]{1,4}(\\.[0-9]{1,3})?|0x[0-9A-F]{1,3}|[0-9]e[0-9]|2024-0[1-9]-1[0-9])") {
        let v: serde_norway::Value = serde_norway::from_str(&yaml_out::string(&s)).unwrap();
        prop_assert_eq!(v, serde_norway::Value::String(s));
    }
}
