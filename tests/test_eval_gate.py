"""The quality gate: extraction and tagging figures may not fall below their pinned floors, and floors only rise."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ROOT, SHARED_DATA
from warta.evaluation.extraction import FLOORS, below_floors, evaluate
from warta.evaluation.tagging import evaluate_tagging


def test_extraction_stays_above_its_floors():
    if not (SHARED_DATA / "article-extraction-benchmark").is_dir():
        pytest.fail(f"shared data missing at {SHARED_DATA} (set WARTA_SHARED_DATA)")
    results = evaluate(SHARED_DATA)
    assert below_floors(results, "extraction") == []
    assert results["benchmark"]["warta"]["f1"] > results["benchmark"]["trafilatura"]["f1"]


def test_tagging_stays_above_its_floors():
    assert below_floors(evaluate_tagging(), "tagging") == []


def test_a_floor_is_only_ever_raised():
    """Walk the floors file's history: no commit lowered a floor (or raised a ceiling)."""
    log = subprocess.run(["git", "log", "--format=%H", "--", "warta/evaluation/floors.json"], cwd=ROOT,
                         capture_output=True, text=True)
    if log.returncode != 0:
        pytest.fail(f"git log failed: {log.stderr}")
    versions = [json.loads(subprocess.run(["git", "show", f"{c}:warta/evaluation/floors.json"], cwd=ROOT,
                                          capture_output=True, text=True, check=True).stdout)
                for c in reversed(log.stdout.split())]
    versions.append(json.loads(FLOORS.read_text(encoding="utf-8")))
    for older, newer in zip(versions, versions[1:]):
        for what, floors in older.items():
            for name, value in floors.items():
                assert name in newer[what], f"floor {what}.{name} was removed"
                moved = newer[what][name] - value
                assert (moved <= 0) if name.endswith("_max") else (moved >= 0), f"floor {what}.{name} moved the wrong way"
