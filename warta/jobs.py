"""The pipeline's steps as plain functions: what the DAG's tasks call (and tests call without Airflow)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from warehouse.location import resolve
from warehouse.store import (
    PartitionKey,
    promote_partition,
    read_dataset,
    read_partition,
    stage_partition,
    write_partition,
)
from warta.catalog import get_portal
from warta.window import window_bound

log = logging.getLogger("warta")


def partition_key(portal: str, interval_start: datetime) -> PartitionKey:
    """The run's partition: the data-interval start names both the date folder and the file."""
    start = interval_start.astimezone(timezone.utc)
    return PartitionKey(portal, start.date().isoformat(), start.strftime("%H%M"))


def crawl_portal(portal: str, interval_start: datetime, run_id: str, mode: str, root: Path | None = None,
                 since: str | None = None, until: str | None = None) -> dict:
    """Crawl one portal into its raw partition; return counts and the partition key for the next step."""
    from warta.crawl import run_crawl

    key = partition_key(portal, interval_start)
    result = run_crawl(portal, key, run_id, mode, root, log=lambda line: log.info("%s", line), since=since, until=until)
    log.info("crawl %s: %d pages fetched, %d raw rows, failed %s", portal, result["pages_fetched"],
             result["raw_rows"], result["failed"] or "none")
    return {**result, "run_date": key.run_date, "part": key.part}


def curate_portal(crawled: dict, run_id: str, root: Path | None = None, publish: bool = True) -> dict:
    """Raw partition -> rejects and portal_health partitions, and the articles partition staged for the gate.

    With publish (the default outside Airflow) the gate runs at once; the DAG runs it as its own task.
    """
    from transforms.curate import curate_pages
    from transforms.health import portal_health
    from warehouse.versions import known_versions

    portal = crawled["portal"]
    key = PartitionKey(portal, crawled["run_date"], crawled["part"])
    raw = read_partition("raw_pages", key, root)
    window = tuple(window_bound(crawled.get(k)) for k in ("since", "until"))
    known = known_versions(portal, key, root) if raw.num_rows else {}
    result = curate_pages(raw, get_portal(portal), run_id, window, known)
    health = portal_health(crawled, result, run_id, datetime.now(timezone.utc))
    stage_partition("articles", result.articles, key, root)
    for name, table in (("rejects", result.rejects), ("portal_health", health)):
        write_partition(name, table, key, root)
    rejects = {k.split(":", 1)[1]: v for k, v in sorted(result.counts.items()) if k.startswith("rejected:")}
    log.info("curate %s: %d raw pages -> %d articles, %d rejected %s", portal, raw.num_rows,
             result.articles.num_rows, sum(rejects.values()), rejects or "")
    for row in result.rejects.to_pylist():
        log.info("  rejected %s: %s (%s)", row["url"], row["reason"], row["detail"])
    health_row = {k: v for k, v in health.to_pylist()[0].items() if k != "measured_at"}
    log.info("health %s: %s", portal, health_row)
    curated = {"portal": portal, "run_date": key.run_date, "part": key.part, "raw_pages": raw.num_rows,
               "articles": result.articles.num_rows, "articles_updated": result.counts.get("articles_updated", 0),
               "smart_city": sum(result.articles.column("smart_city").to_pylist()),
               "rejects": rejects, "failed": crawled.get("failed", {}), "health": health_row}
    return gate_portal(curated, root) if publish else curated


def gate_portal(curated: dict, root: Path | None = None) -> dict:
    """Check the run's health against the portal's thresholds and history; promote its articles, or fail loudly."""
    from warta.gate import QualityGateError, gate_reasons

    portal = curated["portal"]
    key = PartitionKey(portal, curated["run_date"], curated["part"])
    own = read_partition("portal_health", key, root).column("measured_at").to_pylist()  # this run's own row(s)
    history = [h for h in read_dataset("portal_health", root, portal=portal).to_pylist() if h["measured_at"] not in own]
    history.sort(key=lambda h: h["measured_at"], reverse=True)
    reasons = gate_reasons(curated["health"], history, get_portal(portal).quality)
    if reasons:
        log.error("quality gate FAILED for %s: %s (articles stay staged, unpublished)", portal, "; ".join(reasons))
        raise QualityGateError(f"{portal}: " + "; ".join(reasons))
    from warehouse.versions import supersede

    path = promote_partition("articles", key, root)
    superseded = supersede(portal, root)  # after the promote: a crash in between duplicates, never loses
    log.info("quality gate passed for %s: %d articles published to %s (%d earlier versions superseded)", portal,
             curated["articles"], path, superseded)
    return {**curated, "published": True, "articles_path": path, "superseded": superseded}


def run_summary(portals: list[str], interval_start: datetime, root: Path | None = None) -> dict:
    """What this run published, read back from the warehouse: articles per portal that passed, rejects by reason."""
    published, rejects, smart, updated = {}, Counter(), 0, 0
    for portal in portals:
        key = partition_key(portal, interval_start)
        health = read_partition("portal_health", key, root).to_pylist()
        articles = read_partition("articles", key, root)
        if health:
            rejects.update(dict(health[0]["rejects_by_reason"] or []))
        loc = resolve(root)
        if articles.num_rows or (health and loc.exists(loc.join(key.relpath("articles")))):
            published[portal] = articles.num_rows
            smart += sum(articles.column("smart_city").to_pylist())
            updated += sum((v or 1) > 1 for v in articles.column("version").to_pylist())
    return {"portals": sorted(published), "not_published": sorted(set(portals) - set(published)),
            "articles": sum(published.values()), "articles_by_portal": published, "smart_city": smart,
            "articles_updated": updated, "rejects": dict(sorted(rejects.items()))}
