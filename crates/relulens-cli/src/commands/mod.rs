//! One module per subcommand; each turns parsed arguments into library calls and printed output.

mod activation;
mod tour;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Activation(args) => activation::run(&args),
        Command::Tour(args) => tour::run(&args),
    }
}
