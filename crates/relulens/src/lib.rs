//! relulens: the ReLU activation function and the networks built from it, explained exactly.
//!
//! This crate is the library. [`activation`] holds ReLU and its family with PyTorch's exact
//! semantics: scalar values and derivatives generic over `f32`/`f64`, and slice kernels at memory speed.
//!
//! ```
//! use relulens::activation::Activation;
//! // ReLU is max(0, x): 0 for negative input, the input itself otherwise (a line of slope 1).
//! let relu = Activation::Relu;
//! assert_eq!([-2.0, 0.0, 3.0].map(|x: f64| relu.value(x)), [0.0, 0.0, 3.0]);
//! ```
#![deny(missing_docs)]

pub mod activation;
pub mod data;
mod error;
pub mod explain;
pub mod io;
pub mod model;
pub mod nn;
#[cfg(feature = "report")]
pub mod report;
pub mod rng;
pub mod train;

pub use error::{Error, Result};
