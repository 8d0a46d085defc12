"""
Parse-time check of the portal catalog (warta/portals/*.yaml).

This file defines no DAG. When a portal config is broken (unknown strategy, bad selector, missing domain, ...)
it raises while Airflow parses it, so the UI shows an import error naming every broken file and its fault;
`regional_news` meanwhile keeps crawling the valid portals.
"""

from warta.catalog import PortalConfigError, catalog_errors

_errors = catalog_errors()
if _errors:
    raise PortalConfigError("catalog", "broken portal configs: " + " | ".join(str(e) for e in _errors))
