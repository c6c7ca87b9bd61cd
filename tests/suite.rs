//! The integration tests, as one test binary.
//!
//! Each file beside this one tests one module or command, as a module of this crate, and they
//! share the helpers in `common/`, `site_support/` and `ui_common/`. They are one binary rather
//! than one per file because every binary links the whole tool and its dependencies: 37 of
//! them took ~1 GB of disk and most of the build's link time. Run one file's tests with
//! `cargo test --test suite <file>::`, e.g. `cargo test --test suite site_parity::`.

mod common;
mod site_support;
mod ui_common;

mod add_cli;
mod build_pipeline;
mod build_shards_faults;
mod generate_cache;
mod generate_cycle;
mod generate_jekyll_real;
mod highlight_rouge_diff;
mod init_cli;
mod liquid_cli;
mod liquid_golden;
mod liquid_jekyll_filters;
mod liquid_props;
mod markdown_conformance;
mod markdown_fixtures;
mod markdown_kramdown_diff;
mod markdown_props;
mod publish_clients;
mod registry_errors;
mod registry_example;
mod sass_fixtures;
mod serve_clients;
mod site_check;
mod site_errors;
mod site_jekyll_filters;
mod site_live_jekyll;
mod site_parity;
mod site_serve;
mod storage_cloud;
mod storage_pages;
mod ui_baseurl;
mod ui_browser;
mod ui_clients;
mod ui_escaping;
mod ui_hosting;
mod validate_records;
mod workflow_registry;
mod yaml_out_props;
