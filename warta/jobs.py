"""The pipeline's steps as plain functions: what the DAG's tasks call (and tests call without Airflow)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from warehouse.store import PartitionKey, read_partition, write_partition
from warta.catalog import get_portal

log = logging.getLogger("warta")


def partition_key(portal: str, interval_start: datetime) -> PartitionKey:
    """The run's partition: the data-interval start names both the date folder and the file."""
    start = interval_start.astimezone(timezone.utc)
    return PartitionKey(portal, start.date().isoformat(), start.strftime("%Y%m%dT%H%M"))


def crawl_portal(portal: str, interval_start: datetime, run_id: str, mode: str, root: Path | None = None,
                 since: str | None = None) -> dict:
    """Crawl one portal into its raw partition; return counts and the partition key for the next step."""
    from warta.crawl import run_crawl

    key = partition_key(portal, interval_start)
    result = run_crawl(portal, key, run_id, mode, root, log=lambda line: log.info("%s", line), since=since)
    log.info("crawl %s: %d pages fetched, %d raw rows, failed %s", portal, result["pages_fetched"],
             result["raw_rows"], result["failed"] or "none")
    return {**result, "run_date": key.run_date, "part": key.part}


def curate_portal(crawled: dict, run_id: str, root: Path | None = None) -> dict:
    """Raw partition -> articles, rejects and portal_health partitions (each replaced whole); return the counts."""
    from transforms.curate import curate_pages
    from transforms.health import portal_health

    portal = crawled["portal"]
    key = PartitionKey(portal, crawled["run_date"], crawled["part"])
    raw = read_partition("raw_pages", key, root)
    result = curate_pages(raw, get_portal(portal), run_id)
    health = portal_health(crawled, result, run_id, datetime.now(timezone.utc))
    paths = {name: write_partition(name, table, key, root)
             for name, table in (("articles", result.articles), ("rejects", result.rejects), ("portal_health", health))}
    rejects = {k.split(":", 1)[1]: v for k, v in sorted(result.counts.items()) if k.startswith("rejected:")}
    log.info("curate %s: %d raw pages -> %d articles, %d rejected %s", portal, raw.num_rows,
             result.articles.num_rows, sum(rejects.values()), rejects or "")
    for row in result.rejects.to_pylist():
        log.info("  rejected %s: %s (%s)", row["url"], row["reason"], row["detail"])
    log.info("health %s: %s", portal, {k: v for k, v in health.to_pylist()[0].items() if k not in ("run_id", "measured_at")})
    return {"portal": portal, "raw_pages": raw.num_rows, "articles": result.articles.num_rows,
            "smart_city": sum(result.articles.column("smart_city").to_pylist()), "rejects": rejects,
            "failed": crawled.get("failed", {}), **{f"{name}_path": str(path) for name, path in paths.items()}}


def summarise(results: list[dict]) -> dict:
    """One summary over every portal's curate result, for the task log and the Asset event."""
    rejects: Counter = Counter()
    for result in results:
        rejects.update(result["rejects"])
    return {
        "portals": sorted(r["portal"] for r in results),
        "articles": sum(r["articles"] for r in results),
        "smart_city": sum(r["smart_city"] for r in results),
        "raw_pages": sum(r["raw_pages"] for r in results),
        "rejects": dict(sorted(rejects.items())),
    }
