"""Tag articles with the six Gerakan Menuju 100 Smart City dimensions, keeping the evidence behind each tag.

A lexicon tagger (GDELT-style: every match keeps its offsets, so an analyst can see why) over the versioned
taxonomy in taxonomy/smart_city.yaml. Text is split into word tokens once; phrases match token sequences and
single words go through a small Indonesian affix stripper, so one pass serves the whole lexicon.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

__all__ = ["TAXONOMY_VERSION", "DIMENSION_IDS", "Evidence", "TagResult", "tag_article"]

TAXONOMY_PATH = Path(__file__).resolve().parent / "taxonomy" / "smart_city.yaml"
DIMENSION_IDS = ("governance", "branding", "economy", "living", "society", "environment")
# Real articles stay far below this; past it the tail is boilerplate, and a 1 MB input must not cost seconds.
MAX_FIELD_CHARS = 200_000

_TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Terminal punctuation followed by whitespace (so "Rp1.500" stays one sentence), or a line break.
_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s)|\n")
_PREFIXES = ("meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "per", "pe", "ber", "ter", "di", "ke")
# Nasal prefixes swallow the stem's first consonant: mem+pantau -> memantau, peng+kelola -> pengelola.
_NASAL_RESTORE = {"mem": "p", "pem": "p", "men": "t", "pen": "t", "meng": "k", "peng": "k", "meny": "s", "peny": "s"}
_SUFFIXES = ("isasi", "kan", "an", "i")
_MIN_STEM = 4
_MIN_MORPH_TERM = 5
_EVIDENCE_KINDS = frozenset({"programme", "strong", "weak"})
_CANCELLED_KINDS = {"all": _EVIDENCE_KINDS, "weak": frozenset({"weak"}), "": frozenset()}


class _Term(NamedTuple):
    text: str  # lowercase canonical form, reported as Evidence.term
    kind: str  # programme | strong | weak | actor | incidental
    dimension: str = ""
    cancels: str = ""  # incidental only: "weak" or "all"


class _Hit(NamedTuple):
    term: _Term
    start: int
    end: int


@dataclass(frozen=True)
class _Lexicon:
    """The taxonomy indexed for token matching."""

    version: str
    scoring: dict
    words: dict  # exact single-token form -> terms
    stems: dict  # single words that may also carry affixes -> terms
    phrases: dict  # first token -> ((tokens, terms), ...), longest first
    related_re: re.Pattern


@dataclass(frozen=True)
class Evidence:
    """One matched taxonomy term and where it sits."""

    term: str
    dimension: str
    field: str  # "title" or "body"
    start: int  # character offsets in that field
    end: int


@dataclass(frozen=True)
class TagResult:
    """The smart-city label, scores and evidence of one article."""

    smart_city: bool
    smart_city_score: float
    dimensions: list[str]
    dimension_scores: dict[str, float]
    evidence: list[Evidence]

    def to_dict(self) -> dict:
        """Return a JSON-ready dict, evidence as a list of plain dicts."""
        return asdict(self)


def _taxonomy_entries(data: dict) -> list[tuple[str, _Term]]:
    """Flatten the YAML into (raw term, _Term) pairs, validating the dimension ids."""
    if (ids := tuple(dim["id"] for dim in data["dimensions"])) != DIMENSION_IDS:
        raise ValueError(f"taxonomy dimensions must be {DIMENSION_IDS}, got {ids}")
    prog = data["programme"]
    entries = [(raw, _Term(raw, "programme", prog["dimension"])) for raw in prog["terms"]]
    entries += [(raw, _Term(raw, "actor")) for raw in data["public_actors"]]
    for group in data["incidental"]:
        entries += [(raw, _Term(raw, "incidental", cancels=group["cancels"])) for raw in group["terms"]]
    for dim in data["dimensions"]:
        for sub in dim["sub_dimensions"]:
            for kind in ("strong", "weak"):
                entries += [(raw, _Term(raw, kind, dim["id"])) for raw in sub.get(kind, ())]
    return [(raw, term._replace(text=raw.lstrip("=").lower())) for raw, term in entries]


def _load_lexicon(path: Path = TAXONOMY_PATH) -> _Lexicon:
    """Read the taxonomy YAML and index it for token matching."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words, stems, phrases = defaultdict(list), defaultdict(list), defaultdict(lambda: defaultdict(list))
    for raw, term in _taxonomy_entries(data):
        tokens = tuple(_TOKEN_RE.findall(term.text))
        if len(tokens) > 1:
            phrases[tokens[0]][tokens].append(term)
        elif tokens:
            words[tokens[0]].append(term)
            # Acronyms (in capitals), short words and "=" words match only as written: "RTH" is not "berth".
            if raw.islower() and raw[0] != "=" and tokens[0].isalpha() and len(tokens[0]) >= _MIN_MORPH_TERM:
                stems[tokens[0]].append(term)
    markers = "|".join(re.escape(m.lower()) for m in data["related_markers"])
    return _Lexicon(
        version=str(data["version"]),
        scoring=data["scoring"],
        words={word: tuple(terms) for word, terms in words.items()},
        stems={word: tuple(terms) for word, terms in stems.items()},
        phrases={
            first: tuple(sorted(((t, tuple(ts)) for t, ts in group.items()), key=lambda p: -len(p[0])))
            for first, group in phrases.items()
        },
        # A related-links line ends at the line break; 200 characters caps it when the text has no breaks.
        related_re=re.compile(rf"\b(?:{markers})\b[^\n]{{0,200}}"),
    )


_LEX = _load_lexicon()
TAXONOMY_VERSION: str = _LEX.version


def _stem_candidates(word: str) -> list[str]:
    """Return possible stems of an affixed word; over-generating is harmless, only lexicon stems count."""
    bases = [word, word[:-3]] if word.endswith("nya") else [word]
    bases += [base[: -len(s)] for base in bases for s in _SUFFIXES if base.endswith(s)]
    stems = list(bases)
    for base, prefix in ((b, p) for b in bases for p in _PREFIXES if b.startswith(p)):
        rest = base[len(prefix) :]
        stems += [rest] if prefix not in ("meny", "peny") else []  # meny- always replaced an s
        stems += [_NASAL_RESTORE[prefix] + rest] if prefix in _NASAL_RESTORE else []
    return stems


@lru_cache(maxsize=200_000)
def _lookup_word(word: str) -> tuple[_Term, ...]:
    """Return the terms a single token stands for, through reduplication and affixes."""
    if word in _LEX.words:
        return _LEX.words[word]
    halves = word.split("-")
    if len(halves) == 2 and halves[1].startswith(halves[0]) and halves[1][len(halves[0]) :] in ("", "nya", "an"):
        return _lookup_word(halves[0])  # reduplication: layanan-layanan, kota-kotanya
    if word.isalpha():
        for stem in _stem_candidates(word):
            if len(stem) >= _MIN_STEM and stem in _LEX.stems:
                return _LEX.stems[stem]
    return ()


def _match_phrase(tokens: list, i: int, text: str) -> tuple[int, tuple[_Term, ...]]:
    """Return (token count, terms) of the longest phrase starting at token i, or (0, ())."""
    for words, terms in _LEX.phrases.get(tokens[i][0], ()):
        j = i + len(words)
        # Words must be consecutive tokens separated by whitespace only: "kota. Cerdas" is not a phrase.
        if j <= len(tokens) and all(tokens[i + k][0] == w for k, w in enumerate(words)) and all(
            text[tokens[k][2] : tokens[k + 1][1]].isspace() for k in range(i, j - 1)
        ):
            return len(words), terms
    return 0, ()


def _scan(text: str) -> list[_Hit]:
    """Return all lexicon hits in lowercased text, the longest phrase winning at each token."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    hits, i = [], 0
    while i < len(tokens):
        size, terms = _match_phrase(tokens, i, text)
        if not size:
            size, terms = 1, _lookup_word(tokens[i][0])
        hits += [_Hit(term, tokens[i][1], tokens[i + size - 1][2]) for term in terms]
        i += size
    return hits


def _cancel_mode(hits: list[_Hit], ends: list[int], base: str) -> dict[int, str]:
    """Map sentence index to the strongest incidental cancel mode found in it ("weak" or "all")."""
    modes: dict[int, str] = defaultdict(lambda: base)
    for hit in hits:
        if hit.term.kind == "incidental":
            sentence = bisect_right(ends, hit.start)
            modes[sentence] = "all" if "all" in (hit.term.cancels, modes[sentence]) else "weak"
    return modes


def _field_hits(field: str, text: str, base_mode: str = "") -> list[_Hit]:
    """Scan one field, dropping related-link lines and matches in incidental sentences."""
    hits = _scan(text)
    if field == "body":
        boxes = [(m.start(), m.end()) for m in _LEX.related_re.finditer(text)]
        hits = [h for h in hits if not any(start <= h.start < end for start, end in boxes)]
    ends = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
    modes = _cancel_mode(hits, ends, base_mode)
    return [h for h in hits if h.term.kind not in _CANCELLED_KINDS[modes[bisect_right(ends, h.start)]]]


def _prepare(value: str) -> str:
    """Lowercase a field without moving any character offset; non-strings become empty."""
    value = value[:MAX_FIELD_CHARS] if isinstance(value, str) else ""
    lowered = value.lower()
    # A few characters lowercase to two ("İ" -> "i̇"); keep those as they are so offsets stay valid.
    return lowered if len(lowered) == len(value) else "".join(c if len(c.lower()) > 1 else c.lower() for c in value)


def _is_smart_city(programme: Counter, strong: float, weak: float, actor: bool) -> bool:
    """Decide the binary label: a programme signal, or enough strong evidence around a public actor."""
    cfg = _LEX.scoring
    if programme["title"] or programme["body"] >= cfg["min_programme_body_hits"]:
        return True
    enough = strong >= cfg["min_strong_raw"] or (
        strong >= cfg["min_strong_raw_with_weak"] and strong + weak >= cfg["min_total_raw_with_weak"]
    )
    return actor and enough


def _score(found: list[tuple[str, _Hit]], actor: bool) -> TagResult:
    """Weigh the evidence (title over body, repeats decaying) into a TagResult."""
    cfg = _LEX.scoring
    raw = dict.fromkeys(DIMENSION_IDS, 0.0)
    seen, programme, strong, weak = Counter(), Counter(), 0.0, 0.0
    for field, hit in found:
        seen[hit.term.text] += 1
        factor = cfg["title_factor"] if field == "title" else 1.0
        weight = cfg["weights"][hit.term.kind] * factor / math.sqrt(seen[hit.term.text])
        raw[hit.term.dimension] += weight
        strong, weak = (strong, weak + weight) if hit.term.kind == "weak" else (strong + weight, weak)
        programme[field] += hit.term.kind == "programme"
    smart = _is_smart_city(programme, strong, weak, actor)
    spread = 1.0 - math.exp(-sum(raw.values()) / cfg["article_scale"])
    scores = {d: round(1.0 - math.exp(-raw[d] / cfg["dimension_scale"]), 4) for d in DIMENSION_IDS}
    ranked = sorted((d for d in DIMENSION_IDS if raw[d] > 0), key=lambda d: -raw[d])
    dimensions = [d for d in ranked if scores[d] >= cfg["dimension_threshold"]] or ranked[:1]
    return TagResult(
        smart_city=smart,
        # Scores of 0.5 and above are exactly the smart-city articles; within each half more evidence ranks higher.
        smart_city_score=round(0.5 + 0.5 * spread if smart else 0.499 * spread, 4),
        dimensions=dimensions if smart else [],
        dimension_scores=scores,
        evidence=[Evidence(h.term.text, h.term.dimension, field, h.start, h.end) for field, h in found],
    )


def tag_article(title: str, text: str) -> TagResult:
    """Tag one article with smart-city dimensions and the evidence behind them."""
    title, body = _prepare(title), _prepare(text)
    title_hits = _field_hits("title", title)
    # An incidental context in the headline (fraud, crime) is the article's main subject: apply it throughout.
    headline_mode = _cancel_mode(title_hits, [], "")[0] if title_hits else ""
    hits = {"title": title_hits, "body": _field_hits("body", body, headline_mode)}
    lead = _LEX.scoring["lead_chars"]
    actor = any(h.term.kind == "actor" and (f == "title" or h.start < lead) for f in hits for h in hits[f])
    return _score([(f, h) for f in hits for h in hits[f] if h.term.kind in _EVIDENCE_KINDS], actor)
