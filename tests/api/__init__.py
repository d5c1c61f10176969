"""Tests of the HTTP API as a whole, the map page and the seed data."""
