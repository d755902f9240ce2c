"""Type stubs of the extension module (written by hand; `relulens/__init__.py` re-exports it)."""

import os
import pathlib
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

class LocalExplanation:
    """A network explained at one point: its outputs, the exact affine map of the point's linear
    region (``outputs == jacobian @ x + offset`` on the whole region), which hidden units are on,
    and per input moved alone the nearest kinks below and above (NaN: none within ``radius``)."""

    feature_names: list[str]
    point: F64
    """The point, ``[features]``."""
    outputs: F64
    """The outputs there, ``[outputs]`` (logits for a classifier)."""
    jacobian: F64
    """Every input's exact local slope for every output, ``[outputs, features]``."""
    offset: F64
    """The affine map's constant, ``[outputs]``."""
    pattern: str
    """Per hidden unit whether it is on (1) or off (0), layers split by ``|``."""
    active: list[npt.NDArray[np.bool_]]
    """Per hidden layer, which units are on, ``[units]`` each."""
    kink_below: F64
    """Per input, the nearest value below the point's where the network bends, ``[features]``."""
    kink_above: F64
    """Per input, the nearest value above the point's where the network bends, ``[features]``."""
    distance_below: F64
    """``point - kink_below``: how far each input can fall before a kink, ``[features]``."""
    distance_above: F64
    """``kink_above - point``: how far each input can rise before a kink, ``[features]``."""
    radius: F64
    """How far from the point each input's kinks were searched, ``[features]``."""

class EffectCurve:
    """The exact effect ∂output/∂x_of as x_along sweeps a range, the rest held: piecewise constant,
    ``effects[i]`` on ``[starts[i], ends[i]]``; the pieces are contiguous and increasing."""

    of: str
    along: str
    output: int
    at: dict[str, float]
    """The values at which the other features (``of`` among them) are held."""
    range: F64
    """The swept range ``[low, high]``."""
    starts: F64
    ends: F64
    effects: F64
    def __len__(self) -> int: ...

class Interactions:
    """Every pair of inputs over rows of data: Friedman's H-statistic and the exact gradient
    measure. Per-pair arrays follow the order of ``pairs``."""

    pairs: list[tuple[str, str]]
    by_h: list[tuple[str, str]]
    """The pairs, strongest H-statistic first."""
    by_gradient: list[tuple[str, str]]
    """The pairs, strongest gradient measure first."""
    h_statistic: F64
    h_squared: F64
    h_unnormalized: F64
    """The interaction's size in output units (H without its division by the joint effect)."""
    gradient: F64
    """Per pair (i, j): the mean total variation of ∂f/∂xᵢ along xⱼ and of ∂f/∂xⱼ along xᵢ."""
    gradient_strength: F64
    """The exact gradient measure, in output units."""
    gradient_matrix: F64
    """``[features, features]``: row i the effect of xᵢ, column j the input that moves."""
    ranges: F64
    rows_used: int
    rows_given: int
    output: int
    def __len__(self) -> int: ...
    def pair(self, a: Feature, b: Feature) -> dict[str, Any]:
        """The numbers of the pair ``a``, ``b`` (names or indices, either order)."""

Status: TypeAlias = Literal["dead", "always_active", "switching", "unknown"]

class NeuronHealth:
    """Each hidden unit's health, layer by layer: on rows of data and on a box of inputs."""

    layers: npt.NDArray[np.int64]
    units: npt.NDArray[np.int64]
    rates: F64 | None
    """The share of rows each unit is on for; ``None`` without data."""
    on_data: list[Status] | None
    intervals: F64 | None
    """Interval bounds on each unit's pre-activation over the box, ``[units, 2]``."""
    by_bounds: list[Status] | None
    exact: list[Status] | None
    """The exact status on the box, when at most two features vary."""
    on_box: list[Status] | None
    dead_on_data: list[tuple[int, int]] | None
    always_active_on_data: list[tuple[int, int]] | None
    dead_on_box: list[tuple[int, int]] | None
    always_active_on_box: list[tuple[int, int]] | None
    rows: int | None
    bounds: F64 | None
    analysis: Literal["point", "segment", "slice"] | None
    def __len__(self) -> int: ...

class NeuronExplanation:
    """What a Neuron does at one point, exactly; ``str()`` gives the account in words."""

    @property
    def names(self) -> list[str]: ...
    @property
    def point(self) -> dict[str, float]: ...
    @property
    def pre_activation(self) -> float:
        """z = sum(contributions) + bias."""
    @property
    def output(self) -> float: ...
    @property
    def active(self) -> bool:
        """z > 0 (z = 0 is off, as PyTorch's ReLU)."""
    @property
    def contributions(self) -> dict[str, float]:
        """Each input's share of z: weight · value."""
    @property
    def bias(self) -> float: ...
    @property
    def gradient(self) -> dict[str, float]: ...
    @property
    def switch_at(self) -> dict[str, float | None]:
        """Per input, the value at which z crosses 0 with the others held (None for weight 0)."""
    @property
    def change_to_switch(self) -> dict[str, float | None]: ...
    @property
    def on_above(self) -> dict[str, bool]: ...

class Neuron:
    """One node ``activation(w·x + bias)`` with named inputs: ReLU, or leaky ReLU, PReLU, ReLU6."""

    def __init__(
        self,
        weights: Mapping[str, float] | Sequence[float],
        bias: float = 0.0,
        activation: str = "relu",
    ) -> None: ...
    @property
    def names(self) -> list[str]: ...
    @property
    def weights(self) -> dict[str, float]: ...
    @property
    def bias(self) -> float: ...
    @property
    def activation(self) -> str: ...
    @overload
    def __call__(self, values: Mapping[str, float] | None = None, /, **kwargs: float) -> float: ...
    @overload
    def __call__(self, values: ArrayLike, /) -> float | F64:
        """The output at one point (a dict, keywords or a sequence), or ``[rows]`` for rows."""
    def explain(
        self, values: Mapping[str, float] | Sequence[float] | None = None, /, **kwargs: float
    ) -> NeuronExplanation:
        """The exact account of the node at a point given as a dict, keywords or a sequence."""

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
    def explain_point(self, at: Point, radius: float | ArrayLike | None = None) -> LocalExplanation:
        """Outputs, exact local slopes, units on and nearest kinks at one point."""
    def effect_curve(
        self,
        of: Feature,
        along: Feature,
        at: Point | None = None,
        range: ArrayLike | None = None,
        output: int = 0,
    ) -> EffectCurve:
        """The exact, piecewise-constant effect ∂output/∂of as ``along`` sweeps ``range``."""
    def interactions(
        self,
        X: ArrayLike,
        output: int = 0,
        max_rows: int = 300,
        seed: int = 0,
        ranges: ArrayLike | None = None,
    ) -> Interactions:
        """H-statistic and exact gradient measure of every pair of inputs over the rows of X."""
    def neurons(
        self,
        X: ArrayLike | None = None,
        bounds: ArrayLike | Mapping[str, float | Sequence[float]] | None = None,
    ) -> NeuronHealth:
        """Dead and always-active hidden units on data and on a box (typical ranges by default)."""
    def report(
        self,
        dir: PathLike,
        data: Dataset | tuple[ArrayLike, ArrayLike] | None = None,
        *,
        x: Feature | None = None,
        y: Feature | None = None,
        seed: int = 0,
    ) -> pathlib.Path:
        """Writes the page ``relulens explain`` writes to ``dir/index.html`` and returns its path."""
    @classmethod
    def from_torch(cls, module_or_state_dict: Any, activation: str | None = None) -> Mlp: ...
    def to_torch(self, dtype: Any = None) -> Any: ...

def load(path: PathLike) -> Mlp: ...
def load_dataset(name: str, seed: int = 0) -> Dataset: ...
def list_datasets() -> list[dict[str, Any]]: ...
