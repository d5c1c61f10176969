"""Whole-database statements for tests and the seed command."""

from typing import Final, LiteralString

DELETE_EVERYTHING: Final[LiteralString] = "MATCH (n) DETACH DELETE n"

COUNT_NODES_AND_EDGES: Final[LiteralString] = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS edges }
RETURN nodes, edges
"""
