"""Deals (orders): a (:Deal) node recorded against a customer, (d:Deal)-[:FOR]->(c:Company)."""

from typing import Final, LiteralString

DEALS_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (d:Deal {id: id})-[:FOR]->(c:Company)
RETURN d {.*, companyId: c.id} AS deal
"""

# Deals by external id (the API's `dealsByExternalIds`), one row per deal found.
DEALS_BY_EXTERNAL_IDS: Final[LiteralString] = """
UNWIND $externalIds AS key
MATCH (d:Deal {externalId: key})-[:FOR]->(c:Company)
RETURN key, d {.*, companyId: c.id} AS deal
"""

# Newest first: by date, then the later recorded, then by id.
DEALS_FOR_COMPANIES: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (c:Company {id: key})<-[:FOR]-(d:Deal)
RETURN key, d {.*, companyId: c.id} AS deal
ORDER BY key, d.date DESC, d.createdAt DESC, d.id
"""

DEAL_PAGE: Final[LiteralString] = """
MATCH (d:Deal)-[:FOR]->(c:Company)
WHERE ($companyId IS NULL OR c.id = $companyId)
  AND ($since IS NULL OR d.date >= $since)
WITH d, c ORDER BY d.date DESC, d.createdAt DESC, d.id
WITH collect(d {.*, companyId: c.id}) AS deals
RETURN size(deals) AS total, deals[$skip..$end] AS page
"""

# One row per company, product line and currency (a company without deals: one row of zeros;
# an unknown id: found false). The caller folds the rows into the depth figures.
DEAL_DEPTH_ROWS: Final[LiteralString] = """
UNWIND $ids AS key
OPTIONAL MATCH (c:Company {id: key})
OPTIONAL MATCH (c)<-[:FOR]-(d:Deal)
RETURN key, c IS NOT NULL AS found, d.productLine AS productLine, d.currency AS currency,
       count(d) AS deals, sum(d.amount) AS amount,
       min(d.date) AS firstDate, max(d.date) AS lastDate
"""

DEAL_COMPANY_EXISTS: Final[LiteralString] = """
MATCH (c:Company {id: $companyId}) RETURN c.id AS id
"""

DEAL_PROPS: Final[LiteralString] = """
MATCH (d:Deal {id: $id})-[:FOR]->(c:Company)
RETURN properties(d) AS props, c.id AS companyId
"""

# The same, for a write: the write lock first (a property written to itself), so that a
# concurrent write to it waits, or conflicts and is retried, instead of being lost.
DEAL_PROPS_LOCKED: Final[LiteralString] = """
MATCH (d:Deal {id: $id})-[:FOR]->(c:Company)
SET d.id = d.id
RETURN properties(d) AS props, c.id AS companyId
"""

DEAL_PROPS_BY_EXTERNAL_ID: Final[LiteralString] = """
MATCH (d:Deal {externalId: $externalId})-[:FOR]->(c:Company)
RETURN properties(d) AS props, c.id AS companyId
"""

DEAL_CREATE: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
CREATE (d:Deal)
SET d += $props
CREATE (d)-[:FOR]->(c)
RETURN d.id AS id
"""

DEAL_SET: Final[LiteralString] = """
MATCH (d:Deal {id: $id}) SET d += $props RETURN d.id AS id
"""

DEAL_DELETE: Final[LiteralString] = """
MATCH (d:Deal {id: $id}) DETACH DELETE d
"""
