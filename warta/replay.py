"""The replay server: serves the bundled portal pages on 127.0.0.1 so crawls run offline.

A portal URL https://<host>/<path>?<query> is requested from the server as /<host>/<path>?<query>
and served from replay/<host>/<path>[@<query>] (a path ending in "/" serves its index.html).
"""

from __future__ import annotations

import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


def content_type(path: Path) -> str:
    """The Content-Type a real server would send for this bundled file."""
    name = path.name.split("@")[0]
    if name.endswith(".xml"):
        return "application/xml; charset=utf-8"
    if name.endswith(".txt"):
        return "text/plain; charset=utf-8"
    guessed, _ = mimetypes.guess_type(name)
    return guessed if guessed and "." in name else "text/html; charset=utf-8"


class ReplayHandler(BaseHTTPRequestHandler):
    """Answers GET/HEAD from the replay root; logs nothing to stderr."""

    server_version = "WartaReplay/1"
    root: Path = REPLAY_ROOT

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        path = replay_file(self.root, self.path)
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "not in the replay set")
            return
        body = path.read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        return


class ReplayServer:
    """A replay server on 127.0.0.1 at an ephemeral port, run in a background thread."""

    def __init__(self, root: Path = REPLAY_ROOT, port: int = 0):
        handler = type("BoundReplayHandler", (ReplayHandler,), {"root": Path(root)})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
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
