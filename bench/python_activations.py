"""ReLU from Python: relulens against NumPy and PyTorch, in one run.

Compares, on float32 arrays of 10^3 to 10^8 elements, single-threaded and with every core:

- forward into a preallocated output: ``relulens.relu(x, out=o)``, ``np.maximum(x, 0, out=o)``,
  ``torch.clamp_min(t, 0, out=o)`` (``torch.relu`` has no ``out=``);
- forward into a new array: ``relulens.relu(x)``, ``np.maximum(x, 0)``, ``torch.relu(t)``;
- in place: ``relulens.relu_(x)``, ``np.maximum(x, 0, out=x)``, ``torch.relu_(t)``;
- backward: ``relulens.relu_backward(g, y, out=o)`` and ``relulens.relu_backward(g, y)`` against
  PyTorch's ``threshold_backward`` (what autograd runs for ReLU), with ``grad_input=o`` and without.

Each number is the median, over interleaved rounds, of a timed loop's microseconds per call: every
round times each library once, in an order that changes from round to round, so that the
machine's drift reaches all of them alike, and each loop starts after 50 ms idle (``--settle``),
so that one library's worker threads still spinning from its last call do not share the cores
with the next library's loop. The ratio is the peer's median over relulens's (above 1: relulens is
faster). NumPy's ufuncs are single-threaded in both modes. Run with relulens, NumPy and PyTorch importable (for example
``target/py-venv/bin/pip install torch`` after ``scripts/test-python.sh``):

    python bench/python_activations.py            # prints Markdown tables
    python bench/python_activations.py --max-exp 7 --threads 1

relulens and PyTorch compute the same bits (checked before timing each size).
"""

import argparse
import itertools
import os
import platform
import statistics
import sys
import time
import timeit

import numpy as np

import relulens

try:
    import torch
except ImportError:  # the NumPy columns still run
    torch = None


def loop_size(call, target_seconds):
    """Calls per timed loop, so that one loop takes about target_seconds / 5."""
    call()  # warm up: first-touch page faults, lazy initialisation
    number = 1
    while True:
        elapsed = timeit.timeit(call, number=number)
        if elapsed >= target_seconds / 5 or number >= 1 << 20:
            return number
        number *= 4


def interleaved_times(calls, target_seconds, rounds, settle):
    """Median seconds per call of each library, timed in interleaved rounds.

    Each round times one loop of every library, in an order that changes from round to round, so
    a change in the machine's state (another job, the memory controller, the frequency) lands on
    every library alike instead of on whichever ran during it. Each loop starts after `settle`
    seconds idle: a library's worker threads keep spinning for a while after its last call
    (PyTorch's OpenMP threads for milliseconds, relulens's helpers for half a millisecond), and
    without the pause they would take a core from whichever library's loop came next.
    """
    numbers = {lib: loop_size(call, target_seconds) for lib, call in calls.items()}
    libs = list(calls)
    # Every order in turn (not a rotation, in which each library always follows the same one):
    # what a library leaves behind (freed memory, spinning threads) then reaches each of the others.
    orders = list(itertools.permutations(libs))
    samples = {lib: [] for lib in libs}
    for r in range(rounds):
        for lib in orders[r % len(orders)]:
            n = numbers[lib]
            time.sleep(settle)
            samples[lib].append(timeit.timeit(calls[lib], number=n) / n)
    return {lib: statistics.median(times) for lib, times in samples.items()}


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def check_same_bits(x, g):
    y = relulens.relu(x)
    assert np.array_equal(y, np.maximum(x, 0))
    if torch is not None:
        t = torch.from_numpy(x)
        assert np.array_equal(y, torch.relu(t).numpy())
        theirs = torch.ops.aten.threshold_backward(torch.from_numpy(g), torch.from_numpy(y), 0.0)
        assert np.array_equal(relulens.relu_backward(g, y), theirs.numpy())


def measure(n, target_seconds, rounds, settle):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(n, dtype=np.float32)
    g = rng.standard_normal(n, dtype=np.float32)
    o = np.empty_like(x)
    y = np.maximum(x, 0)
    inplace = x.copy()
    check_same_bits(x, g)
    rows = {}
    rows["forward, out="] = {
        "relulens": lambda: relulens.relu(x, out=o),
        "numpy": lambda: np.maximum(x, 0, out=o),
    }
    rows["forward, new array"] = {
        "relulens": lambda: relulens.relu(x),
        "numpy": lambda: np.maximum(x, 0),
    }
    rows["in place"] = {
        "relulens": lambda: relulens.relu_(inplace),
        "numpy": lambda: np.maximum(inplace, 0, out=inplace),
    }
    rows["backward, out="] = {"relulens": lambda: relulens.relu_backward(g, y, out=o)}
    rows["backward, new array"] = {"relulens": lambda: relulens.relu_backward(g, y)}
    if torch is not None:
        tx, tg, ty, to = (torch.from_numpy(a) for a in (x, g, y, o))
        tin = torch.from_numpy(inplace)
        backward = torch.ops.aten.threshold_backward
        rows["forward, out="]["torch"] = lambda: torch.clamp_min(tx, 0, out=to)
        rows["forward, new array"]["torch"] = lambda: torch.relu(tx)
        rows["in place"]["torch"] = lambda: torch.relu_(tin)
        rows["backward, out="]["torch"] = lambda: backward.grad_input(tg, ty, 0.0, grad_input=to)
        rows["backward, new array"]["torch"] = lambda: backward(tg, ty, 0.0)
    with torch.no_grad() if torch is not None else _Null():
        return {
            op: interleaved_times(calls, target_seconds, rounds, settle)
            for op, calls in rows.items()
        }


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def fmt_time(seconds):
    us = seconds * 1e6
    if us < 10:
        return f"{us:.2f}"
    if us < 1000:
        return f"{us:.1f}"
    return f"{us:,.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-exp", type=int, default=3)
    parser.add_argument("--max-exp", type=int, default=8)
    parser.add_argument("--threads", type=int, nargs="*", default=None,
                        help="thread counts to run (default: 1 and every core)")
    parser.add_argument("--seconds", type=float, default=0.25,
                        help="about five loops' time per library and round")
    parser.add_argument("--rounds", type=int, default=9,
                        help="interleaved rounds per cell (the median is reported)")
    parser.add_argument("--settle", type=float, default=0.05,
                        help="seconds idle before each timed loop, so that no library's spinning "
                             "worker threads overlap the next library's loop")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    thread_counts = args.threads or sorted({1, cores})

    print(f"relulens {getattr(relulens, '__version__', '')} on CPython {platform.python_version()}, "
          f"NumPy {np.__version__}, PyTorch {torch.__version__ if torch else 'not installed'}; "
          f"{cpu_name()}, {cores} cores; float32; microseconds per call (median of "
          f"{args.rounds} interleaved rounds); "
          "ratio = peer time / relulens time.")
    for threads in thread_counts:
        relulens.set_num_threads(threads)
        if torch is not None:
            torch.set_num_threads(threads)
        print(f"\n### {threads} thread{'s' if threads > 1 else ''}\n")
        header = ("| operation | n | relulens | NumPy | PyTorch | vs NumPy | vs PyTorch |\n"
                  "|---|---:|---:|---:|---:|---:|---:|")
        print(header)
        for exp in range(args.min_exp, args.max_exp + 1):
            n = 10**exp
            results = measure(n, args.seconds, args.rounds, args.settle)
            for op, times in results.items():
                ours = times["relulens"]
                cells = [fmt_time(ours)]
                ratios = []
                for peer in ("numpy", "torch"):
                    if peer in times:
                        cells.append(fmt_time(times[peer]))
                        ratios.append(f"{times[peer] / ours:.2f}×")
                    else:
                        cells.append("–")
                        ratios.append("–")
                print(f"| {op} | 10^{exp} | " + " | ".join(cells + ratios) + " |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
