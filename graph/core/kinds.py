"""What the generic writes need to know about each kind of node and edge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, LiteralString

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
from graph.core.search import search_text
from graph.cypher.core import business, companies, people, referrals, relationships, roles


def _name_search(props: dict[str, Any]) -> dict[str, Any]:
    return {"searchText": search_text(props["name"])}


def _nothing(props: dict[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class NodeKind:
    """A kind of node and its statements."""

    name: str
    id_prefix: str
    fields: type[Fields]
    props: LiteralString
    props_locked: LiteralString  # `props` taking the write lock first, for writes
    props_by_external_id: LiteralString
    create: LiteralString
    set: LiteralString
    edge_count: LiteralString
    delete: LiteralString
    derived: Callable[[dict[str, Any]], dict[str, Any]] = field(default=_name_search)
    history: SubjectKind | None = None  # set where changes are recorded
    # the recorded edges a forced delete takes with the node (roles, relationships, business)
    tracked_edges: LiteralString | None = None


@dataclass(frozen=True)
class EdgeKind:
    """A kind of edge, the names of its two ends in the API, and its statements."""

    name: str
    id_prefix: str
    fields: type[Fields]
    from_field: str
    to_field: str
    props: LiteralString
    props_locked: LiteralString  # `props` taking the write lock first, for writes
    props_by_external_id: LiteralString
    endpoints: LiteralString
    create: LiteralString
    set: LiteralString
    delete: LiteralString
    between: LiteralString | None = None  # set where at most one edge may join two nodes
    # set where edges carry a version that updates may name as the one they expect: the
    # edges of $ids as the API reads them (column `edge`), read back by a write
    read_back: LiteralString | None = None
    derived: Callable[[dict[str, Any]], dict[str, Any]] = field(default=_nothing)
    history: SubjectKind | None = None  # set where changes are recorded

    @property
    def versioned(self) -> bool:
        """Whether its edges carry a version (counted up by every change)."""
        return self.read_back is not None


COMPANY = NodeKind(
    name="company",
    id_prefix="co",
    fields=CompanyFields,
    props=companies.COMPANY_PROPS,
    props_locked=companies.COMPANY_PROPS_LOCKED,
    props_by_external_id=companies.COMPANY_PROPS_BY_EXTERNAL_ID,
    create=companies.COMPANY_CREATE,
    set=companies.COMPANY_SET,
    edge_count=companies.COMPANY_EDGE_COUNT,
    delete=companies.COMPANY_DELETE,
    history=SubjectKind.COMPANY,
    tracked_edges=companies.COMPANY_TRACKED_EDGES,
)

PERSON = NodeKind(
    name="person",
    id_prefix="pe",
    fields=PersonFields,
    props=people.PERSON_PROPS,
    props_locked=people.PERSON_PROPS_LOCKED,
    props_by_external_id=people.PERSON_PROPS_BY_EXTERNAL_ID,
    create=people.PERSON_CREATE,
    set=people.PERSON_SET,
    edge_count=people.PERSON_EDGE_COUNT,
    delete=people.PERSON_DELETE,
    tracked_edges=people.PERSON_TRACKED_EDGES,
)

ROLE = EdgeKind(
    name="role",
    id_prefix="ro",
    fields=RoleFields,
    from_field="personId",
    to_field="companyId",
    props=roles.ROLE_PROPS,
    props_locked=roles.ROLE_PROPS_LOCKED,
    props_by_external_id=roles.ROLE_PROPS_BY_EXTERNAL_ID,
    endpoints=roles.ROLE_ENDPOINTS,
    create=roles.ROLE_CREATE,
    set=roles.ROLE_SET,
    delete=roles.ROLE_DELETE,
    history=SubjectKind.ROLE,
)

RELATIONSHIP = EdgeKind(
    name="relationship",
    id_prefix="kn",
    fields=PersonRelationshipFields,
    from_field="fromPersonId",
    to_field="toPersonId",
    props=relationships.RELATIONSHIP_PROPS,
    props_locked=relationships.RELATIONSHIP_PROPS_LOCKED,
    props_by_external_id=relationships.RELATIONSHIP_PROPS_BY_EXTERNAL_ID,
    endpoints=relationships.RELATIONSHIP_ENDPOINTS,
    create=relationships.RELATIONSHIP_CREATE,
    set=relationships.RELATIONSHIP_SET,
    read_back=relationships.RELATIONSHIP_READ_BACK,
    delete=relationships.RELATIONSHIP_DELETE,
    between=relationships.RELATIONSHIP_BETWEEN,
    history=SubjectKind.RELATIONSHIP,
)

COMPANY_RELATIONSHIP = EdgeKind(
    name="company relationship",
    id_prefix="cr",
    fields=CompanyRelationshipFields,
    from_field="fromCompanyId",
    to_field="toCompanyId",
    props=business.COMPANY_RELATIONSHIP_PROPS,
    props_locked=business.COMPANY_RELATIONSHIP_PROPS_LOCKED,
    props_by_external_id=business.COMPANY_RELATIONSHIP_PROPS_BY_EXTERNAL_ID,
    endpoints=business.COMPANY_RELATIONSHIP_ENDPOINTS,
    create=business.COMPANY_RELATIONSHIP_CREATE,
    set=business.COMPANY_RELATIONSHIP_SET,
    read_back=business.COMPANY_RELATIONSHIP_READ_BACK,
    delete=business.COMPANY_RELATIONSHIP_DELETE,
    between=business.COMPANY_RELATIONSHIP_BETWEEN,
    history=SubjectKind.COMPANY_RELATIONSHIP,
)

REFERRAL = EdgeKind(
    name="referral",
    id_prefix="rf",
    fields=ReferralFields,
    from_field="referrerId",
    to_field="referredId",
    props=referrals.REFERRAL_PROPS,
    props_locked=referrals.REFERRAL_PROPS_LOCKED,
    props_by_external_id=referrals.REFERRAL_PROPS_BY_EXTERNAL_ID,
    endpoints=referrals.REFERRAL_ENDPOINTS,
    create=referrals.REFERRAL_CREATE,
    set=referrals.REFERRAL_SET,
    delete=referrals.REFERRAL_DELETE,
    history=SubjectKind.REFERRAL,
)
