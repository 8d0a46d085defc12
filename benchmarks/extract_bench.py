"""Extraction speed and memory: Warta's extract + clean + date path beside trafilatura.extract alone.

    .venv/bin/python benchmarks/extract_bench.py [--data ../shared/data] [--memory-pages 10000]

Same pages, same process, one core. Prints pages/s for both and the ratio on (1) the portals' golden pages,
(2) the article-extraction-benchmark's 181 pages; then peak RSS after 1,000 and after N extractions.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.extract import extract_page  # noqa: E402
from transforms.html_text import PageRejected  # noqa: E402
from warta.catalog import get_portal  # noqa: E402
from warta.evaluation.extraction import benchmark_pages, trafilatura_body, warta_body  # noqa: E402


def portal_pages() -> list[tuple[bytes, str, str]]:
    """(html, url, portal id) for every golden page."""
    pages = []
    for path in sorted((ROOT / "tests" / "golden").glob("*/*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        pages.append(((ROOT / case["page"]).read_bytes(), case["url"], path.parent.name))
    return pages


def rate(pages: list, extract, rounds: int) -> float:
    """Pages per second of one extract function over the pages, repeated."""
    started = time.perf_counter()
    for _ in range(rounds):
        for page in pages:
            extract(page)
    return rounds * len(pages) / (time.perf_counter() - started)


def warta_full(page) -> None:
    html, url, portal = page
    try:
        extract_page(html, url, get_portal(portal))
    except PageRejected:
        pass


def extract_any(page) -> None:
    """A portal page through the whole path, a generic page through the body path."""
    if page[2]:
        warta_full(page)
    else:
        warta_body(page[0], page[1])


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--memory-pages", type=int, default=10_000)
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "article-extraction-benchmark").is_dir():
        sys.exit(f"shared data not found under {data} (pass --data DIR)")
    portal = portal_pages()
    generic = [(h, u, None) for h, u, _ in benchmark_pages(data)]
    rounds = max(1, 300 // len(portal))
    ours_p = rate(portal, warta_full, rounds)
    anchor_p = rate(portal, lambda p: trafilatura_body(p[0], p[1]), rounds)
    ours_g = rate(generic, lambda p: warta_body(p[0], p[1]), 1)
    anchor_g = rate(generic, lambda p: trafilatura_body(p[0], p[1]), 1)
    print(f"portal pages ({len(portal)} x {rounds}): warta {ours_p:7.1f} pages/s, trafilatura {anchor_p:7.1f} pages/s, "
          f"ratio {ours_p / anchor_p:.2f} (target >= 2)")
    print(f"benchmark pages ({len(generic)}):   warta {ours_g:7.1f} pages/s, trafilatura {anchor_g:7.1f} pages/s, "
          f"ratio {ours_g / anchor_g:.2f} (target >= 1)")
    cycle = portal + generic
    for i in range(1000):
        extract_any(cycle[i % len(cycle)])
    at_1k = rss_mb()
    for i in range(1000, args.memory_pages):
        extract_any(cycle[i % len(cycle)])
    print(f"peak RSS: {at_1k:.0f} MB after 1,000 pages, {rss_mb():.0f} MB after {args.memory_pages:,} "
          f"(ratio {rss_mb() / at_1k:.2f}; flat = about 1)")


if __name__ == "__main__":
    main()
