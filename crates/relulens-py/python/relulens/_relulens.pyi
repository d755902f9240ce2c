"""Type stubs of the extension module (written by hand; `relulens/__init__.py` re-exports it)."""

import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal, TypeAlias, overload

import numpy as np
import numpy.typing as npt

ArrayLike: TypeAlias = npt.ArrayLike
FloatArray: TypeAlias = npt.NDArray[np.float32] | npt.NDArray[np.float64]
F32: TypeAlias = npt.NDArray[np.float32]
F64: TypeAlias = npt.NDArray[np.float64]
Feature: TypeAlias = str | int
Point: TypeAlias = ArrayLike | Mapping[str, float]
PathLike: TypeAlias = str | os.PathLike[str]

__version__: str

# --- activations: float32 stays float32, float64 stays float64, anything else becomes float64 ---

@overload
def relu(x: F32, *, out: F32 | None = None) -> F32: ...
@overload
def relu(x: ArrayLike, *, out: FloatArray | None = None) -> FloatArray: ...
def relu_(x: FloatArray) -> FloatArray: ...
def relu_backward(
    grad_output: ArrayLike, output: ArrayLike, *, out: FloatArray | None = None
) -> FloatArray: ...
def leaky_relu(
    x: ArrayLike, negative_slope: float = 0.01, *, out: FloatArray | None = None
) -> FloatArray: ...
def leaky_relu_(x: FloatArray, negative_slope: float = 0.01) -> FloatArray: ...
def leaky_relu_backward(
    grad_output: ArrayLike,
    input: ArrayLike,
    negative_slope: float = 0.01,
    *,
    out: FloatArray | None = None,
) -> FloatArray: ...
def relu6(x: ArrayLike, *, out: FloatArray | None = None) -> FloatArray: ...
def relu6_(x: FloatArray) -> FloatArray: ...
def relu6_backward(
    grad_output: ArrayLike, input: ArrayLike, *, out: FloatArray | None = None
) -> FloatArray: ...
def prelu(x: ArrayLike, weight: float = 0.25, *, out: FloatArray | None = None) -> FloatArray: ...
def prelu_(x: FloatArray, weight: float = 0.25) -> FloatArray: ...
def prelu_backward(
    grad_output: ArrayLike,
    input: ArrayLike,
    weight: float = 0.25,
    *,
    out: FloatArray | None = None,
) -> FloatArray: ...
def elu(x: ArrayLike, alpha: float = 1.0, *, out: FloatArray | None = None) -> FloatArray: ...
def elu_(x: FloatArray, alpha: float = 1.0) -> FloatArray: ...
def elu_backward(
    grad_output: ArrayLike, input: ArrayLike, alpha: float = 1.0, *, out: FloatArray | None = None
) -> FloatArray: ...
def selu(x: ArrayLike, *, out: FloatArray | None = None) -> FloatArray: ...
def selu_(x: FloatArray) -> FloatArray: ...
def selu_backward(
    grad_output: ArrayLike, input: ArrayLike, *, out: FloatArray | None = None
) -> FloatArray: ...
def gelu(
    x: ArrayLike,
    approximate: Literal["none", "tanh"] = "none",
    *,
    out: FloatArray | None = None,
) -> FloatArray: ...
def gelu_(x: FloatArray, approximate: Literal["none", "tanh"] = "none") -> FloatArray: ...
def gelu_backward(
    grad_output: ArrayLike,
    input: ArrayLike,
    approximate: Literal["none", "tanh"] = "none",
    *,
    out: FloatArray | None = None,
) -> FloatArray: ...
def silu(x: ArrayLike, *, out: FloatArray | None = None) -> FloatArray: ...
def silu_(x: FloatArray) -> FloatArray: ...
def silu_backward(
    grad_output: ArrayLike, input: ArrayLike, *, out: FloatArray | None = None
) -> FloatArray: ...
def softplus(
    x: ArrayLike,
    beta: float = 1.0,
    threshold: float = 20.0,
    *,
    out: FloatArray | None = None,
) -> FloatArray: ...
def softplus_(x: FloatArray, beta: float = 1.0, threshold: float = 20.0) -> FloatArray: ...
def softplus_backward(
    grad_output: ArrayLike,
    input: ArrayLike,
    beta: float = 1.0,
    threshold: float = 20.0,
    *,
    out: FloatArray | None = None,
) -> FloatArray: ...
def hardswish(x: ArrayLike, *, out: FloatArray | None = None) -> FloatArray: ...
def hardswish_(x: FloatArray) -> FloatArray: ...
def hardswish_backward(
    grad_output: ArrayLike, input: ArrayLike, *, out: FloatArray | None = None
) -> FloatArray: ...
def mish(x: ArrayLike, *, out: FloatArray | None = None) -> FloatArray: ...
def mish_(x: FloatArray) -> FloatArray: ...
def mish_backward(
    grad_output: ArrayLike, input: ArrayLike, *, out: FloatArray | None = None
) -> FloatArray: ...
def identity(x: ArrayLike, *, out: FloatArray | None = None) -> FloatArray: ...
def identity_(x: FloatArray) -> FloatArray: ...
def identity_backward(
    grad_output: ArrayLike, output: ArrayLike, *, out: FloatArray | None = None
) -> FloatArray: ...
def activation_names() -> list[str]: ...
def set_num_threads(n: int) -> None: ...
def get_num_threads() -> int: ...

# --- models ---

class History:
    """Per-epoch metrics of a training run."""

    best_epoch: int | None
    stopped_early: bool | None
    loss_name: str | None
    loss: F64
    val_loss: F64 | None
    accuracy: F64 | None
    val_accuracy: F64 | None
    r2: F64 | None
    val_r2: F64 | None
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> dict[str, float]: ...
    def to_list(self) -> list[dict[str, float]]: ...

class Kinks:
    """The kinks of a network along a segment, and the affine pieces between them."""

    feature_names: list[str]
    start: F64
    end: F64
    t: F64
    points: F64
    piece_bounds: F64
    outputs_start: F64
    outputs_end: F64
    slopes: F64
    jacobians: F64
    patterns: list[str]
    @property
    def pieces(self) -> int: ...
    def __len__(self) -> int: ...

class Boundary:
    """Polylines in the plane of a Regions: the decision boundary or a level set."""

    polylines: list[F64]
    segments: int
    level: float | None
    x: str
    y: str
    def __len__(self) -> int: ...

class Regions:
    """The exact linear regions of a network on a rectangle of a 2-D slice."""

    x: str
    y: str
    bounds: F64
    at: dict[str, float]
    vertices: list[F64]
    patterns: list[str]
    gradients: F64
    values_at_centroid: F64
    areas: F64
    centroids: F64
    adjacency: npt.NDArray[np.int64]
    def __len__(self) -> int: ...
    def jacobians(self) -> F64: ...
    def locate(self, x: float, y: float) -> int | None: ...
    def decision_boundary(self, level: float | None = None, output: int = 0) -> Boundary: ...

class Dataset:
    """A data set: features X with names, and a target y."""

    @property
    def X(self) -> F64: ...
    @property
    def y(self) -> F64 | npt.NDArray[np.int64]: ...
    feature_names: list[str]
    target_name: str
    task: str
    class_labels: list[str]
    name: str
    description: str
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[npt.NDArray[Any]]: ...

class Mlp:
    """A multi-layer perceptron with its description (feature names, task, scaler, history)."""

    def __init__(
        self, sizes: Sequence[int], activation: str = "relu", seed: int = 0
    ) -> None: ...
    @property
    def sizes(self) -> list[int]: ...
    @property
    def activation(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def feature_names(self) -> list[str]: ...
    @property
    def target_name(self) -> str | None: ...
    @property
    def task(self) -> str | None: ...
    @property
    def class_labels(self) -> list[str]: ...
    @property
    def dtype(self) -> str: ...
    @property
    def num_params(self) -> int: ...
    @property
    def scaler(self) -> tuple[F64, F64] | None: ...
    @property
    def history(self) -> History | None: ...
    @property
    def weights(self) -> list[F64]: ...
    @property
    def biases(self) -> list[F64]: ...
    def predict(self, X: ArrayLike) -> F64: ...
    def fit(
        self,
        X: ArrayLike | Dataset,
        y: ArrayLike | None = None,
        *,
        task: Literal["regression", "binary", "multiclass"] | None = None,
        epochs: int = 200,
        batch_size: int = 32,
        lr: float = 0.01,
        optimizer: Literal["adam", "adamw", "sgd"] = "adam",
        validation: float = 0.2,
        standardize: bool = True,
        patience: int | None = None,
        feature_names: Sequence[str] | None = None,
        target_name: str | None = None,
        class_labels: Sequence[str] | None = None,
    ) -> History: ...
    def save(self, path: PathLike) -> None: ...
    @classmethod
    def load(cls, path: PathLike) -> Mlp: ...
    def state_dict(self) -> dict[str, F64]: ...
    def kinks(self, start: Point, end: Point) -> Kinks: ...
    def regions(
        self,
        x: Feature | None = None,
        y: Feature | None = None,
        bounds: ArrayLike | None = None,
        at: Point | None = None,
        max_regions: int = 1000000,
    ) -> Regions: ...
    def decision_boundary(
        self,
        x: Feature | None = None,
        y: Feature | None = None,
        bounds: ArrayLike | None = None,
        at: Point | None = None,
        level: float | None = None,
        output: int = 0,
        max_regions: int = 1000000,
    ) -> Boundary: ...
    @classmethod
    def from_torch(cls, module_or_state_dict: Any, activation: str | None = None) -> Mlp: ...
    def to_torch(self, dtype: Any = None) -> Any: ...

def load(path: PathLike) -> Mlp: ...
def load_dataset(name: str, seed: int = 0) -> Dataset: ...
def list_datasets() -> list[dict[str, Any]]: ...
