"""The documentation site, built once per test run and served on loopback.

``mkdocs build --strict`` takes seconds; every test that reads the built site
shares one build, also across pytest-xdist's workers (the first to ask builds,
under a lock, the others wait for it). ``WIJKSIM_DOCS_SITE=folder`` tests a
site built elsewhere instead (``make docs`` builds one in ``site/``): that is
how to check a test against the output of another version.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class SiteBuildFailed(RuntimeError):
    """``mkdocs build --strict`` failed (its output is the message)."""


def docs_site(folder: Path, shared: Path | None) -> Path:
    """The built site: in ``shared`` when the test run has workers that share
    it (built there by the first that asks), else built in ``folder``."""
    given = os.environ.get("WIJKSIM_DOCS_SITE")
    if given:
        return Path(given).resolve()
    if shared is None:
        return _build(folder)
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        failed = shared / "site.failed"
        if failed.exists():
            raise SiteBuildFailed(failed.read_text(encoding="utf-8"))
        site = shared / "site"
        if not (site / "index.html").exists():
            try:
                _build(site)
            except SiteBuildFailed as exc:
                failed.write_text(str(exc), encoding="utf-8")
                raise
        return site


def _build(out: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    if result.returncode != 0:
        raise SiteBuildFailed(result.stderr[-3000:])
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """``site`` served over HTTP on loopback (as a reader's browser gets it:
    the search index is fetched, which a ``file:`` page may not do); yields
    its root address, ``http://127.0.0.1:PORT/``."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
