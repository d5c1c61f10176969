"""The domain's enums, exposed in GraphQL under their own names."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph import models

CompanyStatus = strawberry.enum(models.CompanyStatus)
ValueClass = strawberry.enum(models.ValueClass)
IntentClass = strawberry.enum(models.IntentClass)
LifecycleStage = strawberry.enum(models.LifecycleStage)
CommunicationStyle = strawberry.enum(models.CommunicationStyle)
BuyingRole = strawberry.enum(models.BuyingRole)
Seniority = strawberry.enum(models.Seniority)
PersonTier = strawberry.enum(models.PersonTier)
RelationshipLevel = strawberry.enum(models.RelationshipLevel)
CompanyTier = strawberry.enum(models.CompanyTier)


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
