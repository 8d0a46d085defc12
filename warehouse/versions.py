"""One row per canonical URL: what the warehouse holds of each article, and superseding older versions.

A re-crawled article that changed upstream is written (as the next version) into the partition of the run that
fetched it; once that partition is published, `supersede` takes the older row out of its own partition file, each
file replaced atomically. A crash in between leaves the older row until the next publish or `warta compact` of the
portal, which run `supersede` again: nothing is ever lost, and the state heals.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from transforms.versioning import Prior, content_hash
from warehouse.location import resolve
from warehouse.schemas import ARTICLES
from warehouse.store import PartitionKey, readable_parts

log = logging.getLogger("warta.warehouse")
COLUMNS = ["url", "version", "content_hash", "fetched_at", "first_fetched_at"]


def _version_rows(path: str, fs) -> list[dict]:
    """A file's (url, version, content_hash, fetched_at, first_fetched_at) rows; files from before versioning are v1."""
    table = pq.read_table(path, columns=COLUMNS, schema=ARTICLES, filesystem=fs)
    if table.column("content_hash").null_count:  # written before content_hash existed: hash what it holds
        text = pq.read_table(path, columns=["title", "body"], schema=ARTICLES, filesystem=fs)
        hashes = [content_hash(t, b) for t, b in zip(text.column("title").to_pylist(), text.column("body").to_pylist())]
        table = table.set_column(2, "content_hash", pc.coalesce(table.column("content_hash"), pa.array(hashes)))
    rows = table.to_pylist()
    for row in rows:
        row["version"] = row["version"] or 1
    return rows


def _newer(a: dict, b: dict) -> bool:
    """Is row a a newer version than row b (higher version, then later fetch)?"""
    never = pa.scalar(0, pa.timestamp("us", tz="UTC")).as_py()
    return (a["version"], a["fetched_at"] or never) > (b["version"], b["fetched_at"] or never)


def known_versions(portal: str, key: PartitionKey | None = None, root: str | Path | None = None) -> dict[str, Prior]:
    """The newest row held per URL of a portal; `in_this_partition` marks rows of the partition `key` (a rerun)."""
    loc = resolve(root)
    own = loc.join(key.relpath("articles")) if key else None
    newest: dict[str, tuple[dict, str]] = {}
    for path in readable_parts("articles", root, portal):
        for row in _version_rows(path, loc.fs):
            held = newest.get(row["url"])
            if held is None or _newer(row, held[0]):
                newest[row["url"]] = (row, path)
    return {url: Prior(row["version"], row["content_hash"], row["fetched_at"], row["first_fetched_at"], path == own)
            for url, (row, path) in newest.items()}


def supersede(portal: str, root: str | Path | None = None) -> int:
    """Remove every row of a portal that a newer version of the same URL replaces; return how many were removed.

    Columnar (url, version, fetched_at only), so its memory stays small however many runs the portal has.
    """
    from warehouse.compact import keep_newest

    loc = resolve(root)
    paths = readable_parts("articles", root, portal)
    if not paths:
        return 0
    pieces = []
    for index, path in enumerate(paths):
        piece = pq.read_table(path, columns=["url", "version", "fetched_at"], schema=ARTICLES, filesystem=loc.fs)
        pieces.append(piece.append_column("file", pa.repeat(pa.scalar(index, pa.int32()), piece.num_rows)))
    rows = pa.concat_tables(pieces)
    rows = rows.set_column(1, "version", pc.coalesce(rows.column("version"), pa.scalar(1, pa.int32())))
    rows = rows.sort_by([("url", "ascending"), ("version", "descending"), ("fetched_at", "descending")])
    if not rows.num_rows:
        return 0
    urls = rows.column("url").combine_chunks()
    # after the sort, a URL's first row is its newest version; every further row of that URL is stale
    newest = pa.concat_arrays([pa.array([True]), pc.not_equal(urls.slice(1), urls.slice(0, len(urls) - 1))])
    stale = rows.filter(pc.invert(newest))
    if not stale.num_rows:
        return 0
    keepers = rows.filter(pc.and_(newest, pc.is_in(urls, stale.column("url"))))
    keep = {u: (v, f) for u, v, f in zip(*(keepers.column(c).to_pylist() for c in ("url", "version", "fetched_at")))}
    removed = 0
    for index in sorted(set(stale.column("file").to_pylist())):
        count = keep_newest(loc, paths[index], "articles", keep)
        removed += count
        log.info("superseded %d older article version(s) in %s", count, loc.uri(paths[index]))
    return removed
