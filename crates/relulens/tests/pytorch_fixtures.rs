//! Agreement with PyTorch, through the committed fixture `tests/fixtures/activations.json`, written by
//! `scripts/make_activation_fixtures.py`.
//!
//! The bounds, per dtype (ε is the dtype's machine epsilon):
//! - piecewise-linear and piecewise-polynomial activations (relu, leaky_relu, relu6, prelu, hardswish,
//!   identity) and their derivatives: **bit-exact** (any NaN matches any NaN);
//! - the smooth ones: |ours − torch| ≤ 8 ulp(torch) + 4ε·(1 + |x|). The absolute term covers inputs
//!   where PyTorch's own formula cancels (GELU's `1 + erf(x/√2)` in the left tail, ELU's `exp(x) − 1`
//!   near 0, GELU-tanh's derivative where PyTorch's tanh rounds to ±1), where relulens is the more
//!   accurate of the two;
//! - documented deviations: where PyTorch returns NaN for a non-NaN input (GELU, GELU-tanh, SiLU, Mish,
//!   Hardswish at -inf; their derivatives at ±inf or where x² overflows), relulens returns the true
//!   limit, which the test checks exactly: value 0 (x < 0) or x (x > 0), derivative 0 or 1.

use relulens::activation::{self, Activation, Float};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    torch_version: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    activation: String,
    dtype: String,
    x: Vec<String>,
    value: Vec<String>,
    derivative: Vec<String>,
}

fn load() -> Fixture {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/activations.json"
    );
    let text = std::fs::read_to_string(path).expect("the fixture file is committed");
    serde_json::from_str(&text).expect("the fixture file is valid JSON")
}

trait FromHex: Float + std::fmt::LowerExp {
    fn from_hex(hex: &str) -> Self;
    fn ulp(self) -> Self;
}

impl FromHex for f32 {
    fn from_hex(hex: &str) -> Self {
        let bytes: [u8; 4] = decode(hex).try_into().expect("4 bytes");
        f32::from_le_bytes(bytes)
    }
    fn ulp(self) -> Self {
        let a = self.abs();
        if !a.is_finite() {
            return f32::INFINITY;
        }
        f32::from_bits(a.to_bits() + 1) - a
    }
}

impl FromHex for f64 {
    fn from_hex(hex: &str) -> Self {
        let bytes: [u8; 8] = decode(hex).try_into().expect("8 bytes");
        f64::from_le_bytes(bytes)
    }
    fn ulp(self) -> Self {
        let a = self.abs();
        if !a.is_finite() {
            return f64::INFINITY;
        }
        f64::from_bits(a.to_bits() + 1) - a
    }
}

fn decode(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits"))
        .collect()
}

fn bit_exact(activation: Activation) -> bool {
    activation.is_piecewise_linear() || activation == Activation::Hardswish
}

/// Compares one number; returns a description of the disagreement, if any.
fn compare<T: FromHex>(
    activation: Activation,
    what: &str,
    x: T,
    ours: T,
    torch: T,
    limit: T,
) -> Option<String> {
    let agree = if torch.is_nan() && !x.is_nan() {
        // PyTorch's documented NaN-at-infinity bugs: we give the limit instead.
        !ours.is_nan() && ours == limit
    } else if torch.is_nan() || ours.is_nan() {
        torch.is_nan() && ours.is_nan()
    } else if bit_exact(activation) {
        ours.to_f64().to_bits() == torch.to_f64().to_bits()
    } else if ours == torch {
        true
    } else {
        let err = (ours - torch).to_f64().abs();
        let bound =
            8.0 * torch.ulp().to_f64() + 4.0 * T::EPSILON.to_f64() * (1.0 + x.to_f64().abs());
        err <= bound
    };
    (!agree).then(|| {
        format!(
            "{activation} {} {what} at x = {x:e}: relulens {ours:e}, torch {torch:e}",
            T::NAME
        )
    })
}

fn check_case<T: FromHex>(case: &Case, failures: &mut Vec<String>) -> usize {
    let activation: Activation = case.activation.parse().expect("fixture names parse");
    let xs: Vec<T> = case.x.iter().map(|h| T::from_hex(h)).collect();
    let values: Vec<T> = case.value.iter().map(|h| T::from_hex(h)).collect();
    let derivatives: Vec<T> = case.derivative.iter().map(|h| T::from_hex(h)).collect();
    assert!(xs.len() > 2000 && values.len() == xs.len() && derivatives.len() == xs.len());

    // The slice kernels, which the unit tests tie to the scalar definitions, are what is compared.
    let mut out = vec![T::ZERO; xs.len()];
    activation::forward(activation, &xs, &mut out).unwrap();
    let saved = match activation.saves() {
        activation::Saved::Input => xs.clone(),
        activation::Saved::Output => out.clone(),
    };
    let mut grad = vec![T::ZERO; xs.len()];
    let ones = vec![T::ONE; xs.len()];
    activation::backward(activation, &saved, &ones, &mut grad).unwrap();

    for i in 0..xs.len() {
        let x = xs[i];
        let value_limit = if x < T::ZERO { -T::ZERO } else { x };
        let derivative_limit = if x < T::ZERO { T::ZERO } else { T::ONE };
        failures.extend(compare(
            activation,
            "value",
            x,
            out[i],
            values[i],
            value_limit,
        ));
        failures.extend(compare(
            activation,
            "derivative",
            x,
            grad[i],
            derivatives[i],
            derivative_limit,
        ));
    }
    xs.len()
}

#[test]
fn every_activation_agrees_with_pytorch() {
    let fixture = load();
    assert!(!fixture.torch_version.is_empty());
    let names: std::collections::BTreeSet<&str> = fixture
        .cases
        .iter()
        .map(|c| c.activation.split('(').next().unwrap())
        .collect();
    for name in Activation::names() {
        assert!(names.contains(name), "the fixture has no case for {name}");
    }
    let mut failures = Vec::new();
    let mut points = 0;
    for case in &fixture.cases {
        points += match case.dtype.as_str() {
            "f32" => check_case::<f32>(case, &mut failures),
            "f64" => check_case::<f64>(case, &mut failures),
            other => panic!("unknown dtype {other}"),
        };
    }
    assert!(points > 60_000, "only {points} points compared");
    assert!(
        failures.is_empty(),
        "{} disagreements with PyTorch {}, first ones:\n{}",
        failures.len(),
        fixture.torch_version,
        failures[..failures.len().min(40)].join("\n")
    );
}

#[test]
fn the_documented_deviations_are_real() {
    // These are the places where the fixture holds NaN from PyTorch: make sure the test above
    // exercises the limit rule rather than never meeting it.
    let fixture = load();
    let mut nan_from_torch = std::collections::BTreeSet::new();
    for case in fixture.cases.iter().filter(|c| c.dtype == "f64") {
        for (i, x) in case.x.iter().enumerate() {
            let x = f64::from_hex(x);
            if x.is_nan() {
                continue;
            }
            if f64::from_hex(&case.value[i]).is_nan() || f64::from_hex(&case.derivative[i]).is_nan()
            {
                nan_from_torch.insert(case.activation.clone());
            }
        }
    }
    for name in ["gelu", "gelu_tanh", "silu", "mish"] {
        assert!(nan_from_torch.contains(name), "{name}: {nan_from_torch:?}");
    }
}
