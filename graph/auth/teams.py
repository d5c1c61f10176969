"""Account teams on credentials: the names a credential carries, checked in one place.

A credential carries a set of team names (it reads and writes the customers of those teams) or
"every customer" (None; written `*`). API tokens keep theirs on the token node, JWTs carry them
in a claim (GUANXI_JWT_TEAMS_CLAIM). Names are compared exactly (case matters), after
surrounding spaces are trimmed.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.db.errors import InvalidInput

EVERY_CUSTOMER = "*"
MAX_TEAM_NAME = 64  # characters in a team's name
MAX_TEAMS = 100  # teams one credential may carry


def parse_teams(names: Iterable[str], *, field: str = "teams") -> frozenset[str] | None:
    """The teams `names` name, or None (every customer) when one of them is `*`;
    InvalidInput for an empty or over-long name, a comma or control character in one, or more
    than MAX_TEAMS names."""
    found: set[str] = set()
    for raw in names:
        name = raw.strip()
        if name == EVERY_CUSTOMER:
            return None
        if not 0 < len(name) <= MAX_TEAM_NAME:
            raise InvalidInput(
                f"a team's name has 1 to {MAX_TEAM_NAME} characters (got {raw[:80]!r})",
                field=field,
            )
        if "," in name or not name.isprintable():
            raise InvalidInput(
                f"a team's name holds no comma or control character (got {name!r})", field=field
            )
        found.add(name)
        if len(found) > MAX_TEAMS:
            raise InvalidInput(f"a credential carries at most {MAX_TEAMS} teams", field=field)
    return frozenset(found)


def teams_from_text(text: str, *, field: str = "teams") -> frozenset[str] | None:
    """The teams in a comma-separated list (`north,east`; `*`: every customer), as the token
    command line takes them."""
    return parse_teams(text.split(","), field=field)


def describe_teams(teams: frozenset[str] | None) -> str:
    """`north,east`, or `*` for every customer (sorted, so it reads the same every time)."""
    return EVERY_CUSTOMER if teams is None else ",".join(sorted(teams))
