"""The GraphQL object types; nested fields load through the request's DataLoaders."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from graph.core import models
from resolvers import evolution
from resolvers.context import Context, peek
from schema.enums import (
    BuyingRole,
    CommunicationStyle,
    CompanyStatus,
    CompanyTier,
    IntentClass,
    LifecycleStage,
    PersonTier,
    RelationshipLevel,
    Seniority,
    Stance,
    ValueClass,
)
from schema.node import Node
from schema.rounding import described, rounded, rounded_or_none

Info = strawberry.Info[Context, None]
T = TypeVar("T")
A = TypeVar("A")


_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def _init_fields(cls: type) -> tuple[str, ...]:
    """The names a GraphQL type is built from, looked up once per type."""
    names = _INIT_FIELDS.get(cls)
    if names is None:
        fields = dataclasses.fields(cls)
        names = _INIT_FIELDS[cls] = tuple(f.name for f in fields if f.init)
    return names


def from_model(cls: type[T], model: Any) -> T:
    """Build a GraphQL type from the graph model of the same field names."""
    return cls(**{name: getattr(model, name) for name in _init_fields(cls)})


def selects(info: Info, name: str) -> bool:
    """Whether the current field's selection names the field `name` (directly or through a
    fragment; not deeper down)."""
    pending: list[Selection] = [s for field in info.selected_fields for s in field.selections]
    while pending:
        selection = pending.pop()
        if isinstance(selection, SelectedField):
            if selection.name == name:
                return True
        else:
            pending.extend(selection.selections)
    return False


async def _then(pending: Awaitable[A], then: Callable[[A], T]) -> T:
    return then(await pending)


def _maybe(cls: type[T], model: Any) -> T | None:
    return None if model is None else from_model(cls, model)


@strawberry.type(description="A company: a customer, a prospect, a partner, or one of ours.")
class Company(Node):
    id: strawberry.ID = strawberry.field(
        description="Stable id (prefix `co_`); use it in `company(id:)` and wherever a "
        "`companyId` is asked for."
    )
    name: str = strawberry.field(
        description="Name as written, e.g. 蓝海能源 (1-200 characters); `search` finds it by "
        "characters or pinyin."
    )
    external_id: str | None = strawberry.field(
        description="Its id in the system it came from (1-200 characters, unique among "
        "companies); `upsertCompany`, `companyByExternalId` and imports match "
        "on it. Null when not set."
    )
    industry: str | None = strawberry.field(
        description="Industry, free text (up to 200 characters); null if unknown."
    )
    region: str | None = strawberry.field(
        description="Region, free text (up to 200 characters); null if unknown."
    )
    status: CompanyStatus | None = strawberry.field(
        description="Maturity as a customer: prospect (潜在客户), target (目标客户), current "
        "(现行客户), churned or won back; null if not assessed."
    )
    value_class: ValueClass | None = strawberry.field(
        description="Value class A/B/C (价值) by revenue, marketing cost and years of "
        "business; null if not classed (`valueClasses` suggests one from "
        "deals)."
    )
    intent_class: IntentClass | None = strawberry.field(
        description="Intent class A-D (合作意向): how ready it is to buy; null if not classed."
    )
    lifecycle_stage: LifecycleStage | None = strawberry.field(
        description="Where the relationship with this customer is in its lifecycle (考察期 "
        "exploration to 衰退期 decline); null if not set."
    )
    is_ours: bool = strawberry.field(description="Our own company: where our staff work.")
    teams: list[str] = strawberry.field(
        description="The account teams the customer belongs to, A to Z: credentials scoped "
        "to one of them see it (empty: only credentials of every customer do)."
    )
    created_at: dt.datetime | None = strawberry.field(
        description="When it was created (UTC); null if not recorded."
    )
    updated_at: dt.datetime | None = strawberry.field(
        description="When its fields last changed (UTC; the creation time until then); null "
        "if not recorded."
    )
    figures: strawberry.Private[models.CompanyFigures | None]

    # The figures are read with the company, or (for a company read without them) through a
    # loader: a plain resolver answers at once in the first case, and awaits only in the second.
    @strawberry.field(
        description="Relationships between its current people and current people of ours.",
        graphql_type=int,
    )
    def our_relationship_count(self, info: Info) -> int | Awaitable[int]:
        if self.figures is not None:
            return self.figures.our_relationship_count
        return _then(self._figures(info), lambda f: f.our_relationship_count)

    @strawberry.field(description="People holding a current role here.", graphql_type=int)
    def people_count(self, info: Info) -> int | Awaitable[int]:
        if self.figures is not None:
            return self.figures.people_count
        return _then(self._figures(info), lambda f: f.people_count)

    async def _figures(self, info: Info) -> models.CompanyFigures:
        return await info.context.loaders.company_figures.load(self.id)

    @strawberry.field(
        description="Roles held here, with their people: current only by default. With "
        "`asOf`, the roles current then, as they were then."
    )
    async def people(
        self,
        info: Info,
        include_past: Annotated[
            bool,
            strawberry.argument(
                description="Also the roles that have ended. Default false: current roles only."
            ),
        ] = False,
        as_of: Annotated[
            dt.datetime | None,
            strawberry.argument(
                description="A past instant (UTC, from 1900 on): the roles current then, as they "
                "were then. Null (the default): now."
            ),
        ] = None,
    ) -> list[Role]:
        if as_of is not None:
            roles = await evolution.roles_at(info.context, self.id, as_of)
            return [from_model(Role, role) for role in roles]
        loaders = info.context.loaders
        if selects(info, "person"):  # read with the roles: no round trip for the people
            loader = (
                loaders.all_roles_and_people_by_company
                if include_past
                else loaders.current_roles_and_people_by_company
            )
        else:
            loader = (
                loaders.all_roles_by_company if include_past else loaders.current_roles_by_company
            )
        return [from_model(Role, role) for role in await loader.load(self.id)]

    @strawberry.field(description="Relationships with other companies, strongest first.")
    async def company_relationships(self, info: Info) -> list[CompanyRelationship]:
        found = await info.context.loaders.company_relationships_by_company.load(self.id)
        return [from_model(CompanyRelationship, r) for r in found]

    @strawberry.field(description="Referrals this company made, newest first.")
    async def referrals_made(self, info: Info) -> list[Referral]:
        found = await info.context.loaders.referrals_by_party.load(self.id)
        return [to_referral(r) for r in found if r.referrer.id == self.id]

    @strawberry.field(description="Referrals that brought this company to us, newest first.")
    async def referrals_received(self, info: Info) -> list[Referral]:
        found = await info.context.loaders.referrals_by_party.load(self.id)
        return [to_referral(r) for r in found if r.referred.id == self.id]


@strawberry.type(description="A person: one of our staff or one of a customer's people.")
class Person(Node):
    id: strawberry.ID = strawberry.field(
        description="Stable id (prefix `pe_`); use it in `person(id:)` and wherever a "
        "`personId` is asked for."
    )
    name: str = strawberry.field(
        description="Name as written, e.g. 王伟 (1-200 characters); `search` finds it by "
        "characters or pinyin."
    )
    external_id: str | None = strawberry.field(
        description="Their id in the system they came from (1-200 characters, unique among "
        "people); `upsertPerson`, `personByExternalId` and imports match on it. "
        "Null when not set."
    )
    email: str | None = strawberry.field(
        description="Email address (up to 200 characters, one @); null if unknown."
    )
    phone: str | None = strawberry.field(
        description="Phone number, free text (up to 200 characters); null if unknown."
    )
    wechat: str | None = strawberry.field(
        description="WeChat id (微信号), up to 200 characters; null if unknown."
    )
    communication_style: CommunicationStyle | None = strawberry.field(
        description="How they like to communicate (dove, tiger, owl or peacock); null if "
        "not judged."
    )
    notes: str | None = strawberry.field(
        description="Free notes (up to 5,000 characters); null if none."
    )
    created_at: dt.datetime | None = strawberry.field(
        description="When they were created (UTC); null if not recorded."
    )
    updated_at: dt.datetime | None = strawberry.field(
        description="When their fields last changed (UTC; the creation time until then); "
        "null if not recorded."
    )
    figures: strawberry.Private[models.PersonFigures | None]

    # Read with the person, or (for a person read without them) through a loader: as Company's.
    @strawberry.field(
        description=described("Strength of this person's strongest relationship."),
        graphql_type=float | None,
    )
    def strongest_tie(self, info: Info) -> float | None | Awaitable[float | None]:
        if self.figures is not None:
            return rounded_or_none(self.figures.strongest_tie)
        return _then(self._figures(info), lambda f: rounded_or_none(f.strongest_tie))

    @strawberry.field(
        description="Their person-to-person relationships, in either direction.", graphql_type=int
    )
    def relationship_count(self, info: Info) -> int | Awaitable[int]:
        if self.figures is not None:
            return self.figures.relationship_count
        return _then(self._figures(info), lambda f: f.relationship_count)

    async def _figures(self, info: Info) -> models.PersonFigures:
        return await info.context.loaders.person_figures.load(self.id)

    @strawberry.field(description="Roles this person holds or held: past ones too by default.")
    async def roles(
        self,
        info: Info,
        include_past: Annotated[
            bool,
            strawberry.argument(
                description="Also the roles that have ended. Default true; false: current "
                "roles only."
            ),
        ] = True,
    ) -> list[Role]:
        loaders = info.context.loaders
        if selects(info, "company"):  # read with the roles: no round trip for the companies
            loader = (
                loaders.all_roles_and_companies_by_person
                if include_past
                else loaders.current_roles_and_companies_by_person
            )
        else:
            loader = (
                loaders.all_roles_by_person if include_past else loaders.current_roles_by_person
            )
        return [from_model(Role, role) for role in await loader.load(self.id)]

    @strawberry.field(description="Relationships with other people, strongest first.")
    async def relationships(
        self,
        info: Info,
        tiers: Annotated[
            list[PersonTier] | None,
            strawberry.argument(
                description="Only relationships of these tiers; null (the default): every tier."
            ),
        ] = None,
        min_strength: Annotated[
            float | None,
            strawberry.argument(
                description="Only relationships whose `strength` is at least this, in [0, 1]; null "
                "(the default): no floor."
            ),
        ] = None,
    ) -> list[PersonRelationship]:
        loaders = info.context.loaders
        # read with the other people when the selection names them: no second round trip
        with_people = selects(info, "fromPerson") or selects(info, "toPerson")
        loader = (
            loaders.relationships_and_people_by_person
            if with_people
            else loaders.relationships_by_person
        )
        found = await loader.load(self.id)
        return [
            from_model(PersonRelationship, r)
            for r in found
            if (tiers is None or r.tier in tiers)
            and (min_strength is None or r.strength >= min_strength)
        ]

    @strawberry.field(description="Referrals this person made, newest first.")
    async def referrals_made(self, info: Info) -> list[Referral]:
        found = await info.context.loaders.referrals_by_party.load(self.id)
        return [to_referral(r) for r in found if r.referrer.id == self.id]

    @strawberry.field(description="Referrals that brought this person to us, newest first.")
    async def referrals_received(self, info: Info) -> list[Referral]:
        found = await info.context.loaders.referrals_by_party.load(self.id)
        return [to_referral(r) for r in found if r.referred.id == self.id]


async def load_company(info: Info, id_: str) -> Company:
    """A company by id, through the request's loader."""
    found = await info.context.loaders.companies.load(id_)
    return from_model(Company, found)


async def load_person(info: Info, id_: str) -> Person:
    """A person by id, through the request's loader."""
    found = await info.context.loaders.people.load(id_)
    return from_model(Person, found)


# For a plain (not async) resolver: the item at once when the request has read it already (a
# page, or roles read with their people, primed the loader), else awaited through the loader.
# An async resolver costs an asyncio task per object even when nothing is awaited.


def company_of(info: Info, id_: str) -> Company | Awaitable[Company]:
    """A company by id: at once if this request has read it, else through the loader."""
    found = peek(info.context.loaders.companies, id_)
    return load_company(info, id_) if found is None else from_model(Company, found)


def person_of(info: Info, id_: str) -> Person | Awaitable[Person]:
    """A person by id: at once if this request has read them, else through the loader."""
    found = peek(info.context.loaders.people, id_)
    return load_person(info, id_) if found is None else from_model(Person, found)


@strawberry.type(description="A position a person holds (or held) at a company.")
class Role(Node):
    id: strawberry.ID = strawberry.field(
        description="Stable id (prefix `ro_`); use it in `role(id:)`."
    )
    person_id: strawberry.Private[str]
    company_id: strawberry.Private[str]
    external_id: str | None = strawberry.field(
        description="Its id in the system it came from (1-200 characters, unique among "
        "roles); `upsertRole` and imports match on it. Null when not set."
    )
    title: str = strawberry.field(
        description="Job title as written, e.g. 采购总监 (1-200 characters)."
    )
    department: str | None = strawberry.field(
        description="Department, free text (up to 200 characters); null if unknown."
    )
    buying_role: BuyingRole | None = strawberry.field(
        description="The part they play in this customer's buying decisions; null if not judged."
    )
    is_key_person: bool = strawberry.field(
        description="Whether account planners count them a key person (关键人物) of this "
        "company: `keyPersonMap` lists these."
    )
    seniority: Seniority | None = strawberry.field(
        description="Where the role sits in the hierarchy (executives are top management); "
        "null if unknown."
    )
    start_date: dt.date | None = strawberry.field(
        description="First day in the role; null if unknown."
    )
    end_date: dt.date | None = strawberry.field(
        description="Last day in the role; null while it has no end."
    )
    is_current: bool = strawberry.field(
        description="True while the role has no end date, or one today or later (UTC)."
    )
    desired_tier: PersonTier | None = strawberry.field(
        description="The tier we aim for with this key person (set by account planners)."
    )
    stance: Stance | None = strawberry.field(description="Their stance toward us.")
    created_at: dt.datetime | None = strawberry.field(
        description="When it was created (UTC); null if not recorded."
    )
    updated_at: dt.datetime | None = strawberry.field(
        description="When it last changed (UTC); null if not recorded."
    )

    @strawberry.field(description="Who holds the role.", graphql_type=Person)
    def person(self, info: Info) -> Person | Awaitable[Person]:
        return person_of(info, self.person_id)

    @strawberry.field(description="Where the role is held.", graphql_type=Company)
    def company(self, info: Info) -> Company | Awaitable[Company]:
        return company_of(info, self.company_id)


@strawberry.type(description="A tie between two people: tier, strength in [0, 1], level.")
class PersonRelationship(Node):
    id: strawberry.ID = strawberry.field(
        description="Stable id (prefix `kn_`); use it in `relationship(id:)`."
    )
    from_person_id: strawberry.Private[str]
    to_person_id: strawberry.Private[str]
    external_id: str | None = strawberry.field(
        description="Its id in the system it came from (1-200 characters, unique among "
        "relationships); `upsertRelationship` and imports match on it. Null "
        "when not set."
    )
    tier: PersonTier = strawberry.field(
        description="The tier people set: 过客 passer-by, 熟人 acquaintance, 朋友 friend or 知己 "
        "confidant."
    )
    strength: float = strawberry.field(
        description=described(
            "Strength in [0, 1], as last computed (it stands still between interactions; "
            "`fadingRelationships` and health count its decay since)."
        )
    )
    level: RelationshipLevel | None = strawberry.field(
        description="How high on the ladder it has climbed: Trust (信任), Value (价值), Emotion "
        "(情感), Vision; null if not judged."
    )
    since: dt.date | None = strawberry.field(description="The date it began; null if unknown.")
    notes: str | None = strawberry.field(
        description="Free notes (up to 5,000 characters); null if none."
    )
    created_at: dt.datetime | None = strawberry.field(
        description="When it was created (UTC); null if not recorded."
    )
    updated_at: dt.datetime | None = strawberry.field(description="When it last changed.")
    last_interaction_at: dt.datetime | None = strawberry.field(
        description="When the latest logged interaction between the two was held."
    )
    interaction_count: int = strawberry.field(description="Interactions logged between the two.")
    version: int = strawberry.field(
        description="Goes up by one with every change (an interaction's included): send it "
        "back as `expectedVersion` to update only what you read."
    )

    def __post_init__(self) -> None:
        self.strength = rounded(self.strength)

    @strawberry.field(
        description="The tier the strength model reads from the strength shown (tiers "
        "themselves are set by people; compare the two)."
    )
    def suggested_tier(self) -> PersonTier:
        return evolution.suggested_tier(self.strength)

    @strawberry.field(
        description="One end of the tie: the person given as `fromPersonId`.",
        graphql_type=Person,
    )
    def from_person(self, info: Info) -> Person | Awaitable[Person]:
        return person_of(info, self.from_person_id)

    @strawberry.field(
        description="The other end: the person given as `toPersonId`.", graphql_type=Person
    )
    def to_person(self, info: Info) -> Person | Awaitable[Person]:
        return person_of(info, self.to_person_id)


@strawberry.type(description="A tie between two companies: tier, lifecycle stage, strength.")
class CompanyRelationship(Node):
    id: strawberry.ID = strawberry.field(
        description="Stable id (prefix `cr_`); use it in `companyRelationship(id:)`."
    )
    from_company_id: strawberry.Private[str]
    to_company_id: strawberry.Private[str]
    external_id: str | None = strawberry.field(
        description="Its id in the system it came from (1-200 characters, unique among "
        "company relationships); `upsertCompanyRelationship` and imports match "
        "on it. Null when not set."
    )
    tier: CompanyTier = strawberry.field(
        description="Transactional (买卖关系), preferred supplier (优先供应关系), partnership "
        "(合作伙伴关系) or strategic alliance (战略联盟关系)."
    )
    lifecycle_stage: LifecycleStage | None = strawberry.field(
        description="Its lifecycle stage, 考察期 exploration to 衰退期 decline; null if not set."
    )
    strength: float = strawberry.field(description=described("Strength in [0, 1]."))
    since: dt.date | None = strawberry.field(description="The date it began; null if unknown.")
    notes: str | None = strawberry.field(
        description="Free notes (up to 5,000 characters); null if none."
    )
    created_at: dt.datetime | None = strawberry.field(
        description="When it was created (UTC); null if not recorded."
    )
    updated_at: dt.datetime | None = strawberry.field(
        description="When it last changed (UTC); null if not recorded."
    )
    version: int = strawberry.field(
        description="Goes up by one with every change (an interaction's included): send it "
        "back as `expectedVersion` to update only what you read."
    )

    def __post_init__(self) -> None:
        self.strength = rounded(self.strength)

    @strawberry.field(
        description="One end of the tie: the company given as `fromCompanyId`.",
        graphql_type=Company,
    )
    def from_company(self, info: Info) -> Company | Awaitable[Company]:
        return company_of(info, self.from_company_id)

    @strawberry.field(
        description="The other end: the company given as `toCompanyId`.", graphql_type=Company
    )
    def to_company(self, info: Info) -> Company | Awaitable[Company]:
        return company_of(info, self.to_company_id)


Party = Annotated[Company | Person, strawberry.union("Party", description="A person or a company.")]


async def load_party(info: Info, ref: models.PartyRef) -> Company | Person:
    if ref.kind is models.PartyKind.PERSON:
        return await load_person(info, ref.id)
    return await load_company(info, ref.id)


@strawberry.type(description="A person or company referred another person or company to us.")
class Referral(Node):
    id: strawberry.ID = strawberry.field(
        description="Stable id (prefix `rf_`); use it in `referral(id:)`."
    )
    referrer_ref: strawberry.Private[models.PartyRef]
    referred_ref: strawberry.Private[models.PartyRef]
    external_id: str | None = strawberry.field(
        description="Its id in the system it came from (1-200 characters, unique among "
        "referrals); `upsertReferral` and imports match on it. Null when not "
        "set."
    )
    date: dt.date | None = strawberry.field(
        description="When the referral was made; null if unknown."
    )
    note: str | None = strawberry.field(
        description="Free note (up to 5,000 characters); null if none."
    )
    created_at: dt.datetime | None = strawberry.field(
        description="When it was recorded (UTC); null if not recorded."
    )
    updated_at: dt.datetime | None = strawberry.field(
        description="When it last changed (UTC); null if not recorded."
    )

    @strawberry.field(
        description="Who made the referral: a person or a company (use `... on Person` / "
        "`... on Company`)."
    )
    async def referrer(self, info: Info) -> Party:
        return await load_party(info, self.referrer_ref)

    @strawberry.field(
        description="Who was referred to us: a person or a company (use `... on Person` / "
        "`... on Company`)."
    )
    async def referred(self, info: Info) -> Party:
        return await load_party(info, self.referred_ref)


def to_referral(model: models.Referral) -> Referral:
    return Referral(
        id=strawberry.ID(model.id),
        referrer_ref=model.referrer,
        referred_ref=model.referred,
        external_id=model.external_id,
        date=model.date,
        note=model.note,
        created_at=model.created_at,
        updated_at=model.updated_at,
    )


def maybe_company(model: models.Company | None) -> Company | None:
    return _maybe(Company, model)


def maybe_person(model: models.Person | None) -> Person | None:
    return _maybe(Person, model)
