"""The synthetic loader's own batches (seed/synthetic.py): reporting lines, and the history it
generates whole. Its companies, people and edges go through their kinds' write path."""

from typing import Final, LiteralString

BULK_REPORTING_LINES: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (a:Person {id: row.fromId})
MATCH (b:Person {id: row.toId})
CREATE (a)-[:REPORTS_TO]->(b)
"""

# History (see graph/cypher/core/history.py and graph/cypher/evolution/interactions.py for
# the shapes the app writes): interactions, who took part, the customers they concern, the chain.
BULK_INTERACTIONS: Final[LiteralString] = """
UNWIND $rows AS row
CREATE (i:Interaction) SET i = row
"""

BULK_TOOK_PART: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (p:Person {id: row.personId})
MATCH (i:Interaction {id: row.interactionId})
CREATE (p)-[:TOOK_PART {side: row.side}]->(i)
"""

BULK_ABOUT: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (i:Interaction {id: row.interactionId})
MATCH (c:Company {id: row.companyId})
CREATE (i)-[:ABOUT]->(c)
"""

BULK_FOLLOWS: Final[LiteralString] = """
UNWIND $rows AS row
MATCH (i:Interaction {id: row.fromId})
MATCH (previous:Interaction {id: row.toId})
CREATE (i)-[:FOLLOWS]->(previous)
"""

# The change log: each change and the companies it concerns.
BULK_CHANGES: Final[LiteralString] = """
UNWIND $rows AS row
CREATE (ch:Change)
SET ch = row.props
WITH ch, row
UNWIND row.companyIds AS companyId
MATCH (c:Company {id: companyId})
CREATE (ch)-[:CONCERNS]->(c)
"""

# The time index of each subject: {subjectId, subjectKind, at: [ms ascending], state: [JSON]}.
BULK_HISTORIES: Final[LiteralString] = """
UNWIND $rows AS row
CREATE (h:History) SET h = row
"""


def _bare_edge(start: LiteralString, rel: LiteralString, end: LiteralString) -> LiteralString:
    return (
        """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
MATCH (a:"""
        + start
        + """ {id: fromId})
MATCH (b:"""
        + end
        + """ {id: toId})
CREATE (a)-[r:"""
        + rel
        + """]->(b)
SET r = row.props
"""
    )


# The engine's best case for a first load, per kind of record: plain `UNWIND $rows … CREATE`
# of the same rows {props, (edges) fromId, toId}, nothing checked, looked up or counted, no
# search key, no figure (benchmarks/imports.py compares the import and the loader with it).
BARE_CREATE: Final[dict[str, LiteralString]] = {
    "companies": "UNWIND $rows AS row CREATE (n:Company) SET n = row.props",
    "people": "UNWIND $rows AS row CREATE (n:Person) SET n = row.props",
    "roles": _bare_edge("Person", "HOLDS_ROLE", "Company"),
    "company_relationships": _bare_edge("Company", "DOES_BUSINESS_WITH", "Company"),
    "reporting_lines": BULK_REPORTING_LINES,
    "relationships": _bare_edge("Person", "KNOWS", "Person"),
    # a party is a person or a company: looked up under both labels, as the app does
    "referrals": """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
OPTIONAL MATCH (fromPerson:Person {id: fromId})
OPTIONAL MATCH (fromCompany:Company {id: fromId})
OPTIONAL MATCH (toPerson:Person {id: toId})
OPTIONAL MATCH (toCompany:Company {id: toId})
WITH row, coalesce(fromPerson, fromCompany) AS a, coalesce(toPerson, toCompany) AS b
CREATE (a)-[r:REFERRED]->(b)
SET r = row.props
""",
    "deals": """
UNWIND $rows AS row
WITH row, row.toId AS companyId
MATCH (c:Company {id: companyId})
CREATE (d:Deal) SET d = row.props
CREATE (d)-[:FOR]->(c)
""",
}
