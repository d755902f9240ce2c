//! The Python package `relulens`: this crate is its extension module, `relulens._relulens`.
//!
//! It converts and wraps; every algorithm is the `relulens` library's. Its modules mirror the
//! library's: [`activation`] (the activation functions on NumPy arrays), [`model`] (the `Mlp`
//! class), [`nn`], [`train`], [`data`], [`io`], [`explain`] and [`report`]; [`error`] maps the
//! library's errors to the exception classes of `relulens.errors`, and [`convert`] moves arrays
//! and arguments across.
//!
//! ```python
//! import relulens
//! print(relulens.relu([-1.0, 0.0, 2.0]))  # [0. 0. 2.]
//! ```

use pyo3::prelude::*;

mod activation;
mod convert;
mod data;
mod error;
mod explain;
mod io;
mod model;
mod nn;
mod report;
mod train;

/// The extension module; `python/relulens/__init__.py` re-exports its public names.
#[pymodule]
fn _relulens(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    activation::register(m)?;
    m.add_class::<model::Mlp>()?;
    m.add_class::<train::History>()?;
    m.add_class::<data::Dataset>()?;
    m.add_class::<explain::Kinks>()?;
    m.add_class::<explain::Regions>()?;
    m.add_class::<explain::Boundary>()?;
    m.add_class::<explain::local::LocalExplanation>()?;
    m.add_class::<explain::effect::EffectCurve>()?;
    m.add_class::<explain::interactions::Interactions>()?;
    m.add_class::<explain::health::NeuronHealth>()?;
    m.add_class::<explain::neuron::Neuron>()?;
    m.add_class::<explain::neuron::NeuronExplanation>()?;
    m.add_function(wrap_pyfunction!(io::load_model, m)?)?;
    m.add_function(wrap_pyfunction!(data::load_dataset, m)?)?;
    m.add_function(wrap_pyfunction!(data::list_datasets, m)?)?;
    Ok(())
}
