"""The smart-city lexicon and the text scanner behind transforms.tagging.

Loads the versioned taxonomy (taxonomy/smart_city.yaml) into token-indexed tables and finds every term in a
lowercased text: phrases match consecutive tokens, single words also match through a small Indonesian affix
stripper and reduplication, and any "e-" word (e-kinerja, e-parkir) counts as a technology term.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

TAXONOMY_PATH = Path(__file__).resolve().parent / "taxonomy" / "smart_city.yaml"
DIMENSION_IDS = ("governance", "branding", "economy", "living", "society", "environment")
# Kinds that are evidence (reported with a dimension); actors, other actors, incidental and neutral are not.
EVIDENCE_KINDS = frozenset({"programme", "strong", "tech", "weak"})
TECH_KINDS = frozenset({"programme", "strong", "tech"})

_TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Terminal punctuation followed by whitespace (so "Rp1.500" stays one sentence), or a line break.
SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s)|\n")
_E_WORD_RE = re.compile(r"e-[a-z]{3,}")
_PREFIXES = ("meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "per", "pe", "ber", "ter", "di", "ke")
# Nasal prefixes swallow the stem's first consonant: mem+pantau -> memantau, peng+kelola -> pengelola.
_NASAL_RESTORE = {"mem": "p", "pem": "p", "men": "t", "pen": "t", "meng": "k", "peng": "k", "meny": "s", "peny": "s"}
_SUFFIXES = ("isasi", "kan", "an", "i")
_MIN_STEM = 4
_MIN_MORPH_TERM = 5


class Term(NamedTuple):
    """One taxonomy entry."""

    text: str  # lowercase canonical form, reported as Evidence.term
    kind: str  # programme | strong | tech | weak | actor | other_actor | incidental | neutral
    dimension: str = ""  # "" for tech terms: they take the dimension of their sentence
    cancels: str = ""  # incidental only: "weak" or "all"


class Hit(NamedTuple):
    """A term found at [start, end) of a field."""

    term: Term
    start: int
    end: int


@dataclass(frozen=True)
class Lexicon:
    """The taxonomy indexed for token matching."""

    version: str
    scoring: dict
    words: dict  # exact single-token form -> terms
    stems: dict  # single words that may also carry affixes -> terms
    phrases: dict  # first token -> ((tokens, terms), ...), longest first
    seconds: dict  # first token -> the second tokens of its phrases (a quick reject)
    related_re: re.Pattern


def _dimension_entries(data: dict) -> list[tuple[str, Term]]:
    """Flatten the six dimensions' strong and weak vocabularies, validating the dimension ids."""
    if (ids := tuple(dim["id"] for dim in data["dimensions"])) != DIMENSION_IDS:
        raise ValueError(f"taxonomy dimensions must be {DIMENSION_IDS}, got {ids}")
    return [
        (raw, Term(raw, kind, dim["id"]))
        for dim in data["dimensions"]
        for sub in dim["sub_dimensions"]
        for kind in ("strong", "weak")
        for raw in sub.get(kind, ())
    ]


def _taxonomy_entries(data: dict) -> list[tuple[str, Term]]:
    """Flatten the YAML into (raw term, Term) pairs."""
    prog = data["programme"]
    entries = [(raw, Term(raw, "programme", prog["dimension"])) for raw in prog["terms"]]
    entries += [(raw, Term(raw, "tech")) for raw in data["technology"]]
    entries += [(raw, Term(raw, "actor")) for raw in data["public_actors"]]
    entries += [(raw, Term(raw, "other_actor")) for raw in data["other_actors"]]
    entries += [(raw, Term(raw, "neutral")) for raw in data["neutral"]]
    for group in data["incidental"]:
        entries += [(raw, Term(raw, "incidental", cancels=group["cancels"])) for raw in group["terms"]]
    entries += _dimension_entries(data)
    return [(raw, term._replace(text=raw.lstrip("=").lower())) for raw, term in entries]


def _related_re(markers: list[str]) -> re.Pattern:
    """Match a related-links box: marker to the end of its headline sentence or line (200 characters at most)."""
    alternatives = "|".join(re.escape(m.lower()) for m in markers)
    return re.compile(rf"\b(?:{alternatives})\b(?:[^\n]{{0,200}}?(?:[.!?](?=\s)|(?=\n)|\Z)|[^\n]{{0,200}})")


def load_lexicon(path: Path = TAXONOMY_PATH) -> Lexicon:
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
            if raw.islower() and not raw.startswith("=") and raw.isalpha() and len(raw) >= _MIN_MORPH_TERM:
                stems[tokens[0]].append(term)
    return Lexicon(
        version=str(data["version"]),
        scoring=data["scoring"],
        words={word: tuple(terms) for word, terms in words.items()},
        stems={word: tuple(terms) for word, terms in stems.items()},
        phrases={
            first: tuple(sorted(((t, tuple(ts)) for t, ts in group.items()), key=lambda p: -len(p[0])))
            for first, group in phrases.items()
        },
        seconds={first: frozenset(tokens[1] for tokens in group) for first, group in phrases.items()},
        related_re=_related_re(data["related_markers"]),
    )


LEX = load_lexicon()


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
def lookup_word(word: str) -> tuple[Term, ...]:
    """Return the terms a single token stands for, through reduplication, affixes and the e- prefix."""
    if word in LEX.words:
        return LEX.words[word]
    halves = word.split("-")
    if len(halves) == 2 and halves[1].startswith(halves[0]) and halves[1][len(halves[0]) :] in ("", "nya", "an"):
        return lookup_word(halves[0])  # reduplication: layanan-layanan, kota-kotanya
    if word.isalpha():
        for stem in _stem_candidates(word):
            if len(stem) >= _MIN_STEM and stem in LEX.stems:
                return LEX.stems[stem]
    if _E_WORD_RE.fullmatch(word):
        return (Term(word, "tech"),)  # e-kinerja, e-parkir, e-posyandu: an electronic public system
    return ()


def _match_phrase(words: list[str], matches: list[re.Match], i: int, text: str) -> tuple[int, tuple]:
    """Return (token count, terms) of the longest phrase starting at token i, or (0, ())."""
    if i + 1 == len(words) or words[i + 1] not in LEX.seconds[words[i]]:
        return 0, ()
    for phrase, terms in LEX.phrases[words[i]]:
        j = i + len(phrase)
        # Words must be consecutive tokens separated by whitespace only: "kota. Cerdas" is not a phrase.
        if tuple(words[i:j]) == phrase and all(
            text[matches[k].end() : matches[k + 1].start()].isspace() for k in range(i, j - 1)
        ):
            return len(phrase), terms
    return 0, ()


def scan(text: str) -> list[Hit]:
    """Return all lexicon hits in lowercased text, the longest phrase winning at each token."""
    matches = list(_TOKEN_RE.finditer(text))
    words = [m.group() for m in matches]
    single = list(map(lookup_word, words))
    phrases, hits, next_free = LEX.phrases, [], 0
    for i in [k for k, w in enumerate(words) if single[k] or w in phrases]:
        if i < next_free:
            continue  # inside a phrase matched earlier
        size, terms = _match_phrase(words, matches, i, text) if words[i] in phrases else (0, ())
        if not size:
            size, terms = 1, single[i]
        start, end = matches[i].start(), matches[i + size - 1].end()
        hits += [Hit(term, start, end) for term in terms]
        next_free = i + size
    return hits


def mask_related(text: str) -> str:
    """Blank related-links boxes ("Baca Juga: ...") with spaces, keeping every offset."""
    return LEX.related_re.sub(lambda m: " " * len(m.group()), text)


def prepare(value: object, limit: int) -> str:
    """Lowercase a field without moving any character offset; non-strings become empty."""
    value = value[:limit] if isinstance(value, str) else ""
    lowered = value.lower()
    # A few characters lowercase to two ("İ" -> "i̇"); keep those as they are so offsets stay valid.
    return lowered if len(lowered) == len(value) else "".join(c if len(c.lower()) > 1 else c.lower() for c in value)
