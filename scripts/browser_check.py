#!/usr/bin/env python3
"""The pages in a real browser, measured: opens each page from file:// in headless Chromium,
driven through the DevTools protocol over a pipe (no port, no network, Python's standard library
only), and fails on anything a reader would notice.

For each page, at a desktop width (1280) and a phone width (390):
- no console error, no uncaught exception, no browser log error, no failed load and no request
  that leaves file:// (or data:);
- the load event fires;
- every <svg> and <img> is laid out with a non-zero width and height and fits the screen's width,
  and there are exactly as many as the page's HTML has <figure>s, one in each;
- the page does not scroll sideways (scrollWidth <= innerWidth + 1);
- the expected number of sections, and the named tables with at least one row, are there;
- a full-page screenshot is saved as OUT/NAME-WIDTH.png, the first screen as
  OUT/NAME-WIDTH-top.png, and the measurements as OUT/NAME-WIDTH.json.

Usage:
    browser_check.py --out DIR [--sections NAME=N] [--table NAME=HEADING] NAME=FILE.html ...

Chromium is started with --remote-debugging-pipe: it reads commands from fd 3 and writes
replies and events to fd 4, each message one JSON object ended by a NUL byte. Every wait has a
deadline, so a browser that stops answering fails the check instead of hanging it.
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import html.parser
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# The flags browser-test.sh always used: no sandbox (root), no GPU, nothing that reaches the network.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]
# (width, height, mobile): a laptop screen, and a phone in portrait (an iPhone 12-15's CSS width).
SCREENS = [(1280, 900, False), (390, 844, True)]
COMMAND_TIMEOUT = 30.0
LOAD_TIMEOUT = 60.0
START_TIMEOUT = 30.0


class CheckFailed(Exception):
    """A check that did not pass; the message says what was seen."""


class FigureCounter(html.parser.HTMLParser):
    """Counts <figure> elements in the HTML as written, independently of the browser."""

    def __init__(self) -> None:
        super().__init__()
        self.figures = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "figure":
            self.figures += 1


def figures_in(path: Path) -> int:
    counter = FigureCounter()
    counter.feed(path.read_text(encoding="utf-8"))
    counter.close()
    return counter.figures


class Browser:
    """One headless Chromium and its DevTools pipe."""

    def __init__(self, log_path: Path) -> None:
        self.profile = tempfile.mkdtemp(prefix="relulens-chromium-")
        self.next_id = 0
        self.buffer = b""
        self.replies: dict[int, dict] = {}
        self.events: list[dict] = []
        # Chromium wants the pipe on fds 3 (commands in) and 4 (messages out). pass_fds keeps fd
        # numbers as they are, so the child's ends are moved to 3 and 4 for the spawn (whatever
        # was there is set aside and put back), and the parent keeps its ends above them.
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.write_fd = fcntl_dup_high(to_child_w)
        self.read_fd = fcntl_dup_high(from_child_r)
        child_r = fcntl_dup_high(to_child_r)
        child_w = fcntl_dup_high(from_child_w)
        for fd in (to_child_r, to_child_w, from_child_r, from_child_w):
            os.close(fd)
        saved = {fd: save_fd(fd) for fd in (3, 4)}
        try:
            os.dup2(child_r, 3)
            os.dup2(child_w, 4)
            self.log = open(log_path, "wb")
            self.process = subprocess.Popen(
                [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}"],
                stdin=subprocess.DEVNULL,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                pass_fds=(3, 4),
                # Its own process group, so that closing ends the renderers and helpers too.
                start_new_session=True,
            )
        finally:
            for fd, copy in saved.items():
                if copy is None:
                    os.close(fd)
                else:
                    os.dup2(copy, fd)
                    os.close(copy)
            os.close(child_r)
            os.close(child_w)
        try:
            self.version = self.send("Browser.getVersion", timeout=START_TIMEOUT).get("product", "?")
        except CheckFailed:
            self.close()
            raise

    def send(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = COMMAND_TIMEOUT,
    ) -> dict:
        """Sends a command and waits for its reply; a protocol error fails the check."""
        self.next_id += 1
        message: dict = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        deadline = time.monotonic() + timeout
        while data:
            _, writable, _ = select.select([], [self.write_fd], [], remaining(deadline, method))
            if writable:
                data = data[os.write(self.write_fd, data) :]
        while self.next_id not in self.replies:
            self.pump(deadline, method)
        reply = self.replies.pop(self.next_id)
        if "error" in reply:
            raise CheckFailed(f"{method}: the browser answered {reply['error']}")
        return reply.get("result", {})

    def pump(self, deadline: float, waiting_for: str) -> None:
        """Reads what the browser has sent, up to the deadline."""
        readable, _, _ = select.select([self.read_fd], [], [], remaining(deadline, waiting_for))
        if not readable:
            return
        chunk = os.read(self.read_fd, 1 << 20)
        if not chunk:
            raise CheckFailed(
                f"Chromium closed the pipe while waiting for {waiting_for} "
                f"(exit code {self.process.poll()}; see {self.log.name})"
            )
        self.buffer += chunk
        *messages, self.buffer = self.buffer.split(b"\0")
        for raw in messages:
            message = json.loads(raw)
            if "id" in message:
                self.replies[message["id"]] = message
            else:
                self.events.append(message)

    def wait_for_event(self, method: str, session: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    return event
            self.pump(deadline, method)

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.send("Browser.close", timeout=10)
                self.process.wait(timeout=10)
        except (CheckFailed, subprocess.TimeoutExpired, OSError):
            pass
        finally:
            if self.process.poll() is None:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=10)
            for fd in (self.read_fd, self.write_fd):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)


def fcntl_dup_high(fd: int) -> int:
    """A close-on-exec copy of `fd` numbered 10 or more, clear of 3 and 4."""
    return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)


def save_fd(fd: int) -> int | None:
    """A copy of whatever `fd` is open on (None if it is not open)."""
    try:
        return fcntl_dup_high(fd)
    except OSError:
        return None


def remaining(deadline: float, waiting_for: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise CheckFailed(f"timed out waiting for {waiting_for}")
    return left


# Measures the page as laid out: every picture's box, the figures, sections and tables.
MEASURE = r"""
(() => {
  const box = e => {
    const r = e.getBoundingClientRect();
    return {width: r.width, height: r.height, left: r.left + scrollX, right: r.right + scrollX};
  };
  const pictures = [...document.querySelectorAll('svg, img')].map(e => ({
    tag: e.tagName.toLowerCase(),
    inFigure: e.parentElement !== null && e.parentElement.tagName.toLowerCase() === 'figure',
    label: ((e.querySelector && e.querySelector('text') && e.querySelector('text').textContent)
            || e.getAttribute('alt') || '').trim().slice(0, 60),
    ...box(e),
  }));
  const figures = [...document.querySelectorAll('figure')].map(
    f => f.querySelectorAll(':scope > svg, :scope > img').length);
  const sections = [...document.querySelectorAll('main > section')].map(s => ({
    id: s.id,
    heading: (s.querySelector('h2') || {textContent: ''}).textContent.trim(),
    tables: [...s.querySelectorAll('table')].map(t => ({
      rows: t.tBodies.length ? t.tBodies[0].rows.length : 0, ...box(t)})),
  }));
  return {
    title: document.title,
    innerWidth, innerHeight,
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    textLength: document.body.innerText.length,
    pictures, figures, sections,
  };
})()
"""

SETTLE = "document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"


def evaluate(browser: Browser, session: str, expression: str, await_promise: bool = False):
    result = browser.send(
        "Runtime.evaluate",
        {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
        session,
    )
    if "exceptionDetails" in result:
        raise CheckFailed(f"the measuring script failed: {result['exceptionDetails']}")
    return result["result"].get("value")


def problems_in(events: list[dict], session: str) -> list[str]:
    """Console errors, exceptions, browser log errors, failed and external loads, in order."""
    problems = []
    for event in events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            problems.append(f"console {params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            problems.append(f"uncaught exception: {text}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            problems.append(f"browser log error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".rstrip())
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(f"a load failed: {params.get('errorText')} ({params.get('type')})")
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "about:")):
                problems.append(f"a request leaves the file: {url}")
    return problems


def check_screen(
    browser: Browser,
    name: str,
    path: Path,
    screen: tuple[int, int, bool],
    out: Path,
    sections: int | None,
    tables: list[str],
) -> str:
    width, height, mobile = screen
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", {}, session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session,
        )
        url = path.resolve().as_uri()
        navigated = browser.send("Page.navigate", {"url": url}, session)
        if navigated.get("errorText"):
            raise CheckFailed(f"{name}: could not open {url}: {navigated['errorText']}")
        browser.wait_for_event("Page.loadEventFired", session, LOAD_TIMEOUT)
        evaluate(browser, session, SETTLE, await_promise=True)
        m = evaluate(browser, session, MEASURE)
        (out / f"{name}-{width}.json").write_text(json.dumps(m, indent=1))

        failures = problems_in(browser.events, session)
        expected = figures_in(path)
        pictures = m["pictures"]
        if expected == 0:
            failures.append("the page's HTML has no <figure>")
        if len(pictures) != expected:
            failures.append(f"{len(pictures)} <svg>/<img> elements laid out, but the HTML has {expected} figures")
        if len(m["figures"]) != expected:
            failures.append(f"{len(m['figures'])} figures in the DOM, but the HTML has {expected}")
        for n, count in enumerate(m["figures"]):
            if count != 1:
                failures.append(f"figure {n + 1} holds {count} pictures, not 1")
        for n, p in enumerate(pictures):
            what = f"{p['tag']} {n + 1} ({p['label'] or 'no title'})"
            if not (p["width"] > 0 and p["height"] > 0):
                failures.append(f"{what} is laid out {p['width']} x {p['height']} px")
            if not p["inFigure"]:
                failures.append(f"{what} is not in a <figure>")
            if p["left"] < -1 or p["right"] > width + 1:
                failures.append(f"{what} spans x = {p['left']:.0f}..{p['right']:.0f}, past the {width} px screen")
        # A phone lays a too-wide page out wider than its screen and zooms out (innerWidth grows
        # with it), so the content is held against the screen's width as well as innerWidth.
        if m["innerWidth"] != width:
            failures.append(
                f"the page is laid out {m['innerWidth']} px wide on a {width} px screen: something "
                "is wider than the screen (or the viewport meta tag is missing)"
            )
        if m["scrollWidth"] > min(m["innerWidth"], width) + 1:
            failures.append(f"the page scrolls sideways: {m['scrollWidth']} px of content on a {width} px screen")
        if m["textLength"] == 0:
            failures.append("the page shows no text")
        if sections is not None and len(m["sections"]) != sections:
            failures.append(f"{len(m['sections'])} sections, expected {sections}: {[s['id'] for s in m['sections']]}")
        for heading in tables:
            found = [t for s in m["sections"] if heading in s["heading"] for t in s["tables"]]
            if not found:
                failures.append(f"no table in a section headed {heading!r}")
            for t in found:
                if t["rows"] == 0 or not (t["width"] > 0 and t["height"] > 0):
                    failures.append(f"the table under {heading!r} has {t['rows']} rows, {t['width']} x {t['height']} px")

        metrics = browser.send("Page.getLayoutMetrics", {}, session)
        content = metrics["cssContentSize"]
        shot = browser.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": content["height"], "scale": 1},
            },
            session,
            timeout=60,
        )
        png = base64.b64decode(shot["data"])
        shot_path = out / f"{name}-{width}.png"
        shot_path.write_bytes(png)
        # The first screen too, as a reader sees it on opening the page: full-page shots of a long
        # page are too tall to look at whole.
        first = browser.send("Page.captureScreenshot", {"format": "png"}, session)
        (out / f"{name}-{width}-top.png").write_bytes(base64.b64decode(first["data"]))
        if not png.startswith(b"\x89PNG") or len(png) < 10_000:
            failures.append(f"the screenshot {shot_path} is not a real picture ({len(png)} bytes)")
        if failures:
            raise CheckFailed(f"{name} at {width} px:\n  " + "\n  ".join(failures))
        return (
            f"{name} at {width} px: loaded, {len(pictures)} figures laid out "
            f"(smallest {min(p['width'] for p in pictures):.0f} x {min(p['height'] for p in pictures):.0f} px), "
            f"{len(m['sections'])} sections, {m['scrollWidth']} px wide, "
            f"{content['height']:.0f} px tall; {shot_path}"
        )
    finally:
        browser.send("Target.closeTarget", {"targetId": target})
        browser.events = [e for e in browser.events if e.get("sessionId") != session]


def named(values: list[str], flag: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep:
            raise SystemExit(f"browser_check: {flag} {value!r}: expected NAME=VALUE")
        result.setdefault(name, []).append(rest)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", metavar="NAME=FILE", help="a page to check, named")
    parser.add_argument("--out", type=Path, required=True, help="where screenshots and measurements go")
    parser.add_argument("--sections", action="append", default=[], metavar="NAME=N")
    parser.add_argument("--table", action="append", default=[], metavar="NAME=HEADING")
    args = parser.parse_args()
    pages = {name: Path(files[-1]) for name, files in named(args.pages, "page").items()}
    sections = {name: int(v[-1]) for name, v in named(args.sections, "--sections").items()}
    tables = named(args.table, "--table")
    for name, path in pages.items():
        if not path.is_file():
            print(f"browser_check: FAIL: {name}: no page at {path}", file=sys.stderr)
            return 1
    if not os.access(CHROMIUM, os.X_OK):
        print(f"browser_check: FAIL: {CHROMIUM} is missing; install Debian's chromium package", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)

    passed, failed = 0, 0
    try:
        browser = Browser(args.out / "chromium.log")
    except CheckFailed as err:
        print(f"browser_check: FAIL: Chromium did not start: {err}", file=sys.stderr)
        return 1
    try:
        print(f"browser_check: {browser.version}")
        for name, path in pages.items():
            for screen in SCREENS:
                try:
                    line = check_screen(browser, name, path, screen, args.out, sections.get(name), tables.get(name, []))
                    print(f"browser_check: ok: {line}")
                    passed += 1
                except CheckFailed as err:
                    print(f"browser_check: FAIL: {err}", file=sys.stderr)
                    failed += 1
                    if browser.process.poll() is not None:
                        raise
    except CheckFailed:
        failed += 1
    finally:
        browser.close()
    print(f"browser_check: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
