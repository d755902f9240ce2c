//! Losses in PyTorch's numerically stable forms, with their gradients with respect to the network's
//! outputs (mean reduction, as PyTorch's default).
//!
//! - [`Loss::Mse`]: mean over every element of (ŷ − y)².
//! - [`Loss::BceWithLogits`]: binary cross-entropy on logits, `(1 − y)·x − log σ(x)` with
//!   log σ(x) = min(x, 0) − log1p(e^−|x|), which never overflows (PyTorch's `BCEWithLogitsLoss`).
//! - [`Loss::CrossEntropy`]: softmax cross-entropy with class-index targets, through a log-sum-exp
//!   shifted by the row maximum (PyTorch's `CrossEntropyLoss`).
//!
//! ```
//! use relulens::train::Loss;
//! // One logit of 0 is a coin toss: the loss is ln 2 whatever the label.
//! let (value, grad) = Loss::BceWithLogits.evaluate(&[0.0f64], &[1.0], 1, 1)?;
//! assert!((value - std::f64::consts::LN_2).abs() < 1e-15);
//! assert_eq!(grad, [-0.5]);
//! # Ok::<(), relulens::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::activation::{functions::sigmoid, Float};
use crate::error::{Error, Result};

/// A training loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Mean squared error, for regression: targets are `[batch, out_dim]` values.
    Mse,
    /// Binary cross-entropy on one logit per row: targets are 0 or 1 (or probabilities).
    BceWithLogits,
    /// Softmax cross-entropy: one logit per class, targets are class indices.
    CrossEntropy,
}

impl Loss {
    /// How many target numbers each row has, for a network with `out_dim` outputs.
    pub fn targets_per_row(&self, out_dim: usize) -> usize {
        match self {
            Loss::Mse => out_dim,
            Loss::BceWithLogits | Loss::CrossEntropy => 1,
        }
    }

    /// The mean loss over the batch (accumulated in f64) and its gradient with respect to `output`
    /// (`[batch, out_dim]`).
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] for arrays of the wrong length, BCE on more than one output, or a
    /// class index outside `0..out_dim` (named with its row).
    pub fn evaluate<T: Float>(
        &self,
        output: &[T],
        target: &[T],
        batch: usize,
        out_dim: usize,
    ) -> Result<(f64, Vec<T>)> {
        let mut grad = vec![T::ZERO; output.len()];
        let value = self.evaluate_into(output, target, batch, out_dim, &mut grad)?;
        Ok((value, grad))
    }

    /// As [`evaluate`](Self::evaluate), writing the gradient into `grad` (`[batch, out_dim]`).
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    pub fn evaluate_into<T: Float>(
        &self,
        output: &[T],
        target: &[T],
        batch: usize,
        out_dim: usize,
        grad: &mut [T],
    ) -> Result<f64> {
        self.check(output.len(), target.len(), grad.len(), batch, out_dim)?;
        if batch == 0 {
            return Ok(0.0);
        }
        match self {
            Loss::Mse => {
                let n = output.len() as f64;
                let scale = T::from_f64(2.0 / n);
                let mut sum = 0.0;
                for ((g, &o), &t) in grad.iter_mut().zip(output).zip(target) {
                    let d = o - t;
                    sum += d.to_f64() * d.to_f64();
                    *g = scale * d;
                }
                Ok(sum / n)
            }
            Loss::BceWithLogits => {
                let inv = T::from_f64(1.0 / batch as f64);
                let mut sum = 0.0;
                for ((g, &x), &y) in grad.iter_mut().zip(output).zip(target) {
                    let (xf, yf) = (x.to_f64(), y.to_f64());
                    let log_sigmoid = xf.min(0.0) - (-xf.abs()).exp().ln_1p();
                    sum += (1.0 - yf) * xf - log_sigmoid;
                    *g = (sigmoid(x) - y) * inv;
                }
                Ok(sum / batch as f64)
            }
            Loss::CrossEntropy => {
                let inv = 1.0 / batch as f64;
                let mut sum = 0.0;
                for (row, ((logits, g), &t)) in output
                    .chunks_exact(out_dim)
                    .zip(grad.chunks_exact_mut(out_dim))
                    .zip(target)
                    .enumerate()
                {
                    let class = class_index(t, out_dim, row)?;
                    let max = logits
                        .iter()
                        .fold(f64::NEG_INFINITY, |m, v| m.max(v.to_f64()));
                    let sum_exp: f64 = logits.iter().map(|v| (v.to_f64() - max).exp()).sum();
                    let log_sum_exp = max + sum_exp.ln();
                    sum += log_sum_exp - logits[class].to_f64();
                    for (k, (gk, v)) in g.iter_mut().zip(logits).enumerate() {
                        let p = (v.to_f64() - log_sum_exp).exp();
                        let onehot = if k == class { 1.0 } else { 0.0 };
                        *gk = T::from_f64((p - onehot) * inv);
                    }
                }
                Ok(sum * inv)
            }
        }
    }

    fn check(
        &self,
        output: usize,
        target: usize,
        grad: usize,
        batch: usize,
        out_dim: usize,
    ) -> Result<()> {
        let shape = |what: &str, expected: String, got: usize| Error::ShapeMismatch {
            op: "loss",
            what: what.into(),
            expected,
            got: format!("{got} elements"),
        };
        if *self == Loss::BceWithLogits && out_dim != 1 {
            return Err(shape(
                "network output (BCE takes one logit per row)",
                "1 output".into(),
                out_dim,
            ));
        }
        if output != batch * out_dim {
            return Err(shape("output", format!("[{batch}, {out_dim}]"), output));
        }
        if grad != output {
            return Err(shape("grad", format!("[{batch}, {out_dim}]"), grad));
        }
        let per_row = self.targets_per_row(out_dim);
        if target != batch * per_row {
            return Err(shape("target", format!("[{batch}, {per_row}]"), target));
        }
        Ok(())
    }
}

/// A class index stored as a float, checked.
pub(crate) fn class_index<T: Float>(t: T, classes: usize, row: usize) -> Result<usize> {
    let v = t.to_f64();
    if v >= 0.0 && v.fract() == 0.0 && (v as usize) < classes {
        Ok(v as usize)
    } else {
        Err(Error::ShapeMismatch {
            op: "cross-entropy loss",
            what: format!("target in row {row}"),
            expected: format!("a class index in 0..{classes}"),
            got: format!("{v}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric_gradient(
        loss: Loss,
        output: &[f64],
        target: &[f64],
        batch: usize,
        out_dim: usize,
    ) -> Vec<f64> {
        let h = 1e-6;
        (0..output.len())
            .map(|i| {
                let (mut p, mut m) = (output.to_vec(), output.to_vec());
                p[i] += h;
                m[i] -= h;
                let lp = loss.evaluate(&p, target, batch, out_dim).unwrap().0;
                let lm = loss.evaluate(&m, target, batch, out_dim).unwrap().0;
                (lp - lm) / (2.0 * h)
            })
            .collect()
    }

    #[test]
    fn gradients_match_finite_differences() {
        // (loss, output, target, batch, out_dim)
        type Case = (Loss, Vec<f64>, Vec<f64>, usize, usize);
        let cases: [Case; 3] = [
            (
                Loss::Mse,
                vec![0.5, -1.0, 2.0, 0.0],
                vec![1.0, -1.5, 0.0, 0.25],
                2,
                2,
            ),
            (
                Loss::BceWithLogits,
                vec![3.0, -2.0, 0.1],
                vec![1.0, 1.0, 0.0],
                3,
                1,
            ),
            (
                Loss::CrossEntropy,
                vec![1.0, 2.0, -1.0, 0.5, 0.5, 3.0],
                vec![2.0, 0.0],
                2,
                3,
            ),
        ];
        for (loss, output, target, batch, out_dim) in cases {
            let (_, grad) = loss.evaluate(&output, &target, batch, out_dim).unwrap();
            let numeric = numeric_gradient(loss, &output, &target, batch, out_dim);
            for (a, n) in grad.iter().zip(&numeric) {
                assert!((a - n).abs() < 1e-8, "{loss:?}: {a} vs {n}");
            }
        }
    }

    #[test]
    fn hand_checked_values() {
        let (mse, _) = Loss::Mse
            .evaluate(&[1.0f64, 3.0], &[0.0, 1.0], 2, 1)
            .unwrap();
        assert_eq!(mse, 2.5);
        // Two equal logits over two classes: ln 2.
        let (ce, grad) = Loss::CrossEntropy
            .evaluate(&[0.0f64, 0.0], &[1.0], 1, 2)
            .unwrap();
        assert!((ce - std::f64::consts::LN_2).abs() < 1e-15);
        assert_eq!(grad, [0.5, -0.5]);
    }

    #[test]
    fn extreme_logits_stay_finite() {
        let (bce, grad) = Loss::BceWithLogits
            .evaluate(&[1000.0f32, -1000.0], &[0.0, 1.0], 2, 1)
            .unwrap();
        assert!((bce - 1000.0).abs() < 1e-9, "{bce}");
        assert!(grad.iter().all(|g| g.is_finite()));
        let (ce, grad) = Loss::CrossEntropy
            .evaluate(&[1000.0f32, -1000.0], &[1.0], 1, 2)
            .unwrap();
        assert!((ce - 2000.0).abs() < 1e-9, "{ce}");
        assert!(grad.iter().all(|g| g.is_finite()));
    }

    #[test]
    fn bad_shapes_and_classes_are_errors() {
        assert!(Loss::BceWithLogits
            .evaluate(&[0.0f64, 0.0], &[1.0], 1, 2)
            .is_err());
        let err = Loss::CrossEntropy
            .evaluate(&[0.0f64, 0.0], &[2.0], 1, 2)
            .unwrap_err();
        assert!(err.to_string().contains("target in row 0"), "{err}");
        assert!(Loss::CrossEntropy
            .evaluate(&[0.0f64, 0.0], &[0.5], 1, 2)
            .is_err());
        assert!(Loss::Mse.evaluate(&[0.0f64, 0.0], &[1.0], 2, 1).is_err());
    }
}
