"""Referrals (REFERRED): a person or company referred another person or company; lists.

By id and writes: graph/cypher/core/kinds.py."""

from typing import Final, LiteralString

from graph.cypher.core._rows import REFERRAL_ROW as _ROW

# Both directions for each party; the caller splits them by which end the party is.
REFERRALS_FOR_PARTIES: Final[LiteralString] = (
    """
UNWIND $ids AS key
OPTIONAL MATCH (person:Person {id: key})
OPTIONAL MATCH (company:Company {id: key})
WITH key, coalesce(person, company) AS party
MATCH (party)-[r:REFERRED]-()
WITH key, r, startNode(r) AS a, endNode(r) AS b
RETURN key, """
    + _ROW
    + """ AS referral
ORDER BY key, r.date DESC, r.id
"""
)

REFERRAL_PAGE: Final[LiteralString] = (
    """
MATCH (a)-[r:REFERRED]->(b)
WHERE ($since IS NULL OR r.date >= $since)
WITH a, r, b ORDER BY r.date DESC, r.id
WITH collect("""
    + _ROW
    + """) AS referrals
RETURN size(referrals) AS total, referrals[$skip..$end] AS page
"""
)
