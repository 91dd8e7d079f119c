"""Benchmarks: run with `make bench` (or `python -m bench`); they print ratios, never assert timings."""
