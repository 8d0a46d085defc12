"""Canonical URLs: one article is one URL whatever variant links to it."""

from __future__ import annotations

import pytest

from warta.urls import canonical_url

DOMAINS = ("lampung.tribunnews.com", "lampost.co")
CANON = "https://lampost.co/berita/pemkot-luncurkan-aplikasi/"


@pytest.mark.parametrize(
    "variant",
    [
        "https://lampost.co/berita/pemkot-luncurkan-aplikasi/",
        "http://lampost.co/berita/pemkot-luncurkan-aplikasi/",
        "https://www.lampost.co/berita/pemkot-luncurkan-aplikasi/",
        "https://LAMPOST.co/berita/pemkot-luncurkan-aplikasi/#komentar",
        "https://lampost.co/berita/pemkot-luncurkan-aplikasi/?utm_source=fb&utm_medium=social",
        "https://lampost.co/berita/pemkot-luncurkan-aplikasi/?page=all",
        "https://lampost.co/berita/pemkot-luncurkan-aplikasi/amp/",
        "https://amp.lampost.co/berita/pemkot-luncurkan-aplikasi/",
        "https://lampost.co/berita/pemkot-luncurkan-aplikasi/?amp=1&fbclid=abc",
    ],
)
def test_variants_fold_onto_one_url(variant):
    assert canonical_url(variant, DOMAINS) == CANON


def test_meaningful_query_parameters_stay():
    assert canonical_url("https://lampost.co/?p=123&utm_source=x", DOMAINS) == "https://lampost.co/?p=123"


def test_www_is_kept_when_that_is_the_catalog_spelling():
    assert canonical_url("https://tribunnews.com/lampung/x", ("www.tribunnews.com",)) == "https://www.tribunnews.com/lampung/x"
