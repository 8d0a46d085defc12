"""Crash safety, concurrent writers, corrupt files, schema evolution, and the analysts' reader."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq

from tests.conftest import ROOT
from tests.test_transforms import article_table
from warehouse import PartitionKey, read_articles, read_dataset, write_partition
from warehouse.schemas import ARTICLES, SCHEMAS

KEY = PartitionKey("suaralampung", "2026-11-28", "0800")

SLOW_WRITER = """
import sys, time
import pyarrow as pa
from warehouse import PartitionKey, PartitionWriter
from warehouse.schemas import REJECTS
from datetime import datetime, timezone
root, portal = sys.argv[1], sys.argv[2]
now = datetime.now(timezone.utc)
with PartitionWriter("rejects", PartitionKey(portal, "2026-11-28", "0800"), root) as writer:
    for batch in range(int(sys.argv[3])):
        rows = [{"url": f"https://{portal}/{batch}/{i}", "reason": "no_body", "detail": "x" * 200, "title": None,
                 "published_raw": None, "fetched_at": now, "run_id": "r"} for i in range(2000)]
        writer.write(pa.Table.from_pylist(rows, schema=REJECTS))
        print("batch", batch, flush=True)
        time.sleep(float(sys.argv[4]))
"""


def writer_process(root, portal: str, batches: int, pause: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(root), portal, str(batches), str(pause)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_writer_killed_mid_write_leaves_nothing_a_reader_can_see(tmp_path):
    proc = writer_process(tmp_path, "killed", batches=1000, pause=0.05)
    for _ in range(3):
        assert proc.stdout.readline().startswith("batch")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert read_dataset("rejects", tmp_path).num_rows == 0
    folder = KEY.path("rejects", tmp_path).parent.parent.parent / "portal=killed" / "run_year=2026"
    leftovers = [p.name for p in folder.iterdir()]
    assert leftovers and all(name.startswith(".tmp-") for name in leftovers)  # hidden, never read


def test_two_writers_for_different_portals_never_clobber_each_other(tmp_path):
    procs = [writer_process(tmp_path, portal, batches=5, pause=0.01) for portal in ("a.id", "b.id")]
    for proc in procs:
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    table = read_dataset("rejects", tmp_path)
    counts = {p: table.column("portal").to_pylist().count(p) for p in ("a.id", "b.id")}
    assert counts == {"a.id": 10_000, "b.id": 10_000}


def test_a_corrupt_file_is_named_and_quarantined_not_read_as_empty(tmp_path, caplog):
    write_partition("articles", article_table(["https://x/1"]), KEY, tmp_path)
    bad = PartitionKey("suaralampung", "2026-11-28", "0900").path("articles", tmp_path)
    bad.write_bytes(b"PAR1 this is not parquet at all")
    with caplog.at_level("ERROR", logger="warta.warehouse"):
        table = read_dataset("articles", tmp_path)
    assert table.column("url").to_pylist() == ["https://x/1"]
    assert "part-2026-11-28-0900.parquet" in caplog.text and "corrupt" in caplog.text
    assert not bad.exists() and list((tmp_path / "_quarantine").rglob("part-2026-11-28-0900.parquet"))


def test_files_written_before_a_column_was_added_still_read(tmp_path):
    old_schema = pa.schema([f for f in ARTICLES if f.name not in ("regions", "image_url")])
    old = article_table(["https://x/old"]).select(old_schema.names).cast(old_schema)
    path = KEY.path("articles", tmp_path)
    path.parent.mkdir(parents=True)
    pq.write_table(old, path)
    write_partition("articles", article_table(["https://x/new"]), PartitionKey("suaralampung", "2026-11-28", "b"), tmp_path)
    table = read_dataset("articles", tmp_path)
    assert sorted(table.column("url").to_pylist()) == ["https://x/new", "https://x/old"]
    old_row = table.filter(pa.compute.equal(table.column("url"), "https://x/old")).to_pylist()[0]
    assert old_row["regions"] is None and old_row["image_url"] is None


def test_declared_schemas_only_grow():
    """A breaking change (a column dropped, renamed or retyped) is refused; new columns are fine."""
    snapshot = json.loads((ROOT / "warehouse" / "schema_snapshot.json").read_text())
    for dataset, columns in snapshot.items():
        current = {f.name: str(f.type) for f in SCHEMAS[dataset]}
        for name, kind in columns.items():
            assert current.get(name) == kind, f"{dataset}.{name} was {kind}, now {current.get(name)}: a breaking change"


def test_read_articles_filters_and_keeps_the_newest_version(tmp_path):
    rows = article_table(["https://x/1", "https://x/2", "https://x/3"]).to_pylist()
    rows[0].update(published_at=datetime(2026, 1, 5, tzinfo=timezone.utc), dimensions=["governance"],
                   regions=[{"code": "18.72", "name": "Kota Metro", "level": "city"}], title="v1")
    rows[1].update(published_at=datetime(2026, 2, 5, tzinfo=timezone.utc), dimensions=["economy"], regions=[])
    rows[2].update(published_at=datetime(2026, 3, 5, tzinfo=timezone.utc), dimensions=[], regions=[])
    write_partition("articles", pa.Table.from_pylist(rows, schema=ARTICLES), KEY, tmp_path)
    newer = dict(rows[0], title="v2", fetched_at=datetime(2026, 11, 29, tzinfo=timezone.utc))
    write_partition("articles", pa.Table.from_pylist([newer], schema=ARTICLES),
                    PartitionKey("suaralampung", "2026-11-29", "x"), tmp_path)
    everything = read_articles(root=tmp_path)
    assert everything.num_rows == 3 and everything.column("title").to_pylist()[0] == "v2"
    assert read_articles(start="2026-02-01", end="2026-03-01", root=tmp_path).column("url").to_pylist() == ["https://x/2"]
    assert read_articles(dimensions=["governance"], root=tmp_path).column("url").to_pylist() == ["https://x/1"]
    assert read_articles(regions=["18"], root=tmp_path).column("url").to_pylist() == ["https://x/1"]
    assert read_articles(portals=["other"], root=tmp_path).num_rows == 0
    assert read_articles(columns=["url", "portal"], root=tmp_path).column_names == ["url", "portal"]
