"""The domain's enums, exposed in GraphQL under their own names."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types.enum import has_enum_definition

from graph.core.history import EvidenceKind, Operation, SubjectKind
from graph.core.models import (
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
from graph.evolution.strength import InteractionKind, Trend
from graph.evolution.timelines import ChangeCategory
from graph.keypersons.introductions import PathLabel

E = TypeVar("E", bound=Enum)


def described_enum(cls: type[E], description: str, values: Mapping[E, str]) -> None:
    """Register an enum with Strawberry, with a description for the type and one for each
    value. The domain's enums are defined in graph/, which never sees GraphQL, and
    `strawberry.enum` takes only the type's description, so the values' are set on the
    definition it makes (`strawberry.enum_value` in the class body would also make each
    member's `.value` an EnumValueDefinition to type checkers). Every member must be
    described."""
    missing = [member.name for member in cls if member not in values]
    if missing:
        raise ValueError(f"{cls.__name__}: no description for {', '.join(missing)}")
    registered = strawberry.enum(cls, description=description)
    assert has_enum_definition(registered)
    for value in registered.__strawberry_definition__.values:
        value.description = values[cls(value.value)]


described_enum(
    CompanyStatus,
    "A customer's maturity (成熟程度): prospect, target, current; then churned or won back.",
    {
        CompanyStatus.PROSPECT: "Potential customer (潜在客户): may trade with us some day.",
        CompanyStatus.TARGET: "Target customer (目标客户): in contact, may become a current one.",
        CompanyStatus.CURRENT: "Current customer (现行客户): doing business with us now.",
        CompanyStatus.CHURNED: "Churned (流失客户): was a customer and stopped buying.",
        CompanyStatus.WON_BACK: "Won back: churned, then became a customer again "
        "(重新获得的已流失客户).",
    },
)
described_enum(
    ValueClass,
    "Value class: A, B or C by the customer's value (价值) to us: revenue, marketing cost, "
    "years of business.",
    {
        ValueClass.A: "A: the most valuable customers.",
        ValueClass.B: "B: customers of middling value.",
        ValueClass.C: "C: customers of the least value.",
    },
)
described_enum(
    IntentClass,
    "Intent class: how ready the customer is to buy (合作意向), from A (ready) to D (refused).",
    {
        IntentClass.A: "A (A类客户): clear intent to buy and able to pay.",
        IntentClass.B: "B (B类客户): has the need and the intent, but hesitates.",
        IntentClass.C: "C (C类客户): a latent need for what we sell.",
        IntentClass.D: "D (D类客户): has refused us or has no need now; keep in touch long-term.",
    },
)
described_enum(
    LifecycleStage,
    "Lifecycle stage (客户关系生命周期), the length measure of a relationship: exploration, "
    "formation, stability, decline.",
    {
        LifecycleStage.EXPLORATION: "Exploration (考察期): both sides are testing each other.",
        LifecycleStage.FORMATION: "Formation (形成期): trust and business are growing.",
        LifecycleStage.STABILITY: "Stability (稳定期): a settled, mature relationship.",
        LifecycleStage.DECLINE: "Decline (衰退期): the relationship is weakening.",
    },
)
described_enum(
    CommunicationStyle,
    "A person's communication style, from sales training's four animals.",
    {
        CommunicationStyle.AMIABLE: "Amiable (友善型, the dove 鸽子): easy-going, values trust.",
        CommunicationStyle.DRIVER: "Driver (支配型, the tiger 老虎): dominant, decides fast.",
        CommunicationStyle.ANALYTICAL: "Analytical (分析型, the owl 猫头鹰): wants reasons "
        "and evidence.",
        CommunicationStyle.EXPRESSIVE: "Expressive (the peacock 孔雀): outgoing, cares about "
        "image and others' opinion.",
    },
)
described_enum(
    BuyingRole,
    "The part a person plays in the customer's buying decisions.",
    {
        BuyingRole.DECISION_MAKER: "Makes the buying decision.",
        BuyingRole.INFLUENCER: "Sways the decision without making it.",
        BuyingRole.CHAMPION: "Argues for us inside the customer.",
        BuyingRole.GATEKEEPER: "Controls access to the decision makers and to information.",
        BuyingRole.USER: "Uses what is bought.",
        BuyingRole.BLOCKER: "Works against the purchase.",
    },
)
described_enum(
    Seniority,
    "Where a role sits in the customer's hierarchy.",
    {
        Seniority.EXECUTIVE: "Top management (最高管理者): a partnership tier needs ties here.",
        Seniority.SENIOR: "Senior management.",
        Seniority.MIDDLE: "Middle management.",
        Seniority.STAFF: "Staff without management duties.",
    },
)
described_enum(
    PersonTier,
    "Person-to-person tier, from loosest to closest: 过客 passer-by, 熟人 acquaintance, 朋友 "
    "friend, 知己 confidant (of 100 contacts about 50 become acquaintances, 10 friends, 3-5 "
    "confidants). The strengths that suggest each are defaults "
    "(GUANXI_STRENGTH_TIER_FLOORS).",
    {
        PersonTier.PASSER_BY: "过客 passer-by: met, no relationship to speak of "
        "(`suggestedTier` below strength 0.2).",
        PersonTier.ACQUAINTANCE: "熟人 acquaintance: knows us (`suggestedTier` from strength 0.2).",
        PersonTier.FRIEND: "朋友 friend: a personal tie (`suggestedTier` from strength 0.5).",
        PersonTier.CONFIDANT: "知己 confidant: the closest (`suggestedTier` from strength 0.8).",
    },
)
described_enum(
    RelationshipLevel,
    "The ladder of relationship levels, from low to high: Trust, Value, Emotion, Vision.",
    {
        RelationshipLevel.TRUST: "Trust (信任): promises kept.",
        RelationshipLevel.VALUE: "Value (价值): we add value to the customer's business and "
        "to the person.",
        RelationshipLevel.EMOTION: "Emotion (情感): an emotional bank account, deposits "
        "made over time.",
        RelationshipLevel.VISION: "Vision: shared strategy and prospects, pooled resources.",
    },
)
described_enum(
    CompanyTier,
    "Company-to-company tier, from loosest to closest; no tier is better in itself, most "
    "customers need only a preferred supplier.",
    {
        CompanyTier.TRANSACTIONAL: "Transactional (买卖关系): a fair one-off exchange, "
        "low-level contact only.",
        CompanyTier.PREFERRED_SUPPLIER: "Preferred supplier (优先供应关系): good relations "
        "with many of the customer's key persons; priority or exclusive chances.",
        CompanyTier.PARTNERSHIP: "Partnership (合作伙伴关系): the relationship reaches top "
        "management on both sides; joint planning.",
        CompanyTier.STRATEGIC_ALLIANCE: "Strategic alliance (战略联盟关系): aligned goals, "
        "maybe cross-holdings or a joint venture.",
    },
)
described_enum(
    Stance,
    "A key person's stance toward us, as account planners judge it.",
    {
        Stance.CHAMPION: "Argues for us.",
        Stance.SUPPORTER: "Favours us.",
        Stance.NEUTRAL: "Neither for nor against us.",
        Stance.SCEPTIC: "Doubts us.",
        Stance.OPPONENT: "Works against us.",
    },
)
described_enum(
    PathLabel,
    "How good an introduction path is, by its strength (the product of its ties' strengths).",
    {
        PathLabel.STRONG: "Strength 0.5 or more.",
        PathLabel.MODERATE: "Strength from 0.2 up to 0.5.",
        PathLabel.WEAK: "Strength under 0.2.",
    },
)
described_enum(
    SubjectKind,
    "What a recorded change is about.",
    {
        SubjectKind.RELATIONSHIP: "A person-to-person relationship.",
        SubjectKind.COMPANY_RELATIONSHIP: "A company-to-company relationship.",
        SubjectKind.ROLE: "A role a person holds at a company.",
        SubjectKind.COMPANY: "A company's own fields (status, classes, lifecycle stage, ...).",
        SubjectKind.REFERRAL: "A referral.",
        SubjectKind.REPORTING_LINE: "A reporting line of an org chart.",
    },
)
described_enum(
    Operation,
    "What a recorded change did to its subject.",
    {
        Operation.CREATED: "Created it.",
        Operation.UPDATED: "Changed some of its fields.",
        Operation.DELETED: "Deleted it.",
    },
)
described_enum(
    EvidenceKind,
    "Where a strength change came from.",
    {
        EvidenceKind.MANUAL: "A person set the strength.",
        EvidenceKind.INTERACTION: "A logged interaction moved it.",
    },
)
described_enum(
    ChangeCategory,
    "What kind of move a change in a customer's neighbourhood is.",
    {
        ChangeCategory.NEW_ROLE: "Someone took up a role at the customer.",
        ChangeCategory.ENDED_ROLE: "A role ended (its end date passed, or it was deleted).",
        ChangeCategory.ROLE_CHANGED: "A role's fields changed (an end date still ahead too).",
        ChangeCategory.NEW_RELATIONSHIP: "A relationship was created.",
        ChangeCategory.RELATIONSHIP_REMOVED: "A relationship was deleted.",
        ChangeCategory.TIER_MOVE: "A relationship's tier changed.",
        ChangeCategory.STRENGTH_MOVE: "A relationship's strength changed.",
        ChangeCategory.LEVEL_MOVE: "A relationship's level changed.",
        ChangeCategory.STAGE_CHANGE: "A lifecycle stage changed.",
        ChangeCategory.STATUS_CHANGE: "The customer's status (maturity) changed.",
        ChangeCategory.CLASS_CHANGE: "The customer's value or intent class changed.",
    },
)
described_enum(
    InteractionKind,
    "The kind of a logged interaction; each adds its own weight to the strength (a meal the "
    "most, an email or message the least; GUANXI_STRENGTH_WEIGHTS changes them).",
    {
        InteractionKind.MEETING: "A meeting (default weight 0.08).",
        InteractionKind.CALL: "A phone or video call (default weight 0.05).",
        InteractionKind.EMAIL: "An email (default weight 0.02).",
        InteractionKind.MESSAGE: "A chat message, e.g. WeChat (default weight 0.02).",
        InteractionKind.VISIT: "A visit (default weight 0.10).",
        InteractionKind.MEAL: "A meal together (default weight 0.12).",
        InteractionKind.EVENT: "An event both attended (default weight 0.06).",
        InteractionKind.OTHER: "Anything else (default weight 0.03).",
    },
)
described_enum(
    Trend,
    "Which way a relationship's health moved over a window.",
    {
        Trend.UP: "Up by more than 5 points (GUANXI_STRENGTH_TREND_THRESHOLD).",
        Trend.DOWN: "Down by more than 5 points.",
        Trend.FLAT: "Moved by 5 points or less.",
    },
)

__all__ = [
    "described_enum",
    "BuyingRole",
    "ChangeCategory",
    "EvidenceKind",
    "InteractionKind",
    "Operation",
    "SubjectKind",
    "Trend",
    "CommunicationStyle",
    "CompanySortField",
    "CompanyStatus",
    "CompanyTier",
    "Direction",
    "IntentClass",
    "LifecycleStage",
    "PersonSortField",
    "PersonTier",
    "RelationshipLevel",
    "RelationshipSortField",
    "Seniority",
    "Stance",
    "PathLabel",
    "ValueClass",
]


# The API's own enums: plain values (so that `.value` stays a str to type checkers), described
# as the domain's are.
class Direction(Enum):
    ASC = "ASC"
    DESC = "DESC"


described_enum(
    Direction,
    "Sort direction.",
    {
        Direction.ASC: "Ascending: smallest, earliest or A first.",
        Direction.DESC: "Descending: largest, latest or Z first.",
    },
)


class CompanySortField(Enum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"
    OUR_RELATIONSHIP_COUNT = "OUR_RELATIONSHIP_COUNT"
    PEOPLE_COUNT = "PEOPLE_COUNT"


described_enum(
    CompanySortField,
    "How to sort companies; counts are computed from the graph.",
    {
        CompanySortField.NAME: "By name.",
        CompanySortField.CREATED_AT: "By when it was created.",
        CompanySortField.OUR_RELATIONSHIP_COUNT: "By `ourRelationshipCount`.",
        CompanySortField.PEOPLE_COUNT: "By `peopleCount`.",
    },
)


class PersonSortField(Enum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"
    STRONGEST_TIE = "STRONGEST_TIE"
    RELATIONSHIP_COUNT = "RELATIONSHIP_COUNT"


described_enum(
    PersonSortField,
    "How to sort people; figures are computed from the graph.",
    {
        PersonSortField.NAME: "By name.",
        PersonSortField.CREATED_AT: "By when they were created.",
        PersonSortField.STRONGEST_TIE: "By `strongestTie`.",
        PersonSortField.RELATIONSHIP_COUNT: "By `relationshipCount`.",
    },
)


class RelationshipSortField(Enum):
    STRENGTH = "STRENGTH"
    UPDATED_AT = "UPDATED_AT"
    SINCE = "SINCE"


described_enum(
    RelationshipSortField,
    "How to sort person-to-person relationships.",
    {
        RelationshipSortField.STRENGTH: "By stored `strength`.",
        RelationshipSortField.UPDATED_AT: "By when it last changed.",
        RelationshipSortField.SINCE: "By `since`, the date it began.",
    },
)
