//! ReLU and its family: the [`Activation`] enum, scalar values and derivatives, and slice kernels.
//!
//! Semantics are PyTorch's (CPU), and each special case is documented on the scalar function in
//! [`functions`]: ReLU is `x < 0 ? 0 : x`, so NaN stays NaN, -0.0 stays -0.0 and -inf gives 0; its
//! derivative at 0 is 0; its backward reads the *output* and passes the gradient where the output is
//! NaN, as PyTorch's `threshold_backward` does.
//!
//! ```
//! use relulens::activation::Activation;
//!
//! let relu: Activation = "relu".parse()?;
//! assert_eq!(relu.value(-3.0f64), 0.0);
//! assert_eq!(relu.value(2.5f32), 2.5);
//! assert_eq!(relu.derivative(0.0f64), 0.0);
//!
//! let leaky = Activation::LeakyRelu { negative_slope: 0.01 };
//! assert_eq!(leaky.to_string(), "leaky_relu"); // default parameters are not spelled out
//! assert_eq!(leaky.value(-2.0f64), -0.02);
//!
//! let x = [-1.0f32, 0.0, 2.0];
//! let mut y = [0.0f32; 3];
//! relulens::activation::forward(relu, &x, &mut y)?;
//! assert_eq!(y, [0.0, 0.0, 2.0]);
//! # Ok::<(), relulens::Error>(())
//! ```

mod float;
pub mod functions;
mod kernels;
mod name;
mod parts;
mod vmath;

pub use float::Float;
#[cfg(target_arch = "x86_64")]
pub(crate) use kernels::has_avx2;
pub use kernels::{
    backward, backward_inplace, backward_reference, backward_with, forward, forward_inplace,
    forward_reference, forward_with, Stores, STREAM_BYTES,
};
pub use parts::{parts, PART_MIN};

use functions as f;

/// One member of the ReLU family, with its parameters (PyTorch's names and defaults).
///
/// Parameters are held in `f64` and rounded to the kernel's type when it runs, as PyTorch rounds a
/// scalar parameter to the tensor's dtype. Serialised as its [`Display`](core::fmt::Display) text,
/// such as `"relu"` or `"leaky_relu(negative_slope=0.2)"`, which parses back to the same value.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Activation {
    /// max(0, x), the default.
    #[default]
    Relu,
    /// x for x > 0, `negative_slope`·x otherwise (default slope 0.01).
    LeakyRelu {
        /// The slope for non-positive inputs.
        negative_slope: f64,
    },
    /// min(max(0, x), 6).
    Relu6,
    /// Leaky ReLU with a learnable slope; here one shared slope, PyTorch's `nn.PReLU()` (default 0.25).
    Prelu {
        /// The slope for non-positive inputs (PyTorch's `weight`, initialised to `init = 0.25`).
        weight: f64,
    },
    /// x for x > 0, α·(eˣ - 1) otherwise (default α = 1).
    Elu {
        /// The scale of the negative side.
        alpha: f64,
    },
    /// λ·ELU with α and λ fixed to the self-normalising constants.
    Selu,
    /// x·Φ(x), the exact Gaussian error linear unit.
    Gelu,
    /// The tanh approximation of GELU (PyTorch's `approximate="tanh"`).
    GeluTanh,
    /// x·σ(x), also called swish.
    Silu,
    /// ln(1 + e^(β·x))/β, the identity where β·x exceeds `threshold` (defaults β = 1, threshold 20).
    Softplus {
        /// β, the sharpness.
        beta: f64,
        /// Above β·x = threshold the function is the identity.
        threshold: f64,
    },
    /// x·relu6(x + 3)/6.
    Hardswish,
    /// x·tanh(softplus(x)).
    Mish,
    /// x, the activation of an output layer.
    Identity,
}

/// Which tensor a backward pass reads besides the upstream gradient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// The forward pass's input (the pre-activation).
    Input,
    /// The forward pass's output, so the forward may overwrite its input (ReLU, identity).
    Output,
}

impl Activation {
    /// The activation's name, without parameters: `"leaky_relu"`.
    pub fn name(&self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Relu6 => "relu6",
            Activation::Prelu { .. } => "prelu",
            Activation::Elu { .. } => "elu",
            Activation::Selu => "selu",
            Activation::Gelu => "gelu",
            Activation::GeluTanh => "gelu_tanh",
            Activation::Silu => "silu",
            Activation::Softplus { .. } => "softplus",
            Activation::Hardswish => "hardswish",
            Activation::Mish => "mish",
            Activation::Identity => "identity",
        }
    }

    /// The parameters with their current values, in PyTorch's order.
    pub fn params(&self) -> Vec<(&'static str, f64)> {
        match *self {
            Activation::LeakyRelu { negative_slope } => vec![("negative_slope", negative_slope)],
            Activation::Prelu { weight } => vec![("weight", weight)],
            Activation::Elu { alpha } => vec![("alpha", alpha)],
            Activation::Softplus { beta, threshold } => {
                vec![("beta", beta), ("threshold", threshold)]
            }
            _ => Vec::new(),
        }
    }

    /// Whether the function is piecewise linear (exact region geometry applies to it).
    pub fn is_piecewise_linear(&self) -> bool {
        matches!(
            self,
            Activation::Relu
                | Activation::LeakyRelu { .. }
                | Activation::Relu6
                | Activation::Prelu { .. }
                | Activation::Identity
        )
    }

    /// Which tensor [`backward`] needs: the output for ReLU and the identity, the input otherwise.
    pub fn saves(&self) -> Saved {
        match self {
            Activation::Relu | Activation::Identity => Saved::Output,
            _ => Saved::Input,
        }
    }

    /// The activation's value at `x`.
    ///
    /// # Examples
    ///
    /// ```
    /// use relulens::activation::Activation;
    /// assert_eq!(Activation::Relu6.value(7.0f64), 6.0);
    /// assert!(Activation::Relu.value(f32::NAN).is_nan());
    /// ```
    #[inline(always)]
    pub fn value<T: Float>(&self, x: T) -> T {
        let p = T::from_f64;
        match *self {
            Activation::Relu => f::relu(x),
            Activation::LeakyRelu { negative_slope } => f::leaky_relu(x, p(negative_slope)),
            Activation::Relu6 => f::relu6(x),
            Activation::Prelu { weight } => f::leaky_relu(x, p(weight)),
            Activation::Elu { alpha } => f::elu(x, p(alpha), T::ONE),
            Activation::Selu => f::elu(x, p(f::SELU_ALPHA), p(f::SELU_SCALE)),
            Activation::Gelu => f::gelu(x),
            Activation::GeluTanh => f::gelu_tanh(x),
            Activation::Silu => f::silu(x),
            Activation::Softplus { beta, threshold } => f::softplus(x, p(beta), p(threshold)),
            Activation::Hardswish => f::hardswish(x),
            Activation::Mish => f::mish(x),
            Activation::Identity => x,
        }
    }

    /// The derivative at input `x`, as PyTorch's backward gives it for an upstream gradient of 1
    /// (so defined at the kinks by PyTorch's conventions).
    ///
    /// # Examples
    ///
    /// ```
    /// use relulens::activation::Activation;
    /// assert_eq!(Activation::Relu.derivative(0.0f64), 0.0);
    /// assert_eq!(Activation::LeakyRelu { negative_slope: 0.01 }.derivative(0.0f64), 0.01);
    /// assert_eq!(Activation::Hardswish.derivative(3.0f64), 1.0);
    /// ```
    #[inline(always)]
    pub fn derivative<T: Float>(&self, x: T) -> T {
        let p = T::from_f64;
        match *self {
            Activation::Relu => f::relu_derivative(x),
            Activation::LeakyRelu { negative_slope } => {
                f::leaky_relu_derivative(x, p(negative_slope))
            }
            Activation::Relu6 => f::relu6_derivative(x),
            Activation::Prelu { weight } => f::leaky_relu_derivative(x, p(weight)),
            Activation::Elu { alpha } => f::elu_derivative(x, p(alpha), T::ONE),
            Activation::Selu => f::elu_derivative(x, p(f::SELU_ALPHA), p(f::SELU_SCALE)),
            Activation::Gelu => f::gelu_derivative(x),
            Activation::GeluTanh => f::gelu_tanh_derivative(x),
            Activation::Silu => f::silu_derivative(x),
            Activation::Softplus { beta, threshold } => {
                f::softplus_derivative(x, p(beta), p(threshold))
            }
            Activation::Hardswish => f::hardswish_derivative(x),
            Activation::Mish => f::mish_derivative(x),
            Activation::Identity => T::ONE,
        }
    }

    /// One element of the backward pass: the input gradient for upstream gradient `grad`, given the
    /// saved value that [`saves`](Self::saves) names.
    ///
    /// Where PyTorch's backward *selects* (a zero slope, a unit slope) it selects too, so a NaN or
    /// infinite upstream gradient through a dead ReLU gives 0, not NaN; elsewhere it multiplies.
    #[inline(always)]
    pub fn backward_scalar<T: Float>(&self, saved: T, grad: T) -> T {
        let p = T::from_f64;
        match *self {
            Activation::Relu => {
                if saved <= T::ZERO {
                    T::ZERO
                } else {
                    grad
                }
            }
            Activation::Identity => grad,
            Activation::LeakyRelu { negative_slope: s } | Activation::Prelu { weight: s } => {
                if saved > T::ZERO {
                    grad
                } else {
                    grad * p(s)
                }
            }
            Activation::Relu6 => {
                if saved > T::ZERO && saved < p(6.0) {
                    grad
                } else {
                    T::ZERO
                }
            }
            Activation::Hardswish => f::hardswish_backward(saved, grad),
            Activation::Softplus { beta, threshold } => {
                let xb = saved * p(beta);
                if xb > p(threshold) {
                    grad
                } else {
                    grad * f::sigmoid(xb)
                }
            }
            _ => grad * self.derivative(saved),
        }
    }
}
