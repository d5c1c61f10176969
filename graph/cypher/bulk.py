"""Batched loads of generated or imported rows (UNWIND over a list parameter)."""

from typing import Final, LiteralString

BULK_COMPANIES: Final[LiteralString] = """
UNWIND $rows AS row
CREATE (c:Company) SET c += row
"""

BULK_PEOPLE: Final[LiteralString] = """
UNWIND $rows AS row
CREATE (p:Person) SET p += row
"""

BULK_ROLES: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (p:Person {id: row.personId})
MATCH (c:Company {id: row.companyId})
CREATE (p)-[r:HOLDS_ROLE]->(c) SET r += row.props
"""

BULK_RELATIONSHIPS: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (a:Person {id: row.fromId})
MATCH (b:Person {id: row.toId})
CREATE (a)-[k:KNOWS]->(b) SET k += row.props
"""

BULK_COMPANY_RELATIONSHIPS: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (a:Company {id: row.fromId})
MATCH (b:Company {id: row.toId})
CREATE (a)-[r:DOES_BUSINESS_WITH]->(b) SET r += row.props
"""

BULK_REPORTING_LINES: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (a:Person {id: row.fromId})
MATCH (b:Person {id: row.toId})
CREATE (a)-[:REPORTS_TO]->(b)
"""
