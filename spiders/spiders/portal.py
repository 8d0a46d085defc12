"""PortalSpider: crawls any catalog portal from its config; it schedules requests and hands bytes on."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import scrapy
from scrapy.utils.gz import gunzip

from spiders.discovery import DiscoveryError, Found, parse_feed, parse_listing, parse_sitemap, parse_wp_api
from spiders.failures import failure_reason
from spiders.items import CrawlEvent, RawPage
from transforms.dates import DateParseError, parse_date_utc
from warta.catalog import get_portal
from warta.urls import canonical_url
from warta.window import window_bound

PARSERS = {"sitemap": parse_sitemap, "news_sitemap": parse_sitemap, "feed": parse_feed, "wp_api": parse_wp_api}


class PortalSpider(scrapy.Spider):
    """Discovers a portal's articles with its configured strategies, in priority order, and yields each page raw."""

    name = "portal"

    def __init__(self, portal: str | None = None, run_id: str = "manual", since: str | None = None,
                 until: str | None = None, max_articles: str | int = 0, strategies: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if not portal:
            raise ValueError("PortalSpider needs -a portal=<id> (see `warta portals`)")
        self.portal = get_portal(portal)
        self.run_id = run_id
        self.since, self.until = window_bound(since), window_bound(until)
        self.max_articles = int(max_articles or 0)
        self.strategies = set(strategies.split(",")) if strategies else None
        self.allowed_domains = list(self.portal.domains)
        self._scheduled: set[str] = set()
        self._known: dict[str, dict] = {}  # url -> {"fetched_at", "own"}: what the warehouse already holds
        self._revisits: set[str] = set()
        self._validators: dict[str, dict] = {}
        self._retry: list[str] = []

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        known_file, validators_file = crawler.settings.get("WARTA_KNOWN_FILE"), crawler.settings.get("WARTA_VALIDATORS_FILE")
        if known_file and Path(known_file).exists():
            for line in Path(known_file).read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                fetched = datetime.fromisoformat(row["fetched_at"]) if row.get("fetched_at") else None
                spider._known[row["url"]] = {"fetched_at": fetched, "own": bool(row.get("own"))}
        if validators_file and Path(validators_file).exists():
            spider._validators = json.loads(Path(validators_file).read_text(encoding="utf-8"))
        retry_file = crawler.settings.get("WARTA_RETRY_FILE")
        if retry_file and Path(retry_file).exists():
            spider._retry = Path(retry_file).read_text(encoding="utf-8").split()
        return spider

    async def start(self):
        """Entry requests: every discovery document of every strategy, earlier strategies first."""
        for url in self._retry:  # failed for a passing reason in an earlier run
            self._count("retried_from_earlier_run")
            for request in self._schedule_article(Found(url), "retry"):
                yield request
        entries = [d for d in self.portal.discovery if not self.strategies or d.strategy in self.strategies]
        for rank, discovery in enumerate(entries):
            for index, url in enumerate(discovery.page_urls()):
                request = self._discovery_request(url, discovery.strategy, priority=100 - rank,
                                                  link_selector=discovery.link_selector)
                request.meta["warta_page_index"] = index
                yield request

    def _discovery_request(self, url: str, strategy: str, priority: int = 50, link_selector: str | None = None):
        headers = {}
        validators = self._validators.get(url, {})
        if validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        meta = {"warta_kind": "discovery", "warta_strategy": strategy, "warta_link_selector": link_selector,
                "handle_httpstatus_list": [304]}
        return scrapy.Request(url, callback=self.parse_discovery, errback=self.on_error, priority=priority,
                              headers=headers, meta=meta, dont_filter=False)

    def parse_discovery(self, response):
        """Read a discovery document; schedule its articles and any child documents (sitemap index)."""
        strategy = response.meta["warta_strategy"]
        if response.status == 304:
            self._count("discovery_not_modified")
            yield self._event(response.url, "discovery", "not_modified", "not_modified", response)
            return
        try:
            found = self._discover(response, strategy)
        except DiscoveryError as exc:
            self._count(f"failed/{exc.reason}")
            yield self._event(response.url, "discovery", "failed", exc.reason, response)
            return
        self._count("discovery_fetched")
        yield self._event(response.url, "discovery", "fetched", None, response)
        for child in found.children:
            yield self._discovery_request(response.urljoin(child), strategy)
        for link in found.links:
            yield from self._schedule_article(link, response.url)

    def _discover(self, response, strategy: str):
        if strategy == "listing":
            selector = response.meta.get("warta_link_selector") or "a"
            hrefs = [a.attrib.get("href") for a in response.css(selector)]  # a selector list ("a, b") works too
            return parse_listing([response.urljoin(h) for h in hrefs if h])
        body = gunzip(response.body) if response.url.endswith(".gz") else response.body
        return PARSERS[strategy](body)

    def _schedule_article(self, link: Found, discovered_via: str):
        url = canonical_url(link.url, self.portal.domains)
        if not self.portal.is_article_url(url):
            self._count("skipped_not_article_url")
            return
        skip = self._skip_reason(url, link)
        if skip:
            self._count(f"skipped_{skip}")
            yield self._event(url, "article", "skipped", skip)
            return
        self._scheduled.add(url)
        if url in self._revisits:
            self._count("revisited_changed_upstream")
        # dont_filter: the spider dedupes articles itself, and a redirect loop must end in an error we log,
        # not vanish in Scrapy's duplicate filter.
        yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error, dont_filter=True,
                             meta={"warta_kind": "article", "warta_discovered_via": discovered_via})

    def _skip_reason(self, url: str, link: Found) -> str | None:
        if url in self._scheduled:
            return "duplicate"
        known = self._known.get(url)
        if known and not known["own"]:  # curated by another run: fetched again only when it changed upstream since
            if not self._changed_since(link, known["fetched_at"]):
                return "seen"
            self._revisits.add(url)
        elif not known and (self.since or self.until) and not self._in_window(link.published_raw):
            return "out_of_window"  # (this run's own articles, on a rerun, are its own whatever their date)
        if self.max_articles and len(self._scheduled) >= self.max_articles:
            return "article_cap"
        return None

    def _in_window(self, raw: str | None) -> bool:
        """Is a discovery date inside this run's window (an undated or unreadable one is given the benefit)?"""
        dated = _parse(raw)
        return not dated or not ((self.since and dated < self.since) or (self.until and dated >= self.until))

    def _changed_since(self, link: Found, fetched_at: datetime | None) -> bool:
        """Does the discovery document say the article changed after we fetched it (and, in a windowed run, inside
        the window: the change belongs to the run whose interval saw it, so backfills stay reproducible)?"""
        modified = _parse(link.modified_raw)
        if not modified or (fetched_at and modified <= fetched_at):
            return False
        return self._in_window(link.modified_raw) if (self.since or self.until) else True

    def parse_article(self, response):
        """Hand the page on as served; extraction is the transforms' job. A paged article is fetched whole."""
        if self._is_partial(response):
            self._count("paged_refetched_whole")
            whole = f"{response.url}{'&' if '?' in response.url else '?'}{self.portal.all_pages_query}"
            meta = {k: v for k, v in response.meta.items() if k.startswith("warta_")}
            prior = response.meta.get("retry_times", 0)
            yield response.request.replace(url=whole, meta={**meta, "warta_canonical": response.url,
                                                            "warta_prior_retries": prior})
            return
        url = response.meta.get("warta_canonical") or response.url
        self._count("pages_fetched")
        yield RawPage(
            url=url, fetched_at=_now(), status=response.status, content_type=_header(response, b"Content-Type"),
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
            discovered_via=response.meta.get("warta_discovered_via"), html=response.body, run_id=self.run_id,
        )
        yield self._event(url, "article", "fetched", "revisit" if url in self._revisits else None, response)

    def _is_partial(self, response) -> bool:
        portal = self.portal
        if not (portal.paging_selector and portal.all_pages_query) or "warta_canonical" in response.meta:
            return False
        return bool(response.css(portal.paging_selector))

    def on_error(self, failure):
        """Record a URL that finally failed, with its named reason."""
        request = failure.request
        reason = failure_reason(failure)
        if request.meta.get("warta_page_index", 0) > 0 and reason in ("http_400", "http_404"):
            # A listing or API page past the last one: the end of the list, not a failure.
            self._count("discovery_past_last_page")
            yield self._event(request.url, "discovery", "skipped", "past_last_page",
                              getattr(failure.value, "response", None), request)
            return
        self._count(f"failed/{reason}")
        self.logger.warning("failed %s: %s", request.url, reason)
        response = getattr(failure.value, "response", None)
        url = request.meta.get("warta_canonical") or request.url
        yield self._event(url, request.meta.get("warta_kind", "article"), "failed", reason, response, request)

    def _event(self, url, kind, outcome, reason, response=None, request=None) -> CrawlEvent:
        request = request or (response.request if response is not None else None)
        return CrawlEvent(
            url=url, kind=kind, outcome=outcome, reason=reason,
            status=response.status if response is not None else None,
            retries=_retries(request),
            etag=_header(response, b"ETag") if response is not None else None,
            last_modified=_header(response, b"Last-Modified") if response is not None else None,
            at=_now(), run_id=self.run_id,
        )

    def closed(self, reason: str) -> None:
        """Leave the crawl's stats where the runner asked for them (WARTA_STATS_FILE)."""
        path = self.settings.get("WARTA_STATS_FILE")
        if path:
            stats = {k: _jsonable(v) for k, v in self.crawler.stats.get_stats().items()}
            started = self.crawler.stats.get_value("start_time")
            if started:  # CoreStats sets elapsed_time_seconds only after this hook
                stats["elapsed_time_seconds"] = (_now() - started).total_seconds()
            Path(path).write_text(json.dumps({"finish_reason": reason, **stats}, indent=1), encoding="utf-8")

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"warta/{key}")


def _retries(request) -> int:
    """Retries spent on the URL, including those of a paged article's first fetch."""
    if request is None:
        return 0
    return request.meta.get("retry_times", 0) + request.meta.get("warta_prior_retries", 0)


def _parse(raw: str | None) -> datetime | None:
    try:
        return parse_date_utc(raw) if raw else None
    except DateParseError:
        return None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name) if response is not None else None
    return value.decode("latin-1") if value else None


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else value
