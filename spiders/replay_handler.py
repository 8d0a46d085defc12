"""A download handler that sends requests to the replay server when one is configured."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


def replay_url(base: str, url: str) -> str:
    """Map a portal URL onto the replay server: https://host/p?q -> <base>/host/p?q."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{base.rstrip('/')}/{parts.hostname}{path}{query}"


class ReplayAwareDownloadHandler(HTTP11DownloadHandler):
    """HTTP/1.1 downloads; with WARTA_REPLAY_URL set, fetched from the replay server under the real URL."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._replay_base = crawler.settings.get("WARTA_REPLAY_URL")

    async def download_request(self, request):
        if not self._replay_base:
            return await super().download_request(request)
        response = await super().download_request(request.replace(url=replay_url(self._replay_base, request.url)))
        # Rows and logs carry the portal's canonical URL, never the replay address.
        return response.replace(url=request.url)
