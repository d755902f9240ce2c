//! Datasets: a checked table type, CSV reading and writing, seeded splits, feature standardization
//! and the built-in sets (classic 2-D teaching sets, the article's `height_weight` example with its
//! known truth, and the Palmer penguins).
//!
//! A [`Dataset`] holds numeric features row-major in one `Vec<f64>` and one target value per row
//! (a value for regression, a class index for classification). Everything random is seeded, and
//! drawn so that a seed gives the same bits on every platform.
//!
//! ```
//! use relulens::data::{builtin, height_weight, Standardizer};
//!
//! let data = builtin::load("height_weight", 42)?;
//! assert_eq!(data.to_string(), "Dataset(height_weight: 2000 rows, 2 features, binary)");
//! let (train, validation) = data.split(0.2, 42)?;
//! let scaler = Standardizer::fit(&train);
//! let z = scaler.transform(&validation)?;
//! assert_eq!(z.n_rows(), 400);
//!
//! // The truth that explanations are checked against: the boundary weight = 27 kg/m² · height².
//! assert!(height_weight::boundary_weight(160.0) < height_weight::boundary_weight(185.0));
//! # Ok::<(), relulens::Error>(())
//! ```

pub mod builtin;
mod csv;
mod dataset;
pub mod height_weight;
pub mod penguins;
mod scaler;
mod split;
pub mod synthetic;
mod task;

pub use builtin::BuiltinInfo;
pub use csv::{CsvOptions, MAX_INFERRED_CLASSES, MISSING_TOKENS};
pub(crate) use dataset::first_repeat;
pub use dataset::{Dataset, DatasetParts};
pub use scaler::Standardizer;
pub use task::Task;
