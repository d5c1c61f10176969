"""Key-person maps, org charts and job moves."""

from typing import Final, LiteralString

# In one row: the tiers of the customer's relationships with our companies, one entry per
# current role there (a single [null, null, []] when it has none): [role, its person's
# properties, the ties our current people hold with that person], and the properties of
# those people of ours, each once. The people's properties let the map name them without
# another round trip. (Lists rather than nested maps: ArcadeDB drops the other keys of a map
# literal that holds a map projection.) Timestamps come as strings, as in KEY_PERSON_MAP_AS_OF
# below, which says why.
KEY_PERSON_MAP: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
CALL (c) {
  OPTIONAL MATCH (c)-[b:DOES_BUSINESS_WITH]-(:Company {isOurs: true})
  RETURN collect(b.tier) AS tiersWithUs
}
OPTIONAL MATCH (c)<-[role:HOLDS_ROLE]-(p:Person)
WHERE role.endDate IS NULL OR role.endDate >= date()
CALL (p) {
  OPTIONAL MATCH (p)-[k:KNOWS]-(o:Person)-[ours:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE ours.endDate IS NULL OR ours.endDate >= date()
  RETURN collect(DISTINCT k {.*, fromId: startNode(k).id, toId: endNode(k).id,
                             ourPersonId: o.id, createdAt: toString(k.createdAt),
                             updatedAt: toString(k.updatedAt)}) AS ties,
         collect(DISTINCT o) AS ours
}
WITH c, tiersWithUs,
     collect([role {.*, personId: p.id, companyId: c.id, createdAt: toString(role.createdAt),
                    updatedAt: toString(role.updatedAt)},
              p {.*, createdAt: toString(p.createdAt), updatedAt: toString(p.updatedAt)},
              ties]) AS rows,
     collect(ours) AS ourLists
CALL (ourLists) {
  UNWIND ourLists AS ours
  UNWIND ours AS o
  WITH DISTINCT o
  RETURN collect(o {.*, createdAt: toString(o.createdAt), updatedAt: toString(o.updatedAt)})
         AS ourPeople
}
RETURN c.id AS companyId, tiersWithUs, rows, ourPeople
"""

# Current people at the company and the reporting lines among them.
ORG_CHART: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
OPTIONAL MATCH (c)<-[role:HOLDS_ROLE]-(p:Person)
WHERE role.endDate IS NULL OR role.endDate >= date()
WITH c, collect(role {.*, personId: p.id, companyId: c.id}) AS roles, collect(DISTINCT p) AS people
CALL (people) {
  UNWIND people AS report
  MATCH (report)-[:REPORTS_TO]->(manager:Person)
  WHERE manager IN people
  RETURN collect({personId: report.id, managerId: manager.id}) AS lines
}
RETURN c.id AS companyId, roles, lines
"""

# The org chart as it was at $atMs, in one row: every role ever held at the company, the
# current reporting line of each of their people as [personId, managerId, since] (nulls: no
# line), and the time-index entries ([subjectId, seen, state], as in
# KEY_PERSON_MAP_AS_OF) of the roles changed after $atMs and of each person's reporting line
# (subject $linePrefix + the person's id; graph/keypersons/maps.py `reporting_line_subject`).
# The lines are read from their history, not from the edges: a line removed since then has no
# edge. The indexes are read in one UNWIND at the end: the embedded engine serves a look-up
# there from the index, not one inside a subquery; the lists are carried by head(collect(…))
# (see KEY_PERSON_MAP_AS_OF).
ORG_CHART_AS_OF: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
OPTIONAL MATCH (c)<-[role:HOLDS_ROLE]-(p:Person)
WITH c,
     collect(role {.*, personId: p.id, companyId: c.id, createdAt: toString(role.createdAt),
                   updatedAt: toString(role.updatedAt)}) AS roles,
     collect(CASE WHEN role.changedAtMs <= $atMs THEN null ELSE role.id END) AS roleIds,
     collect(DISTINCT p) AS people
CALL (people) {
  UNWIND people AS report
  OPTIONAL MATCH (report)-[line:REPORTS_TO]->(manager:Person)
  RETURN collect([report.id, manager.id, line.since]) AS lines
}
WITH c, roles, lines, roleIds + [line IN lines | $linePrefix + line[0]] AS ids
UNWIND CASE WHEN size(ids) = 0 THEN [null] ELSE ids END AS subjectId
OPTIONAL MATCH (h:History {subjectId: subjectId})
WITH c, roles, lines, subjectId, h, size([t IN coalesce(h.at, []) WHERE t <= $atMs]) AS seen
WITH c, head(collect(roles)) AS roles, head(collect(lines)) AS lines,
     collect([subjectId, CASE WHEN h IS NULL THEN null ELSE seen END,
              CASE WHEN seen > 0 THEN h.state[seen - 1] END]) AS states
RETURN c.id AS companyId, roles, lines, states
"""

MANAGER_CHAIN_REACHES: Final[LiteralString] = """
MATCH (manager:Person {id: $managerId})
MATCH (person:Person {id: $personId})
RETURN EXISTS { (manager)-[:REPORTS_TO*0..]->(person) } AS cycle
"""

# A person's reporting line as it stands, read under the write lock (the person written to
# itself first: on the embedded engine a read locks nothing, so two writers of one person's line
# clash at commit and the later runs again on the new state). No row: no such person; a row
# with a null managerId: no line.
REPORTING_LINE_LOCKED: Final[LiteralString] = """
MATCH (person:Person {id: $personId})
SET person.id = person.id
WITH person
OPTIONAL MATCH (person)-[line:REPORTS_TO]->(manager:Person)
RETURN person.id AS personId, manager.id AS managerId, line.since AS since
"""

REPORTING_LINE_SET: Final[LiteralString] = """
MATCH (person:Person {id: $personId})
MATCH (manager:Person {id: $managerId})
OPTIONAL MATCH (person)-[old:REPORTS_TO]->(:Person)
DELETE old
WITH DISTINCT person, manager
CREATE (person)-[:REPORTS_TO {since: $since}]->(manager)
"""

REPORTING_LINE_REMOVE: Final[LiteralString] = """
MATCH (:Person {id: $personId})-[line:REPORTS_TO]->(:Person)
DELETE line
RETURN count(line) AS removed
"""

# People who started a role since $since after ending one at another company, and whom one
# of our current people knows at one of $tiers.
RECENT_MOVES: Final[LiteralString] = """
MATCH (p:Person)-[new:HOLDS_ROLE]->(newCompany:Company)
WHERE new.startDate >= $since AND (new.endDate IS NULL OR new.endDate >= date())
MATCH (p)-[old:HOLDS_ROLE]->(oldCompany:Company)
WHERE oldCompany <> newCompany AND old.endDate IS NOT NULL AND old.endDate <= new.startDate
CALL (p) {
  MATCH (p)-[k:KNOWS]-(o:Person)-[ours:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE (ours.endDate IS NULL OR ours.endDate >= date()) AND k.tier IN $tiers
  RETURN max(k.strength) AS strongest,
         collect(DISTINCT k {.*, fromId: startNode(k).id, toId: endNode(k).id}) AS ties
}
WITH p, new, newCompany, old, oldCompany, strongest, ties
WHERE strongest IS NOT NULL
ORDER BY old.endDate DESC
WITH p, new, newCompany, strongest, ties, collect(old {.*, personId: p.id,
     companyId: oldCompany.id})[0] AS previous
RETURN new {.*, personId: p.id, companyId: newCompany.id} AS role, previous, strongest, ties
ORDER BY new.startDate DESC, strongest DESC, p.id
"""

# The key-person map as it was at $atMs, in one row: the company's properties; every company
# relationship with our companies; every role ever held at the customer as [role, the ties its
# person has with anyone who ever worked for us as [tie, that person's role with us], its
# person's properties]; the properties of those people of ours, each once; and the time-index
# entries of those that changed after $atMs, the company among them: [subjectId, seen (changes
# by then; null: no index), state (JSON
# after the last of them)]. An item whose latest change (`changedAtMs`) took effect by then is
# as it is now, and its index is not read (its id is collected as null, which collect() skips;
# an id may come more than once). The indexes are read in one UNWIND at the end: the
# embedded engine serves a look-up there from the index, but not one inside a subquery.
# Engine quirk: the embedded engine hashes an aggregation's grouping keys on every row; grouped
# by the map's lists (`WITH c, business, rows, ourLists, collect(…)`), the ~110 look-up rows
# cost it about 10 ms of CPU at 100,000 people, so the lists are carried by
# head(collect(…)) instead (one row before the UNWIND). (A WITH DISTINCT over them, to drop the
# repeated ids, costs more than the repeated look-ups.)
# Timestamps (`createdAt`, `updatedAt`) come as strings (toString; an explicit entry replaces
# the one of `.*`): the driver turns each DateTime into an object at 16 µs (51 with an offset),
# 5.5 of the map's 17 ms of Python at 100,000 people; graph/core/models.py `to_datetime`
# parses the strings back to the same instants.
KEY_PERSON_MAP_AS_OF: Final[LiteralString] = """
MATCH (c:Company {id: $companyId})
CALL (c) {
  OPTIONAL MATCH (c)-[b:DOES_BUSINESS_WITH]-(:Company {isOurs: true})
  RETURN collect(b {.*, createdAt: toString(b.createdAt), updatedAt: toString(b.updatedAt)})
         AS business,
         collect(CASE WHEN b.changedAtMs <= $atMs THEN null ELSE b.id END)
         + CASE WHEN c.changedAtMs <= $atMs THEN [] ELSE [c.id] END AS businessIds
}
OPTIONAL MATCH (c)<-[role:HOLDS_ROLE]-(p:Person)
CALL (p) {
  OPTIONAL MATCH (p)-[k:KNOWS]-(o:Person)-[ours:HOLDS_ROLE]->(:Company {isOurs: true})
  RETURN collect([k {.*, fromId: startNode(k).id, toId: endNode(k).id, ourPersonId: o.id,
                     createdAt: toString(k.createdAt), updatedAt: toString(k.updatedAt)},
                  ours {.*, createdAt: toString(ours.createdAt),
                        updatedAt: toString(ours.updatedAt)}]) AS ties,
         collect(DISTINCT o) AS ours,
         collect(DISTINCT CASE WHEN k.changedAtMs <= $atMs THEN null ELSE k.id END)
         + collect(DISTINCT CASE WHEN ours.changedAtMs <= $atMs THEN null ELSE ours.id END)
         AS tieIds
}
WITH c, business, businessIds,
     collect([role {.*, personId: p.id, companyId: c.id, createdAt: toString(role.createdAt),
                    updatedAt: toString(role.updatedAt)},
              ties,
              p {.*, createdAt: toString(p.createdAt), updatedAt: toString(p.updatedAt)}]) AS rows,
     collect(ours) AS ourLists,
     collect(CASE WHEN role.changedAtMs <= $atMs THEN null ELSE role.id END) AS roleIds,
     collect(tieIds) AS tieIdLists
WITH c, business, rows, ourLists,
     reduce(found = businessIds + roleIds, ids IN tieIdLists | found + ids) AS ids
UNWIND CASE WHEN size(ids) = 0 THEN [null] ELSE ids END AS subjectId
OPTIONAL MATCH (h:History {subjectId: subjectId})
WITH c, business, rows, ourLists, subjectId, h,
     size([t IN coalesce(h.at, []) WHERE t <= $atMs]) AS seen
WITH c, head(collect(business)) AS business, head(collect(rows)) AS rows,
     head(collect(ourLists)) AS ourLists,
     collect([subjectId, CASE WHEN h IS NULL THEN null ELSE seen END,
              CASE WHEN seen > 0 THEN h.state[seen - 1] END]) AS states
CALL (ourLists) {
  UNWIND ourLists AS ours
  UNWIND ours AS o
  WITH DISTINCT o
  RETURN collect(o {.*, createdAt: toString(o.createdAt), updatedAt: toString(o.updatedAt)})
         AS ourPeople
}
RETURN c.id AS companyId, c {.*, createdAt: toString(c.createdAt),
                             updatedAt: toString(c.updatedAt)} AS company,
       business, rows, ourPeople, states
"""
