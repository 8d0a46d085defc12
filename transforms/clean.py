"""Body cleaning for Indonesian news: boilerplate lines out, the dateline cut and kept on its own."""

from __future__ import annotations

import re

from transforms.dates import MONTH_PATTERN
from warta.catalog import PortalConfig

# A line that is only a timestamp - the page's own date line or the dates left of a related-article list once
# its links are gone ("- Selasa, 23/02/2016 16:10 WIB", "Kamis, 05 November 2015 11:52") - is never prose.
_DAY = r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)"
_TIMESTAMP = (rf"^[-•·*\s]*(?:{_DAY}\s*,?\s*)?(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
              rf"|\d{{1,2}}\s+(?:{MONTH_PATTERN})\.?\s+\d{{4}})"
              r"(?:\s*[,|\-]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}(?:\s*(?:wib|wita|wit))?)?\s*$")

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
        r"^(pewarta|editor|penulis|reporter|kontributor|penyunting|sumber|foto|fotografer|redaksi)\s*:",
        r"^artikel ini telah tayang di\b",
        r"^pilihan editor\s*:",
        r"^halaman \d+ dari \d+$",
        r"^(dapatkan|ikuti) (update|berita|informasi)\b.*\b(channel|whatsapp|telegram|google news)\b",
        r"^gabung (ke )?(channel|grup)\b",
        r"^\((antara foto|suara\.com|kompas\.com|foto)\s*/[^)]*\)$",
        r"^disclaimer\s*:\s*komentar\b",  # the comment section's disclaimer (an article's own disclaimer stays)
        r"^(info(rmasi)? )?pemasangan iklan\b",
        r"^[\w ]{1,30}:\s*[\w.+-]+\[at\][\w.-]+$",  # a contact address written "sales[at]portal.com", alone
        r"^\d{1,3}\.?$",  # a bare number: a page or ranking counter whose link text is gone
        _TIMESTAMP,
    )
)
# Datelines seen across portals when the portal config does not name its own.
GENERIC_DATELINES = tuple(
    re.compile(p)
    for p in (
        # "Bandarlampung (ANTARA) -", "Mataram, NTB (ANTARA News) -",
        # "ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) --"
        r"^(?P<dateline>[A-Z][A-Za-z .,]{1,40}(?:, \d{1,2} [A-Za-z]+ \d{4})? \((?i:antara)(?: News|/\w+)?\))"
        r"\s*[-–—]+\s*",
        r"^(?P<dateline>[A-Z][A-Z .]{1,40}, [A-Za-z]+\.(?:com|co\.id|id|CO))\s*[-–—]+\s*",
        # "Kapanlagi.com -", "VIVA.co.id -", "TEMPO.CO, Jakarta -", "REPUBLIKA.CO.ID, JAKARTA --",
        # "Liputan6.com, Jakarta -"
        r"^(?P<dateline>[A-Z][A-Za-z0-9]+(?i:\.co\.id|\.com|\.id|\.co)(?:, [A-Z][A-Za-z ]{1,30})?)\s*[-–—]+\s*",
    )
)


# Desk initials closing the last paragraph: "... pada awal 2021. (Red)", "(rls)", "(*)", "(ant/hms)".
TRAILING_CREDIT = re.compile(r"\s*\((?:red|rls|rilis|adv|hms|ant|kmf|\*+|[a-z]{2,5}/[a-z]{2,5})\)\s*$", re.I)


# NOISE_LINES as one pattern: one search per line instead of one per pattern (same answer: any branch matches).
_NOISE_LINE = re.compile("|".join(f"(?:{p.pattern})" for p in NOISE_LINES), re.I)


# A table row as trafilatura writes it ("| Penulis | : Masriadi |") is judged by its cells' text.
_TABLE_PIPES = re.compile(r"\s*\|\s*")


def is_noise(line: str, portal: PortalConfig | None = None) -> bool:
    """True when a whole line is boilerplate (related links, credits, page counters, ads)."""
    if _NOISE_LINE.search(line):
        return True
    if line.startswith("|") and _NOISE_LINE.search(_TABLE_PIPES.sub(" ", line).strip()):
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
