//! Optimisers with `torch.optim`'s update rules and defaults: SGD (momentum, dampening, Nesterov,
//! weight decay), Adam and AdamW (both without amsgrad), as PyTorch's single-tensor CPU code runs
//! them — the same operations in the same order, scalars computed in f64 and rounded to the
//! parameters' type.
//!
//! ```
//! use relulens::train::{Optimizer, OptimizerConfig};
//! use relulens::nn::{Gradients, MlpConfig};
//! let mut mlp = MlpConfig::new(vec![1, 1]).init::<f64>()?;
//! let before = mlp.layers()[0].bias()[0];
//! let mut grads = Gradients::zeros_like(&mlp);
//! grads.layers[0].bias[0] = 1.0;
//! let mut sgd = Optimizer::new(OptimizerConfig::sgd(0.1), &mlp);
//! sgd.step(&mut mlp, &grads)?;
//! assert_eq!(mlp.layers()[0].bias()[0], before - 0.1);
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::activation::Float;
use crate::error::{Error, Result};
use crate::nn::{Gradients, Mlp};

use super::adam_f32::{AdamF32, Steps};

/// An optimiser's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum OptimizerConfig {
    /// Stochastic gradient descent, `torch.optim.SGD`.
    Sgd {
        /// Learning rate (PyTorch's default 0.001).
        lr: f64,
        /// Momentum factor (0: none).
        momentum: f64,
        /// Dampening of the momentum.
        dampening: f64,
        /// L2 penalty added to the gradient.
        weight_decay: f64,
        /// Nesterov momentum.
        nesterov: bool,
    },
    /// Adam, `torch.optim.Adam`.
    Adam {
        /// Learning rate (0.001).
        lr: f64,
        /// β₁ (0.9).
        beta1: f64,
        /// β₂ (0.999).
        beta2: f64,
        /// ε (1e-8).
        eps: f64,
        /// L2 penalty added to the gradient (0).
        weight_decay: f64,
    },
    /// AdamW, `torch.optim.AdamW`: Adam with decoupled weight decay.
    AdamW {
        /// Learning rate (0.001).
        lr: f64,
        /// β₁ (0.9).
        beta1: f64,
        /// β₂ (0.999).
        beta2: f64,
        /// ε (1e-8).
        eps: f64,
        /// Decoupled weight decay (0.01).
        weight_decay: f64,
    },
}

impl OptimizerConfig {
    /// Plain SGD with learning rate `lr`.
    pub fn sgd(lr: f64) -> Self {
        OptimizerConfig::Sgd {
            lr,
            momentum: 0.0,
            dampening: 0.0,
            weight_decay: 0.0,
            nesterov: false,
        }
    }

    /// Adam with PyTorch's defaults and learning rate `lr`.
    pub fn adam(lr: f64) -> Self {
        OptimizerConfig::Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
        }
    }

    /// AdamW with PyTorch's defaults and learning rate `lr`.
    pub fn adamw(lr: f64) -> Self {
        OptimizerConfig::AdamW {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.01,
        }
    }

    /// The learning rate.
    pub fn lr(&self) -> f64 {
        match *self {
            OptimizerConfig::Sgd { lr, .. }
            | OptimizerConfig::Adam { lr, .. }
            | OptimizerConfig::AdamW { lr, .. } => lr,
        }
    }

    /// The same settings with another learning rate.
    pub fn with_lr(mut self, new_lr: f64) -> Self {
        match &mut self {
            OptimizerConfig::Sgd { lr, .. }
            | OptimizerConfig::Adam { lr, .. }
            | OptimizerConfig::AdamW { lr, .. } => *lr = new_lr,
        }
        self
    }

    /// Checks the settings, naming the first bad one.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOptimizer`] for a non-positive or non-finite learning rate, β outside [0, 1),
    /// a negative ε, momentum or weight decay, or Nesterov without momentum.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &str, value: f64, rule: &str| {
            Err(Error::InvalidOptimizer {
                reason: format!("{what} = {value}: {rule}"),
            })
        };
        let lr = self.lr();
        if !(lr.is_finite() && lr > 0.0) {
            return bad("lr", lr, "the learning rate must be a positive number");
        }
        match *self {
            OptimizerConfig::Sgd {
                momentum,
                dampening,
                weight_decay,
                nesterov,
                ..
            } => {
                for (what, v) in [
                    ("momentum", momentum),
                    ("dampening", dampening),
                    ("weight_decay", weight_decay),
                ] {
                    if !(v.is_finite() && v >= 0.0) {
                        return bad(what, v, "must be a non-negative number");
                    }
                }
                if nesterov && (momentum <= 0.0 || dampening != 0.0) {
                    return bad(
                        "momentum",
                        momentum,
                        "Nesterov needs momentum > 0 and no dampening",
                    );
                }
            }
            OptimizerConfig::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
                ..
            }
            | OptimizerConfig::AdamW {
                beta1,
                beta2,
                eps,
                weight_decay,
                ..
            } => {
                for (what, v) in [("beta1", beta1), ("beta2", beta2)] {
                    if !(0.0..1.0).contains(&v) {
                        return bad(what, v, "must lie in [0, 1)");
                    }
                }
                for (what, v) in [("eps", eps), ("weight_decay", weight_decay)] {
                    if !(v.is_finite() && v >= 0.0) {
                        return bad(what, v, "must be a non-negative number");
                    }
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for OptimizerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptimizerConfig::Sgd { lr, momentum, .. } => {
                write!(f, "sgd(lr={lr}, momentum={momentum})")
            }
            OptimizerConfig::Adam { lr, .. } => write!(f, "adam(lr={lr})"),
            OptimizerConfig::AdamW {
                lr, weight_decay, ..
            } => {
                write!(f, "adamw(lr={lr}, weight_decay={weight_decay})")
            }
        }
    }
}

impl FromStr for OptimizerConfig {
    type Err = Error;

    /// `sgd`, `adam` or `adamw`, with PyTorch's defaults (learning rate 0.001).
    fn from_str(name: &str) -> Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "sgd" => Ok(OptimizerConfig::sgd(0.001)),
            "adam" => Ok(OptimizerConfig::adam(0.001)),
            "adamw" => Ok(OptimizerConfig::adamw(0.001)),
            _ => Err(Error::InvalidOptimizer {
                reason: format!("unknown optimizer {name:?}; valid names: sgd, adam, adamw"),
            }),
        }
    }
}

/// An optimiser with its state (momentum buffers or Adam's moments), one entry per parameter tensor
/// in the order weight₀, bias₀, weight₁, ….
#[derive(Debug, Clone)]
pub struct Optimizer<T: Float = f32> {
    config: OptimizerConfig,
    step: u64,
    first: Vec<Vec<T>>,
    second: Vec<Vec<T>>,
}

impl<T: Float> Optimizer<T> {
    /// A fresh optimiser for `mlp`'s parameters.
    pub fn new(config: OptimizerConfig, mlp: &Mlp<T>) -> Self {
        let zeros: Vec<Vec<T>> = mlp
            .layers()
            .iter()
            .flat_map(|l| {
                [
                    vec![T::ZERO; l.weight().len()],
                    vec![T::ZERO; l.bias().len()],
                ]
            })
            .collect();
        let second = match config {
            OptimizerConfig::Sgd { .. } => Vec::new(),
            _ => zeros.clone(),
        };
        Optimizer {
            config,
            step: 0,
            first: zeros,
            second,
        }
    }

    /// The settings.
    pub fn config(&self) -> &OptimizerConfig {
        &self.config
    }

    /// One update of every parameter of `mlp` from `grads`.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] when `grads` or the optimiser's state is not shaped like `mlp`.
    pub fn step(&mut self, mlp: &mut Mlp<T>, grads: &Gradients<T>) -> Result<()> {
        let tensors = self.first.len();
        if grads.layers.len() * 2 != tensors || mlp.layers().len() * 2 != tensors {
            return Err(Error::ShapeMismatch {
                op: "Optimizer::step",
                what: "network".into(),
                expected: format!("{} parameter tensors", tensors),
                got: format!("{}", mlp.layers().len() * 2),
            });
        }
        self.step += 1;
        let t = self.step;
        let config = self.config;
        for (l, (layer, g)) in mlp.layers_mut().iter_mut().zip(&grads.layers).enumerate() {
            let (weight, bias) = layer.params_mut();
            for (i, (param, grad)) in [(weight, &g.weight), (bias, &g.bias)]
                .into_iter()
                .enumerate()
            {
                let k = 2 * l + i;
                if param.len() != grad.len() || self.first[k].len() != param.len() {
                    return Err(Error::ShapeMismatch {
                        op: "Optimizer::step",
                        what: format!("gradient of tensor {k}"),
                        expected: format!("{} elements", param.len()),
                        got: format!("{} elements", grad.len()),
                    });
                }
                let second = self.second.get_mut(k).map(Vec::as_mut_slice);
                update(&config, t, param, grad, &mut self.first[k], second);
            }
        }
        Ok(())
    }
}

/// One tensor's update, following `torch.optim`'s `_single_tensor_*` functions.
fn update<T: Float>(
    config: &OptimizerConfig,
    step: u64,
    param: &mut [T],
    grad: &[T],
    first: &mut [T],
    second: Option<&mut [T]>,
) {
    let c = T::from_f64;
    match *config {
        OptimizerConfig::Sgd {
            lr,
            momentum,
            dampening,
            weight_decay,
            nesterov,
        } => {
            let (wd, mom, keep, neg_lr) =
                (c(weight_decay), c(momentum), c(1.0 - dampening), c(-lr));
            for ((p, &g), buf) in param.iter_mut().zip(grad).zip(first.iter_mut()) {
                let mut d = if weight_decay != 0.0 { g + *p * wd } else { g };
                if momentum != 0.0 {
                    // The first step's buffer is the gradient itself (PyTorch clones it).
                    *buf = if step == 1 { d } else { *buf * mom + d * keep };
                    d = if nesterov { d + *buf * mom } else { *buf };
                }
                *p = *p + d * neg_lr;
            }
        }
        OptimizerConfig::Adam {
            lr,
            beta1,
            beta2,
            eps,
            weight_decay,
        }
        | OptimizerConfig::AdamW {
            lr,
            beta1,
            beta2,
            eps,
            weight_decay,
        } => {
            let decoupled = matches!(config, OptimizerConfig::AdamW { .. });
            let second = second.expect("Adam keeps second moments");
            let bias_correction1 = 1.0 - beta1.powi(step as i32);
            let bias_correction2 = 1.0 - beta2.powi(step as i32);
            let neg_step_size = c(-lr / bias_correction1);
            let bias_correction2_sqrt = c(bias_correction2.sqrt());
            let (w1, b2, w2, eps_t) = (c(1.0 - beta1), c(beta2), c(1.0 - beta2), c(eps));
            let decay = c(1.0 - lr * weight_decay);
            let wd = c(weight_decay);
            if let Some((param, grad, first, second)) = T::as_f32_slices(param, grad, first, second)
            {
                // The same arithmetic, without the slow path for subnormal numbers.
                let f = |x: T| x.to_f64() as f32;
                let constants = AdamF32 {
                    decoupled,
                    coupled_decay: !decoupled && weight_decay != 0.0,
                    decay: f(decay),
                    wd: f(wd),
                    w1: f(w1),
                    b2: f(b2),
                    w2: f(w2),
                    bias_correction2_sqrt: f(bias_correction2_sqrt),
                    eps: f(eps_t),
                    neg_step_size: f(neg_step_size),
                    w1_steps: Steps::of(f(w1)),
                    b2_steps: Steps::of(f(b2)),
                };
                constants.update(param, grad, first, second);
                return;
            }
            for (((p, &g), m), v) in param
                .iter_mut()
                .zip(grad)
                .zip(first.iter_mut())
                .zip(second.iter_mut())
            {
                let mut g = g;
                if decoupled {
                    *p = *p * decay;
                } else if weight_decay != 0.0 {
                    g = g + *p * wd;
                }
                // torch's lerp with weight < 0.5: m + w·(g − m).
                *m = *m + w1 * (g - *m);
                *v = *v * b2 + g * g * w2;
                let denom = v.sqrt() / bias_correction2_sqrt + eps_t;
                *p = *p + neg_step_size * (*m / denom);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::MlpConfig;

    fn one_param(value: f64) -> Mlp<f64> {
        let mut mlp = MlpConfig::new(vec![1, 1]).init::<f64>().unwrap();
        let (w, b) = mlp.layers_mut()[0].params_mut();
        w[0] = value;
        b[0] = 0.0;
        mlp
    }

    fn grads(mlp: &Mlp<f64>, g: f64) -> Gradients<f64> {
        let mut grads = Gradients::zeros_like(mlp);
        grads.layers[0].weight[0] = g;
        grads
    }

    #[test]
    fn adam_first_step_moves_by_lr_times_sign() {
        // After one step m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
        let mut mlp = one_param(1.0);
        let mut adam = Optimizer::new(OptimizerConfig::adam(0.1), &mlp);
        let g = grads(&mlp, 4.0);
        adam.step(&mut mlp, &g).unwrap();
        let w = mlp.layers()[0].weight()[0];
        assert!((w - 0.9).abs() < 1e-8, "{w}");
    }

    #[test]
    fn sgd_momentum_by_hand() {
        // lr 0.1, momentum 0.9, gradient 1 each step: buffers 1, 1.9, 2.71.
        let mut mlp = one_param(0.0);
        let config = OptimizerConfig::Sgd {
            lr: 0.1,
            momentum: 0.9,
            dampening: 0.0,
            weight_decay: 0.0,
            nesterov: false,
        };
        let mut sgd = Optimizer::new(config, &mlp);
        for _ in 0..3 {
            let g = grads(&mlp, 1.0);
            sgd.step(&mut mlp, &g).unwrap();
        }
        let w = mlp.layers()[0].weight()[0];
        assert!((w + 0.1 * (1.0 + 1.9 + 2.71)).abs() < 1e-12, "{w}");
    }

    #[test]
    fn adamw_decays_the_weight_even_without_gradient() {
        let mut mlp = one_param(2.0);
        let mut adamw = Optimizer::new(OptimizerConfig::adamw(0.1), &mlp);
        let g = grads(&mlp, 0.0);
        adamw.step(&mut mlp, &g).unwrap();
        assert!((mlp.layers()[0].weight()[0] - 2.0 * (1.0 - 0.1 * 0.01)).abs() < 1e-15);
    }

    #[test]
    fn settings_are_checked() {
        assert!(OptimizerConfig::adam(0.0).validate().is_err());
        assert!(OptimizerConfig::adam(f64::NAN).validate().is_err());
        let nesterov = OptimizerConfig::Sgd {
            lr: 0.1,
            momentum: 0.0,
            dampening: 0.0,
            weight_decay: 0.0,
            nesterov: true,
        };
        assert!(nesterov.validate().is_err());
        assert!("rmsprop"
            .parse::<OptimizerConfig>()
            .unwrap_err()
            .to_string()
            .contains("sgd, adam, adamw"));
        assert_eq!(
            "AdamW".parse::<OptimizerConfig>().unwrap(),
            OptimizerConfig::adamw(0.001)
        );
    }
}
