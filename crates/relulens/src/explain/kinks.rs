//! Kinks along a segment: where a network's piecewise-linear function bends between two points.
//!
//! Along x(t) = p + t·(q − p), t ∈ [0, 1], every pre-activation is piecewise linear in t. Layer by
//! layer, the points where a unit crosses one of its kinks are inserted between the points found so
//! far (the layer is affine between consecutive points, so each crossing is found by one
//! interpolation); each piece's pattern is read at its midpoint. Pieces with equal patterns are
//! merged at the end, so a kink is reported exactly where some unit changes state. The cost is
//! linear in pieces × units.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{kinks_along, PiecewiseLinear};
//! use relulens::nn::{Dense, Mlp};
//! // f(A) = relu(7 + A): one kink, at A = -7, slope 0 before and 1 after.
//! let mlp = Mlp::new(
//!     vec![Dense::new(vec![1.0], vec![7.0])?, Dense::new(vec![1.0], vec![0.0])?],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! let kinks = kinks_along(&net, &[-10.0], &[10.0])?;
//! assert_eq!(kinks.points(), vec![vec![-7.0]]);
//! assert_eq!(kinks.pieces[0].jacobian, [0.0]);
//! assert_eq!(kinks.pieces[1].jacobian, [1.0]);
//! # Ok::<(), relulens::Error>(())
//! ```

use super::network::{ActivationPattern, PiecewiseLinear};
use crate::error::{Error, Result};

/// A crossing closer than this (as a fraction of the interval) to an end is taken to lie at that end.
const END_SNAP: f64 = 1e-12;

/// One affine piece of the network along a segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Where the piece starts, as a fraction of the segment.
    pub t0: f64,
    /// Where it ends.
    pub t1: f64,
    /// The activation pattern on the piece.
    pub pattern: ActivationPattern,
    /// The outputs at t0.
    pub outputs_start: Vec<f64>,
    /// The outputs at t1.
    pub outputs_end: Vec<f64>,
    /// ∂output/∂input on the piece, `[out_dim, in_dim]` row-major.
    pub jacobian: Vec<f64>,
}

impl Piece {
    /// d output / d t: the slope of each output along the segment per unit of t.
    pub fn slope_per_t(&self) -> Vec<f64> {
        let dt = self.t1 - self.t0;
        self.outputs_start
            .iter()
            .zip(&self.outputs_end)
            .map(|(a, b)| if dt > 0.0 { (b - a) / dt } else { 0.0 })
            .collect()
    }
}

/// The kinks of a network along a segment, and the affine pieces between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Kinks {
    /// The segment's start p.
    pub start: Vec<f64>,
    /// The segment's end q.
    pub end: Vec<f64>,
    /// Every t in (0, 1) where some unit switches, increasing.
    pub kinks: Vec<f64>,
    /// The pieces between 0, the kinks and 1.
    pub pieces: Vec<Piece>,
}

impl Kinks {
    /// The point p + t·(q − p).
    pub fn point(&self, t: f64) -> Vec<f64> {
        self.start
            .iter()
            .zip(&self.end)
            .map(|(p, q)| p + t * (q - p))
            .collect()
    }

    /// The kinks as points of input space.
    pub fn points(&self) -> Vec<Vec<f64>> {
        self.kinks.iter().map(|&t| self.point(t)).collect()
    }
}

/// Every kink of `net` on the segment from `start` to `end`, with the pieces between them.
///
/// # Errors
///
/// [`Error::ShapeMismatch`] or [`Error::InvalidGeometry`] for endpoints of the wrong width or with
/// non-finite coordinates.
pub fn kinks_along(net: &PiecewiseLinear, start: &[f64], end: &[f64]) -> Result<Kinks> {
    net.check_point("kinks: --from", start)?;
    net.check_point("kinks: --to", end)?;
    if start == end {
        return Err(Error::InvalidGeometry {
            op: "kinks",
            reason: "the segment's two ends are the same point".into(),
        });
    }
    let mut ts = vec![0.0, 1.0];
    // Each point's current values: the input, then each layer's pre-activation in turn.
    let mut values: Vec<Vec<f64>> = vec![start.to_vec(), end.to_vec()];
    let mut patterns = vec![net.empty_pattern()];

    for layer in &net.layers {
        // Pre-activations at every point (affine in t between consecutive points).
        for v in values.iter_mut() {
            *v = (0..layer.units)
                .map(|k| {
                    let row = &layer.weight[k * layer.in_dim..(k + 1) * layer.in_dim];
                    layer.bias[k] + row.iter().zip(v.iter()).map(|(w, a)| w * a).sum::<f64>()
                })
                .collect();
        }
        let kinks = &layer.pieces.kinks;
        let mut new_ts = Vec::with_capacity(ts.len());
        let mut new_values = Vec::with_capacity(values.len());
        let mut new_patterns = Vec::with_capacity(patterns.len());
        for i in 0..ts.len() - 1 {
            new_ts.push(ts[i]);
            new_values.push(values[i].clone());
            let (a, b) = (&values[i], &values[i + 1]);
            let mut crossings: Vec<f64> = Vec::new();
            for k in 0..layer.units {
                for &kink in kinks {
                    let (za, zb) = (a[k] - kink, b[k] - kink);
                    if (za < 0.0 && zb > 0.0) || (za > 0.0 && zb < 0.0) {
                        let s = za / (za - zb);
                        if s > END_SNAP && s < 1.0 - END_SNAP {
                            crossings.push(s);
                        }
                    }
                }
            }
            crossings.sort_by(f64::total_cmp);
            crossings.dedup();
            new_patterns.push(patterns[i].clone());
            for s in crossings {
                new_ts.push(ts[i] + s * (ts[i + 1] - ts[i]));
                new_values.push(a.iter().zip(b).map(|(x, y)| x + s * (y - x)).collect());
                new_patterns.push(patterns[i].clone());
            }
        }
        new_ts.push(1.0);
        new_values.push(values[values.len() - 1].clone());
        ts = new_ts;
        values = new_values;
        patterns = new_patterns;

        // This layer's states on each piece, read at its midpoint.
        for (i, pattern) in patterns.iter_mut().enumerate() {
            for (k, (a, b)) in values[i].iter().zip(&values[i + 1]).enumerate() {
                let mid = 0.5 * (a + b);
                for (j, &kink) in kinks.iter().enumerate() {
                    pattern.set(layer.first_switch + k * kinks.len() + j, mid > kink);
                }
            }
        }
        for v in values.iter_mut() {
            v.iter_mut().for_each(|z| *z = layer.activate(*z).0);
        }
    }

    // Merge neighbours whose patterns agree: a point is a kink only where some unit switches.
    let mut pieces: Vec<Piece> = Vec::new();
    for i in 0..patterns.len() {
        match pieces.last_mut() {
            Some(last) if last.pattern == patterns[i] => {
                last.t1 = ts[i + 1];
                last.outputs_end = values[i + 1].clone();
            }
            _ => pieces.push(Piece {
                t0: ts[i],
                t1: ts[i + 1],
                jacobian: net.jacobian(&patterns[i]),
                pattern: patterns[i].clone(),
                outputs_start: values[i].clone(),
                outputs_end: values[i + 1].clone(),
            }),
        }
    }
    Ok(Kinks {
        start: start.to_vec(),
        end: end.to_vec(),
        kinks: pieces[1..].iter().map(|p| p.t0).collect(),
        pieces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::nn::MlpConfig;

    use crate::explain::test_nets::net;

    #[test]
    fn a_sum_of_hinges_has_one_kink_per_hinge() {
        // f(x) = relu(x + 1) - 2 relu(x) + relu(x - 1): a hat with kinks at -1, 0, 1.
        let n = net(
            vec![
                (vec![1.0, 1.0, 1.0], vec![1.0, 0.0, -1.0]),
                (vec![1.0, -2.0, 1.0], vec![0.0]),
            ],
            Activation::Relu,
        );
        let k = kinks_along(&n, &[-2.0], &[2.0]).unwrap();
        assert_eq!(k.points(), vec![vec![-1.0], vec![0.0], vec![1.0]]);
        let slopes: Vec<f64> = k.pieces.iter().map(|p| p.jacobian[0]).collect();
        assert_eq!(slopes, [0.0, 1.0, -1.0, 0.0]);
        assert_eq!(k.pieces[1].outputs_end, [1.0]);
    }

    #[test]
    fn a_unit_that_never_switches_invents_no_kink() {
        // The second unit is always on over the segment; a zero-weight unit never switches.
        let n = net(
            vec![
                (vec![1.0, 1.0, 0.0], vec![0.0, 10.0, 0.0]),
                (vec![1.0, 1.0, 1.0], vec![0.0]),
            ],
            Activation::Relu,
        );
        let k = kinks_along(&n, &[-1.0], &[1.0]).unwrap();
        assert_eq!(k.kinks, [0.5]);
    }

    #[test]
    fn leaky_and_relu6_kinks() {
        let n = net(
            vec![(vec![1.0], vec![0.0]), (vec![1.0], vec![0.0])],
            Activation::Relu6,
        );
        let k = kinks_along(&n, &[-2.0], &[8.0]).unwrap();
        assert_eq!(k.points(), vec![vec![0.0], vec![6.0]]);
        let slopes: Vec<f64> = k.pieces.iter().map(|p| p.jacobian[0]).collect();
        assert_eq!(slopes, [0.0, 1.0, 0.0]);
        let n = net(
            vec![(vec![1.0], vec![0.0]), (vec![1.0], vec![0.0])],
            Activation::LeakyRelu {
                negative_slope: 0.1,
            },
        );
        let k = kinks_along(&n, &[-1.0], &[1.0]).unwrap();
        assert_eq!(k.pieces[0].jacobian, [0.1]);
    }

    #[test]
    fn continuous_and_linear_on_random_deep_networks() {
        for seed in 0..20 {
            let mlp = MlpConfig::new(vec![3, 16, 16, 16, 2])
                .seed(seed)
                .init::<f64>()
                .unwrap();
            let n = PiecewiseLinear::new(&mlp).unwrap();
            let (p, q) = ([-3.0, 1.0, 2.0], [2.5, -2.0, -1.0]);
            let k = kinks_along(&n, &p, &q).unwrap();
            for piece in &k.pieces {
                // Linear inside: the midpoint's outputs are the average of the ends'.
                let mid = k.point(0.5 * (piece.t0 + piece.t1));
                let y = n.outputs(&mid).unwrap();
                for (o, y) in y.iter().enumerate() {
                    let avg = 0.5 * (piece.outputs_start[o] + piece.outputs_end[o]);
                    assert!((y - avg).abs() < 1e-9 * (1.0 + avg.abs()), "seed {seed}");
                }
                // The Jacobian along the direction gives the same slope.
                let dir: Vec<f64> = p.iter().zip(&q).map(|(a, b)| b - a).collect();
                for (o, slope) in piece.slope_per_t().iter().enumerate() {
                    let along: f64 = (0..3).map(|i| piece.jacobian[o * 3 + i] * dir[i]).sum();
                    assert!(
                        (along - slope).abs() < 1e-7 * (1.0 + slope.abs()),
                        "seed {seed}"
                    );
                }
                assert_eq!(n.pattern_at(&mid), piece.pattern, "seed {seed}");
            }
            // Continuous at every kink; adjacent patterns differ.
            for w in k.pieces.windows(2) {
                assert_eq!(w[0].outputs_end, w[1].outputs_start);
                assert_ne!(w[0].pattern, w[1].pattern);
            }
        }
    }

    #[test]
    fn bad_segments_are_refused() {
        let n = net(
            vec![(vec![1.0], vec![0.0]), (vec![1.0], vec![0.0])],
            Activation::Relu,
        );
        assert!(kinks_along(&n, &[1.0], &[1.0]).is_err());
        assert!(kinks_along(&n, &[1.0, 2.0], &[1.0]).is_err());
        assert!(kinks_along(&n, &[f64::NAN], &[1.0]).is_err());
    }
}
