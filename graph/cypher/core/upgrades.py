"""Data upgrades: a marker node per upgrade applied to this database."""

from typing import Final, LiteralString

UPGRADE_DONE: Final[LiteralString] = """
OPTIONAL MATCH (u:Upgrade {name: $name})
RETURN u IS NOT NULL AS done
"""

UPGRADE_MARK: Final[LiteralString] = """
MERGE (u:Upgrade {name: $name})
SET u.appliedAt = datetime()
"""

# Forget that an upgrade ran (so the next start applies it again; tests).
UPGRADE_FORGET: Final[LiteralString] = """
MATCH (u:Upgrade {name: $name})
DELETE u
"""
