"""Warehouse at scale: write throughput, peak memory and the analysts' query on 100,000 and 1,000,000 articles.

    .venv/bin/python benchmarks/warehouse_bench.py [--sizes 100000,1000000] [--keep DIR]

Synthetic ARTICLES rows (body ~2-3 KB of Zipf-drawn Indonesian words, 1-3 Lampung regions, ~5% smart-city, ~2%
re-crawled changed versions of an earlier URL) at a regional catalog's pace: 13 portals, one daily run each of
20-120 articles (1M articles is ~3 years), written as the pipeline writes them - one PartitionWriter file per run,
generated run by run in a fresh process per size (the corpus is never in memory; its peak RSS is its own) - then
each portal's older versions superseded, as publishing does, and the closed days compacted, as the daily
smart_city_rollups DAG does (all but the last day). The anchor is ONE flat Parquet file (50k-row groups) holding
the same rows, streamed out of the warehouse. The query runs through warehouse.sql.connect (what `warta sql`
uses) and over the flat file in a fresh DuckDB connection, taking turns for 7 rounds (best of each, set-up
included). Targets: ours/flat <= 1.2, RSS 1M/100k <= 1.5, time 1M/100k <= 12.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from warehouse.schemas import ARTICLES  # noqa: E402
from warehouse.store import ROW_GROUP_ROWS, PartitionKey, PartitionWriter  # noqa: E402
from warehouse.compact import compact  # noqa: E402
from warehouse.versions import supersede  # noqa: E402

QUERY = ("SELECT r.code AS region, date_trunc('month', published_at) AS month, count(*) FROM {src}, "
         "UNNEST(regions) AS t(r) WHERE smart_city GROUP BY ALL")
PORTALS = [p.stem for p in sorted((ROOT / "warta" / "portals").glob("*.yaml"))][:13]
VOCAB = pa.array("""yang di dan itu dengan untuk dari pada ini dalam akan tidak juga ke karena oleh sebagai atau telah
sudah masih bisa dapat harus agar saat setelah hingga sejak antara para kami kita mereka warga masyarakat pemerintah
kota kabupaten provinsi desa kelurahan kecamatan pekon kampung dinas kepala bupati wali gubernur camat lurah dprd
polres polda polisi bpbd bmkg bps pln pdam rsud puskesmas sekolah pasar jalan jembatan sungai banjir longsor hujan
harga beras cabai bawang minyak gula telur petani nelayan pedagang sopir truk bus motor mobil kapal pelabuhan bandara
tol lintas sumatera lampung bandar metro pringsewu tanggamus pesawaran tulang bawang mesuji utara selatan timur barat
tengah pesisir rumah kios gedung kantor balai masjid lapangan taman terminal posko bantuan sembako anggaran apbd pajak
digital aplikasi layanan publik program pelayanan inovasi data internet jaringan sistem elektronik terpadu smart city
menurut katanya ujarnya. jelasnya. tahun bulan hari pekan kemarin senin selasa rabu kamis jumat sabtu minggu pukul wib
rp juta miliar persen ribu orang unit kegiatan rapat acara peresmian pembangunan perbaikan penanganan peningkatan
pengembangan pemberdayaan sosialisasi""".split()
                 + ["ujarnya.\n", "katanya.\n", "tersebut.\n"])  # paragraph ends: the body is one paragraph per line
ZIPF = 1 / np.arange(1, len(VOCAB) + 1) ** 0.9
ZIPF /= ZIPF.sum()
NAMES = pa.array([f"{a} {b}" for a in ("Andi", "Budi", "Dewi", "Eka", "Fajar", "Gita", "Hendra", "Indah", "Joko")
                  for b in ("Saputra", "Wijaya", "Lestari", "Pratama", "Kurniawan", "Sari", "Hidayat")])
REGIONS = pa.array([{"code": c, "name": n, "level": lv} for c, n, lv in [
    ("18", "Lampung", "province"), ("18.71", "Kota Bandar Lampung", "city"), ("18.72", "Kota Metro", "city"),
    ("18.01", "Kabupaten Lampung Barat", "regency"), ("18.02", "Kabupaten Tanggamus", "regency"),
    ("18.03", "Kabupaten Lampung Selatan", "regency"), ("18.04", "Kabupaten Lampung Timur", "regency"),
    ("18.05", "Kabupaten Lampung Tengah", "regency"), ("18.06", "Kabupaten Lampung Utara", "regency"),
    ("18.09", "Kabupaten Pesawaran", "regency"), ("18.10", "Kabupaten Pringsewu", "regency")]],
    type=ARTICLES.field("regions").type.value_type)
DIMENSIONS = pa.array(["governance", "branding", "economy", "living", "society", "environment"])
TAGS = VOCAB.slice(60, 100)
EPOCH, RUN0 = np.datetime64("2023-01-01T00:00:00", "us"), np.datetime64("2023-01-01T00:00:00", "us")


def pick(pool: pa.Array, idx: np.ndarray) -> pa.Array:
    return pool.take(pa.array(idx))


def lists(rng, pool: pa.Array, counts: np.ndarray, p=None, distinct=False) -> pa.ListArray:
    """A list per row of counts[i] draws from pool (distinct: consecutive codes from a random start)."""
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    if distinct:
        start = np.repeat(rng.integers(0, len(pool), len(counts)), counts)
        idx = (start + np.arange(offsets[-1]) - np.repeat(offsets[:-1], counts)) % len(pool)
    else:
        idx = rng.choice(len(pool), offsets[-1], p=p)
    return pa.ListArray.from_arrays(pa.array(offsets), pick(pool, idx))


def text(rng, counts: np.ndarray) -> pa.Array:
    return pc.binary_join(lists(rng, VOCAB, counts, ZIPF), " ")


def plan(n: int):
    """(portal, run_date, part, rows, stamp) per run file: 13 portals, one daily run each, 20-120 articles a run
    (a regional portal's day), n in all: 1M articles is ~3 years of the catalog."""
    rng, day, left = np.random.default_rng(7), 0, n
    while left > 0:
        for portal in PORTALS:
            rows = min(left, int(rng.integers(20, 121)))
            if rows <= 0:
                break
            stamp = RUN0 + np.timedelta64(day, "D")
            yield portal, str(stamp)[:10], "0000", rows, stamp
            left -= rows
        day += 1


def batch(i: int, portal: str, rows: int, stamp, seq0: int) -> pa.Table:
    """One run file's articles; seq0 is the portal's article counter (URLs are a function of it)."""
    rng = np.random.default_rng([11, i])
    seq = seq0 + np.arange(rows)
    refetch = (rng.random(rows) < 0.02) & (seq >= 500)
    seq = np.where(refetch, seq - rng.integers(1, 500, rows), seq)  # re-crawled, changed versions of earlier URLs
    slug = pc.binary_join(pa.ListArray.from_arrays(pa.array(np.arange(0, rows * 7 + 1, 7, dtype=np.int32)), pick(
        VOCAB, ((seq[:, None] * 2654435761 + np.arange(7) * 40503) % len(VOCAB)).ravel())), "-")
    url = pc.binary_join_element_wise(f"https://{portal}.example/read/", pa.array(seq).cast(pa.string()), "/", slug, "")
    published = stamp - rng.integers(0, 2 * 86400, rows).astype("timedelta64[s]")  # collected within two days
    fetched = stamp + rng.integers(0, 86400, rows).astype("timedelta64[s]")
    ts = lambda a: pa.array(a.astype("datetime64[us]"), pa.timestamp("us")).cast(ARTICLES.field("published_at").type)
    words, lead, smart = rng.integers(300, 420, rows), text(rng, rng.integers(25, 45, rows)), rng.random(rows) < 0.05
    body, authors = pc.binary_join_element_wise(lead, text(rng, words), "\n"), lists(rng, NAMES, words % 2 + 1)
    updated = ts(published + rng.integers(0, 86400, rows).astype("timedelta64[s]"))
    return pa.table({
        "url": url, "title": text(rng, rng.integers(6, 13, rows)), "author": pc.binary_join(authors, ", "),
        "authors": authors, "published_at": ts(published),
        "published_raw": pc.strftime(ts(published), "%d/%m/%Y %H:%M WIB"),
        "date_source": pick(pa.array(["jsonld", "meta", "visible", "url"]), rng.integers(0, 4, rows)),
        "updated_at": pc.if_else(pa.array(rng.random(rows) < 0.3), updated, pa.scalar(None, updated.type)),
        "dateline": pick(pa.array(["Bandarlampung (ANTARA)", f"{portal}.id", "Metro", None]), rng.integers(0, 4, rows)),
        "lead": lead, "body": body, "section": pick(pa.array(["daerah", "ekonomi", "politik", "hukum"]), words % 4),
        "tags": lists(rng, TAGS, rng.integers(2, 6, rows)),
        "image_url": pc.binary_join_element_wise(url, ".jpg", ""), "language": pa.array(["id"] * rows),
        "word_count": pa.array(words + 30, pa.int32()), "smart_city": pa.array(smart),
        "smart_city_score": pa.array(np.where(smart, 0.6, 0) + rng.random(rows) * 0.4, pa.float32()),
        "dimensions": lists(rng, DIMENSIONS, np.where(smart, rng.integers(1, 4, rows), 0), distinct=True),
        "regions": lists(rng, REGIONS, rng.integers(1, 4, rows), distinct=True),
        "cluster_id": pc.binary_join_element_wise("c", pa.array(seq).cast(pa.string()), ""),
        "duplicate_of": pc.if_else(pa.array(rng.random(rows) < 0.1), pa.array(["https://x.example/a"] * rows),
                                   pa.scalar(None, pa.string())),
        "extractor": pa.array(["trafilatura"] * rows), "extractor_version": pa.array(["1.12.2"] * rows),
        "taxonomy_version": pa.array(["2024.1"] * rows), "fetched_at": ts(fetched),
        "run_id": pa.array([f"{portal}-{str(stamp)[:13]}"] * rows),
        "version": pa.array(np.where(refetch, 2, 1), pa.int32()), "content_hash": pa.array(["h"] * rows),
        "first_fetched_at": ts(fetched),
    }, schema=ARTICLES)


def child(mode: str, n: int, out: str) -> None:
    """mode warehouse: generate and write n articles run by run, then supersede; flat: the same rows into one file."""
    started, in_writer, seqs = time.perf_counter(), 0.0, dict.fromkeys(PORTALS, 0)
    if mode == "flat":
        import pyarrow.dataset as ds

        rows = ds.dataset(f"{out}/warehouse/articles", format="parquet", schema=ARTICLES)
        with pq.ParquetWriter(f"{out}/flat.parquet", ARTICLES, compression="zstd") as flat:
            for piece in rows.to_batches(batch_size=ROW_GROUP_ROWS):
                flat.write_table(pa.Table.from_batches([piece]), row_group_size=ROW_GROUP_ROWS)
        print(json.dumps({"total_s": time.perf_counter() - started,
                          "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        return
    for i, (portal, run_date, part, rows, stamp) in enumerate(plan(n)):
        table = batch(i, portal, rows, stamp, seqs[portal])
        seqs[portal] += rows
        t0 = time.perf_counter()
        with PartitionWriter("articles", PartitionKey(portal, run_date, part), out) as writer:
            writer.write(table)
        in_writer += time.perf_counter() - t0
    t0 = time.perf_counter()
    superseded = sum(supersede(portal, out) for portal in PORTALS)
    t1 = time.perf_counter()
    compact("articles", out, before=run_date)  # every day but the last is closed
    print(json.dumps({"files": i + 1, "write_s": in_writer, "total_s": time.perf_counter() - started,
                      "supersede_s": t1 - t0, "superseded": superseded, "compact_s": time.perf_counter() - t1,
                      "files_after": len(list(Path(out).rglob("part-*.parquet"))),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def spawn(mode: str, n: int, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--n", str(n), "--out", str(out)]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def taking_turns(runs: dict, rounds: int = 7) -> dict:
    """Run each callable once per round, in turns (so load from elsewhere hits both alike); best time and answer each."""
    best = {name: (float("inf"), None) for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            answer = run()
            best[name] = (min(best[name][0], time.perf_counter() - start), answer)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--keep", help="keep the warehouses and flat files under this folder")
    parser.add_argument("--child"), parser.add_argument("--n", type=int), parser.add_argument("--out")
    if (args := parser.parse_args()).child:
        return child(args.child, args.n, args.out)
    import duckdb

    from warehouse.sql import connect
    load, base = os.getloadavg()[0], Path(args.keep or tempfile.mkdtemp(prefix="warta-warehouse-bench-"))
    results = []
    try:
        for n in [int(s) for s in args.sizes.split(",")]:
            flat, wh = base / f"n{n}", base / f"n{n}" / "warehouse"
            shutil.rmtree(flat, ignore_errors=True)
            wh.mkdir(parents=True)
            w, f = spawn("warehouse", n, wh), spawn("flat", n, flat)
            timed = taking_turns({
                "ours": lambda: connect(wh).execute(QUERY.format(src="articles")).fetchall(),
                "flat": lambda: duckdb.connect().execute(
                    QUERY.format(src=f"read_parquet('{flat}/flat.parquet') AS articles")).fetchall()})
            (ours, a), (anchor, b) = timed["ours"], timed["flat"]
            mb = lambda p: sum(x.stat().st_size for x in p.rglob("*.parquet")) / 2**20
            results.append({"n": n, **w, "flat_rss_mb": f["rss_mb"], "ours": ours, "flat": anchor,
                            "same": sorted(a) == sorted(b), "rows": sum(r[2] for r in b),
                            "disk": (mb(wh), (flat / "flat.parquet").stat().st_size / 2**20)})
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end (2 cores; other work inflates times)")
    print(f"{'N':>9} {'run files':>9} {'after compact':>13} {'write rows/s':>12} {'peak RSS MB':>11} "
          f"{'query s (ours)':>14} {'query s (flat)':>14} {'ratio':>6}")
    for r in results:
        print(f"{r['n']:>9,} {r['files']:>9,} {r['files_after']:>13,} {r['n'] / r['write_s']:>12,.0f} "
              f"{r['rss_mb']:>11.0f} {r['ours']:>14.3f} {r['flat']:>14.3f} {r['ours'] / r['flat']:>6.2f}")
    for r in results:
        print(f"  N={r['n']:,}: answers equal: {r['same']} ({r['rows']:,} region-month counts summed); "
              f"{r['superseded']:,} older versions superseded in {r['supersede_s']:.1f} s; compaction "
              f"{r['compact_s']:.1f} s; {r['disk'][0]:,.0f} MB warehouse, {r['disk'][1]:,.0f} MB flat")
    small, large = results[0], results[-1]
    print(f"peak RSS {large['n']:,}/{small['n']:,}: {large['rss_mb'] / small['rss_mb']:.2f} (target <= 1.5)")
    print(f"query time {large['n']:,}/{small['n']:,}: {large['ours'] / small['ours']:.2f} (target <= 12)")
    print("query ratio ours/flat:", ", ".join(f"{r['ours'] / r['flat']:.2f}" for r in results), "(target <= 1.2)")


if __name__ == "__main__":
    main()
