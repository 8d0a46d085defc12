"""Does every file of a dataset have today's schema? Then readers need no by-name union of file schemas.

DuckDB's `union_by_name` reads every file's footer before a query starts (measured: 0.33 s instead of 0.23 s over
488 files of 1M articles, with a flat file at 0.19 s). It is needed only while files written before a column was
added remain. `<dataset>/_schema.json` holds the column names every file of the dataset has:
- a dataset's first writer writes it (every writer writes the current schema);
- `warta compact` rewrites older files to the current schema (new columns null) and then writes it;
- a reader compares it with the current schema: a missing or different marker means "union by name".
"""

from __future__ import annotations

import json

import pyarrow.fs as pafs
import pyarrow.parquet as pq

from warehouse.location import Location
from warehouse.schemas import SCHEMAS

MARKER = "_schema.json"


def _current(dataset: str) -> list[str]:
    return [f"{f.name}:{f.type}" for f in SCHEMAS[dataset]]


def is_uniform(loc: Location, dataset: str) -> bool:
    """True when every file of the dataset is known to have the current schema."""
    path = loc.join(dataset, MARKER)
    if not loc.exists(path):
        return False
    with loc.fs.open_input_stream(path) as stream:
        return json.loads(stream.read()) == _current(dataset)


def mark_uniform(loc: Location, dataset: str) -> None:
    """Record that every file of the dataset has the current schema."""
    loc.fs.create_dir(loc.join(dataset), recursive=True)
    with loc.fs.open_output_stream(loc.join(dataset, MARKER)) as out:
        out.write(json.dumps(_current(dataset)).encode())


def is_new_dataset(loc: Location, dataset: str) -> bool:
    """No file of the dataset exists yet (its first writer may mark it uniform)."""
    return loc.fs.get_file_info(loc.join(dataset)).type == pafs.FileType.NotFound


def upgrade_files(loc: Location, dataset: str, paths: list[str]) -> int:
    """Rewrite the files whose schema is not the current one (added columns as nulls, metadata kept); count them."""
    schema, upgraded = SCHEMAS[dataset], 0
    for path in paths:
        found = pq.read_schema(path, filesystem=loc.fs)
        if [f"{f.name}:{f.type}" for f in found] == _current(dataset):
            continue
        table = pq.read_table(path, schema=schema, filesystem=loc.fs)
        ours = {k: v for k, v in (found.metadata or {}).items() if k.startswith(b"warta.")}  # compaction claims
        loc.replace_file(path, table.replace_schema_metadata({**(schema.metadata or {}), **ours}))
        upgraded += 1
    return upgraded
