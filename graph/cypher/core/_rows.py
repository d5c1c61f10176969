"""Fragments, not statements (the registry skips this module): each kind of edge as the API
reads it, after `a`, `r`, `b` are bound; what a search finds, ranked."""

from typing import Final, LiteralString

_PARTY_KIND: Final[LiteralString] = """
   fromKind: CASE WHEN a:Person THEN 'PERSON' ELSE 'COMPANY' END,
   toKind: CASE WHEN b:Person THEN 'PERSON' ELSE 'COMPANY' END"""

ROLE_ROW: Final[LiteralString] = "r {.*, personId: a.id, companyId: b.id}"
RELATIONSHIP_ROW: Final[LiteralString] = "r {.*, fromId: a.id, toId: b.id}"
REFERRAL_ROW: Final[LiteralString] = "r {.*, fromId: a.id, toId: b.id," + _PARTY_KIND + "}"


def found(label: LiteralString, item: LiteralString, where: LiteralString) -> LiteralString:
    """The items labelled `label` whose searchText contains $search, found through their search
    keys ($key, the term's key: graph/core/search.py) and kept by `where`, as `item` with
    `rank`: 0 when a whole line is the term, 1 when a line starts with it, 2 when it lies
    inside a line."""
    return (
        """
MATCH (key:SearchKey) WHERE key.text STARTS WITH $key
MATCH (key)-[:KEY_OF]->("""
        + item
        + ":"
        + label
        + ")\nWITH DISTINCT "
        + item
        + "\nWHERE "
        + item
        + ".searchText CONTAINS $search AND "
        + where
        + "WITH "
        + item
        + ", split("
        + item
        + """.searchText, '\\n') AS lines
WITH """
        + item
        + """,
     CASE WHEN $search IN lines THEN 0
          WHEN any(line IN lines WHERE line STARTS WITH $search) THEN 1
          ELSE 2
     END AS rank
"""
    )
