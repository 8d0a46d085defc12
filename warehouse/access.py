"""The analysts' reader: `read_articles(...)` -> a pyarrow Table of curated articles, one row per canonical URL."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from warehouse.store import read_dataset
from warehouse.versions import newest_first


def _instant(value: date | datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def latest_versions(table: pa.Table) -> pa.Table:
    """Keep the newest version of each URL (highest version, then latest fetch).

    The warehouse holds one row per URL once a run is published (warehouse.versions.supersede); this guards the
    moment between a publish and its supersede, and a crash there.
    """
    if table.num_rows == 0 or "fetched_at" not in table.column_names:
        return table
    order, newest = newest_first(table)
    return order.filter(newest).sort_by([("published_at", "ascending"), ("url", "ascending")])


def with_clusters(table: pa.Table, root=None) -> pa.Table:
    """Add cluster_id and duplicate_of (null until clustering has run) from the clusters table."""
    from warehouse.clusters import read_clusters

    clusters = read_clusters(root).to_pylist()
    by_url = {c["url"]: (c["cluster_id"], c["duplicate_of"]) for c in clusters}
    found = [by_url.get(url, (None, None)) for url in table.column("url").to_pylist()]
    table = table.append_column("cluster_id", pa.array([f[0] for f in found], pa.string()))
    return table.append_column("duplicate_of", pa.array([f[1] for f in found], pa.string()))


def read_articles(start: date | datetime | str | None = None, end: date | datetime | str | None = None,
                  portals: list[str] | None = None, dimensions: list[str] | None = None,
                  regions: list[str] | None = None, columns: list[str] | None = None,
                  root: str | Path | None = None) -> pa.Table:
    """Curated articles published in [start, end), optionally of some portals, dimensions or region codes.

    `regions` match a region code or any code below it ("18" matches Lampung and its regencies).
    Convert with `.to_pandas()` or `polars.from_arrow(table)`.
    """
    expr = ds.field("published_at").is_valid()
    if start is not None:
        expr &= ds.field("published_at") >= pa.scalar(_instant(start), pa.timestamp("us", tz="UTC"))
    if end is not None:
        expr &= ds.field("published_at") < pa.scalar(_instant(end), pa.timestamp("us", tz="UTC"))
    if portals:
        expr &= ds.field("portal").isin(portals)
    table = with_clusters(latest_versions(read_dataset("articles", root, filter=expr)), root)
    if dimensions:
        wanted = set(dimensions)
        table = table.filter(pa.array([bool(wanted & set(d or [])) for d in table.column("dimensions").to_pylist()], pa.bool_()))
    if regions:
        prefixes = tuple(regions)
        hits = [any(r["code"] == p or r["code"].startswith(p + ".") for r in rs or [] for p in prefixes)
                for rs in table.column("regions").to_pylist()]
        table = table.filter(pa.array(hits, pa.bool_()))
    return table.select(columns) if columns else table
