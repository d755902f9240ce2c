"""One cell of bench/python_activations.py, timed alone and for longer: for comparing two builds.

Times one operation at one size and thread count, relulens against NumPy and PyTorch (those
importable), in the same interleaved rounds as the full benchmark, and prints one line with each
library's median and the ratios (peer time over relulens's; above 1: relulens is faster). Run it
alternately with two builds installed to see what a change does to a cell the full table shows
only once per run:

    python bench/python_cell.py forward-out 1e7 --threads 2 --rounds 9
    python bench/python_cell.py in-place 1e8 --threads 1
"""

import argparse
import os
import sys

import numpy as np

import relulens

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from python_activations import interleaved_times, torch, _Null  # noqa: E402

OPERATIONS = ("forward-out", "forward-new", "in-place", "backward-out", "backward-new")


def calls(operation, n):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(n, dtype=np.float32)
    g = rng.standard_normal(n, dtype=np.float32)
    o = np.empty_like(x)
    y = np.maximum(x, 0)
    result = {
        "forward-out": {"relulens": lambda: relulens.relu(x, out=o),
                        "numpy": lambda: np.maximum(x, 0, out=o)},
        "forward-new": {"relulens": lambda: relulens.relu(x), "numpy": lambda: np.maximum(x, 0)},
        "in-place": {"relulens": lambda: relulens.relu_(x),
                     "numpy": lambda: np.maximum(x, 0, out=x)},
        "backward-out": {"relulens": lambda: relulens.relu_backward(g, y, out=o)},
        "backward-new": {"relulens": lambda: relulens.relu_backward(g, y)},
    }[operation]
    if torch is not None:
        tx, tg, ty, to = (torch.from_numpy(a) for a in (x, g, y, o))
        backward = torch.ops.aten.threshold_backward
        result["torch"] = {
            "forward-out": lambda: torch.clamp_min(tx, 0, out=to),
            "forward-new": lambda: torch.relu(tx),
            "in-place": lambda: torch.relu_(tx),
            "backward-out": lambda: backward.grad_input(tg, ty, 0.0, grad_input=to),
            "backward-new": lambda: backward(tg, ty, 0.0),
        }[operation]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("operation", choices=OPERATIONS)
    parser.add_argument("n", type=float, help="elements (float32), such as 1e7")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=0.25)
    parser.add_argument("--settle", type=float, default=0.05)
    args = parser.parse_args()
    n = int(args.n)
    relulens.set_num_threads(args.threads)
    if torch is not None:
        torch.set_num_threads(args.threads)
    with torch.no_grad() if torch is not None else _Null():
        times = interleaved_times(calls(args.operation, n), args.seconds, args.rounds, args.settle)
    ours = times["relulens"]
    parts = [f"{args.operation} n={n:.0e} threads={args.threads}: relulens {ours * 1e6:,.1f} µs"]
    for peer in ("numpy", "torch"):
        if peer in times:
            parts.append(f"{peer} {times[peer] * 1e6:,.1f} µs ({times[peer] / ours:.3f}×)")
    print(", ".join(parts))


if __name__ == "__main__":
    main()
