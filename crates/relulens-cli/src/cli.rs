//! The command line, as clap types: what each subcommand accepts.

use clap::{Args, Parser, Subcommand};

/// ReLU and the networks built from it, explained exactly.
#[derive(Debug, Parser)]
#[command(name = "relulens", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print an activation's value and derivative at evenly spaced points.
    Activation(ActivationArgs),
    /// A guided tour of ReLU: what it is, and how its family compares.
    Tour(TourArgs),
}

/// `relulens activation NAME [--param KEY=VALUE]... --from A --to B --steps N [--json]`.
#[derive(Debug, Args)]
pub struct ActivationArgs {
    /// The activation: relu, leaky_relu, relu6, prelu, elu, selu, gelu, gelu_tanh, silu, softplus,
    /// hardswish, mish or identity (parameters may also be written inline: "elu(alpha=0.5)").
    pub name: String,
    /// A parameter, KEY=VALUE, overriding PyTorch's default (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// The first point.
    #[arg(long, allow_negative_numbers = true, default_value_t = -3.0)]
    pub from: f64,
    /// The last point.
    #[arg(long, allow_negative_numbers = true, default_value_t = 3.0)]
    pub to: f64,
    /// How many evenly spaced points, both ends included (at least 2).
    #[arg(long, default_value_t = 7)]
    pub steps: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `relulens tour`.
#[derive(Debug, Args)]
pub struct TourArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}
