"""Benchmark harness comparing heat-temporal with upstream OpenStack Heat."""
