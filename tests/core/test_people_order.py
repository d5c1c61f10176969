"""The pages of everyone (graph/core/people_order.py): kept in memory, in exactly the order the
engine's own sorting statement (PERSON_PAGE) gives, filtered the same, and a write of this
process seen by the next page."""

from __future__ import annotations

import random
from typing import Any

import pytest

from graph.core import kinds, reads, writes
from graph.core.inputs import Patch
from graph.cypher.core import people as cypher
from graph.db.connection import Graph
from tests import factories

STYLES = ["AMIABLE", "DRIVER", "ANALYTICAL", "EXPRESSIVE", None]
SORTS = ["NAME", "CREATED_AT", "STRONGEST_TIE", "RELATIONSHIP_COUNT"]


def _engine_page(graph: Graph, offset: int, limit: int, **filters: Any) -> tuple[list[str], int]:
    params: dict[str, Any] = {"styles": None, "companyId": None, "minStrongestTie": None}
    params.update(filters)
    row = graph.read(cypher.PERSON_PAGE, skip=offset, end=offset + limit, **params)[0]
    return [item["id"] for item in row["page"]], row["total"]


def _kept_page(graph: Graph, offset: int, limit: int, **filters: Any) -> tuple[list[str], int]:
    page = reads.person_page(
        graph,
        offset=offset,
        limit=limit,
        sort=filters["sort"],
        descending=filters["descending"],
        styles=filters["styles"],
        min_strongest_tie=filters["minStrongestTie"],
    )
    return [person.id for person in page.items], page.total


@pytest.fixture
def people(graph: Graph) -> list[str]:
    """30 people with repeated names, styles and tie strengths (ties in the orders), some
    with no tie at all."""
    rng = random.Random(17)
    names = ["高敏", "Gao Min", "李娜", "Zhang Wei", "alice", "Bob"]
    ids = []
    for i in range(30):
        style = rng.choice(STYLES)
        fields = {} if style is None else {"communicationStyle": style}
        ids.append(factories.person(graph, rng.choice(names) + ("" if i % 3 else " 二"), **fields))
    pairs: set[frozenset[str]] = set()
    while len(pairs) < 40:
        a, b = rng.sample(ids[:24], 2)
        if frozenset((a, b)) not in pairs:
            pairs.add(frozenset((a, b)))
            factories.knows(graph, a, b, rng.choice([0.2, 0.5, 0.5, 0.8, 1.0]))
    return ids


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_pages_follow_the_engines_order(
    graph: Graph, people: list[str], sort: str, descending: bool
) -> None:
    for styles, min_tie in [
        (None, None),
        (["DRIVER", "AMIABLE"], None),
        (None, 0.5),
        (["DRIVER"], 0.2),
    ]:
        filters = {
            "sort": sort,
            "descending": descending,
            "styles": styles,
            "minStrongestTie": min_tie,
        }
        for offset, limit in [(0, 7), (7, 7), (25, 10), (40, 5)]:
            assert _kept_page(graph, offset, limit, **filters) == _engine_page(
                graph, offset, limit, **filters
            ), (filters, offset, limit)


def test_a_write_is_seen_by_the_next_page(graph: Graph, people: list[str]) -> None:
    everyone = {"sort": "NAME", "descending": False, "styles": None, "minStrongestTie": None}
    before, total = _kept_page(graph, 0, 30, **everyone)
    writes.update_node(graph, kinds.PERSON, people[5], Patch({"name": "AAA first"}))
    assert _kept_page(graph, 0, 1, **everyone) == ([people[5]], total)
    added = factories.person(graph, "龘 last")  # after every CJK name here
    assert _kept_page(graph, total, 5, **everyone) == ([added], total + 1)
    strong = {"sort": "STRONGEST_TIE", "descending": True, "styles": None, "minStrongestTie": 0.9}
    assert people[28] not in _kept_page(graph, 0, 40, **strong)[0]
    factories.knows(graph, people[28], people[29], 0.95)
    assert {people[28], people[29]} <= set(_kept_page(graph, 0, 40, **strong)[0])
    assert before != _kept_page(graph, 0, 30, **everyone)[0]
