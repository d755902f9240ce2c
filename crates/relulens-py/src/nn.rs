//! Networks across the boundary: an `Mlp`'s layers as NumPy arrays (for `weights`, `state_dict`
//! and `to_torch`), and a network built from arrays that come from outside (for `from_torch`),
//! checked by the library's `Dense::new` and `Mlp::new`.
//!
//! ```python
//! model = relulens.Mlp([2, 4, 1])
//! [w.shape for w in model.weights]      # [(4, 2), (1, 4)]
//! list(model.state_dict())              # ['0.weight', '0.bias', '2.weight', '2.bias']
//! ```

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use relulens::activation::Activation;
use relulens::model::{Dtype, Model, ModelInfo};
use relulens::nn::{Dense, Mlp as Network};

use crate::convert::{f64_array, to_array, type_name, Text};
use crate::error::{error, IntoPy, Kind};
use crate::model::Mlp;
use numpy::{PyArrayMethods, PyUntypedArrayMethods};

/// NumPy's name for a model's dtype.
pub fn dtype_name(dtype: Dtype) -> &'static str {
    match dtype {
        Dtype::F16 => "float16",
        Dtype::BF16 => "bfloat16",
        Dtype::F32 => "float32",
        Dtype::F64 => "float64",
    }
}

/// A dtype by NumPy's or PyTorch's name (`"float32"`, `"torch.float32"`, `"f32"`).
pub fn parse_dtype(name: &str) -> PyResult<Dtype> {
    match name.trim().trim_start_matches("torch.") {
        "float16" | "f16" | "half" => Ok(Dtype::F16),
        "bfloat16" | "bf16" => Ok(Dtype::BF16),
        "float32" | "f32" | "float" => Ok(Dtype::F32),
        "float64" | "f64" | "double" => Ok(Dtype::F64),
        other => Err(error(
            Kind::Dtype,
            format!("unknown dtype {other:?}; valid: float16, bfloat16, float32, float64"),
        )),
    }
}

/// Each layer's weight `[out, in]`.
pub fn weights<'py>(py: Python<'py>, mlp: &Network<f64>) -> Vec<Bound<'py, PyAny>> {
    mlp.layers()
        .iter()
        .map(|l| to_array(py, l.weight().to_vec(), &[l.out_dim(), l.in_dim()]).into_any())
        .collect()
}

/// Each layer's bias `[out]`.
pub fn biases<'py>(py: Python<'py>, mlp: &Network<f64>) -> Vec<Bound<'py, PyAny>> {
    mlp.layers()
        .iter()
        .map(|l| to_array(py, l.bias().to_vec(), &[l.out_dim()]).into_any())
        .collect()
}

/// The parameters under `nn.Sequential` names (the library's `sequential_indices`): each
/// `Linear`'s weight and bias, and a PReLU module's slope as its one-element `weight`.
pub fn state_dict<'py>(py: Python<'py>, mlp: &Network<f64>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    let indices = relulens::io::sequential_indices(mlp.activations());
    let layers = weights(py, mlp).into_iter().zip(biases(py, mlp));
    for (((linear, module), (w, b)), act) in indices.iter().zip(layers).zip(mlp.activations()) {
        dict.set_item(format!("{linear}.weight"), w)?;
        dict.set_item(format!("{linear}.bias"), b)?;
        if let (Some(m), Activation::Prelu { weight }) = (module, act) {
            dict.set_item(format!("{m}.weight"), to_array(py, vec![*weight], &[1]))?;
        }
    }
    Ok(dict)
}

/// Per layer: `(weight, bias, activation name, {parameter: value})`.
pub fn layers<'py>(py: Python<'py>, mlp: &Network<f64>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let mut out = Vec::new();
    for ((w, b), act) in weights(py, mlp)
        .into_iter()
        .zip(biases(py, mlp))
        .zip(mlp.activations())
    {
        let params = PyDict::new(py);
        for (key, value) in act.params() {
            params.set_item(key, value)?;
        }
        out.push((w, b, act.name(), params).into_pyobject(py)?.into_any());
    }
    Ok(out)
}

/// The items of a Python sequence (not a string).
fn items<'py>(what: &str, obj: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if obj.is_instance_of::<PyString>() {
        return Err(error(
            Kind::Dtype,
            format!("{what} must be a sequence, got str"),
        ));
    }
    let iter = obj.try_iter().map_err(|_| {
        error(
            Kind::Dtype,
            format!(
                "{what} must be a sequence, got {}",
                type_name(&obj.as_borrowed())
            ),
        )
    })?;
    iter.collect()
}

/// A list of strings.
pub fn strings(what: &str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    items(what, obj)?
        .iter()
        .map(|item| {
            item.extract::<Text>()
                .map(|t| t.0)
                .map_err(|_| error(Kind::Dtype, format!("{what} must hold strings")))
        })
        .collect()
}

/// A model from per-layer arrays and activation names, with the given dtype and feature names.
pub fn from_layers(
    weights: &Bound<'_, PyAny>,
    biases: &Bound<'_, PyAny>,
    activations: &Bound<'_, PyAny>,
    dtype: Option<Text>,
    feature_names: Option<&Bound<'_, PyAny>>,
) -> PyResult<Mlp> {
    let op = "from_torch";
    let weights = items("weights", weights)?;
    let biases = items("biases", biases)?;
    let activations = strings("activations", activations)?;
    if weights.len() != biases.len() || weights.len() != activations.len() {
        return Err(error(
            Kind::Network,
            format!(
                "{op}: {} weights, {} biases and {} activations; one of each per layer is needed",
                weights.len(),
                biases.len(),
                activations.len()
            ),
        ));
    }
    let mut layers = Vec::new();
    for (i, (w, b)) in weights.iter().zip(&biases).enumerate() {
        let w = f64_array(op, "weight", w)?;
        let b = f64_array(op, "bias", b)?;
        let (ws, bs) = (w.shape().to_vec(), b.shape().to_vec());
        if ws.len() != 2 || bs.len() != 1 || ws[0] != bs[0] {
            return Err(error(
                Kind::Shape,
                format!(
                    "{op}: layer {i} has weight of shape {ws:?} and bias of shape {bs:?}; \
                     expected [out, in] and [out]"
                ),
            ));
        }
        let w: Vec<f64> = w.readonly().as_array().iter().copied().collect();
        let b: Vec<f64> = b.readonly().as_array().iter().copied().collect();
        layers.push(Dense::new(w, b).py_err()?);
    }
    let activations: Vec<Activation> = activations
        .iter()
        .map(|a| a.parse::<Activation>())
        .collect::<Result<_, _>>()
        .py_err()?;
    let mlp = Network::new(layers, activations).py_err()?;
    let dtype = match dtype {
        Some(Text(name)) => parse_dtype(&name)?,
        None => Dtype::F32,
    };
    let info = ModelInfo {
        feature_names: match feature_names {
            Some(names) => strings("feature_names", names)?,
            None => Vec::new(),
        },
        ..ModelInfo::default()
    };
    Ok(Mlp::from_model(Model::new(mlp, dtype, info).py_err()?))
}
