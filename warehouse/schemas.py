"""Every dataset's schema, declared once. Writers conform to these; nothing is inferred."""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 1
UTC_TS = pa.timestamp("us", tz="UTC")

# Partition columns live in the path (hive style: portal=<id>/run_date=<YYYY-MM-DD>), not in the files.
PARTITION_SCHEMA = pa.schema([("portal", pa.string()), ("run_date", pa.string())])

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
        pa.field("author", pa.string()),
        pa.field("published_at", UTC_TS, nullable=False),
        pa.field("published_raw", pa.string()),  # the string published_at was parsed from
        pa.field("date_source", pa.string()),  # jsonld / meta / visible / url
        pa.field("dateline", pa.string()),
        pa.field("body", pa.string(), nullable=False),  # cleaned; one paragraph per line
        pa.field("tags", pa.list_(pa.string())),
        pa.field("language", pa.string()),
        pa.field("word_count", pa.int32()),
        pa.field("smart_city", pa.bool_()),
        pa.field("smart_city_score", pa.float32()),
        pa.field("dimensions", pa.list_(pa.string())),
        pa.field("extractor", pa.string()),
        pa.field("extractor_version", pa.string()),
        pa.field("taxonomy_version", pa.string()),
        pa.field("fetched_at", UTC_TS),
        pa.field("run_id", pa.string(), nullable=False),
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

SCHEMAS: dict[str, pa.Schema] = {"raw_pages": RAW_PAGES, "articles": ARTICLES, "rejects": REJECTS}


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
