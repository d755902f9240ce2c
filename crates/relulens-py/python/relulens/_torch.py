"""PyTorch interoperability: ``Mlp.from_torch`` and ``Mlp.to_torch``, in pure Python.

PyTorch is optional: it is imported only when a module is converted or ``to_torch`` is called, and
a state dict of NumPy arrays needs no PyTorch at all. The networks are PyTorch's
``nn.Sequential(Linear, activation, ..., Linear)``, the layout relulens model files use.

>>> net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
>>> model = relulens.Mlp.from_torch(net)
>>> back = model.to_torch()          # the same Sequential, weights bit for bit
"""

from collections.abc import Mapping

import numpy as np

from .errors import ArgumentError, DtypeError, NetworkError, TorchError

# The modules that pass their input through unchanged at inference.
_PASS_THROUGH = ("Identity", "Dropout", "AlphaDropout")


def _import_torch():
    try:
        import torch
    except ImportError as err:
        raise TorchError(
            "this needs PyTorch, which is not installed (pip install torch)"
        ) from err
    return torch


def _as_array(value, what):
    """A tensor or array-like as a float64 NumPy array, and its dtype's name."""
    if hasattr(value, "detach") and hasattr(value, "dtype"):
        tensor = value.detach().cpu()
        # bfloat16 has no NumPy dtype; widening every float dtype to float64 is exact.
        return tensor.double().numpy(), str(tensor.dtype).replace("torch.", "")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as err:
        raise DtypeError(f"from_torch: {what} is not an array: {err}") from err
    if array.dtype.kind not in "biuf":
        raise DtypeError(f"from_torch: {what} has dtype {array.dtype}, not numbers")
    return array.astype(np.float64), array.dtype.name


def _activation_text(module):
    """The relulens text of a PyTorch activation module, or None for one passing input through."""
    kind = type(module).__name__
    if kind in _PASS_THROUGH:
        return None
    simple = {
        "ReLU": "relu",
        "ReLU6": "relu6",
        "SELU": "selu",
        "SiLU": "silu",
        "Hardswish": "hardswish",
        "Mish": "mish",
    }
    if kind in simple:
        return simple[kind]
    if kind == "LeakyReLU":
        return f"leaky_relu(negative_slope={float(module.negative_slope)!r})"
    if kind == "ELU":
        return f"elu(alpha={float(module.alpha)!r})"
    if kind == "GELU":
        return "gelu_tanh" if module.approximate == "tanh" else "gelu"
    if kind == "Softplus":
        return f"softplus(beta={float(module.beta)!r}, threshold={float(module.threshold)!r})"
    if kind == "PReLU":
        if module.weight.numel() != 1:
            raise NetworkError(
                "from_torch: PReLU with one slope per channel is not supported "
                f"(it has {module.weight.numel()}); relulens's PReLU has one shared slope"
            )
        return f"prelu(weight={float(module.weight.detach().double().item())!r})"
    raise NetworkError(
        f"from_torch: unsupported module {kind}; relulens reads Linear layers with ReLU, "
        "LeakyReLU, ReLU6, PReLU, ELU, SELU, GELU, SiLU, Softplus, Hardswish, Mish or Identity "
        "between them"
    )


def _module_layers(module):
    """(weights, biases, activations, dtype) of a module's leaves, in registration order."""
    torch = _import_torch()
    if not isinstance(module, torch.nn.Module):
        raise DtypeError(
            "from_torch: expected a torch.nn.Module or a state dict, "
            f"got {type(module).__name__}"
        )
    leaves = [m for m in module.modules() if not any(True for _ in m.children())]
    weights, biases, activations, dtype = [], [], [], None
    for leaf in leaves:
        if isinstance(leaf, torch.nn.Linear):
            w, name = _as_array(leaf.weight, "weight")
            b = (
                _as_array(leaf.bias, "bias")[0]
                if leaf.bias is not None
                else np.zeros(w.shape[0])
            )
            weights.append(w)
            biases.append(b)
            activations.append("identity")
            dtype = dtype or name
            continue
        text = _activation_text(leaf)
        if text is None:
            continue
        if not weights or activations[-1] != "identity":
            raise NetworkError(
                f"from_torch: {type(leaf).__name__} must follow a Linear layer "
                "(one activation after each)"
            )
        activations[-1] = text
    if not weights:
        raise NetworkError("from_torch: the module has no Linear layer")
    return weights, biases, activations, dtype


def _state_dict_layers(state, activation):
    """(weights, biases, activations, dtype) of a Sequential state dict, in its key order."""
    hidden = "relu" if activation is None else str(activation)
    weights, biases, activations, dtype = [], [], [], None
    keys = list(state.keys())
    for key in keys:
        if not (key == "weight" or str(key).endswith(".weight")):
            continue
        value, name = _as_array(state[key], key)
        prefix = key[: -len("weight")]
        if value.ndim == 2:
            bias_key = prefix + "bias"
            if bias_key in state:
                bias = _as_array(state[bias_key], bias_key)[0]
            else:
                bias = np.zeros(value.shape[0])
            weights.append(value)
            biases.append(bias)
            activations.append(hidden)
            dtype = dtype or name
        elif value.size == 1 and weights:
            # A PReLU module's slope follows its Linear layer.
            activations[-1] = f"prelu(weight={float(value.reshape(-1)[0])!r})"
        else:
            raise NetworkError(
                f"from_torch: {key} has shape {list(value.shape)}; expected a Linear weight "
                "[out, in] or a PReLU slope [1]"
            )
    if not weights:
        raise NetworkError("from_torch: the state dict has no 'weight' tensors")
    # The output layer has no activation module after it in a Sequential.
    if not activations[-1].startswith("prelu"):
        activations[-1] = "identity"
    return weights, biases, activations, dtype


def from_torch(cls, obj, activation=None):
    """See ``Mlp.from_torch``."""
    if isinstance(obj, Mapping):
        weights, biases, activations, dtype = _state_dict_layers(obj, activation)
    else:
        if activation is not None:
            raise ArgumentError(
                "from_torch: activation= applies to a state dict; a module names its own"
            )
        weights, biases, activations, dtype = _module_layers(obj)
    if dtype not in ("float16", "bfloat16", "float32", "float64"):
        dtype = "float64"
    return cls._from_layers(weights, biases, activations, dtype)


def _torch_dtype(torch, dtype):
    # By name, so that a torch dtype, a NumPy dtype and a string are checked alike (a torch dtype
    # such as torch.int8 used to pass unchecked and fail inside torch.nn.Linear).
    allowed = {
        "float16": torch.float16,
        "bfloat16": torch.bfloat16,
        "float32": torch.float32,
        "float64": torch.float64,
    }
    value = allowed.get(str(dtype).replace("torch.", ""))
    if value is None:
        raise DtypeError(
            f"to_torch: dtype must be float16, bfloat16, float32 or float64, got {dtype!r}"
        )
    return value


def _activation_module(nn, name, params, dtype):
    if name == "identity":
        return None
    if name == "prelu":
        return nn.PReLU(num_parameters=1, init=params["weight"], dtype=dtype)
    factories = {
        "relu": lambda: nn.ReLU(),
        "leaky_relu": lambda: nn.LeakyReLU(negative_slope=params["negative_slope"]),
        "relu6": lambda: nn.ReLU6(),
        "elu": lambda: nn.ELU(alpha=params["alpha"]),
        "selu": lambda: nn.SELU(),
        "gelu": lambda: nn.GELU(),
        "gelu_tanh": lambda: nn.GELU(approximate="tanh"),
        "silu": lambda: nn.SiLU(),
        "softplus": lambda: nn.Softplus(beta=params["beta"], threshold=params["threshold"]),
        "hardswish": lambda: nn.Hardswish(),
        "mish": lambda: nn.Mish(),
    }
    return factories[name]()


def to_torch(model, dtype=None):
    """See ``Mlp.to_torch``."""
    torch = _import_torch()
    dtype = _torch_dtype(torch, model.dtype if dtype is None else dtype)
    modules = []
    for weight, bias, name, params in model._layers():
        linear = torch.nn.Linear(weight.shape[1], weight.shape[0], dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(weight))
            linear.bias.copy_(torch.from_numpy(bias))
        modules.append(linear)
        act = _activation_module(torch.nn, name, params, dtype)
        if act is not None:
            modules.append(act)
    return torch.nn.Sequential(*modules)
