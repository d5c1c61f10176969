"""API tokens: a random secret shown once at creation, stored only as its SHA-256.

A token has a name (unique among live tokens), a role, the account teams whose customers it
reaches (graph/auth/teams.py; none stored: every customer, as for every token made before teams
existed) and its creation and revocation times.
The secret is 32 random bytes (`secrets.token_urlsafe`), so a plain SHA-256 of it cannot be
reversed or guessed; looking a token up by that hash needs no per-token salt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from graph.auth.teams import parse_teams
from graph.cypher.auth import tokens as cypher
from graph.db.connection import Graph, Row, Tx
from graph.db.errors import Conflict, InvalidInput, NotFound
from graph.db.feed import Topic

SECRET_PREFIX = "gx_"
DEVELOPMENT_TOKEN_NAME = "development"
MAX_KEY = 200  # the longest name or id a revocation takes


class Role(StrEnum):
    """What a credential may do; see docs in README ("Credentials")."""

    VIEWER = "viewer"
    PLANNER = "planner"
    ANALYST = "analyst"
    ADMIN = "admin"


@dataclass(frozen=True)
class ApiToken:
    """A stored token, without its secret."""

    id: str
    name: str
    role: Role
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    teams: frozenset[str] | None = None  # None: every customer


@dataclass(frozen=True)
class TokenRevoked:
    """A token was revoked: every process stops accepting it (graph/auth/credentials.py)."""

    name: str

    def to_feed(self) -> dict[str, Any]:
        return {"event": "tokenRevoked", "name": self.name}


def hash_secret(secret: str) -> str:
    """The hex SHA-256 stored for a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_role(text: str) -> Role:
    """The role named `text`, or InvalidInput listing the roles."""
    try:
        return Role(text)
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise InvalidInput(f"unknown role '{text}' (one of {names})", field="role") from None


def _now_ms() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp() * 1000)


def _time(ms: Any) -> dt.datetime | None:
    return None if ms is None else dt.datetime.fromtimestamp(int(ms) / 1000, dt.UTC)


def _token(row: Row) -> ApiToken:
    created = _time(row["createdAt"])
    assert created is not None
    teams = row["teams"]
    return ApiToken(
        id=str(row["id"]),
        name=str(row["name"]),
        role=Role(row["role"]),
        created_at=created,
        revoked_at=_time(row["revokedAt"]),
        teams=None if teams is None else frozenset(str(team) for team in teams),
    )


def create_token(
    graph: Graph, *, name: str, role: Role, teams: frozenset[str] | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once; only its hash is kept). `teams`: the account
    teams whose customers it reaches (None: every customer); InvalidInput for an empty set or a
    bad name (graph/auth/teams.py)."""
    name = name.strip()
    if not 0 < len(name) <= MAX_KEY:
        raise InvalidInput(f"a token needs a name of 1 to {MAX_KEY} characters", field="name")
    if teams is not None:
        teams = parse_teams(teams)  # None when one is '*'
        if teams is not None and not teams:
            raise InvalidInput(
                "a token needs at least one team, or '*' for every customer", field="teams"
            )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    props: dict[str, Any] = {
        "id": uuid.uuid4().hex,
        "name": name,
        "role": role.value,
        "hash": hash_secret(secret),
        "createdAt": _now_ms(),
    }
    if teams is not None:  # no property: every customer
        props["teams"] = sorted(teams)

    def work(tx: Tx) -> ApiToken:
        if tx.run(cypher.LIVE_TOKEN_NAMED, name=name):
            raise Conflict(f"a live token is already named '{name}'", field="name")
        return _token(tx.run(cypher.CREATE_TOKEN, props=props)[0])

    return graph.write_tx(work, topic=Topic.TOKENS), secret


def token_for_secret(graph: Graph, secret: str) -> ApiToken | None:
    """The live token with this secret, or None."""
    digest = hash_secret(secret)
    rows = graph.read(cypher.LIVE_TOKEN_BY_HASH, hash=digest)
    return _token(rows[0]) if rows else None


def list_tokens(graph: Graph) -> list[ApiToken]:
    """Every token, live and revoked, oldest first."""
    return [_token(row) for row in graph.read(cypher.LIST_TOKENS)]


def revoke_token(graph: Graph, name_or_id: str) -> ApiToken:
    """Revoke the live token with this id, else the one with this name; NotFound when there
    is none."""
    if not 0 < len(name_or_id) <= MAX_KEY:
        raise InvalidInput(f"a token's name or id has 1 to {MAX_KEY} characters", field="token")

    def work(tx: Tx) -> ApiToken:
        rows = tx.run(cypher.REVOKE_TOKEN, key=name_or_id, now=_now_ms())
        if not rows:
            raise NotFound("live token", name_or_id, field="token", by="name or id")
        revoked = _token(rows[0])
        tx.publish(TokenRevoked(revoked.name))
        return revoked

    return graph.write_tx(work, topic=Topic.TOKENS)


def development_token(graph: Graph, keep_in: Path) -> str:
    """The demo mode's admin token: the secret kept in the file `keep_in` while its token is
    live, else a new one (replacing an older development token) written there."""
    if keep_in.is_file():
        secret = keep_in.read_text().strip()
        found = token_for_secret(graph, secret)
        if found is not None and found.role is Role.ADMIN:
            return secret
    if graph.read(cypher.LIVE_TOKEN_NAMED, name=DEVELOPMENT_TOKEN_NAME):
        revoke_token(graph, DEVELOPMENT_TOKEN_NAME)
    _, secret = create_token(graph, name=DEVELOPMENT_TOKEN_NAME, role=Role.ADMIN)
    keep_in.parent.mkdir(parents=True, exist_ok=True)
    keep_in.touch(mode=0o600)
    keep_in.write_text(secret + "\n")
    return secret
