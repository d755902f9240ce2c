#!/usr/bin/env bash
# The Python package's tests, from a fresh clone: make a virtual environment (target/py-venv),
# install maturin, NumPy and pytest into it, build and install crates/relulens-py with the
# README's install line, and run its pytest suite. Needs CPython >= 3.10 with venv and pip, and the
# Rust toolchain; packages come from the package index on the first run. PyTorch is optional: the
# live agreement tests run when it is importable in that environment (the committed fixtures are
# checked always).
set -euo pipefail
cd "$(dirname "$0")/.."

python="${PYTHON:-python3}"
venv=target/py-venv
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4,<2" numpy pytest
# The README's install line; --force-reinstall so an unchanged version number still reinstalls.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps \
    ./crates/relulens-py
# From outside the source tree, so `import relulens` is the installed package.
cd crates/relulens-py/tests
"../../../$venv/bin/python" -m pytest -q -p no:cacheprovider .
