"""Statements of graph/referrals/ (see its docstring)."""
