"""The interaction chain: meetings, calls, visits… between our people and theirs.

`(:Person)-[:TOOK_PART {side}]->(:Interaction)-[:ABOUT]->(:Company)`, and
`(:Interaction)-[:FOLLOWS]->(:Interaction)` to the previous interaction of each pair of
people taking part, so the chain can be walked. An interaction is never changed once logged;
it also keeps the ids of its people, companies and predecessors as lists, for reading.
"""

from typing import Final, LiteralString

INTERACTION_BY_EXTERNAL_ID: Final[LiteralString] = """
MATCH (i:Interaction {externalId: $externalId}) RETURN i.id AS id
"""

# Whether each person exists, is one of ours (a current role at one of our companies), and
# the other companies where they hold a current role.
INTERACTION_PEOPLE: Final[LiteralString] = """
UNWIND $ids AS id
OPTIONAL MATCH (p:Person {id: id})
CALL (p) {
  OPTIONAL MATCH (p)-[r:HOLDS_ROLE]->(c:Company)
  WHERE r.endDate IS NULL OR r.endDate >= date()
  RETURN collect(DISTINCT CASE WHEN c.isOurs = true THEN c.id END) AS ours,
         collect(DISTINCT CASE WHEN coalesce(c.isOurs, false) = false THEN c.id END) AS employers
}
RETURN id, p IS NOT NULL AS found, size(ours) > 0 AS isOurs, employers
"""

# Each pair's relationship (if any), its strength-model state and its latest recorded change.
# The relationship is written to first, so that a concurrent interaction on the same pair
# waits for this one (or, on an engine without locks, conflicts and is retried) instead of
# computing from the same old strength.
INTERACTION_PAIRS: Final[LiteralString] = """
UNWIND $pairs AS pair
WITH pair, pair.ourId AS ourId, pair.theirId AS theirId
OPTIONAL MATCH (:Person {id: ourId})-[k:KNOWS]-(:Person {id: theirId})
FOREACH (locked IN CASE WHEN k IS NULL THEN [] ELSE [k] END |
  SET locked.interactionCount = coalesce(locked.interactionCount, 0))
WITH pair, k, k.id AS tieId
OPTIONAL MATCH (h:History {subjectId: tieId})
RETURN pair.ourId AS ourId, pair.theirId AS theirId,
       CASE WHEN k IS NULL THEN null ELSE properties(k) END AS props,
       CASE WHEN h IS NULL THEN null ELSE h.at[size(h.at) - 1] END AS lastAtMs
"""

INTERACTION_CREATE: Final[LiteralString] = """
CREATE (i:Interaction)
SET i += $props
WITH i
CALL (i) {
  UNWIND $parties AS party
  WITH i, party, party.id AS personId
  MATCH (p:Person {id: personId})
  CREATE (p)-[:TOOK_PART {side: party.side}]->(i)
}
CALL (i) {
  UNWIND $props.companyIds AS companyId
  MATCH (c:Company {id: companyId})
  CREATE (i)-[:ABOUT]->(c)
}
CALL (i) {
  UNWIND $props.previousIds AS previousId
  MATCH (previous:Interaction {id: previousId})
  CREATE (i)-[:FOLLOWS]->(previous)
}
RETURN i.id AS id
"""

# Reached through its two people: the embedded engine scans every KNOWS edge for an edge id
# taken from a list element.
RELATIONSHIPS_APPLY: Final[LiteralString] = """
UNWIND $updates AS update
WITH update, update.ourId AS ourId, update.theirId AS theirId, update.id AS tieId
MATCH (:Person {id: ourId})-[k:KNOWS]-(:Person {id: theirId})
WHERE k.id = tieId
SET k += update.props, k.version = coalesce(k.version, 1) + 1
"""

INTERACTIONS_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (i:Interaction {id: id})
RETURN i {.*} AS interaction
"""

# Interactions by external id (the API's `interactionsByExternalIds`), one row per one found.
INTERACTIONS_BY_EXTERNAL_IDS: Final[LiteralString] = """
UNWIND $externalIds AS key
MATCH (i:Interaction {externalId: key})
RETURN key, i {.*} AS interaction
"""

_PAGE: Final[LiteralString] = """
WITH DISTINCT i
ORDER BY i.at DESC, i.seq DESC
WITH collect(i {.*}) AS interactions
RETURN size(interactions) AS total, interactions[$skip..$end] AS page
"""

# Newest first.
INTERACTIONS_OF_PERSON: Final[LiteralString] = (
    """
MATCH (:Person {id: $personId})-[:TOOK_PART]->(i:Interaction)
"""
    + _PAGE
)

INTERACTIONS_OF_COMPANY: Final[LiteralString] = (
    """
MATCH (:Company {id: $companyId})<-[:ABOUT]-(i:Interaction)
"""
    + _PAGE
)

# The interactions that moved one relationship.
INTERACTIONS_OF_RELATIONSHIP: Final[LiteralString] = (
    """
MATCH (:Person {id: $personId})-[:TOOK_PART]->(i:Interaction)<-[:TOOK_PART]-(:Person {id: $otherId})
WHERE $relationshipId IN i.relationshipIds
"""
    + _PAGE
)

# What the strength of a relationship rests on at $atMs: the latest strength set by hand and
# the interactions that moved it (the caller keeps those applied after that setting).
STRENGTH_EVIDENCE: Final[LiteralString] = """
MATCH (a)-[k:KNOWS]->(b)
WHERE k.id = $id
CALL (k) {
  WITH k.id AS tieId
  OPTIONAL MATCH (m:Change {subjectId: tieId})
  WHERE m.evidenceKind = 'MANUAL' AND m.atMs <= $atMs
  RETURN m ORDER BY m.atMs DESC, m.seq DESC LIMIT 1
}
CALL (a, b, k) {
  OPTIONAL MATCH (a)-[:TOOK_PART]->(i:Interaction)<-[:TOOK_PART]-(b)
  WHERE i.appliedAtMs <= $atMs AND k.id IN i.relationshipIds
  RETURN collect(i {.*}) AS interactions
}
RETURN properties(k) AS props, a.id AS fromId, b.id AS toId,
       CASE WHEN m IS NULL THEN null ELSE properties(m) END AS anchor, interactions
"""
