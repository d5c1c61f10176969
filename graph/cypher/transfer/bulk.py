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

# Referrals {fromId, toId, props}: each end a person or a company (see REFERRAL_CREATE in
# graph/cypher/referrals/chains.py), looked up by label and named value, as an unlabelled
# match scans.
BULK_REFERRALS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
OPTIONAL MATCH (fromPerson:Person {id: fromId})
OPTIONAL MATCH (fromCompany:Company {id: fromId})
OPTIONAL MATCH (toPerson:Person {id: toId})
OPTIONAL MATCH (toCompany:Company {id: toId})
WITH row, coalesce(fromPerson, fromCompany) AS a, coalesce(toPerson, toCompany) AS b
WHERE a IS NOT NULL AND b IS NOT NULL
CREATE (a)-[r:REFERRED]->(b) SET r += row.props
"""

# Deals {companyId, props} (see graph/cypher/deals/deals.py).
BULK_DEALS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.companyId AS companyId
MATCH (c:Company {id: companyId})
CREATE (d:Deal) SET d = row.props
CREATE (d)-[:FOR]->(c)
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
