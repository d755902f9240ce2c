//! `relulens.Mlp`: a network with what it needs to speak the user's language (feature names, task,
//! class labels, input standardisation, history) — the library's `Model`, with the methods that
//! train it, save it and explain it. Each method converts its arguments and calls the module of
//! this crate that mirrors the library's (`train`, `io`, `explain`, `nn`).
//!
//! ```python
//! model = relulens.Mlp([2, 16, 1], activation="relu", seed=0)
//! history = model.fit(X, y, task="binary", epochs=50)
//! logits = model.predict(X)
//! ```

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use relulens::activation::Activation;
use relulens::model::{Dtype, Model, ModelInfo};
use relulens::nn::MlpConfig;

use crate::convert::{matrix, to_array, Count, Number, Text};
use crate::error::{error, guard, IntoPy, Kind};
use crate::{explain, io, nn, report, train};

/// The most parameters `Mlp(sizes)` creates (weights and biases, all layers): 100 million, as the
/// CLI allows; a mistyped size is refused instead of exhausting memory.
const MAX_PARAMETERS: u128 = 100_000_000;

/// Layer widths, input first and output last: a sequence of positive integers.
pub struct Sizes(pub Vec<usize>);

impl<'a, 'py> FromPyObject<'a, 'py> for Sizes {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let refuse = || {
            error(
                Kind::Dtype,
                "Mlp: sizes must be a sequence of integers, such as [2, 16, 1]",
            )
        };
        if obj.is_instance_of::<pyo3::types::PyString>() {
            return Err(refuse());
        }
        let mut sizes = Vec::new();
        for item in obj.try_iter().map_err(|_| refuse())? {
            let Count(n) = item?.extract::<Count>().map_err(|_| refuse())?;
            sizes.push(usize::try_from(n).map_err(|_| refuse())?);
        }
        Ok(Sizes(sizes))
    }
}

/// A multi-layer perceptron and its description.
#[pyclass(module = "relulens", name = "Mlp")]
pub struct Mlp {
    pub(crate) model: Model,
    /// The hidden activation training uses (kept apart for a network with no hidden layer).
    pub(crate) activation: Activation,
    /// The seed of the initialisation, split and shuffle of `fit`.
    pub(crate) seed: u64,
    /// The last `fit`'s history, with its best epoch and early stop.
    pub(crate) history: Option<relulens::train::History>,
}

impl Mlp {
    /// Wraps a model that comes from a file or from PyTorch.
    pub(crate) fn from_model(model: Model) -> Mlp {
        let activations = model.mlp().activations();
        let activation = if activations.len() > 1 {
            activations[0]
        } else {
            Activation::Relu
        };
        Mlp {
            model,
            activation,
            seed: 0,
            history: None,
        }
    }
}

/// `Mlp(sizes)`'s checks: at least an input and an output size, all positive, not too many
/// parameters.
fn check_sizes(sizes: &[usize]) -> PyResult<()> {
    let parameters: u128 = sizes
        .windows(2)
        .map(|w| (w[0] as u128 + 1) * w[1] as u128)
        .sum();
    if parameters > MAX_PARAMETERS {
        return Err(error(
            Kind::Network,
            format!(
                "Mlp: sizes {sizes:?} make {parameters} parameters, more than the \
                 {MAX_PARAMETERS} allowed"
            ),
        ));
    }
    Ok(())
}

#[pymethods]
impl Mlp {
    /// A network with layer widths `sizes` (input first), the hidden `activation` (a name such as
    /// `"relu"` or `"leaky_relu(negative_slope=0.2)"`), initialised as PyTorch's `nn.Linear` from
    /// `seed`. Parameters are float32, as PyTorch's defaults.
    #[new]
    #[pyo3(signature = (sizes, activation = None, seed = None), text_signature = "(sizes, activation='relu', seed=0)")]
    fn new(sizes: Sizes, activation: Option<Text>, seed: Option<Count>) -> PyResult<Self> {
        let activation: Activation = match activation {
            Some(Text(text)) => text.parse().py_err()?,
            None => Activation::Relu,
        };
        let seed = seed.map_or(0, |c| c.0);
        check_sizes(&sizes.0)?;
        let mlp = MlpConfig::new(sizes.0)
            .activation(activation)
            .seed(seed)
            .init::<f32>()
            .py_err()?;
        Ok(Mlp {
            model: Model::new(mlp.cast(), Dtype::F32, ModelInfo::default()).py_err()?,
            activation,
            seed,
            history: None,
        })
    }

    /// Layer widths, input first.
    #[getter]
    fn sizes(&self) -> Vec<usize> {
        self.model.mlp().sizes()
    }

    /// The hidden activation, as text (`"relu"`, `"leaky_relu(negative_slope=0.2)"`).
    #[getter]
    fn activation(&self) -> String {
        self.activation.to_string()
    }

    /// The seed `fit` uses for the initialisation, the validation split and the shuffle.
    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    /// The input features' names (`x0`, `x1`, … unless the data named them).
    #[getter]
    fn feature_names(&self) -> Vec<String> {
        self.model.feature_names().to_vec()
    }

    /// The target's name, once trained.
    #[getter]
    fn target_name(&self) -> Option<String> {
        self.model.info().target.clone()
    }

    /// `"regression"`, `"binary"` or `"multiclass"`, once trained (or loaded with a task).
    #[getter]
    fn task(&self) -> Option<String> {
        self.model.info().task.map(|t| t.to_string())
    }

    /// The class labels in output order, for classification.
    #[getter]
    fn class_labels(&self) -> Vec<String> {
        self.model.info().class_labels.clone()
    }

    /// The dtype the parameters were trained or stored in: float16, bfloat16, float32 or float64.
    #[getter]
    fn dtype(&self) -> &'static str {
        nn::dtype_name(self.model.dtype())
    }

    /// The number of weights and biases.
    #[getter]
    fn num_params(&self) -> usize {
        self.model.mlp().num_params()
    }

    /// The input standardisation `(mean, std)` applied before the network, or `None`.
    #[getter]
    fn scaler<'py>(&self, py: Python<'py>) -> Option<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        self.model.info().scaler.as_ref().map(|s| {
            (
                to_array(py, s.mean().to_vec(), &[s.mean().len()]).into_any(),
                to_array(py, s.std().to_vec(), &[s.std().len()]).into_any(),
            )
        })
    }

    /// The last training's per-epoch metrics, or `None` for a network never trained.
    #[getter]
    fn history(&self, py: Python<'_>) -> PyResult<Option<Py<train::History>>> {
        train::history_of(py, self)
    }

    /// Each layer's weight `[out, in]` (float64), of the network on raw inputs: a standardisation is
    /// folded into the first layer, so `x @ W.T + b` chains reproduce `predict`.
    #[getter]
    fn weights<'py>(&self, py: Python<'py>) -> Vec<Bound<'py, PyAny>> {
        nn::weights(py, &self.model.folded())
    }

    /// Each layer's bias `[out]` (float64), of the network on raw inputs.
    #[getter]
    fn biases<'py>(&self, py: Python<'py>) -> Vec<Bound<'py, PyAny>> {
        nn::biases(py, &self.model.folded())
    }

    /// The network's outputs for the rows of `X` (`[rows, features]`, or one row `[features]`):
    /// values for regression, logits for classification, `[rows, outputs]` (or `[outputs]`).
    // `X`, scikit-learn's name for the inputs, so `predict(X=...)` works too.
    #[pyo3(signature = (X), text_signature = "(self, X)")]
    #[allow(non_snake_case)]
    fn predict<'py>(&self, py: Python<'py>, X: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        guard("predict", || {
            let in_dim = self.model.mlp().in_dim();
            let (values, rows, _, one_row) = matrix("predict", "X", X, Some(in_dim))?;
            let model = &self.model;
            let outputs = py.detach(|| model.predict(&values, rows)).py_err()?;
            let out_dim = self.model.mlp().out_dim();
            Ok(if one_row {
                to_array(py, outputs, &[out_dim]).into_any()
            } else {
                to_array(py, outputs, &[rows, out_dim]).into_any()
            })
        })
    }

    /// Trains the network on `X` (`[rows, features]`) and `y` (one target per row), or on a
    /// `relulens.datasets.Dataset` given alone, and returns the `History`.
    ///
    /// Like scikit-learn's `fit`, training starts from the initialisation given by `seed` (not
    /// from the current weights); the seed also draws the validation split and the shuffle. Inputs
    /// are standardised on the training part (`standardize=True`), the loss follows the task (MSE,
    /// BCE with logits, cross-entropy), and the network is trained in float32.
    ///
    /// `task` is inferred when not given: float targets are regression, integer, boolean or
    /// string targets are classes (binary for two, multiclass for more). `validation` is the
    /// fraction of rows held out; `patience` stops early when the validation loss has not improved
    /// for that many epochs, keeping the best weights.
    #[pyo3(signature = (
        X, y = None, *, task = None, epochs = None, batch_size = None, lr = None, optimizer = None,
        validation = None, standardize = true, patience = None, feature_names = None,
        target_name = None, class_labels = None
    ), text_signature = "(self, X, y=None, *, task=None, epochs=200, batch_size=32, lr=0.01, \
        optimizer='adam', validation=0.2, standardize=True, patience=None, feature_names=None, \
        target_name=None, class_labels=None)")]
    #[allow(clippy::too_many_arguments, non_snake_case)]
    fn fit(
        slf: &Bound<'_, Self>,
        X: &Bound<'_, PyAny>,
        y: Option<&Bound<'_, PyAny>>,
        task: Option<Text>,
        epochs: Option<Count>,
        batch_size: Option<Count>,
        lr: Option<Number>,
        optimizer: Option<Text>,
        validation: Option<Number>,
        standardize: bool,
        patience: Option<Count>,
        feature_names: Option<&Bound<'_, PyAny>>,
        target_name: Option<Text>,
        class_labels: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<train::History>> {
        let settings = train::Settings {
            task,
            epochs,
            batch_size,
            lr,
            optimizer,
            validation,
            standardize,
            patience,
            feature_names,
            target_name,
            class_labels,
        };
        guard("fit", || train::fit(slf, X, y, settings))
    }

    /// Saves the model as safetensors with PyTorch's `nn.Sequential` names (`0.weight`, …) and
    /// its description in the metadata; the file is replaced atomically.
    #[pyo3(text_signature = "(self, path)")]
    fn save(&self, path: io::PathArg) -> PyResult<()> {
        guard("save", || io::save(&self.model, &path))
    }

    /// The model in a file written by `save`, by the CLI, or saved from a PyTorch
    /// `nn.Sequential(Linear, ReLU, …, Linear)` state dict.
    #[classmethod]
    #[pyo3(text_signature = "(path)")]
    fn load(_cls: &Bound<'_, PyType>, path: io::PathArg) -> PyResult<Mlp> {
        guard("load", || io::load(&path))
    }

    /// The parameters under PyTorch's `nn.Sequential` names (`"0.weight"`, `"0.bias"`, `"2.weight"`,
    /// …), as float64 arrays of the network on raw inputs.
    fn state_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        nn::state_dict(py, &self.model.folded())
    }

    /// Every kink of the network along the segment from `start` to `end` (each a full input, or a
    /// dict of feature values with the others at their typical values), with the affine pieces
    /// between them.
    #[pyo3(text_signature = "(self, start, end)")]
    fn kinks(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
    ) -> PyResult<Py<explain::Kinks>> {
        guard("kinks", || explain::kinks(py, &self.model, start, end))
    }

    /// The exact linear regions on the plane of features `x` and `y` (names or indices; the first
    /// two by default) over `bounds` `[[x0, x1], [y0, y1]]` (the training ranges by default), the
    /// other features held at `at` (a dict; typical values by default).
    #[pyo3(signature = (x = None, y = None, bounds = None, at = None, max_regions = None),
        text_signature = "(self, x=None, y=None, bounds=None, at=None, max_regions=1000000)")]
    fn regions(
        &self,
        py: Python<'_>,
        x: Option<&Bound<'_, PyAny>>,
        y: Option<&Bound<'_, PyAny>>,
        bounds: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        max_regions: Option<Count>,
    ) -> PyResult<Py<explain::Regions>> {
        guard("regions", || {
            explain::regions(py, &self.model, x, y, bounds, at, max_regions)
        })
    }

    /// The exact decision boundary on the same plane as `regions`: where the logit is 0 (binary),
    /// where the arg-max class changes (multiclass), or, with `level`, where output `output`
    /// equals `level` (a regression's level set).
    #[pyo3(signature = (x = None, y = None, bounds = None, at = None, level = None, output = None,
        max_regions = None),
        text_signature = "(self, x=None, y=None, bounds=None, at=None, level=None, output=0, \
        max_regions=1000000)")]
    #[allow(clippy::too_many_arguments)]
    fn decision_boundary(
        &self,
        py: Python<'_>,
        x: Option<&Bound<'_, PyAny>>,
        y: Option<&Bound<'_, PyAny>>,
        bounds: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
        level: Option<Number>,
        output: Option<Count>,
        max_regions: Option<Count>,
    ) -> PyResult<Py<explain::Boundary>> {
        guard("decision_boundary", || {
            let regions = explain::regions(py, &self.model, x, y, bounds, at, max_regions)?;
            let regions = regions.borrow(py);
            explain::boundary_of(py, &regions, level, output)
        })
    }

    /// The network explained at one point `at` (a full input, or a dict of feature values with the
    /// others at their typical values): its outputs, the exact affine map of the point's linear
    /// region (`jacobian`, every input's exact local slope), which hidden units are on, and per
    /// input the nearest kinks below and above, searched within `radius` (one number, or one per
    /// input; by default twice each input's typical width).
    #[pyo3(signature = (at, radius = None), text_signature = "(self, at, radius=None)")]
    fn explain_point(
        &self,
        py: Python<'_>,
        at: &Bound<'_, PyAny>,
        radius: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<explain::local::LocalExplanation>> {
        guard("explain_point", || {
            explain::local::explain_point(py, &self.model, at, radius)
        })
    }

    /// The exact effect ∂output/∂`of` as feature `along` sweeps `range` (`[low, high]`; its typical
    /// range by default), the other features held at `at` (a full input or a dict; typical values
    /// by default): piecewise constant, as arrays `starts`, `ends` and `effects`.
    #[pyo3(signature = (of, along, at = None, range = None, output = None),
        text_signature = "(self, of, along, at=None, range=None, output=0)")]
    fn effect_curve(
        &self,
        py: Python<'_>,
        of: &Bound<'_, PyAny>,
        along: &Bound<'_, PyAny>,
        at: Option<&Bound<'_, PyAny>>,
        range: Option<&Bound<'_, PyAny>>,
        output: Option<Count>,
    ) -> PyResult<Py<explain::effect::EffectCurve>> {
        guard("effect_curve", || {
            explain::effect::effect_curve(py, &self.model, of, along, at, range, output)
        })
    }

    /// Friedman's H-statistic and the exact gradient measure for every pair of inputs over the rows
    /// of `X` (`[rows, features]`, raw units), ranked both ways. At most `max_rows` rows are used
    /// (drawn with `seed` when there are more); the gradient measure sweeps `ranges`
    /// (`[features, 2]`; the data's minimum and maximum by default).
    #[pyo3(signature = (X, output = None, max_rows = None, seed = None, ranges = None),
        text_signature = "(self, X, output=0, max_rows=300, seed=0, ranges=None)")]
    #[allow(non_snake_case)]
    fn interactions(
        &self,
        py: Python<'_>,
        X: &Bound<'_, PyAny>,
        output: Option<Count>,
        max_rows: Option<Count>,
        seed: Option<Count>,
        ranges: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<explain::interactions::Interactions>> {
        guard("interactions", || {
            explain::interactions::interactions(py, &self.model, X, output, max_rows, seed, ranges)
        })
    }

    /// Neuron health: each hidden unit's activation rate and dead or always-active units on the
    /// rows of `X` (when given), and units proved dead or always active on the box `bounds`
    /// (`[features, 2]`, or a dict `{feature: (low, high) or value}` narrowing or fixing features;
    /// every feature's typical range by default) — by interval bounds, exactly when at most two
    /// features vary.
    #[pyo3(signature = (X = None, bounds = None), text_signature = "(self, X=None, bounds=None)")]
    #[allow(non_snake_case)]
    fn neurons(
        &self,
        py: Python<'_>,
        X: Option<&Bound<'_, PyAny>>,
        bounds: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<explain::health::NeuronHealth>> {
        guard("neurons", || {
            explain::health::neurons(py, &self.model, X, bounds)
        })
    }

    /// Writes the page `relulens explain` writes — the model, its training, each input's exact
    /// kinks, the regions and decision boundary of features `x` and `y` (by default the pair that
    /// interacts most), effect curves, interactions and neuron health — to `dir/index.html`, making
    /// `dir` if missing (not its parents), and returns that path. `data` is a `Dataset` or a pair
    /// `(X, y)` with the model's features; by default the built-in set the model was trained on,
    /// if any, drawn with `seed` (which also seeds the interactions' row sample).
    #[pyo3(signature = (dir, data = None, *, x = None, y = None, seed = None),
        text_signature = "(self, dir, data=None, *, x=None, y=None, seed=0)")]
    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        py: Python<'_>,
        dir: io::PathArg,
        data: Option<&Bound<'_, PyAny>>,
        x: Option<&Bound<'_, PyAny>>,
        y: Option<&Bound<'_, PyAny>>,
        seed: Option<Count>,
    ) -> PyResult<std::path::PathBuf> {
        guard("report", || {
            report::report(py, &self.model, &dir.0, data, x, y, seed)
        })
    }

    /// The model built from a PyTorch module (an `nn.Sequential` of `Linear` layers and
    /// activations) or a state dict (of tensors or arrays, `nn.Sequential` names). PyTorch is
    /// imported only here, and only for a module.
    #[classmethod]
    #[pyo3(signature = (module_or_state_dict, activation = None),
        text_signature = "(module_or_state_dict, activation='relu')")]
    fn from_torch<'py>(
        cls: &Bound<'py, PyType>,
        module_or_state_dict: &Bound<'py, PyAny>,
        activation: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let interop = cls.py().import("relulens._torch")?;
        interop.call_method1("from_torch", (cls, module_or_state_dict, activation))
    }

    /// The network as a PyTorch `nn.Sequential` (on raw inputs), in the model's dtype or `dtype`.
    #[pyo3(signature = (dtype = None), text_signature = "(self, dtype=None)")]
    fn to_torch<'py>(
        slf: &Bound<'py, Self>,
        dtype: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let interop = slf.py().import("relulens._torch")?;
        interop.call_method1("to_torch", (slf, dtype))
    }

    /// Builds a model from per-layer weights `[out, in]`, biases `[out]` and activation names
    /// (one per layer, the last usually `"identity"`); used by `from_torch`.
    #[classmethod]
    #[pyo3(signature = (weights, biases, activations, dtype = None, feature_names = None))]
    fn _from_layers(
        _cls: &Bound<'_, PyType>,
        weights: &Bound<'_, PyAny>,
        biases: &Bound<'_, PyAny>,
        activations: &Bound<'_, PyAny>,
        dtype: Option<Text>,
        feature_names: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Mlp> {
        guard("from_torch", || {
            nn::from_layers(weights, biases, activations, dtype, feature_names)
        })
    }

    /// Per layer: `(weight, bias, activation name, activation parameters)`, of the network on raw
    /// inputs; used by `to_torch`.
    fn _layers<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        nn::layers(py, &self.model.folded())
    }

    fn __repr__(&self) -> String {
        let mlp = self.model.mlp();
        let sizes: Vec<String> = mlp.sizes().iter().map(|s| s.to_string()).collect();
        let mut text = format!("Mlp({}, {}", sizes.join("-"), self.activation);
        let info = self.model.info();
        if let Some(task) = info.task {
            text.push_str(&format!(", {task}"));
        }
        if info.task.is_some()
            || self
                .model
                .feature_names()
                .iter()
                .enumerate()
                .any(|(i, f)| *f != format!("x{i}"))
        {
            text.push_str(&format!(" on {}", self.model.feature_names().join(", ")));
        }
        if info.scaler.is_some() {
            text.push_str(", standardized");
        }
        text.push(')');
        text
    }
}
