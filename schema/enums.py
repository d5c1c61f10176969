"""The domain's enums, exposed in GraphQL under their own names."""

from __future__ import annotations

from enum import Enum

import strawberry

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

# The domain's own enum classes, registered with Strawberry in place.
for _domain_enum in (
    CompanyStatus,
    ValueClass,
    IntentClass,
    LifecycleStage,
    CommunicationStyle,
    BuyingRole,
    Seniority,
    PersonTier,
    RelationshipLevel,
    CompanyTier,
    Stance,
    PathLabel,
    SubjectKind,
    Operation,
    EvidenceKind,
    ChangeCategory,
    InteractionKind,
    Trend,
):
    strawberry.enum(_domain_enum)

__all__ = [
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


@strawberry.enum(description="Sort direction.")
class Direction(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.enum(description="How to sort companies; counts are computed from the graph.")
class CompanySortField(Enum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"
    OUR_RELATIONSHIP_COUNT = "OUR_RELATIONSHIP_COUNT"
    PEOPLE_COUNT = "PEOPLE_COUNT"


@strawberry.enum(description="How to sort people; figures are computed from the graph.")
class PersonSortField(Enum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"
    STRONGEST_TIE = "STRONGEST_TIE"
    RELATIONSHIP_COUNT = "RELATIONSHIP_COUNT"


@strawberry.enum(description="How to sort person-to-person relationships.")
class RelationshipSortField(Enum):
    STRENGTH = "STRENGTH"
    UPDATED_AT = "UPDATED_AT"
    SINCE = "SINCE"
