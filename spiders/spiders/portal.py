"""PortalSpider: crawls any catalog portal from its config; it schedules requests and hands bytes on."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import scrapy
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from spiders.items import RawPage
from warta.catalog import get_portal
from warta.urls import canonical_url


class PortalSpider(scrapy.Spider):
    """Discovers a portal's articles (sitemap strategy) and yields each page raw."""

    name = "portal"

    def __init__(self, portal: str | None = None, run_id: str = "manual", max_articles: str | int = 0, **kwargs):
        super().__init__(**kwargs)
        if not portal:
            raise ValueError("PortalSpider needs -a portal=<id> (see `warta portals`)")
        self.portal = get_portal(portal)
        self.run_id = run_id
        self.max_articles = int(max_articles or 0)
        self.allowed_domains = list(self.portal.domains)
        self._scheduled: set[str] = set()
        self._seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        seen_file = crawler.settings.get("WARTA_SEEN_FILE")
        if seen_file and Path(seen_file).exists():
            spider._seen = set(Path(seen_file).read_text(encoding="utf-8").split())
        return spider

    async def start(self):
        """Entry requests: every discovery document of the portal, in priority order."""
        for priority, discovery in enumerate(reversed(self.portal.discovery)):
            for url in discovery.urls:
                yield scrapy.Request(
                    url,
                    callback=self.parse_sitemap,
                    errback=self.on_error,
                    priority=priority,
                    meta={"warta_discovery": discovery.strategy},
                )

    def parse_sitemap(self, response):
        """Follow a sitemap index; schedule every article URL of a urlset."""
        body = gunzip(response.body) if response.url.endswith(".gz") else response.body
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several kinds on broken XML
            self._count("sitemap_unreadable")
            self.logger.warning("unreadable sitemap %s: %s", response.url, exc)
            return
        for entry in sitemap:
            loc = (entry.get("loc") or "").strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield response.follow(loc, callback=self.parse_sitemap, errback=self.on_error, meta=response.meta)
                continue
            yield from self._schedule_article(loc, response.url)

    def _schedule_article(self, loc: str, discovered_via: str):
        url = canonical_url(loc)
        if not self.portal.is_article_url(url):
            self._count("skipped_not_article_url")
            return
        if url in self._seen:
            self._count("skipped_seen")
            return
        if url in self._scheduled or (self.max_articles and len(self._scheduled) >= self.max_articles):
            return
        self._scheduled.add(url)
        yield scrapy.Request(
            url, callback=self.parse_article, errback=self.on_error, meta={"warta_discovered_via": discovered_via}
        )

    def parse_article(self, response):
        """Hand the page on as served; extraction is the transforms' job. A paged article is fetched whole."""
        if self._is_partial(response):
            self._count("paged_refetched_whole")
            whole = f"{response.url}{'&' if '?' in response.url else '?'}{self.portal.all_pages_query}"
            yield response.request.replace(url=whole, meta={**response.meta, "warta_canonical": response.url})
            return
        headers = response.headers
        self._count("pages_fetched")
        yield RawPage(
            url=response.meta.get("warta_canonical") or response.url,
            fetched_at=datetime.now(timezone.utc),
            status=response.status,
            content_type=_header(headers, b"Content-Type"),
            etag=_header(headers, b"ETag"),
            last_modified=_header(headers, b"Last-Modified"),
            discovered_via=response.meta.get("warta_discovered_via"),
            html=response.body,
            run_id=self.run_id,
        )

    def _is_partial(self, response) -> bool:
        portal = self.portal
        if not (portal.paging_selector and portal.all_pages_query) or "warta_canonical" in response.meta:
            return False
        return bool(response.css(portal.paging_selector))

    def on_error(self, failure):
        """Count a URL that finally failed, by reason, and log it."""
        reason = failure.type.__name__ if failure.type else "error"
        status = getattr(getattr(failure.value, "response", None), "status", None)
        if status:
            reason = f"http_{status}"
        self._count(f"failed/{reason}")
        self.logger.warning("failed %s: %s", failure.request.url, reason)

    def closed(self, reason: str) -> None:
        """Leave the crawl's stats where the runner asked for them (WARTA_STATS_FILE)."""
        path = self.settings.get("WARTA_STATS_FILE")
        if path:
            stats = {k: _jsonable(v) for k, v in self.crawler.stats.get_stats().items()}
            Path(path).write_text(json.dumps({"finish_reason": reason, **stats}, indent=1), encoding="utf-8")

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"warta/{key}")


def _header(headers, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else value
