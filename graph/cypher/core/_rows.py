"""Fragments, not statements (the registry skips this module): each kind of edge as the API
reads it, after `a`, `r`, `b` are bound; how a search ranks what it found."""

from typing import Final, LiteralString

_PARTY_KIND: Final[LiteralString] = """
   fromKind: CASE WHEN a:Person THEN 'PERSON' ELSE 'COMPANY' END,
   toKind: CASE WHEN b:Person THEN 'PERSON' ELSE 'COMPANY' END"""

ROLE_ROW: Final[LiteralString] = "r {.*, personId: a.id, companyId: b.id}"
RELATIONSHIP_ROW: Final[LiteralString] = "r {.*, fromId: a.id, toId: b.id}"
REFERRAL_ROW: Final[LiteralString] = "r {.*, fromId: a.id, toId: b.id," + _PARTY_KIND + "}"

# After `$item` (replaced by the variable's name) is bound to an item whose searchText
# contains $search: `rank` 0 when a whole line is the term, 1 when a line starts with it, 2
# when it lies inside a line.
SEARCH_RANK: Final[LiteralString] = """WITH $item,
     CASE WHEN $search IN split($item.searchText, '\\n') THEN 0
          WHEN any(line IN split($item.searchText, '\\n') WHERE line STARTS WITH $search) THEN 1
          ELSE 2
     END AS rank
"""
