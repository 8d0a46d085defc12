"""Extraction as a pure function: (html, url, portal config) -> a typed ExtractedPage, or PageRejected.

The cascade, each step recorded: JSON-LD -> OpenGraph/meta tags -> the portal's selectors -> the general
extractor; dates are checked against the fetch time and the portal's founding year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import warta
from transforms.body import general_body, portal_body
from transforms.clean import clean_paragraphs
from transforms.html_text import PageRejected, decode_page, jsonld_nodes, parse_page
from transforms.metadata import PageMeta, read_meta
from warta.catalog import PortalConfig

MIN_BODY_CHARS = 200  # Media Cloud's acceptance floor for an extracted body
FUTURE_TOLERANCE = timedelta(hours=2)  # clocks and zones drift a little; a day ahead is a wrong date
EARLIEST = datetime(1994, 1, 1, tzinfo=timezone.utc)  # before Indonesian news went online
EXTRACTOR_VERSION = warta.__version__


@dataclass
class ExtractedPage:
    """What one page yields before tagging: fields, their raw values and where they came from."""

    url: str
    title: str | None
    authors: list[str]
    published_at: datetime
    published_raw: str | None
    date_source: str | None
    updated_at: datetime | None
    dateline: str | None
    lead: str | None
    body: str
    section: str | None = None
    image_url: str | None = None
    tags: list[str] = field(default_factory=list)
    extractor: str = "selectors"
    extractor_version: str = EXTRACTOR_VERSION

    @property
    def author(self) -> str | None:
        """All authors as one string, the way a byline reads."""
        return ", ".join(self.authors) or None


def check_date(published_at: datetime, portal: PortalConfig | None, now: datetime | None) -> tuple[str, str] | None:
    """(reason, detail) when a publish date cannot be right: in the future, or before the portal existed."""
    if now is not None and published_at > now + FUTURE_TOLERANCE:
        return "date_in_future", f"published {published_at.isoformat()} after fetch {now.isoformat()}"
    founded = datetime(portal.founded, 1, 1, tzinfo=timezone.utc) if portal and portal.founded else EARLIEST
    if published_at < founded:
        return "date_before_portal", f"published {published_at.isoformat()} before {founded.date().isoformat()}"
    return None


@dataclass
class PageFields:
    """Everything read from a page before any judgement: metadata, cleaned body lines, dateline, extractor."""

    meta: PageMeta
    lines: list[str]
    dateline: str | None
    extractor: str


def read_page(raw: bytes | str, url: str, portal: PortalConfig | None, *, declared_charset: str | None = None,
              now: datetime | None = None) -> PageFields:
    """Decode, parse and read one page; only undecodable or non-HTML input is rejected here."""
    html, utf8 = decode_page(raw, declared_charset)
    page = parse_page(html, utf8)  # parsed once: metadata, the portal's selectors and the general extractor share it
    meta = read_meta(page.root, jsonld_nodes(page.root), url, portal, now)
    paragraphs, extractor = portal_body(page.root, portal), "selectors"
    if paragraphs is None:
        paragraphs, extractor = general_body(html, url, page)
    lines, dateline = clean_paragraphs(paragraphs, portal)
    return PageFields(meta, lines, dateline, extractor)


def extract_page(raw: bytes | str, url: str, portal: PortalConfig | None, *, declared_charset: str | None = None,
                 now: datetime | None = None) -> ExtractedPage:
    """Extract one article page; raise PageRejected with a named reason when it is not one."""
    fields = read_page(raw, url, portal, declared_charset=declared_charset, now=now)
    meta, lines, dateline = fields.meta, fields.lines, fields.dateline
    body = "\n".join(lines)
    partial = {"title": meta.title, "published_raw": meta.published_raw}
    if len(body) < MIN_BODY_CHARS:
        raise PageRejected("no_body", f"{len(body)} characters of body after cleaning ({fields.extractor})", **partial)
    if portal and portal.scope_pattern and not portal.scope_pattern.search(f"{meta.title}\n{dateline}\n{body[:800]}"):
        raise PageRejected("out_of_scope", "no match for the portal's scope_pattern in title, dateline or lead", **partial)
    if meta.published_at is None:
        raise PageRejected("no_date", "no parseable date in JSON-LD, meta tags, the page or the URL", **partial)
    wrong = check_date(meta.published_at, portal, now)
    if wrong:
        raise PageRejected(*wrong, **partial)
    return ExtractedPage(
        url=url, title=meta.title, authors=meta.authors, published_at=meta.published_at,
        published_raw=meta.published_raw, date_source=meta.date_source, updated_at=meta.updated_at,
        dateline=dateline, lead=lines[0], body=body, section=meta.section, image_url=meta.image_url, tags=meta.tags,
        extractor=fields.extractor,
    )
