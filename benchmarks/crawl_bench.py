"""Crawl speed: Warta's replay crawl (raw HTML stored, politeness off) beside `scrapy bench`, same machine, same run.

    .venv/bin/python benchmarks/crawl_bench.py [--pages 2000]

Prints pages per second for both and the ratio (target: Warta >= 0.5 x scrapy bench).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warehouse.store import PartitionKey  # noqa: E402
from warta.crawl import run_crawl  # noqa: E402

HOST = "lampung.suara.com"
TEMPLATE = "read/2023/12/07/140500/kota-metro-raih-penghargaan-pelaksana-program-smart-city-2023-dari-menkominfo"


def build_site(root: Path, pages: int) -> None:
    """A replay site of N article pages (copies of one real-template page) and a sitemap listing them."""
    site = root / HOST
    shutil.copytree(ROOT / "replay" / HOST, site)
    html = (site / TEMPLATE).read_bytes()
    entries = []
    for i in range(pages):
        rel = f"read/2024/01/{1 + i % 28:02d}/{i % 240000:06d}/artikel-bench-{i}"
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(html.replace(b"Kota Metro", f"Kota Metro {i}".encode()))
        entries.append(f"<url><loc>https://{HOST}/{rel}</loc></url>")
    (site / "static/news/lampung-sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(entries) + "</urlset>")


def warta_rate(pages: int) -> tuple[float, float]:
    """(pages/s over Scrapy's elapsed time, pages/s over the wall clock including start-up)."""
    scratch = Path(tempfile.mkdtemp(prefix="warta-bench-"))
    build_site(scratch / "replay", pages)
    started = time.perf_counter()
    result = run_crawl("suaralampung", PartitionKey("suaralampung", "2024-01-01", "bench"), "bench", "replay",
                       scratch / "warehouse", log=lambda _: None, replay_root=scratch / "replay")
    wall = time.perf_counter() - started
    stats = result["stats_elapsed"]
    shutil.rmtree(scratch)
    return result["raw_rows"] / stats, result["raw_rows"] / wall


def scrapy_bench_rate() -> float:
    """pages/s that `scrapy bench` reaches here (its own server shares the cores, as ours does)."""
    out = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", "LOG_LEVEL=INFO"], capture_output=True,
                         text=True, cwd=tempfile.gettempdir(), timeout=120).stderr
    received = int(re.search(r"'response_received_count': (\d+)", out).group(1))
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", out).group(1))
    return received / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    ours, ours_wall = warta_rate(args.pages)
    anchor = scrapy_bench_rate()
    print(f"warta replay crawl : {ours:8.1f} pages/s ({ours_wall:.1f} pages/s wall clock incl. start-up), {args.pages} pages")
    print(f"scrapy bench       : {anchor:8.1f} pages/s")
    print(f"ratio warta/bench  : {ours / anchor:8.2f}  (target >= 0.50)")


if __name__ == "__main__":
    main()
