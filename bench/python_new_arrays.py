"""Where a new array's time goes: relulens.relu(x) against np.maximum(x, 0), and each writing into
an array allocated just before the call (np.empty_like), on one thread.

    python bench/python_new_arrays.py              # 10^7 float32, 9 rounds of 10 calls
    python bench/python_new_arrays.py --n 100000000 --rounds 5

Each round times every call once, in the same order; medians (and the fastest round) in
milliseconds. Needs relulens and NumPy importable.
"""

import argparse
import statistics
import timeit

import numpy as np

import relulens


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10**7)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--calls", type=int, default=10, help="calls per timed loop")
    args = parser.parse_args()
    relulens.set_num_threads(1)
    x = np.random.default_rng(0).standard_normal(args.n).astype(np.float32)
    calls = {
        "relulens.relu(x)": lambda: relulens.relu(x),
        "np.maximum(x, 0)": lambda: np.maximum(x, 0),
        "relulens.relu(x, out=np.empty_like(x))": lambda: relulens.relu(x, out=np.empty_like(x)),
        "np.maximum(x, 0, out=np.empty_like(x))": lambda: np.maximum(x, 0, out=np.empty_like(x)),
    }
    times = {name: [] for name in calls}
    for _ in range(args.rounds):
        for name, call in calls.items():
            times[name].append(timeit.timeit(call, number=args.calls) / args.calls)
    print(f"n = {args.n:,} float32, one thread, {args.rounds} rounds of {args.calls} calls")
    for name, t in times.items():
        print(f"{name:42s} median {statistics.median(t) * 1e3:8.2f} ms  fastest {min(t) * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
