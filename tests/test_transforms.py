"""Cleaning, extraction rejects and curation over raw-page tables (pure functions, no I/O)."""

from __future__ import annotations

from datetime import datetime, timezone

import pyarrow as pa

from transforms.clean import clean_paragraphs, cut_dateline
from transforms.curate import curate_pages
from transforms.extract import extract_page
from transforms.html_text import PageRejected, decode_html
from warehouse.schemas import ARTICLES, RAW_PAGES
from warta.catalog import get_portal

PORTAL = get_portal("suaralampung")
FETCHED = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
PARAS = [f"Paragraf {i} tentang layanan publik digital di Kota Metro yang makin mudah diakses warga." for i in range(4)]


def article_table(urls: list[str]) -> pa.Table:
    """A small valid articles table, for warehouse tests."""
    rows = [{"url": u, "published_at": FETCHED, "body": "isi", "run_id": "r", "tags": [], "dimensions": []} for u in urls]
    return pa.Table.from_pylist(rows, schema=ARTICLES)


def page(body_html: str, jsonld_date: str | None = "2023-12-07T14:05:00+07:00", visible: str = "") -> str:
    graph = f'{{"@type":"WebPage","datePublished":"{jsonld_date}"}},' if jsonld_date else ""
    return (
        "<html><head><title>Judul</title>"
        f'<script type="application/ld+json">{{"@graph":[{graph}{{"@type":"NewsArticle","headline":"Judul Berita",'
        '"author":{"@type":"Person","name":"Wartawan Satu"}}]}</script></head>'
        f'<body><div class="date">{visible}</div><div class="content-article">{body_html}</div>'
        '<aside><p>Berita terpopuler lain</p></aside></body></html>'
    )


def test_noise_lines_go_and_ordinary_sentences_stay():
    lines, dateline = clean_paragraphs(
        [
            "SuaraLampung.id - Pemerintah Kota Metro menerima penghargaan.",
            "Baca Juga:Kenaikan Harga Makanan Sumbang Inflasi",
            "BACA JUGA: Judul lain",
            "Warga diminta baca juga aturan terbaru sebelum mengurus izin.",
            "Simak berita lainnya seputar Lampung di Google News",
            "Penulis: Ahmad",
            "Editor: Budi",
            "(Suara.com/Ahmad)",
            "Halaman 2 dari 3",
        ],
        PORTAL,
    )
    assert dateline == "SuaraLampung.id"
    assert lines == ["Pemerintah Kota Metro menerima penghargaan.",
                     "Warga diminta baca juga aturan terbaru sebelum mengurus izin."]


def test_timestamps_counters_credits_and_contacts_go_but_sentences_with_them_stay():
    noise = [
        "- Selasa, 23/02/2016 16:10 WIB",  # a related-article list once its links are gone
        "Kamis, 05 November 2015 11:52",
        "Jum'at, 7 Des 2023 | 14.05 WITA",
        "07/12/2023",
        "01",
        "10.",
        "Fotografer: Grandyos Zafna",
        "Redaksi: redaksi[at]detikfinance.com",
        "Informasi pemasangan iklan",
        "hubungi : sales[at]detik.com",
        "| Penulis | : Kontributor Lhokseumawe, Masriadi |",  # a credit table row as trafilatura writes it
        "| Editor | : Ervan Hardoko |",
        "Disclaimer : Komentar adalah tanggapan pribadi, tidak mewakili kebijakan editorial redaksi.",
    ]
    prose = [
        "Selasa, 23/02/2016 pukul 15.32 WIB, polisi menangkap dua tersangka di Metro.",
        "Pada 10 November 2015 warga berkumpul di balai kota.",
        "01 Desember menjadi batas akhir pendaftaran beasiswa daerah.",
        "Redaksi menerima 120 surat pembaca tentang layanan air bersih.",
        "Fotografer lokal memamerkan karya tentang Kota Metro.",
        "Disclaimer: pandangan dalam artikel ini adalah pendapat penulis.",  # an article's own disclaimer
        "Warga bisa menghubungi sales[at]pdam.go.id atau datang ke kantor PDAM untuk memasang sambungan baru.",
        "| Tahun | Jumlah penduduk |",
    ]
    lines, _ = clean_paragraphs(noise + prose)
    assert lines == prose


def test_generic_datelines_are_cut_and_kept():
    assert cut_dateline("Bandarlampung (ANTARA) - Pemprov Lampung") == ("Bandarlampung (ANTARA)", "Pemprov Lampung")
    assert cut_dateline("BANDAR LAMPUNG, KOMPAS.com - Wali Kota") == ("BANDAR LAMPUNG, KOMPAS.com", "Wali Kota")
    assert cut_dateline("Pemerintah - tanpa dateline") == (None, "Pemerintah - tanpa dateline")
    assert cut_dateline("Mataram, NTB (ANTARA News) - Sebanyak 29") == ("Mataram, NTB (ANTARA News)", "Sebanyak 29")
    assert cut_dateline("ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) -- Kota") == (
        "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire)", "Kota")
    assert cut_dateline("REPUBLIKA.CO.ID, JAKARTA -- Aktris") == ("REPUBLIKA.CO.ID, JAKARTA", "Aktris")
    assert cut_dateline("TEMPO.CO, Jakarta - Organisasi") == ("TEMPO.CO, Jakarta", "Organisasi")
    assert cut_dateline("Liputan6.com, Jakarta - Indonesia") == ("Liputan6.com, Jakarta", "Indonesia")
    assert cut_dateline("Harga beras (antara lain) - kata dia") == (None, "Harga beras (antara lain) - kata dia")


def test_extract_uses_jsonld_and_cleans_the_body():
    html = page("".join(f"<p>{p}</p>" for p in ["SuaraLampung.id - " + PARAS[0], *PARAS[1:]])
                + "<p><strong>Baca Juga:</strong> <a href='#'>Berita lain</a></p>")
    result = extract_page(html.encode(), "https://lampung.suara.com/read/2023/12/07/140500/judul", PORTAL)
    assert result.title == "Judul Berita" and result.author == "Wartawan Satu"
    assert result.published_at == datetime(2023, 12, 7, 7, 5, tzinfo=timezone.utc)
    assert result.published_raw == "2023-12-07T14:05:00+07:00" and result.date_source == "jsonld"
    assert result.body.splitlines() == PARAS and result.dateline == "SuaraLampung.id"
    assert "terpopuler" not in result.body and result.extractor == "selectors"


def test_visible_date_is_used_when_jsonld_has_none():
    html = page("".join(f"<p>{p}</p>" for p in PARAS), jsonld_date=None, visible="Senin, 15 Mei 2023 | 09:30 WIB")
    result = extract_page(html, "https://lampung.suara.com/read/2023/05/15/093000/x", PORTAL)
    assert result.date_source == "visible" and result.published_at == datetime(2023, 5, 15, 2, 30, tzinfo=timezone.utc)


def test_page_without_body_or_date_is_rejected_with_a_named_reason():
    try:
        extract_page(page("<iframe src='v'></iframe><p>Video banjir.</p>"), "https://lampung.suara.com/read/2023/12/06/163010/v", PORTAL)
    except PageRejected as exc:
        assert exc.reason == "no_body" and exc.title == "Judul Berita"
    else:
        raise AssertionError("a page without a body was accepted")
    undated = page("".join(f"<p>{p}</p>" for p in PARAS), jsonld_date=None)
    try:
        extract_page(undated, "https://lampung.suara.com/read/2023/13/45/999999/x", PORTAL)  # impossible URL date
    except PageRejected as exc:
        assert exc.reason == "no_date"
    else:
        raise AssertionError("a page without a date was accepted")


def test_bytes_win_over_a_lying_charset():
    text = "<html><head><meta charset='iso-8859-1'></head><body><p>Kabupaten Pesisir Barat – “hebat”</p></body></html>"
    assert "“hebat”" in decode_html(text.encode("utf-8"), "iso-8859-1")
    assert decode_html("<p>caf\xe9</p>".encode("cp1252"), "iso-8859-1") == "<p>caf\xe9</p>"


def raw_row(url: str, html: str | bytes, status: int = 200, minutes: int = 0) -> dict:
    return {"url": url, "fetched_at": FETCHED.replace(minute=minutes), "status": status, "content_type": "text/html",
            "etag": None, "last_modified": None, "discovered_via": "sitemap",
            "html": html.encode() if isinstance(html, str) else html, "run_id": "r1"}


def test_curate_turns_every_page_into_one_article_or_one_reject():
    good = page("".join(f"<p>{p}</p>" for p in PARAS))
    raw = pa.Table.from_pylist(
        [
            raw_row("https://lampung.suara.com/read/2023/12/07/140500/a", good),
            raw_row("https://lampung.suara.com/read/2023/12/07/140500/a", good, minutes=5),
            raw_row("https://lampung.suara.com/read/2023/12/07/140500/b", page("<p>pendek</p>")),
            raw_row("https://lampung.suara.com/read/2023/12/07/140500/c", b"\x00\x01\x02binary"),
            raw_row("https://lampung.suara.com/read/2023/12/07/140500/d", b""),
            raw_row("https://lampung.suara.com/read/2023/12/07/140500/e", good, status=500),
            raw_row("https://lampung.suara.com/read/2027/12/07/140500/f", page("".join(f"<p>{p}</p>" for p in PARAS),
                                                                               jsonld_date="2027-12-07T14:05:00+07:00")),
        ],
        schema=RAW_PAGES,
    )
    result = curate_pages(raw, PORTAL, "run-1")
    assert result.articles.num_rows == 1
    assert result.articles.column("fetched_at")[0].as_py().minute == 5  # the newest fetch won
    reasons = dict(zip(result.rejects.column("url").to_pylist(), result.rejects.column("reason").to_pylist()))
    assert sorted(reasons.values()) == ["date_in_future", "duplicate_url", "empty_page", "http_status", "no_body", "not_html"]
    assert result.counts["articles"] == 1 and result.counts["rejected:no_body"] == 1
    assert result.articles.schema == ARTICLES
    row = result.articles.to_pylist()[0]
    assert row["run_id"] == "run-1" and row["taxonomy_version"] and row["language"] == "id"
