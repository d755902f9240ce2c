//! Built-in verification of computed geometry against the network itself.
//!
//! For a partition: the regions tile the rectangle (areas add up), each polygon is convex and
//! counter-clockwise, and at N seeded random points the network's own activation pattern names a
//! region that contains the point and whose affine map gives the network's outputs to 1e-9
//! relative. For kinks: at each kink the network's value equals both neighbouring pieces' ends
//! (continuity), and inside each piece it is linear and has the piece's pattern.
//!
//! ```
//! use relulens::explain::{regions_on_slice, verify_regions, PiecewiseLinear, RegionOptions, Slice};
//! use relulens::nn::MlpConfig;
//! let net = PiecewiseLinear::new(&MlpConfig::new(vec![2, 8, 8, 1]).seed(3).init::<f64>()?)?;
//! let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-2.0, 2.0], [-2.0, 2.0]])?;
//! let regions = regions_on_slice(&net, &slice, &RegionOptions::default())?;
//! let report = verify_regions(&net, &regions, 1000, 0);
//! assert!(report.passed(), "{report}");
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use super::kinks::Kinks;
use super::network::PiecewiseLinear;
use super::regions::Regions;
use crate::rng::Rng;

/// Relative agreement required between the network and a region's or piece's affine map.
const OUTPUT_TOLERANCE: f64 = 1e-9;

/// What a verification checked and what it found.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// How many points were checked against the network.
    pub points: usize,
    /// Every disagreement found (at most 20 are kept; `failure_count` has them all).
    pub failures: Vec<String>,
    /// The number of disagreements.
    pub failure_count: usize,
}

impl Verification {
    fn new() -> Self {
        Verification {
            points: 0,
            failures: Vec::new(),
            failure_count: 0,
        }
    }

    fn fail(&mut self, message: String) {
        self.failure_count += 1;
        if self.failures.len() < 20 {
            self.failures.push(message);
        }
    }

    /// Whether nothing disagreed.
    pub fn passed(&self) -> bool {
        self.failure_count == 0
    }
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} points checked, {} failures",
            self.points, self.failure_count
        )?;
        for m in &self.failures {
            write!(f, "\n  {m}")?;
        }
        Ok(())
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= OUTPUT_TOLERANCE * (1.0 + a.abs().max(b.abs()))
}

/// Checks a partition against the network at `points` random points (seeded by `seed`).
pub fn verify_regions(
    net: &PiecewiseLinear,
    regions: &Regions,
    points: usize,
    seed: u64,
) -> Verification {
    let mut report = Verification::new();
    let slice = &regions.slice;
    let [[u0, u1], [v0, v1]] = slice.bounds;
    let scale = (u1 - u0).abs().max((v1 - v0).abs());

    let total: f64 = regions.regions.iter().map(|r| r.area).sum();
    if (total - slice.area()).abs() > 1e-9 * slice.area() {
        report.fail(format!(
            "the regions' areas add up to {total}, the rectangle's is {}",
            slice.area()
        ));
    }
    for (i, r) in regions.regions.iter().enumerate() {
        let n = r.vertices.len();
        let convex = (0..n).all(|j| {
            let (a, b, c) = (
                r.vertices[j],
                r.vertices[(j + 1) % n],
                r.vertices[(j + 2) % n],
            );
            (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) >= -1e-12 * scale * scale
        });
        if !convex || r.area <= 0.0 {
            report.fail(format!(
                "region {i} is not a convex counter-clockwise polygon"
            ));
        }
    }

    let mut rng = Rng::new(seed);
    for _ in 0..points {
        let (u, v) = (rng.uniform(u0, u1), rng.uniform(v0, v1));
        let x = slice.point(u, v);
        let pattern = net.pattern_at(&x);
        let y = net
            .outputs(&x)
            .expect("slice points have the network's width");
        report.points += 1;
        let Some(i) = regions.find(&pattern) else {
            report.fail(format!(
                "({u}, {v}) has pattern {pattern}, which no region has"
            ));
            continue;
        };
        let region = &regions.regions[i];
        if !region.contains(u, v, 1e-9 * scale) {
            report.fail(format!(
                "({u}, {v}) has region {i}'s pattern but lies outside it"
            ));
        }
        let mapped = region.outputs_at(u, v);
        if !y.iter().zip(&mapped).all(|(a, b)| close(*a, *b)) {
            report.fail(format!(
                "({u}, {v}): the network gives {y:?}, region {i}'s map {mapped:?}"
            ));
        }
    }
    report
}

/// Checks a kink list: continuity at each kink and, at `samples` points inside each piece,
/// linearity and the piece's pattern.
pub fn verify_kinks(net: &PiecewiseLinear, kinks: &Kinks, samples: usize) -> Verification {
    let mut report = Verification::new();
    for (i, piece) in kinks.pieces.iter().enumerate() {
        for end in [piece.t0, piece.t1] {
            let y = net
                .outputs(&kinks.point(end))
                .expect("segment points have the network's width");
            let ends = if end == piece.t0 {
                &piece.outputs_start
            } else {
                &piece.outputs_end
            };
            report.points += 1;
            if !y.iter().zip(ends).all(|(a, b)| close(*a, *b)) {
                report.fail(format!(
                    "piece {i} at t = {end}: the network gives {y:?}, the piece {ends:?}"
                ));
            }
        }
        for s in 1..=samples {
            let frac = s as f64 / (samples + 1) as f64;
            let t = piece.t0 + frac * (piece.t1 - piece.t0);
            let x = kinks.point(t);
            let y = net
                .outputs(&x)
                .expect("segment points have the network's width");
            report.points += 1;
            let linear: Vec<f64> = piece
                .outputs_start
                .iter()
                .zip(&piece.outputs_end)
                .map(|(a, b)| a + frac * (b - a))
                .collect();
            if !y.iter().zip(&linear).all(|(a, b)| close(*a, *b)) {
                report.fail(format!(
                    "piece {i} at t = {t}: the network gives {y:?}, linear {linear:?}"
                ));
            }
            if net.pattern_at(&x) != piece.pattern {
                report.fail(format!(
                    "piece {i} at t = {t}: the pattern differs from the piece's"
                ));
            }
        }
    }
    for w in kinks.pieces.windows(2) {
        if w[0].pattern == w[1].pattern {
            report.fail(format!(
                "an invented kink at t = {}: both sides have one pattern",
                w[0].t1
            ));
        }
    }
    report
}
