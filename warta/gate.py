"""The quality gate: a portal's run is published only when its shares and counts look like the portal's usual self.

A portal that silently changed its layout shows up as pages without a body or a date, or as an article count
that collapses against its own recent runs; the gate fails that portal's task with the reason in the log.
"""

from __future__ import annotations

from statistics import median

DEFAULTS = {
    "max_missing_body_share": 0.5,  # of pages fetched
    "max_missing_date_share": 0.5,
    "min_count_ratio": 0.2,  # articles this run / median of recent runs that wrote articles
    "history_runs": 8,
    "min_history_median": 5,  # below this, a portal is too quiet to call a collapse
}


class QualityGateError(RuntimeError):
    """A run that must not be published; the message lists every reason."""


def thresholds(portal_quality: dict | None) -> dict:
    """The gate's thresholds: the portal config's `quality:` over the defaults."""
    unknown = set(portal_quality or {}) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown quality thresholds {sorted(unknown)}; known: {sorted(DEFAULTS)}")
    return {**DEFAULTS, **(portal_quality or {})}


def gate_reasons(health: dict, history: list[dict], limits: dict) -> list[str]:
    """Why this run's health fails the gate (empty when it passes). history: earlier runs' health rows, newest first."""
    reasons = []
    for share, limit in (("missing_body_share", "max_missing_body_share"), ("missing_date_share", "max_missing_date_share")):
        value = health.get(share)
        if value is not None and value > limits[limit]:
            reasons.append(f"{share} {value:.2f} > {limits[limit]:.2f}")
    recent = [h for h in history if readable_pages(h)][: limits["history_runs"]]
    counts = [readable_pages(h) for h in recent]
    fetched = [h["pages_fetched"] for h in recent if h.get("pages_fetched")]
    # A quiet interval (few new pages found, as at night) is not a collapse: judge counts only when this run
    # fetched about as many pages as usual, yet wrote few articles from them.
    quiet = bool(fetched) and (health.get("pages_fetched") or 0) < limits["min_count_ratio"] * median(fetched)
    if counts and health.get("pages_fetched") and not quiet:
        usual, now = median(counts), readable_pages(health)
        if usual >= limits["min_history_median"] and now < limits["min_count_ratio"] * usual:
            reasons.append(f"articles_written {health['articles_written']} collapsed against the median {usual:g} "
                           f"of the last {len(counts)} runs")
    return reasons


def readable_pages(health: dict) -> int:
    """Pages the run read well: articles written, plus re-fetched articles found unchanged (nothing new to write,
    yet proof the layout still parses - a run that only revisits must not look like a collapse)."""
    unchanged = dict(health.get("rejects_by_reason") or []).get("unchanged", 0)
    return (health.get("articles_written") or 0) + unchanged
