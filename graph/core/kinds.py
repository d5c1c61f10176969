"""One description per kind of node and edge: what the API's writes, the import and the
synthetic loader all read.

A kind names its label or type (through its statements, graph/cypher/core/kinds.py), its id
prefix, the validation model of its user-set fields, how to read a stored row into its read
model, whether and under which subject its changes are recorded, and, for an edge, its ends
and whether it carries a version. To add a field, add it to the validation model
(graph/core/inputs.py) and the read model (graph/core/models.py); every write path follows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, LiteralString, TypeVar

from graph.core.history import SubjectKind
from graph.core.inputs import (
    CompanyFields,
    CompanyRelationshipFields,
    Fields,
    PersonFields,
    PersonRelationshipFields,
    ReferralFields,
    RoleFields,
)
from graph.core.models import (
    Company,
    CompanyRelationship,
    Person,
    PersonRelationship,
    Referral,
    Role,
)
from graph.core.search import search_text
from graph.cypher.core import companies, deleted, people
from graph.cypher.core import kinds as statements
from graph.cypher.core import search as search_statements
from graph.cypher.core.deleted import ArchiveStatements
from graph.cypher.core.kinds import EdgeStatements, NodeStatements
from graph.cypher.core.search import SearchKeyStatements

M = TypeVar("M")
F = TypeVar("F", bound=Fields)


def _name_search(props: dict[str, Any]) -> dict[str, Any]:
    return {"searchText": search_text(props["name"])}


def _nothing(props: dict[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class NodeKind(Generic[M, F]):
    """A kind of node: M its read model, F its validation model."""

    name: str
    id_prefix: str
    fields: type[F]
    model: Callable[[dict[str, Any]], M]  # a stored row (`item` of `by_id`) as read model
    statements: NodeStatements
    edge_count: LiteralString  # $id -> `edges`: what a delete without `force` refuses
    # the recorded edges a forced delete takes with the node (roles, relationships, business)
    tracked_edges: LiteralString
    archive: ArchiveStatements  # how a delete moves it into its archive, and a restore back
    search_keys: SearchKeyStatements  # how the keys that find its searchText are written
    derived: Callable[[dict[str, Any]], dict[str, Any]] = field(default=_name_search)
    history: SubjectKind | None = None  # set where changes are recorded

    def checked(self, data: Mapping[str, Any]) -> F:
        """`data` (API field names) as this kind's validated fields; InvalidInput names every
        broken field."""
        return self.fields.checked(data)


@dataclass(frozen=True)
class EdgeKind(Generic[M, F]):
    """A kind of edge, and the names of its two ends in the API: M its read model, F its
    validation model."""

    name: str
    id_prefix: str
    fields: type[F]
    model: Callable[[dict[str, Any]], M]  # a stored row (`item` of `by_id`) as read model
    statements: EdgeStatements
    from_field: str
    to_field: str
    history: SubjectKind | None = None  # set where changes are recorded
    derived: Callable[[dict[str, Any]], dict[str, Any]] = field(default=_nothing)

    @property
    def versioned(self) -> bool:
        """Whether its edges carry a version that every change counts up and updates may
        name as the one they expect."""
        return self.statements.versioned

    @property
    def one_per_pair(self) -> bool:
        """Whether at most one such edge may join two nodes (either way)."""
        return self.statements.between is not None

    def checked(self, data: Mapping[str, Any]) -> F:
        """`data` (API field names) as this kind's validated fields; InvalidInput names every
        broken field."""
        return self.fields.checked(data)


COMPANY = NodeKind(
    name="company",
    id_prefix="co",
    fields=CompanyFields,
    model=Company.from_row,
    statements=statements.COMPANY,
    edge_count=companies.COMPANY_EDGE_COUNT,
    tracked_edges=companies.COMPANY_TRACKED_EDGES,
    archive=deleted.COMPANY_ARCHIVE,
    search_keys=search_statements.COMPANY_SEARCH_KEYS,
    history=SubjectKind.COMPANY,
)

PERSON = NodeKind(
    name="person",
    id_prefix="pe",
    fields=PersonFields,
    model=Person.from_row,
    statements=statements.PERSON,
    edge_count=people.PERSON_EDGE_COUNT,
    tracked_edges=people.PERSON_TRACKED_EDGES,
    archive=deleted.PERSON_ARCHIVE,
    search_keys=search_statements.PERSON_SEARCH_KEYS,
)

ROLE = EdgeKind(
    name="role",
    id_prefix="ro",
    fields=RoleFields,
    model=Role.from_row,
    statements=statements.ROLE,
    from_field="personId",
    to_field="companyId",
    history=SubjectKind.ROLE,
)

RELATIONSHIP = EdgeKind(
    name="relationship",
    id_prefix="kn",
    fields=PersonRelationshipFields,
    model=PersonRelationship.from_row,
    statements=statements.RELATIONSHIP,
    from_field="fromPersonId",
    to_field="toPersonId",
    history=SubjectKind.RELATIONSHIP,
)

COMPANY_RELATIONSHIP = EdgeKind(
    name="company relationship",
    id_prefix="cr",
    fields=CompanyRelationshipFields,
    model=CompanyRelationship.from_row,
    statements=statements.COMPANY_RELATIONSHIP,
    from_field="fromCompanyId",
    to_field="toCompanyId",
    history=SubjectKind.COMPANY_RELATIONSHIP,
)

REFERRAL = EdgeKind(
    name="referral",
    id_prefix="rf",
    fields=ReferralFields,
    model=Referral.from_row,
    statements=statements.REFERRAL,
    from_field="referrerId",
    to_field="referredId",
    history=SubjectKind.REFERRAL,
)
