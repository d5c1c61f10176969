"""Statements of graph/evolution/ (see its docstring)."""
