"""Write the model-file fixtures: state dicts saved by PyTorch itself, and PyTorch's outputs for them.

Run with PyTorch and safetensors installed (CPU is enough):

    python scripts/make_io_fixtures.py

It builds ``Sequential(Linear(2, 8), ReLU(), Linear(8, 8), ReLU(), Linear(8, 3))`` with
``torch.manual_seed(0)`` and saves its state dict with ``safetensors.torch.save_file`` to
``crates/relulens/tests/fixtures/``:

- ``torch_sequential_f32.safetensors``: as built (names ``0.weight`` ... ``4.bias``);
- ``torch_sequential_f64.safetensors``: the same network converted with ``.double()``;
- ``torch_sequential_prefixed_f32.safetensors``: the f32 network as the attribute ``net`` of a
  module, so its names are ``net.0.weight`` ... ``net.4.bias``;
- ``torch_sequential_f16.safetensors`` and ``torch_sequential_bf16.safetensors``: the network
  converted with ``.half()`` and ``.bfloat16()``.

and ``torch_sequential.json`` with 16 input rows, PyTorch's f32 and f64 outputs for them, and the
f16 and bf16 parameters as PyTorch converts them to float64 (in state-dict order, each tensor
flattened row-major), so the Rust side can check its half-precision decoding against PyTorch's.

Every number in the JSON is a decimal in Python's shortest round-trip form (``repr``), which names
exactly one float64; f32 outputs are widened to float64 exactly before they are written.
"""

import json
import os

import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "relulens", "tests", "fixtures")


def build():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(2, 8),
        torch.nn.ReLU(),
        torch.nn.Linear(8, 8),
        torch.nn.ReLU(),
        torch.nn.Linear(8, 3),
    )


class Wrapped(torch.nn.Module):
    """A module holding the Sequential as ``net``, as many training scripts do."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)


def save(module, name):
    state = {k: v.detach().contiguous() for k, v in module.state_dict().items()}
    save_file(state, os.path.join(OUT, name))


def flat_params(module):
    """Every parameter, state-dict order, flattened and converted by PyTorch to float64."""
    return [[float(v) for v in t.double().flatten()] for t in module.state_dict().values()]


def main():
    os.makedirs(OUT, exist_ok=True)
    net32 = build()
    net64 = build().double()
    # Seed 1 for the inputs, so they do not depend on how many numbers the initialisation drew.
    torch.manual_seed(1)
    x32 = torch.randn(16, 2) * 2.0
    x64 = x32.double()  # the same inputs, exactly

    with torch.no_grad():
        y32 = net32(x32)
        y64 = net64(x64)

    save(net32, "torch_sequential_f32.safetensors")
    save(net64, "torch_sequential_f64.safetensors")
    save(Wrapped(net32), "torch_sequential_prefixed_f32.safetensors")
    net16 = build().half()
    netbf16 = build().bfloat16()
    save(net16, "torch_sequential_f16.safetensors")
    save(netbf16, "torch_sequential_bf16.safetensors")

    fixture = {
        "torch_version": torch.__version__,
        "architecture": "Sequential(Linear(2, 8), ReLU(), Linear(8, 8), ReLU(), Linear(8, 3))",
        "inputs": [[float(v) for v in row] for row in x64],
        "outputs_f32": [[float(v) for v in row] for row in y32.double()],
        "outputs_f64": [[float(v) for v in row] for row in y64],
        "params_f16": flat_params(net16),
        "params_bf16": flat_params(netbf16),
    }
    with open(os.path.join(OUT, "torch_sequential.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
