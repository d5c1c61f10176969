"""Referral networks (REFERRED): read whole into an index (graph/referrals/chains.py), cached."""

from typing import Final, LiteralString

# A party (person or company) by id.
REFERRAL_PARTY: Final[LiteralString] = """
OPTIONAL MATCH (person:Person {id: $id})
OPTIONAL MATCH (company:Company {id: $id})
RETURN person IS NOT NULL AS isPerson, company IS NOT NULL AS isCompany
"""

# The customers a referred party stood for on the referral date: the company itself (none for
# one of ours), or the customer companies where a referred person held a role then (current
# roles when undated).
_EMPLOYERS: Final[LiteralString] = """
CALL (b, r) {
  OPTIONAL MATCH (b)-[h:HOLDS_ROLE]->(employer:Company)
  WHERE NOT coalesce(employer.isOurs, false)
    AND ((r.date IS NULL AND (h.endDate IS NULL OR h.endDate >= date()))
      OR (r.date IS NOT NULL AND (h.startDate IS NULL OR h.startDate <= r.date)
          AND (h.endDate IS NULL OR h.endDate >= r.date)))
  RETURN CASE WHEN b:Company AND coalesce(b.isOurs, false) THEN []
              WHEN b:Company THEN [b.id]
              ELSE collect(DISTINCT employer.id) END AS customers
}
"""

# Everything the referral figures need, in one round trip and four lists (one row each, as
# the embedded engine sends rows one by one): every referral, walked from its referrer's label
# (an unlabelled walk would visit every node), with what its referred party stood for; every
# deal by company; every customer's status.


def _referrals_from(label: LiteralString, column: LiteralString) -> LiteralString:
    """Every referral made by a node of `label`, as one list in `column`."""
    return (
        "CALL () {\n  MATCH (a:"
        + label
        + ")-[r:REFERRED]->(b)\n"
        + _EMPLOYERS
        + """  RETURN collect([a.id, r.id, r.date, b.id,
                  CASE WHEN b:Person THEN 'PERSON' ELSE 'COMPANY' END, customers]) AS """
        + column
        + "\n}\n"
    )


REFERRAL_INDEX: Final[LiteralString] = (
    _referrals_from("Person", "byPeople")
    + _referrals_from("Company", "byCompanies")
    + """
CALL () {
  MATCH (d:Deal)-[:FOR]->(c:Company)
  RETURN collect([c.id, d.date, d.amount, d.currency]) AS deals
}
CALL () {
  MATCH (c:Company)
  RETURN collect([c.id, c.status]) AS statuses
}
RETURN byPeople, byCompanies, deals, statuses
"""
)

# The bare reference for benchmarks: how many parties lie downstream of one, to depth 6, in one
# variable-length match (no tree, no value).
DOWNSTREAM_COUNT_6: Final[LiteralString] = """
OPTIONAL MATCH (person:Person {id: $id})
OPTIONAL MATCH (company:Company {id: $id})
WITH coalesce(person, company) AS root
MATCH (root)-[:REFERRED*1..6]->(x)
RETURN count(DISTINCT x) AS downstream
"""
