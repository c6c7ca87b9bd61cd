//! The command line: parses arguments and hands each subcommand to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// mimalloc instead of glibc's malloc: see `static_registry::alloc`.
#[global_allocator]
static GLOBAL: static_registry::alloc::Allocator = static_registry::alloc::Allocator;

#[derive(Parser)]
#[command(
    name = "static-registry",
    version,
    about = "A static container registry rendered by GitHub Pages"
)]
struct Cli {
    /// The site root (the registry repository), like Jekyll's --source.
    #[arg(short = 's', long = "source", global = true, default_value = ".")]
    source: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Record an image for NS/NAME:TAG: store its blob, write its build record.
    Add(static_registry::add::Args),
    /// Write the generated site files from recipes and build records (--check: diff only).
    Generate(static_registry::generate::Args),
    /// Render a Liquid template as a page of the site and print the output.
    Liquid(static_registry::liquid::cli::Args),
    /// Build recipes that have no build record, upload the images, write the records.
    Build(static_registry::build::Args),
    /// Upload the registry API (v2/) to the storage bucket, for OCI clients.
    Publish(static_registry::publish::Args),
    /// Check every build record (--remote: download and verify every blob).
    Validate(static_registry::validate::Args),
    /// Download an image from a registry site, verifying size and sha256.
    Pull(static_registry::pull::Args),
    /// Render the site like GitHub Pages' Jekyll build (--check: compare with an existing tree).
    Render(static_registry::site::Args),
    /// Generate, render and serve the site on 127.0.0.1 (rebuilds on change).
    Serve(static_registry::site::serve::Args),
    /// Add the registry (layouts, includes, assets, config, workflow) to an existing Jekyll site.
    Init(static_registry::init::Args),
}

fn main() -> ExitCode {
    static_registry::alloc::tune();
    let cli = Cli::parse();
    // Where it was measured to help (see `alloc::no_huge_pages`): the site commands. Not
    // `generate`, whose edit run was ~5% slower without, nor `build`, whose builders would
    // inherit it.
    if matches!(cli.command, Command::Render(_) | Command::Serve(_)) {
        static_registry::alloc::no_huge_pages();
    }
    let result: static_registry::Result<()> = match &cli.command {
        Command::Add(args) => static_registry::add::run(&cli.source, args),
        Command::Generate(args) => static_registry::generate::run(&cli.source, args),
        Command::Liquid(args) => static_registry::liquid::cli::run(&cli.source, args),
        Command::Build(args) => static_registry::build::run(&cli.source, args),
        Command::Publish(args) => static_registry::publish::run(&cli.source, args),
        Command::Validate(args) => static_registry::validate::run(&cli.source, args),
        Command::Pull(args) => static_registry::pull::run(&cli.source, args),
        Command::Render(args) => static_registry::site::run(&cli.source, args),
        Command::Serve(args) => static_registry::site::serve::run(&cli.source, args),
        Command::Init(args) => static_registry::init::run(&cli.source, args),
    };
    static_registry::alloc::exiting();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code() as u8)
        }
    }
}
