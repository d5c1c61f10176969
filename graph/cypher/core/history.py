"""The change log and its time index.

Every recorded change is a `(:Change)` node, created once and never updated: what changed,
its state before and after (JSON text), when, who made it, why, and its evidence (the
interaction behind a strength change). `(:Change)-[:CONCERNS]->(:Company)` ties a change to the
customers whose neighbourhood it touches.

`(:History {subjectId, at, state})` is the time index of one subject (a relationship, a role, a
company): `at` holds the change times in epoch milliseconds, ascending, and `state` the JSON
state after each, so the state on a past date is one index look-up and one scan of a short
in-record list, never a replay of the log. Both are appended to in the transaction that changes
the subject.
"""

from typing import Final, LiteralString

# The time of each subject's latest recorded change (epoch ms); subjects never changed are
# left out.
LAST_CHANGE_AT: Final[LiteralString] = """
UNWIND $subjectIds AS subjectId
MATCH (h:History {subjectId: subjectId})
RETURN subjectId, h.at[size(h.at) - 1] AS lastAtMs
"""

# Appends one change per row to the log and to its subject's time index (never out of time
# order, even when two writers raced), and ties it to the companies named and to the
# customers where the people named held a role on the day of the change.
RECORD_CHANGES: Final[LiteralString] = """
UNWIND $changes AS change
CREATE (ch:Change)
SET ch += change.props
WITH ch, change, change.props.subjectId AS subjectId
MERGE (h:History {subjectId: subjectId})
ON CREATE SET h.subjectKind = change.props.subjectKind, h.at = [], h.state = []
SET h.state = h.state + [change.state],
    h.at = h.at + [CASE WHEN size(h.at) > 0 AND h.at[size(h.at) - 1] > change.props.atMs
                        THEN h.at[size(h.at) - 1] ELSE change.props.atMs END]
WITH ch, change
CALL (ch, change) {
  UNWIND change.companyIds AS companyId
  MATCH (named:Company {id: companyId})
  RETURN collect(named) AS named
}
CALL (ch, change) {
  UNWIND change.peopleIds AS personId
  MATCH (:Person {id: personId})-[r:HOLDS_ROLE]->(employer:Company)
  WHERE coalesce(employer.isOurs, false) = false
    AND (r.startDate IS NULL OR r.startDate <= change.props.day)
    AND (r.endDate IS NULL OR r.endDate >= change.props.day)
  RETURN collect(DISTINCT employer) AS employers
}
WITH ch, named + [e IN employers WHERE NOT e IN named] AS concerned
FOREACH (company IN concerned | CREATE (ch)-[:CONCERNS]->(company))
RETURN count(ch) AS recorded
"""

# A subject's changes, oldest first.
CHANGES_FOR_SUBJECT: Final[LiteralString] = """
MATCH (ch:Change {subjectId: $subjectId})
WITH ch ORDER BY ch.atMs, ch.seq
WITH collect(ch {.*}) AS changes
RETURN size(changes) AS total, changes[$skip..$end] AS page
"""

# Changes by id (the API's `node(id:)`), one row per change found.
CHANGES_BY_ID: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (ch:Change {id: id})
RETURN ch {.*} AS change
"""

# The changes of the relationships between two people or two companies, oldest first, and
# the interactions behind those on the page (read in one UNWIND at the end, where the embedded
# engine serves the look-up from the index).
CHANGES_FOR_PAIR: Final[LiteralString] = """
MATCH (ch:Change {pairKey: $pairKey})
WHERE ch.subjectKind IN $subjectKinds
WITH ch ORDER BY ch.atMs, ch.seq
WITH collect(ch {.*}) AS changes
WITH size(changes) AS total, changes[$skip..$end] AS page
WITH total, page, [c IN page WHERE c.evidenceId IS NOT NULL | c.evidenceId] AS evidenceIds
UNWIND CASE WHEN size(evidenceIds) = 0 THEN [null] ELSE evidenceIds END AS evidenceId
OPTIONAL MATCH (i:Interaction {id: evidenceId})
RETURN total, page, collect(i {.*}) AS interactions
"""

# A company's lifecycle-stage changes, oldest first; no row when the company is not found.
STAGE_CHANGES: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
OPTIONAL MATCH (ch:Change {subjectId: $companyId})
WHERE 'lifecycleStage' IN ch.changed
WITH c, ch ORDER BY ch.atMs, ch.seq
RETURN c.id AS companyId, collect(ch {.*}) AS changes
"""

# The changes touching a customer's neighbourhood in [$fromMs, $toMs), summed up per subject
# (its kind, its state before the first and after the last in (atMs, seq) order, when the last
# happened, how many), and its roles whose start or end date falls in [$fromDay, $toDay).
# Only the first and last change of each subject are read beyond their sort keys: the engine
# builds every change's map (`ch {.*}`) in microseconds, but sending and decoding its 17
# values (JSON states, temporals) cost about 0.12 ms a change: for the 680 changes of a busy
# customer's year at 100,000 people, 5 ms to build and 80 ms to receive.
CHANGES_FOR_COMPANY: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
CALL (c) {
  OPTIONAL MATCH (c)<-[:CONCERNS]-(ch:Change)
  WHERE ch.atMs >= $fromMs AND ch.atMs < $toMs
  WITH ch ORDER BY ch.atMs, ch.seq
  WITH ch.subjectId AS subjectId, collect(ch) AS changes
  WHERE subjectId IS NOT NULL
  WITH subjectId, changes[0] AS first, changes[size(changes) - 1] AS last,
       size(changes) AS total
  RETURN collect({subjectId: subjectId, subjectKind: first.subjectKind, before: first.before,
                  after: last.after, atMs: last.atMs, changes: total}) AS subjects
}
CALL (c) {
  OPTIONAL MATCH (c)<-[r:HOLDS_ROLE]-(:Person)
  WHERE (r.startDate >= $fromDay AND r.startDate < $toDay)
     OR (r.endDate >= $fromDay AND r.endDate < $toDay)
  RETURN collect(r {.id, .startDate, .endDate}) AS datedRoles
}
RETURN c.id AS companyId, subjects, datedRoles
"""

# The states of subjects at a time: `seen` is how many of their changes happened by then
# (null when the subject has no time index), `state` the JSON state after the last of them.
STATES_AT: Final[LiteralString] = """
UNWIND $subjectIds AS subjectId
OPTIONAL MATCH (h:History {subjectId: subjectId})
WITH subjectId, h, size([t IN coalesce(h.at, []) WHERE t <= $atMs]) AS seen
RETURN subjectId, CASE WHEN h IS NULL THEN null ELSE seen END AS seen,
       CASE WHEN seen > 0 THEN h.state[seen - 1] END AS state
"""

# Relationships between our people (current role at one of our companies) and people with a
# current role at a customer, with the strength then ($sinceMs) from the time index and when
# that state took effect (for its decay), how many changes it has, when it was first recorded,
# and the customer's value class and deal revenue (for ordering).
OUR_TIES_SINCE: Final[LiteralString] = """
MATCH (:Company {isOurs: true})<-[ours:HOLDS_ROLE]-(o:Person)-[k:KNOWS]-(p:Person)
      -[theirs:HOLDS_ROLE]->(c:Company)
WHERE (ours.endDate IS NULL OR ours.endDate >= date())
  AND (theirs.endDate IS NULL OR theirs.endDate >= date())
  AND coalesce(c.isOurs, false) = false
  AND ($companyId IS NULL OR c.id = $companyId)
WITH DISTINCT k, o, p, c
WITH c, collect([k, o, p]) AS ties
CALL (c) {
  OPTIONAL MATCH (d:Deal)-[:FOR]->(c)
  RETURN coalesce(sum(d.amount), 0.0) AS revenue
}
UNWIND ties AS tie
WITH c, revenue, tie[0] AS k, tie[1] AS o, tie[2] AS p, tie[0].id AS tieId
OPTIONAL MATCH (h:History {subjectId: tieId})
WITH k, o, p, c, revenue, h, size([t IN coalesce(h.at, []) WHERE t <= $sinceMs]) AS seen
RETURN k {.*, fromId: startNode(k).id, toId: endNode(k).id} AS relationship,
       o.id AS ourPersonId, p.id AS theirPersonId, c.id AS companyId,
       c.valueClass AS valueClass, revenue,
       CASE WHEN h IS NULL THEN null ELSE h.at[0] END AS firstAtMs,
       CASE WHEN h IS NULL THEN null ELSE h.state[0] END AS firstState,
       CASE WHEN h IS NULL THEN null ELSE seen END AS seen,
       CASE WHEN h IS NULL THEN null ELSE size(h.at) END AS changes,
       CASE WHEN seen > 0 THEN h.at[seen - 1] END AS stateAtMs,
       CASE WHEN seen > 0 THEN h.state[seen - 1] END AS state
"""
