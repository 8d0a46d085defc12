"""What the warehouse holds, per portal: the figures `make demo` and `warta summary` print."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from warehouse.store import read_dataset
from warta.paths import warehouse_root


def warehouse_summary(root: Path | None = None) -> dict:
    """Articles, smart-city articles and rejects by reason, per portal and in total."""
    root = str(root) if root else str(warehouse_root())
    articles = read_dataset("articles", root, columns=["portal", "smart_city"]).to_pylist()
    rejects = read_dataset("rejects", root, columns=["portal", "reason"]).to_pylist()
    portals = sorted({r["portal"] for r in articles} | {r["portal"] for r in rejects})
    rows = []
    for portal in portals:
        mine = [a for a in articles if a["portal"] == portal]
        reasons = Counter(r["reason"] for r in rejects if r["portal"] == portal)
        rows.append({"portal": portal, "articles": len(mine), "smart_city": sum(bool(a["smart_city"]) for a in mine),
                     "rejected": sum(reasons.values()), "rejects": dict(sorted(reasons.items()))})
    return {"root": str(root), "portals": rows, "articles": len(articles),
            "smart_city": sum(bool(a["smart_city"]) for a in articles), "rejected": len(rejects)}
