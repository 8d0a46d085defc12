"""Inline SVG charts for the HTML report: axes, legends, lines, stacked bars, horizontal bars; no scripts, no fonts."""

from __future__ import annotations

from html import escape

# Okabe-Ito: distinguishable with colour-vision deficiencies; yellow last (weak on white).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
WIDTH, HEIGHT = 960, 320
PLOT = {"left": 56, "right": 700, "top": 24, "bottom": 268}  # the plot area; the legend sits right of it
LIGHT = "#B9CFE3"  # the "all articles" bars behind the smart-city ones
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def esc(text) -> str:
    """Escape text for HTML and inline SVG (quotes too)."""
    return escape(str(text), quote=True)


def short(text: str, limit: int = 30) -> str:
    """Cut a long label to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nice_scale(peak: float, ticks: int = 5) -> tuple[int, int]:
    """The axis top and tick step for integer counts: steps of 1, 2 or 5 times a power of ten."""
    step, power = 1, 1
    while True:
        for factor in (1, 2, 5):
            step = factor * power
            if peak / step <= ticks:
                return max(step, -(-int(peak) // step) * step), step
        power *= 10


def svg(cid: str, title: str, desc: str, body: list[str], height: int = HEIGHT) -> str:
    """Wrap chart marks in an accessible <svg> (role img, <title> and <desc>)."""
    return (f'<svg id="{cid}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{cid}-t {cid}-d">'
            f'<title id="{cid}-t">{esc(title)}</title><desc id="{cid}-d">{esc(desc)}</desc>'
            + "".join(body) + "</svg>")


def y_axis(top: int, step: int, label: str) -> list[str]:
    """Horizontal grid lines, tick labels and the rotated axis title of a count axis."""
    p, out = PLOT, []
    for value in range(0, top + 1, step):
        y = p["bottom"] - (p["bottom"] - p["top"]) * value / top
        out.append(f'<line class="grid" x1="{p["left"]}" x2="{p["right"]}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="tick" x="{p["left"] - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    mid = (p["top"] + p["bottom"]) / 2
    out.append(f'<text class="axis-title" transform="translate(14 {mid}) rotate(-90)" text-anchor="middle">'
               f'{esc(label)}</text>')
    return out


def month_range(first: str, last: str) -> list[str]:
    """Every 'YYYY-MM' from first to last."""
    year, month, months = int(first[:4]), int(first[5:]), []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_step(count: int) -> int:
    """Months between x labels, so that at most about a dozen labels show."""
    return next(step for step in (1, 2, 3, 6, 12, 24, 60, 120) if count / step <= 12)


def month_label(month: str, step: int) -> str:
    """'2023-12' as 'Dec 2023', or '2023' on a yearly axis."""
    year, number = month.split("-")
    return year if step >= 12 else f"{MONTHS[int(number) - 1]} {year}"


def x_months(months: list[str], left: float = PLOT["left"], right: float = PLOT["right"],
             bottom: float = PLOT["bottom"]) -> list[str]:
    """The month axis: its line, tick marks and labels (Januaries on a yearly axis) and its title."""
    step, band = month_step(len(months)), (right - left) / len(months)
    out = [f'<line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>']
    for i, month in enumerate(months):
        year, number = int(month[:4]), int(month[5:])
        shown = (number == 1 and year % (step // 12) == 0) if step >= 12 else (number - 1) % step == 0
        if shown or (i == 0 and step < 12):
            x = left + band * (i + 0.5)
            out.append(f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 5}"/>'
                       f'<text class="tick" x="{x:.1f}" y="{bottom + 18}" text-anchor="middle">'
                       f'{month_label(month, step)}</text>')
    out.append(f'<text class="axis-title" x="{(left + right) / 2}" y="{bottom + 40}" '
               'text-anchor="middle">Month of publication (WIB)</text>')
    return out


def legend(items: list[tuple[str, str]], x: float = PLOT["right"] + 24, y: float = PLOT["top"],
           across: int = 0) -> list[str]:
    """A legend of colour swatches and names, one per row (or `across` px apart in a row); full names as tooltips."""
    out = []
    for i, (name, colour) in enumerate(items):
        left, top = (x + across * i, y) if across else (x, y + 22 * i)
        out.append(f'<g class="legend-item"><title>{esc(name)}</title>'
                   f'<rect x="{left}" y="{top}" width="14" height="14" rx="2" fill="{colour}"/>'
                   f'<text x="{left + 20}" y="{top + 11}">{esc(short(name))}</text></g>')
    return out


def multiples_chart(cid: str, title: str, desc: str, months: list[str], series: dict[str, list[int]]) -> str:
    """Small multiples: one row per series, each a line of monthly counts on one shared scale and month axis."""
    left, right, row_h, first = 236, 900, 46, 40
    top = max((max(v) for v in series.values()), default=1) or 1  # the busiest month of any row
    band = (right - left) / len(months)
    body = [f'<line class="key" x1="{left}" x2="{left + 22}" y1="14" y2="14" stroke="#5a6475" stroke-width="2.5"/>'
            f'<text x="{left + 28}" y="18">smart-city articles per month (rows share one scale: 0 to {top})</text>'
            f'<circle cx="{left + 446}" cy="14" r="3.5" fill="#5a6475"/><text x="{left + 455}" y="18">'
            'a month with articles</text>']
    for row, ((name, values), colour) in enumerate(zip(series.items(), PALETTE)):
        base, height = first + row * row_h + 36, 28
        dots = [(left + band * (i + 0.5), base - height * v / top) for i, v in enumerate(values)]
        xy = dots if len(dots) > 1 else [(x + dx, y) for x, y in dots for dx in (-band * 0.3, band * 0.3)]
        line = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(xy))
        body.append(f'<text class="label" x="{left - 10}" y="{base - 10}" text-anchor="end">{esc(short(name, 32))}'
                    f'<title>{esc(name)}: {sum(values)}</title></text>'
                    f'<line class="grid" x1="{left}" x2="{right}" y1="{base - height}" y2="{base - height}"/>'
                    f'<text class="tick" x="{right + 6}" y="{base - height + 4}">{top}</text>'
                    f'<line class="axis" x1="{left}" x2="{right}" y1="{base}" y2="{base}"/>'
                    f'<text class="tick" x="{right + 6}" y="{base + 4}">0</text>'
                    f'<path class="mark area" d="{line} L{xy[-1][0]:.1f},{base} L{xy[0][0]:.1f},{base} Z" '
                    f'fill="{colour}" fill-opacity="0.18"/>'
                    f'<path class="mark line" d="{line}" fill="none" stroke="{colour}" stroke-width="2.5" '
                    f'stroke-linejoin="round"><title>{esc(name)}</title></path>')
        body += [f'<circle class="mark dot" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                 f'<title>{esc(name)}, {month}: {v}</title></circle>'
                 for (x, y), month, v in zip(dots, months, values) if v]
    bottom = first + len(series) * row_h
    return svg(cid, title, desc, body + x_months(months, left, right, bottom), height=bottom + 50)


def stacked_bar_chart(cid: str, title: str, desc: str, months: list[str], series: dict[str, list[int]],
                      colours: dict[str, str]) -> str:
    """Monthly counts as bars stacked by series, in the given colours."""
    totals = [sum(column) for column in zip(*series.values())] or [0]
    top, step = nice_scale(max(totals) or 1)
    band, body = (PLOT["right"] - PLOT["left"]) / len(months), y_axis(top, step, "Articles per dimension")
    body += x_months(months)
    height, width = PLOT["bottom"] - PLOT["top"], max(band * 0.8, 1.5)
    for i, month in enumerate(months):
        base = PLOT["bottom"]
        for name, values in series.items():
            if values[i]:
                h = height * values[i] / top
                base -= h
                body.append(f'<rect class="mark bar" x="{PLOT["left"] + band * i + (band - width) / 2:.1f}" '
                            f'y="{base:.1f}" width="{width:.1f}" height="{h:.1f}" fill="{colours[name]}">'
                            f'<title>{esc(name)}, {month}: {values[i]}</title></rect>')
    return svg(cid, title, desc, body + legend([(name, colours[name]) for name in series]))


def hbar_chart(cid: str, title: str, desc: str, rows: list[tuple[str, int, int]]) -> str:
    """Horizontal bars per label: all articles (light) with the smart-city part (strong) over them."""
    left, right, row_h, top_y = 190, 860, 28, 44
    peak, step = nice_scale(max((r[1] for r in rows), default=1) or 1)
    scale, bottom = (right - left) / peak, top_y + len(rows) * row_h
    body = legend([("All articles", LIGHT), ("Smart-city articles", PALETTE[0])], x=left, y=8, across=160)
    for value in range(0, peak + 1, step):
        x = left + value * scale
        body.append(f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top_y - 4}" y2="{bottom}"/>'
                    f'<text class="tick" x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{value}</text>')
    for i, (label, total, smart) in enumerate(rows):
        y = top_y + i * row_h
        body.append(f'<text class="label" x="{left - 8}" y="{y + 15}" text-anchor="end">{esc(short(label, 26))}'
                    f'<title>{esc(label)}</title></text>')
        body.append(f'<rect class="mark bar" x="{left}" y="{y + 2}" width="{max(total * scale, 1):.1f}" height="18" '
                    f'fill="{LIGHT}"><title>{esc(label)}: {total} articles</title></rect>')
        if smart:
            body.append(f'<rect class="mark bar" x="{left}" y="{y + 2}" width="{smart * scale:.1f}" height="18" '
                        f'fill="{PALETTE[0]}"><title>{esc(label)}: {smart} smart-city articles</title></rect>')
        body.append(f'<text class="value" x="{left + total * scale + 6:.1f}" y="{y + 15}">{smart} / {total}</text>')
    body.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top_y - 4}" y2="{bottom}"/>'
                f'<line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>')
    body.append(f'<text class="axis-title" x="{(left + right) / 2}" y="{bottom + 38}" text-anchor="middle">'
                'Articles in the warehouse (smart-city / all)</text>')
    return svg(cid, title, desc, body, height=bottom + 50)
