#!/usr/bin/env bash
# The pages in a real browser: writes the tour and an `explain` page, and has
# scripts/browser_check.py open each from file:// in headless Chromium (Debian's package, installed
# here when missing) at a desktop and a phone width. It fails on console errors, exceptions, failed
# or external loads, a figure laid out with no size, a figure count that differs from the page's,
# missing sections or claims table, and a page that scrolls sideways on the phone. Screenshots
# (full page and first screen) and the measurements are kept in target/browser-test/ to look at.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "browser-test: /usr/bin/chromium is missing; install Debian's chromium package as root" >&2
        exit 1
    fi
    echo "browser-test: installing chromium" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi

cargo build --release --locked -p relulens-cli
bin="${CARGO_TARGET_DIR:-target}/release/relulens"
out=target/browser-test
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" tour --quiet --out "$work/tour" >/dev/null
"$bin" explain --quiet --out "$work/explain" >/dev/null

# Every wait inside has its own deadline; this one is for the whole run.
timeout 600 python3 scripts/browser_check.py --out "$out" \
    --sections tour=7 --table "tour=Claims checked" --sections explain=7 \
    tour="$work/tour/index.html" explain="$work/explain/index.html"
