//! `static-registry`: turns a git repository of container recipes into a static container
//! registry that GitHub Pages' own Jekyll build renders (see DESIGN.md).
//!
//! The pipeline runs one way, one module per stage:
//! recipes + build records (`registry`, `record`) → generated site files (`generate`) →
//! the rendered site (`site`, on the `liquid` engine) → served or published.
//! `src/main.rs` only parses arguments and calls these modules.

pub mod add;
pub mod alloc;
pub mod build;
pub mod bytescan;
pub mod config;
pub mod digest;
pub mod error;
pub mod frontmatter;
pub mod fsutil;
pub mod generate;
pub mod highlight;
pub mod init;
pub mod liquid;
pub mod markdown;
pub mod names;
pub mod publish;
pub mod pull;
pub mod re;
pub mod record;
pub mod registry;
pub mod sass;
pub mod site;
pub mod stamp;
pub mod storage;
pub mod validate;
pub mod yaml_out;
pub mod zone;

pub use error::{Error, Result};
