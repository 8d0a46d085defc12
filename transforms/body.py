"""The article body: the portal's template when it matches, else the general extractor; noise elements out."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from transforms.html_text import (STRING_BREAK, STRING_CONTAINERS, ParsedPage, block_texts, remove, select,
                                  select_one, strings)
from warta.catalog import PortalConfig

# Elements inside a body that are never article text, whatever the portal: related-link boxes, ad labels.
NOISE_TEXT = re.compile(
    r"^\s*(baca|lihat) juga\b|^\s*(advertisement|scroll to (resume|continue with) content|iklan)\s*$|^\s*\[gambas:", re.I
)
NOISE_TAGS = ("script", "style", "noscript", "iframe", "form", "button", "figcaption", "aside")
MAX_NOISE_CHARS = 400  # a "Baca Juga" box is short; a long paragraph that starts so is read and judged by lines
_BOX_TAGS = frozenset(("div", "p", "span", "strong", "ul", "section", "table"))


def _short_text(node, fast: bool) -> str | None:
    """The node's text as get_text(" ", strip=True) reads it, or None once it is longer than MAX_NOISE_CHARS
    (stops reading there: a long block is never a noise box)."""
    parts, size = [], -1
    for string in node.itertext() if fast else strings(node):
        for piece in string.split(STRING_BREAK) if fast and STRING_BREAK in string else (string,):
            piece = piece.strip()
            if piece:
                size += len(piece) + 1
                if size > MAX_NOISE_CHARS:
                    return None
                parts.append(piece)
    return " ".join(parts)


def strip_noise(container: HtmlElement) -> None:
    """Remove script/ad/caption elements and short related-link boxes from a body container, in place."""
    for tag in [t for t in container.iter(*NOISE_TAGS) if t is not container]:
        remove(tag)
    # text inside a string container (template, ruby annotations) needs the careful reading; most bodies have none
    fast = next(container.iter(*STRING_CONTAINERS), None) is None and next(
        container.iterancestors(*STRING_CONTAINERS), None) is None
    stack = list(container)[::-1]
    while stack:  # document order; a removed box's insides are not looked at again
        tag = stack.pop()
        if tag.tag in _BOX_TAGS:
            text = _short_text(tag, fast)
            if text is not None and NOISE_TEXT.match(text):
                remove(tag)
                continue
        stack.extend(list(tag)[::-1])


def portal_body(root: HtmlElement, portal: PortalConfig | None) -> list[str] | None:
    """Body blocks from the first portal body selector that matches (the template is trusted), else None."""
    for selector in portal.selectors.get("body", ()) if portal else ():
        container = select_one(root, selector)
        if container is None:
            continue
        for drop in portal.drop_selectors:
            for tag in select(container, drop):
                remove(tag)
        strip_noise(container)
        return block_texts(container)
    return None


def general_body(html: str, url: str | None, page: ParsedPage | None = None) -> tuple[list[str], str]:
    """Body paragraphs from the general extractor, and its label (page: the same html parsed already, so
    it is not parsed again)."""
    from transforms.generic import GENERIC_EXTRACTOR, generic_body, generic_body_of_tree

    if page is None:
        return generic_body(html, url), GENERIC_EXTRACTOR
    return generic_body_of_tree(page.trafilatura_tree(), url), GENERIC_EXTRACTOR  # what load_html(html) gives
