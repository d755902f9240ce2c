//! A fully connected layer with PyTorch's `nn.Linear` semantics.
//!
//! The weight is `[out_dim, in_dim]`, row-major, and the layer computes y = x·Wᵀ + b for a batch of
//! row vectors x (`[batch, in_dim]`, row-major). Initialisation is PyTorch's default, U(±1/√in_dim)
//! for weight and bias (what `kaiming_uniform_(a=√5)` reduces to).
//!
//! ```
//! use relulens::nn::Dense;
//! // The article's node: weights 2 and 3 on inputs A and B, no bias.
//! let node = Dense::new(vec![2.0f64, 3.0], vec![0.0])?;
//! let mut z = [0.0];
//! node.forward(&[1.0, -100.0], 1, &mut z)?;
//! assert_eq!(z, [-298.0]); // relu(-298) = 0: B = -100 switches the node off
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use super::matmul::{matmul, View};
use crate::activation::Float;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// A fully connected layer: y = x·Wᵀ + b.
#[derive(Debug, Clone, PartialEq)]
pub struct Dense<T: Float = f32> {
    in_dim: usize,
    out_dim: usize,
    weight: Vec<T>,
    bias: Vec<T>,
}

/// The index and value of the first non-finite element, if any.
pub(crate) fn first_non_finite<T: Float>(values: &[T]) -> Option<(usize, f64)> {
    values
        .iter()
        .position(|v| v.is_nan() || v.is_infinite())
        .map(|i| (i, values[i].to_f64()))
}

impl<T: Float> Dense<T> {
    /// A layer from a weight `[out_dim, in_dim]` (row-major) and a bias `[out_dim]`; `out_dim` is the
    /// bias's length and `in_dim` the weight's length divided by it.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] when the bias is empty or the weight's length is not a positive
    /// multiple of it; [`Error::NonFinite`] when either holds NaN or an infinity.
    pub fn new(weight: Vec<T>, bias: Vec<T>) -> Result<Self> {
        let out_dim = bias.len();
        if out_dim == 0 || weight.is_empty() || weight.len() % out_dim != 0 {
            return Err(Error::ShapeMismatch {
                op: "Dense::new",
                what: "weight".into(),
                expected: format!("[{out_dim}, in_dim] with in_dim ≥ 1 (bias has {out_dim})"),
                got: format!("{} elements", weight.len()),
            });
        }
        for (what, values) in [("weight", &weight), ("bias", &bias)] {
            if let Some((index, value)) = first_non_finite(values) {
                return Err(Error::NonFinite {
                    op: "Dense::new",
                    what: what.into(),
                    index,
                    value,
                });
            }
        }
        Ok(Dense {
            in_dim: weight.len() / out_dim,
            out_dim,
            weight,
            bias,
        })
    }

    /// A layer initialised as PyTorch's `nn.Linear(in_dim, out_dim)`: weight and bias uniform in
    /// ±1/√in_dim, the weight drawn first, row by row.
    ///
    /// # Panics
    ///
    /// If either dimension is 0 ([`super::MlpConfig::init`] checks this for user input).
    pub fn init(in_dim: usize, out_dim: usize, rng: &mut Rng) -> Self {
        assert!(
            in_dim > 0 && out_dim > 0,
            "a layer needs non-zero dimensions"
        );
        let bound = 1.0 / (in_dim as f64).sqrt();
        let mut draw = |n: usize| -> Vec<T> {
            (0..n)
                .map(|_| T::from_f64(rng.uniform(-bound, bound)))
                .collect()
        };
        let weight = draw(in_dim * out_dim);
        let bias = draw(out_dim);
        Dense {
            in_dim,
            out_dim,
            weight,
            bias,
        }
    }

    /// The number of inputs.
    pub fn in_dim(&self) -> usize {
        self.in_dim
    }

    /// The number of outputs (units).
    pub fn out_dim(&self) -> usize {
        self.out_dim
    }

    /// The weight, `[out_dim, in_dim]` row-major: row k holds unit k's input weights.
    pub fn weight(&self) -> &[T] {
        &self.weight
    }

    /// The bias, `[out_dim]`.
    pub fn bias(&self) -> &[T] {
        &self.bias
    }

    /// Weight and bias, for an optimiser to update in place.
    pub fn params_mut(&mut self) -> (&mut [T], &mut [T]) {
        (&mut self.weight, &mut self.bias)
    }

    /// The pre-activation z = x·Wᵀ + b for a batch: `x` is `[batch, in_dim]`, `out` is
    /// `[batch, out_dim]`, both row-major.
    ///
    /// The bias is fused into the product: `out` is filled with it and the product accumulates onto
    /// it in one pass of the GEMM.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] when `x` or `out` is not of the stated shape.
    pub fn forward(&self, x: &[T], batch: usize, out: &mut [T]) -> Result<()> {
        self.check_io("Dense::forward", x.len(), out.len(), batch)?;
        self.forward_unchecked(x, batch, out);
        Ok(())
    }

    pub(crate) fn forward_unchecked(&self, x: &[T], batch: usize, out: &mut [T]) {
        for row in out.chunks_exact_mut(self.out_dim) {
            row.copy_from_slice(&self.bias);
        }
        matmul(
            out,
            batch,
            self.out_dim,
            true,
            View::row_major(x, batch, self.in_dim),
            View::transposed(&self.weight, self.in_dim, self.out_dim),
        );
    }

    pub(crate) fn check_io(
        &self,
        op: &'static str,
        x: usize,
        out: usize,
        batch: usize,
    ) -> Result<()> {
        let shape = |what: &str, len: usize, cols: usize| Error::ShapeMismatch {
            op,
            what: what.into(),
            expected: format!("[{batch}, {cols}] ({} elements)", batch * cols),
            got: format!("{len} elements"),
        };
        if x != batch * self.in_dim {
            return Err(shape("input", x, self.in_dim));
        }
        if out != batch * self.out_dim {
            return Err(shape("output", out, self.out_dim));
        }
        Ok(())
    }

    /// The same layer in another floating-point type (rounding to nearest when narrowing).
    pub fn cast<U: Float>(&self) -> Dense<U> {
        let cast = |v: &[T]| v.iter().map(|x| U::from_f64(x.to_f64())).collect();
        Dense {
            in_dim: self.in_dim,
            out_dim: self.out_dim,
            weight: cast(&self.weight),
            bias: cast(&self.bias),
        }
    }
}

impl<T: Float> fmt::Display for Dense<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dense(in={}, out={})", self.in_dim, self.out_dim)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_checked_forward() {
        // Two units: z0 = 1·x0 + 2·x1 + 0.5, z1 = -x0 + 0·x1 - 1.
        let layer = Dense::new(vec![1.0f64, 2.0, -1.0, 0.0], vec![0.5, -1.0]).unwrap();
        assert_eq!((layer.in_dim(), layer.out_dim()), (2, 2));
        let mut out = [0.0; 4];
        layer.forward(&[3.0, 4.0, -1.0, 0.0], 2, &mut out).unwrap();
        assert_eq!(out, [11.5, -4.0, -0.5, 0.0]);
        assert_eq!(layer.to_string(), "Dense(in=2, out=2)");
    }

    #[test]
    fn checked_constructor_names_the_problem() {
        let err = Dense::new(vec![1.0f32; 5], vec![0.0; 2]).unwrap_err();
        assert!(
            err.to_string().contains("weight has shape 5 elements"),
            "{err}"
        );
        assert!(Dense::new(Vec::<f64>::new(), vec![]).is_err());
        let err = Dense::new(vec![1.0, f64::NAN], vec![0.0]).unwrap_err();
        assert!(
            err.to_string()
                .contains("weight holds a non-finite value (NaN) at index 1"),
            "{err}"
        );
        let layer = Dense::new(vec![1.0f64, 2.0], vec![0.0]).unwrap();
        let err = layer.forward(&[1.0, 2.0, 3.0], 1, &mut [0.0]).unwrap_err();
        assert!(
            err.to_string()
                .contains("input has shape 3 elements, expected [1, 2]"),
            "{err}"
        );
    }

    #[test]
    fn init_is_pytorchs_uniform_bound() {
        let mut rng = Rng::new(0);
        let layer: Dense<f64> = Dense::init(16, 64, &mut rng);
        let bound = 0.25;
        assert!(layer
            .weight()
            .iter()
            .chain(layer.bias())
            .all(|w| w.abs() < bound));
        let max = layer.weight().iter().fold(0.0f64, |m, w| m.max(w.abs()));
        assert!(
            max > 0.9 * bound,
            "the draws should fill the range, max {max}"
        );
    }
}
