"""Compaction folds small run files into one without changing any answer, and survives reruns and crashes."""

from __future__ import annotations

import shutil

from tests.test_transforms import article_table
from warehouse import PartitionKey, read_dataset, write_partition
from warehouse.compact import claims, compact, compacted_name
from warehouse.location import resolve

COMPACTED = compacted_name("2026-11")  # the closed days of November of the current year


def key(hour: int) -> PartitionKey:
    return PartitionKey("suaralampung", "2026-11-28", f"20261128T{hour:02d}00")


def urls(root) -> list[str]:
    return sorted(read_dataset("articles", root).column("url").to_pylist())


def test_compaction_keeps_every_answer_and_leaves_one_file(tmp_path):
    for hour in range(5):
        write_partition("articles", article_table([f"https://x/{hour}a", f"https://x/{hour}b"]), key(hour), tmp_path)
    before = urls(tmp_path)
    assert compact("articles", tmp_path) == {"articles/portal=suaralampung/run_year=2026": 5}
    folder = key(0).path("articles", tmp_path).parent
    assert [p.name for p in folder.iterdir()] == [COMPACTED]
    assert urls(tmp_path) == before
    assert compact("articles", tmp_path) == {}  # nothing left to do


def test_a_rerun_of_a_compacted_run_replaces_its_rows(tmp_path):
    for hour in range(3):
        write_partition("articles", article_table([f"https://x/{hour}"]), key(hour), tmp_path)
    compact("articles", tmp_path)
    write_partition("articles", article_table(["https://x/1-again"]), key(1), tmp_path)
    assert urls(tmp_path) == ["https://x/0", "https://x/1-again", "https://x/2"]
    compact("articles", tmp_path)
    assert urls(tmp_path) == ["https://x/0", "https://x/1-again", "https://x/2"]


def test_a_compaction_stopped_before_cleaning_up_double_counts_nothing(tmp_path):
    for hour in range(3):
        write_partition("articles", article_table([f"https://x/{hour}"]), key(hour), tmp_path)
    folder = key(0).path("articles", tmp_path).parent
    saved = tmp_path / "saved"
    shutil.copytree(folder, saved)
    compact("articles", tmp_path)
    for run_file in saved.iterdir():  # as if the process died right after renaming the compacted file
        shutil.copy(run_file, folder / run_file.name)
    assert urls(tmp_path) == ["https://x/0", "https://x/1", "https://x/2"]
    loc = resolve(tmp_path)
    assert len(claims(loc, str(folder))) == 3
    compact("articles", tmp_path)
    assert [p.name for p in folder.iterdir()] == [COMPACTED]


def test_a_year_folder_folds_only_its_closed_days_and_a_later_day_joins_the_same_month_file(tmp_path):
    day = lambda d, hour: PartitionKey("suaralampung", f"2026-11-{d:02d}", f"{hour:02d}00")  # noqa: E731
    for d in (26, 27, 28):
        for hour in (8, 9):
            write_partition("articles", article_table([f"https://x/{d}-{hour}"]), day(d, hour), tmp_path)
    before = urls(tmp_path)
    assert compact("articles", tmp_path, before="2026-11-28") == {"articles/portal=suaralampung/run_year=2026": 4}
    folder = day(28, 8).path("articles", tmp_path).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted([COMPACTED, "part-2026-11-28-0800.parquet",
                                                               "part-2026-11-28-0900.parquet"])  # today stays loose
    assert urls(tmp_path) == before
    assert compact("articles", tmp_path, before="2026-11-29") == {"articles/portal=suaralampung/run_year=2026": 2}
    assert [p.name for p in folder.iterdir()] == [COMPACTED] and urls(tmp_path) == before
    assert len(claims(resolve(tmp_path), str(folder))) == 6


def test_older_files_are_read_by_name_until_compaction_gives_them_todays_schema(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from warehouse.schemas import ARTICLES
    from warehouse.sql import connect, view_statements
    from warehouse.uniform import is_uniform

    old_schema = pa.schema([f for f in ARTICLES if f.name not in ("version", "content_hash", "first_fetched_at")])
    path = key(8).path("articles", tmp_path)
    path.parent.mkdir(parents=True)
    pq.write_table(article_table(["https://x/old"]).select(old_schema.names).cast(old_schema), path)
    write_partition("articles", article_table(["https://x/new"]), key(9), tmp_path)
    loc = resolve(tmp_path)
    assert not is_uniform(loc, "articles") and "union_by_name = true" in view_statements(tmp_path)[0]
    query = "SELECT url, version FROM articles ORDER BY url"
    before = connect(tmp_path).execute(query).fetchall()
    assert before == [("https://x/new", None), ("https://x/old", None)]

    compact("articles", tmp_path, before="2026-11-28")  # folds nothing (an open day), yet upgrades the old file
    assert is_uniform(loc, "articles") and "union_by_name = false" in view_statements(tmp_path)[0]
    assert [f.name for f in pq.read_schema(path)] == ARTICLES.names
    assert connect(tmp_path).execute(query).fetchall() == before


def test_a_new_dataset_is_uniform_from_its_first_file(tmp_path):
    from warehouse.uniform import is_uniform

    write_partition("articles", article_table(["https://x/1"]), key(8), tmp_path)
    assert is_uniform(resolve(tmp_path), "articles")


def test_a_warehouse_in_day_folders_moves_into_year_folders_without_changing_an_answer(tmp_path):
    import json

    import pyarrow.parquet as pq

    from warehouse.compact import CLAIMS_KEY
    from warehouse.schemas import ARTICLES

    day = tmp_path / "articles" / "portal=suaralampung" / "run_date=2026-10-30"
    day.mkdir(parents=True)
    pq.write_table(article_table(["https://x/loose"]), day / "part-20261030T0900.parquet")
    held = pa_concat([article_table(["https://x/a"]), article_table(["https://x/b", "https://x/c"])])
    claims_meta = json.dumps([{"name": "part-20261030T0700.parquet", "start": 0, "rows": 1},
                              {"name": "part-20261030T0800.parquet", "start": 1, "rows": 2}]).encode()
    pq.write_table(held.replace_schema_metadata({**ARTICLES.metadata, CLAIMS_KEY: claims_meta}),
                   day / "part-compacted.parquet")

    compact("articles", tmp_path)
    assert not day.exists() or not any(day.iterdir())
    month = tmp_path / "articles" / "portal=suaralampung" / "run_year=2026"
    assert [p.name for p in month.iterdir()] == [compacted_name("2026-10")]
    assert urls(tmp_path) == ["https://x/a", "https://x/b", "https://x/c", "https://x/loose"]
    assert sorted(c["name"] for c in claims(resolve(tmp_path), str(month))) == [
        "part-2026-10-30-20261030T0700.parquet", "part-2026-10-30-20261030T0800.parquet",
        "part-2026-10-30-20261030T0900.parquet"]


def pa_concat(tables):
    import pyarrow as pa

    return pa.concat_tables(tables)


def test_a_closed_year_becomes_one_file_and_a_crash_while_folding_it_double_counts_nothing(tmp_path):
    old = lambda month, d: PartitionKey("suaralampung", f"2025-{month:02d}-{d:02d}", "0800")  # noqa: E731
    for month in (3, 4):
        for d in (1, 2):
            write_partition("articles", article_table([f"https://x/{month}-{d}"]), old(month, d), tmp_path)
    before = urls(tmp_path)
    folder = old(3, 1).path("articles", tmp_path).parent
    compact("articles", tmp_path, before="2025-12-01")  # 2025 still open: a file per month
    assert sorted(p.name for p in folder.iterdir()) == [compacted_name("2025-03"), compacted_name("2025-04")]
    saved = tmp_path / "saved"
    shutil.copytree(folder, saved)
    assert compact("articles", tmp_path, before="2026-01-02") == {"articles/portal=suaralampung/run_year=2025": 2}
    assert [p.name for p in folder.iterdir()] == [compacted_name("2025")] and urls(tmp_path) == before
    for month_file in saved.iterdir():  # as if the process died after writing the year file
        shutil.copy(month_file, folder / month_file.name)
    assert urls(tmp_path) == before  # the year file holds every run of the month files: they are skipped
    compact("articles", tmp_path, before="2026-01-02")
    assert [p.name for p in folder.iterdir()] == [compacted_name("2025")]
    write_partition("articles", article_table(["https://x/rerun"]), old(4, 2), tmp_path)  # a backfill of that day
    assert urls(tmp_path) == sorted(set(before) - {"https://x/4-2"} | {"https://x/rerun"})
