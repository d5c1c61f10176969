"""Statements of graph/core/ (see its docstring)."""
