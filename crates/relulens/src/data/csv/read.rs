//! Reading the used columns of a CSV file into numbers, with errors that say where.
//!
//! ```
//! use relulens::data::Dataset;
//! let err = Dataset::from_csv_reader("a,b\n1,0\n2\n".as_bytes(), "t.csv", None, "b", None)
//!     .unwrap_err();
//! assert_eq!(err.to_string(), "t.csv: line 3: expected 2 fields, got 1");
//! ```

use std::io::Read;

use super::{CsvOptions, MISSING_TOKENS};
use crate::error::{Error, Result};

/// The used columns of a CSV file, before the target is interpreted.
pub(super) struct Table {
    pub(super) feature_names: Vec<String>,
    pub(super) rows: Vec<f64>,
    /// Each kept row's target cell, trimmed.
    pub(super) targets: Vec<String>,
    /// Each kept row's line in the file.
    pub(super) lines: Vec<usize>,
    pub(super) dropped: usize,
}

fn is_missing(text: &str) -> bool {
    MISSING_TOKENS.iter().any(|m| m.eq_ignore_ascii_case(text))
}

/// `text` as a finite number, or the error that names where it is.
pub(super) fn number(text: &str, file: &str, line: usize, column: &str) -> Result<f64> {
    let parsed = text.parse::<f64>();
    if let Ok(value) = parsed {
        if value.is_finite() {
            return Ok(value);
        }
    }
    let (file, column, text) = (file.to_string(), column.to_string(), text.to_string());
    Err(match parsed {
        Ok(_) => Error::CsvNonFinite {
            file,
            line,
            column,
            text,
        },
        Err(_) if is_missing(&text) => Error::CsvMissingValue {
            file,
            line,
            column,
            text,
        },
        Err(_) => Error::CsvNonNumeric {
            file,
            line,
            column,
            text,
        },
    })
}

/// The index of the one header column called `column`.
fn find_column(header: &[String], column: &str, file: &str) -> Result<usize> {
    let mut hits = header.iter().enumerate().filter(|(_, h)| *h == column);
    match (hits.next(), hits.next()) {
        (Some((i, _)), None) => Ok(i),
        (Some(_), Some(_)) => Err(Error::CsvColumns {
            file: file.to_string(),
            reason: format!("the header names column {column:?} more than once"),
        }),
        (None, _) => Err(Error::CsvMissingColumn {
            file: file.to_string(),
            column: column.to_string(),
            available: header.join(", "),
        }),
    }
}

pub(super) fn read_table(reader: impl Read, file: &str, options: &CsvOptions) -> Result<Table> {
    let mut csv = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(reader);
    let mut records = csv.records();
    let syntax = |e: ::csv::Error, line: usize| Error::CsvSyntax {
        file: file.to_string(),
        line: e.position().map_or(line, |p| p.line() as usize),
        reason: match e.kind() {
            ::csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 ({err})"),
            ::csv::ErrorKind::Io(io) => io.to_string(),
            _ => e.to_string(),
        },
    };
    let header: Vec<String> = match records.next() {
        None => Vec::new(),
        Some(record) => record
            .map_err(|e| syntax(e, 1))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect(),
    };
    if header.iter().all(String::is_empty) {
        return Err(Error::CsvEmptyHeader {
            file: file.to_string(),
        });
    }
    let columns_error = |reason: String| Error::CsvColumns {
        file: file.to_string(),
        reason,
    };
    // An empty target name reads the features alone (for prediction).
    let target = if options.target.is_empty() {
        None
    } else {
        Some(find_column(&header, &options.target, file)?)
    };
    let feature_names: Vec<String> = match &options.features {
        Some(names) => {
            if let Some(name) = names.iter().find(|n| **n == options.target) {
                return Err(columns_error(format!(
                    "the target {name:?} cannot also be a feature"
                )));
            }
            if let Some((_, name)) = names
                .iter()
                .enumerate()
                .find(|(i, n)| names[..*i].contains(n))
            {
                return Err(columns_error(format!(
                    "feature {name:?} is asked for twice"
                )));
            }
            names.clone()
        }
        None => header
            .iter()
            .enumerate()
            .filter(|&(j, _)| Some(j) != target)
            .map(|(_, h)| h.clone())
            .collect(),
    };
    if feature_names.is_empty() {
        return Err(columns_error(format!(
            "no feature columns besides the target {:?}",
            options.target
        )));
    }
    let feature_columns = feature_names
        .iter()
        .map(|name| find_column(&header, name, file))
        .collect::<Result<Vec<usize>>>()?;

    let mut table = Table {
        rows: Vec::new(),
        targets: Vec::new(),
        lines: Vec::new(),
        dropped: 0,
        feature_names,
    };
    let mut last_line = 1;
    let mut row = Vec::with_capacity(feature_columns.len());
    for record in records {
        let record = record.map_err(|e| syntax(e, last_line + 1))?;
        let line = record
            .position()
            .map_or(last_line + 1, |p| p.line() as usize);
        last_line = line;
        if record.len() != header.len() {
            return Err(Error::CsvRaggedRow {
                file: file.to_string(),
                line,
                expected: header.len(),
                got: record.len(),
            });
        }
        let used = feature_columns.iter().chain(target.as_ref());
        if options.drop_missing && used.clone().any(|&j| is_missing(&record[j])) {
            table.dropped += 1;
            continue;
        }
        row.clear();
        for (&j, name) in feature_columns.iter().zip(&table.feature_names) {
            row.push(number(&record[j], file, line, name)?);
        }
        table.rows.extend_from_slice(&row);
        if let Some(t) = target {
            table.targets.push(record[t].to_string());
        }
        table.lines.push(line);
    }
    if table.lines.is_empty() {
        return Err(Error::CsvNoRows {
            file: file.to_string(),
            dropped: table.dropped,
        });
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;

    fn read(text: &str, features: Option<&[&str]>, target: &str) -> Result<Dataset> {
        Dataset::from_csv_reader(text.as_bytes(), "t.csv", features, target, None)
    }

    fn message(text: &str, target: &str) -> String {
        read(text, None, target).unwrap_err().to_string()
    }

    #[test]
    fn a_missing_column_lists_the_available_ones() {
        assert_eq!(
            message("a,b\n1,2\n", "c"),
            "t.csv: no column \"c\"; available columns: a, b"
        );
        let err = read("a,b\n1,2\n", Some(&["z"]), "b").unwrap_err();
        assert!(matches!(err, Error::CsvMissingColumn { ref column, .. } if column == "z"));
    }

    #[test]
    fn a_non_numeric_cell_names_line_column_and_text() {
        assert_eq!(
            message("a,b\n1,0\n2,1\n1;5,0\n", "b"),
            "t.csv: line 4, column \"a\": cannot read \"1;5\" as a number"
        );
    }

    #[test]
    fn nan_and_infinite_cells_are_refused() {
        for cell in ["NaN", "inf", "-infinity", "1e999"] {
            let err = read(&format!("a,b\n1,0\n{cell},1\n"), None, "b").unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("t.csv: line 3, column \"a\": {cell:?} is not a finite number")
            );
        }
        let err = read("a,b\n1,inf\n2,0.5\n", None, "b").unwrap_err();
        assert!(matches!(err, Error::CsvNonFinite { line: 2, .. }), "{err}");
    }

    #[test]
    fn missing_cells_are_errors_unless_dropped() {
        let text = "a,b,c\n1,,x\nNA,2,y\n3,4,x\n5,6,NA\n7,8,y\n";
        assert_eq!(
            message(text, "c"),
            "t.csv: line 2, column \"b\": missing value \"\" (rows with missing values can be dropped)"
        );
        let options = CsvOptions::new("c").drop_missing(true);
        let data = Dataset::from_csv_reader_with(text.as_bytes(), "t.csv", &options).unwrap();
        assert_eq!(data.rows(), [3.0, 4.0, 7.0, 8.0]);
        assert_eq!(data.class_labels(), ["x", "y"]);
        assert!(data.description().contains("3 with missing values dropped"));
        // A missing cell in a column that is not used does not drop the row.
        let options = options.features(&["a"]);
        let data = Dataset::from_csv_reader_with(text.as_bytes(), "t.csv", &options).unwrap();
        assert_eq!(data.rows(), [1.0, 3.0, 7.0]);
    }

    #[test]
    fn ragged_rows_are_refused_with_their_line() {
        assert_eq!(
            message("a,b\n1,2\n3\n", "b"),
            "t.csv: line 3: expected 2 fields, got 1"
        );
        // Quoted newlines count as lines of the file.
        assert_eq!(
            message("a,b\n1,\"x\ny\"\n3,4,5\n", "b"),
            "t.csv: line 4: expected 2 fields, got 3"
        );
    }

    #[test]
    fn a_file_without_rows_or_header_is_refused() {
        assert_eq!(
            message("a,b\n", "b"),
            "t.csv: no data rows (0 dropped for missing values)"
        );
        assert_eq!(message("", "b"), "t.csv: no header row");
        assert_eq!(message(" , \n1,2\n", "b"), "t.csv: no header row");
        let options = CsvOptions::new("b").drop_missing(true);
        let err = Dataset::from_csv_reader_with("a,b\nNA,1\n".as_bytes(), "t.csv", &options);
        assert_eq!(
            err.unwrap_err().to_string(),
            "t.csv: no data rows (1 dropped for missing values)"
        );
    }

    #[test]
    fn bad_column_choices_are_refused() {
        let err = |f: &[&str]| read("a,b,c\n1,2,3\n", Some(f), "c").unwrap_err();
        assert!(err(&["a", "c"])
            .to_string()
            .contains("cannot also be a feature"));
        assert!(err(&["a", "a"]).to_string().contains("asked for twice"));
        assert!(err(&[]).to_string().contains("no feature columns"));
        assert!(message("a,a,c\n1,2,3\n", "c").contains("more than once"));
        assert!(message("c\n1\n", "c").contains("no feature columns"));
    }

    #[test]
    fn a_byte_order_mark_and_invalid_utf8_are_handled() {
        let data = read("\u{feff}a,b\n1,0\n2,1\n", None, "b").unwrap();
        assert_eq!(data.feature_names(), ["a"]);
        let bytes = b"a,b\n1,0\n\xff,1\n";
        let err = Dataset::from_csv_reader(&bytes[..], "t.csv", None, "b", None).unwrap_err();
        assert!(matches!(err, Error::CsvSyntax { line: 3, .. }), "{err}");
    }
}
