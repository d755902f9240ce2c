"""relulens: ReLU and its family with PyTorch's semantics on NumPy arrays, multi-layer perceptrons,
and the exact geometry of ReLU networks, with a Rust core underneath.

Activations follow NumPy's conventions: ``relu(x, out=None)`` returns a new array (or fills
``out``), ``relu_(x)`` works in place, ``relu_backward(grad_output, output)`` gives the input
gradient. float32 and float64 arrays keep their dtype; other input (integers, booleans, float16,
lists, scalars) is converted to float64. Any shape and layout is accepted (a strided array is
copied to a contiguous one first). Large arrays are computed without the GIL and split over
``get_num_threads()`` threads (``set_num_threads(n)``, or the environment variable
``RELULENS_NUM_THREADS``).

>>> import relulens
>>> print(relulens.relu([-1.0, 0.0, 2.0]))
[0. 0. 2.]

Models: ``Mlp(sizes, activation="relu", seed=0)`` with ``fit``, ``predict``, ``save``, and
``load(path)``; built-in data sets in :mod:`relulens.datasets`; exact explanations with
``Mlp.kinks``, ``Mlp.regions``, ``Mlp.decision_boundary``, ``Mlp.explain_point``,
``Mlp.effect_curve``, ``Mlp.interactions``, ``Mlp.neurons`` and ``Mlp.report`` (the HTML page of
``relulens explain``), and the single node ``Neuron(weights={"A": 2, "B": 3}, bias=0)``. Every
failure raises a :class:`ReluLensError` (see :mod:`relulens.errors`).
"""

from . import datasets, errors
from ._relulens import (
    Boundary,
    EffectCurve,
    History,
    Interactions,
    Kinks,
    LocalExplanation,
    Mlp,
    Neuron,
    NeuronExplanation,
    NeuronHealth,
    Regions,
    __version__,
    activation_names,
    elu,
    elu_,
    elu_backward,
    gelu,
    gelu_,
    gelu_backward,
    get_num_threads,
    hardswish,
    hardswish_,
    hardswish_backward,
    identity,
    identity_,
    identity_backward,
    leaky_relu,
    leaky_relu_,
    leaky_relu_backward,
    load,
    mish,
    mish_,
    mish_backward,
    prelu,
    prelu_,
    prelu_backward,
    relu,
    relu6,
    relu6_,
    relu6_backward,
    relu_,
    relu_backward,
    selu,
    selu_,
    selu_backward,
    set_num_threads,
    silu,
    silu_,
    silu_backward,
    softplus,
    softplus_,
    softplus_backward,
)
from .errors import (
    ActivationError,
    ArgumentError,
    DataError,
    DtypeError,
    FileError,
    FilePermissionError,
    GeometryError,
    InternalError,
    MissingFileError,
    ModelFileError,
    NetworkError,
    NonFiniteError,
    OutOfBoundsError,
    ReadOnlyError,
    ReluLensError,
    ShapeError,
    TorchError,
    TrainingError,
)

__all__ = [
    "__version__",
    # activations
    "relu", "relu_", "relu_backward",
    "leaky_relu", "leaky_relu_", "leaky_relu_backward",
    "relu6", "relu6_", "relu6_backward",
    "prelu", "prelu_", "prelu_backward",
    "elu", "elu_", "elu_backward",
    "selu", "selu_", "selu_backward",
    "gelu", "gelu_", "gelu_backward",
    "silu", "silu_", "silu_backward",
    "softplus", "softplus_", "softplus_backward",
    "hardswish", "hardswish_", "hardswish_backward",
    "mish", "mish_", "mish_backward",
    "identity", "identity_", "identity_backward",
    "activation_names", "set_num_threads", "get_num_threads",
    # models, data, explanations
    "Mlp", "History", "load", "datasets", "Kinks", "Regions", "Boundary",
    "LocalExplanation", "EffectCurve", "Interactions", "NeuronHealth", "Neuron", "NeuronExplanation",
    # errors
    "errors", "ReluLensError", "ActivationError", "ArgumentError", "ShapeError", "DtypeError",
    "ReadOnlyError", "NonFiniteError", "OutOfBoundsError", "NetworkError", "TrainingError", "DataError",
    "ModelFileError", "FileError", "MissingFileError", "FilePermissionError", "GeometryError",
    "TorchError", "InternalError",
]  # fmt: skip
