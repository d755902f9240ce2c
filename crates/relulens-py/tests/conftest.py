"""Shared helpers: the committed PyTorch fixtures, the agreement rules, and the activation table."""

import json
import pathlib
import re

import numpy as np
import pytest

import relulens

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]
FIXTURES = REPO / "crates" / "relulens" / "tests" / "fixtures"

#: Every activation: its relulens functions, the parameters the tests try, and the saved tensor
#: its backward reads ("output" for ReLU and the identity, as `Activation::saves()` says).
FAMILY = {
    "relu": ({}, "output"),
    "leaky_relu": ({"negative_slope": 0.2}, "input"),
    "relu6": ({}, "input"),
    "prelu": ({"weight": -0.5}, "input"),
    "elu": ({"alpha": 0.5}, "input"),
    "selu": ({}, "input"),
    "gelu": ({"approximate": "tanh"}, "input"),
    "silu": ({}, "input"),
    "softplus": ({"beta": 2.0, "threshold": 10.0}, "input"),
    "hardswish": ({}, "input"),
    "mish": ({}, "input"),
    "identity": ({}, "output"),
}

#: The activations whose PyTorch results relulens matches bit for bit.
BIT_EXACT = {"relu", "leaky_relu", "relu6", "prelu", "hardswish", "identity"}


def functions(name):
    """(forward, in place, backward) for an activation name."""
    return (
        getattr(relulens, name),
        getattr(relulens, name + "_"),
        getattr(relulens, name + "_backward"),
    )


def parse_activation(text):
    """`"softplus(beta=2, threshold=10)"` -> ("softplus", {"beta": 2.0, "threshold": 10.0}); the
    library's `gelu_tanh` is `gelu(approximate="tanh")` here."""
    match = re.fullmatch(r"(\w+)(?:\((.*)\))?", text.strip())
    name, inner = match.group(1), match.group(2)
    params = {}
    if inner:
        for part in inner.split(","):
            key, value = part.split("=")
            params[key.strip()] = float(value)
    if name == "gelu_tanh":
        return "gelu", {"approximate": "tanh"}
    return name, params


def saves_output(name):
    return FAMILY[name][1] == "output"


def forward_and_derivative(name, params, x):
    """The forward values and the derivative (backward of ones) through relulens."""
    forward, _, backward = functions(name)
    y = forward(x, **params)
    saved = y if saves_output(name) else x
    return y, backward(np.ones_like(x), saved, **params)


def agreement_failures(name, x, ours, theirs, what):
    """The places where relulens and PyTorch disagree beyond the rules of
    `crates/relulens/tests/pytorch_fixtures.rs`: bit-exact for the piecewise-linear activations and
    hardswish; |ours - torch| <= 8 ulp(torch) + 4 eps (1 + |x|) for the smooth ones; where PyTorch
    gives NaN for a non-NaN input, relulens gives the limit (value 0 or x, derivative 0 or 1)."""
    x, ours, theirs = (np.asarray(a) for a in (x, ours, theirs))
    eps = np.finfo(x.dtype).eps
    torch_nan = np.isnan(theirs) & ~np.isnan(x)
    if what == "value":
        limit = np.where(x < 0, -0.0, x)
    else:
        limit = np.where(x < 0, 0.0, 1.0).astype(x.dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        limit_ok = ~np.isnan(ours) & (ours == limit)
        both_nan = np.isnan(theirs) & np.isnan(ours)
        if name in BIT_EXACT:
            close = ours.view(f"u{x.itemsize}") == theirs.view(f"u{x.itemsize}")
        else:
            ulp = np.where(np.isfinite(theirs), np.spacing(np.abs(theirs)), np.inf)
            bound = 8 * ulp + 4 * eps * (1 + np.abs(x.astype(np.float64)))
            close = (ours == theirs) | (np.abs(ours.astype(np.float64) - theirs) <= bound)
        plain = ~np.isnan(theirs) & ~np.isnan(ours) & close
    ok = np.where(torch_nan, limit_ok, np.where(np.isnan(theirs) | np.isnan(ours), both_nan, plain))
    return [
        f"{name} {x.dtype} {what} at x = {x[i]!r}: relulens {ours[i]!r}, torch {theirs[i]!r}"
        for i in np.flatnonzero(~ok)[:20]
    ]


def load_activation_fixture():
    with open(FIXTURES / "activations.json") as f:
        return json.load(f)


def from_hex(values, dtype):
    return np.frombuffer(bytes.fromhex("".join(values)), dtype="<f4" if dtype == "f32" else "<f8")


@pytest.fixture
def threads():
    """Restores the thread count a test changes."""
    before = relulens.get_num_threads()
    yield
    relulens.set_num_threads(before)


@pytest.fixture(scope="session")
def trained():
    """A small binary classifier on height_weight, trained once for the tests that need one."""
    data = relulens.datasets.load("height_weight", seed=0)
    model = relulens.Mlp([2, 8, 8, 1], seed=0)
    model.fit(data, epochs=15)
    return model, data
