"""Body cleaning for Indonesian news: boilerplate lines out, the dateline cut and kept on its own."""

from __future__ import annotations

import re

from warta.catalog import PortalConfig

# Whole lines that are never article text. Anchored at the line start, so a sentence that merely
# contains "baca juga" in its middle is kept.
NOISE_LINES = tuple(
    re.compile(p, re.I)
    for p in (
        r"^(baca|lihat) juga\s*[:\-]",
        r"^(baca|lihat) juga$",
        r"^simak (berita|artikel|video|informasi)\b",
        r"^(advertisement|scroll to (resume|continue with) content)$",
        r"^\[gambas:",
        r"^(pewarta|editor|penulis|reporter|kontributor|penyunting|sumber|foto)\s*:",
        r"^artikel ini telah tayang di\b",
        r"^pilihan editor\s*:",
        r"^halaman \d+ dari \d+$",
        r"^(dapatkan|ikuti) (update|berita|informasi)\b.*\b(channel|whatsapp|telegram|google news)\b",
        r"^gabung (ke )?(channel|grup)\b",
        r"^\((antara foto|suara\.com|kompas\.com|foto)\s*/[^)]*\)$",
    )
)
# Datelines seen across portals when the portal config does not name its own.
GENERIC_DATELINES = tuple(
    re.compile(p)
    for p in (
        r"^(?P<dateline>[A-Z][A-Za-z .]{1,40} \(ANTARA\))\s*[-–—]\s*",
        r"^(?P<dateline>[A-Z][A-Z .]{1,40}, [A-Za-z]+\.(?:com|co\.id|id|CO))\s*[-–—]\s*",
        r"^(?P<dateline>[A-Z][A-Za-z]+(?:\.co\.id|\.com|\.id|\.co)(?:, [A-Z][A-Za-z ]{1,30})?)\s*[-–—]\s*",
    )
)


# Desk initials closing the last paragraph: "... pada awal 2021. (Red)", "(rls)", "(*)", "(ant/hms)".
TRAILING_CREDIT = re.compile(r"\s*\((?:red|rls|rilis|adv|hms|ant|kmf|\*+|[a-z]{2,5}/[a-z]{2,5})\)\s*$", re.I)


# NOISE_LINES as one pattern: one search per line instead of one per pattern (same answer: any branch matches).
_NOISE_LINE = re.compile("|".join(f"(?:{p.pattern})" for p in NOISE_LINES), re.I)


def is_noise(line: str, portal: PortalConfig | None = None) -> bool:
    """True when a whole line is boilerplate (related links, credits, page counters, ads)."""
    if _NOISE_LINE.search(line):
        return True
    return any(p.search(line) for p in portal.drop_line_patterns) if portal else False


def cut_dateline(first: str, portal: PortalConfig | None = None) -> tuple[str | None, str]:
    """Split a leading dateline ("SuaraLampung.id - ") from the first paragraph."""
    for pattern in (portal.dateline_patterns if portal else ()) + GENERIC_DATELINES:
        match = pattern.match(first)
        if match:
            return match.group("dateline").strip(), first[match.end() :].strip()
    return None, first


def clean_paragraphs(paragraphs: list[str], portal: PortalConfig | None = None) -> tuple[list[str], str | None]:
    """Drop noise lines, fold whitespace, remove repeats, cut the dateline; return (lines, dateline)."""
    lines: list[str] = []
    for paragraph in paragraphs:
        for line in paragraph.splitlines():
            line = " ".join(line.split())
            if line and not is_noise(line, portal) and (not lines or lines[-1] != line):
                lines.append(line)
    if lines:
        lines[-1] = TRAILING_CREDIT.sub("", lines[-1])
        if not lines[-1]:
            lines.pop()
    dateline = None
    if lines:
        dateline, lines[0] = cut_dateline(lines[0], portal)
        if not lines[0]:
            lines.pop(0)
    return lines, dateline
