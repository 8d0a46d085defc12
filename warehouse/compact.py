"""`warta compact`: fold a year folder's many small run files into a few, without changing any query's answer.

A query pays for every file it opens (the same 100,000 rows in 3,000 files cost 17x one file), and a regional
portal writes a few hundred rows a day, so run files are folded in two tiers: the closed days of the current year
into one file per month (`part-compacted-<YYYY-MM>.parquet`, rewritten as each day closes), and a closed year into
one file (`part-compacted-<YYYY>.parquet`, its month files absorbed once). Years of data stay a few files per portal.
The files of days not closed yet (`before`) stay loose.

A compacted file records in its metadata which run files it holds and at which rows, so (1) a crash after it is
renamed into place but before the files it absorbed are removed double-counts nothing in our readers (claimed run
files, and month files a year file holds, are skipped; the next compaction removes them), and (2) a later rerun of
a compacted run first takes that run's rows out of its compacted file, keeping the run the unit of idempotence.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.location import Location, resolve
from warehouse.schemas import SCHEMAS

COMPACTED_PREFIX = "part-compacted-"
CLAIMS_KEY = b"warta.compacted_parts"
log = logging.getLogger("warta.warehouse")


def is_compacted(name: str) -> bool:
    """Is this file name a compacted file's (part-compacted-<period>.parquet)?"""
    return name.startswith(COMPACTED_PREFIX)


def compacted_name(period: str) -> str:
    """The compacted file of a period: YYYY (a closed year) or YYYY-MM (closed days of the current year)."""
    return f"{COMPACTED_PREFIX}{period}.parquet"


def run_date_of(name: str) -> str:
    """The run date in a run file's name (part-<YYYY-MM-DD>-<interval>.parquet)."""
    return name[len("part-"):len("part-") + 10]


def _names(loc: Location, folder: str) -> list[str]:
    return [p.rsplit("/", 1)[1] for p in loc.files(folder[len(loc.base):])]


def held_claims(loc: Location, folder: str) -> dict[str, list[dict]]:
    """Each compacted file of a folder -> the run files it holds: [{"name", "start", "rows"}]."""
    held = {}
    for name in _names(loc, folder):
        if is_compacted(name):
            metadata = pq.read_schema(f"{folder}/{name}", filesystem=loc.fs).metadata or {}
            held[name] = json.loads(metadata.get(CLAIMS_KEY, b"[]"))
    return held


def _period_of(name: str) -> str:
    """The period a compacted file holds: YYYY or YYYY-MM."""
    return name[len(COMPACTED_PREFIX):-len(".parquet")]


def _absorbed(held: dict[str, list[dict]]) -> set[str]:
    """Month files whose every run a year file holds too (left by a crash after the year was written)."""
    years = {_period_of(n): {c["name"] for c in cs} for n, cs in held.items() if len(_period_of(n)) == 4}
    return {n for n, cs in held.items() if len(_period_of(n)) == 7
            and {c["name"] for c in cs} <= years.get(_period_of(n)[:4], set())}


def claims(loc: Location, folder: str) -> list[dict]:
    """The run files the folder's live compacted files hold, each claim naming its compacted file ("file")."""
    held = held_claims(loc, folder)
    skip = _absorbed(held)
    return [dict(c, file=f) for f, cs in sorted(held.items()) if f not in skip for c in cs]


def hidden_names(loc: Location, folder: str) -> set[str]:
    """Files of a folder that readers skip: run files a compacted file holds, and absorbed month files."""
    held = held_claims(loc, folder)
    skip = _absorbed(held)
    return skip | {c["name"] for f, cs in held.items() if f not in skip for c in cs}


FLUSH_BYTES = 64 * 2**20  # a row group is written once this much is buffered: memory stays flat however big a year


def _write_compacted(loc: Location, folder: str, dataset: str, pieces: list[tuple], name: str) -> None:
    """Write one compacted file, atomically, streaming its pieces: (run name, table) or (run name, rows, load)."""
    pieces = [p if len(p) == 3 else (p[0], p[1].num_rows, (lambda t=p[1]: t)) for p in pieces]
    parts, start = [], 0
    for run, rows, _ in pieces:
        parts.append({"name": run, "start": start, "rows": rows})
        start += rows
    schema = SCHEMAS[dataset].with_metadata({**(SCHEMAS[dataset].metadata or {}), CLAIMS_KEY: json.dumps(parts).encode()})
    path = f"{folder}/{name}"
    tmp = f"{folder}/.tmp-{name}" if loc.local else path
    with loc.fs.open_output_stream(tmp) as sink, pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        buffer: list[pa.Table] = []
        for _, _, load in pieces:
            buffer.append(load().cast(SCHEMAS[dataset]).replace_schema_metadata(schema.metadata))
            if sum(t.nbytes for t in buffer) >= FLUSH_BYTES or sum(t.num_rows for t in buffer) >= 50_000:
                writer.write_table(pa.concat_tables(buffer), row_group_size=50_000)
                buffer = []
        if buffer:
            writer.write_table(pa.concat_tables(buffer), row_group_size=50_000)
    if tmp != path:
        loc.fs.move(tmp, path)


def _held_pieces(loc: Location, folder: str, dataset: str, name: str, claimed: list[dict]) -> list[tuple[str, pa.Table]]:
    """The (run, rows) pieces a compacted file holds, loaded."""
    return [(run, load()) for run, _, load in _loaders(loc, folder, dataset, [(c["name"], name, c) for c in claimed])]


def _period(day_or_month: str, before: str | None) -> str:
    """Where closed days' rows go: their year's file once the year is over, else their month's."""
    boundary = before or date.today().isoformat()
    return day_or_month[:4] if boundary[:4] > day_or_month[:4] else day_or_month[:7]


def _loaders(loc: Location, folder: str, dataset: str, plan: list[tuple]) -> list[tuple]:
    """(run, rows, load) per piece, grouped by the file holding it; one source file is in memory at a time."""
    cache: dict[str, pa.Table] = {}

    def load(run: str, source: str | None, claim: dict | None):
        if source is None:
            return pq.read_table(f"{folder}/{run}", filesystem=loc.fs, schema=SCHEMAS[dataset])
        if source not in cache:
            cache.clear()
            cache[source] = pq.read_table(f"{folder}/{source}", filesystem=loc.fs, schema=SCHEMAS[dataset])
        return cache[source].slice(claim["start"], claim["rows"])

    ordered = sorted(plan, key=lambda p: (p[1] or "", p[0]))
    return [(run, claim["rows"] if claim else pq.read_metadata(f"{folder}/{run}", filesystem=loc.fs).num_rows,
             (lambda r=run, s=source, c=claim: load(r, s, c))) for run, source, claim in ordered]


def compact_folder(loc: Location, folder: str, dataset: str, before: str | None = None) -> int:
    """Fold a folder's run files of days before `before` (and month files of a closed year) into their compacted
    files; return how many files were folded."""
    held = held_claims(loc, folder)
    absorbed = _absorbed(held)
    claimed = {c["name"] for f, cs in held.items() if f not in absorbed for c in cs}
    names = _names(loc, folder)
    loose = [n for n in names if n.startswith("part-") and not is_compacted(n) and n not in claimed
             and (not before or run_date_of(n) < before)]
    plan: dict[str, list[tuple[str, str | None, dict | None]]] = defaultdict(list)  # period -> (run, source, claim)
    changed, folded_files = set(), set()
    for name, cs in held.items():
        if name in absorbed:
            continue
        period = _period_of(name)
        target = _period(period, before) if len(period) == 7 else period
        plan[target] += [(c["name"], name, c) for c in cs]
        if target != period:
            changed.add(target)
            folded_files.add(name)
    for run in loose:
        target = _period(run_date_of(run), before)
        plan[target].append((run, None, None))
        changed.add(target)
    for period in sorted(changed):
        _write_compacted(loc, folder, dataset, _loaders(loc, folder, dataset, plan[period]), compacted_name(period))
    # Only now remove what the compacted files hold (a crash before this double-counts nothing in our readers).
    leftovers = [n for n in names if n in claimed and not is_compacted(n)]
    for name in sorted(folded_files | absorbed) + loose + leftovers:
        if loc.exists(f"{folder}/{name}"):
            loc.fs.delete_file(f"{folder}/{name}")
    return len(loose) + len(folded_files)


def release(loc: Location, folder: str, dataset: str, name: str) -> None:
    """Take one run file's rows out of the compacted file holding them, before that run is written again."""
    for file, cs in held_claims(loc, folder).items():
        if not any(c["name"] == name for c in cs):
            continue
        rest = [c for c in cs if c["name"] != name]
        if rest:
            _write_compacted(loc, folder, dataset, _loaders(loc, folder, dataset, [(c["name"], file, c) for c in rest]),
                             file)
        else:
            loc.fs.delete_file(f"{folder}/{file}")


DAY_FOLDER = re.compile(r"/portal=[^/]+/(?P<folder>run_date=(?P<date>\d{4}-\d{2}-\d{2}))/(?P<name>part-[^/]+)$")


def migrate_day_folders(loc: Location, dataset: str) -> int:
    """Move files of the old layout (portal=<p>/run_date=<d>/part-<x>) into year folders; return how many.

    An old compacted day file goes back to its run files (by its claims) for the year folder's compaction to fold.
    """
    moved = 0
    for path in loc.files(dataset):
        found = DAY_FOLDER.search(path)
        if not found:
            continue
        day, name = found["date"], found["name"]
        month_folder = path[: found.start("folder")] + f"run_year={day[:4]}"
        loc.fs.create_dir(month_folder, recursive=True)
        if name == "part-compacted.parquet":
            held = pq.read_table(path, filesystem=loc.fs, schema=SCHEMAS[dataset])
            metadata = pq.read_schema(path, filesystem=loc.fs).metadata or {}
            for claim in json.loads(metadata.get(CLAIMS_KEY, b"[]")):
                piece = held.slice(claim["start"], claim["rows"]).replace_schema_metadata(SCHEMAS[dataset].metadata)
                loc.replace_file(f"{month_folder}/part-{day}-{claim['name'][len('part-'):]}", piece)
            loc.fs.delete_file(path)
        else:
            loc.fs.move(path, f"{month_folder}/part-{day}-{name[len('part-'):]}")
        moved += 1
    if moved:
        log.info("moved %d %s files from day folders into year folders", moved, dataset)
    return moved


def compact(dataset: str, root: str | Path | None = None, before: str | None = None) -> dict:
    """Compact every year folder of a dataset (only run files of days before `before`, if given); files folded per
    folder. Also upgrades the warehouse: old day folders move into year folders, older files get today's schema."""
    from warehouse.uniform import is_uniform, mark_uniform, upgrade_files

    loc = resolve(root)
    migrate_day_folders(loc, dataset)
    files = [p.rsplit("/", 1) for p in loc.files(dataset)]
    folders = sorted({folder for folder, name in files if name.startswith("part-")})
    done = {}
    for folder in folders:
        folded = compact_folder(loc, folder, dataset, before)
        if folded:
            done[folder[len(loc.base):].lstrip("/")] = folded
            log.info("compacted %d files in %s", folded, loc.uri(folder))
    if dataset == "articles":  # heal what a crash between a publish and its supersede left: one row per URL
        from warehouse.versions import supersede

        for portal in sorted({f.split("portal=", 1)[1].split("/", 1)[0] for f in folders if "portal=" in f}):
            supersede(portal, loc)
    if folders and not is_uniform(loc, dataset):
        parts = [p for p in loc.files(dataset) if p.rsplit("/", 1)[1].startswith("part-")]  # after the folding
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

    if is_compacted(name):
        pieces = _held_pieces(loc, folder, dataset, name, held_claims(loc, folder)[name])
        kept = [(n, newest_only(t)) for n, t in pieces]
        _write_compacted(loc, folder, dataset, kept, name)
        return sum(t.num_rows for _, t in pieces) - sum(t.num_rows for _, t in kept)
    table = pq.read_table(path, filesystem=loc.fs, schema=SCHEMAS[dataset])
    kept = newest_only(table)
    loc.replace_file(path, kept.replace_schema_metadata(SCHEMAS[dataset].metadata))
    return table.num_rows - kept.num_rows
