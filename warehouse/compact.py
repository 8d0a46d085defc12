"""`warta compact`: fold a month folder's many small run files into one, without changing any query's answer.

A month, not a day, is the unit: a portal's day is a few hundred rows, and a query pays ~0.4 ms per file it opens
(measured: 3,000 files of the same rows cost 17x one file), so years of day files would make every query slow.
The files of days not closed yet (`before`) stay loose; the daily job folds each day in as it closes.

The compacted file (part-compacted.parquet) records in its metadata which run files it holds and at which rows,
so (1) a crash after it is renamed into place but before the run files are removed double-counts nothing in our
readers (claimed files are skipped, and the next compaction removes them), and (2) a later rerun of a compacted
run first takes that run's rows out of the compacted file, keeping the partition the unit of idempotence.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.location import Location, resolve
from warehouse.schemas import SCHEMAS

COMPACTED = "part-compacted.parquet"
CLAIMS_KEY = b"warta.compacted_parts"
log = logging.getLogger("warta.warehouse")


def claims(loc: Location, folder: str) -> list[dict]:
    """The run files a folder's compacted file holds: [{"name", "start", "rows"}], [] when there is none."""
    path = f"{folder}/{COMPACTED}"
    if not loc.exists(path):
        return []
    metadata = pq.read_schema(path, filesystem=loc.fs).metadata or {}
    return json.loads(metadata.get(CLAIMS_KEY, b"[]"))


def _write_compacted(loc: Location, folder: str, dataset: str, pieces: list[tuple[str, pa.Table]]) -> None:
    """Write the compacted file from (run file name, rows) pieces, atomically."""
    parts, start = [], 0
    for name, table in pieces:
        parts.append({"name": name, "start": start, "rows": table.num_rows})
        start += table.num_rows
    schema = SCHEMAS[dataset].with_metadata({**(SCHEMAS[dataset].metadata or {}), CLAIMS_KEY: json.dumps(parts).encode()})
    table = pa.concat_tables([t.cast(SCHEMAS[dataset]) for _, t in pieces]).replace_schema_metadata(schema.metadata)
    loc.replace_file(f"{folder}/{COMPACTED}", table)


def _pieces(loc: Location, folder: str, dataset: str) -> list[tuple[str, pa.Table]]:
    """The compacted file's pieces (by claim) followed by the run files not yet in it."""
    pieces, claimed = [], claims(loc, folder)
    if claimed:
        held = pq.read_table(f"{folder}/{COMPACTED}", filesystem=loc.fs, schema=SCHEMAS[dataset])
        pieces = [(c["name"], held.slice(c["start"], c["rows"])) for c in claimed]
    names = {c["name"] for c in claimed}
    for path in loc.files(folder[len(loc.base):]):
        name = path.rsplit("/", 1)[1]
        if name.startswith("part-") and name != COMPACTED and name not in names:
            pieces.append((name, pq.read_table(path, filesystem=loc.fs, schema=SCHEMAS[dataset])))
    return pieces


def run_date_of(name: str) -> str:
    """The run date in a run file's name (part-<YYYY-MM-DD>-<interval>.parquet)."""
    return name[len("part-"):len("part-") + 10]


def compact_folder(loc: Location, folder: str, dataset: str, before: str | None = None) -> int:
    """Fold a month folder's run files (of days before `before`) into its compacted file; return how many."""
    claimed = {c["name"] for c in claims(loc, folder)}
    pieces = [(n, t) for n, t in _pieces(loc, folder, dataset)
              if n in claimed or not before or run_date_of(n) < before]
    loose = [name for name, _ in pieces if name not in claimed]
    if not loose and not any(loc.exists(f"{folder}/{c['name']}") for c in claims(loc, folder)):
        return 0
    if loose:
        _write_compacted(loc, folder, dataset, sorted(pieces, key=lambda p: p[0]))
    for name, _ in pieces:  # the compacted file holds them now (also after a crash here)
        if loc.exists(f"{folder}/{name}"):
            loc.fs.delete_file(f"{folder}/{name}")
    return len(loose)


def release(loc: Location, folder: str, dataset: str, name: str) -> None:
    """Take one run file's rows out of the compacted file, before that run is written again."""
    claimed = claims(loc, folder)
    if not any(c["name"] == name for c in claimed):
        return
    pieces = [p for p in _pieces(loc, folder, dataset) if p[0] != name and p[0] in {c["name"] for c in claimed}]
    if pieces:
        _write_compacted(loc, folder, dataset, pieces)
    else:
        loc.fs.delete_file(f"{folder}/{COMPACTED}")


DAY_FOLDER = re.compile(r"/portal=[^/]+/(?P<folder>run_date=(?P<date>\d{4}-\d{2}-\d{2}))/(?P<name>part-[^/]+)$")


def migrate_day_folders(loc: Location, dataset: str) -> int:
    """Move files of the old layout (portal=<p>/run_date=<d>/part-<x>) into month folders; return how many.

    An old compacted day file goes back to its run files (by its claims) for the month's compaction to fold.
    """
    moved = 0
    for path in loc.files(dataset):
        found = DAY_FOLDER.search(path)
        if not found:
            continue
        day, name = found["date"], found["name"]
        month_folder = path[: found.start("folder")] + f"run_month={day[:7]}"
        loc.fs.create_dir(month_folder, recursive=True)
        if name == COMPACTED:
            held = pq.read_table(path, filesystem=loc.fs, schema=SCHEMAS[dataset])
            for claim in claims(loc, path.rsplit("/", 1)[0]):
                piece = held.slice(claim["start"], claim["rows"]).replace_schema_metadata(SCHEMAS[dataset].metadata)
                loc.replace_file(f"{month_folder}/part-{day}-{claim['name'][len('part-'):]}", piece)
            loc.fs.delete_file(path)
        else:
            loc.fs.move(path, f"{month_folder}/part-{day}-{name[len('part-'):]}")
        moved += 1
    if moved:
        log.info("moved %d %s files from day folders into month folders", moved, dataset)
    return moved


def compact(dataset: str, root: str | Path | None = None, before: str | None = None) -> dict:
    """Compact every month folder of a dataset (only run files of days before `before`, if given); files folded per
    folder. Also upgrades the warehouse: old day folders move into month folders, older files get today's schema."""
    from warehouse.uniform import is_uniform, mark_uniform, upgrade_files

    loc = resolve(root)
    migrate_day_folders(loc, dataset)
    files = [p.rsplit("/", 1) for p in loc.files(dataset)]
    folders = sorted({folder for folder, name in files if name.startswith("part-") and name != COMPACTED
                      and (not before or run_date_of(name) < before)})  # leave the days still being written alone
    done = {}
    for folder in folders:
        folded = compact_folder(loc, folder, dataset, before)
        if folded:
            done[folder[len(loc.base):].lstrip("/")] = folded
            log.info("compacted %d files in %s", folded, loc.uri(folder))
    if dataset == "articles":  # heal what a crash between a publish and its supersede left: one row per URL
        from warehouse.versions import supersede

        for portal in sorted({p.split("portal=", 1)[1].split("/", 1)[0] for p in loc.files(dataset) if "portal=" in p}):
            supersede(portal, loc)
    if loc.files(dataset) and not is_uniform(loc, dataset):
        parts = [p for p in loc.files(dataset) if p.rsplit("/", 1)[1].startswith("part-")]
        log.info("%d %s files rewritten with the current schema", upgrade_files(loc, dataset, parts), dataset)
        mark_uniform(loc, dataset)
    return done


def keep_newest(loc: Location, path: str, dataset: str, keep: dict[str, tuple]) -> int:
    """Rewrite one file (run file or compacted) without the rows that are not the newest version of their URL.

    keep: url -> (version, fetched_at) of the row to keep. Returns how many rows were removed.
    """
    folder, name = path.rsplit("/", 1)

    def newest_only(table: pa.Table) -> pa.Table:
        versions = [v or 1 for v in table.column("version").to_pylist()]
        wanted = [keep.get(u) in (None, (v, f)) for u, v, f in
                  zip(table.column("url").to_pylist(), versions, table.column("fetched_at").to_pylist())]
        return table.filter(pa.array(wanted, pa.bool_()))

    if name == COMPACTED:
        pieces = [(n, t) for n, t in _pieces(loc, folder, dataset) if n in {c["name"] for c in claims(loc, folder)}]
        kept = [(n, newest_only(t)) for n, t in pieces]
        _write_compacted(loc, folder, dataset, kept)
        return sum(t.num_rows for _, t in pieces) - sum(t.num_rows for _, t in kept)
    table = pq.read_table(path, filesystem=loc.fs, schema=SCHEMAS[dataset])
    kept = newest_only(table)
    loc.replace_file(path, kept.replace_schema_metadata(SCHEMAS[dataset].metadata))
    return table.num_rows - kept.num_rows
