"""Open a page in headless Chromium and watch it through the DevTools protocol.

A small WebSocket client (RFC 6455, text frames only) from the standard
library, so the browser test needs nothing but the ``chromium`` binary.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

#: Flags that keep Chromium quiet, offline-friendly and sandbox-free (in containers).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
)


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable, if one is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> str:
    """The Chromium executable; without one the test is skipped, except in CI
    (``CI=true``) where ``make browser`` could install it (as root, with
    apt-get): there a browser check that does not run is a failure."""
    import pytest

    found = find_chromium()
    if found is not None:
        return found
    installable = os.geteuid() == 0 and shutil.which("apt-get") is not None
    if os.environ.get("CI", "").lower() == "true" and installable:
        pytest.fail(
            "CI=true and apt-get is usable, but Chromium is not installed: run `make browser` "
            "(`make test` does) and read why the install failed"
        )
    pytest.skip(
        "Chromium is not installed (Debian: apt-get install chromium; `make test` installs "
        "it where apt-get is usable): the browser check did not run"
    )


class WebSocket:
    """A blocking WebSocket client: enough for the DevTools protocol."""

    def __init__(self, url: str, timeout: float = 30.0):
        parts = urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise ConnectionError(f"no WebSocket upgrade: {head[:200]!r}")

    def send(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = bytes([0x81, 0x80 | n])
        elif n < 1 << 16:
            header = bytes([0x81, 0x80 | 126]) + n.to_bytes(2, "big")
        else:
            header = bytes([0x81, 0x80 | 127]) + n.to_bytes(8, "big")
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def receive(self) -> str:
        message = b""
        while True:
            first, second = self._read(2)
            n = second & 0x7F
            if n == 126:
                n = int.from_bytes(self._read(2), "big")
            elif n == 127:
                n = int.from_bytes(self._read(8), "big")
            payload = self._read(n)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):  # ping, pong: not used by DevTools
                continue
            message += payload
            if first & 0x80:
                return message.decode()

    def close(self) -> None:
        self.sock.close()


@dataclass
class PageReport:
    """What happened while a page loaded."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    screenshot: Path | None = None
    evaluated: object = None  # what the page's ``script`` returned (JSON)


def inspect_page(chromium: str, url: str, folder: Path, timeout: float = 60.0) -> PageReport:
    """Load ``url`` in a fresh headless Chromium and report requests, console
    errors and images; a full-page screenshot is saved in ``folder``."""
    return inspect_pages(chromium, [url], folder, timeout, screenshot=True)[url]


def print_pdf(chromium: str, url: str, pdf: Path, timeout: float = 120.0) -> Path:
    """``url`` printed to ``pdf`` by headless Chromium, as a reader's "print to
    PDF" does (the page's print style sheet, no header or footer)."""
    profile = pdf.parent / f"{pdf.stem}-profile"
    subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return pdf


def inspect_pages(
    chromium: str,
    urls: list[str],
    folder: Path,
    timeout: float = 60.0,
    *,
    script: str | None = None,
    screenshot: bool = False,
    width: int | None = None,
) -> dict[str, PageReport]:
    """Load each of ``urls`` in turn in one fresh headless Chromium and report,
    per page, requests, console errors, images and what ``script`` (a JavaScript
    expression that gives a JSON string, or a promise of one: events that come
    while it runs are reported too) returns once the page has loaded.
    ``width``: the viewport of a phone that many CSS pixels wide."""
    profile = folder / "chromium-profile"
    process = subprocess.Popen(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "--window-size=1100,900",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        endpoint = _devtools_endpoint(process, timeout)
        targets = _browser_call(endpoint, "Target.getTargets")["targetInfos"]
        target = next(t["targetId"] for t in targets if t["type"] == "page")
        return {
            url: _drive(
                _page_socket(endpoint, target), url, folder, timeout, script, screenshot, width
            )
            for url in urls
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _devtools_endpoint(process: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            raise RuntimeError(f"Chromium exited with code {process.returncode}")
        found = re.search(r"DevTools listening on (ws://\S+)", line)
        if found:
            return found[1]
    raise TimeoutError("Chromium did not open its DevTools port")


def _browser_call(browser_url: str, method: str, **params) -> dict:
    """The result of one call to the browser target."""
    browser = WebSocket(browser_url)
    browser.send(json.dumps({"id": 1, "method": method, "params": params}))
    while True:
        reply = json.loads(browser.receive())
        if reply.get("id") == 1:
            break
    browser.close()
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def _page_socket(browser_url: str, target: str) -> WebSocket:
    """A WebSocket to the page target ``target``."""
    parts = urlparse(browser_url)
    return WebSocket(f"ws://{parts.hostname}:{parts.port}/devtools/page/{target}")


def _drive(
    page: WebSocket,
    url: str,
    folder: Path,
    timeout: float,
    script: str | None,
    screenshot: bool,
    width: int | None = None,
) -> PageReport:
    report = PageReport()
    counter = iter(range(1, 1_000_000))
    pending: dict[int, str] = {}

    def call(method: str, **params) -> int:
        message_id = next(counter)
        pending[message_id] = method
        page.send(json.dumps({"id": message_id, "method": method, "params": params}))
        return message_id

    def wait_for(message_id: int) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(page.receive())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{pending[message_id]}: {message['error']}")
                return message.get("result", {})
            handle(message)
        raise TimeoutError(f"no answer to {pending[message_id]}")

    loaded = False

    def handle(message: dict) -> None:
        nonlocal loaded
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            report.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            report.console_errors.append(str(params.get("args")))
        elif method == "Runtime.exceptionThrown":
            report.console_errors.append(str(params.get("exceptionDetails")))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            report.console_errors.append(params["entry"].get("text", ""))
        elif method == "Page.loadEventFired":
            loaded = True

    for method in ("Page.enable", "Network.enable", "Runtime.enable", "Log.enable"):
        wait_for(call(method))
    if width is not None:  # a phone: its width, its viewport meta tag honoured
        metrics = {"width": width, "height": 800, "deviceScaleFactor": 2, "mobile": True}
        wait_for(call("Emulation.setDeviceMetricsOverride", **metrics))
    wait_for(call("Page.navigate", url=url))
    deadline = time.monotonic() + timeout
    while not loaded and time.monotonic() < deadline:
        handle(json.loads(page.receive()))
    if not loaded:
        raise TimeoutError(f"{url} did not finish loading")
    images = (
        "JSON.stringify(Array.from(document.images).map(i => "
        "({src: i.src.slice(0, 40), complete: i.complete, naturalWidth: i.naturalWidth})))"
    )
    result = wait_for(call("Runtime.evaluate", expression=images, returnByValue=True))
    report.images = json.loads(result["result"]["value"])
    if script is not None:
        evaluate = {"expression": script, "returnByValue": True, "awaitPromise": True}
        result = wait_for(call("Runtime.evaluate", **evaluate))
        if "exceptionDetails" in result:
            raise RuntimeError(f"the script failed on {url}: {result['exceptionDetails']}")
        report.evaluated = json.loads(result["result"]["value"])
    if not screenshot:
        # left before the next page is opened: what this one does late is its own
        wait_for(call("Page.navigate", url="about:blank"))
        page.close()
        return report
    metrics = wait_for(call("Page.getLayoutMetrics"))
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = wait_for(
        call(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        )
    )
    report.screenshot = folder / "report.png"
    report.screenshot.write_bytes(base64.b64decode(shot["data"]))
    page.close()
    return report
