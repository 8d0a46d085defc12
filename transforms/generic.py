"""Body extraction for pages no portal selector matches: trafilatura (precision mode) plus generic post-cleaning.

On the article-extraction-benchmark (181 pages, shingle F1) this beats trafilatura alone in every mode, faster than
trafilatura.extract alone: one fast trafilatura run on ~84% of pages, a full run after it on the rest (and a
default-mode run on ~2%); tests/test_generic.py holds the floor. Every rule is a page convention (headline, link
teasers, captions, prompts, embedded posts, a loose lead), never a per-site selector, and nothing reads ground truth.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

GENERIC_EXTRACTOR = "warta-generic"

LOG = logging.getLogger(__name__)
_WORD = re.compile(r"\w+")
# Precision mode sometimes keeps only a fragment (a teaser, a caption); below this share of the page's
# paragraph text we ask the default mode too, and keep its output when precision kept under FALLBACK_RATIO of it.
SUSPECT_SHARE = 0.25
FALLBACK_RATIO = 0.2
# trafilatura's comparison with readability/justext costs about a third of its time and, on the 199 pages of both
# benchmarks, changed the output only where the fast run (without it) kept under 500 characters or under a quarter
# of the page's paragraph text; below these (twice as strict) bounds the full run is made.
CONFIDENT_CHARS, CONFIDENT_SHARE = 1000, 0.5
# A line that is (nearly) all one link's text is a teaser or a related-article entry, not prose; a short link
# line ("Review", a site name in brackets) is too often a real list item or source label to judge this way.
MIN_LINK_WORDS, MAX_LINK_WORDS, LINK_SHARE = 4, 25, 0.8
MAX_PROMPT_WORDS = 40  # boilerplate prompts are short; a long paragraph mentioning "newsletter" is prose

# Whole lines that are page furniture rather than article text (English-language conventions; the Indonesian
# ones live in transforms/clean.py). Each is anchored or bounded so a sentence that merely mentions the word stays.
# The anchored ones are matched at the line start only: searched, one alternation of them tries every position.
_BOILERPLATE_START = re.compile(
    "|".join(
        (
            r"(advertisement|advertisements|sponsored|story continues below|continue reading( below)?)\W*$",
            r"(read more|related( posts?| stories| articles| content| coverage)?|more|see also|also read"
            r"|you may also like|recommended( for you)?|don'?t miss|most read|trending)\W*$",
            r"(read more|related( posts?| stories| articles)?|more|see also|also read)\s*:",
            r"(share|share this( article| story)?|click to share|tweet|email|print|close)\W*$",
            r"(load|show|view) more\W*$",
            r"\d*\s*comments?\W*$|(leave a (comment|reply)|tell us what you think|join the conversation)\b",
            r"(©|copyright\b|\(c\)\s)",
            r"\(?(reporting|writing|editing|additional reporting) by\b|contributing:",
            r"(photo|image|picture|video|credit)s?( credit)?\s*:",
            r"(get|receive) .{0,60}\b(inbox|newsletter)",
            r"follow\b.{0,80}\bcoverage\b",
            r"((posted|published|written|updated)( by| on)?|by)\s+\S+(\s+\S+){0,3}$",
            r"\d{1,2}[:./]\d{2}\b.{0,40}\bby\s+\S+(\s+\S+){0,3}$",
        )
    ),
    re.I,
)
_BOILERPLATE_ANYWHERE = re.compile(
    "|".join(
        (
            r"\ball rights reserved\W*$",
            r"\bcontributed (reporting|to this report)\b",
            r"\b(sign up|subscribe)\b.{0,80}\bnewsletters?\b|\bnewsletters?\b.{0,40}\b(sign up|subscribe)\b",
            r"\bfollow\b[^.]{0,60}\bon (facebook|twitter|instagram|youtube|linkedin|tiktok)\b",
            r"\bclick here\b.{0,40}$",
            r"\b(we use cookies|this (web)?site uses cookies|accept (all )?cookies|cookie (policy|settings))\b",
        )
    ),
    re.I,
)


# Every _BOILERPLATE_ANYWHERE match holds one of these: most lines are let through by a substring test alone.
_ANYWHERE_WORDS = ("reserved", "contributed", "newsletter", "follow", "click here", "cookie")


def is_boilerplate(line: str) -> bool:
    """True when a whole line is page furniture (a prompt, a credit, a share or comment label)."""
    if _BOILERPLATE_START.match(line):
        return True
    folded = line.casefold()
    return any(word in folded for word in _ANYWHERE_WORDS) and _BOILERPLATE_ANYWHERE.search(line) is not None


def _norm(text: str) -> str:
    """Words only, case-folded: how lines are compared with page elements."""
    return " ".join(_WORD.findall(text.casefold()))


def _raw_text(node: HtmlElement) -> str:
    """All text inside an element; an element without children is read without an XPath evaluation."""
    return node.text_content() if len(node) else node.text or ""


def _text(node: HtmlElement) -> str:
    """Whitespace-folded text of an element."""
    return " ".join(_raw_text(node).split())


def _extract(tree: HtmlElement, url: str | None, **modes) -> list[str]:
    """One trafilatura run (comments excluded: reader comments are never the body) as non-empty lines."""
    text = trafilatura.extract(tree, url=url, include_comments=False, **modes) or ""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _precise(tree: HtmlElement, url: str | None, page: int) -> list[str]:
    """Precision mode's lines: its fast run (no readability/justext comparison) when that kept a confident share
    of the page, else the full run. The comparison only replaces a short or missing extraction, so a long one
    needs no second opinion."""
    lines = _extract(tree, url, favor_precision=True, fast=True)
    kept = sum(map(len, lines))
    if kept >= CONFIDENT_CHARS and kept >= CONFIDENT_SHARE * page > 0:  # a page without <p>s gives no measure
        return lines
    return _extract(tree, url, favor_precision=True)


def _choose(tree: HtmlElement, url: str | None, page: int) -> list[str]:
    """Precision mode's lines, or the default mode's when precision collapsed to a fragment of the page (page:
    the characters of paragraph text on the whole page)."""
    lines = _precise(tree, url, page)
    kept = sum(map(len, lines))
    if kept >= SUSPECT_SHARE * page:  # the usual case
        return lines
    default = _extract(tree, url)
    return default if kept < FALLBACK_RATIO * sum(map(len, default)) else lines


@dataclass
class PageView:
    """What the line rules compare extracted lines with, gathered in one walk over the page."""

    paragraph_chars: int = 0  # characters of paragraph text on the whole page: what an extraction is judged against
    paragraphs: dict[str, HtmlElement] = field(default_factory=dict)  # first <p> by its first words
    paragraph_list: list[HtmlElement] = field(default_factory=list)  # every <p>, in document order
    headlines: set[str] = field(default_factory=set)  # <title> and its site-name-less parts, og/twitter titles, <h1>s
    links: dict[str, set[str]] = field(default_factory=dict)  # link texts (teasers, related lists), by first word
    captions: set[str] = field(default_factory=set)  # figure captions, image alt/title texts
    tweets: list[HtmlElement] = field(default_factory=list)  # embedded posts


def _opening(text: str) -> str:
    """A text's first words: how an output line finds the paragraph it came from."""
    return " ".join(text.split()[:4])


def view_page(tree: HtmlElement) -> PageView:
    """Walk the page once for everything the line rules need (all texts normalised)."""
    view, titles, captions = PageView(), [], []
    for node in tree.iter("p", "a", "title", "h1", "meta", "figcaption", "img", "blockquote"):
        tag = node.tag
        if tag == "p":
            text = _text(node)
            view.paragraph_chars += len(text)
            view.paragraphs.setdefault(_opening(text), node)
            view.paragraph_list.append(node)
        elif tag == "a":
            _add_link(view.links, _raw_text(node))
        elif tag == "img":
            captions += [node.get("alt", ""), node.get("title", "")]
        elif tag == "figcaption":
            captions.append(_text(node))
        elif tag == "meta":
            if node.get("property") == "og:title" or node.get("name") == "twitter:title":
                titles.append(node.get("content", ""))
        elif tag == "blockquote":
            if "twitter-tweet" in (node.get("class") or ""):
                view.tweets.append(node)
        else:  # title, h1
            titles.append(_text(node))
    parts = [p for t in titles for p in re.split(r"\s+[|\-–—:»]\s+", t)]
    view.headlines = {n for n in map(_norm, titles + parts) if n}
    view.captions = {n for n in map(_norm, captions) if n}
    return view


def _add_link(by_first: dict[str, set[str]], raw: str) -> None:
    """Index one link's text when it is long enough to be a teaser."""
    if raw.count(" ") + 1 < MIN_LINK_WORDS:  # most links (nav, tags) are short: skip them cheaply
        return
    text = _norm(raw)
    if MIN_LINK_WORDS <= text.count(" ") + 1 <= MAX_LINK_WORDS:
        by_first.setdefault(text.split(" ", 1)[0], set()).add(text)


def _is_link_line(norm: str, links: dict[str, set[str]]) -> bool:
    """True when one link's text makes up at least LINK_SHARE of the line (a teaser with a label or a tag)."""
    words = norm.split()
    if not MIN_LINK_WORDS <= len(words) <= MAX_LINK_WORDS / LINK_SHARE:
        return False
    need = LINK_SHARE * len(words)
    for start in range(len(words) - int(need) + 1):  # the link must start early enough to cover that share
        tail = " ".join(words[start:])
        if any(len(t.split()) >= need and (tail + " ").startswith(t + " ") for t in links.get(words[start], ())):
            return True
    return False


def _clean(lines: list[str], view: PageView) -> list[str]:
    """Drop headline repeats, boilerplate prompts, link-only teaser lines and captions."""
    headlines, links, captions = view.headlines, view.links, view.captions
    kept = []
    for line in lines:
        norm, words = _norm(line), len(line.split())  # words by spaces: a bare URL is one word, not five
        if not norm or norm in headlines or norm in captions:
            continue
        if (words <= MAX_PROMPT_WORDS and is_boilerplate(line)) or (
            words >= MIN_LINK_WORDS and _is_link_line(norm, links)
        ):
            continue
        kept.append(line)
    return kept


def _post_lines(quote: HtmlElement) -> list[str]:
    """An embedded post as lines, broken at <p> and <br> so its attribution ("— Name (@handle) date") stands alone."""
    parts = []
    for event, node in etree.iterwalk(quote, events=("start", "end")):
        if node.tag in ("p", "br"):
            parts.append("\n")
        if event == "start" and isinstance(node.tag, str):
            parts.append(node.text or "")
        elif event == "end" and node is not quote:
            parts.append(node.tail or "")
    return [" ".join(line.split()) for line in "".join(parts).splitlines() if line.strip()]


def _nearest_kept(paragraphs: list[HtmlElement], at: dict[str, int]) -> int | None:
    """Output index of the first paragraph, in the given order, whose text was kept."""
    return next((at[n] for n in (_norm(_text(p)) for p in paragraphs) if n in at), None)


def _add_embedded_posts(lines: list[str], view: PageView) -> list[str]:
    """Put back embedded tweets trafilatura dropped that sit between kept paragraphs: quoted story content."""
    quotes = view.tweets
    if not quotes:  # most pages: nothing to do
        return lines
    at = {_norm(line): i for i, line in enumerate(lines)}
    kept = " ".join(at)
    inserts: dict[int, list[str]] = {}
    for quote in quotes:
        post = _post_lines(quote)
        if not post or _norm(post[0]) in kept:  # kept already, maybe joined with other lines
            continue
        before = _nearest_kept(quote.xpath("preceding::p")[::-1], at)
        if before is not None and _nearest_kept(quote.xpath("following::p"), at) is not None:  # not a sidebar embed
            inserts.setdefault(before, []).extend(post)
    return [out for i, line in enumerate(lines) for out in [line, *inserts.get(i, [])]]


# Elements that flow inside a paragraph; any other child of a body container is a block of its own.
_INLINE = frozenset(("a", "b", "strong", "i", "em", "u", "span", "font", "small", "big", "sup", "sub", "br", "mark"))
MIN_LEAD_WORDS = 10  # a lead is a sentence or more; a shorter loose run is a dateline, a byline or a label
_TEXT_WITH = etree.XPath("//body//text()[contains(normalize-space(.), $needle)]", smart_strings=True)


def _paragraph_of(line: str, view: PageView) -> HtmlElement | None:
    """The <p> whose text is the given output line, when its opening words find one."""
    paragraph = view.paragraphs.get(_opening(line))
    if paragraph is not None and _norm(_text(paragraph)).startswith(_norm(line)[:80]):
        return paragraph
    return None


def _block_of(line: str, tree: HtmlElement, view: PageView) -> HtmlElement | None:
    """The block element (not an inline one) whose text is the given output line, found by its opening words:
    a <p> from the page view, else any text node that holds them."""
    paragraph = _paragraph_of(line, view)
    if paragraph is not None:
        return paragraph
    target = _norm(line)[:80]
    for found in _TEXT_WITH(tree, needle=_opening(line))[:5]:
        node = found.getparent()
        if found.is_tail:  # text after an inline element belongs to that element's parent
            node = node.getparent()
        while node is not None and node.tag in _INLINE:
            node = node.getparent()
        if node is not None and _norm(_text(node)).startswith(target):
            return node
    return None


def _loose_lead(container: HtmlElement, first: HtmlElement) -> str:
    """Text standing directly in the container (its own text, inline children) before its first kept block,
    when only empty blocks lie between; '' otherwise."""
    parts = [container.text or ""]
    for child in container:
        if child is first:
            return " ".join("".join(parts).split())
        if child.tag in _INLINE:
            parts.append(child.text_content())
        elif _text(child):  # another block comes first: the loose text is not this paragraph's lead
            return ""
        parts.append(child.tail or "")
    return ""


def _add_lead(lines: list[str], tree: HtmlElement, view: PageView) -> list[str]:
    """Put back a lead paragraph written as loose text at the top of the body container ("<div>Kapanlagi.com -
    Brandon ...<p>..."): trafilatura keeps only the text inside the container's blocks."""
    first = _block_of(lines[0], tree, view) if lines else None
    container = first.getparent() if first is not None else None
    if container is None:
        return lines
    lead = _loose_lead(container, first)
    if len(lead.split()) < MIN_LEAD_WORDS or _norm(lead) in _norm(" ".join(lines)):
        return lines
    return [lead, *lines]


# A body split around ads or widgets goes on in later containers of the same tag and class (Wired's
# "article__body" chunks); such a container is taken when it is close by and holds real paragraphs.
MIN_CONTINUED_PARAGRAPHS, MIN_PARAGRAPH_WORDS, MAX_CONTINUATION_LEVELS = 3, 12, 3


def _continuation_paragraphs(container: HtmlElement, kept: str) -> list[str]:
    """A later same-class container's paragraph texts not kept already, when enough of them are prose."""
    texts = [t for t in map(_text, container.iter("p")) if t and _norm(t) not in kept]
    prose = sum(len(t.split()) >= MIN_PARAGRAPH_WORDS for t in texts)
    return texts if prose >= MIN_CONTINUED_PARAGRAPHS else []


def _continuations(lines: list[str], view: PageView) -> list[str]:
    """Paragraphs of the body's later chunks that trafilatura left out: parents of later <p>s with the tag and
    class of the last kept paragraph's parent, sharing an ancestor with it within MAX_CONTINUATION_LEVELS."""
    last = _paragraph_of(lines[-1], view) if lines else None
    container = last.getparent() if last is not None else None
    if container is None or not container.get("class"):
        return []
    near = set(list(container.iterancestors())[:MAX_CONTINUATION_LEVELS])
    kept, seen, found = None, {container}, []
    for paragraph in view.paragraph_list[view.paragraph_list.index(last) + 1:]:
        other = paragraph.getparent()
        if other in seen or other.tag != container.tag or other.get("class") != container.get("class"):
            continue
        seen.add(other)
        ancestors = set(other.iterancestors())
        if ancestors & near and container not in ancestors:
            kept = kept if kept is not None else _norm(" ".join(lines))  # rarely needed: made when it is
            found += _continuation_paragraphs(other, kept)
    return found


def generic_body(html: str, url: str | None = None) -> list[str]:
    """Body paragraphs of an arbitrary article page (one per list item), best effort; [] when there is none."""
    try:
        if not isinstance(html, str) or not html.strip():
            return []
        tree = load_html(html)  # parsed once, shared by both trafilatura runs (it copies the tree) and our rules
    except Exception as error:  # noqa: BLE001 - a fallback extractor must never take the pipeline down
        LOG.warning("generic extraction failed for %s: %s", url, error)
        return []
    return generic_body_of_tree(tree, url)


def generic_body_of_tree(tree: HtmlElement | None, url: str | None = None) -> list[str]:
    """generic_body for a page parsed already: `tree` is what trafilatura.utils.load_html returns for it (None:
    not a page). The tree is only read, never changed."""
    try:
        if tree is None:
            return []
        view = view_page(tree)  # before trafilatura runs: it works on its own copy, this tree stays as parsed
        lines = _clean(_add_embedded_posts(_choose(tree, url, view.paragraph_chars), view), view)
        return _add_lead(lines + _clean(_continuations(lines, view), view), tree, view)
    except Exception as error:  # noqa: BLE001 - a fallback extractor must never take the pipeline down
        LOG.warning("generic extraction failed for %s: %s", url, error)
        return []
