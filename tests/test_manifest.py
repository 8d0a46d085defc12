"""`warta extract --manifest`: many pages in, one JSON record per line out, bad lines named."""

from __future__ import annotations

import json

from tests.conftest import GOLDEN, ROOT
from tests.test_cli import warta


def test_manifest_extracts_every_page_and_names_bad_lines(tmp_path):
    cases = [json.loads(p.read_text()) for p in sorted((GOLDEN / "suaralampung").glob("*.json"))]
    manifest = tmp_path / "pages.jsonl"
    lines = [json.dumps({"path": str(ROOT / c["page"]), "url": c["url"]}) for c in cases]
    lines += ['{"path": "missing.html", "url": "https://lampung.suara.com/x"}', "not json"]
    manifest.write_text("\n".join(lines) + "\n")
    result = warta("extract", "--manifest", str(manifest), "--now", "2026-11-28T08:00:00+00:00")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(cases) + 2 and result.returncode == 1
    for case, record in zip(cases, records):
        if case["expected"].get("reject"):
            assert record == {**record, "rejected": True, "reason": case["expected"]["reject"]}
        else:
            assert record["url"] == case["url"] and record["title"] == case["expected"]["title"]
    assert [r["error"] for r in records[-2:]] == ["bad_manifest_line", "bad_manifest_line"]
    assert "FileNotFoundError" in records[-2]["detail"] and records[-1]["line"] == len(cases) + 2
