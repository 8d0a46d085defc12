"""The replay server: serves the bundled portal pages on 127.0.0.1 so crawls run offline.

A portal URL https://<host>/<path>?<query> is requested from the server as /<host>/<path>?<query>
and served from replay/<host>/<path>[@<query>] (a path ending in "/" serves its index.html).
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from warta.faults import FaultPlan, alter_body, apply_fault
from warta.paths import REPLAY_ROOT


def replay_file(root: Path, request_path: str) -> Path | None:
    """The bundled file that answers a replay request path, or None (outside the root or absent)."""
    parts = urlsplit(request_path)
    relative = unquote(parts.path).lstrip("/")
    if not relative or relative.endswith("/") or "/" not in relative:
        relative = relative.rstrip("/") + "/index.html"
    if parts.query:
        relative = f"{relative}@{parts.query}"
    candidate = (root / relative).resolve()
    root = root.resolve()
    if root not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def content_type(path: Path, head: bytes = b"") -> str:
    """The Content-Type a real server would send for this bundled file (by name, else by its first bytes)."""
    name = path.name.split("@")[0]
    start = head.lstrip()[:200].lower()
    if name.endswith(".xml") or start.startswith((b"<?xml", b"<rss", b"<urlset", b"<sitemapindex", b"<feed")):
        return "application/xml; charset=utf-8"
    if name.endswith(".json") or start.startswith((b"[", b"{")):
        return "application/json; charset=utf-8"
    if name.endswith(".txt"):
        return "text/plain; charset=utf-8"
    guessed, _ = mimetypes.guess_type(name)
    return guessed if guessed and "." in name else "text/html; charset=utf-8"


class ReplayHandler(BaseHTTPRequestHandler):
    """Answers GET/HEAD from the replay root; logs nothing to stderr."""

    server_version = "WartaReplay/1"
    protocol_version = "HTTP/1.1"
    root: Path = REPLAY_ROOT
    faults: FaultPlan = FaultPlan()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        fault = self.faults.take(self.path)
        path = replay_file(self.root, self.path)
        if path is None and not (fault and fault["fault"] == "redirect_loop"):
            self._send(HTTPStatus.NOT_FOUND, b"not in the replay set", "text/plain; charset=utf-8", send_body)
            return
        body = path.read_bytes() if path else b""
        if path and path.name == "robots.txt":
            body = self._robots(body)
        kind = content_type(path, body[:512]) if path else "text/html"
        if fault and apply_fault(self, fault, body, kind):
            return
        body, kind = alter_body(fault, body, kind)
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
        if self.headers.get("If-None-Match") == etag:
            self._send(HTTPStatus.NOT_MODIFIED, b"", kind, False, etag)
            return
        self._send(HTTPStatus.OK, body, kind, send_body, etag)

    def _robots(self, body: bytes) -> bytes:
        """robots.txt with the fault plan's disallowed paths added to the "User-agent: *" group."""
        host = self.path.strip("/").split("/")[0]
        lines = "".join(f"Disallow: {p}\n" for p in self.faults.disallowed_paths(host)).encode()
        if not lines:
            return body
        head, marker, tail = body.partition(b"User-agent: *\n")
        return head + marker + lines + tail if marker else b"User-agent: *\n" + lines + b"\n" + body

    def _send(self, status, body: bytes, kind: str, send_body: bool, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        return


class QuietServer(ThreadingHTTPServer):
    """A threading server that does not print a traceback when a client hangs up (faults make them)."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        return


class ReplayServer:
    """A replay server on 127.0.0.1 at an ephemeral port, run in a background thread."""

    def __init__(self, root: Path = REPLAY_ROOT, port: int = 0, faults: dict | None = None):
        self.faults = FaultPlan(faults)
        handler = type("BoundReplayHandler", (ReplayHandler,), {"root": Path(root), "faults": self.faults})
        self.httpd = QuietServer(("127.0.0.1", port), handler)
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="warta-replay", daemon=True)

    @property
    def url(self) -> str:
        """The base URL spiders rewrite portal URLs onto."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        """Start serving in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
