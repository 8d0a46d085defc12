"""A failed request's named reason, from Scrapy's and Twisted's exception types."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError

IGNORE_REASONS = (
    ("robots.txt", "robots_disallowed"),
    ("max redirections", "redirect_loop"),
    ("offsite", "offsite"),
    ("unsafe target", "unsafe_target"),
)
TYPE_REASONS = (
    (DownloadTimeoutError, "timeout"),
    (ResponseDataLossError, "truncated"),
    (DownloadCancelledError, "too_large"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (CannotResolveHostError, "dns_error"),
    (DownloadFailedError, "connection_reset"),
)
NAME_REASONS = {
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "ConnectionLost": "connection_reset",
    "ConnectionDone": "connection_reset",
    "ConnectionResetError": "connection_reset",
    "ResponseFailed": "connection_reset",
    "ResponseNeverReceived": "connection_reset",
    "PotentialDataLoss": "truncated",
    "CancelledError": "too_large",
}


def failure_reason(failure) -> str:
    """snake_case reason for a Twisted Failure: http_503, timeout, robots_disallowed, redirect_loop, ..."""
    error = failure.value
    if isinstance(error, HttpError) and getattr(error, "response", None) is not None:
        return f"http_{error.response.status}"
    if isinstance(error, IgnoreRequest):
        message = str(error).lower()
        return next((reason for needle, reason in IGNORE_REASONS if needle in message), "ignored")
    for kind, reason in TYPE_REASONS:
        if isinstance(error, kind):
            return reason
    name = type(error).__name__
    if name in NAME_REASONS:
        return NAME_REASONS[name]
    text = str(error).lower()
    if "max size" in text or "maxsize" in text:
        return "too_large"
    return name.lower() or "error"
