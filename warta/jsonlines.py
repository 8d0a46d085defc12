"""JSON lines in, for the verbs that read {"id","title","text"} objects: bad lines are named, never fatal."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator


def read_objects(lines: Iterable[str]) -> Iterator[tuple[dict | None, dict | None]]:
    """(object, None) for each JSON object line, (None, error record) for a line that is not one; blanks skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            yield None, {"id": None, "line": number, "error": "invalid_json", "detail": str(exc)}
            continue
        yield item, None
