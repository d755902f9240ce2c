#!/usr/bin/env bash
# Every test relulens has, from a fresh clone: formatting, lints, the Rust tests (unit, property,
# PyTorch-fixture, CLI and doc tests) and the examples. Needs only the Rust toolchain; crates come from
# the registry on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --all-targets --locked
cargo test --workspace --doc --locked
