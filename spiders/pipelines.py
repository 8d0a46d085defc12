"""DatasetWriter: streams the spider's items into the warehouse (raw_pages, crawl_log), one partition a run."""

from __future__ import annotations

import dataclasses

import pyarrow as pa

from spiders.items import DATASET_OF
from warehouse.schemas import SCHEMAS
from warehouse.store import PartitionKey, PartitionWriter

BATCH_ROWS = 64


class DatasetWriter:
    """Each item type goes to its dataset's partition file; the files appear only when the crawl closes."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.run_date = crawler.settings.get("WARTA_RUN_DATE")
        self.part = crawler.settings.get("WARTA_RUN_PART")
        self._buffers: dict[str, list[dict]] = {name: [] for name in DATASET_OF.values()}
        self._writers: dict[str, PartitionWriter] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        spider = self.crawler.spider
        if not (self.run_date and self.part):
            spider.logger.info("no WARTA_RUN_DATE/WARTA_RUN_PART: nothing is stored")
            return
        key = PartitionKey(spider.portal.id, self.run_date, self.part)
        self._writers = {name: PartitionWriter(name, key) for name in DATASET_OF.values()}

    def process_item(self, item):
        dataset = DATASET_OF.get(type(item))
        if dataset and self._writers:
            self._buffers[dataset].append(dataclasses.asdict(item))
            if len(self._buffers[dataset]) >= BATCH_ROWS:
                self._flush(dataset)
        return item

    def close_spider(self):
        for dataset, writer in self._writers.items():
            self._flush(dataset)
            path = writer.close()
            self.crawler.stats.set_value(f"warta/{dataset}_written", writer.rows)
            self.crawler.spider.logger.info("%s: %d rows -> %s", dataset, writer.rows, path)

    def _flush(self, dataset: str) -> None:
        rows = self._buffers[dataset]
        if rows:
            self._writers[dataset].write(pa.Table.from_pylist(rows, schema=SCHEMAS[dataset]))
            rows.clear()
