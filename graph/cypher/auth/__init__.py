"""Statements of graph/auth/ (see its docstring)."""
