//! Names and parameters: `Display`, `FromStr` and serde for [`Activation`], and construction from a
//! name plus `key=value` parameters (the CLI's `--param`).
//!
//! The text form is the name alone when every parameter has PyTorch's default, and
//! `name(key=value, …)` otherwise; it parses back to the same value.
//!
//! ```
//! use relulens::activation::Activation;
//! let a: Activation = "softplus(beta=2)".parse()?;
//! assert_eq!(a, Activation::Softplus { beta: 2.0, threshold: 20.0 });
//! assert_eq!(a.to_string(), "softplus(beta=2)");
//! assert_eq!(Activation::from_name("elu", &[("alpha", 0.5)])?.to_string(), "elu(alpha=0.5)");
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;
use core::str::FromStr;

use super::Activation;
use crate::error::{Error, Result};

/// Every activation's name, in the order the documentation lists them.
pub const NAMES: [&str; 13] = [
    "relu",
    "leaky_relu",
    "relu6",
    "prelu",
    "elu",
    "selu",
    "gelu",
    "gelu_tanh",
    "silu",
    "softplus",
    "hardswish",
    "mish",
    "identity",
];

impl Activation {
    /// Every activation with PyTorch's default parameters, in the order of [`Activation::names`].
    pub fn all() -> Vec<Activation> {
        NAMES
            .iter()
            .map(|name| Activation::from_name(name, &[]).expect("every listed name is valid"))
            .collect()
    }

    /// Every activation's name.
    pub fn names() -> &'static [&'static str] {
        &NAMES
    }

    /// The activation called `name`, with PyTorch's defaults overridden by `params`.
    ///
    /// PReLU's slope is `weight`; `init` and `a` are accepted for it too.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownActivation`] for a name outside the family (the message lists the valid ones),
    /// [`Error::UnknownParameter`] for a key the activation does not take (the message lists those it
    /// does), and [`Error::InvalidParameter`] for a non-finite value or softplus's β = 0.
    pub fn from_name(name: &str, params: &[(&str, f64)]) -> Result<Activation> {
        let mut activation = match name.trim().to_ascii_lowercase().as_str() {
            "relu" => Activation::Relu,
            "leaky_relu" => Activation::LeakyRelu {
                negative_slope: 0.01,
            },
            "relu6" => Activation::Relu6,
            "prelu" => Activation::Prelu { weight: 0.25 },
            "elu" => Activation::Elu { alpha: 1.0 },
            "selu" => Activation::Selu,
            "gelu" => Activation::Gelu,
            "gelu_tanh" => Activation::GeluTanh,
            "silu" => Activation::Silu,
            "softplus" => Activation::Softplus {
                beta: 1.0,
                threshold: 20.0,
            },
            "hardswish" => Activation::Hardswish,
            "mish" => Activation::Mish,
            "identity" => Activation::Identity,
            _ => {
                return Err(Error::UnknownActivation {
                    name: name.to_string(),
                    valid: NAMES.join(", "),
                })
            }
        };
        for &(key, value) in params {
            activation.set_param(key, value)?;
        }
        Ok(activation)
    }

    fn set_param(&mut self, key: &str, value: f64) -> Result<()> {
        let activation = self.name();
        let slot: (&'static str, &mut f64) = match (self, key) {
            (Activation::LeakyRelu { negative_slope }, "negative_slope") => {
                ("negative_slope", negative_slope)
            }
            (Activation::Prelu { weight }, "weight" | "init" | "a") => ("weight", weight),
            (Activation::Elu { alpha }, "alpha") => ("alpha", alpha),
            (Activation::Softplus { beta, .. }, "beta") => ("beta", beta),
            (Activation::Softplus { threshold, .. }, "threshold") => ("threshold", threshold),
            (this, _) => {
                let keys: Vec<&str> = this.params().iter().map(|(k, _)| *k).collect();
                let valid = if keys.is_empty() {
                    "it takes no parameters".to_string()
                } else {
                    format!("valid parameters: {}", keys.join(", "))
                };
                return Err(Error::UnknownParameter {
                    activation,
                    key: key.to_string(),
                    valid,
                });
            }
        };
        let (key, field) = slot;
        if !value.is_finite() {
            return Err(Error::InvalidParameter {
                activation,
                key,
                value,
                reason: "it must be finite",
            });
        }
        if key == "beta" && value == 0.0 {
            return Err(Error::InvalidParameter {
                activation,
                key,
                value,
                reason: "softplus divides by beta, so it must not be 0",
            });
        }
        *field = value;
        Ok(())
    }

    /// The parameters that differ from PyTorch's defaults.
    fn non_default_params(&self) -> Vec<(&'static str, f64)> {
        let defaults = Activation::from_name(self.name(), &[])
            .expect("a variant's own name is valid")
            .params();
        self.params()
            .into_iter()
            .zip(defaults)
            .filter(|((_, value), (_, default))| value != default)
            .map(|(param, _)| param)
            .collect()
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        let params = self.non_default_params();
        if !params.is_empty() {
            f.write_str("(")?;
            for (i, (key, value)) in params.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                // `{}` on f64 prints the shortest text that parses back to the same number.
                write!(f, "{key}={value}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl FromStr for Activation {
    type Err = Error;

    /// Parses `name` or `name(key=value, …)`.
    fn from_str(text: &str) -> Result<Activation> {
        let syntax = |reason: &str| Error::ActivationSyntax {
            text: text.to_string(),
            reason: reason.to_string(),
        };
        let text_trimmed = text.trim();
        let Some(open) = text_trimmed.find('(') else {
            return Activation::from_name(text_trimmed, &[]);
        };
        let inner = text_trimmed[open + 1..]
            .strip_suffix(')')
            .ok_or_else(|| syntax("missing the closing parenthesis"))?;
        let mut params = Vec::new();
        for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| syntax("parameters are written key=value"))?;
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|_| syntax(&format!("{:?} is not a number", value.trim())))?;
            params.push((key.trim(), value));
        }
        Activation::from_name(&text_trimmed[..open], &params)
    }
}

impl serde::Serialize for Activation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Activation {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_through_display_and_from_str() {
        for activation in Activation::all() {
            assert_eq!(activation.to_string(), activation.name());
            assert_eq!(activation.to_string().parse::<Activation>(), Ok(activation));
        }
    }

    #[test]
    fn non_default_parameters_round_trip_exactly() {
        let a = Activation::Softplus {
            beta: 0.1,
            threshold: 1.0 / 3.0,
        };
        assert_eq!(a.to_string().parse::<Activation>(), Ok(a));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Activation>(&json).unwrap(), a);
    }

    #[test]
    fn pytorch_defaults() {
        assert_eq!(
            Activation::from_name("leaky_relu", &[]).unwrap().params(),
            [("negative_slope", 0.01)]
        );
        assert_eq!(
            Activation::from_name("prelu", &[]).unwrap().params(),
            [("weight", 0.25)]
        );
        assert_eq!(
            Activation::from_name("elu", &[]).unwrap().params(),
            [("alpha", 1.0)]
        );
        assert_eq!(
            Activation::from_name("softplus", &[]).unwrap().params(),
            [("beta", 1.0), ("threshold", 20.0)]
        );
    }

    #[test]
    fn unknown_names_and_parameters_list_the_valid_ones() {
        let err = Activation::from_name("swish", &[]).unwrap_err().to_string();
        assert!(
            err.contains("\"swish\"") && err.contains("gelu_tanh, silu"),
            "{err}"
        );
        let err = Activation::from_name("elu", &[("beta", 1.0)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("valid parameters: alpha"), "{err}");
        let err = Activation::from_name("relu", &[("alpha", 1.0)])
            .unwrap_err()
            .to_string();
        assert!(err.contains("takes no parameters"), "{err}");
    }

    #[test]
    fn invalid_values_are_refused() {
        assert!(matches!(
            Activation::from_name("softplus", &[("beta", 0.0)]),
            Err(Error::InvalidParameter { key: "beta", .. })
        ));
        assert!(matches!(
            Activation::from_name("leaky_relu", &[("negative_slope", f64::NAN)]),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(matches!(
            "elu(alpha=x)".parse::<Activation>(),
            Err(Error::ActivationSyntax { .. })
        ));
        assert!(matches!(
            "elu(alpha=1".parse::<Activation>(),
            Err(Error::ActivationSyntax { .. })
        ));
    }
}
