"""API tokens: `(:ApiToken)` nodes holding a token's name, role, account teams (a list of names;
absent: every customer), times and the SHA-256 of its secret (never the secret). They are not
part of the business graph: whole-graph counts leave them out."""

from typing import Final, LiteralString

_FIELDS: Final[LiteralString] = """
RETURN t.id AS id, t.name AS name, t.role AS role, t.createdAt AS createdAt,
       t.revokedAt AS revokedAt, t.teams AS teams
"""

# The live token with this name, if any (names are unique among live tokens).
LIVE_TOKEN_NAMED: Final[LiteralString] = (
    "MATCH (t:ApiToken {name: $name}) WHERE t.revokedAt IS NULL" + _FIELDS
)

CREATE_TOKEN: Final[LiteralString] = "CREATE (t:ApiToken) SET t = $props" + _FIELDS

# The live token whose secret hashes to $hash.
LIVE_TOKEN_BY_HASH: Final[LiteralString] = (
    "MATCH (t:ApiToken {hash: $hash}) WHERE t.revokedAt IS NULL" + _FIELDS
)

LIST_TOKENS: Final[LiteralString] = "MATCH (t:ApiToken)" + _FIELDS + "ORDER BY createdAt, id"

# Revoke one live token: the one with this id, else the one with this name (a key that is one
# token's id and another's name revokes the first only).
REVOKE_TOKEN: Final[LiteralString] = (
    """
OPTIONAL MATCH (byId:ApiToken {id: $key}) WHERE byId.revokedAt IS NULL
OPTIONAL MATCH (byName:ApiToken {name: $key}) WHERE byName.revokedAt IS NULL
WITH coalesce(byId, byName) AS t
WHERE t IS NOT NULL
SET t.revokedAt = $now
"""
    + _FIELDS
)
