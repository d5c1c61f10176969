"""The floor of an operation: the items its GraphQL answer names, looked up by id from an index.

Whatever an operation computes, its answer is made of stored items (people, companies, roles,
relationships, recorded changes, ...), each named by its id. The smallest statement that
returns those rows is an indexed look-up of their ids, one statement per kind: what any
implementation pays at least to read them. `ids_in` collects the ids of an answer (every
`id`, `subjectId`, `relationshipId` and `referralId` value, kind by id prefix), `look_up`
reads them.

These statements are the benchmark's own, not the app's: they live here, not in graph/cypher.
On the embedded engine an edge named by an id in a pattern (`-[r:KNOWS {id: id}]->`) scans
every edge of its type, whether the id comes from `UNWIND` or from a parameter, and so does
`WHERE r.id IN $ids` with labelled ends; `MATCH (a)-[r:KNOWS]->(b) WHERE r.id IN $ids` with
unlabelled ends is answered from the id constraint's index (one id: 2-3 ms at 3,000 people,
against 120 ms to count every KNOWS edge), so the edge look-ups take that shape. Nodes use
`UNWIND $ids AS id MATCH (n:Label {id: id})`, the shape the engine answers from the index
(docs/ARCHITECTURE.md, "Engine quirks").
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, Final, LiteralString

from graph.db.connection import Graph

PEOPLE: Final = "UNWIND $ids AS id MATCH (n:Person {id: id}) RETURN properties(n) AS item"
COMPANIES: Final = "UNWIND $ids AS id MATCH (n:Company {id: id}) RETURN properties(n) AS item"
CHANGES: Final = "UNWIND $ids AS id MATCH (n:Change {id: id}) RETURN properties(n) AS item"
INTERACTIONS: Final = (
    "UNWIND $ids AS id MATCH (n:Interaction {id: id}) RETURN properties(n) AS item"
)
ROLES: Final = (
    "MATCH (a)-[r:HOLDS_ROLE]->(b) WHERE r.id IN $ids "
    "RETURN properties(r) AS item, a.id AS fromId, b.id AS toId"
)
RELATIONSHIPS: Final = (
    "MATCH (a)-[r:KNOWS]->(b) WHERE r.id IN $ids "
    "RETURN properties(r) AS item, a.id AS fromId, b.id AS toId"
)
COMPANY_RELATIONSHIPS: Final = (
    "MATCH (a)-[r:DOES_BUSINESS_WITH]->(b) WHERE r.id IN $ids "
    "RETURN properties(r) AS item, a.id AS fromId, b.id AS toId"
)
REFERRALS: Final = (
    "MATCH (a)-[r:REFERRED]->(b) WHERE r.id IN $ids "
    "RETURN properties(r) AS item, a.id AS fromId, b.id AS toId"
)

# id prefix -> (kind, its look-up)
BY_PREFIX: Final[dict[str, tuple[str, LiteralString]]] = {
    "pe": ("people", PEOPLE),
    "co": ("companies", COMPANIES),
    "ch": ("changes", CHANGES),
    "in": ("interactions", INTERACTIONS),
    "ro": ("roles", ROLES),
    "kn": ("relationships", RELATIONSHIPS),
    "cr": ("company relationships", COMPANY_RELATIONSHIPS),
    "rf": ("referrals", REFERRALS),
}
ID_KEYS: Final = frozenset({"id", "subjectId", "relationshipId", "referralId"})


def ids_in(data: Any) -> dict[str, list[str]]:
    """The ids a GraphQL answer names, by id prefix (only prefixes of BY_PREFIX), each once,
    in the order first met."""
    found: dict[str, dict[str, None]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ID_KEYS and isinstance(item, str):
                    prefix = item.split("_", 1)[0]
                    if prefix in BY_PREFIX:
                        found.setdefault(prefix, {})[item] = None
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return {prefix: list(ids) for prefix, ids in found.items()}


def describe(ids: dict[str, list[str]]) -> str:
    """`65 people, 20 companies`: what a floor looks up."""
    return ", ".join(f"{len(v):,} {BY_PREFIX[k][0]}" for k, v in ids.items()) or "nothing"


def look_up(graph: Graph, ids: dict[str, list[str]]) -> int:
    """Read every id through the bare driver, one statement per kind; the rows found."""
    rows = 0
    for prefix, chunk in ids.items():
        rows += len(graph.read(BY_PREFIX[prefix][1], ids=chunk))
    return rows


def timed_look_up(graph: Graph, ids: dict[str, list[str]]) -> float:
    """`look_up` in milliseconds (0 when the answer names nothing)."""
    started = time.perf_counter()
    look_up(graph, ids)
    return (time.perf_counter() - started) * 1000


def statements() -> Iterable[LiteralString]:
    """Every statement of the floor, for listing and checking."""
    return (statement for _, statement in BY_PREFIX.values())
