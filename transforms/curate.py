"""Raw pages table in, curated articles and rejects tables out. Pure: no I/O, no clocks but the rows'."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa

from transforms.extract import ExtractedPage, extract_page
from transforms.html_text import PageRejected
from transforms.language import detect_language
from transforms.regions import Region, find_regions, region_by_code
from transforms.tagging import TAXONOMY_VERSION, tag_article
from transforms.versioning import Prior, content_hash, next_version
from warehouse.schemas import ARTICLES, REJECTS
from warta.catalog import PortalConfig



@dataclass
class CurateResult:
    """The curated rows, the rejected rows and a count per outcome."""

    articles: pa.Table
    rejects: pa.Table
    counts: Counter = field(default_factory=Counter)


def home_region(portal: PortalConfig | None) -> Region | None:
    """The portal's home region (its regency/city when it has one, else its province)."""
    home = portal.home_region if portal else {}
    code = home.get("regency_code") or home.get("province_code")
    return region_by_code(str(code)) if code else None


def article_row(page: ExtractedPage, fetched_at, run_id: str, portal: PortalConfig | None = None) -> dict:
    """One curated row: the extracted page plus language, smart-city tags and regions."""
    tags = tag_article(page.title or "", page.body)
    regions = find_regions(page.title or "", page.body, home_region(portal))
    return {
        "url": page.url, "title": page.title, "author": page.author, "authors": page.authors,
        "published_at": page.published_at, "published_raw": page.published_raw, "date_source": page.date_source,
        "updated_at": page.updated_at, "dateline": page.dateline, "lead": page.lead, "body": page.body,
        "section": page.section, "tags": page.tags, "image_url": page.image_url,
        "language": detect_language(page.body), "word_count": len(page.body.split()),
        "smart_city": tags.smart_city, "smart_city_score": tags.smart_city_score, "dimensions": tags.dimensions,
        "regions": [r.to_dict() for r in regions],
        "extractor": page.extractor, "extractor_version": page.extractor_version, "taxonomy_version": TAXONOMY_VERSION,
        "fetched_at": fetched_at, "run_id": run_id,
        "version": 1, "content_hash": content_hash(page.title, page.body), "first_fetched_at": fetched_at,
    }


def reject_row(url: str, reason: str, detail: str, fetched_at, run_id: str, title=None, published_raw=None) -> dict:
    """One rejected row, with whatever was found before the page was turned away."""
    return {"url": url, "reason": reason, "detail": detail, "title": title, "published_raw": published_raw,
            "fetched_at": fetched_at, "run_id": run_id}


def curate_one(raw: dict, portal: PortalConfig, run_id: str, window=(None, None),
               prior: Prior | None = None) -> tuple[dict | None, dict | None]:
    """Turn one raw page row into (article row, None) or (None, reject row); prior: the row held for its URL."""
    url, fetched_at = raw["url"], raw["fetched_at"]
    if raw["status"] != 200:
        return None, reject_row(url, "http_status", f"status {raw['status']}", fetched_at, run_id)
    try:
        page = extract_page(raw["html"] or b"", url, portal, declared_charset=_charset(raw.get("content_type")),
                            now=fetched_at)
    except PageRejected as exc:
        return None, reject_row(url, exc.reason, exc.detail, fetched_at, run_id, exc.title, exc.published_raw)
    since, until = window
    outside = (since and page.published_at < since) or (until and page.published_at >= until)
    if outside and prior is None:  # a known article re-fetched because it changed belongs to the run that saw the change
        return None, reject_row(url, "out_of_window", f"published {page.published_at.isoformat()} outside this run's "
                                f"window [{since}, {until})", fetched_at, run_id, page.title, page.published_raw)
    row = article_row(page, fetched_at, run_id, portal)
    versioned = next_version(prior, row["content_hash"], fetched_at)
    if versioned.unchanged:
        return None, reject_row(url, "unchanged", f"re-fetched; same content as version {prior.version} fetched "
                                f"{prior.fetched_at.isoformat() if prior.fetched_at else 'earlier'}", fetched_at, run_id,
                                page.title, page.published_raw)
    row.update(version=versioned.version, first_fetched_at=versioned.first_fetched_at)
    return row, None


def curate_pages(raw: pa.Table, portal: PortalConfig, run_id: str, window=(None, None),
                 known: dict[str, Prior] | None = None) -> CurateResult:
    """Extract, clean, date and tag every raw page; every page ends as exactly one article or one reject.

    known: the newest row the warehouse holds per URL (see warehouse.versions.known_versions), for versioning.
    """
    articles, rejects, counts, known = [], [], Counter(), known or {}
    seen: set[str] = set()
    for row in sorted(raw.to_pylist(), key=lambda r: r["fetched_at"], reverse=True):
        if row["url"] in seen:  # the newest fetch of a URL wins
            rejects.append(reject_row(row["url"], "duplicate_url", "fetched twice in one run", row["fetched_at"], run_id))
            counts["rejected:duplicate_url"] += 1
            continue
        seen.add(row["url"])
        article, reject = curate_one(row, portal, run_id, window, known.get(row["url"]))
        if article:
            articles.append(article)
            counts["articles"] += 1
            counts["articles_updated"] += article["version"] > 1
        else:
            rejects.append(reject)
            counts[f"rejected:{reject['reason']}"] += 1
    articles.sort(key=lambda a: (a["published_at"], a["url"]))
    return CurateResult(pa.Table.from_pylist(articles, schema=ARTICLES), pa.Table.from_pylist(rejects, schema=REJECTS), counts)


def _charset(content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=", 1)[1].split(";")[0].strip() or None
    return None
