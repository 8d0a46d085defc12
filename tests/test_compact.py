"""Compaction folds small run files into one without changing any answer, and survives reruns and crashes."""

from __future__ import annotations

import shutil

from tests.test_transforms import article_table
from warehouse import PartitionKey, read_dataset, write_partition
from warehouse.compact import COMPACTED, claims, compact
from warehouse.location import resolve


def key(hour: int) -> PartitionKey:
    return PartitionKey("suaralampung", "2026-11-28", f"20261128T{hour:02d}00")


def urls(root) -> list[str]:
    return sorted(read_dataset("articles", root).column("url").to_pylist())


def test_compaction_keeps_every_answer_and_leaves_one_file(tmp_path):
    for hour in range(5):
        write_partition("articles", article_table([f"https://x/{hour}a", f"https://x/{hour}b"]), key(hour), tmp_path)
    before = urls(tmp_path)
    assert compact("articles", tmp_path) == {"articles/portal=suaralampung/run_month=2026-11": 5}
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


def test_a_month_folder_folds_only_its_closed_days_and_a_later_day_joins_the_same_file(tmp_path):
    day = lambda d, hour: PartitionKey("suaralampung", f"2026-11-{d:02d}", f"{hour:02d}00")  # noqa: E731
    for d in (26, 27, 28):
        for hour in (8, 9):
            write_partition("articles", article_table([f"https://x/{d}-{hour}"]), day(d, hour), tmp_path)
    before = urls(tmp_path)
    assert compact("articles", tmp_path, before="2026-11-28") == {"articles/portal=suaralampung/run_month=2026-11": 4}
    folder = day(28, 8).path("articles", tmp_path).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted([COMPACTED, "part-2026-11-28-0800.parquet",
                                                               "part-2026-11-28-0900.parquet"])  # today stays loose
    assert urls(tmp_path) == before
    assert compact("articles", tmp_path, before="2026-11-29") == {"articles/portal=suaralampung/run_month=2026-11": 2}
    assert [p.name for p in folder.iterdir()] == [COMPACTED] and urls(tmp_path) == before
    assert len(claims(resolve(tmp_path), str(folder))) == 6
