"""`warta sql`, views.sql for a plain DuckDB, `warta rollups` and `warta compact` over a real crawled warehouse."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import duckdb
import pytest

from tests.conftest import ROOT
from tests.test_cli import WARTA
from warehouse import read_articles
from warta.jobs import crawl_portal, curate_portal

PORTALS = ["suaralampung", "antaralampung", "kompasregional"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("sqlwh") / "warehouse"
    for hour, portal in enumerate(PORTALS):
        crawled = crawl_portal(portal, datetime(2026, 11, 28, 8 + hour, tzinfo=timezone.utc), "r1", "replay", root)
        curate_portal(crawled, "r1", root)
    return root


def run(*args, stdin=None):
    import subprocess

    return subprocess.run([WARTA, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ})


def test_sql_answers_from_the_views(warehouse):
    result = run("sql", "SELECT portal, count(*) AS n FROM articles GROUP BY portal ORDER BY portal",
                 "--format", "json", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    counts = {r["portal"]: r["n"] for r in map(json.loads, result.stdout.splitlines())}
    table = read_articles(root=warehouse)
    assert counts == {p: table.column("portal").to_pylist().count(p) for p in PORTALS}


def test_sql_reports_a_bad_query(warehouse):
    result = run("sql", "SELECT nope FROM articles", "--warehouse", str(warehouse))
    assert result.returncode == 1 and "nope" in result.stderr


def test_the_prompt_reads_statements_until_end_of_input(warehouse):
    result = run("sql", "--warehouse", str(warehouse), stdin="SELECT count(*) AS n\nFROM articles;\n")
    assert result.returncode == 0
    assert "views" in result.stdout and f"\n{read_articles(root=warehouse).num_rows}" in result.stdout


def test_rollups_and_views_sql_work_in_a_plain_duckdb(warehouse):
    summary = json.loads(run("rollups", "--warehouse", str(warehouse)).stdout)
    con = duckdb.connect()
    con.execute((warehouse / "views.sql").read_text())
    articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert articles == read_articles(root=warehouse).num_rows
    per_portal = con.execute("SELECT portal, sum(articles) FROM rollups_daily WHERE dimension = "
                             "(SELECT min(dimension) FROM rollups_daily) GROUP BY ALL").fetchall()
    assert per_portal and summary["rows"] == con.execute("SELECT count(*) FROM rollups_daily").fetchone()[0]
    smart = con.execute("SELECT count(*) FROM articles WHERE smart_city").fetchone()[0]
    assert smart > 0


def test_compact_changes_no_answer(warehouse):
    later = crawl_portal("suaralampung", datetime(2026, 11, 28, 20, tzinfo=timezone.utc), "r2", "replay", warehouse)
    curate_portal(later, "r2", warehouse)
    query = ("SELECT portal, count(*) AS n, count(*) FILTER (smart_city) AS smart, min(published_at) AS first "
             "FROM articles GROUP BY ALL ORDER BY portal")
    before = run("sql", query, "--format", "json", "--warehouse", str(warehouse))
    done = json.loads(run("compact", "--warehouse", str(warehouse)).stdout)
    after = run("sql", query, "--format", "json", "--warehouse", str(warehouse))
    assert before.returncode == after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    assert "articles/portal=suaralampung/run_year=2026" in done["articles"]
