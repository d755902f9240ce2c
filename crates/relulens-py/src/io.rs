//! Model files from Python: `Mlp.save(path)` and `relulens.load(path)` call the library's
//! `io::save` and `io::load` (safetensors with PyTorch's `nn.Sequential` names).
//!
//! ```python
//! model.save("model.safetensors")
//! same = relulens.load("model.safetensors")
//! ```

use std::path::PathBuf;

use pyo3::prelude::*;

use crate::convert::type_name;
use crate::error::{error, guard, IntoPy, Kind};
use crate::model::Mlp;

/// A path argument: a `str` or an `os.PathLike`.
pub struct PathArg(pub PathBuf);

impl<'a, 'py> FromPyObject<'a, 'py> for PathArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        obj.extract::<PathBuf>().map(PathArg).map_err(|_| {
            error(
                Kind::Dtype,
                format!(
                    "expected a path (str or os.PathLike), got {}",
                    type_name(&obj)
                ),
            )
        })
    }
}

/// Writes `model` to `path`.
pub fn save(model: &relulens::model::Model, path: &PathArg) -> PyResult<()> {
    relulens::io::save(model, &path.0).py_err()
}

/// Reads the model in `path`.
pub fn load(path: &PathArg) -> PyResult<Mlp> {
    Ok(Mlp::from_model(relulens::io::load(&path.0).py_err()?))
}

/// The model in a file written by `Mlp.save`, by the CLI, or saved from a PyTorch
/// `nn.Sequential(Linear, ReLU, …, Linear)` state dict.
#[pyfunction(name = "load")]
#[pyo3(text_signature = "(path)")]
pub fn load_model(path: PathArg) -> PyResult<Mlp> {
    guard("load", || load(&path))
}
