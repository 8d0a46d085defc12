"""A re-crawled article that changed upstream replaces its earlier version: one row per URL, version and history kept."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta, timezone

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from spiders.discovery import parse_feed, parse_sitemap, parse_wp_api
from tests.conftest import ROOT
from tests.test_transforms import article_table
from transforms.versioning import Prior, content_hash, next_version
from warehouse.compact import compact
from warehouse.schemas import ARTICLES
from warehouse.sql import connect
from warehouse.store import PartitionKey, read_dataset, read_partition, write_partition
from warehouse.versions import known_versions, supersede
from warta.jobs import crawl_portal, curate_portal

T0 = datetime(2026, 11, 28, 8, tzinfo=timezone.utc)
HOST = "lampung.suara.com"
SITEMAP = f"{HOST}/static/news/lampung-sitemap.xml"


# --- the decision, pure -------------------------------------------------------------------------------------------

def test_a_new_url_is_version_one_first_fetched_now():
    assert next_version(None, "h", T0) == next_version(None, "h", T0)
    assert (next_version(None, "h", T0).version, next_version(None, "h", T0).first_fetched_at) == (1, T0)


def test_changed_content_is_the_next_version_and_keeps_the_first_fetch():
    prior = Prior(2, "old", T0, T0 - timedelta(days=3), in_this_partition=False)
    result = next_version(prior, "new", T0 + timedelta(hours=1))
    assert (result.version, result.first_fetched_at, result.unchanged) == (3, T0 - timedelta(days=3), False)


def test_same_content_from_another_run_is_unchanged_but_a_rerun_keeps_its_version():
    other = Prior(2, "same", T0, T0, in_this_partition=False)
    own = Prior(2, "same", T0, T0, in_this_partition=True)
    assert next_version(other, "same", T0).unchanged
    rerun = next_version(own, "same", T0 + timedelta(hours=1))
    assert (rerun.version, rerun.unchanged) == (2, False)


def test_whitespace_alone_is_not_a_change_but_a_word_is():
    assert content_hash("Judul", "Satu  dua\ntiga") == content_hash("Judul ", "Satu dua \n tiga")
    assert content_hash("Judul", "Satu dua tiga") != content_hash("Judul", "Satu dua empat")


def test_discovery_documents_say_when_an_article_changed():
    sitemap = parse_sitemap(b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>https://x.id/a</loc>"
                            b"<lastmod>2026-11-28T10:00:00+07:00</lastmod></url></urlset>")
    assert sitemap.links[0].modified_raw == "2026-11-28T10:00:00+07:00"
    wp = parse_wp_api(b'[{"link": "https://x.id/b", "date_gmt": "2026-11-01T01:00:00",'
                      b' "modified_gmt": "2026-11-28T02:00:00"}]')
    assert (wp.links[0].published_raw, wp.links[0].modified_raw) == ("2026-11-01T01:00:00Z", "2026-11-28T02:00:00Z")
    atom = parse_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><link href='https://x.id/c'/>"
                      b"<published>2026-11-01T00:00:00Z</published><updated>2026-11-27T00:00:00Z</updated></entry></feed>")
    assert (atom.links[0].published_raw, atom.links[0].modified_raw) == ("2026-11-01T00:00:00Z", "2026-11-27T00:00:00Z")


# --- superseding in the warehouse -----------------------------------------------------------------------------------

def rows(urls, version, fetched, title="v"):
    table = article_table(urls).to_pylist()
    for row in table:
        row.update(version=version, fetched_at=fetched, first_fetched_at=T0, title=title, content_hash=f"{title}")
    return pa.Table.from_pylist(table, schema=ARTICLES)


def count(root) -> tuple[int, int]:
    return connect(root).execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()


def test_supersede_heals_a_crash_between_publish_and_supersede_and_is_idempotent(tmp_path):
    first, later = PartitionKey("suaralampung", "2026-11-27", "a"), PartitionKey("suaralampung", "2026-11-28", "b")
    write_partition("articles", rows(["https://x/1", "https://x/2"], 1, T0, "v1"), first, tmp_path)
    write_partition("articles", rows(["https://x/1"], 2, T0 + timedelta(days=1), "v2"), later, tmp_path)
    assert count(tmp_path) == (3, 2)  # what a crash right after the publish leaves
    assert supersede("suaralampung", tmp_path) == 1
    assert count(tmp_path) == (2, 2) and supersede("suaralampung", tmp_path) == 0
    assert read_partition("articles", first, tmp_path).column("url").to_pylist() == ["https://x/2"]
    assert read_partition("articles", later, tmp_path).column("title").to_pylist() == ["v2"]


def test_supersede_on_a_portal_of_one_article_or_none_changes_nothing(tmp_path):
    assert supersede("suaralampung", tmp_path) == 0
    write_partition("articles", rows(["https://x/1"], 1, T0, "v1"), PartitionKey("suaralampung", "2026-11-27", "a"),
                    tmp_path)
    assert supersede("suaralampung", tmp_path) == 0 and count(tmp_path) == (1, 1)
    write_partition("articles", rows([], 1, T0), PartitionKey("p2", "2026-11-27", "a"), tmp_path)
    assert supersede("p2", tmp_path) == 0


def test_warta_compact_heals_two_versions_folded_into_one_compacted_file(tmp_path):
    day = "2026-11-27"
    write_partition("articles", rows(["https://x/1", "https://x/2"], 1, T0, "v1"), PartitionKey("p1", day, "08"), tmp_path)
    write_partition("articles", rows(["https://x/1"], 2, T0 + timedelta(hours=1), "v2"), PartitionKey("p1", day, "09"),
                    tmp_path)
    compact("articles", tmp_path)
    assert count(tmp_path) == (2, 2)
    table = read_dataset("articles", tmp_path)
    assert sorted(zip(table.column("url").to_pylist(), table.column("version").to_pylist())) == [
        ("https://x/1", 2), ("https://x/2", 1)]
    # the compacted file's claims still describe it: a rerun of the 08 run takes out exactly its remaining row
    write_partition("articles", rows(["https://x/2"], 1, T0, "v1"), PartitionKey("p1", day, "08"), tmp_path)
    assert count(tmp_path) == (2, 2)


def test_files_written_before_versioning_read_as_version_one(tmp_path):
    old = article_table(["https://x/1"]).drop_columns(["version", "content_hash", "first_fetched_at"])
    path = PartitionKey("p1", "2026-01-01", "a").path("articles", tmp_path)
    path.parent.mkdir(parents=True)
    pq.write_table(old, path)
    prior = known_versions("p1", None, tmp_path)["https://x/1"]
    body = old.column("body")[0].as_py()
    assert (prior.version, prior.content_hash) == (1, content_hash(old.column("title")[0].as_py(), body))


# --- end to end through the replay server ---------------------------------------------------------------------------

@pytest.fixture
def portal_site(tmp_path):
    root = tmp_path / "replay"
    shutil.copytree(ROOT / "replay" / HOST, root / HOST)
    return root


def run(key_start: datetime, run_id: str, warehouse, replay) -> tuple[dict, dict]:
    from warta.crawl import run_crawl

    from warta.jobs import partition_key

    key = partition_key("suaralampung", key_start)
    crawled = run_crawl("suaralampung", key, run_id, "replay", warehouse, log=lambda _: None, replay_root=replay)
    crawled.update(run_date=key.run_date, part=key.part)
    return crawled, curate_portal(crawled, run_id, warehouse)


def set_lastmod(sitemap, url: str, when: datetime) -> None:
    text = sitemap.read_text()
    start = text.index(f"<loc>{url}</loc>")
    end = text.index("</url>", start)
    entry = re.sub(r"\s*<lastmod>[^<]*</lastmod>", "", text[start:end])
    sitemap.write_text(text[:start] + entry + f"<lastmod>{when.isoformat()}</lastmod>" + text[end:])


def versions(warehouse) -> dict[str, dict]:
    return {r["url"]: r for r in read_dataset("articles", warehouse).to_pylist()}


def test_a_changed_article_replaces_its_earlier_version_and_an_unchanged_one_is_not_duplicated(portal_site, tmp_path):
    warehouse = tmp_path / "warehouse"
    first, _ = run(T0, "r1", warehouse, portal_site)
    before, turned_away = versions(warehouse), first_rejects(warehouse)
    assert first["pages_fetched"] == len(before) + turned_away and len(before) >= 4 and turned_away >= 1
    def page_of(url):
        return portal_site / url.split("://", 1)[1]

    changed, same = [u for u in sorted(before) if not page_of(u).with_name(page_of(u).name + "@page=all").exists()][:2]
    page = page_of(changed)
    line = max(before[changed]["body"].splitlines(), key=len)
    snippet = next(line[i:i + 30] for i in range(0, len(line) - 30, 5) if line[i:i + 30] in page.read_text())
    page.write_text(page.read_text().replace(snippet, snippet + " Pembaruan redaksi: angka ini dikoreksi"))
    now = datetime.now(timezone.utc)
    set_lastmod(portal_site / SITEMAP, changed, now)
    set_lastmod(portal_site / SITEMAP, same, now)  # says it changed, but its text did not

    second, curated = run(T0 + timedelta(hours=1), "r2", warehouse, portal_site)
    assert second["revisited"] == 2 and second["pages_fetched"] == 2 and second["skipped_seen"] >= 2 + turned_away
    after = versions(warehouse)
    assert sorted(after) == sorted(before) and count(warehouse)[0] == count(warehouse)[1] == len(before)
    assert after[changed]["version"] == 2 and "Pembaruan redaksi" in after[changed]["body"]
    assert after[changed]["run_id"] == "r2" and after[changed]["first_fetched_at"] == before[changed]["fetched_at"]
    assert after[changed]["content_hash"] != before[changed]["content_hash"]
    assert after[same] == before[same]  # untouched: still version 1 from the first run
    rejects = [r for r in read_dataset("rejects", warehouse).to_pylist() if r["run_id"] == "r2"]
    assert [r["url"] for r in rejects if r["reason"] == "unchanged"] == [same]
    health = {h["run_id"]: h for h in read_dataset("portal_health", warehouse).to_pylist()}
    assert health["r2"]["articles_updated"] == 1 and health["r1"]["articles_updated"] == 0
    assert curated["superseded"] == 1 and curated["articles_updated"] == 1
    log = [r for r in read_dataset("crawl_log", warehouse).to_pylist() if r["run_id"] == "r2" and r["kind"] == "article"]
    assert {r["url"] for r in log if r["reason"] == "revisit"} == {changed, same}

    def state():
        return sorted((u, r["version"], r["content_hash"], r["first_fetched_at"]) for u, r in versions(warehouse).items())

    settled = state()
    run(T0 + timedelta(hours=1), "r2", warehouse, portal_site)  # rerun the later run
    assert state() == settled and count(warehouse)[0] == len(before)
    run(T0, "r1", warehouse, portal_site)  # rerun the first run: the newer version stays, nothing doubles
    assert state() == settled and count(warehouse)[0] == len(before)


def first_rejects(warehouse) -> int:
    return read_dataset("rejects", warehouse).num_rows


def test_the_spider_revisits_a_known_article_only_when_it_changed_after_our_fetch_and_inside_the_window():
    from spiders.discovery import Found
    from spiders.spiders.portal import PortalSpider

    fetched = datetime(2026, 11, 27, 12, tzinfo=timezone.utc)
    url = "https://lampung.suara.com/read/2026/11/27/120000/judul"

    def decide(modified: str | None, **window) -> str | None:
        spider = PortalSpider(portal="suaralampung", **window)
        spider._known = {url: {"fetched_at": fetched, "own": False}}
        return spider._skip_reason(url, Found(url, "2026-11-27T11:00:00Z", modified))

    assert decide(None) == "seen"  # no word of a change
    assert decide("2026-11-27T11:30:00Z") == "seen"  # changed before we fetched it
    assert decide("2026-11-28T09:00:00Z") is None  # changed since: fetched again
    # a windowed run takes the change only when it happened inside its interval (published outside it or not)
    assert decide("2026-11-28T09:00:00Z", since="2026-11-28T09:00:00+00:00", until="2026-11-28T10:00:00+00:00") is None
    assert decide("2026-11-28T09:00:00Z", since="2026-11-28T10:00:00+00:00", until="2026-11-28T11:00:00+00:00") == "seen"
