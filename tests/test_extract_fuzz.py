"""Bad input never escapes as an exception: every malformed document gets a named reject reason or a record."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.extract import extract_page
from transforms.html_text import PageRejected
from warta.catalog import get_portal

PORTAL = get_portal("suaralampung")
URL = "https://lampung.suara.com/read/2023/12/07/140500/uji"
REASONS = {"empty_page", "not_html", "too_large", "no_body", "no_date", "out_of_scope", "date_in_future",
           "date_before_portal"}
TAGS = st.sampled_from(["div", "p", "span", "script", "article", "h1", "meta", "time", "a", "ul", "li", "html", "body"])


@st.composite
def html_soup(draw):
    """Malformed HTML: random tags opened and closed out of order, text, attributes, JSON-LD scraps."""
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 5))
        tag = draw(TAGS)
        if kind == 0:
            parts.append(f"<{tag} class='{draw(st.sampled_from(['content-article', 'date', 'info', 'x']))}'>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(st.text(max_size=80)))
        elif kind == 3:
            parts.append('<script type="application/ld+json">' + draw(st.text(max_size=60)) + "</script>")
        elif kind == 4:
            parts.append(f"<meta property='article:published_time' content='{draw(st.text(max_size=30))}'>")
        else:
            parts.append("Baca Juga: " + draw(st.text(max_size=30)))
    return "".join(parts)


def check(document) -> None:
    try:
        page = extract_page(document, URL, PORTAL)
    except PageRejected as exc:
        assert exc.reason in REASONS
    else:
        assert len(page.body) >= 200 and page.published_at.tzinfo is not None


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(document):
    check(document)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_soup())
def test_malformed_html(document):
    check(document)


def test_gigantic_deeply_nested_and_truncated_pages_get_named_reasons():
    reasons = {}
    for name, document in {
        "gigantic": b"<html><body>" + b"<p>kata</p>" * 600_000 + b"</body></html>",
        "nested": "<html><body>" + "<div>" * 5000 + "teks" + "</div>" * 5000 + "</body></html>",
        "truncated": "<html><head><title>Judul</title></head><body><div class='content-article'><p>Pemerintah",
        "not_html": "just some words and no markup at all",
        "empty": b"",
    }.items():
        try:
            extract_page(document, URL, PORTAL)
        except PageRejected as exc:
            reasons[name] = exc.reason
    assert reasons == {"gigantic": "too_large", "nested": "no_body", "truncated": "no_body", "not_html": "not_html",
                       "empty": "empty_page"}
