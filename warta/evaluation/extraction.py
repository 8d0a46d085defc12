"""`warta eval extraction`: Warta's extraction beside trafilatura alone, same pages, same process.

Sets: (a) the article-extraction-benchmark (181 real pages), (b) real Indonesian pages (a scraper's bodies as
truth: fuzzy), (c) every portal's golden fixtures (snippets that must / must not be in the body); plus date
accuracy on the Indonesian date strings.

Datelines: Warta cuts "JAKARTA, KOMPAS.com -" from the body into its own field; a truth keeps it in its text on
some pages and not on others (the Indonesian scraper did both). On every set alike, Warta's scored text is its
body, preceded by its dateline field when the truth's text opens with that dateline: the dateline is neither
lost where the truth has it nor counted as extra where the truth dropped it.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

from transforms.dates import DateParseError, parse_date
from transforms.extract import PageFields, read_page
from transforms.html_text import PageRejected
from warta.catalog import get_portal, portal_for_url
from warta.evaluation.shingles import TOKEN, score
from warta.paths import PROJECT_ROOT

GOLDEN = PROJECT_ROOT / "tests" / "golden"
FLOORS = Path(__file__).with_name("floors.json")


def warta_fields(html: bytes | str, url: str, portal=None) -> PageFields | None:
    """What Warta reads from a page (None when the page is rejected before a body exists)."""
    try:
        return read_page(html, url, portal)
    except PageRejected:
        return None


def warta_body(html: bytes | str, url: str, portal=None) -> str:
    """Warta's cleaned body for a page ('' when the page is rejected before a body exists)."""
    fields = warta_fields(html, url, portal)
    return "\n".join(fields.lines) if fields else ""


def scored_text(fields: PageFields | None, truth: str) -> str:
    """Warta's text as scored against a truth: the body, after the dateline field when the truth opens with it."""
    if fields is None:
        return ""
    body = "\n".join(fields.lines)
    dateline = TOKEN.findall(fields.dateline or "")
    if dateline and TOKEN.findall(truth[: len(fields.dateline) + 40])[: len(dateline)] == dateline:
        return f"{fields.dateline} - {body}"
    return body


def trafilatura_body(html: bytes | str, url: str) -> str:
    """trafilatura.extract alone, with its defaults: the anchor."""
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def _timed(pairs, extract, text=lambda found, truth: found) -> tuple[list[tuple[str, str]], float]:
    """(scored text, truth) pairs and seconds per page; text() turns what extract found into the scored text."""
    started, found = time.perf_counter(), []
    for html, url, truth in pairs:
        found.append(extract(html, url))
    seconds = (time.perf_counter() - started) / max(len(pairs), 1)
    return [(text(f, truth), truth) for f, (_, _, truth) in zip(found, pairs)], seconds


def compare(pages: list[tuple[bytes, str, str]], portal_of=lambda url: None) -> dict:
    """Shingle P/R/F1 and seconds per page for Warta and trafilatura over (html, url, truth) triples."""
    ours, ours_s = _timed(pages, lambda h, u: warta_fields(h, u, portal_of(u)), scored_text)
    anchor, anchor_s = _timed(pages, trafilatura_body)
    return {"warta": {**score(ours).as_dict(), "s_per_page": round(ours_s, 4)},
            "trafilatura": {**score(anchor).as_dict(), "s_per_page": round(anchor_s, 4)}}


def benchmark_pages(data: Path) -> list[tuple[bytes, str, str]]:
    """(html, url, truth) for the 181 pages of the article-extraction-benchmark."""
    folder = data / "article-extraction-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [(gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()), item["url"], item["articleBody"])
            for key, item in sorted(truth.items())]


def indonesian_pages(data: Path) -> list[tuple[bytes, str, str]]:
    """(html, url, truth) for the real Indonesian article pages."""
    folder = data / "indonesian-news-html"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [((folder / item["file"]).read_bytes(), item["url"], item["body"]) for _, item in sorted(truth.items())]


def golden_snippets(extract) -> dict:
    """Share of must-contain snippets found (recall) and of must-not-contain snippets avoided (precision)."""
    found = wanted = avoided = forbidden = 0
    for path in sorted(GOLDEN.glob("*/*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        expected = case["expected"]
        if expected.get("reject"):
            continue
        body = extract((PROJECT_ROOT / case["page"]).read_bytes(), case["url"], path.parent.name)
        found += sum(s in body for s in expected.get("body_contains", []))
        wanted += len(expected.get("body_contains", []))
        avoided += sum(s not in body for s in expected.get("body_not_contains", []))
        forbidden += len(expected.get("body_not_contains", []))
    recall, precision = found / max(wanted, 1), avoided / max(forbidden, 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "snippets": wanted + forbidden}


def date_accuracy(data: Path) -> dict:
    """Share of the Indonesian date strings parsed to exactly their expected instant."""
    from datetime import datetime, timedelta

    cases = json.loads((data / "indonesian-news-html" / "date_strings.json").read_text(encoding="utf-8"))["cases"]
    now = datetime.fromisoformat("2024-05-14T12:00:00+07:00")
    right = 0
    for case in cases:
        expected = case["expected"]
        try:
            got = parse_date(case["raw"], now=now)
        except DateParseError:
            continue
        if expected.startswith("RELATIVE:"):
            amount = expected.split(":", 1)[1]
            right += got == now + timedelta(minutes=int(amount.removesuffix("min")))
            continue
        want = datetime.fromisoformat(expected)
        want = want if want.tzinfo else want.replace(tzinfo=got.tzinfo)
        right += got == want
    return {"accuracy": round(right / len(cases), 4), "cases": len(cases)}


def evaluate(data: Path) -> dict:
    """Every extraction figure, Warta beside trafilatura."""
    missing = [p for p in ("article-extraction-benchmark", "indonesian-news-html") if not (data / p).is_dir()]
    if missing:
        raise FileNotFoundError(f"shared data missing under {data}: {', '.join(missing)} (pass --data DIR)")
    return {
        "benchmark": compare(benchmark_pages(data)),
        "indonesian": compare(indonesian_pages(data), portal_of=portal_for_url),
        "golden": {"warta": golden_snippets(lambda h, u, p: warta_body(h, u, get_portal(p))),
                   "trafilatura": golden_snippets(lambda h, u, p: trafilatura_body(h, u))},
        "dates": date_accuracy(data),
    }


def below_floors(results: dict, what: str, floors: dict | None = None) -> list[str]:
    """Each pinned floor (for "extraction" or "tagging") the results fall under, as 'metric: value < floor'.

    A floor name is a dotted path into the results; a name ending in "_max" is a ceiling instead.
    """
    floors = floors if floors is not None else json.loads(FLOORS.read_text(encoding="utf-8"))[what]
    failures = []
    for name, limit in floors.items():
        node = results
        for part in name.removesuffix("_max").split("."):
            node = node[part]
        if (node > limit) if name.endswith("_max") else (node < limit):
            failures.append(f"{name}: {node} {'>' if name.endswith('_max') else '<'} {limit}")
    return failures


def render(results: dict) -> str:
    """The side-by-side table a person reads."""
    lines = [f"{'set':<12} {'extractor':<12} {'P':>7} {'R':>7} {'F1':>7} {'s/page':>8}"]
    for name in ("benchmark", "indonesian", "golden"):
        for who, r in results[name].items():
            lines.append(f"{name:<12} {who:<12} {r['precision']:>7.4f} {r['recall']:>7.4f} {r['f1']:>7.4f} "
                         f"{r.get('s_per_page', ''):>8}")
    dates = results["dates"]
    lines.append(f"dates: {dates['accuracy']:.2%} of {dates['cases']} Indonesian date strings parsed exactly")
    return "\n".join(lines)
