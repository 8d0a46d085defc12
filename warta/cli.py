"""The `warta` command line: one tool for people and scripts (JSON on stdout, reasons on failure)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=_json_default))


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def extract_record(data: bytes, url: str, portal_id: str | None, now: datetime) -> tuple[dict, bool]:
    """One page's JSON record (or its reject reason), and whether it is an article."""
    from transforms.curate import article_row
    from transforms.extract import extract_page
    from transforms.html_text import PageRejected
    from transforms.tagging import tag_article
    from warta.catalog import get_portal, portal_for_url

    portal = get_portal(portal_id) if portal_id else portal_for_url(url)
    try:
        page = extract_page(data, url, portal, now=now)
    except PageRejected as exc:
        return {"url": url, "rejected": True, "reason": exc.reason, "detail": exc.detail}, False
    row = article_row(page, None, "cli", portal)
    del row["run_id"], row["fetched_at"]
    tags = tag_article(page.title or "", page.body)
    return {**row, "portal": portal.id if portal else None, "dimension_scores": tags.dimension_scores,
            "topic_evidence": tags.to_dict()["evidence"]}, True


def cmd_extract(args) -> int:
    """Print one page's (or a manifest's pages') extracted, cleaned and tagged article as JSON."""
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(timezone.utc)
    if args.manifest:
        return _extract_manifest(Path(args.manifest), args.portal, now)
    if not args.file or not args.url:
        print("warta extract: give FILE --url URL, or --manifest FILE", file=sys.stderr)
        return 2
    path = Path(args.file)
    if not path.is_file():
        print(f"warta extract: no such file: {path}", file=sys.stderr)
        return 2
    record, ok = extract_record(path.read_bytes(), args.url, args.portal, now)
    _print_json(record)
    return 0 if ok else 1


def _extract_manifest(manifest: Path, portal_id: str | None, now: datetime) -> int:
    """JSON lines {"path","url"} in, one JSON record per line out; paths are relative to the manifest."""
    if not manifest.is_file():
        print(f"warta extract: no such manifest: {manifest}", file=sys.stderr)
        return 2
    failed = False
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            path = (manifest.parent / entry["path"]).resolve()
            record, ok = extract_record(path.read_bytes(), entry["url"], portal_id, now)
        except (ValueError, KeyError, TypeError, OSError) as exc:
            record, ok = {"line": number, "error": "bad_manifest_line", "detail": f"{type(exc).__name__}: {exc}"}, False
        failed = failed or not ok
        _print_json(record)
    return 1 if failed else 0


def cmd_eval(args) -> int:
    """Evaluate extraction (beside trafilatura) or tagging; --check fails on a figure below its pinned floor."""
    from warta.evaluation.extraction import below_floors, evaluate, render
    from warta.evaluation.tagging import evaluate_tagging, render_tagging

    if args.what == "tagging":
        results = evaluate_tagging()
        text = render_tagging(results)
    else:
        data = Path(args.data) if args.data else default_shared_data()
        try:
            results = evaluate(data)
        except FileNotFoundError as exc:
            print(f"warta eval: {exc}", file=sys.stderr)
            return 2
        text = render(results)
    print(json.dumps(results, indent=1) if args.json else text)
    failures = below_floors(results, args.what) if args.check else []
    for failure in failures:
        print(f"below floor: {failure}", file=sys.stderr)
    return 1 if failures else 0


def default_shared_data() -> Path:
    """$WARTA_SHARED_DATA, else ../shared/data beside the project."""
    import os

    from warta.paths import PROJECT_ROOT

    return Path(os.environ.get("WARTA_SHARED_DATA") or PROJECT_ROOT.parent / "shared" / "data")


def cmd_parse_date(args) -> int:
    """Print the ISO 8601 instant of an Indonesian date string."""
    from transforms.dates import DateParseError, parse_date

    now = datetime.fromisoformat(args.now) if args.now else datetime.now(timezone.utc)
    try:
        value = parse_date(args.text, now=now)
    except DateParseError as exc:
        print(f"warta parse-date: cannot parse {args.text!r}: {exc.reason}", file=sys.stderr)
        return 1
    print((value.astimezone(timezone.utc) if args.utc else value).isoformat())
    return 0


def cmd_tag(args) -> int:
    """Tag JSON lines {"id","title","text"} from stdin; write one JSON line of tags per input line."""
    from transforms.regions import find_regions
    from transforms.tagging import tag_article
    from warta.jsonlines import read_objects

    failed = False
    for item, error in read_objects(sys.stdin):
        if error:
            _print_json(error)
            failed = True
            continue
        title, text = str(item.get("title") or ""), str(item.get("text") or "")
        result = tag_article(title, text)
        regions = [r.to_dict() for r in find_regions(title, text)]
        _print_json({"id": item.get("id"), **_tag_fields(result.to_dict()), "regions": regions})
    return 1 if failed else 0


def _tag_fields(tags: dict) -> dict:
    evidence = tags.pop("evidence", [])
    return {**tags, "topic_evidence": evidence}


def cmd_dedup(args) -> int:
    """Cluster JSON lines {"id","title","text"} from stdin into {"id","cluster_id","duplicate_of"} lines."""
    from transforms.dedup import main as dedup_main

    return dedup_main(sys.stdin, sys.stdout)


def cmd_portals(args) -> int:
    """List the portal catalog."""
    from warta.catalog import load_catalog

    portals = [p.summary() for p in load_catalog().values()]
    if args.json:
        _print_json(portals)
        return 0
    for p in portals:
        region = ", ".join(str(v) for k, v in p["home_region"].items() if not k.endswith("code"))
        print(f"{p['id']:<16} {p['name']:<22} {','.join(p['domains']):<28} {region:<20} {','.join(p['strategies'])}")
    return 0


def cmd_replay(args) -> int:
    """Serve the bundled replay pages until interrupted."""
    from warta.replay import ReplayServer

    server = ReplayServer(port=args.port).start()
    print(f"replay server at {server.url} (a portal URL https://HOST/PATH is {server.url}/HOST/PATH); Ctrl-C stops it")
    try:
        server._thread.join()
    except KeyboardInterrupt:
        server.stop()
    return 0


def cmd_summary(args) -> int:
    """Print what the warehouse holds: articles, smart-city share and rejects per portal."""
    from warta.summary import warehouse_summary

    summary = warehouse_summary(Path(args.warehouse) if args.warehouse else None)
    if args.json:
        _print_json(summary)
        return 0
    print(f"warehouse: {summary['root']}")
    for p in summary["portals"]:
        print(f"  {p['portal']:<16} articles {p['articles']:>5}  smart-city {p['smart_city']:>4}  "
              f"rejects {p['rejected']:>3} {p['rejects'] or ''}")
    print(f"  total articles {summary['articles']}, smart-city {summary['smart_city']}, rejected {summary['rejected']}")
    return 0


def cmd_sql(args) -> int:
    """Run SQL over the warehouse's views in DuckDB; with no query, an interactive prompt."""
    import duckdb

    from warehouse.sql import connect, views_sql

    con = connect(args.warehouse)
    if args.query:
        try:
            _print_result(con.execute(args.query), args.format)
        except duckdb.Error as exc:
            print(f"warta sql: {exc}", file=sys.stderr)
            return 1
        return 0
    path = views_sql(args.warehouse) if "://" not in (args.warehouse or "") else None
    print("warta sql: views " + ", ".join(r[0] for r in con.execute("SHOW TABLES").fetchall())
          + (f" (also in {path} for a plain DuckDB)" if path else "") + "; end statements with ';', Ctrl-D leaves")
    return _prompt(con)


def _prompt(con) -> int:
    import duckdb

    buffer = ""
    while True:
        try:
            line = input("warta> " if not buffer else "   ..> ")
        except EOFError:
            print()
            return 0
        buffer += line + "\n"
        if buffer.strip().endswith(";"):
            try:
                _print_result(con.execute(buffer), "table")
            except duckdb.Error as exc:
                print(f"error: {exc}")
            buffer = ""


def _print_result(result, fmt: str) -> None:
    if result.description is None:
        return
    names = [d[0] for d in result.description]
    rows = result.fetchall()
    if fmt == "json":
        for row in rows:
            _print_json(dict(zip(names, row)))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
    else:
        widths = [max([len(n)] + [len(str(r[i])) for r in rows]) for i, n in enumerate(names)]
        print("  ".join(n.ljust(w) for n, w in zip(names, widths)))
        for row in rows:
            print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)))


def cmd_compact(args) -> int:
    """Fold each partition's small run files into one, for every dataset (or the ones named)."""
    from warehouse.compact import compact
    from warehouse.schemas import SCHEMAS

    done = {dataset: compact(dataset, args.warehouse, args.before) for dataset in (args.dataset or list(SCHEMAS))}
    _print_json({d: folders for d, folders in done.items() if folders})
    return 0


def cmd_rollups(args) -> int:
    """Rebuild the syndication clusters, the daily rollups and views.sql from the articles."""
    from warehouse.rollups import refresh_rollups
    from warehouse.sql import views_sql

    from warehouse.clusters import refresh_clusters

    summary = {"clusters": refresh_clusters(args.warehouse), **refresh_rollups(args.warehouse)}
    if "://" not in (args.warehouse or ""):
        summary["views"] = views_sql(args.warehouse)
    _print_json(summary)
    return 0


def cmd_report(args) -> int:
    """Write the self-contained HTML report with charts."""
    from warta.report import write_report

    _print_json(write_report(Path(args.output), args.warehouse))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every verb."""
    parser = argparse.ArgumentParser(prog="warta", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)
    p = verbs.add_parser("extract", help="extract one saved page (or a manifest of pages) to JSON")
    p.add_argument("file", nargs="?")
    p.add_argument("--url", help="the page's real URL")
    p.add_argument("--manifest", help='JSON lines {"path","url"}; one JSON record per line out')
    p.add_argument("--portal", help="portal id (default: found from the URL's domain)")
    p.add_argument("--now", help="ISO instant relative dates are computed against (default: now)")
    p.set_defaults(func=cmd_extract)
    p = verbs.add_parser("eval", help="evaluate against the field's benchmarks")
    p.add_argument("what", choices=["extraction", "tagging"])
    p.add_argument("--data", help="the shared data folder (default: $WARTA_SHARED_DATA or ../shared/data)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--check", action="store_true", help="exit 1 when a figure falls below its pinned floor")
    p.set_defaults(func=cmd_eval)
    p = verbs.add_parser("parse-date", help="parse an Indonesian date string")
    p.add_argument("text")
    p.add_argument("--now", help="ISO instant for relative dates (default: now)")
    p.add_argument("--utc", action="store_true", help="print in UTC instead of the string's own offset")
    p.set_defaults(func=cmd_parse_date)
    p = verbs.add_parser("tag", help="smart-city tags for JSON lines on stdin")
    p.set_defaults(func=cmd_tag)
    p = verbs.add_parser("dedup", help="cluster duplicate and syndicated articles (JSON lines on stdin)")
    p.set_defaults(func=cmd_dedup)
    p = verbs.add_parser("portals", help="list the portal catalog")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_portals)
    p = verbs.add_parser("replay", help="serve the bundled replay pages on 127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.set_defaults(func=cmd_replay)
    p = verbs.add_parser("summary", help="what the warehouse holds")
    p.add_argument("--warehouse", help="warehouse root (default: $WARTA_WAREHOUSE or data/warehouse)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_summary)
    p = verbs.add_parser("sql", help="SQL over the warehouse (DuckDB views); no query: a prompt")
    p.add_argument("query", nargs="?")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--warehouse", help="warehouse root or s3:// URI (default: $WARTA_WAREHOUSE or data/warehouse)")
    p.set_defaults(func=cmd_sql)
    p = verbs.add_parser("compact", help="fold small run files into one per partition")
    p.add_argument("--dataset", action="append", help="a dataset name (repeatable; default: all)")
    p.add_argument("--before", help="only run files of days before this YYYY-MM-DD (leave open days alone)")
    p.add_argument("--warehouse")
    p.set_defaults(func=cmd_compact)
    p = verbs.add_parser("rollups", help="rebuild clusters, daily rollups and views.sql")
    p.add_argument("--warehouse")
    p.set_defaults(func=cmd_rollups)
    p = verbs.add_parser("report", help="write the HTML report with charts")
    p.add_argument("--output", required=True)
    p.add_argument("--warehouse")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `warta` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (KeyError, ValueError) as exc:
        print(f"warta {args.verb}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `warta ... | head` closed the pipe: not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
