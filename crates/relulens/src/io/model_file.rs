//! Saving and loading a [`Model`]: its weights as a PyTorch `nn.Sequential` state dict in
//! safetensors, and its description as [`ModelMetadata`] in the file's `__metadata__`.
//!
//! A file written here loads in PyTorch with `safetensors.torch.load_file` and
//! `Sequential.load_state_dict`; a state dict saved from PyTorch loads here, with the activations
//! taken from an [`Architecture`] since PyTorch does not store them.
//!
//! ```
//! use relulens::io;
//! use relulens::model::{Dtype, Model, ModelInfo};
//! use relulens::nn::MlpConfig;
//! # let dir = std::env::temp_dir().join(format!("relulens-model-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let model = Model::new(MlpConfig::new(vec![2, 8, 1]).init::<f64>()?, Dtype::F64, ModelInfo::default())?;
//! let path = dir.join("model.safetensors");
//! io::save(&model, &path)?;
//! assert_eq!(io::load(&path)?, model);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), relulens::Error>(())
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use super::atomic::write_atomic;
use super::metadata::{self, ModelMetadata};
use super::safetensors::{dtype_name, round_to, serialize, SafeTensors, TensorInfo, TensorOut};
use super::state_dict::{find_layers, sequential_indices, Architecture};
use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::nn::{Dense, Mlp};

/// Saves `model` to `path` as safetensors, atomically: a reader sees the old file or the new one.
///
/// Tensors are named as in PyTorch's `nn.Sequential` (`0.weight` `[out, in]`, `0.bias` `[out]`,
/// `2.weight`, …; a PReLU's slope is `{index}.weight` `[1]`) and written in the model's dtype,
/// rounded to nearest. `__metadata__` holds `"format": "pt"` and `"relulens"`, the
/// [`ModelMetadata`] JSON.
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be written (nothing is left behind then),
/// [`Error::DtypeOverflow`] when a parameter is too large for the model's dtype (an F16 holds at
/// most 65504), [`Error::NonFinite`] when a parameter is NaN or infinite, and
/// [`Error::InvalidMetadata`] when the description does not survive JSON (a NaN in the history).
pub fn save(model: &Model, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let file = path.display().to_string();
    let mlp = model.mlp();
    let dtype = model.dtype();
    let prelu_slopes: Vec<[f64; 1]> = mlp
        .activations()
        .iter()
        .map(|act| match act {
            Activation::Prelu { weight } => [*weight],
            _ => [0.0],
        })
        .collect();
    let mut tensors = Vec::new();
    let indices = sequential_indices(mlp.activations());
    for (l, (layer, (linear, module))) in mlp.layers().iter().zip(indices).enumerate() {
        tensors.push(TensorOut {
            name: format!("{linear}.weight"),
            dtype,
            shape: vec![layer.out_dim(), layer.in_dim()],
            values: layer.weight(),
        });
        tensors.push(TensorOut {
            name: format!("{linear}.bias"),
            dtype,
            shape: vec![layer.out_dim()],
            values: layer.bias(),
        });
        if let (Some(module), Activation::Prelu { .. }) = (module, mlp.activations()[l]) {
            tensors.push(TensorOut {
                name: format!("{module}.weight"),
                dtype,
                shape: vec![1],
                values: &prelu_slopes[l],
            });
        }
    }
    for t in &tensors {
        check_representable(&file, t)?;
    }
    let meta = ModelMetadata::new(
        mlp.sizes(),
        mlp.activations().to_vec(),
        model.info().clone(),
    );
    let json = meta.to_json();
    // JSON has no NaN or infinity (serde_json writes them as null, which does not read back as a
    // number): refuse to write a file that would not load.
    if let Err(Error::InvalidMetadata { reason, .. }) = ModelMetadata::from_json(&json, &file) {
        return Err(Error::InvalidMetadata {
            file,
            reason: format!(
                "the model's description would not load back ({reason}); a NaN or infinity?"
            ),
        });
    }
    let metadata = BTreeMap::from([
        // What `safetensors.torch.save_file` writes; some tools check it.
        ("format".to_string(), "pt".to_string()),
        (metadata::METADATA_KEY.to_string(), json),
    ]);
    write_atomic(path, &serialize(&tensors, &metadata))
}

fn check_representable(file: &str, t: &TensorOut<'_>) -> Result<()> {
    for (index, &value) in t.values.iter().enumerate() {
        if !value.is_finite() {
            return Err(Error::NonFinite {
                op: "io::save",
                what: format!("tensor {:?} of {file}", t.name),
                index,
                value,
            });
        }
        if !round_to(t.dtype, value).is_finite() {
            return Err(Error::DtypeOverflow {
                file: file.to_string(),
                tensor: t.name.clone(),
                dtype: dtype_name(t.dtype),
                index,
                value,
            });
        }
    }
    Ok(())
}

/// Loads a model from a safetensors file: one written by [`save`], or a PyTorch state dict of an
/// `nn.Sequential(Linear, ReLU, …, Linear)` (read with [`Architecture::default`]).
///
/// The model's dtype is that of the tensors (the wider one if they differ); values are held
/// exactly in `f64`.
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read; the errors of [`SafeTensors::parse`] for a file that
/// is not valid safetensors; [`Error::UnexpectedTensors`], [`Error::MissingTensor`],
/// [`Error::MalformedTensor`], [`Error::LayerShapeMismatch`] and [`Error::UnsupportedDtype`] for
/// tensors that are not the layers of a Sequential; [`Error::NonFinite`] for a NaN or infinite
/// parameter; [`Error::InvalidMetadata`] when the relulens metadata is invalid or disagrees with
/// the tensors.
pub fn load(path: impl AsRef<Path>) -> Result<Model> {
    load_from(&SafeTensors::read(path)?, None)
}

/// Loads a model whose activations are given by `architecture` rather than read from the file:
/// for state dicts without relulens metadata that are not ReLU networks. When the file has
/// metadata, its description (feature names, task, …) is kept and its activations are replaced.
/// A PReLU slope stored in the file is used wherever one is found.
///
/// # Errors
///
/// As [`load`].
pub fn load_with(path: impl AsRef<Path>, architecture: &Architecture) -> Result<Model> {
    load_from(&SafeTensors::read(path)?, Some(architecture))
}

fn load_from(st: &SafeTensors, architecture: Option<&Architecture>) -> Result<Model> {
    let file = st.file();
    let found = find_layers(st)?;
    let sizes = found.sizes();
    let invalid = |reason: String| Error::InvalidMetadata {
        file: file.to_string(),
        reason,
    };
    let meta = st
        .metadata()
        .get(metadata::METADATA_KEY)
        .map(|text| ModelMetadata::from_json(text, file))
        .transpose()?;
    if let Some(meta) = &meta {
        if meta.sizes != sizes {
            return Err(invalid(format!(
                "it gives layer sizes {:?} but the tensors give {sizes:?}",
                meta.sizes
            )));
        }
        if meta.activations.len() != found.layers.len() {
            return Err(invalid(format!(
                "it gives {} activations for {} layers",
                meta.activations.len(),
                found.layers.len()
            )));
        }
    }
    let mut activations = match (architecture, &meta) {
        (Some(arch), _) => arch.activations(found.layers.len()),
        (None, Some(meta)) => meta.activations.clone(),
        (None, None) => Architecture::default().activations(found.layers.len()),
    };
    let mut layers = Vec::with_capacity(found.layers.len());
    for (l, layer) in found.layers.iter().enumerate() {
        let weight = finite_values(st, layer.weight)?;
        let bias = finite_values(st, layer.bias)?;
        layers.push(Dense::new(weight, bias)?);
        if let Some(slope) = layer.prelu {
            activations[l] = prelu_activation(st, slope, activations[l], architecture)?;
        }
    }
    let mlp = Mlp::new(layers, activations)?;
    let info = meta.map(|m| m.info).unwrap_or_default();
    Model::new(mlp, found.dtype, info).map_err(|e| invalid(e.to_string()))
}

/// The activation after a layer followed by a PReLU slope tensor. The tensor's value wins, but when
/// it is the rounding of the metadata's slope to the file's dtype, the metadata's exact slope is
/// kept, so a save and load gives back the same model.
fn prelu_activation(
    st: &SafeTensors,
    slope: &TensorInfo,
    stated: Activation,
    architecture: Option<&Architecture>,
) -> Result<Activation> {
    let value = finite_values(st, slope)?[0];
    match stated {
        Activation::Prelu { weight }
            if slope.float_dtype().map(|d| round_to(d, weight)) == Some(value) =>
        {
            Ok(stated)
        }
        Activation::Prelu { .. } => Ok(Activation::Prelu { weight: value }),
        _ if architecture.is_none() && st.metadata().contains_key(metadata::METADATA_KEY) => {
            Err(Error::InvalidMetadata {
                file: st.file().to_string(),
                reason: format!(
                    "tensor {:?} is a PReLU slope but the metadata gives activation {stated} there",
                    slope.name()
                ),
            })
        }
        _ => Ok(Activation::Prelu { weight: value }),
    }
}

fn finite_values(st: &SafeTensors, t: &TensorInfo) -> Result<Vec<f64>> {
    let values = st.values(t.name())?;
    if let Some(index) = values.iter().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            op: "io::load",
            what: format!("tensor {:?} of {}", t.name(), st.file()),
            index,
            value: values[index],
        });
    }
    Ok(values)
}
