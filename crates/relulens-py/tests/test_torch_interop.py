"""PyTorch interop (python/relulens/_torch.py): through the committed fixtures always, and live
against torch when it is importable."""

import json
import sys

import numpy as np
import pytest

import relulens
from conftest import FIXTURES

SEQUENTIAL = json.loads((FIXTURES / "torch_sequential.json").read_text())


@pytest.mark.parametrize("dtype", ["f32", "f64"])
def test_from_torch_state_dict_predicts_as_pytorch_did(dtype):
    # The state dict PyTorch saved (read by relulens's loader), given to from_torch as arrays.
    state = relulens.load(FIXTURES / f"torch_sequential_{dtype}.safetensors").state_dict()
    model = relulens.Mlp.from_torch(state)
    assert model.sizes == [2, 8, 8, 3]
    inputs = np.array(SEQUENTIAL["inputs"])
    expected = np.array(SEQUENTIAL[f"outputs_{dtype}"])
    # relulens predicts in float64; PyTorch's f32 run rounds each layer.
    tolerance = 1e-6 if dtype == "f32" else 1e-14
    assert np.allclose(model.predict(inputs), expected, rtol=tolerance, atol=tolerance)


def test_without_torch_a_module_raises_torch_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(relulens.TorchError) as info:
        relulens.Mlp.from_torch(object())
    assert isinstance(info.value, ImportError)
    with pytest.raises(relulens.TorchError):
        relulens.Mlp([2, 1]).to_torch()
    # A state dict of arrays needs no torch.
    relulens.Mlp.from_torch({"weight": np.ones((1, 2)), "bias": np.zeros(1)})


ACTIVATIONS = [
    ("ReLU", {}, "relu"),
    ("LeakyReLU", {"negative_slope": 0.2}, "leaky_relu(negative_slope=0.2)"),
    ("ReLU6", {}, "relu6"),
    ("PReLU", {"init": 0.3}, "prelu(weight=0.30000001192092896)"),
    ("ELU", {"alpha": 0.5}, "elu(alpha=0.5)"),
    ("SELU", {}, "selu"),
    ("GELU", {"approximate": "tanh"}, "gelu_tanh"),
    ("SiLU", {}, "silu"),
    ("Softplus", {"beta": 2.0, "threshold": 10.0}, "softplus(beta=2, threshold=10)"),
    ("Hardswish", {}, "hardswish"),
    ("Mish", {}, "mish"),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("module,kwargs,text", ACTIVATIONS)
def test_live_from_torch_and_back(module, kwargs, text, dtype):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    tdtype = getattr(torch, dtype)
    act = getattr(torch.nn, module)(**kwargs)
    net = torch.nn.Sequential(
        torch.nn.Linear(3, 16), act, torch.nn.Linear(16, 16), getattr(torch.nn, module)(**kwargs),
        torch.nn.Linear(16, 2),
    ).to(tdtype)
    model = relulens.Mlp.from_torch(net)
    assert model.activation == text and model.dtype == dtype and model.sizes == [3, 16, 16, 2]
    x = np.random.default_rng(0).standard_normal((64, 3))
    with torch.no_grad():
        expected = net(torch.from_numpy(x).to(tdtype)).double().numpy()
    tolerance = 1e-5 if dtype == "float32" else 1e-12
    assert np.allclose(model.predict(x), expected, rtol=tolerance, atol=tolerance)
    back = model.to_torch()
    for a, b in zip(net.state_dict().values(), back.state_dict().values()):
        assert a.dtype == b.dtype and torch.equal(a, b)


def test_live_to_torch_of_a_trained_model_folds_the_standardisation(trained):
    torch = pytest.importorskip("torch")
    model, data = trained
    net = model.to_torch(dtype="float64")
    with torch.no_grad():
        theirs = net(torch.from_numpy(data.X)).numpy()
    assert np.allclose(theirs, model.predict(data.X), rtol=1e-12, atol=1e-9)


def test_live_unsupported_modules_are_refused():
    torch = pytest.importorskip("torch")
    with pytest.raises(relulens.NetworkError, match="Sigmoid"):
        relulens.Mlp.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.Sigmoid()))
    with pytest.raises(relulens.NetworkError, match="per channel"):
        relulens.Mlp.from_torch(
            torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.PReLU(3), torch.nn.Linear(3, 1))
        )
    with pytest.raises(relulens.ArgumentError):
        relulens.Mlp.from_torch(torch.nn.Linear(2, 1), activation="relu")


def test_live_a_torch_state_dict_of_tensors():
    torch = pytest.importorskip("torch")
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    model = relulens.Mlp.from_torch(net.state_dict())
    x = np.random.default_rng(1).standard_normal((8, 2)).astype(np.float32)
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).numpy()
    assert np.allclose(model.predict(x), expected, rtol=1e-6, atol=1e-6)


def test_live_to_torch_checks_its_dtype_whatever_its_form():
    torch = pytest.importorskip("torch")
    model = relulens.Mlp([2, 3, 1], seed=0)
    for good, expected in [
        ("float64", torch.float64),
        (torch.float16, torch.float16),
        (np.dtype("float32"), torch.float32),
        ("torch.bfloat16", torch.bfloat16),
    ]:
        net = model.to_torch(dtype=good)
        assert all(p.dtype == expected for p in net.parameters()), good
    for bad in [torch.int8, torch.complex64, "int8", "float", 5, np.float32, None.__class__]:
        with pytest.raises(relulens.DtypeError) as info:
            model.to_torch(dtype=bad)
        assert isinstance(info.value, TypeError) and "dtype must be" in str(info.value), bad
