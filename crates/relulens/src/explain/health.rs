//! Neuron health: which hidden units ever switch on, on a data set and over a box of inputs.
//!
//! A unit is *active* where its pre-activation is above 0, its first kink (for ReLU: its output is
//! positive and its gradient passes). Three methods, each reported separately per unit:
//!
//! - **On data**: the fraction of rows on which the unit is active. Never active on any row: dead
//!   on the data; active on every row: always active; otherwise switching.
//! - **Interval bound propagation** over a box lo ≤ x ≤ hi: each layer's pre-activation z = W·a + b
//!   gets the interval [b + Σ min(w·lo, w·hi), b + Σ max(w·lo, w·hi)] from its inputs' intervals,
//!   and the activation maps it to [min, max] of φ over the ends and the kinks inside (exact for
//!   one unit, loose across units because it ignores that they share inputs). An upper end at or
//!   below 0 proves the unit dead on the whole box, a lower end above 0 proves it always active;
//!   otherwise IBP cannot tell (unknown). A margin of 10⁻¹² of the unit's scale guards the proof
//!   against rounding.
//! - **Exact**, when at most two coordinates of the box vary (a point, a segment, or a 2-D slice
//!   rectangle with the other features fixed): the unit's bit in every linear piece
//!   ([`kinks_along`]) or region ([`regions_on_slice`]) decides. Dead iff off in every region,
//!   always active iff on in every region, switching otherwise (up to sets of zero length or area).
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{neuron_health, PiecewiseLinear, UnitStatus};
//! use relulens::nn::{Dense, Mlp};
//! // Unit 0 is relu(x0 - 5), unit 1 relu(x0 + x1).
//! let mlp = Mlp::new(
//!     vec![Dense::new(vec![1.0, 0.0, 1.0, 1.0], vec![-5.0, 0.0])?, Dense::new(vec![1.0, 1.0], vec![0.0])?],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! let rows = [0.0, 1.0, 2.0, -3.0];
//! let health = neuron_health(&net, Some(&rows), Some(&[[-1.0, 1.0], [-1.0, 1.0]]))?;
//! let [dead, switching] = &health.units[..] else { unreachable!() };
//! assert_eq!(dead.rate, Some(0.0));
//! assert_eq!(dead.by_bounds, Some(UnitStatus::Dead)); // x0 - 5 <= -4 on the box
//! assert_eq!(switching.rate, Some(0.5));
//! assert_eq!(switching.exact, Some(UnitStatus::Switching)); // the box is a 2-D slice
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use super::interactions::check_rows;
use super::kinks::kinks_along;
use super::network::{ActivationPattern, Layer, PiecewiseLinear};
use super::regions::{regions_on_slice, RegionOptions};
use super::slice::Slice;
use crate::error::{Error, Result};
use crate::nn::matmul::{matmul, View};

/// The margin, relative to a unit's scale, by which an interval must clear 0 to prove a status.
const IBP_MARGIN: f64 = 1e-12;

/// What one method says about a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitStatus {
    /// Never active.
    Dead,
    /// Always active.
    AlwaysActive,
    /// Active somewhere and inactive somewhere.
    Switching,
    /// The method cannot tell (interval bounds only).
    Unknown,
}

impl UnitStatus {
    /// The status as one or two words: `dead`, `always active`, `switching`, `unknown`.
    pub fn name(&self) -> &'static str {
        match self {
            UnitStatus::Dead => "dead",
            UnitStatus::AlwaysActive => "always active",
            UnitStatus::Switching => "switching",
            UnitStatus::Unknown => "unknown",
        }
    }
}

impl fmt::Display for UnitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One unit's health by each method that was run.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitHealth {
    /// The layer, from 0 (as in the network's layers).
    pub layer: usize,
    /// The unit within the layer, from 0.
    pub unit: usize,
    /// The fraction of data rows on which it is active.
    pub rate: Option<f64>,
    /// Dead, always active or switching on the data.
    pub on_data: Option<UnitStatus>,
    /// Interval bound propagation's bounds on its pre-activation over the box.
    pub interval: Option<[f64; 2]>,
    /// Dead, always active or unknown by interval bounds over the box.
    pub by_bounds: Option<UnitStatus>,
    /// Dead, always active or switching, exactly, when the box has at most two free coordinates.
    pub exact: Option<UnitStatus>,
}

impl UnitHealth {
    /// The best-known status on the box: the exact one when there is one, else the bounds'.
    pub fn on_box(&self) -> Option<UnitStatus> {
        self.exact.or(self.by_bounds)
    }
}

impl fmt::Display for UnitHealth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Counted from 1 for people, as everywhere in relulens's text; the fields count from 0.
        write!(f, "hidden layer {} unit {}", self.layer + 1, self.unit + 1)?;
        if let (Some(rate), Some(status)) = (self.rate, self.on_data) {
            write!(f, ": active on {:.1}% of rows ({status})", 100.0 * rate)?;
        }
        if let Some(status) = self.on_box() {
            let how = if self.exact.is_some() {
                "exact"
            } else {
                "interval bounds"
            };
            write!(f, "; on the box {status} ({how})")?;
        }
        Ok(())
    }
}

/// How the exact analysis of a box was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExactAnalysis {
    /// The box is a single point: its activation pattern.
    Point,
    /// One coordinate varies: the linear pieces along it.
    Segment {
        /// The feature that varies.
        feature: usize,
        /// The number of pieces.
        pieces: usize,
    },
    /// Two coordinates vary: the linear regions of the slice rectangle.
    Slice {
        /// The features that vary.
        features: [usize; 2],
        /// The number of regions.
        regions: usize,
    },
}

/// The health of every unit with a switch, by the methods that were run.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    /// One entry per unit of every layer whose activation has kinks, layer by layer.
    pub units: Vec<UnitHealth>,
    /// The number of data rows, when data was given.
    pub rows: Option<usize>,
    /// The box, when one was given.
    pub bounds: Option<Vec<[f64; 2]>>,
    /// How the box was analysed exactly, when it has at most two free coordinates.
    pub exact: Option<ExactAnalysis>,
}

impl Health {
    /// Units never active on any data row.
    pub fn dead_on_data(&self) -> Vec<&UnitHealth> {
        self.filter(|u| u.on_data == Some(UnitStatus::Dead))
    }

    /// Units active on every data row.
    pub fn always_active_on_data(&self) -> Vec<&UnitHealth> {
        self.filter(|u| u.on_data == Some(UnitStatus::AlwaysActive))
    }

    /// Units proved dead on the whole box (exactly, or by interval bounds).
    pub fn dead_on_box(&self) -> Vec<&UnitHealth> {
        self.filter(|u| u.on_box() == Some(UnitStatus::Dead))
    }

    /// Units proved active on the whole box.
    pub fn always_active_on_box(&self) -> Vec<&UnitHealth> {
        self.filter(|u| u.on_box() == Some(UnitStatus::AlwaysActive))
    }

    fn filter(&self, keep: impl Fn(&UnitHealth) -> bool) -> Vec<&UnitHealth> {
        self.units.iter().filter(|u| keep(u)).collect()
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Health({} units", self.units.len())?;
        if let Some(rows) = self.rows {
            write!(
                f,
                "; on {rows} rows {} dead, {} always active",
                self.dead_on_data().len(),
                self.always_active_on_data().len()
            )?;
        }
        if self.bounds.is_some() {
            let how = match self.exact {
                Some(ExactAnalysis::Point) => "exact at a point",
                Some(ExactAnalysis::Segment { .. }) => "exact on a segment",
                Some(ExactAnalysis::Slice { .. }) => "exact on a slice",
                None => "interval bounds",
            };
            write!(
                f,
                "; on the box ({how}) {} dead, {} always active",
                self.dead_on_box().len(),
                self.always_active_on_box().len()
            )?;
        }
        f.write_str(")")
    }
}

/// The activation's range over [lo, hi]: its values at the ends and at the kinks between.
fn image(layer: &Layer, lo: f64, hi: f64) -> [f64; 2] {
    let inside = layer.pieces.kinks.iter().filter(|&&k| lo < k && k < hi);
    [lo, hi]
        .iter()
        .chain(inside)
        .fold([f64::INFINITY, f64::NEG_INFINITY], |[a, b], &z| {
            let y = layer.activate(z).0;
            [a.min(y), b.max(y)]
        })
}

fn check_bounds(net: &PiecewiseLinear, bounds: &[[f64; 2]]) -> Result<()> {
    let invalid = |reason: String| {
        Err(Error::InvalidExplanation {
            op: "neuron health",
            reason,
        })
    };
    if bounds.len() != net.in_dim() {
        return invalid(format!(
            "the box has {} ranges for {} inputs",
            bounds.len(),
            net.in_dim()
        ));
    }
    if let Some([lo, hi]) = bounds
        .iter()
        .find(|[lo, hi]| !(lo.is_finite() && hi.is_finite() && lo <= hi))
    {
        return invalid(format!(
            "the range [{lo}, {hi}] is not a finite interval with low <= high"
        ));
    }
    Ok(())
}

/// Interval bound propagation: for every layer, each unit's pre-activation interval over the box
/// `bounds` (one [low, high] per input), and the scale its rounding margin is taken from.
fn propagate(net: &PiecewiseLinear, bounds: &[[f64; 2]]) -> Vec<Vec<([f64; 2], f64)>> {
    let mut current = bounds.to_vec();
    let mut all = Vec::with_capacity(net.layers.len());
    for layer in &net.layers {
        let mut intervals = Vec::with_capacity(layer.units);
        let mut next = Vec::with_capacity(layer.units);
        for k in 0..layer.units {
            let row = &layer.weight[k * layer.in_dim..(k + 1) * layer.in_dim];
            let (mut lo, mut hi, mut scale) = (layer.bias[k], layer.bias[k], layer.bias[k].abs());
            for (&w, &[a, b]) in row.iter().zip(&current) {
                lo += (w * a).min(w * b);
                hi += (w * a).max(w * b);
                scale += w.abs() * a.abs().max(b.abs());
            }
            intervals.push(([lo, hi], scale));
            next.push(image(layer, lo, hi));
        }
        all.push(intervals);
        current = next;
    }
    all
}

/// Interval bound propagation over the box `bounds` (one [low, high] per input): for every layer,
/// an interval holding each unit's pre-activation at every point of the box (up to rounding).
///
/// # Errors
///
/// [`Error::InvalidExplanation`] for a box of the wrong width, or with a range that is not finite
/// or has low > high.
///
/// # Examples
///
/// ```
/// use relulens::activation::Activation;
/// use relulens::explain::{interval_bounds, PiecewiseLinear};
/// use relulens::nn::{Dense, Mlp};
/// // relu(x - 1), then 2·that - 1.
/// let mlp = Mlp::new(
///     vec![Dense::new(vec![1.0], vec![-1.0])?, Dense::new(vec![2.0], vec![-1.0])?],
///     vec![Activation::Relu, Activation::Identity],
/// )?;
/// let net = PiecewiseLinear::new(&mlp)?;
/// assert_eq!(interval_bounds(&net, &[[0.0, 3.0]])?, [vec![[-1.0, 2.0]], vec![[-1.0, 3.0]]]);
/// # Ok::<(), relulens::Error>(())
/// ```
pub fn interval_bounds(net: &PiecewiseLinear, bounds: &[[f64; 2]]) -> Result<Vec<Vec<[f64; 2]>>> {
    check_bounds(net, bounds)?;
    Ok(propagate(net, bounds)
        .into_iter()
        .map(|layer| layer.into_iter().map(|(interval, _)| interval).collect())
        .collect())
}

/// The fraction of rows on which each unit of each layer is active (an empty list for layers
/// without kinks).
fn rates(net: &PiecewiseLinear, rows: &[f64], n: usize) -> Vec<Vec<f64>> {
    let mut current = rows.to_vec();
    let mut all = Vec::with_capacity(net.layers.len());
    for layer in &net.layers {
        let mut next = vec![0.0; n * layer.units];
        for row in next.chunks_exact_mut(layer.units) {
            row.copy_from_slice(&layer.bias);
        }
        matmul(
            &mut next,
            n,
            layer.units,
            true,
            View::row_major(&current, n, layer.in_dim),
            View::transposed(&layer.weight, layer.in_dim, layer.units),
        );
        if layer.pieces.kinks.is_empty() {
            all.push(Vec::new());
        } else {
            let mut on = vec![0usize; layer.units];
            for row in next.chunks_exact(layer.units) {
                for (count, &z) in on.iter_mut().zip(row) {
                    *count += usize::from(z > 0.0);
                }
            }
            all.push(on.iter().map(|&c| c as f64 / n as f64).collect());
        }
        next.iter_mut().for_each(|z| *z = layer.activate(*z).0);
        current = next;
    }
    all
}

/// The activation patterns of every linear piece of a box with at most two free coordinates.
fn exact_patterns(
    net: &PiecewiseLinear,
    bounds: &[[f64; 2]],
) -> Result<Option<(ExactAnalysis, Vec<ActivationPattern>)>> {
    let low: Vec<f64> = bounds.iter().map(|b| b[0]).collect();
    let free: Vec<usize> = (0..bounds.len())
        .filter(|&i| bounds[i][0] < bounds[i][1])
        .collect();
    Ok(Some(match free[..] {
        [] => (ExactAnalysis::Point, vec![net.pattern_at(&low)]),
        [feature] => {
            let high: Vec<f64> = bounds.iter().map(|b| b[1]).collect();
            let kinks = kinks_along(net, &low, &high)?;
            let patterns: Vec<ActivationPattern> =
                kinks.pieces.into_iter().map(|p| p.pattern).collect();
            let pieces = patterns.len();
            (ExactAnalysis::Segment { feature, pieces }, patterns)
        }
        [x, y] => {
            let slice = Slice::features(&low, x, y, [bounds[x], bounds[y]])?;
            let regions = regions_on_slice(net, &slice, &RegionOptions::default())?;
            let analysis = ExactAnalysis::Slice {
                features: [x, y],
                regions: regions.count(),
            };
            (
                analysis,
                regions.regions.into_iter().map(|r| r.pattern).collect(),
            )
        }
        _ => return Ok(None),
    }))
}

/// The health of every unit with a switch: activation rates on `data` (row-major, one value per
/// input, raw units), and proofs of dead or always-active units on the box `bounds` (one
/// [low, high] per input; a range with low = high fixes that input) by interval bounds, made exact
/// when at most two ranges have low < high.
///
/// # Errors
///
/// [`Error::NotWholeRows`], [`Error::NonFinite`] or [`Error::InvalidExplanation`] for data that is
/// not whole, finite rows (at least one); [`Error::InvalidExplanation`] for a box as
/// [`interval_bounds`] refuses; [`Error::RegionBudget`] when a 2-D box has more than a million
/// linear regions.
pub fn neuron_health(
    net: &PiecewiseLinear,
    data: Option<&[f64]>,
    bounds: Option<&[[f64; 2]]>,
) -> Result<Health> {
    let rows = data
        .map(|rows| check_rows(net, "neuron health", rows).map(|n| (rows, n)))
        .transpose()?;
    if let Some(bounds) = bounds {
        check_bounds(net, bounds)?;
    }
    let rates = rows.map(|(rows, n)| rates(net, rows, n));
    let intervals = bounds.map(|b| propagate(net, b));
    let exact = bounds
        .map(|b| exact_patterns(net, b))
        .transpose()?
        .flatten();

    let mut units = Vec::new();
    for (l, layer) in net.layers.iter().enumerate() {
        let kinks = layer.pieces.kinks.len();
        if kinks == 0 {
            continue;
        }
        for k in 0..layer.units {
            let rate = rates.as_ref().map(|r| r[l][k]);
            let on_data = rate.map(|r| {
                if r == 0.0 {
                    UnitStatus::Dead
                } else if r == 1.0 {
                    UnitStatus::AlwaysActive
                } else {
                    UnitStatus::Switching
                }
            });
            let interval = intervals.as_ref().map(|i| i[l][k]);
            let by_bounds = interval.map(|([lo, hi], scale)| {
                let margin = IBP_MARGIN * scale;
                if hi <= -margin {
                    UnitStatus::Dead
                } else if lo > margin {
                    UnitStatus::AlwaysActive
                } else {
                    UnitStatus::Unknown
                }
            });
            let switch = layer.first_switch + k * kinks;
            let exact = exact.as_ref().map(|(_, patterns)| {
                let on = patterns.iter().filter(|p| p.get(switch)).count();
                match on {
                    0 => UnitStatus::Dead,
                    n if n == patterns.len() => UnitStatus::AlwaysActive,
                    _ => UnitStatus::Switching,
                }
            });
            units.push(UnitHealth {
                layer: l,
                unit: k,
                rate,
                on_data,
                interval: interval.map(|(i, _)| i),
                by_bounds,
                exact,
            });
        }
    }
    Ok(Health {
        units,
        rows: rows.map(|(_, n)| n),
        bounds: bounds.map(<[[f64; 2]]>::to_vec),
        exact: exact.map(|(analysis, _)| analysis),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::nn::MlpConfig;
    use crate::rng::Rng;
    use proptest::prelude::*;

    use crate::explain::test_nets::net;

    #[test]
    fn a_unit_with_no_incoming_weight_and_a_negative_bias_is_dead() {
        // Units: relu(-1) (dead anywhere), relu(x0 + x1 + 10) (active on the box), relu(x0).
        let n = net(
            vec![
                (vec![0.0, 0.0, 1.0, 1.0, 1.0, 0.0], vec![-1.0, 10.0, 0.0]),
                (vec![1.0, 1.0, 1.0], vec![0.0]),
            ],
            Activation::Relu,
        );
        let bounds = [[-3.0, 3.0], [-2.0, 2.0]];
        let rows = [1.0, 1.0, -1.0, 0.5];
        let h = neuron_health(&n, Some(&rows), Some(&bounds)).unwrap();
        let status = |k: usize| {
            let u = &h.units[k];
            (u.rate, u.on_data, u.by_bounds, u.exact)
        };
        use UnitStatus::*;
        assert_eq!(status(0), (Some(0.0), Some(Dead), Some(Dead), Some(Dead)));
        assert_eq!(
            status(1),
            (
                Some(1.0),
                Some(AlwaysActive),
                Some(AlwaysActive),
                Some(AlwaysActive)
            )
        );
        assert_eq!(
            status(2),
            (Some(0.5), Some(Switching), Some(Unknown), Some(Switching))
        );
        assert_eq!(h.units[1].interval, Some([5.0, 15.0]));
        assert_eq!(
            h.exact,
            Some(ExactAnalysis::Slice {
                features: [0, 1],
                regions: 2
            })
        );
        assert_eq!(h.dead_on_box().len(), 1);
        assert_eq!(
            h.to_string(),
            "Health(3 units; on 2 rows 1 dead, 1 always active; on the box (exact on a slice) 1 \
             dead, 1 always active)"
        );
        assert_eq!(
            h.units[2].to_string(),
            "hidden layer 1 unit 3: active on 50.0% of rows (switching); on the box switching \
             (exact)"
        );
    }

    #[test]
    fn the_exact_analysis_tightens_what_interval_bounds_cannot_tell() {
        // Layer 2's unit is relu(a + b - 1.5) with a = relu(x), b = relu(-x): a + b = |x| <= 1 on
        // [-1, 1], so it is dead, but IBP sees a, b ∈ [0, 1] independently and allows 2 - 1.5 > 0.
        let n = net(
            vec![
                (vec![1.0, -1.0], vec![0.0, 0.0]),
                (vec![1.0, 1.0], vec![-1.5]),
                (vec![1.0], vec![0.0]),
            ],
            Activation::Relu,
        );
        let h = neuron_health(&n, None, Some(&[[-1.0, 1.0]])).unwrap();
        let deep = &h.units[2];
        assert_eq!((deep.layer, deep.unit), (1, 0));
        assert_eq!(deep.interval, Some([-1.5, 0.5]));
        assert_eq!(deep.by_bounds, Some(UnitStatus::Unknown));
        assert_eq!(deep.exact, Some(UnitStatus::Dead));
        assert_eq!(deep.on_box(), Some(UnitStatus::Dead));
        assert_eq!(
            h.exact,
            Some(ExactAnalysis::Segment {
                feature: 0,
                pieces: 2
            })
        );
        // A point.
        let h = neuron_health(&n, None, Some(&[[0.5, 0.5]])).unwrap();
        assert_eq!(h.exact, Some(ExactAnalysis::Point));
        assert_eq!(h.units[0].exact, Some(UnitStatus::AlwaysActive));
        assert_eq!(h.units[1].exact, Some(UnitStatus::Dead));
    }

    #[test]
    fn relu6_and_leaky_bounds() {
        // relu6(x) on [-2, 8] ranges over [0, 6]; leaky over [-0.2, 8].
        let six = net(
            vec![(vec![1.0], vec![0.0]), (vec![1.0], vec![0.0])],
            Activation::Relu6,
        );
        assert_eq!(
            interval_bounds(&six, &[[-2.0, 8.0]]).unwrap()[1],
            [[0.0, 6.0]]
        );
        let leaky = net(
            vec![(vec![1.0], vec![0.0]), (vec![1.0], vec![0.0])],
            Activation::LeakyRelu {
                negative_slope: 0.1,
            },
        );
        assert_eq!(
            interval_bounds(&leaky, &[[-2.0, 8.0]]).unwrap()[1],
            [[-0.2, 8.0]]
        );
        // A negative slope makes the activation non-monotone: its minimum is at the kink.
        let odd = net(
            vec![(vec![1.0], vec![0.0]), (vec![1.0], vec![0.0])],
            Activation::LeakyRelu {
                negative_slope: -0.5,
            },
        );
        assert_eq!(
            interval_bounds(&odd, &[[-2.0, 1.0]]).unwrap()[1],
            [[0.0, 1.0]]
        );
    }

    #[test]
    fn more_than_two_free_inputs_use_bounds_only_and_bad_boxes_are_refused() {
        let mlp = MlpConfig::new(vec![3, 4, 1]).seed(2).init::<f64>().unwrap();
        let n = PiecewiseLinear::new(&mlp).unwrap();
        let h = neuron_health(&n, None, Some(&[[-1.0, 1.0]; 3])).unwrap();
        assert_eq!(h.exact, None);
        assert!(h
            .units
            .iter()
            .all(|u| u.exact.is_none() && u.by_bounds.is_some()));
        assert!(neuron_health(&n, None, Some(&[[-1.0, 1.0]; 2])).is_err());
        assert!(neuron_health(&n, None, Some(&[[1.0, -1.0]; 3])).is_err());
        assert!(neuron_health(&n, None, Some(&[[0.0, f64::INFINITY]; 3])).is_err());
        assert!(neuron_health(&n, Some(&[1.0, 2.0]), None).is_err());
        let none = neuron_health(&n, None, None).unwrap();
        assert_eq!(none.units.len(), 4);
        assert_eq!(none.to_string(), "Health(4 units)");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn every_method_agrees_with_points_sampled_in_the_box(seed in 0u64..1000) {
            // Biases pushed down so that some units die and some layers' units never switch.
            let mut mlp = MlpConfig::new(vec![2, 8, 8, 1]).seed(seed).init::<f64>().unwrap();
            for layer in mlp.layers_mut() {
                layer.params_mut().1.iter_mut().for_each(|b| *b -= 0.4);
            }
            let n = PiecewiseLinear::new(&mlp).unwrap();
            let bounds = [[-1.0, 1.5], [-0.5, 1.0]];
            let mut rng = Rng::new(seed);
            let rows: Vec<f64> = (0..400)
                .flat_map(|_| [rng.uniform(-1.0, 1.5), rng.uniform(-0.5, 1.0)])
                .collect();
            let h = neuron_health(&n, Some(&rows), Some(&bounds)).unwrap();
            let ibp = interval_bounds(&n, &bounds).unwrap();
            for u in &h.units {
                let rate = u.rate.unwrap();
                match u.exact.unwrap() {
                    UnitStatus::Dead => prop_assert_eq!(rate, 0.0, "{}", u),
                    UnitStatus::AlwaysActive => prop_assert_eq!(rate, 1.0, "{}", u),
                    _ => {}
                }
                // Interval bounds are sound, and never contradict the exact answer.
                match u.by_bounds.unwrap() {
                    UnitStatus::Dead => prop_assert_eq!(u.exact, Some(UnitStatus::Dead)),
                    UnitStatus::AlwaysActive => {
                        prop_assert_eq!(u.exact, Some(UnitStatus::AlwaysActive))
                    }
                    _ => {}
                }
                let [lo, hi] = ibp[u.layer][u.unit];
                for x in rows.chunks_exact(2) {
                    let mut z = x.to_vec();
                    for layer in &n.layers[..=u.layer] {
                        z = (0..layer.units)
                            .map(|k| {
                                let w = &layer.weight[k * layer.in_dim..(k + 1) * layer.in_dim];
                                layer.bias[k] + w.iter().zip(&z).map(|(a, b)| a * b).sum::<f64>()
                            })
                            .collect();
                        if !std::ptr::eq(layer, &n.layers[u.layer]) {
                            z.iter_mut().for_each(|v| *v = layer.activate(*v).0);
                        }
                    }
                    prop_assert!(lo - 1e-12 <= z[u.unit] && z[u.unit] <= hi + 1e-12);
                }
            }
        }
    }
}
