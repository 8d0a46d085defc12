"""DuckDB over the warehouse: one view per dataset, plus the clusters and rollups tables and `articles_clustered`.

`warta sql` uses these views; `views_sql()` writes the same views as a script a plain DuckDB session can run
(`duckdb -c ".read data/warehouse/views.sql"` or `.read` at its prompt).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.location import resolve
from warehouse.schemas import SCHEMAS
from warehouse.uniform import is_uniform

# A URL lives in exactly one run partition (a URL already in the warehouse is never fetched again), so
# `articles` is a plain scan: a newest-version window over every row cost 8x a flat file's scan at 1M rows
# (benchmarks/warehouse_bench.py). Clusters are joined only where asked for (`articles_clustered`).
CLUSTERED = ("CREATE OR REPLACE VIEW articles_clustered AS SELECT a.*, c.cluster_id, c.duplicate_of "
             "FROM articles a LEFT JOIN clusters c USING (url)")
TABLES = {"rollups_daily": "rollups/daily_counts.parquet", "clusters": "clusters/clusters.parquet"}


def _glob(base: str, dataset: str) -> str:
    return f"{base}/{dataset}/*/*/part-*.parquet"


def view_statements(root: str | Path | None = None) -> list[str]:
    """CREATE VIEW statements for every dataset that has files (read_parquet globs; local warehouses)."""
    loc = resolve(root)
    statements = []
    for dataset in SCHEMAS:
        if loc.files(dataset):
            # union_by_name only while files written before a column was added remain (the column is null there):
            # it reads every footer before the query starts (warehouse/uniform.py)
            union = "false" if is_uniform(loc, dataset) else "true"
            statements.append(f"CREATE OR REPLACE VIEW {dataset} AS SELECT * FROM read_parquet("
                              f"'{_glob(loc.base, dataset)}', hive_partitioning = true, union_by_name = {union})")
    for name, relpath in TABLES.items():
        if loc.exists(loc.join(relpath)):
            statements.append(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{loc.join(relpath)}')")
    if any(" articles AS" in st for st in statements) and any(" clusters AS" in st for st in statements):
        statements.append(CLUSTERED)
    return statements


def views_sql(root: str | Path | None = None) -> str:
    """Write <root>/views.sql (the views for a plain DuckDB session) and return its path."""
    loc = resolve(root)
    path = loc.join("views.sql")
    text = "-- Warta warehouse views; in DuckDB: .read " + path + "\n" + ";\n".join(view_statements(root)) + ";\n"
    with loc.fs.open_output_stream(path) as out:
        out.write(text.encode())
    return path


def connect(root: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a view per dataset (object stores are read through pyarrow datasets)."""
    loc = resolve(root)
    con = duckdb.connect()
    if loc.local:
        for statement in view_statements(root):
            con.execute(statement)
        return con
    from warehouse.store import read_dataset  # no httpfs offline: let pyarrow's S3 filesystem do the reading

    from warehouse.clusters import read_clusters

    for dataset in SCHEMAS:
        con.register(dataset, read_dataset(dataset, root))
    con.register("clusters", read_clusters(root))
    con.execute(CLUSTERED)
    return con
