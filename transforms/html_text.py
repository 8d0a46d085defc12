"""Bytes to a parsed page: charset decided by the bytes, JSON-LD nodes, meta tags, block texts.

Pages are parsed once, with lxml and trafilatura's own parser settings (comments and processing instructions
dropped), so the tree read here for metadata and portal selectors is the tree the general extractor hands to
trafilatura. Portal selectors are CSS, compiled to XPath (cssselect) once per selector. Text is read the way
BeautifulSoup's get_text(" ") read it, string by string: text inside script, style, template, rt and rp only
counts for that element itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from cssselect import HTMLTranslator
from cssselect import parse as _parse_css
from lxml import etree
from lxml.html import Element as _html_element
from lxml.html import HtmlComment, HtmlElement, HtmlElementClassLookup, HtmlEntity, HtmlProcessingInstruction

MAX_PAGE_BYTES = 5 * 1024 * 1024
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption", "caption")
CONTAINER_TAGS = ("div", "section", "article", "main", "ul", "ol", "dl", "table", "tbody", "thead", "tr", "td", "th",
                  "figure", "header", "footer", "center", "font")
ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle"}
_BLOCK_SET, _CONTAINER_SET = frozenset(BLOCK_TAGS), frozenset(CONTAINER_TAGS)
# Elements whose text is a kind of its own (BeautifulSoup's string containers): it counts for the element itself
# (a script's text is the script's), never for an element around it.
STRING_CONTAINERS = ("script", "style", "template", "rt", "rp")
_SC_SET = frozenset(STRING_CONTAINERS)
# Left where a removed element's tail text is joined to the text before it: the two stay separate strings, as
# they were beside the element (U+FDD0 is a Unicode noncharacter, reserved for exactly this internal use).
STRING_BREAK = "\ufdd0"
_LD_JSON = re.compile("ld\\+json", re.I)
_MARKUP = re.compile(r"<(html|body|head|div|p|article)\b", re.I)
_FULL_HTML_TEXT = re.compile(r"^\s*<(?:html|!doctype)", re.I).match  # lxml.html.fromstring's document test
_FULL_HTML_BYTES = re.compile(rb"^\s*<(?:html|!doctype)", re.I).match


class PageRejected(Exception):
    """A page that cannot yield an article; .reason is a short snake_case name."""

    def __init__(self, reason: str, detail: str = "", *, title: str | None = None, published_raw: str | None = None):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.title = title  # what was found before the page was rejected, kept with the reject
        self.published_raw = published_raw


def decode_page(raw: bytes | str, declared: str | None = None) -> tuple[str, bytes | None]:
    """decode_html, and the bytes themselves when they were the text's UTF-8 (parsed as they are: faster)."""
    if isinstance(raw, str):
        return raw, None
    if not raw or not raw.strip():
        raise PageRejected("empty_page")
    if len(raw) > MAX_PAGE_BYTES:
        raise PageRejected("too_large", f"{len(raw)} bytes")
    if b"\x00" in raw[:4096]:
        raise PageRejected("not_html", "binary bytes")
    try:
        return raw.decode("utf-8"), raw  # valid UTF-8 is almost never an accident
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(raw[:4096])
    for charset in (declared, match.group(1).decode("ascii", "ignore") if match else None, "cp1252"):
        if charset:
            try:
                return raw.decode(charset), None
            except (UnicodeDecodeError, LookupError):
                continue
    return raw.decode("utf-8", errors="replace"), None


def decode_html(raw: bytes | str, declared: str | None = None) -> str:
    """Decode page bytes; when the declared charset and the bytes disagree, the bytes win."""
    return decode_page(raw, declared)[0]


# --- parsing -------------------------------------------------------------------------------------------------


def _html_class_lookup() -> etree.ElementNamespaceClassLookup:
    """lxml.html's element classes (FormElement for <form>, ..., HtmlElement for the rest), looked up in C:
    lxml.html's own lookup calls back into Python for every element object made, a cost paid again for
    every element trafilatura touches."""
    lookup = etree.ElementNamespaceClassLookup(etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    names = lookup.get_namespace(None)
    for name, cls in HtmlElementClassLookup._default_element_classes.items():  # noqa: SLF001
        names[name] = cls
    return lookup


@dataclass(frozen=True)
class _Parsing:
    parser: etree.HTMLParser
    repair: object  # trafilatura.utils.repair_faulty_html
    is_dubious: object  # trafilatura.utils.is_dubious_html
    load_html: object  # trafilatura.utils.load_html
    doctype_tag: re.Pattern
    replicated: bool  # the code ParsedPage.trafilatura_tree and _repair_is_noop follow is the code verified


_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_INVALID_XML_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
# sha256 (first 16 hex digits) of the sources ParsedPage.trafilatura_tree and _repair_is_noop follow, as verified
# (trafilatura 2.3.1, lxml 6.1.3); when one changes, the general extractor parses the page again with load_html
# (slower, same results) until they are checked again.
_REPLICATED_SOURCES = {
    "trafilatura.utils.load_html": "bc0039c89805dea3",
    "trafilatura.utils.fromstring_bytes": "c5ee8713366ea137",
    "trafilatura.utils.repair_faulty_html": "7e68c7a3cb24910c",
    "trafilatura.utils.is_dubious_html": "6a98ba97c3457a35",
    "lxml.html.fromstring": "8b8e63380d250f1a",
    "lxml.html.document_fromstring": "178911388f3cab43",
}


def _sources_unchanged(functions: dict[str, object]) -> bool:
    import hashlib
    import inspect

    try:
        return all(hashlib.sha256(inspect.getsource(functions[name]).encode()).hexdigest()[:16] == digest
                   for name, digest in _REPLICATED_SOURCES.items())
    except (OSError, TypeError):
        return False


@lru_cache(maxsize=1)
def _trafilatura_parsing() -> _Parsing:
    """trafilatura's parser (same settings, faster element lookup) and pre-parse repairs; imported on first
    use: trafilatura is slow to import."""
    import lxml.html
    from trafilatura import utils

    parser = utils.HTML_PARSER.copy()
    parser.set_element_class_lookup(_html_class_lookup())
    replicated = utils.INVALID_XML_CHARS.pattern == _INVALID_XML_CHARS and _sources_unchanged({
        "trafilatura.utils.load_html": utils.load_html, "trafilatura.utils.fromstring_bytes": utils.fromstring_bytes,
        "trafilatura.utils.repair_faulty_html": utils.repair_faulty_html,
        "trafilatura.utils.is_dubious_html": utils.is_dubious_html, "lxml.html.fromstring": lxml.html.fromstring,
        "lxml.html.document_fromstring": lxml.html.document_fromstring})
    return _Parsing(parser, utils.repair_faulty_html, utils.is_dubious_html, utils.load_html, utils.DOCTYPE_TAG,
                    replicated)


def _repair_is_noop(text: str, utf8: bytes, beginning: str, parsing: _Parsing) -> bool:
    """True when trafilatura's repair_faulty_html(text) would return the text as it is (its character filter
    checked on the UTF-8 bytes, where it is several times faster) and lxml would parse the text as a str (no
    XML encoding declaration): parsing the bytes then gives the same tree."""
    if not parsing.replicated or text.startswith("<?xml"):  # a str with an encoding declaration: ValueError
        return False
    if len(utf8.translate(None, _CONTROL_BYTES)) != len(utf8) or b"\xef\xbf\xbe" in utf8 or b"\xef\xbf\xbf" in utf8:
        return False  # U+FFFE, U+FFFF in UTF-8
    if "doctype" in beginning:
        newline = text.find("\n")
        if newline < 0 or parsing.doctype_tag.match(text, 0, newline):
            return False
    return not any("<html" in line and line.endswith("/>") for line in text[:4096].splitlines()[:4])


def _fromstring(source: str | bytes):
    """The document root libxml2 makes of the source (None for an empty document); str with an encoding
    declaration raises ValueError, as in lxml."""
    parser = _trafilatura_parsing().parser
    try:
        return etree.fromstring(source, parser)
    except ValueError:
        raise
    except Exception:  # noqa: BLE001 - lxml.html.fromstring raises for an empty document: no tree
        return None


@dataclass
class ParsedPage:
    """A parsed page: the whole document for metadata and selectors, and what trafilatura's load_html needs to
    turn the same parse into its own input (see trafilatura_tree)."""

    root: HtmlElement  # the <html> element of the document (an empty one when nothing parsed)
    text: str  # the decoded page
    source: str  # the text as parsed (after trafilatura's repairs)
    document: HtmlElement | None  # the parse itself, None when libxml2 found no document
    bytes_parsed: bool  # the text declared an encoding, so it was parsed as UTF-8 bytes (as load_html does)
    dubious: bool  # "html" is not in the first 50 characters: load_html's check for a non-document

    def trafilatura_tree(self) -> HtmlElement | None:
        """What trafilatura.utils.load_html(text) returns for the same text, from this parse (no second parse
        except in load_html's own rare retry); None where load_html returns None. Call it last: for a page
        that is not a whole document it may rename <body>, as lxml.html.fromstring does."""
        parsing = _trafilatura_parsing()
        if not parsing.replicated:  # trafilatura or lxml changed what is followed here: let load_html parse
            try:
                return parsing.load_html(self.text)
            except Exception:  # noqa: BLE001 - as generic_body: no tree, no general body
                return None
        tree = None
        try:
            if self.document is not None:
                source = self.source.encode("utf8", "surrogatepass") if self.bytes_parsed else self.source
                full = _FULL_HTML_BYTES(source) if self.bytes_parsed else _FULL_HTML_TEXT(source)
                tree = self.document if full else _fragment_view(self.document)
        except Exception:  # noqa: BLE001 - load_html logs and goes on without a tree
            tree = None
        if (tree is None or len(tree) < 1) and not self.bytes_parsed:
            tree = _fragment_or_document(self.source.encode("utf8", "surrogatepass"))
        if tree is not None and self.dubious and len(tree) < 2:
            tree = None
        return tree


def _fragment_view(doc: HtmlElement) -> HtmlElement:
    """lxml.html.fromstring's answer for a source that does not start like a whole document."""
    bodies = doc.findall("body") or doc.findall("{http://www.w3.org/1999/xhtml}body")
    body = bodies[0] if bodies else None
    for other_body in bodies[1:]:
        if other_body.text:
            if len(body):
                body[-1].tail = (body[-1].tail or "") + other_body.text
            else:
                body.text = (body.text or "") + other_body.text
        body.extend(other_body)
        other_body.drop_tree()
    heads = doc.findall("head") or doc.findall("{http://www.w3.org/1999/xhtml}head")
    if heads:
        for other_head in heads[1:]:
            heads[0].extend(other_head)
            other_head.drop_tree()
        return doc
    if body is None:
        return doc
    if (len(body) == 1 and (not body.text or not body.text.strip())
            and (not body[-1].tail or not body[-1].tail.strip())):
        return body[0]
    from lxml.html import _contains_block_level_tag

    body.tag = "div" if _contains_block_level_tag(body) else "span"
    return body


def _fragment_or_document(source: bytes) -> HtmlElement | None:
    """trafilatura.utils.fromstring_bytes: lxml.html.fromstring on bytes, None when it fails."""
    try:
        doc = _fromstring(source)
        if doc is None:
            return None
        return doc if _FULL_HTML_BYTES(source) else _fragment_view(doc)
    except Exception:  # noqa: BLE001
        return None


def parse_page(text: str, utf8: bytes | None = None) -> ParsedPage:
    """Parse decoded page text once (see ParsedPage); a document without HTML markup is rejected.

    utf8: the page's bytes when the text is their UTF-8 decoding (decode_page); libxml2 then reads them as
    they are, the same document as from the text, without re-encoding it."""
    if "<" not in text[:2048] or not _MARKUP.search(text, 0, 200_000):
        raise PageRejected("not_html", "no HTML markup")
    parsing = _trafilatura_parsing()
    beginning = text[:50].lower()
    bytes_parsed = False
    if utf8 is not None and _repair_is_noop(text, utf8, beginning, parsing):
        source = text
        try:
            document = _fromstring(utf8)
        except ValueError:  # not raised for bytes; kept for symmetry with the text path
            document = None
    else:
        source = parsing.repair(text, beginning)
        try:
            document = _fromstring(source)
        except ValueError:  # "Unicode strings with encoding declaration are not supported"
            bytes_parsed = True
            try:
                document = _fromstring(source.encode("utf8", "surrogatepass"))
            except Exception:  # noqa: BLE001
                document = None
    root = document
    if root is None:  # nothing libxml2 could keep (markup only inside comments): an empty page, not an error
        root = _html_element("html")
    return ParsedPage(root, text, source, document, bytes_parsed, parsing.is_dubious(beginning))


def parse_html(text: str) -> HtmlElement:
    """Parse decoded page text into an lxml tree (its <html> element); a document without HTML markup is
    rejected."""
    return parse_page(text).root


# --- text ----------------------------------------------------------------------------------------------------


def _string_container_above(node) -> str | None:
    """The name of the innermost string container around the node (not the node itself), if any."""
    for ancestor in node.iterancestors(*STRING_CONTAINERS):
        return ancestor.tag
    return None


def strings(node) -> list[str]:
    """The node's text strings in document order, as BeautifulSoup's get_text() saw them (its own tail not
    included; text inside script/style/template/rt/rp only for that element itself)."""
    tag = node.tag
    if not isinstance(tag, str):
        return []
    want = tag if tag in _SC_SET else None
    if want is None:
        if _string_container_above(node) is not None:
            return []
        if next(node.iter(*STRING_CONTAINERS), None) is None:
            found = list(node.itertext())
            return _split_breaks(found)
    found, kinds = [], [_string_container_above(node)]
    for event, element in etree.iterwalk(node, events=("start", "end")):
        if event == "start":
            kind = element.tag if element.tag in _SC_SET else kinds[-1]
            kinds.append(kind)
            if element.text and kind == want:
                found.append(element.text)
        else:
            kinds.pop()
            if element is not node and element.tail and kinds[-1] == want:
                found.append(element.tail)
    return _split_breaks(found)


def _split_breaks(found: list[str]) -> list[str]:
    if any(STRING_BREAK in s for s in found):
        return [part for s in found for part in s.split(STRING_BREAK)]
    return found


def get_text(node, separator: str = "", strip: bool = False) -> str:
    """BeautifulSoup's Tag.get_text(separator, strip) for an lxml element."""
    found = strings(node)
    if strip:
        return separator.join(s for s in (s.strip() for s in found) if s)
    return separator.join(found)


def folded_text(node) -> str:
    """The node's text, strings joined by spaces and whitespace folded: " ".join(get_text(" ").split())."""
    return " ".join(" ".join(strings(node)).split())


def remove(node) -> None:
    """Take an element out of the tree, keeping the text after it (as its own string, as before)."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    if tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = previous.tail + STRING_BREAK + tail if previous.tail else tail
        else:
            parent.text = parent.text + STRING_BREAK + tail if parent.text else tail
    parent.remove(node)


# --- selectors -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledSelector:
    """A CSS selector (cssselect's XPath for it) as soupsieve ran it: matched anywhere in the document."""

    document: etree.XPath  # from the root: every match in the document
    local: etree.XPath | None  # from an element: its descendants that match; None when a combinator's left
    # side may sit above the element ("figure figcaption" inside a figure), so document matches are filtered


@lru_cache(maxsize=2048)
def compile_selector(selector: str) -> CompiledSelector:
    """Compile a CSS selector; raises (cssselect's SelectorError, an XPath error) when it cannot be used."""
    translator = HTMLTranslator()
    document, local = [], []
    for parsed in _parse_css(selector):
        if parsed.pseudo_element is not None:
            raise ValueError(f"pseudo-elements are not supported: {selector!r}")
        expression = translator.xpath(parsed.parsed_tree)
        document.append("descendant-or-self::" + str(expression))
        local.append("descendant::" + str(expression) if not expression.path else None)
    return CompiledSelector(etree.XPath(" | ".join(document)),
                            None if None in local else etree.XPath(" | ".join(local)))


def select(node, selector: str) -> list:
    """Elements matching the CSS selector, in document order: the whole document's from its root, a
    container's descendants otherwise (soupsieve's soup.select / tag.select)."""
    compiled = compile_selector(selector)
    if node.getparent() is None:
        return compiled.document(node)
    if compiled.local is not None:
        return compiled.local(node)
    return [found for found in compiled.document(node.getroottree().getroot())
            if any(ancestor is node for ancestor in found.iterancestors())]


def select_one(node, selector: str):
    """The first element matching the CSS selector (see select), or None."""
    found = select(node, selector)
    return found[0] if found else None


# --- page parts ----------------------------------------------------------------------------------------------


class MetaTags:
    """A page's <meta> tags, read in one pass: the first by property and by name, and all article:tag ones."""

    def __init__(self, root):
        self.by_property: dict[str, HtmlElement] = {}
        self.by_name: dict[str, HtmlElement] = {}
        self.article_tags: list[HtmlElement] = []
        for tag in root.iter("meta"):
            prop, name = tag.get("property"), tag.get("name")
            if prop is not None:
                self.by_property.setdefault(prop, tag)
                if prop == "article:tag":
                    self.article_tags.append(tag)
            if name is not None:
                self.by_name.setdefault(name, tag)

    def content(self, *names: str) -> str | None:
        """The first non-empty content of <meta name=...> or <meta property=...> among the names."""
        for name in names:
            tag = self.by_property.get(name)
            if tag is None:
                tag = self.by_name.get(name)
            if tag is not None:
                value = (tag.get("content") or "").strip()
                if value:
                    return value
        return None


def jsonld_nodes(root) -> list[dict]:
    """Every JSON-LD object on the page, @graph and lists flattened; broken blocks are skipped."""
    nodes: list[dict] = []
    for script in root.iter("script"):
        kind = script.get("type")
        if kind is None or not _LD_JSON.search(kind):
            continue
        try:
            data = json.loads(get_text(script) or "null")
        except (json.JSONDecodeError, TypeError, ValueError, RecursionError):
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


def meta_content(page, *names: str) -> str | None:
    """The first non-empty content of <meta name=...> or <meta property=...> among the names (page: an lxml
    tree, or its MetaTags when they were read already)."""
    return (page if isinstance(page, MetaTags) else MetaTags(page)).content(*names)


def block_texts(node) -> list[str]:
    """One line per paragraph of a container: block elements, and text runs between <br>s or blocks."""
    lines: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = " ".join("".join(run).split())
        if text:
            lines.append(text)
        run.clear()

    if node.text:
        run.append(node.text.replace(STRING_BREAK, ""))
    for child in node:
        name = child.tag
        if not isinstance(name, str):
            pass
        elif name == "br":
            flush()
        elif name in _BLOCK_SET:
            flush()
            lines.append(folded_text(child))
        elif name in _CONTAINER_SET:
            flush()
            lines.extend(block_texts(child))
        else:  # inline: a, b, strong, em, span... stay inside the running paragraph
            run.append(" ".join(strings(child)))
        if child.tail:
            run.append(child.tail.replace(STRING_BREAK, ""))
    flush()
    return [line for line in lines if line]


def first_text(root, selectors: tuple[str, ...]) -> str | None:
    """The whitespace-folded text of the first selector that matches something non-empty."""
    for selector in selectors:
        for tag in select(root, selector):
            text = folded_text(tag)
            if text:
                return text
    return None
