"""The per-request context: the graph connection and one set of DataLoaders per request."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from opentelemetry import trace
from opentelemetry.trace import NoOpTracer, Tracer
from strawberry.dataloader import DataLoader

from graph.auth import scope
from graph.auth.credentials import Principal
from graph.auth.scope import Visibility
from graph.core import history, reads
from graph.core.models import (
    Company,
    CompanyFigures,
    CompanyRelationship,
    Person,
    PersonFigures,
    PersonRelationship,
    Referral,
    Role,
)
from graph.db.connection import Graph
from graph.deals import deals
from graph.deals.deals import Deal
from graph.evolution import interactions
from graph.evolution import timelines as evolution
from graph.evolution.interactions import Interaction
from resolvers.scope import as_seen, each_seen, groups_seen
from resolvers.scope import seen as seen_item

P = ParamSpec("P")
T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
E = TypeVar("E")
ItemT = TypeVar("ItemT")


async def off_loop(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking graph call in a worker thread, keeping the event loop free."""
    return await asyncio.to_thread(fn, *args, **kwargs)


async def reload(loader: DataLoader[str, V], key: str) -> V:
    """Load `key` afresh, dropping what this request cached of it before a write."""
    with contextlib.suppress(KeyError):
        loader.clear(key)
    return await loader.load(key)


def peek(loader: DataLoader[K, V], key: K) -> V | None:
    """What `loader` has already read for `key` in this request; None when it has not (or read
    nothing). A field can then answer at once instead of awaiting the loader (which costs an
    asyncio task per object: a third of the Python time of 1,000 roles with their people)."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return None
    return future.result()


class _SeenLoader(DataLoader[K, V]):
    """A DataLoader whose primed items pass `keeps` too (what a page or a map read beside it
    is primed; a credential scoped to account teams must not find the others through it)."""

    def __init__(
        self,
        load_fn: Callable[[list[K]], Awaitable[list[V]]],
        keeps: Callable[[object], bool],
        shown: Callable[[V], V],
    ) -> None:
        super().__init__(load_fn=load_fn)
        self._keeps = keeps
        self._shown = shown

    def prime_many(self, data: Mapping[K, V], force: bool = False) -> None:
        super().prime_many({k: self._shown(v) for k, v in data.items() if self._keeps(v)}, force)


def _loader(
    graph: Graph,
    batch: Callable[[Graph, Sequence[str]], list[V]],
    keeps: Callable[[object], bool] = lambda item: True,
    shown: Callable[[Any], Any] = lambda item: item,
) -> DataLoader[str, V]:
    async def load(keys: list[str]) -> list[V]:
        return await off_loop(batch, graph, keys)

    return _SeenLoader(load, keeps, shown)


def _ends_loader(
    graph: Graph,
    batch: Callable[[Graph, Sequence[str]], list[list[tuple[ItemT, E]]]],
    ends: DataLoader[str, E | None],
    end_id: Callable[[E], str],
) -> DataLoader[str, list[ItemT]]:
    """Items (roles, relationships) by key, read with their other ends, which prime `ends`:
    naming the ends then costs no second round trip."""

    async def load(keys: list[str]) -> list[list[ItemT]]:
        groups = await off_loop(batch, graph, keys)
        ends.prime_many({end_id(end): end for group in groups for _, end in group})
        return [[item for item, _ in group] for group in groups]

    return DataLoader(load_fn=load)


def _traced(
    tracer: Tracer, name: str, load: Callable[[list[Any]], Awaitable[Any]]
) -> Callable[[list[Any]], Awaitable[Any]]:
    """`load` with a span per batch inside a traced operation (README, "Traces"): a group of
    the fields that asked for the batch, with its statements under it. The span holds how
    many keys, not which."""

    async def traced(keys: list[Any]) -> Any:
        if not trace.get_current_span().is_recording():
            return await load(keys)
        with tracer.start_as_current_span(
            f"DataLoader {name}", attributes={"guanxi.loader.keys": len(keys)}
        ):
            return await load(keys)

    return traced


@dataclass
class Loaders:
    """One loader per batch read; each batch is one database round trip. What a credential
    scoped to account teams does not see (`visibility`, resolvers/scope.py) they leave out:
    null for a look-up, out of a list."""

    graph: Graph
    visibility: Callable[[], Visibility] = field(default=lambda: scope.EVERYTHING)
    tracer: Tracer = field(default_factory=NoOpTracer)
    companies: DataLoader[str, Company | None] = field(init=False)
    company_figures: DataLoader[str, CompanyFigures] = field(init=False)
    people: DataLoader[str, Person | None] = field(init=False)
    person_figures: DataLoader[str, PersonFigures] = field(init=False)
    roles: DataLoader[str, Role | None] = field(init=False)
    relationships: DataLoader[str, PersonRelationship | None] = field(init=False)
    company_relationships: DataLoader[str, CompanyRelationship | None] = field(init=False)
    referrals: DataLoader[str, Referral | None] = field(init=False)
    current_roles_by_company: DataLoader[str, list[Role]] = field(init=False)
    all_roles_by_company: DataLoader[str, list[Role]] = field(init=False)
    current_roles_by_person: DataLoader[str, list[Role]] = field(init=False)
    all_roles_by_person: DataLoader[str, list[Role]] = field(init=False)
    # The same, read with the roles' people (companies), which they prime `people` (`companies`)
    # with: for a selection that names them.
    current_roles_and_people_by_company: DataLoader[str, list[Role]] = field(init=False)
    all_roles_and_people_by_company: DataLoader[str, list[Role]] = field(init=False)
    current_roles_and_companies_by_person: DataLoader[str, list[Role]] = field(init=False)
    all_roles_and_companies_by_person: DataLoader[str, list[Role]] = field(init=False)
    relationships_by_person: DataLoader[str, list[PersonRelationship]] = field(init=False)
    # The same, read with the other people, which they prime `people` with.
    relationships_and_people_by_person: DataLoader[str, list[PersonRelationship]] = field(
        init=False
    )
    company_relationships_by_company: DataLoader[str, list[CompanyRelationship]] = field(init=False)
    referrals_by_party: DataLoader[str, list[Referral]] = field(init=False)
    interactions: DataLoader[str, Interaction | None] = field(init=False)
    deals: DataLoader[str, Deal | None] = field(init=False)
    changes: DataLoader[str, history.Change | None] = field(init=False)
    roles_at: DataLoader[tuple[str, dt.datetime], list[Role]] = field(init=False)

    def __post_init__(self) -> None:
        g = self.graph
        each, groups, pairs = self._each, self._groups, self._pairs
        self.companies = _loader(g, each(reads.companies_by_id), self._keeps)
        self.company_figures = _loader(g, reads.company_figures_by_id)
        self.people = _loader(g, each(reads.people_by_id), self._keeps, self._shown)
        self.person_figures = _loader(g, self._person_figures)
        self.roles = _loader(g, each(reads.roles_by_id), self._keeps)
        self.relationships = _loader(g, each(reads.relationships_by_id), self._keeps)
        self.company_relationships = _loader(
            g, each(reads.company_relationships_by_id), self._keeps
        )
        self.referrals = _loader(g, each(reads.referrals_by_id), self._keeps)
        self.current_roles_by_company = _loader(
            g, groups(lambda g_, ids: reads.roles_for_companies(g_, ids, include_past=False))
        )
        self.all_roles_by_company = _loader(
            g, groups(lambda g_, ids: reads.roles_for_companies(g_, ids, include_past=True))
        )
        self.current_roles_by_person = _loader(
            g, groups(lambda g_, ids: reads.roles_for_people(g_, ids, include_past=False))
        )
        self.all_roles_by_person = _loader(
            g, groups(lambda g_, ids: reads.roles_for_people(g_, ids, include_past=True))
        )
        self.current_roles_and_people_by_company = _ends_loader(
            g,
            pairs(
                lambda g_, ids: reads.roles_and_people_for_companies(g_, ids, include_past=False)
            ),
            self.people,
            _person_id,
        )
        self.all_roles_and_people_by_company = _ends_loader(
            g,
            pairs(lambda g_, ids: reads.roles_and_people_for_companies(g_, ids, include_past=True)),
            self.people,
            _person_id,
        )
        self.current_roles_and_companies_by_person = _ends_loader(
            g,
            pairs(
                lambda g_, ids: reads.roles_and_companies_for_people(g_, ids, include_past=False)
            ),
            self.companies,
            _company_id,
        )
        self.all_roles_and_companies_by_person = _ends_loader(
            g,
            pairs(lambda g_, ids: reads.roles_and_companies_for_people(g_, ids, include_past=True)),
            self.companies,
            _company_id,
        )
        self.relationships_by_person = _loader(g, groups(reads.relationships_for_people))
        self.relationships_and_people_by_person = _ends_loader(
            g, pairs(reads.relationships_and_people_for_people), self.people, _person_id
        )
        self.company_relationships_by_company = _loader(
            g, groups(reads.company_relationships_for_companies)
        )
        self.referrals_by_party = _loader(g, groups(reads.referrals_for_parties))
        self.interactions = _loader(g, each(interactions.interactions_by_id), self._keeps)
        self.deals = _loader(g, each(deals.deals_by_id), self._keeps)
        self.changes = _loader(g, each(history.changes_by_id), self._keeps)

        async def roles_at(keys: list[tuple[str, dt.datetime]]) -> list[list[Role]]:
            return await off_loop(_roles_at, g, keys)

        self.roles_at = DataLoader(load_fn=roles_at)
        if not isinstance(self.tracer, NoOpTracer):
            for name, loader in vars(self).items():
                if isinstance(loader, DataLoader):
                    loader.load_fn = _traced(self.tracer, name, loader.load_fn)

    def _shown(self, item: Any) -> Any:
        return as_seen(self.visibility(), item)

    def _keeps(self, item: object) -> bool:
        """Whether a primed item stays: seen by the credential (None, nothing, always)."""
        v = self.visibility()
        return v.everything or item is None or seen_item(v, item)

    def _each(
        self, batch: Callable[[Graph, Sequence[str]], list[V | None]]
    ) -> Callable[[Graph, Sequence[str]], list[V | None]]:
        def seen(graph: Graph, ids: Sequence[str]) -> list[V | None]:
            return each_seen(self.visibility(), batch(graph, ids))

        return seen

    def _groups(
        self, batch: Callable[[Graph, Sequence[str]], list[list[V]]]
    ) -> Callable[[Graph, Sequence[str]], list[list[V]]]:
        def seen(graph: Graph, ids: Sequence[str]) -> list[list[V]]:
            return groups_seen(self.visibility(), batch(graph, ids))

        return seen

    def _pairs(
        self, batch: Callable[[Graph, Sequence[str]], list[list[tuple[ItemT, E]]]]
    ) -> Callable[[Graph, Sequence[str]], list[list[tuple[ItemT, E]]]]:
        def seen(graph: Graph, ids: Sequence[str]) -> list[list[tuple[ItemT, E]]]:
            v = self.visibility()
            if v.everything:
                return batch(graph, ids)
            return [
                [pair for pair in group if seen_item(v, pair[0])] for group in batch(graph, ids)
            ]

        return seen

    def _person_figures(self, graph: Graph, ids: Sequence[str]) -> list[PersonFigures]:
        """The stored figures; for a scoped credential, counted from the relationships it sees
        (the stored ones count those with people outside its teams)."""
        v = self.visibility()
        if v.everything:
            return reads.person_figures_by_id(graph, ids)
        return [
            PersonFigures(strongest_tie=strongest, relationship_count=count)
            for strongest, count in scope.figures_seen(graph, v, list(ids))
        ]


def _person_id(person: Person) -> str:
    return person.id


def _company_id(company: Company) -> str:
    return company.id


def _roles_at(graph: Graph, keys: Sequence[tuple[str, dt.datetime]]) -> list[list[Role]]:
    """Roles of companies as of times: one round trip per distinct time."""
    by_time: dict[dt.datetime, list[str]] = {}
    for company_id, at in keys:
        by_time.setdefault(at, []).append(company_id)
    found: dict[tuple[str, dt.datetime], list[Role]] = {}
    for at, company_ids in by_time.items():
        roles = evolution.roles_of_companies_at(graph, company_ids, at)
        found.update({(c, at): r for c, r in zip(company_ids, roles, strict=True)})
    return [found[key] for key in keys]


@dataclass
class Context:
    """What every resolver gets: the graph, who is asking and this request's loaders."""

    graph: Graph
    principal: Principal | None = None
    # A WebSocket's connection_init payload (Strawberry sets it), where it may authenticate.
    connection_params: dict[str, object] | None = None
    # The Authorization header value the principal was found from (a socket checks it again).
    credential: str | None = None
    # The request's id (X-Request-ID), which an internal error quotes to the client.
    request_id: str | None = None
    # spans for DataLoader batches (and, in graph/, statements): the no-op one when tracing
    # is off (server.py, create_app)
    tracer: Tracer = field(default_factory=NoOpTracer)
    loaders: Loaders = field(init=False)
    _served: bool = field(default=False, init=False, repr=False)  # see for_operation
    # what the credential sees, for its teams: read once an operation (resolvers/scope.py)
    _visible: tuple[frozenset[str], Visibility] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.graph, self.visibility, self.tracer)

    def visibility(self) -> Visibility:
        """What the caller sees (graph/auth/scope.py): everything unless its credential is
        scoped to account teams. Blocking the first time for a scoped one: call it off the
        loop (the loaders do)."""
        teams = None if self.principal is None else self.principal.teams
        if teams is None:
            return scope.EVERYTHING
        if self._visible is None or self._visible[0] != teams:
            self._visible = (teams, scope.visibility(self.graph, teams))
        return self._visible[1]

    def for_operation(self) -> Context:
        """The context of one operation: this one for the first operation it serves (an
        HTTP request's, with whatever its loaders were primed with), then the same caller
        with loaders of its own. A WebSocket (and an HTTP batch) has one context for all its
        operations: shared loaders would answer a later operation from what an earlier one
        read (stale after a write), and with a load an earlier, failed operation left
        waiting, for ever."""
        if not self._served:
            self._served = True
            return self
        fresh = dataclasses.replace(self)
        fresh._served = True
        return fresh
