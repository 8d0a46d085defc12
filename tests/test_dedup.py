"""Dedup: exact and syndicated copies cluster, same-template stories do not, ids are stable, bad input is survivable."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from transforms.dedup import SETTINGS, DedupResult, Settings, content_hash, dedup, main

PAIRS = ROOT / "warta" / "evaluation" / "data" / "dedup_pairs.jsonl"

BASE_TITLE = "Banjir rendam ratusan rumah di Pringsewu, BPBD dirikan posko pengungsian"
BASE = [
    "Pringsewu (ANTARA) - Badan Penanggulangan Bencana Daerah (BPBD) Kabupaten Pringsewu mencatat 312 rumah warga di "
    "empat kecamatan terendam banjir setelah hujan deras mengguyur wilayah itu sejak Minggu sore.",
    "Kepala Pelaksana BPBD Pringsewu Ahmad Rifai di Pringsewu, Senin, mengatakan banjir terjadi karena Sungai Way "
    "Sekampung dan Way Bulok meluap setelah debit air naik secara drastis dalam waktu kurang dari enam jam.",
    '"Ketinggian air di permukiman bervariasi antara 40 sentimeter hingga satu meter. Wilayah yang paling parah '
    'terdampak adalah Kecamatan Pagelaran dan Kecamatan Gadingrejo," kata dia.',
    "Menurut Ahmad, petugas BPBD bersama TNI, Polri, dan relawan Tagana telah mengevakuasi 87 warga ke posko "
    "pengungsian di balai pekon Pagelaran. Pemerintah kabupaten juga menyalurkan beras, mi instan, dan selimut.",
    "Ahmad mengimbau masyarakat yang tinggal di bantaran sungai untuk tetap waspada karena BMKG memprakirakan hujan "
    "lebat masih berpotensi terjadi di wilayah Lampung dalam sepekan ke depan.",
]


def item(id_: str, title: str, paragraphs: list[str]) -> dict:
    return {"id": id_, "title": title, "text": "\n\n".join(paragraphs)}


def pairs() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]


def together(a: dict, b: dict, settings: Settings = SETTINGS) -> bool:
    return len({r.cluster_id for r in dedup([a, b], settings=settings)}) == 1


def test_exact_duplicate_modulo_case_whitespace_punctuation():
    a = item("a", BASE_TITLE, BASE)
    b = {"id": "b", "title": BASE_TITLE.upper() + "!", "text": "  " + "\n".join(p.replace(", ", " ,  ") for p in BASE)}
    assert content_hash(a["title"], a["text"]) == content_hash(b["title"], b["text"])
    ra, rb = dedup([a, b])
    assert ra == DedupResult("a", "c-" + content_hash(a["title"], a["text"])[:16], None)
    assert rb == DedupResult("b", ra.cluster_id, "a")


def test_content_hash_drops_dateline_baca_juga_credits_and_footer():
    footer = ["Pewarta: Hendra Kurniawan", "Editor: Budisantoso", "COPYRIGHT © ANTARA 2024"]
    original = item("ant", BASE_TITLE, BASE + footer)
    body = BASE[0].split(" - ", 1)[1]
    copy = item("tribun", BASE_TITLE, [
        "Laporan Reporter Tribunlampung.co.id Tri Yulianto", "TRIBUNLAMPUNG.CO.ID, PRINGSEWU - " + body, *BASE[1:3],
        "Baca Juga: Jalan lintas barat lumpuh tertutup longsor", *BASE[3:-1], BASE[-1] + " (ant/hms)",
        "Artikel ini telah tayang di Tribunlampung.co.id dengan judul Banjir Pringsewu", "Penulis: Tri | Editor: Reny"])
    assert content_hash(original["title"], original["text"]) == content_hash(copy["title"], copy["text"])


DATELINES = ["Lampung Post - ", "PRINGSEWU, LAMPOST.CO -- ", "Bandar Lampung (Lampost.co) – ",
             "TRIBUNNEWS.COM, PRINGSEWU - "]


@pytest.mark.parametrize("dateline", DATELINES)
def test_syndicated_copy_with_new_dateline_headline_and_trimmed_tail_clusters(dateline):
    original = item("antara-1", BASE_TITLE, BASE)
    inserted = "Banjir juga merusak tanggul irigasi di Kecamatan Pardasuka yang baru dibangun tahun lalu."
    body = [dateline + BASE[0].split(" - ", 1)[1], *BASE[1:-1], inserted, "(ant)"]  # the last paragraph trimmed
    copy = item("lampost-1", "312 rumah di Pringsewu terendam banjir", body)
    results = dedup([original, copy])
    assert results[1].duplicate_of == "antara-1" and results[0].cluster_id == results[1].cluster_id


@pytest.mark.parametrize("kind", ["tribun_network_copy", "antara_copy_trimmed", "combined_heavy_edit",
                                  "light_paraphrase"])
def test_pairs_file_syndicated_kinds_cluster(kind):
    rows = [r for r in pairs() if r["kind"] == kind]
    assert rows and all(together(r["a"], r["b"]) for r in rows)


def test_same_template_stories_stay_apart():
    rows = [r for r in pairs() if r["kind"] == "same_template_other_place"]
    assert len(rows) >= 15
    assert [r["b"]["id"] for r in rows if together(r["a"], r["b"])] == []
    # Two regencies' flood reports written from one template, as inline text too.
    tanggamus = [p.replace("Pringsewu", "Tanggamus").replace("312", "205").replace("87", "140") for p in BASE]
    tanggamus[1] = ("Kepala Pelaksana BPBD Tanggamus Riswanto di Kotaagung, Sabtu, mengatakan banjir terjadi karena "
                    "Sungai Way Semaka meluap dan drainase permukiman tidak mampu menampung air hujan.")
    tanggamus[2] = '"Ketinggian air mencapai 1,5 meter di Kecamatan Semaka dan Wonosobo," kata dia.'
    tanggamus[3] = "Petugas mengevakuasi 140 warga ke masjid dan gedung sekolah; dapur umum dibuka Dinas Sosial."
    assert not together(item("a", BASE_TITLE, BASE), item("b", BASE_TITLE.replace("Pringsewu", "Tanggamus"), tanggamus))


def _paragraph(rng: random.Random) -> str:
    return " ".join(f"kata{rng.randrange(100_000)}" for _ in range(40)) + "."


def test_transitive_copies_share_one_cluster_led_by_the_first_seen():
    rng = random.Random(5)
    p = [_paragraph(rng) for _ in range(10)]
    a, b, c = item("a", "judul", p[0:6]), item("b", "judul", p[2:8]), item("c", "judul", p[4:10])
    assert not together(a, c)  # a and c share too little to match directly ...
    results = dedup([a, c, b])  # ... until b, seen last, bridges them
    assert {r.cluster_id for r in results} == {results[0].cluster_id}
    assert [r.duplicate_of for r in results] == [None, "a", "a"]


def test_cluster_ids_are_stable_and_derived_from_the_representative():
    rows = pairs()
    items = [r["a"] for r in rows] + [r["b"] for r in rows]
    first = dedup(items)
    assert first == dedup(items)
    by_id = {it["id"]: it for it in items}
    for r in first:
        rep = by_id[r.duplicate_of or r.id]
        assert r.cluster_id == "c-" + content_hash(rep["title"], rep["text"])[:16]
    # Unrelated articles around a cluster do not change its id.
    rng = random.Random(3)
    story = [_paragraph(rng) for _ in range(5)]
    original, copy = item("x1", "judul", ["Metro (ANTARA) - " + story[0], *story[1:]]), item("x2", "judul", story[:-1])
    alone = dedup([original, copy])
    mixed = {r.id: r for r in dedup(items[:40] + [original] + items[40:80] + [copy])}
    assert mixed["x1"] == alone[0] and mixed["x2"] == alone[1]


def test_hashes_and_output_do_not_depend_on_the_process_hash_seed():
    """Shingle hashes must not depend on PYTHONHASHSEED (str hashes do; crc32 and tuples of ints do not)."""
    probe = ("import json, sys; from transforms.dedup import *; rows = [json.loads(l) for l in sys.stdin]; "
             "print([band_keys(signature(shingle_hashes(normalised_words(r['title'], r['text']), 5), 126), 24, 2) "
             "for r in rows[:6]]); main([json.dumps(r) for r in rows], sys.stdout)")
    lines = "".join(json.dumps(r[side], ensure_ascii=False) + "\n" for r in pairs() for side in "ab")
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", probe], input=lines, capture_output=True, text=True,
                              cwd=ROOT, env=env, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == lines.count("\n") + 1


BAD = {
    "empty": {"id": "e1", "title": "", "text": ""},
    "empty-2": {"id": "e2", "title": "", "text": "   \n\n  "},
    "none-fields": {"id": "n1", "title": None, "text": None},
    "null-id": {"id": None, "title": "tanpa id", "text": "berita tanpa id " * 10},
    "missing-fields": {"id": "m1"},
    "non-string": {"id": 7, "title": 12, "text": ["a", "b"]},
    "punctuation": {"id": "p1", "title": "!!!", "text": "... ??? --- *** ((( )))"},
    "numbers": {"id": "d1", "title": "2024", "text": "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 " * 20},
    "english": {"id": "en", "title": "Floods hit Lampung", "text": "Heavy rain flooded homes on Monday. " * 30},
    "chinese": {"id": "zh", "title": "南榜洪水", "text": "周一大雨导致数百所房屋被淹。" * 50},
    "surrogate": {"id": "s1", "title": "x", "text": "broken \ud800 surrogate \x00 nul"},
    "dateline-only": {"id": "dl", "title": "", "text": "Bandarlampung (ANTARA) - "},
    "huge": {"id": "h1", "title": "besar", "text": ("warga kota " + "kata%d " * 8) * 9_000},
    "spaces": {"id": "sp", "title": "x", "text": "a" + " " * 1_000_000 + "b (ant)"},
}


def test_bad_inputs_give_valid_results():
    items = list(BAD.values())
    assert len(items[-2]["text"]) > 500_000 and len(items[-1]["text"]) > 1_000_000
    started = time.perf_counter()
    results = dedup(items + items)  # each bad item twice: the copies must not raise either
    assert time.perf_counter() - started < 20
    assert len(results) == 2 * len(items)
    for r in results:
        assert isinstance(r.id, str) and r.cluster_id.startswith("c-") and len(r.cluster_id) == 18
    first = results[: len(items)]
    # Items with no words at all stay on their own; the others' second copies point at the first.
    wordless = {"e1", "e2", "n1", "m1", "p1", "dl"}
    assert all(r.duplicate_of is None for r in first)
    assert {r.id for r in results[len(items):] if r.duplicate_of is None} == wordless
    assert len({r.cluster_id for r in first}) == len(first)


def test_cli_reads_json_lines_and_reports_bad_lines():
    story = json.dumps(item("a", BASE_TITLE, BASE))
    lines = [story, story.replace('"id": "a"', '"id": "b"'), "{not json", "[1, 2]", ""]
    out = io.StringIO()
    assert main(io.StringIO("\n".join(lines) + "\n"), out) == 1
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r.get("error") for r in records[:2]] == ["invalid_json", "invalid_json"]
    assert records[2:] == [{"id": "a", "cluster_id": records[2]["cluster_id"], "duplicate_of": None},
                           {"id": "b", "cluster_id": records[2]["cluster_id"], "duplicate_of": "a"}]
    assert main(io.StringIO(lines[0] + "\n"), io.StringIO()) == 0
    assert main(io.StringIO(""), out := io.StringIO()) == 0 and out.getvalue() == ""


def test_many_copies_of_one_story_stay_fast_and_together():
    """A story copied 400 times (each copy edited) must not make the bucket checks quadratic."""
    rng = random.Random(11)
    base = [_paragraph(rng) for _ in range(6)]
    items = []
    for i in range(400):
        paragraphs = list(base)
        paragraphs[rng.randrange(6)] = _paragraph(rng)
        items.append(item(f"copy{i}", "judul sama", paragraphs))
    started = time.perf_counter()
    results = dedup(items)
    assert time.perf_counter() - started < 10
    assert {r.cluster_id for r in results} == {results[0].cluster_id}


def test_pairs_file_is_well_formed():
    rows = pairs()
    assert len(rows) >= 60
    labels = [r["label"] for r in rows]
    assert labels.count("duplicate") >= 30 and labels.count("distinct") >= 30
    for r in rows:
        assert r["kind"] and set(r) == {"a", "b", "label", "kind"}
        for side in (r["a"], r["b"]):
            assert set(side) == {"id", "title", "text"}
            assert 150 <= len((side["title"] + " " + side["text"]).split()) <= 400, side["id"]


def test_chosen_setting_gets_every_measured_pair_right():
    """The floor behind the settings table in transforms/dedup.py: P = R = 1.0 on our 65 pairs."""
    assert SETTINGS == Settings(shingle=5, slots=126, bands=24, rows=2, threshold=0.5, measure="containment")
    wrong = [(r["kind"], r["a"]["id"], r["b"]["id"]) for r in pairs()
             if together(r["a"], r["b"]) != (r["label"] == "duplicate")]
    assert wrong == []
