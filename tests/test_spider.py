"""The real Scrapy crawl over the replay server: raw pages with canonical URLs, politeness settings."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from tests.conftest import GOLDEN
from warehouse.store import PartitionKey
from warta.crawl import CrawlError, run_crawl

KEY = PartitionKey("suaralampung", "2026-11-28", "0800")


def test_replay_crawl_stores_every_sitemap_article_raw(tmp_path):
    lines: list[str] = []
    result = run_crawl("suaralampung", KEY, "run-1", "replay", tmp_path, log=lines.append)
    expected = {json.loads(p.read_text())["url"] for p in (GOLDEN / "suaralampung").glob("*.json")}
    table = pq.read_table(result["raw_path"])
    assert set(table.column("url").to_pylist()) == expected
    assert result["pages_fetched"] == result["raw_rows"] == len(expected)
    assert result["failed"] == {}  # the sitemap's non-article URL was skipped, never fetched
    assert all(u.startswith("https://lampung.suara.com/read/") for u in table.column("url").to_pylist())
    assert set(table.column("run_id").to_pylist()) == {"run-1"}
    paged = [r for r in table.to_pylist() if "atcs" in r["url"]][0]
    assert b"Halaman 1 dari 2" not in paged["html"]  # fetched whole via ?page=all
    assert any("robots.txt" in line for line in lines)  # robots.txt was asked for, through the replay server


def test_unknown_portal_fails_the_crawl_loudly(tmp_path):
    with pytest.raises(CrawlError, match="crawl of nosuchportal failed"):
        run_crawl("nosuchportal", PartitionKey("nosuchportal", "2026-11-28", "x"), "r", "replay", tmp_path, log=lambda _: None)


def test_a_portal_whose_discovery_documents_all_fail_fails_its_crawl(tmp_path):
    faults = {"/lampung.suara.com/static/news/lampung-sitemap.xml": {"fault": "503"}}
    with pytest.raises(CrawlError, match=r"no discovery document could be read \(failures: \{'http_503': 1\}\)"):
        run_crawl("suaralampung", KEY, "r", "replay", tmp_path, log=lambda _: None, faults=faults)


def test_live_settings_are_polite_and_remote_control_is_off():
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert not settings.getbool("REMOTE_CONTROL_ENABLED") and not settings.getbool("TELNETCONSOLE_ENABLED")
    assert "WartaBot" in settings.get("USER_AGENT")


@pytest.mark.parametrize("portal", sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()))
def test_every_golden_article_is_discovered_by_the_portal_crawl(portal, tmp_path):
    """Reachability: the configured strategies, run for real over replay, find every golden page."""
    key = PartitionKey(portal, "2026-11-28", "t")
    result = run_crawl(portal, key, "r", "replay", tmp_path, log=lambda _: None)
    expected = {json.loads(p.read_text())["url"] for p in (GOLDEN / portal).glob("*.json")}
    found = set(pq.read_table(result["raw_path"]).column("url").to_pylist())
    assert expected <= found, f"not discovered: {sorted(expected - found)}"
    assert result["failed"] == {}, result["failed"]
