"""The GraphQL layer's own cost: Strawberry against plain graphql-core, same selection, same data.

    .venv/bin/python -m benchmarks.floor [--people 100000] [--repetitions 300]

Fetches the key-person map of the customer with 50 people once, through the app's own code
(graph.keypersons.maps.key_person_map, and the people it names by id), then times, interleaved:

- Strawberry executing the benchmark's keyPersonMap query (benchmarks.queries.MAP) with that
  data already fetched: the map resolver answers with the fetched map and each request's
  people loader is primed with the fetched people, so no statement runs (a listener on the
  graph checks that none does);
- for reference, the same without the ParserCache and ValidationCache extensions the app
  enables (with them, a repeated query is parsed and validated once);
- graphql-core's `graphql_sync` (parse, validate, execute, as Strawberry does per request) on
  a schema built from the same SDL (schema.graphql), with its default resolvers over the same
  data as plain dicts and lists; and its `execute_sync` alone over the parsed document.

Both results must be equal. Reports the median time per run and per resolved field. Any
Python GraphQL layer pays at least graphql-core's cost: that is the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

import graphql
import strawberry

import resolvers.keypersons
from benchmarks.harness import ROOT, count_fields, synthetic_graph
from benchmarks.queries import MAP
from benchmarks.report import Section, ratio
from graph.core import reads
from graph.core.models import Person
from graph.db.connection import Graph
from graph.keypersons import maps as keypersons
from graph.keypersons.maps import KeyPersonMap
from resolvers.context import Context
from schema import DOCUMENT_CACHES, schema
from schema.mutation import Mutation
from schema.query import Query
from schema.rounding import rounded

FLOOR_TARGET = 1.2
STRAWBERRY, UNCACHED, CORE, EXECUTE_ONLY = "strawberry", "uncached", "core", "execute only"
VARIANTS = (STRAWBERRY, UNCACHED, CORE, EXECUTE_ONLY)


@dataclass(frozen=True)
class Floor:
    """Median times of one execution of the same selection over the same data."""

    company_id: str
    entries: int
    fields: int
    repetitions: int
    strawberry_ms: float
    uncached_ms: float  # Strawberry without its parse and validation caches
    core_ms: float
    execute_only_ms: float

    @property
    def strawberry_us_per_field(self) -> float:
        return self.strawberry_ms * 1000 / self.fields

    @property
    def floor_us_per_field(self) -> float:
        return self.execute_only_ms * 1000 / self.fields

    @property
    def ratio(self) -> float:
        """The app's Strawberry against graphql-core executing a parsed document: the target
        (the app's parse and validation are cached, so it too only executes)."""
        return self.strawberry_ms / self.execute_only_ms

    @property
    def full_ratio(self) -> float:
        """The app's Strawberry against graphql-core parsing, validating and executing."""
        return self.strawberry_ms / self.core_ms

    @property
    def uncached_ratio(self) -> float:
        """Strawberry without document caches against graphql-core doing the same work."""
        return self.uncached_ms / self.core_ms

    @property
    def met(self) -> bool:
        return self.ratio <= FLOOR_TARGET


def _name(value: Any) -> str | None:
    return None if value is None else str(value.name)


def plain_map(found: KeyPersonMap, people: dict[str, Person]) -> dict[str, Any]:
    """The fetched map as plain dicts and lists, keyed by the SDL's field names."""

    def person(person_id: str) -> dict[str, Any]:
        return {"id": person_id, "name": people[person_id].name}

    s = found.summary
    return {
        "keyPersonMap": {
            "tierWithUs": _name(found.tier_with_us),
            "summary": {
                "keyPersons": s.key_persons,
                "covered": s.covered,
                "uncovered": s.uncovered,
                "singleThreaded": s.single_threaded,
                "coverageRatio": s.coverage_ratio,
                "reachesExecutives": s.reaches_executives,
            },
            "entries": [
                {
                    "person": person(entry.person_id),
                    "roles": [
                        {
                            "id": role.id,
                            "title": role.title,
                            "seniority": _name(role.seniority),
                            "buyingRole": _name(role.buying_role),
                        }
                        for role in entry.roles
                    ],
                    "relationships": [
                        {
                            "tier": _name(tie.relationship.tier),
                            "strength": rounded(tie.relationship.strength),  # as the API rounds it
                            "level": _name(tie.relationship.level),
                            "lastUpdated": tie.relationship.updated_at,
                            "isStrongest": tie.is_strongest,
                            "relationship": {"id": tie.relationship.id},
                            "ourPerson": person(tie.our_person_id),
                        }
                        for tie in entry.ties
                    ],
                }
                for entry in found.entries
            ],
            "mismatches": [{"rule": m.rule, "reason": m.reason} for m in found.mismatches],
        }
    }


def core_schema() -> graphql.GraphQLSchema:
    """The API's schema built from its SDL, dates serialised as Strawberry does."""
    built = graphql.build_schema((ROOT / "schema.graphql").read_text())
    for name in ("DateTime", "Date"):
        scalar = built.type_map[name]
        assert isinstance(scalar, graphql.GraphQLScalarType)
        scalar.coerce_output_value = lambda value: value.isoformat()
    return built


@contextmanager
def _no_statements(graph: Graph) -> Iterator[list[str]]:
    ran: list[str] = []

    def listen(statement: str, params: dict[str, Any]) -> None:
        ran.append(statement)

    graph.listeners.append(listen)
    try:
        yield ran
    finally:
        graph.listeners.remove(listen)


def uncached_schema() -> strawberry.Schema:
    """The app's schema without Strawberry's ParserCache and ValidationCache: every query is
    parsed and validated again."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[e for e in schema.extensions if e not in DOCUMENT_CACHES],
    )


async def _interleaved(
    graph: Graph, found: KeyPersonMap, people: dict[str, Person], repetitions: int, warmup: int
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    async def answered(*args: Any, **kwargs: Any) -> KeyPersonMap:
        return found

    variables = {"c": found.company_id, "at": None}
    document = graphql.parse(MAP)
    built = core_schema()
    root = plain_map(found, people)
    uncached = uncached_schema()
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}

    async def run_strawberry(name: str, chosen: strawberry.Schema) -> dict[str, Any] | None:
        context = Context(graph=graph)
        context.loaders.people.prime_many(people)  # before the clock starts
        started = time.perf_counter()
        result = await chosen.execute(MAP, variable_values=variables, context_value=context)
        took[name] = time.perf_counter() - started
        if result.errors:
            raise RuntimeError(result.errors)
        return result.data

    def run_core(execute_only: bool) -> dict[str, Any] | None:
        started = time.perf_counter()
        if execute_only:
            result = graphql.execute_sync(built, document, root, variable_values=variables)
        else:
            result = graphql.graphql_sync(built, MAP, root, variable_values=variables)
        took[EXECUTE_ONLY if execute_only else CORE] = time.perf_counter() - started
        if result.errors:
            raise RuntimeError(result.errors)
        return result.data

    took: dict[str, float] = {}
    data: dict[str, Any] = {}
    with (
        mock.patch.object(resolvers.keypersons, "key_person_map", answered),
        _no_statements(graph) as ran,
    ):
        for index in range(warmup + repetitions):
            results = [
                await run_strawberry(STRAWBERRY, schema),
                await run_strawberry(UNCACHED, uncached),
                run_core(execute_only=False),
                run_core(execute_only=True),
            ]
            if any(r != results[0] for r in results):
                raise RuntimeError("graphql-core and Strawberry results differ")
            data = results[0] or {}
            if index >= warmup:
                for name in VARIANTS:
                    times[name].append(took[name] * 1000)
    if ran:
        raise RuntimeError(f"{len(ran)} statements ran while the data was already fetched")
    return times, data


def measure(graph: Graph, company_id: str, repetitions: int = 300, warmup: int = 20) -> Floor:
    """Fetch the map once, then time Strawberry and graphql-core over it, interleaved."""
    found = keypersons.key_person_map(graph, company_id, everyone=True)
    ids = sorted(
        {e.person_id for e in found.entries}
        | {t.our_person_id for e in found.entries for t in e.ties}
    )
    people = {p.id: p for p in reads.people_by_id(graph, ids) if p is not None}
    times, data = asyncio.run(_interleaved(graph, found, people, repetitions, warmup))
    return Floor(
        company_id=company_id,
        entries=len(found.entries),
        fields=count_fields(data),
        repetitions=repetitions,
        strawberry_ms=statistics.median(times[STRAWBERRY]),
        uncached_ms=statistics.median(times[UNCACHED]),
        core_ms=statistics.median(times[CORE]),
        execute_only_ms=statistics.median(times[EXECUTE_ONLY]),
    )


def section(floor: Floor) -> Section:
    return Section(
        title="GraphQL execution over already-fetched data (the floor)",
        intro=(
            f"The benchmark's keyPersonMap query of {floor.company_id} ({floor.entries} entries, "
            f"{floor.fields:,} resolved fields), medians of {floor.repetitions} runs each, "
            "interleaved; no statement ran while timing."
        ),
        columns=["executor", "per run", "per field", "against `execute_sync`"],
        rows=[
            [
                "Strawberry (`schema.execute`: the app's schema, resolvers and document caches, "
                "loaders primed)",
                f"{floor.strawberry_ms:.2f} ms",
                f"{floor.strawberry_us_per_field:.2f} µs",
                ratio(floor.ratio),
            ],
            [
                "Strawberry without ParserCache and ValidationCache (for reference)",
                f"{floor.uncached_ms:.2f} ms",
                f"{floor.uncached_ms * 1000 / floor.fields:.2f} µs",
                ratio(floor.uncached_ms / floor.execute_only_ms),
            ],
            [
                "graphql-core `graphql_sync`, default resolvers over plain dicts",
                f"{floor.core_ms:.2f} ms",
                f"{floor.core_ms * 1000 / floor.fields:.2f} µs",
                ratio(floor.core_ms / floor.execute_only_ms),
            ],
            [
                "of which `execute_sync` alone (no parse, no validation)",
                f"{floor.execute_only_ms:.2f} ms",
                f"{floor.execute_only_ms * 1000 / floor.fields:.2f} µs",
                "1.00x",
            ],
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repetitions", type=int, default=300)
    args = parser.parse_args()
    with synthetic_graph(args.people) as (graph, _, samples):
        floor = measure(graph, samples.customer_of_50, args.repetitions)
    result = section(floor)
    print(f"\n{result.intro}")
    for row in result.rows:
        print(f"  {row[0]}: {row[1]} per run, {row[2]} per field, {row[3]}")
    verdict = "met" if floor.met else "missed"
    print(f"target: Strawberry within {FLOOR_TARGET}x of graphql-core: {verdict}")


if __name__ == "__main__":
    main()
