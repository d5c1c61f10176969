"""Statements of graph/analysis/ (see its docstring)."""
