"""URL canonicalisation, so that one article is one URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_", "_ga", "__twitter", "__tn")
# page=all / single=1 are views of the same article; amp/outputType mark AMP variants
VIEW_KEYS = {"ref", "source", "amp", "page", "single", "outputtype", "medium", "from", "src", "_gl"}
_AMP_PATH = re.compile(r"(/amp)(?=/|$)|(\.amp)(?=$)", re.I)


def _canonical_host(host: str, domains: tuple[str, ...]) -> str:
    """The portal's own spelling of the host: www/non-www and amp. variants folded onto a catalog domain."""
    bare = host.removeprefix("amp.").removeprefix("m.") if host.startswith(("amp.", "m.")) else host
    for candidate in (bare, bare.removeprefix("www."), f"www.{bare}"):
        if candidate in domains:
            return candidate
    return host


def canonical_url(url: str, domains: tuple[str, ...] = ()) -> str:
    """https, the portal's host spelling, no fragment, no tracking or view parameters, no AMP marker."""
    parts = urlsplit(url.strip())
    host = _canonical_host((parts.hostname or "").lower().rstrip("."), tuple(domains))
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES) and k.lower() not in VIEW_KEYS
    ]
    path = _AMP_PATH.sub("", parts.path) or "/"
    scheme = "https" if parts.scheme.lower() in ("http", "https", "") else parts.scheme.lower()
    return urlunsplit((scheme, host, path, urlencode(query), ""))
