"""What the spider hands on: raw pages, exactly as served. Extraction happens in transforms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class RawPage:
    """One fetched article page with the metadata the raw layer keeps."""

    url: str
    fetched_at: datetime
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    discovered_via: str | None
    html: bytes
    run_id: str
