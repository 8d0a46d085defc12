"""A run's date window: which publication dates belong to it."""

from __future__ import annotations

from datetime import date, datetime, timezone


def window_bound(value: str | datetime | None) -> datetime | None:
    """A window bound: an ISO date (midnight UTC), an ISO instant, or a datetime; None for an open end."""
    if not value:
        return None
    if isinstance(value, datetime):
        bound = value
    elif len(value) <= 10:
        bound = datetime.combine(date.fromisoformat(value), datetime.min.time())
    else:
        bound = datetime.fromisoformat(value)
    return bound if bound.tzinfo else bound.replace(tzinfo=timezone.utc)
