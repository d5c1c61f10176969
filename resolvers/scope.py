"""What a credential scoped to account teams sees of each read model (graph/auth/scope.py):
the request's loaders (resolvers/context.py) pass every item they read through `seen`, so a
look-up answers null and a list leaves out what lies outside the credential's teams."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from graph.auth.scope import Visibility
from graph.core import history
from graph.core.models import (
    Company,
    CompanyRelationship,
    Page,
    PartyKind,
    PartyRef,
    Person,
    PersonRelationship,
    Referral,
    Role,
)
from graph.deals.deals import Deal
from graph.evolution.interactions import Interaction
from graph.evolution.timelines import FadingRelationship

if TYPE_CHECKING:
    from graph.db.connection import Graph
    from resolvers.context import Context

T = TypeVar("T")
# A page for a scoped credential is cut from everything its filters find, left without what
# the credential does not see (its total counts only what it sees): read as a first page of
# this many, then, when there are more, the rest at once.
SEEN_CHUNK = 1000


def _party(v: Visibility, ref: PartyRef) -> bool:
    return v.company(ref.id) if ref.kind is PartyKind.COMPANY else v.person(ref.id)


def _change(v: Visibility, change: history.Change) -> bool:
    """The change of something seen, whose states name no one unseen (a reporting line's
    `managerId`)."""
    ends = [end for end in (change.from_id, change.to_id) if end is not None]
    if not (v.party(change.subject_id) if not ends else all(v.party(end) for end in ends)):
        return False
    managers = [state.get("managerId") for state in (change.before, change.after) if state]
    return all(v.person(str(m)) for m in managers if m is not None)


_RULES: dict[type, Callable[[Visibility, Any], bool]] = {
    Company: lambda v, c: v.company(c.id),
    Person: lambda v, p: v.person(p.id),
    Role: lambda v, r: v.company(r.company_id) and v.person(r.person_id),
    PersonRelationship: lambda v, r: v.person(r.from_person_id) and v.person(r.to_person_id),
    CompanyRelationship: lambda v, r: v.company(r.from_company_id) and v.company(r.to_company_id),
    Referral: lambda v, r: _party(v, r.referrer) and _party(v, r.referred),
    Interaction: lambda v, i: (
        v.all_people(i.our_person_ids)
        and v.all_people(i.their_person_ids)
        and v.all_companies(i.company_ids)
    ),
    Deal: lambda v, d: v.company(d.company_id),
    history.Change: _change,
    FadingRelationship: lambda v, f: (
        v.company(f.company_id)
        and v.person(f.relationship.from_person_id)
        and v.person(f.relationship.to_person_id)
    ),
}


def seen(v: Visibility, item: object) -> bool:
    """Whether a credential with this visibility sees `item` (a read model); an item of a kind
    without a rule here is refused, so that a new kind is never shown by mistake."""
    if v.everything:
        return True
    rule = _RULES.get(type(item))
    if rule is None:
        raise TypeError(f"no account-team rule for {type(item).__name__} (resolvers/scope.py)")
    return rule(v, item)


def as_seen(v: Visibility, item: T) -> T:
    """`item` as a scoped credential gets it: a person without the figures stored with them
    (they count relationships it may not see; the loaders count them anew)."""
    if not v.everything and isinstance(item, Person) and item.figures is not None:
        return dataclasses.replace(item, figures=None)
    return item


def each_seen(v: Visibility, items: Sequence[T | None]) -> list[T | None]:
    """Items looked up by key: those not seen as None."""
    if v.everything:
        return list(items)
    return [as_seen(v, item) if item is not None and seen(v, item) else None for item in items]


def groups_seen(v: Visibility, groups: Sequence[list[T]]) -> list[list[T]]:
    """Lists of items by key: each without the items not seen."""
    if v.everything:
        return list(groups)
    return [[as_seen(v, item) for item in group if seen(v, item)] for group in groups]


async def seen_page(
    ctx: Context, read: Callable[..., Page[T]], query: Mapping[str, Any]
) -> Page[T]:
    """`read(graph, offset=, limit=, **filters)`'s page, for a scoped credential cut from the
    items it sees among all those the filters find."""
    from resolvers.context import off_loop  # the context imports this module

    v = await off_loop(ctx.visibility)
    if v.everything:
        return await off_loop(lambda: read(ctx.graph, **query))
    offset, limit = int(query["offset"]), int(query["limit"])
    filters = {k: value for k, value in query.items() if k not in ("offset", "limit")}

    def every_seen(graph: Graph) -> list[T]:
        # the first chunk tells how many there are; the rest in one more read (each read of a
        # page may scan as much as the whole list: two reads, not one per chunk)
        first = read(graph, offset=0, limit=SEEN_CHUNK, **filters)
        items = list(first.items)
        if first.total > len(items) and first.items:
            rest = read(graph, offset=len(items), limit=first.total - len(items), **filters)
            items += rest.items
        return [as_seen(v, item) for item in items if seen(v, item)]

    items = await off_loop(every_seen, ctx.graph)
    return Page(items=items[offset : offset + limit], total=len(items), offset=offset)
