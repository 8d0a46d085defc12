"""
### smart_city_rollups

Runs whenever `regional_news` publishes (scheduled on the `warta_articles` Asset): folds the run files of closed
days into one per partition, clusters syndicated and
near-duplicate copies across every portal, rebuilds the daily counts by region x dimension x portal that charts
read, and writes the HTML report (`<warehouse>/report.html`). Each step rebuilds its table whole from the
articles, so a rerun gives the same answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, task

ARTICLES = Asset(name="warta_articles", uri="file:///warta/warehouse/articles")


@dag(
    dag_id="smart_city_rollups",
    schedule=[ARTICLES],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["warta", "smart-city", "rollups"],
    doc_md=__doc__,
    default_args={"owner": "warta", "retries": 2, "retry_delay": timedelta(seconds=30)},
)
def smart_city_rollups():
    @task(doc_md="Fold the run files of closed days (before yesterday) into their month's file, and a year that is over into one file.")
    def compact_closed_days() -> dict:
        from datetime import date

        from warehouse.compact import compact
        from warehouse.schemas import SCHEMAS

        before = (date.today() - timedelta(days=1)).isoformat()
        return {dataset: len(compact(dataset, before=before)) for dataset in SCHEMAS}

    @task(doc_md="Cluster syndicated copies across portals (clusters/clusters.parquet).")
    def clusters(compacted: dict) -> dict:
        from warehouse.clusters import refresh_clusters

        return refresh_clusters()

    @task(doc_md="Rebuild the daily counts by region x dimension x portal (rollups/daily_counts.parquet) and views.sql.")
    def rollups(clustered: dict) -> dict:
        from warehouse.rollups import refresh_rollups
        from warehouse.sql import views_sql

        summary = refresh_rollups()
        views_sql()
        return {**summary, "clusters": clustered["clusters"]}

    @task(doc_md="Write the self-contained HTML report with charts next to the warehouse.")
    def report(rolled: dict) -> dict:
        from pathlib import Path

        from warehouse.location import resolve
        from warta.report import write_report

        return write_report(Path(resolve().join("report.html")))

    report(rollups(clusters(compact_closed_days())))


smart_city_rollups()
