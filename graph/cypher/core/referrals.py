"""Referrals (REFERRED) as a kind: a person or company referred another person or company."""

from typing import Final, LiteralString

# After `a`, `r`, `b` are bound: one referral row with the kind of each end.
_ROW: Final[LiteralString] = """
r {.*, fromId: a.id, toId: b.id,
   fromKind: CASE WHEN a:Person THEN 'PERSON' ELSE 'COMPANY' END,
   toKind: CASE WHEN b:Person THEN 'PERSON' ELSE 'COMPANY' END}
"""

REFERRALS_BY_ID: Final[LiteralString] = (
    """
UNWIND $ids AS id
MATCH (a)-[r:REFERRED {id: id}]->(b)
RETURN """
    + _ROW
    + " AS referral"
)

# Both directions for each party; the caller splits them by which end the party is.
REFERRALS_FOR_PARTIES: Final[LiteralString] = (
    """
UNWIND $ids AS key
OPTIONAL MATCH (person:Person {id: key})
OPTIONAL MATCH (company:Company {id: key})
WITH key, coalesce(person, company) AS party
MATCH (party)-[r:REFERRED]-()
WITH key, r, startNode(r) AS a, endNode(r) AS b
RETURN key, """
    + _ROW
    + """ AS referral
ORDER BY key, r.date DESC, r.id
"""
)

REFERRAL_PAGE: Final[LiteralString] = (
    """
MATCH (a)-[r:REFERRED]->(b)
WHERE ($since IS NULL OR r.date >= $since)
WITH a, r, b ORDER BY r.date DESC, r.id
WITH collect("""
    + _ROW
    + """) AS referrals
RETURN size(referrals) AS total, referrals[$skip..$end] AS page
"""
)

REFERRAL_PROPS: Final[LiteralString] = """
MATCH (a)-[r:REFERRED {id: $id}]->(b)
RETURN properties(r) AS props, a.id AS fromId, b.id AS toId
"""

# The same, for a write: the write lock first (a property written to itself), so that
# a concurrent write to it waits, or conflicts and is retried, instead of being lost.
REFERRAL_PROPS_LOCKED: Final[LiteralString] = """
MATCH (a)-[r:REFERRED {id: $id}]->(b)
SET r.id = r.id
RETURN properties(r) AS props, a.id AS fromId, b.id AS toId
"""

REFERRAL_PROPS_BY_EXTERNAL_ID: Final[LiteralString] = """
MATCH (a)-[r:REFERRED {externalId: $externalId}]->(b)
RETURN properties(r) AS props, a.id AS fromId, b.id AS toId
"""

REFERRAL_ENDPOINTS: Final[LiteralString] = """
OPTIONAL MATCH (fromPerson:Person {id: $fromId})
OPTIONAL MATCH (fromCompany:Company {id: $fromId})
OPTIONAL MATCH (toPerson:Person {id: $toId})
OPTIONAL MATCH (toCompany:Company {id: $toId})
RETURN fromPerson IS NOT NULL OR fromCompany IS NOT NULL AS fromFound,
       toPerson IS NOT NULL OR toCompany IS NOT NULL AS toFound
"""

REFERRAL_CREATE: Final[LiteralString] = """
OPTIONAL MATCH (fromPerson:Person {id: $fromId})
OPTIONAL MATCH (fromCompany:Company {id: $fromId})
OPTIONAL MATCH (toPerson:Person {id: $toId})
OPTIONAL MATCH (toCompany:Company {id: $toId})
WITH coalesce(fromPerson, fromCompany) AS a, coalesce(toPerson, toCompany) AS b
WHERE a IS NOT NULL AND b IS NOT NULL
CREATE (a)-[r:REFERRED]->(b) SET r += $props
RETURN r.id AS id
"""

REFERRAL_SET: Final[LiteralString] = """
MATCH ()-[r:REFERRED {id: $id}]->() SET r += $props RETURN r.id AS id
"""

REFERRAL_DELETE: Final[LiteralString] = """
MATCH ()-[r:REFERRED {id: $id}]->() DELETE r
"""
