"""The article body: the portal's template when it matches, else the general extractor; noise elements out."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from transforms.html_text import block_texts
from warta.catalog import PortalConfig

# Elements inside a body that are never article text, whatever the portal: related-link boxes, ad labels.
NOISE_TEXT = re.compile(
    r"^\s*(baca|lihat) juga\b|^\s*(advertisement|scroll to (resume|continue with) content|iklan)\s*$|^\s*\[gambas:", re.I
)
NOISE_TAGS = ("script", "style", "noscript", "iframe", "form", "button", "figcaption", "aside")
MAX_NOISE_CHARS = 400  # a "Baca Juga" box is short; a long paragraph that starts so is read and judged by lines


def strip_noise(container) -> None:
    """Remove script/ad/caption elements and short related-link boxes from a body container, in place."""
    for tag in container.find_all(NOISE_TAGS):
        tag.decompose()
    for tag in container.find_all(["div", "p", "span", "strong", "ul", "section", "table"]):
        if tag.decomposed:
            continue
        text = tag.get_text(" ", strip=True)
        if len(text) <= MAX_NOISE_CHARS and NOISE_TEXT.match(text):
            tag.decompose()


def portal_body(soup: BeautifulSoup, portal: PortalConfig | None) -> list[str] | None:
    """Body blocks from the first portal body selector that matches (the template is trusted), else None."""
    for selector in portal.selectors.get("body", ()) if portal else ():
        container = soup.select_one(selector)
        if container is None:
            continue
        for drop in portal.drop_selectors:
            for tag in container.select(drop):
                tag.decompose()
        strip_noise(container)
        return block_texts(container)
    return None


def general_body(html: str, url: str | None) -> tuple[list[str], str]:
    """Body paragraphs from the general extractor, and its label."""
    from transforms.generic import GENERIC_EXTRACTOR, generic_body

    return generic_body(html, url), GENERIC_EXTRACTOR
