//! Hinges: a network as a sum of kinks, and the spread of slopes that sum makes.
//!
//! A one-hidden-layer ReLU network *is* f(x) = c + Σₖ vₖ·relu(wₖ·x + bₖ): each unit is a hinge, flat
//! on one side of its kink and sloped on the other. [`hinges`] reads that form off the weights,
//! with each hinge's kink position along a chosen input (the others held) and the change of slope
//! it makes there. For deeper networks, [`unit_contributions`] gives each last-hidden-layer unit's
//! contribution vₖ·aₖ along a path, exactly at every kink. [`slope_histogram`] collects the slopes of
//! the composite function along a path, weighted by length: the article's "broad distribution of
//! slopes" from units that each have slope 0 or 1.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{hinges, PiecewiseLinear};
//! use relulens::nn::{Dense, Mlp};
//! // f(x) = 1 + 2·relu(x − 1) − 3·relu(−x − 2)
//! let mlp = Mlp::new(
//!     vec![Dense::new(vec![1.0, -1.0], vec![-1.0, -2.0])?, Dense::new(vec![2.0, -3.0], vec![1.0])?],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let h = hinges(&PiecewiseLinear::new(&mlp)?, 0, &[0.0])?;
//! assert_eq!(h.constant, [1.0]);
//! assert_eq!(h.hinges[0].kink, Some(1.0));
//! assert_eq!(h.hinges[0].slope_change, [2.0]);
//! assert_eq!(h.hinges[1].kink, Some(-2.0));
//! // −3·relu(−x − 2) has slope 3 below x = −2 and 0 above: crossing upwards the slope changes by
//! // v·|w| = −3.
//! assert_eq!(h.hinges[1].slope_change, [-3.0]);
//! # Ok::<(), relulens::Error>(())
//! ```

use super::kinks::kinks_along;
use super::network::PiecewiseLinear;
use crate::error::{Error, Result};

/// One hidden unit of a one-hidden-layer network as a hinge vₖ·relu(wₖ·x + bₖ).
#[derive(Debug, Clone, PartialEq)]
pub struct Hinge {
    /// The unit's index.
    pub unit: usize,
    /// Its input weights wₖ.
    pub weights: Vec<f64>,
    /// Its bias bₖ.
    pub bias: f64,
    /// Its output weights vₖ, one per output.
    pub output_weights: Vec<f64>,
    /// Where its kink lies along the chosen input, the others held (None if that weight is 0).
    pub kink: Option<f64>,
    /// Per output, how much the slope along the chosen input increases when crossing the kink
    /// upwards: vₖ·|wₖⱼ| (the hinge turns on going up if wₖⱼ > 0, off if wₖⱼ < 0).
    pub slope_change: Vec<f64>,
}

/// The exact hinge form of a one-hidden-layer ReLU network.
#[derive(Debug, Clone, PartialEq)]
pub struct Hinges {
    /// The input the kinks are placed along.
    pub along: usize,
    /// c: the output bias, per output.
    pub constant: Vec<f64>,
    /// The hinges, one per hidden unit.
    pub hinges: Vec<Hinge>,
}

/// Reads f(x) = c + Σₖ vₖ·relu(wₖ·x + bₖ) off a one-hidden-layer ReLU network, placing each kink
/// along input `along` with the other inputs at `point`'s values.
///
/// # Errors
///
/// [`Error::InvalidNetwork`] unless the network has exactly one hidden layer, of ReLU, and an
/// identity output; [`Error::InvalidGeometry`] for a bad input index or point.
pub fn hinges(net: &PiecewiseLinear, along: usize, point: &[f64]) -> Result<Hinges> {
    net.check_point("hinges", point)?;
    if along >= net.in_dim() {
        return Err(Error::InvalidGeometry {
            op: "hinges",
            reason: format!("input {along}: the network has {}", net.in_dim()),
        });
    }
    let relu_pieces = super::network::Pieces::of(crate::activation::Activation::Relu)
        .expect("relu is piecewise linear");
    let identity = super::network::Pieces::of(crate::activation::Activation::Identity)
        .expect("identity is piecewise linear");
    if net.layers.len() != 2
        || net.layers[0].pieces != relu_pieces
        || net.layers[1].pieces != identity
    {
        return Err(Error::InvalidNetwork {
            reason: "the hinge form needs one hidden ReLU layer and an identity output; for deeper networks use unit contributions along a path".into(),
        });
    }
    let (hidden, output) = (&net.layers[0], &net.layers[1]);
    let n = hidden.in_dim;
    let hinges = (0..hidden.units)
        .map(|k| {
            let w = hidden.weight[k * n..(k + 1) * n].to_vec();
            let b = hidden.bias[k];
            let v: Vec<f64> = (0..output.units)
                .map(|o| output.weight[o * hidden.units + k])
                .collect();
            let rest: f64 = (0..n)
                .filter(|&i| i != along)
                .map(|i| w[i] * point[i])
                .sum();
            let kink = (w[along] != 0.0).then(|| -(b + rest) / w[along]);
            let slope_change = v.iter().map(|vo| vo * w[along].abs()).collect();
            Hinge {
                unit: k,
                weights: w,
                bias: b,
                output_weights: v,
                kink,
                slope_change,
            }
        })
        .collect();
    Ok(Hinges {
        along,
        constant: output.bias.clone(),
        hinges,
    })
}

/// Each last-hidden-layer unit's contribution to output `output` along the segment `start → end`,
/// at every kink: `t` holds the breakpoints and `contributions[k][i]` is vₖ·aₖ at `t[i]` (linear in
/// between), so that output = bias + Σₖ contributions[k] everywhere on the path.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitContributions {
    /// Breakpoints along the segment (0, the kinks, 1).
    pub t: Vec<f64>,
    /// Per last-hidden unit, its contribution at each breakpoint.
    pub contributions: Vec<Vec<f64>>,
    /// The output layer's bias for this output.
    pub bias: f64,
}

/// See [`UnitContributions`].
///
/// # Errors
///
/// [`Error::InvalidNetwork`] for a network without hidden layers; the errors of [`kinks_along`].
pub fn unit_contributions(
    net: &PiecewiseLinear,
    start: &[f64],
    end: &[f64],
    output: usize,
) -> Result<UnitContributions> {
    let depth = net.depth();
    if depth < 2 || output >= net.out_dim() {
        return Err(Error::InvalidNetwork {
            reason: format!(
                "unit contributions need a hidden layer and output {output} < {}",
                net.out_dim()
            ),
        });
    }
    let kinks = kinks_along(net, start, end)?;
    let mut t: Vec<f64> = kinks.pieces.iter().map(|p| p.t0).collect();
    t.push(1.0);
    let last = &net.layers[depth - 1];
    let hidden = last.in_dim;
    let mut contributions = vec![Vec::with_capacity(t.len()); hidden];
    for &ti in &t {
        let a = &net.layer_activations(&kinks.point(ti))?[depth - 2];
        for (k, c) in contributions.iter_mut().enumerate() {
            c.push(last.weight[output * hidden + k] * a[k]);
        }
    }
    Ok(UnitContributions {
        t,
        contributions,
        bias: last.bias[output],
    })
}

/// Slopes of output `output` along a path (per unit of path length in input space), each with the
/// length of path it holds for, sorted by slope with equal slopes merged.
///
/// # Errors
///
/// The errors of [`kinks_along`]; [`Error::InvalidGeometry`] for an output out of range.
pub fn slope_histogram(
    net: &PiecewiseLinear,
    start: &[f64],
    end: &[f64],
    output: usize,
) -> Result<Vec<(f64, f64)>> {
    if output >= net.out_dim() {
        return Err(Error::InvalidGeometry {
            op: "slopes",
            reason: format!("output {output}: the network has {}", net.out_dim()),
        });
    }
    let kinks = kinks_along(net, start, end)?;
    let length = start
        .iter()
        .zip(end)
        .map(|(a, b)| (b - a) * (b - a))
        .sum::<f64>()
        .sqrt();
    let mut slopes: Vec<(f64, f64)> = kinks
        .pieces
        .iter()
        .map(|p| (p.slope_per_t()[output] / length, (p.t1 - p.t0) * length))
        .collect();
    slopes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(slopes.len());
    for (s, l) in slopes {
        match merged.last_mut() {
            Some(last) if (last.0 - s).abs() <= 1e-12 * (1.0 + s.abs()) => last.1 += l,
            _ => merged.push((s, l)),
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::nn::{Dense, Mlp, MlpConfig};

    /// A network built as a sum of known hinges decomposes back into exactly those hinges.
    #[test]
    fn a_sum_of_known_hinges_comes_back_exactly() {
        let w = vec![1.0, 0.5, -2.0, 1.0, 0.0, 3.0];
        let b = vec![-1.0, 4.0, 0.25];
        let v = vec![2.0, -1.0, 0.5];
        let mlp = Mlp::new(
            vec![
                Dense::new(w.clone(), b.clone()).unwrap(),
                Dense::new(v.clone(), vec![-0.75]).unwrap(),
            ],
            vec![Activation::Relu, Activation::Identity],
        )
        .unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let h = hinges(&net, 0, &[0.0, 2.0]).unwrap();
        assert_eq!(h.constant, [-0.75]);
        for (k, hinge) in h.hinges.iter().enumerate() {
            assert_eq!(hinge.weights, w[2 * k..2 * k + 2]);
            assert_eq!(hinge.bias, b[k]);
            assert_eq!(hinge.output_weights, [v[k]]);
        }
        // Kinks along x0 with x1 = 2: x0 = 0 (1·x0 + 1 − 1), x0 = 3 (−2·x0 + 2 + 4), none for unit 2.
        assert_eq!(h.hinges[0].kink, Some(0.0));
        assert_eq!(h.hinges[1].kink, Some(3.0));
        assert_eq!(h.hinges[2].kink, None);
        // The kinks agree with the exact kinks of the network along x0.
        let k = kinks_along(&net, &[-5.0, 2.0], &[5.0, 2.0]).unwrap();
        assert_eq!(k.points(), vec![vec![0.0, 2.0], vec![3.0, 2.0]]);
        // And the slope changes with the jumps in slope there.
        let slopes: Vec<f64> = k.pieces.iter().map(|p| p.jacobian[0]).collect();
        assert_eq!(slopes[1] - slopes[0], h.hinges[0].slope_change[0]);
        assert_eq!(slopes[2] - slopes[1], h.hinges[1].slope_change[0]);
    }

    #[test]
    fn deeper_networks_are_refused_and_contributions_sum_to_the_output() {
        let mlp = MlpConfig::new(vec![2, 8, 6, 1])
            .seed(3)
            .init::<f64>()
            .unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        assert!(hinges(&net, 0, &[0.0, 0.0]).is_err());
        let (p, q) = ([-2.0, 1.0], [2.0, -1.0]);
        let c = unit_contributions(&net, &p, &q, 0).unwrap();
        for (i, &t) in c.t.iter().enumerate() {
            let x = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
            let sum: f64 = c.bias + c.contributions.iter().map(|u| u[i]).sum::<f64>();
            assert!((sum - net.outputs(&x).unwrap()[0]).abs() < 1e-12);
        }
        let histogram = slope_histogram(&net, &p, &q, 0).unwrap();
        let total: f64 = histogram.iter().map(|(_, l)| l).sum();
        assert!((total - 20f64.sqrt()).abs() < 1e-12);
        assert!(histogram.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
