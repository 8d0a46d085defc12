"""Where Warta's files live: the project tree, the replay pages, the warehouse."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REPLAY_ROOT = PROJECT_ROOT / "replay"
PORTALS_DIR = Path(__file__).resolve().parent / "portals"


def portals_dir() -> Path:
    """The portal catalog folder: $WARTA_PORTALS_DIR, else warta/portals."""
    return Path(os.environ.get("WARTA_PORTALS_DIR") or PORTALS_DIR)


def warehouse_root() -> Path:
    """The warehouse root: $WARTA_WAREHOUSE, else data/warehouse under the project."""
    return Path(os.environ.get("WARTA_WAREHOUSE") or PROJECT_ROOT / "data" / "warehouse")


def crawl_mode() -> str:
    """The default crawl mode: $WARTA_MODE ("replay" or "live"), replay when unset."""
    mode = os.environ.get("WARTA_MODE", "replay").strip().lower() or "replay"
    if mode not in ("replay", "live"):
        raise ValueError(f"WARTA_MODE must be 'replay' or 'live', not {mode!r}")
    return mode
