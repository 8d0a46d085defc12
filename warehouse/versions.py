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
def newest_first(table: pa.Table) -> tuple[pa.Table, pa.Array]:
    """Rows sorted by URL, each URL's newest version first (higher version - null read as 1 - then later fetch),
    and a mask marking that newest row of every URL."""
    keys = [("url", "ascending"), ("fetched_at", "descending")]
    if "version" in table.column_names:
        table = table.set_column(table.column_names.index("version"), "version",
                                 pc.coalesce(table.column("version"), pa.scalar(1, pa.int32())))
        keys.insert(1, ("version", "descending"))
    table = table.sort_by(keys)
    if not table.num_rows:
        return table, pa.array([], pa.bool_())
    urls = table.column("url").combine_chunks()
    return table, pa.concat_arrays([pa.array([True]), pc.not_equal(urls.slice(1), urls.slice(0, len(urls) - 1))])


def _portal_rows(portal: str, root, columns: list[str]) -> tuple[list[str], pa.Table]:
    """The portal's article files, and the given columns of all their rows with a `file` index into that list."""
    loc = resolve(root)
    paths = readable_parts("articles", root, portal)
    pieces = []
    for index, path in enumerate(paths):
        piece = pq.read_table(path, columns=columns, schema=ARTICLES, filesystem=loc.fs)
        if "content_hash" in columns and piece.column("content_hash").null_count:
            # written before content_hash existed: hash what it holds
            text = pq.read_table(path, columns=["title", "body"], schema=ARTICLES, filesystem=loc.fs)
            hashes = pa.array([content_hash(t, b) for t, b in
                               zip(text.column("title").to_pylist(), text.column("body").to_pylist())])
            piece = piece.set_column(columns.index("content_hash"), "content_hash",
                                     pc.coalesce(piece.column("content_hash"), hashes))
        pieces.append(piece.append_column("file", pa.repeat(pa.scalar(index, pa.int32()), piece.num_rows)))
    schema = pa.schema([ARTICLES.field(c) for c in columns] + [("file", pa.int32())])
    return paths, pa.concat_tables(pieces) if pieces else schema.empty_table()


def known_versions(portal: str, key: PartitionKey | None = None, root: str | Path | None = None) -> dict[str, Prior]:
    """The newest row held per URL of a portal; `in_this_partition` marks rows of the partition `key` (a rerun)."""
    loc = resolve(root)
    own = loc.join(key.relpath("articles")) if key else None
    columns = ["url", "version", "content_hash", "fetched_at", "first_fetched_at"]
    paths, rows = _portal_rows(portal, root, columns)
    rows, newest = newest_first(rows)
    return {row["url"]: Prior(row["version"], row["content_hash"], row["fetched_at"], row["first_fetched_at"],
                              paths[row["file"]] == own) for row in rows.filter(newest).to_pylist()}


def supersede(portal: str, root: str | Path | None = None) -> int:
    """Remove every row of a portal that a newer version of the same URL replaces; return how many were removed.

    Columnar (url, version, fetched_at only), so its memory stays small however many runs the portal has.
    """
    from warehouse.compact import keep_newest

    loc = resolve(root)
    paths, rows = _portal_rows(portal, root, ["url", "version", "fetched_at"])
    rows, newest = newest_first(rows)
    stale = rows.filter(pc.invert(newest))
    if not stale.num_rows:
        return 0
    keepers = rows.filter(pc.and_(newest, pc.is_in(rows.column("url"), stale.column("url"))))
    keep = {u: (v, f) for u, v, f in zip(*(keepers.column(c).to_pylist() for c in ("url", "version", "fetched_at")))}
    removed = 0
    for index in sorted(set(stale.column("file").to_pylist())):
        count = keep_newest(loc, paths[index], "articles", keep)
        removed += count
        log.info("superseded %d older article version(s) in %s", count, loc.uri(paths[index]))
    return removed
