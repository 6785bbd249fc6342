"""Benchmarks and measurement scripts; each prints its figures."""
