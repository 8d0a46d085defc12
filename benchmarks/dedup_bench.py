"""Dedup: threshold measurement on our labelled pairs, and speed/memory at 10,000 and 100,000 articles.

    .venv/bin/python benchmarks/dedup_bench.py --measure     # precision/recall of settings on the pairs file
    .venv/bin/python benchmarks/dedup_bench.py               # time at 10k and 100k, ratio (target <= 12), peak RSS

Speed runs use synthetic articles: Zipf-weighted draws from an embedded Indonesian vocabulary, ~10% of them
syndicated-style copies of an earlier article (new dateline, footer, "Baca juga" line, trimmed tail, an inserted
sentence, a few words swapped). Each size runs in a fresh process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.dedup import (  # noqa: E402
    MIN_SHINGLES, SETTINGS, Settings, band_keys, dedup, fingerprints, normalised_words, shingle_hashes, signature,
    similarity,
)

PAIRS = ROOT / "warta" / "evaluation" / "data" / "dedup_pairs.jsonl"
VOCAB = """
yang di dan itu dengan untuk dari pada ini dalam akan tidak juga ke karena oleh sebagai atau telah sudah masih
bisa dapat harus agar saat setelah hingga sejak antara para kami kita mereka ia dia warga masyarakat pemerintah
kota kabupaten provinsi desa kelurahan kecamatan pekon kampung dinas kepala bupati wali gubernur camat lurah
dprd polres polda polisi tni bpbd bmkg bps pln pdam rsud puskesmas sekolah pasar jalan jembatan sungai banjir
longsor gempa kebakaran kecelakaan hujan angin cuaca harga beras cabai bawang minyak gula telur daging ayam
ikan kopi lada sawit karet jagung padi petani nelayan pedagang sopir truk bus motor mobil kereta kapal pelabuhan
bandara tol lintas sumatera lampung bandar metro pringsewu tanggamus pesawaran tulang bawang mesuji way kanan
utara selatan timur barat tengah pesisir liwa kotabumi kalianda sukadana menggala gunung sugih blambangan umpu
rumah kios gedung kantor balai masjid lapangan taman terminal posko bantuan sembako paket anggaran apbd pajak
retribusi izin aplikasi layanan daring digital kamera wifi internet data program kegiatan rapat paripurna pelantikan
festival pameran umkm wisata budaya tapis tari parade lomba siswa guru mahasiswa dokter pasien vaksin imunisasi
dbd stunting inflasi ekspor produksi panen stok pasokan distribusi operasi murah naik turun tinggi rendah baru
lama besar kecil banyak sedikit sekitar persen ribu juta miliar triliun kilogram ton meter kilometer hektare
senin selasa rabu kamis jumat sabtu minggu pagi siang sore malam hari pekan bulan tahun januari juni desember
mengatakan menyebut menjelaskan menambahkan mengimbau meminta berharap meninjau meresmikan meluncurkan menggelar
mencatat menyalurkan mengevakuasi memadamkan menertibkan memperbaiki membangun mendata memantau menyiapkan
terendam terdampak tewas luka rusak hangus padam meluap mengungsi diamankan diperiksa disahkan dibuka ditutup
""".split()
WEIGHTS = [1 / (rank + 1) ** 0.8 for rank in range(len(VOCAB))]  # Zipf-like: function words dominate, as in news
DATELINES = ["Bandarlampung (ANTARA) - ", "Lampung Post - ", "TRIBUNLAMPUNG.CO.ID, METRO - ",
             "KALIANDA, LAMPUNGPRO.CO - "]


def article(rng: random.Random, i: int) -> dict:
    """A synthetic article: 4-7 paragraphs of 30-60 words, a dateline, a short title."""
    paras = [" ".join(rng.choices(VOCAB, WEIGHTS, k=rng.randint(30, 60))) + "." for _ in range(rng.randint(4, 7))]
    paras[0] = rng.choice(DATELINES) + paras[0]
    return {"id": f"a{i}", "title": " ".join(rng.choices(VOCAB, WEIGHTS, k=8)), "text": "\n\n".join(paras)}


def syndicated_copy(rng: random.Random, base: dict, i: int) -> dict:
    """A copy of an article the way regional portals republish: new dateline and footer, small edits."""
    paras = base["text"].split("\n\n")
    paras[0] = rng.choice(DATELINES) + paras[0].split(" - ", 1)[-1]
    if len(paras) > 4 and rng.random() < 0.5:
        paras = paras[: -1]  # trimmed tail
    if rng.random() < 0.5:
        paras.insert(rng.randint(1, len(paras)), " ".join(rng.choices(VOCAB, WEIGHTS, k=25)) + ".")
    words = paras[1].split()
    for _ in range(rng.randint(0, 3)):
        words[rng.randrange(len(words))] = rng.choice(VOCAB)
    paras[1] = " ".join(words)
    paras.insert(2, "Baca juga: " + " ".join(rng.choices(VOCAB, k=6)))
    paras.append(f"Artikel ini telah tayang di Tribunlampung.co.id dengan judul {base['title']}")
    return {"id": f"a{i}", "title": base["title"], "text": "\n\n".join(paras), "copy_of": base["id"]}


def corpus(n: int, seed: int = 7) -> list[dict]:
    """n articles, about 10% of them copies of an earlier one (copies of copies included)."""
    rng = random.Random(seed)
    items: list[dict] = []
    for i in range(n):
        items.append(syndicated_copy(rng, rng.choice(items), i) if items and rng.random() < 0.1 else article(rng, i))
    return items


def run_one(n: int) -> dict:
    """Time dedup over n synthetic articles in this process; report time, RSS and planted-copy recall."""
    items = corpus(n)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    results = dedup(items)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    cluster = {r.id: r.cluster_id for r in results}
    copies = [it for it in items if "copy_of" in it]
    found = sum(cluster[it["id"]] == cluster[it["copy_of"]] for it in copies)
    originals = [it["id"] for it in items if "copy_of" not in it]
    merged = len(originals) - len({cluster[i] for i in originals})
    return {"n": n, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "rss_before_mb": round(rss_before),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "copies": len(copies), "copies_found": found, "originals_merged": merged}


def speed(sizes: list[int], repeat: int) -> None:
    """Each size `repeat` times, each in a fresh interpreter; print the best times, the growth ratio and memory.

    Runs are interleaved (10k, 100k, 10k, ...) so both sizes meet the same machine load, and the ratio is taken on
    process CPU time: on a shared machine wall time swings with other people's jobs.
    """
    runs: dict[int, list[dict]] = {n: [] for n in sizes}
    for _ in range(repeat):
        for n in sizes:
            command = [sys.executable, __file__, "--one", str(n)]
            runs[n].append(json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout))
    rows = [min(runs[n], key=lambda run: run["cpu_seconds"]) for n in sizes]
    for r in rows:
        print(f"n={r['n']:>7}: cpu {r['cpu_seconds']:6.2f} s, wall {r['seconds']:6.2f} s (best of {repeat}; "
              f"{r['n'] / r['cpu_seconds']:,.0f} articles/cpu-s)  peak RSS {r['peak_rss_mb']} MB (corpus alone "
              f"{r['rss_before_mb']} MB)  planted copies found {r['copies_found']}/{r['copies']}, originals wrongly "
              f"merged {r['originals_merged']}")
    if len(rows) >= 2:
        ratio = rows[-1]["cpu_seconds"] / rows[0]["cpu_seconds"]
        wall = min(r["seconds"] for r in runs[sizes[-1]]) / min(r["seconds"] for r in runs[sizes[0]])
        print(f"time ratio {rows[-1]['n']:,} / {rows[0]['n']:,}: cpu {ratio:.2f}, wall {wall:.2f} (target <= 12): "
              f"{'OK' if ratio <= 12 else 'FAIL'}")


def pair_scores(rows: list[dict], settings: Settings, salt: str) -> list[tuple[str, float, float, bool]]:
    """(label, estimated similarity, estimated Jaccard, clustered) per pair, under a salted hash family.

    The salt prefixes every word before hashing: a fresh, independent MinHash draw, so the figures below are
    averages over hash functions rather than one lucky or unlucky draw. "Clustered" follows dedup()'s rule.
    """
    out = []
    for row in rows:
        a, b = row["a"], row["b"]
        wa, wb = normalised_words(a["title"], a["text"]), normalised_words(b["title"], b["text"])
        ha = shingle_hashes([salt + w for w in wa], settings.shingle)
        hb = shingle_hashes([salt + w for w in wb], settings.shingle)
        sa, sb = signature(ha, settings.slots), signature(hb, settings.slots)
        fa, fb = fingerprints(sa), fingerprints(sb)
        keys_b = set(band_keys(sb, settings.bands, settings.rows))
        candidate = any(key in keys_b for key in band_keys(sa, settings.bands, settings.rows))
        est = similarity(fa, fb, len(ha), len(hb), settings.measure)
        big_enough = min(len(ha), len(hb)) >= MIN_SHINGLES
        clustered = wa == wb or (candidate and big_enough and est >= settings.threshold)
        out.append((row["label"], est, similarity(fa, fb, len(ha), len(hb), "jaccard"), clustered))
    return out


def measure(path: Path, draws: int) -> None:
    """Precision/recall of the "duplicate" label for a grid of settings, averaged over independent hash draws."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    duplicates = sum(r["label"] == "duplicate" for r in rows)
    print(f"{len(rows)} pairs ({duplicates} duplicate) from {path.relative_to(ROOT)}, {draws} hash draws per setting")
    print(f"{'shingle':>7} {'slots':>5} {'bands':>5} {'rows':>4} {'measure':>11} {'thresh':>6} | "
          f"{'P mean':>6} {'R mean':>6} {'P min':>5} {'R min':>5} | "
          f"{'dup est min':>11} {'distinct est max':>16} {'LSH miss@Jmin':>13}")
    grid = [Settings(n, slots, bands, rows, t, m) for n in (3, 4, 5, 7)
            for slots, bands, rows in ((126, 42, 3), (126, 24, 2), (128, 32, 4), (64, 32, 2))
            for m, t in (("jaccard", 0.3), ("jaccard", 0.5), ("containment", 0.5), ("containment", 0.7))]
    for s in grid:
        precisions, recalls, dup_low, distinct_high, jac_low = [], [], [], [], []
        for draw in range(draws):
            scores = pair_scores(rows, s, f"{draw}:" if draw else "")
            tp = sum(lab == "duplicate" and c for lab, _, _, c in scores)
            fp = sum(lab == "distinct" and c for lab, _, _, c in scores)
            precisions.append(tp / (tp + fp) if tp + fp else 1.0)
            recalls.append(tp / sum(lab == "duplicate" for lab, *_ in scores))
            dup_low.append(min(e for lab, e, _, _ in scores if lab == "duplicate"))
            distinct_high.append(max(e for lab, e, _, _ in scores if lab == "distinct"))
            jac_low.append(min(j for lab, _, j, _ in scores if lab == "duplicate"))
        miss = (1 - statistics.mean(jac_low) ** s.rows) ** s.bands  # chance LSH never pairs the least similar copy
        mark = "  <= chosen" if s == SETTINGS else ""
        print(f"{s.shingle:>7} {s.slots:>5} {s.bands:>5} {s.rows:>4} {s.measure:>11} {s.threshold:>6.2f} | "
              f"{statistics.mean(precisions):6.3f} {statistics.mean(recalls):6.3f} {min(precisions):5.3f} "
              f"{min(recalls):5.3f} | {statistics.mean(dup_low):11.3f} {statistics.mean(distinct_high):16.3f} "
              f"{miss:13.3f}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measure", action="store_true", help="print the settings table on the labelled pairs")
    parser.add_argument("--pairs", default=str(PAIRS))
    parser.add_argument("--draws", type=int, default=20, help="independent hash draws per setting (--measure)")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3, help="fresh-process runs per size; the best is kept")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
    elif args.measure:
        measure(Path(args.pairs), args.draws)
    else:
        speed([int(n) for n in args.sizes.split(",")], args.repeat)


if __name__ == "__main__":
    main()
