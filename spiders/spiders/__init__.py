"""Spiders: one per discovery strategy family; portals are configs (warta/portals/*.yaml)."""
