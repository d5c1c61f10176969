"""Import and export of records (see graph/transfer/records.py): batched upserts, one statement per
batch and kind, and pages of nodes with their outgoing edges.

Every upsert creates the records of its batch that do not exist yet (FOREACH over a list of
zero or one) and returns the stored properties of those that do, so the caller can tell
unchanged from changed and record the changes. Look-ups go by values named with WITH (the
embedded engine scans when a look-up names another variable's property); edges are found from
their start node, never by their own properties, which no index serves.
"""

from typing import Final, LiteralString

# Reference keys to Guanxi ids: a key is an external id, else a Guanxi id.
_RESOLVE_TAIL: Final[LiteralString] = """
WITH key, coalesce(byExternalId.id, byId.id) AS id
WHERE id IS NOT NULL
RETURN collect([key, id]) AS found
"""

RESOLVE_PEOPLE: Final[LiteralString] = (
    """
UNWIND $keys AS key
WITH key
OPTIONAL MATCH (byExternalId:Person {externalId: key})
OPTIONAL MATCH (byId:Person {id: key})"""
    + _RESOLVE_TAIL
)

RESOLVE_COMPANIES: Final[LiteralString] = (
    """
UNWIND $keys AS key
WITH key
OPTIONAL MATCH (byExternalId:Company {externalId: key})
OPTIONAL MATCH (byId:Company {id: key})"""
    + _RESOLVE_TAIL
)

# Nodes. Rows: {line, key, props}; by external id or by Guanxi id.
# An existing record is written to itself before it is read (the write lock: a concurrent
# write then conflicts and is retried, instead of being overwritten by the import's update).
_NODE_TAIL: Final[LiteralString] = """
FOREACH (locked IN CASE WHEN n IS NULL THEN [] ELSE [n] END | SET locked.id = locked.id)
RETURN collect(CASE WHEN n IS NOT NULL THEN [row.line, properties(n)] END) AS existing,
       collect(row.line) AS lines
"""

UPSERT_COMPANIES_BY_EXTERNAL_ID: Final[LiteralString] = (
    """
UNWIND $rows AS row
WITH row, row.key AS key
OPTIONAL MATCH (n:Company {externalId: key})
FOREACH (new IN CASE WHEN n IS NULL THEN [row.props] ELSE [] END |
  CREATE (c:Company) SET c = new)"""
    + _NODE_TAIL
)

UPSERT_COMPANIES_BY_ID: Final[LiteralString] = (
    """
UNWIND $rows AS row
WITH row, row.key AS key
OPTIONAL MATCH (n:Company {id: key})
FOREACH (new IN CASE WHEN n IS NULL THEN [row.props] ELSE [] END |
  CREATE (c:Company) SET c = new)"""
    + _NODE_TAIL
)

UPSERT_PEOPLE_BY_EXTERNAL_ID: Final[LiteralString] = (
    """
UNWIND $rows AS row
WITH row, row.key AS key
OPTIONAL MATCH (n:Person {externalId: key})
FOREACH (new IN CASE WHEN n IS NULL THEN [row.props] ELSE [] END |
  CREATE (p:Person) SET p = new)"""
    + _NODE_TAIL
)

UPSERT_PEOPLE_BY_ID: Final[LiteralString] = (
    """
UNWIND $rows AS row
WITH row, row.key AS key
OPTIONAL MATCH (n:Person {id: key})
FOREACH (new IN CASE WHEN n IS NULL THEN [row.props] ELSE [] END |
  CREATE (p:Person) SET p = new)"""
    + _NODE_TAIL
)

# Deals: rows {line, key, toId (the company), props}; the existing deal's company comes back too.
_DEAL_TAIL: Final[LiteralString] = """
OPTIONAL MATCH (n)-[:FOR]->(current:Company)
FOREACH (new IN CASE WHEN n IS NULL THEN [row.props] ELSE [] END |
  CREATE (d:Deal) SET d = new CREATE (d)-[:FOR]->(c))
RETURN collect(CASE WHEN n IS NOT NULL THEN [row.line, properties(n), current.id] END)
         AS existing,
       collect(row.line) AS lines
"""

UPSERT_DEALS_BY_EXTERNAL_ID: Final[LiteralString] = (
    """
UNWIND $rows AS row
WITH row, row.key AS key, row.toId AS companyId
MATCH (c:Company {id: companyId})
OPTIONAL MATCH (n:Deal {externalId: key})"""
    + _DEAL_TAIL
)

UPSERT_DEALS_BY_ID: Final[LiteralString] = (
    """
UNWIND $rows AS row
WITH row, row.key AS key, row.toId AS companyId
MATCH (c:Company {id: companyId})
OPTIONAL MATCH (n:Deal {id: key})"""
    + _DEAL_TAIL
)

# Edges: rows {line, key, byId, fromId, toId, props}. Relationships and company relationships
# (one per pair, either direction) return whichever edge joins the pair, whatever its key.
_EDGE_TAIL: Final[LiteralString] = """
FOREACH (locked IN CASE WHEN k IS NULL THEN [] ELSE [k] END | SET locked.id = locked.id)
RETURN collect(CASE WHEN k IS NOT NULL THEN [row.line, properties(k)] END) AS existing,
       collect(row.line) AS lines
"""

_SAME_KEY: Final[LiteralString] = """
  WHERE (row.byId AND k.id = row.key) OR (NOT row.byId AND k.externalId = row.key)"""

UPSERT_ROLES: Final[LiteralString] = (
    """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
MATCH (a:Person {id: fromId})
MATCH (b:Company {id: toId})
OPTIONAL MATCH (a)-[k:HOLDS_ROLE]->(b)"""
    + _SAME_KEY
    + """
FOREACH (new IN CASE WHEN k IS NULL THEN [row.props] ELSE [] END |
  CREATE (a)-[r:HOLDS_ROLE]->(b) SET r = new)"""
    + _EDGE_TAIL
)

UPSERT_RELATIONSHIPS: Final[LiteralString] = (
    """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
MATCH (a:Person {id: fromId})
MATCH (b:Person {id: toId})
OPTIONAL MATCH (a)-[k:KNOWS]-(b)
FOREACH (new IN CASE WHEN k IS NULL THEN [row.props] ELSE [] END |
  CREATE (a)-[r:KNOWS]->(b) SET r = new)"""
    + _EDGE_TAIL
)

UPSERT_COMPANY_RELATIONSHIPS: Final[LiteralString] = (
    """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
MATCH (a:Company {id: fromId})
MATCH (b:Company {id: toId})
OPTIONAL MATCH (a)-[k:DOES_BUSINESS_WITH]-(b)
FOREACH (new IN CASE WHEN k IS NULL THEN [row.props] ELSE [] END |
  CREATE (a)-[r:DOES_BUSINESS_WITH]->(b) SET r = new)"""
    + _EDGE_TAIL
)

_REFERRAL_ENDS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
OPTIONAL MATCH (fromPerson:Person {id: fromId})
OPTIONAL MATCH (fromCompany:Company {id: fromId})
OPTIONAL MATCH (toPerson:Person {id: toId})
OPTIONAL MATCH (toCompany:Company {id: toId})
WITH row, coalesce(fromPerson, fromCompany) AS a, coalesce(toPerson, toCompany) AS b
WHERE a IS NOT NULL AND b IS NOT NULL"""

UPSERT_REFERRALS: Final[LiteralString] = (
    _REFERRAL_ENDS
    + """
OPTIONAL MATCH (a)-[k:REFERRED]->(b)"""
    + _SAME_KEY
    + """
FOREACH (new IN CASE WHEN k IS NULL THEN [row.props] ELSE [] END |
  CREATE (a)-[r:REFERRED]->(b) SET r = new)"""
    + _EDGE_TAIL
)

# Changes to existing records: rows {id, fromId, props}; edges are found from their start.
SET_COMPANIES: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.id AS id
MATCH (n:Company {id: id})
SET n += row.props
"""

SET_PEOPLE: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.id AS id
MATCH (n:Person {id: id})
SET n += row.props
"""

SET_DEALS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.id AS id
MATCH (n:Deal {id: id})
SET n += row.props
"""

SET_ROLES: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.fromId AS fromId
MATCH (a:Person {id: fromId})-[k:HOLDS_ROLE]->(:Company)
WHERE k.id = row.id
SET k += row.props
"""

SET_RELATIONSHIPS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.fromId AS fromId
MATCH (a:Person {id: fromId})-[k:KNOWS]-(:Person)
WHERE k.id = row.id
SET k += row.props, k.version = coalesce(k.version, 1) + 1
"""

SET_COMPANY_RELATIONSHIPS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.fromId AS fromId
MATCH (a:Company {id: fromId})-[k:DOES_BUSINESS_WITH]-(:Company)
WHERE k.id = row.id
SET k += row.props, k.version = coalesce(k.version, 1) + 1
"""

SET_REFERRALS: Final[LiteralString] = (
    _REFERRAL_ENDS
    + """
MATCH (a)-[k:REFERRED]->(b)
WHERE k.id = row.id
SET k += row.props
"""
)

# Reporting lines: rows {line, fromId (the person), toId (the manager), since}; a person's
# earlier line is replaced.
SET_REPORTING_LINES: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.fromId AS personId, row.toId AS managerId
MATCH (person:Person {id: personId})
MATCH (manager:Person {id: managerId})
OPTIONAL MATCH (person)-[old:REPORTS_TO]->(:Person)
DELETE old
WITH DISTINCT row, person, manager
CREATE (person)-[:REPORTS_TO {since: row.since}]->(manager)
RETURN collect(row.line) AS lines
"""

ALL_REPORTING_LINES: Final[LiteralString] = """
MATCH (p:Person)-[l:REPORTS_TO]->(m:Person)
RETURN collect([p.id, m.id, l.since]) AS lines
"""

# One mark per committed import batch: what it wrote (caches count these to see imports).
IMPORT_MARK: Final[LiteralString] = """
CREATE (i:Import) SET i = $props
"""

# Export: pages of nodes (by id) with their outgoing edges, each edge once over all pages.
EXPORT_PEOPLE: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (a:Person {id: id})
RETURN collect(properties(a)) AS nodes,
       collect([(a)-[r:HOLDS_ROLE]->(c:Company) | [c.id, properties(r)]]) AS roles,
       collect([(a)-[k:KNOWS]->(b:Person) | [b.id, properties(k)]]) AS relationships,
       collect([(a)-[l:REPORTS_TO]->(m:Person) | [m.id, l.since]]) AS managers,
       collect([(a)-[f:REFERRED]->(b:Person) | [b.id, properties(f)]]) AS referredPeople,
       collect([(a)-[f:REFERRED]->(b:Company) | [b.id, properties(f)]]) AS referredCompanies
"""

EXPORT_COMPANIES: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (a:Company {id: id})
RETURN collect(properties(a)) AS nodes,
       collect([(a)-[k:DOES_BUSINESS_WITH]->(b:Company) | [b.id, properties(k)]])
         AS companyRelationships,
       collect([(a)-[f:REFERRED]->(b:Person) | [b.id, properties(f)]]) AS referredPeople,
       collect([(a)-[f:REFERRED]->(b:Company) | [b.id, properties(f)]]) AS referredCompanies,
       collect([(d:Deal)-[:FOR]->(a) | properties(d)]) AS deals
"""

# Edges whose ends were all created by the same import cannot exist yet: those are created
# without looking for them first (rows {line, fromId, toId, props}).
CREATE_ROLES: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
MATCH (a:Person {id: fromId})
MATCH (b:Company {id: toId})
CREATE (a)-[r:HOLDS_ROLE]->(b) SET r = row.props
RETURN collect(row.line) AS lines
"""

CREATE_RELATIONSHIPS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
MATCH (a:Person {id: fromId})
MATCH (b:Person {id: toId})
CREATE (a)-[r:KNOWS]->(b) SET r = row.props
RETURN collect(row.line) AS lines
"""

CREATE_COMPANY_RELATIONSHIPS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.fromId AS fromId, row.toId AS toId
MATCH (a:Company {id: fromId})
MATCH (b:Company {id: toId})
CREATE (a)-[r:DOES_BUSINESS_WITH]->(b) SET r = row.props
RETURN collect(row.line) AS lines
"""

CREATE_REFERRALS: Final[LiteralString] = (
    _REFERRAL_ENDS
    + """
CREATE (a)-[r:REFERRED]->(b) SET r = row.props
RETURN collect(row.line) AS lines
"""
)

CREATE_DEALS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.toId AS companyId
MATCH (c:Company {id: companyId})
CREATE (d:Deal) SET d = row.props
CREATE (d)-[:FOR]->(c)
RETURN collect(row.line) AS lines
"""

# How many people and companies there are (label counts cost nothing): an import into a
# label with none creates its nodes without looking for them first.
LABEL_COUNTS: Final[LiteralString] = """
CALL () { MATCH (p:Person) RETURN count(p) AS people }
CALL () { MATCH (c:Company) RETURN count(c) AS companies }
RETURN people, companies
"""

CREATE_COMPANIES: Final[LiteralString] = """
UNWIND $rows AS row
CREATE (c:Company) SET c = row.props
RETURN collect(row.line) AS lines
"""

CREATE_PEOPLE: Final[LiteralString] = """
UNWIND $rows AS row
CREATE (p:Person) SET p = row.props
RETURN collect(row.line) AS lines
"""
