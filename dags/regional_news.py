"""
### regional_news

Collects Indonesian regional news and turns it into curated, smart-city-tagged Parquet.

Per portal (a mapped task group `portal`, each instance labelled with the portal id, so the grid shows which
portal failed and a failure stays inside its own portal):
`crawl` runs Scrapy as a subprocess into the raw layer; `curate` extracts, cleans, dates and tags the pages,
keeps every reject with its reason and writes the portal's health, staging the articles; `quality_gate`
publishes them only when the shares of pages without body or date and the article count look like the
portal's usual self, and fails loudly with the reason otherwise. `publish` then emits the `warta_articles`
Asset event with the counts of every portal that passed - one failing portal never holds the others back.

Each run reads and writes only its data interval's partition
(`<dataset>/portal=<id>/run_year=<year>/part-<date>-<interval>.parquet`): rerunning or backfilling it replaces its rows.
Scheduled and backfill runs keep the articles published inside their data interval (and the re-crawls of known
articles whose discovery documents say they changed inside it: a new `version` replaces the old row); manual runs take all
(or those since the `since` param).

Params: `portals` (a subset of the catalog; empty = all), `since` (YYYY-MM-DD: articles on or after it),
`mode` (`replay` serves bundled pages from 127.0.0.1, `live` crawls the real portals; empty = `$WARTA_MODE`,
default replay). `$WARTA_SCHEDULE` sets the schedule (hourly by default; "none" for manual runs only).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import Asset, CronDataIntervalTimetable, Param, TriggerRule, dag, get_current_context, task, task_group

ARTICLES = Asset(name="warta_articles", uri="file:///warta/warehouse/articles")
# The grid labels each mapped instance with its portal id (set first thing, so a failed task is labelled too).
LABEL = "{{ portal_label }}"
RETRY_DELAY = timedelta(seconds=float(os.environ.get("WARTA_RETRY_DELAY_SECONDS", "30")))


def _labelled(portal: str):
    """The task's context, with the portal id the map_index_template shows."""
    context = get_current_context()
    context["portal_label"] = portal
    return context


def _schedule() -> CronDataIntervalTimetable | None:
    """$WARTA_SCHEDULE (a cron or preset; "none" for manual runs only), hourly by default.

    A data-interval timetable, not Airflow 3's default trigger timetable: a run must own the interval it crawls
    (start < end), which is what makes a backfill write the same rows as the scheduled runs of those dates.
    """
    value = os.environ.get("WARTA_SCHEDULE", "@hourly").strip()
    return None if value.lower() in ("", "none") else CronDataIntervalTimetable(value, timezone="UTC")


def _interval_start(context) -> datetime:
    """The run's data-interval start; a manual run without a logical date uses its run_after."""
    return context.get("data_interval_start") or context["dag_run"].run_after


def _window(context) -> tuple[str | None, str | None]:
    """The publication window: the `since` param, else the data interval for scheduled and backfill runs."""
    since = context["params"].get("since")
    if since:
        return since, None
    run_type = str(getattr(context["dag_run"], "run_type", "")).lower()
    start, end = context.get("data_interval_start"), context.get("data_interval_end")
    if start and end and ("scheduled" in run_type or "backfill" in run_type):
        return start.isoformat(), end.isoformat()
    return None, None


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
        "retry_delay": RETRY_DELAY,
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=10),
    },
    params={
        "portals": Param([], type="array", items={"type": "string"}, description="Portal ids; empty = all"),
        "since": Param("", type="string", description="Only articles dated on or after this day (YYYY-MM-DD); empty = the run's window"),
        "mode": Param("", type="string", enum=["", "replay", "live"], description="replay or live; empty = $WARTA_MODE"),
    },
)
def regional_news():
    @task(doc_md="The portal ids this run crawls: the `portals` param, else the whole catalog.")
    def list_portals() -> list[str]:
        from warta.catalog import catalog_errors, load_catalog
        from warta.jobs import log

        wanted = get_current_context()["params"].get("portals") or []
        catalog = load_catalog(strict=False)  # a broken config is an import error of portal_catalog, not a stop here
        for error in catalog_errors():
            log.error("skipping a broken portal config: %s", error)
        unknown = sorted(set(wanted) - set(catalog))
        if unknown:
            raise ValueError(f"unknown portals in params: {unknown}; known: {sorted(catalog)}")
        return list(wanted) or sorted(catalog)

    @task(
        map_index_template=LABEL,
        retries=3,
        doc_md="Crawl one portal (Scrapy subprocess) into its raw_pages and crawl_log partitions.",
    )
    def crawl(portal: str) -> dict:
        from warta.jobs import crawl_portal
        from warta.paths import crawl_mode

        context = _labelled(portal)
        mode = context["params"].get("mode") or crawl_mode()
        since, until = _window(context)
        return crawl_portal(portal, _interval_start(context), context["run_id"], mode, since=since, until=until)

    @task(
        map_index_template=LABEL,
        doc_md="Extract, clean, date and tag one portal's raw pages; write rejects and health; stage the articles.",
    )
    def curate(crawled: dict) -> dict:
        from warta.jobs import curate_portal

        return curate_portal(crawled, _labelled(crawled["portal"])["run_id"], publish=False)

    @task(
        map_index_template=LABEL,
        retries=0,
        doc_md="Publish the portal's staged articles if its health passes the gate; fail with the reason if not.",
    )
    def quality_gate(curated: dict) -> dict:
        from warta.jobs import gate_portal

        _labelled(curated["portal"])
        return gate_portal(curated)

    @task(outlets=[ARTICLES], trigger_rule=TriggerRule.ALL_DONE,
          doc_md="Sum up the portals that passed; the Asset event carries the counts.")
    def publish(portals: list[str]) -> dict:
        from warta.jobs import log, run_summary

        summary = run_summary(portals, _interval_start(get_current_context()))
        log.info("run summary: %s", summary)
        get_current_context()["outlet_events"][ARTICLES].extra = summary
        return summary

    @task(doc_md="Succeeds only when every portal was published, so a run with a failed portal ends failed.")
    def all_portals_published(gated: list[dict]) -> int:
        return len(list(gated))

    @task_group
    def portal(portal: str):
        """One portal's crawl -> curate -> quality_gate; a mapped group, so each portal stands alone."""
        return quality_gate(curate(crawl(portal)))

    portals = list_portals()
    gated = portal.expand(portal=portals)
    gated >> publish(portals) >> all_portals_published(gated)


regional_news()
