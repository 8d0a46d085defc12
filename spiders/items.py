"""What the spider hands on: raw pages exactly as served, and one crawl event per URL outcome."""

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


@dataclass
class CrawlEvent:
    """The final outcome of one URL in a crawl: fetched, not_modified, failed or skipped, with the reason."""

    url: str
    kind: str
    outcome: str
    reason: str | None
    status: int | None
    retries: int
    etag: str | None
    last_modified: str | None
    at: datetime
    run_id: str


DATASET_OF = {RawPage: "raw_pages", CrawlEvent: "crawl_log"}
