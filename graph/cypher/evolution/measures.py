"""A customer's relationship measures: length, depth and breadth (the seeds' three)."""

from typing import Final, LiteralString

RELATIONSHIP_MEASURES: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
CALL (c) {
  OPTIONAL MATCH (c)<-[theirs:HOLDS_ROLE]-(p:Person)-[k:KNOWS]-(o:Person)
                 -[ours:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE (theirs.endDate IS NULL OR theirs.endDate >= date())
    AND (ours.endDate IS NULL OR ours.endDate >= date())
  RETURN count(DISTINCT o) AS ourPeople, count(DISTINCT p) AS theirPeopleKnown,
         count(DISTINCT k) AS relationships
}
CALL (c) {
  OPTIONAL MATCH (c)<-[r:HOLDS_ROLE]-(:Person)
  WHERE r.endDate IS NULL OR r.endDate >= date()
  RETURN count(r) AS theirPeople
}
CALL (c) {
  OPTIONAL MATCH (c)-[b:DOES_BUSINESS_WITH]-(:Company {isOurs: true})
  RETURN min(b.since) AS businessSince
}
CALL (c) {
  OPTIONAL MATCH (c)<-[:ABOUT]-(i:Interaction)
  RETURN min(i.atMs) AS firstInteractionMs, count(i) AS interactions
}
CALL (c) {
  OPTIONAL MATCH (c)-[direct:REFERRED]->()
  RETURN count(direct) AS companyReferrals
}
CALL (c) {
  OPTIONAL MATCH (c)<-[r:HOLDS_ROLE]-(:Person)-[viaPeople:REFERRED]->()
  WHERE r.endDate IS NULL OR r.endDate >= date()
  RETURN count(DISTINCT viaPeople) AS peopleReferrals
}
RETURN c.id AS companyId, c.lifecycleStage AS stage, c.createdAt AS createdAt,
       ourPeople, theirPeopleKnown, relationships, theirPeople, businessSince,
       firstInteractionMs, interactions, companyReferrals, peopleReferrals
"""
