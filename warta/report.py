"""`warta report`: one self-contained HTML page (inline CSS and SVG, no scripts, no network) of smart-city coverage.

Counts come from the `articles` view (newest version per URL), not from `rollups_daily`: summing that rollup over
regions or dimensions would count an article once per region and dimension it has. Months are WIB, as in rollups.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from transforms.tagging import DIMENSION_IDS, tag_article
from warta.charts import PALETTE, esc, hbar_chart, month_range, multiples_chart, short, stacked_bar_chart

TOP_REGIONS, TOP_PORTALS, SAMPLE, MAX_MONTHS, SNIPPET = 5, 10, 5, 120, 260
MONTH = "strftime(timezone('Asia/Jakarta', published_at), '%Y-%m')"
DIMENSION_COLOURS = dict(zip(DIMENSION_IDS, ("#0072B2", "#CC79A7", "#E69F00", "#56B4E9", "#D55E00", "#009E73")))
CSS = """
body{font:15px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d2433;margin:0;background:#f6f7f9}
main{max-width:1000px;margin:0 auto;padding:24px}h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:0 0 8px}
.meta{color:#5a6475;margin:0 0 18px}.figures{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:18px}
.figure{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:10px 16px;min-width:130px}
.figure b{display:block;font-size:24px}
section{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:16px;margin-bottom:18px}
svg.chart{width:100%;height:auto;display:block}svg text{font:12px system-ui,sans-serif;fill:#1d2433}
svg .tick{fill:#5a6475}svg .axis-title{font-weight:600}svg .grid{stroke:#e3e7ee}svg .axis{stroke:#5a6475}
figure{margin:0}figcaption,.note{color:#5a6475;font-size:13px}.empty{font-size:18px;padding:24px;text-align:center}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{text-align:left;vertical-align:top;padding:8px;border-top:1px solid #e3e7ee}th{background:#f0f2f6}
td:first-child{white-space:nowrap}mark{border-radius:3px;padding:0 2px;color:inherit}a{color:#0a58b0}
.chip{display:inline-block;border-radius:10px;padding:0 7px;margin:0 4px 4px 0;font-size:12px;white-space:nowrap}
"""


def dimension_label(dimension: str) -> str:
    """'governance' -> 'Smart Governance', the taxonomy's label."""
    return f"Smart {dimension.capitalize()}"


def portal_name(portal: str) -> str:
    """The catalog's display name of a portal, its id when unknown."""
    from warta.catalog import load_catalog

    return getattr(load_catalog(strict=False).get(portal), "name", portal)


def totals(con) -> dict:
    """Headline figures: articles, smart-city articles, portals and the WIB dates covered."""
    row = con.execute(f"SELECT count(*), count(*) FILTER (WHERE smart_city), count(DISTINCT portal), "
                      f"min({MONTH}), max({MONTH}), min({MONTH}) FILTER (WHERE smart_city), "
                      f"max({MONTH}) FILTER (WHERE smart_city) FROM articles").fetchall()[0]
    return dict(zip(("articles", "smart_city", "portals", "first", "last", "smart_first", "smart_last"), row))


def monthly(con, unnest: str, key: str, where: str = "") -> dict[str, dict[str, int]]:
    """Smart-city articles per key per month, each article counted once per key it has."""
    rows = con.execute(f"SELECT {key} AS k, {MONTH} AS m, count(DISTINCT url) FROM articles, {unnest} "
                       f"WHERE smart_city {where} GROUP BY ALL").fetchall()
    out: dict[str, dict[str, int]] = {}
    for name, month, count in rows:
        out.setdefault(name, {})[month] = count
    return out


def region_chart(con, months: list[str]) -> str:
    """Small multiples of monthly smart-city articles, top kabupaten/kota (provinces when none)."""
    level = "r.level IN ('regency', 'city')"
    if not con.execute(f"SELECT count(*) FROM articles, UNNEST(regions) AS t(r) WHERE smart_city AND {level}"
                       ).fetchall()[0][0]:
        level = "r.level = 'province'"
    data = monthly(con, "UNNEST(regions) AS t(r)", "r.name", f"AND {level}")
    top = sorted(data, key=lambda name: (-sum(data[name].values()), name))[:TOP_REGIONS]
    series = {name: [data[name].get(m, 0) for m in months] for name in top}
    what = "kabupaten/kota" if "regency" in level else "provinces"
    desc = f"One line per region, {months[0]} to {months[-1]}; totals: " + \
        "; ".join(f"{name} {sum(v)}" for name, v in series.items())
    return multiples_chart("chart-regions", f"Smart-city articles per month, top {len(top)} {what}", desc, months,
                           series)


def province_note(con) -> str:
    """Smart-city articles per province, as one line of text under the region chart."""
    rows = con.execute("SELECT r.name, count(DISTINCT url) AS n FROM articles, UNNEST(regions) AS t(r) "
                       "WHERE smart_city AND r.level = 'province' GROUP BY ALL ORDER BY n DESC, r.name").fetchall()
    return "; ".join(f"{esc(name)} {n}" for name, n in rows) or "none named"


def dimension_chart(con, months: list[str]) -> str:
    """Monthly smart-city articles stacked by smart-city dimension."""
    data = monthly(con, "UNNEST(dimensions) AS t(d)", "d")
    present = [d for d in DIMENSION_IDS if d in data] + sorted(set(data) - set(DIMENSION_IDS))
    series = {dimension_label(d): [data[d].get(m, 0) for m in months] for d in present}
    colours = {dimension_label(d): DIMENSION_COLOURS.get(d, PALETTE[6]) for d in present}
    desc = "Stacked bars per month; totals: " + "; ".join(f"{name} {sum(v)}" for name, v in series.items())
    return stacked_bar_chart("chart-dimensions", "Smart-city articles per month by dimension", desc, months, series,
                             colours)


def portal_chart(con) -> str:
    """Horizontal bars of the portals with the most smart-city articles (all articles behind them)."""
    rows = con.execute("SELECT portal, count(*) AS n, count(*) FILTER (WHERE smart_city) AS s FROM articles "
                       f"GROUP BY portal ORDER BY s DESC, n DESC, portal LIMIT {TOP_PORTALS}").fetchall()
    rows = [(portal_name(p), n, s) for p, n, s in rows]
    desc = "Per portal, smart-city articles of all articles: " + "; ".join(f"{p} {s} of {n}" for p, n, s in rows)
    return hbar_chart("chart-portals", f"Top {len(rows)} portals by smart-city articles", desc, rows)


def highlight(text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None) -> str:
    """Escaped text[start:end] with every evidence span inside it in a <mark> coloured by its dimension."""
    end, out, pos = len(text) if end is None else end, [], start
    for s, e, dim in sorted(spans):
        if s >= pos and e <= end:
            colour = DIMENSION_COLOURS.get(dim, "#999999")
            out.append(esc(text[pos:s]) + f'<mark style="background:{colour}33;box-shadow:inset 0 -2px {colour}" '
                       f'title="{esc(dimension_label(dim))}">{esc(text[s:e])}</mark>')
            pos = e
    return "".join(out) + esc(text[pos:end])


def snippet_window(body: str, spans: list[tuple[int, int, str]]) -> tuple[int, int]:
    """The ~SNIPPET-character stretch of the body, from a sentence start, holding the most evidence."""
    best = (0, 0, min(len(body), SNIPPET))
    for s, _, _ in spans:
        start = max(body.rfind("\n", 0, s) + 1, body.rfind(". ", 0, s) + 2, s - 80)
        start = start if start in (0, s) or body[start - 1] in " \n" else body.find(" ", start) + 1
        end = body.find(" ", start + SNIPPET) if len(body) > start + SNIPPET else len(body)
        end = len(body) if end < 0 else end
        hits = sum(1 for a, b, _ in spans if a >= start and b <= end)
        best = max(best, (hits, -start, end))
    return -best[1], best[2]


def evidence_row(row: tuple) -> str:
    """One table row: date, portal, highlighted headline, highlighted body snippet, matched terms."""
    url, title, body, portal, day, score, dims = row
    evidence = tag_article(title or "", body or "").evidence  # offsets into the stored title and body
    title, body = title or "", (body or "").replace("\n", " ")  # one line per paragraph: same length, same offsets
    spans = {f: [(e.start, e.end, e.dimension) for e in evidence if e.field == f] for f in ("title", "body")}
    start, end = snippet_window(body, spans["body"])
    snippet = ("…" if start else "") + highlight(body, spans["body"], start, end) + ("…" if end < len(body) else "")
    counts = Counter((e.term, e.dimension) for e in evidence)
    chips = "".join(f'<span class="chip" style="background:{DIMENSION_COLOURS.get(d, "#999999")}26" '
                    f'title="{esc(dimension_label(d))}">{esc(t)} ×{n}</span>'
                    for (t, d), n in counts.most_common(8))
    return (f"<tr><td>{esc(day)}</td><td>{esc(portal_name(portal))}</td>"
            f'<td><a href="{esc(url)}">{highlight(title, spans["title"])}</a><br><span class="note">score '
            f'{score:.2f} · {esc(", ".join(dimension_label(d) for d in dims) or "no dimension")}</span></td>'
            f"<td>{snippet}</td><td>{chips}</td></tr>")


def evidence_table(con) -> str:
    """The top smart-city articles (first copies only) with their evidence recomputed and highlighted."""
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    # first copies only, when the syndication clusters exist
    source = ("articles_clustered WHERE smart_city AND duplicate_of IS NULL" if "articles_clustered" in tables
              else "articles WHERE smart_city")
    rows = con.execute("SELECT url, title, body, portal, strftime(timezone('Asia/Jakarta', published_at), '%Y-%m-%d'), "
                       f"smart_city_score, dimensions FROM {source} "
                       f"ORDER BY smart_city_score DESC, published_at DESC, url LIMIT {SAMPLE}").fetchall()
    head = "".join(f"<th>{h}</th>" for h in ("Published", "Portal", "Article", "Evidence in the text", "Matched terms"))
    return f"<table><tr>{head}</tr>{''.join(evidence_row(r) for r in rows)}</table>"


def section(heading: str, content: str, caption: str = "") -> str:
    """A titled section; a chart's caption under it."""
    caption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<section><h2>{heading}</h2><figure>{content}{caption}</figure></section>"


def sections(con, t: dict) -> list[str]:
    """The sections of a warehouse with articles: charts (when some are smart-city) and the evidence sample."""
    portals = section("Top portals", portal_chart(con), "Bars: all articles of a portal; the dark part: smart-city.")
    if not t["smart_city"]:
        return [portals, '<section><p class="empty">No smart-city articles yet.</p></section>']
    months = month_range(t["smart_first"], t["smart_last"])[-MAX_MONTHS:]
    note = (f'<p class="note">The {SAMPLE} highest-scoring smart-city articles, re-tagged now; highlighted words are '
            "the taxonomy terms the tagger matched, coloured by dimension.</p>")
    return [section("Coverage over time by region", region_chart(con, months),
                    f"An article counts in every region it names. Smart-city articles per province: "
                    f"{province_note(con)}."),
            section("Coverage over time by dimension", dimension_chart(con, months),
                    "The six dimensions of Gerakan Menuju 100 Smart City; an article with two counts in both."),
            portals, section("Sample evidence", note + evidence_table(con))]


def render(root=None, generated_at: datetime | None = None) -> tuple[str, dict]:
    """The report's HTML and its figures {"articles", "smart_city", "charts"}."""
    from warehouse.location import resolve
    from warehouse.sql import connect

    generated = (generated_at or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    where = resolve(root).uri(resolve(root).base)
    con = connect(root)
    views = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'articles'").fetchall()
    if not views[0][0] or not con.execute("SELECT count(*) FROM articles").fetchall()[0][0]:
        body = [f'<section><p class="empty">No articles yet: the warehouse at <code>{esc(where)}</code> holds none. '
                "Run the pipeline (<code>make demo</code>), then write this report again.</p></section>"]
        return page(generated, where, "", body), {"articles": 0, "smart_city": 0, "charts": 0}
    t = totals(con)
    share = f"{100 * t['smart_city'] / t['articles']:.0f}%"
    figures = "".join(f'<div class="figure"><b>{esc(v)}</b>{esc(k)}</div>' for k, v in (
        ("articles", t["articles"]), ("smart-city articles", t["smart_city"]), ("smart-city share", share),
        ("portals", t["portals"]), ("months covered", f"{t['first']} – {t['last']}")))
    html = page(generated, where, f'<div class="figures">{figures}</div>', sections(con, t))
    return html, {"articles": t["articles"], "smart_city": t["smart_city"], "charts": html.count('<svg id="chart-')}


def page(generated: str, where: str, figures: str, body: list[str]) -> str:
    """The whole HTML document; its CSP forbids every fetch, so nothing can leave the file."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Warta: smart-city coverage report</title><style>{CSS}</style></head><body><main>"
            f'<h1>Warta: smart-city coverage in regional news</h1><p class="meta">Generated {esc(generated)} from '
            f"<code>{esc(short(where, 80))}</code></p>{figures}{''.join(body)}</main></body></html>\n")


def build_report(root=None, *, generated_at: datetime | None = None) -> str:
    """The report as one self-contained HTML string."""
    return render(root, generated_at)[0]


def write_report(output: Path, root=None) -> dict:
    """Write the report to `output` atomically (temp file, fsync, rename); return its path and figures."""
    output = Path(output)
    html, figures = render(root)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(html)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return {"path": str(output), **figures}


def main(argv: list[str] | None = None) -> int:
    """`python -m warta.report --output FILE [--warehouse ROOT]`: write the report, print its figures as JSON."""
    parser = argparse.ArgumentParser(prog="warta report", description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True, help="the HTML file to write")
    parser.add_argument("--warehouse", help="warehouse root (default: $WARTA_WAREHOUSE or data/warehouse)")
    args = parser.parse_args(argv)
    print(json.dumps(write_report(Path(args.output), args.warehouse), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
