//! A 2-D slice of input space: the plane through `origin` spanned by two directions, over a
//! rectangle of slice coordinates (u, v). With two features as axes, (u, v) are those features'
//! values in the user's units and the other features stay fixed.
//!
//! ```
//! use relulens::explain::Slice;
//! // Features 0 and 2 of three, over [0, 1] × [-1, 1], feature 1 held at 5.
//! let slice = Slice::features(&[0.0, 5.0, 0.0], 0, 2, [[0.0, 1.0], [-1.0, 1.0]])?;
//! assert_eq!(slice.point(0.5, -1.0), [0.5, 5.0, -1.0]);
//! # Ok::<(), relulens::Error>(())
//! ```

use crate::error::{Error, Result};

/// The shortest side a rectangle may have. The partition's areas grow as a side squared and the
/// least-squares fits of its affine maps as the fourth power (of sides down to a 10⁻¹⁵ sliver of
/// the rectangle): below this they underflow f64, and regions would vanish or lose their slopes.
const MIN_SIDE: f64 = 1e-60;

/// The shortest side relative to its ends' magnitude: shorter, the corners' coordinates keep too
/// few distinct values between them (about 4500) to place the kinks.
const RELATIVE_SIDE: f64 = 1e-12;

/// A plane of input space and a rectangle on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    /// The input at (u, v) = (0, 0).
    pub origin: Vec<f64>,
    /// The input-space directions of u and v.
    pub directions: [Vec<f64>; 2],
    /// The rectangle: `[[u0, u1], [v0, v1]]`, each with low < high.
    pub bounds: [[f64; 2]; 2],
}

impl Slice {
    /// A slice through `origin` along two directions.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidGeometry`] when the widths differ, a number is not finite, the directions
    /// are parallel or zero, or the rectangle has zero width or height, or a side too short to
    /// resolve (shorter than 1e-60, or than 1e-12 of its ends' magnitude), so that a partition of
    /// the rectangle always has at least one region.
    pub fn new(
        origin: Vec<f64>,
        directions: [Vec<f64>; 2],
        bounds: [[f64; 2]; 2],
    ) -> Result<Slice> {
        let invalid = |reason: String| {
            Err(Error::InvalidGeometry {
                op: "slice",
                reason,
            })
        };
        let n = origin.len();
        if n == 0 || directions.iter().any(|d| d.len() != n) {
            return invalid(format!(
                "origin has {n} coordinates but the directions have {} and {}",
                directions[0].len(),
                directions[1].len()
            ));
        }
        let all = origin.iter().chain(&directions[0]).chain(&directions[1]);
        if let Some(v) = all.chain(bounds.iter().flatten()).find(|v| !v.is_finite()) {
            return invalid(format!("{v} is not a finite number"));
        }
        for (axis, [low, high]) in ["u", "v"].iter().zip(bounds) {
            if low >= high {
                return invalid(format!(
                    "the {axis} range [{low}, {high}] is empty: a rectangle needs low < high"
                ));
            }
            let side = high - low;
            if side < MIN_SIDE || side < RELATIVE_SIDE * low.abs().max(high.abs()) {
                return invalid(format!(
                    "the {axis} range [{low:?}, {high:?}] is too small to resolve in f64: a side \
                     needs a length of at least {MIN_SIDE:e} and {RELATIVE_SIDE:e} of its ends' \
                     magnitude"
                ));
            }
        }
        let (a, b) = (&directions[0], &directions[1]);
        let dot = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(p, q)| p * q).sum::<f64>();
        let (aa, bb, ab) = (dot(a, a), dot(b, b), dot(a, b));
        if aa == 0.0 || bb == 0.0 || aa * bb - ab * ab <= 1e-24 * aa * bb {
            return invalid("the two directions must be non-zero and not parallel".into());
        }
        Ok(Slice {
            origin,
            directions: directions.clone(),
            bounds,
        })
    }

    /// The slice whose axes are features `x` and `y` (their own values), the other features held at
    /// `at` (which gives a value for every feature; those of `x` and `y` are ignored).
    ///
    /// # Errors
    ///
    /// As [`Slice::new`], and when `x == y` or either is out of range.
    pub fn features(at: &[f64], x: usize, y: usize, bounds: [[f64; 2]; 2]) -> Result<Slice> {
        let n = at.len();
        if x == y || x >= n || y >= n {
            return Err(Error::InvalidGeometry {
                op: "slice",
                reason: format!("axes {x} and {y} must be two different features of {n}"),
            });
        }
        let mut origin = at.to_vec();
        origin[x] = 0.0;
        origin[y] = 0.0;
        let unit = |i: usize| (0..n).map(|j| if j == i { 1.0 } else { 0.0 }).collect();
        Slice::new(origin, [unit(x), unit(y)], bounds)
    }

    /// The input at slice coordinates (u, v).
    pub fn point(&self, u: f64, v: f64) -> Vec<f64> {
        self.origin
            .iter()
            .zip(&self.directions[0])
            .zip(&self.directions[1])
            .map(|((o, a), b)| o + u * a + v * b)
            .collect()
    }

    /// The rectangle's area in slice coordinates.
    pub fn area(&self) -> f64 {
        (self.bounds[0][1] - self.bounds[0][0]) * (self.bounds[1][1] - self.bounds[1][0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_slices_are_errors() {
        let ok = [[0.0, 1.0], [0.0, 1.0]];
        assert!(Slice::new(vec![0.0, 0.0], [vec![1.0, 0.0], vec![2.0, 0.0]], ok).is_err());
        assert!(Slice::new(
            vec![0.0, 0.0],
            [vec![1.0, 0.0], vec![0.0, 1.0]],
            [[1.0, 1.0], [0.0, 1.0]]
        )
        .is_err());
        assert!(Slice::new(vec![0.0], [vec![1.0, 0.0], vec![0.0, 1.0]], ok).is_err());
        assert!(Slice::new(vec![0.0, f64::NAN], [vec![1.0, 0.0], vec![0.0, 1.0]], ok).is_err());
        assert!(Slice::features(&[0.0, 0.0], 1, 1, ok).is_err());
        assert!(Slice::features(&[0.0, 0.0], 0, 2, ok).is_err());
    }
}
