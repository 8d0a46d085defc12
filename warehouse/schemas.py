"""Every dataset's schema, declared once. Writers conform to these; nothing is inferred."""

from __future__ import annotations

import pyarrow as pa

# 2: articles gained version, content_hash, first_fetched_at; portal_health gained articles_updated (additive:
# files of version 1 read with those columns null).
SCHEMA_VERSION = 2
UTC_TS = pa.timestamp("us", tz="UTC")
REGION = pa.struct([("code", pa.string()), ("name", pa.string()), ("level", pa.string())])

# Partition columns live in the path (hive style: portal=<id>/run_year=<YYYY>), not in the files.
PARTITION_SCHEMA = pa.schema([("portal", pa.string()), ("run_year", pa.string())])

RAW_PAGES = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),  # the portal's real URL, never the replay address
        pa.field("fetched_at", UTC_TS, nullable=False),
        pa.field("status", pa.int16(), nullable=False),
        pa.field("content_type", pa.string()),
        pa.field("etag", pa.string()),
        pa.field("last_modified", pa.string()),
        pa.field("discovered_via", pa.string()),  # the discovery document that listed the URL
        pa.field("html", pa.binary()),  # raw bytes as served; Parquet's zstd compresses them
        pa.field("run_id", pa.string(), nullable=False),
    ],
    metadata={"dataset": "raw_pages", "schema_version": str(SCHEMA_VERSION)},
)

ARTICLES = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("author", pa.string()),  # every author, comma-separated, as a byline reads
        pa.field("authors", pa.list_(pa.string())),
        pa.field("published_at", UTC_TS, nullable=False),
        pa.field("published_raw", pa.string()),  # the string published_at was parsed from
        pa.field("date_source", pa.string()),  # jsonld / meta / visible / url
        pa.field("updated_at", UTC_TS),
        pa.field("dateline", pa.string()),  # "SuaraLampung.id", "Bandarlampung (ANTARA)": cut from the body
        pa.field("lead", pa.string()),  # the first paragraph
        pa.field("body", pa.string(), nullable=False),  # cleaned; one paragraph per line
        pa.field("section", pa.string()),
        pa.field("tags", pa.list_(pa.string())),
        pa.field("image_url", pa.string()),
        pa.field("language", pa.string()),
        pa.field("word_count", pa.int32()),
        pa.field("smart_city", pa.bool_()),
        pa.field("smart_city_score", pa.float32()),
        pa.field("dimensions", pa.list_(pa.string())),
        pa.field("regions", pa.list_(REGION)),  # Kemendagri codes, most mentioned first; the portal's home as fallback
        pa.field("extractor", pa.string()),
        pa.field("extractor_version", pa.string()),
        pa.field("taxonomy_version", pa.string()),
        pa.field("fetched_at", UTC_TS),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("version", pa.int32()),  # 1 for the first capture; +1 each time a re-crawl finds the content changed
        pa.field("content_hash", pa.string()),  # of title + body: what tells a changed article from a re-fetched one
        pa.field("first_fetched_at", UTC_TS),  # when version 1 was fetched
    ],
    metadata={"dataset": "articles", "schema_version": str(SCHEMA_VERSION)},
)

REJECTS = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),  # a named reason: no_body, no_date, ...
        pa.field("detail", pa.string()),
        pa.field("title", pa.string()),
        pa.field("published_raw", pa.string()),
        pa.field("fetched_at", UTC_TS),
        pa.field("run_id", pa.string(), nullable=False),
    ],
    metadata={"dataset": "rejects", "schema_version": str(SCHEMA_VERSION)},
)

CRAWL_LOG = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),  # discovery / article
        pa.field("outcome", pa.string(), nullable=False),  # fetched / not_modified / failed / skipped
        pa.field("reason", pa.string()),  # why it failed or was skipped: http_503, timeout, robots_disallowed, seen...
        pa.field("status", pa.int16()),
        pa.field("retries", pa.int16()),  # retries spent on this URL, whatever the outcome
        pa.field("etag", pa.string()),  # validators of discovery documents, for the next run's conditional GET
        pa.field("last_modified", pa.string()),
        pa.field("at", UTC_TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ],
    metadata={"dataset": "crawl_log", "schema_version": str(SCHEMA_VERSION)},
)

PORTAL_HEALTH = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("pages_fetched", pa.int32()),
        pa.field("urls_failed", pa.int32()),
        pa.field("retries", pa.int32()),
        pa.field("articles_written", pa.int32()),
        pa.field("rejected", pa.int32()),
        pa.field("rejects_by_reason", pa.map_(pa.string(), pa.int32())),
        pa.field("missing_body_share", pa.float32()),  # of the pages fetched
        pa.field("missing_date_share", pa.float32()),
        pa.field("missing_author_share", pa.float32()),  # of the articles written
        pa.field("measured_at", UTC_TS, nullable=False),
        pa.field("articles_updated", pa.int32()),  # articles written that replace an earlier version (version > 1)
    ],
    metadata={"dataset": "portal_health", "schema_version": str(SCHEMA_VERSION)},
)

SCHEMAS: dict[str, pa.Schema] = {
    "raw_pages": RAW_PAGES,
    "articles": ARTICLES,
    "rejects": REJECTS,
    "crawl_log": CRAWL_LOG,
    "portal_health": PORTAL_HEALTH,
}


class SchemaMismatchError(ValueError):
    """A table that does not match its dataset's declared schema; refused before anything is written."""


def conform(dataset: str, table: pa.Table) -> pa.Table:
    """Return the table in its dataset's exact schema, or raise SchemaMismatchError naming the fault."""
    schema = SCHEMAS[dataset]
    extra = set(table.column_names) - set(schema.names)
    missing = set(schema.names) - set(table.column_names)
    if extra or missing:
        raise SchemaMismatchError(f"{dataset}: unknown columns {sorted(extra)}, missing columns {sorted(missing)}")
    table = table.select(schema.names)
    for field in schema:
        actual = table.schema.field(field.name).type
        if actual != field.type and not pa.types.is_null(actual):
            raise SchemaMismatchError(f"{dataset}.{field.name}: type {actual} where the schema says {field.type}")
        if not field.nullable and table.column(field.name).null_count:
            raise SchemaMismatchError(f"{dataset}.{field.name}: null values in a non-nullable column")
    return table.cast(schema)
