"""Rollups for charts: daily counts by region x dimension x portal, rebuilt whole from the articles view."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from warehouse.location import resolve
from warehouse.sql import connect

ROLLUP_PATH = "rollups/daily_counts.parquet"
# One row per (WIB day, portal, region, dimension): an article counts once in every region and dimension it has;
# "(none)" stands in for an article with no region or no dimension, so totals per portal stay complete.
DAILY_COUNTS = """
WITH base AS (
    SELECT url, portal, smart_city,
           CAST(timezone('Asia/Jakarta', published_at) AS DATE) AS day,
           CASE WHEN len(regions) = 0 THEN [{'code': '(none)', 'name': '(none)', 'level': '(none)'}] ELSE regions END AS regions,
           CASE WHEN len(dimensions) = 0 THEN ['(none)'] ELSE dimensions END AS dimensions
    FROM articles
)
SELECT day, portal, r.code AS region_code, r.name AS region_name, r.level AS region_level, dimension,
       count(*) AS articles, count(*) FILTER (WHERE smart_city) AS smart_city_articles
FROM base, UNNEST(regions) AS t(r), UNNEST(dimensions) AS d(dimension)
GROUP BY ALL
ORDER BY day, portal, region_code, dimension
"""
ROLLUP_SCHEMA = pa.schema([
    ("day", pa.date32()), ("portal", pa.string()), ("region_code", pa.string()), ("region_name", pa.string()),
    ("region_level", pa.string()), ("dimension", pa.string()), ("articles", pa.int64()),
    ("smart_city_articles", pa.int64()),
])


def refresh_rollups(root: str | Path | None = None) -> dict:
    """Rebuild the daily counts from the articles and replace the rollup file atomically; return a summary."""
    loc = resolve(root)
    con = connect(root)
    has_articles = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'articles'").fetchall()[0][0]
    table = con.sql(DAILY_COUNTS).to_arrow_table() if has_articles else ROLLUP_SCHEMA.empty_table()
    table = table.cast(ROLLUP_SCHEMA) if table.num_rows else ROLLUP_SCHEMA.empty_table()
    path = loc.replace_file(loc.join(ROLLUP_PATH), table)
    return {"path": loc.uri(path), "rows": table.num_rows,
            "articles": int(sum(table.column("articles").to_pylist())) if table.num_rows else 0}
