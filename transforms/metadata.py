"""Article metadata with provenance: JSON-LD first, then OpenGraph/meta tags, then the portal's selectors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from lxml.html import HtmlElement

from transforms.dates import DateParseError, parse_date_utc
from transforms.html_text import (ARTICLE_TYPES, MetaTags, first_text, folded_text, get_text, node_types, select,
                                  select_one)
from warta.catalog import PortalConfig

# Bylines that carry more than the name: "Putri Amalia - detikSumbagsel", "Kontributor Lampung, Eko Prasetyo".
AUTHOR_PATTERNS = (
    re.compile(r"^(?P<name>.+?)\s+[-–|]\s+(?:detik\w*|kompas\.com|tribun\w*|antara\w*)$", re.I),
    re.compile(r"^(?:kontributor|koresponden|reporter|penulis|wartawan)\b[^,:]*[,:]\s*(?P<name>.+)$", re.I),
)
# JSON-LD "authors" that are accounts, not people (Yoast names the uploading account): the byline wins then.
ACCOUNT_NAME = re.compile(r"^(redaksi|admin|administrator|editor|tim|desk|humas|web ?admin)\b|\.(com|id|co)\b", re.I)
PUBLISHED_META = ("article:published_time", "pubdate", "publishdate", "datePublished", "date", "dc.date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "last-modified")


@dataclass
class PageMeta:
    """Everything around the body: who, when, what, and where each date came from."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    published_raw: str | None = None
    date_source: str | None = None
    updated_at: datetime | None = None
    section: str | None = None
    image_url: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)


def fold(value) -> str | None:
    """Whitespace-folded text of a string value, None for anything else or blank."""
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def jsonld_names(value, by_id: dict) -> list[str]:
    """Names from a JSON-LD person/organisation value: a string, a node, an {"@id"} reference, or a list."""
    if isinstance(value, list):
        return [n for v in value for n in jsonld_names(v, by_id)]
    if isinstance(value, dict):
        if "name" not in value and value.get("@id") in by_id:
            value = by_id[value["@id"]]
        value = value.get("name")
    name = fold(value)
    return [n.strip() for n in re.split(r"\s*(?:,|&|\bdan\b)\s*", name) if n.strip()] if name else []


def clean_author(author: str | None, portal: PortalConfig | None) -> str | None:
    """The bare name from a byline (portal patterns first, then the known network suffixes and prefixes)."""
    if not author:
        return None
    for pattern in (portal.author_patterns if portal else ()) + AUTHOR_PATTERNS:
        match = pattern.match(author)
        if match:
            return match.group("name").strip() or author
    return author


def _date_candidates(root: HtmlElement, metas: MetaTags, nodes: list[dict], url: str, portal: PortalConfig | None):
    """(source, raw string) pairs for the publish date, most trustworthy first."""
    for types in (ARTICLE_TYPES, {"WebPage"}):
        for node in nodes:
            if node_types(node) & types and isinstance(node.get("datePublished"), str):
                yield "jsonld", node["datePublished"]
    meta = metas.content(*PUBLISHED_META)
    if meta:
        yield "meta", meta
    for tag in select(root, "[itemprop=datePublished]"):
        yield "meta", tag.get("content") or tag.get("datetime") or get_text(tag, " ", strip=True)
    for selector in portal.selectors.get("date", ()) if portal else ():
        tag = select_one(root, selector)  # the first match only: later ones are often sidebar dates
        if tag is not None:
            raw = tag.get("datetime") or tag.get("content") or folded_text(tag)
            if raw:
                yield "visible", raw
    if portal and portal.url_date_pattern:
        match = portal.url_date_pattern.search(url)
        if match:
            g = match.groupdict()
            yield "url", f"{g['y']}-{g['m']}-{g['d']} {g.get('H') or '00'}:{g.get('M') or '00'}:{g.get('S') or '00'} WIB"


def _first_date(candidates, now: datetime | None):
    for source, raw in candidates:
        try:
            return parse_date_utc(raw, now=now), raw, source
        except DateParseError:
            continue
    return None, None, None


def _image(value) -> str | None:
    if isinstance(value, list):
        return next((i for i in map(_image, value) if i), None)
    if isinstance(value, dict):
        return fold(value.get("url") or value.get("contentUrl"))
    return fold(value)


def _keywords(value) -> list[str]:
    if isinstance(value, list):
        return [k for v in value for k in _keywords(v)]
    text = fold(value)
    return [k.strip() for k in text.split(",") if k.strip()] if text else []


def read_meta(root: HtmlElement, nodes: list[dict], url: str, portal: PortalConfig | None,
              now: datetime | None = None) -> PageMeta:
    """Read title, authors, dates, section, image, description and tags, each from its most trusted source.

    root: the parsed page (transforms.html_text.parse_html); its <meta> tags are read in one pass."""
    metas = MetaTags(root)
    article = next((n for n in nodes if node_types(n) & ARTICLE_TYPES), {})
    page = next((n for n in nodes if "WebPage" in node_types(n)), {})
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    selectors = portal.selectors if portal else {}
    meta = PageMeta()
    title = next(root.iter("title"), None)
    meta.title = (fold(article.get("headline")) or metas.content("og:title", "twitter:title")
                  or first_text(root, selectors.get("title", ("h1",)))
                  or (fold(get_text(title, " ")) if title is not None else None))
    authors = [a for a in jsonld_names(article.get("author"), by_id) if not ACCOUNT_NAME.search(a)]
    if not authors:
        byline = metas.content("author", "article:author") or first_text(root, selectors.get("author", ()))
        authors = [byline] if byline else []
    meta.authors = [a for a in dict.fromkeys(clean_author(a, portal) for a in authors) if a]
    meta.published_at, meta.published_raw, meta.date_source = _first_date(
        _date_candidates(root, metas, nodes, url, portal), now)
    modified = [("jsonld", n.get("dateModified")) for n in (article, page) if isinstance(n.get("dateModified"), str)]
    modified += [("meta", m) for m in [metas.content(*MODIFIED_META)] if m]
    meta.updated_at = _first_date(modified, now)[0]
    meta.section = fold(article.get("articleSection") if not isinstance(article.get("articleSection"), list)
                        else (article["articleSection"] or [None])[0]) or metas.content("article:section")
    meta.image_url = metas.content("og:image", "twitter:image") or _image(article.get("image"))
    meta.description = metas.content("og:description", "description", "twitter:description")
    tags = [get_text(t, " ", strip=True) for s in selectors.get("tags", ()) for t in select(root, s)]
    tags += [t.get("content").strip() for t in metas.article_tags if t.get("content")]
    meta.tags = list(dict.fromkeys(t for t in tags + _keywords(article.get("keywords")) if t))
    return meta
