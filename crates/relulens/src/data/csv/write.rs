//! Writing a [`Dataset`] as CSV, in the form the reader reads back.
//!
//! ```
//! let data = relulens::data::builtin::load("sine", 0)?;
//! let mut text = Vec::new();
//! data.write_csv(&mut text)?;
//! assert!(text.starts_with(b"x,y\n"));
//! # Ok::<(), relulens::Error>(())
//! ```

use std::fs::File;
use std::io::Write;
use std::path::Path;

use crate::data::Dataset;
use crate::error::{Error, Result};

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

    /// Writes the dataset as CSV to the file at `path` (see [`write_csv`](Self::write_csv)).
    ///
    /// # Errors
    ///
    /// [`Error::DataFile`] when the file cannot be created or written.
    pub fn to_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let file = File::create(path).map_err(|e| Error::DataFile {
            op: "write",
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        self.write_csv_named(file, &path.display().to_string())
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
    use crate::data::{Dataset, Task};

    #[test]
    fn a_file_round_trips_through_a_temporary_directory() {
        let data = crate::data::builtin::load("spiral", 3).unwrap();
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
}
