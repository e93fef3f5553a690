"""Benchmark of africa-presence against a naive Dash baseline: ``python -m bench``."""
