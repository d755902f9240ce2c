//! Model files: safetensors with PyTorch's `nn.Sequential` names, so a model moves between relulens
//! and PyTorch in both directions.
//!
//! [`save`] writes a [`Model`](crate::model::Model) atomically, its weights in its dtype and its
//! description (sizes, activations, feature names, task, scaler, history) as versioned JSON in the
//! file's metadata. [`load`] reads such a file, or a plain state dict saved from PyTorch, which it
//! reads as `Sequential(Linear, ReLU, …, Linear)`; [`load_with`] takes other activations. Every
//! problem with a file is a [`crate::Error`] naming the file and the tensor, never a panic.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::io::{self, Architecture};
//! use relulens::model::{Dtype, Model, ModelInfo};
//! use relulens::nn::MlpConfig;
//! # let dir = std::env::temp_dir().join(format!("relulens-io-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let mlp = MlpConfig::new(vec![2, 4, 1]).activation(Activation::Relu6).init::<f64>()?;
//! let model = Model::new(mlp.cast::<f32>().cast(), Dtype::F32, ModelInfo::default())?;
//! let path = dir.join("tiny.safetensors");
//! io::save(&model, &path)?;
//! // The metadata says relu6, so a plain load gives the same model back, bit for bit ...
//! assert_eq!(io::load(&path)?, model);
//! // ... and an explicit architecture overrides it.
//! let relu = io::load_with(&path, &Architecture::new())?;
//! assert_eq!(relu.mlp().activations(), [Activation::Relu, Activation::Identity]);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), relulens::Error>(())
//! ```

mod atomic;
mod metadata;
mod model_file;
mod safetensors;
mod state_dict;

use std::path::Path;

pub use atomic::write_atomic;
pub use metadata::{ModelMetadata, FORMAT_VERSION, METADATA_KEY};
pub use model_file::{load, load_with, save};
pub use safetensors::{dtype_name, SafeTensors, TensorInfo, MAX_HEADER_BYTES};
pub use state_dict::{sequential_indices, Architecture};

use crate::error::Error;

/// An [`Error::Io`] for operation `op` on `path`.
pub(crate) fn io_error(op: &'static str, path: &Path, err: &std::io::Error) -> Error {
    Error::Io {
        op,
        path: path.display().to_string(),
        kind: err.kind(),
        message: err.to_string(),
    }
}
