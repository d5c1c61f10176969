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

TEAMS_INPUT = (
    "The account teams the customer belongs to (1-64 characters each, at most 20): a "
    "credential scoped to teams sees a customer of one of its teams. None (or null): only "
    "credentials of every customer see it; our own companies are seen by everyone."
)

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


@strawberry.input(
    description="A company's fields, for `createCompany` (those left out: null, `isOurs` "
    "false) and `upsertCompany` (on a company that exists, only the fields given change)."
)
class CompanyInput:
    name: str = strawberry.field(
        description="Name as written, e.g. 蓝海能源: 1-200 characters, spaces around it "
        "trimmed, no control characters."
    )
    industry: str | None = strawberry.field(
        default=strawberry.UNSET, description="Industry, free text (up to 200 characters)."
    )
    region: str | None = strawberry.field(
        default=strawberry.UNSET, description="Region, free text (up to 200 characters)."
    )
    status: CompanyStatus | None = strawberry.field(
        default=strawberry.UNSET,
        description="Maturity as a customer: prospect (潜在客户), target (目标客户), current "
        "(现行客户), churned or won back.",
    )
    value_class: ValueClass | None = strawberry.field(
        default=strawberry.UNSET, description="Value class A/B/C by value (价值) to us."
    )
    intent_class: IntentClass | None = strawberry.field(
        default=strawberry.UNSET, description="Intent class A-D by intent to buy (合作意向)."
    )
    lifecycle_stage: LifecycleStage | None = strawberry.field(
        default=strawberry.UNSET,
        description="Lifecycle stage, 考察期 exploration to 衰退期 decline.",
    )
    is_ours: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="True for one of our own companies (where our staff work); false if left out.",
    )
    teams: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description=TEAMS_INPUT,
    )


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class CompanyPatch:
    name: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Name as written, e.g. 蓝海能源: 1-200 characters, spaces around it "
        "trimmed, no control characters. Cannot be null.",
    )
    industry: str | None = strawberry.field(
        default=strawberry.UNSET, description="Industry, free text (up to 200 characters)."
    )
    region: str | None = strawberry.field(
        default=strawberry.UNSET, description="Region, free text (up to 200 characters)."
    )
    status: CompanyStatus | None = strawberry.field(
        default=strawberry.UNSET,
        description="Maturity as a customer: prospect (潜在客户), target (目标客户), current "
        "(现行客户), churned or won back.",
    )
    value_class: ValueClass | None = strawberry.field(
        default=strawberry.UNSET, description="Value class A/B/C by value (价值) to us."
    )
    intent_class: IntentClass | None = strawberry.field(
        default=strawberry.UNSET, description="Intent class A-D by intent to buy (合作意向)."
    )
    lifecycle_stage: LifecycleStage | None = strawberry.field(
        default=strawberry.UNSET,
        description="Lifecycle stage, 考察期 exploration to 衰退期 decline.",
    )
    is_ours: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="True for one of our own companies (where our staff work).",
    )
    teams: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description=TEAMS_INPUT,
    )


@strawberry.input(
    description="A person's fields, for `createPerson` (those left out: null) and "
    "`upsertPerson` (on a person who exists, only the fields given change)."
)
class PersonInput:
    name: str = strawberry.field(
        description="Name as written, e.g. 王伟: 1-200 characters, spaces around it trimmed, "
        "no control characters."
    )
    email: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Email address: up to 200 characters, one @, no spaces.",
    )
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description="Phone number, free text (up to 200 characters)."
    )
    wechat: str | None = strawberry.field(
        default=strawberry.UNSET, description="WeChat id (微信号), up to 200 characters."
    )
    communication_style: CommunicationStyle | None = strawberry.field(
        default=strawberry.UNSET,
        description="Communication style: amiable (dove), driver (tiger), analytical (owl) "
        "or expressive (peacock).",
    )
    notes: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free notes, up to 5,000 characters."
    )


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class PersonPatch:
    name: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Name as written, e.g. 王伟: 1-200 characters, spaces around it trimmed, "
        "no control characters. Cannot be null.",
    )
    email: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Email address: up to 200 characters, one @, no spaces.",
    )
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description="Phone number, free text (up to 200 characters)."
    )
    wechat: str | None = strawberry.field(
        default=strawberry.UNSET, description="WeChat id (微信号), up to 200 characters."
    )
    communication_style: CommunicationStyle | None = strawberry.field(
        default=strawberry.UNSET,
        description="Communication style: amiable (dove), driver (tiger), analytical (owl) "
        "or expressive (peacock).",
    )
    notes: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free notes, up to 5,000 characters."
    )


@strawberry.input(
    description="A role: who holds it, where, and its fields (those left out: null, "
    "`isKeyPerson` false); on a role that exists, `upsertRole` changes only those given."
)
class RoleInput:
    person_id: strawberry.ID = strawberry.field(
        description="Who holds the role: a person's id (`pe_`)."
    )
    company_id: strawberry.ID = strawberry.field(description="Where: a company's id (`co_`).")
    title: str = strawberry.field(description="Job title, e.g. 采购总监: 1-200 characters.")
    department: str | None = strawberry.field(
        default=strawberry.UNSET, description="Department, free text (up to 200 characters)."
    )
    buying_role: BuyingRole | None = strawberry.field(
        default=strawberry.UNSET,
        description="The part they play in the customer's buying decisions.",
    )
    is_key_person: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Whether they are a key person (关键人物) of the company; false if left out.",
    )
    seniority: Seniority | None = strawberry.field(
        default=strawberry.UNSET, description="Where the role sits in the hierarchy."
    )
    start_date: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="First day in the role."
    )
    end_date: dt.date | None = strawberry.field(
        default=strawberry.UNSET,
        description="Last day in the role (not before `startDate`); null while it lasts.",
    )
    desired_tier: PersonTier | None = strawberry.field(
        default=strawberry.UNSET,
        description="The tier we aim for with this key person: 过客 passer-by to 知己 confidant.",
    )
    stance: Stance | None = strawberry.field(
        default=strawberry.UNSET,
        description="Their stance toward us, as account planners judge it.",
    )


@strawberry.input(description="Only the fields given change; set endDate to end the role.")
class RolePatch:
    title: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Job title, e.g. 采购总监: 1-200 characters. Cannot be null.",
    )
    department: str | None = strawberry.field(
        default=strawberry.UNSET, description="Department, free text (up to 200 characters)."
    )
    buying_role: BuyingRole | None = strawberry.field(
        default=strawberry.UNSET,
        description="The part they play in the customer's buying decisions.",
    )
    is_key_person: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Whether they are a key person (关键人物) of the company. Cannot be null.",
    )
    seniority: Seniority | None = strawberry.field(
        default=strawberry.UNSET, description="Where the role sits in the hierarchy."
    )
    start_date: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="First day in the role."
    )
    end_date: dt.date | None = strawberry.field(
        default=strawberry.UNSET,
        description="Last day in the role (not before `startDate`): set it to end the role; "
        "null reopens it.",
    )
    desired_tier: PersonTier | None = strawberry.field(
        default=strawberry.UNSET,
        description="The tier we aim for with this key person: 过客 passer-by to 知己 confidant.",
    )
    stance: Stance | None = strawberry.field(
        default=strawberry.UNSET,
        description="Their stance toward us, as account planners judge it.",
    )


@strawberry.input(
    description="A person-to-person relationship: its two people, tier and strength, and "
    "optional fields (null if left out); on one that exists, `upsertRelationship` changes "
    "only those given."
)
class PersonRelationshipInput:
    from_person_id: strawberry.ID = strawberry.field(
        description="One end: a person's id (`pe_`), usually one of our staff."
    )
    to_person_id: strawberry.ID = strawberry.field(
        description="The other end: a person's id (`pe_`); at most one relationship joins "
        "two people."
    )
    tier: PersonTier = strawberry.field(
        description="The tier: 过客 passer-by, 熟人 acquaintance, 朋友 friend or 知己 confidant."
    )
    strength: float = strawberry.field(
        description="Strength in [0, 1]; logged interactions move it afterwards."
    )
    level: RelationshipLevel | None = strawberry.field(
        default=strawberry.UNSET,
        description="Level on the ladder: Trust (信任), Value (价值), Emotion (情感), Vision.",
    )
    since: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="The date it began."
    )
    notes: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free notes, up to 5,000 characters."
    )


@strawberry.input(description="Only the fields given change.")
class PersonRelationshipPatch:
    tier: PersonTier | None = strawberry.field(
        default=strawberry.UNSET,
        description="The tier: 过客 passer-by, 熟人 acquaintance, 朋友 friend or 知己 confidant. "
        "Cannot be null.",
    )
    strength: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="Strength in [0, 1], set by hand (recorded as MANUAL evidence). Cannot "
        "be null.",
    )
    level: RelationshipLevel | None = strawberry.field(
        default=strawberry.UNSET,
        description="Level on the ladder: Trust (信任), Value (价值), Emotion (情感), Vision.",
    )
    since: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="The date it began."
    )
    notes: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free notes, up to 5,000 characters."
    )


@strawberry.input(
    description="A company-to-company relationship: its two companies, tier and strength, "
    "and optional fields (null if left out); on one that exists, "
    "`upsertCompanyRelationship` changes only those given."
)
class CompanyRelationshipInput:
    from_company_id: strawberry.ID = strawberry.field(
        description="One end: a company's id (`co_`), usually one of ours."
    )
    to_company_id: strawberry.ID = strawberry.field(
        description="The other end: a company's id (`co_`); at most one relationship joins "
        "two companies."
    )
    tier: CompanyTier = strawberry.field(
        description="Transactional (买卖关系), preferred supplier (优先供应关系), partnership "
        "(合作伙伴关系) or strategic alliance (战略联盟关系)."
    )
    strength: float = strawberry.field(description="Strength in [0, 1].")
    lifecycle_stage: LifecycleStage | None = strawberry.field(
        default=strawberry.UNSET,
        description="Lifecycle stage, 考察期 exploration to 衰退期 decline.",
    )
    since: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="The date it began."
    )
    notes: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free notes, up to 5,000 characters."
    )


@strawberry.input(description="Only the fields given change.")
class CompanyRelationshipPatch:
    tier: CompanyTier | None = strawberry.field(
        default=strawberry.UNSET,
        description="Transactional (买卖关系), preferred supplier (优先供应关系), partnership "
        "(合作伙伴关系) or strategic alliance (战略联盟关系). Cannot be null.",
    )
    strength: float | None = strawberry.field(
        default=strawberry.UNSET, description="Strength in [0, 1]. Cannot be null."
    )
    lifecycle_stage: LifecycleStage | None = strawberry.field(
        default=strawberry.UNSET,
        description="Lifecycle stage, 考察期 exploration to 衰退期 decline.",
    )
    since: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="The date it began."
    )
    notes: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free notes, up to 5,000 characters."
    )


@strawberry.input(description="referrerId and referredId each name a person or a company.")
class ReferralInput:
    referrer_id: strawberry.ID = strawberry.field(
        description="Who made the referral: a person's (`pe_`) or a company's (`co_`) id."
    )
    referred_id: strawberry.ID = strawberry.field(
        description="Who was referred to us: a person's (`pe_`) or a company's (`co_`) id."
    )
    date: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="When the referral was made."
    )
    note: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free note, up to 5,000 characters."
    )


@strawberry.input(description="Only the fields given change.")
class ReferralPatch:
    date: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="When the referral was made."
    )
    note: str | None = strawberry.field(
        default=strawberry.UNSET, description="Free note, up to 5,000 characters."
    )


@strawberry.input(description="All given conditions must hold.")
class CompanyFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the name, in characters or pinyin."
    )
    status: list[CompanyStatus] | None = strawberry.field(
        default=None, description="Status (maturity, 成熟程度) is one of these."
    )
    value_class: list[ValueClass] | None = strawberry.field(
        default=None, description="Value class is one of these."
    )
    intent_class: list[IntentClass] | None = strawberry.field(
        default=None, description="Intent class is one of these."
    )
    lifecycle_stage: list[LifecycleStage] | None = strawberry.field(
        default=None, description="Lifecycle stage is one of these."
    )
    industry: str | None = strawberry.field(default=None, description="Industry is exactly this.")
    region: str | None = strawberry.field(default=None, description="Region is exactly this.")
    is_ours: bool | None = strawberry.field(
        default=None, description="True: only our own companies; false: only the others."
    )
    tier: list[CompanyTier] | None = strawberry.field(
        default=None, description="Its relationship with one of our companies has this tier."
    )
    min_our_relationships: int | None = strawberry.field(
        default=None,
        description="At least this many relationships between its current people and ours "
        "(`ourRelationshipCount`).",
    )
    team: str | None = strawberry.field(
        default=None, description="Customers of this account team (see `Company.teams`)."
    )


@strawberry.input(
    description="The order of a page of companies (with a `search`, better matches first); "
    "ties in id order."
)
class CompanySort:
    field: CompanySortField = strawberry.field(
        default=CompanySortField.NAME, description="What to sort by; NAME if left out."
    )
    direction: Direction = strawberry.field(default=Direction.ASC, description="ASC if left out.")


@strawberry.input(description="All given conditions must hold.")
class PersonFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the name, in characters or pinyin."
    )
    communication_style: list[CommunicationStyle] | None = strawberry.field(
        default=None, description="Communication style is one of these."
    )
    company_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only people with a current role at this company."
    )
    min_strongest_tie: float | None = strawberry.field(
        default=None, description="`strongestTie` is at least this, in [0, 1]."
    )


@strawberry.input(
    description="The order of a page of people (with a `search`, better matches first)."
)
class PersonSort:
    field: PersonSortField = strawberry.field(
        default=PersonSortField.NAME, description="What to sort by; NAME if left out."
    )
    direction: Direction = strawberry.field(default=Direction.ASC, description="ASC if left out.")


@strawberry.input(description="All given conditions must hold.")
class RoleFilter:
    company_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only roles at this company (`co_` id)."
    )
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only roles of this person (`pe_` id)."
    )
    include_past: bool = strawberry.field(
        default=False, description="Also roles that have ended; false (current only) if left out."
    )
    key_persons_only: bool = strawberry.field(
        default=False, description="Only roles of key persons (关键人物); false if left out."
    )
    buying_role: list[BuyingRole] | None = strawberry.field(
        default=None, description="Buying role is one of these."
    )


@strawberry.input(description="All given conditions must hold.")
class PersonRelationshipFilter:
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only relationships of this person (`pe_` id), at either end."
    )
    tier: list[PersonTier] | None = strawberry.field(
        default=None, description="Tier is one of these (过客, 熟人, 朋友, 知己)."
    )
    level: list[RelationshipLevel] | None = strawberry.field(
        default=None, description="Level is one of these."
    )
    min_strength: float | None = strawberry.field(
        default=None, description="Stored `strength` is at least this, in [0, 1]."
    )


@strawberry.input(description="The order of a page of person-to-person relationships.")
class PersonRelationshipSort:
    field: RelationshipSortField = strawberry.field(
        default=RelationshipSortField.STRENGTH, description="What to sort by; STRENGTH if left out."
    )
    direction: Direction = strawberry.field(default=Direction.DESC, description="DESC if left out.")


@strawberry.input(description="All given conditions must hold.")
class CompanyRelationshipFilter:
    company_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only relationships of this company (`co_` id), at either end."
    )
    tier: list[CompanyTier] | None = strawberry.field(
        default=None, description="Tier is one of these."
    )
    lifecycle_stage: list[LifecycleStage] | None = strawberry.field(
        default=None, description="Lifecycle stage is one of these."
    )
    min_strength: float | None = strawberry.field(
        default=None, description="`strength` is at least this, in [0, 1]."
    )
