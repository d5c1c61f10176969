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
