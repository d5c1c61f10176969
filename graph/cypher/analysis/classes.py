"""Customer value classes from deal revenue, and the tier pyramid of our people's contacts."""

from typing import Final, LiteralString

# One row holding one list per customer company (not one of ours): [id, name, set class,
# status, revenue and deal count in $currency on or after $since (null: all), the deals in
# that window left out for another currency, all its deals whatever their date or currency].
# A deal without a currency is in $defaultCurrency. One row of lists, not a row per company:
# the embedded engine sends rows one by one (about 50 us a row in the driver, 2,000 customers).
VALUE_CLASS_ROWS: Final[LiteralString] = """
MATCH (c:Company)
WHERE coalesce(c.isOurs, false) = false
OPTIONAL MATCH (c)<-[:FOR]-(d:Deal)
WITH c, d,
     d IS NOT NULL AND ($since IS NULL OR d.date >= $since) AS inWindow,
     coalesce(d.currency, $defaultCurrency) = $currency AS inCurrency
WITH c,
     sum(CASE WHEN inWindow AND inCurrency THEN d.amount ELSE 0.0 END) AS revenue,
     count(CASE WHEN inWindow AND inCurrency THEN d END) AS dealCount,
     count(CASE WHEN inWindow AND NOT inCurrency THEN d END) AS otherCurrencyDeals,
     count(d) AS allDeals
RETURN collect([c.id, c.name, c.valueClass, c.status, revenue, dealCount, otherCurrencyDeals,
                allDeals]) AS companies
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

# Each relationship a team member holds, as two parallel lists (the other person's id, its
# tier; a pair known both ways appears twice), and our people: whoever holds a current role at
# one of our companies (the caller drops them from the contacts). One row of lists: the
# embedded engine sends rows one by one (about 50 us a row in the driver), and a team of 500
# has some 11,000 ties. Our people are read once from our companies rather than per contact:
# a subquery per contact reading their roles took 3/4 of the time for a team of 500 at
# 100,000 people. For a few people, PYRAMID_CONTACTS_OF_FEW is cheaper.
PYRAMID_CONTACTS: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (p:Person {id: id})-[k:KNOWS]-(q:Person)
WITH collect(q.id) AS contactIds, collect(k.tier) AS tiers
CALL () {
  MATCH (:Company {isOurs: true})<-[r:HOLDS_ROLE]-(o:Person)
  WHERE r.endDate IS NULL OR r.endDate >= date()
  RETURN collect(DISTINCT o.id) AS ours
}
RETURN contactIds, tiers, ours
"""

# PYRAMID_CONTACTS for a team of a few: each contact's roles are read instead of all our
# people (about 35 us a tie against 6 ms for the 1,000 of ours at 100,000 people), so the
# contacts come already without our people, and `ours` is empty (outside the aggregation: as
# a grouping key, it would make no row at all when no contact is left).
PYRAMID_CONTACTS_OF_FEW: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (p:Person {id: id})-[k:KNOWS]-(q:Person)
CALL (q) {
  OPTIONAL MATCH (q)-[r:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE r.endDate IS NULL OR r.endDate >= date()
  RETURN count(r) AS ourRoles
}
WITH q, k, ourRoles
WHERE ourRoles = 0
WITH collect(q.id) AS contactIds, collect(k.tier) AS tiers
RETURN contactIds, tiers, [] AS ours
"""
