"""End to end through real Airflow (dag.test) and real Scrapy over the replay server."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pyarrow.parquet as pq
import pytest

from tests.conftest import GOLDEN, ROOT
from warehouse.store import read_dataset

LOGICAL = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def dag(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags")).dags["regional_news"]


def golden_cases(portal: str = "*") -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(GOLDEN.glob(f"{portal}/*.json"))]


def run(dag, logical_date=LOGICAL, portals=("suaralampung",)):
    dag_run = dag.test(logical_date=logical_date, run_conf={"mode": "replay", "portals": list(portals)})
    assert dag_run.state == "success", f"run ended {dag_run.state}"
    return dag_run


def test_regional_news_writes_curated_articles_and_rejects(dag, warehouse_dir):
    from warta.catalog import load_catalog

    run(dag, portals=sorted(load_catalog()))
    articles = read_dataset("articles", warehouse_dir)
    cases = golden_cases()
    accepted = {c["url"] for c in cases if not c["expected"].get("reject")}
    rejected = {c["url"]: c["expected"]["reject"] for c in cases if c["expected"].get("reject")}
    assert set(articles.column("url").to_pylist()) == accepted
    assert articles.num_rows == len(accepted)
    assert set(articles.column("portal").to_pylist()) == {p.parent.name for p in GOLDEN.glob("*/*.json")}
    assert not any("127.0.0.1" in u for u in articles.column("url").to_pylist())
    for body in articles.column("body").to_pylist():
        assert "baca juga:" not in body.lower() and not body.startswith(("SuaraLampung.id", "Bandarlampung (ANTARA)"))
    by_url = {r["url"]: r for r in articles.to_pylist()}
    for case in cases:
        expected = case["expected"]
        if case["url"] in by_url and "published_at" in expected:
            assert by_url[case["url"]]["published_at"] == datetime.fromisoformat(expected["published_at"])
    rejects = read_dataset("rejects", warehouse_dir)
    assert dict(zip(rejects.column("url").to_pylist(), rejects.column("reason").to_pylist())) == rejected
    raw = read_dataset("raw_pages", warehouse_dir)
    assert set(raw.column("url").to_pylist()) >= {c["url"] for c in cases} and all(raw.column("html").to_pylist())
    assert sum(articles.column("smart_city").to_pylist()) >= 1


def test_rerunning_a_run_replaces_its_partition(dag, warehouse_dir):
    run(dag)
    first = sorted(read_dataset("articles", warehouse_dir).column("url").to_pylist())
    run(dag)
    files = list((warehouse_dir / "articles").rglob("*.parquet"))
    assert len(files) == 1 and sorted(pq.read_table(files[0]).column("url").to_pylist()) == first


def test_a_later_run_does_not_refetch_what_the_warehouse_has(dag, warehouse_dir):
    run(dag)
    later = run(dag, LOGICAL.replace(hour=11))
    accepted = [c for c in golden_cases("suaralampung") if not c["expected"].get("reject")]
    articles = read_dataset("articles", warehouse_dir)
    assert articles.num_rows == len(accepted) == len(set(articles.column("url").to_pylist()))
    raw = read_dataset("raw_pages", warehouse_dir)
    assert len(list((warehouse_dir / "raw_pages").rglob("part-*.parquet"))) == 2  # two runs, two partitions
    later_raw = [r for r in raw.to_pylist() if r["run_id"] == later.run_id]
    assert later_raw == []  # the sitemap did not change (HTTP 304): nothing is fetched again


def test_one_failing_portal_fails_only_its_own_tasks(dag, warehouse_dir, tmp_path, monkeypatch):
    plan = tmp_path / "faults.json"
    plan.write_text(json.dumps({"/regional.kompas.com/news/sitemap.xml": {"fault": "503"},
                                "/indeks.kompas.com/?site=regional&page=1": {"fault": "503"},
                                "/indeks.kompas.com/?site=regional&page=2": {"fault": "503"}}))
    monkeypatch.setenv("WARTA_REPLAY_FAULTS", str(plan))
    dag_run = dag.test(logical_date=LOGICAL, run_conf={"mode": "replay", "portals": ["kompasregional", "suaralampung"]})
    assert dag_run.state == "failed"
    instances = dag_run.get_task_instances()
    index = {ti.rendered_map_index: ti.map_index for ti in instances if ti.task_id == "portal.crawl"}
    state = {(ti.task_id, ti.map_index): ti.state for ti in instances}
    kompas, suara = index["kompasregional"], index["suaralampung"]  # the grid's labels are the portal ids
    assert state[("portal.crawl", kompas)] == "failed"
    assert state[("portal.curate", kompas)] == state[("portal.quality_gate", kompas)] == "upstream_failed"
    assert state[("portal.crawl", suara)] == state[("portal.quality_gate", suara)] == "success"
    assert state[("publish", -1)] == "success" and state[("all_portals_published", -1)] == "upstream_failed"
    assert set(read_dataset("articles", warehouse_dir).column("portal").to_pylist()) == {"suaralampung"}
