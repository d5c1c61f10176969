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
    inside a line. The rank compares the text with line breaks around it, not its split lines
    (a term holds no line break): every stage of a statement costs each of thousands of
    matches a few microseconds on the embedded engine, and a list of lines costs two."""
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
        + """,
     CASE WHEN '\\n' + """
        + item
        + """.searchText + '\\n' CONTAINS '\\n' + $search + '\\n' THEN 0
          WHEN '\\n' + """
        + item
        + """.searchText CONTAINS '\\n' + $search THEN 1
          ELSE 2
     END AS rank
"""
    )
