"""The quality gate: bad shares or a collapsed count stop a portal's run from being published."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from warehouse import PartitionKey, read_dataset
from warta.gate import DEFAULTS, QualityGateError, gate_reasons, thresholds
from warta.jobs import crawl_portal, curate_portal, gate_portal


def health(**values) -> dict:
    return {"pages_fetched": 10, "articles_written": 10, "missing_body_share": 0.0, "missing_date_share": 0.0, **values}


def test_shares_over_their_thresholds_fail_with_the_reason():
    reasons = gate_reasons(health(missing_body_share=0.8, missing_date_share=0.6), [], DEFAULTS)
    assert reasons == ["missing_body_share 0.80 > 0.50", "missing_date_share 0.60 > 0.50"]


def test_a_count_collapse_against_recent_history_fails_but_a_quiet_portal_does_not():
    history = [{"articles_written": n} for n in (20, 18, 25, 0, 22)]
    assert gate_reasons(health(articles_written=2), history, DEFAULTS) == [
        "articles_written 2 collapsed against the median 21 of the last 4 runs"]
    assert gate_reasons(health(articles_written=15), history, DEFAULTS) == []
    assert gate_reasons(health(articles_written=0), [{"articles_written": 2}] * 5, DEFAULTS) == []
    assert gate_reasons(health(articles_written=0, pages_fetched=0), history, DEFAULTS) == []  # nothing new: no verdict
    # a quiet hour (few new pages found) is not a collapse; as many pages as usual and few articles is
    usual = [{"articles_written": n, "pages_fetched": n + 1} for n in (20, 18, 25, 22)]
    assert gate_reasons(health(articles_written=2, pages_fetched=3), usual, DEFAULTS) == []
    assert gate_reasons(health(articles_written=2, pages_fetched=21), usual, DEFAULTS) == [
        "articles_written 2 collapsed against the median 21 of the last 4 runs"]
    # re-fetched articles found unchanged were read well: a run of revisits is not a collapse
    assert gate_reasons(health(articles_written=1, rejects_by_reason=[("unchanged", 9)]), history, DEFAULTS) == []
    assert gate_reasons(health(articles_written=1, rejects_by_reason=[("no_body", 9)]), history, DEFAULTS) != []


def test_portal_thresholds_override_defaults_and_unknown_ones_are_refused():
    assert thresholds({"max_missing_body_share": 0.9})["max_missing_body_share"] == 0.9
    with pytest.raises(ValueError, match="unknown quality thresholds"):
        thresholds({"max_missing_bodies": 0.9})


def test_a_failed_gate_leaves_the_articles_staged_and_unpublished(tmp_path):
    root = tmp_path / "warehouse"
    crawled = crawl_portal("suaralampung", datetime(2026, 11, 28, 8, tzinfo=timezone.utc), "r1", "replay", root)
    curated = curate_portal(crawled, "r1", root, publish=False)
    assert read_dataset("articles", root).num_rows == 0  # staged only
    strict = {**curated, "health": {**curated["health"], "missing_body_share": 0.9}}
    with pytest.raises(QualityGateError, match="suaralampung: missing_body_share 0.90 > 0.50"):
        gate_portal(strict, root)
    assert read_dataset("articles", root).num_rows == 0
    published = gate_portal(curated, root)
    assert published["published"] and read_dataset("articles", root).num_rows == curated["articles"] > 0
    assert not PartitionKey("suaralampung", curated["run_date"], curated["part"]).path(
        "articles", root / "_staging").exists()
