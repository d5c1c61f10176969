"""Stored figures: what the company and people pages sort and filter by, kept on the items.

A company stores `peopleCount` (people with a current role there), `ourRelationshipCount`
(distinct KNOWS ties between its current people and current people of our companies) and
`figuresDue` (the earliest end date, today or later, among the current roles those counts
read: after that day a role stops being current and the counts change without a write; null
when none ends). A person stores `strongestTie` (the strongest KNOWS strength; absent when
they have no tie) and `relationshipCount` (their KNOWS ties). A role is current while its
`endDate` is null or not before `date()`.

graph/core/figures.py says which items a write affects; the statements here recount those
(`*_REFRESH`), find them, or recount without storing (`*_RECOUNT`: the reads of figures gone
stale, the start-up backfill and the tests' oracle).

Engine quirk: the embedded engine scans when a look-up names another variable's property or a
list a row holds (`{id: row.id}`, `IN row.ids`); every look-up here goes by a value named with
UNWIND or WITH first (`UNWIND $ids AS id MATCH (c:Company {id: id})`).
"""

from typing import Final, LiteralString

# After `c` is bound: its figures counted now, and when they next change by themselves.
# `oursDue`/`peopleDue`: the earliest end date among the current roles counted (the theirs
# side of a tie is one of the company's current roles, so `peopleDue` covers it).
_COMPANY_COUNT: Final[LiteralString] = """
CALL (c) {
  OPTIONAL MATCH (c)<-[theirs:HOLDS_ROLE]-(:Person)-[k:KNOWS]-(:Person)
        -[ours:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE (theirs.endDate IS NULL OR theirs.endDate >= date())
    AND (ours.endDate IS NULL OR ours.endDate >= date())
  RETURN count(DISTINCT k) AS ourRelationshipCount, min(ours.endDate) AS oursDue
}
CALL (c) {
  OPTIONAL MATCH (c)<-[current:HOLDS_ROLE]-(person:Person)
  WHERE current.endDate IS NULL OR current.endDate >= date()
  RETURN count(DISTINCT person) AS peopleCount, min(current.endDate) AS peopleDue
}
WITH c, ourRelationshipCount, peopleCount,
     CASE WHEN oursDue IS NOT NULL AND (peopleDue IS NULL OR oursDue < peopleDue)
          THEN oursDue ELSE peopleDue END AS due
"""

# After `p` is bound: its figures counted now.
_PERSON_COUNT: Final[LiteralString] = """
CALL (p) {
  OPTIONAL MATCH (p)-[k:KNOWS]-(:Person)
  RETURN max(k.strength) AS strongestTie, count(k) AS relationshipCount
}
"""

# Recount and store the figures of the companies $ids (ids not found are skipped); an item
# whose figures are already right is not written (a refresh then adds nothing to the write
# set, so it clashes with no concurrent writer of that company). `changed`: those written.
COMPANY_FIGURES_REFRESH: Final[LiteralString] = (
    """
UNWIND $ids AS id
MATCH (c:Company {id: id})
"""
    + _COMPANY_COUNT
    + """
WHERE NOT (coalesce(c.peopleCount = peopleCount, false)
           AND coalesce(c.ourRelationshipCount = ourRelationshipCount, false)
           AND coalesce(c.figuresDue = due, c.figuresDue IS NULL AND due IS NULL))
SET c.peopleCount = peopleCount, c.ourRelationshipCount = ourRelationshipCount,
    c.figuresDue = due
RETURN count(c) AS changed
"""
)

# The same for people $ids.
PEOPLE_FIGURES_REFRESH: Final[LiteralString] = (
    """
UNWIND $ids AS id
MATCH (p:Person {id: id})
"""
    + _PERSON_COUNT
    + """
WITH p, strongestTie, relationshipCount
WHERE NOT (coalesce(p.relationshipCount = relationshipCount, false)
           AND coalesce(p.strongestTie = strongestTie,
                        p.strongestTie IS NULL AND strongestTie IS NULL))
SET p.strongestTie = strongestTie, p.relationshipCount = relationshipCount
RETURN count(p) AS changed
"""
)

# The figures of companies $ids counted now, stored nowhere: what a read answers for a
# company whose stored figures are missing or stale, and what the tests compare with.
COMPANY_FIGURES_RECOUNT: Final[LiteralString] = (
    """
UNWIND $ids AS id
MATCH (c:Company {id: id})
"""
    + _COMPANY_COUNT
    + """
RETURN c.id AS id, ourRelationshipCount, peopleCount, due AS figuresDue
"""
)

# The same for people $ids.
PEOPLE_FIGURES_RECOUNT: Final[LiteralString] = (
    """
UNWIND $ids AS id
MATCH (p:Person {id: id})
"""
    + _PERSON_COUNT
    + """
RETURN p.id AS id, strongestTie, relationshipCount
"""
)

# Which companies a change of ties affects, $rows {personId, otherId} (each tie both ways):
# the person's current companies, where the other end holds a current role at one of ours
# (only such a tie counts in `ourRelationshipCount`). Read after the change of the ties, which
# changes neither roles nor which companies are ours.
COMPANIES_BY_TIES: Final[LiteralString] = """
UNWIND $rows AS row
WITH row.personId AS personId, row.otherId AS otherId
MATCH (other:Person {id: otherId})
WHERE EXISTS {
  (other)-[ours:HOLDS_ROLE]->(:Company {isOurs: true})
  WHERE ours.endDate IS NULL OR ours.endDate >= date()
}
MATCH (:Person {id: personId})-[r:HOLDS_ROLE]->(c:Company)
WHERE r.endDate IS NULL OR r.endDate >= date()
RETURN collect(DISTINCT c.id) AS ids
"""

# Which further companies a change of roles affects, $rows {personId, companyId}: where the
# company is ours, the current companies of the person's contacts (their ties with the person
# count there, or no longer). The role's own company is affected too (the caller adds it).
COMPANIES_BY_ROLES: Final[LiteralString] = """
UNWIND $rows AS row
WITH row.personId AS personId, row.companyId AS companyId
MATCH (:Company {id: companyId, isOurs: true})
MATCH (:Person {id: personId})-[:KNOWS]-(:Person)-[r:HOLDS_ROLE]->(c:Company)
WHERE r.endDate IS NULL OR r.endDate >= date()
RETURN collect(DISTINCT c.id) AS ids
"""

# Which companies a change of whether companies $ids are ours affects: the current companies
# of the contacts of their current people (it may be many: such changes are rare).
COMPANIES_BY_OURS: Final[LiteralString] = """
UNWIND $ids AS id
MATCH (:Company {id: id})<-[r:HOLDS_ROLE]-(:Person)-[:KNOWS]-(:Person)-[s:HOLDS_ROLE]->(c:Company)
WHERE (r.endDate IS NULL OR r.endDate >= date())
  AND (s.endDate IS NULL OR s.endDate >= date())
RETURN collect(DISTINCT c.id) AS ids
"""

# The companies whose figures changed by themselves since they were stored: a role they
# counted has ended; and the date that says so. On Neo4j an index range seek on
# `figuresDue`; the embedded engine serves ranges by a scan of the companies (18 ms at 1,982),
# so graph/core/figures.py runs it once a day.
COMPANIES_DUE: Final[LiteralString] = """
MATCH (c:Company)
WHERE c.figuresDue < date()
WITH collect(c.id) AS ids
RETURN ids, date() AS today
"""

# The database's date (whether a day has passed since the last check).
TODAY: Final[LiteralString] = "RETURN date() AS today"

# The companies, and people, whose figures were never stored (an existing database, a
# synthetic load): what the start-up backfill counts, batch by batch (one scan each).
COMPANIES_WITHOUT_FIGURES: Final[LiteralString] = """
MATCH (c:Company)
WHERE c.peopleCount IS NULL
RETURN collect(c.id) AS ids
"""

PEOPLE_WITHOUT_FIGURES: Final[LiteralString] = """
MATCH (p:Person)
WHERE p.relationshipCount IS NULL
RETURN collect(p.id) AS ids
"""
