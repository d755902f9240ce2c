//! `penguins`: the Palmer penguins (CC0), a small real three-class dataset embedded in the library.
//!
//! The file `data/penguins.csv` is the one the `palmerpenguins` package ships (Horst, Hill & Gorman
//! 2020; data from Gorman, Williams & Fraser 2014, Palmer Station LTER), unchanged: 344 penguins.
//! It is read through the same code as any CSV file ([`Dataset::from_csv_reader_with`]) with the
//! four numeric measurements as features, `species` as a multiclass target, and the rows with a
//! missing value (`NA`) in those columns dropped: 2 rows, leaving [`ROWS`] = 342 (Adelie 151,
//! Chinstrap 68, Gentoo 123). The other columns (island, sex, year) are not used.
//!
//! ```
//! let penguins = relulens::data::penguins::load()?;
//! assert_eq!(penguins.to_string(), "Dataset(penguins: 342 rows, 4 features, multiclass)");
//! assert_eq!(penguins.class_labels(), ["Adelie", "Chinstrap", "Gentoo"]);
//! # Ok::<(), relulens::Error>(())
//! ```

use super::{CsvOptions, Dataset, Task};
use crate::error::Result;

/// The file as shipped by the `palmerpenguins` package.
pub const CSV: &str = include_str!("../../data/penguins.csv");

/// The features used, in this order.
pub const FEATURES: [&str; 4] = [
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
];

/// The number of rows left after dropping those with missing measurements.
pub const ROWS: usize = 342;

/// The penguins dataset (see the [module docs](self)); it is fixed, so it takes no seed.
///
/// # Errors
///
/// None in practice: the embedded file is read as any CSV file would be, and the tests check that
/// it reads.
pub fn load() -> Result<Dataset> {
    let options = CsvOptions::new("species")
        .features(&FEATURES)
        .task(Task::Multiclass)
        .drop_missing(true);
    let data = Dataset::from_csv_reader_with(CSV.as_bytes(), "penguins.csv", &options)?;
    Ok(data.with_description(
        "Palmer penguins (CC0; Horst, Hill & Gorman 2020, data Gorman, Williams & Fraser 2014, \
         Palmer Station LTER): bill length and depth, flipper length and body mass of 342 adult \
         penguins; target species (Adelie, Chinstrap, Gentoo). 2 rows with missing measurements \
         dropped.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_file_reads_with_the_documented_counts() {
        let data = load().unwrap();
        assert_eq!(data.n_rows(), ROWS);
        assert_eq!(data.feature_names(), FEATURES);
        assert_eq!(data.class_counts(), vec![151, 68, 123]);
        assert_eq!(CSV.lines().count(), 1 + 344);
        // First row of the file: Adelie, Torgersen, 39.1, 18.7, 181, 3750, male, 2007.
        assert_eq!(data.row(0), Some(&[39.1, 18.7, 181.0, 3750.0][..]));
        assert_eq!(data.target()[0], 0.0);
    }

    #[test]
    fn without_dropping_the_missing_rows_the_first_na_is_reported() {
        let err = Dataset::from_csv_reader(
            CSV.as_bytes(),
            "penguins.csv",
            Some(&FEATURES),
            "species",
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "penguins.csv: line 5, column \"bill_length_mm\": missing value \"NA\" \
             (rows with missing values can be dropped)"
        );
        // All columns as features: island is text.
        let err = Dataset::from_csv_reader(CSV.as_bytes(), "penguins.csv", None, "species", None)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "penguins.csv: line 2, column \"island\": cannot read \"Torgersen\" as a number"
        );
    }
}
