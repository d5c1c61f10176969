"""Tests of core entities."""
