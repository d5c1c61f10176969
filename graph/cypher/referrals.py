"""Referrals (REFERRED): a person or company referred another person or company."""

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

# --- Referral networks: one level of a tree at a time, and what referred parties brought. ---

# A party (person or company) by id; `found` false when neither exists.
REFERRAL_PARTY: Final[LiteralString] = """
OPTIONAL MATCH (person:Person {id: $id})
OPTIONAL MATCH (company:Company {id: $id})
RETURN person IS NOT NULL AS isPerson, company IS NOT NULL AS isCompany
"""

# The referrals the parties in $ids made: one row per referral.
REFERRALS_MADE_BY: Final[LiteralString] = """
UNWIND $ids AS id
OPTIONAL MATCH (person:Person {id: id})
OPTIONAL MATCH (company:Company {id: id})
WITH id, coalesce(person, company) AS a
MATCH (a)-[r:REFERRED]->(b)
RETURN id AS fromId, r.id AS referralId, r.date AS date, b.id AS toId,
       CASE WHEN b:Person THEN 'PERSON' ELSE 'COMPANY' END AS toKind
"""

# The referrals the parties in $ids received: one row per referral.
REFERRALS_RECEIVED_BY: Final[LiteralString] = """
UNWIND $ids AS id
OPTIONAL MATCH (person:Person {id: id})
OPTIONAL MATCH (company:Company {id: id})
WITH id, coalesce(person, company) AS b
MATCH (b)<-[r:REFERRED]-(a)
RETURN id AS toId, r.id AS referralId, r.date AS date, a.id AS fromId,
       CASE WHEN a:Person THEN 'PERSON' ELSE 'COMPANY' END AS fromKind
"""

# Every referral (made on or after $since when given), for rankings over the whole network.
REFERRAL_EDGES: Final[LiteralString] = """
MATCH (a)-[r:REFERRED]->(b)
WHERE $since IS NULL OR r.date >= $since
RETURN a.id AS fromId, CASE WHEN a:Person THEN 'PERSON' ELSE 'COMPANY' END AS fromKind,
       r.id AS referralId, r.date AS date, b.id AS toId,
       CASE WHEN b:Person THEN 'PERSON' ELSE 'COMPANY' END AS toKind
ORDER BY r.id
"""

# What each referred party brought: for each row {id, since} (a party and the date it was
# referred), the customer it stands for (the company itself, or the companies where a person
# held a role on that date; current roles when the date is unknown), with the customer's
# status, its deals in $currency on or after the date (sum, count, first date) and whether it
# had deals before.
REFERRED_CUSTOMERS: Final[LiteralString] = """
UNWIND $rows AS row
WITH row.id AS pid, row.since AS since
OPTIONAL MATCH (person:Person {id: pid})
OPTIONAL MATCH (company:Company {id: pid})
CALL (person, since) {
  OPTIONAL MATCH (person)-[h:HOLDS_ROLE]->(employer:Company {isOurs: false})
  WHERE (since IS NULL AND (h.endDate IS NULL OR h.endDate >= date()))
     OR (since IS NOT NULL AND (h.startDate IS NULL OR h.startDate <= since)
         AND (h.endDate IS NULL OR h.endDate >= since))
  RETURN collect(DISTINCT employer) AS employers
}
WITH pid, since, CASE WHEN company IS NULL THEN employers ELSE [company] END AS customers
UNWIND customers AS customer
CALL (customer, since) {
  OPTIONAL MATCH (customer)<-[:FOR]-(d:Deal)
  WHERE d.currency = $currency AND (since IS NULL OR d.date >= since)
  RETURN sum(d.amount) AS value, count(d) AS deals, min(d.date) AS firstDeal
}
CALL (customer, since) {
  OPTIONAL MATCH (customer)<-[:FOR]-(e:Deal)
  WHERE since IS NOT NULL AND e.date < since
  RETURN count(e) AS dealsBefore
}
RETURN pid AS id, since, customer.id AS companyId, customer.status AS status, value, deals,
       firstDeal, dealsBefore
"""

# What the referral figures depend on, in one statement: the referrals (count, newest write),
# the deals (count, newest write), and the change log (company statuses, roles) and the date.
REFERRAL_VALUE_FINGERPRINT: Final[LiteralString] = """
CALL () { MATCH (ch:Change) RETURN count(ch) AS changes }
CALL () { MATCH (d:Deal) RETURN count(d) AS deals, max(d.updatedAt) AS newestDeal }
CALL () {
  MATCH (:Person)-[r:REFERRED]->()
  RETURN count(r) AS byPeople, max(r.updatedAt) AS newestByPeople
}
CALL () {
  MATCH (:Company)-[r:REFERRED]->()
  RETURN count(r) AS byCompanies, max(r.updatedAt) AS newestByCompanies
}
RETURN changes, deals, newestDeal, byPeople, newestByPeople, byCompanies, newestByCompanies,
       date() AS today
"""

# The bare reference for benchmarks: how many parties lie downstream of one, to depth 6, in one
# variable-length match (no tree, no value).
DOWNSTREAM_COUNT_6: Final[LiteralString] = """
OPTIONAL MATCH (person:Person {id: $id})
OPTIONAL MATCH (company:Company {id: $id})
WITH coalesce(person, company) AS root
MATCH (root)-[:REFERRED*1..6]->(x)
RETURN count(DISTINCT x) AS downstream
"""
