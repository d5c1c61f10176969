"""API tokens in the API: revoking one at once on every server (made and listed with
`python -m seed token`, graph/auth/tokens.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from resolvers import auth as resolve
from schema.auth import ADMIN_ONLY
from schema.types import Info


@strawberry.type(description="An API token, without its secret.")
class ApiToken:
    id: strawberry.ID = strawberry.field(description="Its id.")
    name: str = strawberry.field(description="Its name, unique among live tokens.")
    role: str = strawberry.field(
        description="What it may do: `viewer`, `planner`, `analyst` or `admin`."
    )
    created_at: dt.datetime = strawberry.field(description="When it was made (UTC).")
    revoked_at: dt.datetime | None = strawberry.field(
        description="When it was revoked (UTC); null while it is live."
    )
    teams: list[str] | None = strawberry.field(
        description="The account teams whose customers it reaches, sorted; null: every customer."
    )


@strawberry.type
class TokenMutation:
    @strawberry.mutation(
        permission_classes=ADMIN_ONLY,
        description="Revoke a live API token. This server refuses it at once, every other "
        "server on the graph from its next read of the change feed (within "
        "GUANXI_FEED_POLL_SECONDS). Tokens are made and listed with `python -m seed token`.",
    )
    async def revoke_api_token(
        self,
        info: Info,
        token: Annotated[str, strawberry.argument(description="The live token's name or id.")],
    ) -> ApiToken | None:
        revoked = await resolve.revoke_token(info.context, token)
        return ApiToken(
            id=strawberry.ID(revoked.id),
            name=revoked.name,
            role=revoked.role.value,
            created_at=revoked.created_at,
            revoked_at=revoked.revoked_at,
            teams=None if revoked.teams is None else sorted(revoked.teams),
        )
