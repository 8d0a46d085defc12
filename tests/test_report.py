"""`warta report`: a self-contained HTML page over a warehouse built by the real pipeline over replay.

The browser test opens the file in Debian's Chromium and checks that every chart is drawn (marks with a size,
pixels of more than one colour) and that the page fetched nothing but itself.
"""

from __future__ import annotations

import shutil
import struct
import zlib
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pytest

from tests.conftest import ROOT
from warehouse.rollups import refresh_rollups
from warehouse.sql import connect
from warehouse.store import read_partition, write_partition
from warta.jobs import crawl_portal, curate_portal, partition_key
from warta.charts import LIGHT, PALETTE
from warta.report import DIMENSION_COLOURS, build_report, main, write_report

PORTALS = ["antaralampung", "kompasregional", "suaralampung"]
START = datetime(2026, 11, 28, 8, tzinfo=timezone.utc)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHARTS = ["chart-regions", "chart-dimensions", "chart-portals"]
COLOURS = {"chart-regions": {PALETTE[0].lower()}, "chart-dimensions": {DIMENSION_COLOURS["environment"].lower()},
           "chart-portals": {PALETTE[0].lower(), LIGHT.lower()}}  # drawn by every chart of the test warehouse
HOSTILE = "<script>alert(\"x\")</script> Kota Metro & 'Smart City' — Raih <b>Penghargaan</b> dari Menkominfo"
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class Document(HTMLParser):
    """Parse HTML, recording unbalanced tags, every tag with its attributes, and the text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.text = [], [], [], []
        self.feed(html)
        self.close()
        self.errors += [f"unclosed <{tag}>" for tag in self.stack]

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"stray </{tag}>")

    def handle_data(self, data):
        self.text.append(data)


def png_colours(data: bytes) -> set[str]:
    """The distinct RGB colours ('#rrggbb') of an 8-bit, non-interlaced RGB(A) PNG, decoded with zlib alone."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk, pos = data[pos + 8:pos + 8 + length], pos + 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
        idat += chunk if kind == b"IDAT" else b""
    assert depth == 8 and interlace == 0 and colour_type in (2, 6)
    bpp = 3 if colour_type == 2 else 4
    raw, stride, prev, colours = zlib.decompress(idat), width * bpp, bytearray(width * bpp), set()
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride) if kind else ():
            a, b, c = line[i - bpp] if i >= bpp else 0, prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            predictor = {1: a, 2: b, 3: (a + b) // 2,
                         4: a if abs(p - a) <= min(abs(p - b), abs(p - c)) else b if abs(p - b) <= abs(p - c) else c}
            line[i] = (line[i] + predictor[kind]) & 0xFF
        colours.update(line[i:i + 3].hex() for i in range(0, stride, bpp))
        prev = line
    return {f"#{c}" for c in colours}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """Three portals crawled from the replay server and curated by the real pipeline steps, rollups refreshed."""
    root = tmp_path_factory.mktemp("report") / "warehouse"
    for portal in PORTALS:
        curate_portal(crawl_portal(portal, START, "r1", "replay", root), "r1", root)
    refresh_rollups(root)
    return root


def rewritten(source: Path, target: Path, **columns) -> Path:
    """A copy of the warehouse's article partitions with some columns replaced by fn(row) -> value."""
    for portal in PORTALS:
        key = partition_key(portal, START)
        table = read_partition("articles", key, source)
        for name, fn in columns.items():
            values = pa.array([fn(row) for row in table.to_pylist()], table.schema.field(name).type)
            table = table.set_column(table.schema.get_field_index(name), name, values)
        write_partition("articles", table, key, target)
    return target


def test_report_holds_three_charts_and_the_evidence_and_fetches_nothing(warehouse, tmp_path):
    result = write_report(tmp_path / "out" / "report.html", warehouse)
    con = connect(warehouse)
    articles, smart = con.execute("SELECT count(*), count(*) FILTER (WHERE smart_city) FROM articles").fetchall()[0]
    assert result == {"path": str(tmp_path / "out" / "report.html"), "articles": articles, "smart_city": smart,
                      "charts": 3}
    assert smart > 0 and not list((tmp_path / "out").glob(".*"))  # no temp file left behind
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    doc = Document(html)
    assert doc.errors == []
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert [a["id"] for t, a in doc.tags if t == "svg"] == CHARTS
    assert all(t == "a" for t, a in doc.tags if "href" in a)  # links to articles only, never loaded
    assert not [t for t, a in doc.tags if t in ("script", "link", "img", "iframe", "object") or "src" in a]
    assert "url(" not in html and "@import" not in html and "@font-face" not in html
    assert html.count("<title id=\"chart-") == 3 and html.count("<desc id=\"chart-") == 3 and html.count("<mark") >= 5
    assert "Kota Bandar Lampung" in html and "Smart Environment" in html and "SuaraLampung.id" in html


def test_titles_are_escaped_and_kept_whole(warehouse, tmp_path):
    root = rewritten(warehouse, tmp_path / "hostile",
                     title=lambda r: HOSTILE if "kota-metro" in r["url"] else r["title"],
                     body=lambda r: r["body"].replace(" dan ", ' <img src="http://x/y.png"> & "dan" '))
    html = build_report(root, generated_at=START)
    doc = Document(html)
    assert doc.errors == []
    assert not [t for t, a in doc.tags if t in ("script", "img")] and "&lt;b&gt;" in html
    assert HOSTILE in "".join(doc.text)  # highlighted words split it into marks; the text reads as written
    assert "&lt;script&gt;" in html and "&lt;img src=&quot;http://x/y.png&quot;&gt; &amp; &quot;dan&quot;" in html
    assert "Generated 2026-11-28 08:00 UTC" in html


def test_no_smart_city_articles_still_shows_the_portals(warehouse, tmp_path):
    root = rewritten(warehouse, tmp_path / "plain", smart_city=lambda r: False)
    html = build_report(root)
    assert Document(html).errors == []
    assert "No smart-city articles yet." in html and html.count("<svg") == 1


def test_an_empty_warehouse_gives_a_clear_message(tmp_path):
    result = main(["--output", str(tmp_path / "empty.html"), "--warehouse", str(tmp_path / "nothing")])
    html = (tmp_path / "empty.html").read_text(encoding="utf-8")
    assert result == 0 and Document(html).errors == []
    assert "No articles yet" in html and "<svg" not in html and html.rstrip().endswith("</html>")
    assert write_report(tmp_path / "empty.html", tmp_path / "nothing")["charts"] == 0


@pytest.mark.e2e
@pytest.mark.timeout(300)
def test_charts_are_drawn_in_chromium(warehouse, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    report = Path(write_report(tmp_path / "report.html", warehouse)["path"])
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    requests, problems = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(report.as_uri(), wait_until="load")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        for cid in CHARTS:
            chart = page.locator(f"svg#{cid}")
            box = chart.bounding_box()
            assert box and box["width"] > 300 and box["height"] > 100, (cid, box)
            title = chart.locator("title").first.text_content()
            assert page.get_by_role("img", name=title).count() == 1  # <title> is the chart's accessible name
            sizes = chart.locator(".mark").evaluate_all(
                "ms => ms.map(m => { const r = m.getBoundingClientRect(); return [m.tagName, r.width, r.height]; })")
            drawn = [s for s in sizes if s[1] > 0 and s[2] > 0]
            assert len(drawn) >= 3 and {s[0] for s in drawn} & {"rect", "path"}, (cid, sizes)
            pixels = chart.screenshot()
            chart.evaluate("svg => { for (const child of svg.children) child.style.visibility = 'hidden'; }")
            blank = chart.screenshot()  # the same element and size with nothing drawn in it
            chart.evaluate("svg => { for (const child of svg.children) child.style.visibility = ''; }")
            colours = png_colours(pixels)
            assert len(png_colours(blank)) == 1 and pixels != blank
            assert len(colours) >= 8, cid  # axes, text, several series colours: never one flat colour
            assert COLOURS[cid] <= colours, (cid, sorted(colours)[:40])  # marks in their own colours
        browser.close()
    assert requests == [report.as_uri()]
    assert problems == []
    assert (ARTIFACTS / "report.png").stat().st_size > 50_000
