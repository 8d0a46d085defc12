"""Run one portal's crawl as a Scrapy subprocess (the robust way inside Airflow), replay or live."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from warehouse.location import resolve
from warehouse.store import PartitionKey, discovery_validators, turned_away, urls_to_retry
from warehouse.versions import known_versions
from warta.paths import PROJECT_ROOT, REPLAY_ROOT, warehouse_root
from warta.replay import ReplayServer

# Replay serves from this machine: politeness delays only slow it down; robots.txt is still obeyed.
# Timeouts and Retry-After waits are short so that fault-injection crawls finish quickly.
REPLAY_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "DOWNLOAD_TIMEOUT": "4",
    "WARTA_RETRY_AFTER_MAX": "2",
}


class CrawlError(RuntimeError):
    """A crawl that did not finish cleanly; the message says why."""


def scrapy_command(portal: str, key: PartitionKey, run_id: str, stats_file: Path, settings: dict,
                   since: str | None = None, until: str | None = None) -> list[str]:
    """The `scrapy crawl` command line for one portal's run."""
    command = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"portal={portal}", "-a", f"run_id={run_id}"]
    command += [arg for name, value in (("since", since), ("until", until)) if value for arg in ("-a", f"{name}={value}")]
    for name, value in {
        "WARTA_RUN_DATE": key.run_date,
        "WARTA_RUN_PART": key.part,
        "WARTA_STATS_FILE": str(stats_file),
        **settings,
    }.items():
        command += ["-s", f"{name}={value}"]
    return command


def run_crawl(
    portal: str,
    key: PartitionKey,
    run_id: str,
    mode: str = "replay",
    root: Path | None = None,
    log: Callable[[str], None] = print,
    timeout: float = 3600,
    since: str | None = None,
    until: str | None = None,
    faults: dict | None = None,
    replay_root: Path = REPLAY_ROOT,
) -> dict:
    """Crawl one portal into the raw layer; return the crawl's counts and the raw partition path."""
    if mode not in ("replay", "live"):
        raise CrawlError(f"unknown crawl mode {mode!r} (replay or live)")
    root = str(root) if root else str(warehouse_root())
    with contextlib.ExitStack() as stack:
        settings: dict[str, str] = {}
        if mode == "replay":
            faults = faults if faults is not None else _faults_from_env()
            server = stack.enter_context(ReplayServer(replay_root, faults=faults))
            settings = {**REPLAY_SETTINGS, "WARTA_REPLAY_URL": server.url}
            log(f"replay server for {portal} at {server.url}")
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="warta-crawl-")))
        stats_file = scratch / "stats.json"
        # Incremental: a URL another run already curated is fetched again only when its discovery document says
        # it changed since (sitemap lastmod, Atom updated, WordPress modified_gmt); the warehouse is the record.
        # So is a page rejected for a reason another fetch would only repeat (no body, out of scope, ...).
        known = known_versions(portal, key, root)
        held = {url: (p.fetched_at, p.in_this_partition) for url, p in known.items()}
        held = {**turned_away(portal, key, root), **held}
        known_file = scratch / "known.jsonl"
        known_file.write_text("".join(json.dumps({"url": url, "fetched_at": at.isoformat() if at else None,
                                                  "own": own}) + "\n" for url, (at, own) in sorted(held.items())),
                              encoding="utf-8")
        settings["WARTA_KNOWN_FILE"] = str(known_file)
        # URLs that failed for a passing reason before are tried again even when no discovery document changed.
        retry_file = scratch / "retry.txt"
        others = {url for url, p in known.items() if not p.in_this_partition}
        retry_file.write_text("\n".join(sorted(urls_to_retry(portal, key, root, seen=others))), encoding="utf-8")
        settings["WARTA_RETRY_FILE"] = str(retry_file)
        validators_file = scratch / "validators.json"
        # A windowed run (scheduled, backfill, `since`) reads its discovery documents whole: an unchanged sitemap
        # still lists the articles of other windows, so a 304 would hide this window's articles. So does a rerun:
        # a 304 would replace the partition it rewrites with an empty one.
        rerun = resolve(root).exists(resolve(root).join(key.relpath("raw_pages")))
        validators = {} if (since or until or rerun) else discovery_validators(portal, key, root)
        validators_file.write_text(json.dumps(validators), encoding="utf-8")
        settings["WARTA_VALIDATORS_FILE"] = str(validators_file)
        command = scrapy_command(portal, key, run_id, stats_file, settings, since, until)
        env = {**os.environ, "WARTA_WAREHOUSE": str(root), "SCRAPY_SETTINGS_MODULE": "spiders.settings"}
        returncode = _stream(command, env, log, timeout)
        stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    loc = resolve(root)
    raw_path = loc.join(key.relpath("raw_pages"))
    if returncode != 0 or not loc.exists(raw_path):
        raise CrawlError(f"crawl of {portal} failed (scrapy exit {returncode}); raw partition present: {loc.exists(raw_path)}")
    if not stats.get("warta/discovery_fetched") and not stats.get("warta/discovery_not_modified"):
        # Nothing could be discovered: a portal that is down or moved must fail its task, not pass with 0 rows.
        failed = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("warta/failed/")}
        raise CrawlError(f"crawl of {portal}: no discovery document could be read (failures: {failed or 'none'})")
    return {**summarise_stats(portal, mode, loc.uri(raw_path), stats), "since": since, "until": until,
            "crawl_log_path": loc.uri(loc.join(key.relpath("crawl_log")))}


def _faults_from_env() -> dict | None:
    """A fault plan (JSON file) named by $WARTA_REPLAY_FAULTS, for replay runs started by Airflow."""
    path = os.environ.get("WARTA_REPLAY_FAULTS")
    return json.loads(Path(path).read_text(encoding="utf-8")) if path else None


def _stream(command: list[str], env: dict, log: Callable[[str], None], timeout: float) -> int:
    """Run the command, passing each output line to the log as it comes."""
    proc = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    try:
        for line in proc.stdout:
            log(line.rstrip())
        return proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()


def summarise_stats(portal: str, mode: str, raw_path: str, stats: dict) -> dict:
    """The crawl's counts that users look at, from Scrapy's stats."""
    failed = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("warta/failed/")}
    return {
        "portal": portal,
        "mode": mode,
        "raw_path": str(raw_path),
        "pages_fetched": stats.get("warta/pages_fetched", 0),
        "raw_rows": stats.get("warta/raw_pages_written", 0),
        "requests": stats.get("downloader/request_count", 0),
        "retries": stats.get("retry/count", 0),
        "skipped_seen": stats.get("warta/skipped_seen", 0),
        "revisited": stats.get("warta/revisited_changed_upstream", 0),
        "skipped_out_of_window": stats.get("warta/skipped_out_of_window", 0),
        "discovery_not_modified": stats.get("warta/discovery_not_modified", 0),
        "failed": failed,
        "finish_reason": stats.get("finish_reason"),
        "stats_elapsed": stats.get("elapsed_time_seconds"),
    }
