"""Training throughput, relulens against PyTorch on the CPU, one thread each.

Build the relulens side, then run this with a Python that has PyTorch:

    cargo build --release --example train_bench -p relulens
    python bench/train_vs_torch.py [--binary PATH] [--repeat 5]

For each network both libraries train a freshly initialised copy with Adam (lr 1e-3) for the same
number of minibatches of the same size on a fixed random data set (inputs uniform in [-1, 1),
targets normal values for the one-output regression nets, class indices for the 10-class net).
PyTorch runs the standard loop: zero_grad, forward, loss, backward, step, on slices of
pre-generated tensors. relulens runs its example binary twice per repetition: `--mode steps`, the
same per-batch work in a hand loop (the like-for-like number), and `--mode fit`, one epoch of
`relulens::train::fit`, which also shuffles, gathers each minibatch and evaluates the whole
training set once at the end of the epoch.

`--flush-denormals` sets flush-to-zero on both sides (`torch.set_flush_denormal(True)`, and the
binary's flag of the same name): subnormal numbers become 0, which changes results slightly and
shows what subnormal arithmetic costs each library (Adam's moments of parameters whose gradient
stays exactly 0, such as dead ReLU units' weights, decay into the subnormal range and stay there).

The two libraries' repetitions are interleaved (and their order alternated) so that both see the
same background load; each side does one untimed warm-up run first. The table reports the median
samples per second of the repetitions and the ratio of the medians.
"""

import argparse
import json
import os
import statistics
import subprocess
import time

import torch
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DEFAULT_BINARY = os.path.join(ROOT, "target", "release", "examples", "train_bench")

# (sizes, batch, steps per repetition, task)
CONFIGS = [
    ([2, 16, 16, 1], 32, 4000, "regression"),
    ([2, 64, 64, 1], 128, 2000, "regression"),
    ([784, 256, 256, 10], 128, 200, "multiclass"),
]


def torch_data(sizes, batch, steps, task, seed=0):
    g = torch.Generator().manual_seed(seed)
    rows = steps * batch
    x = torch.rand(rows, sizes[0], generator=g) * 2 - 1
    if task == "multiclass":
        y = torch.randint(0, sizes[-1], (rows,), generator=g)
    else:
        y = torch.randn(rows, sizes[-1], generator=g)
    return x, y


def torch_model(sizes, seed=0):
    torch.manual_seed(seed)
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def torch_run(sizes, batch, steps, task, x, y):
    """One repetition: samples per second of `steps` Adam steps on a fresh model."""
    model = torch_model(sizes)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss() if task == "multiclass" else nn.MSELoss()
    start = time.perf_counter()
    for i in range(steps):
        xb = x[i * batch:(i + 1) * batch]
        yb = y[i * batch:(i + 1) * batch]
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    return steps * batch / seconds


def relulens_run(binary, sizes, batch, steps, task, mode, warmup, flush):
    """One repetition of the example binary (its own untimed warm-up first, when asked)."""
    out = subprocess.run(
        [
            binary,
            "--sizes", ",".join(map(str, sizes)),
            "--batch", str(batch),
            "--steps", str(steps),
            "--repeat", "1",
            "--warmup", str(warmup),
            "--task", task,
            "--mode", mode,
        ] + (["--flush-denormals"] if flush else []),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)["samples_per_second_median"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=DEFAULT_BINARY, help="the train_bench example binary")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions per library")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every step count")
    parser.add_argument("--json", action="store_true", help="also print every run as JSON")
    parser.add_argument("--flush-denormals", action="store_true",
                        help="flush subnormal numbers to zero in both libraries")
    args = parser.parse_args()

    torch.set_num_threads(1)
    if args.flush_denormals and not torch.set_flush_denormal(True):
        parser.error("this processor does not support flushing denormals")
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"flush denormals {args.flush_denormals}, load average before: {os.getloadavg()[0]:.2f}")
    rows = []
    raw = []
    for sizes, batch, steps, task in CONFIGS:
        steps = max(1, int(steps * args.scale))
        x, y = torch_data(sizes, batch, steps, task)
        torch_run(sizes, batch, steps, task, x, y)  # warm-up
        runs = {"torch": [], "steps": [], "fit": []}
        for r in range(args.repeat):
            order = ["torch", "steps", "fit"]
            if r % 2:
                order.reverse()
            for who in order:
                if who == "torch":
                    runs[who].append(torch_run(sizes, batch, steps, task, x, y))
                else:
                    runs[who].append(relulens_run(args.binary, sizes, batch, steps, task, who, 1,
                                                    args.flush_denormals))
        med = {k: statistics.median(v) for k, v in runs.items()}
        name = "-".join(map(str, sizes))
        rows.append((name, batch, med["steps"], med["fit"], med["torch"]))
        raw.append({"network": name, "batch": batch, "steps": steps, **runs})

    print()
    print("| network | batch | relulens samples/s (loop) | relulens samples/s (`fit`) "
          "| PyTorch samples/s | ratio (loop) | ratio (`fit`) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, batch, loop, fit, tor in rows:
        print(f"| {name} | {batch} | {loop:,.0f} | {fit:,.0f} | {tor:,.0f} "
              f"| {loop / tor:.2f}x | {fit / tor:.2f}x |")
    print()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.json:
        print(json.dumps(raw))


if __name__ == "__main__":
    main()
