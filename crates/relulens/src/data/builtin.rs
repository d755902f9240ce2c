//! The built-in datasets by name: [`list`] describes them, [`load`] makes one.
//!
//! The synthetic ones are drawn from a seed (the same seed gives the same rows on every platform);
//! `penguins` is fixed data and ignores the seed. Sizes are the defaults; the generator functions in
//! [`super::synthetic`] and [`super::height_weight`] take any size.
//!
//! ```
//! use relulens::data::builtin;
//! let names: Vec<&str> = builtin::list().iter().map(|info| info.name).collect();
//! assert_eq!(names, builtin::NAMES);
//! let data = builtin::load("height_weight", 0)?;
//! assert_eq!(data.to_string(), "Dataset(height_weight: 2000 rows, 2 features, binary)");
//! let err = builtin::load("iris", 0).unwrap_err();
//! assert!(err.to_string().contains("valid names: xor, circles"));
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use super::{height_weight, penguins, synthetic, Dataset, Task};
use crate::error::{Error, Result};

/// Every built-in dataset's name, in the order [`list`] gives them.
pub const NAMES: [&str; 8] = [
    "xor",
    "circles",
    "moons",
    "spiral",
    "gaussians",
    "sine",
    "height_weight",
    "penguins",
];

/// What a built-in dataset is, without making it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BuiltinInfo {
    /// The name [`load`] takes.
    pub name: &'static str,
    /// The number of rows.
    pub rows: usize,
    /// The number of features.
    pub features: usize,
    /// What the target asks for.
    pub task: Task,
    /// One sentence on the data.
    pub description: &'static str,
    /// The best accuracy any classifier can expect on the population, where it is known exactly
    /// from the generating distribution (`None` for real data, regression, or shapes without a
    /// closed form).
    pub bayes_accuracy: Option<f64>,
}

impl fmt::Display for BuiltinInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} rows, {} features, {}",
            self.name, self.rows, self.features, self.task
        )?;
        if let Some(accuracy) = self.bayes_accuracy {
            write!(f, ", Bayes accuracy {accuracy:.4}")?;
        }
        Ok(())
    }
}

/// Default sizes of the synthetic sets.
const XOR_ROWS: usize = 400;
const CIRCLES_ROWS: usize = 400;
const MOONS_ROWS: usize = 500;
const SPIRAL_ROWS: usize = 600;
const GAUSSIANS_ROWS: usize = 400;
const SINE_ROWS: usize = 400;

/// Every built-in dataset, described.
pub fn list() -> Vec<BuiltinInfo> {
    let info = |name, rows, features, task, description, bayes_accuracy| BuiltinInfo {
        name,
        rows,
        features,
        task,
        description,
        bayes_accuracy,
    };
    vec![
        info(
            "xor",
            XOR_ROWS,
            2,
            Task::Binary,
            "Four Gaussian blobs at (+-1, +-1), sigma 0.5; class 1 where the signs differ.",
            Some(synthetic::xor_bayes_accuracy()),
        ),
        info(
            "circles",
            CIRCLES_ROWS,
            2,
            Task::Binary,
            "Two concentric rings, radius 0.5 and 1, noise sigma 0.1.",
            None,
        ),
        info(
            "moons",
            MOONS_ROWS,
            2,
            Task::Binary,
            "Two interleaved half circles, noise sigma 0.1.",
            None,
        ),
        info(
            "spiral",
            SPIRAL_ROWS,
            2,
            Task::Multiclass,
            "Three spiral arms, angle noise sigma 0.2 rad.",
            None,
        ),
        info(
            "gaussians",
            GAUSSIANS_ROWS,
            2,
            Task::Binary,
            "Two Gaussian blobs at (-1, -1) and (1, 1), sigma 1.",
            Some(synthetic::gaussians_bayes_accuracy()),
        ),
        info(
            "sine",
            SINE_ROWS,
            1,
            Task::Regression,
            "y = sin(x) + noise sigma 0.1, x uniform in [-pi, pi].",
            None,
        ),
        info(
            "height_weight",
            height_weight::DEFAULT_ROWS,
            2,
            Task::Binary,
            "Adults' height and weight; elevated risk drawn with probability \
             sigmoid(1.5 * (BMI - 27)).",
            Some(height_weight::bayes_accuracy()),
        ),
        info(
            "penguins",
            penguins::ROWS,
            4,
            Task::Multiclass,
            "Palmer penguins (CC0): four body measurements, three species.",
            None,
        ),
    ]
}

/// The built-in dataset called `name` (ignoring case and surrounding whitespace), drawn with
/// `seed` where it is synthetic.
///
/// # Errors
///
/// [`Error::UnknownDataset`] for any other name; the message lists the valid ones.
pub fn load(name: &str, seed: u64) -> Result<Dataset> {
    match name.trim().to_ascii_lowercase().as_str() {
        "xor" => synthetic::xor(XOR_ROWS, seed),
        "circles" => synthetic::circles(CIRCLES_ROWS, seed),
        "moons" => synthetic::moons(MOONS_ROWS, seed),
        "spiral" => synthetic::spiral(SPIRAL_ROWS, seed),
        "gaussians" => synthetic::gaussians(GAUSSIANS_ROWS, seed),
        "sine" => synthetic::sine(SINE_ROWS, seed),
        "height_weight" => height_weight::generate(height_weight::DEFAULT_ROWS, seed),
        "penguins" => penguins::load(),
        _ => Err(Error::UnknownDataset {
            name: name.to_string(),
            valid: NAMES.join(", "),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_dataset_loads_as_described() {
        for info in list() {
            let data = load(info.name, 0).unwrap();
            assert_eq!(data.name(), info.name);
            assert_eq!(data.n_rows(), info.rows, "{}", info.name);
            assert_eq!(data.n_features(), info.features, "{}", info.name);
            assert_eq!(data.task(), info.task, "{}", info.name);
            if let Some(accuracy) = info.bayes_accuracy {
                assert!((0.5..1.0).contains(&accuracy));
            }
        }
        assert_eq!(
            load(" Height_Weight ", 3).unwrap(),
            load("height_weight", 3).unwrap()
        );
    }

    #[test]
    fn an_unknown_name_lists_the_valid_ones() {
        assert_eq!(
            load("iris", 0).unwrap_err().to_string(),
            "unknown dataset \"iris\"; valid names: xor, circles, moons, spiral, gaussians, sine, \
             height_weight, penguins"
        );
    }

    #[test]
    fn every_dataset_round_trips_through_csv_text() {
        for name in NAMES {
            let data = load(name, 8).unwrap();
            let mut text = Vec::new();
            data.write_csv(&mut text).unwrap();
            let back = Dataset::from_csv_reader(
                &text[..],
                &format!("{name}.csv"),
                None,
                data.target_name(),
                Some(data.task()),
            )
            .unwrap();
            assert_eq!(back.rows(), data.rows(), "{name}");
            assert_eq!(back.target(), data.target(), "{name}");
            assert_eq!(back.class_labels(), data.class_labels(), "{name}");
            assert_eq!(back.feature_names(), data.feature_names(), "{name}");
        }
    }

    #[test]
    fn the_listing_displays_compactly() {
        let xor = &list()[0];
        assert_eq!(
            xor.to_string(),
            "xor: 400 rows, 2 features, binary, Bayes accuracy 0.9555"
        );
    }
}
