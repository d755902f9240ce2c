//! Training: losses, optimisers with `torch.optim`'s rules, and the training loop.
//!
//! ```
//! use relulens::train::{Loss, OptimizerConfig};
//! assert_eq!("adam".parse::<OptimizerConfig>()?, OptimizerConfig::adam(0.001));
//! let (value, _) = Loss::Mse.evaluate(&[1.0f64], &[0.0], 1, 1)?;
//! assert_eq!(value, 1.0);
//! # Ok::<(), relulens::Error>(())
//! ```

mod adam_f32;
mod loss;
mod optimizer;
mod pipeline;
mod trainer;

pub use loss::Loss;
pub use optimizer::{Optimizer, OptimizerConfig};
pub use pipeline::{loss_for, train_model, Recipe, Trained};
pub use trainer::{
    evaluate, fit, EarlyStopping, EpochMetrics, History, Metrics, Split, TrainConfig,
};
