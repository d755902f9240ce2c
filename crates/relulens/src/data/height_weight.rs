//! `height_weight`: the article's example made concrete, with a known truth to check explanations
//! against.
//!
//! Two inputs, `height_cm` and `weight_kg`, and a binary target `elevated_risk` ("no"/"yes") whose
//! probability depends on the body-mass index BMI = weight / (height in metres)² only:
//!
//! P(elevated_risk = yes) = σ(k · (BMI − BMI\*)), with BMI\* = [`BMI_THRESHOLD`] = 27 kg/m² and
//! k = [`BMI_SLOPE`] = 1.5 per kg/m².
//!
//! So the true decision boundary (p = 0.5) is the curve weight = BMI\* · height_m²
//! ([`boundary_weight`]), and the true effect of weight on the log-odds is ∂logit/∂weight =
//! k / height_m² ([`weight_effect`]): larger for short people, as the article argues.
//!
//! **The population.** Adults of both sexes pooled. Height ~ N(170 cm, 10 cm): national health
//! surveys put men near 175–177 cm and women near 162–164 cm, each with an SD near 7 cm, so the
//! pooled mean is about 170 cm and the pooled SD about 9–10 cm. Weight is log-normal given height:
//! ln weight = ln 73.5 + β·(height − 170) + ε, with the SD of ln weight 0.2 (a coefficient of variation
//! of about 20%, so weight's mean is about 75 kg and its SD about 15 kg) and the correlation of
//! height with ln weight [`HEIGHT_LOG_WEIGHT_CORRELATION`] = 0.45, which makes the correlation of
//! height with weight itself about 0.445 (pooled adult samples report 0.4–0.5). Hence
//! β = 0.45 · 0.2 / 10 = 0.009 per cm and SD(ε) = 0.2·√(1 − 0.45²) ≈ 0.1786. BMI then has mean
//! about 25.9 and SD about 4.7 kg/m², realistic for adults, and about 38% of people are labelled
//! `yes`. BMI\* = 27 lies between the WHO cut-offs for overweight (25) and obesity (30). Heights
//! and weights are rounded to 0.1, and the label is drawn from the probability of the rounded
//! values, so the stored rows are exactly what the truth applies to.
//!
//! **Bayes accuracy.** The best possible classifier predicts `yes` iff p ≥ 0.5, i.e. iff
//! BMI ≥ BMI\*; on a row with probability p it is right with probability max(p, 1 − p). Its
//! accuracy over the population is E[max(p, 1 − p)], a two-dimensional integral over height and ε
//! that [`bayes_accuracy`] evaluates by quadrature (≈ 0.92926); on a given sample, the expected
//! accuracy of the Bayes rule over the label draws is the mean of max(p, 1 − p) over its rows
//! ([`sample_bayes_accuracy`]). No model can expect to do better.
//!
//! ```
//! use relulens::data::height_weight;
//! let data = height_weight::generate(2000, 0)?;
//! assert_eq!(data.feature_names(), ["height_cm", "weight_kg"]);
//! assert_eq!(height_weight::boundary_weight(170.0), 27.0 * 1.7 * 1.7);
//! assert!((height_weight::true_probability(170.0, 27.0 * 1.7 * 1.7) - 0.5).abs() < 1e-12);
//! let best = height_weight::sample_bayes_accuracy(&data)?;
//! assert!((best - height_weight::bayes_accuracy()).abs() < 0.02);
//! # Ok::<(), relulens::Error>(())
//! ```

use super::synthetic::check_rows;
use super::{Dataset, DatasetParts, Task};
use crate::error::Result;
use crate::rng::Rng;

/// The default number of rows.
pub const DEFAULT_ROWS: usize = 2000;
/// Mean adult height, cm (sexes pooled).
pub const HEIGHT_MEAN_CM: f64 = 170.0;
/// Standard deviation of adult height, cm (sexes pooled).
pub const HEIGHT_SD_CM: f64 = 10.0;
/// Median weight at the mean height, kg (so the mean weight is about 75 kg).
pub const WEIGHT_MEDIAN_KG: f64 = 73.5;
/// Standard deviation of ln(weight in kg).
pub const LOG_WEIGHT_SD: f64 = 0.2;
/// Correlation of height with ln(weight).
pub const HEIGHT_LOG_WEIGHT_CORRELATION: f64 = 0.45;
/// BMI\*, kg/m²: the BMI at which the probability of elevated risk is one half.
pub const BMI_THRESHOLD: f64 = 27.0;
/// k, per kg/m²: the change in the log-odds of elevated risk per unit of BMI.
pub const BMI_SLOPE: f64 = 1.5;

/// Body-mass index, kg/m²: weight / (height in metres)².
pub fn bmi(height_cm: f64, weight_kg: f64) -> f64 {
    let height_m = height_cm / 100.0;
    weight_kg / (height_m * height_m)
}

/// The true log-odds of elevated risk, k · (BMI − BMI\*).
pub fn true_logit(height_cm: f64, weight_kg: f64) -> f64 {
    BMI_SLOPE * (bmi(height_cm, weight_kg) - BMI_THRESHOLD)
}

/// The true probability of elevated risk, σ(k · (BMI − BMI\*)). Heights must be positive; other
/// inputs give NaN or a meaningless number, never a panic.
///
/// # Examples
///
/// ```
/// use relulens::data::height_weight::true_probability;
/// // 160 cm and 80 kg is a BMI of 31.25: well above 27.
/// assert!(true_probability(160.0, 80.0) > 0.99);
/// assert!(true_probability(185.0, 70.0) < 0.001);
/// ```
pub fn true_probability(height_cm: f64, weight_kg: f64) -> f64 {
    let logit = true_logit(height_cm, weight_kg);
    // Written so that neither branch overflows.
    if logit >= 0.0 {
        1.0 / (1.0 + libm::exp(-logit))
    } else {
        let e = libm::exp(logit);
        e / (1.0 + e)
    }
}

/// The weight, kg, at which a person of `height_cm` has probability one half: the true decision
/// boundary weight = BMI\* · height_m².
pub fn boundary_weight(height_cm: f64) -> f64 {
    let height_m = height_cm / 100.0;
    BMI_THRESHOLD * height_m * height_m
}

/// The true effect of weight on the log-odds, ∂logit/∂weight = k / height_m², per kg.
pub fn weight_effect(height_cm: f64) -> f64 {
    let height_m = height_cm / 100.0;
    BMI_SLOPE / (height_m * height_m)
}

/// The true gradient of the log-odds, `[∂logit/∂height_cm, ∂logit/∂weight_kg]`
/// = `[−2k · BMI / height_cm, k / height_m²]`, in the dataset's feature order.
pub fn true_logit_gradient(height_cm: f64, weight_kg: f64) -> [f64; 2] {
    [
        -2.0 * BMI_SLOPE * bmi(height_cm, weight_kg) / height_cm,
        weight_effect(height_cm),
    ]
}

/// `n_rows` people drawn from the population in the [module docs](self), seeded by `seed`.
///
/// # Errors
///
/// [`Error::InvalidDataset`](crate::Error::InvalidDataset) for 0 rows or more than
/// [`MAX_GENERATED_ROWS`](super::synthetic::MAX_GENERATED_ROWS).
pub fn generate(n_rows: usize, seed: u64) -> Result<Dataset> {
    check_rows("height_weight", n_rows)?;
    let beta = HEIGHT_LOG_WEIGHT_CORRELATION * LOG_WEIGHT_SD / HEIGHT_SD_CM;
    let residual_sd = LOG_WEIGHT_SD
        * libm::sqrt(1.0 - HEIGHT_LOG_WEIGHT_CORRELATION * HEIGHT_LOG_WEIGHT_CORRELATION);
    let log_median = libm::log(WEIGHT_MEDIAN_KG);
    let round = |x: f64| (x * 10.0).round() / 10.0;
    let mut rng = Rng::new(seed);
    let mut rows = Vec::with_capacity(2 * n_rows);
    let mut target = Vec::with_capacity(n_rows);
    for _ in 0..n_rows {
        let height = HEIGHT_MEAN_CM + HEIGHT_SD_CM * rng.normal();
        let log_weight = log_median + beta * (height - HEIGHT_MEAN_CM) + residual_sd * rng.normal();
        let (height, weight) = (round(height), round(libm::exp(log_weight)));
        let p = true_probability(height, weight);
        rows.extend([height, weight]);
        target.push(if rng.next_f64() < p { 1.0 } else { 0.0 });
    }
    Dataset::new(DatasetParts {
        name: "height_weight".into(),
        description: format!(
            "Adults' height (N(170, 10) cm) and weight (log-normal, median 73.5 kg at 170 cm, \
             sd of ln weight 0.2, correlation 0.45 with height); elevated_risk drawn with \
             probability sigmoid({BMI_SLOPE} * (BMI - {BMI_THRESHOLD})). Bayes accuracy {:.4}.",
            bayes_accuracy()
        ),
        feature_names: vec!["height_cm".into(), "weight_kg".into()],
        rows,
        target_name: "elevated_risk".into(),
        target,
        task: Task::Binary,
        class_labels: vec!["no".into(), "yes".into()],
    })
}

/// The expected accuracy of the Bayes rule on `data`'s rows: the mean of max(p, 1 − p), p the true
/// probability of each row's `height_cm` and `weight_kg`.
///
/// # Errors
///
/// [`Error::UnknownFeature`](crate::Error::UnknownFeature) when `data` lacks either feature.
pub fn sample_bayes_accuracy(data: &Dataset) -> Result<f64> {
    let (h, w) = (
        data.feature_index("height_cm")?,
        data.feature_index("weight_kg")?,
    );
    let total: f64 = data
        .iter_rows()
        .map(|row| {
            let p = true_probability(row[h], row[w]);
            p.max(1.0 - p)
        })
        .sum();
    Ok(total / data.n_rows() as f64)
}

/// The population Bayes accuracy E[max(p, 1 − p)] ≈ 0.929259, without sampling (computed once,
/// then cached).
///
/// Write height = 170 + 10·z₁ and ε = SD(ε)·z₂ with z₁, z₂ independent standard normals. For each
/// z₁ the integrand max(p, 1 − p) has a kink where BMI = BMI\*, at a z₂ found in closed form, so the
/// inner integral over z₂ is split there and each smooth piece integrated by Simpson's rule (1000
/// intervals); the outer integral over z₁, smooth, uses the trapezoid rule on 161 points, which
/// converges geometrically for a Gaussian weight. Both run over ±8 standard deviations. The result
/// agrees with an independent NumPy evaluation on finer grids to about 1e-10.
pub fn bayes_accuracy() -> f64 {
    static CACHE: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *CACHE.get_or_init(population_bayes_accuracy)
}

fn population_bayes_accuracy() -> f64 {
    const REACH: f64 = 8.0;
    const OUTER: usize = 161;
    const INNER: usize = 1000;
    let beta = HEIGHT_LOG_WEIGHT_CORRELATION * LOG_WEIGHT_SD / HEIGHT_SD_CM;
    let residual_sd = LOG_WEIGHT_SD
        * libm::sqrt(1.0 - HEIGHT_LOG_WEIGHT_CORRELATION * HEIGHT_LOG_WEIGHT_CORRELATION);
    let log_median = libm::log(WEIGHT_MEDIAN_KG);
    let density = |z: f64| libm::exp(-0.5 * z * z);
    let step = 2.0 * REACH / (OUTER - 1) as f64;
    let (mut total, mut weight_sum) = (0.0, 0.0);
    for i in 0..OUTER {
        let z1 = -REACH + step * i as f64;
        let height = HEIGHT_MEAN_CM + HEIGHT_SD_CM * z1;
        let log_weight_mean = log_median + beta * (height - HEIGHT_MEAN_CM);
        let probability =
            |z2: f64| true_probability(height, libm::exp(log_weight_mean + residual_sd * z2));
        // Where BMI = BMI*, i.e. ln weight = ln(BMI* · height_m²).
        let kink = ((libm::log(boundary_weight(height)) - log_weight_mean) / residual_sd)
            .clamp(-REACH, REACH);
        let below = simpson(|z| density(z) * (1.0 - probability(z)), -REACH, kink, INNER);
        let above = simpson(|z| density(z) * probability(z), kink, REACH, INNER);
        let w1 = density(z1);
        total += w1 * (below + above);
        weight_sum += w1;
    }
    total / (weight_sum * core::f64::consts::TAU.sqrt())
}

/// Simpson's rule for `f` on [a, b] with `n` (even) intervals.
fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
    let h = (b - a) / n as f64;
    let inner: f64 = (1..n)
        .map(|i| f(a + h * i as f64) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    h / 3.0 * (f(a) + inner + f(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean(values: &[f64]) -> f64 {
        values.iter().sum::<f64>() / values.len() as f64
    }

    fn correlation(a: &[f64], b: &[f64]) -> f64 {
        let (ma, mb) = (mean(a), mean(b));
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        cov / (va * vb).sqrt()
    }

    #[test]
    fn the_sample_has_the_documented_figures() {
        let data = generate(DEFAULT_ROWS, 0).unwrap();
        assert_eq!(
            data.to_string(),
            "Dataset(height_weight: 2000 rows, 2 features, binary)"
        );
        let (heights, weights) = (data.column(0).unwrap(), data.column(1).unwrap());
        assert!((mean(&heights) - 170.0).abs() < 1.0, "{}", mean(&heights));
        assert!((mean(&weights) - 75.0).abs() < 1.5, "{}", mean(&weights));
        let r = correlation(&heights, &weights);
        assert!((0.38..0.52).contains(&r), "correlation {r}");
        let bmis: Vec<f64> = heights
            .iter()
            .zip(&weights)
            .map(|(&h, &w)| bmi(h, w))
            .collect();
        assert!((mean(&bmis) - 25.9).abs() < 0.5, "{}", mean(&bmis));
        let positive = data.class_counts()[1] as f64 / 2000.0;
        assert!((0.33..0.43).contains(&positive), "{positive}");
        let best = sample_bayes_accuracy(&data).unwrap();
        assert!((0.7..0.95).contains(&best), "{best}");
        // Rounded to 0.1 as documented.
        assert!(data
            .rows()
            .iter()
            .all(|v| ((v * 10.0).round() / 10.0) == *v));
    }

    #[test]
    fn the_seed_fixes_every_bit_and_other_seeds_differ() {
        let bits = |d: &Dataset| -> Vec<u64> {
            d.rows()
                .iter()
                .chain(d.target())
                .map(|v| v.to_bits())
                .collect()
        };
        assert_eq!(
            bits(&generate(500, 4).unwrap()),
            bits(&generate(500, 4).unwrap())
        );
        assert_ne!(
            generate(500, 4).unwrap().rows(),
            generate(500, 5).unwrap().rows()
        );
    }

    #[test]
    fn the_truth_is_hand_checkable() {
        // 180 cm: boundary 27 · 1.8² = 87.48 kg; at that weight the log-odds are 0.
        assert!((boundary_weight(180.0) - 87.48).abs() < 1e-12);
        assert!(true_logit(180.0, boundary_weight(180.0)).abs() < 1e-12);
        assert!(boundary_weight(160.0) < boundary_weight(185.0));
        // One extra kg at 160 cm adds 1.5 / 1.6² = 0.5859375 to the log-odds; at 200 cm, 0.375.
        assert!((weight_effect(160.0) - 0.5859375).abs() < 1e-12);
        assert!((weight_effect(200.0) - 0.375).abs() < 1e-12);
        // The gradient agrees with central differences of the logit.
        let (h, w) = (172.0, 81.0);
        let eps = 1e-4;
        let dh = (true_logit(h + eps, w) - true_logit(h - eps, w)) / (2.0 * eps);
        let dw = (true_logit(h, w + eps) - true_logit(h, w - eps)) / (2.0 * eps);
        let [gh, gw] = true_logit_gradient(h, w);
        assert!(
            (gh - dh).abs() < 1e-7 && (gw - dw).abs() < 1e-7,
            "{gh} {dh} {gw} {dw}"
        );
        assert!(true_probability(160.0, 1e9) == 1.0 && true_probability(160.0, -1e9) == 0.0);
        assert!(true_probability(0.0, 70.0).is_nan() || true_probability(0.0, 70.0) == 1.0);
    }

    #[test]
    fn the_population_bayes_accuracy_is_converged_and_matches_large_samples() {
        let population = bayes_accuracy();
        // The same integral in NumPy, split at the kink, 4000 Simpson intervals, 801 outer points.
        assert!(
            (population - 0.929_258_645_485).abs() < 1e-8,
            "{population}"
        );
        // Hand-checkable Simpson: exact for cubics, the integral of x³ over [0, 2] is 4.
        assert!((simpson(|x| x * x * x, 0.0, 2.0, 2) - 4.0).abs() < 1e-15);
        let big = generate(50_000, 1).unwrap();
        let sample = sample_bayes_accuracy(&big).unwrap();
        assert!(
            (sample - population).abs() < 0.003,
            "{sample} vs {population}"
        );
        // The Bayes rule's actual hit rate on the drawn labels is close to its expectation.
        let hits = big
            .iter_rows()
            .zip(big.target())
            .filter(|(r, &y)| (true_probability(r[0], r[1]) >= 0.5) == (y == 1.0))
            .count() as f64;
        assert!((hits / 50_000.0 - sample).abs() < 0.005);
    }
}
