//! stub until the Liquid engine lands
use super::model::Site;
use super::write::{Content, Output};
use crate::error::Result;
pub fn render_site(site: &mut Site, _deps: &[String]) -> Result<Output> {
    let mut out = Output::new();
    for p in site.pages.iter().chain(site.docs.iter()) {
        if let Some(d) = &p.dest {
            out.insert(d.clone(), Content::Bytes(p.content.clone().into_bytes()));
        }
    }
    for f in &site.static_files {
        if let Some(d) = &f.dest {
            out.insert(d.clone(), Content::Copy(f.source_path.clone()));
        }
    }
    Ok(out)
}
