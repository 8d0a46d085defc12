"""Hermetic test set-up: Airflow's home, metadata DB and the warehouse live in a scratch dir.

The environment is set here, at import, because Airflow reads its configuration when first imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = Path(tempfile.mkdtemp(prefix="warta-tests-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(SCRATCH / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{SCRATCH}/airflow/airflow.db",
        "WARTA_WAREHOUSE": str(SCRATCH / "warehouse"),
        "WARTA_MODE": "replay",
        "WARTA_RETRY_DELAY_SECONDS": "1",
        "WARTA_SCHEDULE": "@hourly",
        "TMPDIR": str(SCRATCH / "tmp"),
    }
)
(SCRATCH / "airflow").mkdir(parents=True, exist_ok=True)
(SCRATCH / "tmp").mkdir(parents=True, exist_ok=True)
tempfile.tempdir = str(SCRATCH / "tmp")

SHARED_DATA = Path(os.environ.get("WARTA_SHARED_DATA") or ROOT.parent / "shared" / "data")
GOLDEN = ROOT / "tests" / "golden"


def shared_file(relative: str) -> Path:
    """A file from ../shared/data; fails (never skips) with the path when it is missing."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.fail(f"shared data file missing: {path} (set WARTA_SHARED_DATA to the shared/data folder)")
    return path


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """A migrated Airflow metadata DB for this test session (created once, ~6 s)."""
    result = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], capture_output=True, text=True,
                            env=os.environ.copy())
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return SCRATCH / "airflow" / "airflow.db"


@pytest.fixture
def warehouse_dir(tmp_path, monkeypatch) -> Path:
    """A fresh, empty warehouse root for one test."""
    root = tmp_path / "warehouse"
    monkeypatch.setenv("WARTA_WAREHOUSE", str(root))
    return root
