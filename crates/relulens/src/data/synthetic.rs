//! The classic two-dimensional teaching sets, and a one-dimensional regression: seeded generators.
//!
//! Every generator takes the number of rows and a seed, draws from [`Rng`] seeded with it, and uses
//! `libm`'s logarithm, exponential and trigonometric functions (not the platform's), so a seed gives
//! the same data bit for bit on every machine. Classes take turns row by row (row `i` has class
//! `i mod k`), so the classes are balanced exactly, to within one row. Noise is Gaussian, added to
//! each coordinate independently, with the standard deviation σ given on each generator.
//!
//! | name        | rows | classes | shape                                                    | Bayes accuracy  |
//! |-------------|------|---------|----------------------------------------------------------|-----------------|
//! | `xor`       | 400  | 2       | four blobs at (±1, ±1), σ = 0.5; class 1 where signs differ | Φ(2)² + Φ(−2)² ≈ 0.955 |
//! | `circles`   | 400  | 2       | rings of radius 0.5 (`inner`) and 1 (`outer`), σ = 0.1   | —               |
//! | `moons`     | 500  | 2       | two interleaved half circles (`lower`, `upper`), σ = 0.1  | —               |
//! | `spiral`    | 600  | 3       | three arms, angle noise σ = 0.2 rad                      | —               |
//! | `gaussians` | 400  | 2       | two blobs at (−1, −1) and (1, 1), σ = 1                  | Φ(√2) ≈ 0.921   |
//! | `sine`      | 400  | —       | y = sin x + noise σ = 0.1, x uniform in [−π, π]          | (least MSE 0.01) |
//!
//! ```
//! use relulens::data::synthetic;
//! let moons = synthetic::moons(100, 7)?;
//! assert_eq!(moons.to_string(), "Dataset(moons: 100 rows, 2 features, binary)");
//! assert_eq!(moons.class_counts(), vec![50, 50]);
//! assert_eq!(moons, synthetic::moons(100, 7)?); // the seed fixes every bit
//! # Ok::<(), relulens::Error>(())
//! ```

use core::f64::consts::{PI, SQRT_2, TAU};

use super::{Dataset, DatasetParts, Task};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// σ of the noise around the four `xor` blob centres.
pub const XOR_NOISE: f64 = 0.5;
/// σ of the noise around the `circles` rings.
pub const CIRCLES_NOISE: f64 = 0.1;
/// σ of the noise around the `moons` half circles.
pub const MOONS_NOISE: f64 = 0.1;
/// σ, in radians, of the noise on a `spiral` point's angle.
pub const SPIRAL_ANGLE_NOISE: f64 = 0.2;
/// σ of each `gaussians` blob.
pub const GAUSSIANS_NOISE: f64 = 1.0;
/// σ of the noise on the `sine` target.
pub const SINE_NOISE: f64 = 0.1;

/// The most rows a generator makes; more is refused rather than exhausting memory.
pub const MAX_GENERATED_ROWS: usize = 10_000_000;

/// Refuses 0 rows or more than [`MAX_GENERATED_ROWS`], before anything is allocated.
pub(super) fn check_rows(name: &str, n_rows: usize) -> Result<()> {
    if n_rows == 0 || n_rows > MAX_GENERATED_ROWS {
        return Err(Error::InvalidDataset {
            dataset: name.to_string(),
            reason: format!("{n_rows} rows asked for; a generator makes 1 to {MAX_GENERATED_ROWS}"),
        });
    }
    Ok(())
}

/// The standard normal distribution function Φ.
pub(super) fn standard_normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / SQRT_2)
}

fn labels(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn two_d(
    name: &str,
    description: String,
    rows: Vec<f64>,
    target: Vec<f64>,
    class_labels: &[&str],
) -> Result<Dataset> {
    Dataset::new(DatasetParts {
        name: name.into(),
        description,
        feature_names: labels(&["x1", "x2"]),
        rows,
        target_name: "class".into(),
        target,
        task: if class_labels.len() == 2 {
            Task::Binary
        } else {
            Task::Multiclass
        },
        class_labels: labels(class_labels),
    })
}

/// XOR: four Gaussian blobs (σ = [`XOR_NOISE`]) at (1, 1), (1, −1), (−1, −1), (−1, 1) in turn;
/// class 1 for the blobs whose coordinates have opposite signs.
///
/// The Bayes rule is "class 1 iff x1·x2 < 0" (by symmetry the likelihood ratio is
/// cosh((x1 − x2)/σ²) / cosh((x1 + x2)/σ²)), so the Bayes accuracy is [`xor_bayes_accuracy`].
///
/// # Errors
///
/// [`Error::InvalidDataset`] for 0 rows or more than [`MAX_GENERATED_ROWS`].
pub fn xor(n_rows: usize, seed: u64) -> Result<Dataset> {
    check_rows("xor", n_rows)?;
    const CENTRES: [(f64, f64); 4] = [(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (-1.0, 1.0)];
    let mut rng = Rng::new(seed);
    let mut rows = Vec::with_capacity(2 * n_rows);
    let mut target = Vec::with_capacity(n_rows);
    for i in 0..n_rows {
        let (cx, cy) = CENTRES[i % 4];
        rows.push(cx + XOR_NOISE * rng.normal());
        rows.push(cy + XOR_NOISE * rng.normal());
        target.push(if cx * cy < 0.0 { 1.0 } else { 0.0 });
    }
    let description = format!(
        "XOR: four Gaussian blobs (sigma {XOR_NOISE}) at (+-1, +-1); class 1 where the signs differ. \
         Bayes accuracy {:.4}.",
        xor_bayes_accuracy()
    );
    two_d("xor", description, rows, target, &["0", "1"])
}

/// The Bayes accuracy of [`xor`]: a point is classified right when both coordinates stay on their
/// centre's side, or both cross, so Φ(1/σ)² + Φ(−1/σ)² ≈ 0.9555 for σ = 0.5.
pub fn xor_bayes_accuracy() -> f64 {
    let stay = standard_normal_cdf(1.0 / XOR_NOISE);
    stay * stay + (1.0 - stay) * (1.0 - stay)
}

/// Two concentric rings, radius 0.5 (`inner`, class 0) and 1 (`outer`, class 1), at uniform angles,
/// with noise σ = [`CIRCLES_NOISE`] on each coordinate (scikit-learn's `make_circles` with
/// `factor=0.5, noise=0.1`).
///
/// # Errors
///
/// [`Error::InvalidDataset`] for 0 rows or more than [`MAX_GENERATED_ROWS`].
pub fn circles(n_rows: usize, seed: u64) -> Result<Dataset> {
    check_rows("circles", n_rows)?;
    let mut rng = Rng::new(seed);
    let mut rows = Vec::with_capacity(2 * n_rows);
    let mut target = Vec::with_capacity(n_rows);
    for i in 0..n_rows {
        let class = i % 2;
        let radius = if class == 0 { 0.5 } else { 1.0 };
        let angle = TAU * rng.next_f64();
        rows.push(radius * libm::cos(angle) + CIRCLES_NOISE * rng.normal());
        rows.push(radius * libm::sin(angle) + CIRCLES_NOISE * rng.normal());
        target.push(class as f64);
    }
    let description = format!(
        "Two concentric rings, radius 0.5 (inner) and 1 (outer), noise sigma {CIRCLES_NOISE}."
    );
    two_d("circles", description, rows, target, &["inner", "outer"])
}

/// Two interleaved half circles: `upper` (class 1) is (cos t, sin t) and `lower` (class 0) is
/// (1 − cos t, 0.5 − sin t), t uniform in [0, π], with noise σ = [`MOONS_NOISE`] on each
/// coordinate (scikit-learn's `make_moons` with `noise=0.1`).
///
/// # Errors
///
/// [`Error::InvalidDataset`] for 0 rows or more than [`MAX_GENERATED_ROWS`].
pub fn moons(n_rows: usize, seed: u64) -> Result<Dataset> {
    check_rows("moons", n_rows)?;
    let mut rng = Rng::new(seed);
    let mut rows = Vec::with_capacity(2 * n_rows);
    let mut target = Vec::with_capacity(n_rows);
    for i in 0..n_rows {
        let class = i % 2;
        let t = PI * rng.next_f64();
        let (x, y) = if class == 1 {
            (libm::cos(t), libm::sin(t))
        } else {
            (1.0 - libm::cos(t), 0.5 - libm::sin(t))
        };
        rows.push(x + MOONS_NOISE * rng.normal());
        rows.push(y + MOONS_NOISE * rng.normal());
        target.push(class as f64);
    }
    let description =
        format!("Two interleaved half circles (lower, upper), noise sigma {MOONS_NOISE}.");
    two_d("moons", description, rows, target, &["lower", "upper"])
}

/// Three spiral arms: a point of class k at radius r uniform in [0, 1] has angle
/// 2πk/3 + 4r + noise of σ = [`SPIRAL_ANGLE_NOISE`] radians, and sits at (r cos θ, r sin θ) (the
/// CS231n spiral, with arms evenly spaced).
///
/// # Errors
///
/// [`Error::InvalidDataset`] for 0 rows or more than [`MAX_GENERATED_ROWS`].
pub fn spiral(n_rows: usize, seed: u64) -> Result<Dataset> {
    check_rows("spiral", n_rows)?;
    let mut rng = Rng::new(seed);
    let mut rows = Vec::with_capacity(2 * n_rows);
    let mut target = Vec::with_capacity(n_rows);
    for i in 0..n_rows {
        let class = i % 3;
        let r = rng.next_f64();
        let angle = TAU * class as f64 / 3.0 + 4.0 * r + SPIRAL_ANGLE_NOISE * rng.normal();
        rows.push(r * libm::cos(angle));
        rows.push(r * libm::sin(angle));
        target.push(class as f64);
    }
    let description = format!(
        "Three spiral arms, each turning 4 radians out to radius 1, angle noise sigma \
         {SPIRAL_ANGLE_NOISE} rad."
    );
    two_d("spiral", description, rows, target, &["0", "1", "2"])
}

/// Two Gaussian blobs of σ = [`GAUSSIANS_NOISE`]: class 0 at (−1, −1), class 1 at (1, 1).
///
/// The Bayes rule is the line x1 + x2 = 0, and the Bayes accuracy is [`gaussians_bayes_accuracy`].
///
/// # Errors
///
/// [`Error::InvalidDataset`] for 0 rows or more than [`MAX_GENERATED_ROWS`].
pub fn gaussians(n_rows: usize, seed: u64) -> Result<Dataset> {
    check_rows("gaussians", n_rows)?;
    let mut rng = Rng::new(seed);
    let mut rows = Vec::with_capacity(2 * n_rows);
    let mut target = Vec::with_capacity(n_rows);
    for i in 0..n_rows {
        let class = i % 2;
        let centre = if class == 0 { -1.0 } else { 1.0 };
        rows.push(centre + GAUSSIANS_NOISE * rng.normal());
        rows.push(centre + GAUSSIANS_NOISE * rng.normal());
        target.push(class as f64);
    }
    let description = format!(
        "Two Gaussian blobs (sigma {GAUSSIANS_NOISE}) at (-1, -1) and (1, 1). Bayes accuracy {:.4}.",
        gaussians_bayes_accuracy()
    );
    two_d("gaussians", description, rows, target, &["0", "1"])
}

/// The Bayes accuracy of [`gaussians`]: each centre lies √2 from the boundary x1 + x2 = 0, so
/// Φ(√2/σ) ≈ 0.9214 for σ = 1.
pub fn gaussians_bayes_accuracy() -> f64 {
    standard_normal_cdf(SQRT_2 / GAUSSIANS_NOISE)
}

/// One-dimensional regression: x uniform in [−π, π], y = sin x + noise of σ = [`SINE_NOISE`], so
/// the least achievable mean squared error is σ² = 0.01.
///
/// # Errors
///
/// [`Error::InvalidDataset`] for 0 rows or more than [`MAX_GENERATED_ROWS`].
pub fn sine(n_rows: usize, seed: u64) -> Result<Dataset> {
    check_rows("sine", n_rows)?;
    let mut rng = Rng::new(seed);
    let mut rows = Vec::with_capacity(n_rows);
    let mut target = Vec::with_capacity(n_rows);
    for _ in 0..n_rows {
        let x = rng.uniform(-PI, PI);
        rows.push(x);
        target.push(libm::sin(x) + SINE_NOISE * rng.normal());
    }
    Dataset::new(DatasetParts {
        name: "sine".into(),
        description: format!(
            "y = sin(x) + Gaussian noise (sigma {SINE_NOISE}), x uniform in [-pi, pi]; \
             the least achievable mean squared error is {}.",
            SINE_NOISE * SINE_NOISE
        ),
        feature_names: labels(&["x"]),
        rows,
        target_name: "y".into(),
        target,
        task: Task::Regression,
        class_labels: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Generator = fn(usize, u64) -> Result<Dataset>;
    const GENERATORS: [(&str, Generator); 6] = [
        ("xor", xor),
        ("circles", circles),
        ("moons", moons),
        ("spiral", spiral),
        ("gaussians", gaussians),
        ("sine", sine),
    ];

    fn bits(data: &Dataset) -> Vec<u64> {
        data.rows()
            .iter()
            .chain(data.target())
            .map(|v| v.to_bits())
            .collect()
    }

    #[test]
    fn the_seed_fixes_every_bit_and_other_seeds_differ() {
        for (name, generate) in GENERATORS {
            let a = generate(300, 11).unwrap();
            assert_eq!(bits(&a), bits(&generate(300, 11).unwrap()), "{name}");
            assert_ne!(a.rows(), generate(300, 12).unwrap().rows(), "{name}");
            assert_eq!(a.name(), name);
        }
    }

    #[test]
    fn classes_take_turns_and_labels_are_sorted() {
        for (name, generate) in GENERATORS {
            let data = generate(301, 0).unwrap();
            let counts = data.class_counts();
            if let (Some(min), Some(max)) = (counts.iter().min(), counts.iter().max()) {
                assert!(max - min <= 1, "{name}: {counts:?}");
            }
            let mut sorted = data.class_labels().to_vec();
            sorted.sort();
            assert_eq!(sorted, data.class_labels(), "{name}");
        }
        assert!(matches!(xor(0, 0), Err(Error::InvalidDataset { .. })));
        let err = sine(usize::MAX, 0).unwrap_err();
        assert!(
            err.to_string().contains("a generator makes 1 to 10000000"),
            "{err}"
        );
    }

    #[test]
    fn the_normal_draws_have_unit_variance() {
        let mut rng = Rng::new(9);
        let draws: Vec<f64> = (0..100_000).map(|_| rng.normal()).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(
            mean.abs() < 0.01 && (var - 1.0).abs() < 0.02,
            "{mean} {var}"
        );
    }

    #[test]
    fn shapes_are_where_documented() {
        // Circles: the mean radius of each class is close to its ring.
        let data = circles(2000, 1).unwrap();
        for (class, ring) in [(0.0, 0.5), (1.0, 1.0)] {
            let radii: Vec<f64> = data
                .iter_rows()
                .zip(data.target())
                .filter(|(_, &y)| y == class)
                .map(|(r, _)| r[0].hypot(r[1]))
                .collect();
            let mean = radii.iter().sum::<f64>() / radii.len() as f64;
            assert!((mean - ring).abs() < 0.03, "ring {ring}: {mean}");
        }
        // Spiral: every point lies within the unit disc.
        assert!(spiral(600, 2)
            .unwrap()
            .iter_rows()
            .all(|r| r[0].hypot(r[1]) <= 1.0));
        // Sine: the residual variance is the noise variance.
        let data = sine(5000, 3).unwrap();
        let mse = data
            .rows()
            .iter()
            .zip(data.target())
            .map(|(x, y)| (y - x.sin()).powi(2))
            .sum::<f64>()
            / 5000.0;
        assert!((mse - 0.01).abs() < 0.001, "{mse}");
    }

    #[test]
    fn bayes_accuracies_match_the_bayes_rule_on_large_samples() {
        // Hand-checkable: Φ(2) = 0.977250, so 0.977250² + 0.022750² = 0.955535.
        assert!((xor_bayes_accuracy() - 0.955535).abs() < 1e-6);
        // Φ(√2) = 0.921350.
        assert!((gaussians_bayes_accuracy() - 0.921350).abs() < 1e-6);
        let accuracy = |data: &Dataset, rule: fn(&[f64]) -> f64| {
            let hits = data
                .iter_rows()
                .zip(data.target())
                .filter(|(r, &y)| rule(r) == y);
            hits.count() as f64 / data.n_rows() as f64
        };
        let xor_rule: fn(&[f64]) -> f64 = |r| if r[0] * r[1] < 0.0 { 1.0 } else { 0.0 };
        let xor_hit = accuracy(&xor(40_000, 5).unwrap(), xor_rule);
        assert!((xor_hit - xor_bayes_accuracy()).abs() < 0.005, "{xor_hit}");
        let line: fn(&[f64]) -> f64 = |r| if r[0] + r[1] > 0.0 { 1.0 } else { 0.0 };
        let blob_hit = accuracy(&gaussians(40_000, 5).unwrap(), line);
        assert!(
            (blob_hit - gaussians_bayes_accuracy()).abs() < 0.005,
            "{blob_hit}"
        );
    }
}
