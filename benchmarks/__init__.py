"""Benchmarks: they print figures; targets are read from the figures, not asserted in tests."""
