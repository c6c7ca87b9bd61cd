//! `add NS/NAME:TAG`: records an image — store its blob, then write its build record.
//!
//! Two forms: `--image FILE` hashes the file (streaming, constant memory), stores it in the
//! configured storage and records it; `--digest sha256:… --size N --url URL` records an image
//! that already lives elsewhere (nothing is downloaded). The blob is stored before the record
//! is written, so no record ever names a blob that is not stored. Not for building images
//! (`build`) or for regenerating the site (run `generate` afterwards).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::digest::{is_sha256_digest, sha256_file, sha256_hex};
use crate::error::{Error, IoContext, Result};
use crate::names::Reference;
use crate::record::{self, Descriptor};
use crate::storage::{self, Blob};

/// `static-registry add NS/NAME:TAG (--image FILE | --digest D --size N --url URL)`
#[derive(clap::Args, Debug, Default)]
pub struct Args {
    /// The tag to record, as NAMESPACE/NAME:TAG.
    pub reference: String,
    /// The image file (e.g. a .sif) to hash, store and record.
    #[arg(long, conflicts_with_all = ["digest", "size", "url"], required_unless_present = "digest")]
    pub image: Option<PathBuf>,
    /// For an image stored elsewhere: its sha256:<hex> digest.
    #[arg(long, requires_all = ["size", "url"])]
    pub digest: Option<String>,
    /// For an image stored elsewhere: its exact size in bytes.
    #[arg(long)]
    pub size: Option<u64>,
    /// For an image stored elsewhere: the http(s) URL it is downloaded from.
    #[arg(long)]
    pub url: Option<String>,
    /// Creation time to record (RFC 3339), instead of now; pin it for reproducible records.
    #[arg(long)]
    pub created: Option<String>,
    /// Layer media type; default: the SIF layer type (required for files that are not SIF).
    #[arg(long)]
    pub media_type: Option<String>,
    /// Replace an existing record for this tag.
    #[arg(long)]
    pub force: bool,
}

pub fn run(source: &Path, args: &Args) -> Result<()> {
    let r = Reference::parse(&args.reference)?;
    let config = Config::load(source)?;
    let tag_dir = source
        .join(&r.namespace)
        .join(&r.name)
        .join("manifests")
        .join(&r.tag);
    check_inside(source, &tag_dir)?;
    let record_path = tag_dir.join("manifest.json");
    if record_path.exists() && !args.force {
        return Err(Error::at(
            &record_path,
            format!("{r} already has a build record; pass --force to replace it (git keeps the old one)"),
        ));
    }
    let created = created(args.created.as_deref())?;
    let recipe = find_recipe(&config, &tag_dir)?;

    let (digest, size, urls, media_type, title) = match (&args.image, &args.digest) {
        (Some(image), _) => {
            let (hex, size) = sha256_file(image)?;
            let digest = format!("sha256:{hex}");
            let is_sif = is_sif(image)?;
            let media_type = match (&args.media_type, is_sif) {
                (Some(m), _) => m.clone(),
                (None, true) => record::SIF_LAYER.to_string(),
                (None, false) => {
                    return Err(Error::at(
                        image,
                        "is not a SIF image; pass --media-type to record another kind of file",
                    ))
                }
            };
            let blob = Blob {
                namespace: &r.namespace,
                name: &r.name,
                tag: &r.tag,
                digest: &digest,
                size,
            };
            let store = storage::open(source, &config)?;
            store.put(&blob, image)?;
            let urls: Vec<String> = store.url(&blob).into_iter().collect();
            let title = if is_sif {
                format!("{}_{}.sif", r.name, r.tag)
            } else {
                image
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            (digest, size, urls, media_type, title)
        }
        (None, Some(digest)) => {
            if !is_sha256_digest(digest) {
                return Err(Error::input(format!(
                    "--digest {digest:?} must be sha256: followed by 64 lowercase hex digits"
                )));
            }
            let url = args.url.clone().unwrap_or_default();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Error::input(format!(
                    "--url {url:?} must be an http:// or https:// URL"
                )));
            }
            let size = args.size.unwrap_or_default();
            let media_type = args
                .media_type
                .clone()
                .unwrap_or_else(|| record::SIF_LAYER.to_string());
            (
                digest.clone(),
                size,
                vec![url],
                media_type,
                format!("{}_{}.sif", r.name, r.tag),
            )
        }
        (None, None) => {
            return Err(Error::input(
                "give --image FILE, or --digest, --size and --url",
            ))
        }
    };

    let mut layer_ann = BTreeMap::new();
    if !title.is_empty() {
        layer_ann.insert(record::ANN_TITLE.to_string(), title);
    }
    let layer = Descriptor {
        media_type: media_type.clone(),
        digest: digest.clone(),
        size,
        urls,
        annotations: layer_ann,
    };
    let mut config_desc = record::sif_config();
    if media_type != record::SIF_LAYER {
        config_desc.media_type = "application/vnd.oci.empty.v1+json".into();
    }
    let mut ann = BTreeMap::new();
    ann.insert(record::ANN_CREATED.to_string(), created);
    if let Some((rel, hex)) = &recipe {
        ann.insert(record::ANN_RECIPE.to_string(), rel.clone());
        ann.insert(
            record::ANN_RECIPE_DIGEST.to_string(),
            format!("sha256:{hex}"),
        );
    }
    if let Some(src) = &config.source {
        ann.insert(record::ANN_SOURCE.to_string(), src.clone());
    }
    let bytes = record::create(config_desc, layer, ann);
    crate::fsutil::write_atomic(&record_path, &bytes)?;
    println!(
        "recorded {r}: {digest} ({size} bytes) in {} — run `static-registry generate` next",
        record_path.display()
    );
    Ok(())
}

fn created(arg: Option<&str>) -> Result<String> {
    let t = match arg {
        Some(s) => chrono::DateTime::parse_from_rfc3339(s)
            .map_err(|e| {
                Error::input(format!(
                    "--created {s:?} is not an RFC 3339 time ({e}); e.g. 2024-05-01T12:00:00Z"
                ))
            })?
            .with_timezone(&chrono::Utc),
        None => chrono::Utc::now(),
    };
    Ok(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// The tag folder's recipe, as (site-relative path, sha256 hex), if it has one.
fn find_recipe(config: &Config, tag_dir: &Path) -> Result<Option<(String, String)>> {
    let Ok(entries) = std::fs::read_dir(tag_dir) else {
        return Ok(None);
    };
    let mut recipes = Vec::new();
    for e in entries {
        let e = e.at_path(tag_dir)?;
        let name = e.file_name().to_string_lossy().into_owned();
        if config.is_recipe(&name) {
            recipes.push(name);
        }
    }
    recipes.sort();
    match recipes.as_slice() {
        [] => Ok(None),
        [one] => {
            let path = tag_dir.join(one);
            let bytes = std::fs::read(&path).at_path(&path)?;
            let parts: Vec<String> = tag_dir
                .components()
                .rev()
                .take(4)
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let rel = format!("{}/{}/{}/{}/{one}", parts[3], parts[2], parts[1], parts[0]);
            Ok(Some((rel, sha256_hex(&bytes))))
        }
        many => Err(Error::at(
            tag_dir,
            format!(
                "a tag folder holds one recipe, found {}: {}",
                many.len(),
                many.join(", ")
            ),
        )),
    }
}

/// Refuses a tag folder that (through a symlink) lies outside the site.
fn check_inside(source: &Path, dir: &Path) -> Result<()> {
    let root = source.canonicalize().at_path(source)?;
    let mut p = dir.to_path_buf();
    // The deepest existing ancestor decides where the new files would really land.
    while !p.exists() {
        if !p.pop() {
            return Ok(());
        }
    }
    let real = p.canonicalize().at_path(&p)?;
    if !real.starts_with(&root) {
        return Err(Error::at(
            &p,
            format!("resolves to {}, outside the site", real.display()),
        ));
    }
    Ok(())
}

pub(crate) fn is_sif(path: &Path) -> Result<bool> {
    let mut head = [0u8; 64];
    let mut f = std::fs::File::open(path).at_path(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]).at_path(path)? {
            0 => break,
            k => n += k,
        }
    }
    Ok(record::looks_like_sif(&head[..n]) || path.extension().is_some_and(|e| e == "sif"))
}
