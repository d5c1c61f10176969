"""Statements of graph/transfer/ (see its docstring)."""
