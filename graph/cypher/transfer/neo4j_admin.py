"""The graph as the neo4j-admin export (graph/transfer/neo4j_admin.py) must hold it, read
without the export's pages: its tests compare the files with these. The export itself reads
the record export's pages (records.py)."""

from typing import Final, LiteralString

# Every company, person and deal, with its label and properties.
EXPORTED_NODES: Final[LiteralString] = """
MATCH (n)
WHERE n:Company OR n:Person OR n:Deal
RETURN labels(n) AS labels, properties(n) AS props
"""

# Every edge between them, whatever its type, with its ends' labels and ids.
EXPORTED_EDGES: Final[LiteralString] = """
MATCH (a)-[r]->(b)
WHERE (a:Company OR a:Person OR a:Deal) AND (b:Company OR b:Person OR b:Deal)
RETURN type(r) AS type, labels(a) AS startLabels, a.id AS startId, labels(b) AS endLabels,
       b.id AS endId, properties(r) AS props
"""
