"""The root Subscription: live relationship changes and logged interactions, over
graphql-transport-ws at /graphql."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from resolvers import subscriptions as resolve
from schema.evolution import Change, Interaction
from schema.types import Info

_WHICH = "Exactly one of companyId and personId."


@strawberry.type(
    description="Live events over graphql-transport-ws at /graphql: each is sent once it is "
    "committed."
)
class Subscription:
    @strawberry.subscription(
        description="Each committed change of a relationship of the company (with other "
        "companies, and of the people holding a current role there when the subscription "
        f"starts) or of the person. {_WHICH}"
    )
    async def relationship_changed(
        self,
        info: Info,
        company_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The company (`co_` id) whose relationships to follow; give this or "
                "`personId`."
            ),
        ] = None,
        person_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The person (`pe_` id) whose relationships to follow; give this or "
                "`companyId`."
            ),
        ] = None,
    ) -> AsyncGenerator[Change, None]:
        async for change in resolve.relationship_changes(info.context, company_id, person_id):
            yield Change(model=change)

    @strawberry.subscription(
        description=f"Each interaction logged with the company (or its people) or the person. "
        f"{_WHICH}"
    )
    async def interaction_logged(
        self,
        info: Info,
        company_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The company (`co_` id) whose interactions to follow, its people's "
                "included; give this or `personId`."
            ),
        ] = None,
        person_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The person (`pe_` id) whose interactions to follow; give this or "
                "`companyId`."
            ),
        ] = None,
    ) -> AsyncGenerator[Interaction, None]:
        async for found in resolve.logged_interactions(info.context, company_id, person_id):
            yield Interaction(model=found)
