//! Exact geometry and explanations of ReLU networks: kinks along a segment, linear regions on a 2-D
//! slice, decision boundaries — all computed exactly in f64 on the network's piecewise-linear form.
//!
//! ```
//! use relulens::explain::{kinks_along, PiecewiseLinear};
//! use relulens::nn::MlpConfig;
//! let mlp = MlpConfig::new(vec![2, 8, 1]).seed(1).init::<f64>()?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! let kinks = kinks_along(&net, &[-1.0, -1.0], &[1.0, 1.0])?;
//! assert_eq!(kinks.pieces.len(), kinks.kinks.len() + 1);
//! # Ok::<(), relulens::Error>(())
//! ```

mod boundary;
mod effect;
mod faces;
mod health;
mod hinges;
mod inline_vec;
mod interactions;
mod kinks;
mod local;
mod mesh;
mod network;
mod neuron;
mod regions;
mod slice;
mod verify;

pub use boundary::{decision_boundary, level_set, Boundary};
pub use effect::{effect_curve, EffectCurve, EffectPiece};
pub use health::{interval_bounds, neuron_health, ExactAnalysis, Health, UnitHealth, UnitStatus};
pub use hinges::{hinges, slope_histogram, unit_contributions, Hinge, Hinges, UnitContributions};
pub use inline_vec::InlineVec;
pub use interactions::{interactions, Interaction, InteractionOptions, Interactions};
pub use kinks::{kinks_along, Kinks, Piece};
pub use local::{explain_point, LocalExplanation};
pub use network::{ActivationPattern, PiecewiseLinear};
pub use neuron::{Neuron, NeuronExplanation};
pub use regions::{
    regions_on_slice, regions_on_slice_with_progress, Region, RegionOptions, RegionProgress,
    Regions,
};
pub use slice::Slice;
pub use verify::{verify_kinks, verify_regions, Verification};

/// Networks built by hand, and seeded values, for the modules' tests.
#[cfg(test)]
pub(crate) mod test_nets {
    use super::PiecewiseLinear;
    use crate::activation::Activation;
    use crate::nn::{Dense, Mlp};

    /// Dense layers from (weight, bias) pairs, `activation` after each but the last (identity).
    pub(crate) fn net(
        layers: Vec<(Vec<f64>, Vec<f64>)>,
        activation: Activation,
    ) -> PiecewiseLinear {
        let n = layers.len();
        let dense = layers
            .into_iter()
            .map(|(w, b)| Dense::new(w, b).unwrap())
            .collect();
        let mut acts = vec![activation; n];
        acts[n - 1] = Activation::Identity;
        PiecewiseLinear::new(&Mlp::new(dense, acts).unwrap()).unwrap()
    }

    /// `n` values of mixed sign in [-4, 4), from a seeded generator.
    pub(crate) fn values(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = crate::rng::Rng::new(seed);
        (0..n).map(|_| rng.uniform(-4.0, 4.0)).collect()
    }
}
