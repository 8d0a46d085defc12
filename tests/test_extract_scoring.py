"""How Warta's text is scored against a truth: the dateline field counts only where the truth keeps datelines."""

from __future__ import annotations

from transforms.extract import PageFields
from transforms.metadata import PageMeta
from warta.evaluation.extraction import scored_text

BODY = ["Menteri Yuddy menegur bawahannya.", "Ia meminta laporan dalam sepekan."]


def fields(dateline: str | None) -> PageFields:
    return PageFields(PageMeta(), BODY, dateline, "warta-generic")


def test_the_dateline_is_scored_where_the_truth_opens_with_it():
    truth = "JAKARTA, KOMPAS.com - Menteri Yuddy menegur bawahannya. Ia meminta laporan dalam sepekan."
    assert scored_text(fields("JAKARTA, KOMPAS.com"), truth).startswith("JAKARTA, KOMPAS.com - Menteri")


def test_the_dateline_is_not_scored_where_the_truth_dropped_it_or_names_another():
    assert scored_text(fields("JAKARTA, KOMPAS.com"), " ".join(BODY)) == "\n".join(BODY)
    assert scored_text(fields("BANDUNG, KOMPAS.com"), "JAKARTA, KOMPAS.com - " + " ".join(BODY)) == "\n".join(BODY)
    assert scored_text(fields(None), "JAKARTA, KOMPAS.com - " + " ".join(BODY)) == "\n".join(BODY)


def test_a_rejected_page_scores_as_empty():
    assert scored_text(None, "anything") == ""
