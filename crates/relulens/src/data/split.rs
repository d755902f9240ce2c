//! A seeded split of a dataset into training and validation rows.
//!
//! ```
//! let data = relulens::data::builtin::load("moons", 0)?;
//! let (train, validation) = data.split(0.2, 42)?;
//! assert_eq!((train.n_rows(), validation.n_rows()), (400, 100));
//! assert_eq!(data.split(0.2, 42)?, (train, validation)); // deterministic
//! # Ok::<(), relulens::Error>(())
//! ```

use super::Dataset;
use crate::error::{Error, Result};
use crate::rng::Rng;

impl Dataset {
    /// Splits the rows into `(training, validation)` at random, seeded by `seed`.
    ///
    /// The rows are shuffled with [`Rng`] seeded by `seed` (Fisher–Yates); the first
    /// `round(validation_fraction · n_rows)` shuffled rows, moved into `1..n_rows` so that neither
    /// part is empty, go to validation and the rest to training, and each part keeps its rows in
    /// their original order. The split is a plain random one, not stratified by class (a rare class
    /// may be missing from a small part), and the same seed gives the same split on every platform.
    /// Both parts keep the name, the features and the class labels.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSplit`] when `validation_fraction` is not strictly between 0 and 1, or the
    /// dataset has a single row.
    pub fn split(&self, validation_fraction: f64, seed: u64) -> Result<(Dataset, Dataset)> {
        let n = self.n_rows();
        let invalid = |reason: &'static str| Error::InvalidSplit {
            dataset: self.name().to_string(),
            fraction: validation_fraction,
            n_rows: n,
            reason,
        };
        if !(validation_fraction > 0.0 && validation_fraction < 1.0) {
            return Err(invalid(
                "the validation fraction must lie strictly between 0 and 1",
            ));
        }
        if n < 2 {
            return Err(invalid("a split needs at least 2 rows"));
        }
        let n_validation = ((validation_fraction * n as f64).round() as usize).clamp(1, n - 1);
        let mut order: Vec<usize> = (0..n).collect();
        Rng::new(seed).shuffle(&mut order);
        let (validation, training) = order.split_at_mut(n_validation);
        validation.sort_unstable();
        training.sort_unstable();
        let describe = |part: &str, rows: usize| {
            format!(
                "{} ({part} part: {rows} of {n} rows, split seed {seed})",
                self.description()
            )
        };
        Ok((
            self.take(training)
                .with_description(describe("training", training.len())),
            self.take(validation)
                .with_description(describe("validation", n_validation)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DatasetParts, Task};
    use super::*;

    fn numbered(n: usize) -> Dataset {
        Dataset::new(DatasetParts {
            name: "numbered".into(),
            feature_names: vec!["i".into()],
            rows: (0..n).map(|i| i as f64).collect(),
            target_name: "y".into(),
            target: (0..n).map(|i| (i % 2) as f64).collect(),
            task: Task::Binary,
            class_labels: vec!["even".into(), "odd".into()],
            ..DatasetParts::default()
        })
        .unwrap()
    }

    #[test]
    fn parts_are_disjoint_cover_every_row_and_keep_rows_with_their_targets() {
        let data = numbered(10);
        let (train, validation) = data.split(0.3, 5).unwrap();
        assert_eq!((train.n_rows(), validation.n_rows()), (7, 3));
        let mut all: Vec<f64> = train
            .rows()
            .iter()
            .chain(validation.rows())
            .copied()
            .collect();
        all.sort_by(f64::total_cmp);
        assert_eq!(all, data.rows());
        for part in [&train, &validation] {
            assert!(
                part.rows().windows(2).all(|w| w[0] < w[1]),
                "original order kept"
            );
            for (row, &y) in part.iter_rows().zip(part.target()) {
                assert_eq!(y, row[0] % 2.0);
            }
        }
    }

    #[test]
    fn the_seed_decides_the_split() {
        let data = numbered(100);
        assert_eq!(data.split(0.25, 1).unwrap(), data.split(0.25, 1).unwrap());
        assert_ne!(
            data.split(0.25, 1).unwrap().1,
            data.split(0.25, 2).unwrap().1
        );
    }

    #[test]
    fn neither_part_is_ever_empty() {
        let (train, validation) = numbered(2).split(0.01, 0).unwrap();
        assert_eq!((train.n_rows(), validation.n_rows()), (1, 1));
        let (train, validation) = numbered(3).split(0.99, 0).unwrap();
        assert_eq!((train.n_rows(), validation.n_rows()), (1, 2));
    }

    #[test]
    fn bad_fractions_and_single_rows_are_errors() {
        for fraction in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
            assert!(matches!(
                numbered(10).split(fraction, 0),
                Err(Error::InvalidSplit { .. })
            ));
        }
        let err = numbered(1).split(0.5, 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot split numbered (1 rows) with validation fraction 0.5: a split needs at least 2 rows"
        );
    }
}
