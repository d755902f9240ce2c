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
    /// A guided tour of ReLU, written as one self-contained HTML page (DIR/index.html).
    Tour(TourArgs),
    /// Train a network on a built-in data set or a CSV file and save it.
    Train(TrainArgs),
    /// Predict with a saved model (ours or a PyTorch state dict) on a CSV file or built-in set.
    Predict(PredictArgs),
    /// List the built-in data sets.
    Datasets(DatasetsArgs),
    /// Exact kinks of a model along a segment, and the affine pieces between them.
    Kinks(KinksArgs),
    /// Exact linear regions of a model on a 2-D slice, and its decision boundary.
    Regions(RegionsArgs),
    /// A model explained at one point: outputs, exact local slopes, units on, distance to kinks.
    ExplainPoint(ExplainPointArgs),
    /// The exact effect of one input as another sweeps its range: the article's interaction.
    Effect(EffectArgs),
    /// A model explained on one self-contained HTML page: regions, boundary, kinks, effects, health.
    Explain(ExplainArgs),
    /// The article's single node relu(w·x + b): each input's share, on or off, where it switches.
    Neuron(NeuronArgs),
    /// Every pair of a model's inputs ranked by interaction strength over a data set.
    Interactions(InteractionsArgs),
    /// Dead and always-active hidden units, on a data set and (provably) over a box of inputs.
    Neurons(NeuronsArgs),
}

/// `relulens neuron`.
#[derive(Debug, Args)]
pub struct NeuronArgs {
    /// The inputs and their weights, NAME=WEIGHT,… (for example A=2,B=3).
    #[arg(
        long,
        value_delimiter = ',',
        allow_hyphen_values = true,
        required = true
    )]
    pub weights: Vec<String>,
    /// The bias.
    #[arg(long, allow_negative_numbers = true, default_value_t = 0.0)]
    pub bias: f64,
    /// The point, NAME=VALUE for every input (for example A=1,B=-100).
    #[arg(
        long,
        value_delimiter = ',',
        allow_hyphen_values = true,
        required = true
    )]
    pub at: Vec<String>,
    /// The activation: relu, leaky_relu, prelu or relu6 (with parameters: "leaky_relu(negative_slope=0.1)").
    #[arg(long, default_value = "relu")]
    pub activation: String,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `relulens interactions`.
#[derive(Debug, Args)]
pub struct InteractionsArgs {
    /// The model file (ours, or a PyTorch Sequential state dict in safetensors).
    pub model: std::path::PathBuf,
    /// A built-in data set or a CSV file with the model's feature columns.
    #[arg(long)]
    pub data: String,
    /// The seed to draw a synthetic built-in set with, and to sample the rows used.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The most rows used (the H-statistic costs rows² evaluations per pair).
    #[arg(long, default_value_t = 300)]
    pub max_rows: usize,
    /// The output explained (the logit, for a binary classifier).
    #[arg(long, default_value_t = 0)]
    pub output: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `relulens neurons`.
#[derive(Debug, Args)]
pub struct NeuronsArgs {
    /// The model file (ours, or a PyTorch Sequential state dict in safetensors).
    pub model: std::path::PathBuf,
    /// A built-in data set or a CSV file with the model's feature columns: activation rates.
    #[arg(long)]
    pub data: Option<String>,
    /// The seed to draw a synthetic built-in set with.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The box, FEATURE=LOW:HIGH,… (features not named span the training range, widened 5%), or
    /// LOW:HIGH,… by position for every feature.
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    pub bounds: Vec<String>,
    /// Features fixed in the box, FEATURE=VALUE,…; with at most two features free the analysis
    /// is exact.
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    pub at: Vec<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `relulens kinks`.
#[derive(Debug, Args)]
pub struct KinksArgs {
    /// The model file (ours, or a PyTorch Sequential state dict in safetensors).
    pub model: std::path::PathBuf,
    /// The segment's start: one value per input, comma-separated.
    // `allow_hyphen_values`: clap's `allow_negative_numbers` takes `-1` but not `-1,0`.
    #[arg(
        long,
        value_delimiter = ',',
        allow_hyphen_values = true,
        required = true
    )]
    pub from: Vec<f64>,
    /// The segment's end.
    #[arg(
        long,
        value_delimiter = ',',
        allow_hyphen_values = true,
        required = true
    )]
    pub to: Vec<f64>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `relulens explain-point`.
#[derive(Debug, Args)]
pub struct ExplainPointArgs {
    /// The model file (ours, or a PyTorch Sequential state dict in safetensors).
    pub model: std::path::PathBuf,
    /// The point, F=V,… (features not given take their training medians).
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    pub at: Vec<String>,
    /// How far to search for the nearest kinks on either side, in each feature's units: F=R,…,
    /// and a bare R for every feature not named (default: twice each feature's training range).
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    pub radius: Vec<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `relulens effect`.
#[derive(Debug, Args)]
pub struct EffectArgs {
    /// The model file (ours, or a PyTorch Sequential state dict in safetensors).
    pub model: std::path::PathBuf,
    /// The input whose effect is measured.
    #[arg(long)]
    pub of: String,
    /// The input that sweeps its range.
    #[arg(long)]
    pub along: String,
    /// Values of the other inputs, F=V,… (default: the training medians).
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    pub at: Vec<String>,
    /// The range of the swept input, A:B (default: its training range, widened 5%).
    #[arg(long, allow_hyphen_values = true)]
    pub range: Option<String>,
    /// Which output (default the first).
    #[arg(long, default_value_t = 0)]
    pub output: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `relulens regions`.
#[derive(Debug, Args)]
pub struct RegionsArgs {
    /// The model file (ours, or a PyTorch Sequential state dict in safetensors).
    pub model: std::path::PathBuf,
    /// The feature on the horizontal axis (default: the first that is not --y).
    #[arg(long)]
    pub x: Option<String>,
    /// The feature on the vertical axis (default: the first that is not --x).
    #[arg(long)]
    pub y: Option<String>,
    /// The rectangle, X0:X1,Y0:Y1 or by name X=LOW:HIGH,Y=LOW:HIGH; named features are the
    /// axes unless --x/--y say otherwise (default: the training ranges, widened 5%).
    #[arg(long, allow_hyphen_values = true)]
    pub bounds: Option<String>,
    /// Values of the other features, F=V,… (default: the training medians).
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    pub at: Vec<String>,
    /// For a regression model: the level whose exact level set is traced as the boundary.
    #[arg(long, allow_hyphen_values = true)]
    pub level: Option<f64>,
    /// Stop with an error past this many regions.
    #[arg(long, default_value_t = 1_000_000)]
    pub max_regions: usize,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write every region in full, and the boundary, to this JSON file.
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Where training data comes from.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// A built-in data set (see `relulens datasets`) or a CSV file with a header row.
    #[arg(long, default_value = "height_weight")]
    pub data: String,
    /// Feature columns, comma-separated (default: every column but the target).
    #[arg(long, value_delimiter = ',')]
    pub features: Vec<String>,
    /// The target column of a CSV file (default: its last column).
    #[arg(long)]
    pub target: Option<String>,
    /// regression, binary or multiclass (default: inferred from the target column).
    #[arg(long)]
    pub task: Option<String>,
    /// Drop CSV rows with a missing value (empty, NA, N/A, NaN, null) in a used column, instead of
    /// refusing the file.
    #[arg(long)]
    pub drop_missing: bool,
}

/// `relulens train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Hidden layer widths, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "16,16")]
    pub hidden: Vec<usize>,
    /// The hidden activation (see `relulens activation --help`).
    #[arg(long, default_value = "relu")]
    pub activation: String,
    /// Passes over the training set.
    #[arg(long, default_value_t = 200)]
    pub epochs: usize,
    /// Rows per minibatch.
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Learning rate.
    #[arg(long, allow_negative_numbers = true, default_value_t = 0.01)]
    pub lr: f64,
    /// adam, adamw or sgd.
    #[arg(long, default_value = "adam")]
    pub optimizer: String,
    /// Seed of the initialisation, the validation split and the shuffle.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Fraction of rows held out for validation, in [0, 1).
    #[arg(long, allow_negative_numbers = true, default_value_t = 0.2)]
    pub validation: f64,
    /// Stop when the validation loss has not improved for this many epochs, keeping the best
    /// weights (0: train every epoch; without a validation split there is nothing to watch).
    #[arg(long, default_value_t = 20)]
    pub patience: usize,
    /// Where to save the model (safetensors, PyTorch Sequential names); its directory must exist.
    #[arg(long, default_value = "model.safetensors")]
    pub out: std::path::PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `relulens predict`.
#[derive(Debug, Args)]
pub struct PredictArgs {
    /// The model file.
    pub model: std::path::PathBuf,
    /// A CSV file with the model's feature columns, or a built-in data set. When the model's target
    /// column is there too, the accuracy (or, for regression, the mean squared error) is reported.
    #[arg(long)]
    pub data: String,
    /// The seed to draw a synthetic built-in set with; one other than the training seed gives rows
    /// the model has not seen.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// How to read the outputs: binary (one logit, or two outputs), multiclass (one output per
    /// class) or regression (the values). Needed for a state dict without relulens metadata, whose
    /// raw outputs are printed otherwise; must agree with a model file that records its task.
    #[arg(long)]
    pub task: Option<String>,
    /// Print one JSON object instead of CSV.
    #[arg(long)]
    pub json: bool,
}

/// `relulens datasets`.
#[derive(Debug, Args)]
pub struct DatasetsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
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
    /// The directory to write index.html into (made if missing).
    #[arg(long, default_value = "relulens-tour")]
    pub out: std::path::PathBuf,
    /// The seed of the data and of training.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also write each figure as a PNG next to index.html (SECTION-N.png, twice the page's pixel
    /// size, text set in the bundled DejaVu Sans).
    #[arg(long)]
    pub png: bool,
    /// No progress messages, and only the page's path on success.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `relulens explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The model file (ours, or a PyTorch Sequential state dict in safetensors). Without one, a
    /// network is trained on height_weight (seed 0) and explained.
    pub model: Option<std::path::PathBuf>,
    /// Data for interactions, data points and neuron health: a built-in set or a CSV file with the
    /// model's feature columns (default: the built-in set the model was trained on, if any).
    #[arg(long)]
    pub data: Option<String>,
    /// The input on the horizontal axis of the 2-D views (default: the pair that interacts most).
    #[arg(long)]
    pub x: Option<String>,
    /// The input on the vertical axis.
    #[arg(long)]
    pub y: Option<String>,
    /// The directory to write index.html into (made if missing).
    #[arg(long, default_value = "relulens-explain")]
    pub out: std::path::PathBuf,
    /// The seed of a built-in data set, and of training when there is no model.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print a JSON summary instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also write each figure as a PNG next to index.html (SECTION-N.png, twice the page's pixel
    /// size, text set in the bundled DejaVu Sans).
    #[arg(long)]
    pub png: bool,
    /// No progress messages, and only the page's path on success.
    #[arg(long, short)]
    pub quiet: bool,
}
