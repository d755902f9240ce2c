//! A multi-layer perceptron: [`Dense`] layers with an activation after each.
//!
//! Settings and state are kept apart: an [`MlpConfig`] (sizes, activations, seed) makes an [`Mlp`]
//! with [`MlpConfig::init`]; [`Mlp::new`] checks weights that come from outside.
//!
//! ```
//! use relulens::nn::MlpConfig;
//! let mlp = MlpConfig::new(vec![2, 16, 16, 1]).seed(7).init::<f32>()?;
//! assert_eq!(mlp.to_string(), "Mlp(2-16-16-1, relu)");
//! let y = mlp.forward(&[0.5, -1.0, 2.0, 0.0], 2)?; // a batch of two points
//! assert_eq!(y.len(), 2);
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use super::dense::Dense;
use crate::activation::{self, Activation, Float};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// How to build an [`Mlp`]: layer sizes, activations and the seed of the initialisation.
#[derive(Debug, Clone, PartialEq)]
pub struct MlpConfig {
    /// Layer widths, input first and output last: `[2, 16, 16, 1]`.
    pub sizes: Vec<usize>,
    /// The activation after every hidden layer.
    pub activation: Activation,
    /// The activation after the last layer (identity: the network outputs logits or values).
    pub output_activation: Activation,
    /// The seed of the initialisation.
    pub seed: u64,
}

impl MlpConfig {
    /// ReLU hidden layers, an identity output, seed 0.
    pub fn new(sizes: Vec<usize>) -> Self {
        MlpConfig {
            sizes,
            activation: Activation::Relu,
            output_activation: Activation::Identity,
            seed: 0,
        }
    }

    /// The same with another hidden activation.
    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = activation;
        self
    }

    /// The same with another seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// A network initialised as PyTorch initialises `nn.Linear` layers, layer by layer.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidNetwork`] when there are fewer than two sizes or a size is 0.
    pub fn init<T: Float>(&self) -> Result<Mlp<T>> {
        if self.sizes.len() < 2 || self.sizes.contains(&0) {
            return Err(Error::InvalidNetwork {
                reason: format!(
                    "sizes {:?}: need an input and an output size, all at least 1",
                    self.sizes
                ),
            });
        }
        let mut rng = Rng::new(self.seed);
        let layers: Vec<Dense<T>> = self
            .sizes
            .windows(2)
            .map(|w| Dense::init(w[0], w[1], &mut rng))
            .collect();
        let mut activations = vec![self.activation; layers.len()];
        *activations.last_mut().expect("at least one layer") = self.output_activation;
        Mlp::new(layers, activations)
    }
}

/// A multi-layer perceptron: layer l computes a_l = act_l(a_{l-1}·W_lᵀ + b_l).
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp<T: Float = f32> {
    layers: Vec<Dense<T>>,
    activations: Vec<Activation>,
}

impl<T: Float> Mlp<T> {
    /// A network from its layers and one activation per layer (the last is usually the identity).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidNetwork`] when there are no layers, the activations are not one per layer,
    /// or a layer's input width differs from the previous layer's output width.
    pub fn new(layers: Vec<Dense<T>>, activations: Vec<Activation>) -> Result<Self> {
        let invalid = |reason: String| Err(Error::InvalidNetwork { reason });
        if layers.is_empty() {
            return invalid("a network needs at least one layer".into());
        }
        if activations.len() != layers.len() {
            return invalid(format!(
                "{} layers but {} activations (one per layer is needed)",
                layers.len(),
                activations.len()
            ));
        }
        for (i, pair) in layers.windows(2).enumerate() {
            if pair[0].out_dim() != pair[1].in_dim() {
                return invalid(format!(
                    "layer {i} has {} outputs but layer {} takes {} inputs",
                    pair[0].out_dim(),
                    i + 1,
                    pair[1].in_dim()
                ));
            }
        }
        Ok(Mlp {
            layers,
            activations,
        })
    }

    /// The layers, input side first.
    pub fn layers(&self) -> &[Dense<T>] {
        &self.layers
    }

    /// The layers, for an optimiser to update in place.
    pub fn layers_mut(&mut self) -> &mut [Dense<T>] {
        &mut self.layers
    }

    /// The activation after each layer.
    pub fn activations(&self) -> &[Activation] {
        &self.activations
    }

    /// Layer widths, input first: `[2, 16, 16, 1]`.
    pub fn sizes(&self) -> Vec<usize> {
        std::iter::once(self.in_dim())
            .chain(self.layers.iter().map(Dense::out_dim))
            .collect()
    }

    /// The number of inputs.
    pub fn in_dim(&self) -> usize {
        self.layers[0].in_dim()
    }

    /// The number of outputs.
    pub fn out_dim(&self) -> usize {
        self.layers[self.layers.len() - 1].out_dim()
    }

    /// The number of hidden units (every layer's outputs but the last).
    pub fn hidden_units(&self) -> usize {
        self.layers[..self.layers.len() - 1]
            .iter()
            .map(Dense::out_dim)
            .sum()
    }

    /// The number of parameters (weights and biases).
    pub fn num_params(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.weight().len() + l.bias().len())
            .sum()
    }

    /// The outputs for a batch: `x` is `[batch, in_dim]` row-major, the result `[batch, out_dim]`.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] when `x` does not hold `batch × in_dim` numbers.
    pub fn forward(&self, x: &[T], batch: usize) -> Result<Vec<T>> {
        self.check_input("Mlp::forward", x.len(), batch)?;
        // The input is read where it lies: copying it first cost a pass over the whole data set
        // each time `fit` evaluated it.
        let mut current: Option<Vec<T>> = None;
        for (layer, &act) in self.layers.iter().zip(&self.activations) {
            let mut next = vec![T::ZERO; batch * layer.out_dim()];
            layer.forward_unchecked(current.as_deref().unwrap_or(x), batch, &mut next);
            // The product's output is still in cache: apply the activation in place right away.
            activation::forward_inplace(act, &mut next);
            current = Some(next);
        }
        Ok(current.unwrap_or_else(|| x.to_vec()))
    }

    pub(crate) fn check_input(&self, op: &'static str, len: usize, batch: usize) -> Result<()> {
        if len != batch * self.in_dim() {
            return Err(Error::ShapeMismatch {
                op,
                what: "input".into(),
                expected: format!(
                    "[{batch}, {}] ({} elements)",
                    self.in_dim(),
                    batch * self.in_dim()
                ),
                got: format!("{len} elements"),
            });
        }
        Ok(())
    }

    /// The same network in another floating-point type.
    pub fn cast<U: Float>(&self) -> Mlp<U> {
        Mlp {
            layers: self.layers.iter().map(Dense::cast).collect(),
            activations: self.activations.clone(),
        }
    }

    /// The network that takes raw inputs and equals this one applied to standardised inputs
    /// (x - mean) / std: the first layer becomes W' = W·diag(1/std), b' = b - W'·mean. Explanations
    /// of the folded network speak in the user's units.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] when `mean` or `std` is not one per input, and
    /// [`Error::InvalidNetwork`] when a std is not a positive finite number.
    pub fn fold_standardization(&self, mean: &[f64], std: &[f64]) -> Result<Mlp<T>> {
        let n = self.in_dim();
        for (what, v) in [("mean", mean), ("std", std)] {
            if v.len() != n {
                return Err(Error::ShapeMismatch {
                    op: "Mlp::fold_standardization",
                    what: what.into(),
                    expected: format!("[{n}]"),
                    got: format!("[{}]", v.len()),
                });
            }
        }
        if let Some(s) = std.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
            return Err(Error::InvalidNetwork {
                reason: format!("a standard deviation of {s} cannot be folded into a layer"),
            });
        }
        let first = &self.layers[0];
        let out = first.out_dim();
        let mut weight = Vec::with_capacity(out * n);
        let mut bias = Vec::with_capacity(out);
        for k in 0..out {
            let row = &first.weight()[k * n..(k + 1) * n];
            let mut b = first.bias()[k].to_f64();
            for j in 0..n {
                let w = row[j].to_f64() / std[j];
                b -= w * mean[j];
                weight.push(T::from_f64(w));
            }
            bias.push(T::from_f64(b));
        }
        let mut layers = self.layers.clone();
        layers[0] = Dense::new(weight, bias)?;
        Mlp::new(layers, self.activations.clone())
    }
}

impl<T: Float> fmt::Display for Mlp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sizes: Vec<String> = self.sizes().iter().map(usize::to_string).collect();
        write!(f, "Mlp({}", sizes.join("-"))?;
        let hidden = &self.activations[..self.activations.len() - 1];
        if let Some(first) = hidden.first() {
            if hidden.iter().all(|a| a == first) {
                write!(f, ", {first}")?;
            } else {
                let names: Vec<String> = hidden.iter().map(Activation::to_string).collect();
                write!(f, ", {}", names.join("/"))?;
            }
        }
        let last = self.activations[self.activations.len() - 1];
        if last != Activation::Identity {
            write!(f, ", output {last}")?;
        }
        write!(f, ")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f(x) = relu(x0 + x1) - relu(x0 - 1): a hand-checkable network.
    fn tiny() -> Mlp<f64> {
        Mlp::new(
            vec![
                Dense::new(vec![1.0, 1.0, 1.0, 0.0], vec![0.0, -1.0]).unwrap(),
                Dense::new(vec![1.0, -1.0], vec![0.0]).unwrap(),
            ],
            vec![Activation::Relu, Activation::Identity],
        )
        .unwrap()
    }

    #[test]
    fn hand_checked_network() {
        let net = tiny();
        let y = net.forward(&[2.0, 1.0, -1.0, 0.5, 0.5, 0.0], 3).unwrap();
        // (2,1): relu(3) - relu(1) = 2; (-1,0.5): 0 - 0 = 0; (0.5,0): 0.5 - 0 = 0.5.
        assert_eq!(y, [2.0, 0.0, 0.5]);
        assert_eq!(net.sizes(), [2, 2, 1]);
        assert_eq!((net.num_params(), net.hidden_units()), (9, 2));
        assert_eq!(net.to_string(), "Mlp(2-2-1, relu)");
    }

    #[test]
    fn mismatched_layers_are_refused() {
        let a = Dense::new(vec![1.0f32; 6], vec![0.0; 3]).unwrap();
        let b = Dense::new(vec![1.0f32; 4], vec![0.0; 2]).unwrap();
        let err = Mlp::new(vec![a, b], vec![Activation::Relu; 2]).unwrap_err();
        assert!(
            err.to_string()
                .contains("layer 0 has 3 outputs but layer 1 takes 2"),
            "{err}"
        );
        assert!(MlpConfig::new(vec![2]).init::<f32>().is_err());
        assert!(MlpConfig::new(vec![2, 0, 1]).init::<f32>().is_err());
    }

    #[test]
    fn init_is_seeded() {
        let a = MlpConfig::new(vec![3, 8, 2]).seed(5).init::<f32>().unwrap();
        let b = MlpConfig::new(vec![3, 8, 2]).seed(5).init::<f32>().unwrap();
        let c = MlpConfig::new(vec![3, 8, 2]).seed(6).init::<f32>().unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn folding_the_standardization_is_exact_up_to_rounding() {
        let net = MlpConfig::new(vec![2, 8, 8, 1])
            .seed(1)
            .init::<f64>()
            .unwrap();
        let (mean, std) = ([170.0, 75.0], [10.0, 12.0]);
        let folded = net.fold_standardization(&mean, &std).unwrap();
        let raw = [160.0, 90.0, 185.0, 70.0];
        let scaled: Vec<f64> = raw
            .iter()
            .enumerate()
            .map(|(i, v)| (v - mean[i % 2]) / std[i % 2])
            .collect();
        let want = net.forward(&scaled, 2).unwrap();
        let got = folded.forward(&raw, 2).unwrap();
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-12, "{g} vs {w}");
        }
        assert!(net.fold_standardization(&mean, &[1.0, 0.0]).is_err());
        assert!(net.fold_standardization(&mean[..1], &std).is_err());
    }
}
