//! A network explained at one point: its outputs, the exact affine map of the region the point lies
//! in (so every input's exact local slope), which units are on in each layer, and how far each
//! input can move before the network bends.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{explain_point, PiecewiseLinear};
//! use relulens::nn::{Dense, Mlp};
//! // relu(2A + 3B) at A = 1, B = 1: on, slopes 2 and 3; along A it bends at A = -1.5.
//! let mlp = Mlp::new(
//!     vec![Dense::new(vec![2.0, 3.0], vec![0.0])?, Dense::new(vec![1.0], vec![0.0])?],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! let e = explain_point(&net, &[1.0, 1.0], &[10.0, 10.0])?;
//! assert_eq!(e.outputs, [5.0]);
//! assert_eq!(e.jacobian, [2.0, 3.0]);
//! assert_eq!(e.kink_below[0], Some(-1.5));
//! assert_eq!(e.kink_above[0], None); // none within the searched radius
//! # Ok::<(), relulens::Error>(())
//! ```

use super::kinks::kinks_along;
use super::network::{ActivationPattern, PiecewiseLinear};
use crate::error::{Error, Result};

/// The explanation of a network at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalExplanation {
    /// The point.
    pub point: Vec<f64>,
    /// The outputs there.
    pub outputs: Vec<f64>,
    /// The activation pattern there.
    pub pattern: ActivationPattern,
    /// ∂output/∂input on the point's region, `[out_dim, in_dim]`: every input's exact local slope.
    pub jacobian: Vec<f64>,
    /// The affine map's constant: outputs = jacobian · x + offset on the whole region.
    pub offset: Vec<f64>,
    /// Per layer with kinks, which units are on.
    pub active: Vec<Vec<bool>>,
    /// Per input, the nearest value below the point's where the network bends (moving that input
    /// alone), if any within the searched radius.
    pub kink_below: Vec<Option<f64>>,
    /// Per input, the nearest such value above.
    pub kink_above: Vec<Option<f64>>,
}

/// Explains `net` at `point`, searching for kinks within `radius[i]` of the point along input i.
///
/// # Errors
///
/// [`Error::ShapeMismatch`]/[`Error::InvalidGeometry`] for a point or radii of the wrong width or
/// non-finite or non-positive values, and for a radius too small to resolve at its input's value
/// in f64 (below 1e-12 of it), or one that takes the search past the largest f64.
pub fn explain_point(
    net: &PiecewiseLinear,
    point: &[f64],
    radius: &[f64],
) -> Result<LocalExplanation> {
    net.check_point("explain-point", point)?;
    let n = net.in_dim();
    if radius.len() != n || radius.iter().any(|r| !(r.is_finite() && *r > 0.0)) {
        return Err(Error::InvalidGeometry {
            op: "explain-point",
            reason: format!("need {n} positive finite search radii, got {radius:?}"),
        });
    }
    for (i, (&x, &r)) in point.iter().zip(radius).enumerate() {
        // The search runs from x − r to x + r: both must differ from x, by enough f64 steps to
        // place kinks between them.
        let resolvable = r >= 1e-12 * x.abs() && (x - r).is_finite() && (x + r).is_finite();
        if !resolvable {
            return Err(Error::InvalidGeometry {
                op: "explain-point",
                reason: format!(
                    "input {i}: a search radius of {r:?} cannot be resolved at {x:?} in f64 \
                     (it must be at least 1e-12 of the value, and the ends finite)"
                ),
            });
        }
    }
    let pattern = net.pattern_at(point);
    let outputs = net.outputs(point)?;
    let jacobian = net.jacobian(&pattern);
    let offset: Vec<f64> = outputs
        .iter()
        .enumerate()
        .map(|(o, y)| y - (0..n).map(|i| jacobian[o * n + i] * point[i]).sum::<f64>())
        .collect();
    let active = (0..net.depth())
        .filter(|&l| !net.layers[l].pieces.kinks.is_empty())
        .map(|l| {
            (0..net.layers[l].units)
                .map(|k| net.is_active(&pattern, l, k))
                .collect()
        })
        .collect();
    let (mut kink_below, mut kink_above) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let (mut from, mut to) = (point.to_vec(), point.to_vec());
        from[i] -= radius[i];
        to[i] += radius[i];
        let kinks = kinks_along(net, &from, &to)?;
        let at = |t: f64| from[i] + t * (to[i] - from[i]);
        // The point sits at t = 1/2; a kink exactly there counts on neither side.
        kink_below.push(kinks.kinks.iter().rev().find(|&&t| t < 0.5).map(|&t| at(t)));
        kink_above.push(kinks.kinks.iter().find(|&&t| t > 0.5).map(|&t| at(t)));
    }
    Ok(LocalExplanation {
        point: point.to_vec(),
        outputs,
        pattern,
        jacobian,
        offset,
        active,
        kink_below,
        kink_above,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::MlpConfig;

    #[test]
    fn the_affine_map_reproduces_the_outputs_inside_the_region_up_to_the_kinks() {
        let net = PiecewiseLinear::new(
            &MlpConfig::new(vec![2, 16, 16, 2])
                .seed(2)
                .init::<f64>()
                .unwrap(),
        )
        .unwrap();
        let point = [0.3, -0.4];
        let e = explain_point(&net, &point, &[3.0, 3.0]).unwrap();
        for i in 0..2 {
            // Just inside the nearest kinks the map still holds.
            for edge in [e.kink_below[i], e.kink_above[i]].into_iter().flatten() {
                let mut x = point;
                x[i] = point[i] + 0.999 * (edge - point[i]);
                let y = net.outputs(&x).unwrap();
                for (o, y) in y.iter().enumerate() {
                    let mapped =
                        e.offset[o] + e.jacobian[o * 2] * x[0] + e.jacobian[o * 2 + 1] * x[1];
                    assert!((y - mapped).abs() < 1e-9 * (1.0 + y.abs()));
                }
                // And just beyond, the pattern has changed.
                x[i] = point[i] + 1.001 * (edge - point[i]);
                assert_ne!(net.pattern_at(&x), e.pattern);
            }
        }
        assert_eq!(e.active.len(), 2);
        assert_eq!(e.active[0].len(), 16);
    }

    #[test]
    fn bad_radii_are_refused() {
        let net =
            PiecewiseLinear::new(&MlpConfig::new(vec![2, 4, 1]).init::<f64>().unwrap()).unwrap();
        assert!(explain_point(&net, &[0.0, 0.0], &[1.0]).is_err());
        assert!(explain_point(&net, &[0.0, 0.0], &[1.0, 0.0]).is_err());
        assert!(explain_point(&net, &[0.0, f64::NAN], &[1.0, 1.0]).is_err());
        // 1e300 ± 4 is 1e300: the search would be a point.
        let err = explain_point(&net, &[1e300, 0.0], &[4.0, 4.0]).unwrap_err();
        assert!(
            err.to_string().contains("input 0: a search radius of 4.0"),
            "{err}"
        );
        assert!(explain_point(&net, &[1e300, 0.0], &[1e290, 4.0]).is_ok());
        // 1e308 + 1e308 overflows.
        assert!(explain_point(&net, &[0.0, 1e308], &[1.0, 1e308]).is_err());
    }
}
