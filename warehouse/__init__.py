"""Warta's Parquet warehouse: declared schemas, atomic idempotent partition writes, readers."""

from warehouse.schemas import SCHEMAS, SchemaMismatchError
from warehouse.access import read_articles
from warehouse.store import PartitionKey, PartitionWriter, read_dataset, read_partition, write_partition

__all__ = [
    "SCHEMAS",
    "SchemaMismatchError",
    "PartitionKey",
    "PartitionWriter",
    "read_articles",
    "read_dataset",
    "read_partition",
    "write_partition",
]
