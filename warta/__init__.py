"""Warta: Indonesian regional news turned into smart-city signals."""

__version__ = "0.1.0"
