//! Reading a [`Dataset`] from CSV, and writing one back; the rules are on [`CsvOptions`].
//!
//! ```
//! use relulens::data::{Dataset, Task};
//! let text = "height_cm,weight_kg,risk\n160,55,low\n185,100,high\n172,70,low\n";
//! let data = Dataset::from_csv_reader(text.as_bytes(), "people.csv", None, "risk", None)?;
//! assert_eq!(data.to_string(), "Dataset(people: 3 rows, 2 features, binary)");
//! assert_eq!(data.class_labels(), ["high", "low"]); // sorted
//! assert_eq!(data.target(), [1.0, 0.0, 1.0]);
//!
//! let err = Dataset::from_csv_reader("a,b\n1,x\n".as_bytes(), "bad.csv", None, "b", Some(Task::Regression))
//!     .unwrap_err();
//! assert_eq!(err.to_string(), "bad.csv: line 2, column \"b\": cannot read \"x\" as a number");
//! # Ok::<(), relulens::Error>(())
//! ```

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::{Dataset, DatasetParts, Task};
use crate::error::{Error, Result};

mod read;
mod target;
mod write;

/// Cells that mean "no value", compared ignoring ASCII case: empty, `NA`, `N/A`, `NaN`, `null`.
pub const MISSING_TOKENS: [&str; 5] = ["", "NA", "N/A", "NaN", "null"];

/// The largest number of distinct whole-number targets inferred as multiclass rather than
/// regression (when no task is given).
pub const MAX_INFERRED_CLASSES: usize = 10;

/// How to read a CSV file into a [`Dataset`].
///
/// The first row is the header. The target column is chosen by name; the features are the columns
/// named in [`CsvOptions::features`], or by default every other column, in file order. Every
/// feature cell must be a finite number. Errors name the file, the line (1-based, the header being
/// line 1) and the column, and quote the cell.
///
/// **Target and task.** An explicit task wins. For classification the classes are the distinct
/// target cells, sorted: numerically when every cell is a number (`"1"` and `"1.0"` are one class,
/// labelled `"1"`), otherwise as text (byte order); the target holds each row's index into that
/// sorted list. Without a task, the task is inferred:
///
/// - some cell is not a number: classes from the text, **binary** for 2 of them, **multiclass** for
///   more;
/// - every cell a whole number, at most 2 distinct: **binary**; 3 to [`MAX_INFERRED_CLASSES`]
///   distinct: **multiclass**;
/// - otherwise **regression**.
///
/// A single class is an error for classification, inferred or explicit.
///
/// **Missing values.** With [`CsvOptions::drop_missing`], a row whose feature or target cell is one
/// of [`MISSING_TOKENS`] (compared ignoring ASCII case) is dropped and counted in the description;
/// otherwise such a cell is an error (and `NaN` is reported as a non-finite cell). Cells in columns
/// that are not used are never read.
///
/// ```
/// use relulens::data::{CsvOptions, Task};
/// let options = CsvOptions::new("species")
///     .features(&["bill_length_mm", "flipper_length_mm"])
///     .task(Task::Multiclass)
///     .drop_missing(true);
/// assert_eq!(options.target, "species");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CsvOptions {
    /// The feature columns, in the order wanted; `None` for every column but the target.
    pub features: Option<Vec<String>>,
    /// The target column's name.
    pub target: String,
    /// The task; `None` to infer it by the rule above.
    pub task: Option<Task>,
    /// Whether to drop rows with a missing value in a used column instead of failing.
    pub drop_missing: bool,
}

impl CsvOptions {
    /// Options with the target column `target`, every other column a feature, the task inferred
    /// and missing values refused.
    pub fn new(target: impl Into<String>) -> CsvOptions {
        CsvOptions {
            target: target.into(),
            ..CsvOptions::default()
        }
    }

    /// Uses only the named feature columns, in this order.
    pub fn features(mut self, names: &[&str]) -> CsvOptions {
        self.features = Some(names.iter().map(|s| s.to_string()).collect());
        self
    }

    /// Sets the task instead of inferring it.
    pub fn task(mut self, task: Task) -> CsvOptions {
        self.task = Some(task);
        self
    }

    /// Drops rows with a missing value in a used column (see [`MISSING_TOKENS`]).
    pub fn drop_missing(mut self, drop: bool) -> CsvOptions {
        self.drop_missing = drop;
        self
    }
}

impl Dataset {
    /// Reads the CSV file at `path`, named after the file's stem (see [`CsvOptions`]).
    ///
    /// # Errors
    ///
    /// [`Error::DataFile`] when the file cannot be opened, and the errors of
    /// [`from_csv_reader_with`](Self::from_csv_reader_with).
    pub fn from_csv(
        path: impl AsRef<Path>,
        features: Option<&[&str]>,
        target: &str,
        task: Option<Task>,
    ) -> Result<Dataset> {
        Dataset::from_csv_with(path, &options(features, target, task))
    }

    /// Reads CSV text from `reader`; `name` (such as the file name) names it in messages, and its
    /// stem names the dataset.
    ///
    /// # Errors
    ///
    /// As [`from_csv_reader_with`](Self::from_csv_reader_with).
    pub fn from_csv_reader(
        reader: impl Read,
        name: &str,
        features: Option<&[&str]>,
        target: &str,
        task: Option<Task>,
    ) -> Result<Dataset> {
        Dataset::from_csv_reader_with(reader, name, &options(features, target, task))
    }

    /// Reads the CSV file at `path` with `options`.
    ///
    /// # Errors
    ///
    /// [`Error::DataFile`] when the file cannot be opened, and the errors of
    /// [`from_csv_reader_with`](Self::from_csv_reader_with).
    pub fn from_csv_with(path: impl AsRef<Path>, options: &CsvOptions) -> Result<Dataset> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::DataFile {
            op: "read",
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Dataset::from_csv_reader_with(file, &path.display().to_string(), options)
    }

    /// Reads the named feature columns of a CSV file, in that order, for prediction: no target is
    /// needed. Returns the rows, row-major.
    ///
    /// # Errors
    ///
    /// As [`from_csv_with`](Self::from_csv_with), but for the target.
    pub fn read_features(path: impl AsRef<Path>, features: &[&str]) -> Result<Vec<f64>> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| Error::DataFile {
            op: "read",
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let options = CsvOptions::new("").features(features);
        Ok(read::read_table(file, &path.display().to_string(), &options)?.rows)
    }

    /// Reads CSV text from `reader` with `options`; `name` names it in messages.
    ///
    /// # Errors
    ///
    /// Each names the file, and the line and column where there is one:
    /// [`Error::CsvEmptyHeader`] (no header row), [`Error::CsvMissingColumn`] (lists the columns
    /// there are), [`Error::CsvColumns`] (a column named twice, the target among the features, no
    /// features), [`Error::CsvRaggedRow`], [`Error::CsvNonNumeric`], [`Error::CsvNonFinite`],
    /// [`Error::CsvMissingValue`], [`Error::CsvNoRows`], [`Error::CsvSingleClass`],
    /// [`Error::CsvClassCount`] (a binary task with more than two classes) and [`Error::CsvSyntax`]
    /// (unreadable bytes, such as invalid UTF-8).
    pub fn from_csv_reader_with(
        reader: impl Read,
        name: &str,
        options: &CsvOptions,
    ) -> Result<Dataset> {
        let table = read::read_table(reader, name, options)?;
        let (task, class_labels, target) = target::interpret_target(&table, name, options)?;
        let file_name = Path::new(name)
            .file_name()
            .map_or(name.to_string(), |f| f.to_string_lossy().into_owned());
        let dropped = if table.dropped > 0 {
            format!(", {} with missing values dropped", table.dropped)
        } else {
            String::new()
        };
        Dataset::new(DatasetParts {
            name: Path::new(name)
                .file_stem()
                .map_or(name.to_string(), |s| s.to_string_lossy().into_owned()),
            description: format!(
                "Read from {file_name}: {} rows{dropped}; target {:?} ({task}).",
                table.lines.len(),
                options.target
            ),
            feature_names: table.feature_names,
            rows: table.rows,
            target_name: options.target.clone(),
            target,
            task,
            class_labels,
        })
    }
}

fn options(features: Option<&[&str]>, target: &str, task: Option<Task>) -> CsvOptions {
    CsvOptions {
        features: features.map(|f| f.iter().map(|s| s.to_string()).collect()),
        target: target.to_string(),
        task,
        drop_missing: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, features: Option<&[&str]>, target: &str) -> Result<Dataset> {
        Dataset::from_csv_reader(text.as_bytes(), "t.csv", features, target, None)
    }

    #[test]
    fn a_small_file_reads_into_rows_targets_and_sorted_labels() {
        let text = "x, y ,label\n1, 2, b\n3,4,a\n 5 ,6e0,c\n";
        let data = read(text, None, "label").unwrap();
        assert_eq!(data.feature_names(), ["x", "y"]);
        assert_eq!(data.rows(), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(data.class_labels(), ["a", "b", "c"]);
        assert_eq!(data.target(), [1.0, 0.0, 2.0]);
        assert_eq!(data.task(), Task::Multiclass);
        assert_eq!(data.name(), "t");
        let picked = read(text, Some(&["y"]), "label").unwrap();
        assert_eq!(picked.rows(), [2.0, 4.0, 6.0]);
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let err = Dataset::from_csv("no/such/file.csv", None, "y", None).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot read no/such/file.csv: "),
            "{err}"
        );
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = Dataset::from_csv_reader(&bytes[..], "t.csv", None, "b", None);
        }

        #[test]
        fn no_text_panics(text in "[ab,\n0-9.\"xNA-]{0,80}") {
            let _ = Dataset::from_csv_reader(text.as_bytes(), "t.csv", None, "b", None);
            let options = CsvOptions::new("b").features(&["a"]).task(Task::Binary);
            let _ = Dataset::from_csv_reader_with(text.as_bytes(), "t.csv", &options.drop_missing(true));
        }
    }
}
