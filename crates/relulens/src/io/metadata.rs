//! The description relulens stores beside the weights: a versioned JSON document under the key
//! `"relulens"` of the safetensors `__metadata__` map.
//!
//! Version 1 holds the layer widths, one activation per layer (in their text form, `"relu"`,
//! `"leaky_relu(negative_slope=0.2)"`, `"identity"`) and the [`ModelInfo`](crate::model::ModelInfo).
//! Readers ignore fields they do not know, so later versions may add fields freely; a version above
//! the one this build reads is refused rather than half-understood.
//!
//! ```
//! use relulens::io::ModelMetadata;
//! use relulens::activation::Activation;
//! let meta = ModelMetadata::new(vec![2, 8, 1], vec![Activation::Relu, Activation::Identity], Default::default());
//! let json = meta.to_json();
//! assert!(json.starts_with(r#"{"format_version":1,"#));
//! assert_eq!(ModelMetadata::from_json(&json, "model.safetensors")?, meta);
//! # Ok::<(), relulens::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::model::ModelInfo;

/// The `__metadata__` key that holds [`ModelMetadata`] as JSON.
pub const METADATA_KEY: &str = "relulens";

/// The metadata format this build writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// What a relulens model file says about its network besides the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMetadata {
    /// The version of this layout, [`FORMAT_VERSION`] when written by this build.
    pub format_version: u32,
    /// The writer, `relulens <version>`; informative only.
    #[serde(default)]
    pub generator: String,
    /// Layer widths, input first: `[2, 8, 8, 3]`.
    pub sizes: Vec<usize>,
    /// The activation after each layer, one per layer.
    pub activations: Vec<Activation>,
    /// Feature names, task, scaler, training history, ….
    #[serde(default)]
    pub info: ModelInfo,
}

impl ModelMetadata {
    /// The metadata of a network with these widths and activations, written by this build.
    pub fn new(sizes: Vec<usize>, activations: Vec<Activation>, info: ModelInfo) -> Self {
        ModelMetadata {
            format_version: FORMAT_VERSION,
            generator: concat!("relulens ", env!("CARGO_PKG_VERSION")).to_string(),
            sizes,
            activations,
            info,
        }
    }

    /// The JSON text stored in the file.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("metadata serialises: string keys and plain values")
    }

    /// Parses the JSON text stored in the file; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMetadata`] when the text is not JSON, its `format_version` is missing or
    /// newer than [`FORMAT_VERSION`], or a field does not have the layout's type.
    pub fn from_json(text: &str, file: &str) -> Result<Self> {
        let invalid = |reason: String| Error::InvalidMetadata {
            file: file.to_string(),
            reason,
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| invalid(format!("not JSON: {e}")))?;
        // The version is read first so that a newer file gets a clear message, not a type error.
        let version = value
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| invalid("no integer format_version".into()))?;
        if version == 0 || version > u64::from(FORMAT_VERSION) {
            return Err(invalid(format!(
                "format_version {version} is not one this relulens reads (1 to {FORMAT_VERSION})"
            )));
        }
        serde_json::from_value(value).map_err(|e| invalid(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_versions_and_bad_fields_are_refused() {
        let err = ModelMetadata::from_json(r#"{"format_version":2}"#, "m.safetensors").unwrap_err();
        assert!(err.to_string().contains("m.safetensors"), "{err}");
        assert!(err.to_string().contains("format_version 2"), "{err}");
        let err = ModelMetadata::from_json(
            r#"{"format_version":1,"sizes":[2,1],"activations":["swish"]}"#,
            "m",
        )
        .unwrap_err();
        assert!(err.to_string().contains("swish"), "{err}");
        assert!(ModelMetadata::from_json("[1", "m").is_err());
        assert!(ModelMetadata::from_json("{}", "m").is_err());
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let meta = ModelMetadata::from_json(
            r#"{"format_version":1,"sizes":[2,1],"activations":["identity"],"future":true}"#,
            "m",
        )
        .unwrap();
        assert_eq!(meta.sizes, [2, 1]);
        assert_eq!(meta.info, ModelInfo::default());
        assert_eq!(meta.generator, "");
    }
}
