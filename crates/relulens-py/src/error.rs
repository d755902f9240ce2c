//! Errors across the boundary: each [`relulens::Error`] becomes an instance of its class in
//! `relulens.errors` (a `ReluLensError` that is also a `ValueError`, a `FileNotFoundError`, …), and
//! no panic reaches Python as PyO3's `PanicException`.
//!
//! The classes are defined in Python (`python/relulens/errors.py`) because each derives from two
//! bases, which PyO3's `create_exception!` cannot express; they are looked up by name when raised.
//!
//! ```python
//! try:
//!     relulens.load("missing.safetensors")
//! except FileNotFoundError as err:
//!     assert isinstance(err, relulens.ReluLensError)
//! ```

use std::io::ErrorKind;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use relulens::Error;

/// The classes of `relulens.errors`, by the names used there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Activation,
    Argument,
    Shape,
    OutOfBounds,
    Dtype,
    ReadOnly,
    NonFinite,
    Network,
    Training,
    Data,
    ModelFile,
    File,
    MissingFile,
    FilePermission,
    Geometry,
    Internal,
    Base,
}

impl Kind {
    fn class_name(self) -> &'static str {
        match self {
            Kind::Activation => "ActivationError",
            Kind::Argument => "ArgumentError",
            Kind::Shape => "ShapeError",
            Kind::OutOfBounds => "OutOfBoundsError",
            Kind::Dtype => "DtypeError",
            Kind::ReadOnly => "ReadOnlyError",
            Kind::NonFinite => "NonFiniteError",
            Kind::Network => "NetworkError",
            Kind::Training => "TrainingError",
            Kind::Data => "DataError",
            Kind::ModelFile => "ModelFileError",
            Kind::File => "FileError",
            Kind::MissingFile => "MissingFileError",
            Kind::FilePermission => "FilePermissionError",
            Kind::Geometry => "GeometryError",
            Kind::Internal => "InternalError",
            Kind::Base => "ReluLensError",
        }
    }
}

/// The class of each library error.
fn kind_of(err: &Error) -> Kind {
    match err {
        Error::UnknownActivation { .. }
        | Error::UnknownParameter { .. }
        | Error::InvalidParameter { .. }
        | Error::ActivationSyntax { .. } => Kind::Activation,
        Error::LengthMismatch { .. }
        | Error::ShapeMismatch { .. }
        | Error::NotWholeRows { .. }
        | Error::FeatureMismatch { .. } => Kind::Shape,
        Error::NonFinite { .. } => Kind::NonFinite,
        Error::InvalidNetwork { .. } | Error::InvalidStandardizer { .. } => Kind::Network,
        Error::InvalidOptimizer { .. } | Error::InvalidTraining { .. } => Kind::Training,
        Error::UnknownTask { .. }
        | Error::UnknownDataset { .. }
        | Error::InvalidDataset { .. }
        | Error::InvalidValue { .. }
        | Error::UnknownFeature { .. }
        | Error::InvalidSplit { .. }
        | Error::CsvSyntax { .. }
        | Error::CsvEmptyHeader { .. }
        | Error::CsvMissingColumn { .. }
        | Error::CsvColumns { .. }
        | Error::CsvRaggedRow { .. }
        | Error::CsvNonNumeric { .. }
        | Error::CsvNonFinite { .. }
        | Error::CsvMissingValue { .. }
        | Error::CsvNoRows { .. }
        | Error::CsvSingleClass { .. }
        | Error::CsvClassCount { .. } => Kind::Data,
        Error::Io { kind, .. } => match kind {
            ErrorKind::NotFound => Kind::MissingFile,
            ErrorKind::PermissionDenied => Kind::FilePermission,
            _ => Kind::File,
        },
        Error::DataFile { .. } => Kind::File,
        Error::MalformedFile { .. }
        | Error::MalformedTensor { .. }
        | Error::UnsupportedDtype { .. }
        | Error::MissingTensor { .. }
        | Error::LayerShapeMismatch { .. }
        | Error::UnexpectedTensors { .. }
        | Error::InvalidMetadata { .. }
        | Error::DtypeOverflow { .. } => Kind::ModelFile,
        Error::NotPiecewiseLinear { .. }
        | Error::InvalidGeometry { .. }
        | Error::RegionBudget { .. } => Kind::Geometry,
        Error::InvalidExplanation { .. } => Kind::Argument,
        // The enum is non-exhaustive: a variant added later is still a ReluLensError.
        _ => Kind::Base,
    }
}

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The class `kind` of `relulens.errors`.
fn class(py: Python<'_>, kind: Kind) -> PyResult<Bound<'_, PyType>> {
    let module =
        ERRORS_MODULE.get_or_try_init(py, || py.import("relulens.errors").map(Bound::unbind))?;
    Ok(module
        .bind(py)
        .getattr(kind.class_name())?
        .cast_into::<PyType>()?)
}

/// A new exception of class `kind` with `message`.
pub fn error(kind: Kind, message: impl Into<String>) -> PyErr {
    let message = message.into();
    Python::attach(|py| match class(py, kind) {
        Ok(cls) => PyErr::from_type(cls, message),
        // Only if the package's Python half is missing: still a ValueError with the message.
        Err(_) => PyValueError::new_err(message),
    })
}

/// The library's errors as Python exceptions: `relulens_result?` in a `PyResult` function.
pub trait IntoPy<T> {
    /// The value, or the error as its Python exception.
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, Error> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(|err| error(kind_of(&err), err.to_string()))
    }
}

/// Runs `f`, turning a panic (a broken invariant of the library, which is a bug) into
/// `relulens.InternalError` instead of PyO3's `PanicException`, which derives from `BaseException`
/// and escapes `except Exception`.
pub fn guard<T>(op: &str, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(error(
                Kind::Internal,
                format!("{op}: internal error (a bug in relulens, please report it): {what}"),
            ))
        }
    }
}
