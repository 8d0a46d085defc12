"""Tests for transforms.language: hand-written samples per language plus the real pages in shared data."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# The project is not installed into the venv, and bare `pytest` puts tests/ (not the repo root) on sys.path.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from transforms.language import LANGUAGES, STOPWORDS, detect_language  # noqa: E402

SHARED_DATA = Path(os.environ.get("WARTA_SHARED_DATA", REPO_ROOT / "../shared/data"))
SEED_ARTICLE = SHARED_DATA / "seed/suaralampung-smart-city-award.txt"
GROUND_TRUTH = SHARED_DATA / "indonesian-news-html/ground-truth.json"

SAMPLES = [
    (
        "id",
        "Pemerintah Kabupaten Lampung Selatan akan memperbaiki jalan yang rusak di tiga kecamatan. Menurut "
        "kepala dinas, perbaikan dilakukan setelah musim hujan berakhir agar hasilnya lebih tahan lama.",
    ),
    ("id", "PT PLN hari ini resmi mengoperasikan gardu induk baru yang merupakan bagian dari jaringan Jawa."),
    (
        "en",
        "Erling Haaland scored twice as Manchester City beat Liverpool 3-1 at the Etihad Stadium on Sunday, "
        "and the win keeps the champions two points clear at the top of the table.",
    ),
    (
        "jv",
        "Warga desa kang manggon ing pinggir kali wis suwe ngarep-arep dalan anyar. Pak lurah ngendika yen proyek "
        "iki bakal diwiwiti sasi ngarep, nanging dana saka kabupaten durung mudhun.",
    ),
    (
        "jv",  # krama
        "Bapak Bupati sampun rawuh wonten ing pendhapa kabupaten. Panjenenganipun ngendikan bilih program menika "
        "badhe dipun wiwiti kanthi sesarengan kaliyan warga.",
    ),
    (
        "other",
        "Le conseil municipal de Lyon a voté mardi un nouveau budget pour les transports en commun et la "
        "rénovation des écoles primaires.",
    ),
    (
        "other",
        "Der Stadtrat hat am Dienstag in Berlin einen neuen Haushalt für den Nahverkehr und die Sanierung der "
        "Schulen beschlossen.",
    ),
]


@pytest.mark.parametrize("expected,text", SAMPLES, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(SAMPLES)])
def test_samples(expected, text):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   \n", "Halo", "Bupati datang.", "!!! ??? ...", "2024 12 07 1.500", None])
def test_short_or_empty_text_is_other(text):
    assert detect_language(text) == "other"


def test_stopword_lists_do_not_overlap():
    langs = list(STOPWORDS)
    for i, a in enumerate(langs):
        for b in langs[i + 1 :]:
            assert not STOPWORDS[a] & STOPWORDS[b], (a, b, STOPWORDS[a] & STOPWORDS[b])


def test_result_is_always_a_known_label():
    for text in ["x " * 500_000, "lan " * 10 + "the " * 10, "yang " * 3 + "ing " * 3]:
        assert detect_language(text) in LANGUAGES


def test_seed_article_is_indonesian():
    if not SEED_ARTICLE.is_file():
        pytest.fail(f"seed article missing: {SEED_ARTICLE} (set WARTA_SHARED_DATA to the shared data folder)")
    assert detect_language(SEED_ARTICLE.read_text(encoding="utf-8")) == "id"


def test_real_news_pages():
    """Bodies of real 2015-2017 portal pages: Tempo English is English, every other one Indonesian."""
    if not GROUND_TRUTH.is_file():
        pytest.fail(f"ground truth missing: {GROUND_TRUTH} (set WARTA_SHARED_DATA to the shared data folder)")
    pages = {k: v for k, v in json.loads(GROUND_TRUTH.read_text(encoding="utf-8")).items() if "body" in v}
    assert len(pages) >= 10
    got = {name: detect_language(page["body"]) for name, page in pages.items()}
    expected = {name: "en" if name.startswith("tempoen") else "id" for name in pages}
    assert got == expected
