"""Live-mode safety and Retry-After parsing."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from spiders.middlewares import SafeTargetMiddleware, is_unsafe_host, retry_after_seconds


def middleware(replay: bool) -> SafeTargetMiddleware:
    crawler = SimpleNamespace(settings={"WARTA_REPLAY_URL": "http://127.0.0.1:1" if replay else None})
    return SafeTargetMiddleware(crawler)


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://localhost:8080/", "http://10.1.2.3/", "http://192.168.0.9/",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]/"])
def test_live_mode_never_fetches_private_or_loopback_targets(url):
    with pytest.raises(IgnoreRequest, match="unsafe target"):
        middleware(replay=False).process_request(Request(url))


def test_public_targets_pass_and_replay_mode_is_exempt():
    assert middleware(replay=False).process_request(Request("http://93.184.216.34/berita")) is None
    assert middleware(replay=True).process_request(Request("http://127.0.0.1:8000/x")) is None
    assert not is_unsafe_host("8.8.8.8")


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Sat, 28 Nov 2026 08:00:30 GMT", now) == 30.0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None
