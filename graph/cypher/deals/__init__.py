"""Statements of graph/deals/ (see its docstring)."""
