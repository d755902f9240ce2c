//! The single node of the article, first class: `output = φ(w·x + b)` with named inputs, and the
//! exact account of one point — each input's share of the pre-activation, on or off, the gradient,
//! and where each input would make the node switch with the others held.
//!
//! φ is ReLU by default, or another member of the piecewise-linear family with its switch at 0
//! (leaky ReLU, PReLU, ReLU6). The node is *active* where its pre-activation is above 0, PyTorch's
//! convention at the kink (z = 0 is off, with derivative 0 for ReLU).
//!
//! For input i with weight wᵢ ≠ 0, holding every other input, the pre-activation crosses 0 at
//! xᵢ = −(b + Σ_{j≠i} wⱼ·xⱼ) / wᵢ: the node switches on above that value when wᵢ > 0 and below it
//! when wᵢ < 0. (ReLU6's second kink, where it saturates at 6, is not reported.)
//!
//! ```
//! use relulens::explain::Neuron;
//! // The article's node: relu(2A + 3B) at A = 1, B = -100.
//! let node = Neuron::new(vec!["A".into(), "B".into()], vec![2.0, 3.0], 0.0)?;
//! let e = node.explain(&[1.0, -100.0])?;
//! assert_eq!(e.pre_activation, -298.0);
//! assert!(!e.active);
//! assert_eq!(e.output, 0.0);
//! assert_eq!(e.contributions, [2.0, -300.0]);
//! assert_eq!(e.gradient, [0.0, 0.0]);
//! // It switches on where A exceeds 150 (B held at -100) or B exceeds -2/3 (A held at 1).
//! assert_eq!(e.switch_at, [Some(150.0), Some(-2.0 / 3.0)]);
//! assert_eq!(e.change_to_switch[0], Some(149.0));
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;

use super::network::Pieces;
use crate::activation::Activation;
use crate::data::first_repeat;
use crate::error::{Error, Result};

/// One node: named inputs, their weights, a bias and a piecewise-linear activation.
#[derive(Debug, Clone, PartialEq)]
pub struct Neuron {
    names: Vec<String>,
    weights: Vec<f64>,
    bias: f64,
    activation: Activation,
    pieces: Pieces,
}

/// What a [`Neuron`] does at one point, exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct NeuronExplanation {
    /// The inputs' names.
    pub names: Vec<String>,
    /// The point.
    pub point: Vec<f64>,
    /// z = Σ contributions + bias.
    pub pre_activation: f64,
    /// φ(z).
    pub output: f64,
    /// Whether z > 0.
    pub active: bool,
    /// Each input's share of z: wᵢ·xᵢ.
    pub contributions: Vec<f64>,
    /// The bias's share of z.
    pub bias: f64,
    /// ∂output/∂xᵢ = φ'(z)·wᵢ, with φ' the slope of the piece z lies on (0 for ReLU at z ≤ 0).
    pub gradient: Vec<f64>,
    /// For each input, the value at which z crosses 0 with the other inputs held; `None` when its
    /// weight is 0.
    pub switch_at: Vec<Option<f64>>,
    /// For each input, how far it must move from the point to reach `switch_at`.
    pub change_to_switch: Vec<Option<f64>>,
    /// For each input, whether the node is on above `switch_at` (weight > 0) rather than below.
    pub on_above: Vec<bool>,
}

impl Neuron {
    /// A ReLU node with these input names, weights and bias.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidExplanation`] for no inputs, a name repeated or empty, a different number
    /// of names and weights, or a weight or bias that is not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use relulens::explain::Neuron;
    /// let node = Neuron::new(vec!["A".into(), "B".into()], vec![2.0, 3.0], 0.0)?;
    /// assert_eq!(node.to_string(), "Neuron(relu(2·A + 3·B + 0))");
    /// assert!(Neuron::new(vec!["A".into()], vec![1.0, 2.0], 0.0).is_err());
    /// # Ok::<(), relulens::Error>(())
    /// ```
    pub fn new(names: Vec<String>, weights: Vec<f64>, bias: f64) -> Result<Neuron> {
        let invalid = |reason: String| {
            Err(Error::InvalidExplanation {
                op: "neuron",
                reason,
            })
        };
        if names.is_empty() {
            return invalid("a neuron needs at least one input".into());
        }
        if names.len() != weights.len() {
            return invalid(format!(
                "{} input names but {} weights",
                names.len(),
                weights.len()
            ));
        }
        if let Some(name) = names.iter().find(|n| n.trim().is_empty()) {
            return invalid(format!("input name {name:?} is empty"));
        }
        if let Some(name) = first_repeat(&names) {
            return invalid(format!("input {name:?} is named twice"));
        }
        // Its text names the bias term "bias": an input of that name would read as the bias.
        if names.iter().any(|n| n.trim() == "bias") {
            return invalid(
                "input name \"bias\" is the neuron's own bias term; name the input otherwise"
                    .into(),
            );
        }
        if let Some((name, w)) = names.iter().zip(&weights).find(|(_, w)| !w.is_finite()) {
            return invalid(format!("the weight of {name} is {w}, not a finite number"));
        }
        if !bias.is_finite() {
            return invalid(format!("the bias is {bias}, not a finite number"));
        }
        Ok(Neuron {
            names,
            weights,
            bias,
            activation: Activation::Relu,
            pieces: Pieces::of(Activation::Relu).expect("ReLU is piecewise linear"),
        })
    }

    /// The same node with another activation of the piecewise-linear family.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidExplanation`] for an activation that is smooth, or the identity (which has
    /// no switch).
    pub fn with_activation(mut self, activation: Activation) -> Result<Neuron> {
        match Pieces::of(activation) {
            Some(pieces) if !pieces.kinks.is_empty() => {
                self.activation = activation;
                self.pieces = pieces;
                Ok(self)
            }
            _ => Err(Error::InvalidExplanation {
                op: "neuron",
                reason: format!(
                    "the activation {activation} has no switch at 0; use relu, leaky_relu, prelu \
                     or relu6"
                ),
            }),
        }
    }

    /// The inputs' names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The weights, one per input.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The bias.
    pub fn bias(&self) -> f64 {
        self.bias
    }

    /// The activation.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    fn check(&self, x: &[f64]) -> Result<()> {
        if x.len() != self.weights.len() {
            return Err(Error::ShapeMismatch {
                op: "neuron",
                what: "point".into(),
                expected: format!("{} values ({})", self.names.len(), self.names.join(", ")),
                got: format!("{}", x.len()),
            });
        }
        if let Some((index, &value)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::NonFinite {
                op: "neuron",
                what: "point".into(),
                index,
                value,
            });
        }
        Ok(())
    }

    /// The pre-activation z = w·x + b.
    fn pre_activation(&self, x: &[f64]) -> f64 {
        self.bias + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f64>()
    }

    /// The output φ(w·x + b).
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] or [`Error::NonFinite`] for a point that does not hold one finite
    /// number per input.
    pub fn evaluate(&self, x: &[f64]) -> Result<f64> {
        self.check(x)?;
        let z = self.pre_activation(x);
        let piece = self.pieces.piece(z);
        Ok(self.pieces.slopes[piece] * z + self.pieces.offsets[piece])
    }

    /// The exact account of the node at `x`.
    ///
    /// # Errors
    ///
    /// As [`Neuron::evaluate`].
    pub fn explain(&self, x: &[f64]) -> Result<NeuronExplanation> {
        self.check(x)?;
        let z = self.pre_activation(x);
        let piece = self.pieces.piece(z);
        let slope = self.pieces.slopes[piece];
        let contributions: Vec<f64> = self.weights.iter().zip(x).map(|(w, v)| w * v).collect();
        // The rest of z is summed afresh for each input rather than taken as z − wᵢ·xᵢ, so that a
        // large contribution does not cancel away the digits of a small remainder.
        let switch_at: Vec<Option<f64>> = (0..x.len())
            .map(|i| {
                let w = self.weights[i];
                (w != 0.0).then(|| {
                    let rest: f64 = self.bias
                        + (0..x.len())
                            .filter(|&j| j != i)
                            .map(|j| contributions[j])
                            .sum::<f64>();
                    -rest / w
                })
            })
            .collect();
        Ok(NeuronExplanation {
            names: self.names.clone(),
            point: x.to_vec(),
            pre_activation: z,
            output: slope * z + self.pieces.offsets[piece],
            active: z > 0.0,
            change_to_switch: switch_at
                .iter()
                .zip(x)
                .map(|(s, v)| s.map(|s| s - v))
                .collect(),
            contributions,
            bias: self.bias,
            gradient: self.weights.iter().map(|w| slope * w).collect(),
            switch_at,
            on_above: self.weights.iter().map(|&w| w > 0.0).collect(),
        })
    }
}

/// A number in six significant decimals at most, without trailing zeros.
fn short(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v.abs() >= 1e-4 && v.abs() < 1e9 {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{v:.5e}")
    }
}

/// `a + b - c …` from signed terms, each written by `term` from its absolute value.
fn signed_sum<'a>(
    terms: impl Iterator<Item = (&'a str, f64)>,
    term: impl Fn(&str, f64) -> String,
) -> String {
    let mut sum = String::new();
    for (i, (name, v)) in terms.enumerate() {
        let sign = match (i, v < 0.0) {
            (0, true) => "-",
            (0, false) => "",
            (_, true) => " - ",
            (_, false) => " + ",
        };
        sum += sign;
        sum += &term(name, v.abs());
    }
    sum
}

impl fmt::Display for Neuron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let terms = self
            .names
            .iter()
            .map(String::as_str)
            .zip(self.weights.iter().copied());
        let sum = signed_sum(terms.chain([("", self.bias)]), |name, v| {
            if name.is_empty() {
                short(v)
            } else {
                format!("{}·{name}", short(v))
            }
        });
        write!(f, "Neuron({}({sum}))", self.activation)
    }
}

impl fmt::Display for NeuronExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at: Vec<String> = (self.names.iter().zip(&self.point))
            .map(|(n, v)| format!("{n}={}", short(*v)))
            .collect();
        let terms = self
            .names
            .iter()
            .map(String::as_str)
            .zip(self.contributions.iter().copied());
        let sum = signed_sum(terms.chain([("bias", self.bias)]), |name, v| {
            format!("{} ({name})", short(v))
        });
        writeln!(
            f,
            "at {}: pre-activation {} = {sum}: {}, output {}",
            at.join(", "),
            short(self.pre_activation),
            if self.active { "on" } else { "off" },
            short(self.output)
        )?;
        let gradient: Vec<String> = (self.names.iter().zip(&self.gradient))
            .map(|(n, g)| format!("∂/∂{n} {}", short(*g)))
            .collect();
        writeln!(f, "gradient {}", gradient.join(", "))?;
        let held = if self.names.len() > 1 {
            " (others held)"
        } else {
            ""
        };
        let switches: Vec<String> = (0..self.names.len())
            .filter_map(|i| {
                let side = if self.on_above[i] { ">" } else { "<" };
                let s = self.switch_at[i]?;
                Some(format!("{} {side} {}", self.names[i], short(s)))
            })
            .collect();
        if switches.is_empty() {
            write!(f, "no input can switch it: every weight is 0")
        } else {
            write!(f, "on where {}{held}", switches.join(" or "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn node(weights: &[f64], bias: f64) -> Neuron {
        let names = (0..weights.len()).map(|i| format!("x{i}")).collect();
        Neuron::new(names, weights.to_vec(), bias).unwrap()
    }

    #[test]
    fn the_articles_node_by_hand() {
        let n = Neuron::new(vec!["A".into(), "B".into()], vec![2.0, 3.0], 0.0).unwrap();
        let e = n.explain(&[1.0, -100.0]).unwrap();
        assert_eq!(e.pre_activation, -298.0);
        assert_eq!(e.output, 0.0);
        assert!(!e.active);
        assert_eq!(e.contributions, [2.0, -300.0]);
        assert_eq!(e.bias, 0.0);
        assert_eq!(e.gradient, [0.0, 0.0]);
        // 2·150 + 3·(−100) = 0 and 2·1 + 3·(−2/3) = 0.
        assert_eq!(e.switch_at, [Some(150.0), Some(-2.0 / 3.0)]);
        assert_eq!(e.change_to_switch[0], Some(149.0));
        assert!((e.change_to_switch[1].unwrap() - 298.0 / 3.0).abs() < 1e-12);
        assert_eq!(n.evaluate(&[1.0, -100.0]).unwrap(), 0.0);
        assert_eq!(
            e.to_string(),
            "at A=1, B=-100: pre-activation -298 = 2 (A) - 300 (B) + 0 (bias): off, output 0\n\
             gradient ∂/∂A 0, ∂/∂B 0\n\
             on where A > 150 or B > -0.666667 (others held)"
        );
        // On, the gradient is the weights.
        let e = n.explain(&[200.0, -100.0]).unwrap();
        assert!(e.active);
        assert_eq!((e.output, e.gradient.clone()), (100.0, vec![2.0, 3.0]));
    }

    #[test]
    fn zero_weights_never_switch_and_negative_weights_switch_below() {
        let n = node(&[0.0, -4.0], 1.0);
        let e = n.explain(&[5.0, 1.0]).unwrap();
        assert_eq!(e.pre_activation, -3.0);
        assert_eq!(e.switch_at, [None, Some(0.25)]);
        assert_eq!(e.on_above, [false, false]);
        assert!(e.to_string().contains("on where x1 < 0.25"), "{e}");
        assert_eq!(n.to_string(), "Neuron(relu(0·x0 - 4·x1 + 1))");
        let dead = node(&[0.0], -1.0).explain(&[3.0]).unwrap();
        assert!(dead.to_string().ends_with("every weight is 0"));
    }

    #[test]
    fn the_family_switches_at_zero() {
        let leaky = node(&[1.0], 0.0)
            .with_activation(Activation::LeakyRelu {
                negative_slope: 0.1,
            })
            .unwrap();
        let e = leaky.explain(&[-2.0]).unwrap();
        assert_eq!((e.output, e.gradient[0], e.active), (-0.2, 0.1, false));
        let six = node(&[1.0], 0.0)
            .with_activation(Activation::Relu6)
            .unwrap();
        assert_eq!(six.evaluate(&[8.0]).unwrap(), 6.0);
        assert_eq!(six.explain(&[8.0]).unwrap().gradient, [0.0]);
        assert!(node(&[1.0], 0.0).with_activation(Activation::Gelu).is_err());
        assert!(node(&[1.0], 0.0)
            .with_activation(Activation::Identity)
            .is_err());
    }

    #[test]
    fn bad_nodes_and_points_are_refused() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(Neuron::new(vec![], vec![], 0.0).is_err());
        assert!(Neuron::new(names(&["A", "A"]), vec![1.0, 2.0], 0.0).is_err());
        assert!(Neuron::new(names(&[" "]), vec![1.0], 0.0).is_err());
        assert!(Neuron::new(names(&["A"]), vec![f64::NAN], 0.0).is_err());
        assert!(Neuron::new(names(&["A"]), vec![1.0], f64::INFINITY).is_err());
        let taken = Neuron::new(names(&["bias", "B"]), vec![1.0, 2.0], 0.0).unwrap_err();
        assert!(taken.to_string().contains("\"bias\""), "{taken}");
        assert!(Neuron::new(names(&["Bias", "B"]), vec![1.0, 2.0], 0.0).is_ok());
        let n = node(&[1.0, 2.0], 0.0);
        assert!(n.explain(&[1.0]).is_err());
        assert!(n.evaluate(&[1.0, f64::NAN]).is_err());
    }

    proptest! {
        #[test]
        fn switch_points_zero_the_pre_activation_and_the_gradient_matches_differences(
            weights in prop::collection::vec(-5.0f64..5.0, 1..5),
            bias in -5.0f64..5.0,
            seed in prop::collection::vec(-10.0f64..10.0, 5),
        ) {
            let n = node(&weights, bias);
            let x = &seed[..weights.len()];
            let e = n.explain(x).unwrap();
            let sum: f64 = e.contributions.iter().sum::<f64>() + e.bias;
            prop_assert!((sum - e.pre_activation).abs() < 1e-9);
            for i in 0..x.len() {
                if let Some(s) = e.switch_at[i] {
                    let mut at = x.to_vec();
                    at[i] = s;
                    let z = n.pre_activation(&at);
                    prop_assert!(z.abs() < 1e-9 * (1.0 + s.abs() * weights[i].abs()), "z {}", z);
                }
                // Away from the switch, a small step changes the output by gradient × step.
                if e.pre_activation.abs() > 1e-3 {
                    let h = 1e-6;
                    let mut p = x.to_vec();
                    p[i] += h;
                    let numeric = (n.evaluate(&p).unwrap() - e.output) / h;
                    prop_assert!((numeric - e.gradient[i]).abs() < 1e-5);
                }
            }
        }
    }
}
