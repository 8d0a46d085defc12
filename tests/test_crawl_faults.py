"""A crawl through a flaky portal: every good article captured, every final failure logged with its reason."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone

import pytest

from tests.conftest import GOLDEN, ROOT
from warehouse.store import PartitionKey, read_dataset
from warta.jobs import curate_portal

HOST = "lampung.suara.com"
KEY = PartitionKey("suaralampung", "2026-11-28", "0800")
SITEMAP = f"{HOST}/static/news/lampung-sitemap.xml"
EXTRA = {  # extra article URLs that fail for good, one way each
    "redirect_loop": "read/2023/12/08/100000/artikel-yang-berputar-putar",
    "oversize": "read/2023/12/08/110000/artikel-yang-terlalu-besar",
    "robots_disallow": "read/2023/12/08/120000/artikel-yang-dilarang-robots",
}


def golden() -> dict[str, dict]:
    cases = [json.loads(p.read_text()) for p in (GOLDEN / "suaralampung").glob("*.json")]
    return {c["url"]: c for c in cases}


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1]


@pytest.fixture
def flaky_site(tmp_path):
    """The SuaraLampung replay set plus three extra sitemap entries."""
    root = tmp_path / "replay"
    shutil.copytree(ROOT / "replay" / HOST, root / HOST)
    template = next(iter(golden().values()))["page"]
    entries = ""
    for rel in EXTRA.values():
        (root / HOST / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / template, root / HOST / rel)
        entries += f"<url><loc>https://{HOST}/{rel}</loc></url>"
    sitemap = root / SITEMAP
    sitemap.write_text(sitemap.read_text().replace("</urlset>", entries + "</urlset>"))
    return root


def test_faults_lose_no_good_article_and_log_every_final_failure(flaky_site, tmp_path):
    from warta.crawl import run_crawl

    cases = golden()
    urls = sorted(cases)
    accepted = [u for u in urls if not cases[u]["expected"].get("reject")]
    rejected = [u for u in urls if cases[u]["expected"].get("reject")]
    transient = ["503", "429", "timeout", "reset", "truncate"]
    faults = {path_of(u): {"fault": f, "times": 2 if f == "503" else 1} for u, f in zip(accepted, transient)}
    faults[path_of(accepted[0])]["retry_after"] = 1
    faults[path_of(accepted[1])] = {"fault": "429", "times": 1, "retry_after": 1}
    lying = next(u for u in accepted if path_of(u) not in faults)
    faults[path_of(lying)] = {"fault": "lying_charset"}
    faults[path_of(rejected[0])] = {"fault": "500"}  # never recovers
    for fault, rel in EXTRA.items():
        faults[f"/{HOST}/{rel}"] = {"fault": fault}

    warehouse = tmp_path / "warehouse"
    crawled = run_crawl("suaralampung", KEY, "run-f", "replay", warehouse, log=lambda _: None, faults=faults,
                        replay_root=flaky_site)
    crawled.update(run_date=KEY.run_date, part=KEY.part)
    curated = curate_portal(crawled, "run-f", warehouse)

    articles = read_dataset("articles", warehouse)
    assert sorted(articles.column("url").to_pylist()) == accepted  # zero good articles lost
    by_url = {a["url"]: a for a in articles.to_pylist()}
    assert "Ã" not in by_url[lying]["body"] and "â€" not in by_url[lying]["body"]  # bytes won over the header

    log = {r["url"]: r for r in read_dataset("crawl_log", warehouse).to_pylist() if r["kind"] == "article"}
    failed = {u: r["reason"] for u, r in log.items() if r["outcome"] == "failed"}
    assert failed == {
        rejected[0]: "http_500",
        f"https://{HOST}/{EXTRA['redirect_loop']}": "redirect_loop",
        f"https://{HOST}/{EXTRA['oversize']}": "too_large",
        f"https://{HOST}/{EXTRA['robots_disallow']}": "robots_disallowed",
    }
    assert log[accepted[0]]["retries"] == 2 and log[accepted[0]]["outcome"] == "fetched"
    for url in accepted[1:5]:
        assert log[url]["outcome"] == "fetched" and log[url]["retries"] == 1, url
    assert crawled["retries"] >= 6 and crawled["failed"]["http_500"] == 1
    health = read_dataset("portal_health", warehouse).to_pylist()[0]
    assert health["urls_failed"] == 4 and health["articles_written"] == len(accepted)
    assert curated["articles"] == len(accepted)


def test_unchanged_discovery_documents_are_not_downloaded_again(tmp_path):
    from warta.crawl import run_crawl

    warehouse = tmp_path / "warehouse"
    first = run_crawl("suaralampung", KEY, "r1", "replay", warehouse, log=lambda _: None)
    later = PartitionKey("suaralampung", "2026-11-28", "0900")
    second = run_crawl("suaralampung", later, "r2", "replay", warehouse, log=lambda _: None)
    assert first["discovery_not_modified"] == 0 and second["discovery_not_modified"] == 1
    assert second["pages_fetched"] == 0


def test_date_window_skips_older_sitemap_entries(tmp_path):
    from warta.crawl import run_crawl

    result = run_crawl("suaralampung", KEY, "r1", "replay", tmp_path, log=lambda _: None, since="2023-12-06")
    table = read_dataset("raw_pages", tmp_path)
    dates = [datetime.strptime(u.split("/read/")[1][:10], "%Y/%m/%d").replace(tzinfo=timezone.utc)
             for u in table.column("url").to_pylist()]
    assert result["skipped_out_of_window"] >= 3
    assert all(d >= datetime(2023, 12, 6, tzinfo=timezone.utc) for d in dates if d.year != 2023 or d.month != 12 or d.day != 4)


def test_a_url_that_failed_for_a_passing_reason_is_tried_again_next_run(tmp_path):
    from warta.crawl import run_crawl

    warehouse = tmp_path / "warehouse"
    url = sorted(u for u, c in golden().items() if not c["expected"].get("reject"))[0]
    first = run_crawl("suaralampung", KEY, "r1", "replay", warehouse, log=lambda _: None,
                      faults={path_of(url): {"fault": "503"}})
    assert first["failed"] == {"http_503": 1}
    later = PartitionKey("suaralampung", "2026-11-28", "0900")
    second = run_crawl("suaralampung", later, "r2", "replay", warehouse, log=lambda _: None)
    assert second["discovery_not_modified"] == 1  # the sitemap is unchanged...
    raw = read_dataset("raw_pages", warehouse)
    later_urls = [r["url"] for r in raw.to_pylist() if r["run_id"] == "r2"]
    assert url in later_urls  # ...yet the failed article is fetched again
