//! Exact geometry: hand-checkable networks, degenerate constructions, property tests over many
//! random networks, and an independent count by dense sampling — all checked with `verify`.

use proptest::prelude::*;
use relulens::activation::Activation;
use relulens::explain::{
    decision_boundary, kinks_along, level_set, regions_on_slice, verify_kinks, verify_regions,
    PiecewiseLinear, RegionOptions, Regions, Slice,
};
use relulens::nn::{Dense, Mlp, MlpConfig};
use relulens::rng::Rng;
use relulens::Error;

/// A one-hidden-layer ReLU network from rows of (weights…, bias) and output weights.
fn one_layer(units: &[&[f64]], out: &[f64]) -> PiecewiseLinear {
    let in_dim = units[0].len() - 1;
    let weight: Vec<f64> = units.iter().flat_map(|u| u[..in_dim].to_vec()).collect();
    let bias: Vec<f64> = units.iter().map(|u| u[in_dim]).collect();
    let mlp = Mlp::new(
        vec![
            Dense::new(weight, bias).unwrap(),
            Dense::new(out.to_vec(), vec![0.0]).unwrap(),
        ],
        vec![Activation::Relu, Activation::Identity],
    )
    .unwrap();
    PiecewiseLinear::new(&mlp).unwrap()
}

fn square(half: f64) -> Slice {
    Slice::features(&[0.0, 0.0], 0, 1, [[-half, half], [-half, half]]).unwrap()
}

fn regions(net: &PiecewiseLinear, slice: &Slice) -> Regions {
    let r = regions_on_slice(net, slice, &RegionOptions::default()).unwrap();
    let report = verify_regions(net, &r, 2000, 7);
    assert!(report.passed(), "{report}");
    r
}

#[test]
fn the_bias_moves_the_kink_relu_7_plus_a() {
    let net = one_layer(&[&[1.0, 7.0]], &[1.0]);
    let k = kinks_along(&net, &[-10.0], &[10.0]).unwrap();
    assert_eq!(k.points(), vec![vec![-7.0]]);
    assert_eq!(
        (k.pieces[0].jacobian[0], k.pieces[1].jacobian[0]),
        (0.0, 1.0)
    );
    assert_eq!(k.pieces[0].outputs_end, [0.0]);
    assert!(verify_kinks(&net, &k, 5).passed());
}

#[test]
fn the_articles_node_relu_2a_plus_3b() {
    let net = one_layer(&[&[2.0, 3.0, 0.0]], &[1.0]);
    assert_eq!(regions(&net, &square(1.0)).count(), 2);
    // A box its line 2A + 3B = 0 does not cross: B far below, so the node is off everywhere.
    let off = Slice::features(&[0.0, 0.0], 0, 1, [[-1.0, 1.0], [-101.0, -99.0]]).unwrap();
    let r = regions(&net, &off);
    assert_eq!(r.count(), 1);
    assert_eq!(
        r.regions[0].gradient[0],
        [0.0, 0.0],
        "off: A has no effect at all"
    );
}

#[test]
fn a_sum_of_hinges_has_its_kinks_where_the_hinges_are() {
    // f(x) = relu(x + 2) − relu(x) + 3 relu(x − 1.5): kinks at −2, 0 and 1.5; slopes 0, 1, 0, 3.
    let net = one_layer(&[&[1.0, 2.0], &[1.0, 0.0], &[1.0, -1.5]], &[1.0, -1.0, 3.0]);
    let k = kinks_along(&net, &[-4.0], &[4.0]).unwrap();
    assert_eq!(k.points(), vec![vec![-2.0], vec![0.0], vec![1.5]]);
    let slopes: Vec<f64> = k.pieces.iter().map(|p| p.jacobian[0]).collect();
    assert_eq!(slopes, [0.0, 1.0, 0.0, 3.0]);
}

#[test]
fn degenerate_hyperplanes_do_not_break_or_change_the_answer() {
    // Three lines through the origin, a corner-to-corner diagonal among them: 6 regions.
    let concurrent = one_layer(
        &[&[1.0, 0.0, 0.0], &[0.0, 1.0, 0.0], &[1.0, 1.0, 0.0]],
        &[1.0, 1.0, 1.0],
    );
    assert_eq!(regions(&concurrent, &square(1.0)).count(), 6);
    // Duplicated, scaled and opposite copies of one line cut nothing more: still 2 regions.
    let copies = one_layer(
        &[
            &[2.0, 1.0, 0.1],
            &[2.0, 1.0, 0.1],
            &[4.0, 2.0, 0.2],
            &[-2.0, -1.0, -0.1],
        ],
        &[1.0, -0.5, 2.0, 1.0],
    );
    assert_eq!(regions(&copies, &square(1.0)).count(), 2);
    // Two parallel lines: 3 regions.
    let parallel = one_layer(&[&[1.0, 1.0, 0.5], &[1.0, 1.0, -0.5]], &[1.0, 1.0]);
    assert_eq!(regions(&parallel, &square(1.0)).count(), 3);
    // Zero-weight units: always on, never on, exactly zero: no cut at all.
    let flat = one_layer(
        &[&[0.0, 0.0, 1.0], &[0.0, 0.0, -1.0], &[0.0, 0.0, 0.0]],
        &[1.0, 1.0, 1.0],
    );
    assert_eq!(regions(&flat, &square(1.0)).count(), 1);
    // A line through a corner only touches the box: 1 region.
    let corner = one_layer(&[&[1.0, 1.0, 2.0]], &[1.0]);
    assert_eq!(regions(&corner, &square(1.0)).count(), 1);
    // A line along an edge of the box: 1 region.
    let edge = one_layer(&[&[1.0, 0.0, 1.0]], &[1.0]);
    assert_eq!(regions(&edge, &square(1.0)).count(), 1);
}

#[test]
fn a_zero_width_rectangle_is_an_error_and_the_budget_is_enforced() {
    assert!(matches!(
        Slice::features(&[0.0, 0.0], 0, 1, [[1.0, 1.0], [0.0, 1.0]]),
        Err(Error::InvalidGeometry { .. })
    ));
    let net =
        PiecewiseLinear::new(&MlpConfig::new(vec![2, 32, 32, 1]).init::<f64>().unwrap()).unwrap();
    let err = regions_on_slice(&net, &square(1.0), &RegionOptions { max_regions: 10 }).unwrap_err();
    assert!(
        matches!(
            err,
            Error::RegionBudget {
                max_regions: 10,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn smooth_networks_are_refused() {
    let mlp = MlpConfig::new(vec![2, 4, 1])
        .activation(Activation::Gelu)
        .init::<f64>()
        .unwrap();
    assert!(matches!(
        PiecewiseLinear::new(&mlp),
        Err(Error::NotPiecewiseLinear { .. })
    ));
}

#[test]
fn leaky_relu6_and_prelu_networks_are_exact_too() {
    for activation in [
        Activation::LeakyRelu {
            negative_slope: 0.1,
        },
        Activation::Relu6,
        Activation::Prelu { weight: -0.3 },
    ] {
        let mlp = MlpConfig::new(vec![2, 12, 12, 2])
            .activation(activation)
            .seed(5)
            .init::<f64>()
            .unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let r = regions(&net, &square(8.0));
        assert!(r.count() > 10, "{activation}: {}", r.count());
    }
}

/// Every activation pattern seen on a fine grid belongs to some region: the partition misses none.
#[test]
fn dense_sampling_finds_no_pattern_the_partition_lacks() {
    for (sizes, seed) in [
        (vec![2, 8, 8, 1], 0),
        (vec![2, 16, 1], 1),
        (vec![2, 6, 6, 6, 3], 2),
    ] {
        let net = PiecewiseLinear::new(
            &MlpConfig::new(sizes.clone())
                .seed(seed)
                .init::<f64>()
                .unwrap(),
        )
        .unwrap();
        let slice = square(3.0);
        let r = regions(&net, &slice);
        let mut seen = std::collections::HashSet::new();
        let n = 300;
        for i in 0..n {
            for j in 0..n {
                let (u, v) = (
                    -3.0 + 6.0 * (i as f64 + 0.5) / n as f64,
                    -3.0 + 6.0 * (j as f64 + 0.5) / n as f64,
                );
                let p = net.pattern_at(&slice.point(u, v));
                assert!(
                    r.find(&p).is_some(),
                    "{sizes:?}: pattern {p} at ({u}, {v}) is missing"
                );
                seen.insert(p);
            }
        }
        assert!(seen.len() <= r.count());
        // Most regions are big enough for the grid to hit.
        assert!(
            seen.len() * 10 >= r.count() * 8,
            "{sizes:?}: grid saw {} of {}",
            seen.len(),
            r.count()
        );
    }
}

#[test]
fn adjacent_regions_differ_and_the_boundary_is_where_the_logit_is_zero() {
    let net = PiecewiseLinear::new(
        &MlpConfig::new(vec![2, 16, 16, 1])
            .seed(4)
            .init::<f64>()
            .unwrap(),
    )
    .unwrap();
    let slice = square(2.0);
    let r = regions(&net, &slice);
    assert!(!r.adjacency().is_empty());
    for &(a, b) in r.adjacency() {
        assert_ne!(r.regions[a].pattern, r.regions[b].pattern);
    }
    // Lift the output so that the zero level crosses the square.
    let c = r.regions[0].value_at_centroid[0];
    let boundary = level_set(&r, 0, c).unwrap();
    assert!(boundary.segments > 0);
    for line in &boundary.polylines {
        for w in line.windows(2) {
            for t in [0.0, 0.5] {
                let (u, v) = (
                    w[0][0] + t * (w[1][0] - w[0][0]),
                    w[0][1] + t * (w[1][1] - w[0][1]),
                );
                let y = net.outputs(&slice.point(u, v)).unwrap()[0];
                assert!(
                    (y - c).abs() < 1e-9 * (1.0 + c.abs()),
                    "{y} vs {c} at ({u}, {v})"
                );
            }
        }
    }
}

#[test]
fn multiclass_boundaries_separate_the_arg_max() {
    let net = PiecewiseLinear::new(
        &MlpConfig::new(vec![2, 12, 12, 3])
            .seed(8)
            .init::<f64>()
            .unwrap(),
    )
    .unwrap();
    let slice = square(4.0);
    let r = regions(&net, &slice);
    let boundary = decision_boundary(&r);
    assert!(boundary.segments > 0);
    for line in &boundary.polylines {
        for w in line.windows(2) {
            let (u, v) = (0.5 * (w[0][0] + w[1][0]), 0.5 * (w[0][1] + w[1][1]));
            let mut y = net.outputs(&slice.point(u, v)).unwrap();
            y.sort_by(|a, b| b.total_cmp(a));
            assert!(
                (y[0] - y[1]).abs() < 1e-9 * (1.0 + y[0].abs()),
                "no tie at ({u}, {v}): {y:?}"
            );
        }
    }
}

fn random_direction(rng: &mut Rng, n: usize) -> Vec<f64> {
    (0..n).map(|_| rng.uniform(-1.0, 1.0)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random networks (widths 1–64, depths 1–4, inputs 2–8) on random slices: the partition
    /// verifies, and so do the kinks along a random segment.
    #[test]
    fn random_networks_verify(seed in 0u64..1_000_000, depth in 1usize..=4, width in 1usize..=64, in_dim in 2usize..=8) {
        let width = if depth >= 3 { width.min(24) } else { width };
        let mut sizes = vec![in_dim];
        sizes.extend(std::iter::repeat_n(width, depth));
        sizes.push(2);
        let net = PiecewiseLinear::new(&MlpConfig::new(sizes).seed(seed).init::<f64>().unwrap()).unwrap();
        let mut rng = Rng::new(seed);
        let origin = random_direction(&mut rng, in_dim);
        let slice = Slice::new(origin, [random_direction(&mut rng, in_dim), random_direction(&mut rng, in_dim)], [[-2.0, 2.0], [-2.0, 2.0]]);
        prop_assume!(slice.is_ok());
        let r = regions_on_slice(&net, &slice.unwrap(), &RegionOptions::default()).unwrap();
        let report = verify_regions(&net, &r, 300, seed);
        prop_assert!(report.passed(), "{}", report);
        let (p, q) = (random_direction(&mut rng, in_dim), random_direction(&mut rng, in_dim));
        let k = kinks_along(&net, &p, &q).unwrap();
        let report = verify_kinks(&net, &k, 3);
        prop_assert!(report.passed(), "{}", report);
    }

    /// One-input networks: kinks only.
    #[test]
    fn one_input_networks_verify(seed in 0u64..1_000_000, width in 1usize..=64) {
        let net = PiecewiseLinear::new(&MlpConfig::new(vec![1, width, width, 1]).seed(seed).init::<f64>().unwrap()).unwrap();
        let k = kinks_along(&net, &[-5.0], &[5.0]).unwrap();
        let report = verify_kinks(&net, &k, 3);
        prop_assert!(report.passed(), "{}", report);
    }
}

#[test]
fn a_level_set_needs_a_finite_level_and_an_output() {
    let net = one_layer(&[&[2.0, 3.0, 0.0]], &[1.0]);
    let r = regions(&net, &square(1.0));
    for level in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = level_set(&r, 0, level).unwrap_err();
        assert!(matches!(err, Error::InvalidGeometry { .. }), "{err:?}");
        assert!(err.to_string().contains("finite"), "{err}");
    }
    let err = level_set(&r, 1, 0.5).unwrap_err();
    assert!(err.to_string().contains("output 1"), "{err}");
    assert!(level_set(&r, 0, 0.5).unwrap().segments > 0);
}

#[test]
fn a_rectangle_too_small_to_resolve_is_refused_and_any_other_has_a_region() {
    let at = [0.0, 0.0];
    for bounds in [
        [[0.0, 1e-300], [0.0, 1e-300]],
        [[0.0, 1e-200], [0.0, 1.0]],
        // Wider than zero, but not by a distinguishable fraction of where it lies.
        [[1e10, 1e10 + 1e-5], [0.0, 1.0]],
    ] {
        let err = Slice::features(&at, 0, 1, bounds).unwrap_err();
        assert!(err.to_string().contains("too small"), "{bounds:?}: {err}");
    }
    // The unit is on throughout (a kink closer than the tolerance, 1e-10 of the pre-activations'
    // scale, would count as on every vertex), so each box is one region, pattern and all.
    let net = one_layer(&[&[2.0, 3.0, 0.5]], &[1.0]);
    for bounds in [
        [[0.0, 1e-60], [0.0, 1e-60]],
        [[-1e-30, 1e-30], [-1e-30, 1e-30]],
        [[1e10, 1e10 + 1.0], [0.0, 1.0]],
    ] {
        let r = regions(&net, &Slice::features(&at, 0, 1, bounds).unwrap());
        assert_eq!(r.count(), 1, "{bounds:?}");
    }
}
