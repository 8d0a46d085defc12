"""URL canonicalisation, so that one article is one URL."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "_ga")
TRACKING_KEYS = {"ref", "source", "amp", "page"}  # page=all is a view of the same article


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking or view parameters, no default port."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in TRACKING_KEYS
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower() or "https", host, path, urlencode(query), ""))
