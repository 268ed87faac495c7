"""Benchmarks: a deterministic corpus generator and the build benchmark command."""
