"""Input types, and how they reach the graph typed: `fields_of` checks an input against the
kind's validation model (graph/core/inputs.py), `patch_of` makes a patch input a `Patch`.
Fields left out of a patch are not touched."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

import strawberry
from pydantic.alias_generators import to_camel

from graph.core.inputs import Fields, Patch
from graph.core.kinds import EdgeKind, NodeKind
from schema.enums import (
    BuyingRole,
    CommunicationStyle,
    CompanySortField,
    CompanyStatus,
    CompanyTier,
    Direction,
    IntentClass,
    LifecycleStage,
    PersonSortField,
    PersonTier,
    RelationshipLevel,
    RelationshipSortField,
    Seniority,
    Stance,
    ValueClass,
)

F = TypeVar("F", bound=Fields)

IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description="A key of the client's choosing (up to 200 characters), unique per "
        "request: sent again with the same request, the first result comes back and nothing "
        "is written twice; with a different request it is refused (CONFLICT). Kept for "
        "GUANXI_IDEMPOTENCY_DAYS."
    ),
]


ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(
        description="The `version` you read: the update happens only if it is still the "
        "current one, else it is refused (CONFLICT) and nothing changes."
    ),
]


def given(data: object) -> dict[str, Any]:
    """The fields the client sent (explicit nulls included), by their API names."""
    return {
        to_camel(name): value for name, value in vars(data).items() if value is not strawberry.UNSET
    }


def fields_of(kind: NodeKind[Any, F] | EdgeKind[Any, F], data: object) -> F:
    """An input as the kind's validated fields (an edge's ends left out); InvalidInput names
    every broken field."""
    sent = given(data)
    if isinstance(kind, EdgeKind):
        sent = {k: v for k, v in sent.items() if k not in (kind.from_field, kind.to_field)}
    return kind.checked(sent)


def ends_of(kind: EdgeKind[Any, Any], data: object) -> tuple[str, str]:
    """The ids of an edge's two ends in an input (from, to)."""
    sent = given(data)
    return str(sent[kind.from_field]), str(sent[kind.to_field])


def patch_of(data: object) -> Patch:
    """A patch input as the change it asks for."""
    return Patch(given(data))


@strawberry.input
class CompanyInput:
    name: str
    industry: str | None = strawberry.UNSET
    region: str | None = strawberry.UNSET
    status: CompanyStatus | None = strawberry.UNSET
    value_class: ValueClass | None = strawberry.UNSET
    intent_class: IntentClass | None = strawberry.UNSET
    lifecycle_stage: LifecycleStage | None = strawberry.UNSET
    is_ours: bool | None = strawberry.UNSET


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class CompanyPatch:
    name: str | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET
    region: str | None = strawberry.UNSET
    status: CompanyStatus | None = strawberry.UNSET
    value_class: ValueClass | None = strawberry.UNSET
    intent_class: IntentClass | None = strawberry.UNSET
    lifecycle_stage: LifecycleStage | None = strawberry.UNSET
    is_ours: bool | None = strawberry.UNSET


@strawberry.input
class PersonInput:
    name: str
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    wechat: str | None = strawberry.UNSET
    communication_style: CommunicationStyle | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class PersonPatch:
    name: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    wechat: str | None = strawberry.UNSET
    communication_style: CommunicationStyle | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input
class RoleInput:
    person_id: strawberry.ID
    company_id: strawberry.ID
    title: str
    department: str | None = strawberry.UNSET
    buying_role: BuyingRole | None = strawberry.UNSET
    is_key_person: bool | None = strawberry.UNSET
    seniority: Seniority | None = strawberry.UNSET
    start_date: dt.date | None = strawberry.UNSET
    end_date: dt.date | None = strawberry.UNSET
    desired_tier: PersonTier | None = strawberry.UNSET
    stance: Stance | None = strawberry.UNSET


@strawberry.input(description="Only the fields given change; set endDate to end the role.")
class RolePatch:
    title: str | None = strawberry.UNSET
    department: str | None = strawberry.UNSET
    buying_role: BuyingRole | None = strawberry.UNSET
    is_key_person: bool | None = strawberry.UNSET
    seniority: Seniority | None = strawberry.UNSET
    start_date: dt.date | None = strawberry.UNSET
    end_date: dt.date | None = strawberry.UNSET
    desired_tier: PersonTier | None = strawberry.UNSET
    stance: Stance | None = strawberry.UNSET


@strawberry.input
class PersonRelationshipInput:
    from_person_id: strawberry.ID
    to_person_id: strawberry.ID
    tier: PersonTier
    strength: float
    level: RelationshipLevel | None = strawberry.UNSET
    since: dt.date | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input(description="Only the fields given change.")
class PersonRelationshipPatch:
    tier: PersonTier | None = strawberry.UNSET
    strength: float | None = strawberry.UNSET
    level: RelationshipLevel | None = strawberry.UNSET
    since: dt.date | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input
class CompanyRelationshipInput:
    from_company_id: strawberry.ID
    to_company_id: strawberry.ID
    tier: CompanyTier
    strength: float
    lifecycle_stage: LifecycleStage | None = strawberry.UNSET
    since: dt.date | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input(description="Only the fields given change.")
class CompanyRelationshipPatch:
    tier: CompanyTier | None = strawberry.UNSET
    strength: float | None = strawberry.UNSET
    lifecycle_stage: LifecycleStage | None = strawberry.UNSET
    since: dt.date | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input(description="referrerId and referredId each name a person or a company.")
class ReferralInput:
    referrer_id: strawberry.ID
    referred_id: strawberry.ID
    date: dt.date | None = strawberry.UNSET
    note: str | None = strawberry.UNSET


@strawberry.input(description="Only the fields given change.")
class ReferralPatch:
    date: dt.date | None = strawberry.UNSET
    note: str | None = strawberry.UNSET


@strawberry.input(description="All given conditions must hold.")
class CompanyFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the name, in characters or pinyin."
    )
    status: list[CompanyStatus] | None = None
    value_class: list[ValueClass] | None = None
    intent_class: list[IntentClass] | None = None
    lifecycle_stage: list[LifecycleStage] | None = None
    industry: str | None = None
    region: str | None = None
    is_ours: bool | None = None
    tier: list[CompanyTier] | None = strawberry.field(
        default=None, description="Its relationship with one of our companies has this tier."
    )
    min_our_relationships: int | None = None


@strawberry.input
class CompanySort:
    field: CompanySortField = CompanySortField.NAME
    direction: Direction = Direction.ASC


@strawberry.input(description="All given conditions must hold.")
class PersonFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the name, in characters or pinyin."
    )
    communication_style: list[CommunicationStyle] | None = None
    company_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only people with a current role at this company."
    )
    min_strongest_tie: float | None = None


@strawberry.input
class PersonSort:
    field: PersonSortField = PersonSortField.NAME
    direction: Direction = Direction.ASC


@strawberry.input(description="All given conditions must hold.")
class RoleFilter:
    company_id: strawberry.ID | None = None
    person_id: strawberry.ID | None = None
    include_past: bool = False
    key_persons_only: bool = False
    buying_role: list[BuyingRole] | None = None


@strawberry.input(description="All given conditions must hold.")
class PersonRelationshipFilter:
    person_id: strawberry.ID | None = None
    tier: list[PersonTier] | None = None
    level: list[RelationshipLevel] | None = None
    min_strength: float | None = None


@strawberry.input
class PersonRelationshipSort:
    field: RelationshipSortField = RelationshipSortField.STRENGTH
    direction: Direction = Direction.DESC


@strawberry.input(description="All given conditions must hold.")
class CompanyRelationshipFilter:
    company_id: strawberry.ID | None = None
    tier: list[CompanyTier] | None = None
    lifecycle_stage: list[LifecycleStage] | None = None
    min_strength: float | None = None
