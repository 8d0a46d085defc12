"""The real thing: airflow standalone runs regional_news over replay; a person logs in and sees the grid.

Starts the scheduler, API server and UI (`airflow standalone`), triggers a run through the REST API v2,
waits for success, then logs in with Playwright driving Debian's Chromium, screenshots the DAG grid and the
crawl task's mapped instances (kept in test-artifacts/), and checks the mapped labels are portal ids.
"""

from __future__ import annotations

import os
import shutil
import urllib.error
from pathlib import Path

import pytest

from tests.airflow_server import AirflowStandalone
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PORTALS = ["antaralampung", "kompasregional", "suaralampung"]
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def airflow(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("standalone")
    ARTIFACTS.mkdir(exist_ok=True)
    server = AirflowStandalone(scratch / "airflow", scratch / "warehouse", ARTIFACTS / "airflow-standalone.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def finished_run(airflow):
    """A regional_news run over three portals, triggered through the API and waited for."""
    airflow.wait_for(lambda: airflow.request("GET", "/api/v2/dags/regional_news"), 120, "the DAG to be parsed")
    airflow.request("PATCH", "/api/v2/dags/regional_news", {"is_paused": False})
    run = airflow.request("POST", "/api/v2/dags/regional_news/dagRuns",
                          {"logical_date": None, "conf": {"portals": PORTALS, "mode": "replay"}})
    run_id = run["dag_run_id"]

    def finished():
        state = airflow.request("GET", f"/api/v2/dags/regional_news/dagRuns/{run_id}")["state"]
        return state if state in ("success", "failed") else None

    assert airflow.wait_for(finished, 420, "the run to finish") == "success"
    return run_id


def test_api_requires_a_login(airflow):
    with pytest.raises(urllib.error.HTTPError) as err:
        airflow.request("GET", "/api/v2/dags", auth=False)
    assert err.value.code in (401, 403)


def test_mapped_crawl_tasks_are_labelled_by_portal(airflow, finished_run):
    instances = airflow.request(
        "GET", f"/api/v2/dags/regional_news/dagRuns/{finished_run}/taskInstances?task_id=portal.crawl")["task_instances"]
    assert sorted(ti["rendered_map_index"] for ti in instances) == PORTALS
    assert {ti["state"] for ti in instances} == {"success"}


def test_a_person_sees_the_portals_in_the_grid(airflow, finished_run):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM} (.ci/run installs it)")
    os.environ.setdefault("XDG_CONFIG_HOME", str(ARTIFACTS / ".xdg-config"))
    os.environ.setdefault("XDG_CACHE_HOME", str(ARTIFACTS / ".xdg-cache"))
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.goto(airflow.url)
        page.locator("input[name=username]").fill("admin")
        page.locator("input[type=password]").fill(airflow.password())
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "login" not in url, timeout=60_000)
        page.goto(f"{airflow.url}/dags/regional_news/runs/{finished_run}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / "regional_news-grid.png"), full_page=True)
        page.goto(f"{airflow.url}/dags/regional_news/runs/{finished_run}/tasks/portal.crawl/mapped")
        for portal in PORTALS:
            page.get_by_text(portal, exact=True).first.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "regional_news-crawl-mapped.png"), full_page=True)
        browser.close()
    assert (ARTIFACTS / "regional_news-crawl-mapped.png").stat().st_size > 10_000


def test_a_backfill_writes_exactly_what_the_scheduled_runs_of_those_dates_write(airflow, finished_run, tmp_path):
    """Backfill 2023-12-05..07 for a portal no other run touched; compare with the same intervals run as scheduled."""
    from datetime import datetime, timedelta, timezone

    from warehouse import read_dataset
    from warehouse.store import read_partition
    from warta.jobs import crawl_portal, curate_portal, partition_key

    airflow.request("POST", "/api/v2/backfills", {
        "dag_id": "regional_news", "from_date": "2023-12-05T00:00:00Z", "to_date": "2023-12-07T00:00:00Z",
        "run_backwards": False, "dag_run_conf": {"portals": ["tribunlampung"], "mode": "replay"},
        "reprocess_behavior": "none", "max_active_runs": 1})

    def backfill_done():
        runs = airflow.request("GET", "/api/v2/dags/regional_news/dagRuns?run_type=backfill")["dag_runs"]
        states = [r["state"] for r in runs]
        return runs if len(runs) == 3 and all(s in ("success", "failed") for s in states) else None

    runs = airflow.wait_for(backfill_done, 480, "the backfill to finish")
    assert {r["state"] for r in runs} == {"success"}
    warehouse = airflow.home.parent / "warehouse"
    expected_root = tmp_path / "scheduled"
    got, expected = [], []
    for day in range(5, 8):
        start = datetime(2023, 12, day, tzinfo=timezone.utc)
        crawled = crawl_portal("tribunlampung", start, f"scheduled-{day}", "replay", expected_root,
                               since=start.isoformat(), until=(start + timedelta(days=1)).isoformat())
        curate_portal(crawled, f"scheduled-{day}", expected_root)
        key = partition_key("tribunlampung", start)  # each day's run partition, backfilled vs scheduled
        got += [(day, u) for u in read_partition("articles", key, warehouse).column("url").to_pylist()]
        expected += [(day, u) for u in read_partition("articles", key, expected_root).column("url").to_pylist()]
    assert got == expected and len(expected) == 3  # one Tribun article a day in the replay set
    assert read_dataset("articles", warehouse, portal="tribunlampung").num_rows == 3  # and nothing besides
