"""The portal catalog: one small declarative YAML file per portal, validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from warta.paths import PORTALS_DIR, portals_dir

STRATEGIES = ("sitemap", "news_sitemap", "feed", "listing", "wp_api")
PAGED_STRATEGIES = ("listing", "wp_api")  # their urls carry a {page} placeholder
SELECTOR_FIELDS = ("title", "body", "author", "date", "tags")
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


class PortalConfigError(ValueError):
    """A portal config that cannot be used; the message names the portal and the fault."""

    def __init__(self, source: str, message: str):
        super().__init__(f"portal config {source}: {message}")
        self.source = source


@dataclass(frozen=True)
class Discovery:
    """One discovery strategy with its entry URLs (listing and wp_api URLs hold a {page} placeholder)."""

    strategy: str
    urls: tuple[str, ...]
    max_pages: int = 3
    page_start: int = 1
    page_step: int = 1
    link_selector: str | None = None  # listing: where article links sit (default: every link of article shape)

    def page_urls(self) -> list[str]:
        """The entry URLs with their page numbers filled in (paged strategies), in crawl order."""
        if self.strategy not in PAGED_STRATEGIES:
            return list(self.urls)
        pages = [self.page_start + i * self.page_step for i in range(self.max_pages)]
        return [url.replace("{page}", str(n)) for url in self.urls for n in pages]


@dataclass(frozen=True)
class PortalConfig:
    """Everything Warta knows about one portal: where to look and how to read it."""

    id: str
    name: str
    domains: tuple[str, ...]
    home_region: dict
    discovery: tuple[Discovery, ...]
    article_url_pattern: re.Pattern
    selectors: dict[str, tuple[str, ...]]
    drop_selectors: tuple[str, ...] = ()
    drop_line_patterns: tuple[re.Pattern, ...] = ()
    dateline_patterns: tuple[re.Pattern, ...] = ()
    url_date_pattern: re.Pattern | None = None
    quality: dict = field(default_factory=dict)  # quality-gate thresholds over warta.gate.DEFAULTS
    founded: int | None = None  # the year the portal went online: an earlier publish date is wrong
    scope_pattern: re.Pattern | None = None  # an article must match it (title, dateline, lead) to be in scope
    author_patterns: tuple[re.Pattern, ...] = ()  # bylines to trim, each with a `name` group
    paging_selector: str | None = None  # marks a paged article
    all_pages_query: str | None = None  # the query that serves it whole, e.g. page=all
    family: str | None = None
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    def is_article_url(self, url: str) -> bool:
        """True when the URL has this portal's article shape."""
        return bool(self.article_url_pattern.match(url))

    def owns(self, host: str) -> bool:
        """True when the host is one of this portal's domains (or a subdomain of one)."""
        host = host.lower().split(":")[0]
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def summary(self) -> dict:
        """The JSON shape `warta portals --json` prints for this portal."""
        return {
            "id": self.id,
            "name": self.name,
            "domains": list(self.domains),
            "home_region": self.home_region,
            "strategies": [d.strategy for d in self.discovery],
        }


def _substitute(value, variables: dict):
    """Fill ${var} placeholders through nested lists and dicts."""
    if isinstance(value, str):
        # only ${name} is a placeholder: a bare "$" is a regex anchor
        return _PLACEHOLDER.sub(lambda m: variables[m.group(1)], value)
    if isinstance(value, list):
        return [_substitute(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, variables) for k, v in value.items()}
    return value


def _merge(base: dict, override: dict) -> dict:
    """Deep-merge two config dicts; the override wins, dicts merge key by key."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _compile(source: str, pattern: str, what: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise PortalConfigError(source, f"{what} is not a valid regex ({exc}): {pattern!r}") from None


def _check_selector(source: str, selector: str, what: str) -> str:
    """The selector when extraction can run it: CSS that compiles to XPath (cssselect, as the extractor and
    Scrapy's response.css use it)."""
    from transforms.html_text import compile_selector

    try:
        compile_selector(selector)
    except Exception as exc:  # cssselect and lxml raise several types for a bad selector
        raise PortalConfigError(source, f"{what} selector {selector!r} is invalid: {exc}") from None
    return selector


def _resolve(raw: dict, source: str, families_dir: Path) -> dict:
    """Apply `extends:` (a family file) and `vars:` to a portal's raw dict."""
    family = raw.get("extends")
    if family:
        family_path = families_dir / f"{family}.yaml"
        if not family_path.exists():
            raise PortalConfigError(source, f"extends unknown family {family!r}")
        raw = _merge(yaml.safe_load(family_path.read_text(encoding="utf-8")) or {}, raw)
    try:
        return _substitute(raw, {k: str(v) for k, v in (raw.get("vars") or {}).items()})
    except KeyError as exc:
        raise PortalConfigError(source, f"placeholder ${{{exc.args[0]}}} has no value in vars") from None


def _discovery(source: str, entry: dict) -> Discovery:
    strategy, urls = entry["strategy"], entry.get("urls")
    if not urls:
        raise PortalConfigError(source, f"discovery strategy {strategy!r} has no urls")
    if strategy in PAGED_STRATEGIES and not all("{page}" in u for u in urls):
        raise PortalConfigError(source, f"{strategy} urls need a {{page}} placeholder")
    unknown = set(entry) - {"strategy", "urls", "max_pages", "page_start", "page_step", "link_selector"}
    if unknown:
        raise PortalConfigError(source, f"unknown keys in {strategy} discovery: {sorted(unknown)}")
    link_selector = entry.get("link_selector")
    if link_selector:
        _check_selector(source, link_selector, "link")
    return Discovery(strategy, tuple(urls), int(entry.get("max_pages", 3)), int(entry.get("page_start", 1)),
                     int(entry.get("page_step", 1)), link_selector)


def _quality(source: str, quality: dict | None) -> dict:
    from warta.gate import thresholds

    try:
        return thresholds(quality)
    except ValueError as exc:
        raise PortalConfigError(source, str(exc)) from None


def parse_portal(raw: dict, source: str, families_dir: Path = PORTALS_DIR / "families") -> PortalConfig:
    """Validate one portal's raw dict and build its PortalConfig."""
    if not isinstance(raw, dict):
        raise PortalConfigError(source, "is not a mapping")
    cfg = _resolve(raw, source, families_dir)
    for key in ("id", "name", "domains", "discovery", "article_url_pattern", "selectors"):
        if not cfg.get(key):
            raise PortalConfigError(source, f"missing required key {key!r}")
    discovery = []
    for entry in cfg["discovery"]:
        strategy = entry.get("strategy")
        if strategy not in STRATEGIES:
            raise PortalConfigError(source, f"unknown discovery strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
        discovery.append(_discovery(source, entry))
    selectors = {}
    for name, values in cfg["selectors"].items():
        if name not in SELECTOR_FIELDS:
            raise PortalConfigError(source, f"unknown selector field {name!r}")
        values = [values] if isinstance(values, str) else values
        selectors[name] = tuple(_check_selector(source, s, name) for s in values)
    if "body" not in selectors:
        raise PortalConfigError(source, "selectors need at least one 'body' selector")
    boiler = cfg.get("boilerplate") or {}
    url_date = cfg.get("url_date_pattern")
    paging = cfg.get("paging") or {}
    return PortalConfig(
        id=cfg["id"],
        name=cfg["name"],
        domains=tuple(d.lower() for d in cfg["domains"]),
        home_region=cfg.get("home_region") or {},
        discovery=tuple(discovery),
        article_url_pattern=_compile(source, cfg["article_url_pattern"], "article_url_pattern"),
        selectors=selectors,
        drop_selectors=tuple(_check_selector(source, s, "drop") for s in boiler.get("drop_selectors", [])),
        drop_line_patterns=tuple(_compile(source, p, "drop_line") for p in boiler.get("drop_line_patterns", [])),
        dateline_patterns=tuple(_compile(source, p, "dateline") for p in boiler.get("dateline_patterns", [])),
        url_date_pattern=_compile(source, url_date, "url_date_pattern") if url_date else None,
        quality=_quality(source, cfg.get("quality")),
        founded=int(cfg["founded"]) if cfg.get("founded") else None,
        scope_pattern=_compile(source, cfg["scope_pattern"], "scope_pattern") if cfg.get("scope_pattern") else None,
        author_patterns=tuple(_compile(source, p, "author_pattern") for p in boiler.get("author_patterns", [])),
        paging_selector=_check_selector(source, paging["detect"], "paging") if paging.get("detect") else None,
        all_pages_query=paging.get("all_pages_query"),
        family=raw.get("extends"),
        raw=cfg,
    )


def load_portal_file(path: Path) -> PortalConfig:
    """Load and validate one portal YAML file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PortalConfigError(path.name, f"is not valid YAML: {exc}") from None
    portal = parse_portal(raw, path.name, path.parent / "families")
    if portal.id != path.stem:
        raise PortalConfigError(path.name, f"id {portal.id!r} does not match the file name")
    return portal


@lru_cache(maxsize=4)
def _catalog(directory: Path) -> tuple[dict[str, PortalConfig], tuple[PortalConfigError, ...]]:
    portals, errors = {}, []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            portals[path.stem] = load_portal_file(path)
        except PortalConfigError as exc:
            errors.append(exc)
    return portals, tuple(errors)


def catalog_errors(directory: Path | None = None) -> list[PortalConfigError]:
    """Every portal config in the catalog that cannot be used, each naming its file and fault."""
    return list(_catalog(Path(directory or portals_dir()))[1])


def load_catalog(directory: Path | None = None, strict: bool = True) -> dict[str, PortalConfig]:
    """Every valid portal in the catalog, by id; strict (the default) raises on the first broken config."""
    portals, errors = _catalog(Path(directory or portals_dir()))
    if strict and errors:
        raise errors[0]
    return portals


def get_portal(portal_id: str) -> PortalConfig:
    """One portal by id; a KeyError names the known ids."""
    catalog = load_catalog(strict=False)  # another portal's broken config must not stop this one
    broken = [e for e in catalog_errors() if e.source == f"{portal_id}.yaml"]
    if broken:
        raise broken[0]
    if portal_id not in catalog:
        raise KeyError(f"unknown portal {portal_id!r}; known: {', '.join(catalog) or 'none'}")
    return catalog[portal_id]


def portal_for_url(url: str) -> PortalConfig | None:
    """The catalog portal whose article pattern matches the URL, else the one whose domains serve it."""
    from urllib.parse import urlsplit

    portals = list(load_catalog(strict=False).values())
    host = urlsplit(url).hostname or ""
    return next((p for p in portals if p.is_article_url(url)), None) or next((p for p in portals if p.owns(host)), None)
