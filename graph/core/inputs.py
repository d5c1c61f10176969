"""The rules every write must pass, checked before anything is written.

Fields use the API's camelCase names, so an error names the field as the client sent it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic.alias_generators import to_camel

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
from graph.db.errors import InvalidInput

MAX_NAME = 200
MAX_TEXT = 200
MAX_NOTES = 5000
MAX_TEAM = 64  # an account team's name
MAX_TEAMS = 20  # the teams one company belongs to

# Characters a name may not hold: controls (NUL, line breaks, C1), and the bidirectional
# overrides, embeddings and isolates, which make a name display as other text than it is.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable_name(value: str) -> str:
    """`value` when it is a name a person can read: no control or bidirectional control
    character, and something visible beside spaces and format characters (zero-width spaces
    and joiners, Unicode category Cf); ValueError otherwise."""
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise ValueError(f"must not hold control characters (U+{ord(char):04X})")
        if char in BIDI_CONTROLS:
            raise ValueError(
                f"must not hold bidirectional override, embedding or isolate characters "
                f"(U+{ord(char):04X})"
            )
    if all(char.isspace() or unicodedata.category(char) == "Cf" for char in value):
        raise ValueError("must hold a visible character, not only spaces or zero-width ones")
    return value


def team_name(value: str) -> str:
    """A team's name as credentials name it too (graph/auth/teams.py): no comma, not `*`."""
    if "," in value or value == "*":
        raise ValueError("a team's name holds no comma and is not '*'")
    return value


Team = Annotated[
    str,
    Field(min_length=1, max_length=MAX_TEAM),
    AfterValidator(printable_name),
    AfterValidator(team_name),
]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME), AfterValidator(printable_name)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Notes = Annotated[str, Field(max_length=MAX_NOTES)]
ExternalId = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Strength = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]

# The instants a write or a query may name (every DateTime the API takes, an interaction's
# `at`, a change's `at`, an `asOf`): from the start of 1900 to the start of 9999, UTC. Outside,
# nothing the graph holds can be dated, and a date near year 1 or 9999 leaves the calendar when
# turned to UTC or moved by a window (OverflowError, which answered INTERNAL).
EARLIEST_INSTANT = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST_INSTANT = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)  # excluded
INSTANT_RANGE = "must lie between 1900-01-01 and 9999-01-01 (UTC)"


def checked_instant(stamp: dt.datetime) -> dt.datetime:
    """`stamp` in UTC (a naive one is taken as UTC); ValueError when outside the range."""
    try:
        utc = stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)
    except OverflowError:  # year 0 or 10000 once in UTC
        raise ValueError(INSTANT_RANGE) from None
    if not EARLIEST_INSTANT <= utc < LATEST_INSTANT:
        raise ValueError(INSTANT_RANGE)
    return utc


class Fields(BaseModel):
    """Base of the write models: camelCase names, surrounding spaces trimmed, no extras."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
    )

    external_id: ExternalId | None = None

    def to_props(self) -> dict[str, Any]:
        """The properties to store: camelCase keys, enums by name, None for absent values."""
        props: dict[str, Any] = {}
        for name, value in self.model_dump(by_alias=True).items():
            props[name] = value.value if hasattr(value, "value") else value
        return props

    @classmethod
    def checked(cls, data: Mapping[str, Any], *, prefix: str = "input") -> Self:
        """`data` (API field names) validated; InvalidInput names every broken field."""
        return validate(cls, data, prefix=prefix)

    def sent(self) -> Patch:
        """The fields the client sent (not those left to their defaults), as a patch: what an
        upsert changes of an item that exists."""
        fields = type(self).model_fields
        sent = {fields[name].alias or to_camel(name) for name in self.model_fields_set}
        return Patch({k: v for k, v in self.to_props().items() if k in sent})


@dataclass(frozen=True)
class Patch:
    """A change to an item's user-set fields as the client sent it, by API name: the fields
    named change (None clears an optional one), the others stay. It is checked against the
    kind's validation model together with the stored state, when applied."""

    values: Mapping[str, Any]


class CompanyFields(Fields):
    name: Name
    industry: Text | None = None
    region: Text | None = None
    status: CompanyStatus | None = None
    value_class: ValueClass | None = None
    intent_class: IntentClass | None = None
    lifecycle_stage: LifecycleStage | None = None
    is_ours: bool = False
    # the account teams the customer belongs to (graph/auth/scope.py); none: only credentials
    # of every customer see it
    teams: Annotated[list[Team], Field(max_length=MAX_TEAMS)] | None = None

    @field_validator("teams")
    @classmethod
    def _distinct_sorted(cls, teams: list[str] | None) -> list[str] | None:
        return None if teams is None else sorted(set(teams))


class PersonFields(Fields):
    name: Name
    email: Annotated[str, Field(max_length=MAX_TEXT, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None
    phone: Text | None = None
    wechat: Text | None = None
    communication_style: CommunicationStyle | None = None
    notes: Notes | None = None


class RoleFields(Fields):
    title: Name
    department: Text | None = None
    buying_role: BuyingRole | None = None
    is_key_person: bool = False
    seniority: Seniority | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    desired_tier: PersonTier | None = None
    stance: Stance | None = None

    @field_validator("end_date")
    @classmethod
    def _ends_after_start(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start_date")
        if start and end and end < start:
            raise ValueError(f"must not be before startDate ({start.isoformat()})")
        return end


class PersonRelationshipFields(Fields):
    tier: PersonTier
    strength: Strength
    level: RelationshipLevel | None = None
    since: dt.date | None = None
    notes: Notes | None = None


class CompanyRelationshipFields(Fields):
    tier: CompanyTier
    strength: Strength
    lifecycle_stage: LifecycleStage | None = None
    since: dt.date | None = None
    notes: Notes | None = None


class ReferralFields(Fields):
    date: dt.date | None = None
    note: Notes | None = None


def checked_external_id(value: str) -> str:
    """An external id as stored: surrounding spaces trimmed, 1 to 200 characters."""
    trimmed = value.strip()
    if not 1 <= len(trimmed) <= MAX_TEXT:
        raise InvalidInput(
            f"externalId: must be 1 to {MAX_TEXT} characters, spaces around it not counted",
            field="externalId",
        )
    return trimmed


F = TypeVar("F", bound=Fields)


def validate(model: type[F], data: Mapping[str, Any], *, prefix: str = "input") -> F:
    """Check `data` against `model`; on failure raise InvalidInput naming every broken field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems: list[str] = []
        first_field: str | None = None
        for error in exc.errors():
            path = ".".join(str(part) for part in (prefix, *error["loc"]))
            first_field = first_field or path
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{path}: {message}")
        raise InvalidInput("; ".join(problems), field=first_field) from None
