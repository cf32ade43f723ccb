"""The HTML report in a real browser: headless Chromium loads it, and we check what it did.

Chromium is driven through the Chrome DevTools Protocol over ``--remote-debugging-pipe``
(file descriptors 3 and 4, messages separated by NUL bytes), so no Python package is needed.
The test records every network request the page makes, every console message and JavaScript
exception and every browser log entry at error level; takes a screenshot and checks it is not
blank; and prints the page to PDF (what "print" in a browser does). Host name resolution is
switched off (``--host-resolver-rules``), so even a leaked reference could not reach a network.

The test is skipped, saying why, only when no Chromium or Chrome can be found. To install it
on Debian or Ubuntu: ``apt-get install -y chromium``.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.documents.content import build_report
from sim.documents.files import render_report
from sim.scenario import load_scenario

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str | None:
    """A Chromium-family browser on PATH, or Debian's /usr/bin/chromium."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``."""

    def __init__(self, browser: str, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds() -> None:  # runs in the child: its fd 3 reads commands, fd 4 writes
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            preexec_fn=wire_fds,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command and wait (60 s at most) for its answer; keep events seen meanwhile."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while True:
            reply = self._next(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._next(deadline))

    def _next(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the browser did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise EOFError("the browser closed the DevTools pipe")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return dict(json.loads(raw))

    def close(self) -> None:
        with contextlib.suppress(OSError, EOFError, TimeoutError, RuntimeError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture(scope="module")
def browser() -> str:
    found = find_browser()
    if found is None:
        pytest.skip(
            "no Chromium or Chrome found (looked for "
            + ", ".join(BROWSERS)
            + " on PATH and /usr/bin/chromium); install one with: apt-get install -y chromium"
        )
    return found


@pytest.fixture(scope="module")
def visit(browser: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Load the rare-earths report (a 1-D and a 2-D sweep) and record what happened."""
    folder = tmp_path_factory.mktemp("browser")
    report = build_report(
        load_scenario("rare-earths-for-chips"),
        vary=["t_us=0:1.5:61", "kappa=3:30:28"],
    )
    page = folder / "report.html"
    page.write_bytes(render_report(report, "html"))
    one_d = build_report(load_scenario("rare-earths-for-chips"), vary=["t_us=0:1.5:61"])
    page_1d = folder / "report-1d.html"
    page_1d.write_bytes(render_report(one_d, "html"))
    tools = DevTools(browser, folder / "profile")
    try:
        target = tools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = tools.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Network", "Runtime", "Log", "Page"):
            tools.call(f"{domain}.enable", session=session)
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 1600, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        shots = []
        for path in (page, page_1d):
            tools.events = [e for e in tools.events if e.get("method") != "Page.loadEventFired"]
            tools.call("Page.navigate", {"url": path.as_uri()}, session=session)
            tools.wait_for("Page.loadEventFired")
            shot = tools.call("Page.captureScreenshot", {"format": "png"}, session=session)
            shots.append(base64.b64decode(shot["data"]))
        printed = tools.call(
            "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, session=session
        )
        height = tools.call(
            "Runtime.evaluate",
            {"expression": "document.documentElement.scrollHeight", "returnByValue": True},
            session=session,
        )["result"]["value"]
    finally:
        tools.close()
    return {
        "events": tools.events,
        "screenshots": shots,
        "pdf": base64.b64decode(printed["data"]),
        "height": height,
        "urls": [page.as_uri(), page_1d.as_uri()],
    }


def test_page_makes_no_network_request(visit: dict[str, Any]) -> None:
    requested = [
        e["params"]["request"]["url"]
        for e in visit["events"]
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert set(visit["urls"]) <= set(requested)  # the pages themselves
    others = [u for u in requested if u not in visit["urls"]]
    # Inline images of the map are data: URLs; nothing may come from anywhere else.
    assert [u[:80] for u in others if not u.startswith("data:")] == []
    failed = [e for e in visit["events"] if e.get("method") == "Network.loadingFailed"]
    assert failed == []


def test_page_logs_no_error(visit: dict[str, Any]) -> None:
    errors = []
    for e in visit["events"]:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown" or (
            method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}
        ):
            errors.append(params)
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(params["entry"])
    assert errors == []


def test_screenshots_are_not_blank(visit: dict[str, Any]) -> None:
    from PIL import Image

    for png in visit["screenshots"]:
        image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        assert image.shape[:2] == (1600, 1280)
        ink = np.any(image < 200, axis=2)
        assert ink.mean() > 0.01  # text and boxes, not an empty page
        colours = np.unique(image.reshape(-1, 3), axis=0)
        assert len(colours) > 50  # anti-aliased text, the status box, the contents
        # the title is at the top: dark pixels in the first 200 rows
        assert ink[:200].mean() > 0.005


def test_page_is_long_and_prints_to_a_few_pages(visit: dict[str, Any]) -> None:
    assert visit["height"] > 5000  # every section is laid out, figures included
    pdf = visit["pdf"]
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page")
    assert 3 <= pages <= 40
