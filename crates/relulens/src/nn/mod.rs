//! Networks: [`Dense`] layers with PyTorch's `nn.Linear` semantics, the [`Mlp`] built from them, and
//! the forward and backward passes that training needs.
//!
//! ```
//! use relulens::nn::MlpConfig;
//! let mlp = MlpConfig::new(vec![2, 8, 1]).seed(0).init::<f64>()?;
//! let y = mlp.forward(&[1.0, 2.0], 1)?;
//! assert_eq!(y.len(), 1);
//! # Ok::<(), relulens::Error>(())
//! ```

mod backward;
mod dense;
pub mod matmul;
mod mlp;

pub use backward::{DenseGradient, ForwardCache, Gradients};
pub(crate) use dense::first_non_finite as dense_first_non_finite;
pub use dense::Dense;
pub use mlp::{Mlp, MlpConfig};
