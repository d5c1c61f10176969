"""Network measures: the fingerprint that keys the cache, and the projection read in pages.

Pages are lists of ids looked up one by one (`UNWIND $ids` at the top, then an index lookup),
each returning ONE row of parallel lists: the embedded engine writes every row to the socket on
its own (about 50 us a row in the driver), so a page of 5,000 people is one row, not 50,000.
"""

from typing import Final, LiteralString

# Every person id and every company id, for the whole-graph pages.
NODE_IDS: Final[LiteralString] = """
CALL () { MATCH (p:Person) RETURN collect(p.id) AS people }
CALL () { MATCH (c:Company) RETURN collect(c.id) AS companies }
RETURN people, companies
"""

# The company a neighbourhood centres on and its current people; no row when it is unknown.
SCOPE: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
RETURN c.id AS id,
       [(c)<-[r:HOLDS_ROLE]-(p:Person) WHERE r.endDate IS NULL OR r.endDate >= date() | p.id]
         AS people
"""

_CURRENT_ROLES: Final[LiteralString] = """,
       collect([(a)-[r:HOLDS_ROLE]->(c:Company)
                WHERE r.endDate IS NULL OR r.endDate >= date() | c.id]) AS companies
"""

_PEOPLE: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (a:Person {id: id})
RETURN collect(a.id) AS ids"""

_COMPANIES: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (a:Company {id: id})
RETURN collect(a.id) AS ids"""

# A page of people: the people each KNOWS (stored direction only: each edge once over all
# pages) and the companies where each holds a current role.
PEOPLE_TIES_OUT: Final[LiteralString] = (
    _PEOPLE
    + """,
       collect([(a)-[:KNOWS]->(b:Person) | b.id]) AS people"""
    + _CURRENT_ROLES
)

# The same with KNOWS in either direction, for a neighbourhood.
PEOPLE_TIES: Final[LiteralString] = (
    _PEOPLE
    + """,
       collect([(a)-[:KNOWS]-(b:Person) | b.id]) AS people"""
    + _CURRENT_ROLES
)

# The same with each tie's strength: [person id, strength] pairs, for the weighted measures.
PEOPLE_TIES_OUT_WEIGHTED: Final[LiteralString] = (
    _PEOPLE
    + """,
       collect([(a)-[k:KNOWS]->(b:Person) | [b.id, k.strength]]) AS people"""
    + _CURRENT_ROLES
)
PEOPLE_TIES_WEIGHTED: Final[LiteralString] = (
    _PEOPLE
    + """,
       collect([(a)-[k:KNOWS]-(b:Person) | [b.id, k.strength]]) AS people"""
    + _CURRENT_ROLES
)

# A page of companies: the companies each does business with (stored direction).
COMPANY_TIES_OUT: Final[LiteralString] = (
    _COMPANIES
    + """,
       collect([(a)-[:DOES_BUSINESS_WITH]->(b:Company) | b.id]) AS companies
"""
)

COMPANY_TIES_OUT_WEIGHTED: Final[LiteralString] = (
    _COMPANIES
    + """,
       collect([(a)-[k:DOES_BUSINESS_WITH]->(b:Company) | [b.id, k.strength]]) AS companies
"""
)

_REFERRALS_MADE: Final[LiteralString] = """,
       collect([(a)-[:REFERRED]->(b:Person) | b.id]) AS toPeople,
       collect([(a)-[:REFERRED]->(b:Company) | b.id]) AS toCompanies"""

_REFERRALS_RECEIVED: Final[LiteralString] = """,
       collect([(a)<-[:REFERRED]-(b:Person) | b.id]) AS fromPeople,
       collect([(a)<-[:REFERRED]-(b:Company) | b.id]) AS fromCompanies
"""

# Pages of people or companies with the referrals they made, and (without _OUT) received.
PEOPLE_REFERRALS_OUT: Final[LiteralString] = _PEOPLE + _REFERRALS_MADE
PEOPLE_REFERRALS: Final[LiteralString] = _PEOPLE + _REFERRALS_MADE + _REFERRALS_RECEIVED
COMPANY_REFERRALS_OUT: Final[LiteralString] = _COMPANIES + _REFERRALS_MADE
COMPANY_REFERRALS: Final[LiteralString] = _COMPANIES + _REFERRALS_MADE + _REFERRALS_RECEIVED
