//! The tag registry: tag name → parse function. Each family of tags lives in its own file;
//! adding a tag is one function and one line in [`REGISTRY`].
//!
//! A tag's parse function gets the parser (block tags read their bodies through it) and the
//! tag's markup, and returns a [`TagNode`] that renders itself. Tags that are not registered
//! (Liquid 5's `render`, `echo`, `liquid`, `#`) are "Unknown tag" syntax errors, as on Pages.
//!
//! Not for: expressions and conditions (see `parser.rs`, `render.rs`).

mod control;
mod iteration;
mod jekyll;
mod misc;
mod variables;

pub use iteration::{expand, slice_collection, to_i, MAX_LOOP_ITEMS};

use super::error::{LResult, LiquidError};
use super::parser::{Body, EndTag, Parser, TagNode};

/// Parses one tag from its markup.
pub type ParseFn = fn(&mut Parser<'_>, &str, &str) -> LResult<Box<dyn TagNode>>;

/// Every tag Jekyll 3.10 registers on Liquid 4.0.4.
pub const REGISTRY: &[(&str, ParseFn)] = &[
    ("assign", variables::parse_assign),
    ("capture", variables::parse_capture),
    ("increment", variables::parse_increment),
    ("decrement", variables::parse_decrement),
    ("if", control::parse_if),
    ("unless", control::parse_unless),
    ("case", control::parse_case),
    ("for", iteration::parse_for),
    ("break", iteration::parse_break),
    ("continue", iteration::parse_continue),
    ("tablerow", iteration::parse_tablerow),
    ("cycle", iteration::parse_cycle),
    ("comment", misc::parse_comment),
    ("raw", misc::parse_raw),
    ("ifchanged", misc::parse_ifchanged),
    ("include", jekyll::parse_include),
    ("include_relative", jekyll::parse_include_relative),
    ("link", jekyll::parse_link),
    ("post_url", jekyll::parse_post_url),
    ("highlight", jekyll::parse_highlight),
];

pub fn lookup(name: &str) -> Option<ParseFn> {
    REGISTRY.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// Liquid's `Block#unknown_tag` error for a tag the block does not handle.
pub(crate) fn unknown_tag(block_name: &str, end: &EndTag) -> LiquidError {
    let msg = if end.name == "else" {
        format!("{block_name} tag does not expect 'else' tag")
    } else if end.name.starts_with("end") {
        format!(
            "'{}' is not a valid delimiter for {block_name} tags. use end{block_name}",
            end.name
        )
    } else {
        format!("Unknown tag '{}'", end.name)
    };
    LiquidError::syntax(msg).with_line(end.line)
}

/// Parses a body and requires it to end with a tag (not the end of the template).
pub(crate) fn body_until_tag(p: &mut Parser<'_>, block_name: &str) -> LResult<(Body, EndTag)> {
    let (body, end) = p.parse_body()?;
    match end {
        Some(e) => Ok((body, e)),
        None => Err(
            LiquidError::syntax(format!("'{block_name}' tag was never closed")).with_line(p.line()),
        ),
    }
}

/// Parses a simple block (one body, ended by `end<name>`).
pub(crate) fn simple_block(p: &mut Parser<'_>, block_name: &str) -> LResult<Body> {
    let (body, end) = body_until_tag(p, block_name)?;
    if end.name == format!("end{block_name}") {
        Ok(body)
    } else {
        Err(unknown_tag(block_name, &end))
    }
}
