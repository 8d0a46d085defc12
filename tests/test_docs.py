"""The docs stay true: every column is documented, and the README's Python snippets run."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from warehouse.schemas import SCHEMAS


def test_every_column_of_every_dataset_is_in_schema_md():
    text = (ROOT / "docs" / "SCHEMA.md").read_text()
    for dataset, schema in SCHEMAS.items():
        section = text.split(f"## {dataset}", 1)
        assert len(section) == 2, f"docs/SCHEMA.md has no section for {dataset}"
        body = section[1].split("\n## ", 1)[0]
        for field in schema:
            assert f"| {field.name} |" in body, f"{dataset}.{field.name} is not documented"


def test_readme_and_schema_python_snippets_run(tmp_path, monkeypatch):
    from datetime import datetime, timezone

    from warta.jobs import crawl_portal, curate_portal

    root = tmp_path / "data" / "warehouse"
    crawled = crawl_portal("suaralampung", datetime(2026, 11, 28, 8, tzinfo=timezone.utc), "r", "replay", root)
    curate_portal(crawled, "r", root)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WARTA_WAREHOUSE", str(root))
    for doc in ("README.md", "docs/SCHEMA.md"):
        for snippet in re.findall(r"```python\n(.*?)```", (ROOT / doc).read_text(), re.S):
            exec(compile(snippet, doc, "exec"), {})
