//! The bundled Liquid engine: Liquid 4.0.4 as Jekyll 3.10 (GitHub Pages) runs it.
//!
//! Lax parsing, undefined variables and keys are nil, unknown filters pass their input
//! through, the first runtime error aborts the render (`render!`), values print the Ruby way.
//! Jekyll's tags (`include`, `include_relative`, `link`, `post_url`, `highlight`) and filters
//! are built in; whatever they need from the site goes through the [`Host`] trait.
//!
//! Use: parse once with [`Template::parse`] (callers cache templates), then render with a
//! [`Context`] per page:
//!
//! ```
//! use static_registry::liquid::{Context, FsHost, Template, Value};
//! let host = FsHost::new(".");
//! let t = Template::parse("{{ x | plus: 1 }}", "index.html").unwrap();
//! let mut ctx = Context::new(&host);
//! ctx.set_global("x", Value::Int(41));
//! assert_eq!(t.render(&mut ctx).unwrap(), "42");
//! ```
//!
//! Not for: the site model (pages, collections, layouts, permalinks: the `site` module) or
//! Markdown/Sass (reached through [`Host`] hooks).
//!
//! Hosts: the site renderer implements [`Host`] (includes from `_includes/` then the theme,
//! `link`/`post_url` lookups, config, converters, Rouge); [`FsHost`] is a small one over a plain
//! directory. `increment`/`decrement` counters live in the context's globals: keep them with
//! [`Context::take_globals`] / [`Context::with_globals`] to share them across the pages of a
//! build, as Jekyll's shared payload does.
//!
//! Known gaps (each pinned by an expected-failure entry in `tests/data/`): integers beyond
//! 64 bits (Ruby bignums), Rouge token classes (the `highlight` hook has no lexers yet).
//!
//! Layout: `lexer` (tokens and Liquid's regexes) → `parser` (nodes, expressions, line numbers)
//! → `render` (scopes, conditions, output); `tags/` and `filters/` are registries of plain
//! functions, one file per family.

pub mod cli;
mod context;
mod error;
pub mod filters;
mod host;
mod lexer;
mod parser;
mod render;
pub(crate) mod strict;
pub mod tags;
mod value;

pub use context::Context;
pub use error::{ErrorKind, LiquidError};
pub use host::{FsHost, Host};
pub use parser::Template;
pub use value::{float_to_s, inspect_str, Hash, ObjectView, Value};

impl From<LiquidError> for crate::Error {
    fn from(e: LiquidError) -> Self {
        crate::Error::Input(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn templates_and_values_can_be_shared_across_threads() {
        // The site renderer caches parsed templates and renders documents in parallel.
        send_sync::<Template>();
        send_sync::<Value>();
        send_sync::<LiquidError>();
    }
}
