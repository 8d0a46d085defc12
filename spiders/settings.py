"""Scrapy settings for Warta: polite by default (live mode); the crawl runner relaxes them for replay."""

BOT_NAME = "warta"
SPIDER_MODULES = ["spiders.spiders"]
NEWSPIDER_MODULE = "spiders.spiders"

# Say who we are, and follow the site's rules.
USER_AGENT = "WartaBot/0.1 (+regional news research crawler; robots.txt obeyed)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024  # a news page over 5 MiB is not an article
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

# Scrapy 2.19 turns on a code-execution HTTP control server and the telnet console by default: both off.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False

# One handler for http and https: a plain HTTP/1.1 download in live mode, a rewrite onto the
# replay server when WARTA_REPLAY_URL is set - everything above the downloader sees real URLs.
DOWNLOAD_HANDLERS = {
    "http": "spiders.replay_handler.ReplayAwareDownloadHandler",
    "https": "spiders.replay_handler.ReplayAwareDownloadHandler",
}
WARTA_REPLAY_URL = None

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.RetryAfterMiddleware": 550,
    "spiders.middlewares.SafeTargetMiddleware": 60,
}
WARTA_RETRY_AFTER_MAX = 120.0

ITEM_PIPELINES = {"spiders.pipelines.DatasetWriter": 300}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
