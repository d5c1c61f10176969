"""Reads: batch-first look-ups (results in key order) and filtered, sorted pages.

Each function is one statement, so one database round trip, whatever the number of keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, LiteralString, TypeVar

from graph.core.figures import refresh_due_figures
from graph.core.kinds import (
    COMPANY,
    COMPANY_RELATIONSHIP,
    PERSON,
    REFERRAL,
    RELATIONSHIP,
    ROLE,
    EdgeKind,
    NodeKind,
)
from graph.core.models import (
    Company,
    CompanyFigures,
    CompanyRelationship,
    Page,
    Person,
    PersonFigures,
    PersonRelationship,
    Referral,
    Role,
)
from graph.core.people_order import people_order
from graph.core.search import exact_key, term_key
from graph.cypher.core import (
    business,
    companies,
    figures,
    people,
    referrals,
    relationships,
    roles,
)
from graph.cypher.core import search as search_statements
from graph.db.connection import Graph
from graph.db.errors import InvalidInput

T = TypeVar("T")
MAX_EXTERNAL_IDS = 100  # external ids one look-up takes (the API's `…ByExternalIds`)


def _by_id(
    graph: Graph, kind: NodeKind[T, Any] | EdgeKind[T, Any], ids: Sequence[str]
) -> list[T | None]:
    rows = graph.read(kind.statements.by_id, ids=list(ids))
    found = {row["item"]["id"]: kind.model(row["item"]) for row in rows}
    return [found.get(id_) for id_ in ids]


def _grouped(
    graph: Graph,
    query: LiteralString,
    column: str,
    ids: Sequence[str],
    parse: Callable[..., T],
    **params: Any,
) -> list[list[T]]:
    rows = graph.read(query, ids=list(ids), **params)
    groups: dict[str, list[T]] = {id_: [] for id_ in ids}
    for row in rows:
        groups[row["key"]].append(parse(row[column]))
    return [groups[id_] for id_ in ids]


def _page(
    graph: Graph,
    query: LiteralString,
    parse: Callable[..., T],
    offset: int,
    limit: int,
    **params: Any,
) -> Page[T]:
    row = graph.read(query, skip=offset, end=offset + limit, **params)[0]
    return Page(items=[parse(item) for item in row["page"]], total=row["total"], offset=offset)


def _names(values: Sequence[Any] | None) -> list[str] | None:
    """Enum filter values as stored names; None (no filter) stays None."""
    return None if values is None else [getattr(v, "value", v) for v in values]


def companies_by_id(graph: Graph, ids: Sequence[str]) -> list[Company | None]:
    return _by_id(graph, COMPANY, ids)


def people_by_id(graph: Graph, ids: Sequence[str]) -> list[Person | None]:
    return _by_id(graph, PERSON, ids)


def company_figures_by_id(graph: Graph, ids: Sequence[str]) -> list[CompanyFigures]:
    """The figures of companies read without them (none for a company not found): as stored,
    or counted now where a role they counted has ended since (graph/core/figures.py)."""
    rows = _fresh_or_recounted(
        graph, companies.COMPANY_FIGURES_BY_ID, figures.COMPANY_FIGURES_RECOUNT, ids
    )
    found = {row["id"]: CompanyFigures.from_row(row) for row in rows}
    return [found.get(id_, CompanyFigures()) for id_ in ids]


def person_figures_by_id(graph: Graph, ids: Sequence[str]) -> list[PersonFigures]:
    """The figures of people read without them (none for a person not found)."""
    rows = _fresh_or_recounted(
        graph, people.PEOPLE_FIGURES_BY_ID, figures.PEOPLE_FIGURES_RECOUNT, ids
    )
    found = {row["id"]: PersonFigures.from_row(row) for row in rows}
    return [found.get(id_, PersonFigures()) for id_ in ids]


def _fresh_or_recounted(
    graph: Graph, stored: LiteralString, recount: LiteralString, ids: Sequence[str]
) -> list[dict[str, Any]]:
    """The stored figures of `ids`; those not fresh counted anew (a second round trip only
    then)."""
    rows = graph.read(stored, ids=list(ids))
    stale = [row["id"] for row in rows if not row["fresh"]]
    if not stale:
        return rows
    return [row for row in rows if row["fresh"]] + graph.read(recount, ids=stale)


def roles_by_id(graph: Graph, ids: Sequence[str]) -> list[Role | None]:
    return _by_id(graph, ROLE, ids)


def relationships_by_id(graph: Graph, ids: Sequence[str]) -> list[PersonRelationship | None]:
    return _by_id(graph, RELATIONSHIP, ids)


def company_relationships_by_id(
    graph: Graph, ids: Sequence[str]
) -> list[CompanyRelationship | None]:
    return _by_id(graph, COMPANY_RELATIONSHIP, ids)


def referrals_by_id(graph: Graph, ids: Sequence[str]) -> list[Referral | None]:
    return _by_id(graph, REFERRAL, ids)


def checked_external_ids(external_ids: Sequence[str]) -> list[str]:
    """External ids to look up, trimmed as they are stored; more than MAX_EXTERNAL_IDS are
    refused."""
    if len(external_ids) > MAX_EXTERNAL_IDS:
        raise InvalidInput(
            f"externalIds: at most {MAX_EXTERNAL_IDS} at a time (got {len(external_ids)})",
            field="externalIds",
        )
    return [external_id.strip() for external_id in external_ids]


def by_external_ids(
    graph: Graph, kind: NodeKind[T, Any] | EdgeKind[T, Any], external_ids: Sequence[str]
) -> list[T | None]:
    """The items of `kind` with these external ids (trimmed, as they are stored), in the
    order given, None where none has it; at most MAX_EXTERNAL_IDS, in one statement."""
    keys = checked_external_ids(external_ids)
    rows = graph.read(kind.statements.by_external_ids, externalIds=sorted(set(keys)))
    found = {row["key"]: kind.model(row["item"]) for row in rows}
    return [found.get(key) for key in keys]


def id_by_external_id(graph: Graph, kind: str, external_id: str) -> str | None:
    """The Guanxi id of the company or person (`kind`) with this external id."""
    statements = (COMPANY if kind == "company" else PERSON).statements
    rows = graph.read(statements.props_by_external_id, externalId=external_id.strip())
    return str(rows[0]["props"]["id"]) if rows else None


def _held(
    graph: Graph,
    query: LiteralString,
    ids: Sequence[str],
    end: Callable[[dict[str, Any]], T] | None,
    *,
    include_past: bool,
) -> list[list[tuple[Role, T | None]]]:
    """Roles grouped by key (one row per key), each with its other end when `end` parses it."""
    rows = graph.read(query, ids=list(ids), includePast=include_past, withEnds=end is not None)
    groups: dict[str, list[tuple[Role, T | None]]] = {id_: [] for id_ in ids}
    for row in rows:
        groups[row["key"]] = [
            (Role.from_row(role), None if end is None or other is None else end(other))
            for role, other in row["roles"]
        ]
    return [groups[id_] for id_ in ids]


def roles_for_companies(
    graph: Graph, ids: Sequence[str], *, include_past: bool
) -> list[list[Role]]:
    groups = _held(graph, roles.ROLES_FOR_COMPANIES, ids, None, include_past=include_past)
    return [[role for role, _ in group] for group in groups]


def roles_and_people_for_companies(
    graph: Graph, ids: Sequence[str], *, include_past: bool
) -> list[list[tuple[Role, Person]]]:
    """The roles of companies with their people, read in the same round trip."""
    groups = _held(graph, roles.ROLES_FOR_COMPANIES, ids, PERSON.model, include_past=include_past)
    return [[(role, person) for role, person in group if person is not None] for group in groups]


def roles_for_people(graph: Graph, ids: Sequence[str], *, include_past: bool) -> list[list[Role]]:
    groups = _held(graph, roles.ROLES_FOR_PEOPLE, ids, None, include_past=include_past)
    return [[role for role, _ in group] for group in groups]


def roles_and_companies_for_people(
    graph: Graph, ids: Sequence[str], *, include_past: bool
) -> list[list[tuple[Role, Company]]]:
    """The roles of people with their companies, read in the same round trip."""
    groups = _held(graph, roles.ROLES_FOR_PEOPLE, ids, COMPANY.model, include_past=include_past)
    return [[(role, company) for role, company in group if company is not None] for group in groups]


def _related(
    graph: Graph, ids: Sequence[str], *, with_people: bool
) -> list[list[tuple[PersonRelationship, Person | None]]]:
    rows = graph.read(relationships.RELATIONSHIPS_FOR_PEOPLE, ids=list(ids), withEnds=with_people)
    groups: dict[str, list[tuple[PersonRelationship, Person | None]]] = {id_: [] for id_ in ids}
    for row in rows:
        groups[row["key"]] = [
            (PersonRelationship.from_row(k), None if other is None else PERSON.model(other))
            for k, other in row["relationships"]
        ]
    return [groups[id_] for id_ in ids]


def relationships_for_people(graph: Graph, ids: Sequence[str]) -> list[list[PersonRelationship]]:
    return [[k for k, _ in group] for group in _related(graph, ids, with_people=False)]


def relationships_and_people_for_people(
    graph: Graph, ids: Sequence[str]
) -> list[list[tuple[PersonRelationship, Person]]]:
    """People's relationships, each with the other person, read in the same round trip."""
    return [
        [(k, other) for k, other in group if other is not None]
        for group in _related(graph, ids, with_people=True)
    ]


def company_relationships_for_companies(
    graph: Graph, ids: Sequence[str]
) -> list[list[CompanyRelationship]]:
    return _grouped(
        graph,
        business.COMPANY_RELATIONSHIPS_FOR_COMPANIES,
        "relationship",
        ids,
        CompanyRelationship.from_row,
    )


def referrals_for_parties(graph: Graph, ids: Sequence[str]) -> list[list[Referral]]:
    """All referrals touching each person or company, made or received, newest first."""
    return _grouped(graph, referrals.REFERRALS_FOR_PARTIES, "referral", ids, Referral.from_row)


def company_page(
    graph: Graph,
    *,
    offset: int,
    limit: int,
    sort: str = "NAME",
    descending: bool = False,
    search: str | None = None,
    statuses: Sequence[Any] | None = None,
    value_classes: Sequence[Any] | None = None,
    intent_classes: Sequence[Any] | None = None,
    stages: Sequence[Any] | None = None,
    industry: str | None = None,
    region: str | None = None,
    is_ours: bool | None = None,
    tiers: Sequence[Any] | None = None,
    min_our_relationships: int | None = None,
    team: str | None = None,
    teams: frozenset[str] | None = None,
) -> Page[Company]:
    """A page of companies; `team` the filter's account team, `teams` a scoped credential's
    (only ours and their customers; None: every company)."""
    if sort not in ("NAME", "CREATED_AT") or min_our_relationships is not None:
        refresh_due_figures(graph)  # figures a role that ended since they were stored counted
    query = companies.COMPANY_PAGE if search is None else companies.COMPANY_SEARCH
    return _page(
        graph,
        query,
        Company.from_row,
        offset,
        limit,
        sort=sort,
        descending=descending,
        search=search,
        key=None if search is None else term_key(search),
        statuses=_names(statuses),
        valueClasses=_names(value_classes),
        intentClasses=_names(intent_classes),
        stages=_names(stages),
        industry=industry,
        region=region,
        isOurs=is_ours,
        tiers=_names(tiers),
        minOurRelationships=min_our_relationships,
        team=team,
        teams=None if teams is None else sorted(teams),
    )


def person_page(
    graph: Graph,
    *,
    offset: int,
    limit: int,
    sort: str = "NAME",
    descending: bool = False,
    search: str | None = None,
    styles: Sequence[Any] | None = None,
    company_id: str | None = None,
    min_strongest_tie: float | None = None,
    among: frozenset[str] | None = None,
) -> Page[Person]:
    """A page of people; everyone (no search, no company) from the kept sort orders
    (graph/core/people_order.py), a company's people or a search's from one statement.
    `among` (not with a company): only these people (a scoped credential's)."""
    if among is not None and company_id is not None:
        raise ValueError("`among` is for pages of everyone or of a search")
    ranks: dict[str, int] | None = None
    if search is None and among is not None:
        ranks = dict.fromkeys(among, 0)
    elif search is not None and company_id is None and exact_key(search):
        # the keys alone find, count and rank the people a short term matches (SearchKey);
        # the kept orders sort them (at 100,000 people "gm", 3,271 people: no person read)
        ranks = {}
        keyed = graph.read(search_statements.PERSON_KEYS_FOUND, key=search, length=len(search))
        for row in sorted(keyed, key=lambda row: int(row["rank"])):  # the best rank first
            for id_ in row["items"]:
                ranks.setdefault(str(id_), int(row["rank"]))
        if among is not None:
            ranks = {id_: rank for id_, rank in ranks.items() if id_ in among}
    if ranks is not None:
        ranked = people_order(graph).ranked_page_ids(
            ranks,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=limit,
            styles=_names(styles),
            min_strongest_tie=min_strongest_tie,
            # everyone `among` sees: one who joined since the order was read is left out
            # until it is read again (a search asks the statement for them instead)
            skip_unknown=search is None,
        )
        if ranked is not None:
            return _people_page(graph, *ranked, offset)
    if search is None and company_id is None:
        ids, total = people_order(graph).page_ids(
            sort=sort,
            descending=descending,
            offset=offset,
            limit=limit,
            styles=_names(styles),
            min_strongest_tie=min_strongest_tie,
        )
        return _people_page(graph, ids, total, offset)
    query = people.PERSON_SEARCH if search is not None else people.PEOPLE_AT_COMPANY_PAGE
    if among is not None:  # a search: everyone it finds, then those among them
        everyone = person_page(
            graph,
            offset=0,
            limit=_ALL,
            sort=sort,
            descending=descending,
            search=search,
            styles=styles,
            min_strongest_tie=min_strongest_tie,
        )
        found = [p for p in everyone.items if p.id in among]
        return Page(items=found[offset : offset + limit], total=len(found), offset=offset)
    return _page(
        graph,
        query,
        Person.from_row,
        offset,
        limit,
        sort=sort,
        descending=descending,
        search=search,
        key=None if search is None else term_key(search),
        styles=_names(styles),
        companyId=company_id,
        minStrongestTie=min_strongest_tie,
    )


_ALL = 1_000_000  # a page holding every item found


def _people_page(graph: Graph, ids: list[str], total: int, offset: int) -> Page[Person]:
    """A page of the people a kept order chose, read by id (one deleted since drops out)."""
    found = [person for person in people_by_id(graph, ids) if person is not None]
    return Page(items=found, total=total, offset=offset)


def role_page(
    graph: Graph,
    *,
    offset: int,
    limit: int,
    company_id: str | None = None,
    person_id: str | None = None,
    include_past: bool = False,
    key_persons_only: bool = False,
    buying_roles: Sequence[Any] | None = None,
) -> Page[Role]:
    return _page(
        graph,
        roles.ROLE_PAGE,
        Role.from_row,
        offset,
        limit,
        companyId=company_id,
        personId=person_id,
        includePast=include_past,
        keyPersonsOnly=key_persons_only,
        buyingRoles=_names(buying_roles),
    )


def relationship_page(
    graph: Graph,
    *,
    offset: int,
    limit: int,
    sort: str = "STRENGTH",
    descending: bool = True,
    person_id: str | None = None,
    tiers: Sequence[Any] | None = None,
    levels: Sequence[Any] | None = None,
    min_strength: float | None = None,
) -> Page[PersonRelationship]:
    query = (
        relationships.RELATIONSHIP_PAGE
        if person_id is None
        else relationships.RELATIONSHIP_PAGE_OF_PERSON
    )
    return _page(
        graph,
        query,
        PersonRelationship.from_row,
        offset,
        limit,
        sort=sort,
        descending=descending,
        personId=person_id,
        tiers=_names(tiers),
        levels=_names(levels),
        minStrength=min_strength,
    )


def company_relationship_page(
    graph: Graph,
    *,
    offset: int,
    limit: int,
    company_id: str | None = None,
    tiers: Sequence[Any] | None = None,
    stages: Sequence[Any] | None = None,
    min_strength: float | None = None,
) -> Page[CompanyRelationship]:
    return _page(
        graph,
        business.COMPANY_RELATIONSHIP_PAGE,
        CompanyRelationship.from_row,
        offset,
        limit,
        companyId=company_id,
        tiers=_names(tiers),
        stages=_names(stages),
        minStrength=min_strength,
    )


def referral_page(
    graph: Graph, *, offset: int, limit: int, since: dt.date | None = None
) -> Page[Referral]:
    return _page(graph, referrals.REFERRAL_PAGE, Referral.from_row, offset, limit, since=since)
