//! One module per subcommand; each turns parsed arguments into library calls and printed output.

mod activation;
mod data;
mod datasets;
mod effect;
mod explain;
mod explain_point;
mod geometry;
mod interactions;
mod kinks;
mod model;
mod neuron;
mod neurons;
mod page;
mod predict;
mod regions;
mod tour;
mod train;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Activation(args) => activation::run(&args),
        Command::Tour(args) => tour::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Predict(args) => predict::run(&args),
        Command::Datasets(args) => datasets::run(&args),
        Command::Kinks(args) => kinks::run(&args),
        Command::Regions(args) => regions::run(&args),
        Command::ExplainPoint(args) => explain_point::run(&args),
        Command::Effect(args) => effect::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Neuron(args) => neuron::run(&args),
        Command::Interactions(args) => interactions::run(&args),
        Command::Neurons(args) => neurons::run(&args),
    }
}
