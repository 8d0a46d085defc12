"""Downloader middlewares: honour Retry-After on 429/503, and never fetch an unsafe target in live mode."""

from __future__ import annotations

import ipaddress
import socket
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, plus: a 429/503 with Retry-After slows the whole domain down for that long."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("WARTA_RETRY_AFTER_MAX", 120.0)
        self._usual_delay: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        middleware.crawler = crawler
        return middleware

    def process_response(self, request, response, spider=None):
        wait = retry_after_seconds(response.headers.get(b"Retry-After")) if response.status in (429, 503) else None
        if wait is not None:
            self.crawler.stats.inc_value("warta/retry_after_honoured")
            downloader = self.crawler.engine.downloader
            key = downloader.get_slot_key(request)
            if key in downloader.slots:
                self._pause_slot(key, downloader.slots[key], min(wait, self.max_wait))
        return super().process_response(request, response)

    def _pause_slot(self, key: str, slot, wait: float) -> None:
        """Space the domain's requests by the wait the server asked for, then go back to the usual delay."""
        from twisted.internet import reactor

        usual = self._usual_delay.setdefault(key, slot.delay)
        slot.delay = max(usual, wait)

        def restore() -> None:
            slot.delay = usual

        reactor.callLater(wait, restore)


@lru_cache(maxsize=1024)
def is_unsafe_host(host: str) -> bool:
    """True for loopback, private, link-local or reserved addresses, by literal or by what the name resolves to."""
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            addresses = {ipaddress.ip_address(info[4][0]) for info in socket.getaddrinfo(host, None)}
        except (socket.gaierror, UnicodeError):
            return False  # unresolvable: the download fails on its own with a DNS error
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_multicast for a in addresses)


class SafeTargetMiddleware:
    """Live mode: refuse any request to a private or loopback address (replay mode goes to 127.0.0.1 by design)."""

    def __init__(self, crawler):
        self.replay = bool(crawler.settings.get("WARTA_REPLAY_URL"))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if not self.replay and is_unsafe_host(urlsplit(request.url).hostname or ""):
            raise IgnoreRequest(f"unsafe target: {request.url}")
        return None
