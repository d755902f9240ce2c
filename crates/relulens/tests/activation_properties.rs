//! Property tests of the mathematics of the ReLU family.

use proptest::prelude::*;
use relulens::activation::{functions, Activation};

/// Finite inputs of ordinary size, both signs.
fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![-1e6..1e6f64, -10.0..10.0f64, -1e-6..1e-6f64]
}

/// Finite f32 inputs.
fn finite32() -> impl Strategy<Value = f32> {
    prop_oneof![-1e30..1e30f32, -10.0..10.0f32]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// relu(x) - relu(-x) = x: the positive and negative parts add back to x, exactly.
    #[test]
    fn relu_parts_add_back(x in finite()) {
        prop_assert_eq!(functions::relu(x) - functions::relu(-x), x);
    }

    #[test]
    fn relu_parts_add_back_f32(x in finite32()) {
        prop_assert_eq!(functions::relu(x) - functions::relu(-x), x);
    }

    /// ReLU is idempotent and never negative.
    #[test]
    fn relu_is_idempotent(x in finite()) {
        let y = functions::relu(x);
        prop_assert_eq!(functions::relu(y), y);
        prop_assert!(y >= 0.0);
        prop_assert!(y == 0.0 || y == x);
    }

    /// Leaky ReLU with slope 1 is the identity, bit for bit.
    #[test]
    fn leaky_relu_with_slope_one_is_the_identity(x in prop_oneof![finite(), Just(-0.0), Just(f64::NEG_INFINITY)]) {
        let a = Activation::LeakyRelu { negative_slope: 1.0 };
        prop_assert_eq!(a.value(x).to_bits(), x.to_bits());
    }

    /// The piecewise-linear members are linear with slope 0 or 1 (or the leak) on either side of
    /// their kinks: value(x) = derivative(x) · x away from the kinks at 0 (and the cap of ReLU6).
    #[test]
    fn piecewise_linear_members_are_slope_times_x(x in finite()) {
        prop_assume!(x != 0.0);
        for a in [Activation::Relu, Activation::LeakyRelu { negative_slope: 0.01 }, Activation::Prelu { weight: 0.25 }] {
            prop_assert_eq!(a.value(x), a.derivative(x) * x, "{}", a);
        }
        if x < 6.0 {
            prop_assert_eq!(Activation::Relu6.value(x), Activation::Relu6.derivative(x) * x);
        }
    }

    /// Every derivative agrees with a central difference of the value, away from the kinks.
    #[test]
    fn derivatives_match_central_differences(x in -8.0..8.0f64) {
        for a in Activation::all().into_iter().chain([
            Activation::LeakyRelu { negative_slope: 0.2 },
            Activation::Elu { alpha: 0.5 },
            Activation::Softplus { beta: 2.0, threshold: 10.0 },
        ]) {
            let kinks: &[f64] = match a {
                Activation::Relu | Activation::LeakyRelu { .. } | Activation::Prelu { .. } | Activation::Elu { .. } | Activation::Selu => &[0.0],
                Activation::Relu6 => &[0.0, 6.0],
                Activation::Hardswish => &[-3.0, 3.0],
                Activation::Softplus { beta, threshold } => &[threshold / beta],
                _ => &[],
            };
            let h = 1e-6;
            if kinks.iter().any(|k| (x - k).abs() < 10.0 * h) {
                continue;
            }
            let numeric = (a.value(x + h) - a.value(x - h)) / (2.0 * h);
            let analytic = a.derivative(x);
            prop_assert!((numeric - analytic).abs() <= 1e-6 * (1.0 + analytic.abs()),
                "{} at {}: analytic {}, numeric {}", a, x, analytic, numeric);
        }
    }

    /// f32 and f64 agree to f32 precision on the smooth members.
    #[test]
    fn f32_tracks_f64(x in -20.0..20.0f32) {
        for a in Activation::all() {
            let single = a.value(x) as f64;
            let double = a.value(x as f64);
            prop_assert!((single - double).abs() <= 4.0 * f32::EPSILON as f64 * (1.0 + double.abs()),
                "{} at {}: f32 {}, f64 {}", a, x, single, double);
        }
    }
}

#[test]
fn relu_special_values_are_pytorchs() {
    let relu = Activation::Relu;
    assert!(relu.value(f64::NAN).is_nan());
    assert_eq!(relu.value(-0.0f64).to_bits(), (-0.0f64).to_bits());
    assert_eq!(relu.value(f64::NEG_INFINITY), 0.0);
    assert_eq!(relu.value(f64::INFINITY), f64::INFINITY);
    assert_eq!(relu.derivative(0.0f64), 0.0);
    assert_eq!(relu.derivative(f64::NAN), 1.0);
}

#[test]
fn the_kinks_follow_pytorchs_conventions() {
    let leaky = Activation::LeakyRelu {
        negative_slope: 0.01,
    };
    assert_eq!(leaky.derivative(0.0f64), 0.01);
    assert_eq!(Activation::Relu6.derivative(0.0f64), 0.0);
    assert_eq!(Activation::Relu6.derivative(6.0f64), 0.0);
    assert_eq!(Activation::Relu6.value(7.5f64), 6.0);
    assert_eq!(Activation::Hardswish.derivative(-3.0f64), 0.0);
    assert_eq!(Activation::Hardswish.derivative(3.0f64), 1.0);
    assert_eq!(Activation::Hardswish.derivative(0.0f64), 0.5);
}

#[test]
fn the_true_limits_at_infinity() {
    for a in [
        Activation::Gelu,
        Activation::GeluTanh,
        Activation::Silu,
        Activation::Mish,
        Activation::Hardswish,
    ] {
        assert_eq!(a.value(f64::NEG_INFINITY), 0.0, "{a}");
        assert_eq!(a.value(f32::NEG_INFINITY), 0.0, "{a}");
        assert_eq!(a.value(f64::INFINITY), f64::INFINITY, "{a}");
        assert_eq!(a.derivative(f64::NEG_INFINITY), 0.0, "{a}");
        assert_eq!(a.derivative(f64::INFINITY), 1.0, "{a}");
    }
}

#[test]
#[allow(clippy::excessive_precision)]
fn selu_constants_are_full_precision() {
    // The values from Klambauer et al. (2017), as PyTorch spells them.
    assert_eq!(functions::SELU_ALPHA, 1.6732632423543772848170429916717);
    assert_eq!(functions::SELU_SCALE, 1.0507009873554804934193349852946);
    let y = Activation::Selu.value(1.0f64);
    assert_eq!(y, functions::SELU_SCALE);
}
