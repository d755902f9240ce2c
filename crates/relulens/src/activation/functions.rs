//! Scalar definitions of every activation and its derivative: the plain reference the fast kernels
//! are tested against.
//!
//! Each function follows PyTorch's CPU kernel for the same operation, comparison for comparison, so
//! that the special values (NaN, ±0, ±inf, the kinks) come out as PyTorch's do; where PyTorch's
//! formula is inaccurate or returns NaN at an infinity through an open bug, the deviation is named in
//! the function's documentation.
//!
//! "Derivative" means what PyTorch's backward returns for an upstream gradient of 1, so it is defined
//! at kinks (by PyTorch's convention) and at NaN (where most of PyTorch's backward kernels pass the
//! gradient through, because every comparison with NaN is false).
//!
//! ```
//! use relulens::activation::functions::{relu, relu_derivative, leaky_relu};
//! assert_eq!(relu(-2.0f64), 0.0);
//! assert_eq!(relu(3.0f32), 3.0);
//! assert_eq!(relu_derivative(0.0f64), 0.0); // PyTorch's convention at the kink
//! assert_eq!(leaky_relu(-2.0f64, 0.01), -0.02);
//! ```

use super::float::Float;

/// SELU's α, to full precision (Klambauer et al. 2017; PyTorch's `SELU_ALPHA`).
pub const SELU_ALPHA: f64 = 1.673_263_242_354_377_284_817_042_991_671_7;
/// SELU's λ (scale), to full precision (PyTorch's `SELU_SCALE`).
pub const SELU_SCALE: f64 = 1.050_700_987_355_480_493_419_334_985_294_6;
/// √(2/π), the factor inside the tanh approximation of GELU.
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
/// 1/√(2π), the standard normal density at 0.
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;
/// The cubic coefficient of the tanh approximation of GELU.
const GELU_TANH_KAPPA: f64 = 0.044_715;

/// ReLU: `x < 0 ? 0 : x`, PyTorch's `clamp_min(x, 0)`.
///
/// NaN stays NaN, -0.0 stays -0.0 (it is not less than 0), -inf gives 0.
#[inline(always)]
pub fn relu<T: Float>(x: T) -> T {
    if x < T::ZERO {
        T::ZERO
    } else {
        x
    }
}

/// ReLU's derivative as PyTorch's backward computes it from the *output* y = relu(x):
/// `y <= 0 ? 0 : 1` (`threshold_backward`).
///
/// So it is 0 at the kink x = 0 and 1 where the output is NaN. Because it reads only the output, the
/// backward pass works after an in-place forward; see [`relu_backward_from_output`].
#[inline(always)]
pub fn relu_derivative<T: Float>(x: T) -> T {
    relu_backward_from_output(relu(x))
}

/// ReLU's derivative read from the output y: `y <= 0 ? 0 : 1`.
#[inline(always)]
pub fn relu_backward_from_output<T: Float>(y: T) -> T {
    if y <= T::ZERO {
        T::ZERO
    } else {
        T::ONE
    }
}

/// Leaky ReLU: `x > 0 ? x : x * negative_slope` (PyTorch's default slope is 0.01).
///
/// NaN stays NaN, -0.0 gives -0.0 (for a positive slope).
#[inline(always)]
pub fn leaky_relu<T: Float>(x: T, negative_slope: T) -> T {
    if x > T::ZERO {
        x
    } else {
        x * negative_slope
    }
}

/// Leaky ReLU's derivative: `x > 0 ? 1 : negative_slope`, so the slope at the kink and at NaN.
#[inline(always)]
pub fn leaky_relu_derivative<T: Float>(x: T, negative_slope: T) -> T {
    if x > T::ZERO {
        T::ONE
    } else {
        negative_slope
    }
}

/// ReLU6: `min(max(x, 0), 6)`, PyTorch's `hardtanh(x, 0, 6)`, NaN propagated, -0.0 kept.
#[inline(always)]
pub fn relu6<T: Float>(x: T) -> T {
    let six = T::from_f64(6.0);
    if x.is_nan() {
        x
    } else if x < T::ZERO {
        T::ZERO
    } else if x > six {
        six
    } else {
        x
    }
}

/// ReLU6's derivative: `0 < x < 6 ? 1 : 0` (PyTorch's vectorised `hardtanh_backward`), so 0 at both
/// kinks and at NaN.
#[inline(always)]
pub fn relu6_derivative<T: Float>(x: T) -> T {
    if x > T::ZERO && x < T::from_f64(6.0) {
        T::ONE
    } else {
        T::ZERO
    }
}

/// ELU: `x > 0 ? x : alpha * (e^x - 1)`, scaled by `scale` (1 for ELU, λ for SELU).
///
/// The comparison is PyTorch's vectorised one, so NaN takes the negative branch and stays NaN.
/// Deviation: PyTorch computes `exp(x) - 1`, which rounds to 0 for |x| below half an ulp of 1 and
/// loses relative accuracy near 0; this uses `expm1`, which keeps it, so tiny negative inputs give
/// tiny negative outputs where PyTorch gives 0.
#[inline(always)]
pub fn elu<T: Float>(x: T, alpha: T, scale: T) -> T {
    if x > T::ZERO {
        x * scale
    } else {
        x.exp_m1() * (alpha * scale)
    }
}

/// ELU's derivative: `x > 0 ? scale : alpha * scale * e^x`, NaN at NaN as in PyTorch.
#[inline(always)]
pub fn elu_derivative<T: Float>(x: T, alpha: T, scale: T) -> T {
    if x > T::ZERO {
        scale
    } else {
        alpha * scale * x.exp()
    }
}

/// GELU, exact form: x·Φ(x) with Φ the standard normal distribution function.
///
/// Deviations: computed as `x/2 · erfc(-x/√2)`, which is accurate in the left tail where PyTorch's
/// `x/2 · (1 + erf(x/√2))` cancels; and at -inf it returns the limit -0.0 where PyTorch returns NaN
/// (-inf × 0).
#[inline(always)]
pub fn gelu<T: Float>(x: T) -> T {
    if x == -T::INFINITY {
        return -T::ZERO;
    }
    T::HALF * x * (-x * T::from_f64(core::f64::consts::FRAC_1_SQRT_2)).erfc()
}

/// GELU's derivative: Φ(x) + x·φ(x).
///
/// Deviation: at ±inf it returns the limits 0 and 1, where PyTorch returns NaN (inf × 0).
#[inline(always)]
pub fn gelu_derivative<T: Float>(x: T) -> T {
    if x.is_infinite() {
        return if x > T::ZERO { T::ONE } else { T::ZERO };
    }
    let cdf = T::HALF * (-x * T::from_f64(core::f64::consts::FRAC_1_SQRT_2)).erfc();
    let pdf = (-T::HALF * x * x).exp() * T::from_f64(INV_SQRT_2PI);
    cdf + x * pdf
}

/// GELU, tanh approximation: `x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³)))`, PyTorch's
/// `gelu(x, approximate="tanh")` with the same operation order.
///
/// Deviation: where the bracket is exactly 0 (x → -inf, or a cube that overflows) it returns -0.0
/// instead of PyTorch's NaN (-inf × 0).
#[inline(always)]
pub fn gelu_tanh<T: Float>(x: T) -> T {
    let inner = T::from_f64(SQRT_2_OVER_PI) * (x + T::from_f64(GELU_TANH_KAPPA) * (x * x * x));
    let bracket = T::ONE + inner.tanh();
    if bracket == T::ZERO && x.is_infinite() {
        return -T::ZERO;
    }
    T::HALF * x * bracket
}

/// The derivative of the tanh approximation of GELU, PyTorch's formula.
///
/// Deviation: where tanh saturates to ±1 the second term is 0 exactly; PyTorch computes it as
/// x · 0 · x², which is NaN when x is infinite or x² overflows.
#[inline(always)]
pub fn gelu_tanh_derivative<T: Float>(x: T) -> T {
    let beta = T::from_f64(SQRT_2_OVER_PI);
    let kappa = T::from_f64(GELU_TANH_KAPPA);
    let x_sq = x * x;
    let inner = beta * (x + kappa * (x_sq * x));
    let t = inner.tanh();
    let left_derivative = T::HALF * (T::ONE + t);
    let sech_sq = T::ONE - t * t;
    if sech_sq == T::ZERO {
        return left_derivative;
    }
    let inner_derivative = beta * (T::ONE + T::from_f64(3.0) * kappa * x_sq);
    left_derivative + T::HALF * x * sech_sq * inner_derivative
}

/// The logistic sigmoid 1/(1 + e^-x), in the form that never overflows: with e = e^-|x|, it is
/// 1/(1 + e) for x ≥ 0 and e/(1 + e) otherwise.
///
/// One exponential serves both sides, so a vectorised loop, which computes both sides of a choice
/// and blends them, evaluates it once.
#[inline(always)]
pub fn sigmoid<T: Float>(x: T) -> T {
    let non_negative = x >= T::ZERO;
    let e = (if non_negative { -x } else { x }).exp();
    let numerator = if non_negative { T::ONE } else { e };
    numerator / (T::ONE + e)
}

/// SiLU (swish): x·σ(x).
///
/// Deviation: at -inf it returns the limit -0.0 where PyTorch's `x / (1 + e^-x)` returns NaN.
#[inline(always)]
pub fn silu<T: Float>(x: T) -> T {
    if x == -T::INFINITY {
        return -T::ZERO;
    }
    x * sigmoid(x)
}

/// SiLU's derivative: σ(x)·(1 + x·(1 - σ(x))).
///
/// Deviation: at ±inf it returns the limits 0 and 1 where PyTorch returns NaN (inf × 0).
#[inline(always)]
pub fn silu_derivative<T: Float>(x: T) -> T {
    if x.is_infinite() {
        return if x > T::ZERO { T::ONE } else { T::ZERO };
    }
    let s = sigmoid(x);
    s * (T::ONE + x * (T::ONE - s))
}

/// Softplus: `x·beta > threshold ? x : ln(1 + e^(x·beta)) / beta` (PyTorch's defaults: beta 1,
/// threshold 20), the same comparison so the switch to the identity happens where PyTorch's does.
#[inline(always)]
pub fn softplus<T: Float>(x: T, beta: T, threshold: T) -> T {
    let xb = x * beta;
    if xb > threshold {
        x
    } else {
        xb.exp().ln_1p() / beta
    }
}

/// Softplus's derivative: `x·beta > threshold ? 1 : σ(x·beta)`.
///
/// PyTorch writes σ as z/(z + 1) with z = e^(x·beta), which is NaN once z overflows (possible only with
/// a threshold above ~88 in f32); the stable sigmoid here is not.
#[inline(always)]
pub fn softplus_derivative<T: Float>(x: T, beta: T, threshold: T) -> T {
    let xb = x * beta;
    if xb > threshold {
        T::ONE
    } else {
        sigmoid(xb)
    }
}

/// Hardswish: `x · min(max(x + 3, 0), 6) / 6`, PyTorch's operation order, so it is bit-identical.
///
/// Deviation: at -inf it returns 0, the value the function has on all of x ≤ -3, where PyTorch
/// returns NaN (-inf × 0).
#[inline(always)]
pub fn hardswish<T: Float>(x: T) -> T {
    if x == -T::INFINITY {
        return T::ZERO;
    }
    let six = T::from_f64(6.0);
    let shifted = x + T::from_f64(3.0);
    // NaN must propagate through the clamp, as PyTorch's vectorised min/max do.
    let clamped = if shifted.is_nan() {
        shifted
    } else if shifted < T::ZERO {
        T::ZERO
    } else if shifted > six {
        six
    } else {
        shifted
    };
    x * clamped / six
}

/// Hardswish's derivative, as PyTorch (2.x) computes it: `x <= -3 ? 0 : x >= 3 ? 1 : x/3 + 1/2`.
///
/// At the kinks it takes the outer piece's slope (0 at -3, 1 at 3), and NaN gives NaN.
#[inline(always)]
pub fn hardswish_derivative<T: Float>(x: T) -> T {
    hardswish_backward(x, T::ONE)
}

/// Hardswish's backward for upstream gradient `grad`: it selects where the slope is 0 or 1, as
/// PyTorch's kernel does, so an infinite `grad` on the flat part gives 0, not NaN.
#[inline(always)]
pub fn hardswish_backward<T: Float>(x: T, grad: T) -> T {
    let three = T::from_f64(3.0);
    if x <= -three {
        T::ZERO
    } else if x >= three {
        grad
    } else {
        grad * (x / three + T::HALF)
    }
}

/// Mish: x·tanh(softplus(x)), with softplus = ln(1 + e^x) as in PyTorch.
///
/// Deviation: at -inf it returns the limit -0.0 where PyTorch returns NaN (-inf × 0).
#[inline(always)]
pub fn mish<T: Float>(x: T) -> T {
    if x == -T::INFINITY {
        return -T::ZERO;
    }
    x * x.exp().ln_1p().tanh()
}

/// Mish's derivative, PyTorch's formula: t + x·σ(x)·(1 - t²) with t = tanh(softplus(x)).
///
/// Deviation: at ±inf it returns the limits 0 and 1 where PyTorch returns NaN (inf × 0).
#[inline(always)]
pub fn mish_derivative<T: Float>(x: T) -> T {
    if x.is_infinite() {
        return if x > T::ZERO { T::ONE } else { T::ZERO };
    }
    let t = x.exp().ln_1p().tanh();
    t + x * sigmoid(x) * (T::ONE - t * t)
}
