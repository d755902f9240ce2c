//! A trained model: the network together with what it needs to speak the user's language — feature
//! names, class labels, the task, the input standardisation and the training history.
//!
//! The network works on standardised inputs (as it was trained); [`Model::predict`] takes raw rows,
//! and [`Model::folded`] gives the equivalent network on raw inputs, for explanations in the user's
//! units.
//!
//! ```
//! use relulens::model::{Dtype, Model, ModelInfo};
//! use relulens::nn::MlpConfig;
//! let mlp = MlpConfig::new(vec![2, 4, 1]).init::<f64>()?;
//! let model = Model::new(mlp, Dtype::F32, ModelInfo::default())?;
//! assert_eq!(model.predict(&[1.0, 2.0], 1)?.len(), 1);
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::data::{first_repeat, Standardizer, Task};
use crate::error::{Error, Result};
use crate::nn::Mlp;
use crate::train::EpochMetrics;

/// The element type a model's parameters were trained or stored in. Parameters are held in `f64`,
/// which represents every value of the other three exactly; saving writes this type back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Dtype {
    /// IEEE half precision.
    F16,
    /// bfloat16.
    BF16,
    /// Single precision, PyTorch's default.
    #[default]
    F32,
    /// Double precision.
    F64,
}

/// What a model knows besides its weights. Every field is optional: a plain PyTorch state dict has
/// none of them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ModelInfo {
    /// The input features' names, in column order (`x0`, `x1`, … when unknown).
    #[serde(default)]
    pub feature_names: Vec<String>,
    /// The target column's name.
    #[serde(default)]
    pub target: Option<String>,
    /// Regression, binary or multiclass classification.
    #[serde(default)]
    pub task: Option<Task>,
    /// The class labels, index order, for classification.
    #[serde(default)]
    pub class_labels: Vec<String>,
    /// The standardisation applied to raw inputs before the network.
    #[serde(default)]
    pub scaler: Option<Standardizer>,
    /// The name of the data set it was trained on.
    #[serde(default)]
    pub dataset: Option<String>,
    /// Each feature's median over the training rows: where explanations hold the features that
    /// are not being varied.
    #[serde(default)]
    pub feature_medians: Vec<f64>,
    /// Each feature's [min, max] over the training rows: the default extent of plots and slices.
    #[serde(default)]
    pub feature_ranges: Vec<[f64; 2]>,
    /// Per-epoch metrics of its training, when it was trained by relulens.
    #[serde(default)]
    pub history: Vec<EpochMetrics>,
}

/// A network and its description.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    mlp: Mlp<f64>,
    dtype: Dtype,
    info: ModelInfo,
}

impl Model {
    /// A model from a network on standardised inputs (or raw ones, without a scaler).
    ///
    /// Missing feature names are filled in as `x0`, `x1`, ….
    ///
    /// # Errors
    ///
    /// [`Error::InvalidNetwork`] when the feature names, class labels or scaler do not match the
    /// network's input and output widths, a feature name or class label appears twice, there is a
    /// single class label, or the task contradicts the labels or the outputs (a multiclass
    /// classifier with one output, a binary one with three, a regression with class labels).
    pub fn new(mlp: Mlp<f64>, dtype: Dtype, mut info: ModelInfo) -> Result<Self> {
        let invalid = |reason: String| Err(Error::InvalidNetwork { reason });
        if info.feature_names.is_empty() {
            info.feature_names = (0..mlp.in_dim()).map(|i| format!("x{i}")).collect();
        }
        if info.feature_names.len() != mlp.in_dim() {
            return invalid(format!(
                "{} feature names for a network with {} inputs",
                info.feature_names.len(),
                mlp.in_dim()
            ));
        }
        for (what, len) in [
            ("feature medians", info.feature_medians.len()),
            ("feature ranges", info.feature_ranges.len()),
        ] {
            if len != 0 && len != mlp.in_dim() {
                return invalid(format!(
                    "{len} {what} for a network with {} inputs",
                    mlp.in_dim()
                ));
            }
        }
        if let Some(scaler) = &info.scaler {
            if scaler.mean().len() != mlp.in_dim() {
                return invalid(format!(
                    "a scaler for {} features on a network with {} inputs",
                    scaler.mean().len(),
                    mlp.in_dim()
                ));
            }
        }
        if let Some(name) = first_repeat(&info.feature_names) {
            return invalid(format!("feature {name:?} is named twice"));
        }
        check_classes(&info, mlp.out_dim()).map_err(|reason| Error::InvalidNetwork { reason })?;
        Ok(Model { mlp, dtype, info })
    }

    /// The network, on standardised inputs when there is a scaler.
    pub fn mlp(&self) -> &Mlp<f64> {
        &self.mlp
    }

    /// The element type the parameters were trained or stored in.
    pub fn dtype(&self) -> Dtype {
        self.dtype
    }

    /// The description.
    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// The input features' names.
    pub fn feature_names(&self) -> &[String] {
        &self.info.feature_names
    }

    /// The network on raw inputs: the scaler folded exactly into the first layer.
    pub fn folded(&self) -> Mlp<f64> {
        match &self.info.scaler {
            Some(s) => self.mlp.fold_standardization(s.mean(), s.std()).expect(
                "Model::new checked the scaler's width, and a Standardizer's std is positive",
            ),
            None => self.mlp.clone(),
        }
    }

    /// Where explanations hold feature `i` when it is not varied: the training median, else the
    /// scaler's mean, else 0.
    pub fn typical_value(&self, i: usize) -> f64 {
        if let Some(m) = self.info.feature_medians.get(i) {
            return *m;
        }
        self.info.scaler.as_ref().map_or(0.0, |s| s.mean()[i])
    }

    /// The default extent of feature `i`: the training range widened by 5% on each side, else the
    /// scaler's mean ± 3 standard deviations, else [-1, 1].
    pub fn typical_range(&self, i: usize) -> [f64; 2] {
        if let Some([low, high]) = self.info.feature_ranges.get(i) {
            let pad = 0.05 * (high - low).max(f64::EPSILON * high.abs().max(1.0));
            return [low - pad, high + pad];
        }
        match &self.info.scaler {
            Some(s) => [
                s.mean()[i] - 3.0 * s.std()[i],
                s.mean()[i] + 3.0 * s.std()[i],
            ],
            None => [-1.0, 1.0],
        }
    }

    /// The network's outputs (logits for classification) for raw rows, `[batch, in_dim]`.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] when `x` does not hold `batch × in_dim` numbers.
    pub fn predict(&self, x: &[f64], batch: usize) -> Result<Vec<f64>> {
        match &self.info.scaler {
            Some(s) => {
                self.mlp.check_input("Model::predict", x.len(), batch)?;
                let mut scaled = x.to_vec();
                s.transform_rows(&mut scaled)?;
                self.mlp.forward(&scaled, batch)
            }
            None => self.mlp.forward(x, batch),
        }
    }
}

/// Whether the task, the class labels and the number of outputs agree: a binary classifier has one
/// logit (or two outputs) and two labels, a multiclass one an output and a label per class, and a
/// regression no labels. Without a task the labels, if any, are one per output, or two for one
/// output (a logit).
fn check_classes(info: &ModelInfo, outputs: usize) -> core::result::Result<(), String> {
    let labels = &info.class_labels;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if let [only] = &labels[..] {
        return Err(format!(
            "a single class label {only:?}: a classifier has at least two classes"
        ));
    }
    if let Some(label) = first_repeat(labels) {
        return Err(format!("class label {label:?} appears twice"));
    }
    let n = labels.len();
    match info.task {
        Some(Task::Regression) if n > 0 => Err(format!(
            "a regression model with {n} class labels ({})",
            labels.join(", ")
        )),
        Some(Task::Binary) if outputs > 2 => Err(format!(
            "a binary classifier with {outputs} outputs (it has one logit, or two outputs)"
        )),
        Some(Task::Binary) if n != 0 && n != 2 => Err(format!(
            "{n} class labels for a binary classifier (it has two classes)"
        )),
        Some(Task::Multiclass) if outputs < 2 => Err(format!(
            "a multiclass classifier with {outputs} output{} (it has one per class; one output \
             is a binary classifier's logit)",
            plural(outputs)
        )),
        Some(Task::Multiclass) | None if n != 0 && n != outputs && !(n == 2 && outputs == 1) => {
            Err(format!(
                "{n} class labels for a network with {outputs} output{}",
                plural(outputs)
            ))
        }
        _ => Ok(()),
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Model({}", self.mlp)?;
        if let Some(task) = &self.info.task {
            write!(f, ", {task}")?;
        }
        write!(f, ", inputs {})", self.info.feature_names.join(","))
    }
}
