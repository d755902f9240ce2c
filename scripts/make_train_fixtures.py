"""Write tests/fixtures/training.json: PyTorch's losses, gradients and optimizer steps for small MLPs.

Run with PyTorch installed (any recent CPU or CUDA build; everything runs on the CPU, one thread):

    python scripts/make_train_fixtures.py

Each case is an ``nn.Sequential`` of ``nn.Linear`` layers with an activation module between them
(none after the last layer), built with ``torch.manual_seed`` and PyTorch's default initialisation in
the case's dtype, a fixed input batch and targets, and a loss with mean reduction. The case records:

- ``layers``: the initial weight (``[out, in]``, row-major) and bias of every layer;
- ``x`` (``[batch, in]``, row-major) and ``target`` (``[batch, out]`` values for MSE, one 0/1 label
  per row for BCE, one class index per row for cross-entropy, stored as floats of the case's dtype);
- ``loss`` and ``gradients``: the loss at the initial weights and ``.grad`` of every parameter
  after ``loss.backward()``;
- ``runs``: for each optimizer, starting again from the initial weights, the loss before each of
  ``STEPS`` steps (``zero_grad``, forward, ``backward``, ``step`` on the same batch every time) and
  the weights after the last step.

Optimizers run with their default implementation on CPU tensors (the single-tensor code path).
Every number that comes from a tensor is stored as the hex of its IEEE-754 bits in the case's dtype
(little-endian, as the activation fixture does), so the Rust test reads back exactly what PyTorch
held; optimizer settings are plain JSON numbers.
"""

import json
import os
import struct

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "relulens", "tests", "fixtures", "training.json")

STEPS = 5

# (name, relulens activation, module factory, sizes, loss, dtype, batch, seed)
CASES = [
    ("mse_relu_f64", "relu", nn.ReLU, [3, 5, 4, 2], "mse", torch.float64, 6, 1),
    ("mse_relu_f32", "relu", nn.ReLU, [3, 5, 4, 2], "mse", torch.float32, 6, 1),
    ("bce_relu_f32", "relu", nn.ReLU, [2, 8, 1], "bce_with_logits", torch.float32, 6, 2),
    ("bce_relu_f64", "relu", nn.ReLU, [2, 8, 1], "bce_with_logits", torch.float64, 6, 2),
    ("cross_entropy_relu_f32", "relu", nn.ReLU, [4, 6, 3], "cross_entropy", torch.float32, 6, 3),
    ("cross_entropy_relu_f64", "relu", nn.ReLU, [4, 6, 3], "cross_entropy", torch.float64, 6, 3),
    ("mse_gelu_f32", "gelu", lambda: nn.GELU(approximate="none"), [3, 5, 4, 2], "mse",
     torch.float32, 6, 4),
    ("cross_entropy_silu_f32", "silu", nn.SiLU, [4, 6, 3], "cross_entropy", torch.float32, 6, 5),
]

# (settings as the Rust test builds them, factory of the torch optimizer)
OPTIMIZERS = [
    ({"name": "adam", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0},
     lambda p: torch.optim.Adam(p, lr=0.01)),
    ({"name": "adam", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 1e-3},
     lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=1e-3)),
    ({"name": "adamw", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.1},
     lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
    ({"name": "sgd", "lr": 0.05, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0,
      "nesterov": False},
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    ({"name": "sgd", "lr": 0.05, "momentum": 0.9, "dampening": 0.0, "weight_decay": 1e-3,
      "nesterov": True},
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    ({"name": "sgd", "lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 1e-3,
      "nesterov": False},
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3)),
]


def bits(tensor):
    """The hex of each element's IEEE bits, row-major, in the tensor's own dtype."""
    fmt = {torch.float32: "<f", torch.float64: "<d"}[tensor.dtype]
    return [struct.pack(fmt, v).hex() for v in tensor.detach().reshape(-1).tolist()]


def build(sizes, activation, dtype, seed):
    torch.manual_seed(seed)
    modules = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        if i > 0:
            modules.append(activation())
        modules.append(nn.Linear(n_in, n_out, dtype=dtype))
    return nn.Sequential(*modules)


def data(sizes, loss, dtype, batch, seed):
    """The input batch, the targets as the loss takes them, and the targets as stored."""
    gen = torch.Generator().manual_seed(1000 + seed)
    x = torch.randn(batch, sizes[0], generator=gen, dtype=dtype)
    if loss == "mse":
        target = torch.randn(batch, sizes[-1], generator=gen, dtype=dtype)
        return x, target, target
    if loss == "bce_with_logits":
        # Both labels present, whatever the seed.
        labels = torch.tensor([i % 2 for i in range(batch)], dtype=dtype)
        labels = labels[torch.randperm(batch, generator=gen)]
        return x, labels.reshape(batch, 1), labels
    classes = torch.randint(0, sizes[-1], (batch,), generator=gen)
    return x, classes, classes.to(dtype)


def criterion(loss):
    return {
        "mse": nn.MSELoss(),
        "bce_with_logits": nn.BCEWithLogitsLoss(),
        "cross_entropy": nn.CrossEntropyLoss(),
    }[loss]


def layers(model):
    return [
        {"weight": bits(m.weight), "bias": bits(m.bias)}
        for m in model
        if isinstance(m, nn.Linear)
    ]


def gradients(model):
    return [
        {"weight": bits(m.weight.grad), "bias": bits(m.bias.grad)}
        for m in model
        if isinstance(m, nn.Linear)
    ]


def make_case(name, act_name, act, sizes, loss, dtype, batch, seed):
    model = build(sizes, act, dtype, seed)
    initial = {k: v.detach().clone() for k, v in model.state_dict().items()}
    x, target, stored_target = data(sizes, loss, dtype, batch, seed)
    fn = criterion(loss)

    value = fn(model(x), target)
    value.backward()
    case = {
        "name": name,
        "dtype": {torch.float32: "f32", torch.float64: "f64"}[dtype],
        "sizes": sizes,
        "activation": act_name,
        "loss_name": loss,
        "batch": batch,
        "x": bits(x),
        "target": bits(stored_target),
        "layers": layers(model),
        "loss": bits(value.reshape(1))[0],
        "gradients": gradients(model),
        "runs": [],
    }

    for settings, make in OPTIMIZERS:
        model.load_state_dict(initial)
        optimizer = make(model.parameters())
        losses = []
        for _ in range(STEPS):
            optimizer.zero_grad()
            value = fn(model(x), target)
            value.backward()
            optimizer.step()
            losses.append(bits(value.reshape(1))[0])
        case["runs"].append({"optimizer": settings, "losses": losses, "layers": layers(model)})
    return case


def main():
    torch.set_num_threads(1)
    cases = [make_case(*spec) for spec in CASES]
    doc = {
        "generator": "scripts/make_train_fixtures.py",
        "torch_version": torch.__version__.split("+")[0],
        "steps": STEPS,
        "cases": cases,
    }
    tmp = OUT + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, OUT)
    size = os.path.getsize(OUT)
    print(f"wrote {len(cases)} cases x {len(OPTIMIZERS)} optimizers to {os.path.relpath(OUT)} "
          f"({size} bytes)")


if __name__ == "__main__":
    main()
