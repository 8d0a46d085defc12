"""
### regional_news

Collects Indonesian regional news and turns it into curated, smart-city-tagged Parquet.

`crawl` (one mapped task per portal, labelled with the portal id) runs Scrapy as a subprocess into the
raw layer; `curate` extracts, cleans, dates and tags each portal's pages into the `articles` dataset and
keeps every rejected page with its reason in `rejects`; `publish` sums the run up and emits the
`warta_articles` Asset event with the counts.

Each run reads and writes only its own partition (`portal=<id>/run_date=<date>/part-<interval>.parquet`),
so rerunning a run replaces its rows and never duplicates them.

Params: `portals` (subset of the catalog; empty = all), `mode` (`replay` serves bundled pages from
127.0.0.1; `live` crawls the real portals; empty = `$WARTA_MODE`, default replay), `since` (a date window
for discovery: older sitemap/feed entries are skipped).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import Asset, Param, dag, get_current_context, task

ARTICLES = Asset(name="warta_articles", uri="file:///warta/warehouse/articles")


def _schedule() -> str | None:
    """$WARTA_SCHEDULE (a cron or preset; "none" for manual runs only), hourly by default."""
    value = os.environ.get("WARTA_SCHEDULE", "@hourly").strip()
    return None if value.lower() in ("", "none") else value


def _interval_start(context) -> datetime:
    """The run's data-interval start; a manual run without a logical date uses its run_after."""
    return context.get("data_interval_start") or context["dag_run"].run_after


@dag(
    dag_id="regional_news",
    schedule=_schedule(),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["warta", "news", "smart-city"],
    doc_md=__doc__,
    default_args={
        "owner": "warta",
        "retries": 2,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=10),
    },
    params={
        "portals": Param([], type="array", items={"type": "string"}, description="Portal ids; empty = all"),
        "mode": Param("", type="string", enum=["", "replay", "live"], description="replay or live; empty = $WARTA_MODE"),
        "since": Param("", type="string", description="Only articles dated on or after this day (YYYY-MM-DD); empty = no window"),
    },
)
def regional_news():
    @task(doc_md="The portal ids this run crawls: the `portals` param, else the whole catalog.")
    def list_portals() -> list[str]:
        from warta.catalog import load_catalog

        wanted = get_current_context()["params"].get("portals") or []
        catalog = load_catalog()
        unknown = sorted(set(wanted) - set(catalog))
        if unknown:
            raise ValueError(f"unknown portals in params: {unknown}; known: {sorted(catalog)}")
        return list(wanted) or sorted(catalog)

    @task(
        map_index_template="{{ task.op_kwargs['portal'] }}",
        retries=3,
        doc_md="Crawl one portal (Scrapy subprocess) into its raw_pages partition.",
    )
    def crawl(portal: str) -> dict:
        from warta.jobs import crawl_portal
        from warta.paths import crawl_mode

        context = get_current_context()
        params = context["params"]
        mode = params.get("mode") or crawl_mode()
        return crawl_portal(portal, _interval_start(context), context["run_id"], mode, since=params.get("since") or None)

    @task(
        map_index_template="{{ task.op_kwargs['crawled']['portal'] }}",
        doc_md="Extract, clean, date and tag one portal's raw pages; write articles and rejects.",
    )
    def curate(crawled: dict) -> dict:
        from warta.jobs import curate_portal

        return curate_portal(crawled, get_current_context()["run_id"])

    @task(outlets=[ARTICLES], doc_md="Sum the run up; the Asset event carries the counts.")
    def publish(results: list[dict]) -> dict:
        from warta.jobs import log, summarise

        summary = summarise(list(results))
        log.info("run summary: %s", summary)
        get_current_context()["outlet_events"][ARTICLES].extra = summary
        return summary

    publish(curate.expand(crawled=crawl.expand(portal=list_portals())))


regional_news()
