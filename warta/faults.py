"""Fault injection for the replay server: what a flaky portal does to a crawler, on chosen paths.

A fault plan maps a replay request path (/<host>/<path>[?query]) to a fault:
    {"/lampung.suara.com/read/...": {"fault": "503", "times": 2}}
`times` is how many requests fail before the path recovers (absent: it never recovers).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from http import HTTPStatus

FAULTS = ("500", "503", "429", "timeout", "reset", "truncate", "redirect_loop", "lying_charset", "oversize",
          "robots_disallow")
OVERSIZE_BYTES = 6 * 1024 * 1024  # over the crawler's 5 MiB page cap


class FaultPlan:
    """Which faults fire on which paths, counting requests so transient faults recover."""

    def __init__(self, plan: dict | None = None):
        self.plan = dict(plan or {})
        unknown = {spec.get("fault") for spec in self.plan.values()} - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {', '.join(FAULTS)}")
        self._hits: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(self, path: str) -> dict | None:
        """The fault to apply to this request of the path, or None once it has recovered."""
        spec = self.plan.get(path)
        if not spec or spec["fault"] == "robots_disallow":
            return None
        with self._lock:
            self._hits[path] = self._hits.get(path, 0) + 1
            hits = self._hits[path]
        times = spec.get("times")
        return spec if times is None or hits <= times else None

    def disallowed_paths(self, host: str) -> list[str]:
        """Paths on this host that robots.txt must disallow."""
        prefix = f"/{host}"
        return [p[len(prefix):] for p, s in self.plan.items() if s["fault"] == "robots_disallow" and p.startswith(prefix + "/")]

    def hits(self, path: str) -> int:
        """How many times the path was requested."""
        return self._hits.get(path, 0)


def real_url(request_path: str) -> str:
    """The portal URL a replay request path stands for."""
    return "https:/" + request_path


def apply_fault(handler, spec: dict, body: bytes, content_type: str) -> bool:
    """Answer the request with the fault; True when the response is fully handled."""
    fault = spec["fault"]
    if fault in ("500", "503", "429"):
        handler.send_response(int(fault))
        if spec.get("retry_after") is not None:
            handler.send_header("Retry-After", str(spec["retry_after"]))
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    elif fault == "timeout":
        time.sleep(float(spec.get("delay", 6)))
        handler.close_connection = True
    elif fault == "reset":
        # SO_LINGER 0 makes close() send a TCP RST: the client sees a connection reset
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.close_connection = True
    elif fault == "truncate":
        handler.send_response(HTTPStatus.OK)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2])
        handler.close_connection = True
    elif fault == "redirect_loop":
        handler.send_response(HTTPStatus.FOUND)
        handler.send_header("Location", real_url(handler.path))
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    else:
        return False  # lying_charset and oversize change the body, not the exchange
    return True


def alter_body(spec: dict | None, body: bytes, content_type: str) -> tuple[bytes, str]:
    """Faults that serve a body, but a wrong one: a lying charset header, or a page over the size cap."""
    if spec and spec["fault"] == "lying_charset":
        return body, content_type.split(";")[0] + "; charset=iso-8859-1"
    if spec and spec["fault"] == "oversize":
        return body + b"<!--" + b" " * OVERSIZE_BYTES + b"-->", content_type
    return body, content_type
