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

/// ∂output/∂x_i at x by central differences with step h.
fn numeric_slope(net: &PiecewiseLinear, x: &[f64], i: usize, output: usize, h: f64) -> f64 {
    let (mut plus, mut minus) = (x.to_vec(), x.to_vec());
    plus[i] += h;
    minus[i] -= h;
    (net.outputs(&plus).unwrap()[output] - net.outputs(&minus).unwrap()[output]) / (2.0 * h)
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
            // Well inside the piece along `along`; along `of` the step must not cross a kink of
            // the other direction either, so it is tiny.
            let h = 1e-7 * (p.to - p.from).min(1.0);
            let numeric = numeric_slope(&net, &x, of, output, h);
            let scale = 1.0 + p.effect.abs();
            if (numeric - p.effect).abs() > 1e-5 * scale {
                // A kink within h of the midpoint along `of`: check one-sided slopes instead.
                let inside = [x[of] - 2.0 * h, x[of] + 2.0 * h].iter().any(|&c| {
                    let mut y = x.clone();
                    y[of] = c;
                    (numeric_slope(&net, &y, of, output, h / 4.0) - p.effect).abs() <= 1e-5 * scale
                });
                prop_assert!(inside, "piece {:?}: finite difference {}", p, numeric);
            }
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
            // A step inside the region: half the distance to the nearest kink along input i.
            let gap = [e.kink_below[i], e.kink_above[i]]
                .into_iter()
                .flatten()
                .map(|k| (k - point[i]).abs())
                .fold(1.0f64, f64::min);
            prop_assume!(gap > 1e-9);
            let h = 0.5 * gap;
            for o in 0..outputs {
                let numeric = numeric_slope(&net, &point, i, o, h);
                let exact = e.jacobian[o * in_dim + i];
                prop_assert!(
                    (numeric - exact).abs() <= 1e-8 * (1.0 + exact.abs()),
                    "input {} output {}: {} vs {}", i, o, numeric, exact
                );
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
