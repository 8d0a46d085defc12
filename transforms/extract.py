"""Extraction as a pure function: (html, url, portal config) -> a typed ExtractedPage, or PageRejected."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bs4 import BeautifulSoup

import warta
from transforms.clean import clean_paragraphs
from transforms.dates import DateParseError, parse_date_utc
from transforms.html_text import (
    ARTICLE_TYPES,
    PageRejected,
    block_texts,
    decode_html,
    first_text,
    jsonld_nodes,
    meta_content,
    node_types,
    parse_html,
)
from warta.catalog import PortalConfig

MIN_BODY_CHARS = 200  # Media Cloud's acceptance floor for an extracted body
# Bylines that carry more than the name: "Putri Amalia - detikSumbagsel", "Kontributor Lampung, Eko Prasetyo".
AUTHOR_PATTERNS = (
    re.compile(r"^(?P<name>.+?)\s+[-–|]\s+(?:detik\w*|kompas\.com|tribun\w*|antara\w*)$", re.I),
    re.compile(r"^(?:kontributor|koresponden|reporter|penulis|wartawan)\b[^,:]*[,:]\s*(?P<name>.+)$", re.I),
)
EXTRACTOR_VERSION = warta.__version__


@dataclass
class ExtractedPage:
    """What one page yields before tagging: fields, their raw values and where they came from."""

    url: str
    title: str | None
    author: str | None
    published_at: datetime | None
    published_raw: str | None
    date_source: str | None
    dateline: str | None
    body: str
    tags: list[str] = field(default_factory=list)
    extractor: str = "selectors"
    extractor_version: str = EXTRACTOR_VERSION


def _author_name(value, by_id: dict | None = None) -> str | None:
    """A JSON-LD author: a name, a Person node, a reference to one ({"@id": ...}) or a list of those."""
    if isinstance(value, list):
        names = [n for n in (_author_name(v, by_id) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        if "name" not in value and value.get("@id") in (by_id or {}):
            value = by_id[value["@id"]]
        return _author_name(value.get("name"))
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _date_candidates(soup: BeautifulSoup, nodes: list[dict], url: str, portal: PortalConfig | None):
    """(source, raw string) pairs, most trustworthy first."""
    for types in (ARTICLE_TYPES, {"WebPage"}):
        for node in nodes:
            if node_types(node) & types and isinstance(node.get("datePublished"), str):
                yield "jsonld", node["datePublished"]
    meta = meta_content(soup, "article:published_time", "pubdate", "publishdate", "datePublished", "date")
    if meta:
        yield "meta", meta
    for tag in soup.select("[itemprop=datePublished]"):
        yield "meta", tag.get("content") or tag.get("datetime") or tag.get_text(" ", strip=True)
    for selector in portal.selectors.get("date", ()) if portal else ():
        tag = soup.select_one(selector)  # the first match only: later ones are often sidebar dates
        if tag is not None:
            raw = tag.get("datetime") or tag.get("content") or " ".join(tag.get_text(" ").split())
            if raw:
                yield "visible", raw
    if portal and portal.url_date_pattern:
        match = portal.url_date_pattern.search(url)
        if match:
            g = match.groupdict()
            yield "url", f"{g['y']}-{g['m']}-{g['d']} {g.get('H') or '00'}:{g.get('M') or '00'}:{g.get('S') or '00'} WIB"


def find_published(soup, nodes, url, portal, now: datetime | None = None):
    """The first candidate date that parses: (published_at UTC, raw string, source) or Nones."""
    for source, raw in _date_candidates(soup, nodes, url, portal):
        try:
            return parse_date_utc(raw, now=now), raw, source
        except DateParseError:
            continue
    return None, None, None


def find_body(soup: BeautifulSoup, portal: PortalConfig | None) -> tuple[list[str] | None, str]:
    """Body paragraphs from the portal's selectors (the template is trusted when it matches), else generic."""
    for selector in portal.selectors.get("body", ()) if portal else ():
        container = soup.select_one(selector)
        if container is None:
            continue
        for drop in portal.drop_selectors:
            for tag in container.select(drop):
                tag.decompose()
        return block_texts(container), "selectors"
    return None, "generic"


def generic_body(html: str, url: str) -> list[str]:
    """Fallback when no portal selector matches: the field's best general extractor."""
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True)
    return text.splitlines() if text else []


def extract_page(raw: bytes | str, url: str, portal: PortalConfig | None, *, declared_charset: str | None = None,
                 now: datetime | None = None) -> ExtractedPage:
    """Extract one article page; raise PageRejected with a named reason when it is not one."""
    html = decode_html(raw, declared_charset)
    soup = parse_html(html)
    nodes = jsonld_nodes(soup)
    article_node = next((n for n in nodes if node_types(n) & ARTICLE_TYPES), {})
    title = (
        _text(article_node.get("headline"))
        or meta_content(soup, "og:title", "twitter:title")
        or first_text(soup, portal.selectors.get("title", ()) if portal else ("h1",))
        or (soup.title.get_text(" ", strip=True) if soup.title else None)
    )
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    author = _author_name(article_node.get("author"), by_id) or meta_content(soup, "author", "article:author")
    if not author and portal and portal.selectors.get("author"):
        author = first_text(soup, portal.selectors["author"])
    author = clean_author(author, portal)
    tags = [t.get_text(" ", strip=True) for s in (portal.selectors.get("tags", ()) if portal else ()) for t in soup.select(s)]
    published_at, published_raw, date_source = find_published(soup, nodes, url, portal, now)
    paragraphs, extractor = find_body(soup, portal)
    if paragraphs is None:
        paragraphs = generic_body(html, url)
        extractor = "trafilatura"
    lines, dateline = clean_paragraphs(paragraphs, portal)
    body = "\n".join(lines)
    if len(body) < MIN_BODY_CHARS:
        raise PageRejected("no_body", f"{len(body)} characters of body after cleaning ({extractor})",
                           title=title, published_raw=published_raw)
    if portal and portal.scope_pattern and not portal.scope_pattern.search(f"{title}\n{dateline}\n{body[:800]}"):
        raise PageRejected("out_of_scope", f"no match for the portal's scope_pattern in title, dateline or lead",
                           title=title, published_raw=published_raw)
    if published_at is None:
        raise PageRejected("no_date", "no parseable date in JSON-LD, meta tags, the page or the URL", title=title)
    return ExtractedPage(
        url=url, title=title, author=author, published_at=published_at, published_raw=published_raw,
        date_source=date_source, dateline=dateline, body=body, tags=list(dict.fromkeys(t for t in tags if t)),
        extractor=extractor,
    )


def clean_author(author: str | None, portal: PortalConfig | None) -> str | None:
    """The bare name from a byline (portal patterns first, then the known network suffixes and prefixes)."""
    if not author:
        return None
    for pattern in (portal.author_patterns if portal else ()) + AUTHOR_PATTERNS:
        match = pattern.match(author)
        if match:
            return match.group("name").strip() or author
    return author


def _text(value) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None
