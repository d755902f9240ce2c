//! From a data set to a trained [`Model`]: split, standardise on the training part, pick the loss
//! from the task, train in f32 (PyTorch's default precision), and keep everything the model needs
//! to be explained in the user's units.
//!
//! ```
//! use relulens::data::builtin;
//! use relulens::train::{train_model, Recipe};
//! let data = builtin::load("xor", 0)?;
//! let recipe = Recipe { hidden: vec![8], epochs: 30, ..Recipe::default() };
//! let trained = train_model(&data, &recipe, &mut |_| {})?;
//! assert_eq!(trained.model.mlp().sizes(), [2, 8, 1]);
//! assert!(trained.history.last().validation.is_some());
//! # Ok::<(), relulens::Error>(())
//! ```

use super::loss::Loss;
use super::optimizer::OptimizerConfig;
use super::trainer::{fit, EarlyStopping, EpochMetrics, History, Split, TrainConfig};
use crate::activation::Activation;
use crate::data::{Dataset, Standardizer, Task};
use crate::error::{Error, Result};
use crate::model::{Dtype, Model, ModelInfo};
use crate::nn::{Mlp, MlpConfig};

/// Everything that decides a training run besides the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipe {
    /// Hidden layer widths (default `[16, 16]`).
    pub hidden: Vec<usize>,
    /// The hidden activation (default ReLU).
    pub activation: Activation,
    /// Passes over the training part (default 200).
    pub epochs: usize,
    /// Rows per minibatch (default 32).
    pub batch_size: usize,
    /// The optimiser and its learning rate (default Adam, 0.01).
    pub optimizer: OptimizerConfig,
    /// One seed for the initialisation, the split and the shuffle (default 0).
    pub seed: u64,
    /// The fraction of rows held out for validation (default 0.2; 0 trains on everything).
    pub validation_fraction: f64,
    /// Standardise the inputs (default yes; the scaler is stored with the model).
    pub standardize: bool,
    /// Optional early stopping on the validation loss.
    pub early_stopping: Option<EarlyStopping>,
}

impl Default for Recipe {
    fn default() -> Self {
        Recipe {
            hidden: vec![16, 16],
            activation: Activation::Relu,
            epochs: 200,
            batch_size: 32,
            optimizer: OptimizerConfig::adam(0.01),
            seed: 0,
            validation_fraction: 0.2,
            standardize: true,
            early_stopping: None,
        }
    }
}

/// A trained model and how its training went.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The model, with its scaler, names and history.
    pub model: Model,
    /// The per-epoch metrics.
    pub history: History,
    /// The loss it was trained with.
    pub loss: Loss,
    /// Rows in the training part.
    pub train_rows: usize,
    /// Rows in the validation part (0 without validation).
    pub validation_rows: usize,
}

/// The loss that fits a task.
pub fn loss_for(task: Task) -> Loss {
    match task {
        Task::Regression => Loss::Mse,
        Task::Binary => Loss::BceWithLogits,
        Task::Multiclass => Loss::CrossEntropy,
    }
}

/// How many outputs a network needs for `data`.
fn outputs_for(data: &Dataset) -> usize {
    match data.task() {
        Task::Regression | Task::Binary => 1,
        Task::Multiclass => data.n_classes(),
    }
}

/// Rows and targets in f32, standardised when a scaler is given.
fn to_f32(data: &Dataset, scaler: Option<&Standardizer>) -> Result<(Vec<f32>, Vec<f32>)> {
    let mut rows = data.rows().to_vec();
    if let Some(s) = scaler {
        s.transform_rows(&mut rows)?;
    }
    Ok((
        rows.iter().map(|&v| v as f32).collect(),
        data.target().iter().map(|&v| v as f32).collect(),
    ))
}

/// Each feature's median (the mean of the two middle values for an even count).
fn column_medians(data: &Dataset) -> Vec<f64> {
    (0..data.n_features())
        .map(|j| {
            let mut column: Vec<f64> = data.iter_rows().map(|row| row[j]).collect();
            column.sort_by(f64::total_cmp);
            let n = column.len();
            if n % 2 == 1 {
                column[n / 2]
            } else {
                0.5 * (column[n / 2 - 1] + column[n / 2])
            }
        })
        .collect()
}

/// Each feature's [min, max].
fn column_ranges(data: &Dataset) -> Vec<[f64; 2]> {
    (0..data.n_features())
        .map(|j| {
            data.iter_rows()
                .fold([f64::INFINITY, f64::NEG_INFINITY], |[lo, hi], row| {
                    [lo.min(row[j]), hi.max(row[j])]
                })
        })
        .collect()
}

/// Trains a network on `data` as `recipe` says, reporting each epoch to `progress`.
///
/// # Errors
///
/// [`Error::InvalidTraining`] for a validation fraction outside [0, 1) and what [`fit`] refuses;
/// errors of [`Dataset::split`] and [`MlpConfig::init`] (a hidden width of 0) pass through.
pub fn train_model(
    data: &Dataset,
    recipe: &Recipe,
    progress: &mut dyn FnMut(&EpochMetrics),
) -> Result<Trained> {
    let fraction = recipe.validation_fraction;
    if !(0.0..1.0).contains(&fraction) {
        return Err(Error::InvalidTraining {
            reason: format!("validation fraction {fraction}: it must lie in [0, 1)"),
        });
    }
    let (train, validation) = if fraction > 0.0 {
        let (t, v) = data.split(fraction, recipe.seed)?;
        (t, Some(v))
    } else {
        (data.clone(), None)
    };
    let scaler = recipe.standardize.then(|| Standardizer::fit(&train));

    let mut sizes = vec![data.n_features()];
    sizes.extend(&recipe.hidden);
    sizes.push(outputs_for(data));
    let mut mlp: Mlp<f32> = MlpConfig::new(sizes)
        .activation(recipe.activation)
        .seed(recipe.seed)
        .init()?;

    let loss = loss_for(data.task());
    let (tx, ty) = to_f32(&train, scaler.as_ref())?;
    let validation_f32 = validation
        .as_ref()
        .map(|v| to_f32(v, scaler.as_ref()))
        .transpose()?;
    let config = TrainConfig {
        epochs: recipe.epochs,
        batch_size: recipe.batch_size,
        optimizer: recipe.optimizer,
        seed: recipe.seed,
        early_stopping: recipe.early_stopping,
    };
    let validation_split = match &validation_f32 {
        Some((vx, vy)) => Some(Split::new(vx, vy, vx.len() / data.n_features())?),
        None => None,
    };
    let history = fit(
        &mut mlp,
        loss,
        Split::new(&tx, &ty, train.n_rows())?,
        validation_split,
        &config,
        progress,
    )?;

    let info = ModelInfo {
        feature_names: data.feature_names().to_vec(),
        target: Some(data.target_name().to_string()),
        task: Some(data.task()),
        class_labels: data.class_labels().to_vec(),
        scaler,
        dataset: Some(data.name().to_string()),
        feature_medians: column_medians(&train),
        feature_ranges: column_ranges(&train),
        history: history.epochs.clone(),
    };
    Ok(Trained {
        model: Model::new(mlp.cast(), Dtype::F32, info)?,
        history,
        loss,
        train_rows: train.n_rows(),
        validation_rows: validation.as_ref().map_or(0, Dataset::n_rows),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin;

    #[test]
    fn the_model_predicts_what_the_trained_network_computed() {
        let data = builtin::load("moons", 1).unwrap();
        let recipe = Recipe {
            hidden: vec![8, 8],
            epochs: 20,
            ..Recipe::default()
        };
        let trained = train_model(&data, &recipe, &mut |_| {}).unwrap();
        assert_eq!(trained.train_rows + trained.validation_rows, data.n_rows());
        // Raw rows through the model (scaler, then network) equal raw rows through the folded network.
        let rows = &data.rows()[..20];
        let via_scaler = trained.model.predict(rows, 10).unwrap();
        let folded = trained.model.folded().forward(rows, 10).unwrap();
        for (a, b) in via_scaler.iter().zip(&folded) {
            assert!((a - b).abs() < 1e-9 * (1.0 + a.abs()), "{a} vs {b}");
        }
        assert_eq!(trained.model.info().history.len(), 20);
    }

    #[test]
    fn multiclass_gets_one_output_per_class() {
        let data = builtin::load("penguins", 0).unwrap();
        let recipe = Recipe {
            hidden: vec![8],
            epochs: 2,
            ..Recipe::default()
        };
        let trained = train_model(&data, &recipe, &mut |_| {}).unwrap();
        assert_eq!(trained.model.mlp().out_dim(), 3);
        assert_eq!(trained.loss, Loss::CrossEntropy);
        assert!(train_model(
            &data,
            &Recipe {
                validation_fraction: 1.0,
                ..recipe
            },
            &mut |_| {}
        )
        .is_err());
    }
}
