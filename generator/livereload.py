"""The live preview's web server: serves the preview's site folder and makes each open page
reload itself once the site has been built again.

Every HTML page is served with a small script that asks ``/livereload/N`` (N: the version of
the site it shows); the answer comes when a newer version is whole, and the page reloads.
While a build runs, requests wait for it, so that no page is served half written. The server
is the generator's own, so that the preview works with any site engine.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.builders import routes

WAIT_SECONDS = 60
"""How long a page's question for a newer version stays open before it is answered anyway
(the page asks again at once)."""
SCRIPT = """<script>/* livereload: reload this page once the preview has rebuilt the site */
(function () {
  function ask() {
    fetch("/livereload/%(version)d", {cache: "no-store"})
      .then(function (reply) { return reply.text(); })
      .then(function (text) { if (Number(text) > %(version)d) location.reload(); else ask(); },
            function () { setTimeout(ask, 1000); });
  }
  ask();
})();</script>"""
QUESTION = re.compile(r"/livereload/(\d+)")


class Site:
    """The served folder's version (one more for every build) and whether a build runs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.version = time.time_ns() // 1_000_000
        """One more for every build, from the time the server started (in milliseconds), so
        that a page left open from an earlier preview reloads too."""
        self.building = True
        """Until the first build is done, nothing is served."""
        self.condition = threading.Condition()

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """While the folder is written: requests wait, and open pages reload after it."""
        with self.condition:
            self.building = True
        try:
            yield
        finally:
            with self.condition:
                self.building = False
                self.version += 1
                self.condition.notify_all()

    def whole(self) -> int:
        """Wait for a running build to end; return the version then."""
        with self.condition:
            self.condition.wait_for(lambda: not self.building)
            return self.version

    def newer_than(self, version: int) -> int:
        """The version once it is newer than ``version`` (or after ``WAIT_SECONDS``)."""
        with self.condition:
            self.condition.wait_for(lambda: self.version > version and not self.building,
                                    timeout=WAIT_SECONDS)
            return self.version


class _Handler(BaseHTTPRequestHandler):
    """Serves the files of the site folder (HTML with the reload script), the site's own
    ``404.html`` for a missing file, and the reload questions."""

    site: Site

    def do_GET(self) -> None:
        self._reply(body=True)

    def do_HEAD(self) -> None:
        self._reply(body=False)

    def _reply(self, body: bool) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        question = QUESTION.fullmatch(path)
        if question:
            self._send(200, "text/plain", b"%d" % self.site.newer_than(int(question[1])), body)
            return
        version = self.site.whole()
        relative = posixpath.normpath("/" + path).lstrip("/")  # never above the folder
        file = self.site.folder / relative
        if file.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", urllib.parse.quote(path) + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            file = file / routes.html(routes.HOME)  # a folder's own home page
        code = 200
        if not file.is_file():
            code, file = 404, self.site.folder / "404.html"
            if not file.is_file():
                self._send(404, "text/plain", b"404 Not Found", body)
                return
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = file.read_bytes()
            end = data.rfind(b"</body>")
            end = len(data) if end < 0 else end
            data = data[:end] + (SCRIPT % {"version": version}).encode() + data[end:]
            self._send(code, kind + "; charset=utf-8", data, body)
            return
        # The browser keeps the theme's scripts and styles, and asks whether each changed.
        stat = file.stat()
        tag = f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if code == 200 and self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.end_headers()
            return
        self._send(code, kind, file.read_bytes(), body, tag)

    def _send(self, code: int, kind: str, data: bytes, body: bool, tag: str = "") -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if tag:
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", "no-cache")  # kept, but asked about each time
        else:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal says what changed, not what was asked


class Server(ThreadingHTTPServer):
    """Serves ``site`` on ``host:port`` (bound at once: a taken address fails here)."""

    daemon_threads = True

    def __init__(self, host: str, port: int, site: Site) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        handler = type("Handler", (_Handler,), {"site": site})
        super().__init__((host, port), handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.shutdown()
        self.server_close()
