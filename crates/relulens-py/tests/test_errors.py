"""Errors (src/error.rs): bad input to every public function and method raises a ReluLensError
subclass that is also the matching built-in exception, and never PyO3's PanicException."""

import inspect
import os
import tempfile

import numpy as np
import pytest

import relulens
from relulens import (
    ActivationError,
    ArgumentError,
    DataError,
    DtypeError,
    GeometryError,
    MissingFileError,
    ModelFileError,
    NetworkError,
    NonFiniteError,
    OutOfBoundsError,
    ReadOnlyError,
    ShapeError,
    TrainingError,
    datasets,
)
from conftest import FAMILY

#: Array arguments that no function can use.
BAD_ARRAYS = [
    ("a string", "text", DtypeError),
    ("None", None, DtypeError),
    ("complex numbers", [1j, 2.0], DtypeError),
    ("strings", ["a", "b"], DtypeError),
    ("a ragged list", [[1.0, 2.0], [3.0]], ShapeError),
    ("a string array", np.array(["x"]), DtypeError),
    ("a dict", {"a": 1.0}, DtypeError),
    ("an object", object(), DtypeError),
    ("datetimes", np.array(["2020-01-01"], dtype="datetime64[D]"), DtypeError),
]


def fails(expected, call):
    """Runs `call`, which must raise `expected` (a ReluLensError subclass), and returns the error."""
    try:
        call()
    except BaseException as err:  # noqa: B036 - PanicException derives from BaseException
        assert type(err).__name__ != "PanicException", f"a panic crossed the boundary: {err}"
        assert isinstance(err, relulens.ReluLensError), f"{type(err).__mro__}: {err}"
        assert isinstance(err, expected), f"expected {expected.__name__}, got {type(err).__name__}: {err}"
        return err
    raise AssertionError(f"no exception; expected {expected.__name__}")


def test_every_error_class_derives_from_a_builtin():
    for name in relulens.errors.__all__:
        cls = getattr(relulens, name)
        assert issubclass(cls, relulens.ReluLensError)
        if cls is not relulens.ReluLensError:
            builtins = [b for b in cls.__mro__ if b.__module__ == "builtins" and b not in
                        (Exception, BaseException, object)]
            assert builtins, name
    assert issubclass(MissingFileError, FileNotFoundError)
    assert issubclass(ShapeError, ValueError) and issubclass(DtypeError, TypeError)


def model():
    return relulens.Mlp([2, 4, 1], seed=0)


def regions():
    return model().regions(bounds=[[-1, 1], [-1, 1]])


def read_only(shape=(3,), dtype=np.float64):
    a = np.zeros(shape, dtype)
    a.flags.writeable = False
    return a


# --- the sweep: for every public callable, the bad calls and what they raise ---

SWEEP = {}


def calls(name, *cases):
    SWEEP.setdefault(name, []).extend(cases)


for family_name, (params, saved) in FAMILY.items():
    forward = getattr(relulens, family_name)
    inplace = getattr(relulens, family_name + "_")
    backward = getattr(relulens, family_name + "_backward")
    key = next(iter(params), None)
    x = np.array([1.0, -1.0, 0.5])
    calls(
        family_name,
        *[(error, lambda f=forward, bad=bad: f(bad)) for _, bad, error in BAD_ARRAYS],
        (DtypeError, lambda f=forward: f(x, out=np.zeros(3, np.float32))),
        (DtypeError, lambda f=forward: f(x, out=[0.0, 0.0, 0.0])),
        (ShapeError, lambda f=forward: f(x, out=np.zeros(4))),
        (ReadOnlyError, lambda f=forward: f(x, out=read_only())),
    )
    calls(
        family_name + "_",
        (DtypeError, lambda f=inplace: f([1.0, 2.0])),
        (DtypeError, lambda f=inplace: f(np.array([1, 2]))),
        (DtypeError, lambda f=inplace: f("text")),
        (ReadOnlyError, lambda f=inplace: f(read_only())),
    )
    calls(
        family_name + "_backward",
        *[(error, lambda f=backward, bad=bad: f(bad, x)) for _, bad, error in BAD_ARRAYS],
        *[(error, lambda f=backward, bad=bad: f(x, bad)) for _, bad, error in BAD_ARRAYS],
        (ShapeError, lambda f=backward: f(np.ones(4), x)),
        (ShapeError, lambda f=backward: f(x, x, out=np.zeros((3, 1)))),
        (ReadOnlyError, lambda f=backward: f(x, x, out=read_only())),
    )
    if key is not None and key != "approximate":
        calls(
            family_name,
            (DtypeError, lambda f=forward, k=key: f(x, **{k: "big"})),
            (DtypeError, lambda f=forward, k=key: f(x, **{k: [1.0]})),
            (ActivationError, lambda f=forward, k=key: f(x, **{k: float("nan")})),
            (ActivationError, lambda f=forward, k=key: f(x, **{k: float("inf")})),
        )
        calls(family_name + "_", (ActivationError, lambda f=inplace, k=key: f(np.ones(2), **{k: float("nan")})))
        calls(family_name + "_backward", (DtypeError, lambda f=backward, k=key: f(x, x, **{k: "x"})))

calls("gelu", (ActivationError, lambda: relulens.gelu([1.0], approximate="erf")),
      (DtypeError, lambda: relulens.gelu([1.0], approximate=1)))
calls("gelu_", (ActivationError, lambda: relulens.gelu_(np.ones(2), approximate="sigmoid")))
calls("gelu_backward", (ActivationError, lambda: relulens.gelu_backward([1.0], [1.0], approximate="x")))
calls("softplus", (ActivationError, lambda: relulens.softplus([1.0], beta=0.0)))
calls("set_num_threads", (ArgumentError, lambda: relulens.set_num_threads(0)),
      (ArgumentError, lambda: relulens.set_num_threads(-2)),
      (DtypeError, lambda: relulens.set_num_threads("two")),
      (DtypeError, lambda: relulens.set_num_threads(1.5)))
def not_a_model_file():
    with tempfile.NamedTemporaryFile(suffix=".safetensors", delete=False) as f:
        f.write(b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}")
    try:
        relulens.load(f.name)
    finally:
        os.remove(f.name)


calls("load", (MissingFileError, lambda: relulens.load("no-such-file.safetensors")),
      (ModelFileError, not_a_model_file),
      (DtypeError, lambda: relulens.load(None)),
      (DtypeError, lambda: relulens.load(3.0)))
calls("datasets.load", (DataError, lambda: datasets.load("iris")),
      (DtypeError, lambda: datasets.load(3)),
      (ArgumentError, lambda: datasets.load("xor", seed=-1)),
      (DtypeError, lambda: datasets.load("xor", seed="zero")))

calls(
    "Mlp",
    (NetworkError, lambda: relulens.Mlp([])),
    (NetworkError, lambda: relulens.Mlp([3])),
    (NetworkError, lambda: relulens.Mlp([2, 0, 1])),
    (DtypeError, lambda: relulens.Mlp("2,4,1")),
    (DtypeError, lambda: relulens.Mlp(None)),
    (DtypeError, lambda: relulens.Mlp([2.5, 1])),
    (DtypeError, lambda: relulens.Mlp([2, -4, 1])),
    (ActivationError, lambda: relulens.Mlp([2, 1], activation="swish")),
    (ActivationError, lambda: relulens.Mlp([2, 1], activation="elu(alpha=)")),
    (DtypeError, lambda: relulens.Mlp([2, 1], activation=3)),
    (ArgumentError, lambda: relulens.Mlp([2, 1], seed=-1)),
    (DtypeError, lambda: relulens.Mlp([2, 1], seed="0")),
)
calls(
    "Mlp.predict",
    *[(error, lambda bad=bad: model().predict(bad)) for _, bad, error in BAD_ARRAYS],
    (ShapeError, lambda: model().predict(np.zeros((2, 3)))),
    (ShapeError, lambda: model().predict(np.zeros((2, 2, 2)))),
    (ShapeError, lambda: model().predict([1.0, 2.0, 3.0])),
)
X, Y = np.random.default_rng(0).standard_normal((20, 2)), np.arange(20) % 2
calls(
    "Mlp.fit",
    *[(error, lambda bad=bad: model().fit(bad, Y)) for _, bad, error in BAD_ARRAYS],
    (ArgumentError, lambda: model().fit(X)),
    (ShapeError, lambda: model().fit(X, Y[:5])),
    (ShapeError, lambda: model().fit(X, np.zeros((20, 2)))),
    (DtypeError, lambda: model().fit(X, [1j] * 20)),
    (DataError, lambda: model().fit(np.full((20, 2), np.inf), Y)),
    (TrainingError, lambda: model().fit(X, Y, epochs=0)),
    (TrainingError, lambda: model().fit(X, Y, optimizer="rmsprop")),
    (TrainingError, lambda: model().fit(X, Y, validation=-0.1)),
    (TrainingError, lambda: model().fit(X, Y, lr=float("nan"))),
    (DataError, lambda: model().fit(X, Y, task="classification")),
    (DtypeError, lambda: model().fit(X, Y, task=1)),
    (ShapeError, lambda: model().fit(X, Y, feature_names=["a"])),
    (DtypeError, lambda: model().fit(X, Y, feature_names="ab")),
    (DataError, lambda: model().fit(X, Y, feature_names=["a", "a"])),
    (DataError, lambda: model().fit(X, np.array(["a", "b"] * 10), class_labels=["a", "c"])),
    (ArgumentError, lambda: model().fit(X, Y.astype(float), task="regression", class_labels=["a", "b"])),
    (ArgumentError, lambda: model().fit(datasets.load("xor"), Y)),
    (ArgumentError, lambda: relulens.Mlp([2, 4, 1]).fit(datasets.load("xor"), task="regression")),
)
calls(
    "Mlp.save",
    (DtypeError, lambda: model().save(None)),
    (DtypeError, lambda: model().save(["a"])),
    (MissingFileError, lambda: model().save("no/such/directory/model.safetensors")),
)
calls("Mlp.load", (MissingFileError, lambda: relulens.Mlp.load("missing.safetensors")),
      (DtypeError, lambda: relulens.Mlp.load(1)))
calls("Mlp.state_dict")  # takes no arguments: nothing to get wrong
calls(
    "Mlp.kinks",
    *[(error, lambda bad=bad: model().kinks(bad, [1.0, 1.0])) for _, bad, error in BAD_ARRAYS
      if not isinstance(bad, dict)],
    (DataError, lambda: model().kinks({"height": 1.0}, [1.0, 1.0])),
    (DtypeError, lambda: model().kinks({"x0": "one"}, [1.0, 1.0])),
    (DtypeError, lambda: model().kinks({2.5: 1.0}, [1.0, 1.0])),
    (ShapeError, lambda: model().kinks([0.0], [1.0, 1.0])),
    (GeometryError, lambda: model().kinks([np.nan, 0.0], [1.0, 1.0])),
    (GeometryError, lambda: relulens.Mlp([2, 3, 1], activation="silu").kinks([0, 0], [1, 1])),
)
calls(
    "Mlp.regions",
    (DataError, lambda: model().regions(x="nope")),
    (ArgumentError, lambda: model().regions(x=5)),
    (DtypeError, lambda: model().regions(x=1.5)),
    (GeometryError, lambda: model().regions(x=1, y=1)),
    (ShapeError, lambda: model().regions(bounds=[1, 2, 3])),
    (DtypeError, lambda: model().regions(bounds="wide")),
    (GeometryError, lambda: model().regions(bounds=[[0, 0], [0, 1]])),
    (GeometryError, lambda: model().regions(bounds=[[0, np.inf], [0, 1]])),
    (ShapeError, lambda: model().regions(at=[1.0])),
    (DataError, lambda: model().regions(at={"z": 1.0})),
    (ArgumentError, lambda: model().regions(max_regions=-1)),
    (GeometryError, lambda: model().regions(max_regions=0)),
)
calls(
    "Mlp.decision_boundary",
    (DtypeError, lambda: model().decision_boundary(level="zero")),
    (NonFiniteError, lambda: model().decision_boundary(level=np.nan)),
    (ArgumentError, lambda: model().decision_boundary(output=1)),
    (ArgumentError, lambda: model().decision_boundary(output=-1)),
    (DataError, lambda: model().decision_boundary(y="nope")),
)
calls(
    "Mlp.from_torch",
    (NetworkError, lambda: relulens.Mlp.from_torch({})),
    (NetworkError, lambda: relulens.Mlp.from_torch({"0.weight": np.ones((2, 2, 2))})),
    (DtypeError, lambda: relulens.Mlp.from_torch({"0.weight": "w"})),
    (ShapeError, lambda: relulens.Mlp.from_torch({"0.weight": np.ones((2, 2)), "0.bias": np.ones(3)})),
    (ActivationError, lambda: relulens.Mlp.from_torch({"weight": np.ones((1, 2)), "bias": np.ones(1),
                                                       "1.weight": np.ones((1, 1)),
                                                       "1.bias": np.ones(1)}, activation="swish")),
    (relulens.ReluLensError, lambda: relulens.Mlp.from_torch(object())),
)
calls("Mlp.to_torch", (relulens.ReluLensError, lambda: model().to_torch(dtype="int8")))
calls(
    "Mlp.explain_point",
    *[(error, lambda bad=bad: model().explain_point(bad)) for _, bad, error in BAD_ARRAYS
      if not isinstance(bad, dict)],
    (DataError, lambda: model().explain_point({"height": 1.0})),
    (DtypeError, lambda: model().explain_point({"x0": "one"})),
    (ShapeError, lambda: model().explain_point([0.0])),
    (ShapeError, lambda: model().explain_point(np.zeros((2, 2)))),
    (GeometryError, lambda: model().explain_point([np.nan, 0.0])),
    (GeometryError, lambda: model().explain_point({"x1": np.inf})),
    (GeometryError, lambda: model().explain_point([0.0, 0.0], radius=0.0)),
    (GeometryError, lambda: model().explain_point([0.0, 0.0], radius=[1.0, -1.0])),
    (GeometryError, lambda: model().explain_point([0.0, 0.0], radius=np.nan)),
    (ShapeError, lambda: model().explain_point([0.0, 0.0], radius=[1.0])),
    (DtypeError, lambda: model().explain_point([0.0, 0.0], radius="wide")),
    (GeometryError, lambda: relulens.Mlp([2, 3, 1], activation="silu").explain_point([0, 0])),
)
calls(
    "Mlp.effect_curve",
    (DataError, lambda: model().effect_curve(of="height", along="x1")),
    (DataError, lambda: model().effect_curve(of="x0", along="weight")),
    (ArgumentError, lambda: model().effect_curve(of=0, along=5)),
    (DtypeError, lambda: model().effect_curve(of=0.5, along=1)),
    (ShapeError, lambda: model().effect_curve(0, 1, range=[0.0])),
    (ShapeError, lambda: model().effect_curve(0, 1, range=[[0.0, 1.0]])),
    (DtypeError, lambda: model().effect_curve(0, 1, range="wide")),
    (GeometryError, lambda: model().effect_curve(0, 1, range=[1.0, 0.0])),
    (GeometryError, lambda: model().effect_curve(0, 1, range=[0.0, 0.0])),
    (GeometryError, lambda: model().effect_curve(0, 1, range=[0.0, np.nan])),
    (GeometryError, lambda: model().effect_curve(0, 1, at=[np.nan, 0.0])),
    (ShapeError, lambda: model().effect_curve(0, 1, at=[0.0])),
    (DataError, lambda: model().effect_curve(0, 1, at={"z": 0.0})),
    (ArgumentError, lambda: model().effect_curve(0, 1, output=1)),
    (ArgumentError, lambda: model().effect_curve(0, 1, output=-1)),
    (DtypeError, lambda: model().effect_curve(0, 1, output="first")),
    (GeometryError, lambda: relulens.Mlp([2, 3, 1], activation="gelu").effect_curve(0, 1)),
)
calls(
    "Mlp.interactions",
    *[(error, lambda bad=bad: model().interactions(bad)) for _, bad, error in BAD_ARRAYS],
    (ShapeError, lambda: model().interactions(np.zeros((5, 3)))),
    (ShapeError, lambda: model().interactions(np.zeros((2, 2, 2)))),
    (ArgumentError, lambda: model().interactions(np.zeros((0, 2)))),
    (NonFiniteError, lambda: model().interactions([[np.nan, 0.0]])),
    (ArgumentError, lambda: model().interactions(X, output=1)),
    (ArgumentError, lambda: model().interactions(X, max_rows=0)),
    (ArgumentError, lambda: model().interactions(X, max_rows=-1)),
    (DtypeError, lambda: model().interactions(X, seed="s")),
    (ShapeError, lambda: model().interactions(X, ranges=[[0, 1]])),
    (DtypeError, lambda: model().interactions(X, ranges="all")),
    (ArgumentError, lambda: model().interactions(X, ranges=[[0, 1], [2, 1]])),
    (ArgumentError, lambda: model().interactions(X, ranges=[[0, 1], [0, np.inf]])),
    (GeometryError, lambda: relulens.Mlp([2, 3, 1], activation="silu").interactions(X)),
)
calls(
    "Mlp.neurons",
    *[(error, lambda bad=bad: model().neurons(bad)) for _, bad, error in BAD_ARRAYS if bad is not None],
    (ShapeError, lambda: model().neurons(np.zeros((5, 3)))),
    (NonFiniteError, lambda: model().neurons([[np.inf, 0.0]])),
    (ArgumentError, lambda: model().neurons(np.zeros((0, 2)))),
    (ShapeError, lambda: model().neurons(bounds=[[0, 1]])),
    (ShapeError, lambda: model().neurons(bounds=[0, 1])),
    (DtypeError, lambda: model().neurons(bounds="box")),
    (ArgumentError, lambda: model().neurons(bounds=[[1, 0], [0, 1]])),
    (ArgumentError, lambda: model().neurons(bounds=[[0, np.nan], [0, 1]])),
    (DataError, lambda: model().neurons(bounds={"z": 1.0})),
    (ShapeError, lambda: model().neurons(bounds={"x0": [0, 1, 2]})),
    (DtypeError, lambda: model().neurons(bounds={"x0": "low"})),
    (ArgumentError, lambda: model().neurons(bounds={"x0": np.nan})),
    (GeometryError, lambda: relulens.Mlp([2, 3, 1], activation="elu").neurons()),
)


def in_a_temporary_directory(call):
    """`call(path)` with `path` a name in a new temporary directory (removed afterwards)."""
    def run():
        with tempfile.TemporaryDirectory() as d:
            call(os.path.join(d, "page"))
    return run


def report_into_a_file(path):
    open(path, "w").close()
    model().report(path)


calls(
    "Mlp.report",
    (MissingFileError, in_a_temporary_directory(lambda d: model().report(os.path.join(d, "page")))),
    (relulens.FileError, in_a_temporary_directory(report_into_a_file)),
    (DtypeError, lambda: model().report(None)),
    (DtypeError, lambda: model().report(3)),
    (DtypeError, in_a_temporary_directory(lambda d: model().report(d, data="height_weight"))),
    (DtypeError, in_a_temporary_directory(lambda d: model().report(d, data=(X,)))),
    (DtypeError, in_a_temporary_directory(lambda d: model().report(d, data=[X, Y]))),
    (ShapeError, in_a_temporary_directory(lambda d: model().report(d, data=datasets.load("penguins")))),
    (ShapeError, in_a_temporary_directory(
        lambda d: model().report(d, data=(np.zeros((4, 3)), [0, 1, 0, 1])))),
    (ShapeError, in_a_temporary_directory(lambda d: model().report(d, data=(X, Y[:5])))),
    (DataError, in_a_temporary_directory(lambda d: model().report(d, data=(np.full((20, 2), np.nan), Y)))),
    (DataError, in_a_temporary_directory(lambda d: model().report(d, x="height"))),
    (ArgumentError, in_a_temporary_directory(lambda d: model().report(d, y=7))),
    (GeometryError, in_a_temporary_directory(lambda d: model().report(d, x=0, y=0))),
    (ArgumentError, in_a_temporary_directory(lambda d: model().report(d, seed=-1))),
    (GeometryError, in_a_temporary_directory(lambda d: relulens.Mlp([2, 3, 1], activation="gelu").report(d))),
)


def node():
    return relulens.Neuron({"A": 2.0, "B": 3.0})


calls(
    "Neuron",
    *[(error, lambda bad=bad: relulens.Neuron(bad)) for _, bad, error in BAD_ARRAYS
      if not isinstance(bad, dict)],
    (relulens.ArgumentError, lambda: relulens.Neuron({})),
    (relulens.ArgumentError, lambda: relulens.Neuron([])),
    (relulens.ArgumentError, lambda: relulens.Neuron({" ": 1.0})),
    (relulens.ArgumentError, lambda: relulens.Neuron({"A": np.nan})),
    (relulens.ArgumentError, lambda: relulens.Neuron({"A": 1.0}, bias=np.inf)),
    (relulens.ArgumentError, lambda: relulens.Neuron({"A": 1.0}, activation="gelu")),
    (relulens.ArgumentError, lambda: relulens.Neuron({"A": 1.0}, activation="identity")),
    (ActivationError, lambda: relulens.Neuron({"A": 1.0}, activation="swish")),
    (DtypeError, lambda: relulens.Neuron({"A": 1.0}, activation=1)),
    (DtypeError, lambda: relulens.Neuron({"A": "two"})),
    (DtypeError, lambda: relulens.Neuron({1: 2.0})),
    (DtypeError, lambda: relulens.Neuron({"A": 1.0}, bias="zero")),
    (ShapeError, lambda: relulens.Neuron([[1.0, 2.0]])),
)
calls(
    "Neuron.explain",
    (DataError, lambda: node().explain(A=1, C=2)),
    (ArgumentError, lambda: node().explain(A=1)),
    (ArgumentError, lambda: node().explain()),
    (ArgumentError, lambda: node().explain({"A": 1, "B": 2}, A=1)),
    (ArgumentError, lambda: node().explain([1.0, 2.0], A=1)),
    (ShapeError, lambda: node().explain([1.0])),
    (ShapeError, lambda: node().explain([[1.0, 2.0]])),
    (NonFiniteError, lambda: node().explain(A=np.nan, B=0)),
    (NonFiniteError, lambda: node().explain([0.0, np.inf])),
    (DtypeError, lambda: node().explain(A="one", B=0)),
    (DtypeError, lambda: node().explain({1: 1.0, "B": 0})),
    *[(error, lambda bad=bad: node().explain(bad)) for _, bad, error in BAD_ARRAYS
      if bad is not None and not isinstance(bad, dict)],
)
calls(
    "Neuron.__call__",
    (DataError, lambda: node()(A=1, C=2)),
    (ArgumentError, lambda: node()(B=1)),
    (ShapeError, lambda: node()(np.zeros((2, 3)))),
    (ShapeError, lambda: node()(np.zeros((2, 2, 2)))),
    (NonFiniteError, lambda: node()([[1.0, np.nan]])),
    (DtypeError, lambda: node()(A=[1.0], B=0)),
)
calls(
    "Interactions.pair",
    (ArgumentError, lambda: model().interactions(X).pair("x0", "x0")),
    (DataError, lambda: model().interactions(X).pair("z", "x0")),
    (ArgumentError, lambda: model().interactions(X).pair(5, 0)),
    (DtypeError, lambda: model().interactions(X).pair(1.5, 0)),
)
calls("Regions.locate", (DtypeError, lambda: regions().locate("a", 0.0)))
calls("Regions.decision_boundary", (ArgumentError, lambda: regions().decision_boundary(output=2)),
      (DtypeError, lambda: regions().decision_boundary(level=[0.0])))
calls("Regions.jacobians")  # takes no arguments
calls("History.__getitem__",
      (OutOfBoundsError, lambda: model().fit(X, Y, epochs=2)[5]),
      (OutOfBoundsError, lambda: model().fit(X, Y, epochs=2)[-3]))
calls("History.to_list")  # takes no arguments
calls("activation_names")
calls("get_num_threads")
calls("datasets.list")


def public_callables():
    """Every public function of `relulens` and `relulens.datasets`, and every public method of the
    classes, by the names SWEEP uses."""
    names = set()
    for name in relulens.__all__:
        obj = getattr(relulens, name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            if name in ("Mlp", "Neuron"):
                names.add(name)
            for attr in dir(obj):
                member = getattr(obj, attr)
                if not attr.startswith("_") and callable(member) and not inspect.isclass(member):
                    names.add(f"{name}.{attr}")
        elif callable(obj) and not inspect.isclass(obj) and not inspect.ismodule(obj):
            names.add(name)
    names |= {f"datasets.{n}" for n in ("load", "list")}
    names.add("History.__getitem__")
    names.add("Neuron.__call__")
    return names


def test_the_sweep_covers_every_public_callable():
    missing = public_callables() - set(SWEEP)
    assert not missing, f"no bad-input cases for {sorted(missing)}"


@pytest.mark.parametrize(
    "name,expected,call",
    [(name, expected, call) for name, cases in SWEEP.items() for expected, call in cases],
    ids=[f"{name}-{i}" for name, cases in SWEEP.items() for i in range(len(cases))],
)
def test_bad_input_raises_a_relulens_error(name, expected, call):
    fails(expected, call)


def test_messages_name_the_function_and_the_argument():
    err = fails(ShapeError, lambda: relulens.relu_backward(np.ones(4), np.ones(3)))
    assert "relu_backward" in str(err) and "grad_output" in str(err) and "output" in str(err)
    err = fails(DtypeError, lambda: relulens.relu(np.zeros(2), out=np.zeros(2, np.float32)))
    assert str(err) == "relu: out must be a float64 array like the result, got an array of dtype float32"
