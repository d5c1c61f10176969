"""The domain: enums from the seeds' concepts (see docs/DOMAIN.md) and read models.

Enum members are stored in the graph by name, e.g. `tier: "FRIEND"`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, Self, TypeVar

import neo4j.time


class CompanyStatus(Enum):
    """Maturity of the customer: from prospect to current, churned and won back."""

    PROSPECT = "PROSPECT"
    TARGET = "TARGET"
    CURRENT = "CURRENT"
    CHURNED = "CHURNED"
    WON_BACK = "WON_BACK"


class ValueClass(Enum):
    """A/B/C by value to us: revenue, marketing cost, years of business."""

    A = "A"
    B = "B"
    C = "C"


class IntentClass(Enum):
    """A = clear intent and able to buy; B = need, hesitating; C = latent; D = refused or none."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class LifecycleStage(Enum):
    """The length measure of a relationship: exploration -> formation -> stability -> decline."""

    EXPLORATION = "EXPLORATION"
    FORMATION = "FORMATION"
    STABILITY = "STABILITY"
    DECLINE = "DECLINE"


class CommunicationStyle(Enum):
    """Amiable (dove), driver (tiger), analytical (owl), expressive (peacock)."""

    AMIABLE = "AMIABLE"
    DRIVER = "DRIVER"
    ANALYTICAL = "ANALYTICAL"
    EXPRESSIVE = "EXPRESSIVE"


class BuyingRole(Enum):
    """The part a person plays in the customer's buying decisions."""

    DECISION_MAKER = "DECISION_MAKER"
    INFLUENCER = "INFLUENCER"
    CHAMPION = "CHAMPION"
    GATEKEEPER = "GATEKEEPER"
    USER = "USER"
    BLOCKER = "BLOCKER"


class Seniority(Enum):
    """Where a role sits: executives are the customer's top management."""

    EXECUTIVE = "EXECUTIVE"
    SENIOR = "SENIOR"
    MIDDLE = "MIDDLE"
    STAFF = "STAFF"


class PersonTier(Enum):
    """Person-to-person tiers: passer-by -> acquaintance -> friend -> confidant.

    In the seeds: 过客, 熟人, 朋友, 知己.
    """

    PASSER_BY = "PASSER_BY"
    ACQUAINTANCE = "ACQUAINTANCE"
    FRIEND = "FRIEND"
    CONFIDANT = "CONFIDANT"


class RelationshipLevel(Enum):
    """The ladder of relationship levels: trust -> value -> emotion -> vision."""

    TRUST = "TRUST"
    VALUE = "VALUE"
    EMOTION = "EMOTION"
    VISION = "VISION"


class CompanyTier(Enum):
    """Company-to-company tiers, loosest to closest."""

    TRANSACTIONAL = "TRANSACTIONAL"
    PREFERRED_SUPPLIER = "PREFERRED_SUPPLIER"
    PARTNERSHIP = "PARTNERSHIP"
    STRATEGIC_ALLIANCE = "STRATEGIC_ALLIANCE"


class Stance(Enum):
    """A key person's stance toward us, as account planners judge it."""

    CHAMPION = "CHAMPION"
    SUPPORTER = "SUPPORTER"
    NEUTRAL = "NEUTRAL"
    SCEPTIC = "SCEPTIC"
    OPPONENT = "OPPONENT"


TIER_RANK: dict[PersonTier, int] = {tier: rank for rank, tier in enumerate(PersonTier)}
COMPANY_TIER_RANK: dict[CompanyTier, int] = {tier: rank for rank, tier in enumerate(CompanyTier)}


def tiers_at_least(tier: PersonTier | None) -> list[str]:
    """Stored names of the tiers at or above `tier` (all of them for None)."""
    floor = 0 if tier is None else TIER_RANK[tier]
    return [t.value for t in PersonTier if TIER_RANK[t] >= floor]


class PartyKind(Enum):
    """What a referral's ends are: a person or a company."""

    PERSON = "PERSON"
    COMPANY = "COMPANY"


def to_date(value: Any) -> dt.date | None:
    """A stored date as a Python date."""
    if value is None:
        return None
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def to_datetime(value: Any) -> dt.datetime | None:
    """A stored timestamp (a driver value, a datetime or an ISO string, as Cypher's toString()
    writes one) as an aware UTC datetime (naive values are UTC)."""
    if value is None:
        return None
    if isinstance(value, neo4j.time.DateTime):
        # what its to_native() does, without its float division and extra look-ups: rows hold
        # many (264 in a key-person map of 49 people; build_map 2.5 -> 1.9 ms CPU with this)
        y, mo, d = value.year_month_day
        h, mi, s, ns = value.hour_minute_second_nanosecond
        zone = value.tzinfo
        if zone is None:
            return dt.datetime(y, mo, d, h, mi, s, ns // 1000, dt.UTC)
        return dt.datetime(y, mo, d, h, mi, s, ns // 1000, zone).astimezone(dt.UTC)
    if isinstance(value, dt.datetime):
        stamp = value
    else:  # as toString() writes one: 2024-01-02T03:04, …05.123456789Z, …+01:00[Europe/Berlin]
        text, zone_id = str(value), ""
        if text.endswith("]"):  # a named zone after the offset, as Neo4j writes it
            text, _, zone_id = text[:-1].partition("[")
        stamp = dt.datetime.fromisoformat(text)
        if stamp.tzinfo is None and zone_id:  # the zone id alone: its offset at that time
            stamp = stamp.replace(tzinfo=zoneinfo.ZoneInfo(zone_id))
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)


def current_at(role: dict[str, Any] | None, at: dt.datetime) -> bool:
    """Whether a role (its properties as of `at`) was current on that day."""
    if role is None:
        return False
    end = to_date(role.get("endDate"))
    return end is None or end >= at.date()


E = TypeVar("E", bound=Enum)


def to_enum(kind: type[E], value: Any) -> E | None:
    return None if value is None else kind(value)


@dataclass(frozen=True)
class CompanyFigures:
    """Figures computed from a company's people and their relationships with ours."""

    our_relationship_count: int = 0
    people_count: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            our_relationship_count=row.get("ourRelationshipCount") or 0,
            people_count=row.get("peopleCount") or 0,
        )


def _figures_hold(row: dict[str, Any]) -> bool:
    """Whether a company's row holds figures that hold today (UTC, as the database's `date()`
    on Neo4j): stored, and no role they counted has ended since (`figuresDue`)."""
    if "peopleCount" not in row or row["peopleCount"] is None:
        return False
    due = to_date(row.get("figuresDue"))
    return due is None or due >= dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True)
class Company:
    """A company; `figures` is None when read without them (they load apart, when asked)."""

    id: str
    name: str
    external_id: str | None
    industry: str | None
    region: str | None
    status: CompanyStatus | None
    value_class: ValueClass | None
    intent_class: IntentClass | None
    lifecycle_stage: LifecycleStage | None
    is_ours: bool
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    figures: CompanyFigures | None = None
    teams: tuple[str, ...] = ()  # its account teams (graph/auth/scope.py)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """From stored properties; with its stored figures (graph/core/figures.py) while they
        hold (else they load apart, counted anew)."""
        return cls(
            id=row["id"],
            name=row["name"],
            external_id=row.get("externalId"),
            industry=row.get("industry"),
            region=row.get("region"),
            status=to_enum(CompanyStatus, row.get("status")),
            value_class=to_enum(ValueClass, row.get("valueClass")),
            intent_class=to_enum(IntentClass, row.get("intentClass")),
            lifecycle_stage=to_enum(LifecycleStage, row.get("lifecycleStage")),
            is_ours=bool(row.get("isOurs")),
            created_at=to_datetime(row.get("createdAt")),
            updated_at=to_datetime(row.get("updatedAt")),
            figures=CompanyFigures.from_row(row) if _figures_hold(row) else None,
            teams=tuple(row.get("teams") or ()),
        )


@dataclass(frozen=True)
class PersonFigures:
    """Figures computed from a person's relationships."""

    strongest_tie: float | None = None
    relationship_count: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            strongest_tie=row.get("strongestTie"),
            relationship_count=row.get("relationshipCount") or 0,
        )


@dataclass(frozen=True)
class Person:
    """A person; `figures` is None when read without them (they load apart, when asked)."""

    id: str
    name: str
    external_id: str | None
    email: str | None
    phone: str | None
    wechat: str | None
    communication_style: CommunicationStyle | None
    notes: str | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    figures: PersonFigures | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """From stored properties; with `relationshipCount` in them, with the figures too."""
        return cls(
            id=row["id"],
            name=row["name"],
            external_id=row.get("externalId"),
            email=row.get("email"),
            phone=row.get("phone"),
            wechat=row.get("wechat"),
            communication_style=to_enum(CommunicationStyle, row.get("communicationStyle")),
            notes=row.get("notes"),
            created_at=to_datetime(row.get("createdAt")),
            updated_at=to_datetime(row.get("updatedAt")),
            figures=None if row.get("relationshipCount") is None else PersonFigures.from_row(row),
        )


@dataclass(frozen=True)
class Role:
    """A position a person holds (or held) at a company."""

    id: str
    person_id: str
    company_id: str
    external_id: str | None
    title: str
    department: str | None
    buying_role: BuyingRole | None
    is_key_person: bool
    seniority: Seniority | None
    start_date: dt.date | None
    end_date: dt.date | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    desired_tier: PersonTier | None = None
    stance: Stance | None = None

    @property
    def is_current(self) -> bool:
        """No end date, or one today or later (UTC, as the queries' date() on the server)."""
        return self.end_date is None or self.end_date >= dt.datetime.now(dt.UTC).date()

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            person_id=row["personId"],
            company_id=row["companyId"],
            external_id=row.get("externalId"),
            title=row["title"],
            department=row.get("department"),
            buying_role=to_enum(BuyingRole, row.get("buyingRole")),
            is_key_person=bool(row.get("isKeyPerson")),
            seniority=to_enum(Seniority, row.get("seniority")),
            start_date=to_date(row.get("startDate")),
            end_date=to_date(row.get("endDate")),
            created_at=to_datetime(row.get("createdAt")),
            updated_at=to_datetime(row.get("updatedAt")),
            desired_tier=to_enum(PersonTier, row.get("desiredTier")),
            stance=to_enum(Stance, row.get("stance")),
        )


@dataclass(frozen=True)
class PersonRelationship:
    """A tie between two people, with its tier, strength in [0, 1] and level."""

    id: str
    from_person_id: str
    to_person_id: str
    external_id: str | None
    tier: PersonTier
    strength: float
    level: RelationshipLevel | None
    since: dt.date | None
    notes: str | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    last_interaction_at: dt.datetime | None = None
    interaction_count: int = 0
    version: int = 1
    # The strength model's state (graph/evolution/strength.py): the raw strength and when it
    # was evaluated, in ms (None: not kept for this tie; `strength` and its creation count).
    strength_raw: float | None = None
    strength_at_ms: int | None = None

    def other(self, person_id: str) -> str:
        return self.to_person_id if self.from_person_id == person_id else self.from_person_id

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            from_person_id=row["fromId"],
            to_person_id=row["toId"],
            external_id=row.get("externalId"),
            tier=PersonTier(row["tier"]),
            strength=float(row["strength"]),
            level=to_enum(RelationshipLevel, row.get("level")),
            since=to_date(row.get("since")),
            notes=row.get("notes"),
            created_at=to_datetime(row.get("createdAt")),
            updated_at=to_datetime(row.get("updatedAt")),
            last_interaction_at=_from_ms(row.get("lastInteractionAtMs")),
            interaction_count=int(row.get("interactionCount") or 0),
            version=int(row.get("version") or 1),
            strength_raw=_float_or_none(row.get("strengthRaw")),
            strength_at_ms=_int_or_none(row.get("strengthAtMs")),
        )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _from_ms(value: Any) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC)


@dataclass(frozen=True)
class CompanyRelationship:
    """A tie between two companies, with its tier, lifecycle stage and strength."""

    id: str
    from_company_id: str
    to_company_id: str
    external_id: str | None
    tier: CompanyTier
    lifecycle_stage: LifecycleStage | None
    strength: float
    since: dt.date | None
    notes: str | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    version: int = 1

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            from_company_id=row["fromId"],
            to_company_id=row["toId"],
            external_id=row.get("externalId"),
            tier=CompanyTier(row["tier"]),
            lifecycle_stage=to_enum(LifecycleStage, row.get("lifecycleStage")),
            strength=float(row["strength"]),
            since=to_date(row.get("since")),
            notes=row.get("notes"),
            created_at=to_datetime(row.get("createdAt")),
            updated_at=to_datetime(row.get("updatedAt")),
            version=int(row.get("version") or 1),
        )


@dataclass(frozen=True)
class PartyRef:
    """One end of a referral: a person or a company, by id."""

    kind: PartyKind
    id: str


@dataclass(frozen=True)
class Referral:
    """Someone (a person or a company) referred someone else to us, on a date."""

    id: str
    referrer: PartyRef
    referred: PartyRef
    external_id: str | None
    date: dt.date | None
    note: str | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            referrer=PartyRef(PartyKind(row["fromKind"]), row["fromId"]),
            referred=PartyRef(PartyKind(row["toKind"]), row["toId"]),
            external_id=row.get("externalId"),
            date=to_date(row.get("date")),
            note=row.get("note"),
            created_at=to_datetime(row.get("createdAt")),
            updated_at=to_datetime(row.get("updatedAt")),
        )


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of an ordered list, and how many items the whole list has."""

    items: list[T]
    total: int
    offset: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.items) < self.total
