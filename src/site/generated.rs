//! Files plugins add to the output after rendering (placeholder; feed/sitemap are pages).
use std::path::Path;

use super::model::Site;
use super::write::Sink;
use crate::error::Result;
use crate::liquid::Value;

pub fn add(
    _site: &Site,
    _site_value: &Value,
    _deps: &[String],
    _out: &mut dyn Sink,
    _render: &mut dyn FnMut(&str, &str, &Path) -> Result<String>,
) -> Result<()> {
    Ok(())
}
