"""Import and export of records (see graph/transfer/records.py): reference look-ups, deals and
reporting lines (companies, people and edges are written with their kinds' statements,
graph/cypher/core/kinds.py), and pages of nodes with their outgoing edges.

Look-ups go by values named with WITH (the embedded engine scans when a look-up names another
variable's property).
"""

from typing import Final, LiteralString


def _resolve(label: LiteralString) -> LiteralString:
    """Reference keys to the Guanxi ids of nodes labelled `label`: a key is an external id,
    else a Guanxi id."""
    return (
        """
UNWIND $keys AS key
WITH key
OPTIONAL MATCH (byExternalId:"""
        + label
        + """ {externalId: key})
OPTIONAL MATCH (byId:"""
        + label
        + """ {id: key})
WITH key, coalesce(byExternalId.id, byId.id) AS id
WHERE id IS NOT NULL
RETURN collect([key, id]) AS found
"""
    )


RESOLVE_PEOPLE: Final = _resolve("Person")
RESOLVE_COMPANIES: Final = _resolve("Company")


def _upsert_deals(key_property: LiteralString) -> LiteralString:
    """Deals by `key_property` (externalId or id): rows {line, key, toId (the company),
    props}; creates the missing ones, returns the existing ones with their company."""
    return (
        """
UNWIND $rows AS row
WITH row, row.key AS key, row.toId AS companyId
MATCH (c:Company {id: companyId})
OPTIONAL MATCH (n:Deal {"""
        + key_property
        + """: key})
OPTIONAL MATCH (n)-[:FOR]->(current:Company)
FOREACH (new IN CASE WHEN n IS NULL THEN [row.props] ELSE [] END |
  CREATE (d:Deal) SET d = new CREATE (d)-[:FOR]->(c))
RETURN collect(CASE WHEN n IS NOT NULL THEN [row.line, properties(n), current.id] END)
         AS existing,
       collect(row.line) AS lines
"""
    )


UPSERT_DEALS_BY_EXTERNAL_ID: Final = _upsert_deals("externalId")
UPSERT_DEALS_BY_ID: Final = _upsert_deals("id")

SET_DEALS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row, row.id AS id
MATCH (n:Deal {id: id})
SET n += row.props
"""

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

# The stored lines of the people $ids (a batch of reporting lines compares with these).
REPORTING_LINES_OF: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (p:Person {id: id})-[l:REPORTS_TO]->(m:Person)
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
