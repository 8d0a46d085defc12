"""Portal health per run: the shares that jump when a portal silently changes its layout."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from warehouse.schemas import PORTAL_HEALTH


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def portal_health(crawled: dict, curated, run_id: str, measured_at: datetime) -> pa.Table:
    """One portal_health row from the crawl's counts and the curate result."""
    counts = curated.counts
    rejects = {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("rejected:")}
    pages = curated.articles.num_rows + sum(rejects.values())
    articles = curated.articles.num_rows
    no_author = curated.articles.column("author").null_count
    row = {
        "run_id": run_id,
        "pages_fetched": crawled.get("pages_fetched", pages),
        "urls_failed": sum(crawled.get("failed", {}).values()),
        "retries": crawled.get("retries", 0),
        "articles_written": articles,
        "rejected": sum(rejects.values()),
        "rejects_by_reason": sorted(rejects.items()),
        "missing_body_share": _share(rejects.get("no_body", 0), pages),
        "missing_date_share": _share(rejects.get("no_date", 0), pages),
        "missing_author_share": _share(no_author, articles),
        "measured_at": measured_at,
        "articles_updated": counts.get("articles_updated", 0),
    }
    return pa.Table.from_pylist([row], schema=PORTAL_HEALTH)
