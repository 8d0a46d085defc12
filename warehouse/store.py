"""Partitioned Parquet storage: atomic (temp name + rename), idempotent (one file per run key), corruption quarantined.

Layout: <root>/<dataset>/portal=<id>/run_year=<YYYY>/part-<YYYY-MM-DD>-<interval>.parquet. A run writes one file
per dataset and portal, named after its data interval, so rerunning it replaces that file and nothing else; closed
days fold into a file per month and closed years into one file, so the file count stays small (see compact.py).
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from warehouse.location import Location, resolve
from warehouse.schemas import PARTITION_SCHEMA, SCHEMAS, conform
from warehouse.uniform import is_new_dataset, mark_uniform

log = logging.getLogger("warta.warehouse")
ROW_GROUP_ROWS = 50_000  # a row group per ~50k rows: statistics prune well, memory stays bounded
PART_FILE = re.compile(r"/portal=(?P<portal>[^/]+)/run_year=(?P<run_year>[^/]+)/part-[^/]+\.parquet$")
QUARANTINE = "_quarantine"


class CorruptFileError(RuntimeError):
    """A Parquet file in the warehouse that cannot be read; it has been moved to _quarantine/."""


@dataclass(frozen=True)
class PartitionKey:
    """Where one run's rows for one portal live: dataset/portal=<p>/run_year=<YYYY>/part-<date>-<part>.parquet."""

    portal: str
    run_date: str  # YYYY-MM-DD, the run's data-interval start
    part: str  # the data-interval key within the day; the same run always writes the same part

    def relpath(self, dataset: str) -> str:
        """The partition file's path inside the warehouse."""
        return f"{dataset}/portal={self.portal}/run_year={self.run_date[:4]}/part-{self.run_date}-{self.part}.parquet"

    def path(self, dataset: str, root: str | Path | None = None) -> Path:
        """The final local file path of this partition (local warehouses)."""
        return Path(resolve(root).join(self.relpath(dataset)))


class PartitionWriter:
    """Stream tables into one partition file; it appears (atomically) only on a clean close."""

    def __init__(self, dataset: str, key: PartitionKey, root: str | Path | None = None):
        self.dataset, self.loc = dataset, resolve(root)
        self.first = is_new_dataset(self.loc, dataset)  # the dataset's first file: it sets the schema marker
        self.final_path = self.loc.join(key.relpath(dataset))
        folder, name = self.final_path.rsplit("/", 1)
        self.loc.fs.create_dir(folder, recursive=True)
        # A leading dot hides the temp file from pyarrow, DuckDB globs ("*.parquet" skips it) and our readers.
        # An object store has no rename: there the upload itself is atomic, so it goes to the final key.
        self.tmp_path = f"{folder}/.tmp-{uuid.uuid4().hex}-{name}" if self.loc.local else self.final_path
        self._sink = self.loc.fs.open_output_stream(self.tmp_path)
        self._writer = pq.ParquetWriter(self._sink, SCHEMAS[dataset], compression="zstd", write_statistics=True)
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        """Append rows, conformed to the dataset schema."""
        table = conform(self.dataset, table)
        if table.num_rows:
            self._writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
            self.rows += table.num_rows

    def close(self) -> str:
        """Finish the file, flush it to disk and rename it into place."""
        from warehouse.compact import release

        self._writer.close()
        self._sink.close()
        folder, name = self.final_path.rsplit("/", 1)
        release(self.loc, folder, self.dataset, name)  # a rerun of a compacted run: its old rows leave first
        if self.loc.local:
            with open(self.tmp_path, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(self.tmp_path, self.final_path)
        if self.first:
            mark_uniform(self.loc, self.dataset)
        return self.final_path

    def abort(self) -> None:
        """Drop the unfinished file; the previous version of the partition (if any) stays."""
        self._writer.close()
        self._sink.close()
        if self.loc.local:
            Path(self.tmp_path).unlink(missing_ok=True)

    def __enter__(self) -> PartitionWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_partition(dataset: str, table: pa.Table, key: PartitionKey, root: str | Path | None = None) -> str:
    """Replace one partition file with this table, atomically."""
    conform(dataset, table)  # refuse a bad table before a file is even opened
    with PartitionWriter(dataset, key, root) as writer:
        writer.write(table)
    return writer.final_path


def quarantine(loc: Location, path: str, error: Exception) -> None:
    """Move an unreadable file aside (so it is never read as empty) and say so by name."""
    target = loc.join(QUARANTINE, path[len(loc.base) :].lstrip("/"))
    loc.fs.create_dir(target.rsplit("/", 1)[0], recursive=True)
    loc.fs.move(path, target)
    log.error("corrupt Parquet file %s moved to %s: %s", loc.uri(path), loc.uri(target), error)


def readable_parts(dataset: str, root: str | Path | None = None, portal: str | None = None) -> list[str]:
    """The dataset's partition files that open as Parquet; corrupt ones are quarantined and named in the log."""
    from warehouse.compact import hidden_names

    loc = resolve(root)
    good, claimed = [], {}
    for path in loc.files(dataset, f"portal={portal}" if portal else ""):
        if not PART_FILE.search(path):
            continue
        folder, name = path.rsplit("/", 1)
        if folder not in claimed:
            claimed[folder] = hidden_names(loc, folder)
        if name in claimed[folder]:
            continue  # left over by a compaction that stopped before removing it: a compacted file holds it
        try:
            pq.read_metadata(path, filesystem=loc.fs)
        except (pa.ArrowInvalid, OSError) as exc:
            quarantine(loc, path, exc)
            continue
        good.append(path)
    return good


STAGING = "_staging"


def stage_partition(dataset: str, table: pa.Table, key: PartitionKey, root=None) -> str:
    """Write a partition where readers do not look (_staging/), to be promoted once it passes the quality gate."""
    return write_partition(dataset, table, key, resolve(root).sub(STAGING))


def promote_partition(dataset: str, key: PartitionKey, root=None) -> str:
    """Move a staged partition into place (replacing the previous version of that partition)."""
    from warehouse.compact import release

    loc = resolve(root)
    staged, final = loc.sub(STAGING).join(key.relpath(dataset)), loc.join(key.relpath(dataset))
    folder, name = final.rsplit("/", 1)
    first = is_new_dataset(loc, dataset)
    loc.fs.create_dir(folder, recursive=True)
    release(loc, folder, dataset, name)
    loc.fs.move(staged, final)
    if first:
        mark_uniform(loc, dataset)
    return final


def read_partition(dataset: str, key: PartitionKey, root: str | Path | None = None) -> pa.Table:
    """One partition file's rows (an empty table of the right schema if it does not exist)."""
    loc = resolve(root)
    path = loc.join(key.relpath(dataset))
    if not loc.exists(path):
        return SCHEMAS[dataset].empty_table()
    return pq.read_table(path, schema=SCHEMAS[dataset], filesystem=loc.fs)


def read_dataset(dataset: str, root: str | Path | None = None, columns: list[str] | None = None,
                 filter=None, portal: str | None = None) -> pa.Table:
    """A whole dataset with its partition columns (portal, run_year) restored from the paths.

    Files written before a column was added read with that column null (additive schema evolution).
    """
    loc = resolve(root)
    schema = pa.unify_schemas([SCHEMAS[dataset], PARTITION_SCHEMA])
    parts = readable_parts(dataset, root, portal)
    if not parts:
        empty = schema.empty_table()
        return empty.select(columns) if columns else empty
    data = ds.dataset(parts, format="parquet", schema=schema, filesystem=loc.fs,
                      partitioning=ds.partitioning(PARTITION_SCHEMA, flavor="hive"),
                      partition_base_dir=loc.join(dataset))
    return data.to_table(columns=columns, filter=filter)


def _other_runs(dataset: str, portal: str, exclude: PartitionKey | None, root) -> list[str]:
    loc = resolve(root)
    skip = loc.join(exclude.relpath(dataset)) if exclude else None
    return [p for p in readable_parts(dataset, root, portal) if p != skip]


def seen_urls(portal: str, exclude: PartitionKey | None = None, root: str | Path | None = None) -> set[str]:
    """URLs of the portal's articles already in the warehouse, except those of the partition being rewritten."""
    fs = resolve(root).fs
    urls: set[str] = set()
    for path in _other_runs("articles", portal, exclude, root):
        urls.update(pq.read_table(path, columns=["url"], filesystem=fs).column("url").to_pylist())
    return urls


def _crawl_log_rows(portal: str, exclude: PartitionKey | None, root, columns: list[str]):
    fs = resolve(root).fs
    for path in _other_runs("crawl_log", portal, exclude, root):
        yield from pq.read_table(path, columns=columns, filesystem=fs).to_pylist()


def discovery_validators(portal: str, exclude: PartitionKey | None = None, root: str | Path | None = None) -> dict[str, dict]:
    """The newest ETag / Last-Modified seen per discovery URL in earlier runs' crawl logs (for conditional GET)."""
    newest: dict[str, dict] = {}
    for row in _crawl_log_rows(portal, exclude, root, ["url", "kind", "outcome", "etag", "last_modified", "at"]):
        if row["kind"] != "discovery" or row["outcome"] != "fetched" or not (row["etag"] or row["last_modified"]):
            continue
        if row["url"] not in newest or row["at"] > newest[row["url"]]["at"]:
            newest[row["url"]] = row
    return {url: {"etag": r["etag"], "last_modified": r["last_modified"]} for url, r in newest.items()}


RETRYABLE = ("http_5", "http_429", "http_408", "timeout", "connection_reset", "truncated", "dns_error")


def urls_to_retry(portal: str, exclude: PartitionKey | None = None, root: str | Path | None = None,
                  seen: set[str] | None = None) -> set[str]:
    """Article URLs that failed for a passing reason in earlier runs and are not articles yet (seen: if known)."""
    failed = {
        row["url"]
        for row in _crawl_log_rows(portal, exclude, root, ["url", "kind", "outcome", "reason"])
        if row["kind"] == "article" and row["outcome"] == "failed" and (row["reason"] or "").startswith(RETRYABLE)
    }
    return failed - (seen if seen is not None else seen_urls(portal, exclude, root))


# Rejects that another fetch would only repeat; `out_of_window` is not one (that page belongs to another run's window).
SETTLED_REJECTS = ("no_body", "no_date", "out_of_scope", "not_html", "empty_page", "too_large", "date_before_portal")


def turned_away(portal: str, key: PartitionKey | None = None, root: str | Path | None = None) -> dict[str, tuple]:
    """URLs of pages rejected for a settled reason: url -> (fetched_at, in the partition `key`)."""
    loc = resolve(root)
    own = loc.join(key.relpath("rejects")) if key else None
    found: dict[str, tuple] = {}
    for path in readable_parts("rejects", root, portal):
        for row in pq.read_table(path, columns=["url", "reason", "fetched_at"], filesystem=loc.fs).to_pylist():
            if row["reason"] in SETTLED_REJECTS:
                found[row["url"]] = (row["fetched_at"], path == own)
    return found
