"""Erasure of a person (graph/core/erasure.py): the statements that find everything stored
about them and remove it, and the redaction of their identifying values in other items' free
text. Labels, types and property names below are fixed text, never input.

Most of these scan every item of a label (the change log, interactions, free text): an erasure
is a rare administrative write, and a scan is the only way to find a value inside text.
"""

from typing import Final, LiteralString

# The person as stored, under the write lock: live (`live` true), or soft-deleted (their
# archive, graph/cypher/core/deleted.py). No row: no such person.
ERASURE_LIVE: Final[LiteralString] = """
MATCH (p:Person {id: $id})
SET p.id = p.id
RETURN properties(p) AS props
"""

ERASURE_ARCHIVED: Final[LiteralString] = """
MATCH (d:DeletedItem {itemId: $id})
WHERE d.kind = 'person'
SET d.itemId = d.itemId
RETURN properties(d) AS props
"""

# The ids of every edge of the person, live or archived (with either end), and of the
# interactions they took part in (`ourPersonIds`/`theirPersonIds` hold them whether the
# person is live or archived).
ERASURE_ITEM_IDS: Final[LiteralString] = """
OPTIONAL MATCH (:Person {id: $id})-[r]-()
WITH collect(r.id) AS live
OPTIONAL MATCH (:DeletedItem {itemId: $id})-[a:ARCHIVED]-()
WITH live, collect(a.id) AS archived
OPTIONAL MATCH (i:Interaction)
WHERE $id IN i.ourPersonIds OR $id IN i.theirPersonIds
RETURN live + archived AS edgeIds, collect(i.id) AS interactionIds
"""

# The recorded subjects that are the person's: their edges, their own reporting line
# (from them), any change with them at an end (edges deleted before), except the reporting
# lines of others that name them as manager (those stay: a dangling id, docs/PRIVACY.md).
ERASURE_SUBJECTS: Final[LiteralString] = """
MATCH (ch:Change)
WHERE ch.subjectId IN $edgeIds OR ch.fromId = $id
   OR (ch.toId = $id AND ch.subjectKind <> 'REPORTING_LINE')
RETURN collect(DISTINCT ch.subjectId) AS subjectIds
"""

# Every recorded change of those subjects, with its ties to customers, and their time indexes.
ERASURE_CHANGES_REMOVE: Final[LiteralString] = """
UNWIND $subjectIds AS subjectId
MATCH (ch:Change {subjectId: subjectId})
DETACH DELETE ch
RETURN count(*) AS removed
"""

ERASURE_HISTORY_REMOVE: Final[LiteralString] = """
UNWIND $subjectIds AS subjectId
MATCH (h:History {subjectId: subjectId})
DELETE h
RETURN count(*) AS removed
"""

# The interactions they took part in stay (a dated meeting of the others, the chain, the
# evidence of other ties' strengths) without them: their id, their ties and the free text,
# which recorded what was said with them.
ERASURE_INTERACTIONS: Final[LiteralString] = """
UNWIND $interactionIds AS interactionId
MATCH (i:Interaction {id: interactionId})
SET i.ourPersonIds = [x IN coalesce(i.ourPersonIds, []) WHERE x <> $id],
    i.theirPersonIds = [x IN coalesce(i.theirPersonIds, []) WHERE x <> $id],
    i.relationshipIds = [x IN coalesce(i.relationshipIds, []) WHERE NOT x IN $edgeIds]
REMOVE i.summary, i.followUp
RETURN count(*) AS updated
"""

# Idempotency records of what the person was, or of their edges and interactions (the key and
# the request's fingerprint are made from the request, which named them).
ERASURE_IDEMPOTENCY: Final[LiteralString] = """
MATCH (k:IdempotencyKey)
WHERE k.resultId IN $ids
DELETE k
RETURN count(*) AS removed
"""

# The node with every edge (roles, relationships, referrals, reporting lines, interactions'
# links, search keys' links, archived edges from other archives), or their archive with its
# archived edges.
ERASURE_PERSON_REMOVE: Final[LiteralString] = """
MATCH (p:Person {id: $id})
DETACH DELETE p
"""

ERASURE_ARCHIVE_REMOVE: Final[LiteralString] = """
MATCH (d:DeletedItem {itemId: $id})
WHERE d.kind = 'person'
DETACH DELETE d
"""


def _redacted(variable: LiteralString, name: LiteralString) -> LiteralString:
    return (
        variable
        + "."
        + name
        + " = reduce(t = "
        + variable
        + "."
        + name
        + ", v IN $values | replace(t, v, $marker))"
    )


def _redaction(
    pattern: LiteralString, variable: LiteralString, names: tuple[LiteralString, ...]
) -> LiteralString:
    """Replace every one of $values in these text properties by $marker, where one holds one."""
    found: LiteralString = " OR ".join([variable + "." + name + " CONTAINS v" for name in names])
    sets: LiteralString = ",\n    ".join([_redacted(variable, name) for name in names])
    return (
        "MATCH "
        + pattern
        + "\nWHERE any(v IN $values WHERE "
        + found
        + ")\nSET "
        + sets
        + "\nRETURN count(*) AS redacted\n"
    )


# Other items' free text that names the person: every text property a user writes freely
# (and the change log's states, JSON text: $values holds the JSON-escaped forms too).
ERASURE_REDACTIONS: Final[tuple[LiteralString, ...]] = (
    _redaction("(n:Person)", "n", ("notes",)),
    _redaction("(n:Interaction)", "n", ("summary", "followUp", "by")),
    _redaction("(n:Deal)", "n", ("note",)),
    _redaction("(n:Change)", "n", ("by", "reason", "before", "after")),
    _redaction("(n:DeletedItem)", "n", ("notes", "deletedBy")),
    _redaction("(n:Import)", "n", ("by",)),
    _redaction("()-[n:KNOWS]->()", "n", ("notes",)),
    _redaction("()-[n:DOES_BUSINESS_WITH]->()", "n", ("notes",)),
    _redaction("()-[n:REFERRED]->()", "n", ("note",)),
    _redaction("()-[n:ARCHIVED]->()", "n", ("notes", "note")),
)

# The time indexes' states (a list of JSON texts per subject).
ERASURE_HISTORY_REDACTION: Final[LiteralString] = """
MATCH (h:History)
WHERE any(s IN h.state WHERE any(v IN $values WHERE s CONTAINS v))
SET h.state = [s IN h.state | reduce(t = s, v IN $values | replace(t, v, $marker))]
RETURN count(*) AS redacted
"""

# Every property of every node and every edge, for checking that no value is left anywhere
# (tests, and an operator after an erasure: graph/core/erasure.py `places_holding`). Reads the
# whole graph: not for a request path.
EVERY_NODE: Final[LiteralString] = """
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
"""

EVERY_EDGE: Final[LiteralString] = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, properties(r) AS props, labels(a) AS fromLabels, labels(b) AS toLabels
"""
