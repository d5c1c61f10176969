"""Customer value classes from deal revenue, and the tier pyramid of our people's contacts."""

from typing import Final, LiteralString

# One row per customer company (not one of ours): its set class and status, its revenue and
# deal count in $currency on or after $since (null: all), the deals in that window left out
# for another currency, and all its deals whatever their date or currency. A deal without a
# currency is in $defaultCurrency.
VALUE_CLASS_ROWS: Final[LiteralString] = """
MATCH (c:Company)
WHERE coalesce(c.isOurs, false) = false
OPTIONAL MATCH (c)<-[:FOR]-(d:Deal)
WITH c, d,
     d IS NOT NULL AND ($since IS NULL OR d.date >= $since) AS inWindow,
     coalesce(d.currency, $defaultCurrency) = $currency AS inCurrency
RETURN c.id AS id, c.name AS name, c.valueClass AS valueClass, c.status AS status,
       sum(CASE WHEN inWindow AND inCurrency THEN d.amount ELSE 0.0 END) AS revenue,
       count(CASE WHEN inWindow AND inCurrency THEN d END) AS dealCount,
       count(CASE WHEN inWindow AND NOT inCurrency THEN d END) AS otherCurrencyDeals,
       count(d) AS allDeals
ORDER BY id
"""

# Whether each id names a person, and whether they are one of ours (a current role at one of
# our companies).
PYRAMID_PEOPLE: Final[LiteralString] = """
UNWIND $ids AS id
OPTIONAL MATCH (p:Person {id: id})
CALL (p) {
  OPTIONAL MATCH (p)-[r:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE r.endDate IS NULL OR r.endDate >= date()
  RETURN count(r) > 0 AS isOurs
}
RETURN id, p IS NOT NULL AS found, isOurs
"""

# Whether the company is one of ours, and the people who hold a current role there.
PYRAMID_COMPANY_STAFF: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
CALL (c) {
  OPTIONAL MATCH (c)<-[r:HOLDS_ROLE]-(p:Person)
  WHERE r.endDate IS NULL OR r.endDate >= date()
  RETURN collect(DISTINCT p.id) AS staff
}
RETURN coalesce(c.isOurs, false) AS isOurs, staff
"""

# Each relationship a team member holds with someone who is not one of our people (no current
# role at one of our companies): one row per relationship.
PYRAMID_CONTACTS: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (p:Person {id: id})-[k:KNOWS]-(q:Person)
CALL (q) {
  OPTIONAL MATCH (q)-[r:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE r.endDate IS NULL OR r.endDate >= date()
  RETURN count(r) AS ourRoles
}
WITH q, k, ourRoles
WHERE ourRoles = 0
RETURN q.id AS contactId, k.tier AS tier
"""
