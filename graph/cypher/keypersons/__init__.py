"""Statements of graph/keypersons/ (see its docstring)."""
