//! The two floating-point types the kernels are generic over, `f32` and `f64`.
//!
//! A small sealed trait rather than a numeric-traits crate: the activations need a handful of
//! operations, among them `erf`/`erfc`, which `std` does not have. The transcendental ones (exp,
//! expm1, ln_1p, tanh, erf, erfc) are this crate's branch-free implementations (`vmath`), not `std`'s
//! or `libm`'s: they vectorise inside the slice kernels, they do not depend on the platform's C
//! library, and the scalar reference and the vector loops compute the same bits. They are within
//! about 1 ulp of the true value (exp, expm1, ln_1p, erf), 1.3 ulp (tanh) and 2.4 ulp (erfc); the
//! figures for each function and type are measured in `tests/vmath.rs`.
//!
//! ```
//! use relulens::activation::Float;
//! fn double<T: Float>(x: T) -> T { x + x }
//! assert_eq!(double(1.5f32), 3.0);
//! assert_eq!(<f64 as Float>::from_f64(0.25), 0.25);
//! ```

use core::fmt::{Debug, Display};
use core::ops::{Add, Div, Mul, Neg, Sub};

use super::vmath;

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point type the activation kernels accept: `f32` or `f64`.
pub trait Float:
    sealed::Sealed
    + Copy
    + Default
    + PartialOrd
    + Debug
    + Display
    + Send
    + Sync
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + 'static
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// 1/2.
    const HALF: Self;
    /// Positive infinity.
    const INFINITY: Self;
    /// The difference between 1 and the next larger number.
    const EPSILON: Self;
    /// The type's name, `"f32"` or `"f64"`, for messages and fixture files.
    const NAME: &'static str;

    /// Converts from `f64`, rounding to nearest (as PyTorch does when it casts a scalar parameter to
    /// the tensor's type).
    fn from_f64(x: f64) -> Self;
    /// Widens to `f64` exactly.
    fn to_f64(self) -> f64;
    /// The square root, correctly rounded.
    fn sqrt(self) -> Self;
    /// self·a + b with one rounding (a fused multiply-add: one instruction where the processor has
    /// FMA, a slow software routine where it does not).
    fn mul_add(self, a: Self, b: Self) -> Self;
    /// e^x.
    fn exp(self) -> Self;
    /// e^x - 1, accurate near 0.
    fn exp_m1(self) -> Self;
    /// ln(1 + x), accurate near 0.
    fn ln_1p(self) -> Self;
    /// Hyperbolic tangent.
    fn tanh(self) -> Self;
    /// The error function.
    fn erf(self) -> Self;
    /// The complementary error function 1 - erf(x), accurate where erf(x) is near 1.
    fn erfc(self) -> Self;
    /// Whether the value is NaN.
    fn is_nan(self) -> bool;
    /// Whether the value is +inf or -inf.
    fn is_infinite(self) -> bool;
    /// Whether the sign bit is set (true for -0.0).
    fn is_sign_negative(self) -> bool;
    /// The slices as `f32` when `Self` is `f32`, for kernels with an `f32`-only path.
    #[allow(clippy::type_complexity)]
    fn as_f32_slices<'a>(
        params: &'a mut [Self],
        grads: &'a [Self],
        first: &'a mut [Self],
        second: &'a mut [Self],
    ) -> Option<(&'a mut [f32], &'a [f32], &'a mut [f32], &'a mut [f32])>;
}

macro_rules! impl_float {
    ($t:ty, $name:literal, $as_f32:expr) => {
        impl Float for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const HALF: Self = 0.5;
            const INFINITY: Self = <$t>::INFINITY;
            const EPSILON: Self = <$t>::EPSILON;
            const NAME: &'static str = $name;

            #[inline(always)]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline(always)]
            fn mul_add(self, a: Self, b: Self) -> Self {
                <$t>::mul_add(self, a, b)
            }
            #[inline(always)]
            fn exp(self) -> Self {
                vmath::exp(self)
            }
            #[inline(always)]
            fn exp_m1(self) -> Self {
                vmath::exp_m1(self)
            }
            #[inline(always)]
            fn ln_1p(self) -> Self {
                vmath::ln_1p(self)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                vmath::tanh(self)
            }
            #[inline(always)]
            fn erf(self) -> Self {
                vmath::erf(self)
            }
            #[inline(always)]
            fn erfc(self) -> Self {
                vmath::erfc(self)
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline(always)]
            fn is_infinite(self) -> bool {
                <$t>::is_infinite(self)
            }
            #[inline(always)]
            fn is_sign_negative(self) -> bool {
                <$t>::is_sign_negative(self)
            }
            #[inline(always)]
            fn as_f32_slices<'a>(
                params: &'a mut [Self],
                grads: &'a [Self],
                first: &'a mut [Self],
                second: &'a mut [Self],
            ) -> Option<(&'a mut [f32], &'a [f32], &'a mut [f32], &'a mut [f32])> {
                #[allow(clippy::redundant_closure_call)]
                ($as_f32)((params, grads, first, second))
            }
        }
    };
}

impl_float!(f32, "f32", Some);
impl_float!(f64, "f64", |_| None);
