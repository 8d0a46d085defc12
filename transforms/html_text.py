"""Bytes to a parsed page: charset decided by the bytes, JSON-LD nodes, meta tags, block texts."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup, CData, Comment, Doctype, NavigableString, ProcessingInstruction, Tag

MAX_PAGE_BYTES = 5 * 1024 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption", "caption")
CONTAINER_TAGS = ("div", "section", "article", "main", "ul", "ol", "dl", "table", "tbody", "thead", "tr", "td", "th",
                  "figure", "header", "footer", "center", "font")
ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle"}


class PageRejected(Exception):
    """A page that cannot yield an article; .reason is a short snake_case name."""

    def __init__(self, reason: str, detail: str = "", *, title: str | None = None, published_raw: str | None = None):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.title = title  # what was found before the page was rejected, kept with the reject
        self.published_raw = published_raw


def decode_html(raw: bytes | str, declared: str | None = None) -> str:
    """Decode page bytes; when the declared charset and the bytes disagree, the bytes win."""
    if isinstance(raw, str):
        return raw
    if not raw or not raw.strip():
        raise PageRejected("empty_page")
    if len(raw) > MAX_PAGE_BYTES:
        raise PageRejected("too_large", f"{len(raw)} bytes")
    if b"\x00" in raw[:4096]:
        raise PageRejected("not_html", "binary bytes")
    try:
        return raw.decode("utf-8")  # valid UTF-8 is almost never an accident
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(raw[:4096])
    for charset in (declared, match.group(1).decode("ascii", "ignore") if match else None, "cp1252"):
        if charset:
            try:
                return raw.decode(charset)
            except (UnicodeDecodeError, LookupError):
                continue
    return raw.decode("utf-8", errors="replace")


def parse_html(text: str) -> BeautifulSoup:
    """Parse decoded page text; a document without HTML markup is rejected."""
    if "<" not in text[:2048] or not re.search(r"<(html|body|head|div|p|article)\b", text[:200_000], re.I):
        raise PageRejected("not_html", "no HTML markup")
    return BeautifulSoup(text, "lxml")


def jsonld_nodes(soup: BeautifulSoup) -> list[dict]:
    """Every JSON-LD object on the page, @graph and lists flattened; broken blocks are skipped."""
    nodes: list[dict] = []
    for script in soup.find_all("script", attrs={"type": re.compile("ld\\+json", re.I)}):
        try:
            data = json.loads(script.string or script.get_text() or "null")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                nodes.append(item)
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
    return nodes


def node_types(node: dict) -> set[str]:
    """A JSON-LD node's @type as a set of names."""
    value = node.get("@type", [])
    return {value} if isinstance(value, str) else {v for v in value if isinstance(v, str)}


def meta_content(soup: BeautifulSoup, *names: str) -> str | None:
    """The first non-empty content of <meta name=...> or <meta property=...> among the names."""
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content", "").strip():
            return tag["content"].strip()
    return None


def block_texts(node: Tag) -> list[str]:
    """One line per paragraph of a container: block elements, and text runs between <br>s or blocks."""
    lines: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = " ".join("".join(run).split())
        if text:
            lines.append(text)
        run.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, (Comment, Doctype, CData, ProcessingInstruction)):
                run.append(str(child))
        elif child.name == "br":
            flush()
        elif child.name in BLOCK_TAGS:
            flush()
            lines.append(" ".join(child.get_text(" ").split()))
        elif child.name in CONTAINER_TAGS:
            flush()
            lines.extend(block_texts(child))
        else:  # inline: a, b, strong, em, span... stay inside the running paragraph
            run.append(child.get_text(" "))
    flush()
    return [line for line in lines if line]


def first_text(soup: BeautifulSoup, selectors: tuple[str, ...]) -> str | None:
    """The whitespace-folded text of the first selector that matches something non-empty."""
    for selector in selectors:
        for tag in soup.select(selector):
            text = " ".join(tag.get_text(" ").split())
            if text:
                return text
    return None
