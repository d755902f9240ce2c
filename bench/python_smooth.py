"""The smooth members of the ReLU family from Python: relulens against PyTorch, one thread.

Times GELU (exact and tanh), SiLU, ELU, softplus and Mish, with ReLU as the memory-bound yardstick,
on float32 arrays (10^6 elements by default): ``relulens.<name>(x)`` against
``torch.nn.functional.<name>(t)``, each the best of 5 loops of 20 calls, alternating. Prints a
Markdown table; the ratio is PyTorch's time over relulens's (above 1: relulens is faster).

    python bench/python_smooth.py            # needs relulens, NumPy and PyTorch importable
    python bench/python_smooth.py --n 1e7 --threads 2
"""

import argparse
import timeit

import numpy as np
import torch

import relulens


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=float, default=1e6)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    n = int(args.n)
    relulens.set_num_threads(args.threads)
    torch.set_num_threads(args.threads)
    x = np.random.default_rng(0).standard_normal(n, dtype=np.float32)
    t = torch.from_numpy(x)
    f = torch.nn.functional
    rows = [
        ("relu", lambda: relulens.relu(x), lambda: torch.relu(t)),
        ("gelu", lambda: relulens.gelu(x), lambda: f.gelu(t)),
        ("gelu (tanh)", lambda: relulens.gelu(x, approximate="tanh"),
         lambda: f.gelu(t, approximate="tanh")),
        ("silu", lambda: relulens.silu(x), lambda: f.silu(t)),
        ("elu", lambda: relulens.elu(x), lambda: f.elu(t)),
        ("softplus", lambda: relulens.softplus(x), lambda: f.softplus(t)),
        ("mish", lambda: relulens.mish(x), lambda: f.mish(t)),
    ]
    print(f"{n:.0e} float32, {args.threads} thread(s); ms per call, best of 5 loops of 20 calls\n")
    print("| activation | relulens | PyTorch | vs PyTorch |\n|---|---:|---:|---:|")
    with torch.no_grad():
        for name, ours, theirs in rows:
            best = {"relulens": float("inf"), "torch": float("inf")}
            for _ in range(5):  # alternating, so a slow spell reaches both
                for lib, call in (("relulens", ours), ("torch", theirs)):
                    best[lib] = min(best[lib], timeit.timeit(call, number=20) / 20)
            print(f"| {name} | {best['relulens'] * 1e3:.3f} | {best['torch'] * 1e3:.3f} | "
                  f"{best['torch'] / best['relulens']:.2f}× |")


if __name__ == "__main__":
    main()
