"""Look-ups across kinds: any object by its id (`node`, `nodes`), and each kind with external
ids by a list of them (`companiesByExternalIds`, …, `dealsByExternalIds`,
`interactionsByExternalIds`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from graph.core.kinds import (
    COMPANY,
    COMPANY_RELATIONSHIP,
    PERSON,
    REFERRAL,
    RELATIONSHIP,
    ROLE,
)
from graph.core.reads import MAX_EXTERNAL_IDS
from resolvers import nodes as resolve
from schema.deals import Deal, to_deal
from schema.evolution import Change, Interaction
from schema.node import Node
from schema.types import (
    Company,
    CompanyRelationship,
    Info,
    Person,
    PersonRelationship,
    Referral,
    Role,
    from_model,
    to_referral,
)

# an id's prefix -> how its read model becomes its GraphQL object
_OBJECTS: dict[str, Callable[[Any], Node]] = {
    COMPANY.id_prefix: lambda m: from_model(Company, m),
    PERSON.id_prefix: lambda m: from_model(Person, m),
    ROLE.id_prefix: lambda m: from_model(Role, m),
    RELATIONSHIP.id_prefix: lambda m: from_model(PersonRelationship, m),
    COMPANY_RELATIONSHIP.id_prefix: lambda m: from_model(CompanyRelationship, m),
    REFERRAL.id_prefix: to_referral,
    "de": to_deal,
    "in": lambda m: Interaction(model=m),
    "ch": lambda m: Change(model=m),
}
assert _OBJECTS.keys() == resolve.LOADERS.keys()


def _object(id_: str, model: Any | None) -> Node | None:
    prefix = resolve.kind_of(id_)
    return None if model is None or prefix is None else _OBJECTS[prefix](model)


_IDS = strawberry.argument(
    description=f"The ids, at most {resolve.MAX_NODE_IDS}; an answer for each, in this order."
)
_EXTERNAL_IDS = strawberry.argument(
    description=f"The ids another system gave them, at most {MAX_EXTERNAL_IDS}; an answer for "
    "each, in this order."
)


def _each(convert: Callable[[Any], Any], found: list[Any | None]) -> list[Any | None]:
    return [None if item is None else convert(item) for item in found]


@strawberry.type
class RefetchQuery:
    @strawberry.field(
        description="The object with this id, whatever its kind; null when there is none "
        "(or it was deleted)."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The id: a company's `co_…`, a person's `pe_…`, …"),
        ],
    ) -> Node | None:
        return _object(id, await resolve.node(info.context, id))

    @strawberry.field(
        description="The objects with these ids, in the order given, null where there is "
        "none; one database read per kind asked."
    )
    async def nodes(
        self, info: Info, ids: Annotated[list[strawberry.ID], _IDS]
    ) -> list[Node | None]:
        found = await resolve.nodes(info.context, ids)
        return [_object(id_, model) for id_, model in zip(ids, found, strict=True)]

    @strawberry.field(
        description="Companies by the ids another system gave them, in the order given, null "
        "where none has it."
    )
    async def companies_by_external_ids(
        self, info: Info, external_ids: Annotated[list[str], _EXTERNAL_IDS]
    ) -> list[Company | None]:
        found = await resolve.by_external_ids(info.context, COMPANY, external_ids)
        return _each(lambda m: from_model(Company, m), found)

    @strawberry.field(
        description="People by the ids another system gave them, in the order given, null "
        "where none has it."
    )
    async def people_by_external_ids(
        self, info: Info, external_ids: Annotated[list[str], _EXTERNAL_IDS]
    ) -> list[Person | None]:
        found = await resolve.by_external_ids(info.context, PERSON, external_ids)
        return _each(lambda m: from_model(Person, m), found)

    @strawberry.field(
        description="Roles by the ids another system gave them, in the order given, null "
        "where none has it."
    )
    async def roles_by_external_ids(
        self, info: Info, external_ids: Annotated[list[str], _EXTERNAL_IDS]
    ) -> list[Role | None]:
        found = await resolve.by_external_ids(info.context, ROLE, external_ids)
        return _each(lambda m: from_model(Role, m), found)

    @strawberry.field(
        description="Person-to-person relationships by the ids another system gave them, in "
        "the order given, null where none has it."
    )
    async def relationships_by_external_ids(
        self, info: Info, external_ids: Annotated[list[str], _EXTERNAL_IDS]
    ) -> list[PersonRelationship | None]:
        found = await resolve.by_external_ids(info.context, RELATIONSHIP, external_ids)
        return _each(lambda m: from_model(PersonRelationship, m), found)

    @strawberry.field(
        description="Company-to-company relationships by the ids another system gave them, "
        "in the order given, null where none has it."
    )
    async def company_relationships_by_external_ids(
        self, info: Info, external_ids: Annotated[list[str], _EXTERNAL_IDS]
    ) -> list[CompanyRelationship | None]:
        found = await resolve.by_external_ids(info.context, COMPANY_RELATIONSHIP, external_ids)
        return _each(lambda m: from_model(CompanyRelationship, m), found)

    @strawberry.field(
        description="Referrals by the ids another system gave them, in the order given, null "
        "where none has it."
    )
    async def referrals_by_external_ids(
        self, info: Info, external_ids: Annotated[list[str], _EXTERNAL_IDS]
    ) -> list[Referral | None]:
        found = await resolve.by_external_ids(info.context, REFERRAL, external_ids)
        return _each(to_referral, found)

    @strawberry.field(
        description="Deals by the ids another system gave them, in the order given, null "
        "where none has it."
    )
    async def deals_by_external_ids(
        self, info: Info, external_ids: Annotated[list[str], _EXTERNAL_IDS]
    ) -> list[Deal | None]:
        found = await resolve.deals_by_external_ids(info.context, external_ids)
        return _each(to_deal, found)

    @strawberry.field(
        description="Interactions by the ids another system gave them, in the order given, "
        "null where none has it."
    )
    async def interactions_by_external_ids(
        self, info: Info, external_ids: Annotated[list[str], _EXTERNAL_IDS]
    ) -> list[Interaction | None]:
        found = await resolve.interactions_by_external_ids(info.context, external_ids)
        return _each(lambda m: Interaction(model=m), found)
