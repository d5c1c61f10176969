"""Who can introduce us: the strongest paths through person-to-person relationships."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from graph.core import reads
from graph.core.models import Person, PersonTier, tiers_at_least
from graph.cypher.keypersons import paths as cypher
from graph.db.connection import Graph
from graph.db.errors import InvalidInput, NotFound
from graph.keypersons.paths import MAX_HOPS, Path, Tie, adjacency, top_paths

MAX_PATHS = 20
MAX_BEST_HOPS = 4  # the search pulls the whole neighbourhood of the targets
STRONG = 0.5
MODERATE = 0.2


class PathLabel(Enum):
    """How good an introduction path is: strong (strength >= 0.5), moderate (>= 0.2), weak."""

    STRONG = "STRONG"
    MODERATE = "MODERATE"
    WEAK = "WEAK"


def label(strength: float) -> PathLabel:
    if strength >= STRONG:
        return PathLabel.STRONG
    if strength >= MODERATE:
        return PathLabel.MODERATE
    return PathLabel.WEAK


def _check(max_hops: int, cap: int, first: int) -> None:
    if not 1 <= max_hops <= cap:
        raise InvalidInput(
            f"maxHops: must be between 1 and {cap} (got {max_hops})", field="maxHops"
        )
    if not 1 <= first <= MAX_PATHS:
        raise InvalidInput(f"first: must be between 1 and {MAX_PATHS} (got {first})", field="first")


def _ties(graph: Graph, seeds: list[str], depth: int, tiers: list[str]) -> list[Tie]:
    rows = graph.read(cypher.TIES_AROUND[depth], seeds=seeds, tiers=tiers)
    return [Tie(r["id"], r["a"], r["b"], r["tier"], float(r["strength"])) for r in rows]


@dataclass(frozen=True)
class Introductions:
    """The paths found, and the people on them as read with them, by id."""

    paths: list[Path]
    people: dict[str, Person]


def find_introductions(
    graph: Graph,
    from_id: str,
    to_id: str,
    *,
    max_hops: int = 4,
    first: int = 5,
    min_tier: PersonTier | None = None,
) -> Introductions:
    """The `first` strongest simple paths from one person to another, best first, with the
    people on them, in one round trip."""
    _check(max_hops, MAX_HOPS, first)
    if from_id == to_id:
        raise InvalidInput("toPersonId: must differ from fromPersonId", field="toPersonId")
    # A path of h hops lies within the ties touching people at most ceil(h/2) - 1 hops from
    # the start or floor(h/2) - 1 hops from the end: the statement pulls those only.
    [row] = graph.read(
        cypher.INTRODUCTION_NEIGHBOURHOOD[max_hops - 1],
        fromId=from_id,
        toId=to_id,
        tiers=tiers_at_least(min_tier),
    )
    for field_name, id_, props in (
        ("fromPersonId", from_id, row["source"]),
        ("toPersonId", to_id, row["target"]),
    ):
        if props is None:
            raise NotFound("person", id_, field=field_name)
    ties = [Tie(t[0], t[1], t[2], t[3], float(t[4])) for group in row["ties"] for t in group]
    found = top_paths(adjacency(ties), [from_id], [to_id], max_hops=max_hops, k=first)
    on_paths = {id_ for path in found for id_ in path.person_ids}
    people = {
        props["id"]: Person.from_row(props)
        for props in [*row["near"], *row["middle"]]
        if props["id"] in on_paths
    }
    return Introductions(found, people)


def _require_people(graph: Graph, ids_by_field: dict[str, str]) -> None:
    """Raise NotFound for the first of these people who does not exist."""
    people = reads.people_by_id(graph, list(ids_by_field.values()))
    for (field_name, id_), person in zip(ids_by_field.items(), people, strict=True):
        if person is None:
            raise NotFound("person", id_, field=field_name)


def best_introductions(
    graph: Graph,
    *,
    to_person_id: str | None = None,
    to_company_id: str | None = None,
    key_persons_only: bool = False,
    max_hops: int = 3,
    first: int = 5,
    min_tier: PersonTier | None = None,
) -> list[Path]:
    """The strongest paths from any of our people to the person, or to anyone at the company."""
    _check(max_hops, MAX_BEST_HOPS, first)
    if (to_person_id is None) == (to_company_id is None):
        raise InvalidInput("give exactly one of toPersonId and toCompanyId", field="toPersonId")
    if to_company_id is not None:
        rows = graph.read(
            cypher.PEOPLE_AT, companyId=to_company_id, keyPersonsOnly=key_persons_only
        )
        targets = [row["id"] for row in rows]
        if not targets:
            if reads.companies_by_id(graph, [to_company_id]) == [None]:
                raise NotFound("company", to_company_id, field="toCompanyId")
            return []
    else:
        assert to_person_id is not None
        targets = [to_person_id]
    # Every person on a path of h hops but its start is within h - 1 hops of a target.
    adj = adjacency(_ties(graph, targets, max_hops - 1, tiers_at_least(min_tier)))
    ours: set[str] = (
        {row["id"] for row in graph.read(cypher.OURS_AMONG, ids=sorted(adj))} if adj else set()
    )
    found = top_paths(adj, ours, targets, max_hops=max_hops, k=first)
    if not found and to_person_id is not None:
        _require_people(graph, {"toPersonId": to_person_id})
    return found
