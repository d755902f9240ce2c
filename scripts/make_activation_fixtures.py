"""Write tests/fixtures/activations.json: PyTorch's values and derivatives of every activation.

Run with PyTorch installed (any recent CPU or CUDA build; the kernels used are the CPU ones):

    python scripts/make_activation_fixtures.py

Each case holds an activation in relulens's text form (``leaky_relu(negative_slope=0.2)``), a dtype,
and three arrays of the same length: the inputs, PyTorch's forward values and PyTorch's derivatives
(the input gradient that autograd returns for an upstream gradient of ones). Every number is stored
as the hex of its IEEE-754 bits, so NaN, -0.0 and infinities survive exactly and the Rust tests can
compare bit for bit.
"""

import json
import math
import os
import struct

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "relulens", "tests", "fixtures", "activations.json")


# (relulens text form, function of a tensor)
CASES = [
    ("relu", F.relu),
    ("leaky_relu", lambda x: F.leaky_relu(x, 0.01)),
    ("leaky_relu(negative_slope=0.2)", lambda x: F.leaky_relu(x, 0.2)),
    ("relu6", F.relu6),
    ("prelu", lambda x: F.prelu(x, torch.tensor([0.25], dtype=x.dtype))),
    ("prelu(weight=-0.5)", lambda x: F.prelu(x, torch.tensor([-0.5], dtype=x.dtype))),
    ("elu", lambda x: F.elu(x, 1.0)),
    ("elu(alpha=0.5)", lambda x: F.elu(x, 0.5)),
    ("selu", F.selu),
    ("gelu", lambda x: F.gelu(x, approximate="none")),
    ("gelu_tanh", lambda x: F.gelu(x, approximate="tanh")),
    ("silu", F.silu),
    ("softplus", lambda x: F.softplus(x, 1.0, 20.0)),
    ("softplus(beta=2, threshold=10)", lambda x: F.softplus(x, 2.0, 10.0)),
    ("hardswish", F.hardswish),
    ("mish", F.mish),
    ("identity", lambda x: x * 1.0),
]


def special_values():
    """NaN, signed zeros and infinities, the kinks, tiny and huge numbers, and overflow edges."""
    base = [
        math.nan, 0.0, -0.0, math.inf, -math.inf,
        1.0, -1.0, 3.0, -3.0, 6.0, -6.0, 2.0, -2.0, 0.5, -0.5, 1.5, -1.5, 5.999999, 6.000001,
        2.9999999, 3.0000001, -2.9999999, -3.0000001,
        1e-8, -1e-8, 1e-20, -1e-20, 1e-30, -1e-30, 1e-40, -1e-40, 5e-324, -5e-324,
        1.1754943508222875e-38, -1.1754943508222875e-38, 2.2250738585072014e-308,
        10.0, 20.0, 20.000002, 19.999998, 21.0, -20.0, 30.0, -30.0, 50.0, -50.0,
        88.0, 88.8, 89.0, -88.0, -89.0, -104.0, 100.0, -100.0, 700.0, 709.0, 710.0, -709.0, -745.0,
        1e10, -1e10, 1e13, -1e13, 1e20, -1e20, 1e30, -1e30, 3.4028234663852886e38,
        -3.4028234663852886e38, 1e300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308,
    ]
    return base


def grid():
    """A dense grid over [-10, 10] and a sparser one over the tails."""
    dense = [-10.0 + 20.0 * i / 2000 for i in range(2001)]
    tails = [s * 10 ** (1 + 3 * i / 200) for i in range(201) for s in (1.0, -1.0)]
    return dense + tails


def bits(values, dtype):
    if dtype == torch.float32:
        return [struct.pack("<f", v).hex() for v in values]
    return [struct.pack("<d", v).hex() for v in values]


def run(fn, xs, dtype):
    x = torch.tensor(xs, dtype=dtype, requires_grad=True)
    y = fn(x)
    (grad,) = torch.autograd.grad(y, x, torch.ones_like(y))
    return x.detach().tolist(), y.detach().tolist(), grad.tolist()


def main():
    torch.set_num_threads(1)
    xs = special_values() + grid()
    cases = []
    for name, fn in CASES:
        for dtype, tag in ((torch.float32, "f32"), (torch.float64, "f64")):
            x, y, dy = run(fn, xs, dtype)
            cases.append({
                "activation": name,
                "dtype": tag,
                "x": bits(x, dtype),
                "value": bits(y, dtype),
                "derivative": bits(dy, dtype),
            })
    doc = {
        "generator": "scripts/make_activation_fixtures.py",
        "torch_version": torch.__version__.split("+")[0],
        "cases": cases,
    }
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, OUT)
    print(f"wrote {len(cases)} cases of {len(xs)} points to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
