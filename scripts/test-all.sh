#!/usr/bin/env bash
# Every test relulens has, from a fresh clone: formatting, lints, the Rust tests (unit, property,
# PyTorch-fixture, CLI and doc tests) and the examples, the Python package's pytest suite, and the
# pages in headless Chromium. Needs the Rust toolchain and CPython >= 3.10; crates, Python packages
# and (as root, through apt) Debian's chromium are installed on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --all-targets --locked
cargo test --workspace --doc --locked
bash scripts/test-python.sh
bash scripts/browser-test.sh
