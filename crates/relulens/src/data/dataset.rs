//! [`Dataset`]: a table of numeric features with one target column, checked on construction.
//!
//! ```
//! use relulens::data::{Dataset, DatasetParts, Task};
//! let data = Dataset::new(DatasetParts {
//!     name: "tiny".into(),
//!     description: "two rows by hand".into(),
//!     feature_names: vec!["height_cm".into(), "weight_kg".into()],
//!     rows: vec![160.0, 55.0, 185.0, 100.0],
//!     target_name: "elevated_risk".into(),
//!     target: vec![0.0, 1.0],
//!     task: Task::Binary,
//!     class_labels: vec!["no".into(), "yes".into()],
//! })?;
//! assert_eq!(data.row(1), Some(&[185.0, 100.0][..]));
//! assert_eq!(data.feature_index("weight_kg")?, 1);
//! assert_eq!(data.to_string(), "Dataset(tiny: 2 rows, 2 features, binary)");
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use super::Task;
use crate::error::{Error, Result};

/// Everything a [`Dataset`] is made of, for [`Dataset::new`] to check and [`Dataset::into_parts`] to
/// give back.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DatasetParts {
    /// A short name, such as `height_weight` or a CSV file's stem.
    pub name: String,
    /// One or two sentences on where the data comes from.
    pub description: String,
    /// The features' names, in column order; unique, at least one.
    pub feature_names: Vec<String>,
    /// The features, row-major: `n_rows * feature_names.len()` finite values.
    pub rows: Vec<f64>,
    /// The target column's name; not one of the feature names.
    pub target_name: String,
    /// One finite value per row: the value, or the class index into `class_labels`.
    pub target: Vec<f64>,
    /// What the target asks for.
    pub task: Task,
    /// The classes' names, indexed by the target; empty for regression, exactly two for binary, at
    /// least two for multiclass.
    pub class_labels: Vec<String>,
}

/// A table of numeric features with one target column, checked on construction.
///
/// The features are stored row-major in one `Vec<f64>`: the value of feature `j` in row `i` is
/// `rows[i * n_features + j]`, so each row is a contiguous slice, the layout a network's forward
/// pass reads. The target holds one `f64` per row: the value for regression, the class index (0.0,
/// 1.0, ...) into [`Dataset::class_labels`] for classification.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    name: String,
    description: String,
    feature_names: Vec<String>,
    rows: Vec<f64>,
    target_name: String,
    target: Vec<f64>,
    task: Task,
    class_labels: Vec<String>,
}

impl Dataset {
    /// A dataset from its parts, after checking that they fit together.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDataset`] for no features, no rows, a repeated feature name, a target named
    /// like a feature, or class labels that do not suit the task (none for regression, exactly two
    /// for binary, at least two and unique for multiclass); [`Error::LengthMismatch`] when `rows`
    /// does not hold `target.len() * feature_names.len()` values; [`Error::InvalidValue`] for a
    /// non-finite feature or target value, or a class index that is not a whole number below the
    /// number of classes.
    pub fn new(parts: DatasetParts) -> Result<Dataset> {
        let DatasetParts {
            name,
            description,
            feature_names,
            rows,
            target_name,
            target,
            task,
            class_labels,
        } = parts;
        let invalid = |reason: String| Error::InvalidDataset {
            dataset: name.clone(),
            reason,
        };
        if feature_names.is_empty() {
            return Err(invalid("it has no features".into()));
        }
        if target.is_empty() {
            return Err(invalid("it has no rows".into()));
        }
        if let Some(repeated) = first_repeat(&feature_names) {
            return Err(invalid(format!("feature {repeated:?} appears twice")));
        }
        if feature_names.contains(&target_name) {
            return Err(invalid(format!(
                "the target {target_name:?} is also a feature"
            )));
        }
        let expected = target.len() * feature_names.len();
        if rows.len() != expected {
            return Err(Error::LengthMismatch {
                op: "Dataset::new",
                what: "rows",
                expected,
                got: rows.len(),
            });
        }
        match (task, class_labels.len()) {
            (Task::Regression, 0) | (Task::Binary, 2) => {}
            (Task::Multiclass, n) if n >= 2 => {}
            (task, n) => {
                let wanted = match task {
                    Task::Regression => "no class labels",
                    Task::Binary => "exactly 2 class labels",
                    Task::Multiclass => "at least 2 class labels",
                };
                return Err(invalid(format!("a {task} target needs {wanted}, got {n}")));
            }
        }
        if let Some(repeated) = first_repeat(&class_labels) {
            return Err(invalid(format!("class label {repeated:?} appears twice")));
        }
        let n_features = feature_names.len();
        if let Some(k) = rows.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidValue {
                dataset: name,
                row: k / n_features,
                column: feature_names[k % n_features].clone(),
                value: rows[k],
                reason: "features must be finite",
            });
        }
        let n_classes = class_labels.len() as f64;
        let bad_target = |y: f64| {
            if task.is_classification() {
                !(y >= 0.0 && y < n_classes && y.fract() == 0.0)
            } else {
                !y.is_finite()
            }
        };
        if let Some(i) = target.iter().position(|&y| bad_target(y)) {
            return Err(Error::InvalidValue {
                dataset: name,
                row: i,
                column: target_name,
                value: target[i],
                reason: if task.is_classification() {
                    "a class index must be a whole number below the number of classes"
                } else {
                    "a regression target must be finite"
                },
            });
        }
        Ok(Dataset {
            name,
            description,
            feature_names,
            rows,
            target_name,
            target,
            task,
            class_labels,
        })
    }

    /// The parts, to modify and check again with [`Dataset::new`].
    pub fn into_parts(self) -> DatasetParts {
        DatasetParts {
            name: self.name,
            description: self.description,
            feature_names: self.feature_names,
            rows: self.rows,
            target_name: self.target_name,
            target: self.target,
            task: self.task,
            class_labels: self.class_labels,
        }
    }

    /// The dataset's short name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the data comes from, in a sentence or two.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The same data under another name.
    pub fn with_name(mut self, name: impl Into<String>) -> Dataset {
        self.name = name.into();
        self
    }

    /// The same data with another description.
    pub fn with_description(mut self, description: impl Into<String>) -> Dataset {
        self.description = description.into();
        self
    }

    /// The number of rows (examples), at least 1.
    pub fn n_rows(&self) -> usize {
        self.target.len()
    }

    /// The number of features (input columns), at least 1.
    pub fn n_features(&self) -> usize {
        self.feature_names.len()
    }

    /// The features' names, in column order.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// The features, row-major, `n_rows * n_features` values.
    pub fn rows(&self) -> &[f64] {
        &self.rows
    }

    /// Row `i`'s features, or `None` past the last row.
    pub fn row(&self, i: usize) -> Option<&[f64]> {
        let n = self.n_features();
        let start = i.checked_mul(n)?;
        self.rows.get(start..start.checked_add(n)?)
    }

    /// Each row's features in turn.
    pub fn iter_rows(&self) -> impl ExactSizeIterator<Item = &[f64]> + '_ {
        self.rows.chunks_exact(self.n_features())
    }

    /// Feature `j`'s values down the rows, or `None` past the last feature.
    pub fn column(&self, j: usize) -> Option<Vec<f64>> {
        (j < self.n_features()).then(|| self.iter_rows().map(|row| row[j]).collect())
    }

    /// The column index of the feature called `name`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownFeature`] when there is no such feature; the message lists those there are.
    pub fn feature_index(&self, name: &str) -> Result<usize> {
        self.feature_names
            .iter()
            .position(|f| f == name)
            .ok_or_else(|| Error::UnknownFeature {
                dataset: self.name.clone(),
                name: name.to_string(),
                available: self.feature_names.join(", "),
            })
    }

    /// The target column's name.
    pub fn target_name(&self) -> &str {
        &self.target_name
    }

    /// One value per row: the value for regression, the class index for classification.
    pub fn target(&self) -> &[f64] {
        &self.target
    }

    /// What the target asks for.
    pub fn task(&self) -> Task {
        self.task
    }

    /// The classes' names, indexed by the target (empty for regression).
    pub fn class_labels(&self) -> &[String] {
        &self.class_labels
    }

    /// The number of classes (0 for regression).
    pub fn n_classes(&self) -> usize {
        self.class_labels.len()
    }

    /// How many rows hold each class, indexed like [`class_labels`](Self::class_labels) (empty
    /// for regression).
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.n_classes()];
        if self.task.is_classification() {
            for &y in &self.target {
                counts[y as usize] += 1;
            }
        }
        counts
    }

    /// The same rows with only the named features, in the order given.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownFeature`] for a name that is not a feature (the message lists those there
    /// are), [`Error::InvalidDataset`] for an empty list or a name given twice.
    ///
    /// # Examples
    ///
    /// ```
    /// let data = relulens::data::builtin::load("height_weight", 0)?;
    /// let weight_only = data.select_features(&["weight_kg"])?;
    /// assert_eq!(weight_only.n_features(), 1);
    /// assert_eq!(weight_only.row(0).unwrap()[0], data.row(0).unwrap()[1]);
    /// # Ok::<(), relulens::Error>(())
    /// ```
    pub fn select_features(&self, names: &[&str]) -> Result<Dataset> {
        let columns = names
            .iter()
            .map(|name| self.feature_index(name))
            .collect::<Result<Vec<usize>>>()?;
        let rows = self
            .iter_rows()
            .flat_map(|row| columns.iter().map(move |&j| row[j]))
            .collect();
        Dataset::new(DatasetParts {
            feature_names: names.iter().map(|s| s.to_string()).collect(),
            rows,
            ..self.clone().into_parts()
        })
    }

    /// The rows at `indices`, in that order; every index must be below `n_rows` and there must be
    /// at least one.
    pub(crate) fn take(&self, indices: &[usize]) -> Dataset {
        let n = self.n_features();
        let mut rows = Vec::with_capacity(indices.len() * n);
        for &i in indices {
            rows.extend_from_slice(&self.rows[i * n..(i + 1) * n]);
        }
        Dataset {
            rows,
            target: indices.iter().map(|&i| self.target[i]).collect(),
            ..self.clone()
        }
    }
}

impl fmt::Display for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "Dataset({}: {}, {}, {})",
            self.name,
            plural(self.n_rows(), "row"),
            plural(self.n_features(), "feature"),
            self.task
        )
    }
}

/// The first name that appears twice (feature names, class labels, a neuron's inputs).
pub(crate) fn first_repeat(names: &[String]) -> Option<&String> {
    names
        .iter()
        .enumerate()
        .find(|(i, name)| names[..*i].contains(name))
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> DatasetParts {
        DatasetParts {
            name: "tiny".into(),
            description: String::new(),
            feature_names: vec!["a".into(), "b".into()],
            rows: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            target_name: "y".into(),
            target: vec![0.0, 1.0, 2.0],
            task: Task::Multiclass,
            class_labels: vec!["p".into(), "q".into(), "r".into()],
        }
    }

    #[test]
    fn accessors_read_the_row_major_layout() {
        let data = Dataset::new(parts()).unwrap();
        assert_eq!(
            (data.n_rows(), data.n_features(), data.n_classes()),
            (3, 2, 3)
        );
        assert_eq!(data.row(2), Some(&[5.0, 6.0][..]));
        assert_eq!(data.row(3), None);
        assert_eq!(data.row(usize::MAX), None);
        assert_eq!(data.column(1), Some(vec![2.0, 4.0, 6.0]));
        assert_eq!(data.column(2), None);
        assert_eq!(data.class_counts(), vec![1, 1, 1]);
        assert_eq!(data.iter_rows().len(), 3);
        assert_eq!(
            data.to_string(),
            "Dataset(tiny: 3 rows, 2 features, multiclass)"
        );
        let one = data.select_features(&["b"]).unwrap();
        assert_eq!(one.rows(), &[2.0, 4.0, 6.0]);
        assert_eq!(
            one.to_string(),
            "Dataset(tiny: 3 rows, 1 feature, multiclass)"
        );
    }

    #[test]
    fn select_features_reorders_and_refuses_unknown_or_repeated_names() {
        let data = Dataset::new(parts()).unwrap();
        let swapped = data.select_features(&["b", "a"]).unwrap();
        assert_eq!(swapped.row(0), Some(&[2.0, 1.0][..]));
        let err = data.select_features(&["c"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dataset tiny has no feature \"c\"; available features: a, b"
        );
        assert!(matches!(
            data.select_features(&["a", "a"]),
            Err(Error::InvalidDataset { .. })
        ));
        assert!(matches!(
            data.select_features(&[]),
            Err(Error::InvalidDataset { .. })
        ));
    }

    #[test]
    fn new_refuses_parts_that_do_not_fit() {
        let check = |edit: fn(&mut DatasetParts), needle: &str| {
            let mut p = parts();
            edit(&mut p);
            let err = Dataset::new(p).unwrap_err().to_string();
            assert!(err.contains(needle), "{err:?} should contain {needle:?}");
        };
        check(
            |p| {
                p.rows.pop();
            },
            "rows has length 5, expected 6",
        );
        check(|p| p.rows[3] = f64::NAN, "row 1, column \"b\"");
        check(|p| p.target[1] = 1.5, "whole number");
        check(|p| p.target[1] = 3.0, "whole number");
        check(|p| p.target[1] = -0.5, "whole number");
        check(
            |p| p.class_labels.truncate(1),
            "at least 2 class labels, got 1",
        );
        check(|p| p.task = Task::Binary, "exactly 2 class labels, got 3");
        check(|p| p.task = Task::Regression, "no class labels, got 3");
        check(
            |p| p.class_labels[2] = "p".into(),
            "class label \"p\" appears twice",
        );
        check(
            |p| p.feature_names[1] = "a".into(),
            "feature \"a\" appears twice",
        );
        check(|p| p.target_name = "a".into(), "is also a feature");
        check(|p| p.feature_names.clear(), "no features");
        check(
            |p| {
                p.target.clear();
                p.rows.clear();
            },
            "no rows",
        );
        check(
            |p| {
                p.task = Task::Regression;
                p.class_labels.clear();
                p.target[0] = f64::INFINITY;
            },
            "must be finite",
        );
    }
}
