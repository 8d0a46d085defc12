"""Evaluation: the field's metrics and benchmarks, run against Warta and its anchors in one process."""
