//! Interaction strength over a data set, for every pair of inputs, by two measures: Friedman's
//! H-statistic, and an exact gradient measure read off the network's linear pieces.
//!
//! **H-statistic** (Friedman and Popescu 2008). For features j and k, the partial dependence
//! functions are estimated on the rows x₁ … xₙ themselves:
//!
//! PD_jk(a, b) = (1/n) Σᵢ f(xᵢ with x_j = a, x_k = b),  PD_j(a) = (1/n) Σᵢ f(xᵢ with x_j = a),
//!
//! each then centred (its mean over the n rows' own values subtracted), and
//!
//! H²_jk = Σᵢ [PD_jk(x_ij, x_ik) − PD_j(x_ij) − PD_k(x_ik)]² / Σᵢ PD_jk(x_ij, x_ik)²,
//!
//! the share of the joint effect's variance that is not the sum of the two single effects. It is 0
//! when f is additive in (x_j, x_k) and 1 when the joint effect has no additive part. Reported as
//! H = √H², with the unnormalised √(numerator / n) beside it: being a share, H can rank a pair with
//! a tiny joint effect (an irrelevant feature with a strong one) above a pair with a large one.
//! On rows that form a full grid of the pair's values H lies in [0, 1]; on other data, correlated
//! features especially, it can exceed 1, and it is not clipped. Its cost is n² network evaluations
//! per feature and per pair, so the rows are capped: at most [`InteractionOptions::max_rows`] (300
//! by default), drawn without replacement with a seeded shuffle when there are more. The same
//! sample serves as the points and as the background that is averaged over. f is one output of the
//! network (the logit, for a binary classifier).
//!
//! **Gradient measure, exact.** Along a line where only x_j moves, ∂f/∂xᵢ is piecewise constant: it
//! changes only at the kinks, and [`kinks_along`] gives every piece with its Jacobian. For a row x,
//! let TVᵢⱼ(x) be the total variation of ∂f/∂xᵢ as x_j sweeps its range [lo_j, hi_j] (the other
//! inputs held at x): the sum, over the kinks on that segment, of the absolute jumps of ∂f/∂xᵢ. Then
//!
//! Gᵢⱼ = (1/n) Σ_rows TVᵢⱼ(x)   (in output units per unit of xᵢ),
//!
//! exact up to rounding, and exactly 0 when ∂f/∂xᵢ does not depend on x_j. It is not symmetric
//! (the lines through the rows differ), so a pair is scored by
//! Sᵢⱼ = ½ (Gᵢⱼ·wᵢ + Gⱼᵢ·wⱼ), wᵢ = hiᵢ − loᵢ: how much the output's response to sweeping one
//! feature across its range changes as the other sweeps its range, in output units, whatever the
//! features' own units. The ranges are the data's minimum and maximum unless given. The diagonal
//! Gⱼⱼ measures how far x_j's own effect bends.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{interactions, InteractionOptions, PiecewiseLinear};
//! use relulens::nn::{Dense, Mlp};
//! // f = relu(x0 + x1 - 1): x0 matters only when x1 is large, an AND of the two.
//! let mlp = Mlp::new(
//!     vec![Dense::new(vec![1.0, 1.0], vec![-1.0])?, Dense::new(vec![1.0], vec![0.0])?],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! let rows = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
//! let options = InteractionOptions { ranges: Some(vec![[-1.0, 2.0]; 2]), ..Default::default() };
//! let found = interactions(&net, &rows, &options)?;
//! let pair = &found.pairs[0];
//! assert!((pair.h_squared - 1.0 / 3.0).abs() < 1e-12);
//! assert_eq!(pair.gradient, [1.0, 1.0]);
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use super::kinks::kinks_along;
use super::network::PiecewiseLinear;
use crate::error::{Error, Result};
use crate::nn::matmul::{matmul, View};
use crate::rng::Rng;

/// Settings of [`interactions`].
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionOptions {
    /// The most rows used (default 300); more are sampled down, seeded.
    pub max_rows: usize,
    /// The seed of that sample.
    pub seed: u64,
    /// Which output of the network is explained (default 0).
    pub output: usize,
    /// Each feature's [low, high] for the gradient measure (default: the data's min and max).
    pub ranges: Option<Vec<[f64; 2]>>,
}

impl Default for InteractionOptions {
    fn default() -> Self {
        InteractionOptions {
            max_rows: 300,
            seed: 0,
            output: 0,
            ranges: None,
        }
    }
}

/// The interaction of one pair of features.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// The two features, lower index first: (i, j).
    pub features: [usize; 2],
    /// Friedman's H² (see the [module docs](self)).
    pub h_squared: f64,
    /// H = √H².
    pub h_statistic: f64,
    /// √(Σᵢ [PD_jk − PD_j − PD_k]² / n): the interaction's own size in output units, without the
    /// division by the joint effect (Friedman and Popescu's unnormalised statistic). H is a share,
    /// so a pair with a tiny joint effect can have a large H; this one compares pairs' sizes.
    pub h_unnormalized: f64,
    /// [Gᵢⱼ, Gⱼᵢ]: the mean total variation of ∂f/∂xᵢ along xⱼ, and of ∂f/∂xⱼ along xᵢ.
    pub gradient: [f64; 2],
    /// Sᵢⱼ = ½ (Gᵢⱼ·wᵢ + Gⱼᵢ·wⱼ), in output units.
    pub gradient_strength: f64,
}

impl fmt::Display for Interaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "x{} × x{}: H {:.4}, gradient {:.4}",
            self.features[0], self.features[1], self.h_statistic, self.gradient_strength
        )
    }
}

/// Every pair's interaction, over a sample of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Interactions {
    /// One entry per pair (i < j), in the order (0, 1), (0, 2), …, (1, 2), ….
    pub pairs: Vec<Interaction>,
    /// Gᵢⱼ for every i and j, `[in_dim, in_dim]` row-major (row i: the effect of xᵢ; column j: the
    /// feature that moves).
    pub gradient_matrix: Vec<f64>,
    /// The ranges the gradient measure swept.
    pub ranges: Vec<[f64; 2]>,
    /// The rows used.
    pub rows_used: usize,
    /// The rows given.
    pub rows_given: usize,
    /// The output explained.
    pub output: usize,
}

impl Interactions {
    /// The pairs, strongest H first.
    pub fn by_h(&self) -> Vec<&Interaction> {
        self.ranked(|p| p.h_statistic)
    }

    /// The pairs, strongest gradient measure first.
    pub fn by_gradient(&self) -> Vec<&Interaction> {
        self.ranked(|p| p.gradient_strength)
    }

    fn ranked(&self, key: impl Fn(&Interaction) -> f64) -> Vec<&Interaction> {
        let mut pairs: Vec<&Interaction> = self.pairs.iter().collect();
        // Stable: ties keep the pairs' own order.
        pairs.sort_by(|a, b| key(b).total_cmp(&key(a)));
        pairs
    }

    /// The pair of features `i` and `j` (in either order).
    pub fn pair(&self, i: usize, j: usize) -> Option<&Interaction> {
        let key = [i.min(j), i.max(j)];
        self.pairs.iter().find(|p| p.features == key)
    }
}

impl fmt::Display for Interactions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Interactions({} pairs over {} of {} rows",
            self.pairs.len(),
            self.rows_used,
            self.rows_given
        )?;
        if let (Some(h), Some(g)) = (self.by_h().first(), self.by_gradient().first()) {
            write!(
                f,
                "; strongest by H x{}×x{} {:.4}, by gradient x{}×x{} {:.4}",
                h.features[0],
                h.features[1],
                h.h_statistic,
                g.features[0],
                g.features[1],
                g.gradient_strength
            )?;
        }
        f.write_str(")")
    }
}

/// Checks that `rows` are whole, finite rows of the network's width, and returns how many.
pub(crate) fn check_rows(net: &PiecewiseLinear, op: &'static str, rows: &[f64]) -> Result<usize> {
    let d = net.in_dim();
    if rows.len() % d != 0 {
        return Err(Error::NotWholeRows {
            op,
            len: rows.len(),
            n_features: d,
        });
    }
    if rows.is_empty() {
        return Err(Error::InvalidExplanation {
            op,
            reason: "no data rows".into(),
        });
    }
    if let Some((index, &value)) = rows.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::NonFinite {
            op,
            what: "data rows".into(),
            index,
            value,
        });
    }
    Ok(rows.len() / d)
}

/// Output `output` of the network for `n` rows at once.
fn outputs(net: &PiecewiseLinear, rows: &[f64], n: usize, output: usize) -> Vec<f64> {
    let mut current = rows.to_vec();
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
        next.iter_mut().for_each(|z| *z = layer.activate(*z).0);
        current = next;
    }
    let out = net.out_dim();
    current.chunks_exact(out).map(|r| r[output]).collect()
}

/// The centred partial dependence on `features`, at each row's own values of them: entry l is
/// the mean over all rows i of f(xᵢ with those features set to row l's values), minus the mean.
fn partial_dependence(
    net: &PiecewiseLinear,
    rows: &[f64],
    n: usize,
    features: &[usize],
    output: usize,
) -> Vec<f64> {
    let d = net.in_dim();
    let mut batch = rows.to_vec();
    let mut pd: Vec<f64> = (0..n)
        .map(|l| {
            for row in batch.chunks_exact_mut(d) {
                for &j in features {
                    row[j] = rows[l * d + j];
                }
            }
            outputs(net, &batch, n, output).iter().sum::<f64>() / n as f64
        })
        .collect();
    let mean = pd.iter().sum::<f64>() / n as f64;
    pd.iter_mut().for_each(|v| *v -= mean);
    pd
}

/// H² from the centred partial dependences (see the module docs), 0 when the joint effect is
/// constant up to rounding, and the numerator's mean. `scale` is the mean square of f over the rows.
fn h_squared(joint: &[f64], first: &[f64], second: &[f64], scale: f64) -> (f64, f64) {
    let denominator: f64 = joint.iter().map(|v| v * v).sum();
    let numerator: f64 = (joint.iter().zip(first).zip(second))
        .map(|((jk, j), k)| (jk - j - k).powi(2))
        .sum();
    // A joint effect whose variance is rounding noise relative to f's size has no interaction.
    let n = joint.len() as f64;
    if denominator <= 1e-20 * scale * n || denominator == 0.0 {
        (0.0, 0.0)
    } else {
        (numerator / denominator, numerator / n)
    }
}

/// The rows used: all of them, or `max_rows` drawn without replacement (in their original order).
fn sample(rows: &[f64], n: usize, d: usize, max_rows: usize, seed: u64) -> Vec<f64> {
    if n <= max_rows {
        return rows.to_vec();
    }
    let mut order: Vec<usize> = (0..n).collect();
    Rng::new(seed).shuffle(&mut order);
    let mut chosen = order[..max_rows].to_vec();
    chosen.sort_unstable();
    chosen
        .iter()
        .flat_map(|&i| rows[i * d..(i + 1) * d].iter().copied())
        .collect()
}

/// Friedman's H-statistic and the exact gradient measure for every pair of inputs, over `rows`
/// (row-major, one value per network input, in the inputs' raw units).
///
/// # Errors
///
/// [`Error::NotWholeRows`], [`Error::NonFinite`] or [`Error::InvalidExplanation`] for rows that
/// are not whole, finite and at least one; [`Error::InvalidExplanation`] for `max_rows` 0, an
/// output out of range, or ranges of the wrong number, not finite or with low > high.
pub fn interactions(
    net: &PiecewiseLinear,
    rows: &[f64],
    options: &InteractionOptions,
) -> Result<Interactions> {
    const OP: &str = "interactions";
    let invalid = |reason: String| Err(Error::InvalidExplanation { op: OP, reason });
    let n_given = check_rows(net, OP, rows)?;
    let d = net.in_dim();
    if options.max_rows == 0 {
        return invalid("max_rows must be at least 1".into());
    }
    if options.output >= net.out_dim() {
        return invalid(format!(
            "output {} does not exist: the network has {} outputs",
            options.output,
            net.out_dim()
        ));
    }
    let ranges = match &options.ranges {
        Some(ranges) => {
            if ranges.len() != d {
                return invalid(format!("{} ranges for {d} inputs", ranges.len()));
            }
            if let Some([lo, hi]) = ranges
                .iter()
                .find(|[lo, hi]| !(lo.is_finite() && hi.is_finite() && lo <= hi))
            {
                return invalid(format!(
                    "the range [{lo}, {hi}] is not a finite interval with low <= high"
                ));
            }
            ranges.clone()
        }
        None => (0..d)
            .map(|j| {
                rows.iter()
                    .skip(j)
                    .step_by(d)
                    .fold([f64::INFINITY, f64::NEG_INFINITY], |[lo, hi], &v| {
                        [lo.min(v), hi.max(v)]
                    })
            })
            .collect(),
    };
    let sample = sample(rows, n_given, d, options.max_rows, options.seed);
    let n = sample.len() / d;
    let output = options.output;

    let values = outputs(net, &sample, n, output);
    let scale = values.iter().map(|v| v * v).sum::<f64>() / n as f64;
    let single: Vec<Vec<f64>> = (0..d)
        .map(|j| partial_dependence(net, &sample, n, &[j], output))
        .collect();

    let mut gradient_matrix = vec![0.0; d * d];
    for row in sample.chunks_exact(d) {
        for (j, &[lo, hi]) in ranges.iter().enumerate() {
            if lo == hi {
                continue;
            }
            let (mut start, mut end) = (row.to_vec(), row.to_vec());
            start[j] = lo;
            end[j] = hi;
            let kinks = kinks_along(net, &start, &end)?;
            for w in kinks.pieces.windows(2) {
                let (before, after) = (&w[0].jacobian[output * d..], &w[1].jacobian[output * d..]);
                for i in 0..d {
                    gradient_matrix[i * d + j] += (after[i] - before[i]).abs() / n as f64;
                }
            }
        }
    }

    let mut pairs = Vec::with_capacity(d * d.saturating_sub(1) / 2);
    for i in 0..d {
        for j in i + 1..d {
            let joint = partial_dependence(net, &sample, n, &[i, j], output);
            let (h2, residual) = h_squared(&joint, &single[i], &single[j], scale);
            let g = [gradient_matrix[i * d + j], gradient_matrix[j * d + i]];
            let width = |k: usize| ranges[k][1] - ranges[k][0];
            pairs.push(Interaction {
                features: [i, j],
                h_squared: h2,
                h_statistic: h2.sqrt(),
                h_unnormalized: residual.sqrt(),
                gradient: g,
                gradient_strength: 0.5 * (g[0] * width(i) + g[1] * width(j)),
            });
        }
    }
    Ok(Interactions {
        pairs,
        gradient_matrix,
        ranges,
        rows_used: n,
        rows_given: n_given,
        output,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::nn::MlpConfig;
    use proptest::prelude::*;
    // Named, so that proptest's `Rng` trait does not shadow it.
    use crate::rng::Rng;

    fn net(layers: Vec<(Vec<f64>, Vec<f64>)>) -> PiecewiseLinear {
        crate::explain::test_nets::net(layers, Activation::Relu)
    }

    /// f = relu(x0 + x1 - 1), and a third input it ignores.
    fn and_gate(inputs: usize) -> PiecewiseLinear {
        let mut w = vec![0.0; inputs];
        w[0] = 1.0;
        w[1] = 1.0;
        net(vec![(w, vec![-1.0]), (vec![1.0], vec![0.0])])
    }

    /// H² straight from the formula, one network evaluation at a time.
    fn h_squared_reference(net: &PiecewiseLinear, rows: &[f64], j: usize, k: usize) -> f64 {
        let d = net.in_dim();
        let n = rows.len() / d;
        let f = |x: &[f64]| net.outputs(x).unwrap()[0];
        let pd = |features: &[usize]| -> Vec<f64> {
            let raw: Vec<f64> = (0..n)
                .map(|l| {
                    (0..n)
                        .map(|i| {
                            let mut x = rows[i * d..(i + 1) * d].to_vec();
                            for &c in features {
                                x[c] = rows[l * d + c];
                            }
                            f(&x)
                        })
                        .sum::<f64>()
                        / n as f64
                })
                .collect();
            let mean = raw.iter().sum::<f64>() / n as f64;
            raw.iter().map(|v| v - mean).collect()
        };
        let (jk, pj, pk) = (pd(&[j, k]), pd(&[j]), pd(&[k]));
        let num: f64 = (0..n).map(|l| (jk[l] - pj[l] - pk[l]).powi(2)).sum();
        num / jk.iter().map(|v| v * v).sum::<f64>()
    }

    #[test]
    fn the_and_gate_by_hand() {
        // Rows (0,0), (0,1), (1,0), (1,1); f = 1 at (1,1) only.
        // PD_01 centred: -1/4, -1/4, -1/4, 3/4. PD_0(0) = 0, PD_0(1) = 1/2, centred at the rows:
        // -1/4, -1/4, 1/4, 1/4; PD_1 likewise: -1/4, 1/4, -1/4, 1/4. The residuals are ±1/4, so
        // H² = (4/16) / (12/16) = 1/3.
        let rows = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
        let options = InteractionOptions {
            ranges: Some(vec![[-1.0, 2.0]; 2]),
            ..Default::default()
        };
        let found = interactions(&and_gate(2), &rows, &options).unwrap();
        let pair = &found.pairs[0];
        assert!((pair.h_squared - 1.0 / 3.0).abs() < 1e-15);
        assert!((pair.h_statistic - (1.0f64 / 3.0).sqrt()).abs() < 1e-15);
        assert!((pair.h_unnormalized - 0.25).abs() < 1e-15);
        // Along x1 from -1 to 2, ∂f/∂x0 jumps from 0 to 1 at x1 = 1 - x0 on every row; likewise
        // the other way. S = (1·3 + 1·3) / 2.
        assert_eq!(pair.gradient, [1.0, 1.0]);
        assert_eq!(pair.gradient_strength, 3.0);
        // The diagonal: ∂f/∂x0 along x0 also jumps once per row.
        assert_eq!(found.gradient_matrix, [1.0, 1.0, 1.0, 1.0]);
        assert_eq!(found.rows_used, 4);
        assert_eq!(
            found.to_string(),
            "Interactions(1 pairs over 4 of 4 rows; strongest by H x0×x1 0.5774, by gradient \
             x0×x1 3.0000)"
        );
    }

    #[test]
    fn an_ignored_input_interacts_with_nothing() {
        // The and-gate's grid, with x2 taking other values: PD_02 = PD_0, PD_2 is constant.
        let rows = [0.0, 0.0, 5.0, 0.0, 1.0, -2.0, 1.0, 0.0, 7.0, 1.0, 1.0, 0.5];
        let found = interactions(&and_gate(3), &rows, &InteractionOptions::default()).unwrap();
        assert!((found.pair(0, 1).unwrap().h_squared - 1.0 / 3.0).abs() < 1e-15);
        for (i, j) in [(0, 2), (1, 2)] {
            let p = found.pair(j, i).unwrap();
            assert_eq!(
                (
                    p.h_squared,
                    p.h_unnormalized,
                    p.gradient,
                    p.gradient_strength
                ),
                (0.0, 0.0, [0.0; 2], 0.0)
            );
        }
        assert_eq!(found.by_h()[0].features, [0, 1]);
        assert_eq!(found.by_gradient()[0].features, [0, 1]);
    }

    #[test]
    fn the_fast_estimate_matches_the_formula_evaluated_point_by_point() {
        let mlp = MlpConfig::new(vec![3, 8, 8, 1])
            .seed(4)
            .init::<f64>()
            .unwrap();
        let n = PiecewiseLinear::new(&mlp).unwrap();
        let mut rng = Rng::new(1);
        let rows: Vec<f64> = (0..3 * 25).map(|_| rng.uniform(-2.0, 2.0)).collect();
        let found = interactions(&n, &rows, &InteractionOptions::default()).unwrap();
        for p in &found.pairs {
            let reference = h_squared_reference(&n, &rows, p.features[0], p.features[1]);
            assert!(
                (p.h_squared - reference).abs() < 1e-9 * (1.0 + reference),
                "{p}: {reference}"
            );
        }
    }

    #[test]
    fn the_gradient_measure_matches_a_fine_sweep_of_slopes() {
        // The TV of ∂f/∂xᵢ along xⱼ, summed from the Jacobian at the midpoints of a fine grid: it
        // equals the exact TV once no grid cell holds two kinks whose jumps cancel, which 20,000
        // cells over six units' kinks ensure here.
        let mlp = MlpConfig::new(vec![2, 6, 1]).seed(3).init::<f64>().unwrap();
        let n = PiecewiseLinear::new(&mlp).unwrap();
        let rows = [0.3, -0.4];
        let options = InteractionOptions {
            ranges: Some(vec![[-2.0, 2.0]; 2]),
            ..Default::default()
        };
        let found = interactions(&n, &rows, &options).unwrap();
        for j in 0..2 {
            let steps = 20_000;
            let slope = |t: f64| {
                let mut x = rows.to_vec();
                x[j] = -2.0 + 4.0 * t;
                n.jacobian(&n.pattern_at(&x))
            };
            let mut tv = [0.0; 2];
            let mut previous = slope(0.5 / steps as f64);
            for s in 1..steps {
                let now = slope((s as f64 + 0.5) / steps as f64);
                for (t, (a, b)) in tv.iter_mut().zip(now.iter().zip(&previous)) {
                    *t += (a - b).abs();
                }
                previous = now;
            }
            for (i, tv) in tv.iter().enumerate() {
                let exact = found.gradient_matrix[i * 2 + j];
                assert!((exact - tv).abs() < 1e-9, "G[{i}][{j}] {exact} vs {tv}");
            }
        }
    }

    #[test]
    fn rows_are_sampled_down_with_a_seed() {
        let n = and_gate(2);
        let mut rng = Rng::new(5);
        let rows: Vec<f64> = (0..2 * 50).map(|_| rng.uniform(0.0, 1.0)).collect();
        let options = InteractionOptions {
            max_rows: 10,
            seed: 3,
            ..Default::default()
        };
        let a = interactions(&n, &rows, &options).unwrap();
        assert_eq!((a.rows_used, a.rows_given), (10, 50));
        assert_eq!(a, interactions(&n, &rows, &options).unwrap());
    }

    #[test]
    fn bad_arguments_are_refused() {
        let n = and_gate(2);
        let ok = InteractionOptions::default();
        assert!(interactions(&n, &[], &ok).is_err());
        assert!(interactions(&n, &[1.0, 2.0, 3.0], &ok).is_err());
        assert!(interactions(&n, &[1.0, f64::NAN], &ok).is_err());
        for bad in [
            InteractionOptions {
                max_rows: 0,
                ..Default::default()
            },
            InteractionOptions {
                output: 1,
                ..Default::default()
            },
            InteractionOptions {
                ranges: Some(vec![[0.0, 1.0]]),
                ..Default::default()
            },
            InteractionOptions {
                ranges: Some(vec![[0.0, 1.0], [2.0, 1.0]]),
                ..Default::default()
            },
        ] {
            assert!(interactions(&n, &[1.0, 2.0], &bad).is_err(), "{bad:?}");
        }
    }

    /// A random additive network: each input has its own hidden units (two layers of them), and the
    /// output sums them.
    fn additive(d: usize, h: usize, rng: &mut Rng) -> PiecewiseLinear {
        let mut w1 = vec![0.0; d * h * d];
        let mut w2 = vec![0.0; d * h * d * h];
        for i in 0..d {
            for a in 0..h {
                w1[(i * h + a) * d + i] = rng.uniform(-2.0, 2.0);
                for b in 0..h {
                    w2[(i * h + a) * d * h + i * h + b] = rng.uniform(-1.0, 1.0);
                }
            }
        }
        let b1 = (0..d * h).map(|_| rng.uniform(-1.0, 1.0)).collect();
        let b2 = (0..d * h).map(|_| rng.uniform(-1.0, 1.0)).collect();
        let out = (0..d * h).map(|_| rng.uniform(-1.0, 1.0)).collect();
        net(vec![(w1, b1), (w2, b2), (out, vec![0.3])])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn an_additive_network_has_no_interaction(seed in 0u64..1000, d in 2usize..4) {
            let mut rng = Rng::new(seed);
            let n = additive(d, 3, &mut rng);
            let rows: Vec<f64> = (0..d * 30).map(|_| rng.uniform(-2.0, 2.0)).collect();
            let found = interactions(&n, &rows, &InteractionOptions::default()).unwrap();
            for p in &found.pairs {
                prop_assert!(p.h_statistic < 1e-6, "{}", p);
                prop_assert_eq!(p.gradient, [0.0, 0.0]);
                prop_assert_eq!(p.gradient_strength, 0.0);
            }
        }

        #[test]
        fn on_a_product_grid_h_lies_in_0_1(seed in 0u64..1000) {
            // With the data a full grid, the centred single effects are orthogonal to each other
            // and to the residual, so the residual's share of the joint variance is at most 1.
            let mlp = MlpConfig::new(vec![2, 6, 6, 1]).seed(seed).init::<f64>().unwrap();
            let n = PiecewiseLinear::new(&mlp).unwrap();
            let mut rng = Rng::new(seed);
            let xs: Vec<f64> = (0..7).map(|_| rng.uniform(-3.0, 3.0)).collect();
            let ys: Vec<f64> = (0..6).map(|_| rng.uniform(-3.0, 3.0)).collect();
            let rows: Vec<f64> = xs.iter().flat_map(|&x| ys.iter().flat_map(move |&y| [x, y])).collect();
            let found = interactions(&n, &rows, &InteractionOptions::default()).unwrap();
            let h = found.pairs[0].h_squared;
            prop_assert!((0.0..=1.0 + 1e-12).contains(&h), "H² {}", h);
        }
    }
}
