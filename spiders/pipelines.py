"""RawPageWriter: streams the spider's raw pages into the warehouse's raw layer, one partition a run."""

from __future__ import annotations

import dataclasses

import pyarrow as pa

from warehouse.schemas import RAW_PAGES
from warehouse.store import PartitionKey, PartitionWriter

BATCH_ROWS = 64


class RawPageWriter:
    """Writes raw_pages/portal=<p>/run_date=<d>/part-<k>.parquet; it appears only when the crawl closes."""

    def __init__(self, settings):
        self.run_date = settings.get("WARTA_RUN_DATE")
        self.part = settings.get("WARTA_RUN_PART")
        self._buffer: list[dict] = []
        self._writer: PartitionWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        writer = cls(crawler.settings)
        writer.crawler = crawler
        return writer

    def open_spider(self):
        spider = self.crawler.spider
        if not (self.run_date and self.part):
            spider.logger.info("no WARTA_RUN_DATE/WARTA_RUN_PART: raw pages are not stored")
            return
        self._writer = PartitionWriter("raw_pages", PartitionKey(spider.portal.id, self.run_date, self.part))

    def process_item(self, item):
        if self._writer is None:
            return item
        self._buffer.append(dataclasses.asdict(item))
        if len(self._buffer) >= BATCH_ROWS:
            self._flush()
        return item

    def close_spider(self):
        if self._writer is None:
            return
        self._flush()
        path = self._writer.close()
        self.crawler.stats.set_value("warta/raw_pages_written", self._writer.rows)
        self.crawler.spider.logger.info("raw pages: %d rows -> %s", self._writer.rows, path)

    def _flush(self) -> None:
        if self._buffer:
            self._writer.write(pa.Table.from_pylist(self._buffer, schema=RAW_PAGES))
            self._buffer.clear()
