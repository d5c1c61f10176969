"""Statements of graph/db/ (see its docstring)."""
