"""Benchmarks of the public pages on PostgreSQL: `make bench` (see bench/__main__.py)."""
