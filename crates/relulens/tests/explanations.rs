//! Property tests of the explanations against finite differences of the network's own outputs:
//! effect-curve pieces and local slopes, on random networks (inputs 1–6, depths 1–3, widths 1–32,
//! one to three outputs), away from kinks.

use proptest::prelude::*;
use relulens::explain::{effect_curve, explain_point, PiecewiseLinear};
use relulens::nn::MlpConfig;
use relulens::rng::Rng;

fn network(
    seed: u64,
    in_dim: usize,
    depth: usize,
    width: usize,
    outputs: usize,
) -> PiecewiseLinear {
    let mut sizes = vec![in_dim];
    sizes.extend(std::iter::repeat_n(width, depth));
    sizes.push(outputs);
    PiecewiseLinear::new(&MlpConfig::new(sizes).seed(seed).init::<f64>().unwrap()).unwrap()
}

/// Checks ∂output/∂x_i at x against `exact` by a central difference whose two ends lie in x's own
/// linear region (so the difference quotient is exact up to rounding), starting from step `h` and
/// halving it until they do. A point on a kink along x_i (no such step down to 2⁻⁴⁰·h) is skipped.
/// The tolerance is the quotient's rounding error: a few ulps of the outputs over the step.
fn check_slope(
    net: &PiecewiseLinear,
    x: &[f64],
    i: usize,
    output: usize,
    exact: f64,
    h: f64,
) -> Result<(), String> {
    let pattern = net.pattern_at(x);
    let mut h = h;
    for _ in 0..40 {
        let (mut plus, mut minus) = (x.to_vec(), x.to_vec());
        plus[i] += h;
        minus[i] -= h;
        if net.pattern_at(&plus) == pattern && net.pattern_at(&minus) == pattern {
            let (a, b) = (
                net.outputs(&plus).unwrap()[output],
                net.outputs(&minus).unwrap()[output],
            );
            let numeric = (a - b) / (plus[i] - minus[i]);
            let rounding = 64.0 * f64::EPSILON * (1.0 + a.abs() + b.abs()) / (plus[i] - minus[i]);
            let tolerance = 1e-9 * (1.0 + exact.abs()) + rounding;
            return if (numeric - exact).abs() <= tolerance {
                Ok(())
            } else {
                Err(format!(
                    "∂output {output}/∂x{i} at {x:?}: finite difference {numeric} (step {h}), exact {exact}, tolerance {tolerance}"
                ))
            };
        }
        h *= 0.5;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each piece's effect is ∂output/∂x_of at the piece's midpoint, the pieces tile the range
    /// without gaps, and neighbouring pieces differ (equal ones are merged).
    #[test]
    fn effect_curve_pieces_match_finite_differences(
        seed in 0u64..1_000_000,
        in_dim in 1usize..=6,
        depth in 1usize..=3,
        width in 1usize..=32,
        outputs in 1usize..=3,
    ) {
        let net = network(seed, in_dim, depth, width, outputs);
        let mut rng = Rng::new(seed);
        let point: Vec<f64> = (0..in_dim).map(|_| rng.uniform(-1.0, 1.0)).collect();
        let (of, along, output) = (rng.below(in_dim), rng.below(in_dim), rng.below(outputs));
        let range = [-3.0, 3.0];
        let curve = effect_curve(&net, &point, of, along, range, output).unwrap();
        prop_assert!(!curve.pieces.is_empty());
        prop_assert_eq!(curve.pieces[0].from, range[0]);
        prop_assert_eq!(curve.pieces.last().unwrap().to, range[1]);
        for w in curve.pieces.windows(2) {
            prop_assert_eq!(w[0].to, w[1].from);
            prop_assert!(w[0].effect != w[1].effect);
        }
        for p in &curve.pieces {
            let mut x = point.clone();
            x[along] = 0.5 * (p.from + p.to);
            prop_assert_eq!(curve.at(x[along]), Some(p.effect));
            let checked = check_slope(&net, &x, of, output, p.effect, 1e-3);
            prop_assert!(checked.is_ok(), "piece {:?}: {}", p, checked.unwrap_err());
        }
    }

    /// The local explanation's Jacobian is every input's slope, its affine map gives the outputs
    /// on the region, and the nearest kinks along each input bound where that map holds.
    #[test]
    fn local_slopes_match_finite_differences(
        seed in 0u64..1_000_000,
        in_dim in 1usize..=6,
        depth in 1usize..=3,
        width in 1usize..=32,
        outputs in 1usize..=3,
    ) {
        let net = network(seed, in_dim, depth, width, outputs);
        let mut rng = Rng::new(seed ^ 0x5eed);
        let point: Vec<f64> = (0..in_dim).map(|_| rng.uniform(-1.0, 1.0)).collect();
        let e = explain_point(&net, &point, &vec![4.0; in_dim]).unwrap();
        for i in 0..in_dim {
            for o in 0..outputs {
                let checked = check_slope(&net, &point, i, o, e.jacobian[o * in_dim + i], 1e-3);
                prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
            }
            // Just inside the kinks the affine map still holds.
            for edge in [e.kink_below[i], e.kink_above[i]].into_iter().flatten() {
                let mut x = point.clone();
                x[i] = point[i] + 0.99 * (edge - point[i]);
                let y = net.outputs(&x).unwrap();
                for (o, y) in y.iter().enumerate() {
                    let mapped = e.offset[o]
                        + (0..in_dim).map(|j| e.jacobian[o * in_dim + j] * x[j]).sum::<f64>();
                    prop_assert!((y - mapped).abs() <= 1e-9 * (1.0 + y.abs()));
                }
            }
        }
    }
}
