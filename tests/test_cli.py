"""The `warta` console script: JSON shapes and exit codes other tools depend on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import GOLDEN, ROOT, shared_file

WARTA = str(Path(sys.executable).parent / "warta")


def warta(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([WARTA, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120)


def golden(name: str) -> dict:
    return json.loads((GOLDEN / "suaralampung" / f"{name}.json").read_text())


def test_extract_prints_the_cleaned_tagged_article():
    case = golden("metro-smart-city-award")
    result = warta("extract", str(ROOT / case["page"]), "--url", case["url"])
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    for key in ("url", "title", "author", "published_at", "body", "language", "smart_city", "dimensions"):
        assert key in record, key
    assert record["url"] == case["url"] and record["portal"] == "suaralampung"
    assert record["published_at"] == "2023-12-07T07:05:00+00:00"
    assert record["language"] == "id" and record["smart_city"] is True and "governance" in record["dimensions"]
    assert "Baca Juga" not in record["body"] and record["dateline"] == "SuaraLampung.id"
    assert all(e["term"] for e in record["topic_evidence"])


def test_extract_reports_a_rejected_page_with_its_reason():
    case = golden("video-banjir-no-body")
    result = warta("extract", str(ROOT / case["page"]), "--url", case["url"])
    assert result.returncode == 1
    assert json.loads(result.stdout) == {"url": case["url"], "rejected": True, "reason": "no_body",
                                         "detail": json.loads(result.stdout)["detail"]}


def test_extract_of_a_missing_file_says_so(tmp_path):
    result = warta("extract", str(tmp_path / "nope.html"), "--url", "https://lampung.suara.com/x")
    assert result.returncode == 2 and "no such file" in result.stderr


def test_parse_date_prints_the_instant_or_the_reason():
    ok = warta("parse-date", "Kamis, 07 Desember 2023 | 14:05 WIB")
    assert ok.returncode == 0 and ok.stdout.strip() == "2023-12-07T14:05:00+07:00"
    utc = warta("parse-date", "Kamis, 07 Desember 2023 | 14:05 WIB", "--utc")
    assert utc.stdout.strip() == "2023-12-07T07:05:00+00:00"
    relative = warta("parse-date", "17 menit yang lalu", "--now", "2024-05-14T12:00:00+07:00")
    assert relative.stdout.strip() == "2024-05-14T11:43:00+07:00"
    bad = warta("parse-date", "bukan tanggal")
    assert bad.returncode == 1 and "unrecognised" in bad.stderr and bad.stdout == ""


def test_tag_reads_and_writes_json_lines():
    lines = [
        {"id": "a", "title": "Pemkot Metro raih penghargaan smart city",
         "text": shared_file("seed/suaralampung-smart-city-award.txt").read_text(encoding="utf-8")},
        {"id": "b", "title": "Persib menang tipis", "text": "Pertandingan sepak bola berakhir 1-0 di stadion."},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\nnot json\n"
    result = warta("tag", stdin=stdin)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", None]
    assert out[0]["smart_city"] is True and out[0]["dimensions"] and out[0]["topic_evidence"]
    assert out[1]["smart_city"] is False and out[1]["dimensions"] == []
    assert out[2]["error"] == "invalid_json" and out[2]["line"] == 3
    assert result.returncode == 1  # a bad line is reported, the good lines are still tagged


def test_portals_json_lists_the_catalog():
    result = warta("portals", "--json")
    portals = json.loads(result.stdout)
    assert {"id": "suaralampung", "name": "SuaraLampung.id", "domains": ["lampung.suara.com"],
            "home_region": {"province": "Lampung", "province_code": "18"}, "strategies": ["sitemap"]} in portals


def test_scrapy_sees_the_project_spider():
    result = subprocess.run([sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.split() == ["portal"]
