"""Timelines: what changed at a customer, read as of past dates."""

from typing import Final, LiteralString

# Every role ever held at the company with its state at $atMs, for `people(asOf:)`.
ROLES_OF_COMPANY_AS_OF: Final[LiteralString] = """
UNWIND $ids AS key
MATCH (c:Company {id: key})<-[r:HOLDS_ROLE]-(p:Person)
WITH key, c, r, p, r.id AS roleId
OPTIONAL MATCH (h:History {subjectId: roleId})
WITH key, c, r, p, h, size([t IN coalesce(h.at, []) WHERE t <= $atMs]) AS seen
RETURN key, r {.*, personId: p.id, companyId: c.id} AS role, p.name AS name,
       CASE WHEN h IS NULL THEN null ELSE seen END AS seen,
       CASE WHEN seen > 0 THEN h.state[seen - 1] END AS state
"""
