//! [`Standardizer`]: per-feature centring and scaling, z = (x − mean) / std, fitted on training data.
//!
//! ```
//! use relulens::data::{builtin, Standardizer};
//! let data = builtin::load("height_weight", 0)?;
//! let (train, validation) = data.split(0.2, 0)?;
//! let scaler = Standardizer::fit(&train);
//! let z = scaler.transform(&validation)?;
//! assert!((scaler.mean()[0] - 170.0).abs() < 1.0);
//! let back = scaler.inverse(&z)?;
//! assert!(back.rows().iter().zip(validation.rows()).all(|(a, b)| (a - b).abs() < 1e-9));
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use super::{Dataset, DatasetParts};
use crate::error::{Error, Result};

/// Per-feature means and standard deviations, to standardize rows and to undo it.
///
/// The mean and the standard deviation are the population ones (divide by n, as scikit-learn's
/// `StandardScaler`), computed in two passes. A column whose values are all equal gets std 1 and
/// its value as the mean, so it maps to 0 instead of dividing by zero. The standardizer knows
/// nothing of networks: it is plain data, serialised to JSON as `{"feature_names": [..],
/// "mean": [..], "std": [..]}` and checked again when read back.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Parts")]
pub struct Standardizer {
    feature_names: Vec<String>,
    mean: Vec<f64>,
    std: Vec<f64>,
}

/// The unchecked serialised form, checked by `TryFrom` on the way in.
#[derive(serde::Deserialize)]
struct Parts {
    feature_names: Vec<String>,
    mean: Vec<f64>,
    std: Vec<f64>,
}

impl TryFrom<Parts> for Standardizer {
    type Error = Error;

    fn try_from(parts: Parts) -> Result<Standardizer> {
        Standardizer::new(parts.feature_names, parts.mean, parts.std)
    }
}

impl Standardizer {
    /// The standardizer fitted on `data`'s features (see [`Standardizer`] for the conventions).
    pub fn fit(data: &Dataset) -> Standardizer {
        let (mean, std) = (0..data.n_features())
            .map(|j| {
                let column = data.column(j).unwrap_or_default();
                mean_and_std(&column)
            })
            .unzip();
        Standardizer {
            feature_names: data.feature_names().to_vec(),
            mean,
            std,
        }
    }

    /// A standardizer from stored figures.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidStandardizer`] when there are no features, the three lists differ in
    /// length, a mean is not finite or a std is not finite and positive.
    pub fn new(feature_names: Vec<String>, mean: Vec<f64>, std: Vec<f64>) -> Result<Standardizer> {
        let invalid = |reason: String| Error::InvalidStandardizer { reason };
        if feature_names.is_empty() {
            return Err(invalid("it has no features".into()));
        }
        if mean.len() != feature_names.len() || std.len() != feature_names.len() {
            return Err(invalid(format!(
                "{} feature names, {} means and {} standard deviations",
                feature_names.len(),
                mean.len(),
                std.len()
            )));
        }
        for (j, name) in feature_names.iter().enumerate() {
            if !mean[j].is_finite() {
                return Err(invalid(format!("the mean of {name:?} is {}", mean[j])));
            }
            if !(std[j].is_finite() && std[j] > 0.0) {
                return Err(invalid(format!(
                    "the standard deviation of {name:?} is {}, not finite and positive",
                    std[j]
                )));
            }
        }
        Ok(Standardizer {
            feature_names,
            mean,
            std,
        })
    }

    /// The features' names, in the order of the means and standard deviations.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// Each feature's mean.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// Each feature's standard deviation (1 for a constant feature).
    pub fn std(&self) -> &[f64] {
        &self.std
    }

    /// The number of features.
    pub fn n_features(&self) -> usize {
        self.feature_names.len()
    }

    /// Standardizes `rows` in place: row-major, `n_features` values per row.
    ///
    /// # Errors
    ///
    /// [`Error::NotWholeRows`] when `rows.len()` is not a multiple of `n_features`.
    pub fn transform_rows(&self, rows: &mut [f64]) -> Result<()> {
        self.check_rows("Standardizer::transform_rows", rows)?;
        for row in rows.chunks_exact_mut(self.n_features()) {
            for ((x, mean), std) in row.iter_mut().zip(&self.mean).zip(&self.std) {
                *x = (*x - mean) / std;
            }
        }
        Ok(())
    }

    /// Undoes [`transform_rows`](Self::transform_rows) in place: x = z · std + mean.
    ///
    /// # Errors
    ///
    /// [`Error::NotWholeRows`] when `rows.len()` is not a multiple of `n_features`.
    pub fn inverse_rows(&self, rows: &mut [f64]) -> Result<()> {
        self.check_rows("Standardizer::inverse_rows", rows)?;
        for row in rows.chunks_exact_mut(self.n_features()) {
            for ((z, mean), std) in row.iter_mut().zip(&self.mean).zip(&self.std) {
                *z = *z * std + mean;
            }
        }
        Ok(())
    }

    /// `data` with standardized features.
    ///
    /// # Errors
    ///
    /// [`Error::FeatureMismatch`] when `data`'s feature names are not the fitted ones, in order;
    /// [`Error::InvalidValue`] if a result overflows to infinity.
    pub fn transform(&self, data: &Dataset) -> Result<Dataset> {
        self.map(
            data,
            "Standardizer::transform",
            Standardizer::transform_rows,
        )
    }

    /// `data` with standardized features turned back into the original units.
    ///
    /// # Errors
    ///
    /// As [`transform`](Self::transform).
    pub fn inverse(&self, data: &Dataset) -> Result<Dataset> {
        self.map(data, "Standardizer::inverse", Standardizer::inverse_rows)
    }

    fn map(
        &self,
        data: &Dataset,
        op: &'static str,
        apply: fn(&Standardizer, &mut [f64]) -> Result<()>,
    ) -> Result<Dataset> {
        if data.feature_names() != self.feature_names {
            return Err(Error::FeatureMismatch {
                op,
                expected: self.feature_names.join(", "),
                got: data.feature_names().join(", "),
            });
        }
        let mut parts: DatasetParts = data.clone().into_parts();
        apply(self, &mut parts.rows)?;
        Dataset::new(parts)
    }

    fn check_rows(&self, op: &'static str, rows: &[f64]) -> Result<()> {
        if rows.len() % self.n_features() != 0 {
            return Err(Error::NotWholeRows {
                op,
                len: rows.len(),
                n_features: self.n_features(),
            });
        }
        Ok(())
    }
}

/// The population mean and standard deviation of finite `values`; (value, 1) for a constant column.
fn mean_and_std(values: &[f64]) -> (f64, f64) {
    let Some(&first) = values.first() else {
        return (0.0, 1.0);
    };
    if values.iter().all(|&v| v == first) {
        return (first, 1.0);
    }
    let n = values.len() as f64;
    let mut mean = values.iter().sum::<f64>() / n;
    if !mean.is_finite() {
        // The sum overflowed: near f64::MAX, dividing first costs a little precision only.
        mean = values.iter().map(|v| v / n).sum();
    }
    // Scaling by the largest deviation keeps the squares from overflowing.
    let scale = values.iter().fold(0.0f64, |m, v| m.max((v - mean).abs()));
    let mean_square = values
        .iter()
        .map(|v| ((v - mean) / scale).powi(2))
        .sum::<f64>()
        / n;
    let std = scale * mean_square.sqrt();
    (
        mean,
        if std > 0.0 && std.is_finite() {
            std
        } else {
            1.0
        },
    )
}

impl fmt::Display for Standardizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.n_features();
        write!(
            f,
            "Standardizer({n} feature{})",
            if n == 1 { "" } else { "s" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::Task;
    use super::*;
    use proptest::prelude::*;

    fn dataset(rows: Vec<f64>, n_features: usize) -> Dataset {
        let n_rows = rows.len() / n_features;
        Dataset::new(DatasetParts {
            name: "d".into(),
            feature_names: (0..n_features).map(|j| format!("x{j}")).collect(),
            rows,
            target_name: "y".into(),
            target: vec![0.0; n_rows],
            task: Task::Regression,
            ..DatasetParts::default()
        })
        .unwrap()
    }

    #[test]
    fn hand_checked_mean_and_population_std() {
        // Column 0: 1, 3, 5 → mean 3, variance (4 + 0 + 4) / 3 = 8/3.
        // Column 1: constant 7 → mean 7, std 1, so it maps to 0.
        let data = dataset(vec![1.0, 7.0, 3.0, 7.0, 5.0, 7.0], 2);
        let scaler = Standardizer::fit(&data);
        assert_eq!(scaler.mean(), [3.0, 7.0]);
        assert_eq!(scaler.std(), [(8.0f64 / 3.0).sqrt(), 1.0]);
        let z = scaler.transform(&data).unwrap();
        assert_eq!(z.column(1), Some(vec![0.0; 3]));
        assert_eq!(z.row(1), Some(&[0.0, 0.0][..]));
        assert_eq!(scaler.to_string(), "Standardizer(2 features)");
    }

    #[test]
    fn mismatched_features_and_partial_rows_are_errors() {
        let scaler = Standardizer::fit(&dataset(vec![1.0, 2.0, 3.0, 4.0], 2));
        let other = dataset(vec![1.0, 2.0], 1);
        assert_eq!(
            scaler.transform(&other).unwrap_err().to_string(),
            "Standardizer::transform: expected features [x0, x1], got [x0]"
        );
        assert_eq!(
            scaler
                .transform_rows(&mut [1.0, 2.0, 3.0])
                .unwrap_err()
                .to_string(),
            "Standardizer::transform_rows: 3 values are not whole rows of 2 features"
        );
    }

    #[test]
    fn json_round_trips_and_bad_json_is_refused() {
        let scaler = Standardizer::fit(&dataset(vec![1.0, 2.0, 4.0, 8.0], 2));
        let json = serde_json::to_string(&scaler).unwrap();
        assert!(json.starts_with("{\"feature_names\":[\"x0\",\"x1\"],\"mean\":[2.5,5.0]"));
        assert_eq!(serde_json::from_str::<Standardizer>(&json).unwrap(), scaler);
        let bad = r#"{"feature_names":["a"],"mean":[0.0],"std":[0.0]}"#;
        let err = serde_json::from_str::<Standardizer>(bad).unwrap_err();
        assert!(err.to_string().contains("not finite and positive"), "{err}");
        let short = r#"{"feature_names":["a","b"],"mean":[0.0],"std":[1.0]}"#;
        assert!(serde_json::from_str::<Standardizer>(short).is_err());
        let empty = r#"{"feature_names":[],"mean":[],"std":[]}"#;
        assert!(serde_json::from_str::<Standardizer>(empty).is_err());
    }

    #[test]
    fn huge_values_do_not_overflow() {
        let data = dataset(vec![-1e308, 1e308, 1e308, 1e308], 1);
        let scaler = Standardizer::fit(&data);
        assert!(scaler.mean()[0].is_finite() && scaler.std()[0].is_finite());
        assert!(scaler.transform(&data).is_ok());
    }

    proptest! {
        #[test]
        fn transform_then_inverse_is_the_identity(
            columns in 1usize..4,
            values in prop::collection::vec(-1e6f64..1e6, 1..60),
        ) {
            let n_rows = values.len() / columns;
            prop_assume!(n_rows >= 1);
            let data = dataset(values[..n_rows * columns].to_vec(), columns);
            let scaler = Standardizer::fit(&data);
            let z = scaler.transform(&data).unwrap();
            for j in 0..columns {
                let column = z.column(j).unwrap();
                let mean = column.iter().sum::<f64>() / n_rows as f64;
                prop_assert!(mean.abs() < 1e-9, "standardized mean {}", mean);
            }
            let back = scaler.inverse(&z).unwrap();
            for (a, b) in back.rows().iter().zip(data.rows()) {
                prop_assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "{} vs {}", a, b);
            }
        }
    }
}
