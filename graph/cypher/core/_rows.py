"""Fragments, not statements (the registry skips this module): each kind of edge as the API
reads it, after `a`, `r`, `b` are bound."""

from typing import Final, LiteralString

_PARTY_KIND: Final[LiteralString] = """
   fromKind: CASE WHEN a:Person THEN 'PERSON' ELSE 'COMPANY' END,
   toKind: CASE WHEN b:Person THEN 'PERSON' ELSE 'COMPANY' END"""

ROLE_ROW: Final[LiteralString] = "r {.*, personId: a.id, companyId: b.id}"
RELATIONSHIP_ROW: Final[LiteralString] = "r {.*, fromId: a.id, toId: b.id}"
REFERRAL_ROW: Final[LiteralString] = "r {.*, fromId: a.id, toId: b.id," + _PARTY_KIND + "}"
