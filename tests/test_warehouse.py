"""The warehouse: declared schemas enforced, atomic partition files, idempotent reruns."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from warehouse import PartitionKey, PartitionWriter, SchemaMismatchError, read_dataset, write_partition
from warehouse.schemas import REJECTS
from warehouse.store import seen_urls

KEY = PartitionKey("suaralampung", "2026-11-28", "0800")
NOW = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)


def rejects(*urls: str) -> pa.Table:
    return pa.Table.from_pylist(
        [{"url": u, "reason": "no_body", "detail": "", "title": None, "published_raw": None, "fetched_at": NOW,
          "run_id": "r1"} for u in urls], schema=REJECTS)


def test_partition_path_is_hive_style(tmp_path):
    path = Path(write_partition("rejects", rejects("https://a/1"), KEY, tmp_path))
    assert path == tmp_path / "rejects/portal=suaralampung/run_year=2026/part-2026-11-28-0800.parquet"
    table = read_dataset("rejects", tmp_path)
    assert table.column("portal").to_pylist() == ["suaralampung"]
    assert table.column("run_year").to_pylist() == ["2026"]
    assert "portal" not in pq.read_schema(path).names  # the path carries it, not the file


def test_rewriting_a_partition_replaces_it_instead_of_adding_rows(tmp_path):
    write_partition("rejects", rejects("https://a/1", "https://a/2"), KEY, tmp_path)
    write_partition("rejects", rejects("https://a/1", "https://a/2"), KEY, tmp_path)
    assert read_dataset("rejects", tmp_path).num_rows == 2
    other = PartitionKey("suaralampung", "2026-11-28", "0900")
    write_partition("rejects", rejects("https://a/3"), other, tmp_path)
    assert sorted(read_dataset("rejects", tmp_path).column("url").to_pylist()) == ["https://a/1", "https://a/2", "https://a/3"]


def test_an_unknown_column_or_wrong_type_is_refused_before_writing(tmp_path):
    bad = rejects("https://a/1").append_column("surprise", pa.array([1]))
    with pytest.raises(SchemaMismatchError, match="unknown columns \\['surprise'\\]"):
        write_partition("rejects", bad, KEY, tmp_path)
    wrong = rejects("https://a/1").set_column(1, "reason", pa.array([42]))
    with pytest.raises(SchemaMismatchError, match="rejects.reason: type int64"):
        write_partition("rejects", wrong, KEY, tmp_path)
    nulls = rejects("https://a/1").set_column(0, "url", pa.array([None], pa.string()))
    with pytest.raises(SchemaMismatchError, match="null values"):
        write_partition("rejects", nulls, KEY, tmp_path)
    assert not (tmp_path / "rejects").exists() or not list((tmp_path / "rejects").rglob("*.parquet"))


def test_a_failed_write_leaves_the_previous_partition_and_no_temp_file(tmp_path):
    write_partition("rejects", rejects("https://a/old"), KEY, tmp_path)
    with pytest.raises(RuntimeError):
        with PartitionWriter("rejects", KEY, tmp_path) as writer:
            writer.write(rejects("https://a/new"))
            raise RuntimeError("crawl died")
    assert read_dataset("rejects", tmp_path).column("url").to_pylist() == ["https://a/old"]
    assert [p.name for p in KEY.path("rejects", tmp_path).parent.iterdir()] == ["part-2026-11-28-0800.parquet"]


def test_temp_files_are_invisible_to_readers(tmp_path):
    writer = PartitionWriter("rejects", KEY, tmp_path)
    writer.write(rejects("https://a/1"))
    assert read_dataset("rejects", tmp_path).num_rows == 0  # not closed: nothing to see
    writer.close()
    assert read_dataset("rejects", tmp_path).num_rows == 1


def test_reading_an_absent_dataset_gives_an_empty_table_with_the_schema(tmp_path):
    table = read_dataset("articles", tmp_path)
    assert table.num_rows == 0 and "published_at" in table.column_names and "portal" in table.column_names


def test_seen_urls_excludes_the_partition_being_rewritten(tmp_path):
    from tests.test_transforms import article_table

    write_partition("articles", article_table(["https://x/1"]), KEY, tmp_path)
    later = PartitionKey("suaralampung", "2026-11-28", "0900")
    write_partition("articles", article_table(["https://x/2"]), later, tmp_path)
    assert seen_urls("suaralampung", later, tmp_path) == {"https://x/1"}
    assert seen_urls("suaralampung", None, tmp_path) == {"https://x/1", "https://x/2"}
    assert seen_urls("otherportal", None, tmp_path) == set()
