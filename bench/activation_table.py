"""Print the activation benchmark as Markdown, from criterion's results.

Run after `cargo bench -p relulens --bench activation`:

    python3 bench/activation_table.py

Reads target/criterion/<group>/<function>/<size>/new/estimates.json and reports medians, the
bandwidth they imply and the ratio to the same run's baseline (copy for forward, the two-input add
for backward).
"""

import json
import os

ROOT = os.environ.get("CRITERION_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "criterion"))


def median_ns(*parts):
    path = os.path.join(ROOT, *parts, "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"]


def main():
    print("| elements | copy GB/s | forward GB/s | forward / copy | in-place / copy | add GB/s | backward GB/s | backward / add |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in (10_000, 1_000_000, 10_000_000):
        gb8 = 8 * n / 1e9
        gb12 = 12 * n / 1e9
        t = {k: median_ns("relu_f32", k, str(n)) / 1e9 for k in ("copy", "forward", "forward_inplace", "add_baseline", "backward")}
        print(
            f"| {n:,} | {gb8 / t['copy']:.1f} | {gb8 / t['forward']:.1f} | {t['copy'] / t['forward']:.2f}x "
            f"| {t['copy'] / t['forward_inplace']:.2f}x | {gb12 / t['add_baseline']:.1f} | {gb12 / t['backward']:.1f} "
            f"| {t['add_baseline'] / t['backward']:.2f}x |"
        )
    print()
    print("| activation (10^6 f32) | median ms | elements/ns | time / copy |")
    print("|---|---:|---:|---:|")
    copy = median_ns("smooth_f32", "copy")
    for name in ("copy", "relu", "leaky_relu", "gelu", "gelu_tanh", "silu", "elu", "softplus", "mish"):
        t = median_ns("smooth_f32", name)
        print(f"| {name} | {t / 1e6:.3f} | {1e6 / t:.2f} | {t / copy:.1f}x |")


if __name__ == "__main__":
    main()
