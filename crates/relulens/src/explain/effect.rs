//! Effect curves, exact: how the effect of one input (∂output/∂xᵢ) changes as another input xⱼ
//! sweeps a range with the rest held fixed. Along the sweep the network is piecewise linear, so the
//! effect is piecewise constant, and its pieces come straight from the kinks.
//!
//! This is the article's interaction made visible: when the effect of weight on risk changes with
//! height, height decides how much weight matters.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{effect_curve, PiecewiseLinear};
//! use relulens::nn::{Dense, Mlp};
//! // relu(2A + 3B): the effect of A is 2 where the node is on (B > -2A/3) and 0 where it is off.
//! let mlp = Mlp::new(
//!     vec![Dense::new(vec![2.0, 3.0], vec![0.0])?, Dense::new(vec![1.0], vec![0.0])?],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! let curve = effect_curve(&net, &[1.0, 0.0], 0, 1, [-100.0, 100.0], 0)?;
//! assert_eq!(curve.pieces.len(), 2);
//! assert_eq!((curve.pieces[0].effect, curve.pieces[1].effect), (0.0, 2.0));
//! assert!((curve.pieces[0].to - (-2.0 / 3.0)).abs() < 1e-12); // B decides whether A matters
//! # Ok::<(), relulens::Error>(())
//! ```

use super::kinks::kinks_along;
use super::network::PiecewiseLinear;
use crate::error::{Error, Result};

/// One piece of an effect curve: over `from..to` of the swept input, the effect is constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EffectPiece {
    /// Where the piece starts, in the swept input's units.
    pub from: f64,
    /// Where it ends.
    pub to: f64,
    /// ∂output/∂x_of on the piece.
    pub effect: f64,
}

/// The effect of one input as another sweeps a range.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectCurve {
    /// The input whose effect is measured.
    pub of: usize,
    /// The input that sweeps.
    pub along: usize,
    /// The output.
    pub output: usize,
    /// The pieces, increasing; adjacent pieces have different effects.
    pub pieces: Vec<EffectPiece>,
}

impl EffectCurve {
    /// The effect at a value of the swept input (the piece's on the right at a boundary).
    pub fn at(&self, value: f64) -> Option<f64> {
        self.pieces
            .iter()
            .find(|p| value >= p.from && value < p.to)
            .or_else(|| self.pieces.last().filter(|p| value == p.to))
            .map(|p| p.effect)
    }
}

/// The exact effect of input `of` on output `output` as input `along` sweeps `range`, the other
/// inputs held at `point`'s values.
///
/// # Errors
///
/// [`Error::InvalidGeometry`] for an input or output index out of range or an empty range, and the
/// errors of [`kinks_along`] for a bad point.
pub fn effect_curve(
    net: &PiecewiseLinear,
    point: &[f64],
    of: usize,
    along: usize,
    range: [f64; 2],
    output: usize,
) -> Result<EffectCurve> {
    let n = net.in_dim();
    let invalid = |reason: String| {
        Err(Error::InvalidGeometry {
            op: "effect",
            reason,
        })
    };
    if of >= n || along >= n {
        return invalid(format!("inputs {of} and {along}: the network has {n}"));
    }
    if output >= net.out_dim() {
        return invalid(format!(
            "output {output}: the network has {}",
            net.out_dim()
        ));
    }
    if !range.iter().all(|v| v.is_finite()) || range[0] >= range[1] {
        return invalid(format!(
            "the range [{}, {}] is empty or not finite",
            range[0], range[1]
        ));
    }
    let (mut from, mut to) = (point.to_vec(), point.to_vec());
    from[along] = range[0];
    to[along] = range[1];
    let kinks = kinks_along(net, &from, &to)?;
    let at = |t: f64| range[0] + t * (range[1] - range[0]);
    let mut pieces: Vec<EffectPiece> = Vec::new();
    let scale = kinks
        .pieces
        .iter()
        .fold(0.0f64, |m, p| m.max(p.jacobian[output * n + of].abs()));
    for p in &kinks.pieces {
        let effect = p.jacobian[output * n + of];
        match pieces.last_mut() {
            // A unit that switches without changing this input's effect leaves one piece.
            Some(last) if (last.effect - effect).abs() <= 1e-12 * scale => last.to = at(p.t1),
            _ => pieces.push(EffectPiece {
                from: at(p.t0),
                to: at(p.t1),
                effect,
            }),
        }
    }
    Ok(EffectCurve {
        of,
        along,
        output,
        pieces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::MlpConfig;

    #[test]
    fn pieces_match_finite_differences_away_from_kinks() {
        let net = PiecewiseLinear::new(
            &MlpConfig::new(vec![3, 12, 12, 1])
                .seed(6)
                .init::<f64>()
                .unwrap(),
        )
        .unwrap();
        let point = [0.2, -0.1, 0.5];
        let curve = effect_curve(&net, &point, 0, 2, [-3.0, 3.0], 0).unwrap();
        assert!(curve.pieces.len() > 1);
        for p in &curve.pieces {
            let mid = 0.5 * (p.from + p.to);
            let h = 1e-6 * (p.to - p.from).min(1.0);
            let mut x = point;
            x[2] = mid;
            let (mut plus, mut minus) = (x, x);
            plus[0] += h;
            minus[0] -= h;
            let numeric =
                (net.outputs(&plus).unwrap()[0] - net.outputs(&minus).unwrap()[0]) / (2.0 * h);
            assert!(
                (numeric - p.effect).abs() < 1e-6 * (1.0 + p.effect.abs()),
                "{numeric} vs {}",
                p.effect
            );
            assert_eq!(curve.at(mid), Some(p.effect));
        }
        for w in curve.pieces.windows(2) {
            assert_eq!(w[0].to, w[1].from);
            assert_ne!(w[0].effect, w[1].effect);
        }
    }

    #[test]
    fn bad_arguments_are_refused() {
        let net =
            PiecewiseLinear::new(&MlpConfig::new(vec![2, 4, 1]).init::<f64>().unwrap()).unwrap();
        assert!(effect_curve(&net, &[0.0, 0.0], 2, 0, [0.0, 1.0], 0).is_err());
        assert!(effect_curve(&net, &[0.0, 0.0], 0, 1, [1.0, 1.0], 0).is_err());
        assert!(effect_curve(&net, &[0.0, 0.0], 0, 1, [0.0, 1.0], 1).is_err());
    }
}
