//! The command line: parses arguments and hands each subcommand to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Add the registry (layouts, includes, assets, config, workflow) to an existing Jekyll site.
    Init(static_registry::init::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: static_registry::Result<()> = match &cli.command {
        Command::Add(args) => static_registry::add::run(&cli.source, args),
        Command::Generate(args) => static_registry::generate::run(&cli.source, args),
        Command::Init(args) => static_registry::init::run(&cli.source, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code() as u8)
        }
    }
}
