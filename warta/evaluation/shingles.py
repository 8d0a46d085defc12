"""The article-extraction-benchmark metric: precision/recall/F1 over 4-gram token shingles.

Tokens are \\w+ runs (Unicode); shingles are counted as multisets; per document precision = tp/(tp+fp) and
recall = tp/(tp+fn); both are 1 when the prediction and the truth share everything (fp = fn = 0), a document
with tp+fp = 0 is left out of the precision mean and one with tp+fn = 0 out of the recall mean; F1 is the
harmonic mean of the two means.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

TOKEN = re.compile(r"\w+", re.UNICODE)  # a token: a run of word characters


def shingles(text: str, n: int = 4) -> Counter:
    """The multiset of n-token shingles of a text (a shorter text is one shingle)."""
    tokens = TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def counts(predicted: str, truth: str) -> tuple[int, int, int]:
    """(tp, fp, fn) shingle counts of one document."""
    pred, true = shingles(predicted), shingles(truth)
    tp = sum((pred & true).values())
    return tp, sum(pred.values()) - tp, sum(true.values()) - tp


@dataclass(frozen=True)
class Score:
    """Mean precision, mean recall, their F1, and how many documents were scored."""

    precision: float
    recall: float
    f1: float
    documents: int

    def as_dict(self) -> dict:
        """JSON-ready figures, rounded for reading."""
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "documents": self.documents}


def score(pairs: list[tuple[str, str]]) -> Score:
    """Score (predicted, truth) body pairs with the benchmark's shingle metric."""
    precisions, recalls = [], []
    for predicted, truth in pairs:
        tp, fp, fn = counts(predicted, truth)
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if tp + fp:
            precisions.append(tp / (tp + fp))
        if tp + fn:
            recalls.append(tp / (tp + fn))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0, len(pairs))
