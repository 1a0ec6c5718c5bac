"""Benchmarks run apart from the test suite: `python -m benchmarks search` (see __main__)."""
