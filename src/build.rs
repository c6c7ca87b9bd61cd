//! `static-registry build [--plan] [--shard K/N] [--force REF…] [--no-upload]`: builds the
//! recipes that have no build record, stores each image and records it.
//!
//! What it is for: finding pending tags (a recipe without `manifest.json`; deleting a record asks
//! for a rebuild), running the builder for each, and handing the image to `add`, which hashes
//! it, stores the blob and only then writes the record — so a failed or interrupted upload never
//! leaves a record behind, and a rerun finishes the job. `--plan` and `--shard` split the work
//! across CI jobs. Not for recording images built elsewhere (`add`) or for the site files
//! (`generate`, run after the builds).
//!
//! The builder is `registry.builder.command` from `_config.yml`, a shell command line whose
//! `{recipe}`, `{output}`, `{namespace}`, `{name}`, `{tag}` are replaced by shell-quoted values
//! (default `apptainer build {output} {recipe}`), or a `build.sh` beside the recipe, run as
//! `sh build.sh RECIPE OUTPUT NAMESPACE NAME TAG`. Either runs in the tag folder (where a
//! recipe's relative paths point); its output goes to a log shown when it fails.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Serialize;

use crate::error::{Error, IoContext, Result};
use crate::names::Reference;
use crate::registry::Registry;

pub const DEFAULT_BUILDER: &str = "apptainer build {output} {recipe}";

#[derive(clap::Args, Debug, Default)]
pub struct Args {
    /// Print the pending builds as JSON (for a CI matrix) and build nothing.
    #[arg(long)]
    pub plan: bool,
    /// Build only shard K of N (1-based): a stable share by a hash of NS/NAME:TAG.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Rebuild these even though they have a record: NS/NAME:TAG, or TAG for that tag in
    /// every collection.
    #[arg(long, value_name = "REF", num_args = 1..)]
    pub force: Vec<String>,
    /// Build and hash only: store nothing, write no record (pull-request CI).
    #[arg(long)]
    pub no_upload: bool,
}

/// One build to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pending {
    pub reference: String,
    pub namespace: String,
    pub name: String,
    pub tag: String,
    /// Site-relative path of the recipe.
    pub recipe: String,
}

pub fn run(source: &Path, args: &Args) -> Result<()> {
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let registry = Registry::scan(source)?;
    let mut pending = pending(&registry, &args.force)?;
    if let Some((k, n)) = shard {
        pending.retain(|p| shard_of(&p.reference, n) == k);
    }
    if args.plan {
        let json = serde_json::to_string_pretty(&pending).expect("plain data serialises");
        println!("{json}");
        return Ok(());
    }
    if pending.is_empty() {
        eprintln!("nothing to build: every recipe has a build record");
        return Ok(());
    }
    let command = registry
        .config
        .builder_command
        .clone()
        .unwrap_or_else(|| DEFAULT_BUILDER.to_string());
    let mut failed = Vec::new();
    for (i, p) in pending.iter().enumerate() {
        eprintln!("[{}/{}] building {}", i + 1, pending.len(), p.reference);
        if let Err(e) = build_one(source, &command, p, args.no_upload) {
            eprintln!("FAILED {}: {e}", p.reference);
            failed.push(p.reference.clone());
        }
    }
    if failed.is_empty() {
        eprintln!("built {} image(s)", pending.len());
        Ok(())
    } else {
        Err(Error::failed(format!(
            "{} of {} builds failed: {} (their logs are above; the others are recorded)",
            failed.len(),
            pending.len(),
            failed.join(", ")
        )))
    }
}

/// Tags with a recipe and no record (or a record and a `--force`), in registry order.
pub fn pending(registry: &Registry, force: &[String]) -> Result<Vec<Pending>> {
    let mut forced_refs = BTreeSet::new();
    let mut forced_tags = BTreeSet::new();
    for f in force {
        if f.contains('/') {
            forced_refs.insert(Reference::parse(f)?.to_string());
        } else if crate::names::is_tag(f) {
            forced_tags.insert(f.clone());
        } else {
            return Err(Error::input(format!(
                "--force {f:?}: expected NS/NAME:TAG or a tag ({})",
                crate::names::tag_rule()
            )));
        }
    }
    let mut out = Vec::new();
    let mut matched = BTreeSet::new();
    for c in &registry.collections {
        for t in &c.tags {
            let reference = format!("{}/{}:{}", c.namespace, c.name, t.tag);
            let forced = forced_refs.contains(&reference) || forced_tags.contains(&t.tag);
            if forced {
                matched.insert(reference.clone());
                matched.insert(t.tag.clone());
            }
            let Some(recipe) = &t.recipe else {
                if forced {
                    return Err(Error::input(format!(
                        "--force {reference}: it has no recipe to build from"
                    )));
                }
                continue;
            };
            if t.record.is_none() || forced {
                out.push(Pending {
                    reference,
                    namespace: c.namespace.clone(),
                    name: c.name.clone(),
                    tag: t.tag.clone(),
                    recipe: recipe.clone(),
                });
            }
        }
    }
    for f in forced_refs.iter().chain(&forced_tags) {
        if !matched.contains(f) {
            return Err(Error::input(format!(
                "--force {f}: no such tag in the registry"
            )));
        }
    }
    Ok(out)
}

/// `K/N` with 1 <= K <= N.
pub fn parse_shard(s: &str) -> Result<(u64, u64)> {
    let bad = || {
        Error::input(format!(
            "--shard {s:?}: expected K/N with 1 <= K <= N, e.g. 2/3"
        ))
    };
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The 1-based shard of a reference: sha256 of its text, first 8 bytes, mod N. Stable across
/// machines, runs and the set of other pending builds.
pub fn shard_of(reference: &str, n: u64) -> u64 {
    let h = ring::digest::digest(&ring::digest::SHA256, reference.as_bytes());
    let x = u64::from_be_bytes(h.as_ref()[..8].try_into().expect("8 bytes"));
    x % n + 1
}

fn build_one(source: &Path, template: &str, p: &Pending, no_upload: bool) -> Result<()> {
    let recipe = std::path::absolute(source.join(&p.recipe)).at_path(source.join(&p.recipe))?;
    let tag_dir = recipe
        .parent()
        .expect("recipes live in tag folders")
        .to_path_buf();
    let work = tempfile::Builder::new()
        .prefix("static-registry-build-")
        .tempdir()
        .at_path(std::env::temp_dir())?;
    let output = work.path().join(format!("{}_{}.sif", p.name, p.tag));
    let log_path = work.path().join("build.log");
    let mut cmd = builder_command(template, &recipe, &output, &tag_dir, p);
    let log = File::create(&log_path).at_path(&log_path)?;
    let status = cmd
        .current_dir(&tag_dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().at_path(&log_path)?)
        .stderr(log)
        .status()
        .map_err(|e| Error::failed(format!("cannot run the builder {cmd:?}: {e}")))?;
    let log_text =
        String::from_utf8_lossy(&std::fs::read(&log_path).unwrap_or_default()).into_owned();
    let show_log = |why: String| {
        Error::failed(format!(
            "{why}\n----- build log ({}) -----\n{}----- end of log -----",
            p.recipe,
            if log_text.is_empty() || log_text.ends_with('\n') {
                log_text.clone()
            } else {
                format!("{log_text}\n")
            }
        ))
    };
    if !status.success() {
        return Err(show_log(format!("the builder exited with {status}")));
    }
    match std::fs::metadata(&output) {
        Ok(m) if m.is_file() && m.len() > 0 => {}
        _ => {
            return Err(show_log(format!(
                "the builder succeeded but wrote no image at {{output}} ({})",
                output.display()
            )))
        }
    }
    if no_upload {
        let (hex, size) = crate::digest::sha256_file(&output)?;
        eprintln!(
            "built {} (sha256:{hex}, {size} bytes); not uploaded (--no-upload)",
            p.reference
        );
        return Ok(());
    }
    // `add` hashes, stores the blob, and writes the record last.
    crate::add::run(
        source,
        &crate::add::Args {
            reference: p.reference.clone(),
            image: Some(output),
            force: true,
            ..Default::default()
        },
    )
}

fn builder_command(
    template: &str,
    recipe: &Path,
    output: &Path,
    tag_dir: &Path,
    p: &Pending,
) -> Command {
    let build_sh = tag_dir.join("build.sh");
    if build_sh.is_file() {
        let mut cmd = Command::new("sh");
        cmd.arg(&build_sh)
            .arg(recipe)
            .arg(output)
            .args([&p.namespace, &p.name, &p.tag]);
        return cmd;
    }
    let line = template
        .replace("{recipe}", &shell_quote(&recipe.to_string_lossy()))
        .replace("{output}", &shell_quote(&output.to_string_lossy()))
        .replace("{namespace}", &shell_quote(&p.namespace))
        .replace("{name}", &shell_quote(&p.name))
        .replace("{tag}", &shell_quote(&p.tag));
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(line);
    cmd
}

/// Single-quotes a value for `sh` (paths may hold spaces or quotes).
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_stable_and_cover_everything() {
        let refs: Vec<String> = (0..200).map(|i| format!("ns/img{i}:1.{i}")).collect();
        let mut seen = vec![0u32; 200];
        for k in 1..=3 {
            for (i, r) in refs.iter().enumerate() {
                if shard_of(r, 3) == k {
                    seen[i] += 1;
                }
            }
        }
        assert!(seen.iter().all(|&c| c == 1));
        assert_eq!(
            shard_of("biology/blast:2.14", 7),
            shard_of("biology/blast:2.14", 7)
        );
        let counts: Vec<usize> = (1..=3)
            .map(|k| refs.iter().filter(|r| shard_of(r, 3) == k).count())
            .collect();
        assert!(counts.iter().all(|&c| c > 40), "{counts:?}");
    }

    #[test]
    fn shard_argument() {
        assert_eq!(parse_shard("2/3").unwrap(), (2, 3));
        for bad in ["0/3", "4/3", "1/0", "x/2", "3"] {
            assert_eq!(parse_shard(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn quoting_survives_spaces_and_quotes() {
        let out = std::process::Command::new("sh")
            .args([
                "-c",
                &format!(
                    "printf '%s|' {} {}",
                    shell_quote("/a b/it's"),
                    shell_quote("$HOME")
                ),
            ])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "/a b/it's|$HOME|");
    }
}
