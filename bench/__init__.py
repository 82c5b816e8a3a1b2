"""Benchmarks of Veldgids against a bare python-telegram-bot echo bot (`make bench`).

`python -m bench` runs every section and writes docs/benchmarks.md; `--quick` runs a small
version of each for a smoke check. Nothing here is imported by the product.
"""
