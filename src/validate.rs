//! `static-registry validate [--remote]`: checks every build record, and with `--remote` that
//! storage really holds what each record names.
//!
//! What it is for: the checks `generate` does not need but a registry owner wants before
//! trusting the site — every record parses as an OCI image manifest with `sha256:` digests and
//! sane sizes (the scan in `registry` does most of that), names are valid, each record matches
//! the recipe it says it was built from, nothing is duplicated; `--remote` streams every layer
//! URL through sha256 (nothing is kept on disk) and reports each mismatch. Not for fixing
//! anything: it only reads, and exits 1 when it found a problem.

use std::collections::BTreeSet;
use std::path::Path;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

use crate::config::Config;
use crate::digest::sha256_file;
use crate::error::{Error, Result};
use crate::record::{Record, ANN_RECIPE, ANN_RECIPE_DIGEST, SIF_CONFIG, SIF_LAYER};
use crate::registry::Registry;

#[derive(clap::Args, Debug, Default)]
pub struct Args {
    /// Also download every layer URL and verify its size and sha256 (streamed, nothing kept).
    #[arg(long)]
    pub remote: bool,
}

pub fn run(source: &Path, args: &Args) -> Result<()> {
    // A broken _config.yml is bad input (exit 2); a broken record is a failed validation.
    let config = Config::load(source)?;
    let registry = Registry::scan_with(source, config)
        .map_err(|e| Error::failed(format!("validation failed:\n{e}")))?;
    let mut problems = Vec::new();
    let mut records = 0;
    for c in &registry.collections {
        for t in &c.tags {
            let Some(record) = &t.record else { continue };
            records += 1;
            let path = source
                .join(&c.namespace)
                .join(&c.name)
                .join("manifests")
                .join(&t.tag)
                .join("manifest.json");
            let at = |m: String| format!("{}: {m}", path.display());
            for m in check_record(record) {
                problems.push(at(m));
            }
            if let Some(m) = check_recipe(source, t.recipe.as_deref(), record)? {
                problems.push(at(m));
            }
        }
    }
    let mut checked_urls = 0;
    if args.remote {
        let client = crate::pull::client()?;
        for c in &registry.collections {
            for t in &c.tags {
                let Some(record) = &t.record else { continue };
                for layer in &record.manifest.layers {
                    for url in &layer.urls {
                        checked_urls += 1;
                        if let Err(e) = crate::pull::verify_url(&client, url, layer) {
                            problems.push(format!("{}/{}:{}: {e}", c.namespace, c.name, t.tag));
                        }
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        let remote = if args.remote {
            format!(", {checked_urls} remote blob(s) verified")
        } else {
            String::new()
        };
        eprintln!("ok: {records} record(s) valid{remote}");
        Ok(())
    } else {
        Err(Error::failed(format!(
            "validation failed ({} problem(s)):\n{}",
            problems.len(),
            problems.join("\n")
        )))
    }
}

/// What the scan does not check already: sizes, duplicates, SIF shape.
fn check_record(record: &Record) -> Vec<String> {
    let mut out = Vec::new();
    if let Err(key) = no_duplicate_keys(&record.bytes) {
        out.push(format!(
            "the JSON repeats the key {key:?}: clients would disagree on its value"
        ));
    }
    let m = &record.manifest;
    let mut seen = BTreeSet::new();
    for layer in &m.layers {
        if layer.size == 0 {
            out.push(format!("layer {} has size 0", layer.digest));
        }
        if !seen.insert(&layer.digest) {
            out.push(format!("layer {} is listed twice", layer.digest));
        }
        let mut urls = BTreeSet::new();
        for u in &layer.urls {
            if !urls.insert(u) {
                out.push(format!("layer {} lists the url {u} twice", layer.digest));
            }
        }
    }
    let sif_layers = m
        .layers
        .iter()
        .filter(|l| l.media_type == SIF_LAYER)
        .count();
    if sif_layers > 0 && (m.layers.len() != 1 || m.config.media_type != SIF_CONFIG) {
        out.push(format!(
            "a SIF record has exactly one layer ({SIF_LAYER}) and config {SIF_CONFIG}, as Apptainer's oras:// client expects"
        ));
    }
    out
}

/// The record's recipe annotations against the recipe on disk.
fn check_recipe(source: &Path, recipe: Option<&str>, record: &Record) -> Result<Option<String>> {
    let ann = &record.manifest.annotations;
    let (Some(recipe), Some(recorded)) = (recipe, ann.get(ANN_RECIPE_DIGEST)) else {
        return Ok(None);
    };
    if let Some(path) = ann.get(ANN_RECIPE) {
        if path != recipe {
            return Ok(Some(format!(
                "was built from {path} but the tag's recipe is {recipe}; delete the record to rebuild"
            )));
        }
    }
    let (hex, _) = sha256_file(&source.join(recipe))?;
    if format!("sha256:{hex}") != *recorded {
        return Ok(Some(format!(
            "{recipe} changed since this image was built (recipe sha256:{hex}, record {recorded}); delete the record to rebuild"
        )));
    }
    Ok(None)
}

/// Err(key) when some JSON object repeats a key (serde_json silently keeps the last one).
fn no_duplicate_keys(bytes: &[u8]) -> std::result::Result<(), String> {
    struct Check;
    impl<'de> serde::Deserialize<'de> for Check {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            d.deserialize_any(CheckVisitor)
        }
    }
    struct CheckVisitor;
    impl<'de> Visitor<'de> for CheckVisitor {
        type Value = Check;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Check, A::Error> {
            let mut keys = BTreeSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !keys.insert(key.clone()) {
                    return Err(serde::de::Error::custom(format!("\u{0}{key}")));
                }
                map.next_value::<Check>()?;
            }
            Ok(Check)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Check, A::Error> {
            while seq.next_element::<Check>()?.is_some() {}
            Ok(Check)
        }
        fn visit_bool<E>(self, _: bool) -> std::result::Result<Check, E> {
            Ok(Check)
        }
        fn visit_i64<E>(self, _: i64) -> std::result::Result<Check, E> {
            Ok(Check)
        }
        fn visit_u64<E>(self, _: u64) -> std::result::Result<Check, E> {
            Ok(Check)
        }
        fn visit_f64<E>(self, _: f64) -> std::result::Result<Check, E> {
            Ok(Check)
        }
        fn visit_str<E>(self, _: &str) -> std::result::Result<Check, E> {
            Ok(Check)
        }
        fn visit_unit<E>(self) -> std::result::Result<Check, E> {
            Ok(Check)
        }
    }
    match serde_json::from_slice::<Check>(bytes) {
        Ok(_) => Ok(()),
        Err(e) => {
            let msg = e.to_string();
            match msg.split_once('\u{0}') {
                Some((_, rest)) => Err(rest.split(" at line").next().unwrap_or(rest).to_string()),
                None => Ok(()), // not a duplicate: Record::parse already reported bad JSON
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_found_at_any_depth() {
        assert_eq!(no_duplicate_keys(br#"{"a":1,"b":[{"c":1}]}"#), Ok(()));
        assert_eq!(
            no_duplicate_keys(br#"{"a":1,"b":[{"size":1,"size":2}]}"#),
            Err("size".to_string())
        );
        assert_eq!(no_duplicate_keys(br#"{"a":1,"a":2}"#), Err("a".to_string()));
    }
}
