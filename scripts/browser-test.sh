#!/usr/bin/env bash
# The pages in a real browser: writes the tour and an `explain` page, opens each from file:// in
# headless Chromium (Debian's package, installed here when missing), and checks that each loads
# without console errors or failed loads, that every <svg> has a non-zero width and height, and
# that a full-page screenshot is written. Screenshots (desktop and phone width) and the DOM dumps
# are kept in target/browser-test/ to look at.
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
profiles=()
cleanup() {
    rm -rf "$work"
    for p in "${profiles[@]}"; do rm -rf "$p"; done
}
trap cleanup EXIT

"$bin" tour --quiet --out "$work/tour" >/dev/null
"$bin" explain --quiet --out "$work/explain" >/dev/null

# One fresh profile per run; everything that could reach the network is off.
chromium_run() {
    local profile
    profile=$(mktemp -d)
    profiles+=("$profile")
    timeout 180 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@"
}

fail() {
    echo "browser-test: FAIL: $*" >&2
    exit 1
}

checked=0
for page in tour explain; do
    url="file://$work/$page/index.html"
    for size in 1280,4000 390,4000; do
        shot="$out/$page-${size%%,*}.png"
        chromium_run --hide-scrollbars --screenshot="$shot" --window-size="$size" "$url" \
            >"$out/$page-${size%%,*}.log" 2>&1 || fail "$page: chromium could not take a screenshot"
        [ -s "$shot" ] || fail "$page: the screenshot $shot is empty"
    done
    chromium_run --enable-logging=stderr --v=0 --dump-dom "$url" \
        >"$out/$page.dom.html" 2>"$out/$page.console.log" || fail "$page: chromium could not load it"
    if grep -E ':CONSOLE\(|Uncaught|Failed to load resource|net::ERR_' "$out/$page.console.log"; then
        fail "$page: console errors (see $out/$page.console.log)"
    fi
    grep -q '</html>' "$out/$page.dom.html" || fail "$page: the DOM dump is incomplete"
    svgs=$(grep -o '<svg[^>]*>' "$out/$page.dom.html" || true)
    count=$(printf '%s\n' "$svgs" | grep -c '<svg' || true)
    [ "$count" -gt 0 ] || fail "$page: no <svg> in the page"
    while IFS= read -r tag; do
        width=$(printf '%s' "$tag" | sed -n 's/.* width="\([0-9.]*\)".*/\1/p')
        height=$(printf '%s' "$tag" | sed -n 's/.* height="\([0-9.]*\)".*/\1/p')
        case "$width:$height" in
            :* | *: | 0:* | *:0) fail "$page: an <svg> without a non-zero size: $tag" ;;
        esac
    done <<<"$svgs"
    if [ "$page" = tour ]; then
        sections=$(grep -o '<section id="[a-z-]*">' "$out/$page.dom.html" | wc -l)
        [ "$sections" -eq 7 ] || fail "tour: $sections sections, expected 7"
        grep -q 'Claims checked' "$out/$page.dom.html" || fail "tour: no claims table"
    fi
    echo "browser-test: $page: loaded, $count figures sized, screenshots in $out/"
    checked=$((checked + 1))
done
echo "browser-test: $checked passed, 0 failed"
