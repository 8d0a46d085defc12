"""Syndication clusters over the whole warehouse, rebuilt whole after each publication (like the rollups).

Clustering needs every portal's articles at once, so it cannot live in a portal's own run partition:
`clusters/clusters.parquet` maps each canonical URL to its cluster, and the `articles` view and
`read_articles` join it in.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.location import resolve

CLUSTERS_PATH = "clusters/clusters.parquet"
CLUSTERS = pa.schema([
    ("url", pa.string()), ("cluster_id", pa.string()), ("duplicate_of", pa.string()), ("cluster_size", pa.int32()),
])


def refresh_clusters(root: str | Path | None = None) -> dict:
    """Cluster the newest version of every article (earliest published first) and replace the clusters file."""
    from transforms.dedup import dedup
    from warehouse.access import latest_versions
    from warehouse.store import read_dataset

    articles = latest_versions(read_dataset("articles", root, columns=["url", "title", "body", "published_at",
                                                                      "fetched_at", "version"]))
    results = dedup({"id": a["url"], "title": a["title"] or "", "text": a["body"] or ""} for a in articles.to_pylist())
    sizes: dict[str, int] = {}
    for r in results:
        sizes[r.cluster_id] = sizes.get(r.cluster_id, 0) + 1
    table = pa.Table.from_pylist([{"url": r.id, "cluster_id": r.cluster_id, "duplicate_of": r.duplicate_of,
                                   "cluster_size": sizes[r.cluster_id]} for r in results], schema=CLUSTERS)
    loc = resolve(root)
    path = loc.replace_file(loc.join(CLUSTERS_PATH), table)
    return {"path": loc.uri(path), "articles": table.num_rows, "clusters": len(sizes),
            "duplicates": sum(1 for r in results if r.duplicate_of)}


def read_clusters(root: str | Path | None = None) -> pa.Table:
    """The clusters table (empty when clustering has not run yet)."""
    loc = resolve(root)
    path = loc.join(CLUSTERS_PATH)
    return pq.read_table(path, filesystem=loc.fs, schema=CLUSTERS) if loc.exists(path) else CLUSTERS.empty_table()
