"""Warta's Scrapy project: one config-driven spider per discovery strategy, never one per portal."""
