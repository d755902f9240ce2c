//! The training loop: epochs of seeded-shuffled minibatches, per-epoch metrics on the training and
//! validation sets, optional early stopping, and a progress callback.
//!
//! Reproducible bit for bit on one machine: the shuffle is seeded, the products run on one thread
//! in a fixed order, and nothing else is random.
//!
//! ```
//! use relulens::nn::MlpConfig;
//! use relulens::train::{fit, Loss, Split, TrainConfig};
//! // Learn y = |x| on a few points: two ReLUs suffice.
//! let x: Vec<f64> = (0..21).map(|i| i as f64 / 10.0 - 1.0).collect();
//! let y: Vec<f64> = x.iter().map(|v| v.abs()).collect();
//! let mut mlp = MlpConfig::new(vec![1, 8, 1]).seed(1).init::<f64>()?;
//! let config = TrainConfig { epochs: 300, batch_size: 7, ..TrainConfig::default() };
//! let history = fit(&mut mlp, Loss::Mse, Split::new(&x, &y, 21)?, None, &config, &mut |_| {})?;
//! assert!(history.last().train.loss < 0.01);
//! # Ok::<(), relulens::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::loss::{class_index, Loss};
use super::optimizer::{Optimizer, OptimizerConfig};
use crate::activation::Float;
use crate::error::{Error, Result};
use crate::nn::{dense_first_non_finite, ForwardCache, Gradients, Mlp};
use crate::rng::Rng;

/// Rows of inputs and targets: `x` is `[rows, in_dim]` row-major, `y` holds the loss's targets per
/// row (values for MSE, 0/1 for BCE, class indices for cross-entropy).
#[derive(Debug, Clone, Copy)]
pub struct Split<'a, T: Float = f32> {
    x: &'a [T],
    y: &'a [T],
    rows: usize,
}

impl<'a, T: Float> Split<'a, T> {
    /// A set of `rows` rows.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTraining`] when there are no rows, `x` or `y` is not a whole number of rows,
    /// or either holds NaN or an infinity (named with its row).
    pub fn new(x: &'a [T], y: &'a [T], rows: usize) -> Result<Self> {
        let invalid = |reason: String| Err(Error::InvalidTraining { reason });
        if rows == 0 {
            return invalid("the data set has no rows".into());
        }
        if x.len() % rows != 0 || y.len() % rows != 0 || x.is_empty() {
            return invalid(format!(
                "{rows} rows but {} input and {} target numbers",
                x.len(),
                y.len()
            ));
        }
        for (what, values) in [("input", x), ("target", y)] {
            if let Some((i, v)) = dense_first_non_finite(values) {
                let per_row = values.len() / rows;
                return invalid(format!(
                    "{what} row {} column {} is {v}; every value must be finite",
                    i / per_row,
                    i % per_row
                ));
            }
        }
        Ok(Split { x, y, rows })
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The inputs, `[rows, in_dim]`.
    pub fn x(&self) -> &'a [T] {
        self.x
    }

    /// The targets.
    pub fn y(&self) -> &'a [T] {
        self.y
    }
}

/// Stop when the validation loss has not improved by `min_delta` for `patience` epochs, and keep
/// the weights of the best epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
    /// Epochs without improvement before stopping.
    pub patience: usize,
    /// The smallest decrease of the validation loss that counts as an improvement.
    pub min_delta: f64,
}

/// How to train.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Passes over the training set (default 200).
    pub epochs: usize,
    /// Rows per minibatch (default 32; the last batch of an epoch may be smaller).
    pub batch_size: usize,
    /// The optimiser (default Adam, learning rate 0.01).
    pub optimizer: OptimizerConfig,
    /// The seed of the shuffle (default 0).
    pub seed: u64,
    /// Optional early stopping on the validation loss (default none).
    pub early_stopping: Option<EarlyStopping>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 200,
            batch_size: 32,
            optimizer: OptimizerConfig::adam(0.01),
            seed: 0,
            early_stopping: None,
        }
    }
}

/// Loss and, by task, accuracy (classification) or R² (regression) on one set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// The mean loss.
    pub loss: f64,
    /// The fraction of rows classified correctly (classification).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub accuracy: Option<f64>,
    /// The coefficient of determination, 1 − SS_res/SS_tot (regression).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub r2: Option<f64>,
}

/// One epoch's metrics.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpochMetrics {
    /// The epoch, from 1.
    pub epoch: usize,
    /// On the training set, after the epoch.
    pub train: Metrics,
    /// On the validation set, after the epoch.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub validation: Option<Metrics>,
}

/// What a training run did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Every epoch's metrics.
    pub epochs: Vec<EpochMetrics>,
    /// The epoch whose weights the network holds at the end (the best one under early stopping).
    pub best_epoch: usize,
    /// Whether early stopping ended the run.
    pub stopped_early: bool,
}

impl History {
    /// The last epoch's metrics.
    ///
    /// # Panics
    ///
    /// Never for a history returned by [`fit`], which runs at least one epoch.
    pub fn last(&self) -> &EpochMetrics {
        self.epochs.last().expect("fit runs at least one epoch")
    }

    /// The metrics of the epoch whose weights were kept.
    pub fn best(&self) -> &EpochMetrics {
        &self.epochs[self.best_epoch - 1]
    }
}

/// Evaluates `mlp` on a whole set, in chunks so memory stays bounded.
///
/// # Errors
///
/// [`Error::ShapeMismatch`] when the set does not fit the network and loss.
pub fn evaluate<T: Float>(mlp: &Mlp<T>, loss: Loss, set: Split<'_, T>) -> Result<Metrics> {
    const CHUNK: usize = 4096;
    let (in_dim, out_dim) = (mlp.in_dim(), mlp.out_dim());
    let per_row = loss.targets_per_row(out_dim);
    check_fits(mlp, loss, &set)?;
    let mut loss_sum = 0.0;
    let mut correct = 0usize;
    let mut ss_res = 0.0;
    let y_mean: Vec<f64> = (0..per_row)
        .map(|j| {
            set.y
                .iter()
                .skip(j)
                .step_by(per_row)
                .map(|v| v.to_f64())
                .sum::<f64>()
                / set.rows as f64
        })
        .collect();
    let mut ss_tot = 0.0;
    let mut grad = Vec::new();
    for start in (0..set.rows).step_by(CHUNK) {
        let rows = CHUNK.min(set.rows - start);
        let x = &set.x[start * in_dim..(start + rows) * in_dim];
        let y = &set.y[start * per_row..(start + rows) * per_row];
        let output = mlp.forward(x, rows)?;
        grad.resize(output.len(), T::ZERO);
        loss_sum += loss.evaluate_into(&output, y, rows, out_dim, &mut grad)? * rows as f64;
        for (r, (out, target)) in output
            .chunks_exact(out_dim)
            .zip(y.chunks_exact(per_row))
            .enumerate()
        {
            match loss {
                Loss::BceWithLogits => {
                    let predicted = if out[0] >= T::ZERO { 1.0 } else { 0.0 };
                    correct += usize::from(predicted == target[0].to_f64().round());
                }
                Loss::CrossEntropy => {
                    let class = class_index(target[0], out_dim, start + r)?;
                    correct += usize::from(argmax(out) == class);
                }
                Loss::Mse => {
                    for (j, (o, t)) in out.iter().zip(target).enumerate() {
                        ss_res += (o.to_f64() - t.to_f64()).powi(2);
                        ss_tot += (t.to_f64() - y_mean[j]).powi(2);
                    }
                }
            }
        }
    }
    let n = set.rows as f64;
    Ok(match loss {
        Loss::Mse => Metrics {
            loss: loss_sum / n,
            accuracy: None,
            r2: Some(if ss_tot > 0.0 {
                1.0 - ss_res / ss_tot
            } else {
                0.0
            }),
        },
        _ => Metrics {
            loss: loss_sum / n,
            accuracy: Some(correct as f64 / n),
            r2: None,
        },
    })
}

/// The index of the largest value (the first of equal ones).
pub(crate) fn argmax<T: Float>(values: &[T]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

fn check_fits<T: Float>(mlp: &Mlp<T>, loss: Loss, set: &Split<'_, T>) -> Result<()> {
    let per_row = loss.targets_per_row(mlp.out_dim());
    if set.x.len() != set.rows * mlp.in_dim() || set.y.len() != set.rows * per_row {
        return Err(Error::ShapeMismatch {
            op: "training",
            what: "data set".into(),
            expected: format!(
                "{} inputs and {per_row} target(s) per row for {mlp} with {loss:?}",
                mlp.in_dim()
            ),
            got: format!(
                "{} inputs and {} targets over {} rows",
                set.x.len(),
                set.y.len(),
                set.rows
            ),
        });
    }
    Ok(())
}

/// Trains `mlp` in place on `train`, reporting each epoch to `progress`.
///
/// # Errors
///
/// [`Error::InvalidTraining`] for zero epochs or batch size, [`Error::InvalidOptimizer`] for bad
/// optimiser settings, [`Error::ShapeMismatch`] when a set does not fit the network and loss, and
/// [`Error::InvalidTraining`] if the loss becomes NaN or infinite (diverged: lower the learning rate).
pub fn fit<T: Float>(
    mlp: &mut Mlp<T>,
    loss: Loss,
    train: Split<'_, T>,
    validation: Option<Split<'_, T>>,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&EpochMetrics),
) -> Result<History> {
    if config.epochs == 0 || config.batch_size == 0 {
        return Err(Error::InvalidTraining {
            reason: format!(
                "epochs = {} and batch size = {}: both must be at least 1",
                config.epochs, config.batch_size
            ),
        });
    }
    config.optimizer.validate()?;
    check_fits(mlp, loss, &train)?;
    if let Some(v) = &validation {
        check_fits(mlp, loss, v)?;
    }
    let (in_dim, out_dim) = (mlp.in_dim(), mlp.out_dim());
    let per_row = loss.targets_per_row(out_dim);
    let mut optimizer = Optimizer::new(config.optimizer, mlp);
    let mut rng = Rng::new(config.seed);
    let mut order: Vec<usize> = (0..train.rows).collect();
    let (mut xb, mut yb, mut grad_out) = (Vec::new(), Vec::new(), Vec::new());
    let mut cache = ForwardCache::default();
    let mut grads = Gradients::zeros_like(mlp);

    let mut history = History {
        epochs: Vec::with_capacity(config.epochs),
        best_epoch: 1,
        stopped_early: false,
    };
    let mut best: Option<(f64, Mlp<T>)> = None;
    for epoch in 1..=config.epochs {
        rng.shuffle(&mut order);
        for batch_rows in order.chunks(config.batch_size) {
            let b = batch_rows.len();
            xb.clear();
            yb.clear();
            for &r in batch_rows {
                xb.extend_from_slice(&train.x[r * in_dim..(r + 1) * in_dim]);
                yb.extend_from_slice(&train.y[r * per_row..(r + 1) * per_row]);
            }
            let output = mlp.forward_cached(&xb, b, &mut cache)?;
            grad_out.resize(output.len(), T::ZERO);
            loss.evaluate_into(output, &yb, b, out_dim, &mut grad_out)?;
            mlp.backward(&xb, &cache, &grad_out, &mut grads, None)?;
            optimizer.step(mlp, &grads)?;
        }
        let metrics = EpochMetrics {
            epoch,
            train: evaluate(mlp, loss, train)?,
            validation: validation.map(|v| evaluate(mlp, loss, v)).transpose()?,
        };
        if !metrics.train.loss.is_finite() {
            return Err(Error::InvalidTraining {
                reason: format!(
                    "the training loss became {} at epoch {epoch}: training diverged; lower the learning rate",
                    metrics.train.loss
                ),
            });
        }
        progress(&metrics);
        history.epochs.push(metrics);
        history.best_epoch = epoch;

        if let (Some(rule), Some(v)) = (config.early_stopping, metrics.validation) {
            let improved = best
                .as_ref()
                .is_none_or(|(b, _)| v.loss < b - rule.min_delta);
            if improved {
                best = Some((v.loss, mlp.clone()));
            }
            let best_epoch = history
                .epochs
                .iter()
                .filter_map(|e| e.validation.map(|m| (e.epoch, m.loss)))
                .find(|&(_, l)| Some(l) == best.as_ref().map(|b| b.0))
                .map_or(epoch, |(e, _)| e);
            history.best_epoch = best_epoch;
            if epoch - best_epoch >= rule.patience {
                history.stopped_early = epoch < config.epochs;
                break;
            }
        }
    }
    if let Some((_, weights)) = best {
        *mlp = weights;
    }
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::MlpConfig;

    fn xor() -> (Vec<f32>, Vec<f32>) {
        let x = vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
        let y = vec![0.0, 1.0, 1.0, 0.0];
        (x, y)
    }

    #[test]
    fn learns_xor_and_is_reproducible() {
        let (x, y) = xor();
        let run = || {
            let mut mlp = MlpConfig::new(vec![2, 8, 1]).seed(2).init::<f32>().unwrap();
            let config = TrainConfig {
                epochs: 400,
                batch_size: 2,
                ..TrainConfig::default()
            };
            let h = fit(
                &mut mlp,
                Loss::BceWithLogits,
                Split::new(&x, &y, 4).unwrap(),
                None,
                &config,
                &mut |_| {},
            )
            .unwrap();
            (mlp, h)
        };
        let (a, ha) = run();
        let (b, hb) = run();
        assert_eq!(a, b, "same seed, same weights bit for bit");
        assert_eq!(ha, hb);
        assert_eq!(ha.last().train.accuracy, Some(1.0));
    }

    #[test]
    fn multiclass_and_progress_and_early_stopping() {
        // Three classes by the sign pattern of x: class = 0 if x < -0.5, 1 if |x| ≤ 0.5, 2 otherwise.
        let x: Vec<f64> = (0..60).map(|i| i as f64 / 20.0 - 1.5).collect();
        let y: Vec<f64> = x
            .iter()
            .map(|&v| {
                if v < -0.5 {
                    0.0
                } else if v <= 0.5 {
                    1.0
                } else {
                    2.0
                }
            })
            .collect();
        let mut mlp = MlpConfig::new(vec![1, 16, 3])
            .seed(4)
            .init::<f64>()
            .unwrap();
        let config = TrainConfig {
            epochs: 500,
            batch_size: 10,
            early_stopping: Some(EarlyStopping {
                patience: 20,
                min_delta: 1e-4,
            }),
            ..TrainConfig::default()
        };
        let set = Split::new(&x, &y, 60).unwrap();
        let mut seen = 0;
        let h = fit(
            &mut mlp,
            Loss::CrossEntropy,
            set,
            Some(set),
            &config,
            &mut |m| {
                seen += 1;
                assert_eq!(m.epoch, seen);
            },
        )
        .unwrap();
        assert_eq!(seen, h.epochs.len());
        assert!(
            h.best().validation.unwrap().accuracy.unwrap() > 0.9,
            "{:?}",
            h.best()
        );
        // The network holds the best epoch's weights.
        let now = evaluate(&mlp, Loss::CrossEntropy, set).unwrap();
        assert_eq!(now.loss, h.best().validation.unwrap().loss);
    }

    #[test]
    fn regression_reports_r2() {
        let x: Vec<f64> = (0..40).map(|i| i as f64 / 20.0 - 1.0).collect();
        let y: Vec<f64> = x.iter().map(|v| 2.0 * v + 1.0).collect();
        let mut mlp = MlpConfig::new(vec![1, 1]).seed(0).init::<f64>().unwrap();
        let config = TrainConfig {
            epochs: 300,
            batch_size: 8,
            ..TrainConfig::default()
        };
        let h = fit(
            &mut mlp,
            Loss::Mse,
            Split::new(&x, &y, 40).unwrap(),
            None,
            &config,
            &mut |_| {},
        )
        .unwrap();
        assert!(h.last().train.r2.unwrap() > 0.999, "{:?}", h.last());
    }

    #[test]
    fn bad_input_is_refused_with_row_and_column() {
        let x = [1.0f32, f32::NAN, 0.0, 0.0];
        let err = Split::new(&x, &[0.0, 1.0], 2).unwrap_err();
        assert!(
            err.to_string().contains("input row 0 column 1 is NaN"),
            "{err}"
        );
        assert!(Split::<f32>::new(&[], &[], 0).is_err());
        let (x, y) = xor();
        let mut mlp = MlpConfig::new(vec![2, 3, 1]).init::<f32>().unwrap();
        let set = Split::new(&x, &y, 4).unwrap();
        let zero = TrainConfig {
            epochs: 0,
            ..TrainConfig::default()
        };
        assert!(fit(&mut mlp, Loss::BceWithLogits, set, None, &zero, &mut |_| {}).is_err());
        assert!(
            fit(
                &mut mlp,
                Loss::CrossEntropy,
                set,
                None,
                &TrainConfig::default(),
                &mut |_| {}
            )
            .is_err(),
            "cross-entropy on one output with labels 1 must be refused"
        );
        let diverging = TrainConfig {
            optimizer: OptimizerConfig::sgd(1e30),
            epochs: 5,
            ..TrainConfig::default()
        };
        let err = fit(
            &mut mlp,
            Loss::BceWithLogits,
            set,
            None,
            &diverging,
            &mut |_| {},
        );
        assert!(err.is_err());
    }
}
