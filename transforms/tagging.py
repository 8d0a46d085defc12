"""Tag articles with the six Gerakan Menuju 100 Smart City dimensions, keeping the evidence behind each tag.

A lexicon tagger (GDELT-style: every match keeps its offsets, so an analyst can see why) over the versioned
taxonomy in taxonomy/smart_city.yaml; the lexicon and the scanner live in transforms.tagging_rules.

An article is smart-city when it is about the smart-city programme itself (a programme term in the headline,
or repeated in the body), or when its main subject is a regional public actor using technology:
- the subject - the first actor named in the first body sentence, else in the headline - is a regional public
  actor, not a ministry, the police, a bank, a telco, a firm, a campus or a politician;
- technology terms appear in the lead (headline or first body sentence) and in a share of the sentences;
- sentences that are only incidental contexts (crime evidence, fraud, hoaxes, "via WhatsApp") do not count,
  and an incidental context in the headline sets the subject of the whole article; "Baca Juga" boxes are blanked.
Dimensions come from the matched terms: technology words take the dimension of the sentence they sit in.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import NamedTuple

from transforms.tagging_rules import (
    DIMENSION_IDS,
    EVIDENCE_KINDS,
    LEX,
    SENTENCE_END_RE,
    TECH_KINDS,
    Hit,
    mask_related,
    prepare,
    scan,
)

__all__ = ["TAXONOMY_VERSION", "DIMENSION_IDS", "Evidence", "TagResult", "tag_article"]

TAXONOMY_VERSION: str = LEX.version
# Real articles stay far below this; past it the tail is boilerplate, and a 1 MB input must not cost seconds.
MAX_FIELD_CHARS = 200_000
_CFG = LEX.scoring
_ACTOR_KINDS = frozenset({"actor", "other_actor"})
_CANCELLED_KINDS = {"all": EVIDENCE_KINDS, "weak": frozenset({"tech", "weak"}), "": frozenset()}
_WORD_CHAR_RE = re.compile(r"[^\W_]")


class _Found(NamedTuple):
    field: str  # "title" or "body"
    hit: Hit
    sentence: int  # 0 is the headline, 1.. the body sentences


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


def _cancel_modes(found: list[_Found], base: str) -> dict[int, str]:
    """Map sentence index to the strongest incidental cancel mode found in it ("weak" or "all")."""
    modes: dict[int, str] = defaultdict(lambda: base)
    for f in found:
        if f.hit.term.kind == "incidental":
            modes[f.sentence] = "all" if "all" in (f.hit.term.cancels, modes[f.sentence]) else "weak"
    return modes


def _body_hits(body: str) -> tuple[list[_Found], int]:
    """Scan the body with related-link boxes blanked; return its hits by sentence and its sentence count."""
    body = mask_related(body)
    ends = [m.end() for m in SENTENCE_END_RE.finditer(body)]
    sentences = sum(1 for a, b in zip([0, *ends], [*ends, len(body)]) if _WORD_CHAR_RE.search(body, a, b))
    return [_Found("body", h, 1 + bisect_right(ends, h.start)) for h in scan(body)], sentences


def _collect(title: str, body: str) -> tuple[list[_Found], int]:
    """Return the hits left after incidental cancelling, and the number of sentences (headline included)."""
    title_found = [_Found("title", h, 0) for h in scan(title)]
    # An incidental context in the headline (fraud, crime) is the article's main subject: apply it throughout.
    headline_mode = _cancel_modes(title_found, "")[0] if title_found else ""
    body_found, sentences = _body_hits(body)
    found = title_found + body_found
    modes = _cancel_modes(found, headline_mode)
    kept = [f for f in found if f.hit.term.kind not in _CANCELLED_KINDS[modes[f.sentence]]]
    return kept, sentences + bool(title.strip())


def _subject(found: list[_Found], lead: int) -> str:
    """Return the kind of the subject: the first actor of the first lead sentence naming one, else of the headline."""
    actors = [f for f in found if f.hit.term.kind in _ACTOR_KINDS and f.sentence <= lead]
    first = min(actors, key=lambda f: (f.sentence == 0, f.sentence, f.hit.start), default=None)
    return first.hit.term.kind if first else ""


def _is_smart_city(found: list[_Found], sentences: int) -> bool:
    """Decide the label: programme news, or technology as the main subject of a regional public actor."""
    cfg = _CFG
    subject = _subject(found, cfg["actor_lead_sentences"])
    programme = Counter(f.field for f in found if f.hit.term.kind == "programme")
    if programme["title"] or programme["body"] >= cfg["min_programme_body_hits"]:
        return subject != "other_actor"
    tech = {f.sentence for f in found if f.hit.term.kind in TECH_KINDS}
    # Long articles need the technology in a share of their opening sentences, not of every sentence.
    needed = max(cfg["min_tech_sentences"], cfg["min_tech_share"] * min(sentences, cfg["share_of_first_sentences"]))
    return subject == "actor" and min(tech, default=99) <= cfg["tech_lead_sentences"] and len(tech) >= needed


def _weights(evidence: list[_Found]) -> list[float]:
    """Weigh each evidence hit: by kind, headline over body, repeats of a term decaying."""
    cfg, seen, out = _CFG, Counter(), []
    for f in evidence:
        term = f.hit.term
        seen[term.text, term.kind, term.dimension] += 1
        factor = cfg["title_factor"] if f.field == "title" else 1.0
        out.append(cfg["weights"][term.kind] * factor / math.sqrt(seen[term.text, term.kind, term.dimension]))
    return out


def _dimensions_of(evidence: list[_Found], weights: list[float]) -> list[str]:
    """Give every hit a dimension: its own, or for technology words the leading one of its sentence."""
    by_sentence: dict[int, Counter] = defaultdict(Counter)
    for f, w in zip(evidence, weights):
        if f.hit.term.dimension:
            by_sentence[f.sentence][f.hit.term.dimension] += w
    overall = sum(by_sentence.values(), Counter())
    fallback = max(DIMENSION_IDS, key=lambda d: overall[d]) if overall else DIMENSION_IDS[0]
    top = {s: max(DIMENSION_IDS, key=lambda d: c[d]) for s, c in by_sentence.items()}
    return [f.hit.term.dimension or top.get(f.sentence, fallback) for f in evidence]


def _dimension_raw(evidence: list[_Found], weights: list[float], dims: list[str]) -> dict[str, float]:
    """Sum evidence weights per dimension, each sentence adding at most a capped amount to a dimension."""
    cfg, per = _CFG, defaultdict(float)
    for f, w, d in zip(evidence, weights, dims):
        per[(f.sentence, d)] += w * (1.0 if f.hit.term.dimension else cfg["tech_dimension_factor"])
    raw = dict.fromkeys(DIMENSION_IDS, 0.0)
    for (sentence, d), w in per.items():
        raw[d] += min(w, cfg["sentence_cap"] * (cfg["title_factor"] if sentence == 0 else 1.0))
    return raw


def _pick_dimensions(raw: dict[str, float]) -> list[str]:
    """Return the top dimension and the others within a relative threshold of it, best first."""
    cfg = _CFG
    ranked = sorted((d for d in DIMENSION_IDS if raw[d] > 0), key=lambda d: -raw[d])
    if not ranked:
        return []
    floor = max(cfg["dimension_relative"] * raw[ranked[0]], cfg["dimension_min_raw"])
    return [ranked[0]] + [d for d in ranked[1 : cfg["max_dimensions"]] if raw[d] >= floor]


def _score(found: list[_Found], sentences: int) -> TagResult:
    """Weigh the evidence into dimension scores and the label, keeping every matched term as evidence."""
    cfg = _CFG
    evidence = [f for f in found if f.hit.term.kind in EVIDENCE_KINDS]
    weights = _weights(evidence)
    dims = _dimensions_of(evidence, weights)
    raw = _dimension_raw(evidence, weights, dims)
    smart = _is_smart_city(found, sentences)
    spread = 1.0 - math.exp(-sum(raw.values()) / cfg["article_scale"])
    return TagResult(
        smart_city=smart,
        # Scores of 0.5 and above are exactly the smart-city articles; within each half more evidence ranks higher.
        smart_city_score=round(0.5 + 0.5 * spread if smart else 0.499 * spread, 4),
        dimensions=_pick_dimensions(raw) if smart else [],
        dimension_scores={d: round(1.0 - math.exp(-raw[d] / cfg["dimension_scale"]), 4) for d in DIMENSION_IDS},
        evidence=[Evidence(f.hit.term.text, d, f.field, f.hit.start, f.hit.end) for f, d in zip(evidence, dims)],
    )



def tag_article(title: str, text: str) -> TagResult:
    """Tag one article with smart-city dimensions and the evidence behind them."""
    found, sentences = _collect(prepare(title, MAX_FIELD_CHARS), prepare(text, MAX_FIELD_CHARS))
    return _score(found, sentences)
