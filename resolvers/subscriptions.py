"""Live subscriptions: committed relationship changes and logged interactions, as they happen.

Every committed write's events reach this process through the change feed (graph/db/feed.py),
whichever process made it, in commit order; one `Broker` per graph fans them out to the
subscriptions of this process, each an asyncio queue filtered to one company or one person.
An event reaches a subscriber once, and only events committed after it subscribed.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from graph.auth import scope
from graph.auth.scope import Visibility
from graph.core import reads
from graph.core.events import Event, InteractionLogged, RelationshipChanged, from_feed
from graph.core.history import Change, changes_by_id
from graph.db import feed
from graph.db.connection import Graph
from graph.db.errors import InvalidInput, LimitExceeded, NotFound
from graph.evolution import interactions
from graph.evolution.interactions import Interaction
from resolvers.context import Context, off_loop
from resolvers.scope import seen

QUEUE_SIZE = 1_000  # events a subscriber may fall behind by before it is dropped
Payload = Change | Interaction  # what a subscription sends for an event


@dataclass(eq=False)
class _Subscriber:
    wants: Callable[[Event], bool]
    loop: asyncio.AbstractEventLoop
    # (feed position, what to send)
    queue: asyncio.Queue[tuple[int, Payload]] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_SIZE)
    )
    overflowed: bool = False

    def offer(self, item: tuple[int, Payload]) -> None:
        """On the subscriber's loop: queue the item, or mark the subscriber as fallen behind."""
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True


class Broker:
    """Fans a graph's committed events out to this process's live subscriptions: what each
    event sends (the change, the interaction) is read once per feed entry, for every
    subscriber that wants it, not once per subscriber."""

    def __init__(self, graph: Graph) -> None:
        self._graph = weakref.ref(graph)
        self._subscribers: set[_Subscriber] = set()
        self._follower = feed.follower(graph)
        self._follower.listen(self._hear)

    def _hear(self, entry: feed.Entry) -> None:
        # called on the thread following the feed, entry after entry in commit order
        graph = self._graph()
        if not self._subscribers or graph is None:
            return
        subscribers = list(self._subscribers)
        events = [event for event in map(from_feed, entry.events) if event is not None]
        wanted = [(s, event) for event in events for s in subscribers if s.wants(event)]
        if not wanted:
            return
        payloads = _payloads(graph, [event for _, event in wanted])
        for subscriber, event in wanted:
            payload = payloads.get(_key(event))
            if payload is not None:  # deleted since: nothing to send
                item = (entry.position, payload)
                subscriber.loop.call_soon_threadsafe(subscriber.offer, item)

    async def events(self, wants: Callable[[Event], bool]) -> AsyncIterator[Payload]:
        """What the events `wants` accepts send, for those committed from now on (after the
        feed's head now), until the caller stops iterating."""
        subscriber = _Subscriber(wants, asyncio.get_running_loop())
        self._subscribers.add(subscriber)
        try:
            # what the follower hands on next may have been committed before this call
            start = (await off_loop(self._follower.sync)).position
            while True:
                position, payload = await subscriber.queue.get()
                if position <= start:
                    continue
                if subscriber.overflowed:
                    raise LimitExceeded(
                        f"the subscription fell more than {QUEUE_SIZE} events behind and was "
                        "ended: subscribe again"
                    )
                yield payload
        finally:
            self._subscribers.discard(subscriber)


def _key(event: Event) -> str:
    if isinstance(event, RelationshipChanged):
        return event.change_id
    if isinstance(event, InteractionLogged):
        return event.interaction_id
    return ""


def _payloads(graph: Graph, events: list[Event]) -> dict[str, Payload]:
    """The changes and interactions the events name, by id: two reads at most."""
    change_ids = sorted({e.change_id for e in events if isinstance(e, RelationshipChanged)})
    logged_ids = sorted({e.interaction_id for e in events if isinstance(e, InteractionLogged)})
    found: dict[str, Payload] = {}
    if change_ids:
        changes = changes_by_id(graph, change_ids)
        found.update((i, c) for i, c in zip(change_ids, changes, strict=True) if c is not None)
    if logged_ids:
        logged = interactions.interactions_by_id(graph, logged_ids)
        found.update((i, x) for i, x in zip(logged_ids, logged, strict=True) if x is not None)
    return found


_BROKERS: weakref.WeakKeyDictionary[Graph, Broker] = weakref.WeakKeyDictionary()


def broker(graph: Graph) -> Broker:
    """The graph's broker (made on first use)."""
    found = _BROKERS.get(graph)
    if found is None:
        found = _BROKERS[graph] = Broker(graph)
    return found


async def _one_of(ctx: Context, company_id: str | None, person_id: str | None) -> None:
    """Check that exactly one of company and person is given, and that it exists."""
    if (company_id is None) == (person_id is None):
        raise InvalidInput("give exactly one of companyId and personId", field="companyId")
    v = await _visibility(ctx)
    if company_id is not None:
        [company] = await off_loop(reads.companies_by_id, ctx.graph, [company_id])
        if company is None or not v.company(company_id):
            raise NotFound("company", company_id, field="companyId")
    elif person_id is not None:
        [person] = await off_loop(reads.people_by_id, ctx.graph, [person_id])
        if person is None or not v.person(person_id):
            raise NotFound("person", person_id, field="personId")


async def _visibility(ctx: Context) -> Visibility:
    """What the subscriber sees now (graph/auth/scope.py): read again for every delivery, as
    a subscription lives on while teams and roles change."""
    teams = None if ctx.principal is None else ctx.principal.teams
    return await off_loop(scope.visibility, ctx.graph, teams)


async def _seen(ctx: Context, payload: Payload) -> bool:
    """Whether a credential scoped to account teams sees what a delivery is about."""
    if ctx.principal is None or ctx.principal.sees_every_customer:
        return True
    return seen(await _visibility(ctx), payload)


async def relationship_changes(
    ctx: Context, company_id: str | None, person_id: str | None
) -> AsyncIterator[Change]:
    """Each committed change of a relationship of the company (its own relationships with
    other companies, and those of the people holding a current role there when the
    subscription starts) or of the person."""
    await _one_of(ctx, company_id, person_id)
    people: frozenset[str] = frozenset()
    if company_id is not None:
        [roles] = await off_loop(
            reads.roles_for_companies, ctx.graph, [company_id], include_past=False
        )
        people = frozenset(role.person_id for role in roles)
    else:
        assert person_id is not None
        people = frozenset([person_id])

    def wants(event: Event) -> bool:
        if not isinstance(event, RelationshipChanged):
            return False
        return bool(event.people_ids & people) or company_id in event.company_ids

    async for payload in broker(ctx.graph).events(wants):
        assert isinstance(payload, Change)
        if await _seen(ctx, payload):
            yield payload


async def logged_interactions(
    ctx: Context, company_id: str | None, person_id: str | None
) -> AsyncIterator[Interaction]:
    """Each interaction logged with the company (or its people) or with the person."""
    await _one_of(ctx, company_id, person_id)

    def wants(event: Event) -> bool:
        return isinstance(event, InteractionLogged) and (
            company_id in event.company_ids or person_id in event.people_ids
        )

    async for payload in broker(ctx.graph).events(wants):
        assert isinstance(payload, Interaction)
        if await _seen(ctx, payload):
            yield payload
