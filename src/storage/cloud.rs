//! Object storage (S3 or any S3 API, Google Cloud Storage, Azure Blob) through `object_store`.
//!
//! What it is for: putting image blobs under content-addressed keys (skipping what is already
//! there with the same size, multipart with a progress bar for big files) and putting the small
//! files of a bucket-hosted registry (`publish`), each with its Content-Type.
//! What it is NOT for: downloading (clients, `pull` and `validate --remote` read public URLs over
//! plain HTTP, exactly as a user would) or deciding which keys to use (callers do).
//!
//! `object_store` is async; the CLI is not. This module owns the one tokio runtime of the tool
//! and blocks on it, so nothing else needs to know about async.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt,
    PutMultipartOptions, PutOptions, PutPayload, RetryConfig, WriteMultipart,
};
use serde::Deserialize;

use super::{Blob, BlobStore};
use crate::error::{Error, IoContext, Result};

/// Which service a bucket lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    S3,
    Gcs,
    Azure,
}

/// `registry.storage` in `_config.yml` for the object-storage backends. Credentials never go
/// here: they come from the environment (`AWS_*`, `GOOGLE_*`, `AZURE_*`), as CI secrets do.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudConfig {
    #[serde(rename = "kind")]
    pub service: Service,
    /// The bucket (S3, GCS) or container (Azure).
    pub bucket: String,
    /// Key prefix inside the bucket, e.g. `images/`.
    #[serde(default)]
    pub prefix: String,
    /// S3: the region (else `AWS_REGION`/`AWS_DEFAULT_REGION`, else `us-east-1`).
    pub region: Option<String>,
    /// S3 API endpoint for non-AWS services (MinIO, R2, moto …); path-style requests are used.
    pub endpoint: Option<String>,
    /// Allow `http://` endpoints (local test servers). Off by default.
    #[serde(default)]
    pub allow_http: bool,
    /// Azure: the storage account (else `AZURE_STORAGE_ACCOUNT_NAME`).
    pub account: Option<String>,
    /// S3 canned ACL sent with every upload (`public-read` for buckets with ACLs enabled).
    pub acl: Option<String>,
    /// Where the public reads an object: a template with `{key}` (the full key, prefix
    /// included; `{hex}`, `{digest}`, `{namespace}`, `{name}`, `{tag}` work too). Defaults to
    /// the service's public URL for the bucket.
    pub public_url: Option<String>,
    /// Files larger than this go up in parts of this size (bytes; S3 needs at least 5 MiB).
    #[serde(default = "default_part_size")]
    pub part_size: u64,
    /// How many times a failed request is retried (with backoff) before giving up.
    #[serde(default = "default_retries")]
    pub retries: usize,
}

fn default_part_size() -> u64 {
    16 * 1024 * 1024
}

fn default_retries() -> usize {
    3
}

/// What [`CloudStore::put_file`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Uploaded,
    /// An object with that key and size was already there.
    Skipped,
}

pub struct CloudStore {
    config: CloudConfig,
    store: Arc<dyn ObjectStore>,
    runtime: &'static tokio::runtime::Runtime,
}

impl CloudConfig {
    /// `s3://bucket/prefix`-style name for messages.
    pub fn describe(&self) -> String {
        let scheme = match self.service {
            Service::S3 => "s3",
            Service::Gcs => "gs",
            Service::Azure => "az",
        };
        format!("{scheme}://{}/{}", self.bucket, self.prefix)
    }

    /// The public URL of a full key (prefix included).
    pub fn public_url(&self, key: &str) -> String {
        if let Some(template) = &self.public_url {
            return template.replace("{key}", key);
        }
        let bucket = &self.bucket;
        match self.service {
            Service::S3 => match &self.endpoint {
                Some(endpoint) => format!("{}/{bucket}/{key}", endpoint.trim_end_matches('/')),
                None => {
                    let region = self.region.clone().unwrap_or_else(|| "us-east-1".into());
                    format!("https://{bucket}.s3.{region}.amazonaws.com/{key}")
                }
            },
            Service::Gcs => format!("https://storage.googleapis.com/{bucket}/{key}"),
            Service::Azure => {
                let account = self.account.as_deref().unwrap_or("ACCOUNT");
                format!("https://{account}.blob.core.windows.net/{bucket}/{key}")
            }
        }
    }

    /// The full key for a path relative to the prefix.
    pub fn key(&self, relative: &str) -> String {
        let prefix = self.prefix.trim_matches('/');
        if prefix.is_empty() {
            relative.to_string()
        } else {
            format!("{prefix}/{relative}")
        }
    }

    fn client_options(&self) -> Result<ClientOptions> {
        let mut options = ClientOptions::new()
            .with_allow_http(self.allow_http)
            .with_connect_timeout(Duration::from_secs(10));
        if let Some(acl) = &self.acl {
            let mut headers = object_store::HeaderMap::new();
            let value = acl
                .parse()
                .map_err(|_| Error::input(format!("registry.storage.acl: bad value {acl:?}")))?;
            headers.insert("x-amz-acl", value);
            options = options.with_default_headers(headers);
        }
        Ok(options)
    }

    fn retry(&self) -> RetryConfig {
        RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: self.retries,
            retry_timeout: Duration::from_secs(60),
        }
    }

    /// Builds the `object_store` client: environment first, `_config.yml` on top.
    pub fn build(&self) -> Result<Arc<dyn ObjectStore>> {
        let bad = |e: object_store::Error| {
            Error::input(format!(
                "registry.storage ({}): {e}. Check the settings in _config.yml and the \
                 credentials in the environment (see docs/storage.md)",
                self.describe()
            ))
        };
        if self.part_size < 5 * 1024 * 1024 {
            return Err(Error::input(format!(
                "registry.storage.part_size: {} is below the 5 MiB minimum of multipart uploads",
                self.part_size
            )));
        }
        let options = self.client_options()?;
        Ok(match self.service {
            Service::S3 => {
                let mut b = AmazonS3Builder::from_env()
                    .with_bucket_name(&self.bucket)
                    .with_client_options(options)
                    .with_retry(self.retry())
                    .with_allow_http(self.allow_http);
                if let Some(region) = &self.region {
                    b = b.with_region(region);
                }
                if let Some(endpoint) = &self.endpoint {
                    b = b
                        .with_endpoint(endpoint)
                        .with_virtual_hosted_style_request(false);
                }
                Arc::new(b.build().map_err(bad)?)
            }
            Service::Gcs => Arc::new(
                GoogleCloudStorageBuilder::from_env()
                    .with_bucket_name(&self.bucket)
                    .with_client_options(options)
                    .with_retry(self.retry())
                    .build()
                    .map_err(bad)?,
            ),
            Service::Azure => {
                let mut b = MicrosoftAzureBuilder::from_env()
                    .with_container_name(&self.bucket)
                    .with_client_options(options)
                    .with_retry(self.retry());
                if let Some(account) = &self.account {
                    b = b.with_account(account);
                }
                Arc::new(b.build().map_err(bad)?)
            }
        })
    }
}

impl CloudStore {
    pub fn open(config: CloudConfig) -> Result<CloudStore> {
        let store = config.build()?;
        let runtime = runtime()?;
        Ok(CloudStore {
            config,
            store,
            runtime,
        })
    }

    pub fn config(&self) -> &CloudConfig {
        &self.config
    }

    fn path(&self, relative: &str) -> Result<Key> {
        let key = self.config.key(relative);
        Key::parse(&key).map_err(|e| Error::input(format!("bad storage key {key:?}: {e}")))
    }

    fn failed(&self, what: &str, relative: &str, e: object_store::Error) -> Error {
        Error::failed(format!(
            "storage {}: cannot {what} {}: {e}",
            self.config.describe(),
            self.config.key(relative)
        ))
    }

    /// The size of the object at `relative`, or None when there is none.
    pub fn size(&self, relative: &str) -> Result<Option<u64>> {
        let key = self.path(relative)?;
        match self.runtime.block_on(self.store.head(&key)) {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.failed("read", relative, e)),
        }
    }

    /// Public URL of a key relative to the prefix.
    pub fn url(&self, relative: &str) -> String {
        self.config.public_url(&self.config.key(relative))
    }

    /// Puts small bytes (always overwriting: registry files like tag lists change in place).
    pub fn put_bytes(&self, relative: &str, bytes: Vec<u8>, content_type: &str) -> Result<()> {
        let key = self.path(relative)?;
        let opts = PutOptions {
            attributes: attributes(content_type),
            ..Default::default()
        };
        self.runtime
            .block_on(self.store.put_opts(&key, PutPayload::from(bytes), opts))
            .map_err(|e| self.failed("upload", relative, e))?;
        Ok(())
    }

    /// Uploads a file unless an object of the same size is already there. Upload is atomic:
    /// the object appears whole or not at all (a failed multipart upload is aborted).
    pub fn put_file(&self, relative: &str, file: &Path, content_type: &str) -> Result<Put> {
        let size = std::fs::metadata(file).at_path(file)?.len();
        if self.size(relative)? == Some(size) {
            return Ok(Put::Skipped);
        }
        let key = self.path(relative)?;
        if size <= self.config.part_size {
            let bytes = std::fs::read(file).at_path(file)?;
            let opts = PutOptions {
                attributes: attributes(content_type),
                ..Default::default()
            };
            self.runtime
                .block_on(self.store.put_opts(&key, PutPayload::from(bytes), opts))
                .map_err(|e| self.failed("upload", relative, e))?;
        } else {
            self.runtime
                .block_on(self.multipart(&key, file, size, content_type))
                .map_err(|e| match e {
                    Multipart::Io(e) => Error::io(file, e),
                    Multipart::Store(e) => self.failed("upload", relative, e),
                })?;
        }
        Ok(Put::Uploaded)
    }

    async fn multipart(
        &self,
        key: &Key,
        file: &Path,
        size: u64,
        content_type: &str,
    ) -> Result<(), Multipart> {
        let opts = PutMultipartOptions {
            attributes: attributes(content_type),
            ..Default::default()
        };
        let upload = self
            .store
            .put_multipart_opts(key, opts)
            .await
            .map_err(Multipart::Store)?;
        let part = self.config.part_size as usize;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, part);
        let bar = progress(size, &format!("uploading {key}"));
        let mut reader = std::fs::File::open(file).map_err(Multipart::Io)?;
        let mut buf = vec![0u8; 1024 * 1024];
        loop {
            // At most two parts in flight: bounded memory for any file size.
            if let Err(e) = writer.wait_for_capacity(2).await {
                let _ = writer.abort().await;
                return Err(Multipart::Store(e));
            }
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(Multipart::Io(e));
                }
            };
            writer.write(&buf[..n]);
            bar.inc(n as u64);
        }
        let result = writer.finish().await.map_err(Multipart::Store);
        bar.finish_and_clear();
        result.map(|_| ())
    }

    /// Server-side copy (used to make a blob reachable at its OCI path too).
    pub fn copy(&self, from: &str, to: &str) -> Result<()> {
        let (a, b) = (self.path(from)?, self.path(to)?);
        self.runtime
            .block_on(self.store.copy(&a, &b))
            .map_err(|e| self.failed("copy to", to, e))
    }
}

/// The content-addressed key of a blob, relative to the prefix.
pub fn blob_key(blob: &Blob) -> String {
    format!("sha256/{}", blob.hex())
}

impl BlobStore for CloudStore {
    fn put(&self, blob: &Blob, src: &Path) -> Result<()> {
        let key = blob_key(blob);
        let content_type = if crate::add::is_sif(src)? {
            crate::record::SIF_LAYER
        } else {
            "application/octet-stream"
        };
        let what = match self.put_file(&key, src, content_type)? {
            Put::Uploaded => "uploaded",
            Put::Skipped => "already stored",
        };
        eprintln!(
            "{what}: {} ({} bytes) as {}",
            blob.digest,
            blob.size,
            self.url(&key)
        );
        Ok(())
    }

    fn exists(&self, blob: &Blob) -> Result<bool> {
        Ok(self.size(&blob_key(blob))? == Some(blob.size))
    }

    fn url(&self, blob: &Blob) -> Option<String> {
        // `public_url` may also use the `local` backend's placeholders ({hex}, {digest}, …).
        let url = CloudStore::url(self, &blob_key(blob));
        Some(super::local::fill_template(&url, blob))
    }
}

/// The one tokio runtime of the tool, made on first use: object_store's HTTP clients keep
/// connection pools on it, so every store shares it. Two workers so a multipart upload overlaps
/// reading the file with sending parts.
fn runtime() -> Result<&'static tokio::runtime::Runtime> {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::failed(format!("cannot start the I/O runtime: {e}")))?;
    Ok(RUNTIME.get_or_init(|| rt))
}

enum Multipart {
    Io(std::io::Error),
    Store(object_store::Error),
}

fn attributes(content_type: &str) -> Attributes {
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, content_type.to_string().into());
    attributes
}

/// A byte progress bar on stderr when it is a terminal, hidden otherwise (CI logs stay clean).
pub fn progress(len: u64, message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(len),
        if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
            .expect("static template"),
    );
    bar.set_message(message.to_string());
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> std::result::Result<CloudConfig, serde_norway::Error> {
        serde_norway::from_str(yaml)
    }

    #[test]
    fn s3_with_endpoint_uses_path_style_urls() {
        let c = parse("kind: s3\nbucket: reg\nprefix: images/\nendpoint: http://127.0.0.1:9000\nallow_http: true\n").unwrap();
        assert_eq!(c.service, Service::S3);
        assert_eq!(c.key("sha256/ab"), "images/sha256/ab");
        assert_eq!(
            c.public_url(&c.key("sha256/ab")),
            "http://127.0.0.1:9000/reg/images/sha256/ab"
        );
        assert_eq!(c.part_size, 16 * 1024 * 1024);
        assert!(c.build().is_ok());
    }

    #[test]
    fn aws_default_url_names_bucket_and_region() {
        let c = parse("kind: s3\nbucket: labimages\nregion: eu-west-1\n").unwrap();
        assert_eq!(
            c.public_url("sha256/ab"),
            "https://labimages.s3.eu-west-1.amazonaws.com/sha256/ab"
        );
    }

    #[test]
    fn public_url_template_wins() {
        let c = parse("kind: gcs\nbucket: b\npublic_url: https://cdn.example.org/{key}\n").unwrap();
        assert_eq!(c.public_url("x/y"), "https://cdn.example.org/x/y");
    }

    #[test]
    fn gcs_and_azure_parse_and_build_offline() {
        let g = parse("kind: gcs\nbucket: lab-images\n").unwrap();
        assert_eq!(g.service, Service::Gcs);
        assert_eq!(
            g.public_url("sha256/ab"),
            "https://storage.googleapis.com/lab-images/sha256/ab"
        );
        assert!(g.build().is_ok(), "gcs builder must not need the network");
        let a = parse("kind: azure\nbucket: images\naccount: labacct\n").unwrap();
        assert_eq!(
            a.public_url("sha256/ab"),
            "https://labacct.blob.core.windows.net/images/sha256/ab"
        );
        assert_eq!(a.describe(), "az://images/");
    }

    #[test]
    fn unknown_keys_and_services_are_errors() {
        assert!(parse("kind: s3\nbucket: b\nbukcet: c\n").is_err());
        assert!(parse("kind: ftp\nbucket: b\n").is_err());
        assert!(parse("kind: s3\n").is_err());
    }

    #[test]
    fn tiny_part_size_is_rejected() {
        let c = parse("kind: s3\nbucket: b\npart_size: 1000\n").unwrap();
        let err = c.build().expect_err("part_size below 5 MiB must fail");
        assert!(err.to_string().contains("5 MiB"), "{err}");
    }
}
