//! The library's one error type, grouped by topic, with fields that name the operation and the values.
//!
//! ```
//! use relulens::activation::Activation;
//! let err = "swish".parse::<Activation>().unwrap_err();
//! assert!(err.to_string().contains("relu, leaky_relu"));
//! ```

/// Everything in relulens that can fail returns this error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An activation name that is not one of the family.
    #[error("unknown activation {name:?}; valid names: {valid}")]
    UnknownActivation {
        /// The name given.
        name: String,
        /// The valid names, comma-separated.
        valid: String,
    },
    /// A parameter that the activation does not take.
    #[error("activation {activation} has no parameter {key:?}; {valid}")]
    UnknownParameter {
        /// The activation's name.
        activation: &'static str,
        /// The parameter given.
        key: String,
        /// The valid parameters, as a sentence fragment.
        valid: String,
    },
    /// A parameter value that cannot be used.
    #[error("{activation}: parameter {key} = {value} is invalid: {reason}")]
    InvalidParameter {
        /// The activation's name.
        activation: &'static str,
        /// The parameter's name.
        key: &'static str,
        /// The value given.
        value: f64,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A text that should have been an activation with parameters, such as `leaky_relu(negative_slope=0.2)`.
    #[error("cannot parse {text:?} as an activation: {reason}")]
    ActivationSyntax {
        /// The text given.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Slices whose lengths should agree but do not.
    #[error("{op}: {what} has length {got}, expected {expected}")]
    LengthMismatch {
        /// The operation.
        op: &'static str,
        /// Which argument.
        what: &'static str,
        /// The length it should have.
        expected: usize,
        /// The length it has.
        got: usize,
    },
}

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
