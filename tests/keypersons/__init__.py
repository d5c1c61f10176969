"""Tests of key persons."""
