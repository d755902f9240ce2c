"""The exceptions relulens raises.

Every failure raises :class:`ReluLensError` or one of its subclasses, and each subclass also
derives from the built-in exception a Python user would expect, so ``except ValueError`` keeps
working::

    >>> import relulens
    >>> try:
    ...     relulens.leaky_relu([1.0], negative_slope=float("nan"))
    ... except ValueError as err:
    ...     print(type(err).__name__, isinstance(err, relulens.ReluLensError))
    ActivationError True

The classes follow the topics of the Rust library's error enum; the mapping lives in the binding's
``src/error.rs``. Calling a function with the wrong number of arguments or an unknown keyword is
a plain ``TypeError`` raised by Python itself, as for any function.
"""

__all__ = [
    "ReluLensError",
    "ActivationError",
    "ArgumentError",
    "ShapeError",
    "OutOfBoundsError",
    "DtypeError",
    "ReadOnlyError",
    "NonFiniteError",
    "NetworkError",
    "TrainingError",
    "DataError",
    "ModelFileError",
    "FileError",
    "MissingFileError",
    "FilePermissionError",
    "GeometryError",
    "TorchError",
    "InternalError",
]


class ReluLensError(Exception):
    """The base of every exception relulens raises."""


class ActivationError(ReluLensError, ValueError):
    """An unknown activation name, parameter or option, or a parameter value it cannot take."""


class ArgumentError(ReluLensError, ValueError):
    """An argument value that cannot be used (a negative count, an unknown option)."""


class ShapeError(ReluLensError, ValueError):
    """Arrays whose shapes do not fit each other, the network or the operation."""


class OutOfBoundsError(ReluLensError, IndexError):
    """An index past the end of a sequence (a ``History``'s epochs)."""


class DtypeError(ReluLensError, TypeError):
    """An argument of a type or dtype that cannot be used (a complex array, a string, an ``out=``
    array of another dtype than the result)."""


class ReadOnlyError(ReluLensError, ValueError):
    """An in-place operation or ``out=`` on a read-only array."""


class NonFiniteError(ReluLensError, ValueError):
    """An input or parameter that holds NaN or an infinity where a finite number is needed."""


class NetworkError(ReluLensError, ValueError):
    """A network description that cannot be built (sizes, layers, activations, scaler)."""


class TrainingError(ReluLensError, ValueError):
    """Training settings or data that cannot be used, or a run whose loss diverged."""


class DataError(ReluLensError, ValueError):
    """A data set that cannot be made or used: an unknown name, unsuited labels, a bad split."""


class ModelFileError(ReluLensError, ValueError):
    """A model file that is not valid safetensors or does not describe a relulens network."""


class FileError(ReluLensError, OSError):
    """A file that cannot be read or written."""


class MissingFileError(FileError, FileNotFoundError):
    """A file that does not exist."""


class FilePermissionError(FileError, PermissionError):
    """A file the process may not read or write."""


class GeometryError(ReluLensError, ValueError):
    """Exact geometry that cannot be computed: a smooth activation, a degenerate segment or
    rectangle, or more regions than the budget allows."""


class TorchError(ReluLensError, ImportError):
    """PyTorch interoperability asked for without PyTorch installed."""


class InternalError(ReluLensError, RuntimeError):
    """A broken internal invariant (a bug in relulens: please report it with the message)."""
