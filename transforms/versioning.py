"""Article versions, decided without I/O: is a re-fetched page a new version of an article we hold, or the same one?

The warehouse keeps one row per canonical URL. A page fetched again (its discovery document says it changed, or
its run is being rerun) is compared with the row we hold by a hash of what analysts read (title and body):
- same content as a row in *another* run: nothing new, the page is rejected as `unchanged` (counted, kept aside);
- same content as this run's own earlier row (a rerun): the same version again;
- different content: the next version, and the earlier row is superseded when the run is published.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Prior:
    """The newest row the warehouse holds for a URL."""

    version: int
    content_hash: str
    fetched_at: datetime | None
    first_fetched_at: datetime | None
    in_this_partition: bool  # the row belongs to the partition being (re)written: this run's own earlier output


@dataclass(frozen=True)
class Versioned:
    """What a fetched page becomes: a row at `version`, or (unchanged) nothing new."""

    version: int
    first_fetched_at: datetime | None
    unchanged: bool = False


def content_hash(title: str | None, body: str | None) -> str:
    """A hash of the article as analysts read it; whitespace-only differences do not make a new version."""
    text = _SPACE.sub(" ", f"{title or ''}\n{body or ''}").strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def next_version(prior: Prior | None, new_hash: str, fetched_at: datetime) -> Versioned:
    """The version a fetched page gets, given the newest row held for its URL (None: never seen)."""
    if prior is None:
        return Versioned(1, fetched_at)
    first = prior.first_fetched_at or prior.fetched_at or fetched_at
    if new_hash == prior.content_hash:
        return Versioned(prior.version, first, unchanged=not prior.in_this_partition)
    return Versioned(prior.version + 1, first)
