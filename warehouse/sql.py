"""DuckDB over the warehouse: one view per dataset, `articles` = the newest version of each canonical article.

`warta sql` uses these views; `views_sql()` writes the same views as a script a plain DuckDB session can run
(`duckdb -c ".read data/warehouse/views.sql"` or `.read` at its prompt).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.location import resolve
from warehouse.schemas import SCHEMAS

# `articles_all` keeps every fetched version; `articles` keeps the newest per URL.
LATEST = ("CREATE OR REPLACE VIEW articles AS SELECT * EXCLUDE (version_rank) FROM ("
          "SELECT *, row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) AS version_rank "
          "FROM articles_all) WHERE version_rank = 1")
# With clusters computed, the articles view carries them.
CLUSTERED = ("CREATE OR REPLACE VIEW articles AS SELECT a.* EXCLUDE (version_rank), c.cluster_id, c.duplicate_of "
             "FROM (SELECT *, row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) AS version_rank "
             "FROM articles_all) a LEFT JOIN clusters c USING (url) WHERE a.version_rank = 1")
TABLES = {"rollups_daily": "rollups/daily_counts.parquet", "clusters": "clusters/clusters.parquet"}


def _glob(base: str, dataset: str) -> str:
    return f"{base}/{dataset}/*/*/part-*.parquet"


def view_statements(root: str | Path | None = None) -> list[str]:
    """CREATE VIEW statements for every dataset that has files (read_parquet globs; local warehouses)."""
    loc = resolve(root)
    statements = []
    for dataset in SCHEMAS:
        if not loc.files(dataset):
            continue
        name = "articles_all" if dataset == "articles" else dataset
        statements.append(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{_glob(loc.base, dataset)}', "
                          "hive_partitioning = true, union_by_name = true)")
        if dataset == "articles":
            statements.append(LATEST)
    for name, relpath in TABLES.items():
        if loc.exists(loc.join(relpath)):
            statements.append(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet('{loc.join(relpath)}')")
            if name == "clusters" and LATEST in statements:
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
        table = read_dataset(dataset, root)
        con.register("articles_all" if dataset == "articles" else dataset, table)
    con.register("clusters", read_clusters(root))
    con.execute(CLUSTERED)
    return con
