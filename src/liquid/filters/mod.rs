//! The filter registry: filter name → function with its arity. Liquid's standard filters
//! (`standard.rs`), arithmetic (`math.rs`), dates (`date.rs`) and Jekyll's filters
//! (`jekyll.rs`, which replace Liquid's where Jekyll overrides them, e.g. `sort`, `where`).
//!
//! A filter gets the input, the evaluated arguments (keyword arguments arrive as one trailing
//! hash, as in Ruby) and the context (for the host and for `where_exp`). Calling a filter with
//! the wrong number of arguments is an error, as Ruby's `ArgumentError`; a filter that is not
//! registered passes its input through (lax `strict_filters: false`).
//!
//! Not for: parsing filter calls (`parser.rs`).

pub mod date;
mod jekyll;
pub mod math;
mod standard;

use std::collections::HashMap;
use std::sync::OnceLock;

use super::context::Context;
use super::error::LResult;
use super::value::Value;

pub(crate) use standard::{escape_html_into, join_into};

pub type FilterFn = fn(Value, &[Value], &mut Context) -> LResult<Value>;

/// A registered filter: the function and how many arguments (after the input) it takes.
pub struct FilterDef {
    pub name: &'static str,
    pub f: FilterFn,
    pub min_args: usize,
    pub max_args: usize,
}

/// Shorthand for registry tables.
pub const fn def(name: &'static str, f: FilterFn, min_args: usize, max_args: usize) -> FilterDef {
    FilterDef {
        name,
        f,
        min_args,
        max_args,
    }
}

fn registry() -> &'static HashMap<&'static str, &'static FilterDef> {
    static R: OnceLock<HashMap<&'static str, &'static FilterDef>> = OnceLock::new();
    R.get_or_init(|| {
        let mut m = HashMap::new();
        // Later tables override earlier ones, as Jekyll's module overrides Liquid's.
        for table in [
            standard::FILTERS,
            math::FILTERS,
            date::FILTERS,
            jekyll::FILTERS,
        ] {
            for d in table {
                m.insert(d.name, d);
            }
        }
        m
    })
}

/// The filter registered under `name`, if any.
pub fn lookup(name: &str) -> Option<&'static FilterDef> {
    registry().get(name).copied()
}

/// Every registered filter name, sorted (for docs and tests).
pub fn names() -> Vec<&'static str> {
    let mut v: Vec<_> = registry().keys().copied().collect();
    v.sort();
    v
}
