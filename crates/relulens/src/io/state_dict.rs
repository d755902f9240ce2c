//! PyTorch's names for an `nn.Sequential` of `Linear` layers and activations, both ways.
//!
//! In a `Sequential` every module takes the next index, and a module's parameters are named
//! `{index}.{parameter}`: `Sequential(Linear(2, 8), ReLU(), Linear(8, 1))` has `0.weight` `[8, 2]`,
//! `0.bias` `[8]`, `2.weight` `[1, 8]` and `2.bias` `[1]`. ReLU has no parameters, so index 1 names
//! no tensor; `PReLU` has one, `{index}.weight` of shape `[1]`. A Sequential kept as an attribute adds
//! a prefix (`net.0.weight`), and a `ModuleList` of layers with the activation applied in `forward`
//! has consecutive indices (`model.layers.0.weight`, `model.layers.1.weight`).
//!
//! Reading finds every `N.weight`/`N.bias` pair under one common prefix, orders them by N and checks
//! that the shapes chain; anything else in the file is an error, never silently dropped. Which
//! activations sit between the layers is not in the names: an [`Architecture`] says it, ReLU between
//! layers and the identity at the end by default.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::io::{sequential_indices, Architecture};
//! // Sequential(Linear, ReLU, Linear, ReLU, Linear): the Linear layers are modules 0, 2 and 4.
//! let acts = [Activation::Relu, Activation::Relu, Activation::Identity];
//! let layers: Vec<usize> = sequential_indices(&acts).iter().map(|(linear, _)| *linear).collect();
//! assert_eq!(layers, [0, 2, 4]);
//! assert_eq!(Architecture::default().to_string(), "Architecture(relu, output identity)");
//! ```

use core::fmt;
use std::collections::BTreeMap;

use super::safetensors::{SafeTensors, TensorInfo};
use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::model::Dtype;

/// The activations of a network whose file does not say them: one after every hidden layer and one
/// after the output layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Architecture {
    /// The activation after every layer but the last (ReLU by default).
    pub activation: Activation,
    /// The activation after the last layer (the identity by default: the network outputs logits or
    /// values).
    pub output_activation: Activation,
}

impl Default for Architecture {
    fn default() -> Self {
        Architecture {
            activation: Activation::Relu,
            output_activation: Activation::Identity,
        }
    }
}

impl Architecture {
    /// ReLU between the layers, the identity after the last: `Sequential(Linear, ReLU, …, Linear)`.
    pub fn new() -> Self {
        Architecture::default()
    }

    /// The same with another activation between the layers.
    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = activation;
        self
    }

    /// The same with another activation after the last layer.
    pub fn output_activation(mut self, activation: Activation) -> Self {
        self.output_activation = activation;
        self
    }

    /// One activation per layer for a network of `layers` layers.
    pub fn activations(&self, layers: usize) -> Vec<Activation> {
        (0..layers)
            .map(|l| {
                if l + 1 == layers {
                    self.output_activation
                } else {
                    self.activation
                }
            })
            .collect()
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Architecture({}, output {})",
            self.activation, self.output_activation
        )
    }
}

/// The `nn.Sequential` indices of a network with these activations, one per layer: the `Linear`
/// module's index and, unless the activation is the identity (which has no module), the
/// activation module's index.
pub fn sequential_indices(activations: &[Activation]) -> Vec<(usize, Option<usize>)> {
    let mut next = 0;
    activations
        .iter()
        .map(|act| {
            let linear = next;
            next += 1;
            let module = (*act != Activation::Identity).then(|| {
                next += 1;
                next - 1
            });
            (linear, module)
        })
        .collect()
}

/// A `Linear` layer found in a state dict, with the PReLU slope that follows it, if any.
#[derive(Debug)]
pub(crate) struct FoundLayer<'a> {
    pub weight: &'a TensorInfo,
    pub bias: &'a TensorInfo,
    pub prelu: Option<&'a TensorInfo>,
}

impl FoundLayer<'_> {
    pub fn in_dim(&self) -> usize {
        self.weight.shape()[1]
    }

    pub fn out_dim(&self) -> usize {
        self.weight.shape()[0]
    }
}

/// The layers of a state dict, in order, and the dtype that holds all their values.
#[derive(Debug)]
pub(crate) struct FoundLayers<'a> {
    pub layers: Vec<FoundLayer<'a>>,
    pub dtype: Dtype,
}

impl FoundLayers<'_> {
    /// Layer widths, input first.
    pub fn sizes(&self) -> Vec<usize> {
        std::iter::once(self.layers[0].in_dim())
            .chain(self.layers.iter().map(FoundLayer::out_dim))
            .collect()
    }
}

/// `prefix.N.param` split into its parts; `None` unless N is a canonical decimal number.
fn split_name(name: &str) -> Option<(&str, usize, &str)> {
    let (rest, param) = name.rsplit_once('.')?;
    let (prefix, index) = match rest.rsplit_once('.') {
        Some((prefix, index)) => (&name[..prefix.len() + 1], index),
        None => ("", rest),
    };
    let canonical = !index.is_empty()
        && index.bytes().all(|b| b.is_ascii_digit())
        && (index == "0" || !index.starts_with('0'));
    if !canonical {
        return None;
    }
    Some((prefix, index.parse().ok()?, param))
}

#[derive(Default)]
struct Slot<'a> {
    weight: Option<&'a TensorInfo>,
    bias: Option<&'a TensorInfo>,
}

fn shape_text(shape: &[usize]) -> String {
    format!("{shape:?}")
}

/// Finds the `Linear` layers (and PReLU slopes) of a state dict saved from an `nn.Sequential`.
pub(crate) fn find_layers(st: &SafeTensors) -> Result<FoundLayers<'_>> {
    let file = st.file();
    let mut groups: BTreeMap<&str, BTreeMap<usize, Slot<'_>>> = BTreeMap::new();
    let mut unexpected: Vec<&str> = Vec::new();
    for t in st.tensors() {
        match split_name(t.name()) {
            Some((prefix, index, param @ ("weight" | "bias"))) => {
                let slot = groups.entry(prefix).or_default().entry(index).or_default();
                if param == "weight" {
                    slot.weight = Some(t);
                } else {
                    slot.bias = Some(t);
                }
            }
            _ => unexpected.push(t.name()),
        }
    }
    // The prefix with the most tensors holds the network; the first in name order on a tie.
    let count = |slots: &BTreeMap<usize, Slot<'_>>| {
        slots
            .values()
            .map(|s| usize::from(s.weight.is_some()) + usize::from(s.bias.is_some()))
            .sum::<usize>()
    };
    let main = groups
        .iter()
        .rev()
        .max_by_key(|(_, slots)| count(slots))
        .map(|(prefix, _)| *prefix);
    for (prefix, slots) in &groups {
        if Some(*prefix) != main {
            for slot in slots.values() {
                unexpected.extend(slot.weight.iter().chain(&slot.bias).map(|t| t.name()));
            }
        }
    }
    if !unexpected.is_empty() {
        unexpected.sort_unstable();
        let within = match main {
            Some(prefix) if !prefix.is_empty() => format!(" (here under the prefix {prefix:?})"),
            _ => String::new(),
        };
        return Err(Error::UnexpectedTensors {
            file: file.to_string(),
            tensors: unexpected.iter().map(|s| s.to_string()).collect(),
            reason: format!(
                "relulens reads only the N.weight and N.bias of the Linear layers of one \
                 Sequential, under one common prefix{within}, and the [1]-shaped N.weight of a PReLU"
            ),
        });
    }
    let slots = main.and_then(|m| groups.remove(m)).unwrap_or_default();
    let prefix = main.unwrap_or("");

    let mut layers: Vec<FoundLayer<'_>> = Vec::new();
    for (index, slot) in slots {
        let weight = match (slot.weight, slot.bias) {
            (Some(weight), _) => weight,
            (None, Some(bias)) => {
                return Err(Error::MissingTensor {
                    file: file.to_string(),
                    tensor: format!("{prefix}{index}.weight"),
                    reason: format!("{:?} is a bias without a weight", bias.name()),
                })
            }
            (None, None) => unreachable!("a slot is made for a tensor"),
        };
        let malformed = |tensor: &TensorInfo, reason: String| Error::MalformedTensor {
            file: file.to_string(),
            tensor: tensor.name().to_string(),
            reason,
        };
        for t in [Some(weight), slot.bias].into_iter().flatten() {
            if t.float_dtype().is_none() {
                return Err(Error::UnsupportedDtype {
                    file: file.to_string(),
                    tensor: t.name().to_string(),
                    dtype: t.dtype().to_string(),
                });
            }
        }
        match (weight.shape(), slot.bias) {
            (&[_, _], Some(bias)) => {
                if weight.is_empty() {
                    return Err(malformed(
                        weight,
                        format!(
                            "its shape {} has no elements; a layer needs at least one input and one output",
                            shape_text(weight.shape())
                        ),
                    ));
                }
                let out = weight.shape()[0];
                if bias.shape() != [out] {
                    return Err(mismatch(file, bias, weight));
                }
                if let Some(previous) = layers.last() {
                    if previous.out_dim() != weight.shape()[1] {
                        return Err(mismatch(file, weight, previous.weight));
                    }
                }
                layers.push(FoundLayer {
                    weight,
                    bias,
                    prelu: None,
                });
            }
            (&[_, _], None) => {
                return Err(Error::MissingTensor {
                    file: file.to_string(),
                    tensor: format!("{prefix}{index}.bias"),
                    reason: format!(
                        "layer {:?} has no bias; relulens reads Linear layers made with bias=True",
                        weight.name()
                    ),
                })
            }
            (&[1], None) => match layers.last_mut() {
                Some(previous) if previous.prelu.is_none() => previous.prelu = Some(weight),
                _ => {
                    return Err(malformed(
                        weight,
                        "a PReLU slope must follow a Linear layer, at most one per layer".into(),
                    ))
                }
            },
            (&[k], None) => {
                return Err(malformed(
                    weight,
                    format!(
                        "it looks like a PReLU with {k} slopes; relulens's PReLU has one shared slope"
                    ),
                ))
            }
            (shape, _) => {
                return Err(malformed(
                    weight,
                    format!(
                        "a Linear weight must be 2-D [out_features, in_features], this one has shape {}",
                        shape_text(shape)
                    ),
                ))
            }
        }
    }
    if layers.is_empty() {
        return Err(Error::MissingTensor {
            file: file.to_string(),
            tensor: format!("{prefix}0.weight"),
            reason: "the file holds no Linear layer (no N.weight/N.bias pair)".into(),
        });
    }
    let dtype = widest_dtype(&layers);
    Ok(FoundLayers { layers, dtype })
}

fn mismatch(file: &str, tensor: &TensorInfo, other: &TensorInfo) -> Error {
    Error::LayerShapeMismatch {
        file: file.to_string(),
        tensor: tensor.name().to_string(),
        shape: tensor.shape().to_vec(),
        other: other.name().to_string(),
        other_shape: other.shape().to_vec(),
    }
}

/// The narrowest dtype that holds every layer tensor's values exactly: mixed F16 and BF16 need F32.
fn widest_dtype(layers: &[FoundLayer<'_>]) -> Dtype {
    let mut seen = [false; 4];
    for layer in layers {
        for t in [Some(layer.weight), Some(layer.bias), layer.prelu]
            .into_iter()
            .flatten()
        {
            let index = match t.float_dtype() {
                Some(Dtype::F16) => 0,
                Some(Dtype::BF16) => 1,
                Some(Dtype::F32) => 2,
                Some(Dtype::F64) | None => 3,
            };
            seen[index] = true;
        }
    }
    match seen {
        [_, _, _, true] => Dtype::F64,
        [true, true, _, _] | [_, _, true, _] => Dtype::F32,
        [_, true, _, _] => Dtype::BF16,
        _ => Dtype::F16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_prefix_index_and_parameter() {
        assert_eq!(split_name("0.weight"), Some(("", 0, "weight")));
        assert_eq!(split_name("net.12.bias"), Some(("net.", 12, "bias")));
        assert_eq!(
            split_name("model.layers.3.weight"),
            Some(("model.layers.", 3, "weight"))
        );
        assert_eq!(split_name("fc1.weight"), None);
        assert_eq!(split_name("weight"), None);
        assert_eq!(split_name("01.weight"), None);
        assert_eq!(split_name(".weight"), None);
        assert_eq!(split_name("99999999999999999999999.weight"), None);
    }

    #[test]
    fn identity_activations_take_no_index() {
        use Activation::*;
        assert_eq!(
            sequential_indices(&[Relu, Identity, Relu]),
            [(0, Some(1)), (2, None), (3, Some(4))]
        );
        let arch = Architecture::new().activation(Activation::Relu6);
        assert_eq!(arch.activations(3), [Relu6, Relu6, Identity]);
    }
}
