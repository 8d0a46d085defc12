"""Partitioned Parquet storage: atomic (temp file + rename), idempotent (one file per run key)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from warehouse.schemas import PARTITION_SCHEMA, SCHEMAS, conform
from warta.paths import warehouse_root


@dataclass(frozen=True)
class PartitionKey:
    """Where one run's rows for one portal live: dataset/portal=<p>/run_date=<d>/part-<part>.parquet."""

    portal: str
    run_date: str  # YYYY-MM-DD, the run's data-interval start
    part: str  # the data-interval key; the same run always writes the same part

    def path(self, dataset: str, root: Path | None = None) -> Path:
        """The final file path of this partition in a dataset."""
        base = Path(root) if root else warehouse_root()
        return base / dataset / f"portal={self.portal}" / f"run_date={self.run_date}" / f"part-{self.part}.parquet"


class PartitionWriter:
    """Stream record batches into one partition file; it appears (atomically) only on a clean close."""

    def __init__(self, dataset: str, key: PartitionKey, root: Path | None = None):
        self.dataset = dataset
        self.final_path = key.path(dataset, root)
        self.final_path.parent.mkdir(parents=True, exist_ok=True)
        # A leading dot hides the temp file from pyarrow, DuckDB globs ("*.parquet" skips it) and our readers.
        self.tmp_path = self.final_path.with_name(f".tmp-{uuid.uuid4().hex}-{self.final_path.name}")
        self._writer = pq.ParquetWriter(self.tmp_path, SCHEMAS[dataset], compression="zstd")
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        """Append rows, conformed to the dataset schema."""
        table = conform(self.dataset, table)
        if table.num_rows:
            self._writer.write_table(table)
            self.rows += table.num_rows

    def close(self) -> Path:
        """Finish the file, flush it to disk and rename it into place."""
        self._writer.close()
        with open(self.tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(self.tmp_path, self.final_path)
        return self.final_path

    def abort(self) -> None:
        """Drop the temp file; the previous version of the partition (if any) stays."""
        self._writer.close()
        self.tmp_path.unlink(missing_ok=True)

    def __enter__(self) -> PartitionWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_partition(dataset: str, table: pa.Table, key: PartitionKey, root: Path | None = None) -> Path:
    """Replace one partition file with this table, atomically."""
    conform(dataset, table)  # refuse a bad table before a file is even opened
    with PartitionWriter(dataset, key, root) as writer:
        writer.write(table)
    return writer.final_path


def read_partition(dataset: str, key: PartitionKey, root: Path | None = None) -> pa.Table:
    """One partition file's rows (an empty table of the right schema if it does not exist)."""
    path = key.path(dataset, root)
    if not path.exists():
        return SCHEMAS[dataset].empty_table()
    return pq.read_table(path, schema=SCHEMAS[dataset])


def read_dataset(dataset: str, root: Path | None = None, columns: list[str] | None = None) -> pa.Table:
    """A whole dataset with its partition columns (portal, run_date) restored from the paths."""
    base = (Path(root) if root else warehouse_root()) / dataset
    schema = pa.unify_schemas([SCHEMAS[dataset], PARTITION_SCHEMA])
    if not base.exists():
        return schema.empty_table() if columns is None else schema.empty_table().select(columns)
    data = ds.dataset(base, format="parquet", schema=schema, partitioning=ds.partitioning(PARTITION_SCHEMA, flavor="hive"))
    return data.to_table(columns=columns)


def seen_urls(portal: str, exclude: PartitionKey | None = None, root: Path | None = None) -> set[str]:
    """URLs of the portal's articles already in the warehouse, except those of the partition being rewritten."""
    base = (Path(root) if root else warehouse_root()) / "articles" / f"portal={portal}"
    skip = exclude.path("articles", root) if exclude else None
    urls: set[str] = set()
    for path in sorted(base.glob("run_date=*/part-*.parquet")):
        if path != skip:
            urls.update(pq.read_table(path, columns=["url"]).column("url").to_pylist())
    return urls


def discovery_validators(portal: str, exclude: PartitionKey | None = None, root: Path | None = None) -> dict[str, dict]:
    """The newest ETag / Last-Modified seen per discovery URL in earlier runs' crawl logs (for conditional GET)."""
    base = (Path(root) if root else warehouse_root()) / "crawl_log" / f"portal={portal}"
    skip = exclude.path("crawl_log", root) if exclude else None
    newest: dict[str, dict] = {}
    for path in sorted(base.glob("run_date=*/part-*.parquet")):
        if path == skip:
            continue
        for row in pq.read_table(path, columns=["url", "kind", "outcome", "etag", "last_modified", "at"]).to_pylist():
            if row["kind"] != "discovery" or row["outcome"] != "fetched" or not (row["etag"] or row["last_modified"]):
                continue
            if row["url"] not in newest or row["at"] > newest[row["url"]]["at"]:
                newest[row["url"]] = row
    return {url: {"etag": r["etag"], "last_modified": r["last_modified"]} for url, r in newest.items()}


RETRYABLE = ("http_5", "http_429", "http_408", "timeout", "connection_reset", "truncated", "dns_error")


def urls_to_retry(portal: str, exclude: PartitionKey | None = None, root: Path | None = None) -> set[str]:
    """Article URLs that failed for a passing reason in earlier runs and are not articles yet."""
    base = (Path(root) if root else warehouse_root()) / "crawl_log" / f"portal={portal}"
    skip = exclude.path("crawl_log", root) if exclude else None
    failed: set[str] = set()
    for path in sorted(base.glob("run_date=*/part-*.parquet")):
        if path == skip:
            continue
        for row in pq.read_table(path, columns=["url", "kind", "outcome", "reason"]).to_pylist():
            if row["kind"] == "article" and row["outcome"] == "failed" and (row["reason"] or "").startswith(RETRYABLE):
                failed.add(row["url"])
    return failed - seen_urls(portal, exclude, root)
