"""Golden fixtures: every portal's saved pages give the expected records (found automatically)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from tests.conftest import GOLDEN, ROOT
from transforms.extract import extract_page
from transforms.html_text import PageRejected
from transforms.tagging import tag_article
from warta.catalog import get_portal

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
CASES = sorted(GOLDEN.glob("*/*.json"))


@pytest.mark.parametrize("case_path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_golden_page(case_path):
    case = json.loads(case_path.read_text(encoding="utf-8"))
    expected = case["expected"]
    portal = get_portal(case_path.parent.name)
    html = (ROOT / case["page"]).read_bytes()
    if expected.get("reject"):
        with pytest.raises(PageRejected) as err:
            extract_page(html, case["url"], portal, now=NOW)
        assert err.value.reason == expected["reject"]
        return
    page = extract_page(html, case["url"], portal, now=NOW)
    for field in ("title", "author", "dateline", "published_raw", "date_source"):
        if field in expected:
            assert getattr(page, field) == expected[field], field
    assert page.published_at == datetime.fromisoformat(expected["published_at"])
    for snippet in expected.get("body_contains", []):
        assert snippet in page.body, f"missing from body: {snippet!r}"
    for snippet in expected.get("body_not_contains", []):
        assert snippet not in page.body, f"should not be in body: {snippet!r}"
    if "body_starts_with" in expected:
        assert page.body.startswith(expected["body_starts_with"])
    tags = tag_article(page.title or "", page.body)
    if "smart_city" in expected:
        assert tags.smart_city == expected["smart_city"]
    assert set(expected.get("dimensions_include", [])) <= set(tags.dimensions)
