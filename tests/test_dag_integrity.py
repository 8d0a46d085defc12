"""DAG policy: every DAG parses, is documented, tagged, owned and retried; crawls map per portal."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "regional_news" in dagbag.dag_ids


def test_every_dag_and_task_is_documented_tagged_owned_and_retried(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.doc_md and dag.tags, dag_id
        for task in dag.tasks:
            assert task.owner == "warta", task.task_id
            # a quality gate is a deterministic verdict: retrying it only delays the failure
            assert task.retries >= (0 if task.task_id.endswith("quality_gate") else 1), task.task_id
            assert task.doc_md, task.task_id


def test_crawl_and_curate_are_mapped_and_labelled_by_portal(dagbag):
    dag = dagbag.dags["regional_news"]
    crawl, curate, gate = (dag.get_task(f"portal.{name}") for name in ("crawl", "curate", "quality_gate"))
    for mapped in (crawl, curate, gate):
        assert mapped.map_index_template == "{{ portal_label }}", mapped.task_id
    assert crawl.retry_exponential_backoff and crawl.retries >= 3
    assert [t.task_id for t in crawl.upstream_list] == ["list_portals"]
    assert {t.task_id for t in curate.downstream_list} == {"portal.quality_gate"}
    publish = dag.get_task("publish")
    assert {t.task_id for t in publish.upstream_list} == {"portal.quality_gate", "list_portals"}
    assert publish.trigger_rule == "all_done"  # one failed portal does not stop the others' publication
    assert publish.outlets[0].name == "warta_articles"


def test_params_offer_portals_and_mode(dagbag):
    params = dagbag.dags["regional_news"].params
    assert params["portals"] == [] and params["mode"] == "" and params["since"] == ""


def test_rollups_dag_runs_on_the_articles_asset(dagbag):
    dag = dagbag.dags["smart_city_rollups"]
    assert "warta_articles" in repr(dag.timetable.asset_condition)
    assert sorted(dag.task_ids) == ["clusters", "compact_closed_days", "report", "rollups"]
    assert [t.task_id for t in dag.get_task("report").upstream_list] == ["rollups"]
    assert [t.task_id for t in dag.get_task("rollups").upstream_list] == ["clusters"]


def test_a_broken_portal_config_is_an_import_error_by_name_and_the_rest_keep_running(tmp_path, monkeypatch):
    import shutil

    from airflow.dag_processing.dagbag import DagBag

    from warta.paths import PORTALS_DIR

    catalog = tmp_path / "portals"
    shutil.copytree(PORTALS_DIR, catalog)
    broken = (catalog / "kupastuntas.yaml").read_text().replace("strategy: sitemap", "strategy: carrier_pigeon", 1)
    (catalog / "kupastuntas.yaml").write_text(broken)
    monkeypatch.setenv("WARTA_PORTALS_DIR", str(catalog))
    bag = DagBag(dag_folder=str(ROOT / "dags"))
    [(path, message)] = bag.import_errors.items()
    assert path.endswith("portal_catalog.py")
    assert "kupastuntas.yaml" in message and "unknown discovery strategy 'carrier_pigeon'" in message
    assert {"regional_news", "smart_city_rollups"} <= set(bag.dag_ids)

    from warta.catalog import load_catalog

    assert "kupastuntas" not in load_catalog(catalog, strict=False) and "suaralampung" in load_catalog(catalog, strict=False)
