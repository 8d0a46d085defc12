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
            assert task.retries >= 1, task.task_id
            assert task.doc_md, task.task_id


def test_crawl_and_curate_are_mapped_and_labelled_by_portal(dagbag):
    dag = dagbag.dags["regional_news"]
    crawl, curate = dag.get_task("crawl"), dag.get_task("curate")
    assert "portal" in crawl.map_index_template and "portal" in curate.map_index_template
    assert crawl.retry_exponential_backoff and crawl.retries >= 3
    assert [t.task_id for t in crawl.upstream_list] == ["list_portals"]
    assert {t.task_id for t in curate.downstream_list} == {"publish"}
    assert dag.get_task("publish").outlets[0].name == "warta_articles"


def test_params_offer_portals_and_mode(dagbag):
    params = dagbag.dags["regional_news"].params
    assert params["portals"] == [] and params["mode"] == "" and params["since"] == ""
