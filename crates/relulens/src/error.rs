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
    // --- nn ---
    /// An array whose shape does not fit the network or layer it is given to.
    #[error("{op}: {what} has shape {got}, expected {expected}")]
    ShapeMismatch {
        /// The operation.
        op: &'static str,
        /// Which array.
        what: String,
        /// The shape it should have.
        expected: String,
        /// The shape it has.
        got: String,
    },
    /// A parameter or input that holds NaN or an infinity.
    #[error("{op}: {what} holds a non-finite value ({value}) at index {index}")]
    NonFinite {
        /// The operation.
        op: &'static str,
        /// Which array.
        what: String,
        /// The first offending index.
        index: usize,
        /// The value there.
        value: f64,
    },
    /// A network description that cannot be built.
    #[error("invalid network: {reason}")]
    InvalidNetwork {
        /// What is wrong.
        reason: String,
    },
    // --- train ---
    /// Optimiser settings that cannot be used.
    #[error("invalid optimizer: {reason}")]
    InvalidOptimizer {
        /// What is wrong.
        reason: String,
    },
    /// Training settings or data that cannot be used.
    #[error("cannot train: {reason}")]
    InvalidTraining {
        /// What is wrong.
        reason: String,
    },
    // --- data ---
    /// A task name that is not `regression`, `binary` or `multiclass`.
    #[error("unknown task {name:?}; valid tasks: {valid}")]
    UnknownTask {
        /// The name given.
        name: String,
        /// The valid names, comma-separated.
        valid: String,
    },
    /// A built-in dataset name that does not exist.
    #[error("unknown dataset {name:?}; valid names: {valid}")]
    UnknownDataset {
        /// The name given.
        name: String,
        /// The valid names, comma-separated.
        valid: String,
    },
    /// Dataset parts that do not fit together (no rows, repeated names, labels unsuited to the task).
    #[error("invalid dataset {dataset}: {reason}")]
    InvalidDataset {
        /// The dataset's name.
        dataset: String,
        /// What is wrong.
        reason: String,
    },
    /// A value a dataset cannot hold: a non-finite feature, or a class index out of range.
    #[error("dataset {dataset}: row {row}, column {column:?} holds {value}: {reason}")]
    InvalidValue {
        /// The dataset's name.
        dataset: String,
        /// The row, counted from 0.
        row: usize,
        /// The column's name.
        column: String,
        /// The value there.
        value: f64,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A feature name that the dataset does not have.
    #[error("dataset {dataset} has no feature {name:?}; available features: {available}")]
    UnknownFeature {
        /// The dataset's name.
        dataset: String,
        /// The name asked for.
        name: String,
        /// The dataset's features, comma-separated.
        available: String,
    },
    /// A training/validation split that cannot be made.
    #[error(
        "cannot split {dataset} ({n_rows} rows) with validation fraction {fraction}: {reason}"
    )]
    InvalidSplit {
        /// The dataset's name.
        dataset: String,
        /// The validation fraction given.
        fraction: f64,
        /// The dataset's number of rows.
        n_rows: usize,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A data file that cannot be opened, read or written.
    #[error("cannot {op} {path}: {reason}")]
    DataFile {
        /// `"read"` or `"write"`.
        op: &'static str,
        /// The path as given.
        path: String,
        /// The system's message.
        reason: String,
    },
    /// Bytes that are not CSV text, such as invalid UTF-8.
    #[error("{file}: line {line}: {reason}")]
    CsvSyntax {
        /// The file's name.
        file: String,
        /// The line, counted from 1.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A CSV file without a header row (empty, or with only empty names).
    #[error("{file}: no header row")]
    CsvEmptyHeader {
        /// The file's name.
        file: String,
    },
    /// A CSV column asked for by name that the header does not have.
    #[error("{file}: no column {column:?}; available columns: {available}")]
    CsvMissingColumn {
        /// The file's name.
        file: String,
        /// The column asked for.
        column: String,
        /// The header's columns, comma-separated.
        available: String,
    },
    /// A choice of CSV columns that cannot be used (a name twice, the target as a feature, no features).
    #[error("{file}: {reason}")]
    CsvColumns {
        /// The file's name.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// A CSV row with a different number of fields from the header.
    #[error("{file}: line {line}: expected {expected} fields, got {got}")]
    CsvRaggedRow {
        /// The file's name.
        file: String,
        /// The line, counted from 1 (the header is line 1).
        line: usize,
        /// The header's number of fields.
        expected: usize,
        /// The row's number of fields.
        got: usize,
    },
    /// A CSV cell that should be a number and is not.
    #[error("{file}: line {line}, column {column:?}: cannot read {text:?} as a number")]
    CsvNonNumeric {
        /// The file's name.
        file: String,
        /// The line, counted from 1 (the header is line 1).
        line: usize,
        /// The column's name.
        column: String,
        /// The cell's text.
        text: String,
    },
    /// A CSV cell that reads as NaN or an infinity.
    #[error("{file}: line {line}, column {column:?}: {text:?} is not a finite number")]
    CsvNonFinite {
        /// The file's name.
        file: String,
        /// The line, counted from 1 (the header is line 1).
        line: usize,
        /// The column's name.
        column: String,
        /// The cell's text.
        text: String,
    },
    /// A CSV cell marked missing (empty, `NA`, ...) in a used column, when missing rows are kept.
    #[error(
        "{file}: line {line}, column {column:?}: missing value {text:?} \
         (rows with missing values can be dropped)"
    )]
    CsvMissingValue {
        /// The file's name.
        file: String,
        /// The line, counted from 1 (the header is line 1).
        line: usize,
        /// The column's name.
        column: String,
        /// The cell's text.
        text: String,
    },
    /// A CSV file with a header but no data rows (perhaps after dropping missing values).
    #[error("{file}: no data rows ({dropped} dropped for missing values)")]
    CsvNoRows {
        /// The file's name.
        file: String,
        /// How many rows were dropped for missing values.
        dropped: usize,
    },
    /// A classification target with a single class.
    #[error(
        "{file}: target column {column:?} has the single class {label:?}; \
         classification needs at least 2"
    )]
    CsvSingleClass {
        /// The file's name.
        file: String,
        /// The target column.
        column: String,
        /// The one class.
        label: String,
    },
    /// A classification target with more classes than the task allows.
    #[error("{file}: target column {column:?} has {found} classes ({labels}), but a {task} task needs 2")]
    CsvClassCount {
        /// The file's name.
        file: String,
        /// The target column.
        column: String,
        /// The task asked for.
        task: crate::data::Task,
        /// The number of classes found.
        found: usize,
        /// The classes, comma-separated.
        labels: String,
    },
    /// Data whose features are not the ones a standardizer was fitted on.
    #[error("{op}: expected features [{expected}], got [{got}]")]
    FeatureMismatch {
        /// The operation.
        op: &'static str,
        /// The fitted features, comma-separated.
        expected: String,
        /// The data's features, comma-separated.
        got: String,
    },
    /// Standardizer figures that cannot be used (as read from a model file).
    #[error("invalid standardizer: {reason}")]
    InvalidStandardizer {
        /// What is wrong.
        reason: String,
    },
    /// A row-major slice whose length is not a whole number of rows.
    #[error("{op}: {len} values are not whole rows of {n_features} features")]
    NotWholeRows {
        /// The operation.
        op: &'static str,
        /// The slice's length.
        len: usize,
        /// The number of features per row.
        n_features: usize,
    },
    // --- io ---
    /// A file that could not be read, written or replaced.
    #[error("cannot {op} {path}: {message}")]
    Io {
        /// The operation: `read`, `write` or `replace`.
        op: &'static str,
        /// The file.
        path: String,
        /// The operating system's kind of error (`NotFound`, `PermissionDenied`, …).
        kind: std::io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
    /// A file that is not valid safetensors: its header length, header text or metadata is wrong.
    #[error("{file}: not a valid safetensors file: {reason}")]
    MalformedFile {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// A tensor whose header entry, offsets or shape are invalid or unusable.
    #[error("{file}: tensor {tensor:?}: {reason}")]
    MalformedTensor {
        /// The file.
        file: String,
        /// The tensor's name.
        tensor: String,
        /// What is wrong.
        reason: String,
    },
    /// A tensor of a dtype relulens does not read (only F16, BF16, F32 and F64 are read).
    #[error(
        "{file}: tensor {tensor:?} has dtype {dtype:?}; relulens reads only F16, BF16, F32 and F64"
    )]
    UnsupportedDtype {
        /// The file.
        file: String,
        /// The tensor's name.
        tensor: String,
        /// The dtype as the file spells it.
        dtype: String,
    },
    /// A tensor a layer needs that the file does not have, such as a Linear layer's bias.
    #[error("{file}: no tensor {tensor:?}: {reason}")]
    MissingTensor {
        /// The file.
        file: String,
        /// The missing tensor's name.
        tensor: String,
        /// Why it is needed.
        reason: String,
    },
    /// Two tensors whose shapes do not fit together: a bias and its weight, or consecutive layers.
    #[error(
        "{file}: tensor {tensor:?} of shape {shape:?} does not fit {other:?} of shape {other_shape:?} \
         (a bias is [out_features] of its weight [out_features, in_features], and a layer's \
         in_features are the previous layer's out_features)"
    )]
    LayerShapeMismatch {
        /// The file.
        file: String,
        /// The tensor found wrong.
        tensor: String,
        /// Its shape.
        shape: Vec<usize>,
        /// The tensor it is checked against.
        other: String,
        /// That tensor's shape.
        other_shape: Vec<usize>,
    },
    /// Tensors that are not parameters of the network's layers; listed rather than ignored.
    #[error("{file}: unexpected tensors {}: {reason}", .tensors.join(", "))]
    UnexpectedTensors {
        /// The file.
        file: String,
        /// The tensors' names.
        tensors: Vec<String>,
        /// What was expected instead.
        reason: String,
    },
    /// A model file whose relulens metadata is invalid or disagrees with its tensors.
    #[error("{file}: invalid relulens metadata: {reason}")]
    InvalidMetadata {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// A parameter too large in magnitude for the dtype a model is saved in.
    #[error("{file}: tensor {tensor:?}: the value {value} at index {index} overflows {dtype}")]
    DtypeOverflow {
        /// The file.
        file: String,
        /// The tensor's name.
        tensor: String,
        /// The dtype it is written in, as safetensors spells it (`F16`).
        dtype: &'static str,
        /// The index of the first value that overflows.
        index: usize,
        /// That value.
        value: f64,
    },
    // --- explain ---
    /// Exact geometry asked of a network with a smooth activation.
    #[error("exact geometry needs piecewise-linear activations (relu, leaky_relu, prelu, relu6, identity); layer {layer} uses {activation}")]
    NotPiecewiseLinear {
        /// The layer, from 0.
        layer: usize,
        /// Its activation.
        activation: String,
    },
    /// A point, segment, slice or rectangle that cannot be used.
    #[error("{op}: {reason}")]
    InvalidGeometry {
        /// The operation.
        op: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// An enumeration that would exceed its budget of regions.
    #[error("more than {max_regions} linear regions (reached in layer {layer}); raise max_regions or shrink the rectangle")]
    RegionBudget {
        /// The budget.
        max_regions: usize,
        /// The layer being processed, from 0.
        layer: usize,
    },
    // --- report ---
    /// A figure that cannot be drawn as a picture file: a scale out of range, or an encoder or
    /// font error.
    #[error("{op}: {reason}")]
    Render {
        /// The operation.
        op: &'static str,
        /// What is wrong.
        reason: String,
    },
    // --- explain (neuron, interactions, health) ---
    /// Arguments of an explanation that cannot be used: a neuron's inputs, data rows, an output
    /// index, feature ranges or a box.
    #[error("{op}: {reason}")]
    InvalidExplanation {
        /// The operation.
        op: &'static str,
        /// What is wrong.
        reason: String,
    },
}

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
