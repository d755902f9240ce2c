"""Agreement with PyTorch: always through the committed fixture
`crates/relulens/tests/fixtures/activations.json` (PyTorch's values and derivatives, as hex bits,
on special values and a sweep, f32 and f64), and live against torch when it is importable."""

import numpy as np
import pytest

import relulens
from conftest import (
    FAMILY,
    agreement_failures,
    forward_and_derivative,
    from_hex,
    load_activation_fixture,
    parse_activation,
)

FIXTURE = load_activation_fixture()


def test_the_fixture_covers_every_activation_in_both_dtypes():
    covered = {(parse_activation(c["activation"])[0], c["dtype"]) for c in FIXTURE["cases"]}
    for name in FAMILY:
        assert (name, "f32") in covered and (name, "f64") in covered, name


@pytest.mark.parametrize(
    "case", FIXTURE["cases"], ids=[f'{c["activation"]}-{c["dtype"]}' for c in FIXTURE["cases"]]
)
def test_fixture_agreement(case):
    name, params = parse_activation(case["activation"])
    x = from_hex(case["x"], case["dtype"])
    value = from_hex(case["value"], case["dtype"])
    derivative = from_hex(case["derivative"], case["dtype"])
    ours, ours_derivative = forward_and_derivative(name, params, x)
    assert ours.dtype == x.dtype
    failures = agreement_failures(name, x, ours, value, "value")
    failures += agreement_failures(name, x, ours_derivative, derivative, "derivative")
    assert not failures, "\n".join(failures)


def test_the_documented_deviations_are_exercised():
    # Where PyTorch gives NaN for a non-NaN input (GELU and friends at -inf), relulens gives the limit.
    nan_from_torch = set()
    for case in FIXTURE["cases"]:
        x = from_hex(case["x"], case["dtype"])
        value = from_hex(case["value"], case["dtype"])
        derivative = from_hex(case["derivative"], case["dtype"])
        if np.any(~np.isnan(x) & (np.isnan(value) | np.isnan(derivative))):
            nan_from_torch.add(parse_activation(case["activation"])[0])
    assert {"gelu", "silu", "mish"} <= nan_from_torch


# --- live, when PyTorch is installed ---

LIVE = [
    ("relu", {}, "relu", {}),
    ("leaky_relu", {"negative_slope": 0.2}, "leaky_relu", {"negative_slope": 0.2}),
    ("relu6", {}, "relu6", {}),
    ("elu", {"alpha": 0.5}, "elu", {"alpha": 0.5}),
    ("selu", {}, "selu", {}),
    ("gelu", {}, "gelu", {}),
    ("gelu", {"approximate": "tanh"}, "gelu", {"approximate": "tanh"}),
    ("silu", {}, "silu", {}),
    ("softplus", {"beta": 2.0, "threshold": 10.0}, "softplus", {"beta": 2.0, "threshold": 10.0}),
    ("hardswish", {}, "hardswish", {}),
    ("mish", {}, "mish", {}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,params,torch_name,torch_params", LIVE)
def test_live_agreement_with_torch(name, params, torch_name, torch_params, dtype):
    torch = pytest.importorskip("torch")
    specials = [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-30, -1e-30, 6.0, -3.0, 3.0, 20.0, -20.0]
    x = np.concatenate(
        [specials, np.random.default_rng(7).standard_normal(5000) * 6]
    ).astype(dtype)
    t = torch.from_numpy(x.copy()).requires_grad_(True)
    y = getattr(torch.nn.functional, torch_name)(t, **torch_params)
    y.backward(torch.ones_like(y))
    ours, ours_derivative = forward_and_derivative(name, params, x)
    failures = agreement_failures(name, x, ours, y.detach().numpy(), "value")
    failures += agreement_failures(name, x, ours_derivative, t.grad.numpy(), "derivative")
    assert not failures, "\n".join(failures)


def test_live_relu_backward_is_torch_threshold_backward():
    torch = pytest.importorskip("torch")
    y = relulens.relu(np.random.default_rng(8).standard_normal(1000).astype(np.float32))
    g = np.random.default_rng(9).standard_normal(1000).astype(np.float32)
    theirs = torch.ops.aten.threshold_backward(torch.from_numpy(g), torch.from_numpy(y), 0.0)
    assert np.array_equal(relulens.relu_backward(g, y), theirs.numpy())


def test_live_prelu_matches_torch_prelu():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(10).standard_normal(1000)
    theirs = torch.nn.functional.prelu(torch.from_numpy(x), torch.tensor([-0.5], dtype=torch.float64))
    assert np.array_equal(relulens.prelu(x, weight=-0.5), theirs.numpy())
