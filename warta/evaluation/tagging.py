"""`warta eval tagging`: the smart-city tagger on our labelled development set.

Binary precision / recall / F1, the false-positive rate on the negatives (hard ones reported apart), and
F1 per dimension with the micro average over the positives' dimension labels.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from transforms.tagging import TAXONOMY_VERSION, tag_article

DEV_SET = Path(__file__).with_name("data") / "tagging_dev.jsonl"
DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")


def _f1(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def evaluate_tagging(path: Path = DEV_SET) -> dict:
    """Every tagging figure over the labelled set, plus the items the tagger got wrong."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    binary, by_kind, dims, wrong = Counter(), Counter(), {d: Counter() for d in DIMENSIONS}, []
    for item in items:
        result = tag_article(item["title"], item["text"])
        truth, got = item["smart_city"], result.smart_city
        binary["tp" if truth and got else "fp" if got else "fn" if truth else "tn"] += 1
        by_kind[(item["kind"], got)] += 1
        if truth != got:
            wrong.append({"id": item["id"], "kind": item["kind"], "expected": truth, "score": result.smart_city_score})
        if truth:  # dimensions are judged on the positives, whatever the binary call
            predicted = set(result.dimensions)
            for d in DIMENSIONS:
                expected = d in item["dimensions"]
                dims[d]["tp" if expected and d in predicted else "fp" if d in predicted else "fn" if expected else "tn"] += 1
    negatives = binary["fp"] + binary["tn"]
    hard = by_kind[("hard_negative", True)] + by_kind[("hard_negative", False)]
    micro = sum((dims[d] for d in DIMENSIONS), Counter())
    return {
        "taxonomy_version": TAXONOMY_VERSION,
        "items": len(items),
        "binary": _f1(binary["tp"], binary["fp"], binary["fn"]),
        "false_positive_rate": round(binary["fp"] / negatives, 4) if negatives else 0.0,
        "hard_negative_fpr": round(by_kind[("hard_negative", True)] / hard, 4) if hard else 0.0,
        "dimensions": {d: _f1(dims[d]["tp"], dims[d]["fp"], dims[d]["fn"]) for d in DIMENSIONS},
        "dimension_micro_f1": _f1(micro["tp"], micro["fp"], micro["fn"])["f1"],
        "wrong": wrong,
    }


def render_tagging(results: dict) -> str:
    """The table a person reads."""
    b = results["binary"]
    lines = [
        f"tagging on {results['items']} labelled texts (taxonomy {results['taxonomy_version']})",
        f"smart_city: precision {b['precision']:.4f}  recall {b['recall']:.4f}  F1 {b['f1']:.4f}",
        f"false-positive rate on negatives {results['false_positive_rate']:.2%} "
        f"(hard negatives {results['hard_negative_fpr']:.2%})",
        f"dimension micro-F1 {results['dimension_micro_f1']:.4f}",
    ]
    lines += [f"  {d:<12} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}" for d, r in results["dimensions"].items()]
    lines += [f"  wrong: {w['id']} ({w['kind']}, expected {w['expected']}, score {w['score']})" for w in results["wrong"]]
    return "\n".join(lines)
