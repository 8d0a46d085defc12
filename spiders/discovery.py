"""Discovery documents -> article links: sitemaps, news sitemaps, RSS/Atom feeds, listings, WordPress API.

Pure functions over bytes (or a parsed listing page), so each strategy is tested without a crawl.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lxml import etree

from transforms.html_text import PageRejected, decode_html

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class Found:
    """A link a discovery document lists, with the dates it gives (raw), if any."""

    url: str
    published_raw: str | None = None
    modified_raw: str | None = None  # when the document says the article last changed: a re-crawl's signal


@dataclass(frozen=True)
class Discovered:
    """What one discovery document yields: article links and further discovery documents (sitemap index)."""

    links: list[Found]
    children: list[str]


class DiscoveryError(ValueError):
    """A discovery document that cannot be read; .reason names why."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def parse_xml(body: bytes) -> etree._Element:
    """Parse XML whose bytes win over its declared encoding (feeds often declare the wrong one)."""
    try:
        text = _XML_DECLARATION.sub("", decode_html(body), count=1)
    except PageRejected as exc:
        raise DiscoveryError("unreadable_xml", exc.reason) from None
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(text.encode("utf-8"), parser=parser)
    if root is None:
        raise DiscoveryError("unreadable_xml", "no XML element")
    return root


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(node, *names: str) -> str | None:
    for child in node:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()
    return None


def _descendant_text(node, name: str) -> str | None:
    for child in node.iter():
        if _local(child.tag) == name and (child.text or "").strip():
            return child.text.strip()
    return None


def parse_sitemap(body: bytes) -> Discovered:
    """A sitemap urlset (news sitemap included: its publication_date is kept) or a sitemap index."""
    root = parse_xml(body)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        return Discovered([], [loc for s in root if (loc := _child_text(s, "loc"))])
    if kind != "urlset":
        raise DiscoveryError("not_a_sitemap", f"root element <{kind}>")
    links = []
    for entry in root:
        loc = _child_text(entry, "loc")
        if loc:
            lastmod = _child_text(entry, "lastmod")
            links.append(Found(loc, _descendant_text(entry, "publication_date") or lastmod, lastmod))
    return Discovered(links, [])


def parse_feed(body: bytes) -> Discovered:
    """An RSS 2.0 or Atom feed: each item's link and its date."""
    root = parse_xml(body)
    links = []
    for item in root.iter():
        name = _local(item.tag)
        if name == "item":  # RSS
            link = _child_text(item, "link") or _child_text(item, "guid")
            date, modified = _child_text(item, "pubDate", "date", "published"), _child_text(item, "updated", "modified")
        elif name == "entry":  # Atom
            hrefs = [c.get("href") for c in item if _local(c.tag) == "link" and c.get("rel", "alternate") == "alternate"]
            link = next((h for h in hrefs if h), None)
            date, modified = _child_text(item, "published", "updated"), _child_text(item, "updated")
        else:
            continue
        if link:
            links.append(Found(link.strip(), date, modified))
    if not links and _local(root.tag) not in ("rss", "feed", "RDF"):
        raise DiscoveryError("not_a_feed", f"root element <{_local(root.tag)}>")
    return Discovered(links, [])


def parse_wp_api(body: bytes) -> Discovered:
    """A WordPress REST /wp/v2/posts page: a JSON list of posts with their link and GMT date."""
    try:
        posts = json.loads(decode_html(body))
    except (ValueError, PageRejected) as exc:
        raise DiscoveryError("unreadable_json", str(exc)) from None
    if not isinstance(posts, list):
        raise DiscoveryError("not_a_post_list", type(posts).__name__)
    links = []
    for post in posts:
        if isinstance(post, dict) and isinstance(post.get("link"), str):
            links.append(Found(post["link"], _gmt(post.get("date_gmt")) or post.get("date"),
                               _gmt(post.get("modified_gmt")) or post.get("modified")))
    return Discovered(links, [])


def _gmt(value) -> str | None:
    """WordPress's *_gmt fields are UTC without a zone: say so."""
    if not isinstance(value, str) or not value:
        return None
    return value if value.endswith("Z") else f"{value}Z"


def parse_listing(hrefs: list[str]) -> Discovered:
    """A listing page: its links (already absolute, from the selector); the portal's pattern filters them."""
    return Discovered([Found(h) for h in dict.fromkeys(hrefs)], [])
