//! Writing a [`Dataset`] as CSV, in the form the reader reads back.
//!
//! ```
//! let data = relulens::data::builtin::load("sine", 0)?;
//! let mut text = Vec::new();
//! data.write_csv(&mut text)?;
//! assert!(text.starts_with(b"x,y\n"));
//! # Ok::<(), relulens::Error>(())
//! ```

use std::io::Write;
use std::path::Path;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::io::write_atomic;

impl Dataset {
    /// Writes the dataset as CSV: the features, then the target (as its class label for
    /// classification). Reading it back with the same task gives the same dataset when the class
    /// labels are in the order the reader sorts them, as they are for every built-in dataset.
    ///
    /// # Errors
    ///
    /// [`Error::DataFile`] when writing fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let data = relulens::data::builtin::load("xor", 1)?;
    /// let mut text = Vec::new();
    /// data.write_csv(&mut text)?;
    /// assert!(text.starts_with(b"x1,x2,class\n"));
    /// let back = relulens::data::Dataset::from_csv_reader(&text[..], "xor.csv", None, "class", None)?;
    /// assert_eq!(back.rows(), data.rows()); // bit for bit: shortest round-trip decimals
    /// # Ok::<(), relulens::Error>(())
    /// ```
    pub fn write_csv(&self, writer: impl Write) -> Result<()> {
        self.write_csv_named(writer, "CSV output")
    }

    /// Writes the dataset as CSV to the file at `path` (see [`write_csv`](Self::write_csv)),
    /// atomically: a reader sees the old file or the new one, never a part (see
    /// [`write_atomic`](crate::io::write_atomic)).
    ///
    /// # Errors
    ///
    /// [`Error::DataFile`] when the file cannot be written; nothing is left behind then.
    pub fn to_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let mut bytes = Vec::new();
        self.write_csv_named(&mut bytes, &name)?;
        write_atomic(path, &bytes).map_err(|e| match e {
            Error::Io { message, .. } => Error::DataFile {
                op: "write",
                path: name,
                reason: message,
            },
            other => other,
        })
    }

    fn write_csv_named(&self, writer: impl Write, name: &str) -> Result<()> {
        let fail = |e: &dyn std::fmt::Display| Error::DataFile {
            op: "write",
            path: name.to_string(),
            reason: e.to_string(),
        };
        let mut out = ::csv::Writer::from_writer(writer);
        let header = self.feature_names().iter().map(String::as_str);
        out.write_record(header.chain([self.target_name()]))
            .map_err(|e| fail(&e))?;
        let mut record = Vec::with_capacity(self.n_features() + 1);
        for (row, &y) in self.iter_rows().zip(self.target()) {
            record.clear();
            record.extend(row.iter().map(|v| v.to_string()));
            record.push(if self.task().is_classification() {
                self.class_labels()[y as usize].clone()
            } else {
                y.to_string()
            });
            out.write_record(&record).map_err(|e| fail(&e))?;
        }
        out.flush().map_err(|e| fail(&e))
    }
}

#[cfg(test)]
mod tests {
    use crate::data::{builtin, Dataset, Task};

    #[test]
    fn a_file_round_trips_through_a_temporary_directory() {
        let data = builtin::load("spiral", 3).unwrap();
        let path = std::env::temp_dir().join(format!(
            "relulens-data-roundtrip-{}-{:?}.csv",
            std::process::id(),
            std::thread::current().id()
        ));
        data.to_csv(&path).unwrap();
        let back = Dataset::from_csv(&path, None, "class", Some(Task::Multiclass));
        std::fs::remove_file(&path).unwrap();
        let back = back.unwrap();
        assert_eq!(back.rows(), data.rows());
        assert_eq!(back.target(), data.target());
        assert_eq!(back.class_labels(), data.class_labels());
        assert_eq!(back.feature_names(), data.feature_names());
    }

    #[test]
    fn to_csv_replaces_the_file_rather_than_writing_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.csv");
        std::fs::write(&path, "old contents\n").unwrap();
        // A second name for the old file: a reader that opened it before the write. An atomic
        // replacement leaves it whole; writing into the file in place would change it.
        let reader = dir.path().join("reader.csv");
        std::fs::hard_link(&path, &reader).unwrap();
        let data = builtin::load("xor", 1).unwrap();
        data.to_csv(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&reader).unwrap(), "old contents\n");
        let mut expected = Vec::new();
        data.write_csv(&mut expected).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), expected);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "no temporary file is left behind");
    }

    #[test]
    fn to_csv_into_a_missing_directory_fails_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no").join("data.csv");
        let err = builtin::load("xor", 1).unwrap().to_csv(&path).unwrap_err();
        assert!(matches!(err, crate::Error::DataFile { .. }), "{err:?}");
        assert!(err.to_string().contains("data.csv"), "{err}");
    }
}
