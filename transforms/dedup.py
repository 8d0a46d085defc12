"""Duplicate and near-duplicate clustering of articles across portals (exact content hash, then MinHash LSH).

Exact duplicates share a normalised content hash (case, whitespace, punctuation, datelines, "Baca Juga" lines,
credits and syndication footers removed). Near-duplicates are found with one-permutation MinHash (Li et al. 2012,
densified by rotation: Shrivastava & Li 2014) over word shingles, LSH banding for candidates (no all-pairs), and a
check of the estimated containment |A∩B| / min(|A|,|B|): a syndicated copy that trims the last paragraphs keeps
containment near 1 while its Jaccard falls with the cut. Union-find joins transitive copies into one cluster whose
representative is the first-seen item.

Settings measured with `benchmarks/dedup_bench.py --measure` on warta/evaluation/data/dedup_pairs.jsonl: 65 pairs,
33 "duplicate" (Antara and Tribun copies with new datelines, footers, "Baca Juga" lines, new headlines, trimmed
tails, inserted paragraphs, a light paraphrase), 32 "distinct" (one event written up independently; same-template
stories of other places or days: BPBD floods, app launches, BMKG quakes, PLN outages, forecasts). Mean over 20
independent hash draws; est = the similarity the threshold sees; LSH miss = chance the least similar copy is
never a candidate.

    shingle slots bands x rows  accept             P mean R mean R min | copy est min distinct est max LSH miss
       3     126     24 x 2     containment >= 0.5  0.996  1.000 1.000 |    0.717          0.482        0.001
       4     126     24 x 2     containment >= 0.5  0.999  1.000 1.000 |    0.656          0.407        0.002
       5     126     24 x 2     containment >= 0.5  1.000  1.000 1.000 |    0.614          0.354        0.006  chosen
       5     126     24 x 2     containment >= 0.7  1.000  0.967 0.939 |    0.614          0.354        0.006
       5     126     24 x 2     jaccard >= 0.3      1.000  1.000 1.000 |    0.440          0.212        0.006
       5     126     24 x 2     jaccard >= 0.5      1.000  0.962 0.939 |    0.440          0.212        0.006
       5     126     42 x 3     containment >= 0.5  1.000  1.000 1.000 |    0.614          0.354        0.024
       5     128     32 x 4     containment >= 0.5  1.000  0.995 0.970 |    0.615          0.370        0.294
       7     126     24 x 2     containment >= 0.5  1.000  0.994 0.970 |    0.537          0.292        0.033

Shorter shingles let same-template stories creep up and sometimes merge; 7 words and 4-row bands lose the
paraphrased copy; Jaccard >= 0.5 (datasketch's default 0.9 is stricter still) loses trimmed and rewritten copies.
0.5 sits mid-gap (0.35 .. 0.61) and the 126-slot estimate's noise (sd ~0.045) stays inside it; 2-row bands make a
candidate of any pair with Jaccard above ~0.3 with 24 keys per article (3-row bands need 42: more memory).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
import zlib
from array import array
from dataclasses import dataclass
from itertools import repeat
from typing import Iterable


@dataclass(frozen=True, slots=True)
class DedupResult:
    """One item's cluster: the representative has duplicate_of None."""

    id: str
    cluster_id: str
    duplicate_of: str | None


@dataclass(frozen=True)
class Settings:
    """Near-duplicate knobs: shingle words, MinHash slots, LSH bands x rows, accepted similarity and its measure."""

    shingle: int = 5
    slots: int = 126
    bands: int = 24
    rows: int = 2
    threshold: float = 0.5
    measure: str = "containment"  # or "jaccard"


SETTINGS = Settings()
# Fewer distinct shingles than this: exact matching only, a sketch of a few shingles is too noisy to trust.
MIN_SHINGLES = 8
# Members kept per LSH bucket: bounds the checks per article, so the whole run stays linear.
BUCKET_CAP = 4

_WORD = re.compile(r"\w+")
# Everything from a syndication footer on is the copying portal's, never the story's.
_FOOTER = re.compile(r"\b(?:artikel|berita) ini (?:telah|sudah) (?:tayang|terbit|dimuat)\b.*", re.S)
_NOISE_LINE = re.compile(  # matched at a line's start
    r"(?:(?:baca|lihat|simak) (?:juga|pula|berita)\b|(?:pewarta|editor|penulis|reporter|kontributor|penyunting"
    r"|sumber|foto|video)\s*:.{0,100}$|laporan (?:reporter|wartawan|jurnalis)\b.{0,80}$|copyright\b|©|\(.{0,60}\)$"
    r"|(?:ikuti|dapatkan|baca) (?:berita|update|informasi)\b.*\b(?:google news|whatsapp|telegram|channel)\b)"
)
# "Bandarlampung (ANTARA) -", "TRIBUNNEWS.COM, LAMPUNG TENGAH -", "Metro, Lampung Post -": short, no sentence end.
_DATELINE = re.compile(r"^(?P<head>(?:[^\n\"“”.!?]|\.(?=\S)){1,60}?)\s+(?:-{1,2}|–|—)(?:\s+|$)")
# Desk initials closing the story: "(ant)", "(rls/*)", "(ant/hms)".
_TRAILING_CREDIT = re.compile(r"\([a-z*]{1,6}(?:/[a-z*]{1,6})*\)$")


def normalised_words(title: str, text: str) -> list[str]:
    """Casefolded word tokens of the title and the body, with datelines, boilerplate lines and footers removed."""
    body = unicodedata.normalize("NFKC", text or "").casefold()
    if "tayang" in body or "terbit" in body or "dimuat" in body:  # the footer regex is slow; most texts lack one
        body = _FOOTER.sub("", body)
    # Folding whitespace first also keeps the regexes below linear on pathological runs of spaces.
    lines = [" ".join(line.split()) for line in body.splitlines()]
    lines = [line for line in lines if line and not _NOISE_LINE.match(line)]
    if lines:
        match = _DATELINE.match(lines[0])
        if match and len(match.group("head").split()) <= 6:
            lines[0] = lines[0][match.end() :]
        credit = _TRAILING_CREDIT.search(lines[-1])
        lines[-1] = lines[-1][: credit.start()] if credit else lines[-1]
    head = unicodedata.normalize("NFKC", title or "").casefold()
    return _WORD.findall(head) + _WORD.findall(" ".join(lines))


def _digest(words: list[str]) -> str:
    """128-bit hex digest of the word sequence."""
    return hashlib.blake2b(" ".join(words).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def content_hash(title: str, text: str) -> str:
    """Hex digest of the normalised title and body: equal for copies that differ only in formatting and boilerplate."""
    return _digest(normalised_words(title, text))


class _WordIds(dict):
    """Word -> crc32, computed once per distinct word; lookups of known words stay in C (map over __getitem__)."""

    def __missing__(self, word: str) -> int:
        self[word] = value = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        return value


def shingle_hashes(words: list[str], size: int, word_ids: dict | None = None) -> set[int]:
    """Hashes of the word shingles (a shorter text is one shingle); deterministic across processes."""
    # crc32 per word and CPython's tuple hash of ints are both seed-free, unlike str hashes.
    ids = list(map((_WordIds() if word_ids is None else word_ids).__getitem__, words))
    if len(ids) < size:
        return {hash(tuple(ids))} if ids else set()
    return set(map(hash, zip(*(ids[i:] for i in range(size)))))


def signature(hashes: set[int], slots: int) -> list[int]:
    """One-permutation MinHash: hash h falls in slot h % slots and each slot keeps its least hash."""
    ordered = sorted(hashes, reverse=True)  # descending, so the hash a slot keeps (the last written) is its least
    best = dict(zip(map(slots.__rmod__, ordered), ordered))
    sig = list(map(best.get, range(slots)))
    if best and len(best) < slots:
        # Densify by rotation: an empty slot takes the next filled slot to its right (circularly), so two sets
        # still agree on a slot about as often as their Jaccard similarity. A slot's hashes are its own residue
        # class, so a borrowed value never equals a native one and needs no offset.
        following = best[min(best)]
        for s in range(slots - 1, -1, -1):
            if sig[s] is None:
                sig[s] = following
            else:
                following = sig[s]
    return sig


def fingerprints(sig: list[int]) -> bytes:
    """The low 32 bits of each slot's hash, packed: enough for equality checks, an eighth of the int objects' memory."""
    # bytes, not array: the garbage collector tracks arrays, and a million tracked sketches make every full
    # collection walk them all (measured: 4.6 s of 32 s at 100k articles, the non-linear part of the run time).
    return array("I", [v & 0xFFFFFFFF for v in sig]).tobytes()


def band_keys(sig: list[int], bands: int, rows: int) -> list[int]:
    """One LSH key per band of rows consecutive slots; the band number is hashed in, so one dict serves all bands."""
    return list(map(hash, zip(range(bands), *(sig[r : bands * rows : rows] for r in range(rows)))))


def similarity(a: bytes, b: bytes, size_a: int, size_b: int, measure: str) -> float:
    """Estimated Jaccard, or containment |A∩B|/min(|A|,|B|) from the Jaccard estimate and the set sizes."""
    slots_a, slots_b = memoryview(a).cast("I"), memoryview(b).cast("I")
    jaccard = sum(map(int.__eq__, slots_a, slots_b)) / len(slots_a)
    if measure == "jaccard":
        return jaccard
    return min(1.0, jaccard * (size_a + size_b) / (1 + jaccard) / min(size_a, size_b))


def _find(parent: list[int], i: int) -> int:
    """The root of i's cluster, compressing the path on the way."""
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        parent[i], i = root, parent[i]
    return root


def _union(parent: list[int], i: int, j: int) -> None:
    """Join two clusters; the earlier index becomes the root, so the root is always the first-seen item."""
    ri, rj = _find(parent, i), _find(parent, j)
    if ri != rj:
        parent[max(ri, rj)] = min(ri, rj)


def dedup(items: Iterable[dict], *, settings: Settings = SETTINGS) -> list[DedupResult]:
    """Cluster items {"id","title","text"}: exact copies by content hash, near copies by MinHash LSH."""
    ids: list[str] = []
    hashes: list[str | None] = []
    parent: list[int] = []
    first_by_hash: dict[str, int] = {}
    # Only ints and bytes below, which the garbage collector does not track (see fingerprints()).
    sketches: dict[int, bytes] = {}
    sizes: dict[int, int] = {}
    buckets: dict[int, int] = {}  # band key -> first member
    more: dict[int, tuple[int, ...]] = {}  # band key -> further members, up to BUCKET_CAP in all
    word_ids = _WordIds()
    for i, item in enumerate(items):
        words = normalised_words(str(item.get("title") or ""), str(item.get("text") or ""))
        ids.append("" if item.get("id") is None else str(item["id"]))
        parent.append(i)
        digest = _digest(words) if words else None  # no words: nothing to compare, a cluster of its own
        hashes.append(digest)
        if digest is None:
            continue
        if digest in first_by_hash:
            _union(parent, i, first_by_hash[digest])
            continue
        first_by_hash[digest] = i
        shingles = shingle_hashes(words, settings.shingle, word_ids)
        if len(shingles) < MIN_SHINGLES:
            continue
        sig = signature(shingles, settings.slots)
        sketches[i], sizes[i] = fingerprints(sig), len(shingles)
        keys = band_keys(sig, settings.bands, settings.rows)
        # setdefault files i under every new key in C; only keys that already had members need a look.
        for key, first in zip(keys, map(buckets.setdefault, keys, repeat(i))):
            if first is not i:
                _check_bucket(key, (first, *more.get(key, ())), i, more, sketches, sizes, parent, settings)
    return _results(ids, hashes, parent)


def _check_bucket(key, members, i, more, sketches, sizes, parent, settings) -> None:
    """Join item i to the bucket's similar members, and add i while the bucket has room."""
    for j in members:
        if _find(parent, i) != _find(parent, j):
            if similarity(sketches[i], sketches[j], sizes[i], sizes[j], settings.measure) >= settings.threshold:
                _union(parent, i, j)
    if len(members) < BUCKET_CAP:
        more[key] = (*members[1:], i)


def _results(ids: list[str], hashes: list[str | None], parent: list[int]) -> list[DedupResult]:
    """One result per item, in input order; the cluster id is derived from the representative."""
    out = []
    for i, item_id in enumerate(ids):
        root = _find(parent, i)
        out.append(DedupResult(item_id, cluster_id(ids[root], hashes[root]), None if root == i else ids[root]))
    return out


def cluster_id(rep_id: str, rep_hash: str | None) -> str:
    """The id of a cluster: "c-" and 16 hex digits of its representative's content hash (of its id if wordless)."""
    if rep_hash is None:
        rep_hash = hashlib.blake2b(("id:" + rep_id).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return "c-" + rep_hash[:16]


def main(stdin=None, stdout=None) -> int:
    """JSON lines {"id","title","text"} in, {"id","cluster_id","duplicate_of"} out; bad lines reported, not fatal."""
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    from warta.jsonlines import read_objects

    items, failed = [], False
    for item, error in read_objects(stdin):
        if error:
            print(json.dumps(error), file=stdout)
            failed = True
            continue
        items.append(item)
    for result in dedup(items):
        print(json.dumps({"id": result.id, "cluster_id": result.cluster_id, "duplicate_of": result.duplicate_of},
                         ensure_ascii=False), file=stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
